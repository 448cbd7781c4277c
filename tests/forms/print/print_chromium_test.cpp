// The printed pages in a real headless Chromium (Debian's chromium): each page rendered by the
// real ixctl through the plugin, then measured in the browser by a checking script added to a
// copy of the page (the page itself has no scripts): headings in order, every input labelled,
// text contrast at least 4.5:1, body text at least 18 px, and the writing direction — the
// Arabic plan and form computed right to left with their layout mirrored. A screenshot of each.
#include "../shell.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>
#include <sys/wait.h>
#include "../../missing_stack.hpp"

namespace ix {
namespace {

const std::string kOutput = IX_TEST_FORMS_OUTPUT_DIR;

using forms_test::Shell;
const auto& Read = forms_test::ReadText;

// Measures the page as the browser lays it out and appends the findings as "key value" lines
// in <pre id="ix-check"> (ASCII only, read back from --dump-dom).
constexpr const char* kCheckScript = R"js(
<script>
(function () {
  const out = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ')[0] : '');
  // Headings: one h1 first, no level skipped on the way down.
  const levels = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => Number(h.tagName[1]));
  let order = levels.length > 0 && levels[0] === 1 && levels.filter(l => l === 1).length === 1;
  for (let i = 1; i < levels.length; ++i) if (levels[i] > levels[i - 1] + 1) order = false;
  out.push('headings ' + levels.length);
  out.push('headings_in_order ' + (order ? 1 : 0));
  // Every input labelled.
  const inputs = Array.from(document.querySelectorAll('input,textarea,select'));
  const unlabelled = inputs.filter(i => !i.labels || i.labels.length === 0);
  out.push('inputs ' + inputs.length);
  out.push('unlabelled ' + unlabelled.length + (unlabelled.length ? ' ' + describe(unlabelled[0]) : ''));
  // Text: every visible element with its own text.
  const rgb = (s) => { const m = s.match(/[\d.]+/g) || ['0', '0', '0', '0']; return m.map(Number); };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                       return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                                 if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
  let texts = 0, lowContrast = [], small = [], minContrast = 99, minSize = 99;
  for (const el of document.body.querySelectorAll('*')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim() !== '');
    const r = el.getBoundingClientRect();
    if (!own || r.width === 0 || r.right < 0 || el.closest('script')) continue;
    const style = getComputedStyle(el);
    ++texts;
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    minContrast = Math.min(minContrast, ratio);
    if (ratio < 4.5) lowContrast.push(describe(el));
    const size = parseFloat(style.fontSize);
    minSize = Math.min(minSize, size);
    if (size < 18) small.push(describe(el));
  }
  out.push('texts ' + texts);
  out.push('low_contrast ' + lowContrast.length + ' ' + (lowContrast[0] || '') + ' min=' + minContrast.toFixed(2));
  out.push('small_text ' + small.length + ' ' + (small[0] || '') + ' min=' + minSize);
  // Direction, and whether the layout follows it: where a heading's text sits, which side the
  // first column of a definition list or an answer grid is on.
  // Nothing sticks out sideways (an element moved off to one side widens the page; on a
  // right-to-left page Chromium then opens on the empty side).
  out.push('overflow_x ' + Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth));
  out.push('direction ' + getComputedStyle(document.body).direction);
  const h1 = document.querySelector('h1'), range = document.createRange();
  range.selectNodeContents(h1);
  const box = h1.getBoundingClientRect(), text = range.getBoundingClientRect();
  out.push('heading_at ' + ((box.right - text.right) < (text.left - box.left) ? 'right' : 'left'));
  const dt = document.querySelector('dt'), dd = document.querySelector('dd');
  if (dt && dd) out.push('first_column_at ' + (dt.getBoundingClientRect().left > dd.getBoundingClientRect().left ? 'right' : 'left'));
  const columns = document.querySelectorAll('.columns > .column');
  if (columns.length > 1) out.push('first_column_at ' + (columns[0].getBoundingClientRect().left > columns[1].getBoundingClientRect().left ? 'right' : 'left'));
  // A table's row headings (the first column) against its first data cell, and the writing
  // direction of a chart (its axes stay left to right on every page).
  const th = document.querySelector('tbody tr th'), td = th && th.nextElementSibling;
  if (th && td) out.push('table_first_column_at ' + (th.getBoundingClientRect().left > td.getBoundingClientRect().left ? 'right' : 'left'));
  const svg = document.querySelector('svg');
  if (svg) out.push('chart_direction ' + getComputedStyle(svg).direction);
  const pre = document.createElement('pre');
  pre.id = 'ix-check';
  pre.textContent = out.join('\n');
  document.body.appendChild(pre);
})();
</script>
)js";

