// The REST/JSON routes of ix-server, read from the `google.api.http` annotations of the served
// services (proto/ix/**/*.proto) in protobuf's generated descriptor pool. One table for the
// REST port (rest.cpp) and for the generated OpenAPI document (tools/openapi.cpp), so the
// document cannot describe a route the server does not answer.
//
// Only fixed paths are used: a route is matched by its exact verb and path, and a body of "*"
// (the whole request message as canonical JSON) or none (an empty request). An annotation with
// a path variable, a query binding or another body is refused when the table is built, naming
// the RPC, so nothing half-supported is ever served.
#ifndef IX_SERVER_REST_ROUTES_HPP
#define IX_SERVER_REST_ROUTES_HPP

#include <ix/base/status.hpp>

#include <google/protobuf/descriptor.h>

#include <string>
#include <string_view>
#include <vector>

namespace ix::server::rest {

struct Route {
  std::string verb;  // "GET" or "POST"
  std::string path;  // "/v1/responses:validate"
  bool body = false;  // true: body "*", the request message as JSON; false: no body
  const google::protobuf::MethodDescriptor* method = nullptr;

  // The gRPC method the route reaches: "/ix.v1.InstrumentService/Validate".
  std::string GrpcMethod() const;
};

// The services that have REST routes: ix.v1.InstrumentService, ix.v1.PluginAdmin and the
// vendor adapter services.
const std::vector<std::string>& ServiceNames();

// Every route of those services, in declaration order. An RPC without an annotation, or with
// one this server does not support, is an error naming it.
Result<std::vector<Route>> Routes();

// The HTTP status for a gRPC status code (the mapping of google/rpc/code.proto): 400 for
// INVALID_ARGUMENT, 403 PERMISSION_DENIED, 404 NOT_FOUND, 429 RESOURCE_EXHAUSTED, 503
// UNAVAILABLE, …
int HttpStatus(int grpc_code);

// The field that protobuf's JSON parser names in its error message ("(methods[0]) fooBar:
// Cannot find field." -> "methods[0].fooBar"; "(version): invalid value …" -> "version"), or
// "" when it names none (bad syntax).
std::string JsonErrorField(std::string_view message);

}  // namespace ix::server::rest

#endif  // IX_SERVER_REST_ROUTES_HPP
