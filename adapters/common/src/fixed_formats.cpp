#include <ix/adapters/fixed_formats.hpp>
#include <ix/core/personnummer.hpp>

#include <string>

namespace ix::adapters {
namespace {

constexpr std::string_view kDateFormats = "YYYY-MM-DD or an ISO date-time";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Two digits at `at` forming a number at most `max`.
bool TwoDigits(std::string_view text, std::size_t at, int max) {
  if (at + 2 > text.size() || !IsDigit(text[at]) || !IsDigit(text[at + 1])) return false;
  return (text[at] - '0') * 10 + (text[at + 1] - '0') <= max;
}

// "hh:mm[:ss[.f{1,9}]][Z|±hh:mm]", the part after 'T'.
bool IsTimeOfDay(std::string_view text) {
  if (!TwoDigits(text, 0, 23) || text.size() < 5 || text[2] != ':' || !TwoDigits(text, 3, 59)) return false;
  std::size_t at = 5;
  if (at < text.size() && text[at] == ':') {
    if (!TwoDigits(text, at + 1, 59)) return false;
    at += 3;
    if (at < text.size() && text[at] == '.') {
      const std::size_t digits_from = ++at;
      while (at < text.size() && IsDigit(text[at])) ++at;
      if (at == digits_from || at - digits_from > 9) return false;
    }
  }
  if (at == text.size()) return true;
  if (text[at] == 'Z') return at + 1 == text.size();
  if (text[at] != '+' && text[at] != '-') return false;
  return at + 6 == text.size() && TwoDigits(text, at + 1, 23) && text[at + 3] == ':' && TwoDigits(text, at + 4, 59);
}

}  // namespace

Result<core::Date> ParseDateOrDateTime(std::string_view text, std::string_view path) {
  if (text.size() > kMaxDateTimeChars) {
    return InvalidField(std::string(path), std::to_string(text.size()) + " characters, at most " +
                                               std::to_string(kMaxDateTimeChars) + " (" + std::string(kDateFormats) +
                                               ")");
  }
  auto date = core::ParseIsoDate(text.substr(0, 10));
  const bool time_ok = text.size() == 10 || (text.size() > 11 && text[10] == 'T' && IsTimeOfDay(text.substr(11)));
  if (!date || !time_ok) return InvalidField(std::string(path), "not a date (" + std::string(kDateFormats) + ")");
  return *date;
}

std::optional<DecimalText> SplitDecimal(std::string_view text, char separator, std::size_t max_whole_digits,
                                        std::size_t max_fraction_digits) {
  DecimalText out;
  std::size_t at = 0;
  if (at < text.size() && text[at] == '-') {
    out.negative = true;
    ++at;
  }
  const std::size_t whole_from = at;
  while (at < text.size() && IsDigit(text[at])) ++at;
  out.whole = text.substr(whole_from, at - whole_from);
  if (out.whole.empty() || out.whole.size() > max_whole_digits) return std::nullopt;
  if (at == text.size()) return out;
  if (text[at] != separator || max_fraction_digits == 0) return std::nullopt;
  const std::size_t fraction_from = ++at;
  while (at < text.size() && IsDigit(text[at])) ++at;
  out.fraction = text.substr(fraction_from, at - fraction_from);
  if (at != text.size() || out.fraction.empty() || out.fraction.size() > max_fraction_digits) return std::nullopt;
  return out;
}

}  // namespace ix::adapters
