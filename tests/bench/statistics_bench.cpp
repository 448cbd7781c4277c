// Statistics benchmark (a program, not a timed test; figures in docs/benchmarks.md).
//
// Generates synthetic events (default 10 million), imports them into a fresh event store, then
// in the same run builds all five reports (snapshot, movements, KAS, equality, caseload — plus
// the monthly trend) two ways over the same SQLite file:
//   engine:   ix::store::RunReports — one ordered pass over the events, the core engine folds
//             one person at a time (and publishes + protects every report);
//   baseline: an equivalent set of SQLite GROUP BY queries (window functions and correlated
//             subqueries for "category on a date"), one query per report.
// Both results are compared cell by cell (the baseline is only a baseline if it computes the
// same numbers), then the ratio and the peak resident memory (VmHWM) are printed.
//
//   ix_statistics_bench [--events N] [--dir DIR] [--keep] [--ndjson FILE] [--from D --to D]
//   ix_statistics_bench --store FILE [--municipality M] [--from D --to D]
// --ndjson also writes the same events as NDJSON (as `ixctl generate` does), so that another
// engine can compute the reports from the very events of this run (tests/bench/
// statistics_duckdb_bench.sh); --keep keeps the store file and prints its path. --store skips
// generation and import and runs the engine and the baseline over a store `ixctl import` made
// (so one import serves this bench and tests/bench/store_backends_bench.sh). --from/--to: the
// period (YYYY-MM-DD; default 2022-01-01 to 2023-12-31), the snapshot on --to.
#include <ix/statistics/publication.hpp>
#include <ix/store/event_store.hpp>
#include <ix/store/sqlite_event_store.hpp>
#include <ix/store/reports.hpp>
#include <ix/store/synthetic_events.hpp>

#include <google/protobuf/util/json_util.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unistd.h>

namespace stats = ix::statistics;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long PeakKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// Category number as the engine's ReportCategory, in SQL.
constexpr const char* kCategorySql =
    "CASE WHEN c.further = 1 THEN 8 WHEN c.r_mask = 0 THEN (CASE c.am WHEN 1 THEN 0 WHEN 2 THEN 1 "
    "WHEN 3 THEN 2 ELSE 9 END) WHEN c.am = 0 THEN 3 WHEN c.r_mask IN (3, 5, 6, 7) THEN 7 "
    "WHEN c.r_mask = 1 THEN 4 WHEN c.r_mask = 2 THEN 5 ELSE 6 END";

std::string CategoryOn(const std::string& person, const std::string& day) {
  return "coalesce((SELECT " + std::string(kCategorySql) +
         " FROM events c WHERE c.municipality = ?1 AND c.person = " + person +
         " AND c.kind = 1 AND c.day <= " + day +
         " ORDER BY c.day DESC, c.recorded_at DESC, c.id DESC LIMIT 1), 9)";
}

// Merged periods and interventions: the latest recorded event about each.
constexpr const char* kMerged =
    "WITH periods AS (SELECT person, start_day, end_day, exit_reason FROM (SELECT person, "
    "start_day, end_day, exit_reason, row_number() OVER (PARTITION BY person, start_day ORDER BY "
    "recorded_at DESC, id DESC) AS rn FROM events WHERE municipality = ?1 AND kind = 2) WHERE rn = 1), "
    "interventions AS (SELECT person, start_day, end_day, orientation, outcome, intervention_kind, actor FROM "
    "(SELECT person, start_day, end_day, orientation, outcome, intervention_kind, actor, row_number() OVER (PARTITION BY person, "
    "intervention_id ORDER BY recorded_at DESC, id DESC) AS rn FROM events WHERE municipality = ?1 "
    "AND kind = 3) WHERE rn = 1) ";

std::string OpenOn(const std::string& day) {
  return "SELECT person, start_day FROM periods WHERE start_day <= " + day +
         " AND (end_day IS NULL OR end_day >= " + day + ")";
}

