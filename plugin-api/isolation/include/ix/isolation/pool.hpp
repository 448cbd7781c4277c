// Plugin isolation: a plugin version served by a pool of supervised worker processes
// (ix-plugin-worker) instead of inside the host process.
//
// LoadIsolated() starts the workers, each of which loads the plugin with the host library's
// loader (the C ABI and the plugin are unchanged), and returns an ordinary PluginSession whose
// function table forwards every call — base and extension functions — to a free worker over a
// Unix-domain socket. Everything written against PluginSession (the self-test, the server's
// calls, the vendor adapters' plugin data) therefore runs against the workers unchanged.
//
// Supervision: a worker that dies during a call (a crash) or does not answer before the call's
// deadline (its process group is killed with SIGKILL) is replaced in the background; that call
// fails with INTERNAL (reason IX_WORKER_CRASHED) or DEADLINE_EXCEEDED (IX_PLUGIN_DEADLINE),
// naming the RPC; every other call goes on on the other workers. A worker that has spent its
// CPU-time budget (WorkerLimits::cpu_seconds) answers the call it is in, then is retired and
// replaced: that call keeps its answer.
//
// Each worker gets a folder of its own below PoolOptions::scratch_root (mode 0700, removed when
// the worker ends) as working directory, and may write files there only (Landlock).
//
// Deadlines: a call's deadline is the one the calling thread declared with a CallScope (the
// server declares the gRPC deadline), bounded by PoolOptions::max_call.
#ifndef IX_ISOLATION_POOL_HPP
#define IX_ISOLATION_POOL_HPP

