// The Swedish working-day calendar against known dates (Easter from published tables, the
// weekday facts checked by hand) and due dates across weekends, holidays and year ends.
#include <ix/core/calendar/calendar.hpp>
#include <ix/core/personnummer.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ix::core::calendar {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }
std::string S(const Date& d) { return FormatIsoDate(d); }

struct EasterCase {
  int year;
  const char* easter;
};

TEST(Calendar, EasterSundayMatchesPublishedTable) {
  const EasterCase cases[] = {
      {1970, "1970-03-29"}, {1981, "1981-04-19"}, {1990, "1990-04-15"}, {1995, "1995-04-16"},
      {2000, "2000-04-23"}, {2004, "2004-04-11"}, {2008, "2008-03-23"}, {2011, "2011-04-24"},
      {2016, "2016-03-27"}, {2019, "2019-04-21"}, {2024, "2024-03-31"}, {2025, "2025-04-20"},
      {2038, "2038-04-25"}, {2049, "2049-04-18"}, {2100, "2100-03-28"},
  };
  for (const EasterCase& c : cases) EXPECT_EQ(S(EasterSunday(c.year)), c.easter) << c.year;
}

TEST(Calendar, EveryYearHasTheRightShape) {
  for (int year = kSupportedFirstYear; year <= kSupportedLastYear; ++year) {
    const Date easter = EasterSunday(year);
    EXPECT_EQ(Weekday(easter), 6) << year;
    EXPECT_TRUE(D((std::to_string(year) + "-03-22").c_str()) <= easter) << year;
    EXPECT_TRUE(easter <= D((std::to_string(year) + "-04-25").c_str())) << year;
    std::set<std::string> ids;
    for (const NonWorkingDay& day : NonWorkingDays(year)) {
      ids.insert(std::string(day.id));
      EXPECT_EQ(day.date.year, year);
      if (day.id == "good_friday") {
        EXPECT_EQ(Weekday(day.date), 4) << year;
      }
      if (day.id == "easter_monday") {
        EXPECT_EQ(Weekday(day.date), 0) << year;
      }
      if (day.id == "ascension_day") {
        EXPECT_EQ(Weekday(day.date), 3) << year;
      }
      if (day.id == "midsummer_eve") {
        EXPECT_EQ(Weekday(day.date), 4) << year;
        EXPECT_EQ(day.date.month, 6);
        EXPECT_GE(day.date.day, 19);
        EXPECT_LE(day.date.day, 25);
        EXPECT_FALSE(IsWorkingDay(day.date));
      }
      if (day.id == "all_saints_day") {
        EXPECT_EQ(Weekday(day.date), 5) << year;
      }
    }
    EXPECT_EQ(ids.size(), 16u) << year;  // the 12 weekday ones + 4 always on Sat/Sun
    EXPECT_EQ(ids.count("national_day"), year >= 2005 ? 1u : 0u) << year;
    EXPECT_EQ(ids.count("whit_monday"), year <= 2004 ? 1u : 0u) << year;
  }
}

struct DayCase {
  const char* date;
  bool working;
  const char* holiday_id;  // "" when none
};

TEST(Calendar, KnownDaysAcrossTheCentury) {
  const DayCase cases[] = {
      {"1970-01-01", false, "new_years_day"},  // Thursday
      {"1970-01-06", false, "epiphany"},       // Tuesday
      {"1970-03-27", false, "good_friday"},
      {"1970-03-30", false, "easter_monday"},
      {"1970-05-07", false, "ascension_day"},  // Easter 29 Mar + 39
      {"1970-05-18", false, "whit_monday"},    // before 2005
      {"1970-06-19", false, "midsummer_eve"},
      {"1970-06-08", true, ""},                // an ordinary Monday
      {"1990-04-13", false, "good_friday"},
      {"1990-04-16", false, "easter_monday"},
      {"1990-05-24", false, "ascension_day"},
      {"1990-06-04", false, "whit_monday"},
      {"1990-06-06", true, ""},                // Wednesday, an ordinary working day in 1990
      {"2004-05-31", false, "whit_monday"},
      {"2005-05-16", true, ""},                // Whit Monday no longer a holiday
      {"2005-06-06", false, "national_day"},   // Monday, first National Day holiday
      {"2008-05-01", false, "may_day"},        // Ascension Day fell on May Day
      {"2019-04-19", false, "good_friday"},
      {"2019-05-30", false, "ascension_day"},
      {"2024-03-29", false, "good_friday"},
      {"2024-04-01", false, "easter_monday"},
      {"2024-05-09", false, "ascension_day"},
      {"2024-06-06", false, "national_day"},
      {"2024-06-21", false, "midsummer_eve"},
      {"2024-12-24", false, "christmas_eve"},
      {"2024-12-31", false, "new_years_eve"},
      {"2024-12-27", true, ""},                // Friday between the holidays
      {"2025-04-18", false, "good_friday"},
      {"2025-04-21", false, "easter_monday"},
      {"2025-05-29", false, "ascension_day"},
      {"2025-06-20", false, "midsummer_eve"},
      {"2025-06-19", true, ""},
      {"2038-04-23", false, "good_friday"},    // latest Easter
      {"2038-06-03", false, "ascension_day"},
      {"2098-06-20", false, "midsummer_eve"},  // earliest possible Midsummer Eve
      {"2100-03-26", false, "good_friday"},
      {"2100-06-25", false, "midsummer_eve"},  // latest possible Midsummer Eve
      {"2100-12-24", false, "christmas_eve"},
      {"2100-12-29", true, ""},                // Wednesday
      {"2024-06-08", false, ""},               // an ordinary Saturday
      {"2024-06-09", false, ""},               // an ordinary Sunday
  };
  for (const DayCase& c : cases) {
    EXPECT_EQ(IsWorkingDay(D(c.date)), c.working) << c.date;
    const auto holiday = NonWorkingDayOn(D(c.date));
    if (std::string(c.holiday_id).empty()) {
      EXPECT_FALSE(holiday.has_value()) << c.date << " " << holiday->id;
    } else {
      ASSERT_TRUE(holiday.has_value()) << c.date;
      EXPECT_EQ(holiday->id, c.holiday_id) << c.date;
    }
  }
}

