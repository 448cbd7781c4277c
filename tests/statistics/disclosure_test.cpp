// Disclosure control under attack: every test tries to recover hidden cells from what a
// published table shows (its other cells and its totals), with attackers written
// independently of the suppression code — brute-force enumeration of every table consistent
// with the published numbers and the bounds a reader knows ("<5" is 1..4, ".." is >= 0), and
// (for whole reports) elimination plus interval propagation (interval_attacker.hpp).
#include <ix/statistics/disclosure.hpp>
#include <ix/statistics/publication.hpp>
#include <ix/statistics/synthetic.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include "interval_attacker.hpp"
#include "test_util.hpp"

namespace ix::test {
namespace {
namespace stats = ix::statistics;
using stats::CellStatus;

stats::CountTable Table(const std::vector<std::vector<int64_t>>& inner) {
  stats::CountTable t;
  t.id = "t";
  t.row_labels.resize(inner.size());
  t.column_labels.resize(inner.front().size());
  t.Allocate();
  for (size_t r = 0; r < inner.size(); ++r) {
    for (size_t c = 0; c < inner[r].size(); ++c) t.At(static_cast<int>(r), static_cast<int>(c)) = inner[r][c];
  }
  t.ComputeTotals();
  return t;
}

// The attacker: enumerates every assignment of the hidden inner cells of one table (primary
// cells 1..threshold−1, others 0..the smallest shown total they are part of), derives the
// totals, keeps the assignments that agree with every shown total (and put hidden primary
// totals in 1..threshold−1), and returns the values each hidden cell can take. Cells are
// assigned row by row; a row or column whose partial sum passes its shown total is cut short,
// and a row is checked against its total as soon as its last hidden cell is set.
std::map<size_t, std::set<int64_t>> Feasible(const stats::CountTable& t, int threshold) {
  const int R = t.Rows(), C = t.Columns();
  std::vector<size_t> hidden_inner;
  for (int r = 0; r < R; ++r) {
    for (int c = 0; c < C; ++c) {
      if (t.StatusAt(r, c) != CellStatus::kShown) hidden_inner.push_back(t.Index(r, c));
    }
  }
  auto shown_or = [&](int r, int c, int64_t fallback) {
    return t.StatusAt(r, c) == CellStatus::kShown ? t.At(r, c) : fallback;
  };
  const int64_t grand = shown_or(R, C, 1000);
  std::vector<int64_t> upper;
  std::vector<bool> last_in_row;
  for (size_t k = 0; k < hidden_inner.size(); ++k) {
    const size_t i = hidden_inner[k];
    const int r = static_cast<int>(i) / t.ExtColumns(), c = static_cast<int>(i) % t.ExtColumns();
    upper.push_back(std::min({shown_or(r, C, grand), shown_or(R, c, grand), grand}));
    last_in_row.push_back(k + 1 == hidden_inner.size() ||
                          static_cast<int>(hidden_inner[k + 1]) / t.ExtColumns() != r);
  }
  std::vector<int64_t> cells = t.cells;
  std::map<size_t, std::set<int64_t>> values;
  auto line_fits = [&](size_t total_index, int64_t sum) {
    if (t.status[total_index] == CellStatus::kShown) return sum == t.cells[total_index];
    if (t.status[total_index] == CellStatus::kPrimary) return sum >= 1 && sum < threshold;
    return true;
  };
  auto line_sum = [&](int r0, int c0, int dr, int dc, int n) {
    int64_t sum = 0;
    for (int k = 0; k < n; ++k) sum += cells[t.Index(r0 + k * dr, c0 + k * dc)];
    return sum;
  };
  auto check_and_record = [&] {
    for (int r = 0; r < R; ++r) cells[t.Index(r, C)] = line_sum(r, 0, 0, 1, C);
    for (int c = 0; c <= C; ++c) cells[t.Index(R, c)] = line_sum(0, c, 1, 0, R);
    for (size_t i = 0; i < cells.size(); ++i) {
      if (t.status[i] == CellStatus::kShown && cells[i] != t.cells[i]) return;
      if (t.status[i] == CellStatus::kPrimary && (cells[i] < 1 || cells[i] >= threshold)) return;
    }
    for (size_t i = 0; i < cells.size(); ++i) {
      if (t.status[i] != CellStatus::kShown) values[i].insert(cells[i]);
    }
  };
  std::function<void(size_t)> go = [&](size_t k) {
    if (k == hidden_inner.size()) return check_and_record();
    const size_t i = hidden_inner[k];
    const int r = static_cast<int>(i) / t.ExtColumns(), c = static_cast<int>(i) % t.ExtColumns();
    const bool primary = t.status[i] == CellStatus::kPrimary;
    for (int64_t v = primary ? 1 : 0; v <= (primary ? threshold - 1 : upper[k]); ++v) {
      cells[i] = v;
      // Cells not yet assigned still hold the published value or an earlier guess: count only
      // the ones before this cell in its row and column.
      int64_t row_so_far = 0, column_so_far = 0;
      for (int cc = 0; cc <= c; ++cc) row_so_far += cells[t.Index(r, cc)];
      for (int rr = 0; rr <= r; ++rr) column_so_far += cells[t.Index(rr, c)];
      if (t.StatusAt(r, C) == CellStatus::kShown && row_so_far > t.At(r, C)) break;
      if (t.StatusAt(R, c) == CellStatus::kShown && column_so_far > t.At(R, c)) break;
      if (last_in_row[k] && !line_fits(t.Index(r, C), line_sum(r, 0, 0, 1, C))) continue;
      go(k + 1);
    }
    cells[i] = t.cells[i];
  };
  go(0);
  return values;
}

stats::Publication AsPublication(const std::vector<stats::CountTable>& tables) {
  stats::Publication p;
  p.tables = tables;
  return p;
}

void ExpectNoHiddenCellRecoverable(const stats::CountTable& t, int threshold) {
  const auto values = Feasible(t, threshold);
  for (const auto& [cell, possible] : values) {
    EXPECT_GE(possible.size(), 2u) << "cell " << cell << " (row " << cell / static_cast<size_t>(t.ExtColumns())
                                   << ", column " << cell % static_cast<size_t>(t.ExtColumns())
                                   << ") can only be " << *possible.begin();
    EXPECT_TRUE(possible.count(t.cells[cell]) == 1) << "the true value must stay feasible";
  }
}

TEST(Disclosure, PrimaryOnlyIsBrokenByTheMargins) {
  // 2 is hidden as <5, but row 0 total 9 minus the shown 7 gives it back.
  std::vector<stats::CountTable> tables{Table({{2, 7}, {6, 8}})};
  tables[0].status.assign(tables[0].cells.size(), CellStatus::kShown);
  tables[0].status[tables[0].Index(0, 0)] = CellStatus::kPrimary;
  const auto exposed = stats::RecoverableCells(tables, {}, 5);
  ASSERT_EQ(exposed.size(), 1u);
  EXPECT_EQ(exposed[0], (stats::CellRef{0, 0, 0}));
  const auto values = Feasible(tables[0], 5);
  EXPECT_EQ(values.at(tables[0].Index(0, 0)), (std::set<int64_t>{2}));  // the brute force agrees
}

TEST(Disclosure, SecondarySuppressionProtectsA2x2) {
  std::vector<stats::CountTable> tables{Table({{2, 7}, {6, 8}})};
  stats::Suppress(tables, {}, 5);
  const stats::CountTable& t = tables[0];
  EXPECT_EQ(t.StatusAt(0, 0), CellStatus::kPrimary);
  // Every row and column holding a hidden cell holds at least two.
  int hidden = 0;
  for (CellStatus s : t.status) hidden += s != CellStatus::kShown;
  EXPECT_GE(hidden, 4);
  EXPECT_TRUE(stats::RecoverableCells(tables, {}, 5).empty());
  ExpectNoHiddenCellRecoverable(t, 5);
}

TEST(Disclosure, SmallRowTotalIsItselfSuppressed) {
  // Row 1 holds 1 and 0: its total (1) is a count of one person too.
  std::vector<stats::CountTable> tables{Table({{6, 7, 5}, {1, 0, 0}, {9, 3, 8}})};
  stats::Suppress(tables, {}, 5);
  const stats::CountTable& t = tables[0];
  EXPECT_EQ(t.StatusAt(1, 0), CellStatus::kPrimary);
  EXPECT_EQ(t.StatusAt(1, 3), CellStatus::kPrimary);
  EXPECT_EQ(t.StatusAt(2, 1), CellStatus::kPrimary);
  ExpectNoHiddenCellRecoverable(t, 5);
}

TEST(Disclosure, BoundsAttackOnTwoPrimaryCellsAtTheirMaximum) {
  // Two hidden cells in a row known to be 1..4 each, summing to 8: both must be 4.
  std::vector<stats::CountTable> tables{Table({{4, 4, 9}, {7, 6, 5}})};
  tables[0].status.assign(tables[0].cells.size(), CellStatus::kShown);
  tables[0].status[tables[0].Index(0, 0)] = CellStatus::kPrimary;
  tables[0].status[tables[0].Index(0, 1)] = CellStatus::kPrimary;
  tables[0].status[tables[0].Index(0, 2)] = CellStatus::kShown;
  // The columns still give them away linearly here; hide the column partners as well so only
  // the bounds attack is left.
  tables[0].status[tables[0].Index(1, 0)] = CellStatus::kSecondary;
  tables[0].status[tables[0].Index(1, 1)] = CellStatus::kSecondary;
  // Both are 4, and the shown column totals (11, 10) then give their partners (7, 6) back.
  const auto exposed = stats::RecoverableCells(tables, {}, 5);
  EXPECT_EQ(exposed.size(), 4u);
  for (const auto& [cell, possible] : Feasible(tables[0], 5)) EXPECT_EQ(possible.size(), 1u) << cell;
  stats::Suppress(tables, {}, 5);
  EXPECT_TRUE(stats::RecoverableCells(tables, {}, 5).empty());
  ExpectNoHiddenCellRecoverable(tables[0], 5);
}

TEST(Disclosure, ThresholdIsConfigurable) {
  std::vector<stats::CountTable> tables{Table({{8, 20}, {30, 40}})};
  stats::Suppress(tables, {}, 5);
  EXPECT_EQ(tables[0].StatusAt(0, 0), CellStatus::kShown);
  stats::Suppress(tables, {}, 10);
  EXPECT_EQ(tables[0].StatusAt(0, 0), CellStatus::kPrimary);
  ExpectNoHiddenCellRecoverable(tables[0], 10);
}

// Many random small tables: after suppression the brute-force attacker never pins a cell.
TEST(Disclosure, RandomTablesWithstandBruteForce) {
  uint64_t x = 12345;
  auto next = [&] { x = x * 6364136223846793005ULL + 1442695040888963407ULL; return x >> 33; };
  for (int round = 0; round < 60; ++round) {
    std::vector<std::vector<int64_t>> inner(3, std::vector<int64_t>(3));
    for (auto& row : inner) for (auto& v : row) v = static_cast<int64_t>(next() % 9);
    std::vector<stats::CountTable> tables{Table(inner)};
    stats::Suppress(tables, {}, 4);
    int hidden = 0;
    for (int r = 0; r < 3; ++r) for (int c = 0; c < 3; ++c) hidden += tables[0].StatusAt(r, c) != CellStatus::kShown;
    if (hidden > 6) continue;  // brute force would take too long; the algebraic check still holds
    EXPECT_TRUE(stats::RecoverableCells(tables, {}, 4).empty()) << "round " << round;
    ExpectNoHiddenCellRecoverable(tables[0], 4);
  }
}

// The bounds alone pin cells no elimination finds: row 0's hidden cells (two "<5" and one
// "..") must add up to 11 − 9 = 2, so they are 1, 1 and 0, and the columns then give row 1's
// hidden cells back too. The equations have two degrees of freedom, so no cell follows
// linearly.
TEST(Disclosure, IntervalAttackPinsALineWithLittleSlack) {
  std::vector<stats::CountTable> tables{Table({{1, 1, 0, 9}, {6, 7, 8, 5}})};
  stats::CountTable& t = tables[0];
  t.status.assign(t.cells.size(), CellStatus::kShown);
  t.status[t.Index(0, 0)] = t.status[t.Index(0, 1)] = CellStatus::kPrimary;
  for (int c = 0; c < 3; ++c) {
    if (c == 2) t.status[t.Index(0, c)] = CellStatus::kSecondary;
    t.status[t.Index(1, c)] = CellStatus::kSecondary;
  }
  const auto values = Feasible(t, 5);
  ASSERT_EQ(values.size(), 6u);
  for (const auto& [cell, possible] : values) {
    EXPECT_EQ(possible, (std::set<int64_t>{t.cells[cell]})) << "the brute force pins cell " << cell;
  }
  EXPECT_EQ(stats::RecoverableCells(tables, {}, 5).size(), 6u);
  Attacker attacker(5);
  attacker.AddMunicipality({"m", {AsPublication(tables)}});
  EXPECT_EQ(attacker.Attack().size(), 6u);
  // Suppression from scratch hides enough for neither attacker to pin anything.
  stats::Suppress(tables, {}, 5);
  EXPECT_TRUE(stats::RecoverableCells(tables, {}, 5).empty());
  ExpectNoHiddenCellRecoverable(tables[0], 5);
}

// Sparse tables, as small municipalities' are: many zeros, many small counts, totals close
// to the hidden cells' bounds. Every table whose hidden cells are few enough to enumerate is
// attacked by brute force; the interval attacker takes all of them.
TEST(Disclosure, SparseRandomTablesWithstandBruteForceAndIntervals) {
  uint64_t x = 777;
  auto next = [&] { x = x * 6364136223846793005ULL + 1442695040888963407ULL; return x >> 33; };
  int enumerated = 0, enumerated_after_inner_release = 0;
  for (int round = 0; round < 150; ++round) {
    std::vector<std::vector<int64_t>> inner(3, std::vector<int64_t>(4));
    for (auto& row : inner) {
      for (auto& v : row) {
        const uint64_t k = next() % 10;
        v = k < 4 ? 0 : k < 7 ? static_cast<int64_t>(1 + next() % 3) : static_cast<int64_t>(5 + next() % 6);
      }
    }
    std::vector<stats::CountTable> tables{Table(inner)};
    stats::SuppressionStats st;
    stats::Suppress(tables, {}, 5, &st);
    EXPECT_TRUE(stats::RecoverableCells(tables, {}, 5).empty()) << "round " << round;
    Attacker attacker(5);
    attacker.AddMunicipality({"m", {AsPublication(tables)}});
    for (const auto& pin : attacker.Attack()) ADD_FAILURE() << "round " << round << ": " << pin.cell << " is pinned to " << pin.value;
    // Brute force only where the assignments to try are few enough (each hidden cell ranges up
    // to the smallest shown total of its lines).
    double assignments = 1;
    const stats::CountTable& t = tables[0];
    for (int r = 0; r < 3; ++r) {
      for (int c = 0; c < 4; ++c) {
        if (t.StatusAt(r, c) == CellStatus::kShown) continue;
        int64_t range = t.StatusAt(r, c) == CellStatus::kPrimary ? 4 : 1000;
        if (t.StatusAt(r, 4) == CellStatus::kShown) range = std::min(range, t.At(r, 4) + 1);
        if (t.StatusAt(3, c) == CellStatus::kShown) range = std::min(range, t.At(3, c) + 1);
        assignments *= static_cast<double>(range);
      }
    }
    if (assignments > 2e6) continue;
    ++enumerated;
    enumerated_after_inner_release += st.released_inner > 0;
    ExpectNoHiddenCellRecoverable(tables[0], 5);
  }
  EXPECT_GE(enumerated, 50);
  // The release pass shows inner cells the greedy rounds hid; the brute force must have
  // checked such tables too.
  EXPECT_GE(enumerated_after_inner_release, 5);
}

// Linked tables: women + men + other = all, cell by cell. A woman cell hidden in the women's
// table must not come back as all − men − other.
TEST(Disclosure, LinkedSexSplitCannotBeSubtracted) {
  std::vector<stats::CountTable> tables{Table({{2, 10}, {12, 15}}), Table({{9, 11}, {14, 20}}),
                                        Table({{0, 0}, {0, 0}}), Table({{11, 21}, {26, 35}})};
  std::vector<stats::SumLink> links;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) links.push_back({{{0, r, c}, {1, r, c}, {2, r, c}}, {3, r, c}});
  }
  // Suppressing each table on its own is not enough:
  std::vector<stats::CountTable> separately = tables;
  for (auto& t : separately) {
    std::vector<stats::CountTable> one{t};
    stats::Suppress(one, {}, 5);
    t = one[0];
  }
  EXPECT_FALSE(stats::RecoverableCells(separately, links, 5).empty());
  // Suppressing them together is.
  stats::Suppress(tables, links, 5);
  EXPECT_TRUE(stats::RecoverableCells(tables, links, 5).empty());
  // The women's "<5" cell is in the link 2 + 9 + 0 = 11: the men's or the all-persons cell
  // had to go too (a hidden zero adds no slack).
  EXPECT_TRUE(tables[1].StatusAt(0, 0) != CellStatus::kShown || tables[3].StatusAt(0, 0) != CellStatus::kShown);
}

