// The suggestion rules: a versioned rule set (data, see instrument-x/definitions/rules/) applied
// per adult to part 2 of a response. The result is a suggestion with its full explanation;
// it is never effective on its own (see assessment.hpp: people decide).
//
// Default rule set (thresholds and the choices the sources leave open are data; docs/rules.md
// gives each one's source or says it is a choice):
//   work capacity none            → no AM level (choices.work_capacity_none = withhold)
//   any AM rating missing         → no AM level, vidare utredning listing the missing ratings
//   work capacity unclear / not answered → an AM level all the same (choices: suggest)
//   S = sum of the six ratings;   AM3 if S ≥ am3_min_sum or ≥ am3_min_far_ratings ratings are
//                                 `rating_far`; AM1 if S ≤ am1_max_sum and no rating is far;
//                                 otherwise AM2
//   vidare utredning for each reason listed in choices.further_investigation_when (default: all
//   four — missing ratings, work capacity unclear, work capacity not answered, reduced or no
//   capacity without an R kind)
//   R kinds                       → each trigger item answered yes sets its kind
//   more than N whole months of assistance in a row (and AM3 or any R, when the profile
//   says so)                      → offer an in-depth assessment (DUR/ASI): InDepthOfferRule,
//                                 the profile's, shared with the clocks
#ifndef IX_CORE_CATEGORISATION_RULES_HPP
#define IX_CORE_CATEGORISATION_RULES_HPP

#include <ix/core/categorisation/assessment.hpp>
#include <ix/core/categorisation/category.hpp>
#include <ix/core/categorisation/in_depth_offer.hpp>
#include <ix/core/model.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::core {

struct AmVariable {
  std::string variable;  // "education"
  std::string item_id;   // "am.education"
  LocalizedText label;
};

struct RTrigger {
  RKind kind = RKind::kR1Physical;
  std::string item_id;  // a boolean item: yes sets the kind
  LocalizedText label;
};

struct WorkCapacityOption {
  std::string code;  // the option code of the work-capacity item
  WorkCapacity value = WorkCapacity::kUnspecified;
};

// What the rules do with an AM level in a case the sources do not settle.
enum class AmLevelPolicy {
  kUnstated,  // refused by CheckRuleSet: a rule set states every choice
  kSuggest,   // the ratings give an AM level as usual
  kWithhold,  // no AM level is suggested
};

// The points the sources leave open, as data. The member defaults are the documented defaults
// (docs/rules.md): the behaviour the project had before they were data.
struct RuleChoices {
  AmLevelPolicy work_capacity_none = AmLevelPolicy::kWithhold;
  AmLevelPolicy work_capacity_unclear = AmLevelPolicy::kSuggest;
  AmLevelPolicy work_capacity_unanswered = AmLevelPolicy::kSuggest;
  // FurtherInvestigationReasonCode codes that flag vidare utredning.
  std::vector<std::string> further_investigation_when = {"missing_ratings", "work_capacity_unclear",
                                                         "work_capacity_missing", "reduced_capacity_without_cause"};
  GoverningFallback governing_missing = GoverningFallback::kOtherView;
};

struct RuleSet {
  std::string id;
  std::string version;
  std::vector<AmVariable> am_variables;
  int rating_min = 1;
  int rating_far = 3;  // the rating that means "far from the labour market"
  int am1_max_sum = 8;
  int am3_min_sum = 14;
  int am3_min_far_ratings = 3;
  std::string work_capacity_item;
  std::vector<WorkCapacityOption> work_capacity_codes;
  std::vector<RTrigger> r_triggers;
  LocalizedText notice;  // "representative, not the licensed instrument" (required)
  RuleChoices choices;
  // Languages of its texts beyond sv and en (the labels the explanation sentences quote).
  std::vector<std::string> languages;
  std::vector<LanguageNote> language_notes;
};

// Structural checks of a rule set (ids present, thresholds consistent, every kind known; its
// texts' languages and limits as a definition's).
// Each problem's path names the field of the rule set. Empty: usable.
std::vector<Problem> CheckRuleSet(const RuleSet& rules);