struct DueCase {
  const char* start;
  int working_days;
  const char* due;
  const char* why;
};

// IsWorkingDay answers from a table built once for the supported years: the same answer as the
// year's list for every day of them, and the list itself outside them.
TEST(Calendar, WorkingDayTableAgreesWithTheListEveryDay) {
  int non_working = 0;
  for (Date d{kSupportedFirstYear - 1, 1, 1}; d.year <= kSupportedLastYear + 1; d = AddDays(d, 1)) {
    const bool listed = IsWeekend(d) || NonWorkingDayOn(d).has_value();
    ASSERT_EQ(IsWorkingDay(d), !listed) << d.year << "-" << d.month << "-" << d.day;
    non_working += listed ? 1 : 0;
  }
  EXPECT_GT(non_working, 133 * 104);  // at least the weekends: the loop did run
  EXPECT_FALSE(IsWorkingDay({2100, 12, 25}));
  EXPECT_FALSE(IsWorkingDay({2101, 1, 1}));  // outside the table: from the list
  EXPECT_TRUE(IsWorkingDay({2101, 1, 3}));
}

TEST(Calendar, DueDatesCrossWeekendsHolidaysAndYearEnds) {
  const DueCase cases[] = {
      {"2024-03-25", 10, "2024-04-10", "Good Friday and Easter Monday"},
      {"2024-12-20", 10, "2025-01-13", "Christmas, New Year and Epiphany across the year end"},
      {"2025-06-13", 10, "2025-06-30", "Midsummer Eve"},
      {"2024-04-30", 10, "2024-05-16", "May Day and Ascension Day"},
      {"2024-06-01", 10, "2024-06-17", "starts on a Saturday; National Day"},
      {"2024-06-03", 1, "2024-06-04", "plain next working day"},
      {"2024-06-07", 1, "2024-06-10", "Friday to Monday"},
      {"2024-06-05", 1, "2024-06-07", "skips National Day"},
      {"2023-12-22", 1, "2023-12-27", "Friday before Christmas"},
      {"2099-12-30", 2, "2100-01-05", "New Year's Eve and Day, into the last year"},
      {"1970-01-01", 3, "1970-01-07", "Epiphany in the first year"},
      {"2024-06-03", 0, "2024-06-03", "zero days is the day itself"},
  };
  for (const DueCase& c : cases) {
    EXPECT_EQ(S(AddWorkingDays(D(c.start), c.working_days)), c.due) << c.why;
    EXPECT_EQ(WorkingDaysBetween(D(c.start), D(c.due)), c.working_days) << c.why;
  }
}

TEST(Calendar, DateArithmetic) {
  EXPECT_EQ(S(AddMonths(D("2024-01-31"), 1)), "2024-02-29");
  EXPECT_EQ(S(AddMonths(D("2023-01-31"), 1)), "2023-02-28");
  EXPECT_EQ(S(AddMonths(D("2024-11-30"), 3)), "2025-02-28");
  EXPECT_EQ(S(AddMonths(D("2024-03-15"), -3)), "2023-12-15");
  EXPECT_EQ(S(AddMonths(D("2024-10-01"), 3)), "2025-01-01");
  EXPECT_EQ(S(AddDays(D("2024-02-28"), 2)), "2024-03-01");
  EXPECT_EQ(S(AddDays(D("2100-02-28"), 1)), "2100-03-01");  // 2100 is no leap year
  EXPECT_EQ(DaysBetween(D("1970-01-01"), D("2100-12-31")), 47846);
  EXPECT_EQ(Weekday(D("2024-06-06")), 3);  // Thursday
  EXPECT_EQ(S(CivilFromDays(0)), "1970-01-01");
  for (int d = -1000; d < 50000; d += 37) EXPECT_EQ(DaysFromCivil(CivilFromDays(d)), d);
  EXPECT_TRUE(InSupportedRange(D("1970-01-01")));
  EXPECT_TRUE(InSupportedRange(D("2100-12-31")));
  EXPECT_FALSE(InSupportedRange(D("1969-12-31")));
  EXPECT_FALSE(InSupportedRange(D("2101-01-01")));
}

}  // namespace
}  // namespace ix::core::calendar
