#include <ix/core/pattern.hpp>
#include <ix/core/validate.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>

namespace ix::core {
namespace {

Item MakeItem(std::string id, ItemType type, ItemScope scope, bool required = false) {
  Item item;
  item.id = std::move(id);
  item.type = type;
  item.scope = scope;
  item.required = required;
  item.label = {"etikett " + item.id, "label " + item.id};
  return item;
}

Definition SmallDefinition() {
  Definition d;
  d.id = "instrument-x";
  d.version = "test.1";
  Item choice = MakeItem("housing.type", ItemType::kSingleChoice, ItemScope::kHousehold, true);
  choice.options = {{"rental", {}}, {"homeless", {}}};
  Item rating = MakeItem("am.education", ItemType::kRating, ItemScope::kAdult, true);
  rating.min = 1;
  rating.max = 3;
  Item text = MakeItem("summary.goals", ItemType::kText, ItemScope::kAdult);
  text.max_length = 10;
  Item multi = MakeItem("support.kinds", ItemType::kMultipleChoice, ItemScope::kAdult);
  multi.options = {{"a", {}}, {"b", {}}};
  d.parts.push_back({1, {}, {{"s1", {}, {choice, MakeItem("economy.income", ItemType::kMoney, ItemScope::kHousehold),
                                          MakeItem("moved.date", ItemType::kDate, ItemScope::kHousehold),
                                          MakeItem("share", ItemType::kDecimal, ItemScope::kHousehold)}}}});
  d.parts.push_back({2, {}, {{"s2", {}, {rating, text, multi}}}});
  return d;
}

Response TwoAdultsOneChild() {
  Response r;
  r.instrument = {"instrument-x", "test.1"};
  r.household.persons = {
      {"p1", "19850312-1231", Sex::kFemale, "1985-03-12", HouseholdRole::kRegisterledare, false},
      {"p2", "19820721-4563", Sex::kMale, "", HouseholdRole::kMedsokande, false},
      {"c1", "20150105-2342", Sex::kFemale, "", HouseholdRole::kChild, false}};
  r.answers = {{"housing.type", "", Code{"rental"}},
               {"am.education", "p1", Rating{2}},
               {"am.education", "p2", Rating{1}}};
  return r;
}

const ValidationContext kCtx{{2025, 6, 1}};

std::vector<std::string> Summary(const std::vector<Problem>& problems) {
  std::vector<std::string> codes;
  for (const Problem& p : problems) codes.push_back(p.code + "@" + p.path);
  return codes;
}

bool HasProblem(const std::vector<Problem>& problems, const std::string& code,
                const std::string& path_fragment) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.code == code && p.path.find(path_fragment) != std::string::npos;
  });
}

TEST(Validate, CompleteResponseHasNoProblems) {
  const auto problems = Validate(SmallDefinition(), TwoAdultsOneChild(), kCtx);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(Summary(problems));
}

TEST(Validate, RequiredAdultItemIsAskedOfEveryAdultButNotChildren) {
  Response r = TwoAdultsOneChild();
  r.answers.pop_back();  // p2's rating
  const auto problems = Validate(SmallDefinition(), r, kCtx);
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(Summary(problems));
  EXPECT_EQ(problems[0].code, "required");
  EXPECT_EQ(problems[0].person_ref, "p2");
  EXPECT_EQ(problems[0].item_id, "am.education");
  EXPECT_EQ(problems[0].part, 2);
  EXPECT_NE(problems[0].message.sv.find("Obligatorisk"), std::string::npos);
}

