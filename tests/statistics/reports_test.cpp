// Hand-computed cases for every report of the engine (expected values worked out by hand in
// the comments, not by running the code).
#include <ix/statistics/publication.hpp>
#include <ix/statistics/reports.hpp>

#include "test_util.hpp"

namespace ix::test {
namespace {

using stats::AmLevel;
using stats::ExitReason;
using stats::KasOutcome;
using stats::Orientation;
using stats::ReportCategory;
constexpr int W = 0, M = 1, O = 2;
int C(ReportCategory c) { return static_cast<int>(c); }

stats::Reports RunEngine(const std::vector<P>& persons, stats::ReportOptions o) {
  stats::ReportEngine engine(std::move(o));
  for (const P& p : persons) engine.Add(p.h);
  return engine.Finish();
}

TEST(Dates, DayNumbersAndMonths) {
  EXPECT_EQ(stats::DayFromDate({1970, 1, 1}), 0);
  EXPECT_EQ(stats::FormatDay(D("2024-02-29")), "2024-02-29");
  EXPECT_EQ(stats::CompletedMonths(D("2024-01-15"), D("2024-06-30")), 5);
  EXPECT_EQ(stats::CompletedMonths(D("2024-01-15"), D("2024-06-14")), 4);
  EXPECT_EQ(stats::CompletedMonths(D("2024-06-30"), D("2024-06-30")), 0);
  EXPECT_FALSE(stats::ParseDay("2023-02-29").has_value());
}

TEST(Classify, EffectiveCategories) {
  EXPECT_EQ(stats::Classify(AmLevel::kAm2, 0, false), ReportCategory::kAm2);
  EXPECT_EQ(stats::Classify(AmLevel::kNone, stats::kR2, false), ReportCategory::kRhOnly);
  EXPECT_EQ(stats::Classify(AmLevel::kAm3, stats::kR1, false), ReportCategory::kAmRhR1);
  EXPECT_EQ(stats::Classify(AmLevel::kAm3, stats::kR1 | stats::kR3, false), ReportCategory::kAmRhSeveral);
  EXPECT_EQ(stats::Classify(AmLevel::kAm1, stats::kR1, true), ReportCategory::kFurtherInvestigation);
  EXPECT_EQ(stats::Classify(AmLevel::kNone, 0, false), ReportCategory::kNotCategorised);
}

TEST(Bands, DefaultsParsingAndEdges) {
  const stats::Bands age = stats::DefaultAgeBands();
  EXPECT_EQ(age.Count(), 7);  // six bands + other/unknown
  EXPECT_EQ(age.Index(18), 0);
  EXPECT_EQ(age.Index(24), 0);
  EXPECT_EQ(age.Index(25), 1);
  EXPECT_EQ(age.Index(64), 4);
  EXPECT_EQ(age.Index(65), 5);
  EXPECT_EQ(age.Index(17), 6);
  EXPECT_EQ(age.Index(-1), 6);
  EXPECT_EQ(age.Label(0).en, "18\u201324");
  EXPECT_EQ(age.Label(5).en, "65+");
  const stats::Bands months = stats::DefaultDurationBands();
  EXPECT_EQ(months.Count(), 5);  // starts at 0: no outside band
  EXPECT_EQ(months.Index(3), 0);
  EXPECT_EQ(months.Index(4), 1);
  EXPECT_EQ(months.Index(12), 2);
  EXPECT_EQ(months.Index(13), 3);
  EXPECT_EQ(months.Index(25), 4);
  std::string error;
  EXPECT_EQ(stats::ParseBands("18,21,30", &error).lower, (std::vector<int>{18, 21, 30}));
  stats::ParseBands("18,18", &error);
  EXPECT_NE(error.find("must increase"), std::string::npos);
  stats::ParseBands("18,x", &error);
  EXPECT_NE(error.find("'x'"), std::string::npos);
}

// Snapshot on 2024-06-30. Worked by hand:
//  A woman b. 1990-03 → 34 → 30–39; period from 2024-01-15 → 5 whole months → 4–6; AM2.
//  B man b. 2003-09 → 20 → 18–24; from 2022-05-01 → 25 months → 25+; AM3+R2 then AM2+R2 → AM+RH R2.
//  C woman: period ended 2024-05-31 → not counted.
//  D man b. 1960-06 → 64 (birth month reached) → 50–64; starts that day → 0 months → 0–3; not categorised.
//  E other, birth year unknown → other/unknown; from 2023-01-01 → 17 months → 13–24; further investigation.
//  F woman b. 1999-07 → 24 → 18–24; from 2023-11-15 → 7 months → 7–12; AM3 (the AM1 is from 07-01).
TEST(Snapshot, HandComputed) {
  std::vector<P> persons;
  persons.push_back(std::move(P(kW, 1990, 3).Period("2024-01-15").Cat("2024-01-20", AmLevel::kAm2)));
  persons.push_back(std::move(P(kM, 2003, 9).Period("2022-05-01")
                                  .Cat("2022-06-01", AmLevel::kAm3, stats::kR2)
                                  .Cat("2024-02-01", AmLevel::kAm2, stats::kR2)));
  persons.push_back(std::move(P(kW, 1980, 1).Period("2024-03-01", "2024-05-31", ExitReason::kWork)
                                  .Cat("2024-03-02", AmLevel::kAm1)));
  persons.push_back(std::move(P(kM, 1960, 6).Period("2024-06-30")));
  persons.push_back(std::move(P(kO, 0, 0).Period("2023-01-01").Cat("2023-01-01", AmLevel::kNone, 0, true)));
  persons.push_back(std::move(P(kW, 1999, 7).Period("2023-11-15")
                                  .Cat("2023-12-01", AmLevel::kAm3)
                                  .Cat("2024-07-01", AmLevel::kAm1)));
  stats::ReportOptions o;
  o.at = D("2024-06-30");
  o.from = o.to = o.at;
  const stats::Reports r = RunEngine(persons, o);
  const stats::SnapshotReport& s = r.snapshot;
  int64_t total = 0;
  for (int64_t v : s.counts) total += v;
  EXPECT_EQ(total, 5);
  EXPECT_EQ(s.At(C(ReportCategory::kAm2), W, 2, 1), 1);
  EXPECT_EQ(s.At(C(ReportCategory::kAmRhR2), M, 0, 4), 1);
  EXPECT_EQ(s.At(C(ReportCategory::kNotCategorised), M, 4, 0), 1);
  EXPECT_EQ(s.At(C(ReportCategory::kFurtherInvestigation), O, 6, 3), 1);
  EXPECT_EQ(s.At(C(ReportCategory::kAm3), W, 0, 2), 1);

  // The published tables: category × sex with margins, and the linked per-sex tables.
  stats::Publication p = stats::Publish(stats::ReportKind::kSnapshot, r);
  const stats::CountTable& t = p.tables.front();
  EXPECT_EQ(t.At(C(ReportCategory::kAm2), W), 1);
  EXPECT_EQ(t.At(t.Rows(), W), 2);          // women
  EXPECT_EQ(t.At(t.Rows(), M), 2);          // men
  EXPECT_EQ(t.At(t.Rows(), t.Columns()), 4);  // women and men
  const stats::CountTable& other = p.tables[1];  // other/not recorded, on its own
  EXPECT_EQ(other.id, "snapshot.other");
  EXPECT_EQ(other.At(C(ReportCategory::kFurtherInvestigation), 0), 1);
  EXPECT_EQ(other.At(other.Rows(), 0), 1);
  // Percent of the column total: AM2 women = 1 of 2.
  EXPECT_DOUBLE_EQ(*stats::CellPercent(t, C(ReportCategory::kAm2), W), 50.0);
  EXPECT_EQ(*stats::CellDenominator(t, C(ReportCategory::kAm2), W), 2);
}

TEST(Snapshot, ConfigurableBands) {
  std::vector<P> persons;
  persons.push_back(std::move(P(kW, 2002, 1).Period("2024-01-01").Cat("2024-01-01", AmLevel::kAm1)));  // 22
  persons.push_back(std::move(P(kW, 1998, 1).Period("2024-01-01").Cat("2024-01-01", AmLevel::kAm1)));  // 26
  stats::ReportOptions o;
  o.at = o.from = o.to = D("2024-06-30");
  std::string error;
  o.age = stats::ParseBands("18,21,26", &error);  // "young adults" up to 25 in this municipality
  const stats::Reports r = RunEngine(persons, o);
  EXPECT_EQ(r.snapshot.At(C(ReportCategory::kAm1), W, 1, 1), 1);  // 21–25
  EXPECT_EQ(r.snapshot.At(C(ReportCategory::kAm1), W, 2, 1), 1);  // 26+
}

// Movements 2023-01-01 … 2023-12-31, worked by hand:
//  women: AM3→AM2, AM3→AM1, new→AM1, RH only→AM+RH R2, AM1→(exit, re-entry)→AM2
//  men:   AM3→AM3, AM2→exit work, new→exit studies, AM3→AM3 (last day 12-31 = still on it)
//  not in the table: a man whose assistance ended in 2022.
TEST(Movements, HandComputedAndAddsUp) {
  std::vector<P> persons;
  persons.push_back(std::move(P(kW).Period("2022-06-01").Cat("2022-06-01", AmLevel::kAm3).Cat("2023-06-01", AmLevel::kAm2)));
  persons.push_back(std::move(P(kW).Period("2022-06-01").Cat("2022-06-01", AmLevel::kAm3).Cat("2023-11-01", AmLevel::kAm1)));
  persons.push_back(std::move(P(kM).Period("2021-06-01").Cat("2021-06-01", AmLevel::kAm3)));
  persons.push_back(std::move(P(kM).Period("2022-01-01", "2023-06-30", ExitReason::kWork).Cat("2022-01-01", AmLevel::kAm2)));
  persons.push_back(std::move(P(kW).Period("2023-03-01").Cat("2023-03-05", AmLevel::kAm1)));
  persons.push_back(std::move(P(kM).Period("2023-02-01", "2023-08-31", ExitReason::kStudies).Cat("2023-02-01", AmLevel::kAm2)));
  persons.push_back(std::move(P(kW).Period("2020-01-01").Cat("2020-01-01", AmLevel::kNone, stats::kR2).Cat("2023-05-01", AmLevel::kAm2, stats::kR2)));
  persons.push_back(std::move(P(kM).Period("2021-01-01", "2022-05-31", ExitReason::kMoved).Cat("2021-01-01", AmLevel::kAm1)));
  persons.push_back(std::move(P(kW).Period("2022-01-01", "2023-03-31", ExitReason::kOtherBenefit)
                                  .Period("2023-09-01").Cat("2022-01-01", AmLevel::kAm1).Cat("2023-09-10", AmLevel::kAm2)));
  persons.push_back(std::move(P(kM).Period("2022-01-01", "2023-12-31", ExitReason::kWork).Cat("2022-01-01", AmLevel::kAm3)));
  stats::ReportOptions o;
  o.from = D("2023-01-01");
  o.to = o.at = D("2023-12-31");
  const stats::Reports r = RunEngine(persons, o);
  const auto& w = r.movements.counts[W];
  const auto& m = r.movements.counts[M];
  const int entrants = stats::kMovementEntrantsRow;
  EXPECT_EQ(w[C(ReportCategory::kAm3)][C(ReportCategory::kAm2)], 1);
  EXPECT_EQ(w[C(ReportCategory::kAm3)][C(ReportCategory::kAm1)], 1);
  EXPECT_EQ(w[entrants][C(ReportCategory::kAm1)], 1);
  EXPECT_EQ(w[C(ReportCategory::kRhOnly)][C(ReportCategory::kAmRhR2)], 1);
  EXPECT_EQ(w[C(ReportCategory::kAm1)][C(ReportCategory::kAm2)], 1);
  EXPECT_EQ(m[C(ReportCategory::kAm3)][C(ReportCategory::kAm3)], 2);
  EXPECT_EQ(m[C(ReportCategory::kAm2)][stats::MovementExitColumn(ExitReason::kWork)], 1);
  EXPECT_EQ(m[entrants][stats::MovementExitColumn(ExitReason::kStudies)], 1);
  int64_t women = 0, men = 0, other = 0;
  for (int i = 0; i < stats::kMovementRows; ++i) {
    for (int j = 0; j < stats::kMovementColumns; ++j) {
      women += w[static_cast<size_t>(i)][static_cast<size_t>(j)];
      men += m[static_cast<size_t>(i)][static_cast<size_t>(j)];
      other += r.movements.counts[O][static_cast<size_t>(i)][static_cast<size_t>(j)];
    }
  }
  EXPECT_EQ(women, 5);
  EXPECT_EQ(men, 4);
  EXPECT_EQ(other, 0);

  stats::Publication p = stats::Publish(stats::ReportKind::kMovements, r);
  ASSERT_EQ(p.tables.size(), 4u);  // women, men, women and men, other
  const stats::CountTable& all = p.tables[2];
  EXPECT_EQ(all.At(all.Rows(), all.Columns()), 9);
  // Row percentages with their denominators: women AM3 → AM2 is 1 of 2.
  const stats::CountTable& tw = p.tables[0];
  EXPECT_DOUBLE_EQ(*stats::CellPercent(tw, C(ReportCategory::kAm3), C(ReportCategory::kAm2)), 50.0);
  EXPECT_EQ(*stats::CellDenominator(tw, C(ReportCategory::kAm3), C(ReportCategory::kAm2)), 2);
  // Start-of-period row totals are the snapshot on `from`.
  o.at = o.from;
  const stats::Reports at_start = RunEngine(persons, o);
  for (int c = 0; c < stats::kReportCategoryCount; ++c) {
    int64_t snapshot = 0;
    for (size_t i = 0; i < at_start.snapshot.counts.size(); ++i) {
      if (static_cast<int>(i / (at_start.snapshot.counts.size() / stats::kReportCategoryCount)) == c) {
        snapshot += at_start.snapshot.counts[i];
      }
    }
    EXPECT_EQ(all.At(c, all.Columns()), snapshot) << "category " << c;
  }
}

// Shaped like the published Nynäshamn pilot table (rows AM1, AM2, AM3, RH at the start;
// columns the categories at the end and exits), but in absolute counts that must add up.
TEST(Movements, PilotShapedTableAddsUp) {
  const ReportCategory kRows[] = {ReportCategory::kAm1, ReportCategory::kAm2, ReportCategory::kAm3,
                                  ReportCategory::kRhOnly};
  // to: AM1, AM2, AM3, RH only, exit work, exit other
  const int kCounts[5][6] = {{10, 2, 0, 0, 8, 3},
                             {6, 14, 2, 1, 5, 4},
                             {3, 9, 20, 4, 2, 6},
                             {0, 1, 3, 12, 1, 3},
                             {5, 6, 4, 2, 3, 2}};  // new entrants
  auto cat_of = [](ReportCategory c, P& p, const char* day) {
    if (c == ReportCategory::kRhOnly) p.Cat(day, AmLevel::kNone, stats::kR1);
    else p.Cat(day, static_cast<AmLevel>(static_cast<int>(c) + 1));
  };
  std::vector<P> persons;
  int n = 0;
  for (int row = 0; row < 5; ++row) {
    for (int col = 0; col < 6; ++col) {
      for (int k = 0; k < kCounts[row][col]; ++k, ++n) {
        P p(n % 2 == 0 ? kW : kM);
        const char* start = row < 4 ? "2022-03-01" : "2023-04-01";
        if (col < 4) p.Period(start);
        else p.Period(start, "2023-10-15", col == 4 ? ExitReason::kWork : ExitReason::kOther);
        cat_of(row < 4 ? kRows[row] : ReportCategory::kAm2, p, start);
        if (col < 4) cat_of(kRows[col], p, "2023-07-01");
        persons.push_back(std::move(p));
      }
    }
  }
  stats::ReportOptions o;
  o.from = D("2023-01-01");
  o.to = o.at = D("2023-12-31");
  const stats::Reports r = RunEngine(persons, o);
  stats::Publication pub = stats::Publish(stats::ReportKind::kMovements, r);
  const stats::CountTable& all = pub.tables[2];  // women and men (no one of other sex here)
  const int cols[6] = {C(ReportCategory::kAm1), C(ReportCategory::kAm2), C(ReportCategory::kAm3),
                       C(ReportCategory::kRhOnly), stats::MovementExitColumn(ExitReason::kWork),
                       stats::MovementExitColumn(ExitReason::kOther)};
  int grand = 0;
  for (int row = 0; row < 5; ++row) {
    const int table_row = row < 4 ? C(kRows[row]) : stats::kMovementEntrantsRow;
    int row_total = 0;
    for (int col = 0; col < 6; ++col) {
      EXPECT_EQ(all.At(table_row, cols[col]), kCounts[row][col]) << row << "," << col;
      row_total += kCounts[row][col];
    }
    EXPECT_EQ(all.At(table_row, all.Columns()), row_total);
    grand += row_total;
  }
  for (int col = 0; col < 6; ++col) {
    int col_total = 0;
    for (int row = 0; row < 5; ++row) col_total += kCounts[row][col];
    EXPECT_EQ(all.At(all.Rows(), cols[col]), col_total);
  }
  EXPECT_EQ(grand, 141);  // 23 + 32 + 44 + 20 + 22
  EXPECT_EQ(all.At(all.Rows(), all.Columns()), 141);
  // The women's and men's tables add up to the women-and-men table, cell by cell.
  for (int i = 0; i < all.ExtRows(); ++i) {
    for (int j = 0; j < all.ExtColumns(); ++j) {
      EXPECT_EQ(pub.tables[0].At(i, j) + pub.tables[1].At(i, j), all.At(i, j));
    }
  }
  // AM3 → AM2 as a percentage of the AM3 row: 9 of 44.
  EXPECT_NEAR(*stats::CellPercent(all, C(ReportCategory::kAm3), C(ReportCategory::kAm2)), 100.0 * 9 / 44, 1e-9);
}

// KAS 2023, worked by hand:
//  woman AM1: ended 2023-05-01 unsubsidised work → (AM1, women, unsubsidised) 1
//  man: ended 03-01 studies and 10-01 completed assignment → the last one; AM2 from 09-01
//  woman RH only: ended 2022-12-31 → outside the period
//  man AM1: intervention not ended → not counted
//  woman AM2+R1: ended 2023-12-31 returned to referrer → (AM+RH R1, women, returned) 1
TEST(Kas, HandComputed) {
  std::vector<P> persons;
  persons.push_back(std::move(P(kW).Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm1)
                                  .Intervention("2023-01-10", "2023-05-01", Orientation::kWork, KasOutcome::kUnsubsidisedWork)));
  persons.push_back(std::move(P(kM).Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm3).Cat("2023-09-01", AmLevel::kAm2)
                                  .Intervention("2022-10-01", "2023-03-01", Orientation::kStudies, KasOutcome::kStudies)
                                  .Intervention("2023-04-01", "2023-10-01", Orientation::kWork, KasOutcome::kCompletedAssignment)));
  persons.push_back(std::move(P(kW).Period("2022-01-01").Cat("2022-01-01", AmLevel::kNone, stats::kR2)
                                  .Intervention("2022-03-01", "2022-12-31", Orientation::kRehabilitative, KasOutcome::kOther)));
  persons.push_back(std::move(P(kM).Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm1)
                                  .Intervention("2023-03-01", nullptr, Orientation::kWork)));
  persons.push_back(std::move(P(kW).Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm2, stats::kR1)
                                  .Intervention("2023-06-01", "2023-12-31", Orientation::kRehabilitative, KasOutcome::kReturnedToReferrer)));
  stats::ReportOptions o;
  o.from = D("2023-01-01");
  o.to = o.at = D("2023-12-31");
  const stats::Reports r = RunEngine(persons, o);
  int64_t total = 0;
  for (const auto& by_sex : r.kas.counts) for (const auto& by_outcome : by_sex) for (int64_t v : by_outcome) total += v;
  EXPECT_EQ(total, 3);
  EXPECT_EQ(r.kas.counts[C(ReportCategory::kAm1)][W][static_cast<int>(KasOutcome::kUnsubsidisedWork)], 1);
  EXPECT_EQ(r.kas.counts[C(ReportCategory::kAm2)][M][static_cast<int>(KasOutcome::kCompletedAssignment)], 1);
  EXPECT_EQ(r.kas.counts[C(ReportCategory::kAmRhR1)][W][static_cast<int>(KasOutcome::kReturnedToReferrer)], 1);
}

