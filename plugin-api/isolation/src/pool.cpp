#include <ix/isolation/pool.hpp>

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

extern char** environ;

namespace ix::isolation {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

thread_local const CallScope* current_scope = nullptr;
thread_local uint64_t crashes_on_thread = 0;
std::atomic<uint64_t> next_pool{0};

std::string Ms(Clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

// How a reaped process ended, for messages: "signal 11 (Segmentation fault)", "exit status 3".
std::string Ended(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    return "signal " + std::to_string(sig) + " (" + (name ? name : "?") + ")";
  }
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  return "status " + std::to_string(status);
}

// The environment a worker gets: nothing of the server's but the sanitizer settings, so no
// secret in an environment variable reaches the plugin.
std::vector<std::string> WorkerEnvironment() {
  std::vector<std::string> env{"LC_ALL=C.UTF-8"};
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    for (std::string_view prefix : {"ASAN_OPTIONS=", "UBSAN_OPTIONS=", "LSAN_OPTIONS="}) {
      if (entry.substr(0, prefix.size()) == prefix) env.emplace_back(entry);
    }
  }
  return env;
}

// The session's function table: every offered function forwards to the pool.
struct Proxy {
  std::shared_ptr<WorkerPool> pool;
  ix_plugin table{};
  ix_categorisation_v1 categorisation{};
  ix_forms_v1 forms{};
  std::vector<const char*> instruments;
};

template <size_t I>
ix_status Forward(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return static_cast<Proxy*>(context)->pool->Call(I, request, size, out);
}
template <size_t... I>
constexpr std::array<ix_call_fn, sizeof...(I)> MakeForwarders(std::index_sequence<I...>) {
  return {&Forward<I>...};
}
constexpr auto kForwarders = MakeForwarders(std::make_index_sequence<kFunctionCount>());

void FreeBuffer(void*, ix_buffer* buffer) {
  delete[] buffer->data;
  buffer->data = nullptr;
  buffer->size = 0;
}

void ReleaseProxy(void* context) { static_cast<Proxy*>(context)->pool->Stop(); }

const void* GetExtension(void* context, const char* id) {
  auto* proxy = static_cast<Proxy*>(context);
  if (id == nullptr) return nullptr;
  if (std::strcmp(id, IX_CATEGORISATION_EXTENSION_ID) == 0 && proxy->categorisation.struct_size > 0) {
    return &proxy->categorisation;
  }
  if (std::strcmp(id, IX_FORMS_EXTENSION_ID) == 0 && proxy->forms.struct_size > 0) return &proxy->forms;
  return nullptr;
}

void Fill(ix_buffer* out, std::string_view bytes) {
  out->data = bytes.empty() ? nullptr : new uint8_t[bytes.size()];
  if (!bytes.empty()) std::memcpy(out->data, bytes.data(), bytes.size());
  out->size = bytes.size();
}

// A failed call's buffer: 'P' and the plugin's own error bytes, or 'W', the canonical code,
// the reason, NUL and the message of a worker failure. The plugin cannot forge a 'W': its
// bytes always follow a 'P'.
Status DecodeEnvelope(ix_status status, std::string_view buffer, bool structured) {
  if (buffer.size() >= 2 && buffer.front() == 'W') {
    const auto code = static_cast<StatusCode>(static_cast<uint8_t>(buffer[1]));
    std::string_view rest = buffer.substr(2);
    const size_t nul = rest.find('\0');
    const std::string reason(rest.substr(0, nul));
    const std::string message(nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1));
    return Status(code, message).WithReason(reason);
  }
  if (!buffer.empty()) buffer.remove_prefix(1);
  return structured ? host::DecodeCallError(status, buffer) : TextError(status, buffer);
}
Status DecodeStructured(ix_status status, std::string_view buffer) {
  return DecodeEnvelope(status, buffer, true);
}
Status DecodeText(ix_status status, std::string_view buffer) {
  return DecodeEnvelope(status, buffer, false);
}

