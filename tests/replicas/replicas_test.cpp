// Three ix-server replicas — real processes, one configuration file, the same certificates,
// caller map and key files — against one PostgreSQL (a throw-away cluster started by
// with_postgresql.sh), and a client that spreads its calls over them:
//   - an assessment recorded through replica 1 appears in the reports of replicas 2 and 3;
//   - one exchange package imported through replicas 1 and 2 at the same moment is applied by
//     exactly one of them, the other answers "already imported";
//   - a replica killed with SIGKILL in the middle of a large import leaves nothing of it behind
//     and loses nothing committed before; importing again through another replica applies it
//     once, and a third import is a replay.
// Without PostgreSQL the test is skipped when run by hand and fails under CI=true.
#include "replica_harness.hpp"

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/exchange.pb.h"

#include <fcntl.h>

#include <atomic>
#include <ctime>
#include <thread>
#include "../missing_stack.hpp"
#include "../shell.hpp"

namespace ix::server::testing {
namespace {

// The files every replica shares, and the replicas.
class Replicas : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!PostgresqlAvailable()) return;
    ASSERT_TRUE(Exec(std::string("CREATE DATABASE ") + kDatabase, "postgres"));
    dir_ = new fs::path(TempDir("replicas"));
    WriteSharedFiles(*dir_, R"("limits": { "max_deadline_ms": 120000 },
      "isolation": { "workers": 1 })");
    replicas_ = new Replica[3];
    for (int i = 0; i < 3; ++i) {
      replicas_[i].Start(*dir_ / "ix-server.json", *dir_ / ("replica-" + std::to_string(i + 1)));
    }
  }
  static void TearDownTestSuite() {
    delete[] replicas_;
    replicas_ = nullptr;
    if (dir_ != nullptr) fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!PostgresqlAvailable()) {
      const char* ci = std::getenv("CI");
      if (ci != nullptr && std::string(ci) == "true") FAIL() << "CI=true and no PostgreSQL server";
      GTEST_SKIP() << "no PostgreSQL server in the environment (PGHOST/PGPORT); run through with_postgresql.sh";
    }
    ASSERT_NE(replicas_, nullptr);
    for (int i = 1; i <= 3; ++i) {
      EnsureRunning(i);
      ASSERT_GT(R(i).port, 0) << "replica " << i << " is not serving";
    }
  }

  static Replica& R(int number) { return replicas_[number - 1]; }
  // Starts replica `number` again if a test stopped it.
  static void EnsureRunning(int number) {
    if (R(number).pid <= 0) R(number).Start(*dir_ / "ix-server.json", R(number).dir);
  }

  // Exports a package of 0181's two-year case for 0192 through `through`, its categorisation
  // events repeated `copies` times under new ids (a large package).
  static std::string Package(const Replica& through, const std::string& package_id, int copies = 1) {
    v1::ExportExchangeRequest request;
    v1::Case c = ExampleCase("case-after-two-years.json");
    // Its events get ids of their own per package, so each package brings new events.
    for (v1::Event& event : *c.mutable_events()) {
      if (!event.has_categorisation()) continue;
      auto* header = event.mutable_categorisation()->mutable_header();
      header->set_event_id(header->event_id() + "/" + package_id);
    }
    const auto original = c.events();
    for (int k = 1; k < copies; ++k) {
      for (const v1::Event& event : original) {
        if (!event.has_categorisation()) continue;
        v1::Event* copy = c.add_events();
        *copy = event;
        auto* header = copy->mutable_categorisation()->mutable_header();
        header->set_event_id(header->event_id() + "/copy-" + std::to_string(k));
      }
    }
    *request.mutable_household_case() = c;
    v1::ConsentRecord* consent = request.mutable_consent();
    consent->set_consent_id("consent-" + package_id);
    consent->add_scopes(v1::CONSENT_SCOPE_RESPONSES);
    consent->add_scopes(v1::CONSENT_SCOPE_ASSESSMENTS);
    consent->set_recipient_municipality_code("0192");
    consent->set_purpose(v1::EXCHANGE_PURPOSE_MOVING);
    consent->set_given_on(Day(-1));
    consent->set_expires_on(Day(30));
    consent->set_recorded_by("cw-17");
    consent->add_given_by("p1");
    consent->add_given_by("p2");
    request.set_package_id(package_id);
    grpc::ClientContext ctx;
    Deadline(&ctx, 60000);
    v1::ExportExchangeResponse out;
    const grpc::Status st = through.Stub("sodertalje")->ExportExchange(&ctx, request, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out.package();
  }

  static grpc::Status Import(const Replica& through, const std::string& package, v1::ImportExchangeResponse* out,
                             const std::string& assistance_from = "", int deadline_ms = 120000) {
    v1::ImportExchangeRequest request;
    request.set_package(package);
    request.set_assistance_from(assistance_from);
    grpc::ClientContext ctx;
    Deadline(&ctx, deadline_ms);
    return through.Stub("nynashamn")->ImportExchange(&ctx, request, out);
  }

  static int64_t StoredEvents(const std::string& store) {
    return Scalar("SELECT count(*) FROM ix_events WHERE store = '" + store + "'");
  }
  static int64_t LedgerRows() { return Scalar("SELECT count(*) FROM ix_exchange_ledger WHERE store = '0192'"); }

  static fs::path* dir_;
  static Replica* replicas_;
};
fs::path* Replicas::dir_ = nullptr;
Replica* Replicas::replicas_ = nullptr;

