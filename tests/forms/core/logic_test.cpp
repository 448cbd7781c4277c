// The forms logic on small hand-built definitions: every expected value is worked out by hand.
#include <ix/core/forms/answer_text.hpp>
#include <ix/core/forms/edit.hpp>
#include <ix/core/forms/logic.hpp>
#include <ix/core/forms/migrate.hpp>
#include <ix/core/validate.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace ix::core::forms {
namespace {

Item MakeItem(std::string id, ItemType type, ItemScope scope) {
  Item item;
  item.id = std::move(id);
  item.type = type;
  item.scope = scope;
  item.label = {"etikett " + item.id, "label " + item.id};
  return item;
}

Condition When(std::string item, ConditionOperator op, AnswerValue value = {}) {
  Condition c;
  c.item_id = std::move(item);
  c.op = op;
  c.value = std::move(value);
  return c;
}

ConditionGroup All(std::vector<Condition> conditions) { return {false, std::move(conditions)}; }
ConditionGroup Any(std::vector<Condition> conditions) { return {true, std::move(conditions)}; }

// occupation.current → sick_certificate (enabled if sick_listed) → certificate_until (enabled
// if certificate yes): a chain. Plus a multiple choice, dates, money, a calculated sum.
Definition Def() {
  Definition d;
  d.id = "ix-test";
  d.version = "1";
  Item current = MakeItem("occ", ItemType::kSingleChoice, ItemScope::kAdult);
  current.options = {{"unemployed", {}}, {"sick_listed", {}}, {"studying", {}}};
  current.required = true;
  Item cert = MakeItem("cert", ItemType::kBoolean, ItemScope::kAdult);
  cert.enable_when = All({When("occ", ConditionOperator::kEquals, Code{"sick_listed"})});
  cert.required_when = cert.enable_when;
  Item until = MakeItem("until", ItemType::kDate, ItemScope::kAdult);
  until.enable_when = All({When("cert", ConditionOperator::kEquals, true)});
  Item kinds = MakeItem("kinds", ItemType::kMultipleChoice, ItemScope::kAdult);
  kinds.options = {{"none", {}}, {"alcohol", {}}, {"gambling", {}}};
  Constraint exclusive;
  exclusive.kind = ConstraintKind::kExclusiveCodes;
  exclusive.codes = {"none"};
  kinds.constraints = {exclusive};
  Item treatment = MakeItem("treatment", ItemType::kBoolean, ItemScope::kAdult);
  Condition any_use = When("kinds", ConditionOperator::kContainsAny);
  any_use.codes = {"alcohol", "gambling"};
  treatment.enable_when = All({any_use});
  Item salary = MakeItem("salary", ItemType::kMoney, ItemScope::kAdult);
  Item other = MakeItem("other", ItemType::kMoney, ItemScope::kHousehold);
  Item total = MakeItem("total", ItemType::kMoney, ItemScope::kHousehold);
  total.calculated = {CalculationKind::kSum, {"salary", "other"}};
  total.required = true;
  Item age = MakeItem("age", ItemType::kInteger, ItemScope::kAdult);
  age.calculated = {CalculationKind::kAge, {}};
  Item children = MakeItem("children", ItemType::kInteger, ItemScope::kHousehold);
  children.calculated = {CalculationKind::kCountChildren, {}};
  // A household item asked when any adult is sick-listed.
  Item sick_household = MakeItem("household_sick", ItemType::kBoolean, ItemScope::kHousehold);
  sick_household.enable_when = Any({When("occ", ConditionOperator::kEquals, Code{"sick_listed"})});
  // Dates: plan start, follow-up; a reason when the follow-up came later than planned.
  Item start = MakeItem("start", ItemType::kDate, ItemScope::kAdult);
  Item planned = MakeItem("planned", ItemType::kDate, ItemScope::kAdult);
  Constraint after;
  after.kind = ConstraintKind::kCompareItem;
  after.op = ConditionOperator::kGreater;
  after.other_item_id = "start";
  planned.constraints = {after};
  Item done = MakeItem("done", ItemType::kDate, ItemScope::kAdult);
  Constraint not_future;
  not_future.kind = ConstraintKind::kNotInFuture;
  Constraint not_before_birth;
  not_before_birth.kind = ConstraintKind::kNotBeforeBirth;
  done.constraints = {not_future, not_before_birth};
  Item late = MakeItem("late", ItemType::kText, ItemScope::kAdult);
  Condition later;
  later.item_id = "done";
  later.op = ConditionOperator::kGreater;
  later.other_item_id = "planned";
  late.enable_when = All({later});
  late.required_when = All({later});
  Item phone = MakeItem("phone", ItemType::kText, ItemScope::kAdult);
  Constraint pattern;
  pattern.kind = ConstraintKind::kPattern;
  pattern.pattern = "^\\+?[0-9][0-9 -]{5,18}$";
  phone.constraints = {pattern};
  Item young = MakeItem("young", ItemType::kBoolean, ItemScope::kAdult);
  Constraint age_range;
  age_range.kind = ConstraintKind::kAgeBetween;
  age_range.min = 18;
  age_range.max = 20;
  age_range.severity = Severity::kWarning;
  young.constraints = {age_range};
  d.parts.push_back({1, {}, {{"s1", {}, {current, cert, until, salary, other, total, age, children, sick_household, phone, young}}}});
  d.parts.push_back({2, {}, {{"s2", {}, {kinds, treatment, start, planned, done, late}}}});
  return d;
}

Response Household() {
  Response r;
  r.instrument = {"ix-test", "1"};
  r.household.persons = {
      {"p1", "19850312-1231", Sex::kFemale, "", HouseholdRole::kRegisterledare, false},
      {"p2", "19820721-4563", Sex::kMale, "", HouseholdRole::kMedsokande, false},
      {"c1", "20150105-2342", Sex::kFemale, "", HouseholdRole::kChild, false}};
  r.answers = {{"occ", "p1", Code{"unemployed"}}, {"occ", "p2", Code{"unemployed"}}};
  return r;
}

const ValidationContext kCtx{{2025, 6, 1}};

std::vector<std::string> Summary(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const Problem& p : problems) out.push_back(p.code + "@" + p.path);
  return out;
}

