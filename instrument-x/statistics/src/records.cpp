#include <ix/statistics/records.hpp>

#include <ix/core/calendar/calendar.hpp>
#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <bit>
#include <cstdio>

namespace ix::statistics {

// Day numbers are the domain calendar's (ix/core/calendar): one date arithmetic for the core and
// the statistics alike.
Day DayFromDate(const Date& date) { return core::calendar::DaysFromCivil(date); }
Date DateFromDay(Day day) { return core::calendar::CivilFromDays(day); }

std::optional<Day> ParseDay(std::string_view text) {
  const auto date = core::ParseIsoDate(text);
  if (!date) return std::nullopt;
  return DayFromDate(*date);
}

std::string FormatDay(Day day) { return FormatIsoDate(DateFromDay(day)); }

int CompletedMonths(Day from, Day to) { return core::calendar::WholeMonths(DateFromDay(from), DateFromDay(to)); }

ReportCategory Classify(AmLevel am, uint8_t r_mask, bool further_investigation) {
  if (further_investigation) return ReportCategory::kFurtherInvestigation;
  r_mask &= kR1 | kR2 | kR3;
  if (r_mask == 0) {
    switch (am) {
      case AmLevel::kAm1: return ReportCategory::kAm1;
      case AmLevel::kAm2: return ReportCategory::kAm2;
      case AmLevel::kAm3: return ReportCategory::kAm3;
      case AmLevel::kNone: return ReportCategory::kNotCategorised;
    }
  }
  if (am == AmLevel::kNone) return ReportCategory::kRhOnly;
  if (std::popcount(static_cast<unsigned>(r_mask)) > 1) return ReportCategory::kAmRhSeveral;
  if (r_mask == kR1) return ReportCategory::kAmRhR1;
  if (r_mask == kR2) return ReportCategory::kAmRhR2;
  return ReportCategory::kAmRhR3;
}

int CategorisationRecord::Rating(int i) const {
  if (ratings < 0 || i < 0 || i >= kAmRatingCount) return 0;
  int32_t packed = ratings;
  for (int k = kAmRatingCount - 1; k > i; --k) packed /= 10;
  return static_cast<int>(packed % 10);
}

bool IncludesRh(ReportCategory c) {
  return c == ReportCategory::kRhOnly || c == ReportCategory::kAmRhR1 ||
         c == ReportCategory::kAmRhR2 || c == ReportCategory::kAmRhR3 ||
         c == ReportCategory::kAmRhSeveral;
}

bool IncludesAm(ReportCategory c) {
  return c == ReportCategory::kAm1 || c == ReportCategory::kAm2 || c == ReportCategory::kAm3 ||
         c == ReportCategory::kAmRhR1 || c == ReportCategory::kAmRhR2 ||
         c == ReportCategory::kAmRhR3 || c == ReportCategory::kAmRhSeveral;
}

SexGroup GroupOf(Sex sex) {
  switch (sex) {
    case Sex::kFemale: return SexGroup::kWomen;
    case Sex::kMale: return SexGroup::kMen;
    default: return SexGroup::kOther;
  }
}

void PersonHistory::Clear() {
  sex = Sex::kUnspecified;
  birth_year = 0;
  birth_month = 0;
  categorisations.clear();
  periods.clear();
  interventions.clear();
  assignments.clear();
  milestones.clear();
}

namespace {
// Last element with day <= d in a vector sorted by `key`, or nullptr.
template <typename T, typename Key>
const T* LastOnOrBefore(const std::vector<T>& items, Day d, Key key) {
  auto it = std::upper_bound(items.begin(), items.end(), d,
                             [&](Day value, const T& item) { return value < key(item); });
  return it == items.begin() ? nullptr : &*std::prev(it);
}
}  // namespace

const CategorisationRecord* PersonHistory::CategorisationOn(Day d) const {
  return LastOnOrBefore(categorisations, d, [](const CategorisationRecord& c) { return c.day; });
}

const PeriodRecord* PersonHistory::PeriodOn(Day d) const {
  const PeriodRecord* p = LastOnOrBefore(periods, d, [](const PeriodRecord& r) { return r.start; });
  return p != nullptr && p->OpenOn(d) ? p : nullptr;
}

std::vector<core::clocks::AssistancePeriod> PersonHistory::AssistancePeriods() const {
  // The statistics' periods are [start, end); the domain's are inclusive of both ends.
  std::vector<core::clocks::AssistancePeriod> inclusive;
  inclusive.reserve(periods.size());
  for (const PeriodRecord& p : periods) {
    if (p.end != kNoDay && p.end <= p.start) continue;  // an empty period covers no day
    inclusive.push_back({DateFromDay(p.start), p.end == kNoDay ? std::nullopt : std::optional<Date>(DateFromDay(p.end - 1))});
  }
  return inclusive;
}

int PersonHistory::MonthsOnAssistance(Day d) const {
  return core::clocks::OnAssistance(AssistancePeriods(), DateFromDay(d)).whole_months;
}

ReportCategory PersonHistory::CategoryOn(Day d) const {
  const CategorisationRecord* c = CategorisationOn(d);
  return c == nullptr ? ReportCategory::kNotCategorised : c->Category();
}

const Assignment* PersonHistory::AssignmentOn(Day d) const {
  return LastOnOrBefore(assignments, d, [](const Assignment& a) { return a.day; });
}

int PersonHistory::AgeOn(Day d) const {
  if (birth_year <= 0) return -1;
  const Date on = DateFromDay(d);
  const int month = birth_month >= 1 && birth_month <= 12 ? birth_month : 7;
  return on.year - birth_year - (on.month < month ? 1 : 0);
}

}  // namespace ix::statistics