// The five reports of a municipality (internal: every cell counts) as one replica answers them,
// asked by that municipality's statistics caller.
std::string Reports(const Replica& through, const std::string& municipality = "0181") {
  std::string all;
  for (v1::ReportKind kind : {v1::REPORT_KIND_SNAPSHOT, v1::REPORT_KIND_MOVEMENTS, v1::REPORT_KIND_KAS,
                              v1::REPORT_KIND_EQUALITY, v1::REPORT_KIND_CASELOAD}) {
    v1::ReportRequest request;
    request.set_kind(kind);
    request.set_municipality_code(municipality);
    request.set_from_date("2024-01-01");
    request.set_to_date("2024-12-31");
    request.set_at_date("2024-03-31");
    request.set_internal(true);
    grpc::ClientContext ctx;
    Deadline(&ctx, 30000);
    v1::StatisticsReport report;
    const grpc::Status st =
        through.Stub(municipality == "0181" ? "stats-sodertalje" : "stats-nynashamn")->Report(&ctx, request, &report);
    EXPECT_TRUE(st.ok()) << st.error_message();
    for (const auto& table : report.tables()) all += table.SerializeAsString();
  }
  return all;
}

// How many persons 0192's snapshot counts today, as one replica answers.
int64_t SnapshotTotal(const Replica& through) {
  v1::ReportRequest request;
  request.set_kind(v1::REPORT_KIND_SNAPSHOT);
  request.set_municipality_code("0192");
  request.set_at_date(Day(0));
  request.set_internal(true);
  grpc::ClientContext ctx;
  Deadline(&ctx, 30000);
  v1::StatisticsReport report;
  const grpc::Status st = through.Stub("stats-nynashamn")->Report(&ctx, request, &report);
  EXPECT_TRUE(st.ok()) << st.error_message();
  for (const auto& table : report.tables()) {
    if (table.id() != "snapshot.category_by_sex") continue;
    const auto& columns = table.column_labels();
    const int total = static_cast<int>(std::find(columns.begin(), columns.end(), "Total") - columns.begin());
    for (const auto& row : table.rows()) {
      if (row.label() == "Total" && total < row.cells_size()) return row.cells(total).count();
    }
  }
  return -1;
}

// Records assessment `index` of Södertälje's two-year case through `through`.
// `occasion`, when given, replaces the occasion id (a new occasion: a new event).
grpc::Status Assess(const Replica& through, int index, const std::string& recorded_at, v1::AssessResponse* response,
                    const std::string& occasion = "") {
  const v1::Case c = ExampleCase("case-after-two-years.json");
  v1::AssessRequest request;
  *request.mutable_household() = c.household();
  *request.mutable_record() = c.assessments(index);
  if (!occasion.empty()) request.mutable_record()->set_occasion_id(occasion);
  request.set_recorded_at(recorded_at);
  grpc::ClientContext ctx;
  Deadline(&ctx, 30000);
  return through.Stub("sodertalje")->Assess(&ctx, request, response);
}

