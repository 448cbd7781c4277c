// The "ix.categorisation/1" extension through the real plugin (dlopen via the host library)
// and the two-year household through the real ixctl binary.
#include <ix/ext/categorisation.h>
#include <ix/host/loader.hpp>

#include <ix/core/clocks/clocks.hpp>

#include "ix/v1/categorisation.pb.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>
#include <unistd.h>

namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

template <typename M>
M FromJson(const std::string& path) {
  M m;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(Read(path), &m).ok()) << path;
  return m;
}

struct Plugin {
  ix::PluginSession session;
  const ix_categorisation_v1* table;
};

Plugin Load() {
  auto s = ix::host::LoadPlugin(IX_TEST_PLUGIN, {});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  const auto* t = s->GetExtension<ix_categorisation_v1>(IX_CATEGORISATION_EXTENSION_ID);
  EXPECT_NE(t, nullptr);
  return {std::move(s).value(), t};
}

const std::string kExamples = IX_TEST_EXAMPLES_DIR;

// A clock of a profile in one line: "name start amount unit [conditions] done on|off|unset".
std::string ClockLine(const ix::v1::Clock& c) {
  std::string conditions;
  for (const std::string& x : c.conditions()) conditions += (conditions.empty() ? "" : " ") + x;
  return c.name() + " " + c.start() + " " + std::to_string(c.amount()) + " " + c.unit() + " [" + conditions + "] " +
         c.done() + " " + (!c.has_on() ? "unset" : c.on() ? "on" : "off");
}

// An assessment of the example household's p1 at its first visit (occasion o1, 2024-03-04),
// with no views yet.
ix::v1::AssessRequest FirstVisitOfP1() {
  ix::v1::AssessRequest req;
  *req.mutable_household() = FromJson<ix::v1::Case>(kExamples + "/case-household.json").household();
  auto* r = req.mutable_record();
  r->set_occasion_id("o1");
  r->set_person_ref("p1");
  r->set_occasion("first_visit");
  r->set_effective_date("2024-03-04");
  return req;
}

TEST(CategorisationAbi, SuggestExplainsAndMapsForsorjningshinder) {
  Plugin p = Load();
  ix::v1::SuggestRequest req;
  *req.mutable_response() = FromJson<ix::v1::InstrumentResponse>(kExamples + "/case-response-2024-03-04.json");
  req.set_as_of_date("2024-09-10");
  req.add_assistance()->set_start_date("2024-02-01");
  auto resp = p.session.Call<ix::v1::SuggestResponse>(p.table->suggest, req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->months_on_assistance(), 7);  // whole months: 1 Feb → 1 Sep (10 Sep is in the 8th)
  ASSERT_EQ(resp->suggestions_size(), 2);
  const auto& p1 = resp->suggestions(0);
  EXPECT_EQ(p1.category().am_level(), ix::v1::AM_LEVEL_AM3);
  ASSERT_EQ(p1.category().r_kinds_size(), 1);
  EXPECT_EQ(p1.category().r_kinds(0), ix::v1::R_KIND_R2_MENTAL);
  EXPECT_TRUE(p1.offer_in_depth_assessment());
  EXPECT_EQ(p1.explanation().sum(), 15);
  EXPECT_EQ(p1.explanation().am_rule(), "am3_sum_and_far_ratings");
  EXPECT_EQ(p1.explanation().rule_set_id(), "instrument-x-default");
  EXPECT_EQ(resp->suggestions(1).category().am_level(), ix::v1::AM_LEVEL_AM2);
  EXPECT_EQ(resp->forsorjningshinder(0).code(), "unemployed_no_benefit");
  EXPECT_EQ(resp->forsorjningshinder(1).code(), "unemployed_insufficient_benefit");
}