// A count of 1–4 is shown as ".." instead of "<5" when its "<5" would let the bounds pin a
// hidden cell and nothing is left to hide (docs/statistics.md, "Cell labels"), one at a time:
// each ".." is followed by a re-check before the next. Here
// (women 0 0 / 2 0 / 0 0, men 0 0 / 2 0 / 0 3, linked to women and men) secondary suppression
// hides everything around the men's first row, and the bounds still pin its two zeros to 0.
// One ".." frees both: the men's column total of 2; the men's column total of 3 stays "<5".
// The two zeros used to be answered in the same round, each with a ".." of its own, before
// the re-check could see that the first had freed the second (the example report's men's KAS
// outcome table had 39 such "..": GeneratedOutcomesReportShowsItsTotals).
TEST(Disclosure, CountsOfOneToFourShownAsDotsOneAtATime) {
  std::vector<stats::CountTable> tables{Table({{0, 0}, {2, 0}, {0, 0}}), Table({{0, 0}, {2, 0}, {0, 3}}),
                                        Table({{0, 0}, {4, 0}, {0, 3}})};
  tables[0].id = "women", tables[1].id = "men", tables[2].id = "women_and_men";
  std::vector<stats::SumLink> links;
  for (int r = 0; r < tables[0].ExtRows(); ++r) {
    for (int c = 0; c < tables[0].ExtColumns(); ++c) links.push_back({{{0, r, c}, {1, r, c}}, {2, r, c}});
  }
  stats::Suppress(tables, links, 5);
  std::vector<std::string> named;
  for (int t = 0; t < 3; ++t) {
    const stats::CountTable& table = tables[static_cast<size_t>(t)];
    for (int r = 0; r < table.ExtRows(); ++r) {
      for (int c = 0; c < table.ExtColumns(); ++c) {
        if (table.At(r, c) < 1 || table.At(r, c) > 4) continue;
        EXPECT_NE(table.StatusAt(r, c), CellStatus::kShown) << table.id << " row " << r << " column " << c;
        if (table.StatusAt(r, c) != CellStatus::kSecondary) continue;
        named.push_back(table.id + " row " + std::to_string(r) + " column " + std::to_string(c));
      }
    }
  }
  EXPECT_EQ(named, std::vector<std::string>{"men row 3 column 0"});
  EXPECT_EQ(tables[1].StatusAt(3, 1), CellStatus::kPrimary) << "the men's column total of 3";
  EXPECT_TRUE(stats::RecoverableCells(tables, links, 5).empty());
  stats::Publication p = AsPublication(tables);
  p.links = links;
  Attacker attacker(5);
  attacker.AddMunicipality({"m", {p}});
  for (const auto& pin : attacker.Attack()) ADD_FAILURE() << pin.cell << " is pinned to " << pin.value;
}

