// Hand-computed cases for every report of the engine (expected values worked out by hand in
// the comments, not by running the code).
#include <ix/statistics/publication.hpp>
#include <ix/statistics/reports.hpp>
#include <ix/statistics/synthetic.hpp>

#include "test_util.hpp"

#include <map>
#include <set>
#include <tuple>

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

// KAS 2023 (default scope: municipal interventions), worked by hand. Each ended intervention
// counts once, in the category of its START day; age on the start day; whole months in it.
//  woman b. 1985-06, AM3 from 2022: work_training 2023-02-01..2023-08-15, unsubsidised work; a
//    follow-up on 2023-08-15 ends it and recategorises her AM1 the same day → AM3 (not AM1),
//    age 37 (30–39), 6 months (6–11). Then sfi 2023-09-01..2023-12-31, other → AM1, age 38,
//    3 months (3–5).
//  man b. 1990-01, AM2, AM3+R2 from 2023-03-01: cbt_consultant 2023-03-01..2023-05-31, returned
//    to referrer → AM + RH R2 (the categorisation of the start day holds), age 33, 2 months
//    (0–2); psychiatry_contact (region) ended 2023-06-30 → outside the scope; work_placement
//    from 2023-06-01 not ended → not counted.
//  woman b. 2003-11, first categorised 2023-01-10: studies 2022-11-01..2023-04-30 → not
//    categorised at start, age 19 (18–24), 5 months (3–5).
//  woman: work_training ended 2022-12-31 → outside the period; job_search (Arbetsförmedlingen)
//    ended 2023-05-01 → outside the scope.
const stats::CountTable& TableById(const stats::Publication& p, const std::string& id) {
  for (const auto& t : p.tables) {
    if (t.id == id) return t;
  }
  ADD_FAILURE() << "no table " << id;
  return p.tables.front();
}

// Every published sum holds: each link's parts add up to its total.
void ExpectLinksHold(const stats::Publication& p) {
  ASSERT_FALSE(p.links.empty());
  for (const stats::SumLink& link : p.links) {
    int64_t sum = 0;
    for (const stats::CellRef& part : link.parts) sum += p.tables[static_cast<size_t>(part.table)].At(part.row, part.column);
    EXPECT_EQ(sum, p.tables[static_cast<size_t>(link.total.table)].At(link.total.row, link.total.column))
        << p.tables[static_cast<size_t>(link.total.table)].id;
  }
}

std::vector<P> KasCase() {
  std::vector<P> persons;
  persons.push_back(std::move(P(kW, 1985, 6).Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm3).Cat("2023-08-15", AmLevel::kAm1)
                                  .Intervention("2023-02-01", "2023-08-15", Orientation::kWork, KasOutcome::kUnsubsidisedWork, "work_training")
                                  .Intervention("2023-09-01", "2023-12-31", Orientation::kStudies, KasOutcome::kOther, "sfi")));
  persons.push_back(std::move(P(kM, 1990, 1).Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm2).Cat("2023-03-01", AmLevel::kAm3, stats::kR2)
                                  .Intervention("2023-03-01", "2023-05-31", Orientation::kRehabilitative, KasOutcome::kReturnedToReferrer, "cbt_consultant")
                                  .Intervention("2023-04-01", "2023-06-30", Orientation::kRehabilitative, KasOutcome::kOther, "psychiatry_contact", "region")
                                  .Intervention("2023-06-01", nullptr, Orientation::kWork, KasOutcome::kUnspecified, "work_placement")));
  persons.push_back(std::move(P(kW, 2003, 11).Period("2022-10-01").Cat("2023-01-10", AmLevel::kAm2)
                                  .Intervention("2022-11-01", "2023-04-30", Orientation::kStudies, KasOutcome::kStudies, "studies")));
  persons.push_back(std::move(P(kW).Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm1)
                                  .Intervention("2022-06-01", "2022-12-31", Orientation::kWork, KasOutcome::kUnsubsidisedWork)
                                  .Intervention("2023-01-01", "2023-05-01", Orientation::kWork, KasOutcome::kSubsidisedWork, "job_search", "arbetsformedlingen")));
  return persons;
}