// Equality 2023, worked by hand: AM3 women 4 persons (1 work-oriented, 3 rehabilitative),
// AM3 men 4 persons (3 work, 1 rehabilitative): work share 25 % vs 75 % (−50 pp), rehab share
// 75 % vs 25 % (+50 pp). On 2023-12-31 the categorised women are the four AM3 and one RH only
// (RH share 1/5 = 20 %), the men four AM3 (0 %): +20 pp. Threshold 10 → three flags.
TEST(Equality, HandComputedFlags) {
  std::vector<P> persons;
  for (int i = 0; i < 4; ++i) {
    persons.push_back(std::move(P(kW).Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm3)
                                    .Intervention("2023-02-01", nullptr, i == 0 ? Orientation::kWork : Orientation::kRehabilitative)));
    persons.push_back(std::move(P(kM).Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm3)
                                    .Intervention("2023-02-01", nullptr, i == 0 ? Orientation::kRehabilitative : Orientation::kWork)));
  }
  persons.push_back(std::move(P(kW).Period("2022-01-01").Cat("2022-01-01", AmLevel::kNone, stats::kR3)));
  stats::ReportOptions o;
  o.from = D("2023-01-01");
  o.to = o.at = D("2023-12-31");
  const stats::Reports r = RunEngine(persons, o);
  const auto& am3 = r.equality.interventions[static_cast<size_t>(C(ReportCategory::kAm3))];
  EXPECT_EQ(am3[W].persons, 4);
  EXPECT_EQ(am3[W].work, 1);
  EXPECT_EQ(am3[W].rehabilitative, 3);
  EXPECT_EQ(am3[M].work, 3);
  EXPECT_EQ(r.equality.categorised[W], 5);
  EXPECT_EQ(r.equality.with_rh[W], 1);
  EXPECT_EQ(r.equality.categorised[M], 4);
  ASSERT_EQ(r.equality.flags.size(), 3u);
  EXPECT_EQ(r.equality.flags[0].measure, "work_oriented_share");
  EXPECT_EQ(r.equality.flags[0].category, C(ReportCategory::kAm3));
  EXPECT_DOUBLE_EQ(r.equality.flags[0].difference_pp, -50.0);
  EXPECT_EQ(r.equality.flags[0].women_count, 1);
  EXPECT_EQ(r.equality.flags[0].women_base, 4);
  EXPECT_EQ(r.equality.flags[1].measure, "rehabilitative_share");
  EXPECT_DOUBLE_EQ(r.equality.flags[1].difference_pp, 50.0);
  EXPECT_EQ(r.equality.flags[2].measure, "rh_share");
  EXPECT_DOUBLE_EQ(r.equality.flags[2].difference_pp, 20.0);
  // A higher threshold flags only what exceeds it.
  EXPECT_EQ(stats::EqualityFlags(r.equality, 30.0).size(), 2u);
}

