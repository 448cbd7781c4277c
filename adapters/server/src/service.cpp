#include "service.hpp"

#include "call.hpp"
#include "wire_scope.hpp"
#ifdef IX_SERVER_WITH_STORE
#include <ix/statistics/records.hpp>
#include <ix/store/reports.hpp>

#include "event_recorder.hpp"
#endif

#include <ix/extension.hpp>

#include <google/protobuf/arena.h>

#include <cstddef>
#include <vector>

namespace ix::server {
namespace {

#ifdef IX_SERVER_WITH_STORE
// Disclosure control by role: what a report request may ask for. Enforced here, before the
// store is read, whatever the request says; only statistics_internal may lift it.
struct ReportLimits {
  bool internal = false;           // may ask for an unsuppressed report (internal = true)
  int32_t min_cell_size = 5;       // lowest suppression_threshold (0 in a request: 5)
  bool caseworker_filter = false;  // may filter on one caseworker's cases
  bool unit_filter = true;         // may filter on one unit
  int32_t min_period_days = 28;    // shortest from_date..to_date period (inclusive)
};

ReportLimits LimitsOf(Role role) {
  if (role == Role::kStatisticsInternal) return {true, 2, true, true, 1};
  return {};  // reporting and case systems: published statistics only
}

// The first thing `request` asks for beyond the caller's role's limits, as a refusal naming the
// field, the limit and the value; OK when within. Malformed values are left to the report
// request's own checks (INVALID_ARGUMENT).
grpc::Status CheckReportLimits(Call& call, const v1::ReportRequest& request) {
  const Role role = call.caller()->role;
  const ReportLimits limits = LimitsOf(role);
  const std::string who = "role " + std::string(RoleName(role));
  const auto refuse = [&](std::string_view field, const std::string& what) {
    call.set_detail(std::string(field));
    return FieldRefused(call.request_id(), grpc::StatusCode::PERMISSION_DENIED,
                        "IX_DISCLOSURE_LIMIT", field, what);
  };
  if (request.internal() && !limits.internal) {
    return refuse("internal", "internal (unsuppressed) reports are for role statistics_internal "
                              "only; " + who + " gets reports under disclosure control");
  }
  const int32_t threshold = request.suppression_threshold() == 0 ? 5 : request.suppression_threshold();
  if (threshold >= 2 && threshold < limits.min_cell_size) {  // below 2: bad input for every role
    return refuse("suppression_threshold", std::to_string(threshold) + " is below the minimum cell size " +
                                               std::to_string(limits.min_cell_size) + " of " + who);
  }
  if (!request.caseworker().empty() && !limits.caseworker_filter) {
    return refuse("caseworker", "a filter on one caseworker's cases is not allowed for " + who +
                                    " (finest filter: unit)");
  }
  if (!request.unit().empty() && !limits.unit_filter) {
    return refuse("unit", "a filter on one unit is not allowed for " + who);
  }
  const auto from = statistics::ParseDay(request.from_date());
  const auto to = statistics::ParseDay(request.to_date());
  if (from && to && *to >= *from && *to - *from + 1 < limits.min_period_days) {
    return refuse("to_date", "a period of " + std::to_string(*to - *from + 1) + " day(s) (" +
                                 request.from_date() + ".." + request.to_date() +
                                 ") is shorter than the " + std::to_string(limits.min_period_days) +
                                 " days allowed for " + who);
  }
  return grpc::Status::OK;
}
#endif

// Selects one function of an extension table ("ix.categorisation/1", "ix.forms/1"): nullptr
// (-> UNIMPLEMENTED) when the plugin lacks the extension or its table is too old to have it.
template <auto Fn>
ix_call_fn ExtensionFn(const PluginSession& plugin) {
  auto fn = RequireExtensionFunction<Fn>(plugin);
  return fn.ok() ? *fn : nullptr;
}

// The scope check of a request about one household.
auto OneHousehold(const v1::Household& household, const char* field) {
  return [&household, field](Call& call) {
    return call.CheckHousehold(household.municipality_code(), household.household_ref(), field);
  };
}

// The bytes of a raw request (usually one slice; copied once).
std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

// "not a valid ix.v1.SuggestRequest (14398 bytes)"
template <typename Request>
grpc::Status NotARequest(const Call& call, size_t size) {
  return InvalidField(call.request_id(), "request",
                      "not a valid " + Request::descriptor()->full_name() + " (" + std::to_string(size) +
                          " bytes)");
}

// Scope of a request about one household: its municipality and reference read from the wire
// (wire_scope.hpp) at `path` ("response.household"), never parsing the rest. The plugin parses
// the whole request; a malformed part this does not walk is refused there.
template <typename Request>
class HouseholdScope {
 public:
  explicit HouseholdScope(const std::string& path)
      : path_(FieldPath(Request::descriptor(), path)), field_(path + ".municipality_code") {}
  grpc::Status operator()(Call& call, std::string_view bytes) const {
    const auto household = HouseholdAt(bytes, path_);
    if (!household) return NotARequest<Request>(call, bytes.size());
    return call.CheckHousehold(household->municipality_code, household->household_ref, field_);
  }

