// Plugin updates in a running host, with real plugin builds, real signed bundles, real dlopen.
#include <ix/base/crypto.hpp>
#include <ix/host/manager.hpp>
#include <ix/selftest/golden.hpp>

#include "signed_bundle.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <thread>

namespace ix::host {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A serialized ix.v1.ValidateRequest for instrument-x@2024.1 with one adult, written by hand in
// the wire format so this test links no protobuf: field 1 response {2 instrument {1,2},
// 3 household {3 person {1 ref, 2 pnr, 3 sex, 5 role}}}, field 2 as_of_date.
std::string Request2024() {
  auto len = [](const std::string& s) { return std::string(1, static_cast<char>(s.size())) + s; };
  const std::string ref = "\x0a" + len("instrument-x") + "\x12" + len("2024.1");
  const std::string person = "\x0a" + len("p1") + "\x12" + len("19850312-1231") + std::string("\x18\x01\x28\x01", 4);
  const std::string household = "\x1a" + len(person);
  const std::string response = "\x12" + len(ref) + "\x1a" + len(household);
  return "\x0a" + len(response) + "\x12" + len("2025-06-01");
}

class ManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("ix_update_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    key_ = bundle::GenerateKeyPair();
    options_.install_root = root_ / "installed";
    options_.trusted_keys = {{"release", key_.public_key_hex}};
    options_.state_key = std::string(32, 'k');  // used by the tests that set a state file
    options_.self_test = [](const PluginSession& s, const fs::path& dir) {
      return dir.empty() ? Status::Ok() : selftest::RunGoldenCases(s, dir / "selftest");
    };
  }
  void TearDown() override { fs::remove_all(root_); }

  // A signed bundle of `plugin` with the golden cases from `selftest_dir`.
  fs::path MakeBundle(const std::string& name, const fs::path& plugin,
                      const fs::path& selftest_dir = IX_TEST_SELFTEST_DIR,
                      const bundle::KeyPair* key = nullptr, const std::string& version = "0.2.0") {
    return ix::testing::MakeSignedBundle(root_ / name, plugin, selftest_dir,
                                         (key ? *key : key_).secret_key_hex, version);
  }

  fs::path root_;
  bundle::KeyPair key_;
  PluginManager::Options options_;
};

TEST_F(ManagerTest, DeployInstallsVerifiesSelfTestsAndSwitches) {
  PluginManager manager(options_);
  ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN).ok());
  const std::string initial = manager.ActiveVersion();
  auto deployed = manager.Deploy(MakeBundle("next", IX_TEST_PLUGIN_NEXT));
  ASSERT_TRUE(deployed.ok()) << deployed.status().ToString();
  EXPECT_EQ(*deployed, "0.2.0");
  EXPECT_EQ(manager.ActiveVersion(), "0.2.0");
  EXPECT_EQ(manager.Active()->version(), "0.2.0");
  EXPECT_TRUE(fs::exists(options_.install_root / "0.2.0/lib/libinstrument_x.so"));
  EXPECT_EQ(manager.LoadedVersions(), (std::vector<std::string>{initial, "0.2.0"}));
  const auto history = manager.History();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].action, "start");
  EXPECT_EQ(history[1].action, "activate");
  EXPECT_NE(history[1].detail.find("signed by 'release'"), std::string::npos);
}

TEST_F(ManagerTest, SwapUnderLoadLosesNoCall) {
  PluginManager manager(options_);
  ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN).ok());
  const std::string initial = manager.ActiveVersion();
  const fs::path next = MakeBundle("next", IX_TEST_PLUGIN_NEXT);
  const std::string request = Request2024();
  std::atomic<bool> stop{false};
  std::atomic<long> calls{0}, failures{0};
  std::mutex seen_mutex;
  std::set<std::string> seen;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      std::set<std::string> local;
      while (!stop.load()) {
        const auto session = manager.Active();  // the version this call starts on
        auto answer = session->CallRaw(session->table().validate, request);
        ++calls;
        if (!answer.ok() || answer->empty()) ++failures;
        local.insert(std::string(session->version()));
      }
      std::lock_guard lock(seen_mutex);
      seen.insert(local.begin(), local.end());
    });
  }
  std::this_thread::sleep_for(200ms);
  auto first = manager.Deploy(next);
  std::this_thread::sleep_for(200ms);
  auto back = manager.Rollback();
  std::this_thread::sleep_for(200ms);
  auto again = manager.Deploy(next);  // same version again: a new directory, never overwritten
  std::this_thread::sleep_for(200ms);
  stop = true;
  for (auto& c : clients) c.join();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(failures.load(), 0) << "of " << calls.load() << " calls";
  EXPECT_GT(calls.load(), 100);
  EXPECT_EQ(seen, (std::set<std::string>{initial, "0.2.0"}));
  EXPECT_TRUE(fs::exists(options_.install_root / "0.2.0-2/lib/libinstrument_x.so"));
  std::printf("swap under load: %ld calls from 4 threads across deploy, rollback, deploy; %ld failed\n",
              calls.load(), failures.load());
}

