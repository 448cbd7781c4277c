// The ix.v1.InstrumentService implementation (gRPC callback API). Each RPC: authorise the
// caller's role, check the household is the caller's municipality's, call the plugin through
// the host library's session, map errors to gRPC statuses with details, audit.
#ifndef IX_SERVER_SERVICE_HPP
#define IX_SERVER_SERVICE_HPP

#include "backend.hpp"
#include "ix/v1/service.grpc.pb.h"

namespace ix::server {

// The forms RPCs ("ix.forms/1") are raw for the same reason as the categorisation ones below.
using FormsServiceBase = v1::InstrumentService::WithRawCallbackMethod_ApplyAnswers<
    v1::InstrumentService::WithRawCallbackMethod_SetPartStatus<
        v1::InstrumentService::WithRawCallbackMethod_Migrate<
            v1::InstrumentService::WithRawCallbackMethod_RenderForm<
                v1::InstrumentService::WithRawCallbackMethod_DescribeDefinition<
                    v1::InstrumentService::WithRawCallbackMethod_LoadDefinition<
                        v1::InstrumentService::WithRawCallbackMethod_ValidateWithDefinition<
                            v1::InstrumentService::CallbackService>>>>>>>;

// The plugin-backed categorisation RPCs are registered raw (grpc::ByteBuffer): the request
// bytes go to the plugin as received (parsed once here for the caller checks) and the plugin's
// response bytes go back unchanged, which saves parsing and re-serializing every response.
using InstrumentServiceBase = v1::InstrumentService::WithRawCallbackMethod_DescribeCategorisation<
    v1::InstrumentService::WithRawCallbackMethod_Suggest<
        v1::InstrumentService::WithRawCallbackMethod_Assess<
            v1::InstrumentService::WithRawCallbackMethod_History<
                v1::InstrumentService::WithRawCallbackMethod_Due<
                    v1::InstrumentService::WithRawCallbackMethod_Plan<
                        v1::InstrumentService::WithRawCallbackMethod_FollowUp<
                            FormsServiceBase>>>>>>>;

class InstrumentService final : public InstrumentServiceBase {
 public:
  explicit InstrumentService(Backend& backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* Describe(grpc::CallbackServerContext* context,
                                     const v1::DescribeRequest* request,
                                     v1::DescribeResponse* response) override;
  grpc::ServerUnaryReactor* Validate(grpc::CallbackServerContext* context,
                                     const v1::ValidateRequest* request,
                                     v1::ValidateResponse* response) override;
  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* context,
                                   const v1::WhoAmIRequest* request,
                                   v1::WhoAmIResponse* response) override;
  // Statistics from the event store.
  grpc::ServerUnaryReactor* Report(grpc::CallbackServerContext* context,
                                   const v1::ReportRequest* request,
                                   v1::StatisticsReport* response) override;

  // Extension "ix.categorisation/1" (raw: ix.v1 request and response messages as bytes).
  using Raw = grpc::ByteBuffer;
  grpc::ServerUnaryReactor* DescribeCategorisation(grpc::CallbackServerContext* context,
                                                   const Raw* request, Raw* response) override;
  grpc::ServerUnaryReactor* Suggest(grpc::CallbackServerContext* context, const Raw* request,
                                    Raw* response) override;
  grpc::ServerUnaryReactor* Assess(grpc::CallbackServerContext* context, const Raw* request,
                                   Raw* response) override;
  grpc::ServerUnaryReactor* History(grpc::CallbackServerContext* context, const Raw* request,
                                    Raw* response) override;
  grpc::ServerUnaryReactor* Due(grpc::CallbackServerContext* context, const Raw* request,
                                Raw* response) override;
  grpc::ServerUnaryReactor* Plan(grpc::CallbackServerContext* context, const Raw* request,
                                 Raw* response) override;
  grpc::ServerUnaryReactor* FollowUp(grpc::CallbackServerContext* context, const Raw* request,
                                     Raw* response) override;

  // Exchange packages (service_exchange.cpp): signed with the server's key, imported once
  // into the caller's municipality's event store.
  grpc::ServerUnaryReactor* ExportExchange(grpc::CallbackServerContext* context,
                                           const v1::ExportExchangeRequest* request,
                                           v1::ExportExchangeResponse* response) override;
  grpc::ServerUnaryReactor* ImportExchange(grpc::CallbackServerContext* context,
                                           const v1::ImportExchangeRequest* request,
                                           v1::ImportExchangeResponse* response) override;

  // Network statistics (service_network.cpp): the municipality's signed extract, and the
  // network report over several municipalities' extracts.
  grpc::ServerUnaryReactor* ExportStatisticsExtract(grpc::CallbackServerContext* context,
                                                    const v1::ExportStatisticsExtractRequest* request,
                                                    v1::ExportStatisticsExtractResponse* response) override;
  grpc::ServerUnaryReactor* CombineExtracts(grpc::CallbackServerContext* context,
                                          const v1::NetworkReportRequest* request,
                                          v1::NetworkReport* response) override;

  // Extension "ix.forms/1" (raw).
  grpc::ServerUnaryReactor* ApplyAnswers(grpc::CallbackServerContext* context, const Raw* request,
                                         Raw* response) override;
  grpc::ServerUnaryReactor* SetPartStatus(grpc::CallbackServerContext* context, const Raw* request,
                                          Raw* response) override;
  grpc::ServerUnaryReactor* Migrate(grpc::CallbackServerContext* context, const Raw* request,
                                    Raw* response) override;
  grpc::ServerUnaryReactor* RenderForm(grpc::CallbackServerContext* context, const Raw* request,
                                       Raw* response) override;
  grpc::ServerUnaryReactor* DescribeDefinition(grpc::CallbackServerContext* context,
                                               const Raw* request, Raw* response) override;
  grpc::ServerUnaryReactor* LoadDefinition(grpc::CallbackServerContext* context,
                                           const Raw* request, Raw* response) override;
  grpc::ServerUnaryReactor* ValidateWithDefinition(grpc::CallbackServerContext* context,
                                                   const Raw* request, Raw* response) override;

 private:
  Backend& backend_;
};

}  // namespace ix::server

#endif  // IX_SERVER_SERVICE_HPP
