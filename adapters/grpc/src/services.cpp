#include <ix/adapters/definitions.hpp>
#include <ix/adapters/fhir/fhir.hpp>
#include <ix/adapters/fieldcodes/fieldcodes.hpp>
#include <ix/adapters/grpc/services.hpp>
#include <ix/adapters/lifecare/lifecare.hpp>
#include <ix/adapters/plugin_data.hpp>
#include <ix/adapters/vendor_json.hpp>

#include "google/rpc/status.pb.h"
#include "ix/adapters/v1/adapters_service.grpc.pb.h"

#include <fstream>
#include <sstream>

namespace ix::adapters::grpc {

namespace av1 = ::ix::adapters::v1;
using ::grpc::ServerContext;

google::rpc::BadRequest BadRequestOf(const std::vector<Problem>& problems) {
  google::rpc::BadRequest bad;
  for (const Problem& problem : problems) {
    auto* violation = bad.add_field_violations();
    violation->set_field(problem.path);
    violation->set_description(problem.en.empty() ? problem.sv : problem.en);
  }
  return bad;
}

::grpc::Status ToGrpc(const Status& status) {
  if (status.ok()) return ::grpc::Status::OK;
  // ix::StatusCode is google.rpc.Code with the same numbers: no table of its own here.
  const auto code = static_cast<::grpc::StatusCode>(static_cast<int>(status.code()));
  if (status.problems().empty()) return {code, status.message()};
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(status.message());
  details.add_details()->PackFrom(BadRequestOf(status.problems()));
  return {code, status.message(), details.SerializeAsString()};
}

AdapterSources SourcesFromPlugin(std::function<std::shared_ptr<const PluginSession>()> plugin,
                                 std::filesystem::path profiles_dir) {
  AdapterSources sources;
  auto serving = [plugin = std::move(plugin)]() -> Result<std::shared_ptr<const PluginSession>> {
    auto session = plugin();
    if (session == nullptr) return Status(StatusCode::kUnavailable, "the plugin is not serving");
    return session;
  };
  sources.definitions = [serving]() -> Result<std::vector<::ix::v1::Definition>> {
    auto session = serving();
    if (!session.ok()) return session.status();
    return PluginDefinitions(**session);
  };
  sources.forsorjningshinder = [serving]() -> Result<::ix::v1::ForsorjningshinderTable> {
    auto session = serving();
    if (!session.ok()) return session.status();
    return PluginForsorjningshinder(**session);
  };
  sources.profiles_dir = profiles_dir.empty() ? std::filesystem::path(IX_FIELDCODE_PROFILES_DIR) : std::move(profiles_dir);
  return sources;
}

namespace {

// Every RPC goes through the gate (when there is one) with its name, request and response.
::grpc::Status Gated(const Gate& gate, ::grpc::ServerContextBase* context, std::string_view rpc,
                     const google::protobuf::Message& request, const google::protobuf::Message& response,
                     const std::function<::grpc::Status()>& translate) {
  return gate ? gate(context, rpc, request, response, translate) : translate();
}

fhir::Options FhirOptionsOf(const av1::FhirOptions& in) {
  fhir::Options options;
  if (!in.language().empty()) options.language = in.language();
  if (!in.canonical_base().empty()) options.canonical_base = in.canonical_base();
  return options;
}

// The protected-identity rule of an export of one response (FHIR, field codes): over every
// snapshot of the case the request carries, else over the response's own household.
template <typename Request>
Result<ProtectedIdentity> ProtectionOf(const ::ix::v1::InstrumentResponse& response, const Request& request,
                                       std::string_view case_field) {
  return ProtectedIdentity::ForExport(response, request.has_household_case() ? &request.household_case() : nullptr,
                                      case_field);
}

::grpc::Status BadLanguage(const av1::FhirOptions& in) {
  if (in.language().empty() || in.language() == "sv" || in.language() == "en") return ::grpc::Status::OK;
  return {::grpc::StatusCode::INVALID_ARGUMENT, "options.language: expected sv or en"};
}

class FhirService final : public av1::FhirAdapter::Service {
 public:
  FhirService(const AdapterSources& sources, const Gate& gate) : sources_(sources), gate_(gate) {}

  ::grpc::Status Questionnaire(ServerContext* context, const av1::FhirQuestionnaireRequest* request, av1::FhirDocument* reply) override {
    return Gated(gate_, context, "FhirAdapter.Questionnaire", *request, *reply, [&] { return DoQuestionnaire(request, reply); });
  }
  ::grpc::Status FromCanonical(ServerContext* context, const av1::FhirFromCanonicalRequest* request, av1::FhirDocument* reply) override {
    return Gated(gate_, context, "FhirAdapter.FromCanonical", *request, *reply, [&] { return DoFromCanonical(request, reply); });
  }
  ::grpc::Status ToCanonical(ServerContext* context, const av1::FhirToCanonicalRequest* request, av1::FhirToCanonicalResponse* reply) override {
    return Gated(gate_, context, "FhirAdapter.ToCanonical", *request, *reply, [&] { return DoToCanonical(request, reply); });
  }

