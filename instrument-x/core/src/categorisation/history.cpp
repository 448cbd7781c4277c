#include <ix/core/categorisation/history.hpp>

#include <ix/core/personnummer.hpp>

#include <algorithm>

namespace ix::core {

std::string_view MoveDirectionCode(MoveDirection direction) {
  switch (direction) {
    case MoveDirection::kFirst: return "first";
    case MoveDirection::kProgress: return "progress";
    case MoveDirection::kSetback: return "setback";
    case MoveDirection::kSameLevel: return "same_level";
  }
  return "";
}

int AmRank(AmLevel level) {
  switch (level) {
    case AmLevel::kAm1: return 1;
    case AmLevel::kAm2: return 2;
    case AmLevel::kAm3: return 3;
    case AmLevel::kNone: break;
  }
  return 4;
}

MoveDirection Direction(const Category& from, const Category& to) {
  const int a = AmRank(from.am_level);
  const int b = AmRank(to.am_level);
  if (b < a) return MoveDirection::kProgress;
  if (b > a) return MoveDirection::kSetback;
  return MoveDirection::kSameLevel;
}

std::vector<HistoryEntry> BuildHistory(std::vector<CategorisationRecord> records) {
  std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return a.effective_date < b.effective_date;
  });
  std::vector<HistoryEntry> entries;
  for (size_t i = 0; i < records.size(); ++i) {
    HistoryEntry e;
    e.record = records[i];
    Normalize(e.record.category);
    const std::string date = FormatIsoDate(e.record.effective_date);
    const std::string now = DescribeCategory(e.record.category);
    const std::string at = e.record.occasion.empty() ? "" : " (" + e.record.occasion + ")";
    if (i == 0) {
      e.direction = MoveDirection::kFirst;
      e.line = {date + at + ": första kategorisering " + now + ".", date + at + ": first categorisation " + now + "."};
    } else {
      Category before = records[i - 1].category;
      Normalize(before);
      e.direction = Direction(before, e.record.category);
      std::set_difference(e.record.category.r_kinds.begin(), e.record.category.r_kinds.end(),
                          before.r_kinds.begin(), before.r_kinds.end(), std::back_inserter(e.r_added));
      std::set_difference(before.r_kinds.begin(), before.r_kinds.end(), e.record.category.r_kinds.begin(),
                          e.record.category.r_kinds.end(), std::back_inserter(e.r_removed));
      const std::string was = DescribeCategory(before);
      static constexpr const char* kSv[] = {"", "framsteg mot AM1", "bakåt, längre från AM1", "samma AM-nivå"};
      static constexpr const char* kEn[] = {"", "progress towards AM1", "setback, further from AM1", "same AM level"};
      const auto d = static_cast<size_t>(e.direction);
      std::string rh_sv, rh_en;
      for (RKind r : e.r_added) {
        rh_sv += std::string(" +") + std::string(RKindCode(r));
        rh_en += std::string(" +") + std::string(RKindCode(r));
      }
      for (RKind r : e.r_removed) {
        rh_sv += std::string(" -") + std::string(RKindCode(r));
        rh_en += std::string(" -") + std::string(RKindCode(r));
      }
      e.line = {date + at + ": " + was + " → " + now + " (" + kSv[d] + (rh_sv.empty() ? "" : "; RH" + rh_sv) + ").",
                date + at + ": " + was + " → " + now + " (" + kEn[d] + (rh_en.empty() ? "" : "; RH" + rh_en) + ")."};
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

std::optional<CategorisationRecord> CategoryAt(const std::vector<CategorisationRecord>& records,
                                               const Date& date) {
  std::optional<CategorisationRecord> found;
  for (const CategorisationRecord& r : records) {
    if (date < r.effective_date) continue;
    if (!found || !(r.effective_date < found->effective_date)) found = r;  // later or same date, later recorded
  }
  return found;
}

}  // namespace ix::core