struct Baseline {
  std::map<std::tuple<int, int, int, int>, int64_t> snapshot;  // cat, sex, age, duration
  std::map<std::tuple<int, int, int>, int64_t> movements;      // sex, row, col
  std::map<std::tuple<std::string, int, int, int, int, int>, int64_t> kas;  // kind, cat, sex, age, time, outcome
  std::map<std::tuple<int, int>, std::array<int64_t, 3>> equality;  // cat, sex -> persons, work, rehab
  std::map<std::tuple<std::string, int>, int64_t> caseload;    // caseworker, cat
};

int Sex(int v) { return v == 1 ? 0 : v == 2 ? 1 : 2; }

template <typename Row>
void Query(sqlite3* db, const std::string& sql, const std::string& municipality, Row&& row) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "baseline SQL error: %s\n%s\n", sqlite3_errmsg(db), sql.c_str());
    std::exit(1);
  }
  sqlite3_bind_text(s, 1, municipality.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(s) == SQLITE_ROW) row(s);
  sqlite3_finalize(s);
}

Baseline RunBaseline(sqlite3* db, const std::string& m, const stats::ReportOptions& o) {
  Baseline b;
  const std::string at = std::to_string(o.at), from = std::to_string(o.from), to = std::to_string(o.to);
  const ix::core::Date at_date = stats::DateFromDay(o.at);
  // Age and whole months in SQL, with the same band bounds as the engine.
  std::string age = "CASE WHEN p.birth_year = 0 THEN -1 ELSE " + std::to_string(at_date.year) +
                    " - p.birth_year - (CASE WHEN " + std::to_string(at_date.month) +
                    " < (CASE WHEN p.birth_month BETWEEN 1 AND 12 THEN p.birth_month ELSE 7 END) THEN 1 ELSE 0 END) END";
  std::string age_band = "CASE";
  for (size_t i = o.age.lower.size(); i-- > 0;) {
    age_band += " WHEN a >= " + std::to_string(o.age.lower[i]) + " THEN " + std::to_string(i);
  }
  age_band += " ELSE " + std::to_string(o.age.Count() - 1) + " END";
  // Whole months from the start of the unbroken run of assistance (periods that overlap or follow
  // on the next day) to `at`, as clocks::OnAssistance and calendar::WholeMonths count them: the
  // anniversary in a shorter month is its last day.
  const int at_month_days = stats::DateFromDay(stats::DayFromDate({at_date.month == 12 ? at_date.year + 1 : at_date.year,
                                                                  at_date.month == 12 ? 1 : at_date.month + 1, 1}) - 1).day;
  const std::string months =
      "((" + std::to_string(at_date.year) + " - CAST(strftime('%Y', o.run_start * 86400, 'unixepoch') AS INTEGER)) * 12 + (" +
      std::to_string(at_date.month) + " - CAST(strftime('%m', o.run_start * 86400, 'unixepoch') AS INTEGER)) - (CASE WHEN " +
      std::to_string(at_date.day) + " < min(" + std::to_string(at_month_days) +
      ", CAST(strftime('%d', o.run_start * 86400, 'unixepoch') AS INTEGER)) THEN 1 ELSE 0 END))";
  // The periods open on `at` with the start of their run (gaps and islands over the merged periods).
  const std::string open_runs =
      "SELECT person, start_day, run_start FROM (SELECT person, start_day, end_day, min(start_day) OVER "
      "(PARTITION BY person, run) AS run_start FROM (SELECT person, start_day, end_day, sum(new_run) OVER (PARTITION BY "
      "person ORDER BY start_day ROWS UNBOUNDED PRECEDING) AS run FROM (SELECT person, start_day, end_day, CASE WHEN "
      "start_day > 1 + max(coalesce(end_day, 2147483647)) OVER (PARTITION BY person ORDER BY start_day ROWS BETWEEN "
      "UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 1 ELSE 0 END AS new_run FROM periods))) WHERE start_day <= " + at +
      " AND (end_day IS NULL OR end_day >= " + at + ")";
  std::string duration_band = "CASE";
  for (size_t i = o.duration.lower.size(); i-- > 0;) {
    duration_band += " WHEN mo >= " + std::to_string(o.duration.lower[i]) + " THEN " + std::to_string(i);
  }
  duration_band += " ELSE 0 END";

  // 1. Snapshot.
  Query(db, std::string(kMerged) + "SELECT cat, sex, " + age_band + " AS ab, " + duration_band +
                " AS db, count(*) FROM (SELECT " + CategoryOn("o.person", at) + " AS cat, p.sex AS sex, " +
                age + " AS a, " + months + " AS mo FROM (" + open_runs +
                ") o JOIN persons p ON p.id = o.person) GROUP BY cat, sex, ab, db",
        m, [&](sqlite3_stmt* s) {
          b.snapshot[{sqlite3_column_int(s, 0), Sex(sqlite3_column_int(s, 1)), sqlite3_column_int(s, 2),
                      sqlite3_column_int(s, 3)}] += sqlite3_column_int64(s, 4);
        });
  // 2. Movements.
  Query(db, std::string(kMerged) +
                "SELECT p.sex, r, c, count(*) FROM (SELECT x.person, "
                "CASE WHEN x.person IN (SELECT person FROM (" + OpenOn(from) + ")) THEN " + CategoryOn("x.person", from) +
                " ELSE 10 END AS r, CASE WHEN x.person IN (SELECT person FROM (" + OpenOn(to) + ")) THEN " +
                CategoryOn("x.person", to) +
                " ELSE 10 + coalesce((SELECT e.exit_reason FROM periods e WHERE e.person = x.person AND "
                "e.end_day >= " + from + " AND e.end_day <= " + to +
                " ORDER BY e.end_day DESC, e.start_day DESC LIMIT 1), 0) END AS c FROM (SELECT DISTINCT person FROM periods WHERE "
                "(start_day <= " + from + " AND (end_day IS NULL OR end_day >= " + from + ")) OR (start_day > " + from +
                " AND start_day <= " + to + ")) x) y JOIN persons p ON p.id = y.person GROUP BY p.sex, r, c",
        m, [&](sqlite3_stmt* s) {
          b.movements[{Sex(sqlite3_column_int(s, 0)), sqlite3_column_int(s, 1), sqlite3_column_int(s, 2)}] +=
              sqlite3_column_int64(s, 3);
        });
  // 3. KAS: every ended intervention of the default scope (actor "municipality"), in the category
  // of its start day; age on the start day; whole months in the intervention (the anniversary
  // day clamped to the end month's length, as the domain calendar counts).
  const std::string start_y = "CAST(strftime('%Y', i.start_day * 86400, 'unixepoch') AS INTEGER)";
  const std::string start_m = "CAST(strftime('%m', i.start_day * 86400, 'unixepoch') AS INTEGER)";
  const std::string start_d = "CAST(strftime('%d', i.start_day * 86400, 'unixepoch') AS INTEGER)";
  const std::string end_y = "CAST(strftime('%Y', i.end_day * 86400, 'unixepoch') AS INTEGER)";
  const std::string end_m = "CAST(strftime('%m', i.end_day * 86400, 'unixepoch') AS INTEGER)";
  const std::string end_d = "CAST(strftime('%d', i.end_day * 86400, 'unixepoch') AS INTEGER)";
  const std::string end_month_days =
      "CAST(strftime('%d', i.end_day * 86400, 'unixepoch', 'start of month', '+1 month', '-1 day') AS INTEGER)";
  const std::string kas_age = "CASE WHEN p.birth_year = 0 THEN -1 ELSE " + start_y + " - p.birth_year - (CASE WHEN " +
                              start_m + " < (CASE WHEN p.birth_month BETWEEN 1 AND 12 THEN p.birth_month ELSE 7 END) "
                              "THEN 1 ELSE 0 END) END";
  const std::string kas_months = "((" + end_y + " - " + start_y + ") * 12 + " + end_m + " - " + start_m +
                                 " - (CASE WHEN " + end_d + " < min(" + start_d + ", " + end_month_days +
                                 ") THEN 1 ELSE 0 END))";
  std::string time_band = "CASE";
  for (size_t i = o.kas_time.lower.size(); i-- > 0;) {
    time_band += " WHEN mo >= " + std::to_string(o.kas_time.lower[i]) + " THEN " + std::to_string(i);
  }
  time_band += " ELSE 0 END";
  Query(db, std::string(kMerged) + "SELECT kind, cat, sex, " + age_band + " AS ab, " + time_band +
                " AS tb, outcome, count(*) FROM (SELECT coalesce(i.intervention_kind, '') AS kind, " +
                CategoryOn("i.person", "i.start_day") + " AS cat, p.sex AS sex, " + kas_age + " AS a, " + kas_months +
                " AS mo, i.outcome AS outcome FROM interventions i JOIN persons p ON p.id = i.person WHERE i.end_day >= " +
                from + " AND i.end_day <= " + to + " AND i.actor = 'municipality') GROUP BY kind, cat, sex, ab, tb, outcome",
        m, [&](sqlite3_stmt* s) {
          b.kas[{reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), sqlite3_column_int(s, 1),
                 Sex(sqlite3_column_int(s, 2)), sqlite3_column_int(s, 3), sqlite3_column_int(s, 4),
                 sqlite3_column_int(s, 5)}] += sqlite3_column_int64(s, 6);
        });
  // 4. Equality (interventions started in the period, per person and category on the start day).
  Query(db, std::string(kMerged) + "SELECT cat, p.sex, count(*), sum(work), sum(rehab) FROM (SELECT person, cat, "
                "max(orientation = 1) AS work, max(orientation = 2) AS rehab FROM (SELECT i.person, i.orientation, " +
                CategoryOn("i.person", "i.start_day") + " AS cat FROM interventions i WHERE i.start_day >= " + from +
                " AND i.start_day <= " + to + ") GROUP BY person, cat) q JOIN persons p ON p.id = q.person GROUP BY cat, p.sex",
        m, [&](sqlite3_stmt* s) {
          auto& e = b.equality[{sqlite3_column_int(s, 0), Sex(sqlite3_column_int(s, 1))}];
          e[0] += sqlite3_column_int64(s, 2);
          e[1] += sqlite3_column_int64(s, 3);
          e[2] += sqlite3_column_int64(s, 4);
        });
  // 5. Caseload (open cases per caseworker by category; the due clocks have no SQL equivalent).
  // Every kind named, so that SQLite finds a person's events down the index that leads with the
  // kind (store schema 7), four steps, instead of scanning the municipality for each person.
  Query(db, std::string(kMerged) + "SELECT coalesce((SELECT w.caseworker FROM events w WHERE w.municipality = ?1 AND "
                "w.kind IN (1, 2, 3, 4) AND w.person = o.person AND w.caseworker IS NOT NULL AND w.day <= " + at +
                " ORDER BY w.day DESC, w.id DESC LIMIT 1), '') AS cw, " + CategoryOn("o.person", at) +
                " AS cat, count(*) FROM (" + OpenOn(at) + ") o GROUP BY cw, cat",
        m, [&](sqlite3_stmt* s) {
          b.caseload[{reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), sqlite3_column_int(s, 1)}] +=
              sqlite3_column_int64(s, 2);
        });
  return b;
}