TEST_F(Replicas, WhatIsRecordedThroughOneReplicaAppearsInTheReportsOfTheOthers) {
  // An assessment through replica 1 is in the shared store at once.
  const int64_t events_before = StoredEvents("0181");
  v1::AssessResponse response;
  const grpc::Status st = Assess(R(1), 0, "2024-03-04T10:00:00Z", &response);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_TRUE(response.has_event());
  EXPECT_EQ(StoredEvents("0181"), events_before + 1);
  const std::string after2 = Reports(R(2)), after3 = Reports(R(3)), after1 = Reports(R(1));
  EXPECT_TRUE(after2 == after3 && after2 == after1) << "the replicas' reports of 0181 differ";

  // A household received through replica 1 (its assessments and assistance from ten days ago)
  // is counted in today's snapshot by replicas 2 and 3.
  const int64_t before = SnapshotTotal(R(2));
  ASSERT_GE(before, 0);
  v1::ImportExchangeResponse imported;
  ASSERT_TRUE(Import(R(1), Package(R(1), "pkg-report"), &imported, Day(-10)).ok());
  EXPECT_GT(imported.events_recorded(), 2);
  EXPECT_EQ(SnapshotTotal(R(2)), before + 2) << "the household's two adults, seen by replica 2";
  EXPECT_EQ(SnapshotTotal(R(3)), before + 2) << "and by replica 3";
  EXPECT_NE(Slurp(R(1).dir / "audit.log").find("\"rpc\":\"Assess\""), std::string::npos);
  EXPECT_EQ(Slurp(R(2).dir / "audit.log").find("\"rpc\":\"Assess\""), std::string::npos)
      << "each replica audits its own calls";
}

// PostgreSQL drops every replica's connection (as a restart of the database does): the next
// recording call through each replica connects again and succeeds, rather than every call
// failing until the replica is restarted.
TEST_F(Replicas, AReplicaReconnectsAfterPostgresqlDroppedItsConnection) {
  v1::AssessResponse response;
  for (int i = 1; i <= 3; ++i) {  // each replica has its connection to 0181's store
    ASSERT_TRUE(Assess(R(i), 0, "2024-03-05T10:00:00Z", &response, "reconnect-before-" + std::to_string(i)).ok());
  }
  const int64_t before = StoredEvents("0181");
  EXPECT_GE(Scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" +
                   std::string(kDatabase) + "' AND pid <> pg_backend_pid()"),
            3);
  for (int i = 1; i <= 3; ++i) {
    const grpc::Status st = Assess(R(i), 0, "2024-03-06T10:00:00Z", &response, "reconnect-after-" + std::to_string(i));
    EXPECT_TRUE(st.ok()) << "replica " << i << ": " << st.error_message();
  }
  EXPECT_EQ(StoredEvents("0181"), before + 3);
  // A report (a read on the same connection) reconnects too.
  const std::string reports = Reports(R(2));
  EXPECT_GE(Scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" +
                   std::string(kDatabase) + "' AND pid <> pg_backend_pid()"),
            3);
  EXPECT_TRUE(Reports(R(2)) == reports) << "the report after the reconnection differs";
}