TEST(Validate, AllProblemsAtOnce) {
  Response r = TwoAdultsOneChild();
  r.answers = {{"housing.type", "", Text{"rental"}},          // wrong type
               {"am.education", "p1", Rating{5}},             // out of range
               {"am.education", "c1", Rating{1}},             // child
               {"am.education", "p9", Rating{1}},             // unknown person
               {"no.such.item", "p1", Rating{1}},             // unknown item
               {"economy.income", "p1", Money{100}},          // household item with person
               {"summary.goals", "p1", Text{"12345678901"}},  // 11 > 10 chars
               {"summary.goals", "p1", Text{"x"}},            // duplicate
               {"support.kinds", "p2", Codes{{"a", "z", "a"}}},
               {"moved.date", "", DateText{"2025-02-30"}},
               {"share", "", Decimal{"1.2.3"}}};
  const auto problems = Validate(SmallDefinition(), r, kCtx);
  EXPECT_TRUE(HasProblem(problems, "wrong_type", "answers[household/housing.type].value"));
  EXPECT_TRUE(HasProblem(problems, "out_of_range", "answers[p1/am.education]"));
  EXPECT_TRUE(HasProblem(problems, "item_not_for_child", "answers[c1/am.education]"));
  EXPECT_TRUE(HasProblem(problems, "unknown_person", "answers[p9/am.education]"));
  EXPECT_TRUE(HasProblem(problems, "unknown_item", "answers[p1/no.such.item]"));
  EXPECT_TRUE(HasProblem(problems, "household_item_with_person", "answers[p1/economy.income]"));
  EXPECT_TRUE(HasProblem(problems, "text_too_long", "answers[p1/summary.goals]"));
  EXPECT_TRUE(HasProblem(problems, "duplicate_answer", "answers[p1/summary.goals]"));
  EXPECT_TRUE(HasProblem(problems, "unknown_code", "answers[p2/support.kinds]"));
  EXPECT_TRUE(HasProblem(problems, "duplicate_code", "answers[p2/support.kinds]"));
  EXPECT_TRUE(HasProblem(problems, "invalid_date", "answers[household/moved.date]"));
  EXPECT_TRUE(HasProblem(problems, "invalid_decimal", "answers[household/share]"));
  EXPECT_TRUE(HasProblem(problems, "required", "answers[p2/am.education]"));
  // housing.type was answered (with the wrong type): not also reported as missing.
  EXPECT_FALSE(HasProblem(problems, "required", "housing.type"));
  EXPECT_TRUE(HasErrors(problems));
}

TEST(Validate, InvalidUtf8TextIsReportedNotPassedOn) {
  Response r = TwoAdultsOneChild();
  r.answers.push_back({"summary.goals", "p1", Text{std::string("ok\xC3\x28", 4)}});
  r.answers.push_back({"summary.goals", "p2", Text{std::string("\xED\xA0\x80", 3)}});  // surrogate
  const auto problems = Validate(SmallDefinition(), r, kCtx);
  EXPECT_TRUE(HasProblem(problems, "invalid_utf8", "answers[p1/summary.goals]"));
  EXPECT_TRUE(HasProblem(problems, "invalid_utf8", "answers[p2/summary.goals]"));
}

TEST(Validate, HouseholdProblems) {
  Response r = TwoAdultsOneChild();
  r.household.persons[0].role = HouseholdRole::kMedsokande;  // no head any more
  r.household.persons[1].personnummer = "19820721-4564";     // checksum
  r.household.persons[1].sex = Sex::kUnspecified;
  r.household.persons[2].person_ref = "p1";  // duplicate
  const auto problems = Validate(SmallDefinition(), r, kCtx);
  EXPECT_TRUE(HasProblem(problems, "no_registerledare", "household.persons"));
  EXPECT_TRUE(HasProblem(problems, "invalid_personnummer", "household.persons[1].personnummer"));
  EXPECT_TRUE(HasProblem(problems, "sex_not_recorded", "household.persons[1].sex"));
  EXPECT_TRUE(HasProblem(problems, "duplicate_person_ref", "household.persons[2].person_ref"));
  const auto sex = std::find_if(problems.begin(), problems.end(),
                                [](const Problem& p) { return p.code == "sex_not_recorded"; });
  EXPECT_EQ(sex->severity, Severity::kWarning);
}

TEST(Validate, DatesInTheFutureAndMismatches) {
  Response r = TwoAdultsOneChild();
  r.household.persons[0].birth_date = "1985-03-13";  // personnummer says 12th
  const auto problems = Validate(SmallDefinition(), r, kCtx);
  EXPECT_TRUE(HasProblem(problems, "birth_date_mismatch", "household.persons[0].birth_date"));
  const ValidationContext early{{2010, 1, 1}};
  const auto before_child_born = Validate(SmallDefinition(), TwoAdultsOneChild(), early);
  EXPECT_TRUE(HasProblem(before_child_born, "date_in_future", "household.persons[2].personnummer"));
}

TEST(Validate, PinMismatchIsReportedNeverRebound) {
  Response r = TwoAdultsOneChild();
  r.instrument.version = "test.2";
  const auto problems = Validate(SmallDefinition(), r, kCtx);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].code, "instrument_mismatch");
}

