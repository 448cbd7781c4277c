// The caller map: which client-certificate identity is which municipality's system, in which
// role. A caller may touch only its own municipality's data (kommunkod: docs/domain.md).
//
// File format (JSON):
//   { "callers": [
//       { "identity": "lifecare.sodertalje.example", "municipality_code": "0181",
//         "role": "case_system" },
//       { "identity": "stats.nynashamn.example", "municipality_code": "0192",
//         "role": "reporting" },
//       { "identity": "ame.sodertalje.example", "municipality_code": "0181",
//         "role": "case_system", "unit": "arbetsmarknad" } ] }
// `unit` (optional) is the caller's unit within its municipality: the recipient unit when it
// imports an exchange package, the sender unit when it exports one. The server takes it from
// here, never from a request.
// `identity` is matched against the client certificate's subject CN and every SAN (DNS, URI,
// e-mail). Unknown keys are errors, so a typo never silently widens or narrows access.
#ifndef IX_SERVER_CALLERS_HPP
#define IX_SERVER_CALLERS_HPP

#include <ix/base/status.hpp>

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ix::server {

// What a caller may do. Each RPC lists the roles it admits (service.cpp).
enum class Role {
  kCaseSystem,  // a vendor's case-management system: validate, categorise, record, plan
  kReporting,   // statistics only: aggregated reports, never one household
  kReadOnly,    // definitions and validation only, never writes
  kAdmin,       // the IT team: plugin updates (AdminService), never any household's data
  // Statistics staff who may see internal (unsuppressed) reports and use finer filters and
  // lower thresholds than kReporting (limits per role: report_limits in service.cpp).
  kStatisticsInternal,
  // The network's statistics: exports the municipality's signed, disclosure-controlled extract
  // and combines extracts into the network report; nothing else (no household, no report).
  kStatisticsNetwork,
};

std::string_view RoleName(Role role);

struct Caller {
  std::string identity;
  std::string municipality_code;  // four digits, kommunkod
  Role role = Role::kReadOnly;
  std::string unit;  // empty: no unit (the server's configured exchange unit applies)
};

class CallerMap {
 public:
  // Parses the JSON above; `source` names the file in errors ("callers.json: callers[2].role:
  // 'owner' is not a role (case_system, reporting, statistics_internal, read_only, admin)").
  static Result<CallerMap> FromJson(const nlohmann::json& json, const std::string& source);
  static Result<CallerMap> FromFile(const std::string& path);

  // The first of `identities` (CN, then SANs) that the map knows, or nullptr.
  const Caller* Find(const std::vector<std::string>& identities) const;
  const Caller* Find(std::string_view identity) const;
  size_t size() const { return callers_.size(); }

 private:
  std::map<std::string, Caller, std::less<>> callers_;
};

}  // namespace ix::server

#endif  // IX_SERVER_CALLERS_HPP
