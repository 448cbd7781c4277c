// Every boundary of the default suggestion rules, table-driven, with the expected category
// worked out by hand from the rules (S = sum of the six ratings).
#include <ix/core/categorisation/rules.hpp>

#include "rules_fixture.hpp"

#include <gtest/gtest.h>

namespace ix::core {
namespace {

using testing::DefaultRules;
using testing::OneAdult;
using testing::Part2;

struct RuleCase {
  const char* name;
  Part2 input;
  int months;
  AmLevel am;
  std::vector<RKind> r;
  bool further;
  bool in_depth;
  const char* am_rule;
  std::vector<std::string> reasons;
};

constexpr auto R1 = RKind::kR1Physical;
constexpr auto R2 = RKind::kR2Mental;
constexpr auto R3 = RKind::kR3Substance;

TEST(SuggestionRules, EveryBoundary) {
  const RuleCase cases[] = {
      // S = 8 / 9 (AM1 boundary)
      {"S8_no3_AM1", {{1, 1, 1, 1, 2, 2}, "full", false, false, false}, 0, AmLevel::kAm1, {}, false, false, "am1", {}},
      {"S9_AM2", {{1, 1, 1, 2, 2, 2}, "full", false, false, false}, 0, AmLevel::kAm2, {}, false, false, "am2", {}},
      {"S8_with_a_3_AM2", {{1, 1, 1, 1, 1, 3}, "full", false, false, false}, 0, AmLevel::kAm2, {}, false, false, "am2", {}},
      {"S6_minimum_AM1", {{1, 1, 1, 1, 1, 1}, "full", false, false, false}, 0, AmLevel::kAm1, {}, false, false, "am1", {}},
      // S = 13 / 14 (AM3 boundary)
      {"S13_one3_AM2", {{2, 2, 2, 2, 2, 3}, "full", false, false, false}, 0, AmLevel::kAm2, {}, false, false, "am2", {}},
      {"S13_two3_AM2", {{1, 2, 2, 2, 3, 3}, "full", false, false, false}, 0, AmLevel::kAm2, {}, false, false, "am2", {}},
      {"S14_two3_AM3", {{2, 2, 2, 2, 3, 3}, "full", false, false, false}, 0, AmLevel::kAm3, {}, false, false, "am3_sum", {}},
      {"S12_no3_AM2", {{2, 2, 2, 2, 2, 2}, "full", false, false, false}, 0, AmLevel::kAm2, {}, false, false, "am2", {}},
      // exactly three 3s
      {"three3_S12_AM3", {{1, 1, 1, 3, 3, 3}, "full", false, false, false}, 0, AmLevel::kAm3, {}, false, false, "am3_far_ratings", {}},
      {"two3_S12_AM2", {{1, 1, 2, 2, 3, 3}, "full", false, false, false}, 0, AmLevel::kAm2, {}, false, false, "am2", {}},
      {"three3_S15_both", {{2, 2, 2, 3, 3, 3}, "full", false, false, false}, 0, AmLevel::kAm3, {}, false, false, "am3_sum_and_far_ratings", {}},
      {"six3_S18", {{3, 3, 3, 3, 3, 3}, "full", false, false, false}, 0, AmLevel::kAm3, {}, false, false, "am3_sum_and_far_ratings", {}},
      // missing ratings
      {"one_missing", {{1, 0, 1, 1, 1, 1}, "full", false, false, false}, 0, AmLevel::kNone, {}, true, false, "missing_ratings", {"missing_ratings"}},
      {"all_missing", {{0, 0, 0, 0, 0, 0}, "full", false, false, false}, 0, AmLevel::kNone, {}, true, false, "missing_ratings", {"missing_ratings"}},
      // each work-capacity value
      {"capacity_full", {{2, 2, 2, 2, 2, 2}, "full", false, false, false}, 0, AmLevel::kAm2, {}, false, false, "am2", {}},
      {"capacity_reduced_no_R", {{2, 2, 2, 2, 2, 2}, "reduced", false, false, false}, 0, AmLevel::kAm2, {}, true, false, "am2", {"reduced_capacity_without_cause"}},
      {"capacity_reduced_R2", {{2, 2, 2, 2, 2, 2}, "reduced", false, true, false}, 0, AmLevel::kAm2, {R2}, false, false, "am2", {}},
      {"capacity_none_no_R", {{1, 1, 1, 1, 1, 1}, "none", false, false, false}, 0, AmLevel::kNone, {}, true, false, "no_work_capacity", {"reduced_capacity_without_cause"}},
      {"capacity_none_R1", {{1, 1, 1, 1, 1, 1}, "none", true, false, false}, 0, AmLevel::kNone, {R1}, false, false, "no_work_capacity", {}},
      {"capacity_none_missing_ratings_R3", {{0, 0, 0, 0, 0, 0}, "none", false, false, true}, 0, AmLevel::kNone, {R3}, false, false, "no_work_capacity", {}},
      {"capacity_unclear", {{1, 1, 1, 1, 1, 1}, "unclear", false, false, false}, 0, AmLevel::kAm1, {}, true, false, "am1", {"work_capacity_unclear"}},
      {"capacity_unanswered", {{1, 1, 1, 1, 1, 1}, "", false, false, false}, 0, AmLevel::kAm1, {}, true, false, "am1", {"work_capacity_missing"}},
      // each R trigger and combination
      {"R1", {{2, 2, 2, 2, 2, 2}, "full", true, false, false}, 0, AmLevel::kAm2, {R1}, false, false, "am2", {}},
      {"R2", {{2, 2, 2, 2, 2, 2}, "full", false, true, false}, 0, AmLevel::kAm2, {R2}, false, false, "am2", {}},
      {"R3", {{2, 2, 2, 2, 2, 2}, "full", false, false, true}, 0, AmLevel::kAm2, {R3}, false, false, "am2", {}},
      {"R1_R2", {{2, 2, 2, 2, 2, 2}, "reduced", true, true, false}, 0, AmLevel::kAm2, {R1, R2}, false, false, "am2", {}},
      {"R1_R3", {{2, 2, 2, 2, 2, 2}, "reduced", true, false, true}, 0, AmLevel::kAm2, {R1, R3}, false, false, "am2", {}},
      {"R2_R3", {{2, 2, 2, 2, 2, 2}, "reduced", false, true, true}, 0, AmLevel::kAm2, {R2, R3}, false, false, "am2", {}},
      {"R1_R2_R3", {{2, 2, 2, 2, 2, 2}, "none", true, true, true}, 0, AmLevel::kNone, {R1, R2, R3}, false, false, "no_work_capacity", {}},
      {"R_unanswered", {{2, 2, 2, 2, 2, 2}, "full", std::nullopt, std::nullopt, std::nullopt}, 0, AmLevel::kAm2, {}, false, false, "am2", {}},
      // more than six whole months in a row: every adult by default (InDepthOffer table below)
      {"months6_AM3", {{2, 2, 2, 2, 3, 3}, "full", false, false, false}, 6, AmLevel::kAm3, {}, false, true, "am3_sum", {}},
      {"months5_AM3", {{2, 2, 2, 2, 3, 3}, "full", false, false, false}, 5, AmLevel::kAm3, {}, false, false, "am3_sum", {}},
      {"months6_AM2_R2", {{2, 2, 2, 2, 2, 2}, "reduced", false, true, false}, 6, AmLevel::kAm2, {R2}, false, true, "am2", {}},
      {"months6_AM2_no_R", {{2, 2, 2, 2, 2, 2}, "full", false, false, false}, 6, AmLevel::kAm2, {}, false, true, "am2", {}},
      {"months24_AM1", {{1, 1, 1, 1, 1, 1}, "full", false, false, false}, 24, AmLevel::kAm1, {}, false, true, "am1", {}},
      {"months6_none_R1", {{1, 1, 1, 1, 1, 1}, "none", true, false, false}, 6, AmLevel::kNone, {R1}, false, true, "no_work_capacity", {}},
  };
  const RuleSet rules = DefaultRules();
  for (const RuleCase& c : cases) {
    SCOPED_TRACE(c.name);
    const SuggestResult result = Suggest(rules, ProfileRules{}, OneAdult(c.input), c.months);
    EXPECT_TRUE(result.problems.empty());
    ASSERT_EQ(result.suggestions.size(), 1u);  // the child gets none
    const Suggestion& s = result.suggestions[0];
    EXPECT_EQ(s.person_ref, "p1");
    EXPECT_EQ(s.category.am_level, c.am);
    EXPECT_EQ(s.category.r_kinds, c.r);
    EXPECT_EQ(s.category.further_investigation, c.further);
    EXPECT_EQ(s.offer_in_depth_assessment, c.in_depth);
    EXPECT_EQ(AmRuleCode(s.explanation.am_rule), c.am_rule);
    std::vector<std::string> reasons;
    for (FurtherInvestigationReason r : s.explanation.further_investigation_reasons) {
      reasons.emplace_back(FurtherInvestigationReasonCode(r));
    }
    EXPECT_EQ(reasons, c.reasons);
    EXPECT_EQ(s.explanation.lines, ExplainSuggestion(rules, s));
  }
}

// The DUR/ASI offer: more than `more_than_months` whole months in a row (whole_months ≥ N, the
// day asked about being on assistance too), for every adult unless the profile restricts it to
// AM3 or RH. The same InDepthOfferRule decides the clock (clocks_test, time_on_assistance_test).
TEST(SuggestionRules, InDepthOfferFromTheProfile) {
  struct Case {
    const char* name;
    Part2 input;
    int months;
    InDepthOfferRule rule;
    bool offer;
  };
  const Part2 am1{{1, 1, 1, 1, 1, 1}, "full", false, false, false};
  const Part2 am3{{3, 3, 3, 3, 3, 3}, "full", false, false, false};
  const Part2 am2_r3{{2, 2, 2, 2, 2, 2}, "reduced", false, false, true};
  const Part2 none_no_r{{0, 0, 0, 0, 0, 0}, "none", false, false, false};
  const Case cases[] = {
      {"exactly_6_not_more", am1, 5, {6, false}, false},   // e.g. 1 Jan → 30 Jun: 5 whole months before the day
      {"more_than_6", am1, 6, {6, false}, true},           // 1 Jan → 1 Jul
      {"long_am1", am1, 30, {6, false}, true},
      {"no_category_needed", none_no_r, 6, {6, false}, true},
      {"profile_restricts_am1", am1, 6, {6, true}, false},
      {"profile_restricts_am3", am3, 6, {6, true}, true},
      {"profile_restricts_rh", am2_r3, 6, {6, true}, true},
      {"profile_restricts_no_level", none_no_r, 6, {6, true}, false},
      {"other_months", am1, 3, {3, false}, true},
      {"other_months_short", am1, 2, {3, false}, false},
      {"not_on_assistance", am3, 0, {6, false}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const SuggestResult result = Suggest(DefaultRules(), ProfileRules{c.rule, true}, OneAdult(c.input), c.months);
    ASSERT_EQ(result.suggestions.size(), 1u);
    EXPECT_EQ(result.suggestions[0].offer_in_depth_assessment, c.offer);
    EXPECT_EQ(result.suggestions[0].explanation.in_depth_offer.only_am3_or_rh, c.rule.only_am3_or_rh);
  }
}

// The explanation is written from the decision alone: a decided suggestion (no response needed)
// reads the same way.
TEST(SuggestionRules, ExplanationIsWrittenFromTheDecision) {
  Suggestion s;
  s.person_ref = "p1";
  s.category.am_level = AmLevel::kAm2;
  s.offer_in_depth_assessment = true;
  Explanation& e = s.explanation;
  e.rule_set_id = "instrument-x-default";
  e.rule_set_version = "2026.1";
  for (const AmVariable& v : DefaultRules().am_variables) e.ratings.push_back({v.variable, v.item_id, 2});
  e.sum = 12;
  e.am_rule = AmRule::kAm2;
  e.work_capacity_code = "reduced";
  e.r_triggers = {{RKind::kR2Mental, "health.mental_limits_work"}};
  e.further_investigation_reasons = {FurtherInvestigationReason::kWorkCapacityUnclear};
  e.months_on_assistance = 7;
  const std::vector<LocalizedText> lines = ExplainSuggestion(DefaultRules(), s);
  std::vector<std::string> en;
  for (const LocalizedText& l : lines) en.push_back(l.en);
  ASSERT_EQ(en.size(), 7u);
  EXPECT_EQ(en[2], "Work capacity today: reduced (work_capacity.today).");
  EXPECT_EQ(en[3], "R2: \"Mental health limits work\" (health.mental_limits_work) was answered yes.");
  EXPECT_EQ(en[4], "Vidare utredning (further investigation): work capacity is unclear.");
  EXPECT_EQ(en[5], "Offer an in-depth assessment (DUR/ASI): 7 whole months of assistance in a row and continuing, so "
                   "more than 6 months.");
  s.explanation.in_depth_offer.only_am3_or_rh = true;
  EXPECT_EQ(ExplainSuggestion(DefaultRules(), s)[5].en,
            "Offer an in-depth assessment (DUR/ASI): 7 whole months of assistance in a row and continuing, so more than 6 "
            "months, and AM3 or an RH kind (the profile's condition).");
}

TEST(SuggestionRules, ExplanationNamesRatingsSumRuleTriggersAndRuleSet) {
  const SuggestResult result =
      Suggest(DefaultRules(), ProfileRules{}, OneAdult({{2, 3, 3, 2, 1, 3}, "reduced", false, true, false}), 7);
  ASSERT_EQ(result.suggestions.size(), 1u);
  const Explanation& e = result.suggestions[0].explanation;
  EXPECT_EQ(e.sum, 14);
  EXPECT_EQ(e.far_ratings, 3);
  ASSERT_EQ(e.ratings.size(), 6u);
  EXPECT_EQ(e.ratings[1].item_id, "am.swedish");
  EXPECT_EQ(e.ratings[1].value, 3);
  ASSERT_EQ(e.r_triggers.size(), 1u);
  EXPECT_EQ(e.r_triggers[0].item_id, "health.mental_limits_work");
  EXPECT_EQ(e.rule_set_id, "instrument-x-default");
  EXPECT_EQ(e.rule_set_version, "2026.1");
  ASSERT_GE(e.lines.size(), 5u);
  EXPECT_EQ(e.lines[0].en,
            "Ratings (1 = close to the labour market, 3 = far): Education 2, Swedish 3, Work experience 3, "
            "Health 2, Motivation 1, Job seeking 3; S = 14, 3 rating(s) of 3.");
  EXPECT_EQ(e.lines[1].en, "AM3: S = 14 ≥ 14 and 3 ratings of 3 (at least 3).");
  EXPECT_EQ(e.lines[3].en, "R2: \"Mental health limits work\" (health.mental_limits_work) was answered yes.");
  EXPECT_NE(e.lines[4].en.find("Offer an in-depth assessment (DUR/ASI): 7 whole months of assistance in a row"), std::string::npos);
  EXPECT_NE(e.lines.back().en.find("Rule set instrument-x-default version 2026.1"), std::string::npos);
}

TEST(SuggestionRules, MissingRatingsAreListed) {
  const SuggestResult result = Suggest(DefaultRules(), ProfileRules{}, OneAdult({{1, 0, 1, 0, 1, 1}, "full", false, false, false}), 0);
  const Explanation& e = result.suggestions[0].explanation;
  EXPECT_EQ(e.missing_ratings, (std::vector<std::string>{"am.swedish", "am.health"}));
  EXPECT_FALSE(e.sum.has_value());
  EXPECT_EQ(e.lines[1].en, "No AM level: rating missing for am.swedish, am.health.");
}

TEST(SuggestionRules, SameInputSameOutput) {
  const Response r = OneAdult({{2, 2, 3, 2, 3, 3}, "reduced", true, false, true});
  const SuggestResult a = Suggest(DefaultRules(), ProfileRules{}, r, 8);
  const SuggestResult b = Suggest(DefaultRules(), ProfileRules{}, r, 8);
  ASSERT_EQ(a.suggestions.size(), b.suggestions.size());
  EXPECT_EQ(a.suggestions[0].category, b.suggestions[0].category);
  ASSERT_EQ(a.suggestions[0].explanation.lines.size(), b.suggestions[0].explanation.lines.size());
  for (size_t i = 0; i < a.suggestions[0].explanation.lines.size(); ++i) {
    EXPECT_EQ(a.suggestions[0].explanation.lines[i].en, b.suggestions[0].explanation.lines[i].en);
    EXPECT_EQ(a.suggestions[0].explanation.lines[i].sv, b.suggestions[0].explanation.lines[i].sv);
  }
}

TEST(SuggestionRules, BadAnswersAreProblemsNamingTheAnswer) {
  Response r = OneAdult({{1, 1, 1, 1, 1, 0}, "sometimes", false, false, false});
  r.answers.push_back({"am.job_seeking", "p1", Rating{4}});
  r.answers.push_back({"health.mental_limits_work", "p1", Code{"yes"}});  // duplicate and wrong type
  const SuggestResult result = Suggest(DefaultRules(), ProfileRules{}, r, 0);
  ASSERT_EQ(result.problems.size(), 3u);
  EXPECT_EQ(result.problems[0].code, "duplicate");
  EXPECT_EQ(result.problems[0].path, "answers[p1/health.mental_limits_work]");
  EXPECT_EQ(result.problems[1].code, "unknown_option");
  EXPECT_EQ(result.problems[1].item_id, "work_capacity.today");
  EXPECT_EQ(result.problems[2].code, "out_of_range");
  EXPECT_EQ(result.problems[2].path, "answers[p1/am.job_seeking].value");
  EXPECT_EQ(result.problems[2].message.en, "rating 4 is outside 1-3");
  EXPECT_EQ(result.problems[2].message.sv, "skattningen 4 ligger utanför 1-3");
  EXPECT_EQ(result.suggestions[0].category.am_level, AmLevel::kNone);  // the bad rating counts as missing
}

TEST(SuggestionRules, RuleSetChecks) {
  EXPECT_TRUE(CheckRuleSet(DefaultRules()).empty());
  RuleSet bad = DefaultRules();
  bad.am1_max_sum = 14;
  bad.am3_min_far_ratings = 7;
  const auto problems = CheckRuleSet(bad);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].path, "thresholds.am1_max_sum");
  EXPECT_EQ(problems[0].message.en, "must be less than am3_min_sum");
  EXPECT_EQ(ProblemsText(problems),
            "thresholds.am1_max_sum: must be less than am3_min_sum; thresholds.am3_min_far_ratings: must be 1..6");
}

TEST(SuggestionRules, RuleSetChecksTheNoticeAndEveryChoice) {
  RuleSet bad = DefaultRules();
  bad.notice.sv.clear();
  bad.notice.en = std::string(1999, 'x') + "åäö";  // 2002 characters, 2005 bytes
  bad.choices.work_capacity_unclear = AmLevelPolicy::kUnstated;
  bad.choices.governing_missing = GoverningFallback::kUnstated;
  bad.choices.further_investigation_when = {"missing_ratings", "sometimes", "missing_ratings"};
  std::vector<std::string> got;
  for (const Problem& p : CheckRuleSet(bad)) got.push_back(p.path + ": " + p.message.en);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "notice.sv: empty (a rule set says it is representative, in sv and en)",
                     "notice.en: 2002 characters, at most 2000",
                     "choices.work_capacity_unclear: not stated (SUGGEST or WITHHOLD)",
                     "choices.governing_missing: not stated (OTHER_VIEW or NONE)",
                     "choices.further_investigation_when[1]: 'sometimes' is not a reason code (known: missing_ratings, "
                     "work_capacity_unclear, work_capacity_missing, reduced_capacity_without_cause)",
                     "choices.further_investigation_when[2]: 'missing_ratings' repeated",
                 }));
}