 private:
  std::vector<int> path_;
  std::string field_;
};

// Scope of a request whose checks need more of it (several cases, events): parsed, into an
// arena (one block allocation instead of one per field and repeated element), for `check`.
template <typename Request, typename Check>
auto Parsed(Check check) {
  return [check](Call& call, std::string_view bytes) -> grpc::Status {
    google::protobuf::Arena arena;
    Request& request = *google::protobuf::Arena::CreateMessage<Request>(&arena);
    if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return NotARequest<Request>(call, bytes.size());
    }
    return check(call, request);
  };
}

// Requests about no household (a definition, a blank form): parsed only to refuse bad bytes
// with the server's own message.
template <typename Request>
auto NoHousehold() {
  return Parsed<Request>([](Call&, const Request&) { return grpc::Status::OK; });
}

// The shape every extension RPC (categorisation, forms) shares: role (the admission table),
// the role's largest request, the scope check, the plugin call with the request bytes as
// received, audit. `scope(call, bytes)` checks the households and events the request is about.
template <auto Fn, typename Scope, typename After>
grpc::ServerUnaryReactor* Serve(Backend& backend, grpc::CallbackServerContext* context,
                                std::string_view rpc, const grpc::ByteBuffer& raw, grpc::ByteBuffer* response,
                                const Scope& scope, After after) {
  Call call(backend, context, rpc);
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  // The role's largest request, checked on the raw size before anything is read.
  if (auto st = backend.limits->CheckRequestBytes(*call.caller(), raw.Length(), call.request_id());
      !st.ok()) {
    return call.Finish(st);
  }
  const std::string bytes = Bytes(raw);
  if (auto st = scope(call, std::string_view(bytes)); !st.ok()) return call.Finish(st);
  return call.Finish(
      call.InvokeRaw(&ExtensionFn<Fn>, bytes, response,
                     [&](const std::string& answer) { return after(call, answer); }));
}

// For RPCs whose answer is only returned.
grpc::Status NothingAfter(Call&, const std::string&) { return grpc::Status::OK; }

#ifdef IX_SERVER_WITH_STORE
const google::protobuf::RepeatedPtrField<v1::Event> EventsOf(const v1::AssessResponse& r) {
  google::protobuf::RepeatedPtrField<v1::Event> events;
  if (r.has_event()) *events.Add() = r.event();
  return events;
}
const google::protobuf::RepeatedPtrField<v1::Event>& EventsOf(const v1::PlanResponse& r) {
  return r.events();
}
const google::protobuf::RepeatedPtrField<v1::Event>& EventsOf(const v1::FollowUpResponse& r) {
  return r.events();
}

#endif

// After a plugin call that produced events (assessment, plan, follow-up): record them in the
// caller's municipality's event store, when the server has one. The answer goes back only
// once the events are committed.
template <typename Response>
auto RecordEvents(Backend& backend) {
  return [&backend](Call& call, const std::string& answer) -> grpc::Status {
    if (!backend.recorder) return grpc::Status::OK;
#ifdef IX_SERVER_WITH_STORE
    Response response;
    if (!response.ParseFromString(answer)) {
      return Plain(
          call.request_id(), grpc::StatusCode::INTERNAL, "IX_PLUGIN_FAILURE",
          "the plugin answered bytes that are not a valid " + Response::descriptor()->full_name());
    }
    const auto& events = EventsOf(response);
    if (auto st = call.CheckEvents(events, "events"); !st.ok()) return st;
    auto recorded = backend.recorder->Record(call.caller()->municipality_code, events);
    if (!recorded.ok()) return call.StoreFailed(recorded.status());
    call.set_detail("recorded=" + std::to_string(*recorded) + "/" + std::to_string(events.size()));
#else
    (void)call;
    (void)answer;
#endif
    return grpc::Status::OK;
  };
}

}  // namespace

