// Process clocks: what is due for a household or a caseworker's caseload, when, and what is
// overdue. Pure: the caller passes "today" (as_of).
//
// The clocks are data: a municipality profile lists them (instrument-x/definitions/profiles/,
// `process_clocks`), each with a name and label, the event that starts it, a duration in Swedish
// working days (ix/core/calendar), weeks or months, conditions that must hold, the event that
// stops it, and whether it is on. The profile's text is compiled once (CompileClocks), refusing
// any unknown name or out-of-range value naming the field; evaluation then only reads enums.
// One clock is special: the one stopped by `in_depth_offered` is the DUR/ASI offer, and the
// suggestions read the same clock (InDepthOfferOf), so the flag and the due item never disagree.
#ifndef IX_CORE_CLOCKS_CLOCKS_HPP
#define IX_CORE_CLOCKS_CLOCKS_HPP

#include <ix/core/categorisation/category.hpp>
#include <ix/core/categorisation/in_depth_offer.hpp>
#include <ix/core/model.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::core::clocks {

// A period of receiving assistance, both ends inclusive; no end: still open.
struct AssistancePeriod {
  Date start;
  std::optional<Date> end;
};

// Time on assistance — the one definition the suggestion rules, the clocks and the statistics
// use (docs/rules.md). A run is an unbroken series of days with assistance: periods that overlap
// or follow one another day by day are one run; a single day without assistance ends it. On a
// day `on`, the time on assistance is the whole months from the run's first day to `on`
// (calendar::WholeMonths, counted like an age); `on` itself is on assistance, so
// whole_months ≥ N means "more than N months in a row".
struct TimeOnAssistance {
  std::optional<Date> run_start;  // first day of the run that includes `on`; none: no assistance on `on`
  int whole_months = 0;
};
TimeOnAssistance OnAssistance(const std::vector<AssistancePeriod>& periods, const Date& on);
bool ReceivingAssistanceOn(const std::vector<AssistancePeriod>& periods, const Date& on);

// --- clocks as data -------------------------------------------------------------------------
// The events a clock can start from. Household events start one item per case; the others one
// item per adult (or per intervention of an adult).
enum class StartEvent {
  kApplicationComplete,  // "application_complete": the application became complete
  kFirstVisit,           // "first_visit": the first visit (nybesök)
  kFormSent,             // "form_sent": the application form and Instrument X were sent home
  kCategorised,          // "categorised": the adult's category in force took effect
  kAssistanceRun,        // "assistance_run": the unbroken run of assistance holding as_of began
  kInterventionStart,    // "intervention_start": one of the adult's planned interventions began
};
// The events that stop a clock (done). kNone: never done (a new start restarts it).
enum class DoneEvent {
  kNone,                 // "none"
  kDecided,              // "decided": the decision on the application
  kActionPlan,           // "action_plan": the first plan was established
  kFormReturned,         // "form_returned": the form came back
  kInterventionMeeting,  // "intervention_meeting": the meeting that plans the interventions
  kInDepthOffered,       // "in_depth_offered": DUR/ASI offered to the adult
  kInterventionEnded,    // "intervention_ended": the intervention that started the clock ended
};
enum class DurationUnit { kWorkingDays, kWeeks, kMonths };  // "working_days", "weeks", "months"
// All of a clock's conditions must hold on as_of. The category ones read the adult's category
// in force on as_of, so they need a start event of an adult.
enum class Condition {
  kOnAssistance,     // "on_assistance": the household receives assistance on as_of
  kCategoryAm1,      // "category_am1"
  kCategoryAm2,      // "category_am2"
  kCategoryAm3,      // "category_am3"
  kCategoryRh,       // "category_rh": any R kind
  kCategoryAm3OrRh,  // "category_am3_or_rh"
};

// One clock as a profile writes it (strings as read; nothing checked yet).
struct ClockText {
  std::string name;
  LocalizedText label;
  std::string start;
  int64_t amount = 0;
  std::string unit;
  std::vector<std::string> conditions;
  std::string done;
  std::optional<bool> on;  // must be stated
};

// One clock, compiled.
struct ClockDefinition {
  std::string name;  // stable code: [a-z][a-z0-9_]*, unique in the profile; DueItem::clock
  LocalizedText label;
  StartEvent start = StartEvent::kApplicationComplete;
  int amount = 0;
  DurationUnit unit = DurationUnit::kMonths;
  std::vector<Condition> conditions;
  DoneEvent done = DoneEvent::kNone;
  bool on = true;

  // The due date of an item started on `start_date`.
  Date DueFrom(const Date& start_date) const;
};
using Clocks = std::vector<ClockDefinition>;

