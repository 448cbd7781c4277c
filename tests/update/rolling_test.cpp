// Rolling plugin updates across replicas: real ix-server processes on loopback (mutual TLS)
// sharing one PostgreSQL database (a throw-away cluster from tests/store/with_postgresql.sh, one
// fresh database per test), real signed bundles of real plugin builds. A deploy through one
// replica reaches the other, a rollback through the other comes back, a replica whose keys do
// not trust the publisher refuses and says so in the status, and two deploys at the same moment
// through two replicas end with one intended version everywhere.
#include "../server/server_test_support.hpp"
#include "signed_bundle.hpp"

#include "ix/v1/admin_service.grpc.pb.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

namespace ix::server::testing {
namespace {

using namespace std::chrono_literals;
namespace bundle = host::bundle;

bool PostgresqlHere() { return std::getenv("PGHOST") != nullptr && std::getenv("PGPORT") != nullptr; }

// The version of the bundled plugin (the project's).
constexpr const char* kNextVersion = "0.2.0";       // instrument_x_next
constexpr const char* kAltVersion = "0.0.9-test";   // instrument_x_alt (older: needs allow_downgrade)

// One ix-server process: its own folders and install root, the shared database, `trusted` as
// its publisher key.
class Replica {
 public:
  Replica(const std::string& id, const std::string& database, const std::string& trusted_public_key)
      : id_(id), dir_(TempDir("replica-" + id)) {
    std::ofstream(dir_ / "trusted-keys.json")
        << R"({"keys": [{"name": "publisher", "public_key": ")" << trusted_public_key << "\"}]}";
    nlohmann::json config = {
        {"listen", "127.0.0.1:0"},
        {"tls", {{"cert", (Certs() / "server.crt").string()},
                 {"key", (Certs() / "server.key").string()},
                 {"client_ca", (Certs() / "ca.crt").string()}}},
        {"callers_file", (Certs() / "callers.json").string()},
        {"audit_log", (dir_ / "audit" / "audit.log").string()},
        {"key_dir", (dir_ / "keys").string()},
        {"store_postgresql", "postgresql:///" + database},
        {"isolation", {{"mode", "in-process"}}},
        {"limits", {{"calls_per_second_per_caller", 0}}},
        {"updates", {{"install_root", (dir_ / "installed").string()},
                     {"trusted_keys_file", (dir_ / "trusted-keys.json").string()},
                     {"state_key_file", (dir_ / "keys" / "update-state.key").string()},
                     {"replica_id", id},
                     {"follow_interval_ms", 200}}},
    };
    fs::create_directories(dir_ / "audit");
    fs::create_directories(dir_ / "keys");
    fs::permissions(dir_ / "keys", fs::perms::owner_all);
    std::ofstream(dir_ / "config.json") << config.dump(2);
    Start();
  }

  ~Replica() { Stop(); }