Answer* Find(Response& r, const std::string& item, const std::string& person) {
  for (Answer& a : r.answers) {
    if (a.item_id == item && a.person_ref == person) return &a;
  }
  return nullptr;
}

TEST(FormsLogic, DefinitionIsUsable) {
  EXPECT_TRUE(CheckDefinition(Def()).empty()) << Summary(CheckDefinition(Def())).size();
}

TEST(FormsLogic, MinimalHouseholdNeedsOnlyTheTotal) {
  // Nothing enabled beyond occ; total is required but none of its parts is answered.
  const auto problems = Validate(Def(), Household(), kCtx);
  ASSERT_EQ(Summary(problems), (std::vector<std::string>{"required@answers[household/total]"}));
  EXPECT_NE(problems[0].message.en.find("cannot be computed"), std::string::npos);
}

TEST(FormsLogic, ChainedAnswersDisappearWhenTheFirstConditionFlips) {
  Response r = Household();
  Find(r, "occ", "p1")->value = Code{"sick_listed"};
  r.answers.push_back({"cert", "p1", true});
  r.answers.push_back({"until", "p1", DateText{"2025-08-31"}});
  r.answers.push_back({"other", "", Money{100}});
  r.answers.push_back({"household_sick", "", false});
  EXPECT_TRUE(Validate(Def(), r, kCtx).empty()) << ::testing::PrintToString(Summary(Validate(Def(), r, kCtx)));
  // p1 is no longer sick-listed: cert is not asked, and so neither is until (its condition
  // reads cert, which now counts as unanswered). Both answers are reported, not dropped; the
  // household item asked "if any adult is sick-listed" is reported too.
  Find(r, "occ", "p1")->value = Code{"studying"};
  const auto problems = Validate(Def(), r, kCtx);
  EXPECT_EQ(Summary(problems), (std::vector<std::string>{
                                 "disabled_item_answered@answers[p1/cert]",
                                 "disabled_item_answered@answers[p1/until]",
                                 "disabled_item_answered@answers[household/household_sick]"}));
  EXPECT_EQ(r.answers.size(), 6u);  // all still there
}

TEST(FormsLogic, RequiredWhenFollowsItsCondition) {
  Response r = Household();
  r.answers.push_back({"other", "", Money{0}});
  Find(r, "occ", "p2")->value = Code{"sick_listed"};
  EXPECT_EQ(Summary(Validate(Def(), r, kCtx)),
            (std::vector<std::string>{"required@answers[p2/cert]"}));  // only p2, not p1
}

TEST(FormsLogic, MultipleChoiceConditionsAndExclusiveCodes) {
  Response r = Household();
  r.answers.push_back({"other", "", Money{0}});
  r.answers.push_back({"kinds", "p1", Codes{{"none"}}});
  r.answers.push_back({"treatment", "p1", true});
  EXPECT_EQ(Summary(Validate(Def(), r, kCtx)),
            (std::vector<std::string>{"disabled_item_answered@answers[p1/treatment]"}));
  Find(r, "kinds", "p1")->value = Codes{{"gambling"}};
  EXPECT_TRUE(Validate(Def(), r, kCtx).empty());
  Find(r, "kinds", "p1")->value = Codes{{"none", "alcohol"}};
  EXPECT_EQ(Summary(Validate(Def(), r, kCtx)), (std::vector<std::string>{"constraint@answers[p1/kinds].value"}));
}

