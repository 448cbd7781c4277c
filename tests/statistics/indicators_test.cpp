// Indicators: hand-computed shares of first visits assessed, decisions and plans in time (the
// profile's clocks, Swedish working days), recategorisation soon after the first assessment, and
// steps on the AM scale.
#include "test_util.hpp"

#include <ix/statistics/publication.hpp>
#include <ix/statistics/reports.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace ix::test {
namespace {

using stats::AmLevel;
using stats::Indicator;
using stats::Milestone;
using Pair = std::array<int64_t, 2>;    // met, not met
using Steps = std::array<int64_t, 3>;   // closer, unchanged, further

stats::Reports Compute(const std::vector<P>& persons, stats::ReportOptions o) {
  stats::ReportEngine engine(std::move(o));
  for (const P& p : persons) engine.Add(p.h);
  return engine.Finish();
}

stats::ReportOptions Year2023() {
  stats::ReportOptions o;
  o.from = D("2023-01-01");
  o.to = o.at = D("2023-12-31");
  return o;
}

// Worked by hand with the default profile's clocks (decision: 10 working days after the complete
// application; plan: 3 months after the first visit) and the defaults 30 days / 6 months:
// A (woman): first visit and AM3 on 2023-02-01 (assessed); application Mon 02-06, decision due
//   Mon 02-20 (10 working days) and made that day (in time); plan 04-15 before 05-01 (in time);
//   AM2 on 05-01: recategorised within 6 months (until 08-01), and one step closer to work.
// B (man): first visit Wed 03-01, first categorisation AM1 on 04-15, 45 days later (not
//   assessed); application 03-01, decision due Wed 03-15, made 03-16 (late); no plan by 06-01
//   (late); AM1 again on 06-01 (not recategorised by 10-15; an unchanged step).
// C (woman): first visit and RH only on 11-20 (assessed); plan due 2024-02-20, outside the
//   period (not counted); application Fri 12-01, decision due Fri 12-15, none (late); her first
//   categorisation's six months end in 2024 (not counted); no AM level, so no AM step.
// D (man): AM2 on 2022-10-01, AM2 + RH R2 on 2022-12-01 (another category within 6 months,
//   until 2023-04-01: recategorised), AM3 on 2023-03-01 (a step further from work, from AM2;
//   the 2022 step is outside the period).
std::vector<P> Case() {
  P a(kW);
  a.Cat("2023-02-01", AmLevel::kAm3).Cat("2023-05-01", AmLevel::kAm2)
      .Milestone("2023-02-01", Milestone::kFirstVisit).Milestone("2023-02-06", Milestone::kCompleteApplication)
      .Milestone("2023-02-20", Milestone::kDecision).Milestone("2023-04-15", Milestone::kPlan);
  P b(kM);
  b.Cat("2023-04-15", AmLevel::kAm1).Cat("2023-06-01", AmLevel::kAm1)
      .Milestone("2023-03-01", Milestone::kFirstVisit).Milestone("2023-03-01", Milestone::kCompleteApplication)
      .Milestone("2023-03-16", Milestone::kDecision);
  P c(kW);
  c.Cat("2023-11-20", AmLevel::kNone, stats::kR2)
      .Milestone("2023-11-20", Milestone::kFirstVisit).Milestone("2023-12-01", Milestone::kCompleteApplication);
  P d(kM);
  d.Cat("2022-10-01", AmLevel::kAm2).Cat("2022-12-01", AmLevel::kAm2, stats::kR2).Cat("2023-03-01", AmLevel::kAm3);
  return {a, b, c, d};
}

const Pair& Of(const stats::Reports& r, stats::SexGroup sex, Indicator i) {
  return r.indicators.counts[static_cast<size_t>(sex)][static_cast<size_t>(i)];
}

TEST(Indicators, HandComputed) {
  const stats::Reports r = Compute(Case(), Year2023());
  const auto w = stats::SexGroup::kWomen, m = stats::SexGroup::kMen;
  EXPECT_EQ(Of(r, w, Indicator::kFirstVisitAssessed), (Pair{2, 0}));
  EXPECT_EQ(Of(r, m, Indicator::kFirstVisitAssessed), (Pair{0, 1}));
  EXPECT_EQ(Of(r, w, Indicator::kDecisionInTime), (Pair{1, 1}));
  EXPECT_EQ(Of(r, m, Indicator::kDecisionInTime), (Pair{0, 1}));
  EXPECT_EQ(Of(r, w, Indicator::kPlanInTime), (Pair{1, 0}));
  EXPECT_EQ(Of(r, m, Indicator::kPlanInTime), (Pair{0, 1}));
  EXPECT_EQ(Of(r, w, Indicator::kRecategorised), (Pair{1, 0}));
  EXPECT_EQ(Of(r, m, Indicator::kRecategorised), (Pair{1, 1}));
  const auto& steps = r.indicators.am_steps;
  EXPECT_EQ(steps[0][2], (Steps{1, 0, 0}));  // A: AM3 → AM2
  EXPECT_EQ(steps[0][0], (Steps{0, 0, 0}));
  EXPECT_EQ(steps[1][0], (Steps{0, 1, 0}));  // B: AM1 → AM1
  EXPECT_EQ(steps[1][1], (Steps{0, 0, 1}));  // D: AM2 → AM3 (AM2 + RH R2 carries AM2)
}

TEST(Indicators, ParametersAndTheProfilesClocks) {
  stats::ReportOptions o = Year2023();
  o.assessed_within_days = 45;  // B's categorisation 45 days after the visit now counts
  // One month: A until 03-01 and C until 12-20 — no change by then; D until 2022-11-01, outside.
  o.recategorisation_months = 1;
  // A profile without a decision clock: that indicator is not counted.
  std::erase_if(o.clocks, [](const stats::clocks::ClockDefinition& c) { return c.done == stats::clocks::DoneEvent::kDecided; });
  const stats::Reports r = Compute(Case(), o);
  const auto w = stats::SexGroup::kWomen, m = stats::SexGroup::kMen;
  EXPECT_EQ(Of(r, m, Indicator::kFirstVisitAssessed), (Pair{1, 0}));
  EXPECT_EQ(Of(r, w, Indicator::kDecisionInTime), (Pair{0, 0}));
  EXPECT_EQ(Of(r, m, Indicator::kDecisionInTime), (Pair{0, 0}));
  EXPECT_EQ(Of(r, w, Indicator::kRecategorised), (Pair{0, 2}));
  EXPECT_EQ(Of(r, m, Indicator::kRecategorised), (Pair{0, 1}));  // B: 05-15, AM1 unchanged
}

TEST(Indicators, PublishedSharesBySex) {
  stats::Publication p = stats::Publish(stats::ReportKind::kIndicators, Compute(Case(), Year2023()));
  stats::Protect(p, /*internal=*/true, 5);
  const stats::CountTable* women = nullptr;
  for (const stats::CountTable& t : p.tables) {
    if (t.id == "indicators.women") women = &t;
  }
  ASSERT_NE(women, nullptr);
  const int decision = static_cast<int>(Indicator::kDecisionInTime);
  EXPECT_EQ(women->At(decision, 0), 1);
  EXPECT_EQ(women->At(decision, women->Columns()), 2);
  EXPECT_DOUBLE_EQ(stats::CellPercent(*women, decision, 0).value_or(-1), 50.0);
}

}  // namespace
}  // namespace ix::test
