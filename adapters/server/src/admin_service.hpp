// ix.v1.PluginAdmin (proto/ix/v1/admin_service.proto): the IT team's plugin updates in the
// running server — status, deploy a signed bundle, roll back, pin — over the same mutual TLS
// and caller map as the canonical service, for callers with the role "admin" only. Every call
// is audited; every change is also in the manager's history and the operational log.
#ifndef IX_SERVER_ADMIN_SERVICE_HPP
#define IX_SERVER_ADMIN_SERVICE_HPP

#include "backend.hpp"
#include "ix/v1/admin_service.grpc.pb.h"

namespace ix::server {

class PluginAdminService final : public v1::PluginAdmin::CallbackService {
 public:
  explicit PluginAdminService(Backend& backend) : backend_(backend) {}

  grpc::ServerUnaryReactor* Status(grpc::CallbackServerContext* context,
                                   const v1::PluginStatusRequest* request,
                                   v1::PluginStatus* response) override;
  // Deploy runs on the handler thread: verification, copy, load and self-test take well under
  // a second, and the manager serialises deployments anyway.
  grpc::ServerUnaryReactor* Deploy(grpc::CallbackServerContext* context,
                                   const v1::DeployRequest* request,
                                   v1::DeployResponse* response) override;
  grpc::ServerUnaryReactor* Rollback(grpc::CallbackServerContext* context,
                                     const v1::RollbackRequest* request,
                                     v1::DeployResponse* response) override;
  grpc::ServerUnaryReactor* Pin(grpc::CallbackServerContext* context,
                                const v1::PinRequest* request,
                                v1::PluginStatus* response) override;
  grpc::ServerUnaryReactor* Unpin(grpc::CallbackServerContext* context,
                                  const v1::UnpinRequest* request,
                                  v1::PluginStatus* response) override;

 private:
  Backend& backend_;
};

}  // namespace ix::server

#endif  // IX_SERVER_ADMIN_SERVICE_HPP
