// FHIR R4 QuestionnaireResponse -> canonical InstrumentResponse (layout: fhir.hpp). Strict:
// an unknown linkId, code or element, a value of the wrong type or a second answer to a
// single-valued item is an error naming its JSON path; values are never quoted.
#include <ix/adapters/definitions.hpp>
#include <ix/adapters/fhir/fhir.hpp>
#include <ix/adapters/protected_identity.hpp>
#include <ix/adapters/report.hpp>

#include "layout.hpp"

#include <limits>
#include <map>
#include <set>

namespace ix::adapters::fhir {
namespace {

constexpr std::string_view kRoot = "QuestionnaireResponse";

using layout::IsDate;

class Reader {
 public:
  Reader(const v1::Definition& definition, const Options& options, Report& report)
      : definition_(definition), options_(options), report_(report) {}

  Status ReadHousehold(const Json& group, const std::string& path, v1::InstrumentResponse* out);
  Status ReadAdult(const Json& group, const std::string& path, v1::InstrumentResponse* out);

 private:
  // The "item" array of a group (required, non-empty).
  Result<const Json*> Children(const Json& group, const std::string& path);
  Result<std::string> LinkId(const Json& item, const std::string& path);
  // The single answer value of a structural question (person fields, references).
  Result<const Json*> SingleValue(const Json& item, const std::string& path, std::string_view element);
  Status ReadPerson(const Json& group, const std::string& path, v1::Household* household);
  Status ReadParts(const Json& part, const std::string& path, std::string_view scope,
                   const std::string& person_ref, v1::InstrumentResponse* out);
  Status ReadAnswer(const Json& item, const std::string& path, const v1::Item& definition_item,
                    const std::string& person_ref, v1::InstrumentResponse* out);
  Result<std::string> ChoiceCode(const Json& answer, const std::string& path, const v1::Item& item);

