#include <ix/base/clock.hpp>

#include <cstdio>

namespace ix::base {

// std::chrono's calendar instead of gmtime/strftime: no shared static buffer, no time_t range
// limit, and the same result on every thread.
std::string Rfc3339Utc(std::chrono::system_clock::time_point when, TimePrecision precision) {
  using namespace std::chrono;
  const auto day = floor<days>(when);
  const year_month_day date{day};
  const auto since_midnight = floor<milliseconds>(when - day);
  const hh_mm_ss<milliseconds> time{since_midnight};
  char text[80];
  int written = std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d",
                              static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                              static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                              static_cast<int>(time.minutes().count()),
                              static_cast<int>(time.seconds().count()));
  if (precision == TimePrecision::kMilliseconds) {
    written += std::snprintf(text + written, sizeof text - static_cast<size_t>(written), ".%03d",
                             static_cast<int>(time.subseconds().count()));
  }
  std::string out(text, static_cast<size_t>(written));
  out += 'Z';
  return out;
}

std::string NowRfc3339(TimePrecision precision) {
  return Rfc3339Utc(std::chrono::system_clock::now(), precision);
}

CivilDate UtcDateOf(std::chrono::system_clock::time_point when) {
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(when)};
  return {static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
          static_cast<int>(static_cast<unsigned>(date.day()))};
}

CivilDate TodayUtc() { return UtcDateOf(std::chrono::system_clock::now()); }

std::string IsoDate(const CivilDate& date) {
  char text[48];
  const int written = std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
  return std::string(text, static_cast<size_t>(written));
}

}  // namespace ix::base