// A whole published report on generated data: no exposed cell, and the JSON-facing helpers
// never show a hidden count or a percentage computed from one.
TEST(Disclosure, GeneratedMovementsReportIsProtected) {
  const stats::Reports r = GeneratedYear(400, 99, 2022, 2, 2023);
  for (stats::ReportKind kind : stats::kAllReportKinds) {
    stats::Publication p = stats::Publish(kind, r);
    stats::Protect(p, false, 5);
    for (const stats::CellRef& cell : stats::RecoverableCells(p.tables, p.links, 5)) {
      const stats::CountTable& t = p.tables[static_cast<size_t>(cell.table)];
      ADD_FAILURE() << stats::ReportKindName(kind) << ": " << t.id << " row " << cell.row << " column " << cell.column
                    << " can be recovered (" << t.At(cell.row, cell.column) << ")";
    }
    // Elimination and interval propagation over every table and link of the report pin nothing.
    Attacker attacker(5);
    attacker.AddMunicipality({"m", {p}});
    for (const auto& pin : attacker.Attack()) {
      ADD_FAILURE() << stats::ReportKindName(kind) << ": " << pin.cell << " is pinned to " << pin.value
                    << (pin.linear ? " (by elimination)" : " (by interval propagation)");
    }
    int primary = 0;
    for (const auto& t : p.tables) {
      if (t.measure) continue;  // days, not counts: checked below against their basis
      for (int row = 0; row < t.ExtRows(); ++row) {
        for (int col = 0; col < t.ExtColumns(); ++col) {
          const int64_t v = t.At(row, col);
          if (v >= 1 && v <= 4) {
            // Hidden: "<5", or ".." where the "<5" bounds alone would pin a line (a "<5" total
            // over four parts that are each at least 1).
            EXPECT_NE(t.StatusAt(row, col), CellStatus::kShown);
            const std::string text = stats::CellText(p, t, row, col);
            EXPECT_TRUE(text == "<5" || text == "..") << text;
            primary += t.StatusAt(row, col) == CellStatus::kPrimary;
          }
          if (t.StatusAt(row, col) != CellStatus::kShown) {
            EXPECT_FALSE(stats::CellPercent(t, row, col).has_value());
          }
        }
      }
    }
    if (kind == stats::ReportKind::kMovements) {
      EXPECT_GT(primary, 0);
    }
    // A measure (a median) is shown only when its basis count is, and at least the threshold.
    for (const auto& t : p.tables) {
      if (!t.measure) continue;
      for (size_t i = 0; i < t.cells.size(); ++i) {
        const stats::CellRef& b = t.basis[i];
        const stats::CountTable& base = p.tables[static_cast<size_t>(b.table)];
        if (t.status[i] == CellStatus::kShown) {
          EXPECT_EQ(base.StatusAt(b.row, b.column), CellStatus::kShown) << t.id;
          EXPECT_GE(base.At(b.row, b.column), std::max<int64_t>(5, t.min_basis[i])) << t.id;
        }
      }
    }
    // Internal reports opt out explicitly: everything shown (a measure with no value has none).
    stats::Protect(p, true, 5);
    for (const auto& t : p.tables) {
      for (size_t i = 0; i < t.status.size(); ++i) {
        const bool has_value = !t.measure || p.tables[static_cast<size_t>(t.basis[i].table)].At(t.basis[i].row, t.basis[i].column) > 0;
        EXPECT_EQ(t.status[i], has_value ? CellStatus::kShown : CellStatus::kSecondary) << t.id;
      }
    }
  }
}


