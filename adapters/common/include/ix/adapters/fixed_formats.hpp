// Fixed text formats in vendor data (dates, date-times, numbers), read by hand: linear time,
// no recursion, the length checked before anything else, and no regular expressions (a
// backtracking engine recurses per character and crashed on a long value). A calendar day is
// core's one rule (ParseIsoDate); what vendors write around it is read here.
#ifndef IX_ADAPTERS_FIXED_FORMATS_HPP
#define IX_ADAPTERS_FIXED_FORMATS_HPP

#include <ix/base/status.hpp>
#include <ix/core/model.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace ix::adapters {

// The longest date-time accepted: "YYYY-MM-DDThh:mm:ss.fffffffff+hh:mm".
inline constexpr std::size_t kMaxDateTimeChars = 35;

// The calendar day of "YYYY-MM-DD" or of an ISO 8601 date-time
// "YYYY-MM-DDThh:mm[:ss[.f…]][Z|±hh:mm]" (at most nine fraction digits; hours 00–23, minutes and
// seconds 00–59, offsets up to ±23:59). Errors name `path`: "N characters, at most 35
// (YYYY-MM-DD or an ISO date-time)" before any other check, else "not a date (…)"; the value
// is never quoted.
Result<core::Date> ParseDateOrDateTime(std::string_view text, std::string_view path);

// A number written as optional '-', whole digits, and optionally `separator` and fraction
// digits (at least one each side). Digit counts above the maxima (0: no fraction allowed)
// give nullopt; so does anything else, including '+', spaces and exponents.
struct DecimalText {
  bool negative = false;
  std::string_view whole;     // digits
  std::string_view fraction;  // digits, empty when there is no separator
};
std::optional<DecimalText> SplitDecimal(std::string_view text, char separator, std::size_t max_whole_digits,
                                        std::size_t max_fraction_digits);

}  // namespace ix::adapters

#endif  // IX_ADAPTERS_FIXED_FORMATS_HPP
