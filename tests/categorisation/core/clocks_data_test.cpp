// Clocks as data: a profile's list of clocks compiled and checked on load (every refusal names
// the field and the value), the examples of Salem and Södertälje, the boundaries of each unit
// (exactly N vs N+1 working days across holidays, weeks, month ends), a clock switched off and
// the DUR/ASI clock read by the suggestions. Dates worked out by hand against the Swedish
// calendar.
#include <ix/core/calendar/calendar.hpp>
#include <ix/core/casework/profile.hpp>
#include <ix/core/clocks/clocks.hpp>
#include <ix/core/personnummer.hpp>

#include "rules_fixture.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>

namespace ix::core::clocks {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }
std::string S(const Date& d) { return FormatIsoDate(d); }

ClockText Text(std::string name, std::string start, int64_t amount, std::string unit, std::vector<std::string> conditions,
               std::string done) {
  return {std::move(name), {"etikett", "label"}, std::move(start), amount, std::move(unit), std::move(conditions),
          std::move(done), true};
}

// The three clocks of the shipped municipal-examples profile beyond the default four, as its
// file states them (the ABI test reads the same values back from the embedded profile).
std::vector<ClockText> ExampleTexts() {
  return {Text("form_returned", "form_sent", 2, "weeks", {}, "form_returned"),
          Text("intervention_meeting", "first_visit", 3, "weeks", {}, "intervention_meeting"),
          Text("am2_long_intervention", "intervention_start", 6, "months", {"category_am2"}, "intervention_ended")};
}

Clocks Compiled(const std::vector<ClockText>& texts) {
  CompiledClocks c = CompileClocks(texts, "profiles[0].clocks");
  EXPECT_TRUE(c.problems.empty()) << ProblemsText(c.problems);
  return c.clocks;
}

Category Am(AmLevel level) {
  Category c;
  c.am_level = level;
  return c;
}

std::vector<DueItem> Named(const std::vector<DueItem>& items, const std::string& clock) {
  std::vector<DueItem> out;
  for (const DueItem& i : items) {
    if (i.clock == clock) out.push_back(i);
  }
  return out;
}

TEST(ClocksData, TheDefaultProfilesFourClocks) {
  const Clocks& clocks = DefaultProfileClocks();
  ASSERT_EQ(clocks.size(), 4u);
  EXPECT_EQ(clocks[0].name, "decision");
  EXPECT_EQ(clocks[0].unit, DurationUnit::kWorkingDays);
  EXPECT_EQ(clocks[0].amount, 10);
  EXPECT_EQ(clocks[1].name, "action_plan");
  EXPECT_EQ(clocks[2].name, "am1_review");
  EXPECT_EQ(clocks[2].conditions, (std::vector<Condition>{Condition::kCategoryAm1, Condition::kOnAssistance}));
  EXPECT_EQ(clocks[3].name, "in_depth_offer");
  const InDepthOfferRule rule = InDepthOfferOf(clocks);
  EXPECT_TRUE(rule.on);
  EXPECT_EQ(rule.more_than_months, 6);
  EXPECT_FALSE(rule.only_am3_or_rh);
}

