// Canonical Case -> Lifecare FamilyCare v1 export (lifecare.hpp).
#include <ix/adapters/lifecare/lifecare.hpp>
#include <ix/adapters/protected_identity.hpp>
#include <ix/adapters/report.hpp>

#include "internal.hpp"

#include <limits>
#include <map>

namespace ix::adapters::lifecare {
namespace {

const v1::Person* WithRole(const v1::Household& household, v1::HouseholdRole role) {
  for (const auto& person : household.persons()) {
    if (person.role() == role) return &person;
  }
  return nullptr;
}

const v1::Person* ByRef(const v1::Household& household, std::string_view ref) {
  for (const auto& person : household.persons()) {
    if (person.person_ref() == ref) return &person;
  }
  return nullptr;
}

// The latest answer to `item_id` about `person_ref` across the case's responses.
const v1::Answer* LatestAnswer(const v1::Case& c, std::string_view item_id, std::string_view person_ref) {
  const v1::Answer* found = nullptr;
  for (const auto& dated : c.responses()) {
    for (const auto& answer : dated.response().answers()) {
      if (answer.item_id() == item_id && answer.person_ref() == person_ref) found = &answer;
    }
  }
  return found;
}

}  // namespace

Result<Exported> ToLifecare(const v1::Case& c, const v1::ForsorjningshinderTable& table,
                            const ToLifecareOptions& options, const Mapping& mapping) {
  Report report("lifecare-familycare-v1", "to_vendor");
  const v1::Household& household = c.household();
  const ProtectedIdentity protection = ProtectedIdentity::OfCase(c);
  std::map<std::string, long long> customer_numbers;
  for (const auto& link : options.links.persons()) customer_numbers[link.person_ref()] = link.customer_number();

  Json persons = Json::array();
  for (int i = 0; i < household.persons_size(); ++i) {
    const v1::Person& person = household.persons(i);
    const std::string path = "household.persons[" + std::to_string(i) + "]";
    if (internal::NormalizedPersonnummer(person.personnummer()).empty()) {
      return FieldError(path + ".personnummer", "missing or not a valid personnummer/samordningsnummer "
                                                "(Lifecare's PersonId is required)");
    }
    Json dto = Json::object();
    dto["PersonId"] = person.personnummer();
    if (auto it = customer_numbers.find(person.person_ref()); it != customer_numbers.end()) {
      if (it->second <= 0 || it->second > std::numeric_limits<int32_t>::max()) {
        return FieldError("links.persons[" + person.person_ref() + "].customer_number",
                          "outside Lifecare's CustomerNumber range (int32)");
      }
      dto["CustomerNumber"] = it->second;
    }
    dto["Source"] = mapping.source;
    // Protected in any snapshot the case holds (protected_identity.hpp), not only this one.
    const bool is_protected = protection.IsProtected(person);
    for (const auto& flag : mapping.protection_flags) dto[flag] = is_protected;
    // Contact data lives in answers (e.g. personal.phone); never for a protected person.
    for (const auto& [field, item_id] : mapping.contact_items) {
      const v1::Answer* answer = LatestAnswer(c, item_id, person.person_ref());
      if (answer == nullptr || !answer->value().has_text()) continue;
      if (is_protected) {
        report.Withheld("household.persons[*]." + field,
                        "contact data of a person with protected identity is not passed on");
        continue;
      }
      dto[field] = answer->value().text();
    }
    if (person.sex() != v1::SEX_UNSPECIFIED) {
      report.NotInTarget("household.persons[*].sex", "PersonBasedPersonDTO has no sex field");
    }
    if (!person.birth_date().empty()) {
      report.Derived("household.persons[*].birth_date", "derived from the personnummer on the way back");
    }
    persons.push_back(std::move(dto));
  }
  report.Derived("household.persons[*].person_ref",
                 "Lifecare identifies persons by PersonId/CustomerNumber; references are given again "
                 "on the way back (links, else p1…/c1… in household order)");

  const v1::Person* applicant = WithRole(household, v1::HOUSEHOLD_ROLE_REGISTERLEDARE);
  const v1::Person* co_applicant = WithRole(household, v1::HOUSEHOLD_ROLE_MEDSOKANDE);
  if (applicant == nullptr) {
    return FieldError("household.persons", "no registerledare (Lifecare's investigation needs an Applicant)");
  }
  Json investigation = Json::object();
  if (options.links.investigation_id() < 0 ||
      options.links.investigation_id() > std::numeric_limits<int32_t>::max()) {
    return FieldError("links.investigation_id", "outside Lifecare's Id range (int32)");
  }
  if (options.links.investigation_id() != 0) investigation["Id"] = options.links.investigation_id();
  investigation["Type"] = mapping.investigation_type;
  const std::string& from = !c.first_visit_on().empty() ? c.first_visit_on() : c.application_complete_on();
  if (!from.empty()) investigation["FromDate"] = from;
  if (!c.caseworker().empty()) investigation["Caseworker"] = c.caseworker();
  if (!c.unit().empty()) investigation["Organization"] = c.unit();
  investigation["DossierType"] = mapping.dossier_type;
  investigation["Applicant"] = applicant->personnummer();
  if (co_applicant != nullptr) investigation["CoApplicant"] = co_applicant->personnummer();
  Json members = Json::array();
  for (const auto& person : household.persons()) {
    members.push_back(Json{{"PersonId", person.personnummer()},
                           {"CoApplicant", person.role() == v1::HOUSEHOLD_ROLE_MEDSOKANDE}});
    if (person.role() == v1::HOUSEHOLD_ROLE_OTHER_ADULT || person.role() == v1::HOUSEHOLD_ROLE_CHILD) {
      report.Derived("household.persons[*].role",
                     "other adult/child is derived from the age at the investigation's FromDate");
    }
  }
  investigation["InvestigationPersonDTOs"] = std::move(members);
  if (!c.household().household_ref().empty()) {
    report.NotInTarget("household.household_ref", "Lifecare numbers investigations itself (Id)");
  }
  if (!c.household().municipality_code().empty()) {
    report.NotInTarget("household.municipality_code",
                       "a Lifecare installation serves one municipality; given again on import");
  }
  if (!c.first_visit_on().empty() && !c.application_complete_on().empty()) {
    report.NotInTarget("application_complete_on", "investigation FromDate carries the first visit only");
  }

  // Decisions: one per application date; Lifecare carries the applicant's and the
  // co-applicant's försörjningshinder (Reason, ReasonCoApplicant).
  std::map<std::string, std::pair<const v1::ForsorjningshinderRecord*, const v1::ForsorjningshinderRecord*>>
      by_date;
  for (int i = 0; i < c.forsorjningshinder_size(); ++i) {
    const auto& record = c.forsorjningshinder(i);
    const std::string path = "forsorjningshinder[" + std::to_string(i) + "]";
    if (internal::ReasonLabel(table, record.chosen_code()) == nullptr) {
      return FieldError(path + ".chosen_code", "'" + record.chosen_code() + "' is not in " + table.id() + " " +
                                                   table.version());
    }
    const v1::Person* person = ByRef(household, record.person_ref());
    if (person == nullptr) return FieldError(path + ".person_ref", "no such person in the household");
    auto& slot = by_date[record.date()];
    if (person->role() == v1::HOUSEHOLD_ROLE_REGISTERLEDARE) {
      slot.first = &record;
    } else if (person->role() == v1::HOUSEHOLD_ROLE_MEDSOKANDE) {
      slot.second = &record;
    } else {
      report.NotInTarget("forsorjningshinder[*] (other adults)",
                         "a Lifecare decision carries the applicant's and co-applicant's reason only");
    }
    if (!record.suggested_code().empty()) {
      report.NotInTarget("forsorjningshinder[*].suggested_code", "Lifecare keeps the chosen reason only");
    }
  }
  Json decisions = Json::array();
  for (const auto& [date, pair] : by_date) {
    const auto* mine = pair.first;
    const auto* co = pair.second;
    if (mine == nullptr && co == nullptr) continue;
    Json decision = Json::object();
    decision["Date"] = date;
    decision["Type"] = mapping.decision_type;
    if (mine != nullptr) decision["Reason"] = *internal::ReasonLabel(table, mine->chosen_code());
    const auto* any = mine != nullptr ? mine : co;
    if (!any->chosen_by().empty()) decision["DecisionMaker"] = any->chosen_by();
    if (mine != nullptr && co != nullptr && mine->chosen_by() != co->chosen_by()) {
      report.NotInTarget("forsorjningshinder[*].chosen_by (co-applicant)",
                         "one DecisionMaker per decision; the applicant's is carried");
    }
    if (!c.unit().empty()) decision["Organization"] = c.unit();
    Json people = Json::array();
    people.push_back(Json{{"PersonId", applicant->personnummer()}, {"IsCoApplicant", false}});
    if (co != nullptr && co_applicant != nullptr) {
      decision["CoApplicant"] = co_applicant->personnummer();
      decision["ReasonCoApplicant"] = *internal::ReasonLabel(table, co->chosen_code());
      people.push_back(Json{{"PersonId", co_applicant->personnummer()}, {"IsCoApplicant", true}});
    }
    decision["DecisionPersonDTOs"] = std::move(people);
    decisions.push_back(std::move(decision));
  }
  if (!c.decided_on().empty()) {
    report.NotInTarget("decided_on", "the decision date of the application is not in the export");
  }

  // The summary note, filed on the applicant.
  Json documents = Json::array();
  Json contents = Json::array();
  const std::string note = SummaryNote(c, table);
  std::string date = from;
  if (c.responses_size() > 0) date = c.responses(c.responses_size() - 1).answered_on();
  const std::string id = "ix-" + household.household_ref() + "-" + date;
  documents.push_back(Json{{"Id", id},
                           {"Title", mapping.document_title},
                           {"Date", date},
                           {"DocumentType", mapping.document_type},
                           {"OwnerId", applicant->personnummer()},
                           {"OwnerType", mapping.owner_type}});
  contents.push_back(Json{{"DocumentId", id},
                          {"Description", mapping.document_description},
                          {"Content", internal::Base64(note)},
                          {"Date", date + "T00:00:00Z"}});
  if (c.responses_size() > 0) {
    report.NotInTarget("responses[*].answers", "Lifecare FamilyCare v1 has no model for form answers; "
                                               "the summary note describes the outcome");
  }
  if (c.assessments_size() > 0 || c.events_size() > 0) {
    report.TextOnly("assessments, events (categories)", "needs categories are in the summary note as text");
  }
  if (c.has_plan()) report.TextOnly("plan", "plan dates are in the summary note; goals and interventions are not");
  if (c.follow_ups_size() > 0) report.NotInTarget("follow_ups", "no place in Lifecare FamilyCare v1");
  if (c.assistance_size() > 0) report.NotInTarget("assistance", "payments are Lifecare's own records");
  if (c.in_depth_offers_size() > 0) report.NotInTarget("in_depth_offers", "no place in Lifecare FamilyCare v1");
  if (!c.profile_id().empty()) report.NotInTarget("profile_id", "municipality profile is plugin configuration");

  Json document = Json::object();
  document["Persons"] = std::move(persons);
  document["Investigation"] = std::move(investigation);
  document["Decisions"] = std::move(decisions);
  document["Documents"] = std::move(documents);
  document["DocumentContents"] = std::move(contents);
  return Exported{std::move(document), report.Take()};
}

}  // namespace ix::adapters::lifecare