TEST(FormsLogic, ComparisonsOnDates) {
  Response r = Household();
  r.answers.push_back({"other", "", Money{0}});
  r.answers.push_back({"start", "p1", DateText{"2025-01-10"}});
  r.answers.push_back({"planned", "p1", DateText{"2025-01-10"}});  // not after start
  r.answers.push_back({"done", "p1", DateText{"2025-01-10"}});     // same day: not late
  EXPECT_EQ(Summary(Validate(Def(), r, kCtx)), (std::vector<std::string>{"constraint@answers[p1/planned].value"}));
  Find(r, "planned", "p1")->value = DateText{"2025-01-09"};  // now done > planned: late asked
  EXPECT_EQ(Summary(Validate(Def(), r, kCtx)),
            (std::vector<std::string>{"constraint@answers[p1/planned].value", "required@answers[p1/late]"}));
  Find(r, "planned", "p1")->value = DateText{"2025-01-11"};
  Find(r, "done", "p1")->value = DateText{"2025-06-02"};  // the day after "today"
  EXPECT_EQ(Summary(Validate(Def(), r, kCtx)),
            (std::vector<std::string>{"constraint@answers[p1/done].value", "required@answers[p1/late]"}));
  Find(r, "done", "p1")->value = DateText{"1985-03-11"};  // the day before p1 was born
  EXPECT_EQ(Summary(Validate(Def(), r, kCtx)), (std::vector<std::string>{"constraint@answers[p1/done].value"}));
  Find(r, "done", "p1")->value = DateText{"1985-03-12"};
  EXPECT_TRUE(Validate(Def(), r, kCtx).empty());
}

TEST(FormsLogic, PatternAndAgeConstraints) {
  Response r = Household();
  r.answers.push_back({"other", "", Money{0}});
  r.answers.push_back({"phone", "p1", Text{"070-123 45 67"}});
  r.answers.push_back({"phone", "p2", Text{"ring mig"}});
  r.answers.push_back({"young", "p1", true});  // p1 is 40 on 2025-06-01
  const auto problems = Validate(Def(), r, kCtx);
  EXPECT_EQ(Summary(problems), (std::vector<std::string>{"constraint@answers[p2/phone].value",
                                                       "constraint@answers[p1/young].value"}));
  EXPECT_EQ(problems[1].severity, Severity::kWarning);
  EXPECT_NE(problems[1].message.en.find("the person is 40"), std::string::npos) << problems[1].message.en;
}

TEST(FormsLogic, CalculatedValues) {
  Response r = Household();
  r.answers.push_back({"salary", "p1", Money{1234567}});  // 12 345,67 kr
  r.answers.push_back({"salary", "p2", Money{33}});
  r.answers.push_back({"other", "", Money{100000}});
  const Definition d = Def();
  FormLogic logic(d, r, kCtx.today);
  const auto& items = logic.items();
  EXPECT_EQ(logic.Calculate(*items.at("total").item, ""), AnswerValue{Money{1334600}});
  EXPECT_EQ(logic.Calculate(*items.at("age").item, "p1"), AnswerValue{int64_t{40}});
  EXPECT_EQ(logic.Calculate(*items.at("age").item, "p2"), AnswerValue{int64_t{42}});
  EXPECT_EQ(logic.Calculate(*items.at("children").item, ""), AnswerValue{int64_t{1}});
  // Stored and then tampered with: the stored total no longer matches.
  StoreCalculatedValues(Def(), r, kCtx.today, "2025-06-01T10:00:00Z");
  EXPECT_TRUE(Validate(Def(), r, kCtx).empty());
  ASSERT_NE(Find(r, "total", ""), nullptr);
  EXPECT_TRUE(Find(r, "total", "")->calculated);
  Find(r, "total", "")->value = Money{1};
  EXPECT_EQ(Summary(Validate(Def(), r, kCtx)), (std::vector<std::string>{"calculated_mismatch@answers[household/total].value"}));
}