void KillGroup(pid_t pid) {
  // The worker leads its own process group: whatever the plugin forked dies with it.
  if (::kill(-pid, SIGKILL) != 0) ::kill(pid, SIGKILL);
}

}  // namespace

struct WorkerPool::Worker {
  pid_t pid = -1;
  int fd = -1;
  fs::path scratch;
  Hello hello;
  ~Worker() {
    if (fd >= 0) ::close(fd);
  }
};

CallScope::CallScope(std::string rpc, std::chrono::system_clock::time_point deadline)
    : rpc_(std::move(rpc)), deadline_(deadline), outer_(current_scope) {
  current_scope = this;
}
CallScope::~CallScope() { current_scope = outer_; }
const CallScope* CallScope::Current() { return current_scope; }

uint64_t CrashesOnThisThread() { return crashes_on_thread; }

WorkerPool::WorkerPool(fs::path plugin, host::LoadOptions load, PoolOptions options)
    : plugin_(std::move(plugin)),
      load_(std::move(load)),
      options_(std::move(options)),
      log_(options_.logger ? options_.logger : spdlog::default_logger()),
      id_(next_pool.fetch_add(1)) {}

WorkerPool::~WorkerPool() {
  Stop();
  if (supervisor_.joinable()) supervisor_.join();
}

Result<std::unique_ptr<WorkerPool::Worker>> WorkerPool::Launch() {
  auto worker = std::make_unique<Worker>();
  {
    std::lock_guard lock(mutex_);
    worker->scratch = options_.scratch_root / ("pool" + std::to_string(id_) +
                                               "-worker" + std::to_string(next_worker_++));
  }
  std::error_code ec;
  // The root is the pool's owner's (one per server process): made private when it is made.
  if (fs::create_directories(options_.scratch_root, ec)) fs::permissions(options_.scratch_root, fs::perms::owner_all, ec);
  fs::remove_all(worker->scratch, ec);
  if (!fs::create_directory(worker->scratch, ec) || ec) {
    return Status(StatusCode::kInternal, "plugin worker scratch folder " + worker->scratch.string() +
                                             ": " + (ec ? ec.message() : "not created"));
  }
  fs::permissions(worker->scratch, fs::perms::owner_all, ec);

  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return Status(StatusCode::kInternal, std::string("socketpair: ") + std::strerror(errno));
  }
  // Above the descriptors dup2 writes to, so dup2(child, 3) always clears close-on-exec.
  const int child = ::fcntl(sv[1], F_DUPFD_CLOEXEC, 10);
  ::close(sv[1]);
  worker->fd = sv[0];

  const std::vector<std::string> args = {
      options_.worker.string(),
      "--plugin", plugin_.string(),
      "--scratch", worker->scratch.string(),
      "--parent", std::to_string(::getpid()),
      "--abi-major", std::to_string(load_.abi_major),
      "--min-minor", std::to_string(load_.min_minor),
      "--max-minor", std::to_string(load_.max_minor),
      "--error-format", std::to_string(static_cast<int>(load_.error_format)),
      "--address-space-bytes", std::to_string(options_.limits.address_space_bytes),
      "--cpu-seconds", std::to_string(options_.limits.cpu_seconds),
      "--cpu-grace-seconds", std::to_string(options_.limits.cpu_grace_seconds),
      "--file-bytes", std::to_string(options_.limits.file_bytes),
      "--seccomp", options_.limits.seccomp ? "on" : "off",
      "--landlock", options_.limits.landlock ? "on" : "off"};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::vector<std::string> env = WorkerEnvironment();
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  // posix_spawn, not fork(): the server is multi-threaded, and the child must run nothing of
  // the parent's before exec.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, 2, 1);  // the plugin's stdout joins the log (stderr)
  posix_spawn_file_actions_adddup2(&actions, child, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  sigdelset(&all, SIGKILL);  // cannot be reset; glibc would try
  sigdelset(&all, SIGSTOP);
  posix_spawnattr_setsigmask(&attr, &none);  // the server blocks SIGTERM for sigwait
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);  // its own process group, killed as one
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(child);
  if (rc != 0) {
    fs::remove_all(worker->scratch, ec);
    return Status(StatusCode::kFailedPrecondition,
                  "cannot start the plugin worker " + options_.worker.string() + ": " + std::strerror(rc))
        .WithReason(kReasonPluginLoad);
  }
  worker->pid = pid;
  started_.fetch_add(1, std::memory_order_relaxed);
  return worker;
}

