#include "call.hpp"

#include "admission.hpp"
#include "rest.hpp"

#include <grpc/grpc_security_constants.h>

#include <algorithm>
#include <vector>

namespace ix::server {
namespace {

// The header of whichever kind an event is; nullptr for an empty event.
const v1::EventHeader* HeaderOf(const v1::Event& event, std::string* kind) {
  switch (event.kind_case()) {
    case v1::Event::kCategorisation:
      *kind = "categorisation";
      return &event.categorisation().header();
    case v1::Event::kAssistancePeriod:
      *kind = "assistance_period";
      return &event.assistance_period().header();
    case v1::Event::kIntervention:
      *kind = "intervention";
      return &event.intervention().header();
    case v1::Event::kMilestone:
      *kind = "milestone";
      return &event.milestone().header();
    case v1::Event::KIND_NOT_SET:
      break;
  }
  return nullptr;
}

}  // namespace

Call::Call(Backend& backend, grpc::CallbackServerContext* context, std::string_view rpc)
    : Call(backend, static_cast<grpc::ServerContextBase*>(context), rpc) {
  callback_ = context;
}

Call::Call(Backend& backend, grpc::ServerContextBase* context, std::string_view rpc)
    : backend_(backend),
      context_(context),
      rpc_(rpc),
      request_id_(backend.request_prefix + "-" +
                  std::to_string(backend.next_request.fetch_add(1, std::memory_order_relaxed))),
      started_(std::chrono::steady_clock::now()),
      deadline_(backend.limits->Deadline(context->deadline(), std::chrono::system_clock::now())),
      crash_slot_(rpc, request_id_) {}

grpc::Status Call::Authorise() {
  if (!backend_.audit->writable()) {  // fail closed: nothing may happen that is not audited
    backend_.audit->CountRefused();
    return Plain(request_id_, grpc::StatusCode::UNAVAILABLE, "IX_AUDIT_UNAVAILABLE",
                 "the audit log cannot be written: calls are refused until it can");
  }
  std::vector<std::string> identities;
  const auto auth = context_->auth_context();
  if (auth && auth->IsPeerAuthenticated()) {
    identities = PeerIdentities(*auth);
  } else if (RestIdentities(*context_, backend_.rest_secret, &identities)) {
    // A REST request, its client certificate verified by the REST port (rest.cpp).
  } else if (backend_.config.insecure_loopback()) {
    identities.push_back(backend_.config.loopback_caller());  // checked to be in the map
  }
  caller_ = backend_.callers.Find(identities);
  if (caller_ == nullptr) {
    backend_.denied.fetch_add(1, std::memory_order_relaxed);
    identity_ = identities.empty() ? "unknown" : "unknown:" + identities.front();
    if (identities.empty()) {
      return Plain(request_id_, grpc::StatusCode::UNAUTHENTICATED, "IX_NO_CLIENT_CERTIFICATE",
                   "no client certificate identity: mutual TLS is required");
    }
    return Denied(request_id_, "IX_UNKNOWN_CALLER", "caller", identities.front(),
                  "certificate identity '" + identities.front() +
                      "' is not in the server's caller map");
  }
  identity_ = caller_->identity;
  const MethodRule rule = RuleForRpc(rpc_);
  if (!rule.known) {  // a handler added without a rule is refused, never let through
    return Plain(request_id_, grpc::StatusCode::UNIMPLEMENTED, "IX_NO_RULE",
                 rpc_ + " has no authorisation rule in ix-server's admission table");
  }
  if (!Admits(rule, caller_->role)) {
    backend_.denied.fetch_add(1, std::memory_order_relaxed);
    return Denied(request_id_, "IX_ROLE_NOT_ALLOWED", "rpc", rpc_,
                  "role '" + std::string(RoleName(caller_->role)) + "' may not call " + rpc_);
  }
  return backend_.limits->Admit(*caller_, request_id_, &ticket_);
}

grpc::Status Call::CheckHousehold(std::string_view municipality_code,
                                  std::string_view household_ref, std::string_view field) {
  if (!municipality_code.empty()) {
    household_ = backend_.audit->Pseudonym(municipality_code, household_ref);
  }
  return CheckMunicipality(municipality_code, field);
}

grpc::Status Call::CheckMunicipality(std::string_view municipality_code, std::string_view field) {
  if (municipality_code.empty()) {
    detail_ = std::string(field);
    return InvalidField(request_id_, field,
                        "required: the household's kommunkod (four digits), which must be the "
                        "caller's municipality");
  }
  if (municipality_code != caller_->municipality_code) {
    backend_.denied.fetch_add(1, std::memory_order_relaxed);
    detail_ = std::string(field) + "=" + std::string(municipality_code);
    return Denied(request_id_, "IX_OTHER_MUNICIPALITY", "municipality",
                  std::string(municipality_code),
                  "caller '" + caller_->identity + "' of municipality " +
                      caller_->municipality_code + " may not access data of municipality " +
                      std::string(municipality_code));
  }
  return grpc::Status::OK;
}

grpc::Status Call::CheckEvents(const google::protobuf::RepeatedPtrField<v1::Event>& events,
                               const std::string& prefix) {
  for (int i = 0; i < events.size(); ++i) {
    std::string kind;
    const v1::EventHeader* header = HeaderOf(events[i], &kind);
    if (header == nullptr) continue;  // the plugin reports an empty event precisely
    const std::string field =
        prefix + "[" + std::to_string(i) + "]." + kind + ".header.municipality_code";
    if (auto st = CheckMunicipality(header->municipality_code(), field); !st.ok()) return st;
  }
  return grpc::Status::OK;
}

grpc::Status Call::CheckCase(const v1::Case& c, const std::string& prefix) {
  if (auto st = CheckHousehold(c.household().municipality_code(), c.household().household_ref(),
                               prefix + ".household.municipality_code");
      !st.ok()) {
    return st;
  }
  for (int i = 0; i < c.responses_size(); ++i) {
    const std::string& code = c.responses(i).response().household().municipality_code();
    if (code.empty()) continue;  // names no municipality: nothing of another's to guard
    if (auto st = CheckMunicipality(code, prefix + ".responses[" + std::to_string(i) +
                                              "].response.household.municipality_code");
        !st.ok()) {
      return st;
    }
  }
  return CheckEvents(c.events(), prefix + ".events");
}

grpc::Status Call::StoreFailed(const Status& status) {
  const std::string field = FirstPath(status);
  if (status.code() == StatusCode::kInvalidArgument && !field.empty()) {
    detail_ = field;
    return FromStatus(request_id_, status, "IX_INVALID_FIELD");
  }
  if (status.code() == StatusCode::kUnavailable) {  // PostgreSQL unreachable: the caller may retry
    return Plain(request_id_, grpc::StatusCode::UNAVAILABLE, "IX_STORE_UNAVAILABLE", "event store: " + status.message());
  }
  return Plain(request_id_, grpc::StatusCode::INTERNAL, "IX_STORE_FAILURE",
               "event store: " + status.message());
}

grpc::Status Call::AcquirePlugin(std::shared_ptr<const PluginSession>* plugin) {
  // A municipality pinned to a version is served by it (PluginAdmin.Pin).
  *plugin = backend_.Plugin(caller_ != nullptr ? caller_->municipality_code : std::string());
  if (*plugin == nullptr) return NotServing(request_id_, backend_.NotServingReason());
  // Which version answers, so a client can see a rolling update reach the replica it calls.
  context_->AddInitialMetadata("ix-plugin-version", std::string((*plugin)->version()));
  return grpc::Status::OK;
}

grpc::Status Call::StillWanted() {
  if (backend_.before_plugin_call) {
    backend_.before_plugin_call(rpc_, [this] { return context_->IsCancelled(); });
  }
  const bool expired = std::chrono::system_clock::now() > deadline_;
  if (expired || context_->IsCancelled()) {
    backend_.abandoned.fetch_add(1, std::memory_order_relaxed);
    return expired ? Plain(request_id_, grpc::StatusCode::DEADLINE_EXCEEDED,
                           "IX_DEADLINE_EXCEEDED", "deadline passed before the work started")
                   : Plain(request_id_, grpc::StatusCode::CANCELLED, "IX_CANCELLED",
                           "the client cancelled the call");
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* Call::Finish(const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = callback_->DefaultReactor();
  reactor->Finish(Audit(status));
  return reactor;
}

grpc::Status Call::Audit(const grpc::Status& status) {
  const std::string_view outcome = CodeName(status.error_code());
  const bool audited = backend_.audit->Record(AuditRecord{
      .request_id = request_id_,
      .caller = identity_,
      .municipality = caller_ != nullptr ? caller_->municipality_code : "",
      .rpc = rpc_,
      .household = household_,
      .outcome = std::string(outcome),
      .detail = detail_,
  });
  // The operational log: codes, ids and timings only — never messages that could echo input.
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - started_).count();
  if (status.error_code() == grpc::StatusCode::INTERNAL) {
    backend_.log->error("{} {} {} ({:.2f} ms): plugin failure", request_id_, rpc_, outcome, ms);
  } else {
    backend_.log->debug("{} {} {} ({:.2f} ms)", request_id_, rpc_, outcome, ms);
  }
  if (!audited) {  // fail closed: an outcome that is not in the audit log is not given
    backend_.log->error("{} {}: the audit log cannot be written; the call fails UNAVAILABLE",
                        request_id_, rpc_);
    return Plain(request_id_, grpc::StatusCode::UNAVAILABLE, "IX_AUDIT_UNAVAILABLE",
                 "the audit log cannot be written: calls are refused until it can");
  }
  return status;
}

}  // namespace ix::server
