// Lifecare FamilyCare v1 adapter: the two-year example case out to Lifecare's DTOs (golden
// file, checked against the published Swagger by the independent validator), the round trip
// of what Lifecare carries, protected identity in both directions, malformed exports.
#include <ix/adapters/lifecare/lifecare.hpp>
#include <ix/adapters/report.hpp>
#include <ix/core/personnummer.hpp>

#include "test_support.hpp"
#include "../time_budget.hpp"

#include "ix/v1/categorisation.pb.h"

#include <google/protobuf/util/message_differencer.h>

#include <chrono>
#include <cstdio>

#include <sodium.h>

namespace ix::adapters::lifecare {
namespace {

using testing::ExpectGolden;
using testing::GoldenDir;
using testing::ReadCanonical;

const v1::ForsorjningshinderTable& Table() {
  static const v1::ForsorjningshinderTable table =
      ReadCanonical<v1::CategorisationData>(std::filesystem::path(IX_TEST_DEFINITIONS_DIR) /
                                            "catalogues/forsorjningshinder-2017.json")
          .forsorjningshinder_tables(0);
  return table;
}

v1::Case ExampleCase() {
  return ReadCanonical<v1::Case>(std::filesystem::path(IX_TEST_EXAMPLES_DIR) / "case-after-two-years.json");
}

std::string Decode(const std::string& base64) {
  std::string out(base64.size(), '\0');
  std::size_t length = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), base64.data(),
                              base64.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  out.resize(length);
  return out;
}

void Emit(const std::string& name, const Json& document) {
  testing::WriteText(testing::EmittedDir("lifecare") / name, document.dump(2) + "\n");
}

TEST(LifecareExport, GoldenFileOfTheTwoYearCase) {
  auto exported = ToLifecare(ExampleCase(), Table());
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  ExpectGolden(exported->document.dump(2) + "\n", GoldenDir() / "lifecare/case-after-two-years.json");
  Emit("case-after-two-years.json", exported->document);
}

TEST(LifecareExport, DecisionReasonsAreTheForsorjningshinderLabels) {
  auto exported = ToLifecare(ExampleCase(), Table()).value();
  const Json& d = exported.document;
  ASSERT_EQ(d["Persons"].size(), 3u);
  EXPECT_EQ(d["Persons"][0]["PersonId"], "19850312-1231");
  EXPECT_EQ(d["Persons"][0]["ProtectedRegistration"], false);
  EXPECT_EQ(d["Investigation"]["Applicant"], "19850312-1231");
  EXPECT_EQ(d["Investigation"]["CoApplicant"], "19820721-4563");
  EXPECT_EQ(d["Investigation"]["Caseworker"], "cw-17");
  EXPECT_EQ(d["Investigation"]["FromDate"], "2024-03-04");
  ASSERT_GE(d["Decisions"].size(), 1u);
  const Json& first = d["Decisions"][0];
  EXPECT_EQ(first["Date"], "2024-03-04");
  // p1 (registerledare) unemployed_no_benefit, p2 (medsökande) unemployed_insufficient_benefit.
  EXPECT_EQ(first["Reason"], "Arbetslös – ingen ersättning");
  EXPECT_EQ(first["ReasonCoApplicant"], "Arbetslös – otillräcklig ersättning");
  EXPECT_EQ(first["DecisionMaker"], "cw-17");
  // The aktanteckning: a document and its text.
  ASSERT_EQ(d["Documents"].size(), 1u);
  EXPECT_EQ(d["Documents"][0]["DocumentType"], "Aktanteckning");
  EXPECT_EQ(d["Documents"][0]["Id"], d["DocumentContents"][0]["DocumentId"]);
  const std::string note = Decode(d["DocumentContents"][0]["Content"].get<std::string>());
  EXPECT_NE(note.find("Registerledare: försörjningshinder Arbetslös – ingen ersättning"), std::string::npos) << note;
  EXPECT_NE(note.find("Registerledare: behovskategori"), std::string::npos) << note;
  EXPECT_EQ(note.find("19850312"), std::string::npos) << "no personnummer in the note";
  // What Lifecare has no place for is in the report.
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "household.persons[*].sex"));
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "responses[*].answers"));
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_TEXT_ONLY, "assessments"));
}

