// RollingUpdates over an in-memory shared state (the database's part is tested with real
// ix-server processes and PostgreSQL in rolling_test.cpp): several managers with their own
// install roots and keys, real plugin builds, real signed bundles. What the shared state hands a
// replica is input: bundle paths are checked before anything is written.
#include <ix/host/rolling.hpp>
#include <ix/selftest/golden.hpp>

#include "signed_bundle.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <random>

namespace ix::host {
namespace {

namespace fs = std::filesystem;

// The shared state as one process holds it: what the PostgreSQL implementation keeps in tables.
class MemoryState final : public SharedPluginState {
 public:
  std::string Shown() const override { return "memory"; }
  Result<Intent> Read() override {
    std::lock_guard lock(mutex_);
    return intent_;
  }
  Result<std::vector<BundleFile>> Bundle(int64_t id) override {
    std::lock_guard lock(mutex_);
    auto it = bundles_.find(id);
    if (it == bundles_.end()) return Status(StatusCode::kNotFound, "no bundle " + std::to_string(id));
    return it->second;
  }
  Result<Intent> Change(const std::string& replica,
                        const std::function<Result<Publication>(const Intent&)>& change) override {
    std::lock_guard lock(mutex_);
    auto p = change(intent_);
    if (!p.ok()) return p.status();
    Intent next{intent_.seq + 1, p->action, p->version, 0, p->allow_downgrade, p->high_water, p->pins, replica};
    if (p->bundle == Publication::Bundle::kKeep) next.bundle_id = intent_.bundle_id;
    if (p->bundle == Publication::Bundle::kNew) {
      next.bundle_id = static_cast<int64_t>(bundles_.size()) + 1;
      bundles_[next.bundle_id] = p->files;
    }
    intent_ = next;
    return intent_;
  }
  Status Report(const ReplicaReport& r) override {
    std::lock_guard lock(mutex_);
    reports_[r.replica] = r;
    return Status::Ok();
  }
  Result<std::vector<ReplicaReport>> Replicas() override {
    std::lock_guard lock(mutex_);
    std::vector<ReplicaReport> out;
    for (const auto& [id, r] : reports_) out.push_back(r);
    return out;
  }
  Status Append(const SharedEvent& e) override {
    std::lock_guard lock(mutex_);
    history_.push_back(e);
    return Status::Ok();
  }
  Result<std::vector<SharedEvent>> History(size_t) override {
    std::lock_guard lock(mutex_);
    return history_;
  }
  // A change published by someone who does not go through RollingUpdates (a tampered row).
  void Publish(Intent intent, std::vector<BundleFile> files) {
    std::lock_guard lock(mutex_);
    intent.seq = intent_.seq + 1;
    intent.bundle_id = static_cast<int64_t>(bundles_.size()) + 1;
    bundles_[intent.bundle_id] = std::move(files);
    intent_ = intent;
  }
  ReplicaReport ReportOf(const std::string& id) {
    std::lock_guard lock(mutex_);
    return reports_[id];
  }

 private:
  std::recursive_mutex mutex_;  // a change's callback reads bundles and appends history
  Intent intent_;
  std::map<int64_t, std::vector<BundleFile>> bundles_;
  std::map<std::string, ReplicaReport> reports_;
  std::vector<SharedEvent> history_;
};

// Forwards to one MemoryState shared by every replica of a test.
class Shared final : public SharedPluginState {
 public:
  explicit Shared(MemoryState& s) : s_(s) {}
  std::string Shown() const override { return s_.Shown(); }
  Result<Intent> Read() override { return s_.Read(); }
  Result<std::vector<BundleFile>> Bundle(int64_t id) override { return s_.Bundle(id); }
  Result<Intent> Change(const std::string& r, const std::function<Result<Publication>(const Intent&)>& c) override {
    return s_.Change(r, c);
  }
  Status Report(const ReplicaReport& r) override { return s_.Report(r); }
  Result<std::vector<ReplicaReport>> Replicas() override { return s_.Replicas(); }
  Status Append(const SharedEvent& e) override { return s_.Append(e); }
  Result<std::vector<SharedEvent>> History(size_t n) override { return s_.History(n); }

