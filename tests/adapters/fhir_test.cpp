// FHIR R4 adapter: golden Questionnaire/QuestionnaireResponse of a definition that uses every
// item type and kind of logic, round trips of the real definitions' responses, the report of
// what R4 cannot carry, protected identity, malformed resources -> precise errors.
#include <ix/adapters/definitions.hpp>
#include <ix/adapters/fhir/fhir.hpp>
#include <ix/adapters/report.hpp>

#include "test_support.hpp"
#include "../time_budget.hpp"

#include <chrono>

#include "ix/v1/response.pb.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <functional>
#include <map>

namespace ix::adapters::fhir {
namespace {

using testing::ExpectGolden;
using testing::GoldenDir;
using testing::ReadCanonical;

v1::Definition GoldenDefinition() {
  return ReadCanonical<v1::Definition>(GoldenDir() / "fhir/definition.json");
}

v1::InstrumentResponse GoldenResponse() {
  return ReadCanonical<v1::InstrumentResponse>(GoldenDir() / "fhir/response.json");
}

std::string Dump(const Json& json) { return json.dump(2) + "\n"; }

// Answers compared without order (FHIR orders them by the definition).
void SortAnswers(v1::InstrumentResponse* response) {
  std::sort(response->mutable_answers()->begin(), response->mutable_answers()->end(),
            [](const v1::Answer& a, const v1::Answer& b) {
              return std::tie(a.item_id(), a.person_ref()) < std::tie(b.item_id(), b.person_ref());
            });
}

// What FHIR carries of a response: everything but the per-answer metadata, part states, the
// change trail and created_at (listed in the report), and contact data of protected persons.
// The calculated flag comes back from the definition (reported as derived).
v1::InstrumentResponse CarriedPart(v1::InstrumentResponse response, const v1::Definition& definition) {
  response.clear_part_status();
  response.clear_changes();
  response.clear_created_at();
  response.clear_migrated_from();
  auto* answers = response.mutable_answers();
  answers->erase(std::remove_if(answers->begin(), answers->end(),
                                [&](const v1::Answer& a) {
                                  return a.item_id() == "personal.phone" &&
                                         std::any_of(response.household().persons().begin(),
                                                     response.household().persons().end(),
                                                     [&](const v1::Person& p) {
                                                       return p.person_ref() == a.person_ref() &&
                                                              p.protected_identity();
                                                     });
                                }),
                 answers->end());
  for (auto& answer : *answers) {
    answer.clear_answered_by();
    answer.clear_interpreter();
    answer.clear_answered_at();
    const v1::Item* item = FindItem(definition, answer.item_id());
    answer.set_calculated(item != nullptr && item->has_calculated());
  }
  SortAnswers(&response);
  return response;
}

TEST(FhirQuestionnaire, GoldenFileInSwedishAndEnglish) {
  const v1::Definition definition = GoldenDefinition();
  for (const std::string lang : {"sv", "en"}) {
    Options options;
    options.language = lang;
    Translated q = QuestionnaireFromDefinition(definition, options);
    ExpectGolden(Dump(q.resource), GoldenDir() / ("fhir/questionnaire-" + lang + ".json"));
    testing::WriteText(testing::EmittedDir("fhir") / ("golden-questionnaire-" + lang + ".json"),
                       Dump(q.resource));
  }
}

TEST(FhirQuestionnaire, CarriesUrlVersionTypesOptionsAndLogic) {
  Translated q = QuestionnaireFromDefinition(GoldenDefinition(), Options{});
  const Json& r = q.resource;
  EXPECT_EQ(r["url"], "https://instrument-x.se/fhir/Questionnaire/golden");
  EXPECT_EQ(r["version"], "1.0");
  EXPECT_EQ(r["status"], "active");
  const Json& household = r["item"][0];
  EXPECT_EQ(household["linkId"], "household");
  const Json& home = household["item"][3]["item"][0];  // household.part-1 / household.home
  ASSERT_EQ(home["linkId"], "household.home");
  const Json& type = home["item"][0];
  EXPECT_EQ(type["linkId"], "home.type");
  EXPECT_EQ(type["type"], "choice");
  EXPECT_EQ(type["required"], true);
  EXPECT_EQ(type["text"], "Boende");
  ASSERT_EQ(type["answerOption"].size(), 3u);
  EXPECT_EQ(type["answerOption"][2]["valueCoding"]["code"], "homeless");
  // NOT_EQUALS = answered and different: "exists" and "!=", both.
  const Json& cost = home["item"][1];
  EXPECT_EQ(cost["type"], "quantity");
  ASSERT_EQ(cost["enableWhen"].size(), 2u);
  EXPECT_EQ(cost["enableWhen"][0]["operator"], "exists");
  EXPECT_EQ(cost["enableWhen"][1]["operator"], "!=");
  EXPECT_EQ(cost["enableWhen"][1]["answerCoding"]["code"], "homeless");
  EXPECT_EQ(cost["enableBehavior"], "all");
  // IN of two codes: two "=" with "any"; required-when equal to enable-when is "required".
  const Json& contract = home["item"][2];
  ASSERT_EQ(contract["enableWhen"].size(), 2u);
  EXPECT_EQ(contract["enableBehavior"], "any");
  EXPECT_EQ(contract["required"], true);
  EXPECT_EQ(home["item"][3]["readOnly"], true);  // calculated
  // Adults repeat; the first question says whose answers the group holds.
  const Json& adult = r["item"][1];
  EXPECT_EQ(adult["repeats"], true);
  EXPECT_EQ(adult["item"][0]["linkId"], "adult.person_ref");
  // Logic R4 core cannot express is carried as SDC FHIRPath, so the report no longer lists it.
  for (const char* path : {"items[assess.since].enable_when", "items[person.sick].required_when",
                           "items[home.adults].calculated", "items[personal.phone].constraints",
                           "items[home.contract_end]"}) {
    EXPECT_FALSE(HasNote(q.report, v1::CARRY_REASON_NOT_EXPRESSIBLE, path)) << path;
  }
}

// The extension of `element` with `url` (null when absent).
const Json* FindExtension(const Json& element, std::string_view url) {
  if (!element.contains("extension")) return nullptr;
  for (const auto& e : element["extension"]) {
    if (e["url"] == url) return &e;
  }
  return nullptr;
}

std::vector<std::string> ExpressionsIn(const Json& element, std::string_view url) {
  std::vector<std::string> out;
  if (!element.contains("extension")) return out;
  for (const auto& e : element["extension"]) {
    if (e["url"] != url) continue;
    if (e.contains("valueExpression")) out.push_back(e["valueExpression"]["expression"]);
    for (const auto& part : e.value("extension", Json::array())) {
      if (part["url"] == "expression") out.push_back(part["valueExpression"]["expression"]);
    }
  }
  return out;
}

constexpr std::string_view kVariable = "http://hl7.org/fhir/StructureDefinition/variable";
constexpr std::string_view kEnableWhenExpression =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";
constexpr std::string_view kCalculatedExpression =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";
constexpr std::string_view kTargetConstraint = "http://hl7.org/fhir/StructureDefinition/targetConstraint";

TEST(FhirSdc, DeclaresTheProfileAndCarriesTheLogicR4CannotSay) {
  Translated q = QuestionnaireFromDefinition(GoldenDefinition(), Options{});
  const Json& r = q.resource;
  ASSERT_TRUE(r.contains("meta"));
  EXPECT_EQ(r["meta"]["profile"][0], "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-behave");
  const Json& home = r["item"][0]["item"][3]["item"][0];
  // The calculated count of adults: persons who are not children.
  const Json& adults = home["item"][3];
  ASSERT_EQ(adults["linkId"], "home.adults");
  auto calc = ExpressionsIn(adults, kCalculatedExpression);
  ASSERT_EQ(calc.size(), 1u);
  EXPECT_NE(calc[0].find("household.person"), std::string::npos) << calc[0];
  EXPECT_NE(calc[0].find(".count()"), std::string::npos) << calc[0];
  // R4 enableWhen where it is exact, never together with an enableWhenExpression.
  const Json& cost = home["item"][1];
  EXPECT_TRUE(cost.contains("enableWhen"));
  EXPECT_EQ(FindExtension(cost, kEnableWhenExpression), nullptr);
  // The adult group: its variables (per adult) and the conditional "required" of person.sick.
  const Json& adult = r["item"][1];
  std::vector<std::string> names;
  for (const auto& e : adult["extension"]) {
    if (e["url"] == kVariable) names.push_back(e["valueExpression"]["name"]);
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "vPersonSick"), names.end());
  bool required_sick = false;
  for (const auto& e : adult["extension"]) {
    if (e["url"] != kTargetConstraint) continue;
    for (const auto& part : e["extension"]) {
      if (part["url"] == "key" && part["valueId"] == "person.sick-required") required_sick = true;
    }
  }
  EXPECT_TRUE(required_sick);
  // Every item the old report named now has its expression; walk the whole tree for them.
  std::map<std::string, const Json*> by_id;
  std::function<void(const Json&)> walk = [&](const Json& items) {
    for (const auto& item : items) {
      by_id[item["linkId"]] = &item;
      if (item.contains("item")) walk(item["item"]);
    }
  };
  walk(r["item"]);
  ASSERT_TRUE(by_id.count("assess.since"));
  const Json& since = *by_id["assess.since"];
  EXPECT_FALSE(since.contains("enableWhen"));
  auto enable = ExpressionsIn(since, kEnableWhenExpression);
  ASSERT_EQ(enable.size(), 1u);
  EXPECT_EQ(enable[0], "%enAssessSince");
  const Json& phone = *by_id["personal.phone"];
  EXPECT_EQ(ExpressionsIn(phone, kTargetConstraint).size(), 1u);
  EXPECT_NE(FindExtension(phone, "http://hl7.org/fhir/StructureDefinition/regex"), nullptr);
}

// What FHIRPath cannot say stays in the report, with why, and so do the items that read it.
TEST(FhirSdc, ReportsWhatTrulyIsNotExpressibleAndItsDependants) {
  v1::Definition definition = GoldenDefinition();
  v1::Item* sick = nullptr;
  v1::Item* hours = nullptr;
  for (auto& part : *definition.mutable_parts()) {
    for (auto& section : *part.mutable_sections()) {
      for (auto& item : *section.mutable_items()) {
        if (item.id() == "person.sick") sick = &item;
        if (item.id() == "person.hours") hours = &item;
      }
    }
  }
  ASSERT_NE(sick, nullptr);
  ASSERT_NE(hours, nullptr);
  // hours: enabled when one yes/no answer is "greater than" another; R4 compares with literals
  // only, and FHIRPath does not order booleans.
  hours->mutable_enable_when()->clear_conditions();
  auto* c = hours->mutable_enable_when()->add_conditions();
  c->set_item_id("person.sick");
  c->set_operator_(v1::CONDITION_OPERATOR_GREATER);
  c->set_other_item_id("person.sick");
  // rating reads hours (against another answer, so not R4 either): reported with it.
  for (auto& part : *definition.mutable_parts()) {
    for (auto& section : *part.mutable_sections()) {
      for (auto& item : *section.mutable_items()) {
        if (item.id() != "assess.rating") continue;
        auto* e = item.mutable_enable_when()->add_conditions();
        e->set_item_id("person.hours");
        e->set_operator_(v1::CONDITION_OPERATOR_GREATER);
        e->set_other_item_id("person.hours");
      }
    }
  }
  Translated q = QuestionnaireFromDefinition(definition, Options{});
  EXPECT_TRUE(HasNote(q.report, v1::CARRY_REASON_NOT_EXPRESSIBLE, "items[person.hours].enable_when"));
  EXPECT_TRUE(HasNote(q.report, v1::CARRY_REASON_NOT_EXPRESSIBLE, "items[assess.rating].enable_when"));
  bool says_why = false;
  for (const auto& note : q.report.notes()) {
    if (note.path() == "items[person.hours].enable_when") {
      says_why = note.detail().find("does not order booleans") != std::string::npos;
    }
  }
  EXPECT_TRUE(says_why);
  // No expression refers to a variable that is not declared.
  const std::string text = q.resource.dump();
  EXPECT_EQ(text.find("%enPersonHours"), std::string::npos);
}

TEST(FhirResponse, GoldenFileAndReport) {
  Translated qr = ResponseToFhir(GoldenResponse(), GoldenDefinition(), Options{}).value();
  ExpectGolden(Dump(qr.resource), GoldenDir() / "fhir/questionnaire-response.json");
  testing::WriteText(testing::EmittedDir("fhir") / "golden-questionnaire-response.json", Dump(qr.resource));
  EXPECT_EQ(qr.resource["questionnaire"], "https://instrument-x.se/fhir/Questionnaire/golden|1.0");
  EXPECT_EQ(qr.resource["status"], "in-progress");  // part 2 is in progress
  EXPECT_TRUE(HasNote(qr.report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "answers[personal.phone]"));
  EXPECT_TRUE(HasNote(qr.report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "answers[*].answered_by"));
  EXPECT_TRUE(HasNote(qr.report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "answers[*].answered_at"));
  EXPECT_TRUE(HasNote(qr.report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "part_status"));
  EXPECT_TRUE(HasNote(qr.report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "created_at"));
  // The protected person's phone number is nowhere in the document.
  EXPECT_EQ(qr.resource.dump().find("070-000 00 00"), std::string::npos);
  EXPECT_NE(qr.resource.dump().find("08-123 456 78"), std::string::npos);
  // Money 7350.50 kr, exactly.
  EXPECT_NE(qr.resource.dump().find(R"("value":7350.5)"), std::string::npos);
}

TEST(FhirResponse, RoundTripIsLosslessForWhatR4Carries) {
  const v1::Definition definition = GoldenDefinition();
  const v1::InstrumentResponse original = GoldenResponse();
  Translated qr = ResponseToFhir(original, definition, Options{}).value();
  // Through text, as between systems.
  auto parsed = ParseVendorJson(qr.resource.dump(), "qr");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  std::vector<v1::Definition> definitions = {definition};
  auto back = ResponseFromFhir(*parsed, definitions, Options{});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  v1::InstrumentResponse expected = CarriedPart(original, definition);
  v1::InstrumentResponse actual = back->response;
  SortAnswers(&actual);
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(expected, actual)) << diff;
}

