// Casework decisions over plain data: event ids and subjects, governing an occasion, a plan and
// its follow-up, histories, the in-depth offer that counts and a case's clock input.
#include <ix/core/casework/casework.hpp>
#include <ix/core/personnummer.hpp>

#include <gtest/gtest.h>

namespace ix::core {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }

Household AHousehold() {
  Household h;
  h.household_ref = "hh-1";
  h.municipality_code = "0181";
  h.persons = {{"p1", "19850312-1231", Sex::kFemale, "", HouseholdRole::kRegisterledare, false},
               {"p2", "19820721-4563", Sex::kMale, "1982-08-01", HouseholdRole::kMedsokande, false},
               {"c1", "20150105-2342", Sex::kFemale, "", HouseholdRole::kChild, false}};
  return h;
}

const Recording kRecording{"cw-7", "unit-3", "2024-03-04T10:00:00Z"};

Assessment Assessed(AssessmentView view, AmLevel level) {
  Assessment a;
  a.view = view;
  a.category.am_level = level;
  return a;
}

InterventionCatalogue Catalogue() {
  InterventionCatalogue c;
  c.id = "cat";
  c.version = "1";
  c.kinds = {{"job_search", {"", "Job search"}, InterventionOrientation::kWork, "arbetsformedlingen"}};
  c.actors = {{"arbetsformedlingen", {}}};
  return c;
}

Plan APlan() {
  Plan p;
  p.plan_id = "plan-1";
  p.established_on = D("2024-04-15");
  p.goals = {{"g1", "p1", "Ett jobb", {}}};
  p.interventions = {{"i1", "p1", "job_search", "g1", "", D("2024-05-01"), std::nullopt, KasOutcome::kUnspecified}};
  return p;
}

TEST(Events, IdsAreDeterministic) {
  EXPECT_EQ(CategorisationEventId("hh-1", "p1", "o1"), "hh-1/p1/categorisation/o1");
  EXPECT_EQ(InterventionEventId("hh-1", "p1", "i1", false), "hh-1/p1/intervention/i1");
  EXPECT_EQ(InterventionEventId("hh-1", "p1", "i1", true), "hh-1/p1/intervention/i1/ended");
}

TEST(Events, BirthDateFromTheRecordElseThePersonnummer) {
  const Household h = AHousehold();
  EXPECT_EQ(SubjectBirthDate(h.persons[0]), D("1985-03-12"));  // from the personnummer
  EXPECT_EQ(SubjectBirthDate(h.persons[1]), D("1982-08-01"));  // the recorded date wins
  Person unknown{"x", "not a number", Sex::kOther, "", HouseholdRole::kOtherAdult, false};
  EXPECT_FALSE(SubjectBirthDate(unknown).has_value());
  const Subject s = SubjectOf(h.persons[0]);
  EXPECT_EQ(s.birth_year, 1985);
  EXPECT_EQ(s.birth_month, 3);
  EXPECT_EQ(s.sex, Sex::kFemale);
}

TEST(Events, OnlyAdultsOfTheHousehold) {
  const Household h = AHousehold();
  EXPECT_FALSE(CheckAdult(h, "p2", "record.person_ref").has_value());
  const auto child = CheckAdult(h, "c1", "record.person_ref");
  ASSERT_TRUE(child.has_value());
  EXPECT_EQ(child->path, "record.person_ref");
  EXPECT_EQ(child->message.en, "'c1' is a child; only adults are categorised");
  EXPECT_EQ(CheckAdult(h, "p9", "x")->code, "unknown_person");
  EXPECT_EQ(AdultRefs(h), (std::vector<std::string>{"p1", "p2"}));
}

