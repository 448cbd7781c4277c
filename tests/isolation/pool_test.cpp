// The worker pool on its own (host library level, no server): a session backed by worker
// processes answers exactly what the same plugin answers in process — base functions,
// extension functions, structured errors — and a worker killed between calls is replaced
// without costing a call. With the marker fixture (fixtures/marker_plugin.cpp): a worker writes
// in its scratch folder and nowhere else (Landlock), or nowhere at all without Landlock; a
// worker that spends its CPU-time budget answers, is retired and replaced; a call still
// running at the hard CPU limit fails naming it.
#include <ix/extension.hpp>
#include <ix/host/loader.hpp>
#include <ix/isolation/pool.hpp>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/plugin.pb.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <linux/landlock.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

namespace ix::isolation {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

PoolOptions Options(size_t workers = 2) {
  PoolOptions o;
  o.worker = DefaultWorkerPath();
  o.scratch_root = fs::temp_directory_path() / ("ix-pool-test-" + std::to_string(::getpid()));
  o.workers = workers;
  o.max_call = 5000ms;
  return o;
}

// The pool keeps its scratch root for the workers it starts; this process's goes when its
// tests are done (ctest runs each test in a process of its own).
class RemoveScratchRoot : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(Options().scratch_root, ec);
  }
};
[[maybe_unused]] ::testing::Environment* const kRemoveScratchRoot =
    ::testing::AddGlobalTestEnvironment(new RemoveScratchRoot);

v1::ValidateRequest Household() {
  std::ifstream in(fs::path(IX_TEST_EXAMPLES_DIR) / "household.json");
  std::stringstream text;
  text << in.rdbuf();
  v1::ValidateRequest request;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), request.mutable_response()).ok());
  request.set_as_of_date("2025-01-15");
  return request;
}

TEST(WorkerPool, AnIsolatedSessionAnswersExactlyWhatTheInProcessOneAnswers) {
  auto local = host::LoadPlugin(IX_TEST_PLUGIN);
  ASSERT_TRUE(local.ok()) << local.status().message();
  auto isolated = LoadIsolated(IX_TEST_PLUGIN, {}, Options());
  ASSERT_TRUE(isolated.ok()) << isolated.status().message();
  ASSERT_NE(PoolOf(*isolated), nullptr);
  EXPECT_EQ(PoolOf(*local), nullptr);
  EXPECT_EQ(isolated->name(), local->name());
  EXPECT_EQ(isolated->version(), local->version());
  EXPECT_EQ(isolated->abi_version(), local->abi_version());
  EXPECT_EQ(isolated->error_format(), local->error_format());
  ASSERT_EQ(isolated->table().instrument_count, local->table().instrument_count);
  EXPECT_STREQ(isolated->table().instruments[0], local->table().instruments[0]);

  // A base function.
  const v1::ValidateRequest request = Household();
  auto a = local->Call<v1::ValidateResponse>(local->table().validate, request);
  auto b = isolated->Call<v1::ValidateResponse>(isolated->table().validate, request);
  ASSERT_TRUE(a.ok() && b.ok()) << b.status().message();
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());

  // An extension function, found the same way.
  auto suggest_local = RequireExtensionFunction<&ix_categorisation_v1::suggest>(*local);
  auto suggest_isolated = RequireExtensionFunction<&ix_categorisation_v1::suggest>(*isolated);
  ASSERT_TRUE(suggest_isolated.ok()) << suggest_isolated.status().message();
  v1::SuggestRequest suggest;
  *suggest.mutable_response() = request.response();
  suggest.set_as_of_date("2025-01-15");
  auto sa = local->Call<v1::SuggestResponse>(*suggest_local, suggest);
  auto sb = isolated->Call<v1::SuggestResponse>(*suggest_isolated, suggest);
  ASSERT_TRUE(sa.ok() && sb.ok()) << sb.status().message();
  EXPECT_EQ(sa->SerializeAsString(), sb->SerializeAsString());

  // A structured error: same code, message and problems.
  v1::ValidateRequest bad = request;
  bad.set_as_of_date("2025-02-31");
  auto ea = local->Call<v1::ValidateResponse>(local->table().validate, bad);
  auto eb = isolated->Call<v1::ValidateResponse>(isolated->table().validate, bad);
  ASSERT_FALSE(eb.ok());
  EXPECT_EQ(eb.status().code(), ea.status().code());
  EXPECT_EQ(eb.status().message(), ea.status().message());
  ASSERT_EQ(eb.status().problems().size(), ea.status().problems().size());
  EXPECT_EQ(eb.status().problems().front().path, ea.status().problems().front().path);
}

