#include <ix/server/errors.hpp>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

#include <cctype>

namespace ix::server {
namespace {

// Builds the google.rpc.Status; gRPC sends it in the grpc-status-details-bin trailer.
class Details {
 public:
  Details(grpc::StatusCode code, std::string_view message, std::string_view request_id,
          std::string_view reason) {
    status_.set_code(static_cast<int>(code));
    status_.set_message(std::string(message));
    google::rpc::ErrorInfo info;
    info.set_reason(std::string(reason));
    info.set_domain(kErrorDomain);
    status_.add_details()->PackFrom(info);
    google::rpc::RequestInfo request;
    request.set_request_id(std::string(request_id));
    status_.add_details()->PackFrom(request);
  }
  template <typename Detail>
  Details& Add(const Detail& detail) {
    status_.add_details()->PackFrom(detail);
    return *this;
  }
  grpc::Status Build() const {
    return grpc::Status(static_cast<grpc::StatusCode>(status_.code()), status_.message(),
                        status_.SerializeAsString());
  }

 private:
  google::rpc::Status status_;
};

google::rpc::BadRequest OneViolation(std::string_view field, std::string_view description) {
  google::rpc::BadRequest bad;
  auto* violation = bad.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
  return bad;
}

}  // namespace

std::string FieldOf(std::string_view message) {
  const auto colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0) return {};
  const std::string_view field = message.substr(0, colon);
  // A field path: identifiers, dots, brackets; no spaces (else it is prose, not a field).
  for (char c : field) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || c == '.' || c == '[' || c == ']' || c == '/' ||
          c == '-')) {
      return {};
    }
  }
  return std::string(field);
}

grpc::Status InvalidField(std::string_view request_id, std::string_view field,
                          std::string_view description) {
  const std::string message = std::string(field) + ": " + std::string(description);
  return Details(grpc::StatusCode::INVALID_ARGUMENT, message, request_id, "IX_INVALID_FIELD")
      .Add(OneViolation(field, description))
      .Build();
}

grpc::Status Denied(std::string_view request_id, std::string_view reason,
                    std::string_view resource_type, std::string_view resource_name,
                    std::string_view description) {
  google::rpc::ResourceInfo resource;
  resource.set_resource_type(std::string(resource_type));
  resource.set_resource_name(std::string(resource_name));
  resource.set_description(std::string(description));
  return Details(grpc::StatusCode::PERMISSION_DENIED, description, request_id, reason)
      .Add(resource)
      .Build();
}

grpc::Status NotServing(std::string_view request_id, std::string_view why) {
  google::rpc::PreconditionFailure failure;
  auto* violation = failure.add_violations();
  violation->set_type("PLUGIN_NOT_SERVING");
  violation->set_subject("plugin");
  violation->set_description(std::string(why));
  return Details(grpc::StatusCode::UNAVAILABLE, std::string("not serving: ") + std::string(why),
                 request_id, "IX_NOT_SERVING")
      .Add(failure)
      .Build();
}

grpc::Status FieldRefused(std::string_view request_id, grpc::StatusCode code, std::string_view reason,
                          std::string_view field, std::string_view description) {
  const std::string message = std::string(field) + ": " + std::string(description);
  return Details(code, message, request_id, reason).Add(OneViolation(field, description)).Build();
}

grpc::Status WithDetails(std::string_view request_id, const grpc::Status& plain) {
  if (plain.ok()) return plain;
  const std::string& message = plain.error_message();
  const std::string field = FieldOf(message);
  const std::string description = field.empty() ? message : message.substr(field.size() + 2);
  switch (plain.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return Details(plain.error_code(), message, request_id, "IX_INVALID_FIELD")
          .Add(OneViolation(field.empty() ? "request" : field, description))
          .Build();
    case grpc::StatusCode::NOT_FOUND:
      return Details(plain.error_code(), message, request_id, "IX_NOT_FOUND")
          .Add(OneViolation(field.empty() ? "request" : field, description))
          .Build();
    case grpc::StatusCode::UNAVAILABLE:
      return NotServing(request_id, message);
    default:
      return Plain(request_id, plain.error_code(), "IX_ADAPTER_FAILURE", message);
  }
}

grpc::Status Plain(std::string_view request_id, grpc::StatusCode code, std::string_view reason,
                   std::string_view message) {
  return Details(code, message, request_id, reason).Build();
}

grpc::Status FromPlugin(std::string_view request_id, const Status& status) {
  const std::string& message = status.message();
  const std::string field = FieldOf(message);
  const std::string description =
      field.empty() ? message : message.substr(field.size() + 2);
  switch (status.code()) {
    case StatusCode::kOk:
      return grpc::Status::OK;
    case StatusCode::kInvalidArgument:
    case StatusCode::kMalformedRequest:
    case StatusCode::kNullArgument:
      return Details(grpc::StatusCode::INVALID_ARGUMENT, message, request_id, "IX_INVALID_FIELD")
          .Add(OneViolation(field.empty() ? "request" : field, description))
          .Build();
    case StatusCode::kNotFound:
      return Details(grpc::StatusCode::NOT_FOUND, message, request_id, "IX_NOT_FOUND")
          .Add(OneViolation(field.empty() ? "request" : field, description))
          .Build();
    case StatusCode::kIncompatibleAbi:
      return Plain(request_id, grpc::StatusCode::UNIMPLEMENTED, "IX_NOT_PROVIDED", message);
    case StatusCode::kInternal:
    case StatusCode::kLoadFailed:
    case StatusCode::kMalformedResponse:
    case StatusCode::kUnavailable:
      break;
  }
  return Plain(request_id, grpc::StatusCode::INTERNAL, "IX_PLUGIN_FAILURE",
               "the plugin failed: " + message);
}

std::string_view CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::DO_NOT_USE: break;
  }
  return "UNKNOWN";
}

}  // namespace ix::server
