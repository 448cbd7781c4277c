// State shared by the server and every call: configuration, audit log, the serving plugin.
#ifndef IX_SERVER_BACKEND_HPP
#define IX_SERVER_BACKEND_HPP

#include <ix/host/manager.hpp>
#include <ix/plugin.hpp>
#include <ix/server/audit.hpp>
#include <ix/server/config.hpp>

#include "limits.hpp"

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace ix::server {

class EventRecorder;  // event_recorder.hpp; null when there is no store

struct Backend {
  ServerConfig config;
  CallerMap callers;  // loaded once from the configuration at start
  std::shared_ptr<spdlog::logger> log;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<CallLimits> limits;  // per-call limits (limits.hpp), created by Server::Start
  std::shared_ptr<EventRecorder> recorder;
  std::function<void(std::string_view rpc, const std::function<bool()>& cancelled)>
      before_plugin_call;
  // The clock of the server's own policy decisions (ServerOptions::clock; tests set it).
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
  std::string request_prefix;  // random per process, so request ids from restarts differ

  std::atomic<uint64_t> next_request{0};
  std::atomic<uint64_t> plugin_calls{0};
  std::atomic<uint64_t> abandoned{0};
  std::atomic<uint64_t> denied{0};

  // Every plugin version the server has loaded (host/manager.hpp): the bundled one at start,
  // then signed bundles deployed through the PluginAdmin service. Created by Server::Start.
  std::unique_ptr<host::PluginManager> plugins;

  // The plugin that serves `municipality` now (its pin, else the active version): null until
  // the first plugin is negotiated and self-tested. Lock-free. A call holds the shared_ptr for
  // its duration, so a swap never pulls a session from under a running call.
  std::shared_ptr<const PluginSession> Plugin(const std::string& municipality = {}) const {
    if (!serving.load(std::memory_order_acquire)) return nullptr;
    return plugins->Active(municipality);
  }
  std::string NotServingReason() const {
    std::lock_guard lock(mutex);
    return not_serving_reason;
  }
  void SetServing() { serving.store(true, std::memory_order_release); }
  void SetNotServing(std::string reason) {
    std::lock_guard lock(mutex);
    not_serving_reason = std::move(reason);
  }

 private:
  std::atomic<bool> serving{false};
  mutable std::mutex mutex;
  std::string not_serving_reason = "the plugin is not loaded yet";
};

}  // namespace ix::server

#endif  // IX_SERVER_BACKEND_HPP