TEST(WorkerPool, AWorkerKilledBetweenCallsIsReplacedWithoutFailingACall) {
  auto isolated = LoadIsolated(IX_TEST_PLUGIN, {}, Options(2));
  ASSERT_TRUE(isolated.ok()) << isolated.status().message();
  auto pool = PoolOf(*isolated);
  const std::vector<pid_t> before = pool->WorkerPids();
  ASSERT_EQ(before.size(), 2u);
  ASSERT_EQ(::kill(before.front(), SIGKILL), 0);
  std::this_thread::sleep_for(100ms);
  const v1::ValidateRequest request = Household();
  for (int i = 0; i < 6; ++i) {
    auto answer = isolated->Call<v1::ValidateResponse>(isolated->table().validate, request);
    EXPECT_TRUE(answer.ok()) << answer.status().message();
  }
  EXPECT_EQ(pool->counters().crashes, 0u);
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (pool->WorkerPids().size() < 2 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(pool->WorkerPids().size(), 2u);
  EXPECT_GE(pool->counters().started, 3u);
}

TEST(WorkerPool, APluginThatDoesNotLoadIsRefusedLikeInProcess) {
  const fs::path missing = "/nonexistent/libinstrument_x.so";
  auto local = host::LoadPlugin(missing);
  auto isolated = LoadIsolated(missing, {}, Options(1));
  ASSERT_FALSE(isolated.ok());
  EXPECT_EQ(isolated.status().code(), local.status().code());
  EXPECT_EQ(isolated.status().reason(), kReasonPluginLoad);
  EXPECT_EQ(isolated.status().message(), local.status().message());
}

TEST(WorkerPool, DrainedWorkersComeBackOnTheNextCall) {
  auto isolated = LoadIsolated(IX_TEST_PLUGIN, {}, Options(2));
  ASSERT_TRUE(isolated.ok());
  auto pool = PoolOf(*isolated);
  const std::vector<pid_t> before = pool->WorkerPids();
  pool->Drain();
  EXPECT_TRUE(pool->WorkerPids().empty());
  for (pid_t pid : before) EXPECT_NE(::kill(pid, 0), 0) << "drained worker " << pid << " still runs";
  auto answer = isolated->Call<v1::ValidateResponse>(isolated->table().validate, Household());
  EXPECT_TRUE(answer.ok()) << answer.status().message();
}

// --- With the marker fixture -------------------------------------------------------------------

std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool KernelHasLandlock() {
  return ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION) >= 1;
}

// The validate request of household.json whose household_ref carries `marker`.
std::string Marked(const std::string& marker) {
  v1::ValidateRequest request = Household();
  request.mutable_response()->mutable_household()->set_household_ref(marker);
  return request.SerializeAsString();
}

// A pool of one marker-fixture worker, and what its pool logged.
struct MarkerPool {
  std::shared_ptr<std::ostringstream> log = std::make_shared<std::ostringstream>();
  std::optional<PluginSession> session;
  std::shared_ptr<WorkerPool> pool;

  MarkerPool(size_t workers, const std::function<void(PoolOptions&)>& more) {
    PoolOptions o = Options(workers);
    o.logger = std::make_shared<spdlog::logger>("pool", std::make_shared<spdlog::sinks::ostream_sink_mt>(*log));
    more(o);
    auto loaded = LoadIsolated(IX_TEST_MARKER_PLUGIN, {}, o);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    if (!loaded.ok()) return;
    session.emplace(std::move(*loaded));
    pool = PoolOf(*session);
  }
  Result<std::string> Validate(const std::string& bytes) const {
    return session->CallRaw(session->table().validate, bytes);
  }
  fs::path ScratchOf(pid_t pid) const {
    std::error_code ec;
    return fs::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec);
  }
};

