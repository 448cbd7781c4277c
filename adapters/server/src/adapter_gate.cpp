#include "adapter_gate.hpp"

#include "call.hpp"
#include "ix/adapters/v1/adapters_service.pb.h"

#include <functional>
#include <string>
#include <string_view>

namespace ix::server {
namespace {

namespace av1 = ::ix::adapters::v1;
using google::protobuf::Message;

using Check = std::function<grpc::Status(Call&, const Message&)>;

// A check of one message type (the rule's RPC fixes the type, so the cast is exact).
template <typename M, typename Fn>
Check On(Fn fn) {
  return [fn](Call& call, const Message& message) { return fn(call, static_cast<const M&>(message)); };
}

grpc::Status OneHousehold(Call& call, const v1::Household& household, const std::string& field) {
  return call.CheckHousehold(household.municipality_code(), household.household_ref(), field);
}

// An export of one response (FHIR, field codes): its household, and the case it may carry for
// the protected-identity rule (every snapshot of it must be the caller's municipality too).
template <typename Request>
grpc::Status ExportedResponse(Call& call, const Request& r) {
  if (r.has_household_case()) {
    if (auto st = call.CheckCase(r.household_case(), "household_case"); !st.ok()) return st;
  }
  return OneHousehold(call, r.response().household(), "response.household.municipality_code");
}

// What each adapter RPC checks beyond the caller's role (roles: the admission table).
struct Rule {
  std::string_view rpc;
  Check request;   // before the translation: what the request names
  Check response;  // after it: what the translation found (FHIR's document names it inside)
};

const Rule* FindRule(std::string_view rpc) {
  static const Rule kRules[] = {
      {"FhirAdapter.Questionnaire", nullptr, nullptr},  // a definition: no household
      {"FhirAdapter.FromCanonical",
       On<av1::FhirFromCanonicalRequest>([](Call& call, const auto& r) { return ExportedResponse(call, r); }),
       nullptr},
      {"FhirAdapter.ToCanonical", nullptr,
       On<av1::FhirToCanonicalResponse>([](Call& call, const auto& r) {
         // The municipality is an answer inside the QuestionnaireResponse (item
         // household.municipality_code): known only once translated, checked before it leaves.
         return OneHousehold(call, r.response().household(), "response.household.municipality_code");
       })},
      {"LifecareAdapter.FromCanonical",
       On<av1::LifecareFromCanonicalRequest>(
           [](Call& call, const auto& r) { return call.CheckCase(r.household_case(), "household_case"); }),
       nullptr},
      {"LifecareAdapter.ToCanonical",
       On<av1::LifecareToCanonicalRequest>([](Call& call, const auto& r) {
         return call.CheckHousehold(r.municipality_code(), r.household_ref(), "municipality_code");
       }),
       nullptr},
      {"FieldCodesAdapter.Export",
       On<av1::FieldCodesExportRequest>([](Call& call, const auto& r) { return ExportedResponse(call, r); }),
       nullptr},
      {"FieldCodesAdapter.Import",
       On<av1::FieldCodesImportRequest>([](Call& call, const auto& r) {
         return OneHousehold(call, r.household(), "household.municipality_code");
       }),
       nullptr},
  };
  for (const Rule& rule : kRules) {
    if (rule.rpc == rpc) return &rule;
  }
  return nullptr;
}

}  // namespace

adapters::grpc::Gate AdapterGate(Backend& backend) {
  return [&backend](grpc::ServerContextBase* context, std::string_view rpc, const Message& request,
                    const Message& response, const std::function<grpc::Status()>& translate) {
    Call call(backend, context, rpc);
    const Rule* rule = FindRule(rpc);
    if (rule == nullptr) {  // an adapter RPC added without a rule is refused, never let through
      return call.Audit(Plain(call.request_id(), grpc::StatusCode::UNIMPLEMENTED, "IX_NO_RULE",
                              std::string(rpc) + " has no authorisation rule in ix-server"));
    }
    if (auto st = call.Authorise(); !st.ok()) return call.Audit(st);
    if (rule->request) {
      if (auto st = rule->request(call, request); !st.ok()) return call.Audit(st);
    }
    std::shared_ptr<const PluginSession> plugin;  // the sources get it again (bound below)
    if (auto st = call.AcquirePlugin(&plugin); !st.ok()) return call.Audit(st);
    if (auto st = call.StillWanted(); !st.ok()) return call.Audit(st);
    backend.plugin_calls.fetch_add(1, std::memory_order_relaxed);
    // The plugin calls the translation makes run with this RPC's name and deadline, and under
    // the same retry after a worker crash as the canonical service's calls.
    isolation::CallScope scope(std::string(rpc), context->deadline());
    std::string retried;
    const grpc::Status translated =
        backend.WithRetryAfterCrash(plugin, [&](const PluginSession&) { return translate(); }, &retried);
    if (!retried.empty()) call.set_detail(std::move(retried));
    if (!translated.ok()) {
      call.set_detail(FirstPath(StatusOf(translated)));
      return call.Audit(WithDetails(call.request_id(), translated));
    }
    if (rule->response) {
      if (auto st = rule->response(call, response); !st.ok()) return call.Audit(st);
    }
    return call.Audit(grpc::Status::OK);
  };
}

}  // namespace ix::server