// Caseload on 2024-03-31, worked by hand with the default clocks (action plan 3 months after
// the first visit, AM1 review 3 months after an AM1 categorisation, DUR/ASI offer after 6
// consecutive months for AM3/RH):
//  cw-1: AM1 since 2023-12-01 (first visit), no intervention → action plan overdue (due 03-01),
//        AM1 review overdue (due 03-01).
//  cw-1: AM2 first visit 2024-03-15, intervention 03-20 → plan done; nothing due.
//  cw-2: RH only since 2023-06-01 (first visit), intervention 2023-07-01 → plan done;
//        6 consecutive months reached in November 2023 → DUR/ASI offer overdue.
//  cw-2: AM3, first visit 2024-01-10, no intervention → action plan due 2024-04-10: due soon.
//  a person whose assistance ended is not a case.
TEST(Caseload, OpenCasesAndWhatIsDue) {
  std::vector<P> persons;
  persons.push_back(std::move(P(kW).Period("2023-12-01").Cat("2023-12-01", AmLevel::kAm1).Assign("2023-12-01", "u1", "cw-1")));
  persons.push_back(std::move(P(kM).Period("2024-03-10").Cat("2024-03-15", AmLevel::kAm2)
                                  .Intervention("2024-03-20", nullptr, Orientation::kWork).Assign("2024-03-10", "u1", "cw-1")));
  persons.push_back(std::move(P(kW).Period("2023-06-01").Cat("2023-06-01", AmLevel::kNone, stats::kR1)
                                  .Intervention("2023-07-01", nullptr, Orientation::kRehabilitative).Assign("2023-06-01", "u2", "cw-2")));
  persons.push_back(std::move(P(kM).Period("2024-01-05").Cat("2024-01-10", AmLevel::kAm3).Assign("2024-01-05", "u2", "cw-2")));
  persons.push_back(std::move(P(kM).Period("2023-01-01", "2024-01-31", ExitReason::kWork).Cat("2023-01-01", AmLevel::kAm1).Assign("2023-01-01", "u2", "cw-2")));
  stats::ReportOptions o;
  o.at = o.from = o.to = D("2024-03-31");
  const stats::Reports r = RunEngine(persons, o);
  ASSERT_EQ(r.caseload.open.size(), 2u);
  const auto& cw1 = r.caseload.open.at("cw-1");
  const auto& cw2 = r.caseload.open.at("cw-2");
  EXPECT_EQ(cw1[static_cast<size_t>(C(ReportCategory::kAm1))], 1);
  EXPECT_EQ(cw1[static_cast<size_t>(C(ReportCategory::kAm2))], 1);
  EXPECT_EQ(cw2[static_cast<size_t>(C(ReportCategory::kRhOnly))], 1);
  EXPECT_EQ(cw2[static_cast<size_t>(C(ReportCategory::kAm3))], 1);
  const stats::DueCounts& d1 = r.caseload.due.at("cw-1");
  const stats::DueCounts& d2 = r.caseload.due.at("cw-2");
  EXPECT_EQ(d1.overdue, (std::vector<int64_t>{1, 1, 0}));
  EXPECT_EQ(d1.due_soon, (std::vector<int64_t>{0, 0, 0}));
  EXPECT_EQ(d2.overdue, (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(d2.due_soon, (std::vector<int64_t>{1, 0, 0}));
  // The columns are the default profile's clocks the events can drive, in its order.
  EXPECT_EQ(r.caseload.clock_names, (std::vector<std::string>{"action_plan", "am1_review", "in_depth_offer"}));
}

TEST(Filters, UnitAndCaseworkerOnTheReportDate) {
  std::vector<P> persons;
  persons.push_back(std::move(P(kW).Period("2023-01-01").Cat("2023-01-01", AmLevel::kAm1)
                                  .Assign("2023-01-01", "u1", "cw-1").Assign("2024-02-01", "u2", "cw-9")));
  persons.push_back(std::move(P(kM).Period("2023-01-01").Cat("2023-01-01", AmLevel::kAm2).Assign("2023-01-01", "u1", "cw-2")));
  stats::ReportOptions o;
  o.at = o.from = o.to = D("2024-03-31");
  o.unit = "u1";
  stats::Reports r = RunEngine(persons, o);
  int64_t total = 0;
  for (int64_t v : r.snapshot.counts) total += v;
  EXPECT_EQ(total, 1);  // the woman moved to u2 in February
  o.unit.clear();
  o.caseworker = "cw-9";
  r = RunEngine(persons, o);
  EXPECT_EQ(r.snapshot.At(C(ReportCategory::kAm1), W, 2, 3), 1);  // b. 1985-06: 38 → 30–39; 14 months → 13–24
}

TEST(Trend, MonthEndsBySex) {
  std::vector<P> persons;
  persons.push_back(std::move(P(kW).Period("2024-01-15", "2024-03-10")));
  persons.push_back(std::move(P(kM).Period("2024-02-29")));
  stats::ReportOptions o;
  o.from = D("2024-01-01");
  o.to = o.at = D("2024-04-15");
  const stats::Reports r = RunEngine(persons, o);
  ASSERT_EQ(r.trend.month_ends.size(), 4u);  // Jan 31, Feb 29, Mar 31, Apr 15
  EXPECT_EQ(stats::FormatDay(r.trend.month_ends[1]), "2024-02-29");
  EXPECT_EQ(r.trend.counts[0][W], 1);
  EXPECT_EQ(r.trend.counts[1][W], 1);
  EXPECT_EQ(r.trend.counts[1][M], 1);
  EXPECT_EQ(r.trend.counts[2][W], 0);  // ended 03-10
  EXPECT_EQ(r.trend.counts[3][M], 1);
}

}  // namespace
}  // namespace ix::test