TEST(FhirResponse, RealDefinitionsAndCaseResponsesRoundTrip) {
  const auto definitions = testing::PluginDefinitions();
  ASSERT_FALSE(definitions.empty());
  int round_trips = 0;
  for (const std::string file : {"household.json", "case-response-2024-03-04.json",
                                 "case-response-2025-03-03.json", "case-response-2026-02-02.json"}) {
    SCOPED_TRACE(file);
    auto response = ReadCanonical<v1::InstrumentResponse>(std::filesystem::path(IX_TEST_EXAMPLES_DIR) / file);
    const v1::Definition* definition = nullptr;
    for (const auto& d : definitions) {
      if (d.id() == response.instrument().instrument_id() && d.version() == response.instrument().version()) {
        definition = &d;
      }
    }
    ASSERT_NE(definition, nullptr);
    auto qr = ResponseToFhir(response, *definition, Options{});
    ASSERT_TRUE(qr.ok()) << qr.status().ToString();
    testing::WriteText(testing::EmittedDir("fhir") / ("qr-" + file), Dump(qr->resource));
    auto back = ResponseFromFhir(qr->resource, definitions, Options{});
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    v1::InstrumentResponse actual = back->response;
    SortAnswers(&actual);
    std::string diff;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differencer.Compare(CarriedPart(response, *definition), actual)) << diff;
    ++round_trips;
  }
  EXPECT_EQ(round_trips, 4);
  // Every definition the plugin carries, in both languages, for the validator.
  for (const auto& d : definitions) {
    for (const std::string lang : {"sv", "en"}) {
      Options options;
      options.language = lang;
      Translated q = QuestionnaireFromDefinition(d, options);
      testing::WriteText(testing::EmittedDir("fhir") /
                             ("questionnaire-" + d.id() + "-" + d.version() + "-" + lang + ".json"),
                         Dump(q.resource));
    }
  }
}