grpc::ServerUnaryReactor* InstrumentService::Describe(grpc::CallbackServerContext* context,
                                                      const v1::DescribeRequest* request,
                                                      v1::DescribeResponse* response) {
  Call call(backend_, context, "Describe");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  return call.Finish(
      call.Invoke([](const PluginSession& p) { return p.table().describe; }, *request, response));
}

grpc::ServerUnaryReactor* InstrumentService::Validate(grpc::CallbackServerContext* context,
                                                      const v1::ValidateRequest* request,
                                                      v1::ValidateResponse* response) {
  Call call(backend_, context, "Validate");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  if (auto st = OneHousehold(request->response().household(),
                             "response.household.municipality_code")(call);
      !st.ok()) {
    return call.Finish(st);
  }
  grpc::Status status =
      call.Invoke([](const PluginSession& p) { return p.table().validate; }, *request, response);
  if (status.ok()) call.set_detail("problems=" + std::to_string(response->problems_size()));
  return call.Finish(status);
}

grpc::ServerUnaryReactor* InstrumentService::WhoAmI(grpc::CallbackServerContext* context,
                                                    const v1::WhoAmIRequest* /*request*/,
                                                    v1::WhoAmIResponse* response) {
  Call call(backend_, context, "WhoAmI");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  response->set_identity(call.caller()->identity);
  response->set_municipality_code(call.caller()->municipality_code);
  response->set_role(std::string(RoleName(call.caller()->role)));
  if (auto plugin = backend_.Plugin(call.caller()->municipality_code)) {
    response->set_plugin_name(std::string(plugin->name()));
    response->set_plugin_version(std::string(plugin->version()));
  }
  return call.Finish(grpc::Status::OK);
}