TEST(FormsLogic, SumsNeverWrap) {
  Response r = Household();
  r.answers.push_back({"salary", "p1", Money{INT64_MAX}});
  r.answers.push_back({"salary", "p2", Money{1}});
  r.answers.push_back({"total", "", Money{0}});
  const auto problems = Validate(Def(), r, kCtx);
  EXPECT_NE(std::find(Summary(problems).begin(), Summary(problems).end(), "calculation_overflow@answers[household/total]"),
            Summary(problems).end())
      << ::testing::PrintToString(Summary(problems));
}

TEST(FormsLogic, CyclesAndUnknownReferencesAreDefinitionErrors) {
  Definition d = Def();
  d.parts[0].sections[0].items[0].enable_when = All({When("until", ConditionOperator::kAnswered)});  // occ <- until <- cert <- occ
  d.parts[0].sections[0].items[1].required_when = All({When("nope", ConditionOperator::kAnswered)});
  std::string all;
  for (const Problem& p : CheckDefinition(d)) all += p.message.en + "\n";
  EXPECT_NE(all.find("cycle in the logic"), std::string::npos) << all;
  EXPECT_NE(all.find("names unknown item 'nope'"), std::string::npos) << all;
  // And the logic itself terminates on the cyclic definition.
  EXPECT_NO_THROW(Validate(d, Household(), kCtx));
}

TEST(AnswerText, ParsesByItemType) {
  const Item money = MakeItem("m", ItemType::kMoney, ItemScope::kHousehold);
  EXPECT_EQ(ParseAnswerText(money, "12 500,50").value, AnswerValue{Money{1250050}});
  EXPECT_EQ(ParseAnswerText(money, "12500.5 kr").value, AnswerValue{Money{1250050}});
  EXPECT_EQ(ParseAnswerText(money, "0").value, AnswerValue{Money{0}});
  EXPECT_FALSE(ParseAnswerText(money, "12,345").ok());  // three decimals: not kronor
  EXPECT_FALSE(ParseAnswerText(money, "99999999999999999999").ok());
  const Item yes_no = MakeItem("b", ItemType::kBoolean, ItemScope::kAdult);
  EXPECT_EQ(ParseAnswerText(yes_no, "Ja").value, AnswerValue{true});
  EXPECT_EQ(ParseAnswerText(yes_no, "no").value, AnswerValue{false});
  EXPECT_EQ(ParseAnswerText(yes_no, "kanske").error.en, "Answer yes or no.");
  Item multi = MakeItem("k", ItemType::kMultipleChoice, ItemScope::kAdult);
  multi.options = {{"a", {}}, {"b", {}}};
  EXPECT_EQ(ParseAnswerText(multi, "a, b").value, (AnswerValue{Codes{{"a", "b"}}}));
  EXPECT_EQ(ParseAnswerText(multi, "a,z").error.en, "Unknown answer code 'z'; possible: a, b.");
  const Item date = MakeItem("d", ItemType::kDate, ItemScope::kAdult);
  EXPECT_FALSE(ParseAnswerText(date, "2025-02-29").ok());
  EXPECT_EQ(ParseAnswerText(date, "2024-02-29").value, AnswerValue{DateText{"2024-02-29"}});
  EXPECT_EQ(FormatAnswerValue(Money{1250050}, nullptr, "sv"), "12 500,50 kr");
  EXPECT_EQ(FormatAnswerValue(Money{-5}, nullptr, "en"), "-0.05 kr");
  EXPECT_EQ(FormatAnswerValue(Money{INT64_MIN}, nullptr, "en"), "-92 233 720 368 547 758.08 kr");
}

Recorder By(std::string at) { return {"hand01", std::move(at), Respondent::kTogether, {true, "ar"}}; }

AnswerEdit Set(std::string item, std::string person, std::string text) {
  AnswerEdit e;
  e.item_id = std::move(item);
  e.person_ref = std::move(person);
  e.kind = AnswerEdit::Kind::kText;
  e.text = std::move(text);
  return e;
}

TEST(Editing, TrailIsAppendOnlyAndCalculatedValuesFollow) {
  const Definition d = Def();
  auto first = ApplyEdits(d, Household(), {Set("salary", "p1", "100"), Set("other", "", "50,25")},
                          By("2025-06-01T09:00:00Z"), {}, kCtx);
  ASSERT_TRUE(first.ok) << ::testing::PrintToString(Summary(first.rejected));
  // salary, other, then the calculated ages (p1, p2), total and children count.
  ASSERT_EQ(first.response.changes.size(), 6u);
  EXPECT_EQ(first.response.changes[0].new_value, AnswerValue{Money{10000}});
  EXPECT_EQ(first.response.changes[0].interpreter.language, "ar");
  const Answer* total = Find(first.response, "total", "");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->value, AnswerValue{Money{15025}});
  EXPECT_EQ(StateOf(first.response, 1), PartState::kInProgress);

  auto second = ApplyEdits(d, first.response, {Set("salary", "p1", "200")}, By("2025-06-01T09:05:00Z"), {}, kCtx);
  ASSERT_TRUE(second.ok);
  // The first six entries are untouched; two are appended (salary and total).
  ASSERT_EQ(second.response.changes.size(), 8u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(second.response.changes[i].at, first.response.changes[i].at);
    EXPECT_EQ(second.response.changes[i].new_value, first.response.changes[i].new_value);
  }
  EXPECT_EQ(second.response.changes[6].old_value, AnswerValue{Money{10000}});
  EXPECT_EQ(second.response.changes[7].new_value, AnswerValue{Money{25025}});
}