// Each case: where the plugin writes, with Landlock, without it (the fallback), and with neither
// Landlock nor seccomp (the control: the fixture really writes when nothing stops it).
struct WriteProbe {
  fs::path scratch;
  bool inside = false;
  bool outside = false;
  std::string log;
};

WriteProbe ProbeWrites(bool landlock, bool seccomp) {
  const fs::path outside = fs::temp_directory_path() /
                           ("ix-pool-test-outside-" + std::to_string(::getpid()) + (landlock ? "-l" : "") +
                            (seccomp ? "-s" : ""));
  fs::remove(outside);
  MarkerPool m(1, [&](PoolOptions& o) {
    o.limits.landlock = landlock;
    o.limits.seccomp = seccomp;
  });
  WriteProbe probe;
  if (!m.pool) return probe;
  const std::vector<pid_t> pids = m.pool->WorkerPids();
  EXPECT_EQ(pids.size(), 1u);
  if (pids.size() != 1) return probe;
  probe.scratch = m.ScratchOf(pids.front());
  auto answer = m.Validate(Marked("IX-WRITE-MARKER" + outside.string() + "|"));
  EXPECT_TRUE(answer.ok()) << answer.status().message();  // the plugin answers either way
  probe.inside = Slurp(probe.scratch / "written-inside") == "written by the plugin\n";
  probe.outside = fs::exists(outside);
  fs::remove(outside);
  probe.log = m.log->str();
  return probe;
}

TEST(WorkerPool, AWorkerWritesInItsOwnScratchFolderAndNowhereElse) {
  if (!KernelHasLandlock()) GTEST_SKIP() << "this kernel has no Landlock (the fallback test covers it)";
  const WriteProbe probe = ProbeWrites(/*landlock=*/true, /*seccomp=*/true);
  EXPECT_TRUE(probe.inside) << "nothing written in " << probe.scratch;
  EXPECT_FALSE(probe.outside) << "the worker wrote outside its scratch folder";
  // Its scratch folder: below the pool's root, private, and gone with the worker.
  EXPECT_EQ(probe.scratch.parent_path(), Options().scratch_root);
  EXPECT_FALSE(fs::exists(probe.scratch)) << "removed when its pool stopped";
  EXPECT_NE(probe.log.find("Landlock ABI "), std::string::npos) << probe.log;
  EXPECT_EQ(probe.log.find("not confined"), std::string::npos) << probe.log;
}

TEST(WorkerPool, WithoutLandlockAWorkerWritesNoFileAtAllAndThePoolSaysSo) {
  const WriteProbe probe = ProbeWrites(/*landlock=*/false, /*seccomp=*/true);
  EXPECT_FALSE(probe.inside);
  EXPECT_FALSE(probe.outside);
  EXPECT_NE(probe.log.find("plugin workers are not confined to their scratch folders: no Landlock ("),
            std::string::npos)
      << probe.log;
  EXPECT_NE(probe.log.find("no file may be written, not even in the scratch folder"), std::string::npos) << probe.log;
}

TEST(WorkerPool, TheWriteProbeWritesBothFilesWhenNothingStopsIt) {
  const WriteProbe probe = ProbeWrites(/*landlock=*/false, /*seccomp=*/false);
  EXPECT_TRUE(probe.inside);
  EXPECT_TRUE(probe.outside) << "the fixture must really try: otherwise the tests above prove nothing";
}

