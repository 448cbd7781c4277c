// ixctl generate → import → report as real processes, on generated data for a mid-sized
// municipality, and the HTML report rendered by a real headless Chromium.
#include <ix/cli/json_io.hpp>
#include <ix/statistics/publication.hpp>
#include <ix/statistics/synthetic.hpp>

#include "ix/v1/network.pb.h"
#include "ix/v1/statistics.pb.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>
#include "../missing_stack.hpp"
#include "../shell.hpp"

namespace ix::test {
namespace {
namespace fs = std::filesystem;
namespace stats = ix::statistics;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class StatisticsCli : public ::testing::Test {
 protected:
  // ctest runs every test in its own process, and generating and importing the mid-sized
  // municipality takes seconds, so it is made once per build of ixctl (in the build folder,
  // published by an atomic rename so parallel tests never see half of it) and each process
  // copies it. The tests that write to a store write to their own copy.
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("ix-stats-cli-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    const fs::path shared = SharedStore();
    ASSERT_FALSE(shared.empty());
    for (const char* name : {"secret.key", "events.ndjson", "store.sqlite"}) {
      fs::copy_file(shared / name, *dir_ / name);
    }
  }
  // A mid-sized municipality: 6 000 adults over four years, imported with a fixed secret.
  static fs::path SharedStore() {
    const auto built = static_cast<unsigned long long>(fs::last_write_time(Ixctl()).time_since_epoch().count());
    const fs::path shared = fs::path(IX_TEST_STATS_OUTPUT_DIR) / ("cli-store-" + std::to_string(built));
    if (fs::exists(shared / "store.sqlite")) return shared;
    const fs::path work = shared.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(work);
    fs::create_directories(work);
    std::ofstream(work / "secret.key") << "a-test-secret-for-kommun-0192\n";
    const std::string at = (work / "").string();
    const Proc gen = Sh(Ixctl() + " generate --persons 6000 --years 4 --seed 7 --start 2020-01-01 -o " + at +
                        "events.ndjson");
    EXPECT_EQ(gen.code, 0) << gen.out;
    const Proc imp = Sh(Ixctl() + " import " + at + "events.ndjson --store " + at + "store.sqlite --secret-file " +
                        at + "secret.key");
    EXPECT_EQ(imp.code, 0) << imp.out;
    if (gen.code != 0 || imp.code != 0) return {};
    std::error_code taken;  // another test process published it first: use theirs
    fs::rename(work, shared, taken);
    if (taken) fs::remove_all(work);
    // Stores made by earlier builds of ixctl are never read again.
    for (const auto& entry : fs::directory_iterator(shared.parent_path())) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("cli-store-", 0) == 0 && name.find(".tmp-") == std::string::npos && entry.path() != shared) {
        fs::remove_all(entry.path(), taken);
      }
    }
    return shared;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string Ixctl() { return IX_TEST_IXCTL; }
  static std::string Path(const char* name) { return (*dir_ / name).string(); }
  static std::string Store() { return " --store " + Path("store.sqlite"); }
  static fs::path* dir_;
};
fs::path* StatisticsCli::dir_ = nullptr;

TEST_F(StatisticsCli, ImportIsIdempotentAndBinaryEqualsNdjson) {
  const Proc again = Sh(Ixctl() + " --json import " + Path("events.ndjson") + Store() +
                        " --secret-file " + Path("secret.key"));
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("\"inserted\": 0"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("\"rejected\": 0"), std::string::npos) << again.out;
  const Proc gen = Sh(Ixctl() + " generate --persons 6000 --years 4 --seed 7 --start 2020-01-01 --format binary -o " +
                      Path("events.bin"));
  ASSERT_EQ(gen.code, 0) << gen.out;
  const Proc imp = Sh("IX_STATS_SECRET_FILE=" + Path("secret.key") + " " + Ixctl() + " --json import " +
                      Path("events.bin") + " --store " + Path("binary.sqlite"));
  ASSERT_EQ(imp.code, 0) << imp.out;
  const auto count = [](const std::string& out) {
    const auto at = out.find("\"events_in_store\": ");
    return at == std::string::npos ? std::string("?") : out.substr(at + 19, out.find('}', at) - at - 19);
  };
  EXPECT_EQ(count(imp.out), count(again.out));
}

// The key folder through ixctl, as an operator runs it: import with --key-dir (the key is
// created there, not beside the store), rotate, reports equal, retire the old key. A report
// written to a file is owner-only.
TEST_F(StatisticsCli, KeysRotateAndRetireThroughIxctl) {
  const fs::path keys = *dir_ / "keys";
  const fs::path data = *dir_ / "data";
  fs::create_directories(keys);
  fs::create_directories(data);
  const std::string store = " --store " + (data / "0192.sqlite").string();
  const std::string key_dir = " --key-dir " + keys.string();
  const Proc gen = Sh(Ixctl() + " generate --persons 300 --years 2 --seed 3 --start 2022-01-01 -o " +
                      Path("small.ndjson"));
  ASSERT_EQ(gen.code, 0) << gen.out;
  const Proc imp = Sh(Ixctl() + " import " + Path("small.ndjson") + store + key_dir);
  ASSERT_EQ(imp.code, 0) << imp.out;
  EXPECT_TRUE(fs::exists(keys / "0192.k1.key"));
  for (const auto& entry : fs::directory_iterator(data)) {
    EXPECT_EQ(entry.path().filename().string().rfind("0192.sqlite", 0), 0u) << entry.path() << " beside the store";
  }
  const std::string report = Ixctl() + " report all --internal --format json --municipality 0192 --from "
                                       "2022-03-01 --to 2023-06-30 --at 2023-06-30" + store;
  const Proc before = Sh(report + " -o " + Path("before.json"));
  ASSERT_EQ(before.code, 0) << before.out;
  EXPECT_EQ(fs::status(Path("before.json")).permissions() & fs::perms::mask, fs::perms(0600));

  const Proc rotate = Sh(Ixctl() + " --json keys rotate" + store + key_dir);
  ASSERT_EQ(rotate.code, 0) << rotate.out;
  EXPECT_NE(rotate.out.find("\"to_key_id\": 2"), std::string::npos) << rotate.out;
  EXPECT_TRUE(fs::exists(keys / "0192.k2.key"));
  const Proc after = Sh(report + " -o " + Path("after.json"));
  ASSERT_EQ(after.code, 0) << after.out;
  EXPECT_EQ(Read(Path("after.json")), Read(Path("before.json"))) << "reports changed by re-keying";
  const Proc again = Sh(Ixctl() + " --json import " + Path("small.ndjson") + store + key_dir);
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("\"inserted\": 0"), std::string::npos) << "persons and events still match: " << again.out;