struct RatingUsed {
  std::string variable;
  std::string item_id;
  std::optional<int> value;  // nullopt: missing
};

struct FiredTrigger {
  RKind kind = RKind::kR1Physical;
  std::string item_id;
};

// Which AM rule fired, as a stable code.
enum class AmRule {
  kAm1,                   // S ≤ am1_max_sum and no far rating
  kAm2,                   // otherwise
  kAm3Sum,                // S ≥ am3_min_sum
  kAm3FarRatings,         // ≥ am3_min_far_ratings far ratings
  kAm3SumAndFarRatings,   // both
  kMissingRatings,        // no AM level: ratings missing
  kNoWorkCapacity,        // no AM level: work capacity none (choices.work_capacity_none)
  kWorkCapacityUnclear,   // no AM level: work capacity unclear (choices.work_capacity_unclear)
  kWorkCapacityUnanswered,  // no AM level: work capacity not answered (choices.work_capacity_unanswered)
  kNoAmModule,            // no AM level: the profile does not use the AM ratings
};
std::string_view AmRuleCode(AmRule rule);

// Why vidare utredning (further investigation) is suggested.
enum class FurtherInvestigationReason {
  kMissingRatings,        // an AM rating is missing
  kWorkCapacityUnclear,   // work capacity today is unclear
  kWorkCapacityMissing,   // work capacity today is not answered
  kReducedWithoutCause,   // capacity none/reduced without an RH kind
};
// The stable code on the wire: "missing_ratings", "work_capacity_unclear", …
std::string_view FurtherInvestigationReasonCode(FurtherInvestigationReason reason);
// "missing_ratings, work_capacity_unclear, …": every code, for messages that say what exists.
std::string FurtherInvestigationReasonCodes();

struct Explanation {
  std::string rule_set_id;
  std::string rule_set_version;
  std::vector<RatingUsed> ratings;
  std::optional<int> sum;  // S, when no rating is missing
  int far_ratings = 0;
  std::vector<std::string> missing_ratings;  // item ids
  AmRule am_rule = AmRule::kMissingRatings;
  std::string work_capacity_code;  // the answer as given ("" when not answered)
  std::vector<FiredTrigger> r_triggers;
  std::vector<FurtherInvestigationReason> further_investigation_reasons;
  int months_on_assistance = 0;  // whole months in a row (clocks::OnAssistance)
  InDepthOfferRule in_depth_offer;  // the rule the offer was decided by (the profile's)
  // Readable sentences in both languages, in the order a caseworker reads them
  // (ExplainSuggestion: written from the decision above, never read back by it).
  std::vector<LocalizedText> lines;
};

struct Suggestion {
  std::string person_ref;
  Category category;
  bool offer_in_depth_assessment = false;
  Explanation explanation;
};

struct SuggestResult {
  std::vector<Suggestion> suggestions;  // one per adult, in household order
  std::vector<Problem> problems;        // answers the rules cannot read, named as validation does
};

// The caseworker's reading of a decided suggestion: its ratings, the AM rule, work capacity,
// RH kinds, the reasons for further investigation and the in-depth offer, in both languages.
std::vector<LocalizedText> ExplainSuggestion(const RuleSet& rules, const Suggestion& suggestion);

// What a municipality profile adds to the rule set when suggesting.
struct ProfileRules {
  InDepthOfferRule in_depth_offer;  // the profile's DUR/ASI rule (shared with its clocks)
  // The six AM ratings are a municipality module (Södertälje's AM tool, docs/rules.md). Off: the
  // ratings are not read, no AM level is suggested and the explanation says so; RH and further
  // investigation come from the other answers.
  bool am_module = true;
};

// Applies `rules` to every adult of `response` (each suggestion with its explanation lines).
// `months_on_assistance`: whole months of unbroken assistance at the time of the response
// (clocks::OnAssistance); `profile`: what the municipality profile adds. Same input, same
// output, always.
SuggestResult Suggest(const RuleSet& rules, const ProfileRules& profile, const Response& response,
                      int months_on_assistance);

}  // namespace ix::core

#endif  // IX_CORE_CATEGORISATION_RULES_HPP
