#include <ix/cli/json_io.hpp>

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>

namespace ix::cli {

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status(StatusCode::kNotFound, path.string() + ": no such file");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Status(StatusCode::kInvalidArgument, path.string() + ": is a directory, expected a JSON file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kInvalidArgument, path.string() + ": cannot be opened for reading");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status ParseJson(const std::string& json, const std::string& source,
                 google::protobuf::Message* message) {
  if (json.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status(StatusCode::kInvalidArgument,
                  source + ": empty input, expected a JSON " + message->GetTypeName());
  }
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