Status WorkerPool::Greet(Worker& worker) {
  char type = 0;
  std::string body;
  const IoOutcome got = ReadFrame(worker.fd, &type, &body, Clock::now() + options_.start_timeout);
  if (got == IoOutcome::kOk && type == kFrameHello) {
    auto hello = DecodeHello(body);
    if (!hello) return Status(StatusCode::kInternal, "plugin worker: unreadable hello");
    worker.hello = std::move(*hello);
    return Status::Ok();
  }
  if (got == IoOutcome::kOk && type == kFrameLoadFailed && body.size() >= 1) {
    std::string_view rest = std::string_view(body).substr(1);
    const size_t nul = rest.find('\0');
    const std::string reason(rest.substr(0, nul));
    const std::string message(nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1));
    return Status(static_cast<StatusCode>(static_cast<uint8_t>(body[0])), message)
        .WithReason(reason.empty() ? kReasonPluginLoad : reason);
  }
  if (got == IoOutcome::kTimeout) {
    return Status(StatusCode::kFailedPrecondition,
                  plugin_.string() + ": the plugin worker did not load the plugin within " +
                      Ms(options_.start_timeout) + " ms")
        .WithReason(kReasonPluginLoad);
  }
  return Status(StatusCode::kFailedPrecondition,
                plugin_.string() + ": the plugin worker ended while loading the plugin (" + Reap(worker) + ")")
      .WithReason(kReasonPluginLoad);
}

std::vector<Result<std::unique_ptr<WorkerPool::Worker>>> WorkerPool::StartWorkers(size_t count) {
  std::vector<Result<std::unique_ptr<Worker>>> workers;
  for (size_t i = 0; i < count; ++i) workers.push_back(Launch());
  for (auto& w : workers) {
    if (!w.ok()) continue;
    Status greeted = Greet(**w);
    if (greeted.ok() && !hello_.version.empty() &&
        ((*w)->hello.version != hello_.version || (*w)->hello.name != hello_.name)) {
      greeted = Status(StatusCode::kFailedPrecondition,
                       plugin_.string() + ": a new worker loaded " + (*w)->hello.name + " " +
                           (*w)->hello.version + ", the pool serves " + hello_.name + " " + hello_.version)
                    .WithReason(kReasonPluginLoad);
    }
    if (!greeted.ok()) {
      Retire(std::move(*w));
      w = greeted;
    }
  }
  return workers;
}