TEST(Casework, GoverningAnOccasionRecordsTheEffectiveCategory) {
  AssessmentOccasion o;
  o.occasion_id = "o1";
  o.person_ref = "p1";
  o.occasion = "first_visit";
  o.effective_date = D("2024-03-04");
  o.caseworker = Assessed(AssessmentView::kCaseworker, AmLevel::kAm3);
  o.client = Assessed(AssessmentView::kClient, AmLevel::kAm2);
  const GovernedOccasion g = GovernOccasion(AHousehold(), o, GoverningPolicy::kClient, GoverningFallback::kOtherView, kRecording, "record");
  ASSERT_TRUE(g.problems.empty());
  EXPECT_EQ(g.governed.effective->am_level, AmLevel::kAm2);
  ASSERT_TRUE(g.event.has_value());
  EXPECT_EQ(g.event->header.event_id, "hh-1/p1/categorisation/o1");
  EXPECT_EQ(g.event->header.municipality_code, "0181");
  EXPECT_EQ(g.event->header.effective_date, D("2024-03-04"));
  EXPECT_EQ(g.event->header.recorded_at, "2024-03-04T10:00:00Z");
  EXPECT_EQ(g.event->header.caseworker, "cw-7");
  EXPECT_EQ(g.event->header.subject.birth_year, 1985);
  EXPECT_EQ(g.event->governing_view, AssessmentView::kClient);
  EXPECT_EQ(g.event->occasion, "first_visit");

  // Only a suggestion: nothing is effective, nothing is recorded.
  o.caseworker.reset();
  o.client.reset();
  o.suggestion = Category{AmLevel::kAm1, {}, false, WorkCapacity::kFull};
  const GovernedOccasion none = GovernOccasion(AHousehold(), o, GoverningPolicy::kClient, GoverningFallback::kOtherView, kRecording, "record");
  EXPECT_FALSE(none.governed.effective.has_value());
  EXPECT_FALSE(none.event.has_value());
}

TEST(Casework, AnOccasionNamesEveryMissingField) {
  AssessmentOccasion o;
  o.person_ref = "c1";
  const GovernedOccasion g = GovernOccasion(AHousehold(), o, GoverningPolicy::kCaseworker, GoverningFallback::kOtherView, kRecording, "record");
  ASSERT_EQ(g.problems.size(), 4u);
  EXPECT_EQ(ProblemsText(g.problems),
            "record.person_ref: 'c1' is a child; only adults are categorised; record.occasion_id: missing; "
            "record.occasion: missing (first_visit, follow_up or recategorisation); record.effective_date: missing "
            "(YYYY-MM-DD)");
}

TEST(Casework, APlanRecordsEachInterventionAndSaysWhatItHolds) {
  const PlanOutcome out = EstablishPlan(AHousehold(), APlan(), Catalogue(), kRecording);
  ASSERT_TRUE(out.problems.empty()) << ProblemsText(out.problems);
  EXPECT_EQ(out.plan.interventions[0].responsible_actor, "arbetsformedlingen");
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].header.event_id, "hh-1/p1/intervention/i1");
  EXPECT_EQ(out.events[0].header.effective_date, D("2024-05-01"));
  EXPECT_EQ(out.events[0].orientation, InterventionOrientation::kWork);
  EXPECT_EQ(out.summary.en, "Plan plan-1: 1 goal(s), 1 intervention(s) from catalogue cat@1.");
  EXPECT_EQ(out.summary.sv, "Plan plan-1: 1 mål, 1 insats(er) ur katalogen cat@1.");

  Plan bad = APlan();
  bad.interventions[0].person_ref = "c1";
  EXPECT_EQ(EstablishPlan(AHousehold(), bad, Catalogue(), kRecording).problems[0].path,
            "plan.interventions[0].person_ref");
}