// The client-governs profile ("as in Nynäshamn", where clients place themselves in AM1–3 and
// RH1–3 directly) does not use the AM ratings: no AM level is suggested from them.
TEST(CategorisationAbi, AProfileWithoutTheAmModule) {
  Plugin p = Load();
  ix::v1::SuggestRequest req;
  *req.mutable_response() = FromJson<ix::v1::InstrumentResponse>(kExamples + "/case-response-2024-03-04.json");
  req.set_as_of_date("2024-09-10");
  req.add_assistance()->set_start_date("2024-02-01");
  req.set_profile_id("client-governs");
  auto resp = p.session.Call<ix::v1::SuggestResponse>(p.table->suggest, req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  ASSERT_EQ(resp->suggestions_size(), 2);
  const auto& p1 = resp->suggestions(0);
  EXPECT_EQ(p1.category().am_level(), ix::v1::AM_LEVEL_UNSPECIFIED);
  ASSERT_EQ(p1.category().r_kinds_size(), 1);
  EXPECT_EQ(p1.category().r_kinds(0), ix::v1::R_KIND_R2_MENTAL);  // from the other answers
  EXPECT_EQ(p1.explanation().am_rule(), "no_am_module");
  EXPECT_EQ(p1.explanation().ratings_size(), 0);
  EXPECT_NE(p1.explanation().lines(0).en().find("no AM level can be suggested without the six AM ratings"),
            std::string::npos);
  EXPECT_TRUE(p1.offer_in_depth_assessment());  // 7 whole months: more than 6, every adult
  EXPECT_EQ(resp->suggestions(1).category().am_level(), ix::v1::AM_LEVEL_UNSPECIFIED);
}

TEST(CategorisationAbi, BadInputNamesTheField) {
  Plugin p = Load();
  ix::v1::SuggestRequest req;
  *req.mutable_response() = FromJson<ix::v1::InstrumentResponse>(kExamples + "/case-response-2024-03-04.json");
  req.mutable_response()->mutable_answers(4)->mutable_value()->set_rating(7);  // p1's am.swedish
  auto bad = p.session.Call<ix::v1::SuggestResponse>(p.table->suggest, req);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ix::StatusCode::kInvalidArgument);
  // The answer path validation uses, then what is wrong (the text a 1.0 host receives).
  EXPECT_EQ(bad.status().message(), "answers[p1/am.swedish].value: rating 7 is outside 1-3");
  req.set_as_of_date("2024-02-30");
  bad = p.session.Call<ix::v1::SuggestResponse>(p.table->suggest, req);
  EXPECT_EQ(bad.status().message(), "as_of_date: '2024-02-30' is not a real date YYYY-MM-DD within 1970-2100");
  req.set_as_of_date("");
  req.set_profile_id("nowhere");
  bad = p.session.Call<ix::v1::SuggestResponse>(p.table->suggest, req);
  EXPECT_EQ(bad.status().code(), ix::StatusCode::kNotFound);
  EXPECT_EQ(bad.status().message(), "profile_id: profile 'nowhere' is not embedded (known: client-governs, default, municipal-examples)");
}

