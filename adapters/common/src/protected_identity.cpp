#include <ix/adapters/protected_identity.hpp>

#include <array>

namespace ix::adapters {

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

bool IsProtected(const v1::Household& household, std::string_view person_ref) {
  for (const auto& person : household.persons()) {
    if (person.person_ref() == person_ref) return person.protected_identity();
  }
  return false;
}

bool IsWithheldAnswer(const v1::Household& household, const v1::Answer& answer) {
  return IsContactItem(answer.item_id()) && IsProtected(household, answer.person_ref());
}

}  // namespace ix::adapters