TEST(Casework, AFollowUpGovernsItsAssessmentAndEndsInterventions) {
  FollowUp f;
  f.follow_up_id = "f1";
  f.person_ref = "p1";
  f.date = D("2024-10-15");
  f.outcome = KasOutcome::kSubsidisedWork;
  f.ended_intervention_ids = {"i1"};
  f.caseworker = Assessed(AssessmentView::kUnspecified, AmLevel::kAm2);
  const FollowUpOutcome out =
      RecordFollowUp(AHousehold(), APlan(), f, GoverningPolicy::kCaseworker, GoverningFallback::kOtherView, Catalogue(), kRecording);
  ASSERT_TRUE(out.problems.empty()) << ProblemsText(out.problems);
  EXPECT_EQ(out.record.occasion, "follow_up");
  EXPECT_EQ(out.record.occasion_id, "f1");
  EXPECT_EQ(out.record.caseworker->view, AssessmentView::kCaseworker);
  EXPECT_FALSE(out.record.client.has_value());
  ASSERT_TRUE(out.governed.event.has_value());
  EXPECT_EQ(out.governed.event->header.event_id, "hh-1/p1/categorisation/f1");
  EXPECT_EQ(out.governed.event->header.effective_date, D("2024-10-15"));
  ASSERT_EQ(out.ended.size(), 1u);
  EXPECT_EQ(out.ended[0].header.event_id, "hh-1/p1/intervention/i1/ended");
  EXPECT_EQ(out.ended[0].header.effective_date, D("2024-10-15"));
  EXPECT_EQ(out.ended[0].outcome, KasOutcome::kSubsidisedWork);
  EXPECT_EQ(out.plan.interventions[0].end_date, D("2024-10-15"));
  EXPECT_EQ(out.lines, out.governed.governed.lines);

  f.caseworker.reset();
  const FollowUpOutcome none =
      RecordFollowUp(AHousehold(), APlan(), f, GoverningPolicy::kCaseworker, GoverningFallback::kOtherView, Catalogue(), kRecording);
  ASSERT_EQ(none.problems.size(), 1u);
  EXPECT_EQ(none.problems[0].path, "follow_up");
}

CategorisationEvent Categorised(const std::string& personnummer, const char* date, AmLevel level,
                                const std::string& occasion) {
  CategorisationEvent e;
  e.header.subject.personnummer = personnummer;
  e.header.effective_date = D(date);
  e.header.event_id = personnummer + "/" + date;
  e.category.am_level = level;
  e.occasion = occasion;
  return e;
}

TEST(Casework, HistoriesMatchEventsByPersonnummer) {
  const std::vector<CategorisationEvent> events = {
      Categorised("198503121231", "2024-03-04", AmLevel::kAm3, "first_visit"),  // p1, written without a dash
      Categorised("19850312-1231", "2024-10-15", AmLevel::kAm2, "follow_up"),
      Categorised("19990101-0000", "2024-05-01", AmLevel::kAm1, "first_visit"),  // someone else
  };
  const HistoryOutcome all = BuildHistories(AHousehold(), events, "", D("2024-06-01"));
  ASSERT_TRUE(all.problems.empty());
  ASSERT_EQ(all.persons.size(), 2u);  // the adults
  EXPECT_EQ(all.persons[0].entries.size(), 2u);
  EXPECT_EQ(all.persons[0].follow_up_recategorisations, 1);
  EXPECT_EQ(all.persons[0].at_date->category.am_level, AmLevel::kAm3);
  EXPECT_TRUE(all.persons[1].entries.empty());
  EXPECT_FALSE(all.persons[1].at_date.has_value());

  EXPECT_EQ(BuildHistories(AHousehold(), events, "p2", D("2024-06-01")).persons.size(), 1u);
  EXPECT_EQ(BuildHistories(AHousehold(), events, "c1", D("2024-06-01")).problems[0].path, "person_ref");
}

TEST(Casework, TheLatestInDepthOfferUpToTheDateCounts) {
  const std::vector<InDepthOffer> offers = {{"p1", D("2024-02-01")}, {"p1", D("2024-05-01")}, {"p1", D("2024-09-01")},
                                            {"p2", D("2024-06-01")}, {"p1", std::nullopt}};
  EXPECT_EQ(InDepthOfferedOn(offers, "p1", D("2024-06-30")), D("2024-05-01"));
  EXPECT_EQ(InDepthOfferedOn(offers, "p1", D("2024-05-01")), D("2024-05-01"));
  EXPECT_FALSE(InDepthOfferedOn(offers, "p1", D("2024-01-01")).has_value());
  EXPECT_FALSE(InDepthOfferedOn(offers, "p3", D("2024-12-31")).has_value());
}

