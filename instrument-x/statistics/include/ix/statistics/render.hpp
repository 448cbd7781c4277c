// CSV and self-contained HTML (inline CSS and SVG charts, no scripts, no external resources)
// for publications. Pure string building, kept in the core beside the tables it renders so the
// CLI, the server and the tests produce byte-identical output. (JSON is the canonical
// ix.v1.StatisticsReport message, converted in adapters/store.)
#ifndef IX_STATISTICS_RENDER_HPP
#define IX_STATISTICS_RENDER_HPP

#include <ix/statistics/publication.hpp>
#include <ix/statistics/texts.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ix::statistics {

// Every text is read in the reader's language (texts.hpp: the report text table and the
// fallback rule); codes, ids, table ids and parameter names stay as they are in every language.

// A CSV field (RFC 4180 quoting when needed) and text for HTML (& < > " escaped): the one
// escaping of every statistics output, also the network report's (adapters/store).
std::string CsvField(std::string_view s);
std::string Html(std::string_view s);

// UTF-8 CSV (RFC 4180 quoting), one row per cell in long format:
// report,table,row,column,value,count,percent,denominator. `value` is what a reader sees
// ("12", "<5", ".."); `count` is empty for a suppressed cell. The header is those keys, in Swedish
// (rapport,tabell,…) when the report is in Swedish, as it always was; `report` and `table` are
// codes, `row` and `column` the labels in the reader's language.
std::string RenderCsv(const std::vector<Publication>& publications, const Language& lang);

// The KAS export, in the shape the network collects: one line per intervention kind ×
// category at the intervention's start × sex × outcome (plus outcome "all": the participants),
// machine codes only, from the protected kas.kind_category tables of a KAS publication
// (`rows` = KasExportRows of the same report). Columns:
// municipality,from,to,intervention_kind,category_at_start,sex,outcome,value,count — `value`
// as a reader sees it ("12", "<5", ".."), `count` empty when suppressed.
std::string RenderKasExport(const Publication& kas, const std::vector<KasExportRow>& rows);
const char* CategoryCode(int category);  // "am1", …, "not_categorised"
const char* KasOutcomeCode(int outcome);  // "not_recorded", "unsubsidised_work", …

// One HTML document: every table, plus charts — category × sex bars (snapshot), a movement
// heat map (movements), persons per month by sex (trend). Suppressed cells are drawn as such.
// `<html lang dir>` is the report language (right to left for Arabic, the layout mirrors); a
// text that fell back to another language carries its own `lang`; a representative translation
// says so under the heading, and a reader whose language has no report texts is told which
// language the report is in.
std::string RenderHtml(const std::vector<Publication>& publications, const Language& lang,
                       const std::string& heading);

}  // namespace ix::statistics

#endif  // IX_STATISTICS_RENDER_HPP
