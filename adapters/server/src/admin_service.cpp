#include "admin_service.hpp"

#include "call.hpp"

#ifdef IX_SERVER_WITH_STORE
#include <ix/store/pg_plugin_state.hpp>
#endif

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace ix::server {
namespace {

// How many shared history records a status carries.
constexpr size_t kSharedHistoryShown = 100;

void FillRecord(v1::DeploymentRecord* record, const std::string& at, const std::string& action,
                const std::string& version, const std::string& detail) {
  record->set_at(at);
  record->set_action(action);
  record->set_version(version);
  record->set_detail(detail);
}

// The shared plugin state as this replica reads it now; when the database cannot be read, the
// status says so in this replica's entry rather than failing: the local part is still true.
void FillShared(host::RollingUpdates& rolling, v1::PluginStatus* out) {
  out->set_replica(rolling.replica_id());
  auto intent = rolling.Intended();
  auto replicas = rolling.Replicas();
  auto history = rolling.History(kSharedHistoryShown);
  if (!intent.ok() || !replicas.ok() || !history.ok()) {
    auto* self = out->add_replicas();
    self->set_replica(rolling.replica_id());
    self->set_serving_version(out->active_version());
    self->set_state("unknown");
    self->set_reason("the shared plugin state " + rolling.shown() + " cannot be read: " +
                     (!intent.ok() ? intent.status() : !replicas.ok() ? replicas.status() : history.status()).message());
    return;
  }
  out->set_intended_version(intent->seq == 0 ? out->active_version() : intent->version);
  for (const host::ReplicaReport& r : *replicas) {
    auto* replica = out->add_replicas();
    replica->set_replica(r.replica);
    replica->set_serving_version(r.serving_version);
    replica->set_intended_version(r.intended_version);
    replica->set_state(r.state);
    replica->set_reason(r.reason);
    replica->set_change(r.seq);
    replica->set_updated_at(r.updated_at);
  }
  for (const host::SharedEvent& e : *history) {
    auto* record = out->add_shared_history();
    FillRecord(record, e.at, e.action, e.version, e.detail);
    record->set_replica(e.replica);
  }
}

void FillStatus(const Backend& backend, v1::PluginStatus* out) {
  const host::PluginManager& plugins = *backend.plugins;
  if (auto active = plugins.Active()) out->set_plugin_name(std::string(active->name()));
  out->set_active_version(plugins.ActiveVersion());
  for (const auto& version : plugins.LoadedVersions()) out->add_loaded_versions(version);
  for (const auto& [municipality, version] : plugins.Pins()) {
    (*out->mutable_pins())[municipality] = version;
  }
  for (const auto& event : plugins.History()) {
    FillRecord(out->add_history(), event.at, event.action, event.version, event.detail);
  }
  if (backend.rolling) FillShared(*backend.rolling, out);
}

bool IsKommunkod(const std::string& code) {
  return code.size() == 4 && std::all_of(code.begin(), code.end(), [](unsigned char c) {
           return std::isdigit(c) != 0;
         });
}

// The manager's refusal ("0.3.0 is not loaded …") without its own field name: the request's
// field name replaces it.
std::string WithoutField(const Status& status) {
  const std::vector<Problem> problems = status.problems();
  return problems.empty() ? status.message() : problems.front().en;
}

// "IX_BUNDLE_BAD_SIGNATURE" for bundle::Refusal::kBadSignature ("bad-signature").
std::string RefusalReason(host::bundle::Refusal refusal) {
  std::string reason = "IX_BUNDLE_";
  for (const char c : std::string_view(host::bundle::RefusalName(refusal))) {
    reason += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return reason;
}

// A refused deployment, by the step the manager says refused it. The running version keeps
// serving in every case; only a failure on the host's own side is INTERNAL.
grpc::Status DeployFailed(Call& call, const Status& status, const host::DeployFailure& failure) {
  const std::string& message = status.message();
  call.set_detail(message.substr(0, message.find(':')));
  using Kind = host::DeployFailure::Kind;
  std::string reason;
  switch (failure.kind) {
    case Kind::kRefused: reason = RefusalReason(failure.refusal); break;
    case Kind::kVersionMismatch: reason = "IX_BUNDLE_REFUSED"; break;
    case Kind::kLoadFailed: reason = "IX_PLUGIN_LOAD_FAILED"; break;
    case Kind::kSelfTestFailed: reason = "IX_SELF_TEST_FAILED"; break;
    case Kind::kInstallFailed:
    case Kind::kNone:
      return Plain(call.request_id(), grpc::StatusCode::INTERNAL, "IX_DEPLOY_FAILED", message);
  }
  return FieldRefused(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION, reason,
                      "bundle_dir", message);
}

// A pin or unpin that the shared plugin state could not take (the database, not the request).
grpc::Status SharedStateFailed(Call& call, const Status& status) {
  return Plain(call.request_id(), grpc::StatusCode::UNAVAILABLE, "IX_PLUGIN_STATE_UNAVAILABLE",
               status.message());
}

// Host name and listen address, with anything outside the replica id's characters as '-'.
std::string DefaultReplicaId(const ServerConfig& config) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::string id = std::string(host) + ":" + config.listen();
  for (char& c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-')) c = '-';
  }
  return id.substr(0, 64);
}

}  // namespace

Status OpenSharedPluginState(Backend& b) {
  const auto& updates = b.config.updates();
  if (b.config.store_postgresql().empty() || updates.install_root().empty()) return Status::Ok();
  const std::string& id = updates.replica_id();
  if (id.size() > 64 || !std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '.' || c == '_' || c == ':' || c == '-';
      })) {
    return ix::FieldRefused(StatusCode::kInvalidArgument, "updates.replica_id",
                        "1 to 64 of A-Z a-z 0-9 . _ : - (got " + std::to_string(id.size()) + " characters)");
  }
  const uint32_t interval = updates.follow_interval_ms();
  if (interval < 100 || interval > 600000) {
    return ix::FieldRefused(StatusCode::kInvalidArgument, "updates.follow_interval_ms",
                        "100 to 600000 ms (got " + std::to_string(interval) + ")");
  }