// The explanations in the request's language, through the plugin: each line carries sv, en and
// the reader's translation (falling back by the one rule), the response says which language
// that is, and a malformed tag is refused naming the field and the tag.
TEST(CategorisationAbi, ExplanationsInTheRequestsLanguage) {
  Plugin p = Load();
  ix::v1::SuggestRequest req;
  *req.mutable_response() = FromJson<ix::v1::InstrumentResponse>(kExamples + "/case-response-2024-03-04.json");
  req.set_as_of_date("2024-09-10");
  req.add_assistance()->set_start_date("2024-02-01");
  auto plain = p.session.Call<ix::v1::SuggestResponse>(p.table->suggest, req);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->language(), "");
  for (const auto& line : plain->suggestions(0).explanation().lines()) EXPECT_EQ(line.translations_size(), 0);  // as before
  const struct {
    const char* reader;
    const char* language;
    const char* translation;  // of the AM line (lines[1]): "" when the reader gets sv or en
  } cases[] = {{"ar-SE", "ar", "ar"}, {"fi", "fi", "fi"}, {"sv-x-easy", "sv-x-easy", "sv-x-easy"}, {"de", "sv", ""}, {"en-GB", "en", ""}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.reader);
    req.set_language(c.reader);
    auto resp = p.session.Call<ix::v1::SuggestResponse>(p.table->suggest, req);
    ASSERT_TRUE(resp.ok()) << resp.status().ToString();
    EXPECT_EQ(resp->language(), c.language);
    const auto& line = resp->suggestions(0).explanation().lines(1);
    EXPECT_EQ(line.en(), plain->suggestions(0).explanation().lines(1).en());
    if (*c.translation == '\0') {
      EXPECT_EQ(line.translations_size(), 0);
    } else {
      ASSERT_EQ(line.translations_size(), 1);
      EXPECT_EQ(line.translations(0).language(), c.translation);
      EXPECT_NE(line.translations(0).text(), line.sv());
    }
  }
  req.set_language("en_GB");
  auto bad = p.session.Call<ix::v1::SuggestResponse>(p.table->suggest, req);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ix::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("language: 'en_GB' is not a well-formed BCP 47 language tag", 0), 0u)
      << bad.status().message();

  ix::v1::AssessRequest assess = FirstVisitOfP1();
  auto* r = assess.mutable_record();
  r->mutable_client()->mutable_category()->set_am_level(ix::v1::AM_LEVEL_AM2);  // the caseworker governs, and is missing
  assess.set_language("fi");
  auto governed = p.session.Call<ix::v1::AssessResponse>(p.table->assess, assess);
  ASSERT_TRUE(governed.ok()) << governed.status().ToString();
  EXPECT_EQ(governed->language(), "fi");
  ASSERT_EQ(governed->result().lines(0).translations_size(), 1);
  EXPECT_EQ(governed->result().lines(0).translations(0).text().rfind("Voimassa (sääntökokoelman varavaihtoehto): AM2", 0), 0u);
  assess.set_language("x-easy");
  EXPECT_EQ(p.session.Call<ix::v1::AssessResponse>(p.table->assess, assess).status().code(), ix::StatusCode::kInvalidArgument);
}

