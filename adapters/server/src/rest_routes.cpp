#include <ix/server/rest_routes.hpp>

#include "google/api/annotations.pb.h"
#include "ix/adapters/v1/adapters_service.pb.h"
#include "ix/v1/admin_service.pb.h"
#include "ix/v1/service.pb.h"

#include <grpcpp/support/status.h>

namespace ix::server::rest {

std::string Route::GrpcMethod() const {
  return "/" + method->service()->full_name() + "/" + method->name();
}

const std::vector<std::string>& ServiceNames() {
  static const std::vector<std::string> names = {
      "ix.v1.InstrumentService", "ix.v1.PluginAdmin", "ix.adapters.v1.FhirAdapter",
      "ix.adapters.v1.LifecareAdapter", "ix.adapters.v1.FieldCodesAdapter"};
  return names;
}

namespace {

Status Unsupported(const google::protobuf::MethodDescriptor* method, const std::string& what) {
  return Status(StatusCode::kInternal,
                method->full_name() + ": google.api.http " + what);
}

}  // namespace

Result<std::vector<Route>> Routes() {
  // service.pb.cc and admin_service.pb.cc define no messages: nothing else would pull them out
  // of the static library, and their services would be missing from the pool.
  static const void* volatile keep[] = {&descriptor_table_ix_2fv1_2fservice_2eproto,
                                        &descriptor_table_ix_2fv1_2fadmin_5fservice_2eproto,
                                        &descriptor_table_ix_2fadapters_2fv1_2fadapters_5fservice_2eproto,
                                        &descriptor_table_google_2fapi_2fannotations_2eproto};
  // Read each entry: an array nobody reads may be dropped by the optimiser (clang -O1 did),
  // and with it the references that pull the files out of the library.
  for (const void* volatile const& table : keep) {
    if (table == nullptr) return Status(StatusCode::kInternal, "a descriptor table is missing (REST routes)");
  }
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<Route> routes;
  for (const std::string& name : ServiceNames()) {
    const auto* service = pool->FindServiceByName(name);
    if (service == nullptr) {
      return Status(StatusCode::kInternal, name + " is not in the descriptor pool (REST routes)");
    }
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      if (!method->options().HasExtension(google::api::http)) {
        return Unsupported(method, "annotation missing: every RPC has a REST route");
      }
      const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
      Route route;
      route.method = method;
      switch (rule.pattern_case()) {
        case google::api::HttpRule::kGet: route.verb = "GET"; route.path = rule.get(); break;
        case google::api::HttpRule::kPost: route.verb = "POST"; route.path = rule.post(); break;
        default: return Unsupported(method, "verb: only get and post are served");
      }
      if (route.path.empty() || route.path.front() != '/' ||
          route.path.find_first_of("{}*?#") != std::string::npos) {
        return Unsupported(method, "path '" + route.path +
                                       "': only fixed paths are served (no variables, no query)");
      }
      if (rule.body() == "*") {
        route.body = true;
      } else if (!rule.body().empty()) {
        return Unsupported(method, "body '" + rule.body() + "': only \"*\" or none is served");
      }
      if (!route.body && method->input_type()->field_count() != 0) {
        return Unsupported(method, "without a body: the request " +
                                       method->input_type()->full_name() +
                                       " has fields, which only a body can carry here");
      }
      if (!rule.response_body().empty() || rule.additional_bindings_size() != 0) {
        return Unsupported(method, "response_body and additional_bindings are not served");
      }
      for (const Route& other : routes) {
        if (other.path == route.path) {
          return Unsupported(method, "path '" + route.path + "' is also " + other.method->full_name());
        }
      }
      routes.push_back(std::move(route));
    }
  }
  return routes;
}

int HttpStatus(int grpc_code) {
  switch (static_cast<grpc::StatusCode>(grpc_code)) {
    case grpc::StatusCode::OK: return 200;
    case grpc::StatusCode::CANCELLED: return 499;
    case grpc::StatusCode::UNKNOWN: return 500;
    case grpc::StatusCode::INVALID_ARGUMENT: return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return 504;
    case grpc::StatusCode::NOT_FOUND: return 404;
    case grpc::StatusCode::ALREADY_EXISTS: return 409;
    case grpc::StatusCode::PERMISSION_DENIED: return 403;
    case grpc::StatusCode::UNAUTHENTICATED: return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return 429;
    case grpc::StatusCode::FAILED_PRECONDITION: return 400;
    case grpc::StatusCode::ABORTED: return 409;
    case grpc::StatusCode::OUT_OF_RANGE: return 400;
    case grpc::StatusCode::UNIMPLEMENTED: return 501;
    case grpc::StatusCode::INTERNAL: return 500;
    case grpc::StatusCode::UNAVAILABLE: return 503;
    case grpc::StatusCode::DATA_LOSS: return 500;
    default: return 500;
  }
}

std::string JsonErrorField(std::string_view message) {
  // protobuf's JSON parser writes "(<path>) <name>: <reason>" for a field inside a message,
  // "<name>: <reason>" at the top and "(<path>): <reason>" for a bad value.
  std::string prefix;
  if (!message.empty() && message.front() == '(') {
    const auto close = message.find(')');
    if (close == std::string_view::npos) return "";
    prefix = std::string(message.substr(1, close - 1));
    message.remove_prefix(close + 1);
    if (!message.empty() && message.front() == ':') return prefix;
    if (message.empty() || message.front() != ' ') return "";
    message.remove_prefix(1);
  }
  const auto colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0) return prefix;
  const std::string_view name = message.substr(0, colon);
  // A field name is an identifier; anything else is not a field the parser named.
  const char first = name.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_')) return prefix;
  for (char c : name) {
    const bool ident = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ident) return prefix;
  }
  return prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
}

}  // namespace ix::server::rest