  void Start() {
    const fs::path port_file = dir_ / "port";
    fs::remove(port_file);
    pid_ = ::fork();
    if (pid_ == 0) {
      const int log = ::open((dir_ / "server.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(log, 1);
      ::dup2(log, 2);
      ::execl(IX_TEST_IX_SERVER, IX_TEST_IX_SERVER, "--config", (dir_ / "config.json").c_str(), "--port-file",
              port_file.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < until) {
      std::ifstream in(port_file);
      if (in >> port_ && port_ > 0) return;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "replica " << id_ << " did not start: " << Log();
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::string Log() const { return Slurp(dir_ / "server.log"); }
  const std::string& id() const { return id_; }

  std::shared_ptr<grpc::Channel> Connect(const std::string& client) const {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Slurp(Certs() / "ca.crt");
    ssl.pem_private_key = Slurp(Certs() / (client + ".key"));
    ssl.pem_cert_chain = Slurp(Certs() / (client + ".crt"));
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel("localhost:" + std::to_string(port_), grpc::SslCredentials(ssl), args);
  }

  std::unique_ptr<v1::PluginAdmin::Stub> Admin() const { return v1::PluginAdmin::NewStub(Connect("admin")); }

  v1::PluginStatus Status() const {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::PluginStatus status;
    const grpc::Status st = Admin()->Status(&ctx, v1::PluginStatusRequest(), &status);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return status;
  }

  grpc::Status Deploy(const fs::path& dir, bool allow_downgrade, v1::DeployResponse* out) const {
    grpc::ClientContext ctx;
    Deadline(&ctx, 30000);
    v1::DeployRequest request;
    request.set_bundle_dir(dir.string());
    request.set_allow_downgrade(allow_downgrade);
    return Admin()->Deploy(&ctx, request, out);
  }

  grpc::Status Rollback(v1::DeployResponse* out) const {
    grpc::ClientContext ctx;
    Deadline(&ctx, 30000);
    return Admin()->Rollback(&ctx, v1::RollbackRequest(), out);
  }

  // A Suggest as Södertälje's case system; the version that answered (ix-plugin-version).
  std::string SuggestVersion() const {
    auto stub = v1::InstrumentService::NewStub(Connect("sodertalje"));
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::SuggestRequest request;
    *request.mutable_response() = Example("household.json");
    request.set_as_of_date("2025-01-15");
    v1::SuggestResponse response;
    const grpc::Status st = stub->Suggest(&ctx, request, &response);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_GT(response.suggestions_size(), 0);
    const auto& metadata = ctx.GetServerInitialMetadata();
    auto it = metadata.find("ix-plugin-version");
    return it == metadata.end() ? std::string("(no ix-plugin-version)") : std::string(it->second.data(), it->second.size());
  }

  // Waits until Suggest answers with `version`; returns how long it took (or fails at `limit`).
  std::chrono::milliseconds WaitForVersion(const std::string& version, std::chrono::milliseconds limit = 15s) const {
    const auto start = std::chrono::steady_clock::now();
    std::string seen;
    while (std::chrono::steady_clock::now() - start < limit) {
      seen = SuggestVersion();
      if (seen == version) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      }
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "replica " << id_ << " still answers with " << seen << ", not " << version << "\n" << Log();
    return limit;
  }

 private:
  std::string id_;
  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

const v1::ReplicaStatus* FindReplica(const v1::PluginStatus& status, const std::string& id) {
  for (const auto& r : status.replicas()) {
    if (r.replica() == id) return &r;
  }
  return nullptr;
}

// The status through `via` once every replica in it reports serving `version` (or after 5 s).
v1::PluginStatus WaitForReports(const Replica& via, const std::string& version) {
  v1::PluginStatus status;
  for (auto until = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < until;) {
    status = via.Status();
    bool all = status.replicas_size() > 0;
    for (const auto& r : status.replicas()) all = all && r.serving_version() == version;
    if (all) break;
    std::this_thread::sleep_for(100ms);
  }
  return status;
}

class Rolling : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PostgresqlHere()) {
      if (const char* ci = std::getenv("CI"); ci != nullptr && std::string(ci) == "true") {
        FAIL() << "no PostgreSQL (run under tests/store/with_postgresql.sh)";
      }
      GTEST_SKIP() << "no PostgreSQL (run under tests/store/with_postgresql.sh)";
    }
    // A fresh database per test: the shared plugin state is one per database.
    database_ = "rolling_" + std::to_string(::getpid()) + "_" + std::to_string(++counter_);
    ASSERT_EQ(std::system(("createdb " + database_).c_str()), 0);
    bundles_ = TempDir("rolling-bundles");
  }

  fs::path Bundle(const std::string& name, const fs::path& plugin, const std::string& version,
                  const bundle::KeyPair& signer) {
    return ix::testing::MakeSignedBundle(bundles_ / name, plugin, IX_TEST_SELFTEST_DIR, signer.secret_key_hex, version);
  }

  std::string database_;
  fs::path bundles_;
  bundle::KeyPair publisher_ = bundle::GenerateKeyPair();
  static inline int counter_ = 0;
};

TEST_F(Rolling, DeployThroughOneReachesTheOtherAndRollbackComesBack) {
  Replica one("one", database_, publisher_.public_key_hex);
  Replica two("two", database_, publisher_.public_key_hex);
  const std::string initial = one.SuggestVersion();
  ASSERT_EQ(two.SuggestVersion(), initial);
  ASSERT_NE(initial, kNextVersion);

  v1::DeployResponse deployed;
  const grpc::Status st = one.Deploy(Bundle("next", IX_TEST_PLUGIN_NEXT, kNextVersion, publisher_), false, &deployed);
  ASSERT_TRUE(st.ok()) << st.error_message() << "\n" << one.Log();
  EXPECT_EQ(deployed.active_version(), kNextVersion);
  EXPECT_EQ(one.SuggestVersion(), kNextVersion);
  // Replica two was never handed the bundle: it takes it from the shared state.
  const auto took = two.WaitForVersion(kNextVersion);
  std::cout << "deploy through replica one reached replica two after " << took.count() << " ms\n";
  EXPECT_LT(took, 10s);  // a follow interval, then a verify, install, load and self-test

  // Status through either replica shows both, each serving the intended version (a replica
  // reports right after it switched: allow it that moment).
  const v1::PluginStatus status = WaitForReports(two, kNextVersion);
  EXPECT_EQ(status.replica(), "two");
  EXPECT_EQ(status.intended_version(), kNextVersion);
  ASSERT_EQ(status.replicas_size(), 2) << status.DebugString();
  for (const auto& r : status.replicas()) {
    EXPECT_EQ(r.serving_version(), kNextVersion) << r.DebugString();
    EXPECT_EQ(r.state(), "serving") << r.DebugString();
    EXPECT_EQ(r.reason(), "");
  }
  // Replica two verified the bundle itself and recorded where it came from.
  bool followed = false;
  for (const auto& h : status.history()) {
    followed = followed || (h.action() == "activate" && h.version() == kNextVersion);
  }
  EXPECT_TRUE(followed) << status.DebugString();

  // Rollback through replica two reaches replica one.
  v1::DeployResponse rolled;
  const grpc::Status back = two.Rollback(&rolled);
  ASSERT_TRUE(back.ok()) << back.error_message() << "\n" << two.Log();
  EXPECT_EQ(rolled.active_version(), initial);
  EXPECT_EQ(two.SuggestVersion(), initial);
  one.WaitForVersion(initial);
  EXPECT_EQ(one.Status().intended_version(), initial);

  // After the rollback the high-water mark stays 0.2.0: an older bundle is refused without
  // allow_downgrade.
  v1::DeployResponse older;
  const grpc::Status refused = one.Deploy(Bundle("alt", IX_TEST_PLUGIN_ALT, kAltVersion, publisher_), false, &older);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  EXPECT_NE(refused.error_message().find("downgrade"), std::string::npos) << refused.error_message();
  EXPECT_EQ(two.SuggestVersion(), initial);
}

TEST_F(Rolling, AReplicaThatDoesNotTrustTheSignerRefusesKeepsServingAndSaysWhy) {
  const bundle::KeyPair other = bundle::GenerateKeyPair();
  Replica one("trusting", database_, publisher_.public_key_hex);
  Replica two("other-keys", database_, other.public_key_hex);
  const std::string initial = two.SuggestVersion();

  v1::DeployResponse deployed;
  const grpc::Status st = one.Deploy(Bundle("next", IX_TEST_PLUGIN_NEXT, kNextVersion, publisher_), false, &deployed);
  ASSERT_TRUE(st.ok()) << st.error_message();

  // Replica two reports the refusal in the shared status.
  const v1::ReplicaStatus* refused = nullptr;
  v1::PluginStatus status;
  for (auto until = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < until;) {
    status = one.Status();
    refused = FindReplica(status, "other-keys");
    if (refused != nullptr && refused->state() == "refused") break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_NE(refused, nullptr) << status.DebugString();
  EXPECT_EQ(refused->state(), "refused") << refused->DebugString();
  EXPECT_EQ(refused->serving_version(), initial);
  EXPECT_EQ(refused->intended_version(), kNextVersion);
  EXPECT_NE(refused->reason().find("untrusted-key"), std::string::npos) << refused->reason();
  // It keeps serving, with the old version, and stays there.
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(two.SuggestVersion(), initial);
  const v1::PluginStatus after = one.Status();
  const v1::ReplicaStatus* trusting = FindReplica(after, "trusting");
  ASSERT_NE(trusting, nullptr);
  EXPECT_EQ(trusting->state(), "serving");
  EXPECT_EQ(trusting->serving_version(), kNextVersion);
  // Its own log says why too, naming the replica and the version it keeps.
  EXPECT_NE(two.Log().find("replica 'other-keys' keeps serving " + initial), std::string::npos) << two.Log();
}

TEST_F(Rolling, ConcurrentDeploysOfTwoVersionsEndWithOneIntendedVersionEverywhere) {
  Replica one("one", database_, publisher_.public_key_hex);
  Replica two("two", database_, publisher_.public_key_hex);
  const fs::path next = Bundle("next", IX_TEST_PLUGIN_NEXT, kNextVersion, publisher_);
  const fs::path alt = Bundle("alt", IX_TEST_PLUGIN_ALT, kAltVersion, publisher_);
  grpc::Status through_one, through_two;
  std::atomic<bool> go{false};
  std::thread a([&] {
    while (!go) std::this_thread::yield();
    v1::DeployResponse r;
    through_one = one.Deploy(next, false, &r);
  });
  std::thread b([&] {
    while (!go) std::this_thread::yield();
    v1::DeployResponse r;
    through_two = two.Deploy(alt, true, &r);  // an explicit step below the running version
  });
  go = true;
  a.join();
  b.join();
  // Both were serialised through the shared lock: each either applied, or (0.0.9-test after
  // 0.2.0 is allowed by allow_downgrade) — no error either way.
  EXPECT_TRUE(through_one.ok()) << through_one.error_message();
  EXPECT_TRUE(through_two.ok()) << through_two.error_message();

  const std::string intended = one.Status().intended_version();
  ASSERT_TRUE(intended == kNextVersion || intended == kAltVersion) << intended;
  EXPECT_EQ(two.Status().intended_version(), intended);
  one.WaitForVersion(intended);
  two.WaitForVersion(intended);
  const v1::PluginStatus status = one.Status();
  ASSERT_EQ(status.replicas_size(), 2);
  const v1::PluginStatus settled = WaitForReports(two, intended);
  for (const auto& r : settled.replicas()) {
    EXPECT_EQ(r.serving_version(), intended) << r.DebugString();
    EXPECT_EQ(r.state(), "serving") << r.DebugString();
  }
  // Two changes, one after the other (the shared history has both, in order).
  int deploys = 0;
  for (const auto& h : status.shared_history()) deploys += h.action() == "deploy" ? 1 : 0;
  EXPECT_EQ(deploys, 2) << status.DebugString();
}

}  // namespace
}  // namespace ix::server::testing
