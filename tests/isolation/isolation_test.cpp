// Plugin isolation end to end: ix-server whose plugin runs in real worker processes, over real
// mutual TLS, with a fixture plugin (fixtures/marker_plugin.cpp) that is the real plugin except
// that it crashes (SIGSEGV) or spins forever on a marker in the request.
//
//   - a crash costs exactly the call that caused it: health stays SERVING, the worker is
//     replaced, concurrent calls of two municipalities all succeed;
//   - a runaway call ends at its deadline, and its worker process (and its CPU) is gone;
//   - SIGTERM stops a real ix-server process with a call stuck in the plugin within the bound;
//   - a worker writes in its own scratch folder and nowhere else;
//   - a deployed version that crashes on a common input, of the canonical service or of the
//     vendor adapters, is rolled back by the server itself, and no call is lost meanwhile.
#include "../server/server_test_support.hpp"
#include "../update/signed_bundle.hpp"

#include <ix/host/bundle.hpp>
#include <ix/isolation/pool.hpp>

#include "grpc/health/v1/health.grpc.pb.h"
#include "ix/adapters/v1/adapters_service.grpc.pb.h"
#include "ix/v1/admin_service.grpc.pb.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

// AddressSanitizer: g++ defines __SANITIZE_ADDRESS__, clang 14 only answers __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define IX_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IX_TEST_UNDER_ASAN 1
#endif
#endif

namespace ix::server::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace av1 = ::ix::adapters::v1;

