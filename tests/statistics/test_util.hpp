// Small builders for hand-computed statistics cases.
#ifndef IX_TESTS_STATISTICS_TEST_UTIL_HPP
#define IX_TESTS_STATISTICS_TEST_UTIL_HPP

#include <ix/statistics/records.hpp>
#include <ix/statistics/reports.hpp>
#include <ix/statistics/synthetic.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace ix::test {
namespace stats = ix::statistics;

// Every report over the calendar year `year`, computed from `persons` generated persons (seed
// `seed`) whose histories run `years` years from 1 January of `first_year`.
inline stats::Reports GeneratedYear(int64_t persons, uint64_t seed, int first_year, int years, int year) {
  stats::SyntheticParams params;
  params.persons = persons;
  params.years = years;
  params.seed = seed;
  params.first_day = stats::DayFromDate({first_year, 1, 1});
  stats::ReportOptions o;
  o.from = stats::DayFromDate({year, 1, 1});
  o.to = o.at = stats::DayFromDate({year, 12, 31});
  stats::ReportEngine engine(o);
  stats::GenerateSynthetic(params, [&](const stats::SyntheticPerson& p) { engine.Add(stats::HistoryOf(p)); });
  return engine.Finish();
}

inline stats::Day D(const char* iso) {
  const auto d = stats::ParseDay(iso);
  EXPECT_TRUE(d.has_value()) << iso;
  return d.value_or(0);
}

struct P {
  stats::PersonHistory h;
  explicit P(core::Sex sex, int birth_year = 1985, int birth_month = 6) {
    h.sex = sex;
    h.birth_year = birth_year;
    h.birth_month = birth_month;
  }
  // A period from `start` to `last_day` (inclusive; nullptr = open).
  P& Period(const char* start, const char* last_day = nullptr,
            stats::ExitReason exit = stats::ExitReason::kUnspecified) {
    h.periods.push_back({D(start), last_day ? D(last_day) + 1 : stats::kNoDay, exit});
    return *this;
  }
  P& Cat(const char* day, stats::AmLevel am, uint8_t r = 0, bool fi = false) {
    h.categorisations.push_back({D(day), am, r, fi});
    return *this;
  }
  // An intervention; by default a municipal work training (inside the default KAS scope).
  P& Intervention(const char* start, const char* end, stats::Orientation o,
                  stats::KasOutcome outcome = stats::KasOutcome::kUnspecified,
                  std::string kind = "work_training", std::string actor = "municipality") {
    h.interventions.push_back({D(start), end ? D(end) : stats::kNoDay, o, outcome, std::move(kind), std::move(actor)});
    return *this;
  }
  // Milestones are kept in day order, as the store hands them over.
  P& Milestone(const char* day, stats::Milestone m) {
    h.milestones.push_back({D(day), m});
    std::stable_sort(h.milestones.begin(), h.milestones.end(),
                     [](const auto& a, const auto& b) { return a.day < b.day; });
    return *this;
  }
  P& Assign(const char* day, std::string unit, std::string caseworker) {
    h.assignments.push_back({D(day), std::move(unit), std::move(caseworker)});
    return *this;
  }
};

inline constexpr auto kW = core::Sex::kFemale;
inline constexpr auto kM = core::Sex::kMale;
inline constexpr auto kO = core::Sex::kOther;

}  // namespace ix::test

#endif  // IX_TESTS_STATISTICS_TEST_UTIL_HPP
