// The exchange import ledger in the store's database (EventStore::FindImport / RecordImport),
// over both backends: in PostgreSQL the ledger's record and a package's events commit in one
// transaction, two importers of one package at the same moment apply it exactly once, and an
// importer killed between applying and recording leaves neither behind. SQLite stores keep no
// ledger (ix-server keeps a file beside them) and say so.
#include <ix/adapters/exchange/exchange.hpp>
#include <ix/store/event_store.hpp>
#include <ix/store/keys.hpp>
#include <ix/store/synthetic_events.hpp>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "../shell.hpp"

namespace ix::test {
namespace {
namespace fs = std::filesystem;
namespace stats = ix::statistics;

const std::string kSecret = "test-municipality-secret-0192-ledger";
constexpr const char* kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

bool PostgresqlAvailable() { return std::getenv("PGHOST") != nullptr && std::getenv("PGPORT") != nullptr; }

class ImportLedger : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info->name();
    for (char& c : name) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) c = '_';
    }
    test_ = name + "_" + std::to_string(::getpid());
    dir_ = fs::temp_directory_path() / ("ix-ledger-" + test_);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    if (GetParam() == "postgresql" && !PostgresqlAvailable()) {
      const char* ci = std::getenv("CI");
      if (ci != nullptr && std::string(ci) == "true") FAIL() << "CI=true and no PostgreSQL server";
      GTEST_SKIP() << "no PostgreSQL server in the environment (PGHOST/PGPORT); run through with_postgresql.sh";
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Location() const {
    if (GetParam() == "sqlite") return (dir_ / "0192.sqlite").string();
    return "postgresql://#l" + std::to_string(std::hash<std::string>()(test_) % 1000000007);
  }
  std::unique_ptr<store::EventStore> Open() const {
    auto s = store::EventStore::Open(Location(), kSecret);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }
  bool Sqlite() const { return GetParam() == "sqlite"; }

  std::string test_;
  fs::path dir_;
};

std::vector<v1::Event> Synthetic(int persons, uint64_t seed) {
  stats::SyntheticParams params;
  params.persons = persons;
  params.years = 3;
  params.seed = seed;
  params.first_day = stats::DayFromDate({2021, 1, 1});
  std::vector<v1::Event> all, one;
  stats::GenerateSynthetic(params, [&](const stats::SyntheticPerson& p) {
    store::ToEvents(p, "0192", params.seed, one);
    all.insert(all.end(), one.begin(), one.end());
  });
  return all;
}

// What one importer does with a package: inside one transaction, look it up; a package not
// recorded yet is applied (its events added) and recorded. Returns "applied", "replay" or the
// error.
std::string ImportOnce(store::EventStore& db, const std::string& package_id, const std::vector<v1::Event>& events) {
  if (Status s = db.Begin(); !s.ok()) return s.message();
  auto reference = db.Reference("package", package_id);
  if (!reference.ok()) return reference.status().message();
  auto seen = db.FindImport(*reference);
  if (!seen.ok()) return seen.status().message();
  if (seen->has_value()) {
    (void)db.Rollback();
    return **seen == kSha ? "replay" : "other content";
  }
  auto added = db.AddAll(events.data(), events.size());
  if (!added.ok()) return added.status().message();
  if (Status s = db.RecordImport(*reference, kSha); !s.ok()) {
    (void)db.Rollback();
    return s.message();
  }
  if (Status s = db.Commit(); !s.ok()) return s.message();
  return "applied";
}

