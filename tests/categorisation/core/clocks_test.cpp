// Process clocks: decision (working days), action plan, AM1 review, DUR/ASI offer; the
// caseload view. Expected dates worked out by hand against the Swedish calendar.
#include <ix/core/clocks/clocks.hpp>
#include <ix/core/personnummer.hpp>

#include <gtest/gtest.h>

namespace ix::core::clocks {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }
std::string S(const Date& d) { return FormatIsoDate(d); }

TEST(Clocks, TimeOnAssistanceIsWholeMonthsOfTheUnbrokenRun) {
  const std::vector<AssistancePeriod> gap = {{D("2024-01-10"), D("2024-03-31")},
                                             {D("2024-05-01"), std::nullopt}};
  EXPECT_EQ(OnAssistance(gap, D("2024-07-20")).whole_months, 2);  // since 1 May
  EXPECT_EQ(OnAssistance(gap, D("2024-07-20")).run_start, D("2024-05-01"));
  EXPECT_EQ(OnAssistance(gap, D("2024-03-01")).whole_months, 1);  // 10 Jan → 10 Feb
  EXPECT_FALSE(OnAssistance(gap, D("2024-04-15")).run_start.has_value());  // the gap
  EXPECT_EQ(OnAssistance(gap, D("2024-04-15")).whole_months, 0);
  // Periods that follow one another day by day, or overlap, are one run; in any order.
  const std::vector<AssistancePeriod> monthly = {{D("2024-03-01"), D("2024-03-31")},
                                                 {D("2024-01-10"), D("2024-02-29")},
                                                 {D("2024-02-20"), D("2024-02-25")},
                                                 {D("2024-04-01"), std::nullopt}};
  EXPECT_EQ(OnAssistance(monthly, D("2024-07-20")).run_start, D("2024-01-10"));
  EXPECT_EQ(OnAssistance(monthly, D("2024-07-20")).whole_months, 6);
  // A single day without assistance (1 April) ends the run.
  const std::vector<AssistancePeriod> one_day_gap = {{D("2024-01-10"), D("2024-03-31")},
                                                     {D("2024-04-02"), std::nullopt}};
  EXPECT_EQ(OnAssistance(one_day_gap, D("2024-07-20")).run_start, D("2024-04-02"));
  EXPECT_EQ(OnAssistance(one_day_gap, D("2024-07-20")).whole_months, 3);
  EXPECT_EQ(OnAssistance({}, D("2024-07-20")).whole_months, 0);
  const std::vector<AssistancePeriod> year_end = {{D("2024-11-30"), std::nullopt}};
  EXPECT_EQ(OnAssistance(year_end, D("2025-04-01")).whole_months, 4);  // 30 Mar was the 4th
  EXPECT_TRUE(ReceivingAssistanceOn(gap, D("2024-03-31")));
  EXPECT_FALSE(ReceivingAssistanceOn(gap, D("2024-04-01")));
  EXPECT_FALSE(ReceivingAssistanceOn(gap, D("2024-01-09")));
}

CaseClockInput Household() {
  CaseClockInput c;
  c.household_ref = "h1";
  c.caseworker = "cw-17";
  c.application_complete_on = D("2024-12-20");
  c.first_visit_on = D("2024-11-30");
  c.assistance = {{D("2024-08-15"), std::nullopt}};
  Category am3;
  am3.am_level = AmLevel::kAm3;
  Category am1;
  am1.am_level = AmLevel::kAm1;
  c.adults = {{"p1", am3, D("2024-09-01"), std::nullopt}, {"p2", am1, D("2024-10-10"), std::nullopt}};
  return c;
}

const DueItem& Find(const std::vector<DueItem>& items, const std::string& clock, const std::string& person_ref = "") {
  for (const DueItem& i : items) {
    if (i.clock == clock && i.person_ref == person_ref) return i;
  }
  ADD_FAILURE() << "no " << clock << " for '" << person_ref << "'";
  return items.front();
}

TEST(Clocks, EveryClockOfOneHousehold) {
  const auto items = DueItems(Household(), DefaultProfileClocks(), D("2025-01-14"));
  ASSERT_EQ(items.size(), 5u);
  // In due-date order.
  EXPECT_EQ(items[0].clock, "am1_review");
  EXPECT_EQ(items[0].person_ref, "p2");
  EXPECT_EQ(S(items[0].due_on), "2025-01-10");
  EXPECT_EQ(items[0].days_overdue, 4);
  EXPECT_EQ(items[1].clock, "decision");  // 10 working days over Christmas
  EXPECT_EQ(S(items[1].due_on), "2025-01-13");
  EXPECT_EQ(items[1].status, DueStatus::kOverdue);
  EXPECT_EQ(items[1].days_overdue, 1);
  // DUR/ASI for every adult: more than 6 whole months after 15 Aug is 15 Feb.
  for (size_t i : {2u, 3u}) {
    EXPECT_EQ(items[i].clock, "in_depth_offer");
    EXPECT_EQ(S(items[i].started_on), "2024-08-15");
    EXPECT_EQ(S(items[i].due_on), "2025-02-15");
    EXPECT_EQ(items[i].status, DueStatus::kUpcoming);
  }
  EXPECT_EQ(items[2].person_ref, "p1");
  EXPECT_EQ(items[3].person_ref, "p2");
  EXPECT_EQ(items[4].clock, "action_plan");
  EXPECT_EQ(S(items[4].due_on), "2025-02-28");  // 30 Nov + 3 months, clamped
  EXPECT_EQ(items[4].status, DueStatus::kUpcoming);
  EXPECT_NE(items[1].explanation.en.find("10 Swedish working days"), std::string::npos);
  EXPECT_NE(items[2].explanation.en.find("more than 6 whole months in a row (since 2024-08-15, now 4 whole months)"),
            std::string::npos);
}