int Compare(const stats::Reports& r, const Baseline& b) {
  int differences = 0;
  auto diff = [&](const char* what, int64_t engine, int64_t sql) {
    if (engine != sql && ++differences <= 10) {
      std::fprintf(stderr, "difference in %s: engine %lld, SQL %lld\n", what, static_cast<long long>(engine),
                   static_cast<long long>(sql));
    }
  };
  const stats::SnapshotReport& s = r.snapshot;
  for (int c = 0; c < stats::kReportCategoryCount; ++c)
    for (int x = 0; x < stats::kSexGroupCount; ++x)
      for (int a = 0; a < s.ages; ++a)
        for (int d = 0; d < s.durations; ++d) {
          auto it = b.snapshot.find({c, x, a, d});
          diff("snapshot", s.At(c, x, a, d), it == b.snapshot.end() ? 0 : it->second);
        }
  for (int x = 0; x < stats::kSexGroupCount; ++x)
    for (int i = 0; i < stats::kMovementRows; ++i)
      for (int j = 0; j < stats::kMovementColumns; ++j) {
        auto it = b.movements.find({x, i, j});
        diff("movements", r.movements.counts[static_cast<size_t>(x)][static_cast<size_t>(i)][static_cast<size_t>(j)],
             it == b.movements.end() ? 0 : it->second);
      }
  for (int c = 0; c < stats::kReportCategoryCount; ++c)
    for (int x = 0; x < stats::kSexGroupCount; ++x) {
      auto it = b.equality.find({c, x});
      const auto& e = r.equality.interventions[static_cast<size_t>(c)][static_cast<size_t>(x)];
      const std::array<int64_t, 3> sql = it == b.equality.end() ? std::array<int64_t, 3>{} : it->second;
      diff("equality persons", e.persons, sql[0]);
      diff("equality work", e.work, sql[1]);
      diff("equality rehabilitative", e.rehabilitative, sql[2]);
    }
  int64_t kas_cells = 0;
  r.kas.ForEach([&](const std::string& kind, int c, int x, int a, int t, int k, int64_t n) {
    auto it = b.kas.find({kind, c, x, a, t, k});
    diff("kas", n, it == b.kas.end() ? 0 : it->second);
    ++kas_cells;
  });
  diff("kas cells", kas_cells, static_cast<int64_t>(b.kas.size()));
  int64_t caseload_cells = 0;
  for (const auto& [cw, cats] : r.caseload.open)
    for (int c = 0; c < stats::kReportCategoryCount; ++c) {
      auto it = b.caseload.find({cw, c});
      diff("caseload", cats[static_cast<size_t>(c)], it == b.caseload.end() ? 0 : it->second);
      caseload_cells += it == b.caseload.end() ? 0 : 1;
    }
  diff("caseload cells", caseload_cells, static_cast<int64_t>(b.caseload.size()));
  return differences;
}

