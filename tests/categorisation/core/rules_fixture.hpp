// The default rule set written out in C++ for the pure core tests (the embedded JSON copy is
// checked against the same expectations through the plugin in the ABI tests), and a builder
// for part-2 answers.
#ifndef IX_TESTS_CATEGORISATION_RULES_FIXTURE_HPP
#define IX_TESTS_CATEGORISATION_RULES_FIXTURE_HPP

#include <ix/core/categorisation/rules.hpp>

#include <array>
#include <optional>
#include <string>

namespace ix::core::testing {

inline RuleSet DefaultRules() {
  RuleSet r;
  r.id = "instrument-x-default";
  r.version = "2026.1";
  r.am_variables = {{"education", "am.education", {"Utbildning", "Education"}},
                    {"swedish", "am.swedish", {"Svenska", "Swedish"}},
                    {"work_experience", "am.work_experience", {"Arbetslivserfarenhet", "Work experience"}},
                    {"health", "am.health", {"Hälsa", "Health"}},
                    {"motivation", "am.motivation", {"Motivation", "Motivation"}},
                    {"job_seeking", "am.job_seeking", {"Arbetssökande", "Job seeking"}}};
  r.work_capacity_item = "work_capacity.today";
  r.work_capacity_codes = {{"full", WorkCapacity::kFull},
                           {"reduced", WorkCapacity::kReduced},
                           {"none", WorkCapacity::kNone},
                           {"unclear", WorkCapacity::kUnclear}};
  r.notice = {"Representativa regler.", "Representative rules."};
  // r.choices: the member defaults are the documented defaults (docs/rules.md).
  r.r_triggers = {{RKind::kR1Physical, "health.physical_limits_work", {"Fysisk", "Physical health limits work"}},
                  {RKind::kR2Mental, "health.mental_limits_work", {"Psykisk", "Mental health limits work"}},
                  {RKind::kR3Substance, "substance.affects_daily_life", {"Missbruk", "Substance use affects daily life"}}};
  return r;
}

// 0 in `ratings` means "not answered".
struct Part2 {
  std::array<int, 6> ratings{};
  std::string work_capacity;  // "" = not answered
  std::optional<bool> physical;
  std::optional<bool> mental;
  std::optional<bool> substance;
};

inline void AddPart2(Response& r, const std::string& person_ref, const Part2& p) {
  static const char* kItems[] = {"am.education", "am.swedish", "am.work_experience",
                                 "am.health", "am.motivation", "am.job_seeking"};
  for (size_t i = 0; i < 6; ++i) {
    if (p.ratings[i] != 0) r.answers.push_back({kItems[i], person_ref, Rating{p.ratings[i]}});
  }
  if (!p.work_capacity.empty()) r.answers.push_back({"work_capacity.today", person_ref, Code{p.work_capacity}});
  if (p.physical) r.answers.push_back({"health.physical_limits_work", person_ref, *p.physical});
  if (p.mental) r.answers.push_back({"health.mental_limits_work", person_ref, *p.mental});
  if (p.substance) r.answers.push_back({"substance.affects_daily_life", person_ref, *p.substance});
}

inline Response OneAdult(const Part2& p) {
  Response r;
  r.instrument = {"instrument-x", "2024.1"};
  r.household.household_ref = "h1";
  r.household.persons = {{"p1", "", Sex::kFemale, "1985-04-12", HouseholdRole::kRegisterledare, false},
                         {"c1", "", Sex::kMale, "2015-01-01", HouseholdRole::kChild, false}};
  AddPart2(r, "p1", p);
  return r;
}

}  // namespace ix::core::testing

#endif
