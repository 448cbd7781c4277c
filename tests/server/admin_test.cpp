// Plugin updates in the running server through ix.v1.PluginAdmin, over real mutual TLS with real
// signed bundles of real plugin builds: deploy, every refusal, self-test failure, rollback,
// pins, the admin role, `ixctl admin` — and a swap under load from several client threads that
// must not lose or fail a single call.
#include "server_test_support.hpp"

#include <ix/host/bundle.hpp>

#include "../update/signed_bundle.hpp"
#include "ix/v1/admin_service.grpc.pb.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace ix::server::testing {
namespace {

namespace bundle = host::bundle;
using namespace std::chrono_literals;

struct UpdateServer {
  fs::path root = TempDir("updates");
  bundle::KeyPair key = bundle::GenerateKeyPair();
  std::unique_ptr<TestServer> s;
  std::string initial;  // the bundled plugin's version

  explicit UpdateServer(bool configure_updates = true) {
    const fs::path keys = root / "trusted-keys.json";
    std::ofstream(keys) << R"({"keys": [{"name": "release 2026", "public_key": ")"
                        << key.public_key_hex << "\"}]}";
    s = std::make_unique<TestServer>(true, [&](ServerConfig& c) {
      // The swap under load drives each identity far above a municipality's call rate.
      c.mutable_limits()->set_calls_per_second_per_caller(0);
      if (!configure_updates) return;
      c.mutable_updates()->set_install_root((root / "installed").string());
      // The key that authenticates the update state outlives the server, as on a real host.
      c.mutable_updates()->set_state_key_file((root / "update-state.key").string());
      c.mutable_updates()->set_trusted_keys_file(keys.string());
    });
    initial = Status().active_version();
  }

  std::unique_ptr<v1::PluginAdmin::Stub> Admin(const std::string& client = "admin") const {
    return v1::PluginAdmin::NewStub(Channel(*s, client));
  }

  v1::PluginStatus Status() const {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::PluginStatus status;
    const grpc::Status st = Admin()->Status(&ctx, v1::PluginStatusRequest(), &status);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return status;
  }

  grpc::Status Deploy(const fs::path& dir, v1::DeployResponse* out, bool allow_downgrade = false) const {
    grpc::ClientContext ctx;
    Deadline(&ctx, 30000);
    v1::DeployRequest request;
    request.set_bundle_dir(dir.string());
    request.set_allow_downgrade(allow_downgrade);
    return Admin()->Deploy(&ctx, request, out);
  }

  grpc::Status Pin(const std::string& municipality, const std::string& version,
                   v1::PluginStatus* out) const {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::PinRequest request;
    request.set_municipality_code(municipality);
    request.set_version(version);
    return Admin()->Pin(&ctx, request, out);
  }

  // A signed bundle of `plugin` claiming `version`, with the golden cases of tests/update.
  fs::path MakeBundle(const std::string& name, const fs::path& plugin, const std::string& version,
                      const bundle::KeyPair* signer = nullptr) const {
    return ix::testing::MakeSignedBundle(root / name, plugin, IX_TEST_SELFTEST_DIR,
                                         (signer ? *signer : key).secret_key_hex, version);
  }
  fs::path NextBundle(const std::string& name = "next") const {
    return MakeBundle(name, IX_TEST_PLUGIN_NEXT, "0.2.0");
  }

  // The plugin version that answers `client`'s calls (Describe goes through the plugin).
  std::string ServingVersion(const std::string& client) const {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::DescribeResponse described;
    const grpc::Status st = Stub(*s, client)->Describe(&ctx, v1::DescribeRequest(), &described);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return described.plugin_version();
  }
};

std::string Reason(const grpc::Status& st) {
  auto info = Find<google::rpc::ErrorInfo>(st);
  return info ? info->reason() : "(no ErrorInfo)";
}

TEST(PluginAdmin, StatusShowsTheActiveVersionAndTheStart) {
  UpdateServer u;
  const v1::PluginStatus status = u.Status();
  EXPECT_EQ(status.plugin_name(), "instrument-x");
  EXPECT_FALSE(status.active_version().empty());
  ASSERT_EQ(status.loaded_versions_size(), 1);
  EXPECT_EQ(status.loaded_versions(0), status.active_version());
  ASSERT_EQ(status.history_size(), 1);
  EXPECT_EQ(status.history(0).action(), "start");
}

