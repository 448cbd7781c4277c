// Casework: the decisions around an assessment occasion, a plan, a follow-up, a person's
// history and a case's clocks, over plain data. Each function is one call of the plugin's
// categorisation extension; it returns what to record (events) and what is wrong (problems,
// each naming its field), never throws, never reads a clock ("today" and "recorded at" are
// passed in).
#ifndef IX_CORE_CASEWORK_CASEWORK_HPP
#define IX_CORE_CASEWORK_CASEWORK_HPP

#include <ix/core/casework/events.hpp>
#include <ix/core/casework/profile.hpp>
#include <ix/core/categorisation/assessment.hpp>
#include <ix/core/categorisation/history.hpp>
#include <ix/core/categorisation/rules.hpp>
#include <ix/core/clocks/clocks.hpp>
#include <ix/core/forsorjningshinder/forsorjningshinder.hpp>
#include <ix/core/model.hpp>
#include <ix/core/plan/plan.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::core {

struct CaseSuggestion {
  int months_on_assistance = 0;  // whole months in a row at as_of (clocks::OnAssistance)
  std::vector<Suggestion> suggestions;  // one per adult
  std::vector<ForsorjningshinderSuggestion> forsorjningshinder;
  std::vector<Problem> problems;  // answers the rules cannot read; non-empty: nothing else is set
};

// What the software suggests for a response on `as_of`: each adult's category under `rules` and
// what the profile adds (the DUR/ASI rule given the time on `assistance`, the AM module), and försörjningshinder from `table`.
CaseSuggestion SuggestForCase(const RuleSet& rules, const ProfileRules& profile,
                              const ForsorjningshinderTable& table, const Response& response,
                              const std::vector<clocks::AssistancePeriod>& assistance, const Date& as_of);

// One adult's assessments at one occasion.
struct AssessmentOccasion {
  std::string occasion_id;  // unique within the case
  std::string person_ref;
  std::string occasion;  // "first_visit", "follow_up", "recategorisation"
  std::optional<Date> effective_date;
  std::optional<Category> suggestion;  // compared with the result, never made effective
  std::optional<Assessment> caseworker;
  std::optional<Assessment> client;
  AssessmentFacts facts;  // recorded on the categorisation event, for the indicators
};

struct GovernedOccasion {
  Governed governed;
  std::optional<CategorisationEvent> event;  // when a category became effective
  std::vector<Problem> problems;             // non-empty: nothing was governed
};

// Governs `occasion` under `policy` (and the rule set's `fallback` when the governing person has
// not assessed); an effective category becomes a categorisation event.
// Problems (paths under `path`): a person who is not an adult of the household, a missing
// occasion id, occasion or effective date.
GovernedOccasion GovernOccasion(const Household& household, const AssessmentOccasion& occasion,
                                GoverningPolicy policy, GoverningFallback fallback, const Recording& recording,
                                const std::string& path);

struct PlanOutcome {
  Plan plan;                                // as checked (default actors filled in)
  std::vector<InterventionEvent> events;    // one per intervention
  LocalizedText summary;                    // "Plan p: 2 goal(s), 3 intervention(s) from catalogue …"
  std::vector<Problem> problems;            // non-empty: nothing else is set
};

// Checks a plan against the catalogue and the household's adults and records each
// intervention as an event (effective from its start).
PlanOutcome EstablishPlan(const Household& household, Plan plan, const InterventionCatalogue& catalogue,
                          const Recording& recording);

struct FollowUpOutcome {
  Plan plan;                          // ended interventions with end date and outcome
  AssessmentOccasion record;          // the follow-up's assessment, to keep in the case
  GovernedOccasion governed;          // its event, when a category became effective
  std::vector<InterventionEvent> ended;  // one per ended intervention (effective from its end)
  std::vector<LocalizedText> lines;
  std::vector<Problem> problems;      // non-empty: nothing else is set
};

// Records a follow-up: applies it to the plan, governs its new assessment (occasion
// "follow_up", effective on the follow-up's date) and records the ended interventions.
FollowUpOutcome RecordFollowUp(const Household& household, Plan plan, const FollowUp& follow_up,
                               GoverningPolicy policy, GoverningFallback fallback, const InterventionCatalogue& catalogue,
                               const Recording& recording);

struct PersonHistory {
  std::string person_ref;
  std::vector<HistoryEntry> entries;
  int follow_up_recategorisations = 0;  // entries recorded at follow-ups
  std::optional<CategorisationRecord> at_date;  // the record in force on the date asked
};

struct HistoryOutcome {
  std::vector<PersonHistory> persons;  // adults in household order
  std::vector<Problem> problems;
};

// Every adult's history (only `person_ref`'s when not empty) from the case's events, and the
// category each had on `at`.
HistoryOutcome BuildHistories(const Household& household, const std::vector<CategorisationEvent>& events,
                              const std::string& person_ref, const Date& at);

// An offer of an in-depth assessment (DUR/ASI).
struct InDepthOffer {
  std::string person_ref;
  std::optional<Date> offered_on;
};

// The offer that stops the in-depth-offer clock for `person_ref` as of `as_of`: the latest one
// made on or before as_of (a planned future offer does not count yet).
std::optional<Date> InDepthOfferedOn(const std::vector<InDepthOffer>& offers, const std::string& person_ref,
                                     const Date& as_of);

// A household's case file, as the clocks read it.
struct CaseFile {
  Household household;
  std::string caseworker;
  std::optional<Date> application_complete_on;
  std::optional<Date> decided_on;
  std::optional<Date> first_visit_on;
  std::optional<Date> action_plan_on;
  std::optional<Date> form_sent_on;
  std::optional<Date> form_returned_on;
  std::optional<Date> intervention_meeting_on;
  std::vector<PlannedIntervention> interventions;  // the plan's, for clocks started by them
  std::vector<clocks::AssistancePeriod> assistance;
  std::vector<CategorisationEvent> events;
  std::vector<InDepthOffer> in_depth_offers;
};

// The clocks' facts of a case as of `as_of`: each adult's category in force and in-depth
// offer, under the case's own profile's clocks.
clocks::CaseClockInput ClockInputOf(const CaseFile& file, const MunicipalityProfile& profile, const Date& as_of);

// A case file with the profile that governs it.
struct ProfiledCase {
  CaseFile file;
  MunicipalityProfile profile;
};

// A caseload as of `as_of`: every case's clocks under its own profile (only `caseworker`'s
// cases when not empty; done items only with include_done), ordered as clocks::Caseload orders.
std::vector<clocks::DueItem> CaseloadOf(const std::vector<ProfiledCase>& cases, const Date& as_of,
                                        std::string_view caseworker, bool include_done);

}  // namespace ix::core

#endif  // IX_CORE_CASEWORK_CASEWORK_HPP
