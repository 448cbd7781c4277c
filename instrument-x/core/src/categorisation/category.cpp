#include <ix/core/categorisation/category.hpp>

#include <algorithm>

namespace ix::core {

void Normalize(Category& category) {
  std::sort(category.r_kinds.begin(), category.r_kinds.end());
  category.r_kinds.erase(std::unique(category.r_kinds.begin(), category.r_kinds.end()),
                         category.r_kinds.end());
}

std::string_view AmLevelCode(AmLevel level) {
  switch (level) {
    case AmLevel::kAm1: return "AM1";
    case AmLevel::kAm2: return "AM2";
    case AmLevel::kAm3: return "AM3";
    case AmLevel::kNone: break;
  }
  return "none";
}

std::string_view RKindCode(RKind kind) {
  switch (kind) {
    case RKind::kR1Physical: return "R1";
    case RKind::kR2Mental: return "R2";
    case RKind::kR3Substance: return "R3";
  }
  return "R?";
}

std::string_view WorkCapacityCode(WorkCapacity w) {
  switch (w) {
    case WorkCapacity::kFull: return "full";
    case WorkCapacity::kReduced: return "reduced";
    case WorkCapacity::kNone: return "none";
    case WorkCapacity::kUnclear: return "unclear";
    case WorkCapacity::kUnspecified: break;
  }
  return "";
}

std::string DescribeCategory(const Category& category) {
  std::string text = category.am_level == AmLevel::kNone ? "no AM level"
                                                           : std::string(AmLevelCode(category.am_level));
  if (!category.r_kinds.empty()) {
    text += " + RH";
    for (RKind r : category.r_kinds) text += " " + std::string(RKindCode(r));
  }
  if (category.further_investigation) text += " (vidare utredning)";
  return text;
}

}  // namespace ix::core
