// Reports as publishable tables: labelled in Swedish and English, linked by the sums an outsider
// could use, and put through disclosure control unless the report is explicitly internal.
// The renderers (render.hpp) and the canonical-message conversion (adapters/store) read only
// this, so a table is suppressed once and looks the same in JSON, CSV and HTML.
#ifndef IX_STATISTICS_PUBLICATION_HPP
#define IX_STATISTICS_PUBLICATION_HPP

#include <ix/statistics/disclosure.hpp>
#include <ix/statistics/reports.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ix::statistics {

enum class ReportKind { kSnapshot, kMovements, kKas, kEquality, kCaseload, kTrend, kOutcomes, kLeadTimes, kIndicators };
inline constexpr ReportKind kAllReportKinds[] = {ReportKind::kSnapshot,   ReportKind::kMovements,
                                                 ReportKind::kTrend,      ReportKind::kKas,
                                                 ReportKind::kOutcomes,   ReportKind::kLeadTimes,
                                                 ReportKind::kIndicators, ReportKind::kEquality,
                                                 ReportKind::kCaseload};
const char* ReportKindName(ReportKind kind);  // "snapshot", "movements", …
std::optional<ReportKind> ParseReportKind(std::string_view name);

LocalizedText CategoryLabel(int category);
LocalizedText SexLabel(int sex);
LocalizedText ExitLabel(ExitReason reason);
LocalizedText KasLabel(int outcome);
LocalizedText LeadStepLabel(int step);
const char* LeadStepCode(int step);  // "visit_to_application", …, "intervention_gap"
LocalizedText IndicatorLabel(int indicator);

// A row of the KAS export (and of the kas.kind_category tables): an intervention kind and a
// category at start that occur in the report, in (kind, category) order.
struct KasExportRow {
  std::string kind;
  int category = 0;
  friend auto operator<=>(const KasExportRow&, const KasExportRow&) = default;
};
std::vector<KasExportRow> KasExportRows(const KasReport& kas);

// An equality flag with the table cells behind its four counts (so suppression applies).
struct PublishedFlag {
  EqualityFlag flag;
  CellRef women_count, women_base, men_count, men_base;
};

// A "due" item of the caseload view, computed by the caller from the process clocks.
struct DueItem {
  std::string caseworker;
  std::string clock;     // machine name of the clock, e.g. "action_plan"
  LocalizedText label;
  int64_t overdue = 0;   // persons whose deadline has passed on the report date
  int64_t due_soon = 0;  // persons due within the look-ahead window
};

struct Publication {
  ReportKind kind = ReportKind::kSnapshot;
  LocalizedText title;
  std::vector<std::pair<std::string, std::string>> parameters;  // name -> value, in order
  std::vector<CountTable> tables;
  std::vector<SumLink> links;
  std::vector<PublishedFlag> flags;
  std::vector<LocalizedText> notes;
  bool disclosure_control = false;  // false: internal report, every count shown
  int threshold = 5;
};

// Builds the tables of one report (all cells shown; call Protect next).
Publication Publish(ReportKind kind, const Reports& reports);
// Applies disclosure control (internal = false) or marks the report internal (every cell shown).
void Protect(Publication& publication, bool internal, int threshold);

// The text a cell is shown as: the count, "<threshold" (primary) or ".." (secondary).
std::string CellText(const Publication& p, const CountTable& t, int row, int column);
// The percentage of a cell of its row / column total, when both are shown; nullopt otherwise.
std::optional<double> CellPercent(const CountTable& t, int row, int column);
// The denominator of CellPercent (the row or column total), if shown.
std::optional<int64_t> CellDenominator(const CountTable& t, int row, int column);

}  // namespace ix::statistics

#endif  // IX_STATISTICS_PUBLICATION_HPP