// Who read a household's data, across the replicas: each replica audits its own calls in its
// own log, under the shared audit key, so the household's audit pseudonym (computed with that
// key as docs/scaling.md shows, with openssl) finds its records in every replica's log, merged
// by time.
TEST_F(Replicas, WhoReadAHouseholdIsFoundInEveryReplicasAuditLogWithTheSharedAuditKey) {
  if (std::system("command -v openssl >/dev/null") != 0) IX_MISSING_STACK("no openssl here");
  for (int i = 1; i <= 3; ++i) {
    grpc::ClientContext ctx;
    Deadline(&ctx, 10000);
    v1::ValidateResponse response;
    ASSERT_TRUE(R(i).Stub("sodertalje")->Validate(&ctx, ValidRequest(), &response).ok());
  }
  const fs::path key = *dir_ / "keys" / "audit.key";
  ASSERT_TRUE(fs::exists(key));
  const std::string household = ValidRequest().response().household().household_ref();
  const std::string logs = (*dir_ / "replica-1" / "audit.log").string() + " " +
                           (*dir_ / "replica-2" / "audit.log").string() + " " +
                           (*dir_ / "replica-3" / "audit.log").string();
  // The commands of docs/scaling.md, "Audit across replicas".
  const ix::test::Proc found = ix::test::Sh(
      "h=$(printf '%s' '0181/" + household + "' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(cat " +
      key.string() + ") | sed 's/.* //'); grep -H \"\\\"household\\\":\\\"$h\\\"\" " + logs +
      " | sort -t'\"' -k6,6");
  ASSERT_EQ(found.code, 0) << found.out;
  for (int i = 1; i <= 3; ++i) {
    EXPECT_NE(found.out.find("replica-" + std::to_string(i) + "/audit.log:"), std::string::npos)
        << "replica " << i << "'s record of the household is not found:\n" << found.out;
  }
  EXPECT_NE(found.out.find("\"rpc\":\"Validate\""), std::string::npos) << found.out;
  EXPECT_EQ(found.out.find(household), std::string::npos) << "the household reference is never in an audit log";
}

// A replica whose PostgreSQL cannot be reached at its start: without shared plugin state it
// starts and serves what needs no store, and a recording call fails UNAVAILABLE at once (the
// caller may retry) naming the store; with shared plugin state (updates.install_root) it
// refuses to start, saying why.
TEST_F(Replicas, AReplicaStartedWhilePostgresqlIsUnreachableSaysSo) {
  const int closed = FreeLoopbackPort();  // nobody listens on it
  ASSERT_GT(closed, 0);
  std::string config = Slurp(*dir_ / "ix-server.json");
  const std::string shared = std::string("postgresql:///") + kDatabase;
  const size_t at = config.find(shared);
  ASSERT_NE(at, std::string::npos);
  config.replace(at, shared.size(), "postgresql://127.0.0.1:" + std::to_string(closed) + "/" + kDatabase);
  const fs::path down = *dir_ / "down";
  fs::create_directories(down);
  std::ofstream(down / "ix-server.json") << config;
  Replica replica;
  replica.Start(down / "ix-server.json", down / "replica");
  ASSERT_GT(replica.port, 0);
  {
    grpc::ClientContext ctx;
    Deadline(&ctx, 10000);
    v1::ValidateResponse response;
    EXPECT_TRUE(replica.Stub("sodertalje")->Validate(&ctx, ValidRequest(), &response).ok());
  }
  v1::AssessResponse response;
  const auto t0 = std::chrono::steady_clock::now();
  const grpc::Status st = Assess(replica, 0, "2024-03-07T10:00:00Z", &response, "unreachable");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  EXPECT_NE(st.error_message().find("cannot connect"), std::string::npos) << st.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  replica.Stop(SIGTERM);

  // With the plugin state shared in that database, it does not start.
  const size_t end = config.rfind('}');
  config.insert(end, R"(, "updates": { "install_root": ")" + (down / "installed").string() + R"(" })");
  std::ofstream(down / "ix-server-updates.json") << config;
  std::string output;
  const int code = RunServer("--config " + (down / "ix-server-updates.json").string() + " --audit-log " +
                                 (down / "audit-updates.log").string(),
                             &output);
  EXPECT_NE(code, 0) << output;
  EXPECT_NE(output.find("cannot connect"), std::string::npos) << output;
}