 private:
  MemoryState& s_;
};

class RollingUnit : public ::testing::Test {
 protected:
  struct Node {
    std::unique_ptr<PluginManager> manager;
    std::unique_ptr<RollingUpdates> rolling;
  };

  void SetUp() override {
    root_ = fs::temp_directory_path() / ("ix_rolling_unit_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    key_ = bundle::GenerateKeyPair();
  }
  void TearDown() override { fs::remove_all(root_); }

  Node Start(const std::string& id, const std::string& trusted_public_key) {
    PluginManager::Options options;
    options.install_root = root_ / id / "installed";
    options.trusted_keys = {{"publisher", trusted_public_key}};
    options.self_test = [](const PluginSession& s, const fs::path& dir) {
      return dir.empty() ? Status::Ok() : selftest::RunGoldenCases(s, dir / "selftest");
    };
    Node node;
    node.manager = std::make_unique<PluginManager>(options);
    EXPECT_TRUE(node.manager->Start(IX_TEST_PLUGIN).ok());
    node.rolling = std::make_unique<RollingUpdates>(*node.manager, std::make_unique<Shared>(state_),
                                                    RollingUpdates::Options{id, root_ / id / "incoming", nullptr});
    return node;
  }

  fs::path Bundle(const std::string& name) {
    return ix::testing::MakeSignedBundle(root_ / name, IX_TEST_PLUGIN_NEXT, IX_TEST_SELFTEST_DIR, key_.secret_key_hex,
                                         "0.2.0");
  }

  fs::path root_;
  bundle::KeyPair key_;
  MemoryState state_;
};

TEST_F(RollingUnit, AFollowerVerifiesInstallsAndSwitchesAndTheHighWaterMarkTravels) {
  Node a = Start("a", key_.public_key_hex);
  Node b = Start("b", key_.public_key_hex);
  const std::string initial = a.manager->ActiveVersion();
  ASSERT_TRUE(b.rolling->Poll().ok());  // nothing published yet: b keeps what it serves
  EXPECT_EQ(b.manager->ActiveVersion(), initial);

  auto deployed = a.rolling->Deploy(Bundle("next"), false, nullptr);
  ASSERT_TRUE(deployed.ok()) << deployed.status().ToString();
  EXPECT_EQ(b.manager->ActiveVersion(), initial);  // not before it polls
  const Status followed = b.rolling->Poll();
  ASSERT_TRUE(followed.ok()) << followed.ToString();
  EXPECT_EQ(b.manager->ActiveVersion(), "0.2.0");
  // b installed its own copy, verified with its own keys (the manager's "activate" record says
  // which key signed it), and the staging folder is gone.
  EXPECT_TRUE(fs::exists(root_ / "b" / "installed" / "0.2.0" / "lib" / "libinstrument_x.so"));
  EXPECT_FALSE(fs::exists(root_ / "b" / "incoming" / "change-1"));
  EXPECT_NE(b.manager->History().back().detail.find("signed by 'publisher'"), std::string::npos);
  EXPECT_EQ(state_.ReportOf("b").state, "serving");

  auto rolled = b.rolling->Rollback();
  ASSERT_TRUE(rolled.ok()) << rolled.status().ToString();
  EXPECT_EQ(*rolled, initial);
  ASSERT_TRUE(a.rolling->Poll().ok());
  EXPECT_EQ(a.manager->ActiveVersion(), initial);
  EXPECT_EQ(a.manager->History().back().action, "follow");

  // A replica that never ran 0.2.0 takes the mark from the shared state: nothing to switch
  // (the packaged version is intended), but 0.2.0 is its high-water mark now.
  Node c = Start("c", key_.public_key_hex);
  EXPECT_EQ(c.manager->HighWaterMark(), initial);
  ASSERT_TRUE(c.rolling->Poll().ok());
  EXPECT_EQ(c.manager->ActiveVersion(), initial);
  EXPECT_EQ(c.manager->HighWaterMark(), "0.2.0");
}

TEST_F(RollingUnit, AReplicaWhoseKeysRefuseKeepsServingAndReportsWhyOnce) {
  Node a = Start("a", key_.public_key_hex);
  Node b = Start("b", bundle::GenerateKeyPair().public_key_hex);
  const std::string initial = b.manager->ActiveVersion();
  ASSERT_TRUE(a.rolling->Deploy(Bundle("next"), false, nullptr).ok());
  const Status refused = b.rolling->Poll();
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("untrusted-key"), std::string::npos) << refused.message();
  EXPECT_EQ(b.manager->ActiveVersion(), initial);
  const ReplicaReport report = state_.ReportOf("b");
  EXPECT_EQ(report.state, "refused");
  EXPECT_EQ(report.serving_version, initial);
  EXPECT_EQ(report.intended_version, "0.2.0");
  // The same change is not tried again at every poll (it would install a copy each time).
  const size_t history = b.manager->History().size();
  EXPECT_FALSE(b.rolling->Poll().ok());
  EXPECT_EQ(b.manager->History().size(), history);
}

TEST_F(RollingUnit, BundlePathsFromTheSharedStateAreCheckedBeforeAnythingIsWritten) {
  Node b = Start("b", key_.public_key_hex);
  Intent intent;
  intent.action = "deploy";
  intent.version = "0.2.0";
  intent.replica = "elsewhere";
  state_.Publish(intent, {{"manifest.json", "{}", false}, {"../../escaped", "x", false}});
  const Status refused = b.rolling->Poll();
  EXPECT_NE(refused.message().find("bundle file 2 path: a component is '..'"), std::string::npos)
      << refused.message();
  EXPECT_FALSE(fs::exists(root_ / "b" / "escaped"));
  EXPECT_FALSE(fs::exists(root_ / "escaped"));
  EXPECT_FALSE(fs::exists(root_ / "b" / "incoming" / "change-1"));
  EXPECT_EQ(state_.ReportOf("b").state, "refused");
}

TEST(BundleFiles, RefusesEachBadPathNamingIt) {
  const fs::path dir = fs::temp_directory_path() / ("ix_bundle_files_" + std::to_string(std::random_device{}()));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "bundle file 1 path: empty"},
      {"/etc/passwd", "bundle file 1 path: absolute"},
      {"a//b", "bundle file 1 path: a component is ''"},
      {"./a", "bundle file 1 path: a component is '.'"},
      {"lib/", "bundle file 1 path: ends with '/'"},
      {std::string(256, 'a'), "bundle file 1 path: 256 bytes, at most 255"},
  };
  for (const auto& [path, expected] : cases) {
    const Status s = WriteBundleFiles({{path, "x", false}}, dir);
    EXPECT_NE(s.message().find(expected), std::string::npos) << path << ": " << s.message();
    EXPECT_FALSE(fs::exists(dir));
  }
  const Status twice = WriteBundleFiles({{"a", "x", false}, {"a", "y", false}}, dir);
  EXPECT_NE(twice.message().find("bundle file 2 path 'a': listed twice"), std::string::npos) << twice.message();
  EXPECT_NE(WriteBundleFiles({}, dir).message().find("bundle: holds no files"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir));
  std::vector<BundleFile> many(kMaxBundleFiles + 1, BundleFile{"f", "", false});
  EXPECT_NE(WriteBundleFiles(many, dir).message().find("1025 files, at most 1024"), std::string::npos);

  // A good one round-trips, keeping the executable bit.
  ASSERT_TRUE(WriteBundleFiles({{"lib/p.so", "elf", true}, {"manifest.json", "{}", false}}, dir).ok());
  auto read = ReadBundleFiles(dir);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 2u);
  std::map<std::string, BundleFile> by_path;
  for (auto& f : *read) by_path[f.path] = f;
  EXPECT_EQ(by_path["lib/p.so"].content, "elf");
  EXPECT_TRUE(by_path["lib/p.so"].executable);
  EXPECT_FALSE(by_path["manifest.json"].executable);
  fs::create_directory_symlink("/etc", dir / "link");
  EXPECT_NE(ReadBundleFiles(dir).status().message().find("a symbolic link in a bundle"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ix::host
