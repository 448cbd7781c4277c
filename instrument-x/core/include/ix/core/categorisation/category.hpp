// Needs categories as plain data (mirrors ix.v1.Category in proto/ix/v1/category.proto):
// AM1–3, RH kinds R1–R3, vidare utredning (further investigation), work capacity today.
#ifndef IX_CORE_CATEGORISATION_CATEGORY_HPP
#define IX_CORE_CATEGORISATION_CATEGORY_HPP

#include <ix/core/model.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ix::core {

// kNone: no AM level (missing ratings, or no work capacity today).
enum class AmLevel { kNone = 0, kAm1 = 1, kAm2 = 2, kAm3 = 3 };
enum class RKind { kR1Physical = 1, kR2Mental = 2, kR3Substance = 3 };
enum class WorkCapacity { kUnspecified = 0, kFull, kReduced, kNone, kUnclear };
// Whose view an assessment is. The software suggests; people decide.
enum class AssessmentView { kUnspecified = 0, kSuggestion, kCaseworker, kClient };

struct Category {
  AmLevel am_level = AmLevel::kNone;
  std::vector<RKind> r_kinds;  // sorted, no repeats (use Normalize)
  bool further_investigation = false;
  WorkCapacity work_capacity = WorkCapacity::kUnspecified;
  friend bool operator==(const Category&, const Category&) = default;
};

// Sorts r_kinds and removes repeats.
void Normalize(Category& category);

// Short codes as caseworkers write them: "AM1", "R2", "full", …
std::string_view AmLevelCode(AmLevel level);      // "AM1".."AM3", "none"
std::string_view RKindCode(RKind kind);           // "R1", "R2", "R3"
std::string_view WorkCapacityCode(WorkCapacity w);  // "full", "reduced", "none", "unclear", ""
// "AM2 + R1 R3 (vidare utredning)", "no AM level", …
std::string DescribeCategory(const Category& category);

}  // namespace ix::core

#endif  // IX_CORE_CATEGORISATION_CATEGORY_HPP