TEST(Validate, EmptyHouseholdAndValuelessAnswer) {
  Response r;
  r.instrument = {"instrument-x", "test.1"};
  r.answers = {{"housing.type", "", std::monostate{}}};
  const auto problems = Validate(SmallDefinition(), r, kCtx);
  EXPECT_TRUE(HasProblem(problems, "no_persons", "household.persons"));
  EXPECT_TRUE(HasProblem(problems, "missing_value", "answers[household/housing.type]"));
}


// --- Answer patterns (RE2) ----------------------------------------------------------------------

Definition WithPattern(const std::string& pattern) {
  Definition d = SmallDefinition();
  Item text = MakeItem("phone", ItemType::kText, ItemScope::kHousehold);
  Constraint c;
  c.kind = ConstraintKind::kPattern;
  c.pattern = pattern;
  text.constraints = {c};
  d.parts[0].sections[0].items.push_back(text);
  return d;
}

std::vector<Problem> ValidateText(const Definition& d, const std::string& text) {
  Response r = TwoAdultsOneChild();
  r.answers.push_back({"phone", "", Text{text}});
  return Validate(d, r, kCtx);
}

int64_t MillisecondsOf(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

TEST(Patterns, CatastrophicBacktrackingPatternAnswersInMilliseconds) {
  // With a backtracking engine "^(a+)+$" against "a"×40 + "!" takes hours (×4 per 2 characters).
  const Definition d = WithPattern("^(a+)+$");
  std::vector<Problem> problems;
  const int64_t ms = MillisecondsOf([&] { problems = ValidateText(d, std::string(40, 'a') + "!"); });
  EXPECT_LT(ms, 200);
  EXPECT_EQ(Summary(problems), (std::vector<std::string>{"constraint@answers[household/phone].value"}));
  EXPECT_TRUE(ValidateText(d, std::string(40, 'a')).empty());
  // A long answer is matched too, still in linear time.
  const int64_t long_ms = MillisecondsOf([&] { problems = ValidateText(d, std::string(9000, 'a') + "!"); });
  EXPECT_LT(long_ms, 200);
  EXPECT_EQ(Summary(problems), (std::vector<std::string>{"constraint@answers[household/phone].value"}));
}

TEST(Patterns, TheWholeAnswerMustMatchAsBefore) {
  // The shipped phone pattern, and one without anchors: a partial match is not enough.
  const Definition phone = WithPattern("^\\+?[0-9][0-9 -]{5,18}$");
  EXPECT_TRUE(ValidateText(phone, "+46 8 123 456").empty());
  EXPECT_FALSE(ValidateText(phone, "ring mig").empty());
  const Definition digits = WithPattern("[0-9]+");
  EXPECT_TRUE(ValidateText(digits, "12345").empty());
  EXPECT_FALSE(ValidateText(digits, "123a").empty());
  EXPECT_FALSE(ValidateText(digits, "a123").empty());
  // UTF-8: a character class holds Swedish letters, '.' is one character.
  EXPECT_TRUE(ValidateText(WithPattern("[a-zåäö]+"), "åsa").empty());
  EXPECT_TRUE(ValidateText(WithPattern("..."), "åäö").empty());
  // A line break does not end the answer early: '$' is the end of the text.
  EXPECT_FALSE(ValidateText(digits, "123\n").empty());
}

TEST(Patterns, APreparedDefinitionCarriesEachPatternCompiledOnce) {
  Definition d = WithPattern("^[0-9]{3} ?[0-9]{2}$");
  EXPECT_TRUE(PrepareDefinition(d).empty());
  const Constraint& c = d.parts[0].sections[0].items.back().constraints[0];
  ASSERT_NE(c.compiled, nullptr);
  EXPECT_TRUE(c.compiled->FullMatch("123 45"));
  EXPECT_FALSE(c.compiled->FullMatch("123 456"));
  EXPECT_TRUE(ValidateText(d, "12345").empty());
  EXPECT_FALSE(ValidateText(d, "1234").empty());
}

TEST(Patterns, RefusalsNameTheLimitAndTheValue) {
  Pattern::Refusal refusal;
  EXPECT_EQ(Pattern::Compile(std::string(99000, 'a'), DefaultLimits(), &refusal), nullptr);
  EXPECT_TRUE(refusal.limit);
  EXPECT_EQ(refusal.message.en, "99000 bytes of pattern, at most 1000");
  // Within the length limit but too large a program: 5 404 instructions.
  EXPECT_EQ(Pattern::Compile("(?:abcdef){900}", DefaultLimits(), &refusal), nullptr);
  EXPECT_TRUE(refusal.limit);
  EXPECT_EQ(refusal.message.en, "5404 program size (RE2) of pattern, at most 5000");
  // Too large even for RE2's compile memory: refused before a program exists.
  EXPECT_EQ(Pattern::Compile("\\pL{1000}", DefaultLimits(), &refusal), nullptr);
  EXPECT_TRUE(refusal.limit);
  EXPECT_EQ(refusal.message.en, "the pattern compiles too large (more than 1048576 bytes of memory)");
  // The shipped phone pattern is far below.
  auto phone = Pattern::Compile("^\\+?[0-9][0-9 -]{5,18}$", DefaultLimits(), &refusal);
  ASSERT_NE(phone, nullptr);
  EXPECT_LT(phone->program_size(), 100);
  // Not RE2: backreferences and lookaround.
  EXPECT_EQ(Pattern::Compile("(a)\\1", DefaultLimits(), &refusal), nullptr);
  EXPECT_FALSE(refusal.limit);
  EXPECT_NE(refusal.message.en.find("invalid pattern (RE2 syntax)"), std::string::npos) << refusal.message.en;
  EXPECT_EQ(Pattern::Compile("a(?=b)", DefaultLimits(), &refusal), nullptr);
  EXPECT_FALSE(refusal.limit);
  // A pattern that does not compile matches nothing (the definition check reports it).
  EXPECT_FALSE(ValidateText(WithPattern("(a)\\1"), "aa").empty());
}

// --- Limits of a response ----------------------------------------------------------------------

std::string Only(const std::vector<Problem>& problems) {
  if (problems.size() != 1) return std::to_string(problems.size()) + " problems";
  return problems[0].code + "@" + problems[0].path + ": " + problems[0].message.en;
}

TEST(ResponseLimits, EachIsRefusedBeforeValidationNamingFieldLimitAndValue) {
  const Definition d = SmallDefinition();
  {
    Response r = TwoAdultsOneChild();
    while (r.household.persons.size() < 101) {
      r.household.persons.push_back({"x" + std::to_string(r.household.persons.size()), "", Sex::kFemale, "",
                                     HouseholdRole::kChild, false});
    }
    EXPECT_EQ(Only(Validate(d, r, kCtx)), "limit_exceeded@household.persons: 101 persons, at most 100");
  }
  {
    Response r = TwoAdultsOneChild();
    r.answers.resize(20001, r.answers[0]);
    EXPECT_EQ(Only(Validate(d, r, kCtx)), "limit_exceeded@answers: 20001 answers, at most 20000");
  }
  {
    Response r = TwoAdultsOneChild();
    r.changes.resize(100001);
    EXPECT_EQ(Only(Validate(d, r, kCtx)), "limit_exceeded@changes: 100001 change-trail entries, at most 100000");
  }
  {
    Response r = TwoAdultsOneChild();
    r.answers.push_back({"summary.goals", "p1", Text{std::string(100001, 'x')}});
    EXPECT_EQ(Only(Validate(d, r, kCtx)),
              "limit_exceeded@answers[p1/summary.goals].value: 100001 characters, at most 100000");
    // Characters, not bytes: 100 000 two-byte characters are within the limit.
    std::string swedish;
    for (int i = 0; i < 100000; ++i) swedish += "\xC3\xA5";  // å
    r.answers.back().value = Text{swedish};
    EXPECT_TRUE(CheckResponseLimits(r).empty());
  }
  {
    Response r = TwoAdultsOneChild();
    r.answers.push_back({"support.kinds", "p1", Codes{std::vector<std::string>(501, "a")}});
    EXPECT_EQ(Only(Validate(d, r, kCtx)), "limit_exceeded@answers[p1/support.kinds].value: 501 codes, at most 500");
  }
  {
    Response r = TwoAdultsOneChild();
    r.changes.resize(1);
    r.changes[0].new_value = Text{std::string(100001, 'x')};
    EXPECT_EQ(Only(Validate(d, r, kCtx)), "limit_exceeded@changes[0].new_value: 100001 characters, at most 100000");
  }
  // At the limits the response is validated as usual.
  Response r = TwoAdultsOneChild();
  r.answers.push_back({"summary.goals", "p1", Text{std::string(100000, 'x')}});
  EXPECT_TRUE(HasProblem(Validate(d, r, kCtx), "text_too_long", "answers[p1/summary.goals].value"));
}

}  // namespace
}  // namespace ix::core