grpc::ServerUnaryReactor* InstrumentService::DescribeCategorisation(
    grpc::CallbackServerContext* context, const Raw* request, Raw* response) {
  return Serve<&ix_categorisation_v1::describe>(backend_, context, "DescribeCategorisation", *request, response,
                                                 NoHousehold<v1::CategorisationDescribeRequest>(), &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::Suggest(grpc::CallbackServerContext* context,
                                                     const Raw* request, Raw* response) {
  static const HouseholdScope<v1::SuggestRequest> scope("response.household");
  return Serve<&ix_categorisation_v1::suggest>(backend_, context, "Suggest", *request, response, scope,
                                                &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::Assess(grpc::CallbackServerContext* context,
                                                    const Raw* request, Raw* response) {
  static const HouseholdScope<v1::AssessRequest> scope("household");
  return Serve<&ix_categorisation_v1::assess>(backend_, context, "Assess", *request, response, scope,
                                               RecordEvents<v1::AssessResponse>(backend_));
}

grpc::ServerUnaryReactor* InstrumentService::History(grpc::CallbackServerContext* context,
                                                     const Raw* request, Raw* response) {
  return Serve<&ix_categorisation_v1::history>(
      backend_, context, "History", *request, response,
      Parsed<v1::HistoryRequest>([](Call& call, const v1::HistoryRequest& r) {
        if (auto st = OneHousehold(r.household(), "household.municipality_code")(call); !st.ok()) {
          return st;
        }
        return call.CheckEvents(r.events(), "events");
      }),
      &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::Due(grpc::CallbackServerContext* context,
                                                 const Raw* request, Raw* response) {
  return Serve<&ix_categorisation_v1::due>(
      backend_, context, "Due", *request, response,
      Parsed<v1::DueRequest>([](Call& call, const v1::DueRequest& r) {
        for (int i = 0; i < r.cases_size(); ++i) {
          const v1::Case& c = r.cases(i);
          const std::string prefix = "cases[" + std::to_string(i) + "]";
          if (auto st = call.CheckMunicipality(c.household().municipality_code(),
                                               prefix + ".household.municipality_code");
              !st.ok()) {
            return st;
          }
          if (auto st = call.CheckEvents(c.events(), prefix + ".events"); !st.ok()) return st;
        }
        call.set_detail("cases=" + std::to_string(r.cases_size()));
        return grpc::Status::OK;
      }),
      &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::Plan(grpc::CallbackServerContext* context,
                                                  const Raw* request, Raw* response) {
  static const HouseholdScope<v1::PlanRequest> scope("household");
  return Serve<&ix_categorisation_v1::plan>(backend_, context, "Plan", *request, response, scope,
                                             RecordEvents<v1::PlanResponse>(backend_));
}

grpc::ServerUnaryReactor* InstrumentService::FollowUp(grpc::CallbackServerContext* context,
                                                      const Raw* request, Raw* response) {
  static const HouseholdScope<v1::FollowUpRequest> scope("household");
  return Serve<&ix_categorisation_v1::follow_up>(backend_, context, "FollowUp", *request, response, scope,
                                                  RecordEvents<v1::FollowUpResponse>(backend_));
}

grpc::ServerUnaryReactor* InstrumentService::Report(grpc::CallbackServerContext* context,
                                                    const v1::ReportRequest* request,
                                                    v1::StatisticsReport* response) {
  Call call(backend_, context, "Report");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  if (auto st = call.CheckMunicipality(request->municipality_code(), "municipality_code");
      !st.ok()) {
    return call.Finish(st);
  }
  if (!backend_.recorder) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION,
                             "IX_NO_STORE",
                             "this server runs without an event store (store_dir): no reports"));
  }
#ifdef IX_SERVER_WITH_STORE
  if (auto st = CheckReportLimits(call, *request); !st.ok()) return call.Finish(st);
#endif
  if (auto st = call.StillWanted(); !st.ok()) return call.Finish(st);
#ifdef IX_SERVER_WITH_STORE
  const Status built = backend_.recorder->WithStore(
      request->municipality_code(), [&](const store::EventStore& store) {
        auto report = store::BuildReport(store, *request);
        if (!report.ok()) return report.status();
        *response = std::move(*report);
        return Status::Ok();
      });
  if (!built.ok()) return call.Finish(call.StoreFailed(built));
  call.set_detail("kind=" + v1::ReportKind_Name(request->kind()) +
                  " tables=" + std::to_string(response->tables_size()) +
                  (request->internal() ? " internal" : ""));
#endif
  return call.Finish(grpc::Status::OK);
}

// --- Extension "ix.forms/1". Writers change the response (answers, part states, migration);
// readers only look (the printable form, a definition, validation).

grpc::ServerUnaryReactor* InstrumentService::ApplyAnswers(grpc::CallbackServerContext* context,
                                                          const Raw* request, Raw* response) {
  static const HouseholdScope<v1::ApplyAnswersRequest> scope("response.household");
  return Serve<&ix_forms_v1::apply_answers>(backend_, context, "ApplyAnswers", *request, response, scope,
                                             &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::SetPartStatus(grpc::CallbackServerContext* context,
                                                           const Raw* request, Raw* response) {
  static const HouseholdScope<v1::SetPartStatusRequest> scope("response.household");
  return Serve<&ix_forms_v1::set_part_status>(backend_, context, "SetPartStatus", *request, response, scope,
                                               &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::Migrate(grpc::CallbackServerContext* context,
                                                     const Raw* request, Raw* response) {
  static const HouseholdScope<v1::MigrateRequest> scope("response.household");
  return Serve<&ix_forms_v1::migrate>(backend_, context, "Migrate", *request, response, scope,
                                       &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::RenderForm(grpc::CallbackServerContext* context,
                                                        const Raw* request, Raw* response) {
  // A blank form of a definition: no household in it.
  return Serve<&ix_forms_v1::render_form>(backend_, context, "RenderForm", *request, response,
                                           NoHousehold<v1::RenderFormRequest>(), &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::DescribeDefinition(
    grpc::CallbackServerContext* context, const Raw* request, Raw* response) {
  return Serve<&ix_forms_v1::describe_definition>(backend_, context, "DescribeDefinition", *request, response,
                                                   NoHousehold<v1::DescribeDefinitionRequest>(), &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::LoadDefinition(grpc::CallbackServerContext* context,
                                                            const Raw* request, Raw* response) {
  // Checks a licensee definition and forgets it: no household, nothing kept.
  return Serve<&ix_forms_v1::load_definition>(backend_, context, "LoadDefinition", *request, response,
                                               NoHousehold<v1::LoadDefinitionRequest>(), &NothingAfter);
}

grpc::ServerUnaryReactor* InstrumentService::ValidateWithDefinition(
    grpc::CallbackServerContext* context, const Raw* request, Raw* response) {
  static const HouseholdScope<v1::ValidateWithDefinitionRequest> scope("response.household");
  return Serve<&ix_forms_v1::validate>(backend_, context, "ValidateWithDefinition", *request, response, scope,
                                        &NothingAfter);
}

}  // namespace ix::server
