// Time on assistance and the DUR/ASI offer: one definition (clocks::OnAssistance) read by the
// suggestion rules, the process clocks and the statistics, and one rule (InDepthOfferRule).
// Source: assistance "mer än 6 månader i följd" gives access to DUR/ASI (docs/rules.md).
// Expected dates worked out by hand: more than 6 whole months from a first day D is the day
// with the same number six months on (end-of-month clamped).
#include <ix/core/calendar/calendar.hpp>
#include <ix/core/clocks/clocks.hpp>
#include <ix/core/personnummer.hpp>
#include <ix/statistics/reports.hpp>

#include "rules_fixture.hpp"

#include <gtest/gtest.h>

namespace ix::core {
namespace {

using clocks::AssistancePeriod;
using clocks::DueStatus;

Date D(const char* iso) { return *ParseIsoDate(iso); }

bool SuggestOffers(const std::vector<AssistancePeriod>& periods, const Date& on, const InDepthOfferRule& rule) {
  const SuggestResult r = Suggest(testing::DefaultRules(), ProfileRules{rule, true},
                                  testing::OneAdult({{1, 1, 1, 1, 1, 1}, "full", false, false, false}),
                                  clocks::OnAssistance(periods, on).whole_months);
  return r.suggestions.at(0).offer_in_depth_assessment;
}

std::optional<clocks::DueItem> InDepthClock(const std::vector<AssistancePeriod>& periods, const Date& on,
                                            const InDepthOfferRule& rule) {
  clocks::CaseClockInput c;
  c.household_ref = "h1";
  c.assistance = periods;
  c.adults = {{"p1", std::nullopt, std::nullopt, std::nullopt}};  // not categorised yet
  // The default profile's clocks with the DUR/ASI clock set to `rule`; the suggestions read
  // the same clock back (InDepthOfferOf), which SuggestionAndClockAgreeOnEveryDay relies on.
  clocks::Clocks p = clocks::DefaultProfileClocks();
  for (clocks::ClockDefinition& d : p) {
    if (d.done != clocks::DoneEvent::kInDepthOffered) continue;
    d.amount = rule.more_than_months;
    d.conditions.clear();
    if (rule.only_am3_or_rh) d.conditions.push_back(clocks::Condition::kCategoryAm3OrRh);
  }
  EXPECT_EQ(clocks::InDepthOfferOf(p).more_than_months, rule.more_than_months);
  EXPECT_EQ(clocks::InDepthOfferOf(p).only_am3_or_rh, rule.only_am3_or_rh);
  for (const clocks::DueItem& i : clocks::DueItems(c, p, on)) {
    if (i.clock == "in_depth_offer") return i;
  }
  return std::nullopt;
}

TEST(TimeOnAssistance, WholeMonthsAreCountedLikeAnAge) {
  struct Case {
    const char* from;
    const char* to;
    int months;
  };
  const Case cases[] = {
      {"2024-01-01", "2024-01-31", 0}, {"2024-01-01", "2024-02-01", 1}, {"2024-01-01", "2024-06-30", 5},
      {"2024-01-01", "2024-07-01", 6}, {"2024-01-15", "2024-06-14", 4}, {"2024-01-15", "2024-06-15", 5},
      {"2025-01-31", "2025-02-27", 0}, {"2025-01-31", "2025-02-28", 1}, {"2025-01-31", "2025-07-30", 5},
      {"2025-01-31", "2025-07-31", 6}, {"2024-08-31", "2025-02-28", 6}, {"2024-02-29", "2025-02-28", 12},
      {"2024-06-30", "2024-06-30", 0}, {"2024-06-30", "2024-01-01", 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.from) + " → " + c.to);
    EXPECT_EQ(calendar::WholeMonths(D(c.from), D(c.to)), c.months);
  }
}

// Exactly 6 months is not "more than 6"; the first day after is. Both the suggestion's flag and
// the clock say so, for an adult who is not categorised (no condition on the category).
TEST(TimeOnAssistance, DurAsiAfterMoreThanSixWholeMonthsExactlySixIsNotEnough) {
  struct Case {
    const char* start;
    const char* on;
    int whole_months;
    bool offer;
    const char* due_on;
  };
  const Case cases[] = {
      {"2024-01-01", "2024-06-30", 5, false, "2024-07-01"},  // six whole months end tonight: exactly 6
      {"2024-01-01", "2024-07-01", 6, true, "2024-07-01"},   // more than 6
      {"2025-01-31", "2025-06-01", 4, false, "2025-07-31"},  // the old clock fell due here (4 months and a day)
      {"2025-01-31", "2025-07-30", 5, false, "2025-07-31"},
      {"2025-01-31", "2025-07-31", 6, true, "2025-07-31"},
      {"2024-08-31", "2025-02-27", 5, false, "2025-02-28"},  // clamped to the end of February
      {"2024-08-31", "2025-02-28", 6, true, "2025-02-28"},
  };
  const InDepthOfferRule source_default;  // more than 6, every adult
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.start) + " on " + c.on);
    const std::vector<AssistancePeriod> periods = {{D(c.start), std::nullopt}};
    EXPECT_EQ(clocks::OnAssistance(periods, D(c.on)).whole_months, c.whole_months);
    EXPECT_EQ(SuggestOffers(periods, D(c.on), source_default), c.offer);
    const auto clock = InDepthClock(periods, D(c.on), source_default);
    ASSERT_TRUE(clock.has_value());
    EXPECT_EQ(FormatIsoDate(clock->due_on), c.due_on);
    EXPECT_EQ(clock->status != DueStatus::kUpcoming, c.offer);
  }
}