  const Proc retire = Sh(Ixctl() + " keys retire" + store + key_dir);
  ASSERT_EQ(retire.code, 0) << retire.out;
  EXPECT_NE(retire.out.find("removed " + (keys / "0192.k1.key").string()), std::string::npos) << retire.out;
  EXPECT_FALSE(fs::exists(keys / "0192.k1.key"));
  const Proc missing = Sh(Ixctl() + " keys rotate --store " + Path("nothing.sqlite") + key_dir);
  EXPECT_EQ(missing.code, 3);
  EXPECT_NE(missing.out.find("nothing.sqlite: no such event store"), std::string::npos) << missing.out;
}

TEST_F(StatisticsCli, MissingSecretAndBadLinesGiveClearErrors) {
  const Proc no_secret = Sh("env -u IX_STATS_SECRET_FILE " + Ixctl() + " import " + Path("events.ndjson") +
                            " --store " + Path("x.sqlite"));
  EXPECT_EQ(no_secret.code, 2);
  EXPECT_NE(no_secret.out.find("IX_STATS_SECRET_FILE"), std::string::npos) << no_secret.out;
  std::ofstream(Path("bad.ndjson"))
      << "{\"assistance_period\": {\"header\": {\"event_id\": \"b1\", \"municipality_code\": \"0192\", "
         "\"subject\": {\"personnummer\": \"19811218-9876\"}}, \"start_date\": \"2023-01-01\"}}\n"
      << "{\"assistance_period\": {\"header\": {\"event_id\": \"b2\", \"municipality_code\": \"0192\", "
         "\"subject\": {\"personnummer\": \"19811218-9876\"}}, \"start_date\": \"2023-02-30\"}}\n"
      << "{\"assistance_perod\": {}}\n";
  const Proc bad = Sh(Ixctl() + " import " + Path("bad.ndjson") + " --store " + Path("bad.sqlite") +
                      " --secret-file " + Path("secret.key"));
  EXPECT_EQ(bad.code, 3) << bad.out;
  EXPECT_NE(bad.out.find("bad.ndjson:2: assistance_period.start_date: '2023-02-30'"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("bad.ndjson:3: "), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("1 inserted"), std::string::npos) << bad.out;
  EXPECT_EQ(bad.out.find("9876"), std::string::npos) << "no personnummer in messages";
}

// Every report as JSON: canonical message, disclosure control on, no hidden count in the
// output, totals consistent.
TEST_F(StatisticsCli, AllReportsAsJsonAreProtectedAndAddUp) {
  const Proc r = Sh(Ixctl() + " report all --municipality 0192 --from 2022-01-01 --to 2023-06-30" + Store());
  ASSERT_EQ(r.code, 0) << r.out.substr(0, 2000);
  v1::StatisticsReports reports;
  const std::string json = r.out.substr(r.out.find('{'));
  ASSERT_TRUE(cli::ParseJson(json, "report", &reports).ok());
  ASSERT_EQ(reports.reports_size(), 9);
  int suppressed = 0;
  for (const auto& report : reports.reports()) {
    EXPECT_TRUE(report.disclosure_control());
    for (const auto& table : report.tables()) {
      for (const auto& row : table.rows()) {
        for (const auto& cell : row.cells()) {
          if (cell.status() != v1::CELL_STATUS_SHOWN) {
            ++suppressed;
            EXPECT_FALSE(cell.has_count()) << table.id();
            EXPECT_FALSE(cell.has_percent()) << table.id();
            EXPECT_TRUE(cell.display() == "<5" || cell.display() == "..") << cell.display();
          } else {
            ASSERT_TRUE(cell.has_count());
            // (A quantile table's cells are days, not persons.)
            EXPECT_FALSE(table.value_unit() != "days" && cell.count() >= 1 && cell.count() <= 4)
                << table.id() << " shows a small count";
          }
        }
      }
      // Shown rows add up to their shown totals.
      if (table.has_total_column()) {
        for (const auto& row : table.rows()) {
          int64_t sum = 0;
          bool complete = true;
          for (int c = 0; c + 1 < row.cells_size(); ++c) {
            complete = complete && row.cells(c).has_count();
            sum += row.cells(c).count();
          }
          const auto& total = row.cells(row.cells_size() - 1);
          if (complete && total.has_count()) {
            EXPECT_EQ(sum, total.count()) << table.id() << " " << row.label();
          }
        }
      }
    }
  }
  EXPECT_GT(suppressed, 0);
  // The lead times' medians are days, and some are published (generated data has milestones).
  int medians_shown = 0;
  for (const auto& report : reports.reports()) {
    for (const auto& table : report.tables()) {
      if (table.id() != "lead_times.median.women_and_men") continue;
      EXPECT_EQ(table.value_unit(), "days");
      for (const auto& row : table.rows()) {
        for (const auto& cell : row.cells()) medians_shown += cell.has_count() ? 1 : 0;
      }
    }
  }
  EXPECT_GT(medians_shown, 10);
  // Internal: everything shown, and the movements grand total is every person in the period.
  const Proc internal = Sh(Ixctl() + " report movements --internal --municipality 0192 --from 2022-01-01 --to 2023-06-30" + Store());
  ASSERT_EQ(internal.code, 0);
  v1::StatisticsReport movements;
  ASSERT_TRUE(cli::ParseJson(internal.out.substr(internal.out.find('{')), "report", &movements).ok());
  EXPECT_FALSE(movements.disclosure_control());
  const auto& all = movements.tables(2);
  EXPECT_EQ(all.id(), "movements.women_and_men");
  EXPECT_GT(all.rows(all.rows_size() - 1).cells(all.column_labels_size() - 1).count(), 1000);
}

TEST_F(StatisticsCli, CsvInSwedishAndEnglish) {
  const Proc sv = Sh(Ixctl() + " --lang sv report kas --format csv --municipality 0192 --from 2022-01-01 --to 2023-12-31" + Store());
  ASSERT_EQ(sv.code, 0) << sv.out;
  EXPECT_EQ(sv.out.rfind("rapport,tabell,rad,kolumn,värde,antal,procent,nämnare\r\n", 0), 0u);
  EXPECT_NE(sv.out.find("kas,kas.women,AM1,Arbete utan stöd,"), std::string::npos);
  const Proc en = Sh(Ixctl() + " report snapshot --format csv --municipality 0192 --at 2023-06-30" + Store());
  ASSERT_EQ(en.code, 0) << en.out;
  EXPECT_NE(en.out.find("snapshot,snapshot.category_by_sex,AM1,Women,"), std::string::npos);
  const Proc bad = Sh(Ixctl() + " report movements --municipality 0192 --from 2023-05-01 --to 2023-01-01" + Store());
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("--to: before from_date"), std::string::npos) << bad.out;
}