// The engine (every report in one pass, then each published and protected) and the SQLite
// baseline over the same store, compared cell by cell; differences -1: the pass failed.
struct EngineAndBaseline {
  double engine_s = 0, sql_s = 0;
  long engine_peak = 0;
  int differences = -1;
};
EngineAndBaseline RunBoth(const ix::store::EventStore& db, const std::string& municipality, const stats::ReportOptions& o) {
  EngineAndBaseline out;
  auto t0 = Clock::now();
  auto reports = ix::store::RunReports(db, municipality, o);
  if (!reports.ok()) {
    std::fprintf(stderr, "%s\n", reports.status().message().c_str());
    return out;
  }
  const double pass_s = Seconds(t0);
  std::string protect_times;
  for (stats::ReportKind kind : stats::kAllReportKinds) {
    const auto k0 = Clock::now();
    stats::Publication p = stats::Publish(kind, *reports);
    stats::Protect(p, false, 5);
    char line[96];
    std::snprintf(line, sizeof line, " %s %.2f s (%zu tables);", stats::ReportKindName(kind), Seconds(k0), p.tables.size());
    protect_times += line;
  }
  std::printf("engine pass       %.2f s; publication + disclosure control:%s\n", pass_s, protect_times.c_str());
  out.engine_s = Seconds(t0);
  out.engine_peak = PeakKiB();
  t0 = Clock::now();
  const Baseline baseline =
      RunBaseline(dynamic_cast<const ix::store::SqliteEventStore&>(db).handle(), municipality, o);
  out.sql_s = Seconds(t0);
  out.differences = Compare(*reports, baseline);
  return out;
}

