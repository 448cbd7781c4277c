#include <ix/server/server.hpp>
#include <ix/server/self_test.hpp>

#include <ix/base/crypto.hpp>
#include <ix/base/json.hpp>
#include <ix/host/loader.hpp>
#include <ix/host/manager.hpp>
#include <ix/selftest/golden.hpp>

#include "adapter_gate.hpp"
#include "admission.hpp"
#include "backend.hpp"
#include "limits.hpp"
#ifdef IX_SERVER_WITH_STORE
#include "event_recorder.hpp"

#include <ix/store/event_store.hpp>
#endif
#include "admin_service.hpp"
#include "key_check.hpp"
#include "grpc/health/v1/health.pb.h"
#include "rest.hpp"
#include "ix/v1/admin_service.pb.h"
#include "ix/v1/service.pb.h"
#include "service.hpp"
#include "tls_check.hpp"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <stop_token>
#include <thread>
#include <cstring>
#include <mutex>
#include <thread>

namespace ix::server {
namespace {

// The health-check service names: "" (the whole server) and the canonical service.
constexpr const char* kServiceName = "ix.v1.InstrumentService";
constexpr const char* kAdminServiceName = "ix.v1.PluginAdmin";

// Tries to bind the address the way gRPC will, to report *why* it cannot listen (the port is
// in use, the address is not local …) instead of gRPC's generic failure.
Status ProbeListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    return Status(StatusCode::kInvalidArgument,
                  "listen: cannot resolve '" + host + "': " + gai_strerror(rc));
  }
  Status result = Status::Ok();
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0) {
      const int err = errno;
      result = Status(StatusCode::kUnavailable,
                      "cannot listen on " + listen + ": " + std::strerror(err) +
                          (err == EADDRINUSE ? " (another process uses the port; choose another "
                                               "with --listen)"
                                             : ""))
                   .WithReason(kReasonListen);
    }
    ::close(fd);
    if (!result.ok()) break;
  }
  freeaddrinfo(found);
  return result;
}

std::string RandomPrefix() {
  char bytes[3];
  randombytes_buf(bytes, sizeof bytes);
  return base::crypto::ToHex(std::string_view(bytes, sizeof bytes));
}

// Mutual TLS from the configured files (checked with OpenSSL first, so a bad file is named),
// or plaintext on loopback when the configuration asks for it.
Result<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(const ServerConfig& config,
                                                                 spdlog::logger& log) {
  if (config.insecure_loopback()) {
    log.warn("plaintext on loopback ({}): every call acts as caller '{}'", config.listen(),
             config.loopback_caller());
    return grpc::InsecureServerCredentials();
  }
  auto tls = LoadTlsMaterial(config.tls());
  if (!tls.ok()) return tls.status();
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = tls->client_ca;
  ssl.pem_key_cert_pairs.push_back({tls->private_key, tls->cert_chain});
  return grpc::SslServerCredentials(ssl);
}

// The publisher keys Deploy trusts. The packaged default is an empty list: until the IT team
// adds its publisher's key every bundle is refused (and the log says why), while the server
// itself starts and serves.
Result<std::vector<host::bundle::TrustedKey>> ReadTrustedKeys(const ServerConfig& config,
                                                              spdlog::logger& log) {
  std::vector<host::bundle::TrustedKey> trusted;
  const std::string& file = config.updates().trusted_keys_file();
  if (!file.empty()) {
    auto listed = base::ReadJsonFile(file);
    if (!listed.ok()) return listed.status();
    const bool none = listed->is_object() && listed->contains("keys") &&
                      (*listed)["keys"].is_array() && (*listed)["keys"].empty();
    if (!none) {
      auto keys = host::bundle::LoadTrustedKeys(file);
      if (!keys.ok()) return keys.status();
      trusted = std::move(*keys);
    }
  }
  if (!config.updates().install_root().empty() && trusted.empty()) {
    log.warn("updates: no trusted publisher key ({}): every bundle will be refused",
             file.empty() ? std::string("updates.trusted_keys_file is not set") : file + " lists none");
  }
  return trusted;
}

