// ix-server: hosts the Instrument X plugin (through the host library) and serves the canonical
// ix.v1 gRPC service with gRPC's callback API.
//
// Life cycle: Start() listens and answers health checks with NOT_SERVING; AttachPlugin()
// loads and negotiates the plugin, runs its self-test (the golden cases, self_test.hpp) and
// only then switches health to SERVING. Until then every RPC but WhoAmI is UNAVAILABLE.
#ifndef IX_SERVER_SERVER_HPP
#define IX_SERVER_SERVER_HPP

#include <ix/base/status.hpp>
#include <ix/server/config.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace spdlog {
class logger;
}

namespace ix::server {

struct ServerOptions {
  ServerConfig config;
  // Operational log (never personal data). Null: spdlog's default logger.
  std::shared_ptr<spdlog::logger> log;
  // Test seam: runs on the handler thread after a call is authorised and before the plugin is
  // called, with a probe telling whether the call is cancelled (or its deadline passed) — e.g.
  // to hold a call until then. Empty in production.
  std::function<void(std::string_view rpc, const std::function<bool()>& cancelled)>
      before_plugin_call;
  // Test seam: the server's clock for the policy decisions it makes itself (consent expiry on
  // import). Empty: the system clock. Never settable by a caller.
  std::function<std::chrono::system_clock::time_point()> clock;
};

// What the server did, for tests and the benchmark.
struct ServerCounters {
  uint64_t plugin_calls = 0;  // calls that reached the plugin
  uint64_t abandoned = 0;     // calls whose work stopped because they were cancelled / expired
  uint64_t denied = 0;        // refused: unknown caller, wrong role, other municipality
  uint64_t handled = 0;       // calls that reached a handler (their request was deserialized)
  uint64_t refused_before_parsing = 0;  // refused from the certificate and method alone
  // Plugin isolation (zero in process): over every version's workers.
  uint64_t worker_crashes = 0;         // workers that died during a call
  uint64_t worker_deadline_kills = 0;  // workers killed because a call ran past its deadline
};

class Server {
 public:
  // Checks the configuration, opens the audit log, starts listening. Errors name the cause:
  // the file that is missing or unreadable, the certificate that expired, the port in use.
  static Result<std::unique_ptr<Server>> Start(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the plugin at `path` (empty: the configured or bundled plugin), negotiates, runs the
  // self-test and switches health to SERVING. On failure health stays NOT_SERVING.
  Status AttachPlugin(const std::filesystem::path& path = {});

  int port() const;  // the port actually bound (useful with "127.0.0.1:0")
  int rest_port() const;  // the REST/JSON port bound (rest.listen), 0 without one
  bool serving() const;
  ServerCounters counters() const;
  // The worker processes of the active version (empty in process), for tests and operators.
  std::vector<int> ActiveWorkerPids() const;

  // Stops accepting calls; calls still running get until `grace` to finish.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));
  void Wait();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ix::server

#endif  // IX_SERVER_SERVER_HPP
