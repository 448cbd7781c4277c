// gRPC statuses with google.rpc details (proto/google/rpc): bad input is INVALID_ARGUMENT with
// a BadRequest naming the field, never a bare INTERNAL. Every status carries an ErrorInfo
// (reason, domain "instrumentx.se") and a RequestInfo with the audit log's request id.
#ifndef IX_SERVER_ERRORS_HPP
#define IX_SERVER_ERRORS_HPP

#include <ix/plugin.hpp>

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

namespace ix::server {

inline constexpr const char* kErrorDomain = "instrumentx.se";

// INVALID_ARGUMENT with one field violation.
grpc::Status InvalidField(std::string_view request_id, std::string_view field,
                          std::string_view description);

// PERMISSION_DENIED: the caller may not do `what`; `resource` names the municipality or RPC.
grpc::Status Denied(std::string_view request_id, std::string_view reason, std::string_view resource_type,
                    std::string_view resource_name, std::string_view description);

// UNAVAILABLE with a PreconditionFailure: the plugin is not serving.
grpc::Status NotServing(std::string_view request_id, std::string_view why);

// Any code with one field violation, for refusals that are not plain bad input but still
// lie in one field (an expired consent is FAILED_PRECONDITION, a reused package id
// ALREADY_EXISTS, a bundle that fails verification FAILED_PRECONDITION). The message is "<field>: <description>".
grpc::Status FieldRefused(std::string_view request_id, grpc::StatusCode code, std::string_view reason,
                          std::string_view field, std::string_view description);

// A plain status from a library that speaks "<field>: <what>" (the vendor adapters) with the
// details every status of the server carries; code and message stay as they are.
// INVALID_ARGUMENT and NOT_FOUND get a BadRequest naming the field ("request" when none).
grpc::Status WithDetails(std::string_view request_id, const grpc::Status& plain);

// A status without field detail (DEADLINE_EXCEEDED, CANCELLED, INTERNAL for a plugin failure).
grpc::Status Plain(std::string_view request_id, grpc::StatusCode code, std::string_view reason,
                   std::string_view message);

// Maps a plugin (ABI) error to gRPC. The plugin's messages for bad input read
// "<field>: <what>"; the field becomes a BadRequest violation (INVALID_ARGUMENT, or NOT_FOUND
// for an unknown instrument version). A plugin failure is INTERNAL; a function the plugin does
// not provide is UNIMPLEMENTED.
grpc::Status FromPlugin(std::string_view request_id, const Status& status);

// The field a plugin error names ("response.instrument: …" -> "response.instrument"), or "".
std::string FieldOf(std::string_view plugin_message);

// "INVALID_ARGUMENT", "OK", … for logs.
std::string_view CodeName(grpc::StatusCode code);

}  // namespace ix::server

#endif  // IX_SERVER_ERRORS_HPP