// The plugin manager: every plugin version goes through the same gate before it serves — the
// server's golden cases, and for a deployed bundle also the golden cases it ships
// (selftest/*.json). Deployed versions and pins survive a restart (Restore in AttachPlugin).
//
// With isolation.mode "workers" every version is loaded into its own pool of worker processes
// (Backend::WorkerLoader), so the self-test already runs in the workers that will serve.
Result<std::unique_ptr<host::PluginManager>> MakePluginManager(Backend& b) {
  const ServerConfig& config = b.config;
  std::shared_ptr<spdlog::logger> log = b.log;
  host::PluginManager::Options plugins;
  if (config.isolation().mode() == "workers") {
    b.scratch_root = b.ScratchRoot();
    plugins.loader = b.WorkerLoader();
  }
  plugins.install_root = config.updates().install_root();
  plugins.retain_versions = config.updates().retain_versions();
  if (!plugins.install_root.empty()) {
    plugins.state_file = plugins.install_root / "state.json";
    // The key that authenticates the state lies outside install_root, so that whoever can
    // write there cannot choose what serves.
    std::filesystem::path key_file = config.updates().state_key_file();
    if (key_file.empty()) key_file = KeyDirOf(config) / "update-state.key";
    auto key = base::crypto::LoadOrCreateSecretKey(key_file, 32, "update state key");
    if (!key.ok()) return key.status();
    plugins.state_key = std::move(*key);
  }
  auto trusted = ReadTrustedKeys(config, *log);
  if (!trusted.ok()) return trusted.status();
  plugins.trusted_keys = std::move(*trusted);
  plugins.load.logger = std::move(log);
  plugins.self_test = [](const PluginSession& session, const std::filesystem::path& bundle_dir) {
    if (Status st = SelfTest(session); !st.ok()) return st;
    if (bundle_dir.empty()) return Status::Ok();
    return selftest::RunGoldenCases(session, bundle_dir / "selftest");
  };
  return std::make_unique<host::PluginManager>(std::move(plugins));
}

// The event store, when configured and built in: assessments, plans and follow-ups are
// recorded there. Without it the events are returned to the caller only.
Status OpenEventStore(Backend& b, const KeyLocations& keys) {
#ifdef IX_SERVER_WITH_STORE
  if (!b.config.store_postgresql().empty()) {
    auto recorder = EventRecorder::OpenPostgresql(b.config.store_postgresql(), keys.key_dir);
    if (!recorder.ok()) return recorder.status();
    b.recorder = std::move(*recorder);
  } else if (!b.config.store_dir().empty()) {
    auto recorder = EventRecorder::Open(b.config.store_dir(), keys.key_dir);
    if (!recorder.ok()) return recorder.status();
    b.recorder = std::move(*recorder);
  }
#else
  (void)b;
  (void)keys;
#endif
  return Status::Ok();
}

// The event store as the start-up line names it (no user info or password).
std::string StoreShown(const Backend& b) {
  if (!b.recorder) return "none";
#ifdef IX_SERVER_WITH_STORE
  if (!b.config.store_postgresql().empty()) {
    return "postgresql " + store::DescribeStoreLocation(b.config.store_postgresql() + "#<kommunkod>");
  }
#endif
  return b.config.store_dir();
}

// Server reflection answers from protobuf's generated pool. service.pb.cc has no messages, so
// nothing would pull it out of the static library and ix/v1/service.proto would be missing
// from the pool: keep a reference to its descriptor table, then check the service is there.
// gRPC's own health service encodes its messages without protobuf, so health.proto is linked
// here (proto/CMakeLists.txt, ix_grpc_health) for reflection to serve its descriptor: a client
// that knows the server only through reflection can call Health/Check.
Status CheckReflectionPool() {
  static const void* volatile keep_service_descriptor = &descriptor_table_ix_2fv1_2fservice_2eproto;
  static const void* volatile keep_admin_descriptor =
      &descriptor_table_ix_2fv1_2fadmin_5fservice_2eproto;
  static const void* volatile keep_health_descriptor =
      &descriptor_table_grpc_2fhealth_2fv1_2fhealth_2eproto;
  // Read them: a variable nobody reads may be dropped by the optimiser, and with it the reference.
  if (keep_service_descriptor == nullptr || keep_admin_descriptor == nullptr ||
      keep_health_descriptor == nullptr) {
    return Status(StatusCode::kInternal, "a descriptor table is missing (reflection)");
  }
  for (const char* name : {kServiceName, kAdminServiceName, "grpc.health.v1.Health"}) {
    if (google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name) == nullptr) {
      return Status(StatusCode::kInternal,
                    std::string(name) + " is not in the descriptor pool (reflection)");
    }
  }
  return Status::Ok();
}

}  // namespace

