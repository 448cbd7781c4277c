// ix.v1.PluginAdmin (proto/ix/v1/admin_service.proto): the IT team's plugin updates in the
// running server — status, deploy a signed bundle, roll back, pin — over the same mutual TLS
// and caller map as the canonical service, for callers with the role "admin" only. Every call
// is audited; every change is also in the manager's history and the operational log.
#ifndef IX_SERVER_ADMIN_SERVICE_HPP
#define IX_SERVER_ADMIN_SERVICE_HPP

#include "backend.hpp"
#include "ix/v1/admin_service.grpc.pb.h"

#include <condition_variable>
#include <mutex>
#include <thread>

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

// With store_postgresql and updates.install_root set: opens the plugin state shared by the
// replicas in that database and sets b.rolling (docs/scaling.md, "Rolling plugin updates").
// Otherwise nothing (the state file below install_root is the whole state). Refuses a bad
// updates.replica_id or updates.follow_interval_ms, naming it.
Status OpenSharedPluginState(Backend& b);

// Brings this replica to the shared plugin state at once and then every
// updates.follow_interval_ms (RollingUpdates::Poll) until destroyed; logs when the outcome
// changes (switched, refused and why, the database unreachable), not at every poll.
class PluginStateFollower {
 public:
  explicit PluginStateFollower(Backend& b);
  ~PluginStateFollower();
  PluginStateFollower(const PluginStateFollower&) = delete;
  PluginStateFollower& operator=(const PluginStateFollower&) = delete;

 private:
  Backend& backend_;
  std::mutex mutex_;
  std::condition_variable_any wakeup_;
  std::jthread thread_;
};

}  // namespace ix::server

#endif  // IX_SERVER_ADMIN_SERVICE_HPP
