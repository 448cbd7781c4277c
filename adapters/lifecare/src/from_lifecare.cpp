// Lifecare FamilyCare v1 export -> canonical Case (lifecare.hpp). Strict: unknown fields,
// wrong types, unknown reasons and persons that are not in the export are errors naming the
// DTO path; values are never quoted. Address and contact fields of protected persons are never
// read into anything (reported as withheld, by field name).
#include <ix/adapters/fixed_formats.hpp>
#include <ix/adapters/lifecare/lifecare.hpp>
#include <ix/adapters/report.hpp>
#include <ix/core/personnummer.hpp>

#include "internal.hpp"

#include <limits>
#include <map>
#include <set>

namespace ix::adapters::lifecare {
namespace {

constexpr long long kInt32Max = std::numeric_limits<int32_t>::max();

// Swagger's fields of each DTO this adapter reads (everything else is an unknown field).
constexpr std::string_view kPersonFields[] = {
    "PersonId", "CustomerNumber", "Name", "StreetAddress", "PostalCode", "PostalAddress", "CareOfAddress",
    "PhoneHome", "PhoneWork", "PhoneMobile", "Email", "Source", "AddressProtection", "SecretPhone",
    "ProtectedRegistration"};
constexpr std::string_view kInvestigationFields[] = {
    "Id", "Type", "FromDate", "ToDate", "Caseworker", "Organization", "DossierType", "Applicant",
    "CoApplicant", "InvestigationPersonDTOs"};
constexpr std::string_view kDecisionFields[] = {
    "Id", "Date", "Type", "FromDate", "ToDate", "Reason", "DecisionMaker", "Organization",
    "InvestigationExecutionId", "ServiceId", "Amount", "CoApplicant", "ReasonCoApplicant",
    "ConnectedApplication", "DecisionPersonDTOs"};
constexpr std::string_view kDocumentFields[] = {"Id", "Title", "Date", "DocumentType",
                                                                     "OwnerId", "OwnerType"};
constexpr std::string_view kContentFields[] = {"DocumentId", "Description", "Content",
                                                                    "Date", "Time", "UpdateSignature"};

// "YYYY-MM-DD" of a Lifecare date ("YYYY-MM-DD" or an ISO date-time); "" when absent. A value
// that is too long or malformed is an error naming the field, the length and the limit.
Result<std::string> OptionalDate(const Json& object, std::string_view key, const std::string& path) {
  auto text = OptionalString(object, key, path);
  if (!text.ok() || text->empty()) return text;
  auto date = ParseDateOrDateTime(*text, Child(path, key));
  if (!date.ok()) return date.status();
  return core::FormatIsoDate(*date);
}

struct PersonIn {
  std::string personnummer;  // as written in PersonId
  std::string normalized;
  long long customer_number = 0;
  bool protected_identity = false;
};

}  // namespace

Result<Imported> FromLifecare(const Json& document, const v1::ForsorjningshinderTable& table,
                              const FromLifecareOptions& options, const Mapping& mapping) {
  Report report("lifecare-familycare-v1", "to_canonical");
  if (auto s = ExpectObject(document, "export"); !s.ok()) return s;
  if (auto s = ExpectOnlyKeys(document, "export",
                              {"Persons", "Investigation", "Decisions", "Documents", "DocumentContents"});
      !s.ok()) {
    return s;
  }
  Imported out;
  v1::Case& c = out.household_case;

  // --- Persons -----------------------------------------------------------------------------
  auto persons_it = document.find("Persons");
  if (persons_it == document.end()) return FieldError("Persons", "missing (required)");
  if (auto s = ExpectArray(*persons_it, "Persons"); !s.ok()) return s;
  // Persons are looked up by normalized personnummer in an index (a few persons per household,
  // but a hostile export may hold 100 000: every lookup below is O(log n), never a scan).
  std::vector<PersonIn> persons;
  std::map<std::string, std::size_t> person_index;
  for (std::size_t i = 0; i < persons_it->size(); ++i) {
    const Json& dto = (*persons_it)[i];
    const std::string path = Index("Persons", i);
    if (auto s = ExpectObject(dto, path); !s.ok()) return s;
    if (auto s = ExpectOnlyKeys(dto, path, kPersonFields); !s.ok()) return s;
    PersonIn person;
    auto id = RequiredString(dto, "PersonId", path);
    if (!id.ok()) return id.status();
    person.personnummer = *id;
    person.normalized = internal::NormalizedPersonnummer(*id);
    if (person.normalized.empty()) {
      return FieldError(Child(path, "PersonId"), "not a valid personnummer or samordningsnummer");
    }
    if (!person_index.emplace(person.normalized, persons.size()).second) {
      return FieldError(Child(path, "PersonId"), "a second person with the same PersonId");
    }
    auto number = OptionalInt(dto, "CustomerNumber", path, 0, kInt32Max);
    if (!number.ok()) return number.status();
    person.customer_number = *number;
    for (const auto& flag : mapping.protection_flags) {
      auto value = OptionalBool(dto, flag, path);
      if (!value.ok()) return value.status();
      person.protected_identity = person.protected_identity || *value;
    }
    auto secret_phone = OptionalBool(dto, mapping.secret_phone_flag, path);
    if (!secret_phone.ok()) return secret_phone.status();
    // Address and contact fields: type-checked, then never read into the canonical model.
    // For protected persons they are withheld; otherwise the canonical Person has no place.
    auto check_fields = [&](const std::vector<std::string>& fields, bool contact) -> Status {
      for (const auto& field : fields) {
        auto value = OptionalString(dto, field, path);
        if (!value.ok()) return value.status();
        if (value->empty()) continue;
        const bool phone = contact && field.starts_with("Phone");
        if (person.protected_identity || (phone && *secret_phone)) {
          report.Withheld("Persons[*]." + field, "address/contact data of a person with protected identity "
                                                 "(or a secret phone number) is not read");
        } else {
          report.NotInTarget("Persons[*]." + field, "the canonical person carries no address or contact data");
        }
      }
      return Status::Ok();
    };
    if (auto s = check_fields(mapping.address_fields, false); !s.ok()) return s;
    if (auto s = check_fields(mapping.contact_fields, true); !s.ok()) return s;
    for (std::string_view field : {"Name", "Source"}) {
      auto value = OptionalString(dto, field, path);
      if (!value.ok()) return value.status();
      if (!value->empty() && field == "Name") {
        report.NotInTarget("Persons[*].Name", "the canonical model carries no names");
      }
    }
    persons.push_back(std::move(person));
  }
  auto find_person = [&](const std::string& id) -> const PersonIn* {
    const std::string normalized = internal::NormalizedPersonnummer(id);
    auto it = normalized.empty() ? person_index.end() : person_index.find(normalized);
    return it == person_index.end() ? nullptr : &persons[it->second];
  };

  // --- Investigation: the household and its roles -------------------------------------------
  auto inv_it = document.find("Investigation");
  if (inv_it == document.end()) return FieldError("Investigation", "missing (the household comes from it)");
  const std::string ip = "Investigation";
  if (auto s = ExpectObject(*inv_it, ip); !s.ok()) return s;
  if (auto s = ExpectOnlyKeys(*inv_it, ip, kInvestigationFields); !s.ok()) return s;
  auto inv_id = OptionalInt(*inv_it, "Id", ip, 0, kInt32Max);
  if (!inv_id.ok()) return inv_id.status();
  auto from_date = OptionalDate(*inv_it, "FromDate", ip);
  if (!from_date.ok()) return from_date.status();
  auto to_date = OptionalDate(*inv_it, "ToDate", ip);
  if (!to_date.ok()) return to_date.status();
  auto caseworker = OptionalString(*inv_it, "Caseworker", ip);
  auto organization = OptionalString(*inv_it, "Organization", ip);
  auto applicant = RequiredString(*inv_it, "Applicant", ip);
  auto co_applicant = OptionalString(*inv_it, "CoApplicant", ip);
  for (const auto* r : {&caseworker, &organization, &applicant, &co_applicant}) {
    if (!r->ok()) return r->status();
  }
  for (std::string_view field : {"Type", "DossierType"}) {
    auto value = OptionalString(*inv_it, field, ip);
    if (!value.ok()) return value.status();
  }
  const PersonIn* applicant_person = find_person(*applicant);
  if (applicant_person == nullptr) return FieldError(Child(ip, "Applicant"), "not one of Persons[*].PersonId");
  const PersonIn* co_person = nullptr;
  if (!co_applicant->empty()) {
    co_person = find_person(*co_applicant);
    if (co_person == nullptr) return FieldError(Child(ip, "CoApplicant"), "not one of Persons[*].PersonId");
  }
  std::vector<const PersonIn*> members;  // in document order
  std::set<const PersonIn*> is_member;
  if (auto m = inv_it->find("InvestigationPersonDTOs"); m != inv_it->end() && !m->is_null()) {
    const std::string mp = Child(ip, "InvestigationPersonDTOs");
    if (auto s = ExpectArray(*m, mp); !s.ok()) return s;
    for (std::size_t i = 0; i < m->size(); ++i) {
      const std::string p = Index(mp, i);
      if (auto s = ExpectObject((*m)[i], p); !s.ok()) return s;
      if (auto s = ExpectOnlyKeys((*m)[i], p, {"PersonId", "Name", "CoApplicant"}); !s.ok()) return s;
      auto id = RequiredString((*m)[i], "PersonId", p);
      if (!id.ok()) return id.status();
      auto co = OptionalBool((*m)[i], "CoApplicant", p);
      if (!co.ok()) return co.status();
      auto name = OptionalString((*m)[i], "Name", p);
      if (!name.ok()) return name.status();
      const PersonIn* person = find_person(*id);
      if (person == nullptr) return FieldError(Child(p, "PersonId"), "not one of Persons[*].PersonId");
      if (*co && person != co_person) {
        return FieldError(Child(p, "CoApplicant"), "true, but the investigation names another CoApplicant");
      }
      if (is_member.insert(person).second) members.push_back(person);
    }
  }
  for (const PersonIn* p : {applicant_person, co_person}) {
    if (p != nullptr && is_member.insert(p).second) members.push_back(p);
  }
  if (from_date->empty()) return FieldError(Child(ip, "FromDate"), "missing (needed to tell adults from children)");
  const core::Date on = *core::ParseIsoDate(*from_date);

  // References: an earlier import's link by CustomerNumber, else p1…/c1… in order.
  std::map<long long, std::string> linked;
  for (const auto& link : options.links.persons()) linked[link.customer_number()] = link.person_ref();
  int adults = 0;
  int children = 0;
  v1::Household* household = c.mutable_household();
  household->set_household_ref(!options.household_ref.empty() ? options.household_ref
                                                               : "lifecare-investigation-" + std::to_string(*inv_id));
  household->set_municipality_code(options.municipality_code);
  std::map<const PersonIn*, std::string> refs;
  for (const PersonIn* p : members) {
    v1::Person* person = household->add_persons();
    const core::IdentityNumber id = core::ParseIdentityNumber(p->personnummer);
    person->set_personnummer(p->personnummer);
    person->set_birth_date(core::FormatIsoDate(id.birth_date));
    person->set_protected_identity(p->protected_identity);
    const bool adult = core::AgeOn(id.birth_date, on) >= mapping.adult_from_age;
    if (p == applicant_person) {
      person->set_role(v1::HOUSEHOLD_ROLE_REGISTERLEDARE);
    } else if (p == co_person) {
      person->set_role(v1::HOUSEHOLD_ROLE_MEDSOKANDE);
    } else {
      person->set_role(adult ? v1::HOUSEHOLD_ROLE_OTHER_ADULT : v1::HOUSEHOLD_ROLE_CHILD);
      report.Derived("Investigation.InvestigationPersonDTOs[*] (role)", "other adult or child from the age at FromDate");
    }
    std::string ref;
    if (auto it = linked.find(p->customer_number); p->customer_number != 0 && it != linked.end()) {
      ref = it->second;
    } else {
      ref = person->role() == v1::HOUSEHOLD_ROLE_CHILD ? "c" + std::to_string(++children)
                                                        : "p" + std::to_string(++adults);
    }
    person->set_person_ref(ref);
    refs[p] = ref;
    if (p->customer_number != 0) {
      auto* link = out.links.add_persons();
      link->set_person_ref(ref);
      link->set_customer_number(p->customer_number);
    }
  }
  for (const auto& p : persons) {
    if (!refs.contains(&p)) {
      return FieldError("Persons", "a person who is not in the investigation (InvestigationPersonDTOs)");
    }
  }
  report.Derived("Persons[*] (birth_date)", "from the personnummer");
  report.NotInTarget("Persons[*] (sex)", "Lifecare's person has no sex; recorded again in the receiving case");
  out.links.set_investigation_id(*inv_id);
  c.set_caseworker(*caseworker);
  c.set_unit(*organization);
  c.set_first_visit_on(*from_date);
  if (!to_date->empty()) report.NotInTarget("Investigation.ToDate", "the canonical case has no investigation end");

  // --- Decisions: försörjningshinder ------------------------------------------------------
  if (auto d = document.find("Decisions"); d != document.end() && !d->is_null()) {
    if (auto s = ExpectArray(*d, "Decisions"); !s.ok()) return s;
    for (std::size_t i = 0; i < d->size(); ++i) {
      const Json& dto = (*d)[i];
      const std::string p = Index("Decisions", i);
      if (auto s = ExpectObject(dto, p); !s.ok()) return s;
      if (auto s = ExpectOnlyKeys(dto, p, kDecisionFields); !s.ok()) return s;
      auto date = OptionalDate(dto, "Date", p);
      if (!date.ok()) return date.status();
      if (date->empty()) return FieldError(Child(p, "Date"), "missing (required)");
      auto reason = OptionalString(dto, "Reason", p);
      auto reason_co = OptionalString(dto, "ReasonCoApplicant", p);
      auto maker = OptionalString(dto, "DecisionMaker", p);
      auto co = OptionalString(dto, "CoApplicant", p);
      for (const auto* r : {&reason, &reason_co, &maker, &co}) {
        if (!r->ok()) return r->status();
      }
      for (std::string_view field : {"Id", "InvestigationExecutionId", "ServiceId", "ConnectedApplication"}) {
        auto v = OptionalInt(dto, field, p, 0, kInt32Max);
        if (!v.ok()) return v.status();
      }
      if (auto amount = dto.find("Amount"); amount != dto.end() && !amount->is_null()) {
        if (!amount->is_number()) return FieldError(Child(p, "Amount"), "expected a number, got " + std::string(JsonTypeName(*amount)));
        report.NotInTarget("Decisions[*].Amount", "amounts are Lifecare's own records");
      }
      if (auto people = dto.find("DecisionPersonDTOs"); people != dto.end() && !people->is_null()) {
        const std::string pp = Child(p, "DecisionPersonDTOs");
        if (auto s = ExpectArray(*people, pp); !s.ok()) return s;
        for (std::size_t j = 0; j < people->size(); ++j) {
          const std::string q = Index(pp, j);
          if (auto s = ExpectObject((*people)[j], q); !s.ok()) return s;
          if (auto s = ExpectOnlyKeys((*people)[j], q, {"PersonId", "Name", "IsCoApplicant"}); !s.ok()) return s;
          auto id = RequiredString((*people)[j], "PersonId", q);
          if (!id.ok()) return id.status();
          if (find_person(*id) == nullptr) return FieldError(Child(q, "PersonId"), "not one of Persons[*].PersonId");
        }
      }
      auto add = [&](const std::string& text, const PersonIn* person, const std::string& field) -> Status {
        const std::string* code = internal::ReasonCode(table, text);
        if (code == nullptr) {
          return FieldError(Child(p, field), "unknown försörjningshinder (not a label of " + table.id() + " " +
                                                 table.version() + ")");
        }
        auto* record = c.add_forsorjningshinder();
        record->set_person_ref(refs[person]);
        record->set_date(*date);
        record->set_chosen_code(*code);
        record->set_chosen_by(*maker);
        return Status::Ok();
      };
      if (!reason->empty()) {
        if (auto s = add(*reason, applicant_person, "Reason"); !s.ok()) return s;
      }
      if (!reason_co->empty()) {
        const PersonIn* person = co->empty() ? co_person : find_person(*co);
        if (person == nullptr) return FieldError(Child(p, "CoApplicant"), "ReasonCoApplicant without a known co-applicant");
        if (auto s = add(*reason_co, person, "ReasonCoApplicant"); !s.ok()) return s;
      }
    }
  }

  // --- Documents: the summary notes -------------------------------------------------------
  std::map<std::string, std::size_t> document_ids;
  if (auto d = document.find("Documents"); d != document.end() && !d->is_null()) {
    if (auto s = ExpectArray(*d, "Documents"); !s.ok()) return s;
    for (std::size_t i = 0; i < d->size(); ++i) {
      const std::string p = Index("Documents", i);
      if (auto s = ExpectObject((*d)[i], p); !s.ok()) return s;
      if (auto s = ExpectOnlyKeys((*d)[i], p, kDocumentFields); !s.ok()) return s;
      auto id = RequiredString((*d)[i], "Id", p);
      if (!id.ok()) return id.status();
      for (std::string_view field : {"Title", "Date", "DocumentType", "OwnerId", "OwnerType"}) {
        auto v = OptionalString((*d)[i], field, p);
        if (!v.ok()) return v.status();
      }
      document_ids[*id] = i;
    }
  }
  if (auto d = document.find("DocumentContents"); d != document.end() && !d->is_null()) {
    if (auto s = ExpectArray(*d, "DocumentContents"); !s.ok()) return s;
    for (std::size_t i = 0; i < d->size(); ++i) {
      const std::string p = Index("DocumentContents", i);
      if (auto s = ExpectObject((*d)[i], p); !s.ok()) return s;
      if (auto s = ExpectOnlyKeys((*d)[i], p, kContentFields); !s.ok()) return s;
      auto id = RequiredString((*d)[i], "DocumentId", p);
      if (!id.ok()) return id.status();
      if (!document_ids.contains(*id)) return FieldError(Child(p, "DocumentId"), "no document with this Id in Documents");
      auto content = RequiredString((*d)[i], "Content", p);
      if (!content.ok()) return content.status();
      auto text = internal::FromBase64(*content);
      if (!text) return FieldError(Child(p, "Content"), "not base64");
      if (!IsValidUtf8(*text)) return FieldError(Child(p, "Content"), "the note is not UTF-8 text");
      out.notes.push_back(*text);
    }
  }
  if (!out.notes.empty()) {
    report.TextOnly("DocumentContents[*] (summary note)", "kept as text beside the case, not parsed into data");
  }
  out.report = report.Take();
  return out;
}

}  // namespace ix::adapters::lifecare
