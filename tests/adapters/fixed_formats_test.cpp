// The fixed formats vendors write (dates, date-times, numbers), read without regular
// expressions: what is accepted, what is refused, and that the length is checked first.
#include <ix/adapters/fixed_formats.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace ix::adapters {
namespace {

TEST(FixedFormats, DatesAndDateTimesGiveTheirDay) {
  const core::Date day{2024, 3, 4};
  for (const char* text : {"2024-03-04", "2024-03-04T00:00", "2024-03-04T10:15:59", "2024-03-04T10:15:00.5",
                           "2024-03-04T10:15:00.123456789", "2024-03-04T10:15Z", "2024-03-04T10:15:00-05:30",
                           "2024-03-04T23:59:59.999+23:59"}) {
    auto date = ParseDateOrDateTime(text, "f");
    ASSERT_TRUE(date.ok()) << text << ": " << date.status().message();
    EXPECT_EQ(*date, day) << text;
  }
}

TEST(FixedFormats, MalformedDatesAreRefusedWithTheField) {
  for (const char* text : {"", "2024-3-4", "2024-02-30", "20240304", "2024-03-04T", "2024-03-04 10:15",
                           "2024-03-04T24:00", "2024-03-04T10:60", "2024-03-04T10:15:60", "2024-03-04T10:15:00.",
                           "2024-03-04T10:15:00.1234567890", "2024-03-04T10:15+01", "2024-03-04T10:15+0100",
                           "2024-03-04T10:15Zx", "2024-03-04x", "２０24-03-04"}) {
    auto date = ParseDateOrDateTime(text, "Investigation.FromDate");
    ASSERT_FALSE(date.ok()) << text;
    EXPECT_EQ(date.status().code(), StatusCode::kInvalidArgument);
    ASSERT_EQ(date.status().problems().size(), 1u);
    EXPECT_EQ(date.status().problems()[0].path, "Investigation.FromDate");
  }
}

TEST(FixedFormats, ALongValueIsRefusedByLengthBeforeAnythingElse) {
  const std::string text = "2020-01-01T" + std::string(50 * 1024, '0');
  const auto started = std::chrono::steady_clock::now();
  auto date = ParseDateOrDateTime(text, "Investigation.FromDate");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100));
  ASSERT_FALSE(date.ok());
  EXPECT_EQ(date.status().message(),
            "Investigation.FromDate: 51211 characters, at most 35 (YYYY-MM-DD or an ISO date-time)");
  // The longest accepted form is exactly the limit.
  EXPECT_EQ(std::string("2024-03-04T23:59:59.123456789+01:00").size(), kMaxDateTimeChars);
}

TEST(FixedFormats, DecimalsSplitIntoSignWholeAndFraction) {
  auto d = SplitDecimal("-1234,50", ',', 15, 2);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->negative);
  EXPECT_EQ(d->whole, "1234");
  EXPECT_EQ(d->fraction, "50");
  auto whole = SplitDecimal("17", '.', 17, 0);
  ASSERT_TRUE(whole);
  EXPECT_FALSE(whole->negative);
  EXPECT_EQ(whole->fraction, "");
  for (const char* bad : {"", "-", "+1", "1.", ".5", "1,5", "1e5", " 1", "1 ", "--1", "1.2.3", "١"}) {
    EXPECT_FALSE(SplitDecimal(bad, '.', 10, 10)) << bad;
  }
  EXPECT_FALSE(SplitDecimal("1234567890123456", ',', 15, 2)) << "16 whole digits";
  EXPECT_FALSE(SplitDecimal("1,234", ',', 15, 2)) << "3 fraction digits";
  EXPECT_FALSE(SplitDecimal("1,5", ',', 17, 0)) << "no fraction allowed";
  const std::string long_number(1 << 20, '7');
  EXPECT_TRUE(SplitDecimal(long_number + "." + long_number, '.', long_number.size(), long_number.size()));
}

}  // namespace
}  // namespace ix::adapters