TEST(Editing, RefusedEditsChangeNothingAndNameTheField) {
  const auto result = ApplyEdits(Def(), Household(),
                                 {Set("salary", "p1", "lots"), Set("total", "", "5"), Set("occ", "c1", "unemployed"),
                                  Set("nope", "p1", "1"), Set("other", "p1", "1")},
                                 By("2025-06-01T09:00:00Z"), {}, kCtx);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(Summary(result.rejected),
            (std::vector<std::string>{"unparsable_value@edits[0].text", "calculated_item@edits[1].item_id",
                                      "item_not_for_child@edits[2].person_ref", "unknown_item@edits[3].item_id",
                                      "household_item_with_person@edits[4].person_ref"}));
  EXPECT_TRUE(result.response.changes.empty());
}

TEST(PartStatus, CompleteOnlyWithoutErrorsThenAmendWithReason) {
  const Definition d = Def();
  Response r = ApplyEdits(d, Household(), {Set("other", "", "0")}, By("2025-06-01T09:00:00Z"), {}, kCtx).response;
  r.answers.push_back({"phone", "p2", Text{"ring mig"}});  // a pattern error in part 1
  auto refused = SetPartState(d, r, 1, PartState::kCompleted, By("2025-06-01T09:10:00Z"), "", kCtx);
  EXPECT_FALSE(refused.accepted);
  EXPECT_EQ(Summary(refused.blocking), (std::vector<std::string>{"constraint@answers[p2/phone].value"}));
  r.answers.pop_back();
  auto done = SetPartState(d, r, 1, PartState::kCompleted, By("2025-06-01T09:10:00Z"), "", kCtx);
  ASSERT_TRUE(done.accepted);
  EXPECT_EQ(StateOf(done.response, 1), PartState::kCompleted);
  EXPECT_EQ(done.response.changes.back().kind, ChangeKind::kPartCompleted);

  // A plain answer to a completed part is refused; an amendment needs a reason and must keep
  // the part free of errors.
  auto plain = ApplyEdits(d, done.response, {Set("salary", "p1", "1")}, By("2025-06-02T08:00:00Z"), {}, kCtx);
  EXPECT_EQ(Summary(plain.rejected), (std::vector<std::string>{"part_completed@edits[0]"}));
  auto no_reason = ApplyEdits(d, done.response, {Set("salary", "p1", "1")}, By("2025-06-02T08:00:00Z"), {true, ""}, kCtx);
  EXPECT_EQ(Summary(no_reason.rejected), (std::vector<std::string>{"amend_without_reason@reason"}));
  auto breaks = ApplyEdits(d, done.response, {Set("phone", "p1", "x")}, By("2025-06-02T08:00:00Z"), {true, "typo"}, kCtx);
  EXPECT_EQ(Summary(breaks.rejected), (std::vector<std::string>{"constraint@answers[p1/phone].value"}));
  auto amended = ApplyEdits(d, done.response, {Set("salary", "p1", "1")}, By("2025-06-02T08:00:00Z"),
                            {true, "late salary slip"}, kCtx);
  ASSERT_TRUE(amended.ok);
  EXPECT_EQ(StateOf(amended.response, 1), PartState::kAmended);
  const Change& c = amended.response.changes[amended.response.changes.size() - 2];
  EXPECT_EQ(c.kind, ChangeKind::kAmended);
  EXPECT_EQ(c.reason, "late salary slip");
  // A response claiming a completed part with errors is itself reported.
  Response tampered = amended.response;
  tampered.answers.push_back({"phone", "p2", Text{"ring mig"}});
  const auto problems = Validate(d, tampered, kCtx);
  EXPECT_EQ(Summary(problems), (std::vector<std::string>{"constraint@answers[p2/phone].value",
                                                       "completed_part_has_errors@part_status[0]"}));
}

}  // namespace
}  // namespace ix::core::forms