TEST(CategorisationAbi, ClientGovernsProfileAndDiscrepancy) {
  Plugin p = Load();
  ix::v1::AssessRequest req = FirstVisitOfP1();
  req.set_profile_id("client-governs");
  auto* r = req.mutable_record();
  r->mutable_caseworker()->mutable_category()->set_am_level(ix::v1::AM_LEVEL_AM3);
  r->mutable_client()->mutable_category()->set_am_level(ix::v1::AM_LEVEL_AM2);
  auto resp = p.session.Call<ix::v1::AssessResponse>(p.table->assess, req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->result().effective().am_level(), ix::v1::AM_LEVEL_AM2);
  EXPECT_EQ(resp->result().governing_view(), ix::v1::ASSESSMENT_VIEW_CLIENT);
  EXPECT_TRUE(resp->result().discrepancy());
  EXPECT_FALSE(resp->result().fallback_used());
  EXPECT_EQ(resp->event().categorisation().header().event_id(), "hh-2024-0117/p1/categorisation/o1");
  EXPECT_EQ(resp->event().categorisation().header().subject().birth_year(), 1985);
  // The client (who governs here) has not assessed: the rule set's fallback makes the
  // caseworker's view effective, and says so.
  r->clear_client();
  resp = p.session.Call<ix::v1::AssessResponse>(p.table->assess, req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_TRUE(resp->result().fallback_used());
  EXPECT_EQ(resp->result().effective().am_level(), ix::v1::AM_LEVEL_AM3);
  EXPECT_NE(resp->result().lines(0).en().find("the rule set's fallback"), std::string::npos);
  // Only the suggestion: nothing is effective, no event.
  r->clear_caseworker();
  r->clear_client();
  r->mutable_suggestion()->mutable_category()->set_am_level(ix::v1::AM_LEVEL_AM1);
  resp = p.session.Call<ix::v1::AssessResponse>(p.table->assess, req);
  ASSERT_TRUE(resp.ok());
  EXPECT_FALSE(resp->result().has_effective());
  EXPECT_FALSE(resp->has_event());
  r->set_person_ref("c1");
  resp = p.session.Call<ix::v1::AssessResponse>(p.table->assess, req);
  EXPECT_EQ(resp.status().message(), "record.person_ref: 'c1' is a child; only adults are categorised");
}

// The categorisation event carries what the indicators read: the completed parts, both persons'
// views (categories only, never the reasoning) and the six AM ratings — given, or else the
// suggestion's; a bad value is refused naming its field and the limit.
TEST(CategorisationAbi, AssessRecordsTheIndicatorFacts) {
  Plugin p = Load();
  ix::v1::AssessRequest req = FirstVisitOfP1();
  auto* r = req.mutable_record();
  r->mutable_caseworker()->mutable_category()->set_am_level(ix::v1::AM_LEVEL_AM3);
  r->mutable_caseworker()->set_reasoning("free text that stays in the case file");
  r->mutable_client()->mutable_category()->set_am_level(ix::v1::AM_LEVEL_AM2);
  r->mutable_form_parts()->add_completed(1);
  r->mutable_form_parts()->add_completed(2);
  for (const auto& [variable, value] : std::vector<std::pair<std::string, int>>{
           {"education", 3}, {"swedish", 2}, {"work_experience", 3}, {"health", 2}, {"motivation", 1}, {"job_seeking", 2}}) {
    auto* used = r->mutable_suggestion()->mutable_explanation()->add_ratings();
    used->set_variable(variable);
    used->set_value(value);
  }
  auto resp = p.session.Call<ix::v1::AssessResponse>(p.table->assess, req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  const ix::v1::CategorisationEvent& e = resp->event().categorisation();
  EXPECT_EQ(e.form_parts().completed_size(), 2);
  EXPECT_EQ(e.views().caseworker().am_level(), ix::v1::AM_LEVEL_AM3);
  EXPECT_EQ(e.views().client().am_level(), ix::v1::AM_LEVEL_AM2);
  EXPECT_EQ(e.SerializeAsString().find("free text"), std::string::npos);
  // Not given: the suggestion's ratings.
  EXPECT_EQ(e.am_ratings().education(), 3);
  EXPECT_EQ(e.am_ratings().motivation(), 1);
  EXPECT_EQ(e.am_ratings().job_seeking(), 2);
  // Given: those.
  r->mutable_am_ratings()->set_health(1);
  resp = p.session.Call<ix::v1::AssessResponse>(p.table->assess, req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->event().categorisation().am_ratings().health(), 1);
  EXPECT_EQ(resp->event().categorisation().am_ratings().education(), 0);
  // Only the caseworker assessed: the views say so.
  r->clear_client();
  resp = p.session.Call<ix::v1::AssessResponse>(p.table->assess, req);
  ASSERT_TRUE(resp.ok());
  EXPECT_TRUE(resp->event().categorisation().views().has_caseworker());
  EXPECT_FALSE(resp->event().categorisation().views().has_client());

  r->mutable_am_ratings()->set_health(10);
  auto bad = p.session.Call<ix::v1::AssessResponse>(p.table->assess, req);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "record.am_ratings.health: rating 10 is outside 0 to 9 (0: not rated)");
  r->mutable_am_ratings()->set_health(1);
  r->mutable_form_parts()->add_completed(0);
  bad = p.session.Call<ix::v1::AssessResponse>(p.table->assess, req);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "record.form_parts.completed[2]: part 0 does not exist (1 to 4)");
}