// A mid-sized municipality's published outcomes report (the example report's data: 1 200
// persons over four years, the last year reported): about a hundred intervention kind /
// category rows of a few participants each, so most inner cells are "<5". Suppression used to
// hide every total of the outcome families, the grand totals included — a published report
// that answers nothing. The grand totals of women and men pin no hidden cell here (they are
// sums over many cells), so they must be shown, and a third of the totals of at least 5 (a
// "<5" total stays hidden); the attackers still pin nothing.
TEST(Disclosure, GeneratedOutcomesReportShowsItsTotals) {
  const stats::Reports r = GeneratedYear(1200, 25, 2020, 4, 2023);
  stats::Publication p = stats::Publish(stats::ReportKind::kOutcomes, r);
  stats::Protect(p, false, 5);
  EXPECT_TRUE(stats::RecoverableCells(p.tables, p.links, 5).empty());
  Attacker attacker(5);
  attacker.AddMunicipality({"m", {p}});
  for (const auto& pin : attacker.Attack()) {
    ADD_FAILURE() << pin.cell << " is pinned to " << pin.value << (pin.linear ? " (by elimination)" : " (by interval propagation)");
  }
  int totals = 0, shown_totals = 0, grand_totals = 0;
  for (const auto& t : p.tables) {
    const int R = t.Rows(), C = t.Columns();
    for (int row = 0; row < t.ExtRows(); ++row) {
      for (int col = 0; col < t.ExtColumns(); ++col) {
        if (row < R && col < C) continue;
        if (t.At(row, col) < 5) continue;  // a "<5" total stays hidden
        ++totals;
        shown_totals += t.StatusAt(row, col) == CellStatus::kShown;
      }
    }
    if (t.id.ends_with(".women_and_men")) {
      ++grand_totals;
      EXPECT_GT(t.At(R, C), 100) << t.id;
      EXPECT_EQ(t.StatusAt(R, C), CellStatus::kShown) << t.id << " grand total " << t.At(R, C);
    }
  }
  EXPECT_EQ(grand_totals, 4);
  EXPECT_GE(shown_totals * 3, totals) << shown_totals << " of " << totals << " totals of at least 5 shown";
  // Most counts of 1–4 read "<5". The men's KAS outcome table, almost entirely hidden during
  // the rounds, showed 62 of its 218 as ".." when every pinned hidden zero of a round took a
  // ".." of its own (CountsOfOneToFourShownAsDotsOneAtATime); 24 since.
  int small = 0, dots = 0;
  for (const auto& t : p.tables) {
    if (t.id != "outcomes.kas.men") continue;
    for (size_t i = 0; i < t.cells.size(); ++i) {
      if (t.cells[i] < 1 || t.cells[i] > 4) continue;
      ++small;
      dots += t.status[i] == CellStatus::kSecondary;
    }
  }
  EXPECT_GT(small, 100);
  EXPECT_LT(dots * 5, small) << dots << " of the men's " << small << " KAS outcome counts of 1–4 shown as \"..\"";
}

