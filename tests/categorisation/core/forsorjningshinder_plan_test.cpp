// Försörjningshinder mapping from part 1 (a data table), and plan / follow-up checks.
#include <ix/core/forsorjningshinder/forsorjningshinder.hpp>
#include <ix/core/personnummer.hpp>
#include <ix/core/plan/plan.hpp>

#include <gtest/gtest.h>

namespace ix::core {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }

// A subset of the shipped table, enough to exercise every kind of condition.
ForsorjningshinderTable Table() {
  ForsorjningshinderTable t;
  t.id = "test";
  t.version = "1";
  for (const char* code : {"lacks_childcare", "upper_secondary_18_20", "unemployed_no_benefit",
                           "unemployed_insufficient_benefit", "establishment_insufficient_benefit",
                           "sick_certificate_awaiting_benefit", "social_reasons", "full_time_insufficient_income",
                           "part_time_insufficient_income", "parental_insufficient_benefit", "no_obstacle"}) {
    t.categories.push_back({code, {code, code}, ""});
  }
  auto current = [](std::vector<std::string> codes) { return AnswerCondition{"occupation.current", std::move(codes), std::nullopt, false}; };
  auto benefit = [](std::vector<std::string> codes) { return AnswerCondition{"occupation.benefit_status", std::move(codes), std::nullopt, false}; };
  auto flag = [](const char* item, bool v) { return AnswerCondition{item, {}, v, false}; };
  t.rules = {
      {{flag("occupation.lacks_childcare", true)}, std::nullopt, std::nullopt, "lacks_childcare"},
      {{current({"studying"})}, 18, 20, "upper_secondary_18_20"},
      {{current({"unemployed"}), benefit({"none"})}, std::nullopt, std::nullopt, "unemployed_no_benefit"},
      {{current({"unemployed"}), benefit({"insufficient"})}, std::nullopt, std::nullopt, "unemployed_insufficient_benefit"},
      {{current({"unemployed"}), benefit({"establishment"})}, std::nullopt, std::nullopt, "establishment_insufficient_benefit"},
      {{current({"sick_listed"}), flag("occupation.sick_certificate", true), benefit({"awaiting"})}, std::nullopt, std::nullopt, "sick_certificate_awaiting_benefit"},
      {{current({"sick_listed"}), flag("occupation.sick_certificate", false)}, std::nullopt, std::nullopt, "social_reasons"},
      {{current({"employed_full"})}, std::nullopt, std::nullopt, "full_time_insufficient_income"},
      {{current({"employed_part"})}, std::nullopt, std::nullopt, "part_time_insufficient_income"},
      {{current({"parental_leave"}), benefit({"insufficient"})}, std::nullopt, std::nullopt, "parental_insufficient_benefit"},
  };
  return t;
}

struct FhCase {
  const char* name;
  const char* birth_date;
  std::vector<Answer> answers;
  const char* code;
  int rule;
};

TEST(Forsorjningshinder, MappingCases) {
  const FhCase cases[] = {
      {"unemployed_none", "1985-01-01", {{"occupation.current", "p1", Code{"unemployed"}}, {"occupation.benefit_status", "p1", Code{"none"}}}, "unemployed_no_benefit", 2},
      {"unemployed_insufficient", "1985-01-01", {{"occupation.current", "p1", Code{"unemployed"}}, {"occupation.benefit_status", "p1", Code{"insufficient"}}}, "unemployed_insufficient_benefit", 3},
      {"establishment", "1985-01-01", {{"occupation.current", "p1", Code{"unemployed"}}, {"occupation.benefit_status", "p1", Code{"establishment"}}}, "establishment_insufficient_benefit", 4},
      {"sick_with_certificate", "1985-01-01", {{"occupation.current", "p1", Code{"sick_listed"}}, {"occupation.sick_certificate", "p1", true}, {"occupation.benefit_status", "p1", Code{"awaiting"}}}, "sick_certificate_awaiting_benefit", 5},
      {"sick_without_certificate", "1985-01-01", {{"occupation.current", "p1", Code{"sick_listed"}}, {"occupation.sick_certificate", "p1", false}}, "social_reasons", 6},
      {"full_time", "1985-01-01", {{"occupation.current", "p1", Code{"employed_full"}}}, "full_time_insufficient_income", 7},
      {"part_time", "1985-01-01", {{"occupation.current", "p1", Code{"employed_part"}}}, "part_time_insufficient_income", 8},
      {"parental", "1985-01-01", {{"occupation.current", "p1", Code{"parental_leave"}}, {"occupation.benefit_status", "p1", Code{"insufficient"}}}, "parental_insufficient_benefit", 9},
      {"childcare_first", "1985-01-01", {{"occupation.current", "p1", Code{"unemployed"}}, {"occupation.benefit_status", "p1", Code{"none"}}, {"occupation.lacks_childcare", "p1", true}}, "lacks_childcare", 0},
      {"student_19", "2005-06-30", {{"occupation.current", "p1", Code{"studying"}}}, "upper_secondary_18_20", 1},
      {"student_21_no_match", "2003-06-30", {{"occupation.current", "p1", Code{"studying"}}}, "", -1},
      {"student_20_last_day", "2004-07-01", {{"occupation.current", "p1", Code{"studying"}}}, "upper_secondary_18_20", 1},
      {"nothing_answered", "1985-01-01", {}, "", -1},
      {"other_person_answers_ignored", "1985-01-01", {{"occupation.current", "p2", Code{"employed_full"}}}, "", -1},
  };
  for (const FhCase& c : cases) {
    SCOPED_TRACE(c.name);
    Response r;
    r.household.persons = {{"p1", "", Sex::kFemale, c.birth_date, HouseholdRole::kRegisterledare, false}};
    r.answers = c.answers;
    const auto s = SuggestForsorjningshinder(Table(), r, D("2024-06-30"));
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].code, c.code);
    EXPECT_EQ(s[0].rule_index, c.rule);
  }
}