TEST(PluginAdmin, OnlyTheAdminRoleMayCallItAndAdminsSeeNoHouseholds) {
  UpdateServer u;
  for (const char* client : {"sodertalje", "stats-sodertalje"}) {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::DeployResponse out;
    v1::DeployRequest request;
    request.set_bundle_dir(u.NextBundle(std::string("next-") + client).string());
    const grpc::Status st = u.Admin(client)->Deploy(&ctx, request, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << client;
    // Refused before parsing (admission.hpp): the message, not details, says why.
    EXPECT_NE(st.error_message().find("may not call PluginAdmin.Deploy"), std::string::npos);
  }
  EXPECT_EQ(u.Status().active_version(), u.initial);  // nothing was deployed

  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::ValidateRequest request;
  *request.mutable_response() = Example("household.json");
  v1::ValidateResponse response;
  const grpc::Status st = Stub(*u.s, "admin")->Validate(&ctx, request, &response);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(st.error_message(), "role 'admin' may not call Validate");
}

TEST(PluginAdmin, DeploySwitchesNewCallsAndRollbackSwitchesBack) {
  UpdateServer u;
  EXPECT_EQ(u.ServingVersion("sodertalje"), u.initial);
  v1::DeployResponse deployed;
  const grpc::Status st = u.Deploy(u.NextBundle(), &deployed);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(deployed.previous_version(), u.initial);
  EXPECT_EQ(deployed.active_version(), "0.2.0");
  EXPECT_EQ(u.ServingVersion("sodertalje"), "0.2.0");
  EXPECT_EQ(u.ServingVersion("nynashamn"), "0.2.0");
  // Installed into its own versioned directory, never over a loaded file.
  EXPECT_TRUE(fs::exists(u.root / "installed/0.2.0/lib/libinstrument_x.so"));
  const auto& history = deployed.status().history();
  ASSERT_GE(history.size(), 2);
  EXPECT_EQ(history[history.size() - 1].action(), "activate");
  EXPECT_NE(history[history.size() - 1].detail().find("signed by 'release 2026'"), std::string::npos);

  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::DeployResponse rolled;
  const grpc::Status back = u.Admin()->Rollback(&ctx, v1::RollbackRequest(), &rolled);
  ASSERT_TRUE(back.ok()) << back.error_message();
  EXPECT_EQ(rolled.previous_version(), "0.2.0");
  EXPECT_EQ(rolled.active_version(), u.initial);
  EXPECT_EQ(u.ServingVersion("sodertalje"), u.initial);

  // The audit log names the admin and the versions; no household is involved.
  const std::string audit = Slurp(u.s->audit_path());
  EXPECT_NE(audit.find("\"rpc\":\"PluginAdmin.Deploy\""), std::string::npos) << audit;
  EXPECT_NE(audit.find("version=0.2.0 previous=" + u.initial), std::string::npos) << audit;
}

TEST(PluginAdmin, RollbackWithoutAPreviousVersionIsRefused) {
  UpdateServer u;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::DeployResponse out;
  const grpc::Status st = u.Admin()->Rollback(&ctx, v1::RollbackRequest(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "IX_NOTHING_TO_ROLL_BACK");
  EXPECT_EQ(u.ServingVersion("sodertalje"), u.initial);
}

// Each refusal: FAILED_PRECONDITION with its reason, a field violation on bundle_dir, and the
// running version still serving.
TEST(PluginAdmin, EveryRefusedBundleLeavesTheRunningVersionServing) {
  UpdateServer u;
  const bundle::KeyPair stranger = bundle::GenerateKeyPair();
  struct Case {
    std::string name;
    std::function<fs::path()> make;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"untrusted key", [&] { return u.MakeBundle("stranger", IX_TEST_PLUGIN_NEXT, "0.2.0", &stranger); },
       "IX_BUNDLE_UNTRUSTED_KEY"},
      {"bad signature",
       [&] {
         const fs::path dir = u.NextBundle("tampered-manifest");
         std::string manifest = Slurp(dir / "manifest.json");
         manifest.replace(manifest.find("0.2.0"), 5, "0.2.1");  // a byte of the signed text
         std::ofstream(dir / "manifest.json", std::ios::trunc) << manifest;
         return dir;
       },
       "IX_BUNDLE_BAD_SIGNATURE"},
      {"changed file",
       [&] {
         const fs::path dir = u.NextBundle("changed-file");
         std::ofstream(dir / "selftest/01-unanswered.json", std::ios::app) << " ";
         return dir;
       },
       "IX_BUNDLE_HASH_MISMATCH"},
      {"extra file",
       [&] {
         const fs::path dir = u.NextBundle("extra-file");
         std::ofstream(dir / "lib/extra.so") << "not listed";
         return dir;
       },
       "IX_BUNDLE_EXTRA_FILE"},
      {"missing file",
       [&] {
         const fs::path dir = u.NextBundle("missing-file");
         fs::remove(dir / "selftest/02-answered.json");
         return dir;
       },
       "IX_BUNDLE_MISSING_FILE"},
      {"not a bundle", [&] { return u.root / "no-such-bundle"; }, "IX_BUNDLE_UNREADABLE"},
  };
  for (const Case& c : cases) {
    v1::DeployResponse out;
    const grpc::Status st = u.Deploy(c.make(), &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << c.name;
    EXPECT_EQ(Reason(st), c.reason) << c.name << ": " << st.error_message();
    auto bad = Find<google::rpc::BadRequest>(st);
    ASSERT_TRUE(bad.has_value()) << c.name;
    EXPECT_EQ(bad->field_violations(0).field(), "bundle_dir") << c.name;
    EXPECT_EQ(u.ServingVersion("sodertalje"), u.initial) << c.name;
  }
  const v1::PluginStatus status = u.Status();
  EXPECT_EQ(status.active_version(), u.initial);
  EXPECT_EQ(status.loaded_versions_size(), 1);  // nothing refused was ever loaded
  int refusals = 0;
  for (const auto& h : status.history()) refusals += h.action() == "refuse" ? 1 : 0;
  EXPECT_EQ(refusals, static_cast<int>(cases.size()));
}

TEST(PluginAdmin, AFailedSelfTestKeepsTheRunningVersion) {
  UpdateServer u;
  // The bundled plugin lacks the test-only definition the shipped golden cases use: signed
  // under its own version (not a downgrade), it passes verification and fails its self-test.
  const fs::path same = u.MakeBundle("self-test-fails", IX_TEST_PLUGIN, u.initial);
  v1::DeployResponse out;
  const grpc::Status st = u.Deploy(same, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_EQ(Reason(st), "IX_SELF_TEST_FAILED") << st.error_message();
  EXPECT_EQ(u.ServingVersion("sodertalje"), u.initial);
  EXPECT_EQ(u.Status().history(u.Status().history_size() - 1).action(), "self-test-failed");
}

TEST(PluginAdmin, DowngradeIsRefusedUnlessForced) {
  UpdateServer u;
  v1::DeployResponse out;
  ASSERT_TRUE(u.Deploy(u.NextBundle(), &out).ok());
  // The bundled build is older than 0.2.0; its bundle carries golden cases it passes.
  const fs::path older = u.root / "older";
  fs::create_directories(older / "lib");
  fs::copy_file(IX_TEST_PLUGIN, older / "lib/libinstrument_x.so");
  fs::create_directories(older / "selftest");
  std::ofstream(older / "selftest/01-valid.json")
      << R"({"name": "the example household is valid", "request": {"response": )"
      << Slurp(fs::path(IX_TEST_EXAMPLES_DIR) / "household.json")
      << R"(, "as_of_date": "2025-01-15"}, "expect": {"valid": true}})";
  bundle::Manifest m;
  m.plugin_name = "instrument-x";
  m.plugin_version = u.initial;
  m.plugin_file = "lib/libinstrument_x.so";
  m.abi_major = 1;
  ASSERT_TRUE(bundle::WriteSigned(older, m, u.key.secret_key_hex).ok());

  grpc::Status st = u.Deploy(older, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "IX_BUNDLE_DOWNGRADE") << st.error_message();
  EXPECT_EQ(u.ServingVersion("sodertalje"), "0.2.0");

  st = u.Deploy(older, &out, /*allow_downgrade=*/true);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.active_version(), u.initial);
  EXPECT_EQ(u.ServingVersion("sodertalje"), u.initial);
}

TEST(PluginAdmin, APinnedMunicipalityKeepsItsVersion) {
  UpdateServer u;
  v1::DeployResponse out;
  ASSERT_TRUE(u.Deploy(u.NextBundle(), &out).ok());
  v1::PluginStatus status;
  ASSERT_TRUE(u.Pin("0181", u.initial, &status).ok());
  EXPECT_EQ(status.pins().at("0181"), u.initial);
  EXPECT_EQ(u.ServingVersion("sodertalje"), u.initial);  // 0181: pinned
  EXPECT_EQ(u.ServingVersion("nynashamn"), "0.2.0");     // 0192: the active version

  grpc::Status st = u.Pin("0181", "7.7.7", &status);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Find<google::rpc::BadRequest>(st)->field_violations(0).field(), "version");

  st = u.Pin("181", "7.7.7", &status);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Find<google::rpc::BadRequest>(st)->field_violations(0).field(), "municipality_code");

  grpc::ClientContext unpin_ctx;
  Deadline(&unpin_ctx);
  v1::UnpinRequest unpin;
  unpin.set_municipality_code("0181");
  ASSERT_TRUE(u.Admin()->Unpin(&unpin_ctx, unpin, &status).ok());
  EXPECT_TRUE(status.pins().empty());
  EXPECT_EQ(u.ServingVersion("sodertalje"), "0.2.0");
}

