#include <ix/server/callers.hpp>
#include <ix/base/json.hpp>
#include <ix/server/config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace ix::server {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kCaseSystem: return "case_system";
    case Role::kReporting: return "reporting";
    case Role::kReadOnly: return "read_only";
    case Role::kAdmin: return "admin";
    case Role::kStatisticsInternal: return "statistics_internal";
    case Role::kStatisticsNetwork: return "statistics_network";
  }
  return "unknown";
}

namespace {

Status Bad(const std::string& where, const std::string& what) {
  return Status(StatusCode::kInvalidArgument, where + ": " + what);
}

bool IsMunicipalityCode(const std::string& code) {
  return code.size() == 4 &&
         std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

Result<CallerMap> CallerMap::FromJson(const nlohmann::json& json, const std::string& source) {
  if (!json.is_object()) return Bad(source, "expected a JSON object with \"callers\"");
  for (const auto& [key, value] : json.items()) {
    if (key != "callers") return Bad(source, "unknown key '" + key + "' (expected \"callers\")");
  }
  if (!json.contains("callers") || !json["callers"].is_array()) {
    return Bad(source + ": callers", "missing or not an array");
  }
  CallerMap map;
  const auto& list = json["callers"];
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = source + ": callers[" + std::to_string(i) + "]";
    const auto& entry = list[i];
    if (!entry.is_object()) return Bad(where, "expected an object");
    Caller caller;
    std::string role;
    for (const auto& [key, value] : entry.items()) {
      if (!value.is_string()) return Bad(where + "." + key, "expected a string");
      if (key == "identity") {
        caller.identity = value.get<std::string>();
      } else if (key == "municipality_code") {
        caller.municipality_code = value.get<std::string>();
      } else if (key == "role") {
        role = value.get<std::string>();
      } else if (key == "unit") {
        caller.unit = value.get<std::string>();
      } else {
        return Bad(where, "unknown key '" + key + "' (expected identity, municipality_code, role, unit)");
      }
    }
    if (caller.identity.empty()) return Bad(where + ".identity", "missing or empty");
    if (!IsMunicipalityCode(caller.municipality_code)) {
      return Bad(where + ".municipality_code",
                 "'" + caller.municipality_code + "' is not a four-digit kommunkod");
    }
    if (role == "case_system") {
      caller.role = Role::kCaseSystem;
    } else if (role == "reporting") {
      caller.role = Role::kReporting;
    } else if (role == "read_only") {
      caller.role = Role::kReadOnly;
    } else if (role == "admin") {
      caller.role = Role::kAdmin;
    } else if (role == "statistics_internal") {
      caller.role = Role::kStatisticsInternal;
    } else if (role == "statistics_network") {
      caller.role = Role::kStatisticsNetwork;
    } else {
      return Bad(where + ".role", "'" + role +
                                      "' is not a role (case_system, reporting, statistics_internal, "
                                      "statistics_network, read_only, admin)");
    }
    if (map.callers_.count(caller.identity) != 0) {
      return Bad(where + ".identity", "'" + caller.identity + "' is listed twice");
    }
    map.callers_.emplace(caller.identity, caller);
  }
  return map;
}

Result<CallerMap> CallerMap::FromFile(const std::string& path) {
  auto json = base::ReadJsonFile(path);
  if (!json.ok()) return json.status();
  return FromJson(*json, path);
}

const Caller* CallerMap::Find(std::string_view identity) const {
  auto it = callers_.find(identity);
  return it == callers_.end() ? nullptr : &it->second;
}

const Caller* CallerMap::Find(const std::vector<std::string>& identities) const {
  for (const auto& identity : identities) {
    if (const Caller* caller = Find(identity)) return caller;
  }
  return nullptr;
}

}  // namespace ix::server
