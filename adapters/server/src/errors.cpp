#include <ix/server/errors.hpp>

#include <ix/adapters/grpc/services.hpp>

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


grpc::Status Exhausted(std::string_view request_id, std::string_view reason, std::string_view subject,
                       std::string_view description, std::chrono::milliseconds retry_after) {
  google::rpc::QuotaFailure quota;
  auto* violation = quota.add_violations();
  violation->set_subject(std::string(subject));
  violation->set_description(std::string(description));
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(retry_after.count() / 1000);
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(retry_after.count() % 1000) * 1000000);
  return Details(grpc::StatusCode::RESOURCE_EXHAUSTED, description, request_id, reason)
      .Add(quota)
      .Add(retry)
      .Build();
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

Status StatusOf(const grpc::Status& status) {
  std::vector<Problem> problems;
  google::rpc::Status sent;
  if (!status.error_details().empty() && sent.ParseFromString(status.error_details())) {
    for (const auto& any : sent.details()) {
      google::rpc::BadRequest bad;
      if (!any.Is<google::rpc::BadRequest>() || !any.UnpackTo(&bad)) continue;
      for (const auto& violation : bad.field_violations()) {
        problems.push_back(Problem{violation.field(), {}, Severity::kError, {}, violation.description()});
      }
    }
  }
  return Status(static_cast<StatusCode>(static_cast<int>(status.error_code())), status.error_message(),
                std::move(problems));
}

grpc::Status WithDetails(std::string_view request_id, const grpc::Status& plain) {
  if (plain.ok()) return plain;
  const Status status = StatusOf(plain);
  switch (plain.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return FromStatus(request_id, status, "IX_INVALID_FIELD");
    case grpc::StatusCode::NOT_FOUND:
      return FromStatus(request_id, status, "IX_NOT_FOUND");
    case grpc::StatusCode::UNAVAILABLE:
      return NotServing(request_id, plain.error_message());
    default:
      return Plain(request_id, plain.error_code(), "IX_ADAPTER_FAILURE", plain.error_message());
  }
}

grpc::Status Plain(std::string_view request_id, grpc::StatusCode code, std::string_view reason,
                   std::string_view message) {
  return Details(code, message, request_id, reason).Build();
}

grpc::StatusCode GrpcCode(StatusCode code) {
  // ix::StatusCode is google.rpc.Code with the same numbers (ix/base/status.hpp).
  return static_cast<grpc::StatusCode>(static_cast<int>(code));
}

std::string FirstPath(const Status& status) {
  std::vector<Problem> problems = status.problems();
  return problems.empty() ? std::string() : std::move(problems.front().path);
}

grpc::Status FromStatus(std::string_view request_id, const Status& status,
                        std::string_view reason) {
  if (status.ok()) return grpc::Status::OK;
  const std::string reason_text(status.reason().empty() ? reason : status.reason());
  Details details(GrpcCode(status.code()), status.message(), request_id, reason_text);
  std::vector<Problem> problems = status.problems();
  if (problems.empty() && (status.code() == StatusCode::kInvalidArgument ||
                           status.code() == StatusCode::kNotFound)) {
    // Bad input always names a field; "request" when the library named none.
    problems.push_back(Problem{"request", {}, Severity::kError, {}, status.message()});
  }
  if (!problems.empty()) details.Add(adapters::grpc::BadRequestOf(problems));
  return details.Build();
}

grpc::Status FromPlugin(std::string_view request_id, const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return grpc::Status::OK;
    case StatusCode::kInvalidArgument:
      return FromStatus(request_id, status, "IX_INVALID_FIELD");
    case StatusCode::kNotFound:
      return FromStatus(request_id, status, "IX_NOT_FOUND");
    case StatusCode::kUnimplemented:
      return FromStatus(request_id, status, "IX_NOT_PROVIDED");
    default:
      break;
  }
  // Anything else is the plugin failing: its code stays, the message says whose failure it is,
  // and a reason it came with stays (IX_WORKER_CRASHED, IX_PLUGIN_DEADLINE from the workers).
  return FromStatus(request_id,
                    Status(status.code(), "the plugin failed: " + status.message()).WithReason(status.reason()),
                    "IX_PLUGIN_FAILURE");
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