// What disclosure control costs the example municipality (1 200 generated adults over four
// years, 2023 reported — the data of scripts/example-report.sh): for every table of every
// report, how many cells are shown, hidden as "<5" (primary) and hidden as ".." (secondary),
// totals apart. Printed for docs/statistics.md; the assertions below it are in
// ExampleSnapshotPublishesTheSexSplit.
struct Census {
  int cells = 0, shown = 0, nonzero = 0, primary = 0, secondary = 0, totals = 0, shown_totals = 0;
  void Add(const stats::CountTable& t) {
    for (int row = 0; row < t.ExtRows(); ++row) {
      for (int col = 0; col < t.ExtColumns(); ++col) {
        const bool total = row >= t.Rows() || col >= t.Columns();
        const CellStatus s = t.StatusAt(row, col);
        ++cells;
        shown += s == CellStatus::kShown;
        nonzero += s == CellStatus::kShown && t.At(row, col) > 0;
        primary += s == CellStatus::kPrimary;
        secondary += s == CellStatus::kSecondary;
        totals += total;
        shown_totals += total && s == CellStatus::kShown;
      }
    }
  }
  std::string Line() const {
    return std::to_string(cells) + " cells: " + std::to_string(shown) + " shown (" + std::to_string(nonzero) + " > 0), " + std::to_string(primary) +
           " <5, " + std::to_string(secondary) + " .. (totals " + std::to_string(shown_totals) + " of " +
           std::to_string(totals) + " shown)";
  }
};

