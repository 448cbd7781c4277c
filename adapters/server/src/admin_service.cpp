#include "admin_service.hpp"

#include "call.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace ix::server {
namespace {

void FillStatus(const host::PluginManager& plugins, v1::PluginStatus* out) {
  if (auto active = plugins.Active()) out->set_plugin_name(std::string(active->name()));
  out->set_active_version(plugins.ActiveVersion());
  for (const auto& version : plugins.LoadedVersions()) out->add_loaded_versions(version);
  for (const auto& [municipality, version] : plugins.Pins()) {
    (*out->mutable_pins())[municipality] = version;
  }
  for (const auto& event : plugins.History()) {
    auto* record = out->add_history();
    record->set_at(event.at);
    record->set_action(event.action);
    record->set_version(event.version);
    record->set_detail(event.detail);
  }
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

}  // namespace

grpc::ServerUnaryReactor* PluginAdminService::Status(grpc::CallbackServerContext* context,
                                                     const v1::PluginStatusRequest* /*request*/,
                                                     v1::PluginStatus* response) {
  Call call(backend_, context, "PluginAdmin.Status");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  FillStatus(*backend_.plugins, response);
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
  auto deployed =
      backend_.plugins->Deploy(request->bundle_dir(), request->allow_downgrade(), &failure);
  if (!deployed.ok()) return call.Finish(DeployFailed(call, deployed.status(), failure));
  // Who did it is in the audit log; a certificate identity may name a person, so the
  // operational log carries the request id instead.
  backend_.log->info("{} deployed plugin {} (was {})", call.request_id(), *deployed, previous);
  response->set_previous_version(previous);
  response->set_active_version(*deployed);
  FillStatus(*backend_.plugins, response->mutable_status());
  call.set_detail("version=" + *deployed + " previous=" + previous);
  return call.Finish(grpc::Status::OK);
}

grpc::ServerUnaryReactor* PluginAdminService::Rollback(grpc::CallbackServerContext* context,
                                                       const v1::RollbackRequest* /*request*/,
                                                       v1::DeployResponse* response) {
  Call call(backend_, context, "PluginAdmin.Rollback");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  const std::string previous = backend_.plugins->ActiveVersion();
  auto rolled = backend_.plugins->Rollback();
  if (!rolled.ok()) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION,
                             "IX_NOTHING_TO_ROLL_BACK", rolled.status().message()));
  }
  backend_.log->info("{} rolled back plugin {} -> {}", call.request_id(), previous, *rolled);
  response->set_previous_version(previous);
  response->set_active_version(*rolled);
  FillStatus(*backend_.plugins, response->mutable_status());
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
  if (auto st = backend_.plugins->Pin(request->municipality_code(), request->version()); !st.ok()) {
    return call.Finish(FieldRefused(call.request_id(), grpc::StatusCode::NOT_FOUND,
                                    "IX_VERSION_NOT_LOADED", "version", WithoutField(st)));
  }
  FillStatus(*backend_.plugins, response);
  call.set_detail("municipality=" + request->municipality_code() + " version=" + request->version());
  return call.Finish(grpc::Status::OK);
}

grpc::ServerUnaryReactor* PluginAdminService::Unpin(grpc::CallbackServerContext* context,
                                                    const v1::UnpinRequest* request,
                                                    v1::PluginStatus* response) {
  Call call(backend_, context, "PluginAdmin.Unpin");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  if (auto st = backend_.plugins->Unpin(request->municipality_code()); !st.ok()) {
    return call.Finish(FieldRefused(call.request_id(), grpc::StatusCode::NOT_FOUND,
                                    "IX_NOT_PINNED", "municipality_code",
                                    WithoutField(st)));
  }
  FillStatus(*backend_.plugins, response);
  call.set_detail("municipality=" + request->municipality_code());
  return call.Finish(grpc::Status::OK);
}

}  // namespace ix::server