TEST_F(ManagerTest, FailedSelfTestKeepsTheRunningVersion) {
  const fs::path wrong = root_ / "wrong-selftest";
  fs::create_directories(wrong);
  std::ifstream in(fs::path(IX_TEST_SELFTEST_DIR) / "01-unanswered.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  text.replace(text.find("\"valid\": false"), 14, "\"valid\": true");
  std::ofstream(wrong / "01-unanswered.json") << text;
  PluginManager manager(options_);
  ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN).ok());
  const std::string initial = manager.ActiveVersion();
  auto deployed = manager.Deploy(MakeBundle("next", IX_TEST_PLUGIN_NEXT, wrong));
  ASSERT_FALSE(deployed.ok());
  EXPECT_NE(deployed.status().message().find("self-test of 0.2.0 failed, " + initial + " keeps serving"), std::string::npos)
      << deployed.status().message();
  EXPECT_NE(deployed.status().message().find("01-unanswered.json: expected valid=true"), std::string::npos)
      << deployed.status().message();
  EXPECT_EQ(manager.ActiveVersion(), initial);
  EXPECT_EQ(manager.History().back().action, "self-test-failed");
}

TEST_F(ManagerTest, BundleWithoutSelfTestCasesIsRefused) {
  const fs::path empty = root_ / "no-cases";
  fs::create_directories(empty);
  std::ofstream(empty / "README.txt") << "no cases";
  PluginManager manager(options_);
  ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN).ok());
  auto deployed = manager.Deploy(MakeBundle("next", IX_TEST_PLUGIN_NEXT, empty));
  ASSERT_FALSE(deployed.ok());
  EXPECT_NE(deployed.status().message().find("no self-test cases"), std::string::npos) << deployed.status().message();
}

TEST_F(ManagerTest, RefusedBundleKeepsTheRunningVersion) {
  PluginManager manager(options_);
  ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN).ok());
  const std::string initial = manager.ActiveVersion();
  const bundle::KeyPair stranger = bundle::GenerateKeyPair();
  auto deployed = manager.Deploy(MakeBundle("stranger", IX_TEST_PLUGIN_NEXT, IX_TEST_SELFTEST_DIR, &stranger));
  ASSERT_FALSE(deployed.ok());
  EXPECT_NE(deployed.status().message().find("bundle refused (untrusted-key)"), std::string::npos);
  EXPECT_EQ(manager.ActiveVersion(), initial);
  EXPECT_FALSE(fs::exists(options_.install_root / "0.2.0"));  // nothing installed
  // A manifest that lies about the version is caught after loading.
  auto liar = manager.Deploy(MakeBundle("liar", IX_TEST_PLUGIN_NEXT, IX_TEST_SELFTEST_DIR, nullptr, "0.3.0"));
  ASSERT_FALSE(liar.ok());
  EXPECT_NE(liar.status().message().find("the manifest says 0.3.0 but the plugin reports 0.2.0"), std::string::npos)
      << liar.status().message();
  EXPECT_EQ(manager.ActiveVersion(), initial);
}

TEST_F(ManagerTest, RollbackAndItsLimits) {
  PluginManager manager(options_);
  ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN).ok());
  const std::string initial = manager.ActiveVersion();
  auto nothing = manager.Rollback();
  ASSERT_FALSE(nothing.ok());
  EXPECT_NE(nothing.status().message().find("no previous version"), std::string::npos);
  ASSERT_TRUE(manager.Deploy(MakeBundle("next", IX_TEST_PLUGIN_NEXT)).ok());
  auto back = manager.Rollback();
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, initial);
  EXPECT_EQ(manager.Active()->version(), initial);
  auto forward = manager.Rollback();  // rolling back a rollback returns to 0.2.0
  ASSERT_TRUE(forward.ok());
  EXPECT_EQ(*forward, "0.2.0");
}