// --- Malformed resources: each error names the path and the problem --------------------------

struct Malformed {
  const char* name;
  std::function<void(Json&)> mutate;
  const char* expected;  // a substring of the error message
};

class FhirMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(FhirMalformed, IsRefusedWithAPreciseError) {
  const v1::Definition definition = GoldenDefinition();
  Json qr = ResponseToFhir(GoldenResponse(), definition, Options{}).value().resource;
  GetParam().mutate(qr);
  std::vector<v1::Definition> definitions = {definition};
  auto result = ResponseFromFhir(qr, definitions, Options{});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find(GetParam().expected), std::string::npos)
      << result.status().message();
  // Never the personnummer or an answer's text in an error.
  EXPECT_EQ(result.status().message().find("19850312"), std::string::npos);
}

// Paths into the golden QuestionnaireResponse: item[0] household, item[1] adult p1.
//   household.item[5] = household.part-1 / item[0] household.home / item[0] home.type
//   adult p1: item[1] adult.part-1 / item[0] adult.person / item[1] person.hours
INSTANTIATE_TEST_SUITE_P(
    Cases, FhirMalformed,
    ::testing::Values(
        Malformed{"wrong_resource", [](Json& r) { r["resourceType"] = "Questionnaire"; },
                  "QuestionnaireResponse.resourceType: expected QuestionnaireResponse"},
        Malformed{"unknown_questionnaire",
                  [](Json& r) { r["questionnaire"] = "https://instrument-x.se/fhir/Questionnaire/golden|9.9"; },
                  "QuestionnaireResponse.questionnaire: no definition golden@9.9"},
        Malformed{"missing_questionnaire", [](Json& r) { r.erase("questionnaire"); },
                  "QuestionnaireResponse.questionnaire: missing (required)"},
        Malformed{"bad_status", [](Json& r) { r["status"] = "done"; }, "QuestionnaireResponse.status: not an R4 status"},
        Malformed{"unknown_element", [](Json& r) { r["answers"] = Json::array(); },
                  "QuestionnaireResponse.answers: unknown field"},
        Malformed{"unknown_code",
                  [](Json& r) { r["item"][0]["item"][5]["item"][0]["item"][0]["answer"][0]["valueCoding"]["code"] = "castle"; },
                  "QuestionnaireResponse.item[0].item[5].item[0].item[0].answer[0].valueCoding.code: unknown code for 'home.type'"},
        Malformed{"wrong_type",
                  [](Json& r) {
                    r["item"][1]["item"][1]["item"][0]["item"][1]["answer"][0] = Json{{"valueInteger", "ten"}};
                  },
                  "QuestionnaireResponse.item[1].item[1].item[0].item[1].answer[0].valueInteger: expected an integer, got a string"},
        Malformed{"wrong_value_element",
                  [](Json& r) {
                    r["item"][1]["item"][1]["item"][0]["item"][1]["answer"][0] = Json{{"valueString", "10"}};
                  },
                  "answer[0].valueString: 'person.hours' (integer) expects valueInteger"},
        Malformed{"two_answers_to_single",
                  [](Json& r) {
                    auto& a = r["item"][1]["item"][1]["item"][0]["item"][1]["answer"];
                    a.push_back(a[0]);
                  },
                  "'person.hours' takes one answer, got 2"},
        Malformed{"unknown_link",
                  [](Json& r) { r["item"][1]["item"][1]["item"][0]["item"][1]["linkId"] = "person.shoe_size"; },
                  "linkId: unknown item 'person.shoe_size' in adult.person"},
        Malformed{"adult_for_unknown_person",
                  [](Json& r) { r["item"][1]["item"][0]["answer"][0]["valueString"] = "p9"; },
                  "QuestionnaireResponse.item[1]: adult group for a person who is not in the household group"},
        Malformed{"fraction_of_ore",
                  [](Json& r) { r["item"][0]["item"][5]["item"][0]["item"][1]["answer"][0]["valueQuantity"]["value"] = 1.005; },
                  "valueQuantity.value: not an amount in whole öre"},
        Malformed{"other_currency",
                  [](Json& r) { r["item"][0]["item"][5]["item"][0]["item"][1]["answer"][0]["valueQuantity"]["code"] = "EUR"; },
                  "valueQuantity.code: expected currency SEK"},
        Malformed{"item_not_array", [](Json& r) { r["item"] = Json::object(); },
                  "QuestionnaireResponse.item: expected an array, got an object"},
        Malformed{"modifier_extension", [](Json& r) { r["modifierExtension"] = Json::array(); },
                  "modifierExtension/implicitRules change the meaning"}),
    [](const ::testing::TestParamInfo<Malformed>& param_info) { return std::string(param_info.param.name); });

