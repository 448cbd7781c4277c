#include <ix/server/self_test.hpp>

#include "golden_cases.hpp"
#include "ix/v1/plugin.pb.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>

namespace ix::server {
namespace {

// The golden cases are checked as of a fixed date, so the self-test gives the same answer on
// every day the server starts.
constexpr const char* kAsOf = "2025-01-15";

// The plugin manager prefixes "<plugin>: self-test failed: ".
Status Failed(const std::string& what) { return Status(StatusCode::kInternal, what); }

Result<v1::ValidateResponse> ValidateGolden(const PluginSession& plugin, const char* json,
                                            const std::string& name) {
  v1::ValidateRequest request;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (auto st = google::protobuf::util::JsonStringToMessage(json, request.mutable_response(), options);
      !st.ok()) {
    return Failed(name + " does not parse: " + st.ToString());
  }
  request.set_as_of_date(kAsOf);
  auto response = plugin.Call<v1::ValidateResponse>(plugin.table().validate, request);
  if (!response.ok()) return Failed(name + ": validate answered " + response.status().ToString());
  return response;
}

}  // namespace

Status SelfTest(const PluginSession& plugin) {
  auto described = plugin.Call<v1::DescribeResponse>(plugin.table().describe, v1::DescribeRequest());
  if (!described.ok()) return Failed("describe answered " + described.status().ToString());
  if (described->instruments().empty()) return Failed("the plugin carries no instrument definition");

  auto valid = ValidateGolden(plugin, golden::kValidHousehold, "docs/examples/household.json");
  if (!valid.ok()) return valid.status();
  if (!valid->valid()) {
    return Failed("docs/examples/household.json should be valid but has " +
                  std::to_string(valid->problems_size()) + " problem(s)");
  }

  auto invalid =
      ValidateGolden(plugin, golden::kInvalidHousehold, "docs/examples/household-invalid.json");
  if (!invalid.ok()) return invalid.status();
  // The invalid sample has, among others, a personnummer with a wrong check digit (the second
  // person) and a rating outside its scale; both must be reported exactly there.
  struct Expected {
    const char* path;
    const char* code;
  };
  const auto& problems = invalid->problems();
  for (const Expected& e : {Expected{"household.persons[1].personnummer", "invalid_personnummer"},
                            Expected{"answers[p1/am.education].value", "out_of_range"}}) {
    const bool found = std::any_of(problems.begin(), problems.end(), [&](const auto& p) {
      return p.severity() == v1::SEVERITY_ERROR && p.path() == e.path && p.code() == e.code;
    });
    if (invalid->valid() || !found) {
      return Failed(std::string("docs/examples/household-invalid.json should be invalid with a '") +
                    e.code + "' error at " + e.path);
    }
  }
  return Status::Ok();
}

}  // namespace ix::server
