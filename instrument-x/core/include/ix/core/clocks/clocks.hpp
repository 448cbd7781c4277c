// Process clocks: what is due for a household or a caseworker's caseload, when, and what is
// overdue. The durations are a municipality profile's parameters (data), the working days
// follow the Swedish calendar (ix/core/calendar). Pure: the caller passes "today" (as_of).
//
// The four clocks (default parameters in instrument-x/definitions/profiles/):
//   decision      — due `decision_working_days` Swedish working days after the application
//                   became complete; done when the decision is made.
//   action_plan   — due `action_plan_months` after the first visit; done when a plan exists.
//   am1_review    — due `am1_review_months` after an adult was categorised AM1, while the
//                   household still receives assistance; a new categorisation restarts it.
//   in_depth_offer — DUR/ASI offered once assistance has lasted more than
//                   `in_depth_offer.more_than_months` whole months without a break (every adult
//                   unless the profile restricts it to AM3 or RH: InDepthOfferRule, the same rule
//                   the suggestions use); done when the offer is recorded.
#ifndef IX_CORE_CLOCKS_CLOCKS_HPP
#define IX_CORE_CLOCKS_CLOCKS_HPP

#include <ix/core/categorisation/category.hpp>
#include <ix/core/categorisation/in_depth_offer.hpp>
#include <ix/core/model.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::core::clocks {

struct ClockParameters {
  int decision_working_days = 10;
  int action_plan_months = 3;
  int am1_review_months = 3;
  InDepthOfferRule in_depth_offer;  // more than 6 whole months, every adult
};

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

enum class ClockKind { kDecision, kActionPlan, kAm1Review, kInDepthOffer };
std::string_view ClockKindCode(ClockKind kind);  // "decision", "action_plan", …

enum class DueStatus {
  kUpcoming,  // due later than as_of
  kDueToday,  // due on as_of
  kOverdue,   // due before as_of and not done
  kDone,      // done (done_on set; done_late when after the due date)
};
std::string_view DueStatusCode(DueStatus status);

// One adult's facts for the person-level clocks.
struct PersonClockInput {
  std::string person_ref;
  std::optional<Category> category;      // the effective category as of the query, if any
  std::optional<Date> categorised_on;    // its effective date
  std::optional<Date> in_depth_offered_on;
};

// One household's facts (a case).
struct CaseClockInput {
  std::string household_ref;
  std::string caseworker;  // caseworker id, for caseload views
  std::optional<Date> application_complete_on;
  std::optional<Date> decided_on;
  std::optional<Date> first_visit_on;
  std::optional<Date> action_plan_on;  // when the first plan was made
  std::vector<AssistancePeriod> assistance;
  std::vector<PersonClockInput> adults;
  // The case's own municipality profile; when set it replaces the parameters of the call
  // (a caseload can span municipalities).
  std::optional<ClockParameters> parameters;
};

struct DueItem {
  ClockKind kind = ClockKind::kDecision;
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

// Every clock of one case as of `as_of`, in due-date order.
std::vector<DueItem> DueItems(const CaseClockInput& input, const ClockParameters& parameters,
                              const Date& as_of);

// The caseload: every case's clocks (optionally only one caseworker's), done items left out
// unless include_done; ordered overdue first, then by due date, household, person.
std::vector<DueItem> Caseload(const std::vector<CaseClockInput>& cases,
                              const ClockParameters& parameters, const Date& as_of,
                              std::string_view caseworker = {}, bool include_done = false);

}  // namespace ix::core::clocks

#endif  // IX_CORE_CLOCKS_CLOCKS_HPP
