// Authorisation before parsing. gRPC runs an AuthMetadataProcessor (set on the server's TLS
// credentials) when a call's headers have arrived and before any of its message is handed on
// to be deserialized. Admission decides there, from the connection's identity (the client
// certificate's CN and SANs) and the method name (":path") alone: a certificate that is not in
// the caller map, or whose role may not call the method, is refused (PERMISSION_DENIED, the
// message naming the identity and the method) and audited; its payload is never parsed.
//
// The table of who may call what (admission.cpp) is the only one: each handler checks the
// caller's role again through Call::Authorise, which reads the same table by the RPC's name,
// then checks what only the request shows (the municipality, the household). This is the
// first of two gates, not the only one. gRPC cannot attach google.rpc details to a
// refusal made here: the code and the message (the same words as the handlers' refusal) carry
// it, and the audit record has its request id ("<prefix>-r<n>").
#ifndef IX_SERVER_ADMISSION_HPP
#define IX_SERVER_ADMISSION_HPP

#include <ix/server/audit.hpp>
#include <ix/server/callers.hpp>

#include <grpcpp/security/auth_context.h>
#include <grpcpp/security/auth_metadata_processor.h>

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace ix::server {

// The peer's certificate identities: subject CN first, then every SAN.
std::vector<std::string> PeerIdentities(const grpc::AuthContext& auth);

// The roles that may call a method ("/ix.v1.InstrumentService/Validate"). `open` when any
// verified certificate may call it, mapped or not (the health check, for load balancers).
// `known` is false for a method the table does not list: any mapped caller passes to gRPC,
// which answers UNIMPLEMENTED without parsing anything, or to the handler's own check.
struct MethodRule {
  bool known = false;
  bool open = false;
  std::vector<Role> roles;
};
MethodRule RuleForMethod(std::string_view method);
// The same rule by the RPC's name as handlers and the audit log use it ("Suggest",
// "PluginAdmin.Pin", "FhirAdapter.ToCanonical"). A handler whose name has no rule is refused.
MethodRule RuleForRpc(std::string_view rpc);
// Whether the rule admits `role`: an open rule admits every role.
bool Admits(const MethodRule& rule, Role role);

// The name the audit log uses for a method: "Validate", "PluginAdmin.Status".
std::string RpcName(std::string_view method);

class Admission final : public grpc::AuthMetadataProcessor {
 public:
  Admission(const CallerMap& callers, AuditLog& audit, std::string request_prefix)
      : callers_(callers), audit_(audit), request_prefix_(std::move(request_prefix)) {}

  // Decides inline on gRPC's thread: a map lookup and one audit record, nothing that blocks.
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

  // The same decision for a REST request (rest.cpp): the identities of its client certificate
  // and the gRPC method its route reaches. Refusals are audited alike.
  grpc::Status Check(const std::vector<std::string>& identities, std::string_view method);

  uint64_t admitted() const { return admitted_.load(std::memory_order_relaxed); }
  uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

 private:
  grpc::Status Refuse(grpc::StatusCode code, std::string_view caller, std::string_view method,
                      std::string detail, std::string message);

  const CallerMap& callers_;
  AuditLog& audit_;
  const std::string request_prefix_;
  std::atomic<uint64_t> admitted_{0};
  std::atomic<uint64_t> refused_{0};
};

}  // namespace ix::server

#endif  // IX_SERVER_ADMISSION_HPP