std::vector<std::vector<std::string>> CsvLines(const std::string& text) {
  // The export has no quoted fields (codes and counts only), so a plain split is exact.
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::istringstream f(line);
    std::string field;
    while (std::getline(f, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    lines.push_back(std::move(fields));
  }
  return lines;
}

// The KAS export: kind × category at start × sex × outcome, municipal interventions by default,
// the participants ("all") equal to the outcomes' sum wherever every cell is shown.
TEST_F(StatisticsCli, KasExportInTheNetworksShape) {
  // Internal (every count shown): the participants equal the outcomes' sum in every group.
  const Proc r = Sh(Ixctl() + " report kas --internal --format kas-csv --municipality 0192 --from 2022-01-01 --to 2023-12-31" + Store());
  ASSERT_EQ(r.code, 0) << r.out;
  const auto lines = CsvLines(r.out);
  ASSERT_GT(lines.size(), 10u);
  EXPECT_EQ(r.out.rfind("municipality,from,to,intervention_kind,category_at_start,sex,outcome,value,count\r\n", 0), 0u);
  const std::set<std::string> municipal = {"work_placement", "work_training", "studies", "sfi",
                                           "cbt_consultant", "rehab_consultant", "substance_treatment"};
  std::map<std::string, int64_t> sums, all;
  std::set<std::string> hidden_groups, kinds;
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto& f = lines[i];
    ASSERT_EQ(f.size(), 9u) << i;
    EXPECT_EQ(f[0], "0192");
    EXPECT_EQ(f[1], "2022-01-01");
    kinds.insert(f[3]);
    const std::string group = f[3] + "/" + f[4] + "/" + f[5];
    if (f[8].empty()) {
      hidden_groups.insert(group);
      continue;
    }
    (f[6] == "all" ? all : sums)[group] += std::stoll(f[8]);
  }
  for (const std::string& kind : kinds) EXPECT_TRUE(municipal.count(kind)) << kind;
  EXPECT_GE(kinds.size(), 5u);
  int checked = 0;
  for (const auto& [group, participants] : all) {
    if (hidden_groups.count(group)) continue;
    EXPECT_EQ(sums[group], participants) << group;
    ++checked;
  }
  EXPECT_GT(checked, 5);
  EXPECT_TRUE(hidden_groups.empty());
  // Protected: no count from 1 to 4 leaves, and suppressed cells carry no count.
  const Proc protected_export = Sh(Ixctl() + " report kas --format kas-csv --municipality 0192 --from 2022-01-01 --to 2023-12-31" + Store());
  ASSERT_EQ(protected_export.code, 0) << protected_export.out;
  const auto shown = CsvLines(protected_export.out);
  ASSERT_EQ(shown.size(), lines.size());  // the same rows
  int suppressed = 0;
  for (size_t i = 1; i < shown.size(); ++i) {
    ASSERT_EQ(shown[i].size(), 9u) << i;
    if (shown[i][8].empty()) {
      EXPECT_TRUE(shown[i][7] == "<5" || shown[i][7] == "..") << shown[i][7];
      ++suppressed;
    } else {
      const int64_t n = std::stoll(shown[i][8]);
      EXPECT_TRUE(n == 0 || n >= 5) << n;
    }
  }
  EXPECT_GT(suppressed, 0);
  // Every actor: the region's and the agencies' interventions appear.
  const Proc every = Sh(Ixctl() + " report kas --format kas-csv --kas-actors '*' --municipality 0192 --from 2022-01-01 --to 2023-12-31" + Store());
  ASSERT_EQ(every.code, 0) << every.out;
  EXPECT_NE(every.out.find(",psychiatry_contact,"), std::string::npos);
  EXPECT_NE(every.out.find(",job_search,"), std::string::npos);
  const Proc wrong = Sh(Ixctl() + " report snapshot --format kas-csv --municipality 0192 --at 2023-06-30" + Store());
  EXPECT_EQ(wrong.code, 2) << wrong.out;
  const Proc bad_kind = Sh(Ixctl() + " report kas --kas-kinds 'Work Training' --municipality 0192 --from 2022-01-01 --to 2023-12-31" + Store());
  EXPECT_EQ(bad_kind.code, 2) << bad_kind.out;
  EXPECT_NE(bad_kind.out.find("--kas-kinds[0]: a code of a-z"), std::string::npos) << bad_kind.out;
}