TEST(Forsorjningshinder, FallbackAndTableChecks) {
  ForsorjningshinderTable t = Table();
  t.fallback_code = "no_obstacle";
  Response r;
  r.household.persons = {{"p1", "", Sex::kMale, "1980-01-01", HouseholdRole::kRegisterledare, false}};
  EXPECT_EQ(SuggestForsorjningshinder(t, r, D("2024-01-01"))[0].code, "no_obstacle");
  EXPECT_TRUE(CheckForsorjningshinderTable(t).empty());
  t.rules[0].code = "typo";
  ASSERT_EQ(CheckForsorjningshinderTable(t).size(), 1u);
  EXPECT_EQ(CheckForsorjningshinderTable(t)[0].path, "rules[0].code");
  EXPECT_EQ(CheckForsorjningshinderTable(t)[0].message.en, "'typo' is not a category of the table");
}

InterventionCatalogue Catalogue() {
  InterventionCatalogue c;
  c.id = "cat";
  c.version = "1";
  c.kinds = {{"job_search", {"", "Job search"}, InterventionOrientation::kWork, "arbetsformedlingen"},
             {"cbt_consultant", {"", "CBT"}, InterventionOrientation::kRehabilitative, "municipality"}};
  c.actors = {{"municipality", {}}, {"arbetsformedlingen", {}}, {"region", {}}};
  return c;
}

Plan APlan() {
  Plan p;
  p.plan_id = "plan-1";
  p.established_on = D("2024-04-15");
  p.goals = {{"g1", "p1", "Jag vill ha ett jobb inom vården", {{"g1.1", "Ta körkort"}}}};
  p.interventions = {{"i1", "p1", "cbt_consultant", "g1", "", D("2024-04-20"), std::nullopt, KasOutcome::kUnspecified},
                     {"i2", "p1", "job_search", "g1", "arbetsformedlingen", D("2024-05-01"), D("2024-12-31"), KasOutcome::kUnspecified}};
  return p;
}

TEST(Plan, ChecksAgainstCatalogueAndFillsDefaultActor) {
  Plan p = APlan();
  EXPECT_TRUE(CheckPlan(p, Catalogue(), {"p1", "p2"}).empty());
  EXPECT_EQ(p.interventions[0].responsible_actor, "municipality");
  Plan bad = APlan();
  bad.interventions[0].kind = "yoga";
  bad.interventions[1].person_ref = "c1";
  bad.interventions[1].end_date = D("2024-01-01");
  bad.goals[0].text.clear();
  const auto errors = CheckPlan(bad, Catalogue(), {"p1", "p2"});
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].path, "plan.goals[0].text");
  EXPECT_EQ(errors[1].path, "plan.interventions[0].kind");
  EXPECT_EQ(errors[1].message.en, "'yoga' is not in catalogue cat (known: job_search, cbt_consultant)");
  EXPECT_EQ(errors[2].path, "plan.interventions[1].person_ref");
  EXPECT_EQ(errors[3].path, "plan.interventions[1].end_date");
}

TEST(Plan, FollowUpEndsInterventionsWithOutcome) {
  Plan p = APlan();
  FollowUp f;
  f.follow_up_id = "f1";
  f.person_ref = "p1";
  f.date = D("2024-10-15");
  f.goals = {{"g1", GoalProgress::kInProgress, "Har börjat söka"}};
  f.outcome = KasOutcome::kSubsidisedWork;
  f.ended_intervention_ids = {"i2"};
  EXPECT_TRUE(ApplyFollowUp(f, p).empty());
  EXPECT_EQ(p.interventions[1].end_date, D("2024-10-15"));  // ended earlier than planned
  EXPECT_EQ(p.interventions[1].outcome, KasOutcome::kSubsidisedWork);
  EXPECT_FALSE(p.interventions[0].end_date.has_value());

  FollowUp bad = f;
  bad.ended_intervention_ids = {"i9"};
  bad.goals = {{"g7", GoalProgress::kAchieved, ""}};
  bad.outcome = KasOutcome::kUnspecified;
  Plan before = APlan();
  const auto errors = ApplyFollowUp(bad, before);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "follow_up.goals[0].goal_id");
  EXPECT_EQ(errors[1].path, "follow_up.ended_intervention_ids[0]");
}

}  // namespace
}  // namespace ix::core
