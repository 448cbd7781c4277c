// ix-server's side of plugin isolation: which versions have workers, probation after a deploy,
// the automatic rollback, and stopping every worker at shutdown. The pools themselves are the
// host-side library's (ix/isolation/pool.hpp).
#include "backend.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <set>

namespace ix::server {
namespace {

using Clock = std::chrono::steady_clock;

// How the version that is now active became active: "activate" (a deploy), "rollback",
// "restore" or "start", from the newest history record that activated it.
std::string LastActivation(const host::PluginManager& plugins, const std::string& version) {
  const auto history = plugins.History();
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->version != version) continue;
    if (it->action == "activate" || it->action == "rollback" || it->action == "restore" ||
        it->action == "start") {
      return it->action;
    }
  }
  return {};
}

}  // namespace

std::filesystem::path Backend::ScratchRoot() const {
  // Always a folder of this server process's own below the base, so that neither its mode
  // (0700) nor its removal at shutdown can touch a folder the operator named (even /tmp).
  std::filesystem::path base = config.isolation().scratch_dir();
  // Unset: the server's runtime folder when systemd gives it one (a tmpfs that systemd empties
  // when the service stops, even after a crash), else its state folder, else the temporary one.
  for (const char* variable : {"RUNTIME_DIRECTORY", "STATE_DIRECTORY"}) {
    const char* value = std::getenv(variable);
    if (!base.empty() || value == nullptr || *value == '\0') continue;
    base = std::string(value, std::strcspn(value, ":"));  // systemd lists several with ':'
  }
  if (base.empty()) base = std::filesystem::temp_directory_path();
  return base / ("ix-worker-scratch-" + std::to_string(::getpid()) + "-" + request_prefix);
}

std::function<Result<PluginSession>(const std::filesystem::path&, const host::LoadOptions&)>
Backend::WorkerLoader() {
  const IsolationConfig& c = config.isolation();
  isolation::PoolOptions pool;
  pool.worker = c.worker().empty() ? isolation::DefaultWorkerPath() : std::filesystem::path(c.worker());
  pool.scratch_root = scratch_root;
  pool.workers = c.workers();
  pool.max_call = std::chrono::milliseconds(c.max_call_ms());
  pool.limits.address_space_bytes = c.worker_memory_bytes();
  pool.limits.cpu_seconds = c.worker_cpu_seconds();
  pool.limits.file_bytes = c.worker_file_bytes();
  pool.logger = log;
  pool.on_failure = [this](const isolation::WorkerFailure& failure) { OnWorkerFailure(failure); };
  return [this, pool](const std::filesystem::path& plugin, const host::LoadOptions& load) -> Result<PluginSession> {
    auto session = isolation::LoadIsolated(plugin, load, pool);
    if (session.ok()) {
      std::lock_guard lock(pools_mutex_);
      pools_.push_back(isolation::PoolOf(*session));
    }
    return session;
  };
}

void Backend::NoteActive() const {
  const auto active = plugins->Active();
  if (active.get() == seen_active_.load(std::memory_order_acquire)) return;
  std::lock_guard lock(switch_mutex_);
  if (active.get() == seen_active_.load(std::memory_order_acquire)) return;
  // A deploy opens a probation; it lasts its time even when another switch (the automatic
  // rollback itself) follows, so a call still running on the deployed version is retried.
  const auto probation_ms = config.isolation().probation_ms();
  if (active && last_active_ && probation_ms > 0 &&
      LastActivation(*plugins, std::string(active->version())) == "activate") {
    auto next = std::make_shared<Probation>();
    next->version = active;
    next->previous = last_active_;
    next->until = Clock::now() + std::chrono::milliseconds(probation_ms);
    probation_.store(next);
  }
  last_active_ = active;
  seen_active_.store(active.get(), std::memory_order_release);
}