TEST_F(ManagerTest, DowngradeRefusedUnlessForced) {
  PluginManager manager(options_);
  ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN_NEXT).ok());  // 0.2.0 serving
  // The alt build (0.0.9-test) carries the test definition the golden cases use.
  const fs::path older = MakeBundle("older", IX_TEST_PLUGIN_ALT, IX_TEST_SELFTEST_DIR, nullptr, "0.0.9-test");
  auto refused = manager.Deploy(older);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("bundle refused (downgrade): plugin.version: 0.0.9-test is older than 0.2.0, the newest version this host has run"),
            std::string::npos) << refused.status().message();
  EXPECT_EQ(manager.ActiveVersion(), "0.2.0");
  auto forced = manager.Deploy(older, /*allow_downgrade=*/true);
  ASSERT_TRUE(forced.ok()) << forced.status().ToString();
  EXPECT_EQ(manager.ActiveVersion(), "0.0.9-test");
  // The high-water mark stays at 0.2.0: the same old bundle again, or anything below 0.2.0,
  // still needs the explicit flag although 0.0.9-test is what runs now.
  EXPECT_EQ(manager.HighWaterMark(), "0.2.0");
  DeployFailure why;
  auto again = manager.Deploy(older, /*allow_downgrade=*/false, &why);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(why.refusal, bundle::Refusal::kDowngrade) << again.status().message();
}

// After a rollback, the high-water mark still guards deploys, and it survives a restart.
TEST_F(ManagerTest, DowngradeAfterARollbackOrARestartNeedsTheFlag) {
  options_.state_file = options_.install_root / "state.json";
  const fs::path older = MakeBundle("older", IX_TEST_PLUGIN_ALT, IX_TEST_SELFTEST_DIR, nullptr, "0.0.9-test");
  {
    PluginManager manager(options_);
    ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN_ALT).ok());  // 0.0.9-test
    ASSERT_TRUE(manager.Deploy(MakeBundle("next", IX_TEST_PLUGIN_NEXT)).ok());
    ASSERT_TRUE(manager.Rollback().ok());
    ASSERT_EQ(manager.ActiveVersion(), "0.0.9-test");
    DeployFailure why;
    EXPECT_FALSE(manager.Deploy(older, false, &why).ok());
    EXPECT_EQ(why.refusal, bundle::Refusal::kDowngrade);
  }
  PluginManager restarted(options_);
  ASSERT_TRUE(restarted.Start(IX_TEST_PLUGIN_ALT).ok());
  ASSERT_TRUE(restarted.Restore().ok());
  EXPECT_EQ(restarted.HighWaterMark(), "0.2.0");
  DeployFailure why;
  EXPECT_FALSE(restarted.Deploy(older, false, &why).ok());
  EXPECT_EQ(why.refusal, bundle::Refusal::kDowngrade);
}

TEST_F(ManagerTest, PinAMunicipalityToAVersion) {
  PluginManager manager(options_);
  ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN).ok());
  const std::string initial = manager.ActiveVersion();
  ASSERT_TRUE(manager.Deploy(MakeBundle("next", IX_TEST_PLUGIN_NEXT)).ok());
  ASSERT_TRUE(manager.Pin("0181", initial).ok());
  EXPECT_EQ(manager.Active("0181")->version(), initial);
  EXPECT_EQ(manager.Active("0188")->version(), "0.2.0");
  EXPECT_EQ(manager.Active()->version(), "0.2.0");
  const Status unknown = manager.Pin("0181", "9.9.9");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.message().find("version: 9.9.9 is not loaded"), std::string::npos);
  ASSERT_TRUE(manager.Unpin("0181").ok());
  EXPECT_EQ(manager.Active("0181")->version(), "0.2.0");
  EXPECT_FALSE(manager.Unpin("0181").ok());
}