// --- Responses the writer refuses: what it would write, its own reader would refuse ----------

struct Unwritable {
  const char* name;
  std::function<void(v1::InstrumentResponse&)> mutate;
  const char* expected;  // the start of the error message: the field, then what is wrong
};

class FhirUnwritable : public ::testing::TestWithParam<Unwritable> {};

TEST_P(FhirUnwritable, IsRefusedBeforeAnythingIsWrittenNamingTheField) {
  v1::InstrumentResponse response = GoldenResponse();
  GetParam().mutate(response);
  auto written = ResponseToFhir(response, GoldenDefinition(), Options{});
  ASSERT_FALSE(written.ok()) << "written, so a reader would get: " << written->resource.dump();
  EXPECT_EQ(written.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(written.status().message().rfind(GetParam().expected, 0), 0u) << written.status().message();
  ASSERT_EQ(written.status().problems().size(), 1u);
  EXPECT_EQ(written.status().message().rfind(written.status().problems()[0].path + ": ", 0), 0u);
  // Values are never quoted.
  for (const char* value : {"not a date", "2023-02-29", "castle", "2025-02-30", "19850312"}) {
    EXPECT_EQ(written.status().message().find(value), std::string::npos) << written.status().message();
  }
}

// The golden response: persons p1, p2 (protected), c1; answers[0] home.type (single choice),
// [1] home.cost (money), [2] home.contract_end (date), [6] person.sick (boolean), [7]
// assess.rating (1–3), [8] assess.kinds (multiple choice a/b/c), [10] assess.share (decimal).
INSTANTIATE_TEST_SUITE_P(
    Cases, FhirUnwritable,
    ::testing::Values(
        Unwritable{"person_without_ref", [](auto& r) { r.mutable_household()->mutable_persons(2)->clear_person_ref(); },
                   "household.persons[2].person_ref: missing"},
        Unwritable{"two_persons_one_ref",
                   [](auto& r) { r.mutable_household()->mutable_persons(2)->set_person_ref("p1"); },
                   "household.persons[2].person_ref: the same reference as household.persons[0]"},
        Unwritable{"birth_date_not_a_date",
                   [](auto& r) { r.mutable_household()->mutable_persons(0)->set_birth_date("not a date"); },
                   "household.persons[0].birth_date: not a real date YYYY-MM-DD"},
        Unwritable{"birth_date_not_a_real_day",
                   [](auto& r) { r.mutable_household()->mutable_persons(1)->set_birth_date("2023-02-29"); },
                   "household.persons[1].birth_date: not a real date YYYY-MM-DD"},
        Unwritable{"code_not_an_option", [](auto& r) { r.mutable_answers(0)->mutable_value()->set_code("castle"); },
                   "answers[0].value.code: not an option code of 'home.type'"},
        Unwritable{"one_of_codes_not_an_option",
                   [](auto& r) { r.mutable_answers(8)->mutable_value()->mutable_codes()->add_codes("castle"); },
                   "answers[8].value.codes.codes[2]: not an option code of 'assess.kinds'"},
        Unwritable{"date_not_a_real_day",
                   [](auto& r) { r.mutable_answers(2)->mutable_value()->set_date("2025-02-30"); },
                   "answers[2].value.date: 'home.contract_end' is not a real date"},
        Unwritable{"rating_not_an_option", [](auto& r) { r.mutable_answers(7)->mutable_value()->set_rating(4); },
                   "answers[7].value.rating: not an option of 'assess.rating' (1–3)"},
        Unwritable{"amount_not_exact_in_kronor",
                   [](auto& r) { r.mutable_answers(1)->mutable_value()->mutable_money()->set_ore(900000000000000001); },
                   "answers[1].value.money.ore: 'home.cost' is too large"},
        Unwritable{"decimal_not_a_number", [](auto& r) { r.mutable_answers(10)->mutable_value()->set_decimal("nan"); },
                   "answers[10].value.decimal: 'assess.share' is not a finite decimal number"},
        Unwritable{"value_of_another_type", [](auto& r) { r.mutable_answers(6)->mutable_value()->set_text("castle"); },
                   "answers[6].value: 'person.sick' (boolean) holds a text value"}),
    [](const ::testing::TestParamInfo<Unwritable>& param_info) { return std::string(param_info.param.name); });

TEST(FhirResponse, AnEmptyChoiceListIsLeftOutAndReported) {
  v1::InstrumentResponse response = GoldenResponse();
  response.mutable_answers(8)->mutable_value()->mutable_codes()->clear_codes();
  auto written = ResponseToFhir(response, GoldenDefinition(), Options{});
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->resource.dump().find("\"assess.kinds\""), std::string::npos);
  EXPECT_TRUE(HasNote(written->report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "answers[*].value.codes"));
  std::vector<v1::Definition> definitions = {GoldenDefinition()};
  EXPECT_TRUE(ResponseFromFhir(written->resource, definitions, Options{}).ok());
}

