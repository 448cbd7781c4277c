// The FHIR, Lifecare and field-code adapters as gRPC services (one service per adapter,
// proto/ix/adapters/v1/adapters_service.proto). They translate only; the definitions and the
// försörjningshinder table come from the serving plugin through `AdapterSources`, so the
// services never hold a copy. Thread-safe: every call is independent.
#ifndef IX_ADAPTERS_GRPC_SERVICES_HPP
#define IX_ADAPTERS_GRPC_SERVICES_HPP

#include <ix/plugin.hpp>

#include "google/rpc/error_details.pb.h"
#include "ix/v1/categorisation.pb.h"
#include "ix/v1/definition.pb.h"

#include <google/protobuf/message.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/server_context.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace ix::adapters::grpc {

struct AdapterSources {
  // The serving plugin's definitions (describe with definitions).
  std::function<Result<std::vector<v1::Definition>>()> definitions;
  // The serving plugin's försörjningshinder table (ix.categorisation/1 describe).
  std::function<Result<v1::ForsorjningshinderTable>()> forsorjningshinder;
  // Where shipped field-code profiles are found by name.
  std::filesystem::path profiles_dir;
};

// Sources backed by whichever plugin session `plugin` returns at the time of each call (null:
// the plugin is not serving -> UNAVAILABLE), so a plugin update is seen by the next call.
// An empty `profiles_dir` is the shipped profiles' folder of this build (as ixctl's default).
AdapterSources SourcesFromPlugin(std::function<std::shared_ptr<const PluginSession>()> plugin,
                                 std::filesystem::path profiles_dir);

// Runs around every adapter RPC, so a host can authorise and audit the calls without this
// library knowing its callers: `rpc` is "FhirAdapter.ToCanonical" …, `translate` does the
// translation and fills `response`. The gate decides whether to call `translate` at all and
// may check the response before it leaves (the FHIR document names its municipality only
// inside); what the gate returns is the RPC's status. Empty: every call is translated.
using Gate = std::function<::grpc::Status(::grpc::ServerContextBase* context, std::string_view rpc,
                                          const google::protobuf::Message& request,
                                          const google::protobuf::Message& response,
                                          const std::function<::grpc::Status()>& translate)>;

// A Status's problems as a google.rpc.BadRequest: field = the problem's path, description =
// its English text (Swedish when there is no English). The one place problems become
// field violations, for these services and for ix-server.
google::rpc::BadRequest BadRequestOf(const std::vector<Problem>& problems);

// ix::Status -> grpc::Status: the same code (ix::StatusCode is google.rpc.Code), the message
// unchanged, and the problems as data: a google.rpc.Status with a BadRequest in the details.
// The host adds its own details on top (ix-server: WithDetails).
::grpc::Status ToGrpc(const Status& status);

class AdapterServices {
 public:
  explicit AdapterServices(AdapterSources sources, Gate gate = {});
  ~AdapterServices();
  AdapterServices(const AdapterServices&) = delete;
  AdapterServices& operator=(const AdapterServices&) = delete;

  // Registers FhirAdapter, LifecareAdapter and FieldCodesAdapter; `this` must outlive the server.
  void Register(::grpc::ServerBuilder& builder);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ix::adapters::grpc

#endif  // IX_ADAPTERS_GRPC_SERVICES_HPP