#ifdef IX_SERVER_WITH_STORE
  auto shared = store::OpenPgPluginState(b.config.store_postgresql());
  if (!shared.ok()) return shared.status();
  host::RollingUpdates::Options options;
  options.replica_id = id.empty() ? DefaultReplicaId(b.config) : id;
  options.staging_root = std::filesystem::path(updates.install_root()) / ".incoming";
  options.logger = b.log;
  b.rolling = std::make_unique<host::RollingUpdates>(*b.plugins, std::move(*shared), std::move(options));
  b.log->info("plugin updates: shared with the other replicas in {} as replica '{}', checked every {} ms",
              b.rolling->shown(), b.rolling->replica_id(), interval);
  return Status::Ok();
#else
  return Status(StatusCode::kFailedPrecondition,
                "store_postgresql: this ix-server was built without the store (adapters/store)");
#endif
}

PluginStateFollower::PluginStateFollower(Backend& b) : backend_(b) {
  const auto every = std::chrono::milliseconds(b.config.updates().follow_interval_ms());
  thread_ = std::jthread([this, every](std::stop_token stop) {
    std::string last = "(none yet)";
    std::unique_lock lock(mutex_);
    do {
      const ix::Status st = backend_.rolling->Poll();
      const std::string outcome = st.ok() ? std::string() : st.message();
      if (outcome != last) {
        if (st.ok()) {
          backend_.log->info("plugin updates: replica '{}' serves the intended state ({})",
                             backend_.rolling->replica_id(), backend_.plugins->ActiveVersion());
        } else {
          backend_.log->warn("plugin updates: replica '{}' keeps serving {}: {}", backend_.rolling->replica_id(),
                             backend_.plugins->ActiveVersion(), outcome);
        }
        last = outcome;
      }
      // Returns at the interval or at once when stopping (the predicate is false either way).
      wakeup_.wait_for(lock, stop, every, [] { return false; });
    } while (!stop.stop_requested());
  });
}

PluginStateFollower::~PluginStateFollower() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

grpc::ServerUnaryReactor* PluginAdminService::Status(grpc::CallbackServerContext* context,
                                                     const v1::PluginStatusRequest* /*request*/,
                                                     v1::PluginStatus* response) {
  Call call(backend_, context, "PluginAdmin.Status");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  FillStatus(backend_, response);
  return call.Finish(grpc::Status::OK);
}

