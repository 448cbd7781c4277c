// Targets per need group: the default profile's data, and the outcomes report's outcome against
// target by sex, hand-computed.
#include "test_util.hpp"

#include <ix/statistics/publication.hpp>
#include <ix/statistics/reports.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace ix::test {
namespace {

using stats::AmLevel;
using stats::KasOutcome;
using stats::Orientation;
using Pair = std::array<int64_t, 2>;  // work or studies, other outcome

TEST(Targets, TheDefaultProfileHoldsTheSourcesExample) {
  EXPECT_EQ(stats::DefaultOutcomeTargets(), (std::array<int, 3>{80, 60, 40}));
  EXPECT_EQ(stats::ReportOptions().outcome_targets, (std::array<int, 3>{80, 60, 40}));
}

// Worked by hand (interventions ended in 2023, category on the start day):
// W1, AM1: ended in unsubsidised work — reached. W2, AM1: ended "other" — not reached.
// M1, AM2: studies — reached. M2, AM3 at the start, recategorised AM1 on the end day:
// subsidised work, counted in AM3 — reached. M3, RH only: no target group. W3, AM2: not ended.
std::vector<P> Case() {
  std::vector<P> persons;
  auto add = [&](core::Sex sex, AmLevel am, uint8_t r, const char* end, KasOutcome outcome) -> P& {
    P& p = persons.emplace_back(sex);
    p.Period("2022-06-01").Cat("2023-01-01", am, r).Intervention("2023-02-01", end, Orientation::kWork, outcome);
    return p;
  };
  add(kW, AmLevel::kAm1, 0, "2023-05-31", KasOutcome::kUnsubsidisedWork);
  add(kW, AmLevel::kAm1, 0, "2023-06-30", KasOutcome::kOther);
  add(kM, AmLevel::kAm2, 0, "2023-06-30", KasOutcome::kStudies);
  add(kM, AmLevel::kAm3, 0, "2023-06-30", KasOutcome::kSubsidisedWork).Cat("2023-06-30", AmLevel::kAm1);
  add(kM, AmLevel::kNone, stats::kR1, "2023-06-30", KasOutcome::kUnsubsidisedWork);
  add(kW, AmLevel::kAm2, 0, nullptr, KasOutcome::kUnspecified);
  return persons;
}

TEST(Targets, OutcomeAgainstTargetBySex) {
  stats::ReportOptions o;
  o.from = D("2023-01-01");
  o.to = o.at = D("2023-12-31");
  stats::ReportEngine engine(o);
  for (const P& p : Case()) engine.Add(p.h);
  const stats::Reports r = engine.Finish();
  const auto& t = r.outcomes.targets;
  EXPECT_EQ(t[0][0], (Pair{1, 1}));  // women AM1
  EXPECT_EQ(t[0][1], (Pair{0, 0}));  // women AM2: not ended
  EXPECT_EQ(t[1][1], (Pair{1, 0}));  // men AM2
  EXPECT_EQ(t[1][2], (Pair{1, 0}));  // men AM3 (the start day's category)
  EXPECT_EQ(t[1][0], (Pair{0, 0}));

  stats::Publication p = stats::Publish(stats::ReportKind::kOutcomes, r);
  stats::Protect(p, /*internal=*/true, 5);
  const stats::CountTable* women = nullptr;
  for (const stats::CountTable& table : p.tables) {
    if (table.id == "outcomes.targets.women") women = &table;
  }
  ASSERT_NE(women, nullptr);
  EXPECT_EQ(women->row_labels[0].en, "AM1 (target 80 %)");
  EXPECT_EQ(women->row_labels[2].sv, "AM3 (mål 40 %)");
  EXPECT_DOUBLE_EQ(stats::CellPercent(*women, 0, 0).value_or(-1), 50.0);
  // The target rows are sums of the KAS-outcome rows: published links, so suppression holds.
  stats::Protect(p, /*internal=*/false, 5);
  EXPECT_TRUE(stats::RecoverableCells(p.tables, p.links, 5).empty());
  // A count of 1: hidden, as "<5" or (where the "<5" bounds alone would pin its line) as "..".
  EXPECT_NE(women->StatusAt(0, 0), stats::CellStatus::kShown);

  o.outcome_targets = {90, -1, 10};
  stats::ReportEngine other(o);
  for (const P& person : Case()) other.Add(person.h);
  stats::Publication q = stats::Publish(stats::ReportKind::kOutcomes, other.Finish());
  for (const stats::CountTable& table : q.tables) {
    if (table.id == "outcomes.targets.men") {
      EXPECT_EQ(table.row_labels[1].en, "AM2 (no target)");
    }
  }
}

}  // namespace
}  // namespace ix::test