// After a restart (a new manager over the same install root and state file), the deployed
// version and the pins come back — verified again, loaded and self-tested.
TEST_F(ManagerTest, RestoreAfterARestartBringsBackTheActiveVersionAndPins) {
  options_.state_file = options_.install_root / "state.json";
  std::string initial;
  {
    PluginManager before(options_);
    ASSERT_TRUE(before.Start(IX_TEST_PLUGIN).ok());
    initial = before.ActiveVersion();
    ASSERT_TRUE(before.Deploy(MakeBundle("next", IX_TEST_PLUGIN_NEXT)).ok());
    ASSERT_TRUE(before.Pin("0181", initial).ok());
  }
  PluginManager after(options_);
  ASSERT_TRUE(after.Start(IX_TEST_PLUGIN).ok());
  EXPECT_EQ(after.ActiveVersion(), initial);  // Start alone does not read the state
  const Status restored = after.Restore();
  ASSERT_TRUE(restored.ok()) << restored.message();
  EXPECT_EQ(after.ActiveVersion(), "0.2.0");
  EXPECT_EQ(after.Active("0181")->version(), initial);
  EXPECT_EQ(after.Active("0192")->version(), "0.2.0");
  EXPECT_EQ(after.History().back().action, "pin");
  // Rolling back after a restart returns to the started plugin.
  auto back = after.Rollback();
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, initial);
}

TEST_F(ManagerTest, RestoreRefusesAnInstalledBundleThatChangedAndKeepsServing) {
  options_.state_file = options_.install_root / "state.json";
  std::string initial;
  {
    PluginManager before(options_);
    ASSERT_TRUE(before.Start(IX_TEST_PLUGIN).ok());
    initial = before.ActiveVersion();
    ASSERT_TRUE(before.Deploy(MakeBundle("next", IX_TEST_PLUGIN_NEXT)).ok());
  }
  std::ofstream(options_.install_root / "0.2.0/selftest/01-unanswered.json", std::ios::app) << " ";
  PluginManager after(options_);
  ASSERT_TRUE(after.Start(IX_TEST_PLUGIN).ok());
  const Status restored = after.Restore();
  ASSERT_FALSE(restored.ok());
  EXPECT_NE(restored.message().find("hash-mismatch"), std::string::npos) << restored.message();
  EXPECT_EQ(after.ActiveVersion(), initial);
  EXPECT_EQ(after.History().back().action, "restore-failed");
}

TEST_F(ManagerTest, RestoreDoesNotUndoANewerStartedPlugin) {
  options_.state_file = options_.install_root / "state.json";
  {
    PluginManager before(options_);
    ASSERT_TRUE(before.Start(IX_TEST_PLUGIN).ok());
    const fs::path older = MakeBundle("older", IX_TEST_PLUGIN_ALT, IX_TEST_SELFTEST_DIR, nullptr, "0.0.9-test");
    ASSERT_TRUE(before.Deploy(older, /*allow_downgrade=*/true).ok());
    ASSERT_EQ(before.ActiveVersion(), "0.0.9-test");
  }
  PluginManager after(options_);
  ASSERT_TRUE(after.Start(IX_TEST_PLUGIN).ok());  // e.g. a package upgrade brought this one
  const std::string started = after.ActiveVersion();
  ASSERT_TRUE(after.Restore().ok());
  EXPECT_EQ(after.ActiveVersion(), started);
  EXPECT_EQ(after.History().back().action, "restore-skipped");
}

TEST_F(ManagerTest, RestoreWithoutOrWithAMangledStateFile) {
  options_.state_file = options_.install_root / "state.json";
  PluginManager fresh(options_);
  ASSERT_TRUE(fresh.Start(IX_TEST_PLUGIN).ok());
  EXPECT_TRUE(fresh.Restore().ok());  // nothing saved yet
  fs::create_directories(options_.install_root);
  std::ofstream(options_.state_file) << R"({"active": {"version": 7, "directory": ["x"]}, "pins": []})";
  // Wrong types, and no MAC: refused as a whole, no exception.
  EXPECT_EQ(fresh.Restore().code(), StatusCode::kFailedPrecondition);
  std::ofstream(options_.state_file, std::ios::trunc) << "{not json";
  EXPECT_FALSE(fresh.Restore().ok());
  EXPECT_TRUE(fresh.Active() != nullptr);
}