TEST(FhirMalformedText, InvalidUtf8AndHugeDocumentsAreRefused) {
  std::string bad = R"({"resourceType":"QuestionnaireResponse","status":"completed","x":")";
  bad += "\xC3\x28";  // an invalid two-byte sequence
  bad += "\"}";
  auto parsed = ParseVendorJson(bad, "upload.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("upload.json: not valid JSON"), std::string::npos)
      << parsed.status().message();
  EXPECT_NE(parsed.status().message().find("UTF-8"), std::string::npos) << parsed.status().message();

  const std::string huge(kMaxVendorDocumentBytes + 1, ' ');
  auto too_big = ParseVendorJson(huge, "huge.json");
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.status().message().find("more than the limit"), std::string::npos);
}

TEST(FhirProtectedIdentity, ContactDataOfProtectedPersonIsNotTakenIn) {
  const v1::Definition definition = GoldenDefinition();
  v1::InstrumentResponse response = GoldenResponse();
  // Send p1 as protected: the phone answer is in the document of an unprotected sender …
  Json qr = ResponseToFhir(response, definition, Options{}).value().resource;
  // … and the receiver learns p1 is protected: the person group gains the flag.
  Json& p1 = qr["item"][0]["item"][2];
  ASSERT_EQ(p1["linkId"], "household.person");
  p1["item"].push_back(Json{{"linkId", "household.person.protected_identity"},
                            {"answer", Json::array({Json{{"valueBoolean", true}}})}});
  std::vector<v1::Definition> definitions = {definition};
  auto back = ResponseFromFhir(qr, definitions, Options{});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  for (const auto& answer : back->response.answers()) {
    EXPECT_NE(answer.item_id(), "personal.phone") << "contact data of a protected person taken in";
  }
  EXPECT_TRUE(HasNote(back->report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "item[personal.phone]"));
}


