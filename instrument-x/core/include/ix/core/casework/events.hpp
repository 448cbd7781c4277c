// The events casework records (mirrors ix.v1 CategorisationEvent and InterventionEvent): what
// an event is called, who it is about and which adult's records an event belongs to. Event ids
// are deterministic, so recording the same occasion twice yields the same id (imported once).
#ifndef IX_CORE_CASEWORK_EVENTS_HPP
#define IX_CORE_CASEWORK_EVENTS_HPP

#include <ix/core/categorisation/category.hpp>
#include <ix/core/categorisation/history.hpp>
#include <ix/core/model.hpp>
#include <ix/core/plan/plan.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ix::core {

// Who an event is about, as statistics need it: sex as recorded, birth year and month.
struct Subject {
  std::string personnummer;
  Sex sex = Sex::kUnspecified;
  int birth_year = 0;  // 0: unknown
  int birth_month = 0;
};

// Who records and when; stamped on every event. `recorded_at` comes from the caller's clock.
struct Recording {
  std::string caseworker;  // caseworker id (not a name)
  std::string unit;
  std::string recorded_at;  // RFC 3339
};

struct EventHeader {
  std::string event_id;
  std::string municipality_code;
  Subject subject;
  Date effective_date;
  std::string recorded_at;
  std::string unit;
  std::string caseworker;
};

struct CategorisationEvent {
  EventHeader header;
  Category category;
  AssessmentView governing_view = AssessmentView::kUnspecified;
  std::string occasion;  // "first_visit", "follow_up", "recategorisation"
  // For the indicators (events.proto form_parts, views, am_ratings). Views: both persons'
  // categories as assessed (nullopt: that person did not assess); views_recorded is false only
  // for events read from before the views were recorded.
  AssessmentFacts facts;
  bool views_recorded = true;
  std::optional<Category> caseworker_view, client_view;
};

struct InterventionEvent {
  EventHeader header;
  std::string intervention_id;
  std::string kind;
  InterventionOrientation orientation = InterventionOrientation::kUnspecified;
  std::string responsible_actor;
  std::optional<Date> start_date;
  std::optional<Date> end_date;
  KasOutcome outcome = KasOutcome::kUnspecified;
};

// "<household_ref>/<person_ref>/categorisation/<occasion_id>".
std::string CategorisationEventId(const std::string& household_ref, const std::string& person_ref,
                                  const std::string& occasion_id);
// "<household_ref>/<person_ref>/intervention/<intervention_id>", "/ended" appended for its end.
std::string InterventionEventId(const std::string& household_ref, const std::string& person_ref,
                                const std::string& intervention_id, bool ended);

// The birth date a subject is reported with: the recorded birth_date when it is a date, else
// the one the personnummer carries. nullopt: neither says.
std::optional<Date> SubjectBirthDate(const Person& person);
Subject SubjectOf(const Person& person);

EventHeader MakeHeader(const Household& household, const Person& person, std::string event_id,
                       const Date& effective_date, const Recording& recording);

// The key events identify a person by: the normalised personnummer (the text as given when it
// does not parse), so "19850312-1231" and "198503121231" are one person.
std::string IdentityKey(const std::string& personnummer);

// The person `person_ref` names, or nullptr.
const Person* FindPerson(const Household& household, const std::string& person_ref);
// Only adults are categorised and planned for: a problem at `path` when `person_ref` is not a
// person of the household or is a child.
std::optional<Problem> CheckAdult(const Household& household, const std::string& person_ref,
                                  const std::string& path);
// The household's adults' refs, in household order.
std::vector<std::string> AdultRefs(const Household& household);

// Each member's categorisation records, from the events that name their personnummer (events
// of people outside the household are left out), in event order. Keyed by person_ref.
std::map<std::string, std::vector<CategorisationRecord>> RecordsByPerson(
    const Household& household, const std::vector<CategorisationEvent>& events);

}  // namespace ix::core

#endif  // IX_CORE_CASEWORK_EVENTS_HPP