// The embedded data as docs/rules.md states it, read back through the plugin's describe: the
// values that come from the sources (and the data errors once found in them).
TEST(CategorisationAbi, ShippedDataAsTheSourcesSay) {
  Plugin p = Load();
  auto resp = p.session.Call<ix::v1::CategorisationDescribeResponse>(p.table->describe,
                                                                     ix::v1::CategorisationDescribeRequest());
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  std::map<std::string, ix::v1::MunicipalityProfile> profiles;
  for (const auto& profile : resp->data().profiles()) profiles[profile.id()] = profile;
  ASSERT_EQ(profiles.size(), 3u);
  // "As in Nynäshamn": kommunkod 0192 (0188 is Norrtälje).
  const auto& client = profiles.at("client-governs");
  ASSERT_EQ(client.municipality_codes_size(), 1);
  EXPECT_EQ(client.municipality_codes(0), "0192");
  EXPECT_EQ(client.governing(), ix::v1::GOVERNING_POLICY_CLIENT);
  // Every profile has the four clocks of the sources first: name, start, amount, unit,
  // conditions, done, on.
  for (const auto& [id, profile] : profiles) {
    SCOPED_TRACE(id);
    ASSERT_GE(profile.process_clocks_size(), 4);
    EXPECT_EQ(ClockLine(profile.process_clocks(0)), "decision application_complete 10 working_days [] decided on");  // p42, p43
    EXPECT_EQ(ClockLine(profile.process_clocks(1)), "action_plan first_visit 3 months [] action_plan on");  // p42
    EXPECT_EQ(ClockLine(profile.process_clocks(2)),
              "am1_review categorised 3 months [category_am1 on_assistance] none on");  // p45
    // "mer än 6 månader i följd", with no condition on the category.
    EXPECT_EQ(ClockLine(profile.process_clocks(3)), "in_depth_offer assistance_run 6 months [] in_depth_offered on");
  }
  EXPECT_EQ(profiles.at("default").process_clocks_size(), 4);
  EXPECT_EQ(client.process_clocks_size(), 4);
  // The examples of Salem (p43: the form and Instrument X back within two weeks) and Södertälje
  // (p46: the intervention meeting after three weeks; p47: AM2 interventions are shorter than
  // six months).
  const auto& examples = profiles.at("municipal-examples");
  ASSERT_EQ(examples.process_clocks_size(), 7);
  EXPECT_EQ(ClockLine(examples.process_clocks(4)), "form_returned form_sent 2 weeks [] form_returned on");
  EXPECT_EQ(ClockLine(examples.process_clocks(5)), "intervention_meeting first_visit 3 weeks [] intervention_meeting on");
  EXPECT_EQ(ClockLine(examples.process_clocks(6)),
            "am2_long_intervention intervention_start 6 months [category_am2] intervention_ended on");
  EXPECT_FALSE(examples.is_default());
  EXPECT_TRUE(profiles.at("default").is_default());
  // The AM ratings are Södertälje's tool (p49, p54): the default profile uses them, the
  // Nynäshamn-like profile (self-assessment of AM1–3 and RH1–3, p42) does not.
  EXPECT_TRUE(profiles.at("default").am_module());
  EXPECT_FALSE(client.am_module());

  // The rule set says it is representative, and states each choice the sources leave open with
  // its documented default (docs/rules.md).
  ASSERT_EQ(resp->data().rule_sets_size(), 1);
  const ix::v1::RuleSet& rules = resp->data().rule_sets(0);
  EXPECT_EQ(rules.id() + "@" + rules.version(), "instrument-x-default@2026.1");
  EXPECT_NE(rules.notice().sv().find("Representativa regler"), std::string::npos);
  EXPECT_NE(rules.notice().en().find("Not the licensed instrument's rules"), std::string::npos);
  EXPECT_EQ(rules.thresholds().in_depth_min_months(), 0);  // the profile holds the DUR/ASI months
  const ix::v1::RuleChoices& c = rules.choices();
  EXPECT_EQ(c.work_capacity_none(), ix::v1::AM_LEVEL_POLICY_WITHHOLD);
  EXPECT_EQ(c.work_capacity_unclear(), ix::v1::AM_LEVEL_POLICY_SUGGEST);
  EXPECT_EQ(c.work_capacity_unanswered(), ix::v1::AM_LEVEL_POLICY_SUGGEST);
  EXPECT_EQ(std::vector<std::string>(c.further_investigation_when().begin(), c.further_investigation_when().end()),
            (std::vector<std::string>{"missing_ratings", "work_capacity_unclear", "work_capacity_missing",
                                      "reduced_capacity_without_cause"}));
  EXPECT_EQ(c.governing_missing(), ix::v1::GOVERNING_FALLBACK_OTHER_VIEW);
  for (const auto& [id, profile] : profiles) EXPECT_EQ(profile.rule_set_version(), "2026.1") << id;
}

