// ix-openapi OUT.json: the OpenAPI 3.1 document of ix-server's REST/JSON port, generated from
// the same route table the server serves (rest_routes.hpp: the google.api.http annotations) and
// from the request and response messages' descriptors, written the way protobuf's canonical
// JSON mapping reads and writes them (the server prints proto field names; int64 as strings;
// enums by name). Run at build time; never edited by hand.
#include <ix/server/rest_routes.hpp>

#include "google/rpc/status.pb.h"

#include <google/protobuf/descriptor.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

namespace {

namespace pb = google::protobuf;
using nlohmann::ordered_json;

std::string Ref(const pb::Descriptor* message) { return "#/components/schemas/" + message->full_name(); }

class SchemaWriter {
 public:
  // The schema of a message field's value (without repetition).
  ordered_json Value(const pb::FieldDescriptor* field) {
    switch (field->type()) {
      case pb::FieldDescriptor::TYPE_DOUBLE: return {{"type", "number"}, {"format", "double"}};
      case pb::FieldDescriptor::TYPE_FLOAT: return {{"type", "number"}, {"format", "float"}};
      case pb::FieldDescriptor::TYPE_INT64:
      case pb::FieldDescriptor::TYPE_SFIXED64:
      case pb::FieldDescriptor::TYPE_SINT64: return {{"type", "string"}, {"format", "int64"}};
      case pb::FieldDescriptor::TYPE_UINT64:
      case pb::FieldDescriptor::TYPE_FIXED64: return {{"type", "string"}, {"format", "uint64"}};
      case pb::FieldDescriptor::TYPE_INT32:
      case pb::FieldDescriptor::TYPE_SFIXED32:
      case pb::FieldDescriptor::TYPE_SINT32: return {{"type", "integer"}, {"format", "int32"}};
      case pb::FieldDescriptor::TYPE_UINT32:
      case pb::FieldDescriptor::TYPE_FIXED32:
        return {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}, {"maximum", 4294967295LL}};
      case pb::FieldDescriptor::TYPE_BOOL: return {{"type", "boolean"}};
      case pb::FieldDescriptor::TYPE_STRING: return {{"type", "string"}};
      case pb::FieldDescriptor::TYPE_BYTES: return {{"type", "string"}, {"contentEncoding", "base64"}};
      case pb::FieldDescriptor::TYPE_ENUM: {
        ordered_json names = ordered_json::array();
        for (int i = 0; i < field->enum_type()->value_count(); ++i) names.push_back(field->enum_type()->value(i)->name());
        return {{"type", "string"}, {"enum", names}};
      }
      case pb::FieldDescriptor::TYPE_MESSAGE:
      case pb::FieldDescriptor::TYPE_GROUP: return Message(field->message_type());
    }
    return ordered_json::object();
  }

  // A reference to a message's schema, or the inline schema of a well-known type (whose JSON
  // form is not an object of its fields).
  ordered_json Message(const pb::Descriptor* message) {
    const std::string& name = message->full_name();
    if (name == "google.protobuf.Struct") return {{"type", "object"}, {"additionalProperties", true}};
    if (name == "google.protobuf.Value") return ordered_json::object();  // any JSON value
    if (name == "google.protobuf.ListValue") return {{"type", "array"}, {"items", ordered_json::object()}};
    if (name == "google.protobuf.Timestamp") return {{"type", "string"}, {"format", "date-time"}};
    if (name == "google.protobuf.Duration") return {{"type", "string"}, {"pattern", "^-?[0-9]+(\\.[0-9]+)?s$"}};
    if (name == "google.protobuf.FieldMask") return {{"type", "string"}};
    if (name == "google.protobuf.Empty") return {{"type", "object"}, {"additionalProperties", false}};
    if (name == "google.protobuf.Any") {
      return {{"type", "object"},
              {"properties", {{"@type", {{"type", "string"}}}}},
              {"required", {"@type"}},
              {"additionalProperties", true}};
    }
    if (message->file()->name() == "google/protobuf/wrappers.proto") return Value(message->field(0));
    Define(message);
    return {{"$ref", Ref(message)}};
  }

