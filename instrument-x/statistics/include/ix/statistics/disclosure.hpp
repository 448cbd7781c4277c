// Disclosure control for tables that leave the municipality.
//
// Primary suppression hides every count from 1 to threshold−1 (shown as "<5" with the default
// threshold 5). Secondary suppression then hides further cells until no hidden cell can be
// pinned to one value from what is published: the shown cells, the row and column totals of
// each table and the sums that link tables (women + men + other = all; a per-sex age table's
// row total = the category × sex cell), together with the bounds every reader knows (a "<5"
// cell is 1…threshold−1, a ".." cell is ≥ 0). The check is an honest attack, not a rule of
// thumb, run on each group of hidden cells linked by equations:
//  - linear: a hidden cell is disclosed when its unit vector lies in the row space of the
//    equations (reduced row echelon form over the hidden cells), or when hidden primary cells
//    whose sum follows from the equations are at their minimum or maximum;
//  - intervals: the bounds are propagated through the published and the derived (echelon)
//    equations to a fixpoint (capped); a hidden cell whose interval holds one integer is
//    disclosed — a primary cell must keep at least two values in 1…threshold−1, a hidden zero
//    must not be pinned to 0.
// Where the bounds alone pin a line whatever is hidden (a "<5" total over four parts of at
// least 1), one primary cell of that line is shown as ".." (kSecondary) instead of "<5"; so is
// one primary cell next to a cell the rounds find pinned with nothing left to hide, one at a
// time (each such ".." waits for the re-check before the next).
// Complements are chosen by their count times one plus the lines they would be the only hidden
// cell of (so that one "<5" cell does not cascade through the links); cells equal by a
// published equation are hidden and shown together; at the end hidden cells of at least the
// threshold are shown again — totals, then inner cells, with the cells a trial pins when they
// may be shown too — whenever the attack still pins nothing (work bounded, deterministic).
//
// Not covered (documented in docs/statistics.md): narrowing by linear programming (it can
// narrow further than propagation), and linking tables across separate reports.
#ifndef IX_STATISTICS_DISCLOSURE_HPP
#define IX_STATISTICS_DISCLOSURE_HPP

#include <ix/core/model.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ix::statistics {

// Bilingual labels are the domain's own type.
using core::LocalizedText;

enum class CellStatus : uint8_t {
  kShown,
  kPrimary,    // 1 … threshold−1 persons: shown as "<threshold"
  kSecondary,  // hidden so that a primary cell cannot be recovered: shown as ".."
};

enum class PercentOf : uint8_t { kNone, kRowTotal, kColumnTotal };

// A cell of one table in a list of tables (row/column may be the total row/column).
struct CellRef {
  int table = 0;
  int row = 0;
  int column = 0;
  friend bool operator==(const CellRef&, const CellRef&) = default;
};

// A table of counts. `cells` covers the extended grid: inner rows, then (if column_totals) a
// total row; inner columns, then (if row_totals) a total column.
struct CountTable {
  std::string id;  // stable machine name, e.g. "movements.women"
  LocalizedText title;
  std::vector<LocalizedText> row_labels;
  std::vector<LocalizedText> column_labels;
  bool row_totals = true;     // a total column at the right
  bool column_totals = true;  // a total row at the bottom
  PercentOf percent = PercentOf::kNone;
  std::vector<int64_t> cells;
  std::vector<CellStatus> status;
  // A measure table holds values computed from counts of other tables (e.g. a median in days),
  // not counts: it has no totals, takes part in no equation and is not suppressed by its own
  // values. Each inner cell (row-major) is published only when the count it is computed from,
  // `basis[i]`, is shown and at least max(threshold, min_basis[i], 1); otherwise it is hidden
  // as kSecondary ("..").
  bool measure = false;
  std::vector<CellRef> basis;
  std::vector<int64_t> min_basis;

  int Rows() const { return static_cast<int>(row_labels.size()); }
  int Columns() const { return static_cast<int>(column_labels.size()); }
  int ExtRows() const { return Rows() + (column_totals ? 1 : 0); }
  int ExtColumns() const { return Columns() + (row_totals ? 1 : 0); }
  size_t Index(int row, int column) const {
    return static_cast<size_t>(row) * static_cast<size_t>(ExtColumns()) + static_cast<size_t>(column);
  }
  int64_t& At(int row, int column) { return cells[Index(row, column)]; }
  int64_t At(int row, int column) const { return cells[Index(row, column)]; }
  CellStatus StatusAt(int row, int column) const {
    return status.empty() ? CellStatus::kShown : status[Index(row, column)];
  }
  // Sizes `cells` for the labels (zeros); call before filling inner cells.
  void Allocate();
  // Fills the total row/column from the inner cells.
  void ComputeTotals();
};

// A published relation between tables: the parts add up to the total.
struct SumLink {
  std::vector<CellRef> parts;
  CellRef total;
};

// Marks every cell kShown (internal reports opt out of disclosure control explicitly); a
// measure cell whose basis is zero has no value and stays hidden.
void ShowAll(std::vector<CountTable>& tables);

// What one Suppress call did, for benchmarks.
struct SuppressionStats {
  int quick_rounds = 0;            // hide-and-re-check rounds with the quick attack
  int rounds = 0;                  // hide-and-re-check rounds with the full attack
  int64_t component_checks = 0;    // groups of linked hidden cells attacked
  double linear_seconds = 0;       // elimination and the bounds attack on derived sums
  double propagation_seconds = 0;  // interval propagation
  int64_t hidden = 0;              // cells hidden at the end (primary and secondary)
  int64_t released = 0;            // hidden cells shown again by the release pass
  int64_t released_inner = 0;      // of which inner cells (not on a total row or column)
};

// Primary and secondary suppression over all tables and links. threshold >= 2.
void Suppress(std::vector<CountTable>& tables, const std::vector<SumLink>& links, int threshold,
              SuppressionStats* stats = nullptr);

// The attack: hidden cells whose value follows exactly (linear) or can be pinned to one value
// (interval propagation with the bounds above) from the shown cells, the table totals and the
// links. Empty after Suppress unless there was nothing left to hide around a cell.
std::vector<CellRef> RecoverableCells(const std::vector<CountTable>& tables,
                                      const std::vector<SumLink>& links, int threshold);

}  // namespace ix::statistics

#endif  // IX_STATISTICS_DISCLOSURE_HPP