// Every field the format accepts, refused precisely: path, and the value in the message.
TEST(ClocksData, HostileProfilesAreRefusedNamingFieldAndValue) {
  struct Case {
    const char* name;
    std::function<void(std::vector<ClockText>&)> change;
    const char* expected;
  };
  const Case cases[] = {
      {"unknown_start", [](auto& t) { t[0].start = "application_recieved"; },
       "profiles[0].clocks[0].start: 'application_recieved' is not a start event (known: application_complete, "
       "first_visit, form_sent, categorised, assistance_run, intervention_start)"},
      {"empty_start", [](auto& t) { t[1].start = ""; },
       "profiles[0].clocks[1].start: '' is not a start event (known: application_complete, first_visit, form_sent, "
       "categorised, assistance_run, intervention_start)"},
      {"unknown_unit", [](auto& t) { t[0].unit = "days"; },
       "profiles[0].clocks[0].unit: 'days' is not a unit (known: working_days, weeks, months)"},
      {"zero_amount", [](auto& t) { t[0].amount = 0; }, "profiles[0].clocks[0].amount: 0, must be 1-250 working_days"},
      {"working_days_251", [](auto& t) { t[0].amount = 251; },
       "profiles[0].clocks[0].amount: 251, must be 1-250 working_days"},
      {"weeks_105", [](auto& t) { t[4].amount = 105; }, "profiles[0].clocks[4].amount: 105, must be 1-104 weeks"},
      {"huge_amount", [](auto& t) { t[1].amount = int64_t{1} << 40; },
       "profiles[0].clocks[1].amount: 1099511627776, must be 1-600 months"},
      {"unknown_condition", [](auto& t) { t[2].conditions = {"category_am4"}; },
       "profiles[0].clocks[2].conditions[0]: 'category_am4' is not a condition (known: on_assistance, category_am1, "
       "category_am2, category_am3, category_rh, category_am3_or_rh)"},
      {"repeated_condition", [](auto& t) { t[2].conditions = {"on_assistance", "on_assistance"}; },
       "profiles[0].clocks[2].conditions[1]: 'on_assistance' is stated twice"},
      {"category_on_household", [](auto& t) { t[0].conditions = {"category_am2"}; },
       "profiles[0].clocks[0].conditions[0]: 'category_am2' needs an adult, and start 'application_complete' is a "
       "household event (use categorised, assistance_run or intervention_start)"},
      {"too_many_conditions",
       [](auto& t) { t[2].conditions = std::vector<std::string>(7, "on_assistance"); },
       "profiles[0].clocks[2].conditions: 7 conditions, at most 6"},
      {"unknown_done", [](auto& t) { t[0].done = "decision"; },
       "profiles[0].clocks[0].done: 'decision' is not a done event (known: none, decided, action_plan, form_returned, "
       "intervention_meeting, in_depth_offered, intervention_ended)"},
      {"ended_without_intervention", [](auto& t) { t[5].done = "intervention_ended"; },
       "profiles[0].clocks[5].done: 'intervention_ended' needs start 'intervention_start', not 'first_visit'"},
      {"dur_asi_in_weeks", [](auto& t) { t[3].unit = "weeks"; },
       "profiles[0].clocks[3].done: 'in_depth_offered' (the DUR/ASI offer) needs start 'assistance_run', unit 'months' "
       "and no condition but on_assistance or category_am3_or_rh"},
      {"dur_asi_for_am2", [](auto& t) { t[3].conditions = {"category_am2"}; },
       "profiles[0].clocks[3].done: 'in_depth_offered' (the DUR/ASI offer) needs start 'assistance_run', unit 'months' "
       "and no condition but on_assistance or category_am3_or_rh"},
      {"two_dur_asi", [](auto& t) { t.push_back(t[3]); t.back().name = "second"; },
       "profiles[0].clocks[7].done: a second 'in_depth_offered' clock (one DUR/ASI rule per profile)"},
      {"on_unstated", [](auto& t) { t[6].on.reset(); }, "profiles[0].clocks[6].on: missing (state true or false)"},
      {"repeated_name", [](auto& t) { t[5].name = "decision"; },
       "profiles[0].clocks[5].name: 'decision' repeats clocks[0]"},
      {"name_with_space", [](auto& t) { t[0].name = "the decision"; },
       "profiles[0].clocks[0].name: 'the decision' is not a clock name: 1-40 characters a-z, 0-9 or _, starting with "
       "a letter"},
      {"long_name", [](auto& t) { t[0].name = std::string(41, 'a'); },
       "profiles[0].clocks[0].name: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not a clock name: 1-40 characters "
       "a-z, 0-9 or _, starting with a letter"},
      {"huge_value_quoted_bounded", [](auto& t) { t[0].start = std::string(100000, 'x'); },
       "profiles[0].clocks[0].start: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is not a start "
       "event (known: application_complete, first_visit, form_sent, categorised, assistance_run, intervention_start)"},
      {"label_missing", [](auto& t) { t[0].label.en.clear(); },
       "profiles[0].clocks[0].label.en: missing (every clock has a label in sv and en)"},
      {"label_too_long", [](auto& t) { t[0].label.sv = std::string(201, 'x'); },
       "profiles[0].clocks[0].label.sv: 201 bytes, at most 200"},
      {"too_many_clocks", [](auto& t) { t.resize(33, t[0]); }, "profiles[0].clocks: 33 clocks, at most 32"},
  };
  std::vector<ClockText> good = DefaultProfileClockTexts();
  for (const ClockText& t : ExampleTexts()) good.push_back(t);
  ASSERT_EQ(good.size(), 7u);
  EXPECT_TRUE(CompileClocks(good, "profiles[0].clocks").problems.empty());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<ClockText> texts = good;
    c.change(texts);
    const CompiledClocks compiled = CompileClocks(texts, "profiles[0].clocks");
    EXPECT_EQ(ProblemsText(compiled.problems), c.expected);
    EXPECT_TRUE(compiled.clocks.empty());  // nothing of a refused list is used
  }
}

