#include <ix/statistics/disclosure.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <numeric>
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
  std::vector<char> is_twin_equation;              // equation -> of the form x = y
  std::vector<std::vector<size_t>> twins;          // global -> its group of equal cells (empty: alone)

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
    // Cells that a published equation makes equal (x = y: e.g. a per-sex age table's row total
    // and the category × sex cell, or the participants of one row in the self-support, KAS and
    // time tables) are one number published several times: showing one shows them all, so they
    // are hidden and shown again together.
    std::vector<size_t> root(refs.size());
    std::iota(root.begin(), root.end(), size_t{0});
    auto find = [&](size_t x) {
      while (root[x] != x) x = root[x] = root[root[x]];
      return x;
    };
    is_twin_equation.assign(equations.size(), 0);
    for (size_t e = 0; e < equations.size(); ++e) {
      const auto& eq = equations[e];
      if (eq.size() == 2 && eq[0].second == -eq[1].second) {
        is_twin_equation[e] = 1;
        root[find(eq[0].first)] = find(eq[1].first);
      }
    }
    std::vector<std::vector<size_t>> members(refs.size());
    for (size_t g = 0; g < refs.size(); ++g) members[find(g)].push_back(g);
    twins.resize(refs.size());
    for (size_t g = 0; g < refs.size(); ++g) {
      if (members[find(g)].size() > 1) twins[g] = members[find(g)];
    }
  }

  // Calls f for each cell equal to `g` by published equations, `g` included (see `twins`).
  template <typename F>
  void ForGroup(size_t g, F&& f) const {
    if (twins[g].empty()) {
      f(g);
    } else {
      for (size_t m : twins[g]) f(m);
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

// Sparse reduced row echelon form, built one row at a time, with the right-hand side carried
// along (the interval attack below needs the derived equations with their values). Invariant:
// every pivot row has 1 in its pivot column and 0 in every other pivot column, so reducing a
// vector needs one pass over its entries in pivot columns.
class Echelon {
 public:
  explicit Echelon(size_t n) : pivot_row_of_(n, -1), rows_with_(n), scratch_(n, 0.0), mark_(n, 0) {}

  void Add(const std::vector<std::pair<size_t, double>>& row, double rhs) {
    Reduce(row, rhs);
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
    const double normalized_rhs = rhs_scratch_ / p;
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
      rhs_[r] -= f * normalized_rhs;
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
    rhs_.push_back(normalized_rhs);
  }

  bool InRowSpace(const std::vector<std::pair<size_t, double>>& v) {
    Reduce(v, 0.0);
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

  const std::vector<std::vector<std::pair<size_t, double>>>& rows() const { return rows_; }
  const std::vector<double>& rhs() const { return rhs_; }

 private:
  static constexpr double kEps = 1e-9;

  void Accumulate(size_t k, double x) {
    if (!mark_[k]) mark_[k] = 1, touched_.push_back(k);
    scratch_[k] += x;
  }
  void Clear() {
    for (size_t k : touched_) scratch_[k] = 0.0, mark_[k] = 0;
    touched_.clear();
    rhs_scratch_ = 0.0;
  }
  // scratch_ := v minus its components along the pivot rows (rhs_scratch_ likewise).
  void Reduce(const std::vector<std::pair<size_t, double>>& v, double rhs) {
    rhs_scratch_ = rhs;
    for (const auto& [k, x] : v) Accumulate(k, x);
    for (const auto& [k, x] : v) {
      const int r = pivot_row_of_[k];
      if (r < 0) continue;
      const double f = x;
      for (const auto& [j, y] : rows_[static_cast<size_t>(r)]) Accumulate(j, -f * y);
      rhs_scratch_ -= f * rhs_[static_cast<size_t>(r)];
    }
  }

  std::vector<std::vector<std::pair<size_t, double>>> rows_;
  std::vector<double> rhs_;
  std::vector<int> pivot_row_of_;
  std::vector<std::vector<size_t>> rows_with_;  // column -> rows that may hold it (may be stale)
  std::vector<double> scratch_;
  std::vector<char> mark_;
  std::vector<size_t> touched_;
  double rhs_scratch_ = 0.0;
};

// One equation over the hidden cells of a component: sum(coef * x) == rhs.
struct Row {
  std::vector<std::pair<size_t, double>> terms;
  double rhs = 0.0;
};

// Upper bound on equation visits per equation in one propagation: the integers make the
// narrowing finite, but two equations can trade a bound back and forth one unit at a time.
constexpr size_t kPropagationVisitsPerRow = 64;

// Interval propagation to a fixpoint (or the visit cap): from sum(a_i x_i) = b, each x_j lies in
// (b − the others' extreme sums) / a_j, rounded inwards to integers. Unbounded terms are
// counted apart so that one of them does not hide the others' sums.
void Propagate(const std::vector<const Row*>& rows, std::vector<double>& lo, std::vector<double>& hi) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<size_t>> rows_of(lo.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (const auto& [v, a] : rows[r]->terms) rows_of[v].push_back(r);
  }
  std::deque<size_t> queue(rows.size());
  std::iota(queue.begin(), queue.end(), size_t{0});
  std::vector<char> queued(rows.size(), 1);
  size_t budget = kPropagationVisitsPerRow * rows.size();
  auto extremes = [&](size_t v, double a) {
    return std::pair{a > 0 ? a * lo[v] : a * hi[v], a > 0 ? a * hi[v] : a * lo[v]};
  };
  while (!queue.empty() && budget > 0) {
    --budget;
    const size_t r = queue.front();
    queue.pop_front();
    queued[r] = 0;
    const Row& row = *rows[r];
    double min_finite = 0, max_finite = 0;
    int min_infinite = 0, max_infinite = 0;
    for (const auto& [v, a] : row.terms) {
      const auto [low, high] = extremes(v, a);
      if (std::isinf(low)) ++min_infinite; else min_finite += low;
      if (std::isinf(high)) ++max_infinite; else max_finite += high;
    }
    for (const auto& [v, a] : row.terms) {
      const auto [own_min, own_max] = extremes(v, a);
      const bool own_min_inf = std::isinf(own_min), own_max_inf = std::isinf(own_max);
      const double others_min =
          min_infinite - (own_min_inf ? 1 : 0) > 0 ? -kInf : min_finite - (own_min_inf ? 0 : own_min);
      const double others_max =
          max_infinite - (own_max_inf ? 1 : 0) > 0 ? kInf : max_finite - (own_max_inf ? 0 : own_max);
      double new_lo = (row.rhs - others_max) / a, new_hi = (row.rhs - others_min) / a;
      if (a < 0) std::swap(new_lo, new_hi);
      new_lo = std::ceil(new_lo - 1e-6);
      new_hi = std::floor(new_hi + 1e-6);
      bool narrowed = false;
      if (new_lo > lo[v]) lo[v] = new_lo, narrowed = true;
      if (new_hi < hi[v]) hi[v] = new_hi, narrowed = true;
      if (!narrowed) continue;
      for (size_t other : rows_of[v]) {
        if (other != r && !queued[other]) queued[other] = 1, queue.push_back(other);
      }
    }
  }
}

// Scratch space shared by the checks of one system (sized once, left clean after each check).
struct Scratch {
  std::vector<int> local;  // global -> index within the component being checked, or −1
};

// How hard to attack: kFull is the whole attack below; kQuick only propagates the bounds
// through the published equations (no elimination, so no fill-in: linear in the size of the
// component). Quick pins are a subset of full ones; Suppress uses them to hide the obvious
// partners cheaply before the full attack runs.
// kRelease is kFull with the bounds also propagated through a second echelon form, built from
// the equations in reverse order: propagation over derived equations depends on which basis
// elimination happened to pick, and the release pass below (which shows cells the rounds hid)
// works close to the edge where another attacker's basis could pin what ours does not.
enum class Attack : uint8_t { kQuick, kFull, kRelease };

// Marks in `exposed` the hidden cells of one component (hidden cells linked by equations; the
// attack on one component learns nothing from the others) that an attacker can pin to one
// value, and clears the others. The attacker knows every shown count, every equation, and the
// bounds: a primary cell is 1…threshold−1, any other hidden cell is ≥ 0.
void CheckComponent(const System& s, const std::vector<CellStatus>& status, int threshold, Attack attack,
                    const std::vector<size_t>& cells, const std::vector<size_t>& eqs, Scratch& scratch,
                    std::vector<char>& exposed, SuppressionStats* stats) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const size_t n = cells.size();
  for (size_t i = 0; i < n; ++i) scratch.local[cells[i]] = static_cast<int>(i);
  std::vector<Row> published;
  published.reserve(eqs.size());
  for (size_t e : eqs) {
    Row row;
    for (const auto& [g, coef] : s.equations[e]) {
      if (scratch.local[g] >= 0) row.terms.emplace_back(static_cast<size_t>(scratch.local[g]), coef);
      else row.rhs -= coef * static_cast<double>(s.value[g]);
    }
    if (!row.terms.empty()) published.push_back(std::move(row));
  }
  std::vector<char> pinned(n, 0);
  const bool full = attack != Attack::kQuick;

  // Linear attack: reduced row echelon form of the equations restricted to the hidden cells.
  // Each equation is one table line or one link, so it touches few cells; the rows are kept
  // sparse and built one equation at a time.
  Echelon echelon(full ? n : 0);
  if (full) {
    for (const Row& row : published) echelon.Add(row.terms, row.rhs);
    for (size_t col : echelon.Alone()) pinned[col] = 1;
  }
  // Bounds attack on derived sums: the primary cells of one published line whose sum follows
  // from the equations (1_S in the row space) and is their minimum (1 each) or maximum
  // (threshold−1 each), e.g. a + b = (a + c) + (b + d) − (c + d) = 8.
  for (size_t e : full ? eqs : std::vector<size_t>{}) {
    for (int sign : {1, -1}) {
      std::vector<std::pair<size_t, double>> subset;
      int64_t sum = 0;
      for (const auto& [g, coef] : s.equations[e]) {
        if (scratch.local[g] >= 0 && coef == sign && status[g] == CellStatus::kPrimary) {
          subset.emplace_back(static_cast<size_t>(scratch.local[g]), 1.0);
          sum += s.value[g];
        }
      }
      const auto count = static_cast<int64_t>(subset.size());
      if (count < 2 || (sum != count && sum != count * (threshold - 1))) continue;
      if (!echelon.InRowSpace(subset)) continue;
      for (const auto& [k, x] : subset) pinned[k] = 1;
    }
  }
  const auto t1 = Clock::now();

  // Interval attack: propagate the bounds through the published equations and the derived
  // ones (the echelon rows: each expresses a pivot cell by free cells, which bounds it more
  // tightly than the lines it came from). A cell whose interval is one value is pinned.
  std::vector<double> lo(n), hi(n);
  for (size_t i = 0; i < n; ++i) {
    const bool primary = status[cells[i]] == CellStatus::kPrimary;
    lo[i] = primary ? 1.0 : 0.0;
    hi[i] = primary ? static_cast<double>(threshold - 1) : std::numeric_limits<double>::infinity();
  }
  std::vector<Row> derived(echelon.rows().size());
  for (size_t r = 0; r < derived.size(); ++r) derived[r] = {echelon.rows()[r], echelon.rhs()[r]};
  if (attack == Attack::kRelease) {
    Echelon reversed(n);
    for (auto it = published.rbegin(); it != published.rend(); ++it) reversed.Add(it->terms, it->rhs);
    for (size_t r = 0; r < reversed.rows().size(); ++r) derived.push_back({reversed.rows()[r], reversed.rhs()[r]});
  }
  std::vector<const Row*> rows;
  rows.reserve(published.size() + derived.size());
  for (const Row& row : published) rows.push_back(&row);
  for (const Row& row : derived) {
    if (row.terms.size() > 1) rows.push_back(&row);  // single cells are pinned already
  }
  Propagate(rows, lo, hi);
  for (size_t i = 0; i < n; ++i) {
    if (hi[i] - lo[i] < 0.5) pinned[i] = 1;
  }

  for (size_t i = 0; i < n; ++i) {
    exposed[cells[i]] = pinned[i];
    scratch.local[cells[i]] = -1;
  }
  if (stats) {
    ++stats->component_checks;
    stats->linear_seconds += std::chrono::duration<double>(t1 - t0).count();
    stats->propagation_seconds += std::chrono::duration<double>(Clock::now() - t1).count();
  }
}

// Re-checks every component of hidden cells that holds a `fresh` cell (newly hidden: its
// equations changed) and clears `fresh`. A component without one is exactly as before — same
// cells, same equations, same shown values — so its cells keep their `exposed` flag.
// Returns the hidden cells it attacked.
std::vector<size_t> Recheck(const System& s, const std::vector<CellStatus>& status, int threshold, Attack attack,
                            std::vector<char>& fresh, std::vector<char>& exposed, Scratch& scratch,
                            SuppressionStats* stats) {
  const size_t total = s.refs.size();
  std::vector<size_t> parent(total);
  std::iota(parent.begin(), parent.end(), size_t{0});
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<size_t> first_hidden(s.equations.size(), total);
  for (size_t e = 0; e < s.equations.size(); ++e) {
    for (const auto& [g, coef] : s.equations[e]) {
      if (status[g] == CellStatus::kShown) continue;
      if (first_hidden[e] == total) first_hidden[e] = g;
      else parent[find(g)] = find(first_hidden[e]);
    }
  }
  std::vector<int> component(total, -1);  // root -> index of a component to re-check
  int dirty = 0;
  for (size_t g = 0; g < total; ++g) {
    if (fresh[g] && status[g] != CellStatus::kShown && component[find(g)] < 0) component[find(g)] = dirty++;
    fresh[g] = 0;
  }
  if (dirty == 0) return {};
  std::vector<std::vector<size_t>> cells(static_cast<size_t>(dirty)), eqs(static_cast<size_t>(dirty));
  for (size_t g = 0; g < total; ++g) {
    if (status[g] == CellStatus::kShown) continue;
    const int c = component[find(g)];
    if (c >= 0) cells[static_cast<size_t>(c)].push_back(g);
  }
  for (size_t e = 0; e < s.equations.size(); ++e) {
    if (first_hidden[e] == total) continue;
    const int c = component[find(first_hidden[e])];
    if (c >= 0) eqs[static_cast<size_t>(c)].push_back(e);
  }
  std::vector<size_t> attacked;
  for (size_t c = 0; c < cells.size(); ++c) {
    CheckComponent(s, status, threshold, attack, cells[c], eqs[c], scratch, exposed, stats);
    attacked.insert(attacked.end(), cells[c].begin(), cells[c].end());
  }
  return attacked;
}

// Shows a primary cell as ".." instead of "<threshold" (see RelabelStructuralPins). Prefers a
// total of one of `cell`'s equations (its upper bound, threshold−1, is what caps the sum of
// parts that are each at least 1), else a part. Returns the cell relabelled, none when none of
// them is primary.
std::optional<size_t> RelabelAround(const System& s, std::vector<CellStatus>& status, size_t cell,
                                    const std::vector<char>& tight, std::vector<char>& fresh,
                                    std::vector<char>& fresh_full) {
  for (int coef_wanted : {-1, 1}) {
    for (size_t e : s.equations_of[cell]) {
      if (!tight.empty() && !tight[e]) continue;
      for (const auto& [g, coef] : s.equations[e]) {
        if (coef == coef_wanted && status[g] == CellStatus::kPrimary) {
          status[g] = CellStatus::kSecondary;
          fresh[g] = fresh_full[g] = 1;
          return g;
        }
      }
    }
  }
  return std::nullopt;
}

// Some pins no secondary suppression can undo: in a line whose total is "<5" and which has
// four hidden parts that are each at least 1, every part is 1 and the total 4 — whatever else
// is hidden. Such pins are found by propagating the bounds with *every* cell hidden (the most
// that secondary suppression could ever hide), and undone by showing one primary cell of a
// tight equation as ".." instead of "<5": the reader then knows only that it is ≥ 0. Done
// before the search, which would otherwise hide a whole component of cells in vain.
void RelabelStructuralPins(const System& s, std::vector<CellStatus>& status, int threshold) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<Row> rows(s.equations.size());
  for (size_t e = 0; e < s.equations.size(); ++e) {
    for (const auto& [g, coef] : s.equations[e]) rows[e].terms.emplace_back(g, coef);
  }
  std::vector<const Row*> all;
  for (const Row& row : rows) all.push_back(&row);
  std::vector<char> unused(status.size(), 0);
  for (int pass = 0; pass < 64; ++pass) {
    std::vector<double> lo(status.size(), 0.0), hi(status.size(), kInf);
    for (size_t g = 0; g < status.size(); ++g) {
      if (status[g] == CellStatus::kPrimary) lo[g] = 1.0, hi[g] = static_cast<double>(threshold - 1);
    }
    Propagate(all, lo, hi);
    // Tight equations: their terms' extremes add up to exactly the right-hand side (0).
    std::vector<char> tight(s.equations.size(), 0);
    for (size_t e = 0; e < s.equations.size(); ++e) {
      double low = 0, high = 0;
      for (const auto& [g, coef] : s.equations[e]) {
        low += coef > 0 ? lo[g] : -hi[g];
        high += coef > 0 ? hi[g] : -lo[g];
      }
      tight[e] = low > -0.5 || high < 0.5;
    }
    bool changed = false;
    for (size_t g = 0; g < status.size(); ++g) {
      if (hi[g] - lo[g] >= 0.5) continue;
      changed = RelabelAround(s, status, g, tight, unused, unused).has_value() ||
                RelabelAround(s, status, g, {}, unused, unused).has_value() || changed;
    }
    if (!changed) return;
  }
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

// The cheapest shown cell to hide so that `target` stops being pinned: searched in the
// equations around the target first, then further out (breadth first over equations). Totals
// cost more than inner cells because readers need them. A zero protects little: hidden, it is
// known to be ≥ 0 and its line's sum does not change, so a line held tight by the bounds stays
// tight (and a zero in a line whose shown total is 0 is pinned itself). Zeros are therefore
// taken only when no non-zero cell can be reached at all, and then the nearest.
// Visit marks for the search, by generation, so that a search costs what it visits rather
// than the size of the system (there is one search per exposed cell per round).
// A search that reached no non-zero shown cell leaves its cells marked `barren` for the round:
// any search from them reaches the same cells (the hidden cells linked by equations), so they
// take the nearest zero without searching the whole group again.
struct Visits {
  std::vector<uint32_t> equation, cell, barren;
  std::vector<int32_t> hidden_in;  // equation -> hidden cells in it, kept current within a round
  std::vector<size_t> reached;
  uint32_t generation = 0, round = 0;
};

// What hiding the shown cell `g` costs: the counts it takes from readers (with the cells equal
// to it, which go with it; totals weigh four times, readers need them most), times one plus
// the number of published lines it would be the only hidden cell of. Such a line pins its
// one hidden cell, so it needs a further complement, which in turn opens lines of its own:
// that is how one "<5" cell used to cascade through the linked tables up to the grand totals.
// A complement in a line that already hides a cell (the classic choice: the corner of a
// rectangle whose other corners are hidden) opens nothing and protects two lines at once.
double HideCost(const System& s, size_t g, const Visits& visits) {
  double cost = 0;
  int opened = 0;
  s.ForGroup(g, [&](size_t m) {
    cost += static_cast<double>(s.value[m]) * (s.is_total[m] ? 4.0 : 1.0);
    for (size_t e : s.equations_of[m]) opened += !s.is_twin_equation[e] && visits.hidden_in[e] == 0;
  });
  return cost * (1 + opened);
}

std::optional<size_t> CheapestNeighbour(const System& s, const std::vector<CellStatus>& status, size_t target,
                                        Visits& visits) {
  if (visits.cell.size() != s.refs.size()) {
    visits.equation.assign(s.equations.size(), 0);
    visits.cell.assign(s.refs.size(), 0);
    visits.barren.assign(s.refs.size(), 0);
  }
  const uint32_t now = ++visits.generation;
  const bool nearest_only = visits.barren[target] == visits.round;
  std::vector<size_t> frontier{target};
  visits.cell[target] = now;
  visits.reached.assign(1, target);
  std::optional<size_t> nearest_zero;
  while (!frontier.empty()) {
    std::optional<size_t> best;
    double best_cost = std::numeric_limits<double>::infinity();
    std::vector<size_t> next;
    for (size_t cell : frontier) {
      for (size_t e : s.equations_of[cell]) {
        if (visits.equation[e] == now) continue;
        visits.equation[e] = now;
        for (const auto& [g, coef] : s.equations[e]) {
          if (status[g] == CellStatus::kShown) {
            if (s.value[g] == 0) {
              if (!nearest_zero || (s.is_total[*nearest_zero] && !s.is_total[g])) nearest_zero = g;
              continue;
            }
            const double cost = HideCost(s, g, visits);
            if (cost < best_cost) best_cost = cost, best = g;
          } else if (visits.cell[g] != now) {
            visits.cell[g] = now;
            next.push_back(g);
            visits.reached.push_back(g);
          }
        }
      }
    }
    if (best) return best;
    if (nearest_only && nearest_zero) return nearest_zero;
    frontier = std::move(next);
  }
  for (size_t g : visits.reached) visits.barren[g] = visits.round;
  return nearest_zero;
}

// One round of secondary suppression: for each exposed cell, hide the cheapest shown cell
// around it (or, with nothing left to hide, show a primary cell next to it as ".."). One change
// (a cell hidden or a "..") per equation per round: the next round re-checks. False when
// nothing was exposed or nothing could be done.
bool HideAroundExposed(const System& s, std::vector<CellStatus>& status, const std::vector<char>& exposed,
                       std::vector<char>& fresh, std::vector<char>& fresh_full, Visits& visits) {
  bool changed = false;
  std::vector<bool> touched(s.equations.size(), false);
  ++visits.round;
  visits.hidden_in.assign(s.equations.size(), 0);
  for (size_t e = 0; e < s.equations.size(); ++e) {
    for (const auto& [g, coef] : s.equations[e]) visits.hidden_in[e] += status[g] != CellStatus::kShown;
  }
  for (size_t target = 0; target < status.size(); ++target) {
    if (!exposed[target] || status[target] == CellStatus::kShown) continue;
    bool already = false;
    for (size_t e : s.equations_of[target]) already = already || touched[e];
    if (already && changed) continue;
    const auto pick = CheapestNeighbour(s, status, target, visits);
    if (!pick) {
      // Nothing left to hide around it: the bounds pin it (possible through derived
      // equations, which RelabelStructuralPins does not use). A ".." counts as a change to
      // the lines of the target and of the cell relabelled, like a cell hidden: the other
      // exposed cells of those lines wait for the re-check, which often finds them free
      // already (a row of hidden zeros pinned together: one ".." frees them all). Without
      // this, every such cell took a ".." of its own in the same round — counts of 1–4 shown
      // as ".." that no attack needed.
      if (const auto relabelled = RelabelAround(s, status, target, {}, fresh, fresh_full)) {
        for (size_t e : s.equations_of[target]) touched[e] = true;
        for (size_t e : s.equations_of[*relabelled]) touched[e] = true;
        changed = true;
      }
      continue;
    }
    s.ForGroup(*pick, [&](size_t m) {
      if (status[m] != CellStatus::kShown) return;
      status[m] = CellStatus::kSecondary;
      fresh[m] = fresh_full[m] = 1;
      for (size_t e : s.equations_of[m]) touched[e] = true, ++visits.hidden_in[e];
    });
    changed = true;
  }
  return changed;
}

// The rounds above hide greedily, and a cell hidden early to protect one neighbour may be
// needed by none once the later rounds have hidden others around it (where a line holds only
// zeros and primary cells the cheapest cell in reach is a total, and such a choice used to
// climb through the links up to the grand totals). So, once nothing is pinned, each hidden
// cell that carries a count of at least the threshold (never a primary cell shown as "..") is
// shown again, with the cells equal to it, and kept shown only when the attack on the groups
// of hidden cells around it still pins nothing — the attack decides, so this gives up no
// protection. Totals first (readers need them most), then inner cells, each the largest first
// (a large count shown gives the most back; the order is fixed, so the same tables give the
// same result).
//
// A trial re-attacks only the groups of hidden cells that share an equation with the cells it
// shows, cheapest test first: a line left with one hidden cell (no attack needed), then the
// quick attack (linear in the group), then the full one with two echelon forms. A cell that
// is pinned only because of the trial's own cells (the men's total of a column once the
// women's is shown beside a shown all-persons total) is shown with them when it may be shown
// at all, and everything around the trial's cells is attacked again: up to kReleaseChain such
// steps of at most kReleaseChainCells cells each. Without that, a pair that can only be shown
// together is never shown.
//
// The trials stop when the hidden cells they attacked add up to kReleaseWork times the cells
// of the system: a bound on the work that does not depend on the clock, so the output stays
// deterministic. (The groups of hidden cells are large where a report is sparse, and each
// full attack eliminates over the whole group.) Returns the number of cells shown again.
constexpr size_t kReleaseWork = 160;
constexpr int kReleaseChain = 2;
constexpr size_t kReleaseChainCells = 4;

int64_t ReleaseHidden(const System& s, std::vector<CellStatus>& status, int threshold, Scratch& scratch,
                      SuppressionStats* stats) {
  std::vector<size_t> totals, inner;  // the first cell of each group of equal cells
  std::vector<char> seen(status.size(), 0);
  for (size_t g = 0; g < status.size(); ++g) {
    if (seen[g]) continue;
    bool all = true, total = false;
    s.ForGroup(g, [&](size_t m) {
      seen[m] = 1;
      all = all && status[m] == CellStatus::kSecondary && s.value[m] >= threshold;
      total = total || s.is_total[m];
    });
    if (all) (total ? totals : inner).push_back(g);
  }
  auto largest_first = [&](size_t a, size_t b) { return s.value[a] > s.value[b]; };
  std::stable_sort(totals.begin(), totals.end(), largest_first);
  std::stable_sort(inner.begin(), inner.end(), largest_first);
  std::vector<char> fresh(status.size(), 0), exposed(status.size(), 0);
  int64_t released = 0;
  size_t work = 0;
  const size_t budget = kReleaseWork * status.size();
  std::vector<size_t> trial_cells, pinned;
  auto trial = [&](size_t first) {
    trial_cells.clear();
    std::vector<size_t> step{first};
    bool ok = false;
    for (int chain = 0; chain <= kReleaseChain; ++chain) {
      for (size_t g : step) s.ForGroup(g, [&](size_t m) { status[m] = CellStatus::kShown, trial_cells.push_back(m); });
      pinned.clear();
      // A line of a trial cell left with one hidden cell pins it: no attack needed to see that.
      for (size_t m : trial_cells) {
        for (size_t e : s.equations_of[m]) {
          size_t hidden = 0, last = 0;
          for (const auto& [h, coef] : s.equations[e]) {
            if (status[h] != CellStatus::kShown) ++hidden, last = h;
          }
          if (hidden == 1 && std::find(pinned.begin(), pinned.end(), last) == pinned.end()) pinned.push_back(last);
        }
      }
      for (Attack attack : {Attack::kQuick, Attack::kRelease}) {
        if (!pinned.empty()) break;
        bool any = false;
        for (size_t m : trial_cells) {
          for (size_t e : s.equations_of[m]) {
            for (const auto& [h, coef] : s.equations[e]) {
              if (status[h] != CellStatus::kShown) fresh[h] = 1, any = true;
            }
          }
        }
        if (!any) break;  // no hidden cell shares an equation with them: nothing to attack
        const std::vector<size_t> attacked = Recheck(s, status, threshold, attack, fresh, exposed, scratch, stats);
        work += attacked.size();
        for (size_t g : attacked) {
          if (exposed[g]) pinned.push_back(g);
          exposed[g] = 0;
        }
        if (!pinned.empty()) break;
      }
      if (pinned.empty()) {
        ok = true;
        break;
      }
      // The pinned cells as the next step: each group once, every one of them releasable.
      step.clear();
      bool releasable = pinned.size() <= kReleaseChainCells;
      for (size_t g : pinned) {
        if (!releasable) break;
        bool member = true;
        s.ForGroup(g, [&](size_t m) {
          releasable = releasable && status[m] == CellStatus::kSecondary && s.value[m] >= threshold;
          member = member && std::find(step.begin(), step.end(), m) == step.end();
        });
        if (member) step.push_back(g);
      }
      if (!releasable) break;
    }
    for (size_t m : trial_cells) {
      if (!ok) {
        status[m] = CellStatus::kSecondary;
        continue;
      }
      ++released;
      if (stats && !s.is_total[m]) ++stats->released_inner;
    }
  };
  for (const auto* candidates : {&totals, &inner}) {
    for (size_t first : *candidates) {
      if (work >= budget) break;
      trial(first);
    }
  }
  return released;
}

}  // namespace