 private:

  ::grpc::Status DoQuestionnaire(const av1::FhirQuestionnaireRequest* request, av1::FhirDocument* reply) {
    if (auto s = BadLanguage(request->options()); !s.ok()) return s;
    auto definitions = sources_.definitions();
    if (!definitions.ok()) return ToGrpc(definitions.status());
    const ::ix::v1::Definition* d = FindDefinition(*definitions, request->instrument().instrument_id(),
                                             request->instrument().version());
    if (d == nullptr) {
      return {::grpc::StatusCode::NOT_FOUND, "instrument: " + request->instrument().instrument_id() + "@" +
                                                 request->instrument().version() + " is not in the plugin"};
    }
    auto q = fhir::QuestionnaireFromDefinition(*d, FhirOptionsOf(request->options()));
    reply->set_json(q.resource.dump());
    *reply->mutable_report() = std::move(q.report);
    return ::grpc::Status::OK;
  }

  ::grpc::Status DoFromCanonical(const av1::FhirFromCanonicalRequest* request, av1::FhirDocument* reply) {
    if (auto s = BadLanguage(request->options()); !s.ok()) return s;
    auto definitions = sources_.definitions();
    if (!definitions.ok()) return ToGrpc(definitions.status());
    const auto& ref = request->response().instrument();
    const ::ix::v1::Definition* d = FindDefinition(*definitions, ref.instrument_id(), ref.version());
    if (d == nullptr) {
      return {::grpc::StatusCode::NOT_FOUND,
              "response.instrument: " + ref.instrument_id() + "@" + ref.version() + " is not in the plugin"};
    }
    fhir::Options options = FhirOptionsOf(request->options());
    auto protection = ProtectionOf(request->response(), *request, "household_case");
    if (!protection.ok()) return ToGrpc(protection.status());
    options.protection = std::move(protection).value();
    auto qr = fhir::ResponseToFhir(request->response(), *d, options);
    if (!qr.ok()) return ToGrpc(qr.status());
    reply->set_json(qr->resource.dump());
    *reply->mutable_report() = std::move(qr->report);
    return ::grpc::Status::OK;
  }

  ::grpc::Status DoToCanonical(const av1::FhirToCanonicalRequest* request, av1::FhirToCanonicalResponse* reply) {
    if (auto s = BadLanguage(request->options()); !s.ok()) return s;
    auto json = ParseVendorJson(request->json(), "json");
    if (!json.ok()) return ToGrpc(json.status());
    auto definitions = sources_.definitions();
    if (!definitions.ok()) return ToGrpc(definitions.status());
    auto imported = fhir::ResponseFromFhir(*json, *definitions, FhirOptionsOf(request->options()));
    if (!imported.ok()) return ToGrpc(imported.status());
    *reply->mutable_response() = std::move(imported->response);
    *reply->mutable_report() = std::move(imported->report);
    return ::grpc::Status::OK;
  }

  const AdapterSources& sources_;
  const Gate& gate_;
};

class LifecareService final : public av1::LifecareAdapter::Service {
 public:
  LifecareService(const AdapterSources& sources, const Gate& gate) : sources_(sources), gate_(gate) {}

  ::grpc::Status FromCanonical(ServerContext* context, const av1::LifecareFromCanonicalRequest* request, av1::LifecareDocument* reply) override {
    return Gated(gate_, context, "LifecareAdapter.FromCanonical", *request, *reply, [&] { return DoFromCanonical(request, reply); });
  }
  ::grpc::Status ToCanonical(ServerContext* context, const av1::LifecareToCanonicalRequest* request, av1::LifecareToCanonicalResponse* reply) override {
    return Gated(gate_, context, "LifecareAdapter.ToCanonical", *request, *reply, [&] { return DoToCanonical(request, reply); });
  }

 private:

  ::grpc::Status DoFromCanonical(const av1::LifecareFromCanonicalRequest* request, av1::LifecareDocument* reply) {
    auto table = sources_.forsorjningshinder();
    if (!table.ok()) return ToGrpc(table.status());
    lifecare::ToLifecareOptions options;
    options.links = request->links();
    auto exported = lifecare::ToLifecare(request->household_case(), *table, options);
    if (!exported.ok()) return ToGrpc(exported.status());
    reply->set_json(exported->document.dump());
    *reply->mutable_report() = std::move(exported->report);
    return ::grpc::Status::OK;
  }

