// ixctl generate → import → report as real processes, on generated data for a mid-sized
// municipality, and the HTML report rendered by a real headless Chromium.
#include <ix/cli/json_io.hpp>
#include <ix/statistics/publication.hpp>
#include <ix/statistics/synthetic.hpp>

#include "ix/v1/statistics.pb.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
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

// The HTML report in a real headless Chromium: it renders, and the screenshot is kept in the
// build tree (tests/statistics/report-screenshot.png) for people to look at.
TEST_F(StatisticsCli, HtmlReportRendersInHeadlessChromium) {
  const fs::path html = fs::path(IX_TEST_STATS_OUTPUT_DIR) / "report.html";
  const Proc r = Sh(Ixctl() + " report all --format html --municipality 0192 --from 2022-01-01 --to 2023-12-31 -o " +
                    html.string() + Store());
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string page = Read(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("<title>Participants per category at start</title>"), std::string::npos);  // the KAS chart
  EXPECT_NE(page.find("<title>Self-support after the intervention, per kind and category at start</title>"),
            std::string::npos);  // the outcomes chart
  EXPECT_NE(page.find("<section id=\"outcomes\">"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http://"), page.find("http://www.w3.org/2000/svg"));  // nothing external
  if (Sh("command -v chromium").code != 0) IX_MISSING_STACK("chromium is not installed");
  const fs::path png = fs::path(IX_TEST_STATS_OUTPUT_DIR) / "report-screenshot.png";
  fs::remove(png);
  const std::string profile = Path("chromium-profile");
  const Proc shot = Sh("timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                       "--disable-background-networking --disable-component-update --disable-sync "
                       "--user-data-dir=" + profile + " --screenshot=" + png.string() +
                       " --window-size=1400,1800 file://" + html.string());
  ASSERT_TRUE(fs::exists(png)) << shot.out;
  const std::string bytes = Read(png);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  EXPECT_GT(bytes.size(), 30000u) << "a blank page compresses to a few kB";
}

}  // namespace
}  // namespace ix::test