TEST_P(ImportLedger, TheRecordCommitsWithTheEventsOrNotAtAll) {
  auto db = Open();
  ASSERT_TRUE(db);
  auto reference = db->Reference("package", "pkg-0181-0001");
  ASSERT_TRUE(reference.ok());
  if (Sqlite()) {
    EXPECT_EQ(db->FindImport(*reference).status().code(), StatusCode::kUnimplemented);
    EXPECT_EQ(db->RecordImport(*reference, kSha).code(), StatusCode::kUnimplemented);
    return;
  }
  const std::vector<v1::Event> events = Synthetic(20, 3);
  // Applied and recorded, then rolled back: neither the events nor the record remain.
  ASSERT_TRUE(db->Begin().ok());
  ASSERT_TRUE(db->AddAll(events.data(), events.size()).ok());
  ASSERT_TRUE(db->RecordImport(*reference, kSha).ok());
  ASSERT_TRUE(db->Rollback().ok());
  auto found = db->FindImport(*reference);
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(db->CountEvents(), 0);
  // Committed: both are there, and a second record of the same reference is refused.
  EXPECT_EQ(ImportOnce(*db, "pkg-0181-0001", events), "applied");
  EXPECT_EQ(db->CountEvents(), static_cast<int64_t>(events.size()));
  found = db->FindImport(*reference);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(**found, kSha);
  EXPECT_EQ(db->RecordImport(*reference, kSha).code(), StatusCode::kAborted);
  EXPECT_EQ(ImportOnce(*db, "pkg-0181-0001", events), "replay");
  EXPECT_EQ(db->CountEvents(), static_cast<int64_t>(events.size()));
  // The reference is keyed: another package id, another reference, not recorded.
  auto other = db->Reference("package", "pkg-0181-0002");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *reference);
  EXPECT_EQ(reference->find("pkg-0181"), std::string::npos);
  found = db->FindImport(*other);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

// Two importers (own connections, as two replicas) take the same package at the same moment,
// twenty packages in a row: each is applied exactly once and its events are stored once.
TEST_P(ImportLedger, TwoImportersOfOnePackageAtTheSameMomentApplyItOnce) {
  if (Sqlite()) GTEST_SKIP() << "SQLite stores keep no import ledger (ix-server's file ledger)";
  { ASSERT_TRUE(Open()); }  // created and keyed before the race
  const std::vector<v1::Event> events = Synthetic(60, 11);
  // Each package brings its own assistance periods (their ids made unique per package) and the
  // same other events (stored once across all packages).
  const auto PackageEvents = [&](int p) {
    std::vector<v1::Event> mine = events;
    for (auto& e : mine) {
      if (!e.has_assistance_period()) continue;
      auto* h = e.mutable_assistance_period()->mutable_header();
      h->set_event_id("p" + std::to_string(p) + "/" + h->event_id());
    }
    return mine;
  };
  constexpr int kPackages = 20;
  std::set<std::string> distinct_ids;
  for (int p = 0; p < kPackages; ++p) {
    for (const auto& e : PackageEvents(p)) {
      // The header's event id, whichever kind the event is.
      const auto* reflection = e.GetReflection();
      const auto* kind = reflection->GetOneofFieldDescriptor(e, e.GetDescriptor()->oneof_decl(0));
      ASSERT_NE(kind, nullptr);
      const auto& body = reflection->GetMessage(e, kind);
      const auto& header = body.GetReflection()->GetMessage(body, body.GetDescriptor()->FindFieldByName("header"));
      distinct_ids.insert(static_cast<const v1::EventHeader&>(header).event_id());
    }
  }
  std::atomic<int> round_ready[kPackages] = {};
  std::string outcome[2][kPackages];
  auto importer = [&](int w) {
    auto s = store::EventStore::Open(Location(), kSecret);
    ASSERT_TRUE(s.ok()) << s.status().message();
    for (int p = 0; p < kPackages; ++p) {
      ++round_ready[p];
      while (round_ready[p].load() < 2) std::this_thread::yield();
      outcome[w][p] = ImportOnce(**s, "pkg-" + std::to_string(p), PackageEvents(p));
    }
  };
  std::thread a(importer, 0), b(importer, 1);
  a.join();
  b.join();
  int applied = 0;
  for (int p = 0; p < kPackages; ++p) {
    const std::set<std::string> both = {outcome[0][p], outcome[1][p]};
    EXPECT_EQ(both, (std::set<std::string>{"applied", "replay"})) << "package " << p;
    applied += (outcome[0][p] == "applied") + (outcome[1][p] == "applied");
  }
  EXPECT_EQ(applied, kPackages);
  auto db = Open();
  ASSERT_TRUE(db);
  // Every distinct event id once, however many importers raced.
  EXPECT_EQ(db->CountEvents(), static_cast<int64_t>(distinct_ids.size()));
}