// The core's copy of the default profile's clocks (what the statistics use without a profile)
// is the embedded default profile's, value for value: ix-defc writes both from the same file.
TEST(CategorisationAbi, TheCoresDefaultClocksAreTheDefaultProfiles) {
  Plugin p = Load();
  auto resp = p.session.Call<ix::v1::CategorisationDescribeResponse>(p.table->describe,
                                                                     ix::v1::CategorisationDescribeRequest());
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  const ix::v1::MunicipalityProfile* shipped = nullptr;
  for (const auto& profile : resp->data().profiles()) {
    if (profile.is_default()) shipped = &profile;
  }
  ASSERT_NE(shipped, nullptr);
  const std::vector<ix::core::clocks::ClockText> core = ix::core::clocks::DefaultProfileClockTexts();
  ASSERT_EQ(static_cast<int>(core.size()), shipped->process_clocks_size());
  for (int i = 0; i < shipped->process_clocks_size(); ++i) {
    const ix::v1::Clock& c = shipped->process_clocks(i);
    const auto& t = core[static_cast<size_t>(i)];
    EXPECT_EQ(t.name, c.name());
    EXPECT_EQ(t.label.sv, c.label().sv());
    EXPECT_EQ(t.label.en, c.label().en());
    EXPECT_EQ(t.start, c.start());
    EXPECT_EQ(t.amount, c.amount());
    EXPECT_EQ(t.unit, c.unit());
    EXPECT_EQ(t.conditions, std::vector<std::string>(c.conditions().begin(), c.conditions().end()));
    EXPECT_EQ(t.done, c.done());
    EXPECT_EQ(t.on, std::optional<bool>(c.on()));
  }
  EXPECT_EQ(ix::core::clocks::DefaultProfileClocks().size(), core.size());  // and it compiles
}

