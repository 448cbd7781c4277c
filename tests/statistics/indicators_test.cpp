// Indicators: hand-computed shares of first visits assessed, decisions and plans in time (the
// profile's clocks, Swedish working days), recategorisation soon after the first assessment,
// steps on the AM scale, parts 1–2 completed, self-assessment and disagreement per unit, and the
// change in each AM rating (old events without those facts left out).
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

// The newer events' facts on a person's last categorisation: completed parts as a bit mask
// (bit p − 1 for part p), who assessed (stats::ViewBits), the six ratings as decimal digits.
P& Facts(P& p, int parts, int views, int ratings) {
  stats::CategorisationRecord& c = p.h.categorisations.back();
  c.parts = static_cast<int8_t>(parts);
  c.views = static_cast<int8_t>(views);
  c.ratings = ratings;
  return p;
}
constexpr int kBoth = stats::kCaseworkerAssessed | stats::kClientAssessed;

// Worked by hand, 2023 (ratings: education, Swedish, work experience, health, motivation, job
// seeking; lower is closer to work, 0 not rated):
// E (woman, unit u1): first assessment 02-01, parts 1–2 (met), both assessed and agree, ratings
//   3 3 3 2 2 2; again 06-01, caseworker only, ratings 3 2 3 3 1 0: Swedish and motivation
//   closer, health further, education and work experience unchanged, job seeking not rated.
// F (man, unit u2): first assessment 03-01, part 1 only (not met), both assessed and differ,
//   ratings 2 2 2 2 2 2 (nothing earlier to compare with).
// G (man, unit u1): 04-01 from an older event (nothing recorded: left out of the parts share,
//   the views and the ratings); 05-01 both assessed and differ, ratings 1 1 1 1 1 1 (the
//   previous assessment has none, so no change is counted).
// H (woman, no unit): first assessment in 2022 (parts not counted), ratings 1 1 1 1 1 1; on
//   2023-02-10 an older event without facts, and on 2023-03-10 ratings 2 1 1 1 1 1 against
//   2022's: education further, the rest unchanged.
std::vector<P> FactsCase() {
  P e(kW), f(kM), g(kM), h(kW);
  e.Assign("2023-01-15", "u1", "cw1");
  Facts(e.Cat("2023-02-01", AmLevel::kAm3), 0b0011, kBoth, 333222);
  Facts(e.Cat("2023-06-01", AmLevel::kAm2), 0b1111, stats::kCaseworkerAssessed, 323310);
  f.Assign("2023-03-01", "u2", "cw2");
  Facts(f.Cat("2023-03-01", AmLevel::kAm2), 0b0001, kBoth | stats::kViewsDiffer, 222222);
  g.Assign("2023-04-01", "u1", "cw3");
  g.Cat("2023-04-01", AmLevel::kAm3);
  Facts(g.Cat("2023-05-01", AmLevel::kAm2), 0b1111, kBoth | stats::kViewsDiffer, 111111);
  Facts(h.Cat("2022-06-01", AmLevel::kAm1), 0b0011, stats::kCaseworkerAssessed, 111111);
  h.Cat("2023-02-10", AmLevel::kAm1);
  Facts(h.Cat("2023-03-10", AmLevel::kAm1), 0b1111, -1, 211111);
  return {e, f, g, h};
}

using Units = std::array<int64_t, 4>;  // with self-assessment, without, agree, differ