TEST(Casework, ClockInputTakesTheCategoryInForceAndTheProfilesParameters) {
  CaseFile file;
  file.household = AHousehold();
  file.caseworker = "cw-7";
  file.first_visit_on = D("2024-03-04");
  file.events = {Categorised("19850312-1231", "2024-03-04", AmLevel::kAm1, "first_visit")};
  file.in_depth_offers = {{"p1", D("2024-04-01")}};
  MunicipalityProfile profile;
  profile.clocks = clocks::DefaultProfileClocks();
  profile.clocks[2].amount = 4;
  const clocks::CaseClockInput in = ClockInputOf(file, profile, D("2024-06-01"));
  EXPECT_EQ(in.household_ref, "hh-1");
  ASSERT_EQ(in.clocks->size(), 4u);
  EXPECT_EQ((*in.clocks)[2].name, "am1_review");
  EXPECT_EQ((*in.clocks)[2].amount, 4);
  ASSERT_EQ(in.adults.size(), 2u);
  EXPECT_EQ(in.adults[0].category->am_level, AmLevel::kAm1);
  EXPECT_EQ(in.adults[0].categorised_on, D("2024-03-04"));
  EXPECT_EQ(in.adults[0].in_depth_offered_on, D("2024-04-01"));
  EXPECT_FALSE(in.adults[1].category.has_value());
}

TEST(Casework, ACaseloadRunsEachCaseUnderItsOwnProfile) {
  CaseFile file;
  file.household = AHousehold();
  file.caseworker = "cw-7";
  file.first_visit_on = D("2024-03-04");
  MunicipalityProfile three_months;
  three_months.clocks = clocks::DefaultProfileClocks();
  ASSERT_EQ(three_months.clocks[1].name, "action_plan");
  three_months.clocks[1].amount = 3;
  MunicipalityProfile one_month = three_months;
  one_month.clocks[1].amount = 1;
  CaseFile other = file;
  other.household.household_ref = "hh-2";
  other.caseworker = "cw-8";
  const auto items = CaseloadOf({{file, three_months}, {other, one_month}}, D("2024-04-10"), "", false);
  std::vector<std::string> action_plans;
  for (const clocks::DueItem& i : items) {
    if (i.clock == "action_plan") action_plans.push_back(i.household_ref + " " + FormatIsoDate(i.due_on));
  }
  // Overdue first: hh-2's plan was due a month after the visit.
  EXPECT_EQ(action_plans, (std::vector<std::string>{"hh-2 2024-04-04", "hh-1 2024-06-04"}));
  EXPECT_TRUE(CaseloadOf({{file, three_months}, {other, one_month}}, D("2024-04-10"), "cw-9", false).empty());
}

TEST(Profiles, TheDefaultWhenNoneIsNamed) {
  std::vector<MunicipalityProfile> profiles(2);
  profiles[0].id = "client-governs";
  profiles[0].rule_set_id = "rules";
  profiles[0].rule_set_version = "1";
  profiles[1].id = "default";
  profiles[1].is_default = true;
  profiles[1].rule_set_id = "rules";
  profiles[1].rule_set_version = "2";
  EXPECT_EQ(FindProfile(profiles, "")->id, "default");
  EXPECT_EQ(FindProfile(profiles, "client-governs")->id, "client-governs");
  EXPECT_EQ(FindProfile(profiles, "nowhere"), nullptr);
  EXPECT_EQ(ProfileIds(profiles), "client-governs, default");
  EXPECT_TRUE(CheckProfiles(profiles, {"rules@1", "rules@2"}).empty());
  const auto problems = CheckProfiles(profiles, {"rules@1"});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "profiles[1]");
  EXPECT_EQ(problems[0].message.en, "profile default names rule set rules@2, which is not embedded");
}

TEST(Profiles, DurAsiMonthsAreChecked) {
  // The DUR/ASI months are the amount of the profile's DUR/ASI clock, checked on load.
  std::vector<clocks::ClockText> texts = clocks::DefaultProfileClockTexts();
  ASSERT_EQ(texts[3].done, "in_depth_offered");
  for (const int months : {1, 6, 600}) {
    texts[3].amount = months;
    const auto compiled = clocks::CompileClocks(texts, "profiles[0].clocks");
    EXPECT_TRUE(compiled.problems.empty()) << months;
    EXPECT_EQ(clocks::InDepthOfferOf(compiled.clocks).more_than_months, months);
  }
  for (const int months : {0, -3, 601}) {
    texts[3].amount = months;
    const auto compiled = clocks::CompileClocks(texts, "profiles[0].clocks");
    EXPECT_EQ(ProblemsText(compiled.problems),
              "profiles[0].clocks[3].amount: " + std::to_string(months) + ", must be 1-600 months");
    EXPECT_TRUE(compiled.clocks.empty());
  }
}

}  // namespace
}  // namespace ix::core
