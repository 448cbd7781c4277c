#include <ix/statistics/render.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace ix::statistics {

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string Fixed(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

LocalizedText RowText(const CountTable& t, int r) {
  return r < t.Rows() ? t.row_labels[static_cast<size_t>(r)] : TotalLabel();
}
LocalizedText ColumnText(const CountTable& t, int c) {
  return c < t.Columns() ? t.column_labels[static_cast<size_t>(c)] : TotalLabel();
}
std::string RowLabel(const CountTable& t, int r, const Language& lang) { return InLanguage(RowText(t, r), lang); }
std::string ColumnLabel(const CountTable& t, int c, const Language& lang) { return InLanguage(ColumnText(t, c), lang); }

// A text for an HTML element, escaped. A text that fell back to another language than the
// page's carries its own lang and dir, so it is read out in its language (a code, number or id
// reads the same in every language and is not marked).
std::string Marked(const LocalizedText& text, const Language& lang) {
  std::string used;
  const std::string shown = InLanguage(text, lang, &used);
  if (used == lang.used || (text.sv == text.en && text.translations.empty())) return Html(shown);
  const auto tag = core::ParseLanguageTag(used);
  return "<span lang=\"" + used + "\" dir=\"" + (tag && core::IsRightToLeft(*tag) ? "rtl" : "ltr") + "\">" + Html(shown) +
         "</span>";
}

}  // namespace

std::string RenderCsv(const std::vector<Publication>& publications, const Language& lang) {
  std::string out = lang.used == "sv" ? "rapport,tabell,rad,kolumn,värde,antal,procent,nämnare\r\n"
                                      : "report,table,row,column,value,count,percent,denominator\r\n";
  for (const Publication& p : publications) {
    for (const CountTable& t : p.tables) {
      for (int r = 0; r < t.ExtRows(); ++r) {
        for (int c = 0; c < t.ExtColumns(); ++c) {
          const bool shown = t.StatusAt(r, c) == CellStatus::kShown;
          const auto pct = CellPercent(t, r, c);
          const auto denominator = CellDenominator(t, r, c);
          out += CsvField(ReportKindName(p.kind));
          out += ',' + CsvField(t.id);
          out += ',' + CsvField(RowLabel(t, r, lang));
          out += ',' + CsvField(ColumnLabel(t, c, lang));
          out += ',' + CsvField(CellText(p, t, r, c));
          out += ',' + (shown ? std::to_string(t.At(r, c)) : std::string());
          out += ',' + (pct ? Fixed(*pct) : std::string());
          out += ',' + (pct && denominator ? std::to_string(*denominator) : std::string());
          out += "\r\n";
        }
      }
    }
  }
  return out;
}

const char* CategoryCode(int category) {
  static const char* kCodes[kReportCategoryCount] = {"am1",      "am2",      "am3",      "rh_only",
                                                     "am_rh_r1", "am_rh_r2", "am_rh_r3", "am_rh_several",
                                                     "further_investigation", "not_categorised"};
  return category >= 0 && category < kReportCategoryCount ? kCodes[category] : "?";
}

const char* KasOutcomeCode(int outcome) {
  static const char* kCodes[kKasOutcomeCount] = {"not_recorded", "unsubsidised_work", "subsidised_work", "studies",
                                                 "completed_assignment", "returned_to_referrer", "other"};
  return outcome >= 0 && outcome < kKasOutcomeCount ? kCodes[outcome] : "?";
}