grpc::ServerUnaryReactor* PluginAdminService::Deploy(grpc::CallbackServerContext* context,
                                                     const v1::DeployRequest* request,
                                                     v1::DeployResponse* response) {
  Call call(backend_, context, "PluginAdmin.Deploy");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  if (request->bundle_dir().empty()) {
    return call.Finish(InvalidField(call.request_id(), "bundle_dir",
                                    "required: the signed bundle's directory on the server"));
  }
  if (backend_.config.updates().install_root().empty()) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION,
                             "IX_UPDATES_NOT_CONFIGURED",
                             "this server has no updates.install_root: it cannot install bundles"));
  }
  if (backend_.plugins->TrustedKeyCount() == 0) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION,
                             "IX_UPDATES_NOT_CONFIGURED",
                             "this server trusts no publisher key (updates.trusted_keys_file): "
                             "every bundle would be refused"));
  }
  if (backend_.plugins->Active() == nullptr) {
    return call.Finish(NotServing(call.request_id(), backend_.NotServingReason()));
  }
  const std::string previous = backend_.plugins->ActiveVersion();
  host::DeployFailure failure;
  // With replicas, the deploy is checked against the shared high-water mark and published to
  // the others once it serves here.
  auto deployed =
      backend_.rolling
          ? backend_.rolling->Deploy(request->bundle_dir(), request->allow_downgrade(), &failure)
          : backend_.plugins->Deploy(request->bundle_dir(), request->allow_downgrade(), &failure);
  if (!deployed.ok()) return call.Finish(DeployFailed(call, deployed.status(), failure));
  // Who did it is in the audit log; a certificate identity may name a person, so the
  // operational log carries the request id instead.
  backend_.log->info("{} deployed plugin {} (was {})", call.request_id(), *deployed, previous);
  response->set_previous_version(previous);
  response->set_active_version(*deployed);
  FillStatus(backend_, response->mutable_status());
  call.set_detail("version=" + *deployed + " previous=" + previous);
  return call.Finish(grpc::Status::OK);
}

grpc::ServerUnaryReactor* PluginAdminService::Rollback(grpc::CallbackServerContext* context,
                                                       const v1::RollbackRequest* /*request*/,
                                                       v1::DeployResponse* response) {
  Call call(backend_, context, "PluginAdmin.Rollback");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  const std::string previous = backend_.plugins->ActiveVersion();
  auto rolled = backend_.rolling ? backend_.rolling->Rollback() : backend_.plugins->Rollback();
  if (!rolled.ok()) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION,
                             "IX_NOTHING_TO_ROLL_BACK", rolled.status().message()));
  }
  backend_.log->info("{} rolled back plugin {} -> {}", call.request_id(), previous, *rolled);
  response->set_previous_version(previous);
  response->set_active_version(*rolled);
  FillStatus(backend_, response->mutable_status());
  call.set_detail("version=" + *rolled + " previous=" + previous);
  return call.Finish(grpc::Status::OK);
}

grpc::ServerUnaryReactor* PluginAdminService::Pin(grpc::CallbackServerContext* context,
                                                  const v1::PinRequest* request,
                                                  v1::PluginStatus* response) {
  Call call(backend_, context, "PluginAdmin.Pin");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  if (!IsKommunkod(request->municipality_code())) {
    return call.Finish(InvalidField(call.request_id(), "municipality_code",
                                    "'" + request->municipality_code() +
                                        "' is not a four-digit kommunkod"));
  }
  if (request->version().empty()) {
    return call.Finish(InvalidField(call.request_id(), "version", "required: a loaded version"));
  }
  if (auto st = backend_.rolling ? backend_.rolling->Pin(request->municipality_code(), request->version())
                                  : backend_.plugins->Pin(request->municipality_code(), request->version());
      !st.ok()) {
    if (st.code() != StatusCode::kNotFound) return call.Finish(SharedStateFailed(call, st));
    return call.Finish(FieldRefused(call.request_id(), grpc::StatusCode::NOT_FOUND,
                                    "IX_VERSION_NOT_LOADED", "version", WithoutField(st)));
  }
  FillStatus(backend_, response);
  call.set_detail("municipality=" + request->municipality_code() + " version=" + request->version());
  return call.Finish(grpc::Status::OK);
}

grpc::ServerUnaryReactor* PluginAdminService::Unpin(grpc::CallbackServerContext* context,
                                                    const v1::UnpinRequest* request,
                                                    v1::PluginStatus* response) {
  Call call(backend_, context, "PluginAdmin.Unpin");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  if (auto st = backend_.rolling ? backend_.rolling->Unpin(request->municipality_code())
                                  : backend_.plugins->Unpin(request->municipality_code());
      !st.ok()) {
    if (st.code() != StatusCode::kNotFound) return call.Finish(SharedStateFailed(call, st));
    return call.Finish(FieldRefused(call.request_id(), grpc::StatusCode::NOT_FOUND,
                                    "IX_NOT_PINNED", "municipality_code",
                                    WithoutField(st)));
  }
  FillStatus(backend_, response);
  call.set_detail("municipality=" + request->municipality_code());
  return call.Finish(grpc::Status::OK);
}

}  // namespace ix::server