// due through the plugin under the profile with the Salem and Södertälje clocks: the case's own
// facts start and stop them, and the default profile never shows them.
TEST(CategorisationAbi, DueReadsTheClocksOfTheCasesProfile) {
  Plugin p = Load();
  ix::v1::DueRequest req;
  req.set_as_of_date("2024-10-01");
  req.set_include_done(true);  // the form and the meeting are done; show when
  ix::v1::Case* c = req.add_cases();
  c->set_profile_id("municipal-examples");
  c->mutable_household()->set_household_ref("h1");
  auto* adult = c->mutable_household()->add_persons();
  adult->set_person_ref("p1");
  adult->set_personnummer("19850312-1231");
  adult->set_role(ix::v1::HOUSEHOLD_ROLE_REGISTERLEDARE);
  c->set_form_sent_on("2024-03-01");
  c->set_form_returned_on("2024-03-18");   // 17 days: two weeks were up on 15 March
  c->set_first_visit_on("2024-03-20");
  c->set_intervention_meeting_on("2024-04-05");  // within three weeks (due 10 April)
  c->add_assistance()->set_start_date("2024-09-01");
  auto* event = c->add_events()->mutable_categorisation();
  event->mutable_header()->set_event_id("e1");
  event->mutable_header()->mutable_subject()->set_personnummer("19850312-1231");
  event->mutable_header()->set_effective_date("2024-03-20");
  event->mutable_header()->set_recorded_at("2024-03-20T10:00:00Z");
  event->mutable_category()->set_am_level(ix::v1::AM_LEVEL_AM2);
  event->set_occasion("first_visit");
  auto* intervention = c->mutable_plan()->add_interventions();
  intervention->set_intervention_id("i1");
  intervention->set_person_ref("p1");
  intervention->set_kind("job_search");
  intervention->set_start_date("2024-03-25");  // AM2, still running: more than 6 months on 25 Sep
  c->mutable_plan()->set_established_on("2024-03-25");
  auto resp = p.session.Call<ix::v1::DueResponse>(p.table->due, req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  std::map<std::string, const ix::v1::DueItem*> items;
  std::string seen;
  for (const auto& item : resp->items()) {
    items[item.clock()] = &item;
    seen += item.clock() + " ";
  }
  ASSERT_EQ(items.count("form_returned"), 1u) << seen;
  EXPECT_EQ(items["form_returned"]->due_on(), "2024-03-15");
  EXPECT_EQ(items["form_returned"]->status(), ix::v1::DUE_STATUS_DONE);
  EXPECT_TRUE(items["form_returned"]->done_late());
  EXPECT_EQ(items["form_returned"]->label().en(), "Form returned");
  ASSERT_EQ(items.count("intervention_meeting"), 1u);
  EXPECT_EQ(items["intervention_meeting"]->due_on(), "2024-04-10");
  EXPECT_FALSE(items["intervention_meeting"]->done_late());
  ASSERT_EQ(items.count("am2_long_intervention"), 1u);
  EXPECT_EQ(items["am2_long_intervention"]->person_ref(), "p1");
  EXPECT_EQ(items["am2_long_intervention"]->due_on(), "2024-09-25");
  EXPECT_EQ(items["am2_long_intervention"]->status(), ix::v1::DUE_STATUS_OVERDUE);
  EXPECT_NE(items["am2_long_intervention"]->explanation().en().find("applies while AM2"), std::string::npos);
  // The same case under the default profile: only the four clocks of the sources.
  c->set_profile_id("");
  resp = p.session.Call<ix::v1::DueResponse>(p.table->due, req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  for (const auto& item : resp->items()) {
    EXPECT_TRUE(item.clock() == "decision" || item.clock() == "action_plan" || item.clock() == "am1_review" ||
                item.clock() == "in_depth_offer")
        << item.clock();
  }
  // A bad date of a clock fact is refused naming the field.
  c->set_form_sent_on("2024-02-30");
  resp = p.session.Call<ix::v1::DueResponse>(p.table->due, req);
  EXPECT_FALSE(resp.ok());
  EXPECT_NE(resp.status().message().find("cases[0].form_sent_on"), std::string::npos) << resp.status().message();
}

int Shell(const std::string& command) { return std::system(command.c_str()); }

TEST(CategorisationCli, TwoYearHouseholdAm3ToAm1WithRhPeriod) {
  const std::string dir = std::filesystem::temp_directory_path() / ("ix-cat-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string c = dir + "/case.json";
  std::filesystem::copy_file(kExamples + "/case-household.json", c, std::filesystem::copy_options::overwrite_existing);
  const std::string x = std::string(IX_TEST_IXCTL) + " ";
  const std::string e = kExamples + "/";
  const std::string quiet = " > " + dir + "/out.txt 2>&1";
  ASSERT_EQ(Shell(x + "suggest " + c + " --response " + e + "case-response-2024-03-04.json --answered-on 2024-03-04" + quiet), 0);
  ASSERT_EQ(Shell(x + "assess " + c + " --person p1 --date 2024-03-04 --caseworker 'AM3 R2' --client 'AM2 R2'" + quiet), 0);
  ASSERT_EQ(Shell(x + "assess " + c + " --person p2 --date 2024-03-04 --caseworker AM2" + quiet), 0);
  ASSERT_EQ(Shell(x + "plan " + c + " --plan " + e + "case-plan.json" + quiet), 0);
  for (const char* f : {"2024-09-02-p2", "2024-09-02-p1", "2025-03-03-p1", "2025-09-01-p1", "2026-02-02-p1"}) {
    ASSERT_EQ(Shell(x + "follow-up " + c + " --follow-up " + e + "case-follow-up-" + f + ".json" + quiet), 0) << f;
  }
  ASSERT_EQ(Shell(x + "--json history " + c + " --at 2025-06-01 > " + dir + "/history.json"), 0);
  ix::v1::HistoryResponse h = FromJson<ix::v1::HistoryResponse>(dir + "/history.json");
  ASSERT_EQ(h.persons_size(), 2);
  const auto& p1 = h.persons(0);
  ASSERT_EQ(p1.entries_size(), 5);
  const ix::v1::AmLevel expected[] = {ix::v1::AM_LEVEL_AM3, ix::v1::AM_LEVEL_AM3, ix::v1::AM_LEVEL_AM2,
                                      ix::v1::AM_LEVEL_AM2, ix::v1::AM_LEVEL_AM1};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(p1.entries(i).category().am_level(), expected[i]) << i;
  EXPECT_EQ(p1.entries(2).direction(), ix::v1::MOVE_DIRECTION_PROGRESS);
  EXPECT_EQ(p1.entries(3).r_removed(0), ix::v1::R_KIND_R2_MENTAL);  // the RH period ends
  EXPECT_EQ(p1.follow_up_recategorisations(), 4);
  EXPECT_EQ(p1.category_at_date().am_level(), ix::v1::AM_LEVEL_AM2);  // on 2025-06-01: AM2 + R2
  EXPECT_EQ(p1.category_at_date().r_kinds(0), ix::v1::R_KIND_R2_MENTAL);
  ASSERT_EQ(Shell(x + "--json due " + c + " --as-of 2026-02-16 > " + dir + "/due.json"), 0);
  ix::v1::DueResponse d = FromJson<ix::v1::DueResponse>(dir + "/due.json");
  ASSERT_EQ(d.items_size(), 4);
  // DUR/ASI for both adults (no offer recorded): more than 6 whole months after 1 Feb 2024.
  for (int i : {0, 1}) {
    EXPECT_EQ(d.items(i).clock(), "in_depth_offer");
    EXPECT_EQ(d.items(i).due_on(), "2024-08-01");
    EXPECT_EQ(d.items(i).status(), ix::v1::DUE_STATUS_OVERDUE);
  }
  EXPECT_EQ(d.items(2).clock(), "am1_review");
  EXPECT_EQ(d.items(2).due_on(), "2024-12-02");
  EXPECT_EQ(d.items(2).status(), ix::v1::DUE_STATUS_OVERDUE);
  EXPECT_EQ(d.items(3).due_on(), "2026-05-02");
  ix::v1::Case saved = FromJson<ix::v1::Case>(c);
  // 2 first-visit categorisations, 4 planned interventions, 5 follow-up categorisations and
  // 4 ended interventions (i4, i1, i2, i3).
  EXPECT_EQ(saved.events_size(), 2 + 4 + 5 + 4);
  EXPECT_EQ(saved.plan().interventions(3).outcome(), ix::v1::KAS_OUTCOME_UNSUBSIDISED_WORK);
  // Bad input: a child cannot be assessed; the case file is left as it was.
  const std::string before = Read(c);
  EXPECT_NE(Shell(x + "assess " + c + " --person c1 --date 2024-03-04 --caseworker AM2" + quiet), 0);
  EXPECT_EQ(Read(c), before);
  std::filesystem::remove_all(dir);
}

}  // namespace