bool ProcessGone(int pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

std::string Reason(const grpc::Status& st) {
  auto info = Find<google::rpc::ErrorInfo>(st);
  return info ? info->reason() : "(no ErrorInfo)";
}

v1::ValidateRequest ValidateFor(const std::string& municipality, const std::string& household_ref) {
  v1::ValidateRequest request;
  *request.mutable_response() = Example("household.json");  // a Södertälje (0181) household
  request.mutable_response()->mutable_household()->set_municipality_code(municipality);
  request.mutable_response()->mutable_household()->set_household_ref(household_ref);
  request.set_as_of_date("2025-01-15");
  return request;
}

v1::SuggestRequest SuggestFor(const std::string& municipality, const std::string& household_ref) {
  v1::SuggestRequest request;
  *request.mutable_response() = ValidateFor(municipality, household_ref).response();
  request.set_as_of_date("2025-01-15");
  return request;
}

// A server whose plugin is the marker fixture, in `workers` worker processes.
std::unique_ptr<TestServer> MarkerServer(size_t workers, uint32_t max_call_ms = 30000,
                                         std::function<void(ServerConfig&)> more = nullptr) {
  auto s = std::make_unique<TestServer>(false, [&](ServerConfig& c) {
    c.mutable_isolation()->set_workers(static_cast<uint32_t>(workers));
    c.mutable_isolation()->set_max_call_ms(max_call_ms);
    if (more) more(c);
  });
  const Status attached = s->server->AttachPlugin(IX_TEST_MARKER_PLUGIN);
  EXPECT_TRUE(attached.ok()) << attached.message();
  return s;
}

// Waits until the active version has `count` workers again; returns them.
std::vector<int> WaitForWorkers(const TestServer& s, size_t count) {
  const auto until = Clock::now() + 10s;
  std::vector<int> pids;
  while (Clock::now() < until) {
    pids = s.server->ActiveWorkerPids();
    if (pids.size() == count) break;
    std::this_thread::sleep_for(20ms);
  }
  return pids;
}

// Calls of two municipalities in a loop until `stop`; every failure is kept.
struct Load {
  std::atomic<bool> stop{false};
  std::atomic<long> sent{0}, ok{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;

  // Half the threads call as Södertälje (0181), half as Nynäshamn (0192):
  // call(stub, municipality, deadline-set context).
  template <typename CallFn>
  void Start(const TestServer& s, int count, CallFn call) {
    StartWith(s, count, [](const TestServer& server, bool nynashamn) {
      return Stub(server, nynashamn ? "nynashamn" : "sodertalje");
    }, call);
  }
  // The same with another service: make_stub(server, nynashamn).
  template <typename MakeStub, typename CallFn>
  void StartWith(const TestServer& s, int count, MakeStub make_stub, CallFn call) {
    for (int t = 0; t < count; ++t) {
      threads.emplace_back([this, t, make_stub, call, &s] {
        const bool nynashamn = t % 2 == 1;
        auto stub = make_stub(s, nynashamn);
        while (!stop.load()) {
          sent.fetch_add(1);
          grpc::ClientContext ctx;
          Deadline(&ctx, 10000);
          const grpc::Status st = call(*stub, nynashamn ? "0192" : "0181", &ctx);
          if (st.ok()) {
            ok.fetch_add(1);
          } else {
            std::lock_guard lock(mutex);
            failures.push_back(std::to_string(st.error_code()) + " " + st.error_message());
          }
        }
      });
    }
  }
  void Stop() {
    stop.store(true);
    for (auto& t : threads) t.join();
  }
};

// Under AddressSanitizer a worker's SIGSEGV is caught by ASan's own handler, which reports and
// exits with status 1: the crash would reach the server as an exit, not as the signal that ends
// a worker of a production build. While it lives, this guard gives the workers spawned
// meanwhile (they inherit ASAN_OPTIONS) handle_segv=0: the kernel's default action ends them,
// as in production. Elsewhere it does nothing.
class WorkersDieOfTheirSignal {
 public:
  WorkersDieOfTheirSignal() {
#ifdef IX_TEST_UNDER_ASAN
    const char* old = std::getenv("ASAN_OPTIONS");
    if (old != nullptr) saved_ = old;
    had_ = old != nullptr;
    ::setenv("ASAN_OPTIONS", ((had_ ? saved_ + ":" : "") + "handle_segv=0").c_str(), 1);
#endif
  }
  ~WorkersDieOfTheirSignal() {
#ifdef IX_TEST_UNDER_ASAN
    had_ ? ::setenv("ASAN_OPTIONS", saved_.c_str(), 1) : ::unsetenv("ASAN_OPTIONS");
#endif
  }
  WorkersDieOfTheirSignal(const WorkersDieOfTheirSignal&) = delete;
  WorkersDieOfTheirSignal& operator=(const WorkersDieOfTheirSignal&) = delete;

 private:
  [[maybe_unused]] bool had_ = false;
  [[maybe_unused]] std::string saved_;
};

TEST(Isolation, ACrashCostsOnlyItsCallAndTheWorkerIsReplaced) {
  const WorkersDieOfTheirSignal as_in_production;
  auto s = MarkerServer(3);
  const std::vector<int> before = WaitForWorkers(*s, 3);
  ASSERT_EQ(before.size(), 3u);
  EXPECT_EQ(std::find(before.begin(), before.end(), ::getpid()), before.end());

  Load load;
  load.Start(*s, 4, [](v1::InstrumentService::Stub& stub, const std::string& municipality,
                        grpc::ClientContext* ctx) {
    v1::ValidateResponse response;
    grpc::Status st = stub.Validate(ctx, ValidateFor(municipality, "hh-other"), &response);
    if (st.ok() && !response.valid()) st = grpc::Status(grpc::StatusCode::UNKNOWN, "not valid");
    return st;
  });
  std::this_thread::sleep_for(200ms);

  grpc::ClientContext ctx;
  Deadline(&ctx, 10000);
  v1::ValidateResponse response;
  const grpc::Status crashed =
      Stub(*s, "sodertalje")->Validate(&ctx, ValidateFor("0181", "IX-CRASH-MARKER"), &response);
  std::this_thread::sleep_for(300ms);
  load.Stop();

  ASSERT_EQ(crashed.error_code(), grpc::StatusCode::INTERNAL) << crashed.error_message();
  EXPECT_EQ(Reason(crashed), isolation::kReasonWorkerCrashed);
  EXPECT_NE(crashed.error_message().find("Validate: the plugin worker (pid "), std::string::npos)
      << crashed.error_message();
  EXPECT_NE(crashed.error_message().find("signal 11"), std::string::npos) << crashed.error_message();
  EXPECT_TRUE(load.failures.empty()) << load.failures.size() << " failed, first: " << load.failures.front();
  EXPECT_GT(load.ok.load(), 20);
  EXPECT_EQ(load.ok.load(), load.sent.load());
  EXPECT_EQ(Health(*s), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(s->server->counters().worker_crashes, 1u);

  // The crashed worker is gone and a new one took its place.
  const std::vector<int> after = WaitForWorkers(*s, 3);
  ASSERT_EQ(after.size(), 3u);
  std::vector<int> lost;
  for (int pid : before) {
    if (std::find(after.begin(), after.end(), pid) == after.end()) lost.push_back(pid);
  }
  ASSERT_EQ(lost.size(), 1u) << "exactly the crashed worker was replaced";
  EXPECT_TRUE(ProcessGone(lost.front()));
  // The audit log records the failed call with its precise outcome.
  EXPECT_NE(Slurp(s->audit_path()).find("\"INTERNAL\""), std::string::npos);
}

TEST(Isolation, ARunawayCallEndsAtTheServersMaximumAndItsWorkerIsKilled) {
  auto s = MarkerServer(2, /*max_call_ms=*/800);
  const std::vector<int> before = WaitForWorkers(*s, 2);
  ASSERT_EQ(before.size(), 2u);
  grpc::ClientContext ctx;
  Deadline(&ctx, 20000);  // the client would wait: the server's maximum ends it
  v1::ValidateResponse response;
  const auto started = Clock::now();
  const grpc::Status st =
      Stub(*s, "sodertalje")->Validate(&ctx, ValidateFor("0181", "IX-LOOP-MARKER"), &response);
  const auto took = Clock::now() - started;
  ASSERT_EQ(st.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << st.error_message();
  EXPECT_EQ(Reason(st), isolation::kReasonPluginDeadline);
  EXPECT_NE(st.error_message().find("Validate: the plugin did not answer within 800 ms (the server's maximum)"),
            std::string::npos)
      << st.error_message();
  EXPECT_GE(took, 700ms);
  EXPECT_LT(took, 5s);
  EXPECT_EQ(s->server->counters().worker_deadline_kills, 1u);
  // The spinning worker no longer exists, so it no longer burns CPU; the other still serves.
  const std::vector<int> after = WaitForWorkers(*s, 2);
  std::vector<int> lost;
  for (int pid : before) {
    if (std::find(after.begin(), after.end(), pid) == after.end()) lost.push_back(pid);
  }
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_TRUE(ProcessGone(lost.front()));
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(lost.front())));
  grpc::ClientContext again;
  Deadline(&again);
  EXPECT_TRUE(Stub(*s, "sodertalje")->Validate(&again, ValidateFor("0181", "hh-1"), &response).ok());
}

TEST(Isolation, ARunawayCallEndsAtTheClientsDeadline) {
  auto s = MarkerServer(2);
  grpc::ClientContext ctx;
  Deadline(&ctx, 1000);
  v1::SuggestResponse response;
  const auto started = Clock::now();
  const grpc::Status st =
      Stub(*s, "sodertalje")->Suggest(&ctx, SuggestFor("0181", "IX-LOOP-MARKER"), &response);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << st.error_message();
  EXPECT_LT(Clock::now() - started, 3s);
  // The server killed the worker at the same deadline (an extension function, in a worker).
  const auto until = Clock::now() + 5s;
  while (s->server->counters().worker_deadline_kills == 0 && Clock::now() < until) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(s->server->counters().worker_deadline_kills, 1u);
  grpc::ClientContext again;
  Deadline(&again);
  EXPECT_TRUE(Stub(*s, "sodertalje")->Suggest(&again, SuggestFor("0181", "hh-1"), &response).ok());
}

TEST(Isolation, WorkersRunRestrictedWithoutNetworkOrFileWritesOutsideTheirScratchFolder) {
  const fs::path dir = TempDir("confined");
  auto s = MarkerServer(1, 30000, [&](ServerConfig& c) {
    c.mutable_isolation()->set_scratch_dir((dir / "scratch").string());
  });
  const std::vector<int> pids = WaitForWorkers(*s, 1);
  ASSERT_EQ(pids.size(), 1u);
  const std::string status = Slurp("/proc/" + std::to_string(pids.front()) + "/status");
  EXPECT_NE(status.find("NoNewPrivs:\t1"), std::string::npos) << status;
  EXPECT_NE(status.find("Seccomp:\t2"), std::string::npos) << status;  // filter mode
  EXPECT_EQ(::getpgid(pids.front()), pids.front()) << "its own process group";
  const std::string limits = Slurp("/proc/" + std::to_string(pids.front()) + "/limits");
  EXPECT_NE(limits.find("Max core file size        0"), std::string::npos) << limits;
#ifndef IX_TEST_UNDER_ASAN  // the worker sets no RLIMIT_AS under ASan (its shadow memory)
  EXPECT_NE(limits.find("Max address space         2147483648"), std::string::npos) << limits;
#endif
  std::error_code ec;
  const std::string cwd = std::filesystem::read_symlink("/proc/" + std::to_string(pids.front()) + "/cwd", ec).string();
  EXPECT_NE(cwd.find("-worker"), std::string::npos) << cwd;
  // The plugin tries an IPv4 socket, a connect and a file for writing: all refused, so the
  // fixture does not crash and answers normally.
  std::filesystem::remove("/tmp/ix-isolation-probe-written");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::ValidateResponse response;
  const grpc::Status st = Stub(*s, "sodertalje")->Validate(&ctx, ValidateFor("0181", "IX-PROBE-MARKER"), &response);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(std::filesystem::exists("/tmp/ix-isolation-probe-written"));
  EXPECT_EQ(s->server->counters().worker_crashes, 0u);

  // Its working directory is its own scratch folder, in the server's folder below
  // isolation.scratch_dir: the plugin writes there, and nowhere else (the test's own folder,
  // which the server's user may write, stays untouched).
  const fs::path scratch(cwd);
  EXPECT_EQ(scratch.parent_path().parent_path(), dir / "scratch") << cwd;
  EXPECT_EQ(scratch.parent_path().filename().string().rfind("ix-worker-scratch-", 0), 0u) << cwd;
  EXPECT_EQ(fs::status(scratch).permissions() & fs::perms::all, fs::perms::owner_all);
  const fs::path outside = dir / "written-outside";
  grpc::ClientContext write;
  Deadline(&write);
  const grpc::Status wrote = Stub(*s, "sodertalje")->Validate(
      &write, ValidateFor("0181", "IX-WRITE-MARKER" + outside.string() + "|"), &response);
  EXPECT_TRUE(wrote.ok()) << wrote.error_message();
  EXPECT_EQ(Slurp(scratch / "written-inside"), "written by the plugin\n");
  EXPECT_FALSE(fs::exists(outside));
  EXPECT_NE(s->log.text->str().find("Landlock ABI "), std::string::npos) << s->log.text->str();
}

TEST(Isolation, InProcessHostingStaysAConfigurationChoice) {
  TestServer s(true, [](ServerConfig& c) { c.mutable_isolation()->set_mode("in-process"); });
  EXPECT_TRUE(s.server->ActiveWorkerPids().empty());
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::ValidateResponse response;
  EXPECT_TRUE(Stub(s, "sodertalje")->Validate(&ctx, ValidateFor("0181", "hh-1"), &response).ok());
  EXPECT_TRUE(response.valid());
}

TEST(Isolation, IsolationSettingsAreCheckedNamingTheKeyAndTheValue) {
  const fs::path dir = TempDir("isolation-config");
  auto refused = [&](const std::function<void(IsolationConfig&)>& set) {
    ServerConfig c = TestServer::DefaultConfig(dir);
    set(*c.mutable_isolation());
    return CheckConfig(c).message();
  };
  EXPECT_EQ(refused([](IsolationConfig& i) { i.set_mode("sandbox"); }),
            "isolation.mode: 'sandbox' is not a mode (workers, in-process)");
  EXPECT_EQ(refused([](IsolationConfig& i) { i.set_workers(0); }), "isolation.workers: 0 is outside 1-64");
  EXPECT_EQ(refused([](IsolationConfig& i) { i.set_workers(65); }), "isolation.workers: 65 is outside 1-64");
  EXPECT_EQ(refused([](IsolationConfig& i) { i.set_worker_memory_bytes(1000); }),
            "isolation.worker_memory_bytes: 1000 is below the 64 MiB minimum");
  EXPECT_TRUE(CheckConfig(TestServer::DefaultConfig(dir)).ok());
}

// --- A real ix-server process ------------------------------------------------------------------

struct ServerProcess {
  pid_t pid = -1;
  fs::path dir = TempDir("process");
  int port = 0;

  explicit ServerProcess(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {IX_TEST_IX_SERVER,
                                     "--certs-dir", Certs().string(),
                                     "--listen", "127.0.0.1:0",
                                     "--port-file", (dir / "port").string(),
                                     "--audit-log", (dir / "audit.log").string(),
                                     "--isolation-scratch-dir", (dir / "scratch").string(),
                                     "--plugin", IX_TEST_MARKER_PLUGIN,
                                     "--log-file", (dir / "server.log").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
    const auto until = Clock::now() + 30s;
    while (Clock::now() < until) {
      const std::string text = Slurp(dir / "port");
      if (!text.empty() && text.back() == '\n') {
        port = std::stoi(text);
        break;
      }
      std::this_thread::sleep_for(50ms);
    }
    EXPECT_GT(port, 0) << Slurp(dir / "server.log");
  }
  ~ServerProcess() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  std::unique_ptr<v1::InstrumentService::Stub> Stub(const std::string& client) const {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Slurp(Certs() / "ca.crt");
    ssl.pem_private_key = Slurp(Certs() / (client + ".key"));
    ssl.pem_cert_chain = Slurp(Certs() / (client + ".crt"));
    return v1::InstrumentService::NewStub(grpc::CreateChannel("localhost:" + std::to_string(port),
                                                              grpc::SslCredentials(ssl)));
  }
  // The worker processes: children of the server whose working folder is below its scratch.
  std::vector<int> Workers() const {
    std::vector<int> found;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string name = entry.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::error_code ec;
      const fs::path cwd = fs::read_symlink(entry.path() / "cwd", ec);
      if (!ec && cwd.string().rfind((dir / "scratch").string(), 0) == 0) found.push_back(std::stoi(name));
    }
    return found;
  }
};

TEST(Isolation, SigtermStopsARealServerWithACallStuckInThePluginWithinTheBound) {
  ServerProcess server({"--shutdown-grace-ms", "1000"});
  ASSERT_GT(server.port, 0);
  EXPECT_FALSE(server.Workers().empty());
  std::atomic<int> stuck_code{-1};
  std::thread stuck([&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 60s);
    v1::ValidateResponse response;
    stuck_code = server.Stub("sodertalje")->Validate(&ctx, ValidateFor("0181", "IX-LOOP-MARKER"), &response).error_code();
  });
  // Until the call spins in a worker (an idle worker sleeps in read(2); on a loaded machine the
  // call's TLS handshake alone can take a second).
  auto spinning = [&] {
    for (int pid : server.Workers()) {
      const std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
      const size_t end = stat.rfind(')');
      if (end != std::string::npos && end + 2 < stat.size() && stat[end + 2] == 'R') return true;
    }
    return false;
  };
  const auto wait_until = Clock::now() + 15s;
  while (!spinning() && Clock::now() < wait_until) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(spinning()) << "the stuck call never reached a worker";
  std::this_thread::sleep_for(200ms);
  const auto signalled = Clock::now();
  ASSERT_EQ(::kill(server.pid, SIGTERM), 0);
  int status = 0;
  pid_t done = 0;
  while ((done = ::waitpid(server.pid, &status, WNOHANG)) == 0 && Clock::now() - signalled < 10s) {
    std::this_thread::sleep_for(20ms);
  }
  const auto took = Clock::now() - signalled;
  ASSERT_EQ(done, server.pid) << "ix-server still running 10 s after SIGTERM";
  server.pid = -1;
  stuck.join();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_LT(took, 3s) << "grace 1 s: stop accepting, drain, then kill the stuck worker";
  EXPECT_GE(took, 900ms) << "the grace period is honoured";
  EXPECT_NE(stuck_code.load(), 0) << "the stuck call did not succeed";
  EXPECT_TRUE(server.Workers().empty()) << "no worker outlives the server";
  EXPECT_NE(Slurp(server.dir / "server.log").find("stopping the plugin workers"), std::string::npos);
}

// --- Automatic rollback ------------------------------------------------------------------------

// `adapters` false: every Södertälje Suggest carries the input 0.2.0 crashes on (Nynäshamn's do
// not). True: the crashes come from the vendor adapters instead — 0.2.0 crashes on every
// categorisation.describe, which each LifecareAdapter.FromCanonical call makes — while the
// Suggest load carries nothing that crashes. Either way the server rolls 0.2.0 back by itself
// and no call is lost: each crashed call is answered by the previous version.
void RolledBackWithoutLosingACall(bool adapters) {
  const fs::path root = TempDir("rollback");
  const auto key = host::bundle::GenerateKeyPair();
  std::ofstream(root / "trusted-keys.json") << R"({"keys": [{"name": "release", "public_key": ")"
                                            << key.public_key_hex << "\"}]}";
  auto s = MarkerServer(2, 30000, [&](ServerConfig& c) {
    c.mutable_updates()->set_install_root((root / "installed").string());
    c.mutable_updates()->set_trusted_keys_file((root / "trusted-keys.json").string());
    c.mutable_isolation()->set_rollback_crashes(2);
    c.mutable_isolation()->set_rollback_window_ms(10000);
  });
  auto admin = v1::PluginAdmin::NewStub(Channel(*s, "admin"));
  auto status = [&] {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::PluginStatus out;
    EXPECT_TRUE(admin->Status(&ctx, v1::PluginStatusRequest(), &out).ok());
    return out;
  };
  const std::string initial = status().active_version();
  // 0.2.0 is the real next plugin but crashes on every request carrying IX-COMMON-INPUT and on
  // every categorisation.describe.
  const fs::path bundle = ix::testing::MakeSignedBundle(root / "next", IX_TEST_MARKER_PLUGIN_NEXT,
                                                        IX_TEST_SELFTEST_DIR, key.secret_key_hex, "0.2.0");
  Load load;
  load.Start(*s, 4, [adapters](v1::InstrumentService::Stub& stub, const std::string& municipality,
                               grpc::ClientContext* ctx) {
    v1::SuggestResponse response;
    const bool crashing = !adapters && municipality == "0181";
    return stub.Suggest(ctx, SuggestFor(municipality, crashing ? "IX-COMMON-INPUT" : "hh-2"), &response);
  });
  Load adapter_load;  // Södertälje's case system translating its case for Lifecare
  if (adapters) {
    adapter_load.StartWith(*s, 2, [](const TestServer& server, bool) {
      return av1::LifecareAdapter::NewStub(Channel(server, "sodertalje"));
    }, [](av1::LifecareAdapter::Stub& stub, const std::string&, grpc::ClientContext* ctx) {
      av1::LifecareFromCanonicalRequest request;
      *request.mutable_household_case() = ExampleCase("case-after-two-years.json");
      av1::LifecareDocument document;
      grpc::Status st = stub.FromCanonical(ctx, request, &document);
      if (st.ok() && document.json().find("\"Reason\"") == std::string::npos) {
        st = grpc::Status(grpc::StatusCode::UNKNOWN, "no Reason in the document");
      }
      return st;
    });
  }
  std::this_thread::sleep_for(300ms);
  grpc::ClientContext ctx;
  Deadline(&ctx, 30000);
  v1::DeployRequest request;
  request.set_bundle_dir(bundle.string());
  v1::DeployResponse deployed;
  const grpc::Status st = admin->Deploy(&ctx, request, &deployed);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(deployed.active_version(), "0.2.0");
  const auto since = Clock::now();
  std::string active = "0.2.0";
  while (active == "0.2.0" && Clock::now() - since < 10s) {
    std::this_thread::sleep_for(50ms);
    active = status().active_version();
  }
  const auto took = Clock::now() - since;
  std::this_thread::sleep_for(300ms);  // calls after the rollback
  load.Stop();
  adapter_load.Stop();

  EXPECT_EQ(active, initial) << "rolled back";
  EXPECT_LT(took, 5s);
  EXPECT_TRUE(load.failures.empty()) << load.failures.size() << " lost, first: " << load.failures.front();
  EXPECT_EQ(load.ok.load(), load.sent.load());
  EXPECT_GE(s->server->counters().worker_crashes, 3u) << "more than rollback_crashes (2)";
  const auto history = status().history();
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.rbegin()->action(), "rollback");
  EXPECT_EQ(history.rbegin()->version(), initial);
  const std::string audit = Slurp(s->audit_path());
  EXPECT_NE(audit.find("PluginAdmin.AutomaticRollback"), std::string::npos);
  EXPECT_NE(s->log.text->str().find("rolled back automatically to " + initial), std::string::npos);
  // The crashed calls were answered by the previous version, and the audit says which.
  const std::string rpc = adapters ? "LifecareAdapter.FromCanonical" : "Suggest";
  size_t retried = 0;
  std::istringstream lines(audit);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"rpc\":\"" + rpc + "\"") != std::string::npos &&
        line.find("answered by " + initial + " after a crash") != std::string::npos) {
      ++retried;
    }
  }
  EXPECT_GE(retried, 3u) << "every crash (at least rollback_crashes + 1) was a " << rpc << " call answered again";
  if (adapters) {
    EXPECT_TRUE(adapter_load.failures.empty())
        << adapter_load.failures.size() << " adapter calls lost, first: " << adapter_load.failures.front();
    EXPECT_EQ(adapter_load.ok.load(), adapter_load.sent.load());
    EXPECT_GT(adapter_load.ok.load(), 5);
  }
}

TEST(Isolation, AVersionThatCrashesOnACommonInputIsRolledBackWithoutLosingACall) {
  RolledBackWithoutLosingACall(/*adapters=*/false);
}

TEST(Isolation, AVersionWhoseAdapterCallsCrashIsRolledBackWithoutLosingAnAdapterCall) {
  RolledBackWithoutLosingACall(/*adapters=*/true);
}

}  // namespace
}  // namespace ix::server::testing