Result<std::shared_ptr<WorkerPool>> WorkerPool::Start(const fs::path& plugin, const host::LoadOptions& load,
                                                      PoolOptions options) {
  if (options.workers == 0) options.workers = 1;
  std::shared_ptr<WorkerPool> pool(new WorkerPool(plugin, load, std::move(options)));
  auto workers = pool->StartWorkers(pool->options_.workers);
  Status failed = Status::Ok();
  for (auto& w : workers) {
    if (!w.ok() && failed.ok()) failed = w.status();
  }
  if (!failed.ok()) {
    for (auto& w : workers) {
      if (w.ok()) pool->Retire(std::move(*w));
    }
    return failed;
  }
  pool->hello_ = workers.front().value()->hello;
  {
    std::lock_guard lock(pool->mutex_);
    for (auto& w : workers) pool->idle_.push_back(std::move(*w));
    pool->live_ = pool->idle_.size();
    pool->target_ = pool->options_.workers;
  }
  pool->supervisor_ = std::thread([p = pool.get()] { p->Supervise(); });
  pool->log_->info("plugin {} {}: {} isolated worker(s) started (pids {}); {}", pool->hello_.name,
                   pool->hello_.version, pool->live_, [&] {
                     std::string pids;
                     for (pid_t pid : pool->WorkerPids()) pids += (pids.empty() ? "" : ",") + std::to_string(pid);
                     return pids;
                   }(), pool->hello_.writes);
  // Once per process: every pool's workers run on the same kernel.
  static std::atomic<bool> fallback_told{false};
  if (!pool->hello_.writes_in_scratch && !fallback_told.exchange(true)) {
    pool->log_->warn("plugin workers are not confined to their scratch folders: {}", pool->hello_.writes);
  }
  return pool;
}

void WorkerPool::Supervise() {
  auto backoff = std::chrono::milliseconds(100);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const size_t have = live_ + starting_;
    if (have >= target_) {
      supervisor_cv_.wait(lock);
      continue;
    }
    const size_t need = target_ - have;
    starting_ += need;
    lock.unlock();
    auto workers = StartWorkers(need);
    lock.lock();
    starting_ -= need;
    bool failed = false;
    std::vector<std::unique_ptr<Worker>> surplus;
    for (auto& w : workers) {
      if (!w.ok()) {
        failed = true;
        log_->error("plugin {} {}: a replacement worker failed: {}", hello_.name, hello_.version,
                    w.status().message());
        continue;
      }
      if (stopping_ || live_ >= target_) {
        surplus.push_back(std::move(*w));
        continue;
      }
      idle_.push_back(std::move(*w));
      ++live_;
      idle_cv_.notify_one();
    }
    lock.unlock();
    for (auto& w : surplus) Retire(std::move(w));
    lock.lock();
    if (failed) {
      // A plugin that keeps failing to start must not turn the supervisor into a fork loop.
      supervisor_cv_.wait_for(lock, backoff, [this] { return stopping_; });
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    } else {
      backoff = std::chrono::milliseconds(100);
    }
  }
}

std::string WorkerPool::Reap(Worker& worker) {
  if (worker.pid <= 0) return "already gone";
  int status = 0;
  // A worker whose socket closed is dying: give it a moment to say how, then make sure.
  for (int i = 0; i < 50; ++i) {
    rusage usage{};
    const pid_t r = ::wait4(worker.pid, &status, WNOHANG, &usage);
    if (r == worker.pid) {
      worker.pid = -1;
      // The kernel's SIGKILL at the hard RLIMIT_CPU looks like any other: the CPU time says it.
      const uint64_t hard = options_.limits.cpu_seconds + options_.limits.cpu_grace_seconds;
      const auto cpu = static_cast<uint64_t>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec);
      if (options_.limits.cpu_seconds > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && cpu + 1 >= hard) {
        return Ended(status) + " at its CPU-time limit (" + std::to_string(hard) + " s of CPU: " +
               std::to_string(options_.limits.cpu_seconds) + " s budget + " +
               std::to_string(options_.limits.cpu_grace_seconds) + " s to finish a call)";
      }
      return Ended(status);
    }
    if (r < 0 && errno != EINTR) {
      worker.pid = -1;
      return "already reaped";
    }
    ::usleep(4000);
  }
  KillGroup(worker.pid);
  while (::waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
  }
  worker.pid = -1;
  return Ended(status) + ", after it stopped answering";
}

void WorkerPool::Retire(std::unique_ptr<Worker> worker) {
  if (!worker) return;
  if (worker->fd >= 0) {
    ::close(worker->fd);
    worker->fd = -1;
  }
  if (worker->pid > 0) {
    KillGroup(worker->pid);
    int status = 0;
    while (::waitpid(worker->pid, &status, 0) < 0 && errno == EINTR) {
    }
    worker->pid = -1;
  }
  std::error_code ec;
  fs::remove_all(worker->scratch, ec);
}