#include <ix/host/loader.hpp>
#include <ix/isolation/protocol.hpp>
#include <ix/plugin.hpp>

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ix::isolation {

inline constexpr const char* kReasonWorkerCrashed = "IX_WORKER_CRASHED";
inline constexpr const char* kReasonPluginDeadline = "IX_PLUGIN_DEADLINE";
inline constexpr const char* kReasonPoolStopped = "IX_WORKERS_STOPPED";

// The limits each worker applies to itself before it loads the plugin (sandbox.cpp of the
// worker; docs/operations.md "Plugin isolation" lists exactly what is enforced).
struct WorkerLimits {
  uint64_t address_space_bytes = 2ull << 30;  // RLIMIT_AS
  uint64_t cpu_seconds = 3600;                // RLIMIT_CPU: at the soft limit the worker retires
  // The hard RLIMIT_CPU is this much above: a call still running then is killed by the kernel
  // (a crash of that call, named as the CPU-time limit).
  uint64_t cpu_grace_seconds = 60;
  uint64_t file_bytes = 16ull << 20;          // RLIMIT_FSIZE
  bool seccomp = true;                        // no network, no exec, no file metadata changes
  // Landlock: files may be written below the worker's scratch folder only. Where the kernel has
  // no Landlock (or this is false) the seccomp filter refuses every file write instead.
  bool landlock = true;
};

struct WorkerFailure {
  enum class Kind { kCrashed, kDeadline };
  Kind kind;
  std::string version;  // the plugin version the worker served
  pid_t pid;
  std::string what;     // "signal 11 (Segmentation fault)", "no answer within 2000 ms"
};

struct PoolOptions {
  std::filesystem::path worker;        // the ix-plugin-worker executable
  std::filesystem::path scratch_root;  // each worker gets its own folder below it (0700)
  size_t workers = 4;
  std::chrono::milliseconds max_call{30000};       // no call runs longer in a worker
  std::chrono::milliseconds start_timeout{15000};  // for a worker to load the plugin and say hello
  WorkerLimits limits;
  std::shared_ptr<spdlog::logger> logger;  // null: spdlog's default logger
  // Called (on the calling thread) after a worker was lost during a call.
  std::function<void(const WorkerFailure&)> on_failure;
};

struct PoolCounters {
  uint64_t calls = 0;
  uint64_t crashes = 0;
  uint64_t deadline_kills = 0;
  uint64_t cpu_retirements = 0;  // workers that spent their CPU-time budget and were replaced
  uint64_t started = 0;          // worker processes started over the pool's life
  size_t live = 0;       // workers now running (idle or busy)
};

// The calling thread's RPC: its name (for messages) and its deadline. Scopes nest; the
// innermost applies. Without one, a call gets PoolOptions::max_call and the function's name.
class CallScope {
 public:
  CallScope(std::string rpc, std::chrono::system_clock::time_point deadline);
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  static const CallScope* Current();
  const std::string& rpc() const { return rpc_; }
  std::chrono::system_clock::time_point deadline() const { return deadline_; }

 private:
  std::string rpc_;
  std::chrono::system_clock::time_point deadline_;
  const CallScope* outer_;
};

// How many worker crashes the calls made on this thread have met, over the thread's life. A
// caller compares it before and after some work to know whether a worker crashed during it,
// whatever the work turned the failure into (ix-server's retry rule, Backend::WithRetryAfterCrash).
uint64_t CrashesOnThisThread();

class WorkerPool {
 public:
  // Starts options.workers workers of `plugin` and waits for every one to load it. A plugin
  // that does not load fails like host::LoadPlugin (reason kReasonPluginLoad, the loader's code
  // and message, as the worker reported them).
  static Result<std::shared_ptr<WorkerPool>> Start(const std::filesystem::path& plugin,
                                                   const host::LoadOptions& load,
                                                   PoolOptions options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // One call of kFunctions[function] in a worker, with ix_call_fn's contract. On a worker
  // failure the status is IX_ERR_INTERNAL and the buffer an envelope the session's decoder
  // turns into the precise Status (see DecodeError in pool.cpp).
  ix_status Call(size_t function, const uint8_t* request, size_t size, ix_buffer* out);

  // Lets the workers go once their calls are done (the version no longer serves). A later
  // call starts workers again.
  void Drain();
  // Kills every worker now, busy or not; calls in flight fail with UNAVAILABLE. Final.
  void Stop();

  const Hello& hello() const { return hello_; }
  const std::filesystem::path& plugin() const { return plugin_; }
  PoolCounters counters() const;
  // Time since the last call started (or since the pool started).
  std::chrono::steady_clock::duration IdleFor() const;
  std::vector<pid_t> WorkerPids() const;

 private:
  struct Worker;
  WorkerPool(std::filesystem::path plugin, host::LoadOptions load, PoolOptions options);

  // Starts `count` worker processes and waits for their hellos (in parallel).
  std::vector<Result<std::unique_ptr<Worker>>> StartWorkers(size_t count);
  Result<std::unique_ptr<Worker>> Launch();
  Status Greet(Worker& worker);
  void Supervise();
  void Retire(std::unique_ptr<Worker> worker);  // kill, reap, remove its scratch folder
  std::string Reap(Worker& worker);             // waits for the process; how it ended
  void Lost(std::unique_ptr<Worker> worker);    // after a failure: forget it, replace it
  ix_status Fail(ix_buffer* out, StatusCode code, const char* reason, const std::string& message);

  const std::filesystem::path plugin_;
  const host::LoadOptions load_;
  const PoolOptions options_;
  Hello hello_;
  std::shared_ptr<spdlog::logger> log_;
  const uint64_t id_;  // names the workers' scratch folders

  mutable std::mutex mutex_;
  std::condition_variable idle_cv_;        // a worker became idle, or the pool stopped
  std::condition_variable supervisor_cv_;  // the supervisor has work
  std::deque<std::unique_ptr<Worker>> idle_;
  std::set<pid_t> busy_;
  size_t live_ = 0;      // idle + busy
  size_t starting_ = 0;  // being started by the supervisor
  size_t target_ = 0;
  bool stopping_ = false;
  uint64_t next_worker_ = 0;
  std::thread supervisor_;

  std::atomic<uint64_t> calls_{0}, crashes_{0}, deadline_kills_{0}, cpu_retirements_{0}, started_{0};
  std::atomic<std::chrono::steady_clock::rep> last_call_{std::chrono::steady_clock::now().time_since_epoch().count()};
};

// A PluginSession backed by a new pool of workers of `plugin`: same name, version,
// instruments, negotiated ABI and error format as in process, origin = the plugin's path.
Result<PluginSession> LoadIsolated(const std::filesystem::path& plugin, const host::LoadOptions& load,
                                   const PoolOptions& options);

// The pool behind a session made by LoadIsolated; null for an in-process session.
std::shared_ptr<WorkerPool> PoolOf(const PluginSession& session);

// The worker executable installed with this host: IX_PLUGIN_WORKER if set, else next to the
// running executable, else ../lib/instrument-x/ beside it (the Debian layout), else the build
// tree's.
std::filesystem::path DefaultWorkerPath();

}  // namespace ix::isolation

#endif  // IX_ISOLATION_POOL_HPP