  const v1::Definition& definition_;
  const Options& options_;
  Report& report_;
  std::set<std::pair<std::string, std::string>> answered_;
  // The household's person references, so that a person or adult group is checked in O(log n)
  // (a hostile document may hold tens of thousands of groups).
  std::set<std::string> person_refs_;
};

Result<const Json*> Reader::Children(const Json& group, const std::string& path) {
  if (auto s = ExpectOnlyKeys(group, path, {"id", "extension", "linkId", "definition", "text", "item"});
      !s.ok()) {
    return s;
  }
  auto it = group.find("item");
  if (it == group.end()) return FieldError(Child(path, "item"), "missing (a group holds items)");
  if (auto s = ExpectArray(*it, Child(path, "item")); !s.ok()) return s;
  return &*it;
}

Result<std::string> Reader::LinkId(const Json& item, const std::string& path) {
  if (auto s = ExpectObject(item, path); !s.ok()) return s;
  return RequiredString(item, "linkId", path);
}

Result<const Json*> Reader::SingleValue(const Json& item, const std::string& path,
                                        std::string_view element) {
  if (auto s = ExpectOnlyKeys(item, path, {"id", "extension", "linkId", "definition", "text", "answer"});
      !s.ok()) {
    return s;
  }
  auto answers = item.find("answer");
  const std::string answer_path = Child(path, "answer");
  if (answers == item.end()) return FieldError(answer_path, "missing");
  if (auto s = ExpectArray(*answers, answer_path); !s.ok()) return s;
  if (answers->size() != 1) {
    return FieldError(answer_path, "expected exactly one answer, got " + std::to_string(answers->size()));
  }
  const Json& answer = (*answers)[0];
  const std::string one = Index(answer_path, 0);
  if (auto s = ExpectObject(answer, one); !s.ok()) return s;
  auto value = answer.find(std::string(element));
  if (value == answer.end()) return FieldError(one, "expected " + std::string(element));
  for (const auto& [key, v] : answer.items()) {
    if (key != element && key != "id" && key != "extension") {
      return FieldError(Child(one, key), "unexpected element (expected " + std::string(element) + ")");
    }
  }
  return &*value;
}

Status Reader::ReadPerson(const Json& group, const std::string& path, v1::Household* household) {
  auto children = Children(group, path);
  if (!children.ok()) return children.status();
  v1::Person person;
  for (std::size_t i = 0; i < (*children)->size(); ++i) {
    const Json& item = (**children)[i];
    const std::string p = Index(Child(path, "item"), i);
    auto link = LinkId(item, p);
    if (!link.ok()) return link.status();
    auto text_value = [&](std::string_view element) -> Result<std::string> {
      auto v = SingleValue(item, p, element);
      if (!v.ok()) return v.status();
      if (!(*v)->is_string()) {
        return FieldError(Child(Index(Child(p, "answer"), 0), element),
                          "expected a string, got " + std::string(JsonTypeName(**v)));
      }
      return (*v)->get<std::string>();
    };
    auto code_value = [&](std::string_view field) -> Result<std::string> {
      auto v = SingleValue(item, p, "valueCoding");
      if (!v.ok()) return v.status();
      const std::string vp = Child(Index(Child(p, "answer"), 0), "valueCoding");
      if (auto s = ExpectObject(**v, vp); !s.ok()) return s;
      auto system = OptionalString(**v, "system", vp);
      if (!system.ok()) return system.status();
      if (!system->empty() && *system != layout::PersonCodeSystem(options_, field)) {
        return FieldError(Child(vp, "system"), "unknown code system for " + std::string(field));
      }
      return RequiredString(**v, "code", vp);
    };
    if (*link == layout::kPersonRef) {
      auto v = text_value("valueString");
      if (!v.ok()) return v.status();
      person.set_person_ref(*v);
    } else if (*link == layout::kPersonnummer) {
      auto v = text_value("valueString");
      if (!v.ok()) return v.status();
      person.set_personnummer(*v);
    } else if (*link == layout::kBirthDate) {
      auto v = text_value("valueDate");
      if (!v.ok()) return v.status();
      if (!IsDate(*v)) return FieldError(Child(p, "answer[0].valueDate"), "expected YYYY-MM-DD");
      person.set_birth_date(*v);
    } else if (*link == layout::kSex) {
      auto code = code_value("sex");
      if (!code.ok()) return code.status();
      auto sex = layout::SexFromCode(*code);
      if (!sex) return FieldError(Child(p, "answer[0].valueCoding.code"), "unknown sex code");
      person.set_sex(*sex);
    } else if (*link == layout::kRole) {
      auto code = code_value("role");
      if (!code.ok()) return code.status();
      auto role = layout::RoleFromCode(*code);
      if (!role) return FieldError(Child(p, "answer[0].valueCoding.code"), "unknown role code");
      person.set_role(*role);
    } else if (*link == layout::kProtected) {
      auto v = SingleValue(item, p, "valueBoolean");
      if (!v.ok()) return v.status();
      if (!(*v)->is_boolean()) {
        return FieldError(Child(p, "answer[0].valueBoolean"),
                          "expected a boolean, got " + std::string(JsonTypeName(**v)));
      }
      person.set_protected_identity((*v)->get<bool>());
    } else {
      return FieldError(Child(p, "linkId"), "unknown linkId in a person group");
    }
  }
  if (person.person_ref().empty()) return FieldError(path, "person without " + std::string(layout::kPersonRef));
  if (!person_refs_.insert(person.person_ref()).second) {
    return FieldError(path, "a second person with the same reference");
  }
  *household->add_persons() = std::move(person);
  return Status::Ok();
}

Status Reader::ReadHousehold(const Json& group, const std::string& path, v1::InstrumentResponse* out) {
  auto children = Children(group, path);
  if (!children.ok()) return children.status();
  v1::Household* household = out->mutable_household();
  // Persons first: answers of household items may not depend on them, but adult groups do.
  for (std::size_t i = 0; i < (*children)->size(); ++i) {
    const Json& item = (**children)[i];
    const std::string p = Index(Child(path, "item"), i);
    auto link = LinkId(item, p);
    if (!link.ok()) return link.status();
    if (*link == layout::kPerson) {
      if (auto s = ReadPerson(item, p, household); !s.ok()) return s;
    }
  }
  for (std::size_t i = 0; i < (*children)->size(); ++i) {
    const Json& item = (**children)[i];
    const std::string p = Index(Child(path, "item"), i);
    const std::string link = item["linkId"].get<std::string>();
    if (link == layout::kPerson) continue;
    if (link == layout::kHouseholdRef || link == layout::kMunicipality) {
      auto v = SingleValue(item, p, "valueString");
      if (!v.ok()) return v.status();
      if (!(*v)->is_string()) {
        return FieldError(Child(p, "answer[0].valueString"),
                          "expected a string, got " + std::string(JsonTypeName(**v)));
      }
      if (link == layout::kHouseholdRef) {
        household->set_household_ref((*v)->get<std::string>());
      } else {
        household->set_municipality_code((*v)->get<std::string>());
      }
      continue;
    }
    if (auto s = ReadParts(item, p, layout::kHousehold, "", out); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Reader::ReadAdult(const Json& group, const std::string& path, v1::InstrumentResponse* out) {
  auto children = Children(group, path);
  if (!children.ok()) return children.status();
  std::string person_ref;
  for (std::size_t i = 0; i < (*children)->size(); ++i) {
    const Json& item = (**children)[i];
    const std::string p = Index(Child(path, "item"), i);
    auto link = LinkId(item, p);
    if (!link.ok()) return link.status();
    if (*link != layout::kAdultPersonRef) continue;
    auto v = SingleValue(item, p, "valueString");
    if (!v.ok()) return v.status();
    if (!(*v)->is_string()) return FieldError(Child(p, "answer[0].valueString"), "expected a string");
    person_ref = (*v)->get<std::string>();
  }
  if (person_ref.empty()) {
    return FieldError(path, "adult group without " + std::string(layout::kAdultPersonRef));
  }
  if (!person_refs_.contains(person_ref)) return FieldError(path, "adult group for a person who is not in the household group");
  for (std::size_t i = 0; i < (*children)->size(); ++i) {
    const Json& item = (**children)[i];
    const std::string p = Index(Child(path, "item"), i);
    if (item["linkId"] == layout::kAdultPersonRef) continue;
    if (auto s = ReadParts(item, p, layout::kAdult, person_ref, out); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Reader::ReadParts(const Json& part_group, const std::string& path, std::string_view scope,
                         const std::string& person_ref, v1::InstrumentResponse* out) {
  auto link = LinkId(part_group, path);
  if (!link.ok()) return link.status();
  const v1::Part* part = nullptr;
  for (const auto& candidate : definition_.parts()) {
    if (*link == layout::PartGroup(scope, candidate.number())) part = &candidate;
  }
  if (part == nullptr) return FieldError(Child(path, "linkId"), "unknown linkId '" + *link + "'");
  auto sections = Children(part_group, path);
  if (!sections.ok()) return sections.status();
  for (std::size_t s = 0; s < (*sections)->size(); ++s) {
    const Json& section_group = (**sections)[s];
    const std::string sp = Index(Child(path, "item"), s);
    auto section_link = LinkId(section_group, sp);
    if (!section_link.ok()) return section_link.status();
    const v1::Section* section = nullptr;
    for (const auto& candidate : part->sections()) {
      if (*section_link == layout::SectionGroup(scope, candidate.id())) section = &candidate;
    }
    if (section == nullptr) {
      return FieldError(Child(sp, "linkId"),
                        "unknown linkId '" + *section_link + "' in part " + std::to_string(part->number()));
    }
    auto items = Children(section_group, sp);
    if (!items.ok()) return items.status();
    for (std::size_t i = 0; i < (*items)->size(); ++i) {
      const Json& item = (**items)[i];
      const std::string ip = Index(Child(sp, "item"), i);
      auto item_link = LinkId(item, ip);
      if (!item_link.ok()) return item_link.status();
      const v1::Item* found = nullptr;
      for (const auto& candidate : section->items()) {
        if (candidate.id() == *item_link) found = &candidate;
      }
      const bool wanted_household = scope == layout::kHousehold;
      if (found == nullptr || (found->scope() == v1::ITEM_SCOPE_HOUSEHOLD) != wanted_household) {
        return FieldError(Child(ip, "linkId"), "unknown item '" + *item_link + "' in " + *section_link);
      }
      if (auto st = ReadAnswer(item, ip, *found, person_ref, out); !st.ok()) return st;
    }
  }
  return Status::Ok();
}

Result<std::string> Reader::ChoiceCode(const Json& coding, const std::string& path, const v1::Item& item) {
  if (auto s = ExpectObject(coding, path); !s.ok()) return s;
  if (auto s = ExpectOnlyKeys(coding, path, {"id", "extension", "system", "version", "code", "display",
                                             "userSelected"});
      !s.ok()) {
    return s;
  }
  auto system = OptionalString(coding, "system", path);
  if (!system.ok()) return system.status();
  if (!system->empty() && *system != layout::CodeSystem(options_, item.id())) {
    return FieldError(Child(path, "system"), "not the code system of '" + item.id() + "'");
  }
  auto code = RequiredString(coding, "code", path);
  if (!code.ok()) return code.status();
  for (const auto& option : item.options()) {
    if (option.code() == *code) return code;
  }
  return FieldError(Child(path, "code"), "unknown code for '" + item.id() + "'");
}

Status Reader::ReadAnswer(const Json& item, const std::string& path, const v1::Item& def,
                          const std::string& person_ref, v1::InstrumentResponse* out) {
  if (auto s = ExpectOnlyKeys(item, path, {"id", "extension", "linkId", "definition", "text", "answer"});
      !s.ok()) {
    return s;
  }
  const std::string answers_path = Child(path, "answer");
  auto answers = item.find("answer");
  if (answers == item.end()) return FieldError(answers_path, "missing (an answered item holds answers)");
  if (auto s = ExpectArray(*answers, answers_path); !s.ok()) return s;
  if (answers->empty()) return FieldError(answers_path, "empty");
  const bool multiple = def.type() == v1::ITEM_TYPE_MULTIPLE_CHOICE;
  if (!multiple && answers->size() != 1) {
    return FieldError(answers_path, "'" + def.id() + "' takes one answer, got " +
                                        std::to_string(answers->size()));
  }
  if (!answered_.insert({def.id(), person_ref}).second) {
    return FieldError(Child(path, "linkId"), "a second answer to '" + def.id() + "' for the same " +
                                                 (person_ref.empty() ? "household" : "person"));
  }
  const std::string element(layout::AnswerElement(def.type()));
  v1::Answer answer;
  answer.set_item_id(def.id());
  answer.set_person_ref(person_ref);
  answer.set_calculated(def.has_calculated());
  v1::AnswerValue* value = answer.mutable_value();
  for (std::size_t i = 0; i < answers->size(); ++i) {
    const std::string ap = Index(answers_path, i);
    const Json& a = (*answers)[i];
    if (auto s = ExpectObject(a, ap); !s.ok()) return s;
    for (const auto& [key, v] : a.items()) {
      if (key != element && key != "id" && key != "extension") {
        return FieldError(Child(ap, key), "'" + def.id() + "' (" + std::string(ItemTypeName(def.type())) +
                                              ") expects " + element);
      }
    }
    auto it = a.find(element);
    if (it == a.end()) return FieldError(ap, "missing " + element);
    const Json& v = *it;
    const std::string vp = Child(ap, element);
    auto wrong = [&](std::string_view expected) {
      return FieldError(vp, "expected " + std::string(expected) + ", got " + std::string(JsonTypeName(v)));
    };
    switch (def.type()) {
      case v1::ITEM_TYPE_BOOLEAN:
        if (!v.is_boolean()) return wrong("a boolean");
        value->set_boolean(v.get<bool>());
        break;
      case v1::ITEM_TYPE_SINGLE_CHOICE:
      case v1::ITEM_TYPE_MULTIPLE_CHOICE: {
        auto code = ChoiceCode(v, vp, def);
        if (!code.ok()) return code.status();
        if (multiple) {
          value->mutable_codes()->add_codes(*code);
        } else {
          value->set_code(*code);
        }
        break;
      }
      case v1::ITEM_TYPE_INTEGER:
      case v1::ITEM_TYPE_RATING: {
        if (!v.is_number_integer()) return wrong("an integer");
        const long long number = v.get<long long>();
        if (number < std::numeric_limits<int32_t>::min() || number > std::numeric_limits<int32_t>::max()) {
          return FieldError(vp, "outside FHIR's 32-bit integer range");
        }
        if (def.type() == v1::ITEM_TYPE_RATING) {
          if (layout::RatingAsChoice(def) && (number < def.min() || number > def.max())) {
            return FieldError(vp, "not an option of '" + def.id() + "' (" + std::to_string(def.min()) +
                                      "–" + std::to_string(def.max()) + ")");
          }
          value->set_rating(static_cast<int32_t>(number));
        } else {
          value->set_integer(number);
        }
        break;
      }
      case v1::ITEM_TYPE_DECIMAL:
        if (!v.is_number()) return wrong("a number");
        value->set_decimal(v.dump());
        break;
      case v1::ITEM_TYPE_MONEY: {
        if (auto s = ExpectObject(v, vp); !s.ok()) return s;
        if (auto s = ExpectOnlyKeys(v, vp, {"id", "extension", "value", "comparator", "unit", "system", "code"});
            !s.ok()) {
          return s;
        }
        if (v.contains("comparator")) return FieldError(Child(vp, "comparator"), "an amount must be exact");
        auto code = OptionalString(v, "code", vp);
        if (!code.ok()) return code.status();
        auto system = OptionalString(v, "system", vp);
        if (!system.ok()) return system.status();
        if (*code != "SEK" || (!system->empty() && *system != layout::kIso4217)) {
          return FieldError(Child(vp, "code"), "expected currency SEK (urn:iso:std:iso:4217)");
        }
        auto amount = v.find("value");
        if (amount == v.end()) return FieldError(Child(vp, "value"), "missing");
        auto ore = layout::OreFromKronor(*amount);
        if (!ore) return FieldError(Child(vp, "value"), "not an amount in whole öre");
        value->mutable_money()->set_ore(*ore);
        break;
      }
      case v1::ITEM_TYPE_DATE:
        if (!v.is_string()) return wrong("a date string");
        if (!IsDate(v.get<std::string>())) return FieldError(vp, "expected a full date YYYY-MM-DD");
        value->set_date(v.get<std::string>());
        break;
      case v1::ITEM_TYPE_PERSONNUMMER:
        if (!v.is_string()) return wrong("a string");
        value->set_personnummer(v.get<std::string>());
        break;
      default:
        if (!v.is_string()) return wrong("a string");
        value->set_text(v.get<std::string>());
        break;
    }
  }
  if (IsWithheldAnswer(out->household(), answer)) {
    report_.Withheld("item[" + def.id() + "]",
                     "contact data of a person with protected identity is not taken in");
    return Status::Ok();
  }
  *out->add_answers() = std::move(answer);
  return Status::Ok();
}

}  // namespace

Result<Imported> ResponseFromFhir(const Json& resource, std::span<const v1::Definition> definitions,
                                  const Options& options) {
  const std::string root(kRoot);
  if (auto s = ExpectObject(resource, root); !s.ok()) return s;
  auto type = RequiredString(resource, "resourceType", root);
  if (!type.ok()) return type.status();
  if (*type != "QuestionnaireResponse") {
    return FieldError(Child(root, "resourceType"), "expected QuestionnaireResponse, got " + *type);
  }
  if (auto s = ExpectOnlyKeys(resource, root,
                              {"resourceType", "id", "meta", "implicitRules", "language", "text",
                               "contained", "extension", "modifierExtension", "identifier", "basedOn",
                               "partOf", "questionnaire", "status", "subject", "encounter", "authored",
                               "author", "source", "item"});
      !s.ok()) {
    return s;
  }
  if (resource.contains("modifierExtension") || resource.contains("implicitRules")) {
    return FieldError(root, "modifierExtension/implicitRules change the meaning; not understood");
  }
  auto canonical = RequiredString(resource, "questionnaire", root);
  if (!canonical.ok()) return canonical.status();
  const std::string prefix = options.canonical_base + "/Questionnaire/";
  const auto bar = canonical->find('|');
  if (!canonical->starts_with(prefix) || bar == std::string::npos || bar + 1 == canonical->size()) {
    return FieldError(Child(root, "questionnaire"),
                      "expected " + prefix + "<id>|<version>, got '" + *canonical + "'");
  }
  const std::string id = canonical->substr(prefix.size(), bar - prefix.size());
  const std::string version = canonical->substr(bar + 1);
  const v1::Definition* definition = FindDefinition(definitions, id, version);
  if (definition == nullptr) {
    return FieldError(Child(root, "questionnaire"), "no definition " + id + "@" + version + " is loaded");
  }
  auto status = RequiredString(resource, "status", root);
  if (!status.ok()) return status.status();
  static const std::set<std::string> kStatuses = {"in-progress", "completed", "amended",
                                                  "entered-in-error", "stopped"};
  if (!kStatuses.contains(*status)) return FieldError(Child(root, "status"), "not an R4 status code");
  if (*status == "entered-in-error") {
    return FieldError(Child(root, "status"), "the response was entered in error; not imported");
  }

  Report report("fhir-r4", "to_canonical");
  Imported imported;
  v1::InstrumentResponse& out = imported.response;
  out.mutable_instrument()->set_instrument_id(definition->id());
  out.mutable_instrument()->set_version(definition->version());
  if (auto it = resource.find("identifier"); it != resource.end()) {
    const std::string p = Child(root, "identifier");
    if (auto s = ExpectObject(*it, p); !s.ok()) return s;
    auto value = OptionalString(*it, "value", p);
    if (!value.ok()) return value.status();
    out.set_response_ref(*value);
  }
  auto authored = OptionalString(resource, "authored", root);
  if (!authored.ok()) return authored.status();
  out.set_updated_at(*authored);
  for (std::string_view element : {"text", "meta", "contained", "extension", "basedOn", "partOf", "subject",
                                   "encounter", "author", "source"}) {
    if (resource.contains(std::string(element))) {
      report.NotInTarget(root + "." + std::string(element), "not part of the canonical response");
    }
  }
  report.Derived(root + ".status", "part states are not set from the resource status");

  Reader reader(*definition, options, report);
  if (auto it = resource.find("item"); it != resource.end()) {
    const std::string p = Child(root, "item");
    if (auto s = ExpectArray(*it, p); !s.ok()) return s;
    // The household first (persons), whatever the order in the document.
    int households = 0;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string ip = Index(p, i);
      if (auto s = ExpectObject((*it)[i], ip); !s.ok()) return s;
      auto link = RequiredString((*it)[i], "linkId", ip);
      if (!link.ok()) return link.status();
      if (*link == layout::kHousehold) {
        if (++households > 1) return FieldError(ip, "a second household group");
        if (auto s = reader.ReadHousehold((*it)[i], ip, &out); !s.ok()) return s;
      } else if (*link != layout::kAdult) {
        return FieldError(Child(ip, "linkId"), "unknown linkId '" + *link + "' (expected household or adult)");
      }
    }
    std::set<std::string> adults;
    for (std::size_t i = 0; i < it->size(); ++i) {
      if ((*it)[i]["linkId"] != layout::kAdult) continue;
      if (auto s = reader.ReadAdult((*it)[i], Index(p, i), &out); !s.ok()) return s;
    }
  }
  imported.report = report.Take();
  return imported;
}

}  // namespace ix::adapters::fhir