void WorkerPool::Lost(std::unique_ptr<Worker> worker) {
  std::error_code ec;
  fs::remove_all(worker->scratch, ec);
  std::lock_guard lock(mutex_);
  --live_;
  supervisor_cv_.notify_one();
}

ix_status WorkerPool::Fail(ix_buffer* out, StatusCode code, const char* reason, const std::string& message) {
  std::string envelope = "W";
  envelope.push_back(static_cast<char>(static_cast<uint8_t>(code)));
  envelope.append(reason);
  envelope.push_back('\0');
  envelope.append(message);
  Fill(out, envelope);
  return IX_ERR_INTERNAL;
}

ix_status WorkerPool::Call(size_t function, const uint8_t* request, size_t size, ix_buffer* out) {
  *out = ix_buffer{nullptr, 0};
  calls_.fetch_add(1, std::memory_order_relaxed);
  const Clock::time_point now = Clock::now();
  last_call_.store(now.time_since_epoch().count(), std::memory_order_relaxed);
  Clock::time_point deadline = now + options_.max_call;
  bool callers_deadline = false;
  const CallScope* scope = CallScope::Current();
  if (scope != nullptr) {
    const auto left = scope->deadline() - std::chrono::system_clock::now();
    if (left < options_.max_call) {
      deadline = now + std::chrono::duration_cast<Clock::duration>(left);
      callers_deadline = true;
    }
  }
  const std::string rpc = scope != nullptr ? scope->rpc() : kFunctions[function].name;
  const std::string budget = Ms(deadline - now) + " ms (" +
                             (callers_deadline ? "the call's deadline" : "the server's maximum") + ")";

  std::unique_ptr<Worker> worker;
  while (!worker) {
    {
      std::unique_lock lock(mutex_);
      if (!stopping_ && target_ == 0) {  // drained earlier: serving again
        target_ = options_.workers;
        supervisor_cv_.notify_one();
      }
      if (!idle_cv_.wait_until(lock, deadline, [this] { return stopping_ || !idle_.empty(); })) {
        return Fail(out, StatusCode::kDeadlineExceeded, kReasonPluginDeadline,
                    rpc + ": no plugin worker became free within " + budget + "; " +
                        std::to_string(live_) + " worker(s), all busy");
      }
      if (stopping_) {
        return Fail(out, StatusCode::kUnavailable, kReasonPoolStopped,
                    rpc + ": the plugin workers are stopping (the server is shutting down)");
      }
      worker = std::move(idle_.front());
      idle_.pop_front();
      busy_.insert(worker->pid);
    }
    // An idle worker has nothing to say: readable means it died (or broke) between calls. It
    // is replaced without costing this call anything.
    pollfd p{worker->fd, POLLIN, 0};
    if (::poll(&p, 1, 0) != 0) {
      const pid_t pid = worker->pid;
      const std::string how = Reap(*worker);
      {
        std::lock_guard lock(mutex_);
        busy_.erase(pid);
      }
      Lost(std::move(worker));
      log_->warn("plugin {} worker pid {} ended while idle ({}); replacing it", hello_.version, pid, how);
    }
  }
  const pid_t pid = worker->pid;
  std::string head(2, '\0');
  head[0] = static_cast<char>(function & 0xff);
  head[1] = static_cast<char>((function >> 8) & 0xff);
  IoOutcome io = WriteFrame(worker->fd, kFrameCall, head,
                            std::string_view(reinterpret_cast<const char*>(request), size), deadline);
  char type = 0;
  std::string body;
  if (io == IoOutcome::kOk) io = ReadFrame(worker->fd, &type, &body, deadline);

  if (io == IoOutcome::kOk && type == kFrameResult && body.size() >= 5) {
    const auto status = static_cast<ix_status>(GetU32(body));
    const auto flags = static_cast<uint8_t>(body[4]);
    bool retire = false;
    {
      std::lock_guard lock(mutex_);
      busy_.erase(pid);
      if ((flags & kResultRetiring) != 0 || stopping_ || live_ > target_) {
        --live_;
        retire = true;
        supervisor_cv_.notify_one();
      } else {
        idle_.push_back(std::move(worker));
        idle_cv_.notify_one();
      }
    }
    if (retire) Retire(std::move(worker));
    if ((flags & kResultRetiring) != 0) {
      cpu_retirements_.fetch_add(1, std::memory_order_relaxed);
      log_->warn("plugin {} worker pid {} spent its CPU-time budget ({} s) during {}: it answered, was retired "
                 "and is being replaced",
                 hello_.version, pid, options_.limits.cpu_seconds, rpc);
    }
    const std::string_view bytes = std::string_view(body).substr(5);
    if (status == IX_OK) {
      Fill(out, bytes);
    } else {
      std::string envelope = "P";
      envelope.append(bytes);
      Fill(out, envelope);
    }
    return status;
  }

  {
    std::lock_guard lock(mutex_);
    busy_.erase(pid);
  }
  const std::string version = hello_.version;
  if (io == IoOutcome::kTimeout) {
    KillGroup(pid);
    Reap(*worker);
    Lost(std::move(worker));
    deadline_kills_.fetch_add(1, std::memory_order_relaxed);
    log_->warn("plugin {} worker pid {} killed: {} ran past {}", version, pid, rpc, budget);
    if (options_.on_failure) {
      options_.on_failure({WorkerFailure::Kind::kDeadline, version, pid, "no answer within " + budget});
    }
    return Fail(out, StatusCode::kDeadlineExceeded, kReasonPluginDeadline,
                rpc + ": the plugin did not answer within " + budget + "; its worker (pid " +
                    std::to_string(pid) + ") was killed and is being replaced");
  }
  const std::string how = Reap(*worker);
  Lost(std::move(worker));
  bool stopping = false;
  {
    std::lock_guard lock(mutex_);
    stopping = stopping_;
  }
  if (stopping) {
    return Fail(out, StatusCode::kUnavailable, kReasonPoolStopped,
                rpc + ": the call was ended: the server is shutting down and stopped its plugin worker");
  }
  crashes_.fetch_add(1, std::memory_order_relaxed);
  ++crashes_on_thread;
  log_->error("plugin {} worker pid {} crashed during {}: {}; replacing it", version, pid, rpc, how);
  if (options_.on_failure) options_.on_failure({WorkerFailure::Kind::kCrashed, version, pid, how});
  return Fail(out, StatusCode::kInternal, kReasonWorkerCrashed,
              rpc + ": the plugin worker (pid " + std::to_string(pid) + ", version " + version +
                  ") crashed during the call: " + how + "; it is being replaced, other calls go on");
}