// A restarted server serves what the IT team deployed and pinned, not the packaged plugin.
TEST(PluginAdmin, ARestartedServerServesTheDeployedVersionAndPins) {
  UpdateServer u;
  v1::DeployResponse out;
  ASSERT_TRUE(u.Deploy(u.NextBundle(), &out).ok());
  v1::PluginStatus status;
  ASSERT_TRUE(u.Pin("0181", u.initial, &status).ok());
  u.s.reset();  // the server stops

  TestServer again(true, [&](ServerConfig& c) {
    c.mutable_updates()->set_install_root((u.root / "installed").string());
    c.mutable_updates()->set_trusted_keys_file((u.root / "trusted-keys.json").string());
    c.mutable_updates()->set_state_key_file((u.root / "update-state.key").string());
  });
  grpc::ClientContext describe;
  Deadline(&describe);
  v1::DescribeResponse described;
  ASSERT_TRUE(Stub(again, "nynashamn")->Describe(&describe, v1::DescribeRequest(), &described).ok());
  EXPECT_EQ(described.plugin_version(), "0.2.0");
  grpc::ClientContext pinned;
  Deadline(&pinned);
  ASSERT_TRUE(Stub(again, "sodertalje")->Describe(&pinned, v1::DescribeRequest(), &described).ok());
  EXPECT_EQ(described.plugin_version(), u.initial);
  EXPECT_NE(again.log.text->str().find("plugin restore: 0.2.0"), std::string::npos)
      << again.log.text->str();
}