stats::ReportOptions Kas2023() {
  stats::ReportOptions o;
  o.from = D("2023-01-01");
  o.to = o.at = D("2023-12-31");
  return o;
}

TEST(Kas, NeedAtStartByKindSexAgeAndTime) {
  const stats::Reports r = RunEngine(KasCase(), Kas2023());
  const stats::KasReport& kas = r.kas;
  std::map<std::tuple<std::string, int, int, int, int, int>, int64_t> cells;
  kas.ForEach([&](const std::string& kind, int c, int s, int a, int t, int o, int64_t n) { cells[{kind, c, s, a, t, o}] += n; });
  const int age_18 = 0, age_30 = 2, months_0 = 0, months_3 = 1, months_6 = 2;
  const std::map<std::tuple<std::string, int, int, int, int, int>, int64_t> expected = {
      {{"work_training", C(ReportCategory::kAm3), W, age_30, months_6, static_cast<int>(KasOutcome::kUnsubsidisedWork)}, 1},
      {{"sfi", C(ReportCategory::kAm1), W, age_30, months_3, static_cast<int>(KasOutcome::kOther)}, 1},
      {{"cbt_consultant", C(ReportCategory::kAmRhR2), M, age_30, months_0, static_cast<int>(KasOutcome::kReturnedToReferrer)}, 1},
      {{"studies", C(ReportCategory::kNotCategorised), W, age_18, months_3, static_cast<int>(KasOutcome::kStudies)}, 1},
  };
  EXPECT_EQ(cells, expected);
  EXPECT_EQ(kas.out_of_scope, 2);
}

TEST(Kas, ScopeIsConfigurable) {
  stats::ReportOptions all = Kas2023();
  all.kas_actors.clear();  // every actor
  int64_t total = 0;
  std::set<std::string> kinds;
  RunEngine(KasCase(), all).kas.ForEach([&](const std::string& kind, int, int, int, int, int, int64_t n) {
    total += n;
    kinds.insert(kind);
  });
  EXPECT_EQ(total, 6);
  EXPECT_EQ(kinds, (std::set<std::string>{"cbt_consultant", "job_search", "psychiatry_contact", "sfi", "studies", "work_training"}));

  stats::ReportOptions sfi = Kas2023();
  sfi.kas_kinds = {"sfi"};
  const stats::Reports r = RunEngine(KasCase(), sfi);
  ASSERT_EQ(r.kas.by_kind.size(), 1u);
  EXPECT_EQ(r.kas.by_kind.begin()->first, "sfi");
  EXPECT_EQ(r.kas.out_of_scope, 5);
}

// A store with very many distinct kind codes cannot grow the report without bound.
TEST(Kas, DistinctKindsAreBounded) {
  P person(kW);
  person.Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm2);
  for (int k = 0; k < 300; ++k) {
    person.Intervention("2023-01-01", "2023-02-01", Orientation::kWork, KasOutcome::kOther, "kind" + std::to_string(k));
  }
  const stats::Reports r = RunEngine({person}, Kas2023());
  EXPECT_EQ(r.kas.by_kind.size(), stats::kMaxKasKinds);
  int64_t total = 0, other = 0;
  r.kas.ForEach([&](const std::string& kind, int, int, int, int, int, int64_t n) {
    total += n;
    if (kind == stats::kKasOtherKinds) other += n;
  });
  EXPECT_EQ(total, 300);
  EXPECT_EQ(other, 300 - static_cast<int64_t>(stats::kMaxKasKinds - 1));
}

