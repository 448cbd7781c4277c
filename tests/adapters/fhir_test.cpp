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
  // Logic R4 cannot express is reported per item, never dropped silently.
  EXPECT_TRUE(HasNote(q.report, v1::CARRY_REASON_NOT_EXPRESSIBLE, "items[assess.since].enable_when"));
  EXPECT_TRUE(HasNote(q.report, v1::CARRY_REASON_NOT_EXPRESSIBLE, "items[person.sick].required_when"));
  EXPECT_TRUE(HasNote(q.report, v1::CARRY_REASON_NOT_EXPRESSIBLE, "items[home.adults].calculated"));
  EXPECT_FALSE(HasNote(q.report, v1::CARRY_REASON_NOT_EXPRESSIBLE, "items[home.contract_end]"));
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

}  // namespace
}  // namespace ix::adapters::fhir