struct Checked {
  std::map<std::string, std::string> values;  // key -> the rest of its line
  std::string raw;
  int Number(const std::string& key) const {
    auto it = values.find(key);
    return it == values.end() ? -1 : std::atoi(it->second.c_str());
  }
  std::string Word(const std::string& key) const {
    auto it = values.find(key);
    return it == values.end() ? "" : it->second.substr(0, it->second.find(' '));
  }
};

bool HaveChromium() { return std::filesystem::exists("/usr/bin/chromium"); }

std::string Chromium(const std::string& name, const std::string& args) {
  const std::string profile = kOutput + "/chromium-profile-" + name;
  std::filesystem::remove_all(profile);
  return "timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
         "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" + profile + " " + args;
}

// Loads a copy of `html_file` with the checking script in Chromium and reads the findings.
Checked Check(const std::string& html_file, const std::string& name) {
  std::string html = Read(html_file);
  html.insert(html.rfind("</body>"), kCheckScript);
  const std::string copy = kOutput + "/" + name + "-checked.html";
  std::ofstream(copy, std::ios::binary) << html;
  const auto [code, dom] = Shell(Chromium(name, "--window-size=1200,1600 --virtual-time-budget=3000 --dump-dom file://" + copy));
  Checked out;
  const size_t start = dom.find("<pre id=\"ix-check\">");
  const size_t end = dom.find("</pre>", start);
  EXPECT_EQ(code, 0) << dom.substr(0, 2000);
  if (start == std::string::npos || end == std::string::npos) {
    ADD_FAILURE() << name << ": no findings in the dumped page: " << dom.substr(0, 2000);
    return out;
  }
  out.raw = dom.substr(start + 19, end - start - 19);
  std::istringstream lines(out.raw);
  for (std::string line; std::getline(lines, line);) {
    const size_t space = line.find(' ');
    out.values[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  return out;
}

void Screenshot(const std::string& html_file, const std::string& name) {
  const std::string png = kOutput + "/" + name + ".png";
  std::filesystem::remove(png);
  const auto [code, output] = Shell(Chromium(name + "-shot", "--window-size=1200,1600 --screenshot=" + png + " file://" + html_file));
  ASSERT_EQ(code, 0) << output;
  const std::string image = Read(png);
  ASSERT_GT(image.size(), 24u) << name;
  EXPECT_EQ(image.substr(1, 3), "PNG");
  EXPECT_GT(image.size(), 30000u) << name << ": a blank page compresses to a few kB";
}

// Renders with the real ixctl; returns the HTML file.
std::string Render(const std::string& name, const std::string& args) {
  const std::string file = kOutput + "/" + name + ".html";
  std::filesystem::remove(file);
  const auto [code, output] = Shell(std::string(IX_TEST_IXCTL) + " render-form " + args + " -o " + file);
  EXPECT_EQ(code, 0) << output;
  return file;
}

void ExpectAccessible(const Checked& c, const std::string& name) {
  EXPECT_GT(c.Number("headings"), 2) << name << "\n" << c.raw;
  EXPECT_EQ(c.Number("headings_in_order"), 1) << name << "\n" << c.raw;
  EXPECT_GT(c.Number("inputs"), 0) << name << "\n" << c.raw;
  EXPECT_EQ(c.Number("unlabelled"), 0) << name << "\n" << c.raw;
  EXPECT_GT(c.Number("texts"), 10) << name << "\n" << c.raw;
  EXPECT_EQ(c.Number("low_contrast"), 0) << name << "\n" << c.raw;
  EXPECT_EQ(c.Number("small_text"), 0) << name << "\n" << c.raw;
  EXPECT_EQ(c.Number("overflow_x"), 0) << name << "\n" << c.raw;
}

std::string ArabicPlanFile() {
  const std::string file = kOutput + "/plan-ar.json";
  std::ofstream(file, std::ios::binary) << R"({
  "plan_id": "plan-ar", "established_on": "2026-03-02", "next_follow_up_on": "2026-06-15",
  "goals": [{"goal_id": "g1", "person_ref": "p1", "text": "أريد أن أعمل طباخًا",
             "sub_goals": [{"sub_goal_id": "g1.1", "text": "أن أتعلم السويدية"}]}],
  "interventions": [
    {"intervention_id": "i1", "person_ref": "p1", "kind": "sfi", "goal_id": "g1", "start_date": "2026-03-09"},
    {"intervention_id": "i2", "person_ref": "p1", "kind": "work_placement", "goal_id": "g1",
     "start_date": "2026-05-04", "end_date": "2026-08-28"}]
})";
  return file;
}