TEST(Kas, PublishedTablesAddUp) {
  const stats::Reports r = RunEngine(KasCase(), Kas2023());
  stats::Publication p = stats::Publish(stats::ReportKind::kKas, r);
  auto table = [&](const std::string& id) -> const stats::CountTable& { return TableById(p, id); };
  const int unsubsidised = static_cast<int>(KasOutcome::kUnsubsidisedWork);
  const int studies = static_cast<int>(KasOutcome::kStudies);
  const int other = static_cast<int>(KasOutcome::kOther);
  // Category rows: the categories that occur — AM1, AM3, AM + RH R2, not categorised.
  const stats::CountTable& women = table("kas.women");
  ASSERT_EQ(women.Rows(), 4);
  EXPECT_EQ(women.row_labels[2].en, "AM + RH R2 (mental)");
  const int am1 = 0, am3 = 1, am_rh_r2 = 2;
  EXPECT_EQ(women.At(am3, unsubsidised), 1);
  EXPECT_EQ(women.At(am1, unsubsidised), 0);  // the end-day category is not counted
  EXPECT_EQ(women.At(am1, other), 1);
  EXPECT_EQ(women.At(women.Rows(), women.Columns()), 3);
  EXPECT_EQ(table("kas.men").At(am_rh_r2, stats::kKasOutcomeCount), 1);
  EXPECT_EQ(table("kas.women_and_men").At(women.Rows(), women.Columns()), 4);
  // Kinds in code order: cbt_consultant, sfi, studies, work_training.
  const stats::CountTable& kinds = table("kas.kind.women");
  ASSERT_EQ(kinds.Rows(), 4);
  EXPECT_EQ(kinds.row_labels[3].en, "work_training");
  EXPECT_EQ(kinds.At(0, stats::kKasOutcomeCount), 0);
  EXPECT_EQ(kinds.At(1, other), 1);
  EXPECT_EQ(kinds.At(2, studies), 1);
  EXPECT_EQ(kinds.At(3, unsubsidised), 1);
  // The export rows: kind × category at start, as present.
  const std::vector<stats::KasExportRow> rows = stats::KasExportRows(r.kas);
  const std::vector<stats::KasExportRow> expected_rows = {{"cbt_consultant", C(ReportCategory::kAmRhR2)},
                                                          {"sfi", C(ReportCategory::kAm1)},
                                                          {"studies", C(ReportCategory::kNotCategorised)},
                                                          {"work_training", C(ReportCategory::kAm3)}};
  EXPECT_EQ(rows, expected_rows);
  const stats::CountTable& pairs = table("kas.kind_category.women");
  ASSERT_EQ(pairs.Rows(), 4);
  EXPECT_EQ(pairs.row_labels[3].en, "work_training / AM3");
  EXPECT_EQ(pairs.At(3, unsubsidised), 1);
  EXPECT_EQ(pairs.At(0, stats::kKasOutcomeCount), 0);
  const stats::CountTable& time = table("kas.time.women");
  EXPECT_EQ(time.At(1, stats::kKasOutcomeCount), 2);  // 3–5 months: studies and sfi
  EXPECT_EQ(time.At(2, unsubsidised), 1);             // 6–11 months
  const stats::CountTable& age = table("kas.age.women");
  EXPECT_EQ(age.At(0, studies), 1);
  EXPECT_EQ(age.At(2, stats::kKasOutcomeCount), 2);
  ExpectLinksHold(p);
}

// Outcomes by intervention 2023 (every actor; self-support within 6 months), worked by hand:
//  woman AM2, period to 2023-09-30 exit work: work_training 2023-01-15..2023-04-14, unsubsidised
//    work, 2 months (0–2); the exit is within 6 months of the end → self-support.
//  man AM3, period to 2024-03-31 exit work: psychiatry_contact (region) 2023-01-01..2023-06-30,
//    other, 5 months (3–5); the exit is 9 months after the end → not within 6 (but within 12).
//  woman AM1, period to 2023-12-20 exit moved: work_training 2023-02-01..2023-08-15, subsidised
//    work, 6 months (6–11) → moving is not self-support.
//  man AM3, period to 2023-03-10 exit studies: work_training 2022-11-01..2023-03-10, studies,
//    4 months (3–5) → self-support.
std::vector<P> OutcomesCase() {
  std::vector<P> persons;
  persons.push_back(std::move(P(kW).Period("2022-01-01", "2023-09-30", ExitReason::kWork).Cat("2022-01-01", AmLevel::kAm2)
                                  .Intervention("2023-01-15", "2023-04-14", Orientation::kWork, KasOutcome::kUnsubsidisedWork)));
  persons.push_back(std::move(P(kM).Period("2022-01-01", "2024-03-31", ExitReason::kWork).Cat("2022-01-01", AmLevel::kAm3)
                                  .Intervention("2023-01-01", "2023-06-30", Orientation::kRehabilitative, KasOutcome::kOther, "psychiatry_contact", "region")));
  persons.push_back(std::move(P(kW).Period("2022-01-01", "2023-12-20", ExitReason::kMoved).Cat("2022-01-01", AmLevel::kAm1)
                                  .Intervention("2023-02-01", "2023-08-15", Orientation::kWork, KasOutcome::kSubsidisedWork)));
  persons.push_back(std::move(P(kM).Period("2022-01-01", "2023-03-10", ExitReason::kStudies).Cat("2022-01-01", AmLevel::kAm3)
                                  .Intervention("2022-11-01", "2023-03-10", Orientation::kWork, KasOutcome::kStudies)));
  return persons;
}