// 60 000 person groups: references are checked in an index, not against every earlier person
// (the old pairwise check compared 1.8 billion pairs); the repeated one is found by path.
TEST(FhirHostile, ManyPersonGroupsAreCheckedInNearLinearTime) {
  const v1::Definition definition = GoldenDefinition();
  Json qr = ResponseToFhir(GoldenResponse(), definition, Options{}).value().resource;
  Json& household = qr["item"][0]["item"];
  const Json person = household[2];
  ASSERT_EQ(person["linkId"], "household.person");
  const std::size_t first = household.size();
  for (int i = 0; i <= 60000; ++i) {
    Json copy = person;
    for (auto& item : copy["item"]) {
      if (item["linkId"] == "household.person.ref") item["answer"][0]["valueString"] = "x" + std::to_string(i % 60000);
    }
    household.push_back(std::move(copy));
  }
  std::vector<v1::Definition> definitions = {definition};
  const auto started = std::chrono::steady_clock::now();
  auto back = ResponseFromFhir(qr, definitions, Options{});
  EXPECT_LT(std::chrono::steady_clock::now() - started, test_time::Budget(std::chrono::seconds(1)));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().message(), "QuestionnaireResponse.item[0].item[" + std::to_string(first + 60000) +
                                         "]: a second person with the same reference");
}


