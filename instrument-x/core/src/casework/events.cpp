#include <ix/core/casework/events.hpp>

#include <ix/core/personnummer.hpp>

#include <algorithm>

namespace ix::core {

std::string CategorisationEventId(const std::string& household_ref, const std::string& person_ref,
                                  const std::string& occasion_id) {
  return household_ref + "/" + person_ref + "/categorisation/" + occasion_id;
}

std::string InterventionEventId(const std::string& household_ref, const std::string& person_ref,
                                const std::string& intervention_id, bool ended) {
  return household_ref + "/" + person_ref + "/intervention/" + intervention_id + (ended ? "/ended" : "");
}

std::optional<Date> SubjectBirthDate(const Person& person) {
  if (std::optional<Date> recorded = ParseIsoDate(person.birth_date)) return recorded;
  const IdentityNumber id = ParseIdentityNumber(person.personnummer);
  if (id.ok()) return id.birth_date;
  return std::nullopt;
}

Subject SubjectOf(const Person& person) {
  Subject s;
  s.personnummer = person.personnummer;
  s.sex = person.sex;
  if (const std::optional<Date> birth = SubjectBirthDate(person)) {
    s.birth_year = birth->year;
    s.birth_month = birth->month;
  }
  return s;
}

EventHeader MakeHeader(const Household& household, const Person& person, std::string event_id,
                       const Date& effective_date, const Recording& recording) {
  EventHeader h;
  h.event_id = std::move(event_id);
  h.municipality_code = household.municipality_code;
  h.subject = SubjectOf(person);
  h.effective_date = effective_date;
  h.recorded_at = recording.recorded_at;
  h.unit = recording.unit;
  h.caseworker = recording.caseworker;
  return h;
}

std::string IdentityKey(const std::string& personnummer) {
  const IdentityNumber id = ParseIdentityNumber(personnummer);
  return id.ok() ? id.normalized : personnummer;
}

const Person* FindPerson(const Household& household, const std::string& person_ref) {
  auto it = std::find_if(household.persons.begin(), household.persons.end(),
                         [&](const Person& p) { return p.person_ref == person_ref; });
  return it == household.persons.end() ? nullptr : &*it;
}

std::optional<Problem> CheckAdult(const Household& household, const std::string& person_ref,
                                  const std::string& path) {
  const Person* person = FindPerson(household, person_ref);
  if (person == nullptr) {
    return FieldProblem(path, "unknown_person",
                        {"'" + person_ref + "' är ingen person i hushållet",
                         "'" + person_ref + "' is not a person of the household"});
  }
  if (person->role == HouseholdRole::kChild) {
    return FieldProblem(path, "not_an_adult",
                        {"'" + person_ref + "' är ett barn; bara vuxna kategoriseras",
                         "'" + person_ref + "' is a child; only adults are categorised"});
  }
  return std::nullopt;
}

std::vector<std::string> AdultRefs(const Household& household) {
  std::vector<std::string> refs;
  for (const Person& p : household.persons) {
    if (p.role != HouseholdRole::kChild) refs.push_back(p.person_ref);
  }
  return refs;
}

std::map<std::string, std::vector<CategorisationRecord>> RecordsByPerson(
    const Household& household, const std::vector<CategorisationEvent>& events) {
  std::map<std::string, std::string> ref_by_key;
  for (const Person& p : household.persons) ref_by_key[IdentityKey(p.personnummer)] = p.person_ref;
  std::map<std::string, std::vector<CategorisationRecord>> out;
  for (const CategorisationEvent& e : events) {
    auto ref = ref_by_key.find(IdentityKey(e.header.subject.personnummer));
    if (ref == ref_by_key.end()) continue;  // another household's member
    out[ref->second].push_back(
        {e.header.effective_date, e.category, e.governing_view, e.occasion, e.header.event_id});
  }
  return out;
}

}  // namespace ix::core