TEST(PrintChromium, ArabicClientPlanIsRightToLeftMirroredAndAccessible) {
  const std::string html_file = Render("plan-ar", "--document plan --lang ar --plan " + ArabicPlanFile() + " --municipality \"Södertälje kommun\"");
  const std::string html = Read(html_file);
  ASSERT_NE(html.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos) << html.substr(0, 500);
  EXPECT_NE(html.find("ترجمة تمثيلية"), std::string::npos);  // marked representative
  EXPECT_LT(html.find("أريد أن أعمل طباخًا"), html.find("id=\"steps\""));  // own goals first
  if (!HaveChromium()) IX_MISSING_STACK("chromium is not installed");
  const Checked c = Check(html_file, "plan-ar");
  ExpectAccessible(c, "plan-ar");
  EXPECT_EQ(c.Word("direction"), "rtl") << c.raw;
  EXPECT_EQ(c.Word("heading_at"), "right") << c.raw;
  EXPECT_EQ(c.Word("first_column_at"), "right") << c.raw;
  Screenshot(html_file, "plan-ar");
}

TEST(PrintChromium, SwedishPlanIsLeftToRightTheSameWay) {
  // The control: the same measurements on the Swedish plan find the opposite sides, so the
  // Arabic result above is the page's direction and not the measurement.
  const std::string html_file = Render("plan-sv", "--document plan --lang sv --plan " + ArabicPlanFile());
  if (!HaveChromium()) IX_MISSING_STACK("chromium is not installed");
  const Checked c = Check(html_file, "plan-sv");
  ExpectAccessible(c, "plan-sv");
  EXPECT_EQ(c.Word("direction"), "ltr") << c.raw;
  EXPECT_EQ(c.Word("heading_at"), "left") << c.raw;
  EXPECT_EQ(c.Word("first_column_at"), "left") << c.raw;
}

TEST(PrintChromium, ArabicFormWithoutAmModuleIsRightToLeftAndAccessible) {
  const std::string html_file = Render("form-ar", "--lang ar --version 2026.1 --profile client-governs");
  const std::string html = Read(html_file);
  EXPECT_EQ(html.find("item-am-education"), std::string::npos);
  if (!HaveChromium()) IX_MISSING_STACK("chromium is not installed");
  const Checked c = Check(html_file, "form-ar");
  ExpectAccessible(c, "form-ar");
  EXPECT_EQ(c.Word("direction"), "rtl") << c.raw;
  EXPECT_EQ(c.Word("first_column_at"), "right") << c.raw;  // adult 1 on the right
  Screenshot(html_file, "form-ar");
}

