// The FHIR, Lifecare and field-code adapters as gRPC services (one service per adapter,
// proto/ix/adapters/v1/adapters_service.proto). They translate only; the definitions and the
// försörjningshinder table come from the serving plugin through `AdapterSources`, so the
// services never hold a copy. Thread-safe: every call is independent.
#ifndef IX_ADAPTERS_GRPC_SERVICES_HPP
#define IX_ADAPTERS_GRPC_SERVICES_HPP

#include <ix/plugin.hpp>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/definition.pb.h"

#include <grpcpp/server_builder.h>

#include <filesystem>
#include <functional>
#include <memory>
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

// ix::Status -> grpc::Status (INVALID_ARGUMENT for bad input, UNAVAILABLE when the plugin
// cannot answer, …), the message unchanged.
::grpc::Status ToGrpc(const Status& status);

class AdapterServices {
 public:
  explicit AdapterServices(AdapterSources sources);
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
