#include <ix/core/personnummer.hpp>

#include <gtest/gtest.h>

namespace ix::core {
namespace {

TEST(Personnummer, ValidWithAndWithoutSeparator) {
  for (const char* text : {"19850312-1231", "198503121231", "19820721+4563"}) {
    const IdentityNumber id = ParseIdentityNumber(text);
    EXPECT_TRUE(id.ok()) << text;
    EXPECT_FALSE(id.samordningsnummer);
  }
  const IdentityNumber id = ParseIdentityNumber("19850312-1231");
  EXPECT_EQ(id.birth_date, (Date{1985, 3, 12}));
  EXPECT_EQ(id.normalized, "198503121231");
}

TEST(Personnummer, WrongChecksumIsRejected) {
  EXPECT_EQ(ParseIdentityNumber("19850312-1232").error, IdentityNumberError::kChecksum);
  EXPECT_EQ(ParseIdentityNumber("19850312-1230").error, IdentityNumberError::kChecksum);
}

TEST(Personnummer, ImpossibleDatesAreRejected) {
  // 30 February, month 13, 29 February in a common year.
  EXPECT_EQ(ParseIdentityNumber("19850230-1234").error, IdentityNumberError::kImpossibleDate);
  EXPECT_EQ(ParseIdentityNumber("19851312-1234").error, IdentityNumberError::kImpossibleDate);
  EXPECT_EQ(ParseIdentityNumber("19010229-1234").error, IdentityNumberError::kImpossibleDate);
}

TEST(Personnummer, LeapDayIsAccepted) {
  // 2000-02-29: check digit computed over 0002291234 -> Luhn.
  const std::string nine = "000229123";
  const std::string text = "20000229-123" + std::to_string(LuhnCheckDigit(nine));
  EXPECT_TRUE(ParseIdentityNumber(text).ok()) << text;
}

TEST(Personnummer, Samordningsnummer) {
  // Day 12 + 60 = 72.
  const std::string nine = "850372123";
  const std::string text = "19850372-123" + std::to_string(LuhnCheckDigit(nine));
  const IdentityNumber id = ParseIdentityNumber(text);
  ASSERT_TRUE(id.ok()) << text;
  EXPECT_TRUE(id.samordningsnummer);
  EXPECT_EQ(id.birth_date, (Date{1985, 3, 12}));
  // Day 31 + 60 = 91 is fine in March; 30 + 60 in February is not.
  EXPECT_EQ(ParseIdentityNumber("19850290-1234").error, IdentityNumberError::kImpossibleDate);
}

TEST(Personnummer, FormatErrors) {
  EXPECT_EQ(ParseIdentityNumber("").error, IdentityNumberError::kFormat);
  EXPECT_EQ(ParseIdentityNumber("abc").error, IdentityNumberError::kFormat);
  EXPECT_EQ(ParseIdentityNumber("1985-0312-1231").error, IdentityNumberError::kFormat);
  EXPECT_EQ(ParseIdentityNumber("19850312 1231").error, IdentityNumberError::kFormat);
  EXPECT_EQ(ParseIdentityNumber("1985031212311").error, IdentityNumberError::kFormat);
  EXPECT_EQ(ParseIdentityNumber("850312-1231").error, IdentityNumberError::kTenDigits);
}

TEST(Personnummer, LuhnKnownValues) {
  EXPECT_EQ(LuhnCheckDigit("850312123"), 1);
  EXPECT_EQ(LuhnCheckDigit("820721456"), 3);
  EXPECT_EQ(LuhnCheckDigit("000000000"), 0);
}

TEST(Personnummer, MessagesDoNotEchoTheNumber) {
  for (auto e : {IdentityNumberError::kFormat, IdentityNumberError::kTenDigits,
                 IdentityNumberError::kImpossibleDate, IdentityNumberError::kChecksum}) {
    const LocalizedText m = DescribeIdentityNumberError(e);
    EXPECT_FALSE(m.sv.empty());
    EXPECT_FALSE(m.en.empty());
    EXPECT_EQ(m.en.find("1985"), std::string::npos);
  }
}

TEST(Dates, ParseIsoDateIsStrict) {
  EXPECT_EQ(ParseIsoDate("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_FALSE(ParseIsoDate("2023-02-29"));
  EXPECT_FALSE(ParseIsoDate("2024-2-29"));
  EXPECT_FALSE(ParseIsoDate("2024/02/29"));
  EXPECT_FALSE(ParseIsoDate("2024-02-29T00:00"));
  EXPECT_FALSE(ParseIsoDate(""));
  EXPECT_EQ(FormatIsoDate({2024, 3, 1}), "2024-03-01");
}

TEST(Dates, AgeOnBirthdayBoundary) {
  EXPECT_EQ(AgeOn({2000, 6, 15}, {2018, 6, 14}), 17);
  EXPECT_EQ(AgeOn({2000, 6, 15}, {2018, 6, 15}), 18);
}

}  // namespace
}  // namespace ix::core
