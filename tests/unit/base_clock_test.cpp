// The one RFC 3339 formatter and the UTC date, on fixed instants (no clock needed) and on now.
#include <ix/base/clock.hpp>

#include <gtest/gtest.h>

#include <re2/re2.h>

namespace ix::base {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

system_clock::time_point At(year_month_day date, system_clock::duration time_of_day) {
  return sys_days{date} + time_of_day;
}

TEST(Clock, Rfc3339UtcOfKnownInstants) {
  EXPECT_EQ(Rfc3339Utc(system_clock::time_point{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(Rfc3339Utc(At(2025y / March / 3, 9h + 15min)), "2025-03-03T09:15:00Z");
  EXPECT_EQ(Rfc3339Utc(At(2024y / February / 29, 23h + 59min + 59s)), "2024-02-29T23:59:59Z");
  EXPECT_EQ(Rfc3339Utc(At(2000y / December / 31, 0s)), "2000-12-31T00:00:00Z");
}

TEST(Clock, MillisecondsAreTruncatedNotRounded) {
  const auto t = At(2025y / March / 3, 9h + 15min + 59s + 999ms);
  EXPECT_EQ(Rfc3339Utc(t), "2025-03-03T09:15:59Z");
  EXPECT_EQ(Rfc3339Utc(t, TimePrecision::kMilliseconds), "2025-03-03T09:15:59.999Z");
  EXPECT_EQ(Rfc3339Utc(At(2025y / March / 3, 7ms), TimePrecision::kMilliseconds),
            "2025-03-03T00:00:00.007Z");
  // Sub-millisecond parts never carry into the next millisecond either.
  EXPECT_EQ(Rfc3339Utc(At(2025y / March / 3, 1ms + 999us), TimePrecision::kMilliseconds),
            "2025-03-03T00:00:00.001Z");
}

TEST(Clock, InstantsBeforeTheEpochFloorToThePreviousSecond) {
  const auto t = system_clock::time_point{} - 500ms;
  EXPECT_EQ(Rfc3339Utc(t), "1969-12-31T23:59:59Z");
  EXPECT_EQ(Rfc3339Utc(t, TimePrecision::kMilliseconds), "1969-12-31T23:59:59.500Z");
  EXPECT_EQ(UtcDateOf(t), (CivilDate{1969, 12, 31}));
}

TEST(Clock, NowIsWellFormedAndCurrent) {
  const std::string before = Rfc3339Utc(system_clock::now());
  const std::string now = NowRfc3339();
  const std::string now_ms = NowRfc3339(TimePrecision::kMilliseconds);
  const std::string after = Rfc3339Utc(system_clock::now());
  EXPECT_TRUE(RE2::FullMatch(now, R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")) << now;
  EXPECT_TRUE(RE2::FullMatch(now_ms, R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"))
      << now_ms;
  // Same width, so text order is time order.
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

TEST(Clock, UtcDateOfAndIsoDate) {
  EXPECT_EQ(UtcDateOf(At(2024y / February / 29, 23h + 59min + 59s + 999ms)), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(UtcDateOf(At(2024y / March / 1, 0s)), (CivilDate{2024, 3, 1}));
  EXPECT_EQ(IsoDate({2025, 3, 3}), "2025-03-03");
  EXPECT_EQ(IsoDate({5, 1, 2}), "0005-01-02");
  // Today's date is the date part of now (unless midnight passes in between: then retry once).
  for (int attempt = 0; attempt < 2; ++attempt) {
    const std::string now = NowRfc3339();
    const std::string today = IsoDate(TodayUtc());
    if (now.substr(0, 10) == today || attempt == 1) {
      EXPECT_EQ(now.substr(0, 10), today);
      break;
    }
  }
}

}  // namespace
}  // namespace ix::base