void WorkerPool::Drain() {
  std::deque<std::unique_ptr<Worker>> idle;
  {
    std::lock_guard lock(mutex_);
    if (target_ == 0 || stopping_) return;
    target_ = 0;
    idle.swap(idle_);
    live_ -= idle.size();
  }
  for (auto& w : idle) Retire(std::move(w));
  log_->info("plugin {} {}: workers drained (no longer serving)", hello_.name, hello_.version);
}

void WorkerPool::Stop() {
  std::deque<std::unique_ptr<Worker>> idle;
  std::set<pid_t> busy;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    idle.swap(idle_);
    live_ -= idle.size();
    busy = busy_;
  }
  idle_cv_.notify_all();
  supervisor_cv_.notify_all();
  // Busy workers: their callers see the socket close, reap them and answer UNAVAILABLE.
  for (pid_t pid : busy) KillGroup(pid);
  for (auto& w : idle) Retire(std::move(w));
}

PoolCounters WorkerPool::counters() const {
  PoolCounters c;
  c.calls = calls_.load();
  c.crashes = crashes_.load();
  c.deadline_kills = deadline_kills_.load();
  c.cpu_retirements = cpu_retirements_.load();
  c.started = started_.load();
  std::lock_guard lock(mutex_);
  c.live = live_;
  return c;
}

