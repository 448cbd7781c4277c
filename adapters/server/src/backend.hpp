// State shared by the server and every call: configuration, audit log, the serving plugin.
#ifndef IX_SERVER_BACKEND_HPP
#define IX_SERVER_BACKEND_HPP

#include <ix/host/manager.hpp>
#include <ix/host/rolling.hpp>
#include <ix/isolation/pool.hpp>
#include <ix/plugin.hpp>
#include <ix/server/audit.hpp>
#include <ix/server/config.hpp>

#include "limits.hpp"

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  // The REST port hands each request to the gRPC service in process (rest.cpp) with the
  // caller's certificate identities as metadata and this secret, random per process (empty:
  // no REST port). Call::Authorise believes those identities only with the secret, so no
  // network client can claim one.
  std::string rest_secret;

  std::atomic<uint64_t> next_request{0};
  std::atomic<uint64_t> plugin_calls{0};
  std::atomic<uint64_t> abandoned{0};
  std::atomic<uint64_t> denied{0};

  // Every plugin version the server has loaded (host/manager.hpp): the bundled one at start,
  // then signed bundles deployed through the PluginAdmin service. Created by Server::Start.
  std::unique_ptr<host::PluginManager> plugins;
  // With a plugin state shared by replicas (store_postgresql and updates.install_root): the
  // admin changes go through it and a follower applies the others' (admin_service.hpp).
  std::unique_ptr<host::RollingUpdates> rolling;

  // The plugin that serves `municipality` now (its pin, else the active version): null until
  // the first plugin is negotiated and self-tested. Lock-free. A call holds the shared_ptr for
  // its duration, so a swap never pulls a session from under a running call.
  std::shared_ptr<const PluginSession> Plugin(const std::string& municipality = {}) const {
    if (bound_plugin_) return bound_plugin_;  // this thread's call already chose (WithRetryAfterCrash)
    if (!serving.load(std::memory_order_acquire)) return nullptr;
    NoteActive();
    return plugins->Active(municipality);
  }
  // --- Plugin isolation (isolation.cpp) -----------------------------------------------------

  // A version freshly activated by a deploy: its worker crashes are counted, and more than
  // isolation.rollback_crashes within isolation.rollback_window_ms roll it back. A call that
  // crashed one of its workers is retried on `previous` (plugin functions have no side
  // effects: the server records events only after the answer).
  struct Probation {
    std::shared_ptr<const PluginSession> version;
    std::shared_ptr<const PluginSession> previous;
    std::chrono::steady_clock::time_point until;
    std::mutex mutex;
    std::deque<std::chrono::steady_clock::time_point> crashes;
    bool rolled_back = false;
  };

  // The loader the plugin manager uses in "workers" mode: every version gets its own pool.
  std::function<Result<PluginSession>(const std::filesystem::path&, const host::LoadOptions&)>
  WorkerLoader();
  // Where a call that crashed a worker of `crashed` may be retried: the previous version while
  // `crashed` is on probation, else null.
  std::shared_ptr<const PluginSession> RetryAfterCrash(const PluginSession& crashed) const;
  // The one retry rule for every call that crosses into the plugin, the canonical service's
  // (Call::CallPlugin) and the vendor adapters' (adapter_gate.cpp) alike: `attempt(session)`
  // runs with `plugin` bound as this thread's serving plugin, so whatever asks Plugin() during
  // it (the adapters' definition sources) gets that same version; when it failed and a worker
  // crashed during it (the failure may have been turned into anything by then) and RetryAfterCrash
  // names a previous version, it runs once more bound to that one. `*note` then says so, for
  // the audit record's detail.
  template <typename Attempt>
  auto WithRetryAfterCrash(const std::shared_ptr<const PluginSession>& plugin, Attempt&& attempt,
                           std::string* note) const {
    const uint64_t crashes = isolation::CrashesOnThisThread();
    auto result = Bound(plugin, attempt);
    if (!result.ok() && isolation::CrashesOnThisThread() != crashes) {
      if (auto previous = RetryAfterCrash(*plugin)) {
        result = Bound(previous, attempt);
        if (result.ok()) *note = "answered by " + std::string(previous->version()) + " after a crash";
      }
    }
    return result;
  }
  // Counts a worker failure against the version on probation; rolls it back when it crashed
  // too often (logged and audited).
  void OnWorkerFailure(const isolation::WorkerFailure& failure);
  // Lets the workers of versions that serve nobody (not active, not pinned, not the fallback
  // of a probation) go.
  void DrainUnusedVersions();
  // Kills every worker of every version (shutdown: calls stuck in the plugin end).
  void StopWorkers();
  // Every version's pool still alive.
  std::vector<std::shared_ptr<isolation::WorkerPool>> Pools();
  std::filesystem::path scratch_root;  // ScratchRoot() in "workers" mode; removed when the server stops
  // Where the workers' scratch folders go: a folder of this server process below
  // isolation.scratch_dir, else below systemd's RuntimeDirectory=, else StateDirectory=, else
  // the temporary folder.
  std::filesystem::path ScratchRoot() const;

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
  template <typename Attempt>
  static auto Bound(const std::shared_ptr<const PluginSession>& plugin, Attempt& attempt) {
    struct Binding {
      explicit Binding(std::shared_ptr<const PluginSession> p) : outer(std::exchange(bound_plugin_, std::move(p))) {}
      ~Binding() { bound_plugin_ = std::move(outer); }
      std::shared_ptr<const PluginSession> outer;
    } binding(plugin);
    return attempt(*plugin);
  }
  static inline thread_local std::shared_ptr<const PluginSession> bound_plugin_;

  // Notices a switch of the active version (a deploy, a rollback) on the first call that sees
  // it, and opens or closes the probation.
  void NoteActive() const;
  void AutoRollback(const std::shared_ptr<Probation>& probation, size_t crashes);

  mutable std::atomic<std::shared_ptr<Probation>> probation_;
  mutable std::atomic<const PluginSession*> seen_active_{nullptr};
  mutable std::mutex switch_mutex_;
  mutable std::shared_ptr<const PluginSession> last_active_;
  std::mutex pools_mutex_;
  std::vector<std::weak_ptr<isolation::WorkerPool>> pools_;

  std::atomic<bool> serving{false};
  mutable std::mutex mutex;
  std::string not_serving_reason = "the plugin is not loaded yet";
};

}  // namespace ix::server

#endif  // IX_SERVER_BACKEND_HPP