TEST_F(Replicas, OnePackageImportedThroughTwoReplicasAtTheSameMomentIsAppliedOnce) {
  constexpr int kRounds = 6;
  for (int round = 0; round < kRounds; ++round) {
    const std::string package = Package(R(1 + round % 3), "pkg-race-" + std::to_string(round));
    ASSERT_FALSE(package.empty());
    const int64_t ledger_before = LedgerRows(), events_before = StoredEvents("0192");
    v1::ImportExchangeResponse out[2];
    grpc::Status st[2];
    std::atomic<int> ready{0};
    auto importer = [&](int i) {
      const Replica& through = R(1 + (round + i) % 3);
      auto stub = through.Stub("nynashamn");  // connected before the start line
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      v1::ImportExchangeRequest request;
      request.set_package(package);
      grpc::ClientContext ctx;
      Deadline(&ctx, 30000);
      st[i] = stub->ImportExchange(&ctx, request, &out[i]);
    };
    std::thread a(importer, 0), b(importer, 1);
    a.join();
    b.join();
    ASSERT_TRUE(st[0].ok()) << st[0].error_message();
    ASSERT_TRUE(st[1].ok()) << st[1].error_message();
    EXPECT_NE(out[0].result().already_imported(), out[1].result().already_imported())
        << "round " << round << ": exactly one replica applies the package";
    const auto& applied = out[0].result().already_imported() ? out[1] : out[0];
    const auto& replay = out[0].result().already_imported() ? out[0] : out[1];
    EXPECT_GT(applied.events_recorded(), 0);
    EXPECT_EQ(replay.events_recorded(), 0);
    EXPECT_EQ(replay.result().content_sha256(), applied.result().content_sha256());
    EXPECT_EQ(LedgerRows(), ledger_before + 1);
    if (round == 0) {
      EXPECT_EQ(StoredEvents("0192"), events_before + applied.events_recorded());
    }
  }
  // The ledger keeps keyed references, never a package id (a sender may build one from a
  // personnummer).
  EXPECT_EQ(Scalar("SELECT count(*) FROM ix_exchange_ledger WHERE reference LIKE '%pkg-race%'"), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM ix_exchange_ledger WHERE reference LIKE 'k1:%'"),
            Scalar("SELECT count(*) FROM ix_exchange_ledger"));
  EXPECT_EQ(Scalar("SELECT version FROM ix_schema_version WHERE component = 'exchange_ledger'"), 1);
}