  ::grpc::Status DoToCanonical(const av1::LifecareToCanonicalRequest* request, av1::LifecareToCanonicalResponse* reply) {
    auto json = ParseVendorJson(request->json(), "json");
    if (!json.ok()) return ToGrpc(json.status());
    auto table = sources_.forsorjningshinder();
    if (!table.ok()) return ToGrpc(table.status());
    lifecare::FromLifecareOptions options;
    options.municipality_code = request->municipality_code();
    options.household_ref = request->household_ref();
    options.links = request->links();
    auto imported = lifecare::FromLifecare(*json, *table, options);
    if (!imported.ok()) return ToGrpc(imported.status());
    *reply->mutable_household_case() = std::move(imported->household_case);
    for (auto& note : imported->notes) reply->add_notes(std::move(note));
    *reply->mutable_links() = std::move(imported->links);
    *reply->mutable_report() = std::move(imported->report);
    return ::grpc::Status::OK;
  }

  const AdapterSources& sources_;
  const Gate& gate_;
};

class FieldCodesService final : public av1::FieldCodesAdapter::Service {
 public:
  FieldCodesService(const AdapterSources& sources, const Gate& gate) : sources_(sources), gate_(gate) {}

  ::grpc::Status Export(ServerContext* context, const av1::FieldCodesExportRequest* request, av1::FieldCodesRecords* reply) override {
    return Gated(gate_, context, "FieldCodesAdapter.Export", *request, *reply, [&] { return DoExport(request, reply); });
  }
  ::grpc::Status Import(ServerContext* context, const av1::FieldCodesImportRequest* request, av1::FieldCodesImportResponse* reply) override {
    return Gated(gate_, context, "FieldCodesAdapter.Import", *request, *reply, [&] { return DoImport(request, reply); });
  }

 private:

  ::grpc::Status DoExport(const av1::FieldCodesExportRequest* request, av1::FieldCodesRecords* reply) {
    auto profile = Load(request->profile());
    if (!profile.ok()) return ToGrpc(profile.status());
    auto protection = ProtectionOf(request->response(), *request, "household_case");
    if (!protection.ok()) return ToGrpc(protection.status());
    auto exported = fieldcodes::ExportResponse(request->response(), *profile, *protection);
    if (!exported.ok()) return ToGrpc(exported.status());
    reply->set_text(std::move(exported->text));
    *reply->mutable_report() = std::move(exported->report);
    return ::grpc::Status::OK;
  }

  ::grpc::Status DoImport(const av1::FieldCodesImportRequest* request, av1::FieldCodesImportResponse* reply) {
    auto profile = Load(request->profile());
    if (!profile.ok()) return ToGrpc(profile.status());
    auto imported = fieldcodes::ImportRecords(request->text(), "text", request->household(), *profile);
    if (!imported.ok()) return ToGrpc(imported.status());
    *reply->mutable_response() = std::move(imported->response);
    *reply->mutable_report() = std::move(imported->report);
    return ::grpc::Status::OK;
  }

 private:
  // The profile (shipped by name, or inline), checked against the plugin's definition it names.
  Result<fieldcodes::Profile> Load(const av1::FieldCodesProfile& in) const {
    std::string text;
    std::string source = "profile.json";
    if (in.has_shipped()) {
      const std::string& name = in.shipped();
      if (name.empty() || name.find_first_of("/\\.") != std::string::npos) {
        return Status(StatusCode::kInvalidArgument, "profile.shipped: expected a profile name");
      }
      std::ifstream file(sources_.profiles_dir / (name + ".json"));
      if (!file) return Status(StatusCode::kNotFound, "profile.shipped: no shipped profile '" + name + "'");
      std::ostringstream all;
      all << file.rdbuf();
      text = all.str();
      source = name + ".json";
    } else if (in.has_json()) {
      text = in.json();
    } else {
      return Status(StatusCode::kInvalidArgument, "profile: missing (shipped name or json)");
    }
    auto definitions = sources_.definitions();
    if (!definitions.ok()) return definitions.status();
    return fieldcodes::LoadProfile(text, source, *definitions);  // parsed once, within the JSON limits
  }

  const AdapterSources& sources_;
  const Gate& gate_;
};

}  // namespace

struct AdapterServices::Impl {
  Impl(AdapterSources s, Gate g)
      : sources(std::move(s)), gate(std::move(g)), fhir(sources, gate), lifecare(sources, gate), fieldcodes(sources, gate) {}
  AdapterSources sources;
  Gate gate;
  FhirService fhir;
  LifecareService lifecare;
  FieldCodesService fieldcodes;
};

AdapterServices::AdapterServices(AdapterSources sources, Gate gate)
    : impl_(std::make_unique<Impl>(std::move(sources), std::move(gate))) {}
AdapterServices::~AdapterServices() = default;

void AdapterServices::Register(::grpc::ServerBuilder& builder) {
  builder.RegisterService(&impl_->fhir);
  builder.RegisterService(&impl_->lifecare);
  builder.RegisterService(&impl_->fieldcodes);
}

}  // namespace ix::adapters::grpc
