#include <ix/selftest/golden.hpp>

#include "ix/v1/plugin.pb.h"

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace ix::selftest {

namespace fs = std::filesystem;

namespace {

Status Fail(const fs::path& file, const std::string& what) {
  return Status(StatusCode::kInvalidArgument, "self-test " + file.filename().string() + ": " + what);
}

std::string Join(std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end());
  std::string joined;
  for (const auto& c : codes) joined += (joined.empty() ? "" : ",") + c;
  return joined.empty() ? "(none)" : joined;
}

}  // namespace

Status RunGoldenCases(const PluginSession& session, const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".json") files.push_back(it->path());
  }
  if (files.empty()) return Status(StatusCode::kNotFound, dir.string() + ": no self-test cases (*.json)");
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    const nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("request") || !doc.contains("expect")) {
      return Fail(file, "expected {\"request\": …, \"expect\": {\"valid\": …, \"problem_codes\": […]}}");
    }
    v1::ValidateRequest request;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    if (auto s = google::protobuf::util::JsonStringToMessage(doc["request"].dump(), &request, options); !s.ok()) {
      return Fail(file, "request: " + std::string(s.message()));
    }
    auto response = session.Call<v1::ValidateResponse>(session.table().validate, request);
    if (!response.ok()) return Fail(file, "validate failed: " + response.status().ToString());
    const nlohmann::json& expect = doc["expect"];
    if (expect.contains("valid") && expect["valid"].is_boolean() && expect["valid"].get<bool>() != response->valid()) {
      return Fail(file, std::string("expected valid=") + (expect["valid"].get<bool>() ? "true" : "false") +
                            ", plugin " + std::string(session.version()) + " answered valid=" +
                            (response->valid() ? "true" : "false"));
    }
    if (expect.contains("problem_codes") && expect["problem_codes"].is_array()) {
      std::vector<std::string> expected, actual;
      for (const auto& c : expect["problem_codes"]) expected.push_back(c.is_string() ? c.get<std::string>() : c.dump());
      for (const auto& p : response->problems()) actual.push_back(p.code());
      if (Join(expected) != Join(actual)) {
        return Fail(file, "expected problems [" + Join(expected) + "], plugin " + std::string(session.version()) +
                              " answered [" + Join(actual) + "]");
      }
    }
  }
  return Status::Ok();
}

}  // namespace ix::selftest