// The points the sources leave open, each with its documented default (the member defaults of
// RuleChoices, shipped in the rule set JSON) and the other value a rule set may state.
TEST(SuggestionRules, ChoicesTheSourcesLeaveOpen) {
  struct Case {
    const char* name;
    Part2 input;
    RuleChoices choices;
    AmLevel am;
    const char* am_rule;
    std::vector<std::string> reasons;
  };
  const RuleChoices defaults;
  RuleChoices unclear_withheld;
  unclear_withheld.work_capacity_unclear = AmLevelPolicy::kWithhold;
  RuleChoices unanswered_withheld;
  unanswered_withheld.work_capacity_unanswered = AmLevelPolicy::kWithhold;
  RuleChoices none_suggests;
  none_suggests.work_capacity_none = AmLevelPolicy::kSuggest;
  RuleChoices no_triggers;
  no_triggers.further_investigation_when.clear();
  RuleChoices only_missing;
  only_missing.further_investigation_when = {"missing_ratings"};
  const Part2 unclear{{1, 1, 1, 1, 1, 1}, "unclear", false, false, false};
  const Part2 unanswered{{1, 1, 1, 1, 1, 1}, "", false, false, false};
  const Part2 none{{2, 2, 2, 2, 2, 2}, "none", false, false, false};
  const Part2 none_r1{{2, 2, 2, 2, 2, 2}, "none", true, false, false};
  const Part2 reduced{{2, 2, 2, 2, 2, 2}, "reduced", false, false, false};
  const Part2 missing{{1, 0, 1, 1, 1, 1}, "full", false, false, false};
  const Case cases[] = {
      // Defaults (the behaviour before these were data).
      {"unclear_default_am_and_fi", unclear, defaults, AmLevel::kAm1, "am1", {"work_capacity_unclear"}},
      {"unanswered_default_am_and_fi", unanswered, defaults, AmLevel::kAm1, "am1", {"work_capacity_missing"}},
      {"none_default_no_am", none, defaults, AmLevel::kNone, "no_work_capacity", {"reduced_capacity_without_cause"}},
      {"none_r1_default_no_am_no_fi", none_r1, defaults, AmLevel::kNone, "no_work_capacity", {}},
      {"reduced_default_fi", reduced, defaults, AmLevel::kAm2, "am2", {"reduced_capacity_without_cause"}},
      {"missing_default_fi", missing, defaults, AmLevel::kNone, "missing_ratings", {"missing_ratings"}},
      // The other values.
      {"unclear_withheld", unclear, unclear_withheld, AmLevel::kNone, "work_capacity_unclear", {"work_capacity_unclear"}},
      {"unanswered_withheld", unanswered, unanswered_withheld, AmLevel::kNone, "work_capacity_unanswered", {"work_capacity_missing"}},
      {"none_suggests", none, none_suggests, AmLevel::kAm2, "am2", {"reduced_capacity_without_cause"}},
      {"no_triggers_unclear", unclear, no_triggers, AmLevel::kAm1, "am1", {}},
      {"no_triggers_missing", missing, no_triggers, AmLevel::kNone, "missing_ratings", {}},
      {"no_triggers_reduced", reduced, no_triggers, AmLevel::kAm2, "am2", {}},
      {"only_missing_unclear", unclear, only_missing, AmLevel::kAm1, "am1", {}},
      {"only_missing_missing", missing, only_missing, AmLevel::kNone, "missing_ratings", {"missing_ratings"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RuleSet rules = DefaultRules();
    rules.choices = c.choices;
    ASSERT_TRUE(CheckRuleSet(rules).empty());
    const SuggestResult result = Suggest(rules, ProfileRules{}, OneAdult(c.input), 0);
    ASSERT_EQ(result.suggestions.size(), 1u);
    const Suggestion& s = result.suggestions[0];
    EXPECT_EQ(s.category.am_level, c.am);
    EXPECT_EQ(AmRuleCode(s.explanation.am_rule), c.am_rule);
    std::vector<std::string> reasons;
    for (FurtherInvestigationReason r : s.explanation.further_investigation_reasons) {
      reasons.emplace_back(FurtherInvestigationReasonCode(r));
    }
    EXPECT_EQ(reasons, c.reasons);
    EXPECT_EQ(s.category.further_investigation, !c.reasons.empty());
  }
  // A withheld level says why, naming the choice.
  RuleSet rules = DefaultRules();
  rules.choices = unclear_withheld;
  const SuggestResult r = Suggest(rules, ProfileRules{}, OneAdult(unclear), 0);
  EXPECT_EQ(r.suggestions[0].explanation.lines[1].en, "No AM level: work capacity is unclear (the rule set's choice).");
}

// A profile without the AM module: the six ratings are not read (not even checked), no AM level
// is suggested and the explanation says why; RH and further investigation come from the other
// answers (missing ratings are no reason: nobody is asked for them).
TEST(SuggestionRules, WithoutTheAmModule) {
  struct Case {
    const char* name;
    Part2 input;
    std::vector<RKind> r;
    std::vector<std::string> reasons;
  };
  const Case cases[] = {
      {"no_ratings_full", {{0, 0, 0, 0, 0, 0}, "full", false, false, false}, {}, {}},
      {"ratings_ignored", {{3, 3, 3, 3, 3, 3}, "full", false, false, false}, {}, {}},
      {"reduced_r2", {{0, 0, 0, 0, 0, 0}, "reduced", false, true, false}, {R2}, {}},
      {"reduced_no_cause", {{0, 0, 0, 0, 0, 0}, "reduced", false, false, false}, {}, {"reduced_capacity_without_cause"}},
      {"none_r1_r3", {{0, 0, 0, 0, 0, 0}, "none", true, false, true}, {R1, R3}, {}},
      {"unclear", {{0, 0, 0, 0, 0, 0}, "unclear", false, false, false}, {}, {"work_capacity_unclear"}},
      {"unanswered", {{0, 0, 0, 0, 0, 0}, "", false, false, false}, {}, {"work_capacity_missing"}},
  };
  const ProfileRules without{InDepthOfferRule{}, false};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const SuggestResult result = Suggest(DefaultRules(), without, OneAdult(c.input), 0);
    EXPECT_TRUE(result.problems.empty());
    ASSERT_EQ(result.suggestions.size(), 1u);
    const Suggestion& s = result.suggestions[0];
    EXPECT_EQ(s.category.am_level, AmLevel::kNone);
    EXPECT_EQ(s.category.r_kinds, c.r);
    EXPECT_EQ(AmRuleCode(s.explanation.am_rule), "no_am_module");
    EXPECT_TRUE(s.explanation.ratings.empty());
    EXPECT_FALSE(s.explanation.sum.has_value());
    std::vector<std::string> reasons;
    for (FurtherInvestigationReason r : s.explanation.further_investigation_reasons) {
      reasons.emplace_back(FurtherInvestigationReasonCode(r));
    }
    EXPECT_EQ(reasons, c.reasons);
    EXPECT_EQ(s.explanation.lines[0].en,
              "No AM level: no AM level can be suggested without the six AM ratings (the municipality's profile does "
              "not use the AM tool).");
  }
  // A rating out of range is a problem only where the ratings are read.
  Response bad = OneAdult({{4, 1, 1, 1, 1, 1}, "full", false, false, false});
  EXPECT_TRUE(Suggest(DefaultRules(), without, bad, 0).problems.empty());
  EXPECT_FALSE(Suggest(DefaultRules(), ProfileRules{}, bad, 0).problems.empty());
}

TEST(SuggestionRules, ThresholdsAreParameters) {
  RuleSet stricter = DefaultRules();
  stricter.am1_max_sum = 7;
  stricter.version = "test";
  const SuggestResult r = Suggest(stricter, ProfileRules{}, OneAdult({{1, 1, 1, 1, 2, 2}, "full", false, false, false}), 0);
  EXPECT_EQ(r.suggestions[0].category.am_level, AmLevel::kAm2);  // S = 8 is no longer AM1
}

}  // namespace
}  // namespace ix::core