std::string RenderKasExport(const Publication& kas, const std::vector<KasExportRow>& rows) {
  std::string out = "municipality,from,to,intervention_kind,category_at_start,sex,outcome,value,count\r\n";
  std::string municipality, from, to;
  for (const auto& [name, value] : kas.parameters) {
    if (name == "municipality") municipality = value;
    if (name == "from") from = value;
    if (name == "to") to = value;
  }
  static const char* kSexes[kSexGroupCount] = {"women", "men", "other"};
  for (int sex = 0; sex < kSexGroupCount; ++sex) {
    const CountTable* t = nullptr;
    for (const CountTable& table : kas.tables) {
      if (table.id == std::string("kas.kind_category.") + kSexes[sex]) t = &table;
    }
    if (t == nullptr || t->Rows() != static_cast<int>(rows.size())) continue;
    for (int r = 0; r < t->Rows(); ++r) {
      for (int c = 0; c <= kKasOutcomeCount && c < t->ExtColumns(); ++c) {
        out += CsvField(municipality) + ',' + CsvField(from) + ',' + CsvField(to) + ',' +
               CsvField(rows[static_cast<size_t>(r)].kind) + ',' + CategoryCode(rows[static_cast<size_t>(r)].category) +
               ',' + kSexes[sex] + ',' + (c == kKasOutcomeCount ? "all" : KasOutcomeCode(c)) + ',' +
               CsvField(CellText(kas, *t, r, c)) + ',' +
               (t->StatusAt(r, c) == CellStatus::kShown ? std::to_string(t->At(r, c)) : std::string()) + "\r\n";
      }
    }
  }
  return out;
}