// --- The HTML reports in a real headless Chromium -------------------------------------------

// `text` with the entities the report writer and Chromium's serialiser use turned back.
std::string Unescape(std::string text) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", "\u00a0"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : kEntities) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + std::strlen(plain))) {
      text.replace(at, std::strlen(entity), plain);
    }
  }
  return text;
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// One chart in a page: its title, the titles of its bars (<rect><title>…</title></rect>) and
// the marks where a hidden cell has no bar ("<5" or "..", coloured as its sex's bars).
struct Chart {
  std::string title;
  std::multiset<std::string> bars;
  size_t hidden = 0;
};

// The charts (<svg>…</svg>) between `from` and `to` of a page, in order.
std::vector<Chart> ChartsIn(const std::string& page, size_t from, size_t to) {
  std::vector<Chart> charts;
  for (size_t at = page.find("<svg", from); at < to; at = page.find("<svg", at + 4)) {
    const size_t end = page.find("</svg>", at);
    if (end == std::string::npos) break;
    const std::string svg = page.substr(at, end - at);
    Chart chart;
    const size_t t = svg.find("<title>"), close = svg.find("</title>");
    const size_t first_rect = svg.find("<rect");
    if (t != std::string::npos && close != std::string::npos && t < first_rect) {
      chart.title = Unescape(svg.substr(t + 7, close - t - 7));
    }
    for (size_t r = svg.find("<rect"); r != std::string::npos; r = svg.find("<rect", r + 5)) {
      const size_t rect_end = svg.find("</rect>", r), next = svg.find("<rect", r + 5);
      const size_t bar = svg.find("<title>", r);
      if (rect_end == std::string::npos || bar == std::string::npos || bar > rect_end || (next != std::string::npos && next < bar)) continue;
      chart.bars.insert(Unescape(svg.substr(bar + 7, svg.find("</title>", bar) - bar - 7)));
    }
    for (const char* colour : {"fill=\"#c2185b\">", "fill=\"#1565c0\">"}) {
      for (const char* mark : {"&lt;5</text>", "..</text>"}) chart.hidden += Occurrences(svg, std::string(colour) + mark);
    }
    charts.push_back(std::move(chart));
  }
  return charts;
}