struct Server::Impl {
  Backend backend;
  std::unique_ptr<InstrumentService> service;
  std::unique_ptr<PluginAdminService> admin;
  std::unique_ptr<adapters::grpc::AdapterServices> adapters;  // FhirAdapter, LifecareAdapter, FieldCodesAdapter
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<Admission> admission;  // null on plaintext loopback (one caller, mapped)
  std::unique_ptr<RestPort> rest;        // REST/JSON (rest.listen), null without one
  int port = 0;
  std::mutex shutdown_mutex;
  bool shut_down = false;

  // Restoring what could not be restored at start (PluginManager::RetryRestore), every
  // updates.restore_retry_seconds until nothing is pending or the server stops. Declared last:
  // stopped and joined before the backend it uses goes away.
  std::condition_variable_any retry_wakeup;
  std::mutex retry_mutex;
  std::jthread restore_retries;
  // Follows the plugin state shared by replicas (null without one); stopped first.
  std::unique_ptr<PluginStateFollower> follower;

  void StartRestoreRetries() {
    const auto every = std::chrono::seconds(std::max<uint32_t>(1, backend.config.updates().restore_retry_seconds()));
    restore_retries = std::jthread([this, every](std::stop_token stop) {
      std::unique_lock lock(retry_mutex);
      while (!retry_wakeup.wait_for(lock, stop, every, [] { return false; })) {
        const Status st = backend.plugins->RetryRestore();
        if (st.ok()) {
          backend.log->info("plugin updates: restored after retrying; {} serves", backend.plugins->ActiveVersion());
          return;
        }
        backend.log->warn("plugin updates: {}", st.message());
        if (!backend.plugins->RestorePending()) return;
      }
    });
  }

  // Lets the workers of versions that no longer serve go (after a deploy, a rollback, an
  // unpin), a few times a second, until the server stops.
  std::thread janitor;
  std::mutex janitor_mutex;
  std::condition_variable janitor_cv;
  bool janitor_stop = false;

  void StartJanitor() {
    janitor = std::thread([this] {
      std::unique_lock lock(janitor_mutex);
      while (!janitor_cv.wait_for(lock, std::chrono::milliseconds(200), [this] { return janitor_stop; })) {
        lock.unlock();
        backend.DrainUnusedVersions();
        lock.lock();
      }
    });
  }
  void StopJanitor() {
    {
      std::lock_guard lock(janitor_mutex);
      janitor_stop = true;
    }
    janitor_cv.notify_all();
    if (janitor.joinable()) janitor.join();
  }

  // SERVING needs a plugin that serves and an audit log that takes records (fail closed).
  void SetHealth(bool serving) {
    serving = serving && backend.audit->writable();
    if (auto* health = server->GetHealthCheckService()) {
      health->SetServingStatus("", serving);
      health->SetServingStatus(kServiceName, serving);
    }
  }

