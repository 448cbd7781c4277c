// The one protected-identity rule, applied by every export format (exchange packages, Lifecare,
// FHIR, field codes) to a case whose snapshots disagree: the person is protected in one
// snapshot the case holds and not in another. No contact data of that person may appear in
// the bytes any format writes, and each export reports what it withheld.
#include <ix/adapters/exchange/exchange.hpp>
#include <ix/adapters/fhir/fhir.hpp>
#include <ix/adapters/fieldcodes/fieldcodes.hpp>
#include <ix/adapters/lifecare/lifecare.hpp>
#include <ix/adapters/protected_identity.hpp>
#include <ix/adapters/report.hpp>
#include <ix/base/crypto.hpp>

#include "test_support.hpp"

#include "ix/v1/categorisation.pb.h"

namespace ix::adapters {
namespace {

using testing::ReadCanonical;

constexpr const char* kPhone = "070-999 99 99";  // p2's phone: must never leave

v1::Case ExampleCase() {
  return ReadCanonical<v1::Case>(std::filesystem::path(IX_TEST_EXAMPLES_DIR) / "case-after-two-years.json");
}

void AddPhone(v1::InstrumentResponse* response, const std::string& person_ref, const std::string& phone) {
  auto* answer = response->add_answers();
  answer->set_item_id("personal.phone");
  answer->set_person_ref(person_ref);
  answer->mutable_value()->set_text(phone);
  auto* change = response->add_changes();
  change->set_item_id("personal.phone");
  change->set_person_ref(person_ref);
  change->mutable_new_value()->set_text(phone);
}

enum class Where { kCaseHousehold, kNewestResponse };

// p2 is protected only in `where`; the oldest response (where p2 is not protected) holds p2's
// phone, and p1's phone (unprotected everywhere) is there too.
v1::Case DivergentCase(Where where) {
  v1::Case c = ExampleCase();
  if (where == Where::kCaseHousehold) {
    c.mutable_household()->mutable_persons(1)->set_protected_identity(true);
  } else {
    c.mutable_responses(c.responses_size() - 1)->mutable_response()->mutable_household()->mutable_persons(1)
        ->set_protected_identity(true);
  }
  auto* oldest = c.mutable_responses(0)->mutable_response();
  EXPECT_FALSE(oldest->household().persons(1).protected_identity()) << "the snapshots must disagree";
  AddPhone(oldest, "p2", kPhone);
  AddPhone(oldest, "p1", "08-111 111 11");
  return c;
}

const v1::Definition& Definition2024() { return testing::PluginDefinition("instrument-x", "2024.1"); }

// Field-code profile A with the phone mapped, so the format could carry it.
fieldcodes::Profile ProfileWithPhone() {
  const auto path = std::filesystem::path(IX_FIELDCODE_PROFILES_DIR) / "kommunsystem-a-v1.json";
  std::string json = testing::ReadText(path);
  const std::string anchor = R"("fields": [)";
  json.insert(json.find(anchor) + anchor.size(), R"({"code": "IX109", "item": "personal.phone"},)");
  auto profile = fieldcodes::LoadProfile(json, "profile-with-phone.json", Definition2024());
  EXPECT_TRUE(profile.ok()) << profile.status().ToString();
  return profile.ok() ? std::move(profile).value() : fieldcodes::Profile();
}

class DivergentSnapshots : public ::testing::TestWithParam<Where> {};

TEST_P(DivergentSnapshots, ExchangePackageHoldsNoContactDataOfTheProtectedPerson) {
  const v1::Case c = DivergentCase(GetParam());
  exchange::ExportRequest request;
  request.household_case = c;
  request.consent.set_consent_id("consent-1");
  for (auto scope : {v1::CONSENT_SCOPE_RESPONSES, v1::CONSENT_SCOPE_ASSESSMENTS}) request.consent.add_scopes(scope);
  request.consent.set_recipient_municipality_code("0192");
  request.consent.set_purpose(v1::EXCHANGE_PURPOSE_MOVING);
  request.consent.set_given_on("2026-02-20");
  request.consent.set_expires_on("2026-05-31");
  request.consent.set_recorded_by("cw-17");
  request.consent.add_given_by("p1");
  request.consent.add_given_by("p2");
  request.created_at = "2026-03-02T09:00:00Z";
  request.sender_municipality_code = "0181";
  const auto signer = base::crypto::GenerateSigningKeyPair();
  const auto receiver = exchange::GenerateEncryptionKeyPair();
  auto exported = exchange::Export(request, signer.secret_key_hex, {{receiver.public_key_hex, "0192"}});
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  // The bytes are encrypted: what the receiver reads is what must not hold the phone.
  exchange::ImportPolicy policy;
  policy.trusted.push_back({signer.public_key_hex, "0181"});
  policy.decryption_secret_key_hex = receiver.secret_key_hex;
  policy.recipient_municipality_code = "0192";
  policy.today = "2026-03-03";
  auto verified = exchange::Verify(exported->package.SerializeAsString(), policy);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString() << " (the receiver accepts the package)";
  const std::string bytes = verified->content.SerializeAsString();
  EXPECT_EQ(bytes.find(kPhone), std::string::npos) << "p2's phone is in the package";
  EXPECT_NE(bytes.find("08-111 111 11"), std::string::npos)
      << "an unprotected person's phone is carried (the test can see a phone)";
  EXPECT_TRUE(HasNote(exported->report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "responses[*].answers"));
  EXPECT_TRUE(HasNote(exported->report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "responses[*].changes"));
  // Every snapshot in the package says p2 is protected, so the receiver keeps the protection.
  const v1::ExchangeContent& content = verified->content;
  EXPECT_TRUE(content.household_case().household().persons(1).protected_identity());
  for (const auto& dated : content.household_case().responses()) {
    EXPECT_TRUE(dated.response().household().persons(1).protected_identity());
  }
}

TEST_P(DivergentSnapshots, LifecareDocumentHoldsNoContactDataOfTheProtectedPerson) {
  const v1::Case c = DivergentCase(GetParam());
  const auto table = ReadCanonical<v1::CategorisationData>(std::filesystem::path(IX_TEST_DEFINITIONS_DIR) /
                                                           "catalogues/forsorjningshinder-2017.json")
                         .forsorjningshinder_tables(0);
  auto exported = lifecare::ToLifecare(c, table);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  const std::string bytes = exported->document.dump();
  EXPECT_EQ(bytes.find("070-999"), std::string::npos) << "p2's phone is in the Lifecare document";
  EXPECT_EQ(exported->document["Persons"][0]["PhoneMobile"], "08-111 111 11");
  EXPECT_EQ(exported->document["Persons"][1]["ProtectedRegistration"], true);
  EXPECT_TRUE(HasNote(exported->report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "household.persons[*]."));
}

TEST_P(DivergentSnapshots, FhirDocumentOfTheOlderResponseHoldsNoContactDataOfTheProtectedPerson) {
  const v1::Case c = DivergentCase(GetParam());
  fhir::Options options;
  options.protection = ProtectedIdentity::OfCase(c);
  auto qr = fhir::ResponseToFhir(c.responses(0).response(), Definition2024(), options);
  ASSERT_TRUE(qr.ok()) << qr.status().ToString();
  const std::string bytes = qr->resource.dump();
  EXPECT_EQ(bytes.find("070-999"), std::string::npos) << "p2's phone is in the FHIR document";
  EXPECT_NE(bytes.find("08-111 111 11"), std::string::npos);
  EXPECT_TRUE(HasNote(qr->report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "answers[personal.phone]"));
}

TEST_P(DivergentSnapshots, FieldCodeRecordsOfTheOlderResponseHoldNoContactDataOfTheProtectedPerson) {
  const v1::Case c = DivergentCase(GetParam());
  auto exported = fieldcodes::ExportResponse(c.responses(0).response(), ProfileWithPhone(), ProtectedIdentity::OfCase(c));
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  EXPECT_EQ(exported->text.find("070-999"), std::string::npos) << "p2's phone is in the records";
  EXPECT_NE(exported->text.find("08-111 111 11"), std::string::npos);
  EXPECT_TRUE(HasNote(exported->report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "answers[personal.phone]"));
}

INSTANTIATE_TEST_SUITE_P(ProtectedIdentity, DivergentSnapshots,
                         ::testing::Values(Where::kCaseHousehold, Where::kNewestResponse),
                         [](const ::testing::TestParamInfo<Where>& param_info) {
                           return param_info.param == Where::kCaseHousehold ? std::string("InCaseHousehold")
                                                                      : std::string("InNewestResponse");
                         });

TEST(ProtectedIdentityRule, APersonUnknownInTheExportedSnapshotIsWithheld) {
  v1::Household snapshot;
  auto* p1 = snapshot.add_persons();
  p1->set_person_ref("p1");
  p1->set_personnummer("19850312-1231");
  v1::Answer phone;
  phone.set_item_id("personal.phone");
  phone.set_person_ref("p1");
  const ProtectedIdentity none = ProtectedIdentity::Of(snapshot);
  EXPECT_FALSE(none.Withholds(snapshot, phone));
  phone.set_person_ref("p9");
  EXPECT_TRUE(none.Withholds(snapshot, phone)) << "p9 is not in the snapshot";
  phone.set_item_id("occupation.current");
  EXPECT_FALSE(none.Withholds(snapshot, phone)) << "only contact items are withheld";
}

TEST(ProtectedIdentityRule, ProtectionFollowsThePersonnummerAcrossReferences) {
  v1::Household older;
  auto* person = older.add_persons();
  person->set_person_ref("p2");
  person->set_personnummer("198207214563");
  person->set_protected_identity(true);
  v1::Household exported;  // another system's references, the same person
  auto* same = exported.add_persons();
  same->set_person_ref("x-7");
  same->set_personnummer("19820721-4563");
  v1::Answer phone;
  phone.set_item_id("personal.phone");
  phone.set_person_ref("x-7");
  EXPECT_FALSE(ProtectedIdentity::Of(exported).Withholds(exported, phone));
  ProtectedIdentity rule = ProtectedIdentity::Of(exported);
  rule.Add(older);
  EXPECT_TRUE(rule.Withholds(exported, phone));
}

TEST(ProtectedIdentityRule, AnExportOfOneResponseDecidesOverTheCaseItBelongsTo) {
  const v1::Case c = DivergentCase(Where::kCaseHousehold);
  const v1::InstrumentResponse& oldest = c.responses(0).response();
  v1::Answer phone;
  phone.set_item_id("personal.phone");
  phone.set_person_ref("p2");
  auto alone = ProtectedIdentity::ForExport(oldest, nullptr, "household_case");
  ASSERT_TRUE(alone.ok());
  EXPECT_FALSE(alone->Withholds(oldest.household(), phone)) << "the response alone does not say p2 is protected";
  auto with_case = ProtectedIdentity::ForExport(oldest, &c, "household_case");
  ASSERT_TRUE(with_case.ok()) << with_case.status().ToString();
  EXPECT_TRUE(with_case->Withholds(oldest.household(), phone));
  // A case of another household would decide over the wrong snapshots.
  v1::Case other = c;
  other.mutable_household()->set_household_ref("hh-other");
  auto refused = ProtectedIdentity::ForExport(oldest, &other, "household_case");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message().rfind("household_case.household.household_ref: ", 0), 0u)
      << refused.status().message();
}

}  // namespace
}  // namespace ix::adapters
