// A REST request body as the REST port reads it (rest.cpp): the JSON limits, protobuf's JSON
// mapping into the request message with unknown fields refused, and the field the refusal
// names (rest::JsonErrorField, the one hand-written reader on that path). The field must be
// made of what the parser's message says, and a body that parses must survive a round trip.
#include "../fuzz_support.hpp"

#include <ix/base/json.hpp>
#include <ix/server/rest_routes.hpp>

#include "ix/v1/plugin.pb.h"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(ix::fuzz::Bytes(data, size));
  // The reader alone, on any text (protobuf's message quotes the caller's field names).
  const std::string any = ix::server::rest::JsonErrorField(body);
  if (any.size() > body.size() + 1) std::abort();
  if (!ix::base::CheckJsonLimits(body, "body").ok()) return 0;
  ix::v1::ValidateRequest request;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(body, &request, options);
  if (!parsed.ok()) {
    const std::string message(parsed.message());
    const std::string field = ix::server::rest::JsonErrorField(message);
    if (field.size() > message.size() + 1) std::abort();
    return 0;
  }
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(request, &json).ok()) std::abort();
  ix::v1::ValidateRequest again;
  if (!google::protobuf::util::JsonStringToMessage(json, &again, options).ok()) std::abort();
  if (again.SerializeAsString() != request.SerializeAsString()) std::abort();
  return 0;
}
