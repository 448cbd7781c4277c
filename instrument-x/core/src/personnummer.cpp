#include <ix/core/personnummer.hpp>

#include <cctype>
#include <cstdio>

namespace ix::core {
namespace {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

int Digits(std::string_view text, size_t from, size_t count) {
  int value = 0;
  for (size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

bool IsValidDate(const Date& date) {
  if (date.year < 1 || date.year > 9999 || date.month < 1 || date.month > 12) return false;
  return date.day >= 1 && date.day <= DaysInMonth(date.year, date.month);
}

std::optional<Date> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2)) ||
      !AllDigits(text.substr(8, 2))) {
    return std::nullopt;
  }
  Date date{Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2)};
  if (!IsValidDate(date)) return std::nullopt;
  return date;
}

std::string FormatIsoDate(const Date& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

int AgeOn(const Date& birth, const Date& on) {
  int age = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
  return age;
}

int LuhnCheckDigit(std::string_view digits) {
  int sum = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    int d = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - sum % 10) % 10;
}

IdentityNumber ParseIdentityNumber(std::string_view text) {
  IdentityNumber result;
  std::string digits;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool separator_position = text.size() - i == 5;  // before the last four digits
    if ((c == '-' || c == '+') && separator_position) continue;
    if (c < '0' || c > '9') {
      result.error = IdentityNumberError::kFormat;
      return result;
    }
    digits.push_back(c);
  }
  if (digits.size() == 10) {
    result.error = IdentityNumberError::kTenDigits;
    return result;
  }
  if (digits.size() != 12) {
    result.error = IdentityNumberError::kFormat;
    return result;
  }
  Date date{Digits(digits, 0, 4), Digits(digits, 4, 2), Digits(digits, 6, 2)};
  if (date.day > 60) {
    result.samordningsnummer = true;
    date.day -= 60;
  }
  if (!IsValidDate(date) || date.year < 1850) {
    result.error = IdentityNumberError::kImpossibleDate;
    return result;
  }
  const std::string_view ten = std::string_view(digits).substr(2);
  if (LuhnCheckDigit(ten.substr(0, 9)) != ten[9] - '0') {
    result.error = IdentityNumberError::kChecksum;
    return result;
  }
  result.birth_date = date;
  result.normalized = digits;
  return result;
}

bool ContainsIdentityNumber(std::string_view text) {
  // Each run of digits (with '-' or '+' inside) is tested whole: 12 digits as given, 10 digits
  // under either century (the check digit covers the last ten, the date decides).
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == '-' || text[end] == '+')) ++end;
    const std::string run(text.substr(i, end - i));
    if (ParseIdentityNumber(run).ok()) return true;
    if (ParseIdentityNumber(run).error == IdentityNumberError::kTenDigits &&
        (ParseIdentityNumber("19" + run).ok() || ParseIdentityNumber("20" + run).ok())) {
      return true;
    }
    i = end;
  }
  return false;
}

LocalizedText DescribeIdentityNumberError(IdentityNumberError error) {
  switch (error) {
    case IdentityNumberError::kNone:
      return {"Giltigt.", "Valid."};
    case IdentityNumberError::kFormat:
      return {"Personnumret ska ha 12 siffror, ÅÅÅÅMMDD-NNNN.",
              "The personnummer must have 12 digits, YYYYMMDD-NNNN."};
    case IdentityNumberError::kTenDigits:
      return {"Personnumret har 10 siffror; ange århundradet (12 siffror, ÅÅÅÅMMDD-NNNN).",
              "The personnummer has 10 digits; give the century (12 digits, YYYYMMDD-NNNN)."};
    case IdentityNumberError::kImpossibleDate:
      return {"Personnumrets datumdel är inget verkligt datum.",
              "The date part of the personnummer is not a real date."};
    case IdentityNumberError::kChecksum:
      return {"Personnumrets kontrollsiffra stämmer inte.",
              "The check digit of the personnummer is wrong."};
  }
  return {"Ogiltigt personnummer.", "Invalid personnummer."};
}

}  // namespace ix::core