TEST_F(Replicas, AReplicaKilledMidImportLosesNothingCommittedAndAppliesNothingTwice) {
  const std::string small = Package(R(1), "pkg-before-the-kill");
  v1::ImportExchangeResponse out;
  ASSERT_TRUE(Import(R(1), small, &out).ok());
  // 5 600 events, added one by one in the import's transaction: seconds of writing to kill into.
  const std::string big = Package(R(2), "pkg-big", 800);
  ASSERT_GT(big.size(), 200000u);
  const int64_t events_before = StoredEvents("0192"), ledger_before = LedgerRows();
  ASSERT_GT(events_before, 0);

  grpc::Status killed_status;
  std::thread importer([&] {
    v1::ImportExchangeResponse ignored;
    killed_status = Import(R(3), big, &ignored);
  });
  // Replica 3 is inside the import's transaction once a backend holds a transaction id (it
  // has written rows); then it is killed.
  bool writing = false;
  for (int i = 0; i < 2000 && !writing; ++i) {
    writing = Scalar("SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()") > 0;
    if (!writing) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(writing) << "replica 3 never started writing the import";
  R(3).Stop(SIGKILL);
  importer.join();
  EXPECT_FALSE(killed_status.ok()) << "the import finished before the kill; make the package larger";
  // PostgreSQL rolls back the killed replica's transaction when its connection drops.
  for (int i = 0; i < 200; ++i) {
    if (Scalar("SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()") == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(StoredEvents("0192"), events_before) << "nothing of the killed import, nothing committed lost";
  EXPECT_EQ(LedgerRows(), ledger_before);

  // Imported again through replica 1: applied once, in full.
  v1::ImportExchangeResponse again;
  const grpc::Status st = Import(R(1), big, &again);
  ASSERT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
  EXPECT_FALSE(again.result().already_imported());
  EXPECT_GT(again.events_recorded(), 1000);
  EXPECT_EQ(StoredEvents("0192"), events_before + again.events_recorded());
  EXPECT_EQ(LedgerRows(), ledger_before + 1);
  // Replica 3 restarted with the same files: the package is a replay there, as on replica 2.
  R(3).Start(*dir_ / "ix-server.json", R(3).dir);
  for (int number : {2, 3}) {
    v1::ImportExchangeResponse replay;
    ASSERT_TRUE(Import(R(number), big, &replay).ok());
    EXPECT_TRUE(replay.result().already_imported()) << "replica " << number;
    EXPECT_EQ(replay.events_recorded(), 0);
  }
  EXPECT_EQ(StoredEvents("0192"), events_before + again.events_recorded());
}

// Two replicas behind HAProxy from Debian, with the configuration docs/scaling.md shows
// (docs/examples/haproxy-ix-server.cfg, as it is): TLS passthrough, so the mutual-TLS handshake
// is the replicas' own and each replica sees the caller's certificate (its audit names the
// caller). One replica is killed; the calls go on through the other.
TEST_F(Replicas, BehindHaproxyCallsSpreadKeepTheirClientCertificateAndSurviveAKilledReplica) {
  if (std::system("command -v haproxy >/dev/null") != 0) IX_MISSING_STACK("no haproxy here");
  const int lb_port = FreeLoopbackPort();  // for the load balancer
  ASSERT_GT(lb_port, 0);
  const std::string config = std::string(IX_TEST_SOURCE_DIR) + "/docs/examples/haproxy-ix-server.cfg";
  const std::string log = (*dir_ / "haproxy.log").string();
  const std::string lb = "127.0.0.1:" + std::to_string(lb_port);
  const std::string r1 = "127.0.0.1:" + std::to_string(R(1).port), r2 = "127.0.0.1:" + std::to_string(R(2).port);
  const pid_t haproxy = ::fork();
  ASSERT_GE(haproxy, 0);
  if (haproxy == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::setenv("IX_LB_GRPC", lb.c_str(), 1);
    ::setenv("IX_REPLICA1_GRPC", r1.c_str(), 1);
    ::setenv("IX_REPLICA2_GRPC", r2.c_str(), 1);
    ::execlp("haproxy", "haproxy", "-db", "-f", config.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  struct Stopper {
    pid_t pid;
    ~Stopper() {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  } stopper{haproxy};
  Replica through_lb;  // a client's view: the load balancer's address, never a replica's
  through_lb.port = lb_port;
  const auto count = [](const fs::path& audit) {
    const std::string text = Slurp(audit);
    size_t n = 0;
    for (size_t at = text.find("case-system.sodertalje.dev"); at != std::string::npos;
         at = text.find("case-system.sodertalje.dev", at + 1)) {
      ++n;
    }
    return n;
  };
  // Calls, each on a new connection (as many clients would): all answered.
  const auto calls = [&](int n) {
    int failed = 0;
    for (int i = 0; i < n; ++i) {
      grpc::ClientContext ctx;
      Deadline(&ctx, 10000);
      ctx.set_wait_for_ready(i == 0);  // the first waits for haproxy to listen
      v1::ValidateResponse response;
      const grpc::Status st = through_lb.Stub("sodertalje")->Validate(&ctx, ValidRequest(), &response);
      if (!st.ok() && ++failed == 1) ADD_FAILURE() << "call " << i << ": " << st.error_message() << "\n" << Slurp(log);
    }
    return failed;
  };
  const size_t seen1 = count(R(1).dir / "audit.log"), seen2 = count(R(2).dir / "audit.log");
  EXPECT_EQ(calls(20), 0);
  const size_t more1 = count(R(1).dir / "audit.log") - seen1, more2 = count(R(2).dir / "audit.log") - seen2;
  EXPECT_GE(more1, 5u) << "replica 1 served too few of the calls through haproxy";
  EXPECT_GE(more2, 5u) << "replica 2 served too few of the calls through haproxy";
  EXPECT_GE(more1 + more2, 20u) << "each replica audits its calls under the client certificate's identity";

  R(2).Stop(SIGKILL);
  const size_t before_kill1 = count(R(1).dir / "audit.log");
  EXPECT_EQ(calls(20), 0) << "calls failed after one replica was killed";
  EXPECT_GE(count(R(1).dir / "audit.log") - before_kill1, 20u) << "replica 1 took every call";
}

// Backup and restore as docs/scaling.md shows them: pg_dump, the database dropped, pg_restore;
// the reports afterwards equal those before cell by cell, and the dump holds no key material
// (the keys are files beside the configuration) and no personnummer.
TEST_F(Replicas, ADumpRestoredAfterADropGivesTheSameReportsAndHoldsNoKeyAndNoPersonnummer) {
  if (std::system("command -v pg_dump >/dev/null && command -v pg_restore >/dev/null") != 0) {
    IX_MISSING_STACK("no pg_dump here (postgresql-client-15)");
  }
  // Something in both municipalities: an assessment in 0181, a package in 0192.
  const std::string package = Package(R(1), "pkg-backup");
  {
    v1::AssessResponse response;
    ASSERT_TRUE(Assess(R(2), 1, "2024-09-02T10:00:00Z", &response).ok());
    v1::ImportExchangeResponse out;
    ASSERT_TRUE(Import(R(3), package, &out, Day(-10)).ok());
  }
  const std::string before0181 = Reports(R(1), "0181"), before0192 = Reports(R(1), "0192");
  const int64_t events = Scalar("SELECT count(*) FROM ix_events");
  ASSERT_GT(events, 0);
  const std::string dump = (*dir_ / "ix.dump").string();
  const std::string db = kDatabase;
  // The replicas stop for the restore (a restore replaces what they write).
  for (int i = 1; i <= 3; ++i) R(i).Stop(SIGTERM);
  ASSERT_EQ(std::system(("pg_dump --format=custom --file=" + dump + " " + db).c_str()), 0);
  ASSERT_TRUE(Exec("DROP DATABASE " + db, "postgres"));
  ASSERT_TRUE(Exec("CREATE DATABASE " + db, "postgres"));
  ASSERT_EQ(std::system(("pg_restore --exit-on-error --dbname=" + db + " " + dump).c_str()), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM ix_events"), events);
  EnsureRunning(2);
  EXPECT_TRUE(Reports(R(2), "0181") == before0181) << "0181's reports differ after the restore";
  EXPECT_TRUE(Reports(R(2), "0192") == before0192) << "0192's reports differ after the restore";
  EXPECT_GT(SnapshotTotal(R(2)), 0) << "reports of nothing would compare equal trivially";
  // A replay is still recognised: the ledger came back with the events.
  v1::ImportExchangeResponse replay;
  ASSERT_TRUE(Import(R(2), package, &replay).ok());
  EXPECT_TRUE(replay.result().already_imported());

  // What the dump holds, as SQL text (pg_restore decompresses it).
  const std::string sql_file = (*dir_ / "ix.sql").string();
  ASSERT_EQ(std::system(("pg_restore --file=" + sql_file + " " + dump).c_str()), 0);
  const std::string text = Slurp(sql_file);
  ASSERT_NE(text.find("ix_exchange_ledger"), std::string::npos) << "the dump holds the ledger";
  ASSERT_NE(text.find("ix_events"), std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(*dir_)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.size() < 4 || name.substr(name.size() - 4) != ".key") continue;
    std::string key = Slurp(entry.path());
    while (!key.empty() && (key.back() == '\n' || key.back() == ' ')) key.pop_back();
    ASSERT_GE(key.size(), 16u) << entry.path();
    EXPECT_EQ(text.find(key), std::string::npos) << entry.path() << " is in the dump";
  }
  const v1::Case c = ExampleCase("case-after-two-years.json");
  for (const auto& person : c.household().persons()) {
    std::string digits;
    for (char ch : person.personnummer()) {
      if (ch >= '0' && ch <= '9') digits += ch;
    }
    EXPECT_EQ(text.find(person.personnummer()), std::string::npos) << "a personnummer in the dump";
    EXPECT_EQ(text.find(digits), std::string::npos) << "a personnummer's digits in the dump";
    EXPECT_EQ(text.find(digits.substr(2)), std::string::npos) << "a short personnummer in the dump";
  }
  EXPECT_EQ(text.find(c.household().household_ref()), std::string::npos) << "a household reference in the dump";
}

}  // namespace
}  // namespace ix::server::testing
