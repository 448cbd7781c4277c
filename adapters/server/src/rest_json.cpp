#include <ix/server/rest_json.hpp>

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <string>

namespace ix::server::rest {
namespace {

namespace pb = google::protobuf;

// The prefix protobuf's JSON functions use for the generated pool (and Any's "@type").
constexpr const char* kTypeUrlPrefix = "type.googleapis.com";

std::string TypeUrl(const pb::Descriptor& type) { return std::string(kTypeUrlPrefix) + "/" + type.full_name(); }

}  // namespace

JsonCodec::JsonCodec()
    : resolver_(pb::util::NewTypeResolverForDescriptorPool(kTypeUrlPrefix, pb::DescriptorPool::generated_pool())) {}

JsonCodec::~JsonCodec() = default;

pb::util::Status JsonCodec::ToBinary(std::string_view json, const pb::Descriptor& type, std::string* bytes) const {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field is an error, never ignored
  bytes->clear();
  return pb::util::JsonToBinaryString(resolver_.get(), TypeUrl(type), pb::StringPiece(json.data(), json.size()),
                                      bytes, options);
}

pb::util::Status JsonCodec::ToJson(const std::string& bytes, const pb::Descriptor& type, std::string* json) const {
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  json->clear();
  return pb::util::BinaryToJsonString(resolver_.get(), TypeUrl(type), bytes, json, options);
}

}  // namespace ix::server::rest
