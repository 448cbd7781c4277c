// Helpers for the server's loopback integration tests: certificates generated once per test
// process by scripts/dev-certs.sh (with the failure cases), an in-process server on a free
// port, TLS channels with a chosen client certificate, and google.rpc detail extraction.
#ifndef IX_TESTS_SERVER_SUPPORT_HPP
#define IX_TESTS_SERVER_SUPPORT_HPP

#include <ix/server/server.hpp>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "ix/v1/service.grpc.pb.h"

#if __has_include("grpc/health/v1/health.grpc.pb.h")  // targets that link ix_test_health
#include "grpc/health/v1/health.grpc.pb.h"
#define IX_TEST_WITH_HEALTH 1
#endif

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

namespace ix::server::testing {

namespace fs = std::filesystem;

inline std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every folder a test process makes lives under one root that is removed when the process
// exits normally, so runs do not pile up in /tmp. Forked children run the same static
// destructors when they exit; only the process that made the root removes it.
inline const fs::path& TempRoot() {
  struct Root {
    fs::path path;
    pid_t owner;
    ~Root() {
      if (::getpid() != owner) return;
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  };
  static const Root root = [] {
    fs::path path = fs::temp_directory_path() /
                    ("ix-server-test-" + std::to_string(::getpid()) + "-" +
                     std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(path);
    return Root{path, ::getpid()};
  }();
  return root.path;
}

// A fresh temporary folder per call, under TempRoot().
inline fs::path TempDir(const std::string& name) {
  static std::atomic<unsigned> next{0};
  fs::path dir = TempRoot() / (name + "-" + std::to_string(next++));
  fs::create_directories(dir);
  return dir;
}

// The certificates, generated once per process with the real script.
inline const fs::path& Certs() {
  static const fs::path dir = [] {
    fs::path d = TempDir("certs");
    const std::string command =
        std::string(IX_TEST_DEV_CERTS) + " " + d.string() + " --test-extras > /dev/null";
    if (std::system(command.c_str()) != 0) {
      ADD_FAILURE() << "dev-certs.sh failed: " << command;
    }
    return d;
  }();
  return dir;
}

inline ix::v1::InstrumentResponse Example(const std::string& file) {
  ix::v1::InstrumentResponse response;
  const auto status = google::protobuf::util::JsonStringToMessage(
      Slurp(fs::path(IX_TEST_EXAMPLES_DIR) / file), &response);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return response;
}

// The sample household of Södertälje (0181) to validate.
inline v1::ValidateRequest ValidRequest() {
  v1::ValidateRequest request;
  *request.mutable_response() = Example("household.json");
  request.set_as_of_date("2025-01-15");
  return request;
}

#ifdef IX_TEST_IX_SERVER
// Runs the real ix-server with `args`; returns its exit code and what it wrote.
inline int RunServer(const std::string& args, std::string* output) {
  const std::string command = std::string(IX_TEST_IX_SERVER) + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
#endif

// A case from docs/examples (canonical JSON of ix.v1.Case).
inline ix::v1::Case ExampleCase(const std::string& file) {
  ix::v1::Case c;
  const auto status = google::protobuf::util::JsonStringToMessage(
      Slurp(fs::path(IX_TEST_EXAMPLES_DIR) / file), &c);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return c;
}

// Everything the server logs operationally, captured for scanning.
struct CapturedLog {
  std::shared_ptr<std::ostringstream> text = std::make_shared<std::ostringstream>();
  std::shared_ptr<spdlog::logger> logger = [this] {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*text);
    auto l = std::make_shared<spdlog::logger>("ix-server-test", sink);
    l->set_level(spdlog::level::trace);  // everything, so the scan sees everything
    return l;
  }();
};

struct TestServer {
  fs::path dir = TempDir("server");
  CapturedLog log;
  std::unique_ptr<Server> server;

  static ServerConfig DefaultConfig(const fs::path& dir) {
    ServerConfig c;
    c.set_listen("127.0.0.1:0");
    c.mutable_tls()->set_cert((Certs() / "server.crt").string());
    c.mutable_tls()->set_key((Certs() / "server.key").string());
    c.mutable_tls()->set_client_ca((Certs() / "ca.crt").string());
    c.set_callers_file((Certs() / "callers.json").string());
    c.set_audit_log((dir / "audit.log").string());
    return c;
  }

  // Starts (NOT_SERVING); with attach, loads the bundled plugin too.
  explicit TestServer(bool attach = true,
                      std::function<void(ServerConfig&)> tweak = nullptr,
                      decltype(ServerOptions::before_plugin_call) hook = nullptr,
                      decltype(ServerOptions::clock) clock = nullptr) {
    ServerOptions options;
    options.config = DefaultConfig(dir);
    if (tweak) tweak(options.config);
    options.log = log.logger;
    options.before_plugin_call = std::move(hook);
    options.clock = std::move(clock);
    auto started = Server::Start(std::move(options));
    if (!started.ok()) {
      ADD_FAILURE() << "server did not start: " << started.status().message();
      return;
    }
    server = std::move(*started);
    if (attach) {
      Status st = server->AttachPlugin(IX_TEST_PLUGIN);
      EXPECT_TRUE(st.ok()) << st.message();
    }
  }

  fs::path audit_path() const { return dir / "audit.log"; }
  // The key folder the server uses when key_dir is not set: beside the audit log's folder.
  fs::path audit_key_path() const { return fs::path(dir.string() + "-keys") / "audit.key"; }
  std::string target() const { return "localhost:" + std::to_string(server->port()); }
};

// A mutual-TLS channel presenting `client` (a name from dev-certs.sh, e.g. "sodertalje"), or
// no client certificate when empty. `ca` is the CA the client trusts for the server.
inline std::shared_ptr<grpc::Channel> Channel(const TestServer& s, const std::string& client,
                                              const std::string& ca = "ca") {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = Slurp(Certs() / (ca + ".crt"));
  if (!client.empty()) {
    ssl.pem_private_key = Slurp(Certs() / (client + ".key"));
    ssl.pem_cert_chain = Slurp(Certs() / (client + ".crt"));
  }
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 * 1024 * 1024);
  // A fresh connection per channel: each test sees its own handshake.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(s.target(), grpc::SslCredentials(ssl), args);
}

inline std::unique_ptr<ix::v1::InstrumentService::Stub> Stub(const TestServer& s,
                                                             const std::string& client,
                                                             const std::string& ca = "ca") {
  return ix::v1::InstrumentService::NewStub(Channel(s, client, ca));
}

inline void Deadline(grpc::ClientContext* ctx, int ms = 5000) {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(ms));
}

// The google.rpc.Status the server put in the trailer.
inline google::rpc::Status Details(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()))
      << "no google.rpc.Status in the trailer";
  return details;
}

template <typename Detail>
std::optional<Detail> Find(const grpc::Status& status) {
  const google::rpc::Status details = Details(status);  // kept alive for the loop
  for (const auto& any : details.details()) {
    Detail d;
    if (any.Is<Detail>() && any.UnpackTo(&d)) return d;
  }
  return std::nullopt;
}

#ifdef IX_TEST_WITH_HEALTH
// What the server's health check answers (asked as Södertälje's case system).
inline grpc::health::v1::HealthCheckResponse::ServingStatus Health(const TestServer& s) {
  auto stub = grpc::health::v1::Health::NewStub(Channel(s, "sodertalje"));
  grpc::ClientContext ctx;
  Deadline(&ctx);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status st = stub->Check(&ctx, request, &response);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return response.status();
}
#endif

}  // namespace ix::server::testing

#endif  // IX_TESTS_SERVER_SUPPORT_HPP