// A real importing process is killed with SIGKILL after applying a package's events and before
// recording it: neither is left, and importing the package again applies it exactly once.
TEST_P(ImportLedger, KilledBetweenApplyAndRecordLeavesNeither) {
  if (Sqlite()) GTEST_SKIP() << "SQLite stores keep no import ledger (ix-server's file ledger)";
  { ASSERT_TRUE(Open()); }
  const std::vector<v1::Event> events = Synthetic(300, 17);
  int applied_pipe[2];
  ASSERT_EQ(::pipe(applied_pipe), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto s = store::EventStore::Open(Location(), kSecret);
    if (!s.ok() || !(*s)->Begin().ok()) ::_exit(2);
    if (!(*s)->AddAll(events.data(), events.size()).ok()) ::_exit(3);
    (void)!::write(applied_pipe[1], "a", 1);
    ::pause();  // killed here: applied, not recorded, not committed
    ::_exit(4);
  }
  ::close(applied_pipe[1]);
  char c = 0;
  ASSERT_EQ(::read(applied_pipe[0], &c, 1), 1) << "the importer died before applying";
  ::close(applied_pipe[0]);
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus));
  auto db = Open();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->CountEvents(), 0);
  auto reference = db->Reference("package", "pkg-killed");
  ASSERT_TRUE(reference.ok());
  auto found = db->FindImport(*reference);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(ImportOnce(*db, "pkg-killed", events), "applied");
  EXPECT_EQ(db->CountEvents(), static_cast<int64_t>(events.size()));
  EXPECT_EQ(ImportOnce(*db, "pkg-killed", events), "replay");
}

// A package imported before `ixctl keys rotate` is a replay after it, on both backends, also
// once the old key is retired: the ledger's references move with the rotation. SQLite: the
// file ledger ix-server keeps beside the store (<store>.exchange-ledger); PostgreSQL: the
// ledger table, moved in the rotation's transaction.
TEST_P(ImportLedger, APackageImportedBeforeAKeyRotationIsAReplayAfterIt) {
  const fs::path keys = dir_ / "keys";
  fs::create_directories(keys);
  const fs::path ledger_file = dir_ / "0192.exchange-ledger";
  const std::vector<v1::Event> events = Synthetic(20, 5);
  // What ix-server does with the package, with the store opened from its key folder.
  const auto import_once = [&](const std::string& package_id) -> std::string {
    auto db = store::OpenWithKeyDir(Location(), keys);
    if (!db.ok()) return db.status().message();
    if (!Sqlite()) return ImportOnce(**db, package_id, events);
    adapters::exchange::FileLedger ledger(ledger_file, [&](const std::string& id) {
      return (*db)->Reference("package", id);
    });
    auto seen = ledger.Find(package_id);
    if (!seen.ok()) return seen.status().message();
    if (seen->has_value()) return **seen == kSha ? "replay" : "other content";
    if (Status s = ledger.Record(package_id, kSha); !s.ok()) return s.message();
    return "applied";
  };
  ASSERT_EQ(import_once("pkg-before-rotation"), "applied");
  ASSERT_EQ(import_once("pkg-before-rotation"), "replay");
  const std::string ixctl = IX_TEST_IXCTL;
  const std::string args = " --store '" + Location() + "' --key-dir " + keys.string();
  const Proc rotate = Sh(ixctl + " --json keys rotate" + args);
  ASSERT_EQ(rotate.code, 0) << rotate.out;
  EXPECT_NE(rotate.out.find("\"to_key_id\": 2"), std::string::npos) << rotate.out;
  EXPECT_NE(rotate.out.find("\"ledger\": 1"), std::string::npos) << rotate.out;
  EXPECT_EQ(import_once("pkg-before-rotation"), "replay");
  EXPECT_EQ(import_once("pkg-after-rotation"), "applied");
  // Retiring k1 leaves no reference the ledger can no longer match.
  const Proc retire = Sh(ixctl + " keys retire" + args);
  ASSERT_EQ(retire.code, 0) << retire.out;
  EXPECT_FALSE(fs::exists(store::KeyFile(keys, Location(), 1)));
  EXPECT_EQ(import_once("pkg-before-rotation"), "replay");
  EXPECT_EQ(import_once("pkg-after-rotation"), "replay");
  if (Sqlite()) {
    // Every line of the file ledger carries the new key id; no package id in clear.
    std::ifstream in(ledger_file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("k1:"), std::string::npos) << text;
    EXPECT_EQ(text.find("pkg-"), std::string::npos) << text;
    EXPECT_NE(text.find("k2:"), std::string::npos) << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Store, ImportLedger, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace ix::test
