#include <ix/base/json.hpp>
#include <ix/cli/json_io.hpp>

#include <google/protobuf/util/json_util.h>

namespace ix::cli {

Status ParseJson(const std::string& json, const std::string& source,
                 google::protobuf::Message* message) {
  if (json.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status(StatusCode::kInvalidArgument,
                  source + ": empty input, expected a JSON " + message->GetTypeName());
  }
  // The same byte, depth, key and string limits as every other JSON input, checked in one
  // linear pass before protobuf's parser allocates anything.
  if (Status limits = base::CheckJsonLimits(json, source); !limits.ok()) return limits;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(json, message, options);
  if (!status.ok()) {
    return Status(StatusCode::kInvalidArgument,
                  source + ": not a valid " + message->GetTypeName() + ": " +
                      std::string(status.message()));
  }
  return Status::Ok();
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace ix::cli