TEST(LifecareRoundTrip, CarriedFieldsComeBackExactly) {
  const v1::Case original = ExampleCase();
  auto exported = ToLifecare(original, Table()).value();
  auto document = ParseVendorJson(exported.document.dump(), "export.json").value();
  FromLifecareOptions options;
  options.municipality_code = original.household().municipality_code();
  options.household_ref = original.household().household_ref();
  auto imported = FromLifecare(document, Table(), options);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();

  // What Lifecare carries: the persons without sex, roles, caseworker, unit, first visit, the
  // chosen försörjningshinder of applicant and co-applicant (not the suggestion).
  v1::Case expected;
  *expected.mutable_household() = original.household();
  for (auto& person : *expected.mutable_household()->mutable_persons()) person.clear_sex();
  expected.set_caseworker(original.caseworker());
  expected.set_unit(original.unit());
  expected.set_first_visit_on(original.first_visit_on());
  for (const auto& record : original.forsorjningshinder()) {
    auto* r = expected.add_forsorjningshinder();
    *r = record;
    r->clear_suggested_code();
  }
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(expected, imported->household_case)) << diff;
  ASSERT_EQ(imported->notes.size(), 1u);
  EXPECT_EQ(imported->notes[0], SummaryNote(original, Table()));
}

TEST(LifecareRoundTrip, CustomerNumbersAreLinkedBack) {
  v1::Case c = ExampleCase();
  ToLifecareOptions out;
  auto* link = out.links.add_persons();
  link->set_person_ref("p2");
  link->set_customer_number(4711);
  out.links.set_investigation_id(90210);
  auto exported = ToLifecare(c, Table(), out).value();
  EXPECT_EQ(exported.document["Persons"][1]["CustomerNumber"], 4711);
  EXPECT_EQ(exported.document["Investigation"]["Id"], 90210);
  FromLifecareOptions in;
  in.links = out.links;
  auto imported = FromLifecare(exported.document, Table(), in).value();
  EXPECT_EQ(imported.household_case.household().household_ref(), "lifecare-investigation-90210");
  EXPECT_EQ(imported.household_case.household().persons(1).person_ref(), "p2");
  ASSERT_EQ(imported.links.persons_size(), 1);
  EXPECT_EQ(imported.links.persons(0).customer_number(), 4711);
}

TEST(LifecareRoundTrip, LinksOutsideLifecaresRangesAreRefused) {
  ToLifecareOptions out;
  auto* link = out.links.add_persons();
  link->set_person_ref("p1");
  link->set_customer_number(3000000000LL);
  auto exported = ToLifecare(ExampleCase(), Table(), out);
  ASSERT_FALSE(exported.ok());
  EXPECT_EQ(exported.status().message(),
            "links.persons[p1].customer_number: outside Lifecare's CustomerNumber range (int32)");
}

// --- Protected identity -------------------------------------------------------------------

TEST(LifecareProtectedIdentity, NoContactDataIsWrittenForAProtectedPerson) {
  v1::Case c = ExampleCase();
  c.mutable_household()->mutable_persons(1)->set_protected_identity(true);  // p2
  auto* response = c.mutable_responses(c.responses_size() - 1)->mutable_response();
  for (const auto& [ref, phone] : {std::pair{"p1", "08-111 111 11"}, std::pair{"p2", "070-999 99 99"}}) {
    auto* answer = response->add_answers();
    answer->set_item_id("personal.phone");
    answer->set_person_ref(ref);
    answer->mutable_value()->set_text(phone);
  }
  auto exported = ToLifecare(c, Table()).value();
  Emit("protected-identity.json", exported.document);
  const Json& persons = exported.document["Persons"];
  EXPECT_EQ(persons[0]["PhoneMobile"], "08-111 111 11");  // unprotected: carried
  EXPECT_FALSE(persons[1].contains("PhoneMobile"));
  EXPECT_EQ(persons[1]["ProtectedRegistration"], true);
  EXPECT_EQ(persons[1]["AddressProtection"], true);
  EXPECT_EQ(exported.document.dump().find("070-999"), std::string::npos);
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY,
                      "household.persons[*].PhoneMobile"));
}