  // Adds the message's schema to the components (once; recursion ends at the $ref).
  void Define(const pb::Descriptor* message) {
    if (!defined_.insert(message->full_name()).second) return;
    ordered_json properties = ordered_json::object();
    for (int i = 0; i < message->field_count(); ++i) {
      const pb::FieldDescriptor* field = message->field(i);
      ordered_json schema;
      if (field->is_map()) {
        schema = {{"type", "object"}, {"additionalProperties", Value(field->message_type()->map_value())}};
      } else if (field->is_repeated()) {
        schema = {{"type", "array"}, {"items", Value(field)}};
      } else {
        schema = Value(field);
      }
      properties[field->name()] = std::move(schema);
    }
    ordered_json schema = {{"type", "object"},
                           {"description", "protobuf message " + message->full_name() +
                                               " in canonical JSON (proto field names; lowerCamelCase is "
                                               "accepted too); unknown fields are refused"},
                           {"properties", std::move(properties)},
                           {"additionalProperties", false}};
    schemas_[message->full_name()] = std::move(schema);
  }

  ordered_json Schemas() {
    // Sorted, so the document is the same whatever the order the routes were walked in.
    ordered_json sorted = ordered_json::object();
    for (const auto& name : defined_) sorted[name] = schemas_[name];
    return sorted;
  }

 private:
  std::set<std::string> defined_;
  ordered_json schemas_ = ordered_json::object();
};

std::string Short(const std::string& service) { return service.substr(service.rfind('.') + 1); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ix-openapi OUT.json\n";
    return 2;
  }
  auto routes = ix::server::rest::Routes();
  if (!routes.ok()) {
    std::cerr << "ix-openapi: " << routes.status().message() << "\n";
    return 1;
  }
  const pb::Descriptor* status = google::rpc::Status::descriptor();  // links status.proto in
  SchemaWriter schemas;
  const ordered_json error_ref = schemas.Message(status);
  ordered_json paths = ordered_json::object();
  for (const auto& route : *routes) {
    const auto* method = route.method;
    std::string verb = route.verb;
    for (char& c : verb) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ordered_json operation = {
        {"operationId", Short(method->service()->full_name()) + "_" + method->name()},
        {"summary", method->full_name()},
        {"description", "gRPC " + route.GrpcMethod() +
                            " over HTTP/JSON: the same service method, caller checks, limits and audit."},
        {"tags", {method->service()->full_name()}},
    };
    if (route.body) {
      operation["requestBody"] = {
          {"required", true},
          {"content", {{"application/json", {{"schema", schemas.Message(method->input_type())}}}}}};
    }
    operation["responses"] = {
        {"200", {{"description", method->output_type()->full_name()},
                 {"content", {{"application/json", {{"schema", schemas.Message(method->output_type())}}}}}}},
        {"default", {{"description", "an error: google.rpc.Status with its details (BadRequest field "
                                     "violations, ErrorInfo, RequestInfo …); HTTP status from the gRPC code"},
                     {"content", {{"application/json", {{"schema", error_ref}}}}}}},
    };
    paths[route.path][verb] = std::move(operation);
  }
  ordered_json tags = ordered_json::array();
  for (const auto& service : ix::server::rest::ServiceNames()) {
    tags.push_back({{"name", service}, {"description", "gRPC service " + service}});
  }
  ordered_json document = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Instrument X server (ix-server) REST/JSON"},
        {"version", IX_OPENAPI_VERSION},
        {"description", "Generated from the .proto files' google.api.http routes. Every request "
                        "needs mutual TLS with a client certificate in the server's caller map."}}},
      {"servers",
       {{{"url", "https://{host}:{port}"},
         {"variables", {{"host", {{"default", "localhost"}}}, {"port", {{"default", "8443"}}}}}}}},
      {"security", {{{"mutualTLS", ordered_json::array()}}}},
      {"tags", tags},
      {"paths", paths},
      {"components",
       {{"schemas", schemas.Schemas()}, {"securitySchemes", {{"mutualTLS", {{"type", "mutualTLS"}}}}}}},
  };
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << document.dump(2) << "\n";
  if (!out) {
    std::cerr << "ix-openapi: cannot write " << argv[1] << "\n";
    return 1;
  }
  return 0;
}
