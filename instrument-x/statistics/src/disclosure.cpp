#include <ix/statistics/disclosure.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

namespace ix::statistics {

void CountTable::Allocate() {
  cells.assign(static_cast<size_t>(ExtRows()) * static_cast<size_t>(ExtColumns()), 0);
  status.clear();
}

void CountTable::ComputeTotals() {
  const int R = Rows(), C = Columns();
  if (row_totals) {
    for (int r = 0; r < R; ++r) {
      int64_t sum = 0;
      for (int c = 0; c < C; ++c) sum += At(r, c);
      At(r, C) = sum;
    }
  }
  if (column_totals) {
    for (int c = 0; c < ExtColumns(); ++c) {
      int64_t sum = 0;
      for (int r = 0; r < R; ++r) sum += At(r, c);
      At(R, c) = sum;
    }
  }
}

namespace {

// The status of every measure cell from the count it is computed from (see CountTable::measure).
// Internal reports (threshold 0) show every measure that has a value.
void ResolveMeasures(std::vector<CountTable>& tables, int threshold) {
  for (CountTable& t : tables) {
    if (!t.measure) continue;
    for (int r = 0; r < t.Rows(); ++r) {
      for (int c = 0; c < t.Columns(); ++c) {
        const size_t i = t.Index(r, c);
        const CellRef& ref = t.basis[i];
        const CountTable& b = tables[static_cast<size_t>(ref.table)];
        const int64_t n = b.At(ref.row, ref.column);
        const bool shown = b.StatusAt(ref.row, ref.column) == CellStatus::kShown &&
                           n >= (threshold == 0 ? 1 : std::max<int64_t>({threshold, t.min_basis[i], 1}));
        t.status[i] = shown ? CellStatus::kShown : CellStatus::kSecondary;
      }
    }
  }
}

}  // namespace

void ShowAll(std::vector<CountTable>& tables) {
  for (CountTable& t : tables) t.status.assign(t.cells.size(), CellStatus::kShown);
  ResolveMeasures(tables, 0);
}

namespace {

// Every cell of every table under one global index, and every published equation over them.
struct System {
  std::vector<size_t> offset;          // first global index of each table
  std::vector<CellRef> refs;           // global -> cell
  std::vector<int64_t> value;          // global -> count
  std::vector<bool> is_total;          // global -> on a total row/column
  // Equations: sum(coef * x) == 0, coefficients +1 / −1.
  std::vector<std::vector<std::pair<size_t, int>>> equations;
  std::vector<std::vector<size_t>> equations_of;  // global -> equations it appears in

  explicit System(const std::vector<CountTable>& tables, const std::vector<SumLink>& links) {
    for (size_t t = 0; t < tables.size(); ++t) {
      const CountTable& table = tables[t];
      offset.push_back(refs.size());
      for (int r = 0; r < table.ExtRows(); ++r) {
        for (int c = 0; c < table.ExtColumns(); ++c) {
          refs.push_back({static_cast<int>(t), r, c});
          value.push_back(table.At(r, c));
          is_total.push_back(r >= table.Rows() || c >= table.Columns());
        }
      }
    }
    for (size_t t = 0; t < tables.size(); ++t) {
      const CountTable& table = tables[t];
      const int R = table.Rows(), C = table.Columns();
      if (table.row_totals) {
        for (int r = 0; r < table.ExtRows(); ++r) {
          std::vector<std::pair<size_t, int>> eq;
          for (int c = 0; c < C; ++c) eq.emplace_back(Global(t, table, r, c), 1);
          eq.emplace_back(Global(t, table, r, C), -1);
          equations.push_back(std::move(eq));
        }
      }
      if (table.column_totals) {
        for (int c = 0; c < table.ExtColumns(); ++c) {
          std::vector<std::pair<size_t, int>> eq;
          for (int r = 0; r < R; ++r) eq.emplace_back(Global(t, table, r, c), 1);
          eq.emplace_back(Global(t, table, R, c), -1);
          equations.push_back(std::move(eq));
        }
      }
    }
    for (const SumLink& link : links) {
      std::vector<std::pair<size_t, int>> eq;
      for (const CellRef& p : link.parts) eq.emplace_back(Global(tables, p), 1);
      eq.emplace_back(Global(tables, link.total), -1);
      equations.push_back(std::move(eq));
    }
    equations_of.resize(refs.size());
    for (size_t e = 0; e < equations.size(); ++e) {
      for (const auto& [g, coef] : equations[e]) equations_of[g].push_back(e);
    }
  }