// The example municipality's published reports: what each table shows and hides (printed,
// for docs/statistics.md), and what went wrong before the cost of a complement
// counted the lines it opens and the release pass tried inner cells and pairs: the snapshot's
// women / men split by category was all ".." (14 of its 17 inner counts of at least 5 are
// shown now; none before), the KAS grand total and the outcomes' self-support totals were
// hidden, and nothing but totals was ever shown again. Every report is then
// attacked: the suppression's own check and the independent attacker (elimination and
// interval propagation) pin nothing — after the inner cells were released. Outcomes is
// attacked in GeneratedOutcomesReportShowsItsTotals (same data).
TEST(Disclosure, ExampleMunicipalityPublishesTheSexSplitAndPinsNothing) {
  const stats::Reports r = GeneratedYear(1200, 25, 2020, 4, 2023);
  int64_t released_inner = 0;
  for (stats::ReportKind kind : stats::kAllReportKinds) {
    stats::Publication p = stats::Publish(kind, r);
    stats::SuppressionStats st;
    stats::Suppress(p.tables, p.links, 5, &st);
    Census all;
    for (const auto& t : p.tables) {
      if (t.measure) continue;
      Census one;
      one.Add(t);
      all.Add(t);
      std::printf("  %-48s %s\n", t.id.c_str(), one.Line().c_str());
    }
    std::printf("%-50s %s; released %lld (inner %lld)\n", stats::ReportKindName(kind), all.Line().c_str(),
                static_cast<long long>(st.released), static_cast<long long>(st.released_inner));
    released_inner += st.released_inner;
    EXPECT_TRUE(stats::RecoverableCells(p.tables, p.links, 5).empty()) << stats::ReportKindName(kind);
    if (kind != stats::ReportKind::kOutcomes) {
      Attacker attacker(5);
      attacker.AddMunicipality({"m", {p}});
      for (const auto& pin : attacker.Attack()) {
        ADD_FAILURE() << stats::ReportKindName(kind) << ": " << pin.cell << " is pinned to " << pin.value
                      << (pin.linear ? " (by elimination)" : " (by interval propagation)");
      }
    }
    if (kind == stats::ReportKind::kSnapshot) {
      const stats::CountTable& t = p.tables.front();
      ASSERT_EQ(t.id, "snapshot.category_by_sex");
      int large = 0, shown = 0;
      std::string cells;
      for (int row = 0; row < t.Rows(); ++row) {
        for (int col = 0; col < t.Columns(); ++col) {
          if (t.At(row, col) < 5) continue;
          ++large;
          shown += t.StatusAt(row, col) == CellStatus::kShown;
          cells += " " + stats::CellText(p, t, row, col);
        }
      }
      EXPECT_EQ(large, 17);
      EXPECT_GE(shown, 12) << "women / men by category, counts of at least 5:" << cells;
      EXPECT_EQ(t.StatusAt(0, 0), CellStatus::kShown) << "AM1 women";
      EXPECT_EQ(t.StatusAt(0, 1), CellStatus::kShown) << "AM1 men";
    }
    for (const auto& t : p.tables) {
      const bool kas = t.id == "kas.women_and_men";
      if (!kas && t.id != "outcomes.self_support.women_and_men") continue;
      for (int col = kas ? t.Columns() : 0; col <= t.Columns(); ++col) {
        EXPECT_EQ(t.StatusAt(t.Rows(), col), CellStatus::kShown) << t.id << " total row, column " << col << ": " << t.At(t.Rows(), col);
      }
    }
  }
  EXPECT_GT(released_inner, 100);
}

}  // namespace
}  // namespace ix::test
