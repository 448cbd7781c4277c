// Wall-clock time as the product writes it: RFC 3339 in UTC ("2025-03-03T09:15:00Z"), and the
// civil date in UTC. One formatter, so every timestamp a file, a log or a record carries reads
// the same. Standard library only (no libsodium, no JSON): the signed plugin links it too
// (target ix_base_clock) without pulling the host-side toolkit in.
#ifndef IX_BASE_CLOCK_HPP
#define IX_BASE_CLOCK_HPP

#include <chrono>
#include <string>

namespace ix::base {

enum class TimePrecision {
  kSeconds,       // 2025-03-03T09:15:00Z (records, manifests, state files)
  kMilliseconds,  // 2025-03-03T09:15:00.123Z (audit lines, where order within a second matters)
};

// `when` in RFC 3339, UTC, with a "Z" suffix; sub-second parts are truncated, never rounded,
// so a timestamp never claims a moment that has not come yet.
std::string Rfc3339Utc(std::chrono::system_clock::time_point when,
                       TimePrecision precision = TimePrecision::kSeconds);
// The same for now.
std::string NowRfc3339(TimePrecision precision = TimePrecision::kSeconds);

// A day of the proleptic Gregorian calendar.
struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// The UTC date of `when`, and today's.
CivilDate UtcDateOf(std::chrono::system_clock::time_point when);
CivilDate TodayUtc();
// "2025-03-03": the date part of an RFC 3339 timestamp.
std::string IsoDate(const CivilDate& date);

}  // namespace ix::base

#endif  // IX_BASE_CLOCK_HPP
