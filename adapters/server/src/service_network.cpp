// InstrumentService.ExportStatisticsExtract / CombineExtracts: comparison between municipalities
// without pooling personal data (docs/statistics.md, "Network extracts and the network report").
// Role statistics_network only (admission.cpp). The extract is signed with the server's exchange
// key, the municipality's one Ed25519 key; extracts are verified against the exchange's trusted
// senders, the same municipality keys.
#include <ix/base/clock.hpp>
#include <ix/extension.hpp>

#include "call.hpp"
#include "service.hpp"
#ifdef IX_SERVER_WITH_STORE
#include <ix/store/event_store.hpp>
#include <ix/store/network.hpp>
#include <ix/store/reports.hpp>

#include "event_recorder.hpp"
#endif

namespace ix::server {

#ifdef IX_SERVER_WITH_STORE
namespace {

// A refusal of the network library as gRPC: its code, reason and field as they are.
grpc::Status Refused(Call& call, const Status& status) {
  call.set_detail(status.problems().empty() ? std::string("refused") : status.problems().front().path);
  return FromStatus(call.request_id(), status, "IX_INVALID_FIELD");
}

}  // namespace
#endif

grpc::ServerUnaryReactor* InstrumentService::ExportStatisticsExtract(
    grpc::CallbackServerContext* context, const v1::ExportStatisticsExtractRequest* request,
    v1::ExportStatisticsExtractResponse* response) {
  Call call(backend_, context, "ExportStatisticsExtract");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  if (auto st = call.CheckMunicipality(request->municipality_code(), "municipality_code"); !st.ok()) {
    return call.Finish(st);
  }
  if (!backend_.recorder) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION, "IX_NO_STORE",
                             "this server runs without an event store (store_dir): no extracts"));
  }
  const ExchangeConfig& config = backend_.config.exchange();
  if (config.signing_key_file().empty()) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION, "IX_NO_SIGNING_KEY",
                             "this server has no signing key (exchange.signing_key_file in its "
                             "configuration): it cannot sign extracts"));
  }
  auto key = ReadSigningKey(config);
  if (!key.ok()) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION, "IX_NO_SIGNING_KEY",
                             key.status().message()));
  }
#ifdef IX_SERVER_WITH_STORE
  store::ExtractInput input;
  input.municipality_code = request->municipality_code();
  input.year = request->year();
  for (int kind : request->kinds()) {
    if (kind == v1::REPORT_KIND_MOVEMENTS) input.kinds.push_back(statistics::ReportKind::kMovements);
    else if (kind == v1::REPORT_KIND_KAS) input.kinds.push_back(statistics::ReportKind::kKas);
    else {
      call.set_detail("kinds");
      return call.Finish(InvalidField(call.request_id(), "kinds",
                                      "kind " + std::to_string(kind) + " is not in the network definition (movements, kas)"));
    }
  }
  input.created_at = request->created_at().empty() ? base::Rfc3339Utc(backend_.clock()) : request->created_at();
  // The versions the counts rest on: what the serving plugin describes.
  v1::DescribeResponse described;
  if (auto st = call.Invoke([](const PluginSession& p) { return p.table().describe; }, v1::DescribeRequest(), &described);
      !st.ok()) {
    return call.Finish(st);
  }
  v1::CategorisationDescribeResponse categorisation;
  if (auto st = call.Invoke(
          [](const PluginSession& p) -> ix_call_fn {
            auto fn = RequireExtensionFunction<&ix_categorisation_v1::describe>(p);
            return fn.ok() ? *fn : nullptr;
          },
          v1::CategorisationDescribeRequest(), &categorisation);
      !st.ok()) {
    return call.Finish(st);
  }
  store::SetVersions(described, categorisation, &input);
  if (auto st = call.StillWanted(); !st.ok()) return call.Finish(st);
  Status refused;
  const Status built = backend_.recorder->WithStore(request->municipality_code(), [&](const store::EventStore& store) {
    auto extract = store::ExportExtract(store, input, *key);
    if (!extract.ok()) {
      refused = extract.status();
      return Status::Ok();
    }
    *response->mutable_extract() = std::move(*extract);
    return Status::Ok();
  });
  if (!built.ok()) return call.Finish(call.StoreFailed(built));
  if (!refused.ok()) return call.Finish(Refused(call, refused));
  call.set_detail("year=" + std::to_string(request->year()) + " bytes=" +
                  std::to_string(response->extract().extract().size()));
#endif
  return call.Finish(grpc::Status::OK);
}

grpc::ServerUnaryReactor* InstrumentService::CombineExtracts(grpc::CallbackServerContext* context,
                                                           const v1::NetworkReportRequest* request,
                                                           v1::NetworkReport* response) {
  Call call(backend_, context, "CombineExtracts");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
#ifdef IX_SERVER_WITH_STORE
  const ExchangeConfig& config = backend_.config.exchange();
  if (config.trusted_senders().empty()) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION, "IX_NO_TRUSTED_KEYS",
                             "this server trusts no municipality key (exchange.trusted_senders in its "
                             "configuration): it verifies no extract"));
  }
  std::vector<store::TrustedKey> trusted;
  for (const TrustedSender& sender : config.trusted_senders()) {
    trusted.push_back({sender.public_key_hex(), sender.municipality_code()});
  }
  const auto lang = store::ReaderLanguage(request->language());
  if (!lang.ok()) {
    call.set_detail("language");
    return call.Finish(Refused(call, lang.status()));
  }
  const std::vector<v1::SignedStatisticsExtract> extracts(request->extracts().begin(), request->extracts().end());
  auto report = store::BuildNetworkReport(extracts, trusted, request->kind(), *lang);
  if (!report.ok()) return call.Finish(Refused(call, report.status()));
  *response = std::move(*report);
  std::string municipalities;
  for (const auto& code : response->municipality_codes()) municipalities += (municipalities.empty() ? "" : ",") + code;
  call.set_detail("kind=" + v1::ReportKind_Name(request->kind()) + " municipalities=" + municipalities);
  return call.Finish(grpc::Status::OK);
#else
  (void)request;
  (void)response;
  return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION, "IX_NO_STORE",
                           "this server was built without the statistics library: no network reports"));
#endif
}

}  // namespace ix::server