TEST(Clocks, DoneDueTodayAndLate) {
  CaseClockInput c = Household();
  c.decided_on = D("2025-01-15");      // two days late
  c.action_plan_on = D("2025-01-02");  // in time
  c.adults[0].in_depth_offered_on = D("2024-12-20");  // before it was due: done
  const auto items = DueItems(c, DefaultProfileClocks(), D("2025-01-10"));
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(Find(items, "am1_review", "p2").status, DueStatus::kDueToday);
  const DueItem& decision = Find(items, "decision");
  EXPECT_EQ(decision.status, DueStatus::kDone);
  EXPECT_TRUE(decision.done_late);
  EXPECT_EQ(decision.days_overdue, 2);
  EXPECT_EQ(Find(items, "in_depth_offer", "p1").status, DueStatus::kDone);
  EXPECT_FALSE(Find(items, "in_depth_offer", "p1").done_late);
  EXPECT_EQ(Find(items, "in_depth_offer", "p2").status, DueStatus::kUpcoming);
  EXPECT_EQ(Find(items, "action_plan").status, DueStatus::kDone);
}

// A clock of a list by name (the test fails when there is none).
ClockDefinition& Named(Clocks& clocks, const std::string& name) {
  for (ClockDefinition& c : clocks) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << "no clock " << name;
  return clocks.front();
}

TEST(Clocks, ParametersComeFromTheProfile) {
  Clocks p = DefaultProfileClocks();
  Named(p, "decision").amount = 5;
  Named(p, "in_depth_offer").amount = 3;
  const auto items = DueItems(Household(), p, D("2024-12-02"));
  // 5 working days after 2024-12-20: 23, 27, 30 Dec, 2, 3 Jan.
  EXPECT_EQ(S(Find(items, "decision").due_on), "2025-01-03");
  EXPECT_EQ(S(Find(items, "in_depth_offer", "p1").due_on), "2024-11-15");
  EXPECT_EQ(S(Find(items, "in_depth_offer", "p2").due_on), "2024-11-15");
  // The profile's category condition: only p1 (AM3) qualifies, p2 (AM1) does not.
  Named(p, "in_depth_offer").conditions = {Condition::kCategoryAm3OrRh};
  int in_depth = 0;
  for (const DueItem& i : DueItems(Household(), p, D("2024-12-02"))) {
    if (i.clock != "in_depth_offer") continue;
    ++in_depth;
    EXPECT_EQ(i.person_ref, "p1");
  }
  EXPECT_EQ(in_depth, 1);
}

TEST(Clocks, Am1ReviewOnlyWhileReceivingAssistance) {
  CaseClockInput c = Household();
  c.assistance = {{D("2024-08-15"), D("2024-12-31")}};
  for (const DueItem& i : DueItems(c, DefaultProfileClocks(), D("2025-01-14"))) {
    EXPECT_NE(i.clock, "am1_review");
    EXPECT_NE(i.clock, "in_depth_offer");  // no assistance on the day: no run
  }
}

TEST(Clocks, CaseloadOrdersOverdueFirstAndFiltersByCaseworker) {
  CaseClockInput other = Household();
  other.household_ref = "h2";
  other.caseworker = "cw-3";
  other.application_complete_on = D("2025-01-13");  // due 2025-01-27
  other.adults.clear();
  other.first_visit_on.reset();
  const std::vector<CaseClockInput> cases = {other, Household()};
  const auto all = Caseload(cases, DefaultProfileClocks(), D("2025-01-14"));
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].status, DueStatus::kOverdue);
  EXPECT_EQ(S(all[0].due_on), "2025-01-10");
  EXPECT_EQ(all[1].status, DueStatus::kOverdue);
  EXPECT_EQ(S(all[2].due_on), "2025-01-27");
  EXPECT_EQ(all[2].household_ref, "h2");
  EXPECT_EQ(all[2].status, DueStatus::kUpcoming);
  const auto mine = Caseload(cases, DefaultProfileClocks(), D("2025-01-14"), "cw-3");
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].clock, "decision");
}

}  // namespace
}  // namespace ix::core::clocks