// What a chart of women and men side by side must show, from the report's JSON: one bar per
// shown cell of `column` (the total column when < 0) of each row of the women's and the men's
// table, titled "row, Women: count"; a hidden cell has no bar but its mark.
Chart ExpectedSexChart(const v1::StatisticsReport& report, const std::string& women_id, const std::string& men_id,
                       int column, const std::string& title) {
  Chart chart{title, {}};
  const v1::StatisticsTable* by_sex[2] = {nullptr, nullptr};
  for (const auto& t : report.tables()) {
    if (t.id() == women_id) by_sex[0] = &t;
    if (t.id() == men_id) by_sex[1] = &t;
  }
  EXPECT_TRUE(by_sex[0] != nullptr && by_sex[1] != nullptr) << women_id;
  if (by_sex[0] == nullptr || by_sex[1] == nullptr) return chart;
  const char* sexes[2] = {"Women", "Men"};
  for (int x = 0; x < 2; ++x) {
    const v1::StatisticsTable& t = *by_sex[x];
    const int c = column < 0 ? t.column_labels_size() - 1 : column;
    for (int r = 0; r < by_sex[0]->rows_size(); ++r) {
      if (by_sex[0]->rows(r).total() || r >= t.rows_size()) continue;
      const v1::StatisticsCell& cell = t.rows(r).cells(c);
      if (cell.status() == v1::CELL_STATUS_SHOWN) {
        chart.bars.insert(by_sex[0]->rows(r).label() + ", " + sexes[x] + ": " + std::to_string(cell.count()));
      } else {
        ++chart.hidden;
      }
    }
  }
  return chart;
}