// --store: the engine and the baseline over a store made by `ixctl import` (read-only, no key).
int OverStore(const std::string& path, const std::string& municipality, const stats::ReportOptions& o) {
  auto opened = ix::store::EventStore::Open(path, {});
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().message().c_str());
    return 1;
  }
  const EngineAndBaseline run = RunBoth(**opened, municipality, o);
  if (run.differences < 0) return 1;
  std::printf("events            %lld (persons %lld, municipality %s, store %s)\n",
              static_cast<long long>((*opened)->CountEvents()), static_cast<long long>((*opened)->CountPersons()),
              municipality.c_str(), path.c_str());
  std::printf("engine, all reports %.2f s (one pass over the store, incl. publication + disclosure control)\n", run.engine_s);
  std::printf("SQLite GROUP BY   %.2f s (one query per report)\n", run.sql_s);
  std::printf("ratio             %.1fx faster than the SQLite baseline\n", run.sql_s / run.engine_s);
  std::printf("results equal     %s\n", run.differences == 0 ? "yes, cell by cell" : "NO");
  std::printf("peak RSS (VmHWM)  %.1f MiB after the engine, %.1f MiB at the end\n", run.engine_peak / 1024.0,
              PeakKiB() / 1024.0);
  return run.differences == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t target = 10'000'000;
  fs::path dir = fs::temp_directory_path();
  bool keep = false;
  std::string ndjson, existing, municipality = "0180";
  std::optional<stats::Day> from = stats::DayFromDate({2022, 1, 1}), to = stats::DayFromDate({2023, 12, 31});
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--events") && i + 1 < argc) target = std::atoll(argv[++i]);
    else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else if (!std::strcmp(argv[i], "--keep")) keep = true;
    else if (!std::strcmp(argv[i], "--ndjson") && i + 1 < argc) ndjson = argv[++i];
    else if (!std::strcmp(argv[i], "--store") && i + 1 < argc) existing = argv[++i];
    else if (!std::strcmp(argv[i], "--municipality") && i + 1 < argc) municipality = argv[++i];
    else if (!std::strcmp(argv[i], "--from") && i + 1 < argc) from = stats::ParseDay(argv[++i]);
    else if (!std::strcmp(argv[i], "--to") && i + 1 < argc) to = stats::ParseDay(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--events N] [--dir DIR] [--keep] [--ndjson FILE] [--from D --to D]\n"
                           "       %s --store FILE [--municipality M] [--from D --to D]\n", argv[0], argv[0]);
      return 2;
    }
  }
  if (!from || !to || *to < *from) {
    std::fprintf(stderr, "--from/--to: not two dates YYYY-MM-DD in order\n");
    return 2;
  }
  stats::ReportOptions o;
  o.from = *from;
  o.to = *to;
  o.at = o.to;
  if (!existing.empty()) return OverStore(existing, municipality, o);
  stats::SyntheticParams params;
  params.years = 10;
  params.seed = 2024;
  params.first_day = stats::DayFromDate({2015, 1, 1});
  params.units = 12;
  params.caseworkers_per_unit = 10;
  // Events per person, from a pilot run with the same distributions.
  int64_t pilot_events = 0;
  stats::SyntheticParams pilot = params;
  pilot.persons = 2000;
  stats::GenerateSynthetic(pilot, [&](const stats::SyntheticPerson& p) { pilot_events += static_cast<int64_t>(p.events.size()); });
  params.persons = std::max<int64_t>(1, target * pilot.persons / std::max<int64_t>(1, pilot_events));

  const fs::path path = dir / ("ix-bench-" + std::to_string(::getpid()) + ".sqlite");
  auto opened = ix::store::EventStore::Open(path, "benchmark-secret-for-kommun-0180");
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().message().c_str());
    return 1;
  }
  ix::store::EventStore& db = **opened;

  std::ofstream ndjson_out;
  if (!ndjson.empty()) {
    ndjson_out.open(ndjson, std::ios::binary | std::ios::trunc);
    if (!ndjson_out) {
      std::fprintf(stderr, "%s: cannot be written\n", ndjson.c_str());
      return 1;
    }
  }
  google::protobuf::util::JsonPrintOptions json;
  json.preserve_proto_field_names = true;
  std::string json_line;
  double ndjson_s = 0;

  auto t0 = Clock::now();
  int64_t events = 0, persons = 0;
  std::vector<ix::v1::Event> batch;
  bool ok = db.Begin().ok();
  stats::GenerateSynthetic(params, [&](const stats::SyntheticPerson& p) {
    ix::store::ToEvents(p, municipality, params.seed, batch);
    for (const auto& e : batch) ok = ok && db.Add(e).ok();
    if (ndjson_out.is_open()) {  // timed apart: the import figure stays comparable
      const auto w0 = Clock::now();
      for (const auto& e : batch) {
        json_line.clear();
        (void)google::protobuf::util::MessageToJsonString(e, &json_line, json);
        ndjson_out << json_line << '\n';
      }
      ndjson_s += Seconds(w0);
    }
    events += static_cast<int64_t>(batch.size());
    if (++persons % 20000 == 0) {
      ok = ok && db.Commit().ok() && db.Begin().ok();
      if (persons % 200000 == 0) std::fprintf(stderr, "generated and imported %lld events\n", static_cast<long long>(events));
    }
  });
  ok = ok && db.Commit().ok();
  if (!ok) {
    std::fprintf(stderr, "import failed\n");
    return 1;
  }
  ndjson_out.close();
  if (!ndjson.empty() && !ndjson_out) {
    std::fprintf(stderr, "%s: write failed\n", ndjson.c_str());
    return 1;
  }
  const double import_s = Seconds(t0) - ndjson_s;
  const long import_peak = PeakKiB();

  t0 = Clock::now();
  const EngineAndBaseline run = RunBoth(db, municipality, o);
  if (run.differences < 0) return 1;
  const double engine_s = run.engine_s, sql_s = run.sql_s;
  const long engine_peak = run.engine_peak;
  const int differences = run.differences;

  const double file_mib = static_cast<double>(fs::file_size(path)) / (1024.0 * 1024.0);
  std::printf("events            %lld (persons %lld, years %d, municipality %s)\n", static_cast<long long>(events),
              static_cast<long long>(persons), params.years, municipality.c_str());
  std::printf("store file        %.0f MiB\n", file_mib);
  std::printf("generate+import   %.1f s (%.0f events/s)\n", import_s, static_cast<double>(events) / import_s);
  std::printf("engine, 5 reports %.2f s (one pass over the store, incl. publication + disclosure control)\n", engine_s);
  std::printf("SQLite GROUP BY   %.2f s (one query per report)\n", sql_s);
  std::printf("ratio             %.1fx faster than the SQLite baseline\n", sql_s / engine_s);
  std::printf("results equal     %s\n", differences == 0 ? "yes, cell by cell" : "NO");
  std::printf("peak RSS (VmHWM)  %.1f MiB after import, %.1f MiB after the engine, %.1f MiB at the end\n",
              import_peak / 1024.0, engine_peak / 1024.0, PeakKiB() / 1024.0);
  if (!ndjson.empty()) std::printf("ndjson            %s (%.1f s to write, not in the import time)\n", ndjson.c_str(), ndjson_s);
  if (keep) std::printf("store kept        %s\n", path.c_str());
  opened->reset();  // close before removing the files
  if (!keep) {
    fs::remove(path);
    fs::remove(path.string() + "-wal");
    fs::remove(path.string() + "-shm");
  }
  return differences == 0 ? 0 : 1;
}