// The bounds a profile's clocks are held to (docs/limits.md).
inline constexpr size_t kMaxClocks = 32;
inline constexpr size_t kMaxClockNameBytes = 40;
inline constexpr size_t kMaxClockLabelBytes = 200;
inline constexpr size_t kMaxClockConditions = 6;
// Largest duration per unit: a year of working days, two years of weeks, 50 years of months.
int MaxClockAmount(DurationUnit unit);

struct CompiledClocks {
  Clocks clocks;
  std::vector<Problem> problems;  // each names the field ("<path>[2].start") and the value
};
// Checks and compiles a profile's clocks; `path` names the list ("profiles[0].clocks").
// Refused: too many clocks; a name that is empty, too long, not [a-z][a-z0-9_]* or repeated; a
// label without sv or en or too long; an unknown start event, unit, condition or done event; an
// amount outside 1..MaxClockAmount(unit); a repeated condition or too many; a category
// condition on a household event; `in_depth_offered` or `intervention_ended` after a start
// they cannot follow; `on` not stated; more than one DUR/ASI clock, or one that does not run
// in whole months from `assistance_run` with at most the conditions on_assistance and
// category_am3_or_rh (the suggestions must be able to read it).
CompiledClocks CompileClocks(const std::vector<ClockText>& texts, const std::string& path);

// The codes the profile format accepts, for messages and documentation.
std::string_view StartEventCode(StartEvent event);
std::string_view DoneEventCode(DoneEvent event);
std::string_view DurationUnitCode(DurationUnit unit);
std::string_view ConditionCode(Condition condition);

// The DUR/ASI offer rule of a profile's clocks: the clock stopped by `in_depth_offered`. None,
// or switched off: the rule is off (no flag on suggestions, no due item).
InDepthOfferRule InDepthOfferOf(const Clocks& clocks);

// The clocks of the shipped default profile (instrument-x/definitions/profiles/default.json,
// written into the core at build time by ix-defc --default-clocks): what a caller without a
// profile of its own (the statistics) uses.
const Clocks& DefaultProfileClocks();
std::vector<ClockText> DefaultProfileClockTexts();  // as written (generated source)

enum class DueStatus {
  kUpcoming,  // due later than as_of
  kDueToday,  // due on as_of
  kOverdue,   // due before as_of and not done
  kDone,      // done (done_on set; done_late when after the due date)
};
std::string_view DueStatusCode(DueStatus status);

// One planned intervention, as the clocks started by it read it.
struct InterventionSpan {
  std::optional<Date> start;
  std::optional<Date> end;  // set: the intervention ended (or ends) then
};

// One adult's facts for the person-level clocks.
struct PersonClockInput {
  std::string person_ref;
  std::optional<Category> category;      // the effective category as of the query, if any
  std::optional<Date> categorised_on;    // its effective date
  std::optional<Date> in_depth_offered_on;
  std::vector<InterventionSpan> interventions = {};  // the adult's planned interventions
};

// One household's facts (a case).
struct CaseClockInput {
  std::string household_ref;
  std::string caseworker;  // caseworker id, for caseload views
  std::optional<Date> application_complete_on;
  std::optional<Date> decided_on;
  std::optional<Date> first_visit_on;
  std::optional<Date> action_plan_on;  // when the first plan was made
  std::optional<Date> form_sent_on;
  std::optional<Date> form_returned_on;
  std::optional<Date> intervention_meeting_on;
  std::vector<AssistancePeriod> assistance;
  std::vector<PersonClockInput> adults;
  // The case's own municipality profile's clocks (a copy per case: a few clocks, small); when set they replace the clocks of the call
  // (a caseload can span municipalities).
  std::optional<Clocks> clocks;
};

struct DueItem {
  std::string clock;  // the clock's name ("decision", "action_plan", …)
  LocalizedText label;
  std::string household_ref;
  std::string caseworker;
  std::string person_ref;  // empty for household clocks (decision, action plan)
  Date started_on;         // the event that started the clock
  Date due_on;
  DueStatus status = DueStatus::kUpcoming;
  std::optional<Date> done_on;
  bool done_late = false;
  int days_overdue = 0;    // calendar days past due_on when overdue (or done late)
  LocalizedText explanation;  // readable: which fact started it and which parameter applies
};

// Every clock of one case as of `as_of` (the clocks switched on), in due-date order.
std::vector<DueItem> DueItems(const CaseClockInput& input, const Clocks& clocks, const Date& as_of);

// The caseload: every case's clocks (optionally only one caseworker's), done items left out
// unless include_done; ordered overdue first, then by due date, household, person.
std::vector<DueItem> Caseload(const std::vector<CaseClockInput>& cases,
                              const Clocks& clocks, const Date& as_of,
                              std::string_view caseworker = {}, bool include_done = false);

}  // namespace ix::core::clocks

#endif  // IX_CORE_CLOCKS_CLOCKS_HPP