// Loads `html` in headless Chromium (a fresh profile, no network services), writes the DOM
// after parsing to `dom` and a screenshot to `png`; one start does both.
Proc Chromium(const fs::path& html, const fs::path& dom, const fs::path& png, const std::string& profile,
              const std::string& size) {
  fs::remove(dom);
  fs::remove(png);
  return Sh("(timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
            "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" +
            profile + " --dump-dom --screenshot=" + png.string() + " --window-size=" + size + " file://" +
            html.string() + " > " + dom.string() + ")");
}

// A page must stand alone: no script, nothing loaded from elsewhere; the only URL is the SVG
// namespace.
void ExpectSelfContained(const std::string& page, const std::string& what) {
  for (const char* tag : {"<script", "<link", "<img", "<iframe", "<object", "<embed", "src=", "url(", "@import", "https:"}) {
    EXPECT_EQ(page.find(tag), std::string::npos) << what << " has " << tag;
  }
  EXPECT_EQ(Occurrences(page, "http"), Occurrences(page, "http://www.w3.org/2000/svg")) << what << " names another URL";
}

// The parser kept the page as written: the elements the charts and tables are made of are as
// many in the DOM Chromium built as in the file (misnested or unescaped markup would move,
// split or drop them).
void ExpectParsedAsWritten(const std::string& page, const std::string& dom, const std::string& what) {
  for (const char* tag : {"<section", "<svg", "<title>", "<rect", "<text", "<line", "<table", "<tr", "<td", "<th", "<h2"}) {
    EXPECT_EQ(Occurrences(dom, tag), Occurrences(page, tag)) << what << ": " << tag << " in the DOM";
  }
}