TEST(WorkerPool, TheScratchFolderIsPrivateAndRemovedWithItsWorker) {
  MarkerPool m(2, [](PoolOptions&) {});
  ASSERT_TRUE(m.pool);
  std::vector<fs::path> folders;
  for (pid_t pid : m.pool->WorkerPids()) folders.push_back(m.ScratchOf(pid));
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_NE(folders[0], folders[1]) << "a folder per worker";
  for (const fs::path& f : folders) {
    struct stat st{};
    ASSERT_EQ(::stat(f.c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 0777, 0700u) << f;
  }
  m.pool->Drain();
  for (const fs::path& f : folders) EXPECT_FALSE(fs::exists(f)) << f;
}

TEST(WorkerPool, AWorkerThatSpendsItsCpuBudgetAnswersIsRetiredAndReplaced) {
  MarkerPool m(2, [](PoolOptions& o) {
    o.limits.cpu_seconds = 1;
    o.max_call = 60s;  // 1.5 s of CPU can take many seconds on a loaded machine
  });
  ASSERT_TRUE(m.pool);
  const std::vector<pid_t> before = m.pool->WorkerPids();
  ASSERT_EQ(before.size(), 2u);
  const std::string plain = Household().SerializeAsString();
  auto expected = m.Validate(Marked("IX-CPU-FREE"));  // the same household, no marker
  ASSERT_TRUE(expected.ok()) << expected.status().message();

  // Other calls run meanwhile on the other worker; every one must succeed.
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::thread others([&] {
    while (!stop.load()) {
      (m.Validate(plain).ok() ? ok : failed).fetch_add(1);
      std::this_thread::sleep_for(10ms);
    }
  });
  // 1.5 s of CPU: past the 1 s budget during the call.
  auto spent = m.Validate(Marked("IX-CPU-MARKER"));
  std::this_thread::sleep_for(200ms);
  stop.store(true);
  others.join();

  // The call keeps its answer: the plugin's own, exactly as without the budget.
  ASSERT_TRUE(spent.ok()) << spent.status().message();
  v1::ValidateResponse a, b;
  ASSERT_TRUE(a.ParseFromString(*spent) && b.ParseFromString(*expected));
  EXPECT_TRUE(a.valid());
  EXPECT_EQ(a.problems_size(), b.problems_size());
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), 5);
  EXPECT_EQ(m.pool->counters().cpu_retirements, 1u);
  EXPECT_EQ(m.pool->counters().crashes, 0u);
  EXPECT_EQ(m.pool->counters().deadline_kills, 0u);

  // The spent worker is gone (its process and its scratch folder) and a new one took its place.
  const auto until = std::chrono::steady_clock::now() + 5s;
  std::vector<pid_t> after;
  while (std::chrono::steady_clock::now() < until) {
    after = m.pool->WorkerPids();
    if (after.size() == 2 && after != before) break;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(after.size(), 2u);
  std::vector<pid_t> gone;
  for (pid_t pid : before) {
    if (std::find(after.begin(), after.end(), pid) == after.end()) gone.push_back(pid);
  }
  ASSERT_EQ(gone.size(), 1u) << "exactly the worker that spent its budget was replaced";
  EXPECT_NE(::kill(gone.front(), 0), 0) << "retired worker " << gone.front() << " still runs";
  EXPECT_EQ(m.pool->counters().started, 3u);
  EXPECT_NE(m.log->str().find("worker pid " + std::to_string(gone.front()) +
                              " spent its CPU-time budget (1 s) during validate"),
            std::string::npos)
      << m.log->str();
}

TEST(WorkerPool, ACallStillRunningAtTheHardCpuLimitFailsNamingTheLimit) {
  // Budget 1 s, then 1 s to finish the call: the kernel kills the worker at 2 s of CPU, long
  // before the call's 60 s deadline.
  MarkerPool m(2, [](PoolOptions& o) {
    o.limits.cpu_seconds = 1;
    o.limits.cpu_grace_seconds = 1;
    o.max_call = 60s;
  });
  ASSERT_TRUE(m.pool);
  auto spun = m.Validate(Marked("IX-LOOP-MARKER"));
  ASSERT_FALSE(spun.ok());
  EXPECT_EQ(spun.status().code(), StatusCode::kInternal);
  EXPECT_EQ(spun.status().reason(), kReasonWorkerCrashed);
  EXPECT_NE(spun.status().message().find("crashed during the call: signal 9 (Killed) at its CPU-time limit "
                                         "(2 s of CPU: 1 s budget + 1 s to finish a call)"),
            std::string::npos)
      << spun.status().message();
  EXPECT_EQ(m.pool->counters().crashes, 1u);
  EXPECT_EQ(m.pool->counters().deadline_kills, 0u);
  // The other worker and the replacement serve on.
  auto next = m.Validate(Household().SerializeAsString());
  EXPECT_TRUE(next.ok()) << next.status().message();
}

}  // namespace
}  // namespace ix::isolation
