#include <ix/core/calendar/calendar.hpp>

#include <ix/core/personnummer.hpp>

#include <algorithm>

namespace ix::core::calendar {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms), valid for the
// whole proleptic Gregorian calendar.
int DaysFromCivilImpl(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The Saturday in [first_day, first_day + 6] of a month: Midsummer Day (20–26 June) and
// All Saints' Day (31 October – 6 November) are defined that way since 1953.
Date SaturdayFrom(const Date& first) {
  const int offset = (5 - Weekday(first) + 7) % 7;  // Saturday is 5
  return AddDays(first, offset);
}

}  // namespace

bool InSupportedRange(const Date& date) {
  return IsValidDate(date) && date.year >= kSupportedFirstYear && date.year <= kSupportedLastYear;
}

int DaysFromCivil(const Date& date) { return DaysFromCivilImpl(date.year, date.month, date.day); }

Date CivilFromDays(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {y + (m <= 2 ? 1 : 0), m, d};
}

Date AddDays(const Date& date, int days) { return CivilFromDays(DaysFromCivil(date) + days); }

Date AddMonths(const Date& date, int months) {
  const int index = MonthIndex(date) + months;
  const int year = index >= 0 ? index / 12 : (index - 11) / 12;
  const int month = index - year * 12 + 1;
  Date out{year, month, date.day};
  while (!IsValidDate(out) && out.day > 28) --out.day;
  return out;
}

int DaysBetween(const Date& from, const Date& to) { return DaysFromCivil(to) - DaysFromCivil(from); }

int WholeMonths(const Date& from, const Date& to) {
  if (to < from) return 0;
  int months = MonthIndex(to) - MonthIndex(from);
  if (to < AddMonths(from, months)) --months;  // this month's anniversary is still ahead
  return months < 0 ? 0 : months;
}

int Weekday(const Date& date) {
  // 1970-01-01 was a Thursday (ISO index 3).
  const int days = DaysFromCivil(date);
  return ((days % 7) + 7 + 3) % 7;
}

bool IsWeekend(const Date& date) { return Weekday(date) >= 5; }

int MonthIndex(const Date& date) { return date.year * 12 + date.month - 1; }

Date EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return {year, month, day};
}

std::vector<NonWorkingDay> NonWorkingDays(int year) {
  const Date easter = EasterSunday(year);
  constexpr DayKind kLaw = DayKind::kPublicHoliday;
  constexpr DayKind kDeFacto = DayKind::kDeFactoNonWorking;
  std::vector<NonWorkingDay> days = {
      {{year, 1, 1}, "new_years_day", "Nyårsdagen", "New Year's Day", kLaw},
      {{year, 1, 6}, "epiphany", "Trettondedag jul", "Epiphany", kLaw},
      {AddDays(easter, -2), "good_friday", "Långfredagen", "Good Friday", kLaw},
      {easter, "easter_day", "Påskdagen", "Easter Day", kLaw},
      {AddDays(easter, 1), "easter_monday", "Annandag påsk", "Easter Monday", kLaw},
      {{year, 5, 1}, "may_day", "Första maj", "May Day", kLaw},
      {AddDays(easter, 39), "ascension_day", "Kristi himmelsfärdsdag", "Ascension Day", kLaw},
      {AddDays(easter, 49), "whitsunday", "Pingstdagen", "Whitsunday", kLaw},
  };
  if (year <= 2004) {
    days.push_back({AddDays(easter, 50), "whit_monday", "Annandag pingst", "Whit Monday", kLaw});
  } else {
    days.push_back({{year, 6, 6}, "national_day", "Sveriges nationaldag", "National Day of Sweden", kLaw});
  }
  const Date midsummer_day = SaturdayFrom({year, 6, 20});
  days.push_back({AddDays(midsummer_day, -1), "midsummer_eve", "Midsommarafton", "Midsummer Eve", kDeFacto});
  days.push_back({midsummer_day, "midsummer_day", "Midsommardagen", "Midsummer Day", kLaw});
  days.push_back({SaturdayFrom({year, 10, 31}), "all_saints_day", "Alla helgons dag", "All Saints' Day", kLaw});
  days.push_back({{year, 12, 24}, "christmas_eve", "Julafton", "Christmas Eve", kDeFacto});
  days.push_back({{year, 12, 25}, "christmas_day", "Juldagen", "Christmas Day", kLaw});
  days.push_back({{year, 12, 26}, "boxing_day", "Annandag jul", "Boxing Day", kLaw});
  days.push_back({{year, 12, 31}, "new_years_eve", "Nyårsafton", "New Year's Eve", kDeFacto});
  // Ascension Day can coincide with May Day (e.g. 2008); keep both names, sorted by date.
  std::stable_sort(days.begin(), days.end(),
                   [](const NonWorkingDay& a, const NonWorkingDay& b) { return a.date < b.date; });
  return days;
}

std::optional<NonWorkingDay> NonWorkingDayOn(const Date& date) {
  for (const NonWorkingDay& day : NonWorkingDays(date.year)) {
    if (day.date == date) return day;
  }
  return std::nullopt;
}

namespace {
// The non-working days of the supported years, one bit per day from the first, built once:
// working-day deadlines step through IsWorkingDay day by day, for every person of a report pass,
// and NonWorkingDays builds and sorts a year's list on each call.
bool NonWorkingInSupportedRange(const Date& date) {
  static const int first = DaysFromCivil({kSupportedFirstYear, 1, 1});
  static const std::vector<bool> table = [] {
    std::vector<bool> bits(static_cast<size_t>(DaysFromCivil({kSupportedLastYear + 1, 1, 1}) - first));
    for (int year = kSupportedFirstYear; year <= kSupportedLastYear; ++year) {
      for (const NonWorkingDay& day : NonWorkingDays(year)) bits[static_cast<size_t>(DaysFromCivil(day.date) - first)] = true;
    }
    return bits;
  }();
  return table[static_cast<size_t>(DaysFromCivil(date) - first)];
}
}  // namespace

bool IsWorkingDay(const Date& date) {
  if (IsWeekend(date)) return false;
  return InSupportedRange(date) ? !NonWorkingInSupportedRange(date) : !NonWorkingDayOn(date).has_value();
}

Date AddWorkingDays(const Date& date, int n) {
  Date current = date;
  for (int counted = 0; counted < n;) {
    current = AddDays(current, 1);
    if (IsWorkingDay(current)) ++counted;
  }
  return current;
}

int WorkingDaysBetween(const Date& from, const Date& to) {
  if (to < from) return -WorkingDaysBetween(to, from);
  int count = 0;
  for (Date d = AddDays(from, 1); !(to < d); d = AddDays(d, 1)) {
    if (IsWorkingDay(d)) ++count;
  }
  return count;
}

}  // namespace ix::core::calendar
