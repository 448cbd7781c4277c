// Shared helpers of the adapter tests: files, canonical JSON, the plugin's definitions.
#ifndef IX_TESTS_ADAPTERS_TEST_SUPPORT_HPP
#define IX_TESTS_ADAPTERS_TEST_SUPPORT_HPP

#include <ix/adapters/vendor_json.hpp>
#include <ix/host/loader.hpp>

#include "ix/v1/definition.pb.h"
#include "ix/v1/plugin.pb.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ix::adapters::testing {

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

template <typename Message>
Message ParseCanonical(const std::string& json) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return message;
}

template <typename Message>
Message ReadCanonical(const std::filesystem::path& path) {
  return ParseCanonical<Message>(ReadText(path));
}

inline std::string ToCanonicalJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

// The definitions the bundled plugin carries (as the CLI and server get them).
inline std::vector<v1::Definition> PluginDefinitions() {
  auto session = host::LoadPlugin(IX_TEST_PLUGIN);
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  if (!session.ok()) return {};
  v1::DescribeRequest request;
  request.set_include_definitions(true);
  auto response = session->Call<v1::DescribeResponse>(session->table().describe, request);
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  if (!response.ok()) return {};
  return {response->definitions().begin(), response->definitions().end()};
}

// One definition the bundled plugin carries, loaded once per test process.
inline const v1::Definition& PluginDefinition(const std::string& id, const std::string& version) {
  static const std::vector<v1::Definition> all = PluginDefinitions();
  for (const auto& d : all) {
    if (d.id() == id && d.version() == version) return d;
  }
  ADD_FAILURE() << id << "@" << version << " not in the plugin";
  static const v1::Definition none;
  return none;
}

inline const std::filesystem::path& GoldenDir() {
  static const std::filesystem::path dir = IX_TEST_ADAPTERS_GOLDEN_DIR;
  return dir;
}

// Compares `actual` with the golden file; IX_UPDATE_GOLDEN=1 rewrites the file instead.
inline void ExpectGolden(const std::string& actual, const std::filesystem::path& golden) {
  if (const char* update = std::getenv("IX_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
    WriteText(golden, actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden)) << golden << " missing (run with IX_UPDATE_GOLDEN=1)";
  EXPECT_EQ(ReadText(golden), actual) << "differs from " << golden;
}

// Where tests leave emitted documents for the independent validators (node).
inline std::filesystem::path EmittedDir(const std::string& kind) {
  auto dir = std::filesystem::path(IX_TEST_ADAPTERS_EMITTED_DIR) / kind;
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace ix::adapters::testing

#endif  // IX_TESTS_ADAPTERS_TEST_SUPPORT_HPP
