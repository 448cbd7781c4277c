#include <ix/selftest/golden.hpp>

#include <ix/base/json.hpp>
#include <ix/ext/categorisation.h>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/plugin.pb.h"

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include <algorithm>
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

template <typename Message>
Status ParseRequest(const fs::path& file, const nlohmann::json& doc, Message* request) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (auto s = google::protobuf::util::JsonStringToMessage(doc["request"].dump(), request, options); !s.ok()) {
    return Fail(file, "request: " + std::string(s.message()));
  }
  return Status::Ok();
}

Status CheckValidate(const PluginSession& session, const fs::path& file, const nlohmann::json& doc) {
  v1::ValidateRequest request;
  if (Status s = ParseRequest(file, doc, &request); !s.ok()) return s;
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
  return Status::Ok();
}

// Categorisation golden case: each listed adult's suggested category (as canonical JSON) and
// försörjningshinder code must be exactly the expected ones.
Status CheckSuggest(const PluginSession& session, const fs::path& file, const nlohmann::json& doc) {
  const auto* table = session.GetExtension<ix_categorisation_v1>(IX_CATEGORISATION_EXTENSION_ID);
  if (table == nullptr) return Fail(file, "the plugin lacks the ix.categorisation/1 extension");
  v1::SuggestRequest request;
  if (Status s = ParseRequest(file, doc, &request); !s.ok()) return s;
  auto response = session.Call<v1::SuggestResponse>(table->suggest, request);
  if (!response.ok()) return Fail(file, "suggest failed: " + response.status().ToString());
  const nlohmann::json& expect = doc["expect"];
  for (const char* key : {"categories", "forsorjningshinder"}) {
    if (expect.contains(key) && !expect[key].is_object()) {
      return Fail(file, std::string("expect.") + key + ": expected an object keyed by person_ref");
    }
  }
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  // Held in locals: a range-for over value(…).items() would iterate a destroyed temporary.
  const nlohmann::json categories = expect.value("categories", nlohmann::json::object());
  const nlohmann::json obstacles = expect.value("forsorjningshinder", nlohmann::json::object());
  for (const auto& [person, category] : categories.items()) {
    const v1::Suggestion* found = nullptr;
    for (const auto& s : response->suggestions()) found = s.person_ref() == person ? &s : found;
    if (found == nullptr) return Fail(file, "no suggestion for " + person);
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(found->category(), &json, print);
    if (nlohmann::json::parse(json) != category) {
      return Fail(file, "expected " + person + " " + category.dump() + ", plugin " +
                            std::string(session.version()) + " suggested " + json);
    }
  }
  for (const auto& [person, code] : obstacles.items()) {
    std::string actual = "(none)";
    for (const auto& f : response->forsorjningshinder()) actual = f.person_ref() == person ? f.code() : actual;
    if (!code.is_string()) return Fail(file, "expect.forsorjningshinder." + person + ": expected a code");
    if (actual != code.get<std::string>()) {
      return Fail(file, "expected försörjningshinder " + code.get<std::string>() + " for " + person +
                            ", plugin " + std::string(session.version()) + " suggested " + actual);
    }
  }
  return Status::Ok();
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
    const auto read = base::ReadJsonFile(file);
    if (!read.ok()) return Fail(file, read.status().message());
    const nlohmann::json& doc = *read;
    if (!doc.is_object() || !doc.contains("request") || !doc.contains("expect")) {
      return Fail(file, "expected {\"call\": \"validate\"|\"suggest\", \"request\": …, \"expect\": {…}}");
    }
    if (doc.contains("call") && !doc["call"].is_string()) return Fail(file, "call: expected a string");
    const std::string call = doc.value("call", "validate");
    Status checked = call == "validate" ? CheckValidate(session, file, doc)
                     : call == "suggest" ? CheckSuggest(session, file, doc)
                                         : Fail(file, "call: '" + call + "' is not validate or suggest");
    if (!checked.ok()) return checked;
  }
  return Status::Ok();
}

}  // namespace ix::selftest
