// Helpers shared by the two directions of the Lifecare adapter.
#ifndef IX_ADAPTERS_LIFECARE_INTERNAL_HPP
#define IX_ADAPTERS_LIFECARE_INTERNAL_HPP

#include <ix/adapters/lifecare/lifecare.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ix::adapters::lifecare::internal {

std::string Base64(std::string_view bytes);
std::optional<std::string> FromBase64(std::string_view text);

// "YYYYMMDDNNNC" of a personnummer/samordningsnummer, or "" when it is not one.
std::string NormalizedPersonnummer(std::string_view text);

// The Swedish label of a försörjningshinder code, or nullptr.
const std::string* ReasonLabel(const v1::ForsorjningshinderTable& table, std::string_view code);
// The code whose Swedish label is `label`, or nullptr.
const std::string* ReasonCode(const v1::ForsorjningshinderTable& table, std::string_view label);

std::string_view RoleName(v1::HouseholdRole role);  // "Registerledare", … (Swedish)

}  // namespace ix::adapters::lifecare::internal

#endif  // IX_ADAPTERS_LIFECARE_INTERNAL_HPP
