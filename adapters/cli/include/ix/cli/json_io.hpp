// Reading and writing canonical JSON (protobuf's JSON mapping of ix.v1) for the tools.
#ifndef IX_CLI_JSON_IO_HPP
#define IX_CLI_JSON_IO_HPP

#include <ix/base/file.hpp>
#include <ix/base/status.hpp>

#include <google/protobuf/message.h>

#include <filesystem>
#include <string>

namespace ix::cli {

// Reads a whole file. Errors name the path.
using base::ReadFile;

// Parses canonical JSON into `message`. Unknown fields are errors (a typo must not vanish).
// The text must meet the base toolkit's JSON limits (bytes, nesting depth, keys per object,
// elements per array, bytes per string: docs/limits.md). The error names the source and the
// parser's position/field, or the path, the value and the limit.
Status ParseJson(const std::string& json, const std::string& source,
                 google::protobuf::Message* message);

// Pretty canonical JSON, field names as in the .proto files.
std::string ToJson(const google::protobuf::Message& message);

}  // namespace ix::cli

#endif  // IX_CLI_JSON_IO_HPP
