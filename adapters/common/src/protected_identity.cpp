#include <ix/adapters/protected_identity.hpp>

#include <array>

namespace ix::adapters {
namespace {

std::string Digits(std::string_view text) {
  std::string digits;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') digits.push_back(ch);
  }
  return digits;
}

}  // namespace

bool IsContactItem(std::string_view item_id) {
  // Kept as an explicit list: a new contact item in a definition must be added here (and the
  // protected-identity tests name every entry), rather than guessed from its label.
  static constexpr std::array<std::string_view, 5> kContactItems = {
      "personal.phone", "personal.email", "personal.address", "personal.postal_address",
      "personal.care_of_address"};
  for (std::string_view id : kContactItems) {
    if (id == item_id) return true;
  }
  return false;
}

ProtectedIdentity ProtectedIdentity::OfCase(const v1::Case& household_case) {
  ProtectedIdentity rule;
  rule.Add(household_case.household());
  for (const auto& dated : household_case.responses()) rule.Add(dated.response().household());
  return rule;
}

ProtectedIdentity ProtectedIdentity::Of(const v1::Household& snapshot) {
  ProtectedIdentity rule;
  rule.Add(snapshot);
  return rule;
}

Result<ProtectedIdentity> ProtectedIdentity::ForExport(const v1::InstrumentResponse& response,
                                                       const v1::Case* household_case,
                                                       std::string_view case_field) {
  ProtectedIdentity rule = Of(response.household());
  if (household_case == nullptr) return rule;
  const std::string& exported = response.household().household_ref();
  const std::string& of_case = household_case->household().household_ref();
  if (!exported.empty() && !of_case.empty() && exported != of_case) {
    return InvalidField(std::string(case_field) + ".household.household_ref",
                        "not the household of the exported response (response.household.household_ref)");
  }
  rule.Add(OfCase(*household_case));
  return rule;
}

void ProtectedIdentity::Add(const ProtectedIdentity& other) {
  refs_.insert(other.refs_.begin(), other.refs_.end());
  personnummer_.insert(other.personnummer_.begin(), other.personnummer_.end());
}

void ProtectedIdentity::Add(const v1::Household& snapshot) {
  for (const auto& person : snapshot.persons()) {
    if (!person.protected_identity()) continue;
    refs_.insert(person.person_ref());
    // A reference may differ between systems or snapshots; the personnummer does not.
    if (std::string digits = Digits(person.personnummer()); !digits.empty()) {
      personnummer_.insert(std::move(digits));
    }
  }
}

bool ProtectedIdentity::IsProtected(const v1::Person& person) const {
  return person.protected_identity() || refs_.contains(person.person_ref()) ||
         personnummer_.contains(Digits(person.personnummer()));
}

bool ProtectedIdentity::Withholds(const v1::Household& exported, std::string_view person_ref) const {
  for (const auto& person : exported.persons()) {
    if (person.person_ref() == person_ref) return IsProtected(person);
  }
  return true;  // not a person of the exported snapshot: nothing says they are unprotected
}

bool ProtectedIdentity::Withholds(const v1::Household& exported, const v1::Answer& answer) const {
  return IsContactItem(answer.item_id()) && Withholds(exported, answer.person_ref());
}

bool ProtectedIdentity::Withholds(const v1::Household& exported, const v1::Change& change) const {
  return IsContactItem(change.item_id()) && Withholds(exported, change.person_ref());
}

bool IsWithheldAnswer(const v1::Household& household, const v1::Answer& answer) {
  return ProtectedIdentity::Of(household).Withholds(household, answer);
}

}  // namespace ix::adapters
