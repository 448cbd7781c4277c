// The SVG charts of the HTML reports: a value axis with round ticks, bars to its scale, and
// group labels that fit inside the chart however long or many they are.
#include <ix/statistics/publication.hpp>
#include <ix/statistics/render.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace ix::test {
namespace {
namespace stats = ix::statistics;

// A snapshot publication whose first table (the one charted: categories × women, men, other)
// has the given row labels and women's counts; men and other are 0.
stats::Publication Snapshot(const std::vector<std::string>& labels, const std::vector<int64_t>& women) {
  stats::Publication p;
  p.kind = stats::ReportKind::kSnapshot;
  p.title = {"Ögonblicksbild", "Snapshot"};
  stats::CountTable t;
  t.id = "snapshot.category_by_sex";
  t.title = {"Kategori × kön", "Category × sex"};
  for (const std::string& label : labels) t.row_labels.push_back({label, label});
  t.column_labels = {stats::SexLabel(0), stats::SexLabel(1), stats::SexLabel(2)};
  t.Allocate();
  for (size_t r = 0; r < labels.size(); ++r) t.At(static_cast<int>(r), 0) = women[r];
  t.ComputeTotals();
  t.status.assign(t.cells.size(), stats::CellStatus::kShown);
  p.tables.push_back(std::move(t));
  return p;
}

std::string FirstSvg(const std::string& html) {
  const size_t at = html.find("<svg");
  return at == std::string::npos ? "" : html.substr(at, html.find("</svg>", at) - at);
}

// The values written at the gridlines, bottom to top.
std::vector<int64_t> Ticks(const std::string& svg) {
  std::vector<int64_t> out;
  const std::string tick = "text-anchor=\"end\" font-size=\"11\">";
  for (size_t at = svg.find(tick); at != std::string::npos; at = svg.find(tick, at + 1)) {
    out.push_back(std::stoll(svg.substr(at + tick.size())));
  }
  return out;
}

// The number in the first `name="…"` at or after `from`; -1 when there is none.
double Attribute(const std::string& svg, const std::string& name, size_t from = 0) {
  const size_t at = svg.find(name + "=\"", from);
  return at == std::string::npos ? -1 : std::stod(svg.substr(at + name.size() + 2));
}

TEST(Charts, TheValueAxisHasRoundTicksAndTheBarsItsScale) {
  struct Case {
    int64_t max;
    std::vector<int64_t> ticks;
  };
  const Case cases[] = {{14, {0, 5, 10, 15}},    {1, {0, 1}},           {4, {0, 1, 2, 3, 4}},
                        {188, {0, 50, 100, 150, 200}}, {1000, {0, 500, 1000}}, {0, {0, 1}}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.max);
    const std::string svg = FirstSvg(stats::RenderHtml({Snapshot({"AM1", "AM2"}, {c.max, c.max / 2})}, stats::Language::kEn, "x"));
    ASSERT_FALSE(svg.empty());
    EXPECT_EQ(Ticks(svg), c.ticks);
    if (c.max == 14) {
      // The bar of 14 on an axis to 15: 14/15 of the 230-pixel plot.
      const size_t title = svg.find("\" fill=\"#c2185b\"><title>AM1, Women: 14</title>");
      ASSERT_NE(title, std::string::npos) << svg.substr(0, 600);
      const size_t rect = svg.rfind("<rect ", title);
      ASSERT_NE(rect, std::string::npos);
      EXPECT_NEAR(Attribute(svg, "height", rect), 230.0 * 14 / 15, 0.11);
    }
  }
}

// Short labels slant 30°; long ones 60°; many narrow groups stand upright in a smaller font.
// Either way the chart is tall and wide enough for the longest label (about 5.6 px a character
// at 11 px) and the legend below it.
TEST(Charts, GroupLabelsFitInsideTheChart) {
  const std::string long_label = "Beslut i tid efter komplett ansökan (mycket lång etikett)";  // 57 characters
  struct Case {
    std::vector<std::string> labels;
    int angle;
  };
  std::vector<std::string> many;
  for (int i = 0; i < 80; ++i) many.push_back("work_training / AM + RH R2 (psykisk) " + std::to_string(i));
  const Case cases[] = {{{"AM1", "AM2", "AM3"}, 30},
                        {std::vector<std::string>(12, long_label), 60},
                        {many, 90}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.angle);
    const std::string svg = FirstSvg(stats::RenderHtml(
        {Snapshot(c.labels, std::vector<int64_t>(c.labels.size(), 7))}, stats::Language::kEn, "x"));
    EXPECT_NE(svg.find("rotate(" + std::to_string(c.angle) + ")"), std::string::npos);
    EXPECT_EQ(svg.find("rotate(" + std::to_string(c.angle == 30 ? 60 : 30) + ")"), std::string::npos);
    size_t longest = 0;
    for (const std::string& l : c.labels) longest = std::max(longest, l.size());  // ASCII, but for "ä"
    const double font = c.angle == 90 ? Attribute(svg, "font-size", svg.find("rotate(90)")) : 11;
    const double label_px = 5.6 * static_cast<double>(longest - 1) * font / 11;
    const double radians = c.angle * 3.14159265358979 / 180;
    const double height = Attribute(svg, "height"), width = Attribute(svg, "width");
    EXPECT_GE(height, 20 + 230 + 12 + label_px * std::sin(radians) + 16) << "labels above the legend";
    // The last label starts half a group from the right end of the plot and runs right by
    // cos(angle) of its length.
    EXPECT_GE(width, 1100 - 10 - (1100 - 60) / (2.0 * static_cast<double>(c.labels.size())) +
                         label_px * std::cos(radians) - 1);
    if (c.angle == 90) {
      EXPECT_GE(font, 7);
      EXPECT_LE(font, 11);
    }
  }
}

}  // namespace
}  // namespace ix::test