TEST(Outcomes, ByKindCategoryAndSex) {
  const stats::Reports r = RunEngine(OutcomesCase(), Kas2023());
  const stats::OutcomesReport& out = r.outcomes;
  std::map<std::tuple<std::string, int, int, int, int, int>, int64_t> cells;
  for (const auto& [key, counts] : out.cells) {
    for (int s = 0; s < stats::kSexGroupCount; ++s)
      for (int y = 0; y < stats::kSelfSupportColumns; ++y)
        for (int t = 0; t < out.times; ++t)
          for (int o = 0; o < stats::kKasOutcomeCount; ++o)
            if (const int64_t n = counts[out.Index(s, y, t, o)]) cells[{key.first, key.second, s, y, t, o}] = n;
  }
  const int yes = 0, no = 1;
  const std::map<std::tuple<std::string, int, int, int, int, int>, int64_t> expected = {
      {{"work_training", C(ReportCategory::kAm2), W, yes, 0, static_cast<int>(KasOutcome::kUnsubsidisedWork)}, 1},
      {{"psychiatry_contact", C(ReportCategory::kAm3), M, no, 1, static_cast<int>(KasOutcome::kOther)}, 1},
      {{"work_training", C(ReportCategory::kAm1), W, no, 2, static_cast<int>(KasOutcome::kSubsidisedWork)}, 1},
      {{"work_training", C(ReportCategory::kAm3), M, yes, 1, static_cast<int>(KasOutcome::kStudies)}, 1},
  };
  EXPECT_EQ(cells, expected);

  stats::ReportOptions twelve = Kas2023();
  twelve.self_support_months = 12;
  const stats::Reports longer = RunEngine(OutcomesCase(), twelve);
  const auto& psychiatry = longer.outcomes.cells.at({"psychiatry_contact", C(ReportCategory::kAm3)});
  EXPECT_EQ(psychiatry[longer.outcomes.Index(M, yes, 1, static_cast<int>(KasOutcome::kOther))], 1);

  stats::Publication p = stats::Publish(stats::ReportKind::kOutcomes, r);
  auto table = [&](const std::string& id) -> const stats::CountTable& { return TableById(p, id); };
  // Rows in (kind, category) order: psychiatry_contact/AM3, work_training/AM1, /AM2, /AM3.
  const stats::CountTable& women = table("outcomes.self_support.women");
  ASSERT_EQ(women.Rows(), 4);
  EXPECT_EQ(women.row_labels[2].en, "work_training / AM2");
  EXPECT_EQ(women.At(2, yes), 1);
  EXPECT_EQ(women.At(1, no), 1);
  EXPECT_EQ(women.At(women.Rows(), yes), 1);
  EXPECT_EQ(women.At(women.Rows(), women.Columns()), 2);
  EXPECT_EQ(table("outcomes.self_support.women_and_men").At(4, yes), 2);
  EXPECT_EQ(table("outcomes.kas.men").At(0, static_cast<int>(KasOutcome::kOther)), 1);
  EXPECT_EQ(table("outcomes.time.men").At(4, 1), 2);  // both men 3–5 months
  ExpectLinksHold(p);
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

// The sliced read (two connections, one engine each) merges partial passes: for the reports
// that are sums over persons, any split of the persons merges into exactly the one pass.
TEST(Merge, PassesOverDisjointPersonsAddUpToOnePass) {
  std::vector<P> persons = KasCase();
  persons.push_back(std::move(P(kW).Period("2023-01-15", "2023-03-10")));
  persons.push_back(std::move(P(kM, 1970, 3).Period("2022-02-28").Cat("2022-03-01", AmLevel::kAm2, stats::kR1)
                                  .Intervention("2023-02-01", "2023-06-01", Orientation::kRehabilitative, KasOutcome::kOther, "sfi")));
  stats::ReportOptions o = Kas2023();
  o.reports = 0;
  for (const stats::ReportKind k : {stats::ReportKind::kSnapshot, stats::ReportKind::kMovements, stats::ReportKind::kKas,
                                    stats::ReportKind::kOutcomes, stats::ReportKind::kEquality, stats::ReportKind::kTrend}) {
    o.reports |= 1u << static_cast<int>(k);
  }
  ASSERT_TRUE(stats::ReportEngine::Mergeable(o));
  const stats::Reports one = RunEngine(persons, o);
  for (size_t split = 0; split <= persons.size(); ++split) {
    stats::ReportEngine a(o), b(o);
    for (size_t i = 0; i < persons.size(); ++i) (i < split ? b : a).Add(persons[(i * 5) % persons.size()].h);
    ASSERT_TRUE(a.Merge(b));
    const stats::Reports merged = a.Finish();
    EXPECT_EQ(merged.persons_seen, one.persons_seen);
    EXPECT_EQ(merged.snapshot.counts, one.snapshot.counts);
    EXPECT_EQ(merged.movements.counts, one.movements.counts);
    EXPECT_EQ(merged.kas.by_kind, one.kas.by_kind) << "split " << split;
    EXPECT_EQ(merged.kas.out_of_scope, one.kas.out_of_scope);
    for (size_t c = 0; c < one.equality.interventions.size(); ++c) {
      for (size_t x = 0; x < one.equality.interventions[c].size(); ++x) {
        const auto& e = merged.equality.interventions[c][x];
        const auto& f = one.equality.interventions[c][x];
        EXPECT_EQ(std::tie(e.persons, e.work, e.rehabilitative), std::tie(f.persons, f.work, f.rehabilitative));
      }
    }
    EXPECT_EQ(merged.equality.categorised, one.equality.categorised);
    EXPECT_EQ(merged.equality.with_rh, one.equality.with_rh);
    EXPECT_EQ(merged.equality.flags.size(), one.equality.flags.size());
    EXPECT_EQ(merged.trend.counts, one.trend.counts);
    EXPECT_EQ(merged.outcomes.cells, one.outcomes.cells) << "split " << split;
    EXPECT_EQ(merged.outcomes.targets, one.outcomes.targets);
  }
  int64_t kas_total = 0, trend_total = 0;
  one.kas.ForEach([&](const std::string&, int, int, int, int, int, int64_t n) { kas_total += n; });
  for (const auto& month : one.trend.counts) trend_total += month[W] + month[M];
  EXPECT_EQ(kas_total, 5) << "the comparison is not of empty reports";
  EXPECT_GT(trend_total, 10);
  EXPECT_GT(one.equality.interventions[C(ReportCategory::kAmRhR1)][M].persons, 0);
  EXPECT_GE(one.outcomes.cells.size(), 2u) << "the outcomes compared are not empty";

  EXPECT_TRUE(stats::ReportEngine::Mergeable(stats::ReportOptions{})) << "every report is a sum over persons";
  o.reports = 0;
  EXPECT_FALSE(stats::ReportEngine::Mergeable(o)) << "no report asked for";
}

// The caseload, lead times and indicators keep per-caseworker, per-unit and day-histogram
// counts: merged from passes over disjoint synthetic persons (split three ways, in another
// order), every published cell of every report equals one pass's.
TEST(Merge, EveryReportOfSyntheticPersonsMergesToOnePass) {
  stats::SyntheticParams params;
  params.persons = 500;
  params.years = 3;
  params.seed = 5;
  params.first_day = stats::DayFromDate({2021, 1, 1});
  std::vector<stats::PersonHistory> persons;
  stats::GenerateSynthetic(params, [&](const stats::SyntheticPerson& p) { persons.push_back(stats::HistoryOf(p)); });
  stats::ReportOptions o;
  o.from = stats::DayFromDate({2022, 1, 1});
  o.to = stats::DayFromDate({2023, 6, 30});
  o.at = o.to;
  ASSERT_TRUE(stats::ReportEngine::Mergeable(o));
  stats::ReportEngine whole(o), parts[3] = {stats::ReportEngine(o), stats::ReportEngine(o), stats::ReportEngine(o)};
  for (size_t i = 0; i < persons.size(); ++i) {
    whole.Add(persons[i]);
    parts[(i * 7) % 3].Add(persons[persons.size() - 1 - i]);
  }
  ASSERT_TRUE(parts[1].Merge(parts[2]));
  ASSERT_TRUE(parts[0].Merge(parts[1]));
  const stats::Reports one = whole.Finish(), merged = parts[0].Finish();
  for (const stats::ReportKind kind : stats::kAllReportKinds) {
    const stats::Publication a = stats::Publish(kind, merged), b = stats::Publish(kind, one);
    ASSERT_EQ(a.tables.size(), b.tables.size()) << stats::ReportKindName(kind);
    int64_t counted = 0;
    for (size_t t = 0; t < a.tables.size(); ++t) {
      EXPECT_EQ(a.tables[t].cells, b.tables[t].cells) << a.tables[t].id;
      for (const int64_t n : b.tables[t].cells) counted += n > 0 ? 1 : 0;
    }
    EXPECT_GT(counted, 0) << stats::ReportKindName(kind) << ": the comparison is not of empty reports";
  }
}

// Which kinds one pass counts under kKasOtherKinds depends on the order it meets them: a merge
// that could differ from it (more kinds than the bound between the two parts) is refused, and
// the caller reads in one pass.
TEST(Merge, RefusedWhenKasKindsCouldOverflow) {
  auto person = [](int first_kind, int kinds) {
    P p(kW);
    p.Period("2022-01-01").Cat("2022-01-01", AmLevel::kAm2);
    for (int k = first_kind; k < first_kind + kinds; ++k) {
      p.Intervention("2023-01-01", "2023-02-01", Orientation::kWork, KasOutcome::kOther, "kind" + std::to_string(k));
    }
    return p;
  };
  stats::ReportOptions o = Kas2023();
  o.reports = 1u << static_cast<int>(stats::ReportKind::kKas);
  stats::ReportEngine a(o), b(o);
  a.Add(person(0, 200).h);  // each part alone within the bound, together 300 kinds
  b.Add(person(100, 200).h);
  EXPECT_FALSE(a.Merge(b));
  stats::ReportEngine c(o), d(o);
  c.Add(person(0, 200).h);
  d.Add(person(0, 255).h);  // together 255 kinds: one pass would have kept each
  EXPECT_TRUE(c.Merge(d));
  EXPECT_EQ(c.Finish().kas.by_kind.size(), stats::kMaxKasKinds - 1);

  // Outcomes count (kind, category at start) under the same bound, per category: (256 − 1) × 10
  // keys (every kind here starts in AM2, one key each).
  o.reports = 1u << static_cast<int>(stats::ReportKind::kOutcomes);
  const int keys = static_cast<int>(stats::kMaxKasKinds - 1) * stats::kReportCategoryCount;
  stats::ReportEngine e(o), f(o);
  e.Add(person(0, 1400).h);
  f.Add(person(1300, 1400).h);  // together 2 700 keys, more than one pass keeps apart
  EXPECT_FALSE(e.Merge(f));
  stats::ReportEngine g(o), h(o), one(o);
  g.Add(person(0, 1400).h);
  h.Add(person(0, keys).h);  // together exactly as many as one pass keeps apart
  EXPECT_TRUE(g.Merge(h));
  one.Add(person(0, 1400).h);
  one.Add(person(0, keys).h);
  const stats::Reports merged = g.Finish(), whole = one.Finish();
  EXPECT_EQ(merged.outcomes.cells, whole.outcomes.cells);
  EXPECT_EQ(merged.outcomes.cells.size(), static_cast<size_t>(keys));
}

}  // namespace
}  // namespace ix::test