  size_t Global(size_t t, const CountTable& table, int r, int c) const {
    return offset[t] + table.Index(r, c);
  }
  size_t Global(const std::vector<CountTable>& tables, const CellRef& ref) const {
    return Global(static_cast<size_t>(ref.table), tables[static_cast<size_t>(ref.table)], ref.row,
                  ref.column);
  }
};

// Sparse reduced row echelon form, built one row at a time. Invariant: every pivot row has 1 in
// its pivot column and 0 in every other pivot column, so reducing a vector needs one pass over
// its entries in pivot columns.
class Echelon {
 public:
  explicit Echelon(size_t n) : pivot_row_of_(n, -1), rows_with_(n), scratch_(n, 0.0), mark_(n, 0) {}

  void Add(const std::vector<std::pair<size_t, double>>& row) {
    Reduce(row);
    // Pivot among the large entries (threshold pivoting keeps the doubles accurate for these
    // ±1 rows) on the column held by the fewest rows, which keeps the fill-in small.
    double best = 0;
    for (size_t k : touched_) best = std::max(best, std::fabs(scratch_[k]));
    if (best < kEps) {
      Clear();
      return;
    }
    size_t pivot = 0, fewest = std::numeric_limits<size_t>::max();
    for (size_t k : touched_) {
      if (std::fabs(scratch_[k]) >= 0.5 * best && rows_with_[k].size() < fewest) {
        fewest = rows_with_[k].size(), pivot = k;
      }
    }
    std::vector<std::pair<size_t, double>> normalized;
    const double p = scratch_[pivot];
    for (size_t k : touched_) {
      if (std::fabs(scratch_[k]) >= kEps) normalized.emplace_back(k, scratch_[k] / p);
    }
    Clear();
    // Clear the new pivot column from the earlier rows.
    const std::vector<size_t> holders = std::move(rows_with_[pivot]);
    rows_with_[pivot].clear();
    for (size_t r : holders) {
      auto& other = rows_[r];
      const auto it = std::find_if(other.begin(), other.end(),
                                   [&](const auto& entry) { return entry.first == pivot; });
      if (it == other.end()) continue;  // stale index entry
      const double f = it->second;
      for (const auto& [k, x] : other) Accumulate(k, x);
      for (const auto& [k, x] : normalized) Accumulate(k, -f * x);
      // Index only the columns this row did not hold before (the others are listed already).
      for (const auto& [k, x] : other) mark_[k] = 2;
      other.clear();
      for (size_t k : touched_) {
        if (std::fabs(scratch_[k]) >= kEps) {
          other.emplace_back(k, scratch_[k]);
          if (mark_[k] != 2) rows_with_[k].push_back(r);
        }
      }
      Clear();
    }
    const size_t index = rows_.size();
    for (const auto& [k, x] : normalized) rows_with_[k].push_back(index);
    pivot_row_of_[pivot] = static_cast<int>(index);
    rows_.push_back(std::move(normalized));
  }

  bool InRowSpace(const std::vector<std::pair<size_t, double>>& v) {
    Reduce(v);
    const bool zero = std::all_of(touched_.begin(), touched_.end(),
                                  [&](size_t k) { return std::fabs(scratch_[k]) < kEps; });
    Clear();
    return zero;
  }

  // Columns whose pivot row has no other entry: the cell's value follows from the equations.
  std::vector<size_t> Alone() const {
    std::vector<size_t> out;
    for (size_t col = 0; col < pivot_row_of_.size(); ++col) {
      if (pivot_row_of_[col] >= 0 && rows_[static_cast<size_t>(pivot_row_of_[col])].size() == 1) {
        out.push_back(col);
      }
    }
    return out;
  }

 private:
  static constexpr double kEps = 1e-9;