Clock::duration WorkerPool::IdleFor() const {
  return Clock::now() - Clock::time_point(Clock::duration(last_call_.load(std::memory_order_relaxed)));
}

std::vector<pid_t> WorkerPool::WorkerPids() const {
  std::lock_guard lock(mutex_);
  std::vector<pid_t> pids(busy_.begin(), busy_.end());
  for (const auto& w : idle_) pids.push_back(w->pid);
  return pids;
}

Result<PluginSession> LoadIsolated(const fs::path& plugin, const host::LoadOptions& load,
                                   const PoolOptions& options) {
  auto pool = WorkerPool::Start(plugin, load, options);
  if (!pool.ok()) return pool.status();
  auto proxy = std::make_shared<Proxy>();
  proxy->pool = std::move(*pool);
  const Hello& hello = proxy->pool->hello();
  for (const auto& i : hello.instruments) proxy->instruments.push_back(i.c_str());
  ix_plugin& t = proxy->table;
  t.struct_size = sizeof(ix_plugin);
  t.abi_major = hello.abi_major;
  t.abi_minor = hello.abi_minor;
  t.plugin_name = hello.name.c_str();
  t.plugin_version = hello.version.c_str();
  t.instruments = proxy->instruments.data();
  t.instrument_count = proxy->instruments.size();
  t.context = proxy.get();
  t.free_buffer = &FreeBuffer;
  t.get_extension = &GetExtension;
  t.release = &ReleaseProxy;
  // The extension tables say what the plugin's say: the same struct_size (as far as this host
  // knows the table) and a pointer where the plugin has one.
  proxy->categorisation.struct_size = std::min<uint32_t>(
      hello.struct_size[static_cast<size_t>(TableId::kCategorisation)], sizeof(ix_categorisation_v1));
  proxy->forms.struct_size =
      std::min<uint32_t>(hello.struct_size[static_cast<size_t>(TableId::kForms)], sizeof(ix_forms_v1));
  for (size_t i = 0; i < kFunctionCount; ++i) {
    if ((hello.available & (uint64_t{1} << i)) == 0) continue;
    char* base = nullptr;
    switch (kFunctions[i].table) {
      case TableId::kBase: base = reinterpret_cast<char*>(&proxy->table); break;
      case TableId::kCategorisation: base = reinterpret_cast<char*>(&proxy->categorisation); break;
      case TableId::kForms: base = reinterpret_cast<char*>(&proxy->forms); break;
    }
    const ix_call_fn fn = kForwarders[i];
    std::memcpy(base + kFunctions[i].offset, &fn, sizeof fn);
  }
  const auto format = static_cast<ix_error_format>(hello.error_format);
  const Proxy* raw = proxy.get();
  return PluginSession(&raw->table, std::move(proxy), plugin.string(),
                       format == IX_ERROR_FORMAT_CALL_ERROR ? &DecodeStructured : &DecodeText, format);
}

std::shared_ptr<WorkerPool> PoolOf(const PluginSession& session) {
  if (session.table().release != &ReleaseProxy) return nullptr;
  return static_cast<Proxy*>(session.table().context)->pool;
}

fs::path DefaultWorkerPath() {
  if (const char* env = std::getenv("IX_PLUGIN_WORKER"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate : {self.parent_path() / "ix-plugin-worker",
                                      self.parent_path().parent_path() / "lib/instrument-x/ix-plugin-worker"}) {
      if (fs::exists(candidate, ec)) return candidate;
    }
  }
  return IX_BUILD_WORKER_PATH;
}

}  // namespace ix::isolation
