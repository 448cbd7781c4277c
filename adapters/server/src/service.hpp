// The ix.v1.InstrumentService implementation (gRPC callback API). Each RPC: authorise the
// caller's role, check the household is the caller's municipality's, call the plugin through
// the host library's session, map errors to gRPC statuses with details, audit.
#ifndef IX_SERVER_SERVICE_HPP
#define IX_SERVER_SERVICE_HPP

#include "backend.hpp"
#include "ix/v1/service.grpc.pb.h"

namespace ix::server {

class InstrumentService final : public v1::InstrumentService::CallbackService {
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

  // Extension "ix.categorisation/1".
  grpc::ServerUnaryReactor* DescribeCategorisation(
      grpc::CallbackServerContext* context, const v1::CategorisationDescribeRequest* request,
      v1::CategorisationDescribeResponse* response) override;
  grpc::ServerUnaryReactor* Suggest(grpc::CallbackServerContext* context,
                                    const v1::SuggestRequest* request,
                                    v1::SuggestResponse* response) override;
  grpc::ServerUnaryReactor* Assess(grpc::CallbackServerContext* context,
                                   const v1::AssessRequest* request,
                                   v1::AssessResponse* response) override;
  grpc::ServerUnaryReactor* History(grpc::CallbackServerContext* context,
                                    const v1::HistoryRequest* request,
                                    v1::HistoryResponse* response) override;
  grpc::ServerUnaryReactor* Due(grpc::CallbackServerContext* context,
                                const v1::DueRequest* request,
                                v1::DueResponse* response) override;
  grpc::ServerUnaryReactor* Plan(grpc::CallbackServerContext* context,
                                 const v1::PlanRequest* request,
                                 v1::PlanResponse* response) override;
  grpc::ServerUnaryReactor* FollowUp(grpc::CallbackServerContext* context,
                                     const v1::FollowUpRequest* request,
                                     v1::FollowUpResponse* response) override;

 private:
  Backend& backend_;
};

}  // namespace ix::server

#endif  // IX_SERVER_SERVICE_HPP