  void Accumulate(size_t k, double x) {
    if (!mark_[k]) mark_[k] = 1, touched_.push_back(k);
    scratch_[k] += x;
  }
  void Clear() {
    for (size_t k : touched_) scratch_[k] = 0.0, mark_[k] = 0;
    touched_.clear();
  }
  // scratch_ := v minus its components along the pivot rows.
  void Reduce(const std::vector<std::pair<size_t, double>>& v) {
    for (const auto& [k, x] : v) Accumulate(k, x);
    for (const auto& [k, x] : v) {
      const int r = pivot_row_of_[k];
      if (r < 0) continue;
      const double f = x;
      for (const auto& [j, y] : rows_[static_cast<size_t>(r)]) Accumulate(j, -f * y);
    }
  }

  std::vector<std::vector<std::pair<size_t, double>>> rows_;
  std::vector<int> pivot_row_of_;
  std::vector<std::vector<size_t>> rows_with_;  // column -> rows that may hold it (may be stale)
  std::vector<double> scratch_;
  std::vector<char> mark_;
  std::vector<size_t> touched_;
};

// Global indices of hidden cells an attacker can compute exactly.
std::vector<size_t> Recoverable(const System& s, const std::vector<CellStatus>& status,
                                int threshold) {
  std::vector<int> var(s.refs.size(), -1);
  std::vector<size_t> hidden;
  for (size_t g = 0; g < status.size(); ++g) {
    if (status[g] != CellStatus::kShown) {
      var[g] = static_cast<int>(hidden.size());
      hidden.push_back(g);
    }
  }
  std::vector<bool> recoverable(hidden.size(), false);
  if (hidden.empty()) return {};

  // Bounds attack: an equation whose hidden cells are all primary with the same sign, summing
  // to their minimum (1 each) or maximum (threshold−1 each).
  for (const auto& eq : s.equations) {
    int n = 0, sign = 0;
    bool all_primary = true, same_sign = true;
    int64_t sum = 0;
    for (const auto& [g, coef] : eq) {
      if (var[g] < 0) continue;
      ++n;
      if (sign == 0) sign = coef;
      same_sign = same_sign && coef == sign;
      all_primary = all_primary && status[g] == CellStatus::kPrimary;
      sum += s.value[g];
    }
    if (n > 0 && same_sign && all_primary && (sum == n || sum == int64_t{n} * (threshold - 1))) {
      for (const auto& [g, coef] : eq) {
        if (var[g] >= 0) recoverable[static_cast<size_t>(var[g])] = true;
      }
    }
  }

  // Linear attack: reduced row echelon form of the equations restricted to the hidden cells.
  // Each equation is one table line or one link, so it touches few cells; the rows are kept
  // sparse and built one equation at a time (a dense n × n matrix cost seconds and hundreds of
  // MiB for the linked KAS and outcomes tables). The result is the same row space, so the
  // attack is exactly as strong.
  const size_t n = hidden.size();
  Echelon echelon(n);
  for (const auto& eq : s.equations) {
    std::vector<std::pair<size_t, double>> row;
    for (const auto& [g, coef] : eq) {
      if (var[g] >= 0) row.emplace_back(static_cast<size_t>(var[g]), static_cast<double>(coef));
    }
    if (!row.empty()) echelon.Add(row);
  }
  // Bounds attack on derived sums: the primary cells of one published line whose sum follows
  // from the equations (1_S in the row space), e.g. a + b = (a + c) + (b + d) − (c + d).
  for (const auto& eq : s.equations) {
    for (int sign : {1, -1}) {
      std::vector<std::pair<size_t, double>> subset;
      int64_t sum = 0;
      for (const auto& [g, coef] : eq) {
        if (var[g] >= 0 && coef == sign && status[g] == CellStatus::kPrimary) {
          subset.emplace_back(static_cast<size_t>(var[g]), 1.0);
          sum += s.value[g];
        }
      }
      const auto count = static_cast<int64_t>(subset.size());
      if (count < 2 || (sum != count && sum != count * (threshold - 1))) continue;
      if (!echelon.InRowSpace(subset)) continue;
      for (const auto& [k, x] : subset) recoverable[k] = true;
    }
  }
  for (size_t col : echelon.Alone()) recoverable[col] = true;
  std::vector<size_t> out;
  for (size_t i = 0; i < n; ++i) {
    if (recoverable[i]) out.push_back(hidden[i]);
  }
  return out;
}

std::vector<CellStatus> GlobalStatus(const System& s, const std::vector<CountTable>& tables) {
  std::vector<CellStatus> status;
  status.reserve(s.refs.size());
  for (const CountTable& t : tables) {
    for (size_t i = 0; i < t.cells.size(); ++i) {
      status.push_back(t.status.empty() ? CellStatus::kShown : t.status[i]);
    }
  }
  return status;
}

// The cheapest shown cell to hide so that `target` stops being recoverable: searched in the
// equations around the target first, then further out (breadth first over equations).
// Zero cells protect little (0 is the lower bound), so they are a last resort; totals cost more
// than inner cells because readers need them.
std::optional<size_t> CheapestNeighbour(const System& s, const std::vector<CellStatus>& status,
                                        size_t target) {
  std::vector<bool> seen_eq(s.equations.size(), false), seen_cell(s.refs.size(), false);
  std::vector<size_t> frontier{target};
  seen_cell[target] = true;
  while (!frontier.empty()) {
    std::optional<size_t> best;
    double best_cost = std::numeric_limits<double>::infinity();
    std::vector<size_t> next;
    for (size_t cell : frontier) {
      for (size_t e : s.equations_of[cell]) {
        if (seen_eq[e]) continue;
        seen_eq[e] = true;
        for (const auto& [g, coef] : s.equations[e]) {
          if (status[g] == CellStatus::kShown) {
            double cost = s.value[g] == 0 ? 1e15 : static_cast<double>(s.value[g]);
            if (s.is_total[g]) cost *= 4;
            if (cost < best_cost) best_cost = cost, best = g;
          } else if (!seen_cell[g]) {
            seen_cell[g] = true;
            next.push_back(g);
          }
        }
      }
    }
    if (best) return best;
    frontier = std::move(next);
  }
  return std::nullopt;
}

}  // namespace

void Suppress(std::vector<CountTable>& tables, const std::vector<SumLink>& links, int threshold) {
  threshold = std::max(threshold, 2);
  for (CountTable& t : tables) {
    t.status.assign(t.cells.size(), CellStatus::kShown);
    if (t.measure) continue;  // values, not counts: resolved from their basis at the end
    for (size_t i = 0; i < t.cells.size(); ++i) {
      if (t.cells[i] >= 1 && t.cells[i] < threshold) t.status[i] = CellStatus::kPrimary;
    }
  }
  const System s(tables, links);
  std::vector<CellStatus> status = GlobalStatus(s, tables);
  // Each round hides at least one more cell, so this ends (at worst with everything hidden).
  for (;;) {
    const std::vector<size_t> exposed = Recoverable(s, status, threshold);
    if (exposed.empty()) break;
    bool changed = false;
    std::vector<bool> touched(s.equations.size(), false);
    for (size_t target : exposed) {
      // One new hidden cell per equation per round: the next round re-checks.
      bool already = false;
      for (size_t e : s.equations_of[target]) already = already || touched[e];
      if (already && changed) continue;
      const auto pick = CheapestNeighbour(s, status, target);
      if (!pick) continue;
      status[*pick] = CellStatus::kSecondary;
      for (size_t e : s.equations_of[*pick]) touched[e] = true;
      changed = true;
    }
    if (!changed) break;  // nothing left to hide around the exposed cells
  }
  for (size_t g = 0; g < status.size(); ++g) {
    const CellRef& ref = s.refs[g];
    CountTable& t = tables[static_cast<size_t>(ref.table)];
    t.status[t.Index(ref.row, ref.column)] = status[g];
  }
  ResolveMeasures(tables, threshold);
}

std::vector<CellRef> RecoverableCells(const std::vector<CountTable>& tables,
                                      const std::vector<SumLink>& links, int threshold) {
  const System s(tables, links);
  std::vector<CellRef> out;
  for (size_t g : Recoverable(s, GlobalStatus(s, tables), std::max(threshold, 2))) {
    out.push_back(s.refs[g]);
  }
  return out;
}

}  // namespace ix::statistics
