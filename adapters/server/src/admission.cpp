#include "admission.hpp"

#include <ix/server/errors.hpp>

#include <grpc/grpc_security_constants.h>

#include <algorithm>
#include <map>

namespace ix::server {

namespace {

constexpr Role kCase = Role::kCaseSystem;
constexpr Role kRead = Role::kReadOnly;
constexpr Role kReport = Role::kReporting;
constexpr Role kStats = Role::kStatisticsInternal;
constexpr Role kAdmin = Role::kAdmin;
constexpr Role kNetwork = Role::kStatisticsNetwork;

// Who may call what, by method: the one table. Admission reads it before parsing; every
// handler (service.cpp, admin_service.cpp, service_exchange.cpp, adapter_gate.cpp) reads it
// again through Call::Authorise. The test Admission.EveryServedMethodHasARule fails when a
// method of a served service is missing.
const std::map<std::string, MethodRule, std::less<>>& Rules() {
  static const auto* rules = [] {
    auto* r = new std::map<std::string, MethodRule, std::less<>>();
    auto add = [r](const std::string& service, std::initializer_list<const char*> methods,
                   std::vector<Role> roles) {
      for (const char* m : methods) (*r)["/" + service + "/" + m] = {true, false, roles};
    };
    const std::string ix = "ix.v1.InstrumentService";
    add(ix, {"Describe", "WhoAmI", "DescribeCategorisation"}, {kCase, kReport, kStats, kRead, kAdmin, kNetwork});
    add(ix, {"Validate", "Suggest", "History", "Due", "RenderForm", "DescribeDefinition",
             "LoadDefinition", "ValidateWithDefinition"},
        {kCase, kRead});
    add(ix, {"Assess", "Plan", "FollowUp", "ApplyAnswers", "SetPartStatus", "Migrate",
             "ExportExchange", "ImportExchange"},
        {kCase});
    add(ix, {"Report"}, {kReport, kStats, kCase});
    add(ix, {"ExportStatisticsExtract", "CombineExtracts"}, {kNetwork});
    add("ix.v1.PluginAdmin", {"Status", "Deploy", "Rollback", "Pin", "Unpin"}, {kAdmin});
    const std::string adapters = "ix.adapters.v1.";
    add(adapters + "FhirAdapter", {"Questionnaire", "FromCanonical"}, {kCase, kRead});
    add(adapters + "FhirAdapter", {"ToCanonical"}, {kCase});
    add(adapters + "LifecareAdapter", {"FromCanonical"}, {kCase, kRead});
    add(adapters + "LifecareAdapter", {"ToCanonical"}, {kCase});
    add(adapters + "FieldCodesAdapter", {"Export"}, {kCase, kRead});
    add(adapters + "FieldCodesAdapter", {"Import"}, {kCase});
    add("grpc.reflection.v1alpha.ServerReflection", {"ServerReflectionInfo"},
        {kCase, kReport, kStats, kRead, kAdmin, kNetwork});
    for (const char* m : {"Check", "Watch"}) (*r)[std::string("/grpc.health.v1.Health/") + m] = {true, true, {}};
    return r;
  }();
  return *rules;
}

// The same rules by RPC name (RpcName of each method).
const std::map<std::string, MethodRule, std::less<>>& RulesByRpc() {
  static const auto* by_rpc = [] {
    auto* r = new std::map<std::string, MethodRule, std::less<>>();
    for (const auto& [method, rule] : Rules()) (*r)[RpcName(method)] = rule;
    return r;
  }();
  return *by_rpc;
}

}  // namespace

std::vector<std::string> PeerIdentities(const grpc::AuthContext& auth) {
  std::vector<std::string> out;
  for (const char* property : {GRPC_X509_CN_PROPERTY_NAME, GRPC_X509_SAN_PROPERTY_NAME}) {
    for (const auto& value : auth.FindPropertyValues(property)) {
      out.emplace_back(value.data(), value.size());
    }
  }
  return out;
}

MethodRule RuleForMethod(std::string_view method) {
  const auto& rules = Rules();
  const auto it = rules.find(method);
  return it == rules.end() ? MethodRule{} : it->second;
}

MethodRule RuleForRpc(std::string_view rpc) {
  const auto& rules = RulesByRpc();
  const auto it = rules.find(rpc);
  return it == rules.end() ? MethodRule{} : it->second;
}

bool Admits(const MethodRule& rule, Role role) {
  return rule.open || std::find(rule.roles.begin(), rule.roles.end(), role) != rule.roles.end();
}

std::string RpcName(std::string_view method) {
  // "/ix.v1.InstrumentService/Validate" -> "Validate"; "/ix.v1.PluginAdmin/Pin" -> "PluginAdmin.Pin"
  const auto slash = method.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return std::string(method);
  std::string_view service = method.substr(1, slash - 1);
  const std::string_view name = method.substr(slash + 1);
  if (const auto dot = service.rfind('.'); dot != std::string_view::npos) service = service.substr(dot + 1);
  if (service == "InstrumentService") return std::string(name);
  return std::string(service) + "." + std::string(name);
}

grpc::Status Admission::Refuse(grpc::StatusCode code, std::string_view caller, std::string_view method,
                               std::string detail, std::string message) {
  const uint64_t n = refused_.fetch_add(1, std::memory_order_relaxed);
  const std::string request_id = request_prefix_ + "-r" + std::to_string(n);
  if (!audit_.writable()) {
    audit_.CountRefused();
  } else {
    audit_.Record(AuditRecord{
        .request_id = request_id,
        .caller = std::string(caller),
        .municipality = "",
        .rpc = RpcName(method),
        .household = "",
        .outcome = std::string(CodeName(code)),
        .detail = std::move(detail),
    });
  }
  return grpc::Status(code, message);
}

grpc::Status Admission::Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                                OutputMetadata*, OutputMetadata*) {
  std::string_view method;
  if (const auto it = auth_metadata.find(":path"); it != auth_metadata.end()) {
    method = std::string_view(it->second.data(), it->second.size());
  }
  const MethodRule rule = RuleForMethod(method);
  if (rule.open) {
    admitted_.fetch_add(1, std::memory_order_relaxed);
    return grpc::Status::OK;
  }
  return Check(PeerIdentities(*context), method);
}

grpc::Status Admission::Check(const std::vector<std::string>& identities, std::string_view method) {
  const MethodRule rule = RuleForMethod(method);
  const Caller* caller = callers_.Find(identities);
  if (caller == nullptr) {
    const std::string who = identities.empty() ? std::string("unknown")
                                               : "unknown:" + BoundAuditValue(identities.front());
    return Refuse(grpc::StatusCode::PERMISSION_DENIED, who, method, "refused before parsing",
                  "certificate identity '" +
                      (identities.empty() ? std::string() : BoundAuditValue(identities.front())) +
                      "' is not in the server's caller map");
  }
  if (rule.known && !Admits(rule, caller->role)) {
    return Refuse(grpc::StatusCode::PERMISSION_DENIED, caller->identity, method,
                  "role refused before parsing",
                  "role '" + std::string(RoleName(caller->role)) + "' may not call " + RpcName(method));
  }
  if (!audit_.writable()) {
    // Fail closed before the payload is read: nothing could be audited.
    audit_.CountRefused();
    refused_.fetch_add(1, std::memory_order_relaxed);
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the audit log cannot be written: calls are refused until it can");
  }
  admitted_.fetch_add(1, std::memory_order_relaxed);
  return grpc::Status::OK;
}

}  // namespace ix::server