TEST(LifecareProtectedIdentity, NoContactDataIsReadForAProtectedPerson) {
  Json document = ToLifecare(ExampleCase(), Table()).value().document;
  for (const std::string flag : {"ProtectedRegistration", "AddressProtection"}) {
    SCOPED_TRACE(flag);
    Json d = document;
    Json& p2 = d["Persons"][1];
    p2["ProtectedRegistration"] = false;
    p2["AddressProtection"] = false;
    p2[flag] = true;
    p2["Name"] = "Skyddad Person";
    p2["StreetAddress"] = "Hemliga gatan 1";
    p2["PostalCode"] = "999 99";
    p2["PostalAddress"] = "Hemlighult";
    p2["CareOfAddress"] = "c/o Hemlig";
    p2["PhoneHome"] = "08-999 99 99";
    p2["PhoneMobile"] = "070-999 99 99";
    p2["Email"] = "skyddad@example.se";
    auto imported = FromLifecare(d, Table(), FromLifecareOptions{});
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    const std::string everything = testing::ToCanonicalJson(imported->household_case) +
                                   testing::ToCanonicalJson(imported->report) + imported->notes[0];
    for (const std::string secret : {"Hemliga", "999 99", "Hemlighult", "c/o", "08-999", "070-999", "skyddad@",
                                     "Skyddad Person"}) {
      EXPECT_EQ(everything.find(secret), std::string::npos) << secret << " leaked";
    }
    EXPECT_TRUE(imported->household_case.household().persons(1).protected_identity());
    for (const std::string field : {"StreetAddress", "PostalCode", "PostalAddress", "CareOfAddress", "PhoneHome",
                                    "PhoneMobile", "Email"}) {
      EXPECT_TRUE(HasNote(imported->report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "Persons[*]." + field))
          << field;
    }
  }
}

// --- Malformed exports ----------------------------------------------------------------------

struct Malformed {
  const char* name;
  std::function<void(Json&)> mutate;
  const char* expected;
};

class LifecareMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(LifecareMalformed, IsRefusedWithAPreciseError) {
  Json document = ToLifecare(ExampleCase(), Table()).value().document;
  GetParam().mutate(document);
  auto imported = FromLifecare(document, Table(), FromLifecareOptions{});
  ASSERT_FALSE(imported.ok());
  EXPECT_NE(imported.status().message().find(GetParam().expected), std::string::npos)
      << imported.status().message();
  EXPECT_EQ(imported.status().message().find("19850312"), std::string::npos) << "no personnummer in errors";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LifecareMalformed,
    ::testing::Values(
        Malformed{"customer_number_text", [](Json& d) { d["Persons"][0]["CustomerNumber"] = "4711"; },
                  "Persons[0].CustomerNumber: expected an integer, got a string"},
        Malformed{"customer_number_too_large", [](Json& d) { d["Persons"][0]["CustomerNumber"] = 3000000000LL; },
                  "Persons[0].CustomerNumber: out of range"},
        Malformed{"protected_flag_text", [](Json& d) { d["Persons"][1]["ProtectedRegistration"] = "ja"; },
                  "Persons[1].ProtectedRegistration: expected a boolean, got a string"},
        Malformed{"missing_person_id", [](Json& d) { d["Persons"][1].erase("PersonId"); },
                  "Persons[1].PersonId: missing (required)"},
        Malformed{"bad_person_id", [](Json& d) { d["Persons"][1]["PersonId"] = "19820721-4564"; },
                  "Persons[1].PersonId: not a valid personnummer"},
        Malformed{"unknown_field", [](Json& d) { d["Persons"][0]["SocialSecurityNumber"] = "x"; },
                  "Persons[0].SocialSecurityNumber: unknown field"},
        Malformed{"persons_not_array", [](Json& d) { d["Persons"] = Json::object(); },
                  "Persons: expected an array, got an object"},
        Malformed{"missing_persons", [](Json& d) { d.erase("Persons"); }, "Persons: missing (required)"},
        Malformed{"missing_investigation", [](Json& d) { d.erase("Investigation"); },
                  "Investigation: missing"},
        Malformed{"applicant_unknown", [](Json& d) { d["Investigation"]["Applicant"] = "19121212-1212"; },
                  "Investigation.Applicant: not one of Persons[*].PersonId"},
        Malformed{"bad_from_date", [](Json& d) { d["Investigation"]["FromDate"] = "2024-02-30"; },
                  "Investigation.FromDate: not a date"},
        Malformed{"from_date_with_50_kb_of_time", [](Json& d) {
                    d["Investigation"]["FromDate"] = "2020-01-01T" + std::string(50000, '0'); },
                  "Investigation.FromDate: 50011 characters, at most 35 (YYYY-MM-DD or an ISO date-time)"},
        Malformed{"from_date_with_a_malformed_time", [](Json& d) { d["Investigation"]["FromDate"] = "2024-03-04Tnoon"; },
                  "Investigation.FromDate: not a date (YYYY-MM-DD or an ISO date-time)"},
        Malformed{"decision_date_with_trailing_text", [](Json& d) { d["Decisions"][0]["Date"] = "2024-03-04T10:00:00Zx"; },
                  "Decisions[0].Date: not a date"},
        Malformed{"unknown_reason", [](Json& d) { d["Decisions"][0]["Reason"] = "Arbetslös – har ersättning"; },
                  "Decisions[0].Reason: unknown försörjningshinder"},
        Malformed{"unknown_co_reason", [](Json& d) { d["Decisions"][0]["ReasonCoApplicant"] = "Lottovinst"; },
                  "Decisions[0].ReasonCoApplicant: unknown försörjningshinder"},
        Malformed{"amount_text", [](Json& d) { d["Decisions"][0]["Amount"] = "1200 kr"; },
                  "Decisions[0].Amount: expected a number, got a string"},
        Malformed{"content_not_base64", [](Json& d) { d["DocumentContents"][0]["Content"] = "not base64!"; },
                  "DocumentContents[0].Content: not base64"},
        Malformed{"content_not_utf8", [](Json& d) { d["DocumentContents"][0]["Content"] = "/w=="; },  // 0xFF
                  "DocumentContents[0].Content: the note is not UTF-8 text"},
        Malformed{"content_for_unknown_document", [](Json& d) { d["DocumentContents"][0]["DocumentId"] = "x"; },
                  "DocumentContents[0].DocumentId: no document with this Id"},
        Malformed{"not_an_object", [](Json& d) { d = Json::array(); }, "export: expected an object, got an array"}),
    [](const ::testing::TestParamInfo<Malformed>& param_info) { return std::string(param_info.param.name); });

TEST(LifecareMalformedText, InvalidUtf8AndHugeDocumentsAreRefusedBeforeMapping) {
  std::string bad = R"({"Persons":[{"PersonId":"19850312-1231","Name":")";
  bad += "\xED\xA0\x80";  // an encoded surrogate: not UTF-8
  bad += "\"}]}";
  auto parsed = ParseVendorJson(bad, "lifecare.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("lifecare.json: not valid JSON"), std::string::npos) << parsed.status().message();
  std::string huge = R"({"Persons":[)";
  while (huge.size() <= kMaxVendorDocumentBytes) huge += R"({"PersonId":"19850312-1231"},)";
  huge += "{}]}";
  auto too_big = ParseVendorJson(huge, "lifecare.json");
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.status().message().find("more than the limit"), std::string::npos);
}

