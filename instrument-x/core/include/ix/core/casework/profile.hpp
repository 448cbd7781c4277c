// Municipality profiles: which person's view governs, the process clocks and the rule set a
// municipality uses. Data (instrument-x/definitions/profiles/), embedded in the plugin.
#ifndef IX_CORE_CASEWORK_PROFILE_HPP
#define IX_CORE_CASEWORK_PROFILE_HPP

#include <ix/core/categorisation/assessment.hpp>
#include <ix/core/categorisation/rules.hpp>
#include <ix/core/clocks/clocks.hpp>
#include <ix/core/model.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ix::core {

struct MunicipalityProfile {
  std::string id;
  std::string version;
  LocalizedText title;
  std::vector<std::string> municipality_codes;  // kommunkoder it is meant for (informative)
  GoverningPolicy governing = GoverningPolicy::kCaseworker;
  clocks::Clocks clocks;  // compiled by clocks::CompileClocks when the profile is loaded
  bool am_module = true;  // the six AM ratings are used (ProfileRules::am_module)
  std::string rule_set_id;  // the rule set suggestions use
  std::string rule_set_version;
  bool is_default = false;  // used when a request names no profile

  // What the profile adds to its rule set when suggesting.
  // The DUR/ASI rule is the profile's DUR/ASI clock (clocks::InDepthOfferOf).
  ProfileRules SuggestionRules() const { return {clocks::InDepthOfferOf(clocks), am_module}; }
  // "id@version" of the rule set, the key rule sets are found by.
  std::string RuleSetKey() const { return rule_set_id + "@" + rule_set_version; }
};

// The profile `id` names; an empty id names the default profile. nullptr: there is none.
const MunicipalityProfile* FindProfile(const std::vector<MunicipalityProfile>& profiles, std::string_view id);

// "client-governs, default": the ids, for a message that says what exists.
std::string ProfileIds(const std::vector<MunicipalityProfile>& profiles);

// Every profile names one of `rule_set_keys` ("id@version"). Path: "profiles[<i>]". (Each
// profile's clocks are checked when they are compiled, clocks::CompileClocks.)
std::vector<Problem> CheckProfiles(const std::vector<MunicipalityProfile>& profiles,
                                   const std::vector<std::string>& rule_set_keys);

}  // namespace ix::core

#endif  // IX_CORE_CASEWORK_PROFILE_HPP