TEST(Indicators, PartsViewsAndRatingsHandComputed) {
  const stats::Reports r = Compute(FactsCase(), Year2023());
  const auto w = stats::SexGroup::kWomen, m = stats::SexGroup::kMen;
  EXPECT_EQ(Of(r, w, Indicator::kPartsCompleted), (Pair{1, 0}));  // E; H's first is in 2022
  EXPECT_EQ(Of(r, m, Indicator::kPartsCompleted), (Pair{0, 1}));  // F; G's first not recorded
  const auto& rec = r.indicators.recorded;
  const auto parts = static_cast<size_t>(stats::RecordedFact::kFormParts);
  const auto views = static_cast<size_t>(stats::RecordedFact::kViews);
  const auto ratings = static_cast<size_t>(stats::RecordedFact::kAmRatings);
  EXPECT_EQ(rec[0][parts], (Pair{1, 0}));
  EXPECT_EQ(rec[1][parts], (Pair{1, 1}));
  EXPECT_EQ(rec[0][views], (Pair{2, 2}));  // E twice; H's 02-10 and 03-10 not
  EXPECT_EQ(rec[1][views], (Pair{2, 1}));  // F, G 05-01; G 04-01 not
  EXPECT_EQ(rec[0][ratings], (Pair{3, 1}));
  EXPECT_EQ(rec[1][ratings], (Pair{2, 1}));

  const auto& by_unit = r.indicators.views_by_unit;
  ASSERT_EQ(by_unit.size(), 2u);  // H's assessments record no views: no "(no unit)" row
  EXPECT_EQ(by_unit.at("u1")[0], (Units{1, 1, 1, 0}));
  EXPECT_EQ(by_unit.at("u1")[1], (Units{1, 0, 0, 1}));
  EXPECT_EQ(by_unit.at("u2")[0], (Units{0, 0, 0, 0}));
  EXPECT_EQ(by_unit.at("u2")[1], (Units{1, 0, 0, 1}));

  const auto& women = r.indicators.rating_steps[0];
  EXPECT_EQ(women[0], (Steps{0, 1, 1}));  // education: E unchanged, H further
  EXPECT_EQ(women[1], (Steps{1, 1, 0}));  // Swedish: E closer, H unchanged
  EXPECT_EQ(women[2], (Steps{0, 2, 0}));  // work experience
  EXPECT_EQ(women[3], (Steps{0, 1, 1}));  // health: E further
  EXPECT_EQ(women[4], (Steps{1, 1, 0}));  // motivation: E closer
  EXPECT_EQ(women[5], (Steps{0, 1, 0}));  // job seeking: E not rated, H unchanged
  for (const Steps& s : r.indicators.rating_steps[1]) EXPECT_EQ(s, (Steps{0, 0, 0}));
}

TEST(Indicators, OldEventsWithoutFactsDoNotMoveTheShares) {
  // The same persons with every fact removed from G and H (as if their events were all old):
  // the shares of E and F stay as they were; only the not-recorded counts grow.
  std::vector<P> persons = FactsCase();
  for (size_t i = 2; i < 4; ++i) {
    for (stats::CategorisationRecord& c : persons[i].h.categorisations) {
      c.parts = -1;
      c.views = -1;
      c.ratings = -1;
    }
  }
  const stats::Reports r = Compute(persons, Year2023());
  EXPECT_EQ(Of(r, stats::SexGroup::kWomen, Indicator::kPartsCompleted), (Pair{1, 0}));
  EXPECT_EQ(Of(r, stats::SexGroup::kMen, Indicator::kPartsCompleted), (Pair{0, 1}));
  EXPECT_EQ(r.indicators.views_by_unit.at("u1")[1], (Units{0, 0, 0, 0}));
  EXPECT_EQ(r.indicators.recorded[1][static_cast<size_t>(stats::RecordedFact::kViews)], (Pair{1, 2}));
  EXPECT_EQ(r.indicators.rating_steps[0][0], (Steps{0, 1, 0}));  // E only
}

TEST(Indicators, PublishedPerUnitAndPerRating) {
  stats::Publication p = stats::Publish(stats::ReportKind::kIndicators, Compute(FactsCase(), Year2023()));
  stats::Protect(p, /*internal=*/true, 5);
  auto find = [&](const std::string& id) -> const stats::CountTable* {
    for (const stats::CountTable& t : p.tables) {
      if (t.id == id) return &t;
    }
    return nullptr;
  };
  const stats::CountTable* coverage = find("indicators.self_assessment.women_and_men");
  ASSERT_NE(coverage, nullptr);
  ASSERT_EQ(coverage->Rows(), 2);
  EXPECT_EQ(coverage->row_labels[0].en, "u1");
  EXPECT_EQ(coverage->At(0, 0), 2);  // E 02-01, G 05-01
  EXPECT_EQ(coverage->At(0, 1), 1);  // E 06-01
  EXPECT_NEAR(stats::CellPercent(*coverage, 0, 0).value_or(-1), 200.0 / 3, 1e-9);
  const stats::CountTable* disagreement = find("indicators.disagreement.men");
  ASSERT_NE(disagreement, nullptr);
  EXPECT_EQ(disagreement->At(1, 1), 1);  // F in u2
  EXPECT_DOUBLE_EQ(stats::CellPercent(*disagreement, 1, 1).value_or(-1), 100.0);
  const stats::CountTable* ratings = find("indicators.ratings.women");
  ASSERT_NE(ratings, nullptr);
  EXPECT_EQ(ratings->Rows(), 6);
  EXPECT_EQ(ratings->At(3, 2), 1);  // health further
  const stats::CountTable* parts = find("indicators.women");
  ASSERT_NE(parts, nullptr);
  EXPECT_EQ(parts->At(static_cast<int>(Indicator::kPartsCompleted), 0), 1);
}

}  // namespace
}  // namespace ix::test