void Suppress(std::vector<CountTable>& tables, const std::vector<SumLink>& links, int threshold,
              SuppressionStats* stats) {
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
  RelabelStructuralPins(s, status, threshold);
  std::vector<char> exposed(status.size(), 0), fresh(status.size(), 0);
  for (size_t g = 0; g < status.size(); ++g) fresh[g] = status[g] != CellStatus::kShown;
  Scratch scratch{std::vector<int>(status.size(), -1)};
  // The quick attack to a fixpoint (it finds most of what secondary suppression has to answer
  // — a primary cell alone in a line, a line held tight by the bounds — without elimination),
  // then one round of the full attack on the components that changed since its last round,
  // and again until the full attack finds nothing. Each round hides at least one more cell or
  // relabels one primary cell, so this ends (at worst with everything hidden).
  std::vector<char> fresh_full = fresh;
  Visits visits;
  for (;;) {
    fresh = fresh_full;
    for (;;) {
      if (stats) ++stats->quick_rounds;
      Recheck(s, status, threshold, Attack::kQuick, fresh, exposed, scratch, stats);
      if (!HideAroundExposed(s, status, exposed, fresh, fresh_full, visits)) break;
    }
    if (stats) ++stats->rounds;
    Recheck(s, status, threshold, Attack::kFull, fresh_full, exposed, scratch, stats);
    fresh.assign(fresh.size(), 0);
    if (!HideAroundExposed(s, status, exposed, fresh, fresh_full, visits)) break;
  }
  const int64_t released = ReleaseHidden(s, status, threshold, scratch, stats);
  if (stats) stats->released = released;
  for (size_t g = 0; g < status.size(); ++g) {
    const CellRef& ref = s.refs[g];
    CountTable& t = tables[static_cast<size_t>(ref.table)];
    t.status[t.Index(ref.row, ref.column)] = status[g];
    if (stats && status[g] != CellStatus::kShown) ++stats->hidden;
  }
  ResolveMeasures(tables, threshold);
}

std::vector<CellRef> RecoverableCells(const std::vector<CountTable>& tables,
                                      const std::vector<SumLink>& links, int threshold) {
  const System s(tables, links);
  const std::vector<CellStatus> status = GlobalStatus(s, tables);
  std::vector<char> exposed(status.size(), 0), fresh(status.size(), 0);
  for (size_t g = 0; g < status.size(); ++g) fresh[g] = status[g] != CellStatus::kShown;
  Scratch scratch{std::vector<int>(status.size(), -1)};
  Recheck(s, status, std::max(threshold, 2), Attack::kFull, fresh, exposed, scratch, nullptr);
  std::vector<CellRef> out;
  for (size_t g = 0; g < status.size(); ++g) {
    if (exposed[g]) out.push_back(s.refs[g]);
  }
  return out;
}

}  // namespace ix::statistics