namespace {

constexpr const char* kSexColours[kSexGroupCount] = {"#c2185b", "#1565c0", "#6d6d6d"};

// A value axis with round ticks: a step of 1, 2 or 5 × 10^k such that at most four steps cover
// `max`; the axis ends at the first tick at or above it. (Ticks at quarters of the maximum
// would be labelled with rounded values that are not where the lines are.)
struct ValueAxis {
  int64_t step = 1;
  int64_t top = 1;
  int ticks = 1;  // intervals: ticks + 1 lines, 0 … top
};
ValueAxis AxisFor(int64_t max) {
  ValueAxis a;
  max = std::max<int64_t>(max, 1);
  for (int64_t magnitude = 1;; magnitude *= 10) {
    for (int64_t m : {1, 2, 5}) {
      if (m * magnitude * 4 >= max) {
        a.step = m * magnitude;
        a.ticks = static_cast<int>((max + a.step - 1) / a.step);
        a.top = a.step * a.ticks;
        return a;
      }
    }
  }
}

// Horizontal gridlines and their values, from `left` to `right`, over a plot from `top`
// (value axis.top) to `top + height` (0).
std::string Gridlines(const ValueAxis& axis, int left, int right, int top, double height) {
  std::string s;
  for (int i = 0; i <= axis.ticks; ++i) {
    const double y = top + height - height * i / axis.ticks;
    s += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(right) + "\" y1=\"" + Fixed(y) +
         "\" y2=\"" + Fixed(y) + "\" stroke=\"#ddd\"/><text x=\"" + std::to_string(left - 6) + "\" y=\"" +
         Fixed(y + 4) + "\" text-anchor=\"end\" font-size=\"11\">" + std::to_string(axis.step * i) + "</text>";
  }
  return s;
}

// The width of a label at font size 11, estimated from its characters (about 5.6 px each):
// room for slanted labels, not a text layout.
double LabelWidth(std::string_view label) {
  size_t characters = 0;
  for (unsigned char c : label) characters += (c & 0xC0) != 0x80;  // UTF-8 lead bytes
  return 5.6 * static_cast<double>(characters);
}

// Grouped bars: one group per category, one bar per sex (snapshot's category × sex table).
std::string BarChart(const Publication& p, const CountTable& t, const Language& lang) {
  const int groups = t.Rows(), bars = std::min(t.Columns(), kSexGroupCount);
  int64_t max = 1;
  for (int r = 0; r < groups; ++r) {
    for (int c = 0; c < bars; ++c) {
      if (t.StatusAt(r, c) == CellStatus::kShown) max = std::max(max, t.At(r, c));
    }
  }
  const ValueAxis axis = AxisFor(max);
  const int plot_right = 1100, left = 50, top = 20;
  const double plot_h = 230;
  const double group_w = static_cast<double>(plot_right - left - 10) / groups;
  const double bar_w = group_w * 0.8 / bars;
  // Group labels slant 30° below their bars; long ones (an indicator, a kind / category) slant
  // 60° so that they do not run under the next groups' labels, and stand upright, smaller, when
  // the groups are too narrow for that (the outcomes' kind / category rows). The chart grows
  // down and to the right until the longest label fits, legend below it.
  double longest = 0;
  for (int r = 0; r < groups; ++r) longest = std::max(longest, LabelWidth(RowLabel(t, r, lang)));
  const int angle = longest * 0.87 <= group_w * 2 ? 30 : group_w >= 16 ? 60 : 90;
  const double font = angle < 90 ? 11 : std::clamp(std::floor(group_w * 0.85), 7.0, 11.0);
  longest = longest * font / 11;
  const double radians = angle * 3.14159265358979 / 180.0;
  const int label_h = static_cast<int>(std::ceil(longest * std::sin(radians))) + 20;
  const int bottom = std::max(110, label_h + 40);
  const double last_label_x = left + group_w * (groups - 1) + group_w * 0.5;
  const int W = std::max(plot_right, static_cast<int>(std::ceil(last_label_x + longest * std::cos(radians))) + 10);
  const int H = top + static_cast<int>(plot_h) + bottom;
  std::string s = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + std::to_string(W) + " " +
                  std::to_string(H) + "\" width=\"" + std::to_string(W) + "\" height=\"" +
                  std::to_string(H) + "\" xmlns=\"http://www.w3.org/2000/svg\">";
  s += "<title>" + Html(InLanguage(t.title, lang)) + "</title>";
  s += Gridlines(axis, left, plot_right - 10, top, plot_h);
  for (int r = 0; r < groups; ++r) {
    const double gx = left + group_w * r + group_w * 0.1;
    for (int c = 0; c < bars; ++c) {
      const double x = gx + bar_w * c;
      if (t.StatusAt(r, c) == CellStatus::kShown) {
        const double h = plot_h * static_cast<double>(t.At(r, c)) / static_cast<double>(axis.top);
        s += "<rect x=\"" + Fixed(x) + "\" y=\"" + Fixed(top + plot_h - h) + "\" width=\"" +
             Fixed(bar_w - 2) + "\" height=\"" + Fixed(h) + "\" fill=\"" + kSexColours[c] +
             "\"><title>" + Html(RowLabel(t, r, lang) + ", " + ColumnLabel(t, c, lang) + ": " +
                                 std::to_string(t.At(r, c))) +
             "</title></rect>";
      } else {
        s += "<text x=\"" + Fixed(x + bar_w / 2) + "\" y=\"" + Fixed(top + plot_h - 4) +
             "\" text-anchor=\"middle\" font-size=\"10\" fill=\"" + kSexColours[c] + "\">" +
             Html(CellText(p, t, r, c)) + "</text>";
      }
    }
    s += "<text transform=\"translate(" + Fixed(gx + group_w * 0.4) + "," + Fixed(top + plot_h + 12) + ") rotate(" +
         std::to_string(angle) + ")\" font-size=\"" + Fixed(font, 0) + "\">" + Html(RowLabel(t, r, lang)) + "</text>";
  }
  for (int c = 0; c < bars; ++c) {
    s += "<rect x=\"" + std::to_string(left + 160 * c) + "\" y=\"" + std::to_string(H - 16) +
         "\" width=\"12\" height=\"12\" fill=\"" + kSexColours[c] + "\"/><text x=\"" +
         std::to_string(left + 160 * c + 16) + "\" y=\"" + std::to_string(H - 6) +
         "\" font-size=\"12\">" + Html(ColumnLabel(t, c, lang)) + "</text>";
  }
  return s + "</svg>";
}

// Women and men side by side over the rows of a pair of per-sex tables (`column` of each;
// the total column when `column` < 0), suppressed as those cells are.
std::string SexPairChart(const Publication& p, const std::string& women_id, const std::string& men_id, int column,
                         const LocalizedText& title, const Language& lang) {
  const CountTable* by_sex[2] = {nullptr, nullptr};
  for (const CountTable& t : p.tables) {
    if (t.id == women_id) by_sex[0] = &t;
    if (t.id == men_id) by_sex[1] = &t;
  }
  if (by_sex[0] == nullptr || by_sex[1] == nullptr || by_sex[0]->Rows() == 0) return {};
  CountTable chart;
  chart.id = women_id + ".chart";
  chart.title = title;
  chart.row_labels = by_sex[0]->row_labels;
  chart.column_labels = {SexLabel(0), SexLabel(1)};
  chart.row_totals = chart.column_totals = false;
  chart.Allocate();
  chart.status.assign(chart.cells.size(), CellStatus::kShown);
  for (int r = 0; r < chart.Rows(); ++r) {
    for (int x = 0; x < 2; ++x) {
      const CountTable& t = *by_sex[x];
      const int c = column < 0 ? t.Columns() : column;
      chart.At(r, x) = t.At(r, c);
      chart.status[chart.Index(r, x)] = t.StatusAt(r, c);
    }
  }
  return BarChart(p, chart, lang);
}

// Heat map of the inner cells of a movements table.
std::string HeatMap(const Publication& p, const CountTable& t, const Language& lang) {
  int64_t max = 1;
  for (int r = 0; r < t.Rows(); ++r) {
    for (int c = 0; c < t.Columns(); ++c) {
      if (t.StatusAt(r, c) == CellStatus::kShown) max = std::max(max, t.At(r, c));
    }
  }
  const int cell = 52, left = 190, top = 150;
  const int W = left + cell * t.Columns() + 10, H = top + cell * t.Rows() + 10;
  std::string s = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + std::to_string(W) + " " +
                  std::to_string(H) + "\" width=\"" + std::to_string(W) + "\" height=\"" +
                  std::to_string(H) + "\" xmlns=\"http://www.w3.org/2000/svg\">";
  s += "<title>" + Html(InLanguage(t.title, lang)) + "</title>";
  for (int c = 0; c < t.Columns(); ++c) {
    s += "<text transform=\"translate(" + std::to_string(left + cell * c + cell / 2) + "," +
         std::to_string(top - 6) + ") rotate(-50)\" font-size=\"11\">" +
         Html(ColumnLabel(t, c, lang)) + "</text>";
  }
  for (int r = 0; r < t.Rows(); ++r) {
    const int y = top + cell * r;
    s += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(y + cell / 2 + 4) +
         "\" text-anchor=\"end\" font-size=\"11\">" + Html(RowLabel(t, r, lang)) + "</text>";
    for (int c = 0; c < t.Columns(); ++c) {
      const int x = left + cell * c;
      const bool shown = t.StatusAt(r, c) == CellStatus::kShown;
      const double v = shown ? std::sqrt(static_cast<double>(t.At(r, c)) / static_cast<double>(max)) : 0;
      const std::string fill = shown ? "rgba(21,101,192," + Fixed(0.05 + 0.95 * v, 3) + ")" : "#e0e0e0";
      s += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           std::to_string(cell - 2) + "\" height=\"" + std::to_string(cell - 2) + "\" fill=\"" +
           fill + "\"/>";
      s += "<text x=\"" + std::to_string(x + cell / 2 - 1) + "\" y=\"" + std::to_string(y + cell / 2 + 4) +
           "\" text-anchor=\"middle\" font-size=\"11\" fill=\"" + (v > 0.6 ? "#fff" : "#222") + "\">" +
           Html(CellText(p, t, r, c)) + "</text>";
    }
  }
  return s + "</svg>";
}

// Lines per sex over the months of a trend table.
std::string TrendChart(const CountTable& t, const Language& lang) {
  const int W = 1100, H = 320, left = 60, right = 20, top = 20, bottom = 60;
  int64_t max = 1;
  for (int r = 0; r < t.Rows(); ++r) {
    for (int c = 0; c < std::min(t.Columns(), kSexGroupCount); ++c) {
      if (t.StatusAt(r, c) == CellStatus::kShown) max = std::max(max, t.At(r, c));
    }
  }
  const double plot_w = W - left - right, plot_h = H - top - bottom;
  const int n = std::max(t.Rows(), 2);
  auto X = [&](int r) { return left + plot_w * r / (n - 1); };
  const ValueAxis axis = AxisFor(max);
  auto Y = [&](int64_t v) { return top + plot_h - plot_h * static_cast<double>(v) / static_cast<double>(axis.top); };
  std::string s = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + std::to_string(W) + " " +
                  std::to_string(H) + "\" width=\"" + std::to_string(W) + "\" height=\"" +
                  std::to_string(H) + "\" xmlns=\"http://www.w3.org/2000/svg\">";
  s += "<title>" + Html(InLanguage(t.title, lang)) + "</title>";
  s += Gridlines(axis, left, W - right, top, plot_h);
  const int step = std::max(1, t.Rows() / 12);
  for (int r = 0; r < t.Rows(); r += step) {
    s += "<text x=\"" + Fixed(X(r)) + "\" y=\"" + std::to_string(H - bottom + 16) +
         "\" text-anchor=\"middle\" font-size=\"11\">" + Html(RowLabel(t, r, lang)) + "</text>";
  }
  for (int c = 0; c < std::min(t.Columns(), kSexGroupCount); ++c) {
    std::string points;
    for (int r = 0; r < t.Rows(); ++r) {
      if (t.StatusAt(r, c) != CellStatus::kShown) {  // a gap where the count is suppressed
        if (!points.empty()) s += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" +
                                  std::string(kSexColours[c]) + "\" points=\"" + points + "\"/>";
        points.clear();
        continue;
      }
      points += Fixed(X(r)) + "," + Fixed(Y(t.At(r, c))) + " ";
    }
    if (!points.empty()) s += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" +
                              std::string(kSexColours[c]) + "\" points=\"" + points + "\"/>";
    s += "<rect x=\"" + std::to_string(left + 180 * c) + "\" y=\"" + std::to_string(H - 18) +
         "\" width=\"12\" height=\"12\" fill=\"" + kSexColours[c] + "\"/><text x=\"" +
         std::to_string(left + 180 * c + 16) + "\" y=\"" + std::to_string(H - 8) +
         "\" font-size=\"12\">" + Html(ColumnLabel(t, c, lang)) + "</text>";
  }
  return s + "</svg>";
}

std::string TableHtml(const Publication& p, const CountTable& t, const Language& lang) {
  std::string s = "<table><caption>" + Marked(t.title, lang) + "</caption><thead><tr><th></th>";
  for (int c = 0; c < t.ExtColumns(); ++c) s += "<th>" + Marked(ColumnText(t, c), lang) + "</th>";
  s += "</tr></thead><tbody>";
  for (int r = 0; r < t.ExtRows(); ++r) {
    s += r == t.Rows() ? "<tr class=\"total\">" : "<tr>";
    s += "<th>" + Marked(RowText(t, r), lang) + "</th>";
    for (int c = 0; c < t.ExtColumns(); ++c) {
      const CellStatus st = t.StatusAt(r, c);
      s += st == CellStatus::kShown ? "<td>" : "<td class=\"hidden\">";
      s += Html(CellText(p, t, r, c));
      if (const auto pct = CellPercent(t, r, c); pct && r < t.Rows() && c < t.Columns()) {
        s += "<small>" + Fixed(*pct) + "&#8239;%</small>";
      }
      s += "</td>";
    }
    s += "</tr>";
  }
  return s + "</tbody></table>";
}

std::string FlagsHtml(const Publication& p, const Language& lang) {
  if (p.flags.empty()) return {};
  std::string s = "<h3>" + Marked({"Flaggade skillnader", "Flagged differences"}, lang) + "</h3><table><thead><tr><th>" +
                  Marked({"Mått", "Measure"}, lang) + "</th><th>" + Marked({"Kategori", "Category"}, lang) + "</th><th>" +
                  Marked(SexLabel(0), lang) + "</th><th>" + Marked(SexLabel(1), lang) + "</th><th>" +
                  Marked({"Skillnad (procentenheter)", "Difference (percentage points)"}, lang) + "</th></tr></thead><tbody>";
  auto part = [&](const CellRef& count, const CellRef& base) {
    const CountTable& t = p.tables[static_cast<size_t>(count.table)];
    const CountTable& b = p.tables[static_cast<size_t>(base.table)];
    std::string text = CellText(p, t, count.row, count.column) + " / " +
                       CellText(p, b, base.row, base.column);
    const bool shown = t.StatusAt(count.row, count.column) == CellStatus::kShown &&
                       b.StatusAt(base.row, base.column) == CellStatus::kShown;
    if (shown && b.At(base.row, base.column) > 0) {
      text += " (" + Fixed(100.0 * static_cast<double>(t.At(count.row, count.column)) /
                           static_cast<double>(b.At(base.row, base.column))) + "&#8239;%)";
    }
    return std::make_pair(text, shown);
  };
  for (const PublishedFlag& f : p.flags) {
    const auto [women, wshown] = part(f.women_count, f.women_base);
    const auto [men, mshown] = part(f.men_count, f.men_base);
    s += "<tr class=\"flag\"><td>" + Html(f.flag.measure) + "</td><td>" +
         Marked(f.flag.category < 0 ? LocalizedText{"Alla kategoriserade", "All categorised"}
                                    : CategoryLabel(f.flag.category), lang) +
         "</td><td>" + women + "</td><td>" + men + "</td><td>" +
         (wshown && mshown ? Fixed(f.flag.difference_pp) : std::string("..")) + "</td></tr>";
  }
  return s + "</tbody></table>";
}

}  // namespace

