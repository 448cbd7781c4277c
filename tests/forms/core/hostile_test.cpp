// Every personnummer case through validation, and property-style random and hostile responses:
// validation never crashes and every problem is precise (code, path, both languages).
#include <ix/core/forms/render_html.hpp>
#include <ix/core/validate.hpp>

#include <gtest/gtest.h>

#include <random>

namespace ix::core {
namespace {

Definition Small() {
  Definition d;
  d.id = "ix-test";
  d.version = "1";
  auto item = [](std::string id, ItemType type, ItemScope scope) {
    Item i;
    i.id = std::move(id);
    i.type = type;
    i.scope = scope;
    i.label = {"sv", "en"};
    return i;
  };
  Item choice = item("c", ItemType::kSingleChoice, ItemScope::kAdult);
  choice.options = {{"a", {}}, {"b", {}}};
  choice.required = true;
  Item rating = item("r", ItemType::kRating, ItemScope::kAdult);
  rating.min = 1;
  rating.max = 3;
  Item text = item("t", ItemType::kText, ItemScope::kAdult);
  text.max_length = 100;
  Item dep = item("dep", ItemType::kBoolean, ItemScope::kAdult);
  dep.enable_when.conditions = {{"c", ConditionOperator::kEquals, Code{"a"}, {}, {}}};
  Item money = item("m", ItemType::kMoney, ItemScope::kHousehold);
  Item date = item("d", ItemType::kDate, ItemScope::kHousehold);
  Item pnr = item("p", ItemType::kPersonnummer, ItemScope::kHousehold);
  d.parts.push_back({1, {}, {{"s", {}, {choice, rating, text, dep, money, date, pnr}}}});
  return d;
}

Response With(std::string personnummer) {
  Response r;
  r.instrument = {"ix-test", "1"};
  r.household.persons = {{"p1", std::move(personnummer), Sex::kFemale, "", HouseholdRole::kRegisterledare, false}};
  r.answers = {{"c", "p1", Code{"b"}}};
  return r;
}

const ValidationContext kCtx{{2025, 6, 1}};

std::string Problems(const Response& r) {
  std::string out;
  for (const Problem& p : Validate(Small(), r, kCtx)) out += p.code + "@" + p.path + ": " + p.message.en + "\n";
  return out;
}

TEST(Personnummer, EveryCaseThroughValidation) {
  // Luhn over YYMMDDNNN worked out by hand: 850312123 → 1, 850372123 → 8.
  EXPECT_EQ(Problems(With("19850312-1231")), "");
  EXPECT_EQ(Problems(With("198503121231")), "");  // without separator
  EXPECT_EQ(Problems(With("19850372-1238")), "");  // samordningsnummer: day 12 + 60
  EXPECT_EQ(Problems(With("19850312-1232")),
            "invalid_personnummer@household.persons[0].personnummer: The check digit of the personnummer is wrong.\n");
  EXPECT_EQ(Problems(With("19850230-1230")),  // 30 February
            "invalid_personnummer@household.persons[0].personnummer: The date part of the personnummer is not a real date.\n");
  EXPECT_EQ(Problems(With("19850392-1231")),  // samordningsnummer day 32
            "invalid_personnummer@household.persons[0].personnummer: The date part of the personnummer is not a real date.\n");
  EXPECT_EQ(Problems(With("850312-1231")),
            "invalid_personnummer@household.persons[0].personnummer: The personnummer has 10 digits; give the century (12 digits, YYYYMMDD-NNNN).\n");
  EXPECT_EQ(Problems(With("19850312-12X1")),
            "invalid_personnummer@household.persons[0].personnummer: The personnummer must have 12 digits, YYYYMMDD-NNNN.\n");
  EXPECT_EQ(Problems(With("")), "missing_personnummer@household.persons[0].personnummer: The personnummer is missing.\n");
  // Born after "today".
  EXPECT_EQ(Problems(With("20300101-0002")).substr(0, 14), "date_in_future");
  // The messages never echo the number.
  EXPECT_EQ(Problems(With("19850312-1232")).find("1985"), std::string::npos);
}

AnswerValue RandomValue(std::mt19937_64& rng) {
  auto text = [&](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(rng() & 0xFF));  // often invalid UTF-8
    return s;
  };
  switch (rng() % 11) {
    case 0: return std::monostate{};
    case 1: return (rng() & 1) != 0;
    case 2: return Code{text(rng() % 4)};
    case 3: return Codes{{text(1), "a", "a"}};
    case 4: return static_cast<int64_t>(rng());
    case 5: return Decimal{text(rng() % 6)};
    case 6: return Money{static_cast<int64_t>(rng())};
    case 7: return DateText{text(10)};
    case 8: return Text{text(rng() % 300)};
    case 9: return Personnummer{text(13)};
    default: return Rating{static_cast<int32_t>(rng())};
  }
}

TEST(Hostile, RandomResponsesNeverCrashAndProblemsArePrecise) {
  std::mt19937_64 rng(20250115);  // fixed seed: reproducible
  const Definition d = Small();
  const std::vector<std::string> ids = {"c", "r", "t", "dep", "m", "d", "p", "unknown", "", std::string(5000, 'x'),
                                        std::string("\xC3\x28", 2)};
  const std::vector<std::string> people = {"p1", "p2", "", "c1", std::string("\xFF", 1)};
  size_t total = 0;
  for (int round = 0; round < 3000; ++round) {
    Response r = With(rng() % 3 == 0 ? "19850312-1232" : "19850312-1231");
    r.household.persons.push_back({"c1", "20150105-2342", Sex::kUnspecified, "2015-13-40", HouseholdRole::kChild, false});
    if (rng() % 5 == 0) r.household.persons.push_back(r.household.persons.front());  // duplicate ref
    if (rng() % 7 == 0) r.part_status.push_back({static_cast<int>(rng() % 9) - 2, PartState::kCompleted, "", "", "", ""});
    const int answers = static_cast<int>(rng() % 12);
    for (int i = 0; i < answers; ++i) {
      r.answers.push_back({ids[rng() % ids.size()], people[rng() % people.size()], RandomValue(rng)});
    }
    const auto problems = Validate(d, r, kCtx);
    for (const Problem& p : problems) {
      ASSERT_FALSE(p.code.empty());
      ASSERT_FALSE(p.path.empty()) << p.code;
      ASSERT_FALSE(p.message.sv.empty()) << p.code;
      ASSERT_FALSE(p.message.en.empty()) << p.code;
    }
    total += problems.size();
  }
  EXPECT_GT(total, 3000u);  // the random responses were in fact mostly wrong
}

TEST(Hostile, HugeAndInvalidTextIsReportedNotPassedOn) {
  Response r = With("19850312-1231");
  r.answers.push_back({"t", "p1", Text{std::string(5000, 'a')}});
  r.answers.push_back({"p", "", Personnummer{std::string(100000, '9')}});
  r.answers.push_back({"d", "", DateText{std::string("2025-01-0\xFF", 10)}});
  const std::string all = Problems(r);
  EXPECT_NE(all.find("text_too_long@answers[p1/t].value: The text has 5000 characters, at most 100 are allowed."),
            std::string::npos) << all.substr(0, 500);
  EXPECT_NE(all.find("invalid_personnummer@answers[household/p].value"), std::string::npos);
  EXPECT_NE(all.find("invalid_date@answers[household/d].value"), std::string::npos);
  // Over the limit of characters per answer the response is refused before any validation.
  r.answers[1].value = Text{std::string(5'000'000, 'a')};
  EXPECT_EQ(Problems(r), "limit_exceeded@answers[p1/t].value: 5000000 characters, at most 100000\n");
}

TEST(Hostile, HtmlEscapingNeverPassesMarkupOrInvalidBytes) {
  EXPECT_EQ(forms::EscapeHtml("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;");
  EXPECT_EQ(forms::EscapeHtml(std::string("a\xC3\x28z", 4)), "a\xEF\xBF\xBD(z");
  Definition d = Small();
  d.title = {"<b>titel</b>", "<b>title</b>"};
  d.parts[0].sections[0].items[0].label.en = "<img src=x onerror=alert(1)>";
  forms::RenderOptions options;
  options.language = "en";
  options.municipality = "<script>alert(1)</script>";
  const std::string html = forms::RenderFormHtml(d, options);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace ix::core