// The HTML reports in a real headless Chromium: every report's page (report all, published,
// with the new lead-time, indicator and outcome reports) and the network report. For each, the
// DOM after parsing holds the charts the JSON of the same report says it must — one per chart
// the report defines, each with one bar per shown cell, titled with its row, sex and count —
// nothing external and no script; the screenshots are kept in the build tree
// (tests/statistics/report-screenshot.png, network-screenshot.png) for people to look at.
TEST_F(StatisticsCli, HtmlReportsRenderInHeadlessChromium) {
  const fs::path out = IX_TEST_STATS_OUTPUT_DIR;
  // One calendar year, the extracts' year too (the published outcomes take seconds per year).
  const std::string args = " --municipality 0192 --from 2023-01-01 --to 2023-12-31" + Store();
  const fs::path html = out / "report.html";
  const Proc r = Sh(Ixctl() + " report all --format html -o " + html.string() + args);
  ASSERT_EQ(r.code, 0) << r.out;
  const Proc j = Sh(Ixctl() + " report all --format json" + args);
  ASSERT_EQ(j.code, 0) << j.out.substr(0, 2000);
  v1::StatisticsReports reports;
  ASSERT_TRUE(cli::ParseJson(j.out.substr(j.out.find('{')), "report", &reports).ok());
  const std::string page = Read(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  ExpectSelfContained(page, "report.html");

  // The network report of two municipalities' signed extracts for 2023: this one and a small
  // second one (0181).
  const std::string keys = Path("");
  for (const char* name : {"k0192", "k0181"}) {
    const Proc k = Sh("cd " + keys + " && " + Ixctl() + " bundle keygen " + name);
    ASSERT_EQ(k.code, 0) << k.out;
  }
  const Proc gen = Sh(Ixctl() + " generate --persons 300 --years 2 --seed 5 --start 2022-01-01 --municipality 0181 -o " +
                      Path("0181.ndjson"));
  ASSERT_EQ(gen.code, 0) << gen.out;
  const Proc imp = Sh(Ixctl() + " import " + Path("0181.ndjson") + " --store " + Path("0181.sqlite") + " --secret-file " +
                      Path("secret.key"));
  ASSERT_EQ(imp.code, 0) << imp.out;
  const std::string extract = " --year 2023 --created-at 2024-01-15T00:00:00Z";
  const Proc e1 = Sh(Ixctl() + " statistics extract --municipality 0192 --key " + Path("k0192.key") + extract + Store() +
                     " -o " + Path("0192.ixstat"));
  ASSERT_EQ(e1.code, 0) << e1.out;
  const Proc e2 = Sh(Ixctl() + " statistics extract --municipality 0181 --key " + Path("k0181.key") + extract +
                     " --store " + Path("0181.sqlite") + " -o " + Path("0181.ixstat"));
  ASSERT_EQ(e2.code, 0) << e2.out;
  const std::string network = Ixctl() + " statistics network " + Path("0181.ixstat") + " " + Path("0192.ixstat") +
                              " --trust " + Path("k0181.pub") + "=0181 --trust " + Path("k0192.pub") + "=0192 --kind kas";
  const fs::path network_html = out / "network.html";
  const Proc nh = Sh(network + " --format html -o " + network_html.string());
  ASSERT_EQ(nh.code, 0) << nh.out;
  const Proc nj = Sh(network + " --format json -o " + Path("network.json"));
  ASSERT_EQ(nj.code, 0) << nj.out;
  v1::NetworkReport combined;
  ASSERT_TRUE(cli::ParseJson(Read(Path("network.json")), "network", &combined).ok());
  const std::string network_page = Read(network_html);
  ExpectSelfContained(network_page, "network.html");

  if (Sh("command -v chromium").code != 0) IX_MISSING_STACK("chromium is not installed");
  // The sanitizer stage leaves external programs out (scripts/test.sh: IX_SKIP_EXTERNAL); the
  // pages above were still written by the instrumented ixctl.
  if (const char* skip = std::getenv("IX_SKIP_EXTERNAL"); skip != nullptr && std::string_view(skip) == "1") {
    GTEST_SKIP() << "IX_SKIP_EXTERNAL=1: Chromium not started";
  }
  const std::string profile = Path("chromium-profile");
  const fs::path png = out / "report-screenshot.png", dom_file = out / "report-dom.html";
  const Proc shot = Chromium(html, dom_file, png, profile, "1400,1800");
  ASSERT_TRUE(fs::exists(png)) << shot.out;
  const std::string bytes = Read(png);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  EXPECT_GT(bytes.size(), 30000u) << "a blank page compresses to a few kB";
  const std::string dom = Read(dom_file);
  ASSERT_NE(dom.find("</html>"), std::string::npos) << shot.out;
  ExpectSelfContained(dom, "report DOM");
  ExpectParsedAsWritten(page, dom, "report");

  // Each report's section: the charts the report defines (docs/statistics.md), as the JSON says.
  std::map<std::string, std::vector<Chart>> expected;
  for (const auto& report : reports.reports()) {
    std::vector<Chart>& charts = expected[v1::ReportKind_Name(report.kind())];
    switch (report.kind()) {
      case v1::REPORT_KIND_KAS:
        charts.push_back(ExpectedSexChart(report, "kas.women", "kas.men", -1, "Participants per category at start"));
        break;
      case v1::REPORT_KIND_OUTCOMES:
        charts.push_back(ExpectedSexChart(report, "outcomes.self_support.women", "outcomes.self_support.men", 0,
                                          "Self-support after the intervention, per kind and category at start"));
        break;
      case v1::REPORT_KIND_LEAD_TIMES:
        charts.push_back(ExpectedSexChart(report, "lead_times.median.women", "lead_times.median.men", 4,
                                          "Median days from first visit to first intervention"));
        charts.push_back(ExpectedSexChart(report, "lead_times.passive.women", "lead_times.passive.men", 2,
                                          "AM2/AM3 without an intervention for longer than the limit"));
        break;
      case v1::REPORT_KIND_INDICATORS:
        charts.push_back(ExpectedSexChart(report, "indicators.women", "indicators.men", 0, "Indicators met (count)"));
        break;
      default: break;
    }
  }
  static const std::pair<const char*, const char*> kSections[] = {
      {"kas", "REPORT_KIND_KAS"}, {"outcomes", "REPORT_KIND_OUTCOMES"},
      {"lead_times", "REPORT_KIND_LEAD_TIMES"}, {"indicators", "REPORT_KIND_INDICATORS"}};
  for (const auto& [section, kind] : kSections) {
    SCOPED_TRACE(section);
    const size_t from = dom.find("<section id=\"" + std::string(section) + "\">");
    ASSERT_NE(from, std::string::npos);
    const std::vector<Chart> charts = ChartsIn(dom, from, dom.find("</section>", from));
    const std::vector<Chart>& want = expected[kind];
    ASSERT_EQ(charts.size(), want.size());
    for (size_t c = 0; c < want.size(); ++c) {
      EXPECT_EQ(charts[c].title, want[c].title);
      EXPECT_EQ(charts[c].bars, want[c].bars) << want[c].title;
      EXPECT_EQ(charts[c].hidden, want[c].hidden) << want[c].title;
      EXPECT_GT(want[c].bars.size() + want[c].hidden, 0u) << want[c].title << ": no row to chart";
      // The published KAS and outcomes tables of this one-year store hide every row total (their
      // kind x category cells are small and linked across tables), so those charts have marks
      // only; the others must show bars.
      if (std::string_view(kind) != "REPORT_KIND_KAS" && std::string_view(kind) != "REPORT_KIND_OUTCOMES") {
        EXPECT_FALSE(want[c].bars.empty()) << want[c].title;
      }
    }
  }

  // The network report: one chart, one bar per municipality and sex whose grand total the
  // municipality published, and one table per network table.
  const fs::path network_png = out / "network-screenshot.png", network_dom_file = out / "network-dom.html";
  const Proc net_shot = Chromium(network_html, network_dom_file, network_png, profile, "1000,1400");
  ASSERT_TRUE(fs::exists(network_png)) << net_shot.out;
  EXPECT_EQ(Read(network_png).substr(1, 3), "PNG");
  const std::string network_dom = Read(network_dom_file);
  ASSERT_NE(network_dom.find("</html>"), std::string::npos) << net_shot.out;
  ExpectSelfContained(network_dom, "network DOM");
  ExpectParsedAsWritten(network_page, network_dom, "network");
  EXPECT_EQ(Occurrences(network_dom, "<svg"), 1u);
  EXPECT_EQ(Occurrences(network_dom, "<table"), static_cast<size_t>(combined.tables_size()));
  ASSERT_EQ(combined.municipality_codes_size(), 2);
  for (const char* sex : {"women", "men"}) {
    size_t published = 0;
    for (const auto& t : combined.tables()) {
      if (t.id() != std::string("kas.") + sex) continue;
      for (const auto& m : t.municipalities()) {
        if (!m.rows().empty() && !m.rows().rbegin()->cells().empty() && m.rows().rbegin()->cells().rbegin()->has_count()) {
          ++published;
        }
      }
    }
    EXPECT_EQ(Occurrences(network_dom, std::string("<rect class=\"") + sex + "\""), published) << sex;
  }
  for (const auto& code : combined.municipality_codes()) EXPECT_NE(network_dom.find(">" + code + "</text>"), std::string::npos) << code;
}

}  // namespace
}  // namespace ix::test