std::string RenderHtml(const std::vector<Publication>& publications, const Language& lang,
                       const std::string& heading) {
  std::string s = "<!DOCTYPE html>\n<html lang=\"" + lang.used + "\" dir=\"" + (lang.RightToLeft() ? "rtl" : "ltr") +
                  "\"><head><meta charset=\"utf-8\"><title>" + Html(heading) +
                  "</title><style>"
                  // Logical properties (start, inline-start), so a right-to-left page mirrors.
                  "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222}"
                  "h1{font-size:26px;margin:0 0 8px}h2{font-size:20px;margin:28px 0 6px;"
                  "border-bottom:2px solid #1565c0}p.params{color:#555;margin:2px 0}"
                  ".notice{background:#fff8e1;border-inline-start:4px solid #f9a825;padding:6px 10px;"
                  "font-size:13px}.internal{background:#ffebee;border-color:#c62828}"
                  "table{border-collapse:collapse;margin:10px 0;font-size:12px}"
                  "caption{text-align:start;font-weight:bold;padding:4px 0}"
                  "th,td{border:1px solid #ccc;padding:3px 6px;text-align:end}"
                  "th{background:#f3f6fa;text-align:start}tr.total td,tr.total th{font-weight:bold}"
                  "td.hidden{background:#eee;color:#555}td small{display:block;color:#777}"
                  // Charts keep their axes left to right in every language; their texts are translated.
                  "tr.flag td{background:#fff3e0}svg.chart{display:block;margin:8px 0;max-width:100%;height:auto;direction:ltr}"
                  "</style></head><body><h1>" + Html(heading) + "</h1>";
  for (const core::LanguageNote& note : ReportLanguageNotes()) {
    if (note.language == lang.used && note.representative_translation) s += "<p class=\"notice\">" + Html(note.notice) + "</p>";
  }
  if (lang.used != lang.requested.tag) s += "<p class=\"notice\">" + Marked(LanguageFallbackNote(lang), lang) + "</p>";
  bool controlled = !publications.empty() && publications.front().disclosure_control;
  const int threshold = publications.empty() ? 5 : publications.front().threshold;
  if (controlled) {
    s += "<p class=\"notice\">" +
         Marked(core::FillText(Translated({"Röjandekontroll: celler med 1–{below} personer visas som <{threshold}; celler som "
                                           "visas som .. är dolda så att ingen dold cell kan räknas fram ur summorna.",
                                           "Disclosure control: cells with 1–{below} persons are shown as <{threshold}; cells "
                                           "shown as .. are hidden so that no hidden cell can be computed from the totals."}),
                               {{"below", core::Verbatim(std::to_string(threshold - 1))},
                                {"threshold", core::Verbatim(std::to_string(threshold))}}),
                lang) +
         "</p>";
  } else {
    s += "<p class=\"notice internal\">" +
         Marked({"Intern rapport utan röjandekontroll: får inte lämna kommunen.",
                 "Internal report without disclosure control: must not leave the municipality."},
                lang) +
         "</p>";
  }
  for (const Publication& p : publications) {
    s += "<section id=\"" + std::string(ReportKindName(p.kind)) + "\"><h2>" +
         Marked(p.title, lang) + "</h2><p class=\"params\">";
    for (const auto& [name, value] : p.parameters) s += Html(name) + ": " + Html(value) + " &nbsp; ";
    s += "</p>";
    if (p.kind == ReportKind::kSnapshot && !p.tables.empty()) s += BarChart(p, p.tables.front(), lang);
    if (p.kind == ReportKind::kMovements) {
      for (const CountTable& t : p.tables) {
        if (t.id == "movements.women_and_men") s += HeatMap(p, t, lang);
      }
    }
    if (p.kind == ReportKind::kTrend && !p.tables.empty()) s += TrendChart(p.tables.front(), lang);
    if (p.kind == ReportKind::kKas) {
      s += SexPairChart(p, "kas.women", "kas.men", -1,
                        {"Deltagare per kategori vid start", "Participants per category at start"}, lang);
    }
    if (p.kind == ReportKind::kOutcomes) {
      s += SexPairChart(p, "outcomes.self_support.women", "outcomes.self_support.men", 0,
                        {"Egen försörjning efter insats, per insatstyp och kategori vid start",
                         "Self-support after the intervention, per kind and category at start"}, lang);
    }
    if (p.kind == ReportKind::kLeadTimes) {
      s += SexPairChart(p, "lead_times.median.women", "lead_times.median.men", 4,
                        {"Median dagar från nybesök till första insats", "Median days from first visit to first intervention"}, lang);
      s += SexPairChart(p, "lead_times.passive.women", "lead_times.passive.men", 2,
                        {"AM2/AM3 utan insats längre än gränsen", "AM2/AM3 without an intervention for longer than the limit"}, lang);
    }
    if (p.kind == ReportKind::kIndicators) {
      s += SexPairChart(p, "indicators.women", "indicators.men", 0,
                        {"Uppfyllda indikatorer (antal)", "Indicators met (count)"}, lang);
    }
    s += FlagsHtml(p, lang);
    for (const CountTable& t : p.tables) s += TableHtml(p, t, lang);
    for (const LocalizedText& note : p.notes) s += "<p class=\"params\">" + Marked(note, lang) + "</p>";
    s += "</section>";
  }
  return s + "</body></html>\n";
}

}  // namespace ix::statistics