// What the state file says is trusted only under the host's key, only below install_root,
// and versions come from the signed manifests.
class StateFileTest : public ManagerTest {
 protected:
  void SetUp() override {
    ManagerTest::SetUp();
    options_.state_file = options_.install_root / "state.json";
  }
  // A state file as the host writes it (MAC under `key`), with `state` as its body.
  void WriteState(const nlohmann::json& state, const std::string& key) {
    const std::string format = "ix-plugin-state/2";
    const nlohmann::json file{{"format", format}, {"state", state},
                              {"mac", base::crypto::HmacSha256Hex(key, format + "\n" + state.dump())}};
    fs::create_directories(options_.install_root);
    std::ofstream(options_.state_file, std::ios::trunc) << file.dump(2);
  }
  nlohmann::json ReadState() {
    std::ifstream in(options_.state_file);
    return nlohmann::json::parse(in)["state"];
  }
  // 0.2.0 deployed and active, written to the state by a first run; returns the started version.
  std::string DeployNextAndStop() {
    PluginManager before(options_);
    EXPECT_TRUE(before.Start(IX_TEST_PLUGIN).ok());
    const std::string started(before.Active()->version());
    EXPECT_TRUE(before.Deploy(MakeBundle("next", IX_TEST_PLUGIN_NEXT)).ok());
    return started;
  }
};