std::shared_ptr<const PluginSession> Backend::RetryAfterCrash(const PluginSession& crashed) const {
  const auto probation = probation_.load();
  if (!probation || probation->version.get() != &crashed || Clock::now() > probation->until) {
    return nullptr;
  }
  return probation->previous;
}

void Backend::OnWorkerFailure(const isolation::WorkerFailure& failure) {
  if (failure.kind != isolation::WorkerFailure::Kind::kCrashed) return;
  const auto probation = probation_.load();
  const uint32_t limit = config.isolation().rollback_crashes();
  if (!probation || limit == 0 || probation->version->version() != failure.version) return;
  const auto now = Clock::now();
  if (now > probation->until) return;
  size_t crashes = 0;
  {
    std::lock_guard lock(probation->mutex);
    if (probation->rolled_back) return;
    const auto window = std::chrono::milliseconds(config.isolation().rollback_window_ms());
    probation->crashes.push_back(now);
    while (!probation->crashes.empty() && now - probation->crashes.front() > window) {
      probation->crashes.pop_front();
    }
    crashes = probation->crashes.size();
    if (crashes <= limit) return;
    probation->rolled_back = true;
  }
  AutoRollback(probation, crashes);
}

void Backend::AutoRollback(const std::shared_ptr<Probation>& probation, size_t crashes) {
  const std::string version(probation->version->version());
  const std::string why = std::to_string(crashes) + " worker crashes within " +
                          std::to_string(config.isolation().rollback_window_ms()) +
                          " ms (isolation.rollback_crashes " +
                          std::to_string(config.isolation().rollback_crashes()) + ")";
  AuditRecord record{
      .request_id = request_prefix + "-auto-" +
                    std::to_string(next_request.fetch_add(1, std::memory_order_relaxed)),
      .caller = "ix-server",
      .municipality = "",
      .rpc = "PluginAdmin.AutomaticRollback",
      .household = "",
      .outcome = "OK",
      .detail = "version=" + version + " crashes=" + std::to_string(crashes),
  };
  if (plugins->Active().get() != probation->version.get()) {
    log->warn("plugin {}: {}, but it no longer serves: nothing to roll back", version, why);
    return;
  }
  auto rolled = plugins->Rollback();
  if (!rolled.ok()) {
    record.outcome = "FAILED_PRECONDITION";
    log->error("plugin {}: {}; automatic rollback failed: {}", version, why, rolled.status().message());
  } else {
    record.detail += " previous=" + *rolled;
    log->error("plugin {}: {}; rolled back automatically to {}", version, why, *rolled);
  }
  audit->Record(record);
}

void Backend::DrainUnusedVersions() {
  if (!plugins || plugins->Active() == nullptr) return;
  NoteActive();
  std::set<const isolation::WorkerPool*> keep;
  auto hold = [&keep](const std::shared_ptr<const PluginSession>& session) {
    if (!session) return;
    if (auto pool = isolation::PoolOf(*session)) keep.insert(pool.get());
  };
  hold(plugins->Active());
  for (const auto& [municipality, version] : plugins->Pins()) hold(plugins->Active(municipality));
  if (const auto probation = probation_.load()) hold(probation->previous);
  std::lock_guard lock(pools_mutex_);
  for (const auto& weak : pools_) {
    // Not while it is still being self-tested or just served a call: a second of quiet first.
    if (auto pool = weak.lock();
        pool && keep.count(pool.get()) == 0 && pool->IdleFor() > std::chrono::seconds(1)) {
      pool->Drain();
    }
  }
}

std::vector<std::shared_ptr<isolation::WorkerPool>> Backend::Pools() {
  std::vector<std::shared_ptr<isolation::WorkerPool>> pools;
  std::lock_guard lock(pools_mutex_);
  for (const auto& weak : pools_) {
    if (auto pool = weak.lock()) pools.push_back(std::move(pool));
  }
  return pools;
}

void Backend::StopWorkers() {
  for (const auto& pool : Pools()) pool->Stop();
}

}  // namespace ix::server