// --- Prefill: a new assessment from the previous one -----------------------------------------

TEST(FhirPrefill, CarriesEveryAnswerThatStillFitsAndReportsTheRest) {
  const v1::Definition definition = GoldenDefinition();
  const v1::InstrumentResponse previous = GoldenResponse();
  auto prefilled = PrefillFromPrevious(previous, definition, "hh-next", Options{});
  ASSERT_TRUE(prefilled.ok()) << prefilled.status().message();
  // 16 answers; home.adults is calculated and computed again, the other 15 carry.
  EXPECT_EQ(prefilled->carried.size(), 15u);
  EXPECT_EQ(prefilled->response.answers_size(), 15);
  for (const auto& answer : prefilled->response.answers()) {
    EXPECT_NE(answer.item_id(), "home.adults");
    EXPECT_TRUE(answer.answered_at().empty());
  }
  EXPECT_TRUE(HasNote(prefilled->report, v1::CARRY_REASON_DERIVED, "answers[household/home.adults]"));
  EXPECT_TRUE(HasNote(prefilled->report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "part_status"));
  EXPECT_EQ(prefilled->response.part_status_size(), 0);
  EXPECT_EQ(prefilled->response.response_ref(), "hh-next");
  EXPECT_EQ(prefilled->response.household().persons_size(), previous.household().persons_size());
  // The new assessment's QuestionnaireResponse is in progress and reads back as the response.
  EXPECT_EQ(prefilled->resource["status"], "in-progress");
  const std::vector<v1::Definition> definitions = {definition};
  auto read = ResponseFromFhir(prefilled->resource, definitions, Options{});
  ASSERT_TRUE(read.ok()) << read.status().message();
  // The document for a vendor withholds the contact data of the protected person (one phone
  // number), and says so; the canonical response keeps it.
  EXPECT_EQ(read->response.answers_size(), 14);
  EXPECT_TRUE(HasNote(prefilled->report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "answers["));
  testing::WriteText(testing::EmittedDir("fhir") / "prefilled-questionnaire-response.json", Dump(prefilled->resource));
}

