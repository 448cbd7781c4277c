// CSV and self-contained HTML (inline CSS and SVG charts, no scripts, no external resources)
// for publications. Pure string building, kept in the core beside the tables it renders so the
// CLI, the server and the tests produce byte-identical output. (JSON is the canonical
// ix.v1.StatisticsReport message, converted in adapters/store.)
#ifndef IX_STATISTICS_RENDER_HPP
#define IX_STATISTICS_RENDER_HPP

#include <ix/statistics/publication.hpp>

#include <string>
#include <vector>

namespace ix::statistics {

enum class Language { kSv, kEn };
const std::string& InLanguage(const LocalizedText& text, Language lang);

// UTF-8 CSV (RFC 4180 quoting), one row per cell in long format:
// report,table,row,column,value,count,percent,denominator. `value` is what a reader sees
// ("12", "<5", ".."); `count` is empty for a suppressed cell.
std::string RenderCsv(const std::vector<Publication>& publications, Language lang);

// One HTML document: every table, plus charts — category × sex bars (snapshot), a movement
// heat map (movements), persons per month by sex (trend). Suppressed cells are drawn as such.
std::string RenderHtml(const std::vector<Publication>& publications, Language lang,
                       const std::string& heading);

}  // namespace ix::statistics

#endif  // IX_STATISTICS_RENDER_HPP
