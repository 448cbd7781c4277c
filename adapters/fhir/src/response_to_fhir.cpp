// Canonical InstrumentResponse -> FHIR R4 QuestionnaireResponse (layout: fhir.hpp).
#include <ix/adapters/definitions.hpp>
#include <ix/adapters/fhir/fhir.hpp>
#include <ix/adapters/protected_identity.hpp>
#include <ix/adapters/report.hpp>

#include "layout.hpp"

#include <map>
#include <set>
#include <utility>
#include <vector>

namespace ix::adapters::fhir {
namespace {

using layout::Text;

Json AnswerItem(std::string_view link_id, const std::string& text, Json answers) {
  Json item = Json::object();
  item["linkId"] = std::string(link_id);
  if (!text.empty()) item["text"] = text;
  item["answer"] = std::move(answers);
  return item;
}

Json One(std::string_view element, Json value) {
  Json answer = Json::object();
  answer[std::string(element)] = std::move(value);
  return Json::array({std::move(answer)});
}

Json GroupItem(std::string_view link_id, const std::string& text, Json items) {
  Json group = Json::object();
  group["linkId"] = std::string(link_id);
  if (!text.empty()) group["text"] = text;
  group["item"] = std::move(items);
  return group;
}

Json Coded(const std::string& system, std::string_view code) {
  Json coding = Json::object();
  coding["system"] = system;
  coding["code"] = std::string(code);
  return One("valueCoding", std::move(coding));
}

Json PersonGroup(const v1::Person& person, const Options& options, const ProtectedIdentity& protection) {
  Json items = Json::array();
  items.push_back(AnswerItem(layout::kPersonRef, "", One("valueString", person.person_ref())));
  if (!person.personnummer().empty()) {
    items.push_back(AnswerItem(layout::kPersonnummer, "", One("valueString", person.personnummer())));
  }
  if (auto sex = layout::SexCode(person.sex()); !sex.empty()) {
    items.push_back(AnswerItem(layout::kSex, "", Coded(layout::PersonCodeSystem(options, "sex"), sex)));
  }
  if (!person.birth_date().empty()) {
    items.push_back(AnswerItem(layout::kBirthDate, "", One("valueDate", person.birth_date())));
  }
  if (auto role = layout::RoleCode(person.role()); !role.empty()) {
    items.push_back(AnswerItem(layout::kRole, "", Coded(layout::PersonCodeSystem(options, "role"), role)));
  }
  if (protection.IsProtected(person)) {
    items.push_back(AnswerItem(layout::kProtected, "", One("valueBoolean", true)));
  }
  return GroupItem(layout::kPerson, "", std::move(items));
}

std::string_view Status(const v1::InstrumentResponse& response) {
  if (response.part_status_size() == 0) return "in-progress";
  bool amended = false;
  for (const auto& part : response.part_status()) {
    if (part.state() == v1::PART_STATE_AMENDED) amended = true;
    if (part.state() != v1::PART_STATE_COMPLETED && part.state() != v1::PART_STATE_AMENDED) {
      return "in-progress";
    }
  }
  return amended ? "amended" : "completed";
}

using AnswerKey = std::pair<std::string, std::string>;  // item id, person ref

// The persons as the reader requires them, and validation too (missing_person_ref,
// duplicate_person_ref, invalid_date): a reference each, no reference twice, a birth date that
// is a real day. A household that breaks this is refused before anything is written: written
// anyway, the document would be refused by a strict receiver (ResponseFromFhir is one), and
// leaving the person out would pass on a household that is not the case's. Values are not
// quoted (references may be personal data in a careless system).
ix::Status CheckPersons(const v1::Household& household) {
  std::map<std::string, int> first;  // person_ref -> index of its person
  for (int i = 0; i < household.persons_size(); ++i) {
    const v1::Person& person = household.persons(i);
    const std::string path = "household.persons[" + std::to_string(i) + "]";
    if (person.person_ref().empty()) {
      return ix::InvalidField(path + ".person_ref",
                              "missing; a person group in FHIR needs its reference (" +
                                  std::string(layout::kPersonRef) + ")");
    }
    if (auto [it, inserted] = first.emplace(person.person_ref(), i); !inserted) {
      return ix::InvalidField(path + ".person_ref", "the same reference as household.persons[" +
                                                        std::to_string(it->second) + "]");
    }
    if (!person.birth_date().empty() && !layout::IsDate(person.birth_date())) {
      return ix::InvalidField(path + ".birth_date", "not a real date YYYY-MM-DD (FHIR valueDate)");
    }
  }
  return ix::Status::Ok();
}

// The answered items of one scope (and one person for adult items), as part/section groups.
// `answers` holds each answer's FHIR answer list, converted (and checked) once.
Result<Json> PartGroups(const v1::Definition& definition, v1::ItemScope scope, std::string_view prefix,
                        const std::string& person_ref, const std::map<AnswerKey, Json>& answers,
                        const Options& options) {
  return layout::ScopeGroups(
      definition, scope, prefix, options,
      [](const std::string& link_id, std::string text, Json items) {
        return GroupItem(link_id, text, std::move(items));
      },
      [&](const v1::Item& item) -> Result<std::optional<Json>> {
        const bool household = item.scope() == v1::ITEM_SCOPE_HOUSEHOLD;
        auto it = answers.find({item.id(), household ? std::string() : person_ref});
        if (it == answers.end()) return std::optional<Json>();
        return std::optional<Json>(AnswerItem(item.id(), Text(item.label(), options), it->second));
      });
}

}  // namespace

Result<Translated> ResponseToFhir(const v1::InstrumentResponse& response,
                                  const v1::Definition& definition, const Options& options) {
  if (response.instrument().instrument_id() != definition.id() ||
      response.instrument().version() != definition.version()) {
    return ix::InvalidField("response.instrument",
                            "pinned to " + response.instrument().instrument_id() + "@" +
                                response.instrument().version() + ", not to " + definition.id() + "@" +
                                definition.version());
  }
  const v1::Household& household = response.household();
  if (ix::Status s = CheckPersons(household); !s.ok()) return s;
  Report report("fhir-r4", "to_vendor");
  ProtectedIdentity protection = options.protection;
  protection.Add(household);
  std::set<std::string> persons;
  for (const auto& person : household.persons()) persons.insert(person.person_ref());

  std::map<AnswerKey, Json> answers;
  std::set<std::string> answered_adults;
  for (int i = 0; i < response.answers_size(); ++i) {
    const v1::Answer& answer = response.answers(i);
    const std::string path = "answers[" + std::to_string(i) + "]";
    const v1::Item* item = FindItem(definition, answer.item_id());
    if (item == nullptr) {
      return ix::InvalidField(path + ".item_id", "'" + answer.item_id() + "' is not in " + definition.id() +
                                                     "@" + definition.version());
    }
    const bool household_item = item->scope() == v1::ITEM_SCOPE_HOUSEHOLD;
    if (household_item && !answer.person_ref().empty()) {
      return ix::InvalidField(path + ".person_ref", "'" + answer.item_id() + "' is a household item");
    }
    if (!household_item && !persons.contains(answer.person_ref())) {
      return ix::InvalidField(path + ".person_ref", "no person '" + answer.person_ref() + "' in the household");
    }
    if (protection.Withholds(household, answer)) {
      report.Withheld("answers[" + answer.item_id() + "]",
                      "contact data of a person with protected identity is not passed on");
      continue;
    }
    const AnswerKey key{answer.item_id(), answer.person_ref()};
    if (answers.contains(key)) {
      return ix::InvalidField(path, "a second answer to '" + answer.item_id() + "' for the same person");
    }
    auto list = layout::ToFhirAnswers(answer.value(), *item, options, path + ".value");
    if (!list.ok()) return list.status();
    if (list->empty()) {  // FHIR has no empty answer list: an empty multiple choice is no answer
      report.NotInTarget("answers[*].value.codes", "an empty choice list has no place in R4 (no answer)");
      continue;
    }
    answers.emplace(key, std::move(list).value());
    if (!household_item) answered_adults.insert(answer.person_ref());
    if (answer.answered_by() != v1::RESPONDENT_UNSPECIFIED) {
      report.NotInTarget("answers[*].answered_by",
                         "who answered (client/together/caseworker) has no per-answer place in R4");
    }
    if (answer.has_interpreter()) {
      report.NotInTarget("answers[*].interpreter", "interpreter per answer has no place in R4");
    }
    if (!answer.answered_at().empty()) {
      report.NotInTarget("answers[*].answered_at", "per-answer timestamps have no place in R4");
    }
    if (answer.calculated() != item->has_calculated()) {
      report.Derived("answers[*].calculated",
                     "the calculated flag is derived from the definition on the way back");
    }
    if (item->type() == v1::ITEM_TYPE_DECIMAL && answer.value().has_decimal()) {
      Json number = Json::parse(answer.value().decimal(), nullptr, false);
      if (number.is_discarded() || number.dump() != answer.value().decimal()) {
        report.Derived("answers[*].value.decimal",
                       "decimal written in another form (e.g. trailing zeros) is normalised");
      }
    }
  }
  if (response.part_status_size() > 0) {
    report.NotInTarget("part_status",
                       "per-part state is summarised in QuestionnaireResponse.status only");
  }
  for (int i = 0; i < response.changes_size(); ++i) {
    report.NotInTarget("changes", "the change trail (audit) stays in the case system");
  }
  if (!response.created_at().empty()) {
    report.NotInTarget("created_at", "R4 has 'authored' (last change) only; updated_at is carried");
  }
  if (response.has_migrated_from()) {
    report.NotInTarget("migrated_from", "the migration origin has no place in R4");
  }

  Json qr = Json::object();
  qr["resourceType"] = "QuestionnaireResponse";
  if (!response.response_ref().empty()) {
    qr["identifier"] = Json{{"system", options.canonical_base + "/response"},
                            {"value", response.response_ref()}};
  }
  qr["questionnaire"] = QuestionnaireUrl(options, definition.id()) + "|" + definition.version();
  qr["status"] = std::string(Status(response));
  if (!response.updated_at().empty()) qr["authored"] = response.updated_at();

  Json household_items = Json::array();
  if (!household.household_ref().empty()) {
    household_items.push_back(AnswerItem(layout::kHouseholdRef, "", One("valueString", household.household_ref())));
  }
  if (!household.municipality_code().empty()) {
    household_items.push_back(
        AnswerItem(layout::kMunicipality, "", One("valueString", household.municipality_code())));
  }
  for (const auto& person : household.persons()) household_items.push_back(PersonGroup(person, options, protection));
  auto household_parts = PartGroups(definition, v1::ITEM_SCOPE_HOUSEHOLD, layout::kHousehold, "", answers, options);
  if (!household_parts.ok()) return household_parts.status();
  for (auto& group : *household_parts) household_items.push_back(std::move(group));

  Json items = Json::array();
  if (!household_items.empty()) {
    items.push_back(GroupItem(layout::kHousehold, "", std::move(household_items)));
  }
  for (const auto& person : household.persons()) {
    if (!answered_adults.contains(person.person_ref())) continue;
    auto parts = PartGroups(definition, v1::ITEM_SCOPE_ADULT, layout::kAdult, person.person_ref(), answers, options);
    if (!parts.ok()) return parts.status();
    Json adult = Json::array();
    adult.push_back(AnswerItem(layout::kAdultPersonRef, "", One("valueString", person.person_ref())));
    for (auto& group : *parts) adult.push_back(std::move(group));
    items.push_back(GroupItem(layout::kAdult, "", std::move(adult)));
  }
  if (!items.empty()) qr["item"] = std::move(items);
  return Translated{std::move(qr), report.Take()};
}

}  // namespace ix::adapters::fhir