// Salem: the application form and Instrument X are sent home and are to be back within two
// weeks. Exactly 14 days is in time, the 15th day late.
TEST(ClocksData, SalemFormReturnedWithinTwoWeeks) {
  const Clocks clocks = Compiled(ExampleTexts());
  struct Case {
    const char* sent;
    const char* returned;  // "" = not yet
    const char* as_of;
    const char* due;
    DueStatus status;
    bool late;
  };
  const Case cases[] = {
      {"2024-03-01", "2024-03-15", "2024-03-20", "2024-03-15", DueStatus::kDone, false},  // exactly 2 weeks
      {"2024-03-01", "2024-03-16", "2024-03-20", "2024-03-15", DueStatus::kDone, true},   // one day more
      {"2024-03-01", "", "2024-03-15", "2024-03-15", DueStatus::kDueToday, false},
      {"2024-03-01", "", "2024-03-16", "2024-03-15", DueStatus::kOverdue, false},
      {"2024-03-01", "2024-02-20", "2024-03-10", "2024-03-15", DueStatus::kUpcoming, false},  // an older form
      {"2024-12-20", "", "2024-12-30", "2025-01-03", DueStatus::kUpcoming, false},  // calendar weeks: holidays count
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.sent) + " " + c.returned + " " + c.as_of);
    CaseClockInput in;
    in.household_ref = "h1";
    in.form_sent_on = D(c.sent);
    if (*c.returned) in.form_returned_on = D(c.returned);
    const auto items = Named(DueItems(in, clocks, D(c.as_of)), "form_returned");
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(S(items[0].due_on), c.due);
    EXPECT_EQ(items[0].status, c.status);
    EXPECT_EQ(items[0].done_late, c.late);
    EXPECT_EQ(items[0].explanation.en, "label: due 2 weeks after the form was sent (" + std::string(c.sent) + ")");
  }
  // No form sent: no clock.
  EXPECT_TRUE(DueItems(CaseClockInput{}, clocks, D("2024-03-20")).empty());
}

// Södertälje: three weeks of mapping at FIA, then (or earlier) the intervention meeting.
TEST(ClocksData, SodertaljeInterventionMeetingAfterThreeWeeks) {
  const Clocks clocks = Compiled(ExampleTexts());
  CaseClockInput in;
  in.household_ref = "h1";
  in.first_visit_on = D("2024-05-27");
  // 27 May + 21 days = 17 June (National Day on 6 June does not matter to calendar weeks).
  auto item = Named(DueItems(in, clocks, D("2024-06-17")), "intervention_meeting");
  ASSERT_EQ(item.size(), 1u);
  EXPECT_EQ(S(item[0].due_on), "2024-06-17");
  EXPECT_EQ(item[0].status, DueStatus::kDueToday);
  in.intervention_meeting_on = D("2024-06-10");  // earlier: fine
  item = Named(DueItems(in, clocks, D("2024-06-20")), "intervention_meeting");
  EXPECT_EQ(item[0].status, DueStatus::kDone);
  EXPECT_FALSE(item[0].done_late);
  in.intervention_meeting_on = D("2024-06-18");
  item = Named(DueItems(in, clocks, D("2024-06-20")), "intervention_meeting");
  EXPECT_TRUE(item[0].done_late);
  EXPECT_EQ(item[0].days_overdue, 1);
}

