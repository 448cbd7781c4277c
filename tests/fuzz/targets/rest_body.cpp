// A REST request body as the REST port reads it (rest.cpp): the JSON limits, protobuf's JSON
// mapping straight to the request's wire bytes with unknown fields refused (rest::JsonCodec),
// and the field the refusal names (rest::JsonErrorField, the one hand-written reader on that
// path). The field must be made of what the parser's message says, and a body that converts
// must survive a round trip (bytes -> JSON -> bytes).
#include "../fuzz_support.hpp"

#include <ix/base/json.hpp>
#include <ix/server/rest_json.hpp>
#include <ix/server/rest_routes.hpp>

#include "ix/v1/plugin.pb.h"


#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(ix::fuzz::Bytes(data, size));
  // The reader alone, on any text (protobuf's message quotes the caller's field names).
  const std::string any = ix::server::rest::JsonErrorField(body);
  if (any.size() > body.size() + 1) std::abort();
  if (!ix::base::CheckJsonLimits(body, "body").ok()) return 0;
  static const ix::server::rest::JsonCodec codec;
  const auto* type = ix::v1::ValidateRequest::descriptor();
  std::string bytes;
  const auto parsed = codec.ToBinary(body, *type, &bytes);
  if (!parsed.ok()) {
    const std::string message(parsed.message());
    const std::string field = ix::server::rest::JsonErrorField(message);
    if (field.size() > message.size() + 1) std::abort();
    return 0;
  }
  // What the service method would get: bytes the message parses (the JSON mapping produced it).
  ix::v1::ValidateRequest request;
  if (!request.ParseFromString(bytes)) return 0;
  std::string json;
  if (!codec.ToJson(request.SerializeAsString(), *type, &json).ok()) std::abort();
  std::string again;
  if (!codec.ToBinary(json, *type, &again).ok()) std::abort();
  ix::v1::ValidateRequest reparsed;
  if (!reparsed.ParseFromString(again) || reparsed.SerializeAsString() != request.SerializeAsString()) std::abort();
  return 0;
}
