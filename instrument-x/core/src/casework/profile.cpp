#include <ix/core/casework/profile.hpp>

#include <algorithm>

namespace ix::core {

const MunicipalityProfile* FindProfile(const std::vector<MunicipalityProfile>& profiles, std::string_view id) {
  auto it = std::find_if(profiles.begin(), profiles.end(), [&](const MunicipalityProfile& p) {
    return id.empty() ? p.is_default : p.id == id;
  });
  return it == profiles.end() ? nullptr : &*it;
}

std::string ProfileIds(const std::vector<MunicipalityProfile>& profiles) {
  std::string ids;
  for (const MunicipalityProfile& p : profiles) ids += (ids.empty() ? "" : ", ") + p.id;
  return ids;
}

std::vector<Problem> CheckProfiles(const std::vector<MunicipalityProfile>& profiles,
                                   const std::vector<std::string>& rule_set_keys) {
  std::vector<Problem> problems;
  for (size_t i = 0; i < profiles.size(); ++i) {
    const MunicipalityProfile& p = profiles[i];
    if (std::find(rule_set_keys.begin(), rule_set_keys.end(), p.RuleSetKey()) == rule_set_keys.end()) {
      // Profiles are written by the project: English is their language.
      const std::string what = "profile " + p.id + " names rule set " + p.RuleSetKey() + ", which is not embedded";
      problems.push_back(FieldProblem("profiles[" + std::to_string(i) + "]", "unknown_rule_set", {what, what}));
    }
  }
  return problems;
}

}  // namespace ix::core