TEST(FhirPrefill, AnswersTheNewVersionCannotHoldStayBehindWithWhy) {
  v1::Definition target = GoldenDefinition();
  target.set_version("2.0");
  for (auto& part : *target.mutable_parts()) {
    for (auto& section : *part.mutable_sections()) {
      auto* items = section.mutable_items();
      for (int i = items->size() - 1; i >= 0; --i) {
        if (items->Get(i).id() == "person.sick") items->DeleteSubrange(i, 1);  // no longer asked
      }
      for (auto& item : *items) {
        if (item.id() == "home.type") {  // the previous answer's code is no longer an option
          item.clear_options();
          auto* option = item.add_options();
          option->set_code("rented");
        }
      }
    }
  }
  v1::InstrumentResponse previous = GoldenResponse();
  auto* stray = previous.add_answers();  // about the child: not an adult of the household
  stray->set_item_id("person.hours");
  stray->set_person_ref("c1");
  stray->mutable_value()->set_integer(3);
  auto prefilled = PrefillFromPrevious(previous, target, "hh-next", Options{});
  ASSERT_TRUE(prefilled.ok()) << prefilled.status().message();
  EXPECT_EQ(prefilled->response.instrument().version(), "2.0");
  EXPECT_TRUE(HasNote(prefilled->report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "answers[p1/person.sick]"));
  EXPECT_TRUE(HasNote(prefilled->report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "answers[household/home.type]"));
  EXPECT_TRUE(HasNote(prefilled->report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "answers[c1/person.hours]"));
  for (const auto& note : prefilled->report.notes()) {
    if (note.path() == "answers[household/home.type]") {
      EXPECT_NE(note.detail().find("not an option code"), std::string::npos) << note.detail();
    }
    if (note.path() == "answers[p1/person.sick]") {
      EXPECT_EQ(note.detail(), "the item is not in golden@2.0");
    }
  }
  for (const auto& answer : prefilled->response.answers()) {
    EXPECT_NE(answer.item_id(), "person.sick");
    EXPECT_NE(answer.item_id(), "home.type");
    EXPECT_NE(answer.person_ref(), "c1");
  }
  EXPECT_EQ(prefilled->carried.size(), 13u);  // 15 that fit before, less home.type and person.sick
}

TEST(FhirPrefill, AnotherInstrumentIsRefusedNamingTheField) {
  v1::InstrumentResponse previous = GoldenResponse();
  previous.mutable_instrument()->set_instrument_id("other");
  auto prefilled = PrefillFromPrevious(previous, GoldenDefinition(), "hh-next", Options{});
  ASSERT_FALSE(prefilled.ok());
  EXPECT_EQ(prefilled.status().message(),
            "previous.instrument.instrument_id: the previous assessment is of 'other', not of 'golden'");
}

}  // namespace
}  // namespace ix::adapters::fhir