// On every day of three years and for runs with breaks, touching periods and overlaps, the
// suggestion offers DUR/ASI exactly when the clock is due (today or overdue).
TEST(TimeOnAssistance, SuggestionAndClockAgreeOnEveryDay) {
  const std::vector<std::vector<AssistancePeriod>> histories = {
      {{D("2024-01-31"), std::nullopt}},
      {{D("2024-01-10"), D("2024-03-31")}, {D("2024-04-02"), std::nullopt}},                // one-day break
      {{D("2024-01-01"), D("2024-01-31")}, {D("2024-02-01"), D("2024-02-29")},
       {D("2024-03-01"), D("2024-09-15")}, {D("2024-11-01"), D("2025-09-30")}},             // monthly, then a break
      {{D("2024-05-20"), D("2025-03-01")}, {D("2024-06-01"), D("2024-07-01")}, {D("2025-02-15"), std::nullopt}},
  };
  for (const InDepthOfferRule& rule : {InDepthOfferRule{}, InDepthOfferRule{3, false}}) {
    for (size_t h = 0; h < histories.size(); ++h) {
      int days_offered = 0;
      for (Date day = D("2024-01-01"); day < D("2027-01-01"); day = calendar::AddDays(day, 1)) {
        SCOPED_TRACE("history " + std::to_string(h) + " on " + FormatIsoDate(day));
        const bool offer = SuggestOffers(histories[h], day, rule);
        const auto clock = InDepthClock(histories[h], day, rule);
        ASSERT_EQ(clock.has_value(), clocks::ReceivingAssistanceOn(histories[h], day));
        EXPECT_EQ(offer, clock && clock->status != DueStatus::kUpcoming);
        days_offered += offer ? 1 : 0;
      }
      EXPECT_GT(days_offered, 0);  // every history reaches the offer at some point
    }
  }
}

// The statistics count the same time on assistance: periods that follow one another (as monthly
// decisions are recorded) are one run, and a short break starts again — in both.
TEST(TimeOnAssistance, StatisticsAgreeWithTheClocksAfterAShortBreak) {
  namespace st = ix::statistics;
  st::PersonHistory person;
  person.sex = Sex::kFemale;
  person.birth_year = 1985;
  // [start, end) in the statistics: January, February–March, then a two-day break (1–2 April).
  person.periods = {{st::DayFromDate(D("2024-01-01")), st::DayFromDate(D("2024-02-01"))},
                    {st::DayFromDate(D("2024-02-01")), st::DayFromDate(D("2024-04-01"))},
                    {st::DayFromDate(D("2024-04-03")), st::kNoDay}};
  const std::vector<AssistancePeriod> same = {{D("2024-01-01"), D("2024-01-31")},
                                              {D("2024-02-01"), D("2024-03-31")},
                                              {D("2024-04-03"), std::nullopt}};
  EXPECT_EQ(person.MonthsOnAssistance(st::DayFromDate(D("2024-03-31"))), 2);  // the open period alone would be 1
  EXPECT_EQ(person.MonthsOnAssistance(st::DayFromDate(D("2024-07-02"))), 2);  // the break started it again
  EXPECT_EQ(person.MonthsOnAssistance(st::DayFromDate(D("2024-07-03"))), 3);
  for (Date day = D("2023-12-01"); day < D("2025-06-01"); day = calendar::AddDays(day, 1)) {
    SCOPED_TRACE(FormatIsoDate(day));
    ASSERT_EQ(person.MonthsOnAssistance(st::DayFromDate(day)), clocks::OnAssistance(same, day).whole_months);
  }

  // Through the snapshot report: on 2024-03-31 the person is in the 0–3 band, on 2024-09-03
  // (five whole months since 3 April) in 4–6; the 7–12 band only if the break were ignored.
  for (const auto& [at, band] : {std::pair{"2024-03-31", 0}, std::pair{"2024-09-03", 1}}) {
    st::ReportOptions options;
    options.at = st::DayFromDate(D(at));
    options.from = options.to = options.at;
    st::ReportEngine engine(options);
    engine.Add(person);
    const st::Reports r = engine.Finish();
    int64_t in_band = 0;
    for (int c = 0; c < st::kReportCategoryCount; ++c) {
      for (int a = 0; a < r.snapshot.ages; ++a) in_band += r.snapshot.At(c, 0, a, band);
    }
    EXPECT_EQ(in_band, 1) << at;
  }
}

}  // namespace
}  // namespace ix::core