TEST(PluginAdmin, WithoutUpdatesConfiguredDeployIsRefused) {
  UpdateServer u(/*configure_updates=*/false);
  v1::DeployResponse out;
  const grpc::Status st = u.Deploy(u.NextBundle(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "IX_UPDATES_NOT_CONFIGURED");
}

// The IT team's one command: the real ixctl binary against the running server.
TEST(PluginAdmin, IxctlAdminDeploysShowsAndRollsBack) {
  UpdateServer u;
  const fs::path bundle_dir = u.NextBundle();
  const std::string base = std::string(IX_TEST_IXCTL) + " admin --server " + u.s->target() +
                           " --certs-dir " + Certs().string() + " ";
  auto run = [&](const std::string& args, int* rc) {
    std::string out;
    FILE* pipe = ::popen((base + args + " 2>&1").c_str(), "r");
    char buffer[4096];
    while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
    *rc = pipe != nullptr ? WEXITSTATUS(::pclose(pipe)) : -1;
    return out;
  };
  int rc = 0;
  std::string out = run("deploy " + bundle_dir.string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("deployed: 0.2.0 now serves (was " + u.initial + ")"), std::string::npos) << out;
  out = run("status", &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("active version 0.2.0"), std::string::npos) << out;
  out = run("rollback", &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("rolled back: " + u.initial + " now serves (was 0.2.0)"), std::string::npos) << out;
  EXPECT_EQ(u.ServingVersion("sodertalje"), u.initial);
  // A refusal: exit code 5 and the reason.
  out = run("pin 0181 7.7.7", &rc);
  EXPECT_EQ(rc, 5) << out;
  EXPECT_NE(out.find("NOT_FOUND (IX_VERSION_NOT_LOADED)"), std::string::npos) << out;
}

// Sustained load from several client threads while the plugin is swapped back and forth:
// every call must succeed (none lost, none failed), and both versions must have answered.
// Also reports p99 latency during swaps against steady state (measured, not asserted).
TEST(PluginAdmin, SwapsUnderLoadLoseNoCall) {
  UpdateServer u;
  const fs::path next = u.NextBundle();
  constexpr int kThreads = 4;
  std::atomic<bool> stop{false};
  std::atomic<int> swapping{0};
  std::atomic<long> sent{0}, ok{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  std::set<std::string> versions_seen;
  std::vector<double> steady_ms, swap_ms;
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      const bool nynashamn = t % 2 == 1;
      auto stub = Stub(*u.s, nynashamn ? "nynashamn" : "sodertalje");
      v1::ValidateRequest validate;
      *validate.mutable_response() = Example("household.json");  // a Södertälje (0181) household
      if (nynashamn) validate.mutable_response()->mutable_household()->set_municipality_code("0192");
      validate.set_as_of_date("2025-01-15");
      std::vector<double> mine_steady, mine_swap;
      std::set<std::string> mine_versions;
      for (long i = 0; !stop.load(); ++i) {
        grpc::ClientContext ctx;
        Deadline(&ctx, 10000);
        const bool during_swap = swapping.load() != 0;
        const auto started = std::chrono::steady_clock::now();
        grpc::Status st;
        sent.fetch_add(1);
        if (i % 2 == 0) {
          v1::DescribeResponse described;
          st = stub->Describe(&ctx, v1::DescribeRequest(), &described);
          if (st.ok()) mine_versions.insert(described.plugin_version());
        } else {
          v1::ValidateResponse validated;
          st = stub->Validate(&ctx, validate, &validated);
          if (st.ok() && !validated.valid()) st = grpc::Status(grpc::StatusCode::UNKNOWN, "invalid");
        }
        const double ms = std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - started).count();
        (during_swap || swapping.load() != 0 ? mine_swap : mine_steady).push_back(ms);
        if (st.ok()) {
          ok.fetch_add(1);
        } else {
          std::lock_guard lock(mutex);
          failures.push_back(st.error_message());
        }
      }
      std::lock_guard lock(mutex);
      steady_ms.insert(steady_ms.end(), mine_steady.begin(), mine_steady.end());
      swap_ms.insert(swap_ms.end(), mine_swap.begin(), mine_swap.end());
      versions_seen.insert(mine_versions.begin(), mine_versions.end());
    });
  }
  std::this_thread::sleep_for(300ms);  // steady state first
  for (int round = 0; round < 3; ++round) {
    swapping.store(1);
    v1::DeployResponse out;
    if (round == 0) {
      const grpc::Status st = u.Deploy(next, &out);
      EXPECT_TRUE(st.ok()) << st.error_message();
    } else {
      grpc::ClientContext ctx;
      Deadline(&ctx);
      const grpc::Status st = u.Admin()->Rollback(&ctx, v1::RollbackRequest(), &out);
      EXPECT_TRUE(st.ok()) << st.error_message();
    }
    std::this_thread::sleep_for(100ms);  // calls right after the switch count as "during"
    swapping.store(0);
    std::this_thread::sleep_for(200ms);
  }
  stop.store(true);
  for (auto& c : clients) c.join();

  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
  EXPECT_EQ(ok.load(), sent.load());
  EXPECT_GT(sent.load(), 100);
  EXPECT_EQ(versions_seen, (std::set<std::string>{u.initial, "0.2.0"}));
  EXPECT_EQ(u.s->server->counters().plugin_calls, static_cast<uint64_t>(sent.load()))
      << "every call reached a plugin";
  auto p99 = [](std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(0.99 * static_cast<double>(v.size())))];
  };
  const double steady = p99(steady_ms), during = p99(swap_ms);
  std::printf("[ swap-under-load ] %ld calls from %d threads, 0 lost; p99 steady %.2f ms, during "
              "swaps %.2f ms, ratio %.2fx (goal <= 2x)\n",
              sent.load(), kThreads, steady, during, steady > 0 ? during / steady : 0.0);
}

}  // namespace
}  // namespace ix::server::testing