// The document as text, parsed and imported as the server does, in less than a second.
Result<Imported> ImportTextWithinASecond(const Json& document) {
  const std::string text = document.dump();
  const auto started = std::chrono::steady_clock::now();
  auto parsed = ParseVendorJson(text, "json");
  if (!parsed.ok()) return parsed.status();
  auto imported = FromLifecare(*parsed, Table(), FromLifecareOptions{});
  EXPECT_LT(std::chrono::steady_clock::now() - started, test_time::Budget(std::chrono::seconds(1)));
  return imported;
}

TEST(LifecareHostileText, ALongDateTimeIsRefusedByFieldAndLengthWithinASecond) {
  // The date that crashed the old reader (its pattern recursed once per character).
  Json document = ToLifecare(ExampleCase(), Table()).value().document;
  document["Investigation"]["FromDate"] = "2020-01-01T" + std::string(50 * 1024, 'x');
  auto imported = ImportTextWithinASecond(document);
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(imported.status().problems().size(), 1u);
  EXPECT_EQ(imported.status().problems()[0].path, "Investigation.FromDate");
  EXPECT_EQ(imported.status().problems()[0].en, "51211 characters, at most 35 (YYYY-MM-DD or an ISO date-time)");
}

// 56 000 distinct persons, one investigation naming only the original household: the persons
// are indexed, so the export is read in well under a second (the old pairwise duplicate check
// compared 1.5 billion pairs) and refused for the persons outside the investigation.
TEST(LifecareHostileText, ManyPersonsAreIndexedNotComparedPairwise) {
  Json document = ToLifecare(ExampleCase(), Table()).value().document;
  for (int month = 1; month <= 2; ++month) {
    for (int day = 1; day <= 28; ++day) {
      for (int serial = 0; serial < 1000; ++serial) {
        char digits[16];  // "1990MMDDNNN"; the check digit is Luhn over the last nine
        std::snprintf(digits, sizeof digits, "1990%02d%02d%03d", month, day, serial);
        const std::string id = std::string(digits, 8) + "-" + std::string(digits + 8) +
                               std::to_string(core::LuhnCheckDigit(std::string(digits + 2)));
        document["Persons"].push_back(Json{{"PersonId", id}});
      }
    }
  }
  auto imported = ImportTextWithinASecond(document);
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.status().message(), "Persons: a person who is not in the investigation (InvestigationPersonDTOs)");
}

TEST(LifecareDates, DateTimesInTheirIsoFormsGiveTheirDay) {
  for (const char* from : {"2024-03-04", "2024-03-04T10:15", "2024-03-04T10:15:00", "2024-03-04T10:15:00.123",
                           "2024-03-04T10:15:00Z", "2024-03-04T23:59:59.123456789+01:00"}) {
    Json document = ToLifecare(ExampleCase(), Table()).value().document;
    document["Investigation"]["FromDate"] = from;
    auto imported = FromLifecare(document, Table(), FromLifecareOptions{});
    ASSERT_TRUE(imported.ok()) << from << ": " << imported.status().message();
    EXPECT_EQ(imported->household_case.first_visit_on(), "2024-03-04") << from;
  }
}

TEST(LifecareMapping, TheMappingIsDataAndBrokenMappingsAreNamed) {
  EXPECT_EQ(DefaultMapping().decision_type, "Försörjningsstöd");
  EXPECT_EQ(DefaultMapping().protection_flags.size(), 2u);
  auto broken = ParseMapping(R"({"person": {"source": 7}})", "my-mapping.json");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("investigation: expected an object"), std::string::npos)
      << broken.status().message();
}

}  // namespace
}  // namespace ix::adapters::lifecare
