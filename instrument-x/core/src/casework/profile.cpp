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
    // More than N whole months: 0 would offer DUR/ASI on the first day, and 600 (50 years) is
    // far beyond any case; either way the data is wrong.
    if (const int n = p.clocks.in_depth_offer.more_than_months; n < 1 || n > 600) {
      const std::string what = std::to_string(n) + ", must be 1-600";
      problems.push_back(FieldProblem("profiles[" + std::to_string(i) + "].clocks.in_depth_offer_months", "invalid_profile",
                                      {what, what}));
    }
  }
  return problems;
}

}  // namespace ix::core