// Södertälje: AM2 needs shorter interventions (under six months); one that runs longer is
// flagged. Only AM2, one item per intervention, month ends clamped.
TEST(ClocksData, Am2InterventionsLongerThanSixMonthsAreFlagged) {
  const Clocks clocks = Compiled(ExampleTexts());
  struct Case {
    const char* name;
    AmLevel level;
    const char* start;
    const char* end;  // "" = still running
    const char* as_of;
    int items;
    const char* due;
    DueStatus status;
  };
  const Case cases[] = {
      {"running_past_six_months", AmLevel::kAm2, "2024-01-15", "", "2024-07-16", 1, "2024-07-15", DueStatus::kOverdue},
      {"exactly_six_months_is_the_due_day", AmLevel::kAm2, "2024-01-15", "", "2024-07-15", 1, "2024-07-15",
       DueStatus::kDueToday},
      {"ended_within", AmLevel::kAm2, "2024-01-15", "2024-07-14", "2024-08-01", 1, "2024-07-15", DueStatus::kDone},
      {"ended_later_is_done_late", AmLevel::kAm2, "2024-01-15", "2024-07-20", "2024-08-01", 1, "2024-07-15",
       DueStatus::kDone},
      {"planned_end_in_the_future_is_not_done", AmLevel::kAm2, "2024-01-15", "2024-12-31", "2024-08-01", 1,
       "2024-07-15", DueStatus::kOverdue},
      {"month_end_clamped", AmLevel::kAm2, "2024-08-31", "", "2025-03-01", 1, "2025-02-28", DueStatus::kOverdue},
      {"leap_day", AmLevel::kAm2, "2023-08-31", "", "2024-02-29", 1, "2024-02-29", DueStatus::kDueToday},
      {"not_started_yet", AmLevel::kAm2, "2024-09-01", "", "2024-08-01", 0, "", DueStatus::kUpcoming},
      {"am1_not_flagged", AmLevel::kAm1, "2024-01-15", "", "2024-08-01", 0, "", DueStatus::kUpcoming},
      {"am3_not_flagged", AmLevel::kAm3, "2024-01-15", "", "2024-08-01", 0, "", DueStatus::kUpcoming},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    CaseClockInput in;
    in.household_ref = "h1";
    PersonClockInput adult{"p1", Am(c.level), D("2024-01-01"), std::nullopt, {}};
    adult.interventions.push_back({D(c.start), *c.end ? std::optional(D(c.end)) : std::nullopt});
    in.adults = {adult};
    const auto items = Named(DueItems(in, clocks, D(c.as_of)), "am2_long_intervention");
    ASSERT_EQ(static_cast<int>(items.size()), c.items);
    if (c.items == 0) continue;
    EXPECT_EQ(items[0].person_ref, "p1");
    EXPECT_EQ(S(items[0].started_on), c.start);
    EXPECT_EQ(S(items[0].due_on), c.due);
    EXPECT_EQ(items[0].status, c.status);
  }
  // Two interventions of one adult: two items; an adult without a category: none.
  CaseClockInput in;
  PersonClockInput adult{"p1", Am(AmLevel::kAm2), D("2024-01-01"), std::nullopt, {}};
  adult.interventions = {{D("2024-01-15"), std::nullopt}, {D("2024-03-01"), std::nullopt}, {std::nullopt, std::nullopt}};
  PersonClockInput uncategorised = adult;
  uncategorised.person_ref = "p2";
  uncategorised.category.reset();
  in.adults = {adult, uncategorised};
  EXPECT_EQ(Named(DueItems(in, clocks, D("2024-10-01")), "am2_long_intervention").size(), 2u);
}

// Working days: exactly N vs N+1 across Swedish holidays, for the decision clock of the data.
TEST(ClocksData, WorkingDaysAcrossHolidays) {
  struct Case {
    const char* complete;
    int n;
    const char* due;  // the N-th working day after
  };
  const Case cases[] = {
      {"2024-12-20", 10, "2025-01-13"},  // Christmas Eve, Christmas, Boxing Day, New Year's Eve/Day, Epiphany
      {"2024-12-20", 11, "2025-01-14"},
      {"2025-04-17", 1, "2025-04-22"},   // Good Friday 18, Easter Monday 21 April
      {"2025-04-17", 2, "2025-04-23"},
      {"2025-06-05", 1, "2025-06-09"},   // National Day Fri 6 June
      {"2025-06-19", 1, "2025-06-23"},   // Midsummer Eve Fri 20 June
      {"2025-05-28", 1, "2025-05-30"},   // Ascension Day Thu 29 May
      {"2024-04-30", 1, "2024-05-02"},   // 1 May
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.complete) + " + " + std::to_string(c.n));
    std::vector<ClockText> texts = {Text("decision", "application_complete", c.n, "working_days", {}, "decided")};
    const Clocks clocks = Compiled(texts);
    CaseClockInput in;
    in.application_complete_on = D(c.complete);
    const Date due = D(c.due);
    // On the due day: due today; decided that day: in time; the next calendar day: late.
    auto items = DueItems(in, clocks, due);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(S(items[0].due_on), c.due);
    EXPECT_EQ(items[0].status, DueStatus::kDueToday);
    in.decided_on = due;
    EXPECT_FALSE(DueItems(in, clocks, due)[0].done_late);
    in.decided_on = calendar::AddDays(due, 1);
    EXPECT_TRUE(DueItems(in, clocks, calendar::AddDays(due, 1))[0].done_late);
  }
}