  // The services (canonical, admin, the vendor adapters), health and reflection, bound to the
  // configured address. The adapters translate with the serving plugin's definitions and
  // försörjningshinder table, behind the same caller checks and audit (adapter_gate.hpp).
  Status RegisterServicesAndListen(const std::shared_ptr<grpc::ServerCredentials>& credentials) {
    Backend& b = backend;
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    service = std::make_unique<InstrumentService>(b);
    admin = std::make_unique<PluginAdminService>(b);
    adapters = std::make_unique<adapters::grpc::AdapterServices>(
        adapters::grpc::SourcesFromPlugin([&b] { return b.Plugin(); }, {}), AdapterGate(b));
    grpc::ServerBuilder builder;
    // Never share a port with another process (gRPC's default SO_REUSEPORT would allow it).
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.AddListeningPort(b.config.listen(), credentials, &port);
    builder.RegisterService(service.get());
    builder.RegisterService(admin.get());
    adapters->Register(builder);
    ApplyTransportLimits(b.config, builder);
    server = builder.BuildAndStart();
    if (!server || port == 0) {
      return Status(StatusCode::kUnavailable,
                    "cannot listen on " + b.config.listen() + " (port in use or address not local)")
          .WithReason(kReasonListen);
    }
    SetHealth(false);  // NOT_SERVING until a plugin is negotiated and self-tested
    return Status::Ok();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Shutdown(std::chrono::milliseconds(0));
  Wait();
  impl_->follower.reset();
  impl_->backend.audit->OnWritableChange(nullptr);  // the listener uses the server being destroyed
  impl_->StopJanitor();
  impl_->backend.StopWorkers();
  if (!impl_->backend.scratch_root.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(impl_->backend.scratch_root, ec);
  }
}

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options) {
  if (Status st = CheckConfig(options.config); !st.ok()) return st;
  if (Status st = CheckLimits(options.config); !st.ok()) return st;
  auto impl = std::make_unique<Impl>();
  Backend& b = impl->backend;
  b.config = std::move(options.config);
  b.log = options.log ? options.log : spdlog::default_logger();
  b.before_plugin_call = std::move(options.before_plugin_call);
  if (options.clock) b.clock = std::move(options.clock);
  b.request_prefix = RandomPrefix();

  auto credentials = MakeCredentials(b.config, *b.log);
  if (!credentials.ok()) return credentials.status();
  auto callers = LoadCallers(b.config);
  if (!callers.ok()) return callers.status();
  b.callers = std::move(*callers);
  auto keys = CheckKeyLocations(b.config);  // before any key is read or created
  if (!keys.ok()) return keys.status();
  auto audit = AuditLog::Open(b.config.audit_log(), keys->audit_key,
                              {.rotate_bytes = b.config.audit_rotate_bytes(),
                               .keep_files = b.config.audit_keep_files()});
  if (!audit.ok()) return audit.status();
  b.audit = std::move(*audit);
  b.limits = std::make_unique<CallLimits>(b.config);
  if (!b.config.insecure_loopback()) {
    // Callers are refused from their certificate and the method before any payload is parsed.
    impl->admission = std::make_shared<Admission>(b.callers, *b.audit, b.request_prefix);
    (*credentials)->SetAuthMetadataProcessor(impl->admission);
  }
  auto plugins = MakePluginManager(b);
  if (!plugins.ok()) return plugins.status();
  b.plugins = std::move(*plugins);
  if (Status st = OpenEventStore(b, *keys); !st.ok()) return st;
  if (Status st = OpenSharedPluginState(b); !st.ok()) return st;
  if (Status st = ProbeListen(b.config.listen()); !st.ok()) return st;
  if (Status st = CheckReflectionPool(); !st.ok()) return st;
  if (Status st = impl->RegisterServicesAndListen(*credentials); !st.ok()) return st;
  if (!b.config.rest().listen().empty()) {
    auto rest = RestPort::Start(b, *impl->server, impl->admission.get());
    if (!rest.ok()) return rest.status();
    impl->rest = std::move(*rest);
  }
  // Fail closed: while the audit log takes no records, health is NOT_SERVING.
  b.audit->OnWritableChange([raw = impl.get()](bool writable) {
    raw->SetHealth(raw->backend.Plugin() != nullptr);
    if (writable) {
      raw->backend.log->warn("the audit log takes records again; calls are served");
    } else {
      raw->backend.log->error("the audit log cannot be written ({}): calls fail UNAVAILABLE and "
                              "health is NOT_SERVING until it can",
                              raw->backend.config.audit_log());
    }
  });
  if (b.config.isolation().mode() == "workers") impl->StartJanitor();

  b.log->info("listening on {} ({}), port {}; event store: {}; health NOT_SERVING until the "
              "plugin passes its self-test",
              b.config.listen(), b.config.insecure_loopback() ? "plaintext, loopback" : "mutual TLS",
              impl->port, StoreShown(b));
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::AttachPlugin(const std::filesystem::path& requested) {
  Backend& b = impl_->backend;
  const std::filesystem::path path = !requested.empty()            ? requested
                                     : !b.config.plugin().empty() ? std::filesystem::path(b.config.plugin())
                                                                   : host::DefaultPluginPath();
  // The manager negotiates, runs the self-test and only then makes the plugin active.
  if (Status st = b.plugins->Start(path); !st.ok()) {
    b.SetNotServing("the plugin could not be started: " + st.message());
    impl_->SetHealth(b.Plugin() != nullptr);  // a version already serving keeps serving
    b.log->error("plugin {}: {}", path.string(), st.ToString());
    return st;
  }
  // What the IT team deployed and pinned before a restart serves again; what cannot be
  // restored is logged, and the started plugin keeps serving.
  if (Status st = b.plugins->Restore(); !st.ok()) b.log->warn("plugin updates: {}", st.message());
  if (b.plugins->RestorePending()) impl_->StartRestoreRetries();
  b.SetServing();
  impl_->SetHealth(true);
  // What the other replicas deployed, rolled back or pinned is taken on next (and kept up with).
  if (b.rolling) impl_->follower = std::make_unique<PluginStateFollower>(b);
  const auto active = b.plugins->Active();
  b.log->info("plugin {} {} (ABI {}) from {} passed its self-test; health SERVING",
              active->name(), active->version(), active->abi_version(), path.string());
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

int Server::rest_port() const { return impl_->rest ? impl_->rest->port() : 0; }

bool Server::serving() const { return impl_->backend.Plugin() != nullptr; }

ServerCounters Server::counters() const {
  Backend& b = impl_->backend;
  const Admission* a = impl_->admission.get();
  ServerCounters c;
  c.plugin_calls = b.plugin_calls.load();
  c.abandoned = b.abandoned.load();
  c.denied = b.denied.load();
  c.handled = b.next_request.load();
  c.refused_before_parsing = a != nullptr ? a->refused() : 0;
  for (const auto& pool : b.Pools()) {
    const isolation::PoolCounters p = pool->counters();
    c.worker_crashes += p.crashes;
    c.worker_deadline_kills += p.deadline_kills;
  }
  return c;
}

std::vector<int> Server::ActiveWorkerPids() const {
  const auto active = impl_->backend.plugins->Active();
  const auto pool = active ? isolation::PoolOf(*active) : nullptr;
  std::vector<int> pids;
  if (pool) {
    for (pid_t pid : pool->WorkerPids()) pids.push_back(static_cast<int>(pid));
  }
  return pids;
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->shutdown_mutex);
  if (impl_->shut_down) return;
  impl_->shut_down = true;
  impl_->restore_retries.request_stop();
  if (auto* health = impl_->server->GetHealthCheckService()) health->Shutdown();
  // No new REST requests; those in progress are gRPC calls in process, which the grace period
  // below covers like any other call.
  if (impl_->rest) impl_->rest->StopAccepting();
  // gRPC stops accepting now and cancels what still runs at the deadline, but a handler thread
  // inside a plugin call does not notice a cancellation: at the deadline every worker is
  // killed, which ends those calls (UNAVAILABLE), and the shutdown completes.
  const auto deadline = std::chrono::system_clock::now() + grace;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::thread enforcer([&] {
    std::unique_lock wait(mutex);
    if (!done_cv.wait_until(wait, deadline, [&] { return done; })) {
      wait.unlock();
      if (grace.count() > 0) {
        impl_->backend.log->warn("shutdown: calls still running after {} ms; stopping the plugin workers",
                                 grace.count());
      }
      impl_->backend.StopWorkers();
    }
  });
  impl_->server->Shutdown(deadline);
  if (impl_->rest) impl_->rest->Stop();  // its requests ended with their calls
  {
    std::lock_guard done_lock(mutex);
    done = true;
  }
  done_cv.notify_all();
  enforcer.join();
  impl_->backend.log->info("server stopped");
}

void Server::Wait() { impl_->server->Wait(); }

}  // namespace ix::server
