// Swedish personal identity numbers (personnummer) and coordination numbers
// (samordningsnummer): format, date and Luhn checksum.
#ifndef IX_CORE_PERSONNUMMER_HPP
#define IX_CORE_PERSONNUMMER_HPP

#include <ix/core/model.hpp>

#include <string>
#include <string_view>

namespace ix::core {

enum class IdentityNumberError {
  kNone,
  kFormat,        // not 12 digits (optionally with '-' or '+' before the last four)
  kTenDigits,     // 10 digits: century is ambiguous, the canonical form has 12
  kImpossibleDate,
  kChecksum,
};

struct IdentityNumber {
  IdentityNumberError error = IdentityNumberError::kNone;
  bool samordningsnummer = false;  // day of month + 60
  Date birth_date;                 // the real date (for samordningsnummer: day - 60)
  std::string normalized;          // "YYYYMMDDNNNC"

  bool ok() const { return error == IdentityNumberError::kNone; }
};

// Parses and checks a personnummer or samordningsnummer. Never throws.
IdentityNumber ParseIdentityNumber(std::string_view text);

// True when `text` holds a personnummer or samordningsnummer (12 digits, or 10 under either
// century, with a real date and a valid check digit), alone or inside other characters.
// References (household_ref, person_ref) must not: they travel into events, logs and packages.
bool ContainsIdentityNumber(std::string_view text);

// A message in both languages for a failed check (without echoing the number).
LocalizedText DescribeIdentityNumberError(IdentityNumberError error);

// Luhn (mod 10) check digit over the given digits.
int LuhnCheckDigit(std::string_view digits);

bool IsValidDate(const Date& date);
// Parses strict ISO 8601 "YYYY-MM-DD"; nullopt when malformed or not a real day.
std::optional<Date> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(const Date& date);
// Whole years from `birth` to `on`.
int AgeOn(const Date& birth, const Date& on);

}  // namespace ix::core

#endif  // IX_CORE_PERSONNUMMER_HPP