// Months: the same day N months on, clamped to the month's last day.
TEST(ClocksData, MonthEnds) {
  struct Case {
    const char* visit;
    int months;
    const char* due;
  };
  const Case cases[] = {
      {"2024-01-31", 1, "2024-02-29"}, {"2025-01-31", 1, "2025-02-28"}, {"2024-11-30", 3, "2025-02-28"},
      {"2024-03-31", 3, "2024-06-30"}, {"2024-02-29", 12, "2025-02-28"}, {"2024-12-31", 2, "2025-02-28"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.visit);
    const Clocks clocks = Compiled({Text("action_plan", "first_visit", c.months, "months", {}, "action_plan")});
    CaseClockInput in;
    in.first_visit_on = D(c.visit);
    EXPECT_EQ(S(DueItems(in, clocks, D(c.visit))[0].due_on), c.due);
  }
}

// A clock switched off gives no item; switching off the DUR/ASI clock also ends the flag on
// suggestions, because both read the same clock.
TEST(ClocksData, AClockSwitchedOff) {
  std::vector<ClockText> texts = DefaultProfileClockTexts();
  CaseClockInput in;
  in.household_ref = "h1";
  in.application_complete_on = D("2024-12-20");
  in.first_visit_on = D("2024-11-30");
  in.assistance = {{D("2024-01-01"), std::nullopt}};
  in.adults = {{"p1", Am(AmLevel::kAm1), D("2024-12-01"), std::nullopt, {}}};
  auto names = [&](const Clocks& clocks) {
    std::set<std::string> out;
    for (const DueItem& i : DueItems(in, clocks, D("2025-01-14"))) out.insert(i.clock);
    return out;
  };
  EXPECT_EQ(names(Compiled(texts)), (std::set<std::string>{"decision", "action_plan", "am1_review", "in_depth_offer"}));
  texts[0].on = false;
  EXPECT_EQ(names(Compiled(texts)), (std::set<std::string>{"action_plan", "am1_review", "in_depth_offer"}));
  texts[3].on = false;
  const Clocks off = Compiled(texts);
  EXPECT_EQ(names(off), (std::set<std::string>{"action_plan", "am1_review"}));
  EXPECT_FALSE(InDepthOfferOf(off).on);
  // The suggestion for 12 whole months of assistance: flagged with the clock on, not with it off.
  const auto flagged = [](const Clocks& clocks) {
    return Suggest(testing::DefaultRules(), ProfileRules{InDepthOfferOf(clocks), true},
                   testing::OneAdult({{1, 1, 1, 1, 1, 1}, "full", false, false, false}), 12)
        .suggestions.at(0)
        .offer_in_depth_assessment;
  };
  EXPECT_TRUE(flagged(DefaultProfileClocks()));
  EXPECT_FALSE(flagged(off));
  // No DUR/ASI clock at all: the same.
  EXPECT_FALSE(InDepthOfferOf(Compiled(ExampleTexts())).on);
}

// A profile without the AM module (as in Nynäshamn): no AM level is suggested from ratings, but
// the category the people assessed is in force and drives the category clocks all the same.
TEST(ClocksData, AProfileWithoutTheAmModule) {
  MunicipalityProfile profile;
  profile.am_module = false;
  std::vector<ClockText> texts = DefaultProfileClockTexts();
  for (const ClockText& t : ExampleTexts()) texts.push_back(t);
  profile.clocks = Compiled(texts);
  EXPECT_FALSE(profile.SuggestionRules().am_module);
  EXPECT_TRUE(profile.SuggestionRules().in_depth_offer.on);
  CaseClockInput in;
  in.assistance = {{D("2024-01-01"), std::nullopt}};
  PersonClockInput self_assessed_am2{"p1", Am(AmLevel::kAm2), D("2024-02-01"), std::nullopt, {}};
  self_assessed_am2.interventions = {{D("2024-02-05"), std::nullopt}};
  PersonClockInput self_assessed_am1{"p2", Am(AmLevel::kAm1), D("2024-02-01"), std::nullopt, {}};
  in.adults = {self_assessed_am2, self_assessed_am1};
  const auto items = DueItems(in, profile.clocks, D("2024-09-01"));
  const auto am2 = Named(items, "am2_long_intervention");
  ASSERT_EQ(am2.size(), 1u);
  EXPECT_EQ(am2[0].person_ref, "p1");
  EXPECT_EQ(S(am2[0].due_on), "2024-08-05");
  const auto am1 = Named(items, "am1_review");
  ASSERT_EQ(am1.size(), 1u);
  EXPECT_EQ(am1[0].person_ref, "p2");
  EXPECT_EQ(Named(items, "in_depth_offer").size(), 2u);  // every adult, more than 6 months
}

}  // namespace
}  // namespace ix::core::clocks