TEST_F(StateFileTest, AForgedStateFileIsSetAsideAndTheStartedVersionServes) {
  DeployNextAndStop();
  // Someone who can write the install root, but has not got the key, edits the state to make
  // a municipality use a directory of their choosing.
  nlohmann::json state = ReadState();
  state["pins"]["0181"] = {{"directory", "0.2.0"}};
  WriteState(state, std::string(32, 'x'));
  PluginManager after(options_);
  ASSERT_TRUE(after.Start(IX_TEST_PLUGIN).ok());
  const std::string started(after.Active()->version());
  const Status restored = after.Restore();
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(restored.message().find("MAC does not verify"), std::string::npos) << restored.message();
  EXPECT_EQ(after.ActiveVersion(), started);
  EXPECT_TRUE(after.Pins().empty());
  EXPECT_EQ(after.History().back().action, "restore-refused");
  EXPECT_TRUE(fs::exists(options_.state_file.string() + ".rejected"));
  // The replacement is authenticated: a second restart restores it without complaint.
  PluginManager again(options_);
  ASSERT_TRUE(again.Start(IX_TEST_PLUGIN).ok());
  EXPECT_TRUE(again.Restore().ok());
  // An unauthenticated state of the earlier format is refused the same way.
  std::ofstream(options_.state_file, std::ios::trunc)
      << R"({"active": {"version": "0.2.0", "directory": ")" << (options_.install_root / "0.2.0").string() << R"("}})";
  PluginManager old_format(options_);
  ASSERT_TRUE(old_format.Start(IX_TEST_PLUGIN).ok());
  EXPECT_EQ(old_format.Restore().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(old_format.ActiveVersion(), started);
}

TEST_F(StateFileTest, DirectoriesOutsideTheInstallRootAreRefusedEvenUnderTheKey) {
  DeployNextAndStop();
  // A signed bundle that lies outside install_root, named by path, by "..", and through a
  // symbolic link inside install_root.
  const fs::path outside = MakeBundle("outside", IX_TEST_PLUGIN_NEXT);
  fs::create_directory_symlink(outside, options_.install_root / "linked");
  for (const std::string& directory : {outside.string(), std::string("../outside"), std::string("linked")}) {
    nlohmann::json state = ReadState();
    state["active"] = nlohmann::json::object();
    state["pins"] = {{"0181", {{"directory", directory}}}};
    WriteState(state, options_.state_key);
    PluginManager after(options_);
    ASSERT_TRUE(after.Start(IX_TEST_PLUGIN).ok());
    const Status restored = after.Restore();
    ASSERT_FALSE(restored.ok()) << directory;
    EXPECT_TRUE(after.Pins().empty()) << directory;
    EXPECT_EQ(after.History().back().action, "restore-failed") << directory;
    EXPECT_NE(restored.message().find("pin 0181"), std::string::npos) << restored.message();
    EXPECT_FALSE(after.RestorePending()) << "a refusal is final: " << directory;
  }
}

// The saved state says only where a version lies; what version it is comes from the signed
// manifest. A newer started plugin is not undone by an older saved deployment.
TEST_F(StateFileTest, TheVersionComesFromTheSignedManifest) {
  DeployNextAndStop();
  nlohmann::json state = ReadState();
  state["active"]["version"] = "9.9.9";  // ignored: not part of the format
  WriteState(state, options_.state_key);
  PluginManager after(options_);
  ASSERT_TRUE(after.Start(IX_TEST_PLUGIN).ok());
  ASSERT_TRUE(after.Restore().ok());
  EXPECT_EQ(after.ActiveVersion(), "0.2.0");
  EXPECT_EQ(after.HighWaterMark(), "0.2.0");
}

TEST_F(StateFileTest, ATransientRestoreFailureKeepsTheStateAndIsRetried) {
  const std::string started = DeployNextAndStop();
  const fs::path installed = options_.install_root / "0.2.0";
  const fs::path away = root_ / "away";
  fs::rename(installed, away);  // e.g. a storage mount that is not there yet
  PluginManager after(options_);
  ASSERT_TRUE(after.Start(IX_TEST_PLUGIN).ok());
  const Status restored = after.Restore();
  ASSERT_FALSE(restored.ok());
  EXPECT_NE(restored.message().find("missing"), std::string::npos) << restored.message();
  EXPECT_TRUE(after.RestorePending());
  EXPECT_EQ(after.ActiveVersion(), started);
  EXPECT_EQ(after.History().back().action, "restore-pending");
  EXPECT_EQ(ReadState()["active"]["directory"], "0.2.0");  // the deployment is not forgotten
  EXPECT_EQ(after.RetryRestore().code(), StatusCode::kUnavailable);
  fs::rename(away, installed);
  const Status retried = after.RetryRestore();
  ASSERT_TRUE(retried.ok()) << retried.message();
  EXPECT_FALSE(after.RestorePending());
  EXPECT_EQ(after.ActiveVersion(), "0.2.0");
}

TEST_F(StateFileTest, ADeployWhileARestoreIsPendingWins) {
  DeployNextAndStop();
  fs::rename(options_.install_root / "0.2.0", root_ / "away");
  PluginManager after(options_);
  ASSERT_TRUE(after.Start(IX_TEST_PLUGIN).ok());
  ASSERT_FALSE(after.Restore().ok());
  ASSERT_TRUE(after.Deploy(MakeBundle("again", IX_TEST_PLUGIN_NEXT)).ok());
  EXPECT_FALSE(after.RestorePending());  // the operator's deploy replaced the pending entry
  EXPECT_TRUE(after.RetryRestore().ok());
  EXPECT_EQ(after.History().back().action, "activate");  // nothing was retried after it
  EXPECT_EQ(after.Active()->version(), "0.2.0");
}

TEST_F(ManagerTest, OldVersionsBeyondTheRetentionCountArePruned) {
  options_.retain_versions = 1;
  fs::create_directories(options_.install_root / "0.2.0-9.partial");  // an interrupted copy
  fs::create_directories(options_.install_root / "notes");             // not an installed version
  PluginManager manager(options_);
  ASSERT_TRUE(manager.Start(IX_TEST_PLUGIN).ok());
  const fs::path bundle = MakeBundle("next", IX_TEST_PLUGIN_NEXT);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(manager.Deploy(bundle).ok());
  // 0.2.0, 0.2.0-2, 0.2.0-3 were installed: the active (-3) and Rollback's target (-2) stay.
  EXPECT_FALSE(fs::exists(options_.install_root / "0.2.0"));
  EXPECT_TRUE(fs::exists(options_.install_root / "0.2.0-2"));
  EXPECT_TRUE(fs::exists(options_.install_root / "0.2.0-3"));
  EXPECT_FALSE(fs::exists(options_.install_root / "0.2.0-9.partial"));
  EXPECT_TRUE(fs::exists(options_.install_root / "notes"));
  EXPECT_TRUE(manager.Rollback().ok());  // still possible
  EXPECT_EQ(manager.History().back().action, "rollback");
}

TEST_F(ManagerTest, AStateFileNeedsAKey) {
  options_.state_file = options_.install_root / "state.json";
  options_.state_key.clear();
  PluginManager manager(options_);
  const Status started = manager.Start(IX_TEST_PLUGIN);
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.message().find("state key has 0 bytes"), std::string::npos) << started.message();
}

}  // namespace
}  // namespace ix::host
