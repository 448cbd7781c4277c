// Process clocks: decision (working days), action plan, AM1 review, DUR/ASI offer; the
// caseload view. Expected dates worked out by hand against the Swedish calendar.
#include <ix/core/clocks/clocks.hpp>
#include <ix/core/personnummer.hpp>

#include <gtest/gtest.h>

namespace ix::core::clocks {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }
std::string S(const Date& d) { return FormatIsoDate(d); }

TEST(Clocks, ConsecutiveMonthsCountCalendarMonthsWithAssistance) {
  const std::vector<AssistancePeriod> gap = {{D("2024-01-10"), D("2024-03-31")},
                                             {D("2024-05-01"), std::nullopt}};
  EXPECT_EQ(ConsecutiveAssistanceMonths(gap, D("2024-07-20")), 3);  // May, June, July
  EXPECT_EQ(ConsecutiveAssistanceMonths(gap, D("2024-03-01")), 3);  // Jan–Mar
  EXPECT_EQ(ConsecutiveAssistanceMonths(gap, D("2024-04-15")), 0);  // the gap month
  const std::vector<AssistancePeriod> touching = {{D("2024-01-10"), D("2024-04-02")},
                                                  {D("2024-05-01"), std::nullopt}};
  EXPECT_EQ(ConsecutiveAssistanceMonths(touching, D("2024-07-20")), 7);  // Jan–Jul
  EXPECT_EQ(ConsecutiveAssistanceMonths({}, D("2024-07-20")), 0);
  const std::vector<AssistancePeriod> year_end = {{D("2024-11-30"), std::nullopt}};
  EXPECT_EQ(ConsecutiveAssistanceMonths(year_end, D("2025-04-01")), 6);  // Nov–Apr
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

TEST(Clocks, EveryClockOfOneHousehold) {
  const auto items = DueItems(Household(), ClockParameters{}, D("2025-01-14"));
  ASSERT_EQ(items.size(), 4u);
  // In due-date order.
  EXPECT_EQ(items[0].kind, ClockKind::kInDepthOffer);  // 6th month of Aug..Jan begins 1 Jan
  EXPECT_EQ(items[0].person_ref, "p1");
  EXPECT_EQ(S(items[0].started_on), "2024-08-01");
  EXPECT_EQ(S(items[0].due_on), "2025-01-01");
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
  EXPECT_EQ(items[0].days_overdue, 13);
  EXPECT_EQ(items[1].kind, ClockKind::kAm1Review);
  EXPECT_EQ(items[1].person_ref, "p2");
  EXPECT_EQ(S(items[1].due_on), "2025-01-10");
  EXPECT_EQ(items[1].days_overdue, 4);
  EXPECT_EQ(items[2].kind, ClockKind::kDecision);  // 10 working days over Christmas
  EXPECT_EQ(S(items[2].due_on), "2025-01-13");
  EXPECT_EQ(items[2].status, DueStatus::kOverdue);
  EXPECT_EQ(items[2].days_overdue, 1);
  EXPECT_EQ(items[3].kind, ClockKind::kActionPlan);
  EXPECT_EQ(S(items[3].due_on), "2025-02-28");  // 30 Nov + 3 months, clamped
  EXPECT_EQ(items[3].status, DueStatus::kUpcoming);
  EXPECT_NE(items[2].explanation.en.find("10 Swedish working days"), std::string::npos);
}

TEST(Clocks, DoneDueTodayAndLate) {
  CaseClockInput c = Household();
  c.decided_on = D("2025-01-15");      // two days late
  c.action_plan_on = D("2025-01-02");  // in time
  c.adults[0].in_depth_offered_on = D("2024-12-20");  // before it was due: done
  const auto items = DueItems(c, ClockParameters{}, D("2025-01-10"));
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].status, DueStatus::kDone);
  EXPECT_FALSE(items[0].done_late);
  EXPECT_EQ(items[1].status, DueStatus::kDueToday);  // AM1 review on 2025-01-10
  EXPECT_EQ(items[2].status, DueStatus::kDone);
  EXPECT_TRUE(items[2].done_late);
  EXPECT_EQ(items[2].days_overdue, 2);
  EXPECT_EQ(items[3].status, DueStatus::kDone);
}

TEST(Clocks, ParametersComeFromTheProfile) {
  ClockParameters p;
  p.decision_working_days = 5;
  p.in_depth_offer_months = 3;
  p.in_depth_offer_only_am3_or_rh = false;
  const auto items = DueItems(Household(), p, D("2024-12-02"));
  // 5 working days after 2024-12-20: 23, 27, 30 Dec, 2, 3 Jan.
  bool saw_decision = false;
  int in_depth = 0;
  for (const DueItem& i : items) {
    if (i.kind == ClockKind::kDecision) {
      saw_decision = true;
      EXPECT_EQ(S(i.due_on), "2025-01-03");
    }
    if (i.kind == ClockKind::kInDepthOffer) {
      ++in_depth;  // both adults now; third month of Aug.. began 1 Oct
      EXPECT_EQ(S(i.due_on), "2024-10-01");
    }
  }
  EXPECT_TRUE(saw_decision);
  EXPECT_EQ(in_depth, 2);
}

TEST(Clocks, Am1ReviewOnlyWhileReceivingAssistance) {
  CaseClockInput c = Household();
  c.assistance = {{D("2024-08-15"), D("2024-12-31")}};
  for (const DueItem& i : DueItems(c, ClockParameters{}, D("2025-01-14"))) {
    EXPECT_NE(i.kind, ClockKind::kAm1Review);
    EXPECT_NE(i.kind, ClockKind::kInDepthOffer);  // no assistance in January: run is 0
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
  const auto all = Caseload(cases, ClockParameters{}, D("2025-01-14"));
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].status, DueStatus::kOverdue);
  EXPECT_EQ(S(all[0].due_on), "2025-01-01");
  EXPECT_EQ(all[2].status, DueStatus::kOverdue);
  EXPECT_EQ(S(all[3].due_on), "2025-01-27");
  EXPECT_EQ(all[3].household_ref, "h2");
  const auto mine = Caseload(cases, ClockParameters{}, D("2025-01-14"), "cw-3");
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].kind, ClockKind::kDecision);
}

}  // namespace
}  // namespace ix::core::clocks
