// gRPC statuses with google.rpc details (proto/google/rpc): bad input is INVALID_ARGUMENT with
// a BadRequest naming the field, never a bare INTERNAL. Every status carries an ErrorInfo
// (reason, domain "instrumentx.se") and a RequestInfo with the audit log's request id.
#ifndef IX_SERVER_ERRORS_HPP
#define IX_SERVER_ERRORS_HPP

#include <ix/base/status.hpp>

#include <grpcpp/support/status.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

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

// A status from the vendor adapter services (adapters::grpc::ToGrpc) with the details every
// status of the server carries; code and message stay as they are. INVALID_ARGUMENT and
// NOT_FOUND get a BadRequest with the problems the adapter sent ("request" when none).
grpc::Status WithDetails(std::string_view request_id, const grpc::Status& plain);

// The ix::Status a gRPC status stands for: the same code and message, and the problems of a
// BadRequest in its details (what adapters::grpc::ToGrpc packs).
Status StatusOf(const grpc::Status& status);

// A status without field detail (DEADLINE_EXCEEDED, CANCELLED, INTERNAL for a plugin failure).
grpc::Status Plain(std::string_view request_id, grpc::StatusCode code, std::string_view reason,
                   std::string_view message);

// RESOURCE_EXHAUSTED: a rate or concurrency limit refused the call. Carries a QuotaFailure
// (`subject`: the caller identity or "server"; the description names the limit and the value)
// and a RetryInfo telling the client when to try again.
grpc::Status Exhausted(std::string_view request_id, std::string_view reason, std::string_view subject,
                       std::string_view description, std::chrono::milliseconds retry_after);

// The gRPC code of a canonical code: the same number (ix::StatusCode is google.rpc.Code), so
// there is no table to keep in step with plugin.hpp's one ABI table.
grpc::StatusCode GrpcCode(StatusCode code);

// Any ix::Status as gRPC with the server's details: the code as it is; the reason the status
// carries, else `reason`; its problems as BadRequest field violations (field = the problem's
// path, description = its English text). INVALID_ARGUMENT and NOT_FOUND always carry a
// BadRequest ("request" when nothing is named).
grpc::Status FromStatus(std::string_view request_id, const Status& status, std::string_view reason);

// A plugin call's error: FromStatus with the plugin's reasons — IX_INVALID_FIELD,
// IX_NOT_FOUND, IX_NOT_PROVIDED (UNIMPLEMENTED: the plugin lacks the function or extension),
// IX_PLUGIN_FAILURE for everything else (INTERNAL, UNKNOWN), whose message says so.
grpc::Status FromPlugin(std::string_view request_id, const Status& status);


// The path of the first offending field (for the audit log's detail), or "".
std::string FirstPath(const Status& status);

// "INVALID_ARGUMENT", "OK", … for logs.
std::string_view CodeName(grpc::StatusCode code);

}  // namespace ix::server

#endif  // IX_SERVER_ERRORS_HPP