TEST(PrintChromium, FinnishFormEasySwedishPlanAndCatalogueAreAccessible) {
  const std::pair<std::string, std::string> pages[] = {
      {"form-fi", "--lang fi --version 2026.1"},
      {"plan-sv-x-easy", "--document plan --lang sv-x-easy --plan " + ArabicPlanFile()},
      {"catalogue-sv-x-easy", "--document catalogue --lang sv-x-easy"},
      {"catalogue-ar", "--document catalogue --lang ar"},
  };
  for (const auto& [name, args] : pages) {
    const std::string html_file = Render(name, args);
    if (!HaveChromium()) IX_MISSING_STACK("chromium is not installed");
    const Checked c = Check(html_file, name);
    if (name == "catalogue-sv-x-easy" || name == "catalogue-ar") {
      // The catalogue has no inputs: nothing to label.
      EXPECT_EQ(c.Number("headings_in_order"), 1) << name << "\n" << c.raw;
      EXPECT_EQ(c.Number("low_contrast"), 0) << name << "\n" << c.raw;
      EXPECT_EQ(c.Number("small_text"), 0) << name << "\n" << c.raw;
    } else {
      ExpectAccessible(c, name);
    }
    EXPECT_EQ(c.Word("direction"), name == "catalogue-ar" ? "rtl" : "ltr") << name << "\n" << c.raw;
  }
}

// A statistics report in Arabic, through the real ixctl from a real event store: the page is
// right to left, its tables mirror (row headings on the right), its charts keep their axes left
// to right, and its texts are the Arabic ones, marked as a representative translation. The
// Swedish report of the same store is the control.
TEST(PrintChromium, ArabicStatisticsReportIsRightToLeft) {
  const std::string events = kOutput + "/report-events.ndjson", store = kOutput + "/report-store.sqlite";
  const std::string secret = kOutput + "/report-secret.key";
  std::filesystem::remove(store);
  std::ofstream(secret) << "a-test-secret-for-the-report\n";
  const std::string ixctl = IX_TEST_IXCTL;
  auto [code, output] = Shell(ixctl + " generate --persons 300 --years 2 --seed 18 --start 2022-01-01 -o " + events);
  ASSERT_EQ(code, 0) << output;
  std::tie(code, output) = Shell(ixctl + " import " + events + " --store " + store + " --secret-file " + secret);
  ASSERT_EQ(code, 0) << output;
  auto report = [&](const std::string& name, const std::string& lang) {
    const std::string file = kOutput + "/" + name + ".html";
    std::filesystem::remove(file);
    const auto [c, out] = Shell(ixctl + " report all --lang " + lang + " --format html --municipality 0192 --from 2023-01-01 "
                                "--to 2023-12-31 --store " + store + " -o " + file);
    EXPECT_EQ(c, 0) << out;
    return file;
  };
  const std::string ar = report("report-ar", "ar-SE");
  const std::string html = Read(ar);
  ASSERT_NE(html.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos) << html.substr(0, 300);
  EXPECT_NE(html.find("ترجمة تمثيلية"), std::string::npos);            // marked representative
  EXPECT_NE(html.find("<h1>إحصاءات، البلدية 0192</h1>"), std::string::npos);
  EXPECT_NE(html.find("<caption>الفئة × الجنس</caption>"), std::string::npos);
  const std::string sv = report("report-sv", "sv");
  if (!HaveChromium()) IX_MISSING_STACK("chromium is not installed");
  const Checked c = Check(ar, "report-ar");
  EXPECT_EQ(c.Number("headings_in_order"), 1) << c.raw;
  EXPECT_EQ(c.Word("direction"), "rtl") << c.raw;
  EXPECT_EQ(c.Word("heading_at"), "right") << c.raw;
  EXPECT_EQ(c.Word("table_first_column_at"), "right") << c.raw;
  EXPECT_EQ(c.Word("chart_direction"), "ltr") << c.raw;
  Screenshot(ar, "report-ar");
  const Checked control = Check(sv, "report-sv");
  EXPECT_EQ(control.Word("direction"), "ltr") << control.raw;
  EXPECT_EQ(control.Word("heading_at"), "left") << control.raw;
  EXPECT_EQ(control.Word("table_first_column_at"), "left") << control.raw;
}

}  // namespace
}  // namespace ix
