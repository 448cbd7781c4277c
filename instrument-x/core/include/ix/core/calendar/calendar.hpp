// The Swedish working-day calendar and plain date arithmetic, for process clocks.
//
// A working day is Monday–Friday except the Swedish public holidays (Lag (1989:253) om
// allmänna helgdagar) that fall on a weekday and the de facto non-working days (Midsummer Eve,
// Christmas Eve, New Year's Eve). Easter-dependent days come from the Gregorian computus.
// The table is historically correct for every year 1970–2100 (kSupportedFirstYear..Last):
// Whit Monday (annandag pingst) was a public holiday up to and including 2004 and was replaced
// by National Day (6 June) from 2005 (SFS 2004:1320).
//
// Pure functions over ix::core::Date; no clock, no I/O, no locale.
#ifndef IX_CORE_CALENDAR_CALENDAR_HPP
#define IX_CORE_CALENDAR_CALENDAR_HPP

#include <ix/core/model.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace ix::core::calendar {

inline constexpr int kSupportedFirstYear = 1970;
inline constexpr int kSupportedLastYear = 2100;

// True when `date` is a real day within 1970-01-01..2100-12-31.
bool InSupportedRange(const Date& date);

// --- date arithmetic (proleptic Gregorian) --------------------------------------------------
int DaysFromCivil(const Date& date);  // days since 1970-01-01 (negative before)
Date CivilFromDays(int days);
Date AddDays(const Date& date, int days);
// Same day of month `months` later; clamped to the month's last day (31 Jan + 1 = 28/29 Feb).
Date AddMonths(const Date& date, int months);
int DaysBetween(const Date& from, const Date& to);  // to - from
// Whole months from `from` to `to`, counted like an age: the largest k ≥ 0 with
// AddMonths(from, k) ≤ to (so 2024-01-15 → 2024-06-14 is 4, → 2024-06-15 is 5). 0 when to < from.
int WholeMonths(const Date& from, const Date& to);
// 0 = Monday … 6 = Sunday (ISO 8601).
int Weekday(const Date& date);
bool IsWeekend(const Date& date);
// A running month number (year * 12 + month - 1): consecutive months differ by one.
int MonthIndex(const Date& date);

// --- holidays -------------------------------------------------------------------------------
enum class DayKind {
  kPublicHoliday,       // allmän helgdag by law
  kDeFactoNonWorking,   // Midsummer Eve, Christmas Eve, New Year's Eve
};

struct NonWorkingDay {
  Date date;
  std::string_view id;       // stable: "new_years_day", "good_friday", …
  std::string_view name_sv;  // "Nyårsdagen"
  std::string_view name_en;  // "New Year's Day"
  DayKind kind = DayKind::kPublicHoliday;
};

// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
Date EasterSunday(int year);

// Every public holiday and de facto non-working day of `year`, in date order (including those
// that always fall on a Sunday or Saturday: Easter Day, Whitsunday, Midsummer Day, All Saints').
std::vector<NonWorkingDay> NonWorkingDays(int year);

// The holiday or de facto non-working day on `date`, if any.
std::optional<NonWorkingDay> NonWorkingDayOn(const Date& date);

bool IsWorkingDay(const Date& date);

// The `n`-th working day after `date` (n ≥ 1; `date` itself never counts). n = 0 returns
// `date` unchanged. "Due 10 working days after X" is AddWorkingDays(X, 10).
Date AddWorkingDays(const Date& date, int n);

// Working days in the half-open interval (from, to]: how many working days after `from` have
// passed by the end of `to`. Negative when to < from.
int WorkingDaysBetween(const Date& from, const Date& to);

}  // namespace ix::core::calendar

#endif  // IX_CORE_CALENDAR_CALENDAR_HPP
