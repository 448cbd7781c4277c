// Exchange packages: export limited to the consent and signed; import verifies signature,
// version, sender, consent (recipient, scope, expiry), protected identity, and is idempotent.
#include <ix/adapters/exchange/exchange.hpp>
#include <ix/adapters/report.hpp>
#include <ix/base/crypto.hpp>

#include "test_support.hpp"

#include "ix/v1/categorisation.pb.h"

#include <google/protobuf/util/message_differencer.h>

namespace ix::adapters::exchange {
namespace {

using testing::ReadCanonical;

constexpr const char* kSender = "0181";    // Södertälje
constexpr const char* kReceiver = "0192";  // Nynäshamn

v1::Case ExampleCase() {
  return ReadCanonical<v1::Case>(std::filesystem::path(IX_TEST_EXAMPLES_DIR) / "case-after-two-years.json");
}

v1::ConsentRecord Consent(std::initializer_list<v1::ConsentScope> scopes) {
  v1::ConsentRecord consent;
  consent.set_consent_id("consent-2026-001");
  for (auto scope : scopes) consent.add_scopes(scope);
  consent.set_recipient_municipality_code(kReceiver);
  consent.set_purpose(v1::EXCHANGE_PURPOSE_MOVING);
  consent.set_given_on("2026-02-20");
  consent.set_expires_on("2026-05-31");
  consent.set_recorded_by("cw-17");
  consent.add_given_by("p1");
  consent.add_given_by("p2");
  return consent;
}

v1::ConsentRecord FullConsent() {
  return Consent({v1::CONSENT_SCOPE_RESPONSES, v1::CONSENT_SCOPE_ASSESSMENTS, v1::CONSENT_SCOPE_PLAN,
                  v1::CONSENT_SCOPE_FORSORJNINGSHINDER});
}

struct Keys {
  base::crypto::SigningKeyPair sender = base::crypto::GenerateSigningKeyPair();
  base::crypto::SigningKeyPair stranger = base::crypto::GenerateSigningKeyPair();
};

ExportRequest Request(const v1::Case& c, const v1::ConsentRecord& consent) {
  ExportRequest request;
  request.household_case = c;
  request.consent = consent;
  request.package_id = "ixpkg-0181-2026-0001";
  request.created_at = "2026-03-02T09:00:00Z";
  request.sender_municipality_code = kSender;
  request.sender_unit = "ekonomiskt-bistand-syd";
  request.sender_system = "ix-tests";
  return request;
}

ImportPolicy Policy(const Keys& keys) {
  ImportPolicy policy;
  policy.trusted.push_back({keys.sender.public_key_hex, kSender});
  policy.recipient_municipality_code = kReceiver;
  policy.recipient_unit = "ekonomiskt-bistand";
  policy.today = "2026-03-03";
  return policy;
}

std::string Bytes(const v1::ExchangePackage& package) { return package.SerializeAsString(); }

// Signs arbitrary content with `secret` (to build packages the exporter would never write).
std::string SignedPackage(const v1::ExchangeContent& content, const base::crypto::SigningKeyPair& key) {
  v1::ExchangePackage package;
  package.set_format_version(content.format_version());
  package.set_content(content.SerializeAsString());
  package.set_signature_hex(base::crypto::Sign(package.content(), key.secret_key_hex).value());
  package.set_signer_public_key_hex(key.public_key_hex);
  return Bytes(package);
}

void ExpectRefused(const Result<Imported>& result, const std::string& expected) {
  ASSERT_FALSE(result.ok()) << "accepted, expected: " << expected;
  EXPECT_NE(result.status().message().find(expected), std::string::npos) << result.status().message();
  EXPECT_EQ(result.status().message().find("19850312"), std::string::npos) << "no personnummer in errors";
}

TEST(ExchangeExport, FullConsentCarriesTheCaseButNotThePayments) {
  Keys keys;
  const v1::Case original = ExampleCase();
  auto exported = Export(Request(original, FullConsent()), keys.sender.secret_key_hex);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  MemoryLedger ledger;
  auto imported = Import(Bytes(exported->package), Policy(keys), ledger);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_FALSE(imported->result.already_imported());
  EXPECT_EQ(imported->result.package_id(), "ixpkg-0181-2026-0001");
  const v1::Case& got = imported->content.household_case();
  EXPECT_EQ(got.responses_size(), original.responses_size());
  EXPECT_EQ(got.assessments_size(), original.assessments_size());
  EXPECT_EQ(got.forsorjningshinder_size(), original.forsorjningshinder_size());
  EXPECT_TRUE(got.has_plan());
  EXPECT_EQ(got.assistance_size(), 0);  // the sender's payment records stay
  EXPECT_TRUE(HasNote(exported->report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "assistance"));
  // The receiver keeps it as its own: its municipality code everywhere, its unit.
  const v1::Case received = ReceivedCase(imported->content, Policy(keys));
  EXPECT_EQ(received.household().municipality_code(), kReceiver);
  EXPECT_EQ(received.unit(), "ekonomiskt-bistand");
  for (const auto& event : received.events()) {
    if (event.has_categorisation()) {
      EXPECT_EQ(event.categorisation().header().municipality_code(), kReceiver);
    }
  }
}

TEST(ExchangeExport, OnlyWhatTheConsentCoversLeaves) {
  Keys keys;
  auto exported = Export(Request(ExampleCase(), Consent({v1::CONSENT_SCOPE_RESPONSES,
                                                         v1::CONSENT_SCOPE_FORSORJNINGSHINDER})),
                         keys.sender.secret_key_hex)
                      .value();
  v1::ExchangeContent content;
  ASSERT_TRUE(content.ParseFromString(exported.package.content()));
  const v1::Case& c = content.household_case();
  EXPECT_GT(c.responses_size(), 0);
  EXPECT_GT(c.forsorjningshinder_size(), 0);
  EXPECT_EQ(c.assessments_size(), 0);
  EXPECT_FALSE(c.has_plan());
  EXPECT_EQ(c.follow_ups_size(), 0);
  EXPECT_EQ(c.events_size(), 0);
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "plan"));
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_NOT_IN_TARGET_MODEL, "assessments"));
  MemoryLedger ledger;
  EXPECT_TRUE(Import(Bytes(exported.package), Policy(keys), ledger).ok());
}

TEST(ExchangeExport, ConsentMustBeCompleteAndCurrent) {
  Keys keys;
  v1::ConsentRecord missing_adult = FullConsent();
  missing_adult.clear_given_by();
  missing_adult.add_given_by("p1");
  auto a = Export(Request(ExampleCase(), missing_adult), keys.sender.secret_key_hex);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "consent.given_by: adult 'p2' has not consented");
  v1::ConsentRecord expired = FullConsent();
  expired.set_expires_on("2026-03-01");
  auto b = Export(Request(ExampleCase(), expired), keys.sender.secret_key_hex);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), "consent.expires_on: the consent expired on 2026-03-01");
  v1::ConsentRecord nothing = FullConsent();
  nothing.clear_scopes();
  auto c = Export(Request(ExampleCase(), nothing), keys.sender.secret_key_hex);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "consent.scopes: empty: the client agreed to share nothing");
}

TEST(ExchangeProtectedIdentity, ContactDataOfAProtectedPersonNeverLeaves) {
  Keys keys;
  v1::Case c = ExampleCase();
  c.mutable_household()->mutable_persons(1)->set_protected_identity(true);
  auto* response = c.mutable_responses(0)->mutable_response();
  response->mutable_household()->mutable_persons(1)->set_protected_identity(true);
  auto* answer = response->add_answers();
  answer->set_item_id("personal.phone");
  answer->set_person_ref("p2");
  answer->mutable_value()->set_text("070-999 99 99");
  auto* change = response->add_changes();
  change->set_item_id("personal.phone");
  change->set_person_ref("p2");
  change->mutable_new_value()->set_text("070-999 99 99");
  auto exported = Export(Request(c, FullConsent()), keys.sender.secret_key_hex).value();
  EXPECT_EQ(exported.package.content().find("070-999"), std::string::npos);
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "responses[*].answers"));
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "responses[*].changes"));

  // A sender that does not follow the rule: the importer refuses the package.
  v1::ExchangeContent content;
  ASSERT_TRUE(content.ParseFromString(exported.package.content()));
  *content.mutable_household_case()->mutable_responses(0)->mutable_response()->add_answers() = *answer;
  MemoryLedger ledger;
  ExpectRefused(Import(SignedPackage(content, keys.sender), Policy(keys), ledger),
                "household_case.responses[0]: contact data ('personal.phone') of a person with protected identity");
}

TEST(ExchangeTampering, EveryChangedByteOfTheContentIsRefused) {
  Keys keys;
  auto exported = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex).value();
  const std::string good = Bytes(exported.package);
  const std::string& content = exported.package.content();
  const std::size_t offset = good.find(content);
  ASSERT_NE(offset, std::string::npos);
  int refused = 0;
  for (std::size_t i = 0; i < content.size(); i += 37) {
    std::string bad = good;
    bad[offset + i] = static_cast<char>(bad[offset + i] ^ 0x01);
    MemoryLedger ledger;
    auto result = Import(bad, Policy(keys), ledger);
    ASSERT_FALSE(result.ok()) << "byte " << i << " changed, package accepted";
    EXPECT_EQ(result.status().message(),
              "package.signature_hex: the signature does not verify: the package was changed after signing, or "
              "signed with another key");
    ++refused;
  }
  EXPECT_GT(refused, 100);
  // A changed byte in the signature itself.
  v1::ExchangePackage package = exported.package;
  std::string signature = package.signature_hex();
  signature[10] = signature[10] == '0' ? '1' : '0';
  package.set_signature_hex(signature);
  MemoryLedger ledger;
  ExpectRefused(Import(Bytes(package), Policy(keys), ledger), "package.signature_hex: the signature does not verify");
  // Not a package at all.
  ExpectRefused(Import("this is not a package", Policy(keys), ledger), "package: not an Instrument X exchange package");
}

TEST(ExchangeTampering, WrongKeysAreRefused) {
  Keys keys;
  MemoryLedger ledger;
  // Signed by a key nobody trusts.
  auto stranger = Export(Request(ExampleCase(), FullConsent()), keys.stranger.secret_key_hex).value();
  ExpectRefused(Import(Bytes(stranger.package), Policy(keys), ledger),
                "package.signer_public_key_hex: not the key of a trusted sender");
  // Signed by a stranger but claiming the trusted sender's key.
  v1::ExchangePackage forged = stranger.package;
  forged.set_signer_public_key_hex(keys.sender.public_key_hex);
  ExpectRefused(Import(Bytes(forged), Policy(keys), ledger), "package.signature_hex: the signature does not verify");
  // A trusted key used for another municipality's packages.
  ExportRequest other = Request(ExampleCase(), FullConsent());
  other.sender_municipality_code = "0180";
  auto misused = Export(other, keys.sender.secret_key_hex).value();
  ExpectRefused(Import(Bytes(misused.package), Policy(keys), ledger),
                "content.sender_municipality_code: the key belongs to 0181, not 0180");
}

TEST(ExchangeConsent, OutOfScopeWrongRecipientAndExpiredAreRefused) {
  Keys keys;
  MemoryLedger ledger;
  // Content the consent does not cover, signed by the trusted sender (a broken exporter).
  auto exported = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex).value();
  v1::ExchangeContent content;
  ASSERT_TRUE(content.ParseFromString(exported.package.content()));
  content.mutable_consent()->clear_scopes();
  content.mutable_consent()->add_scopes(v1::CONSENT_SCOPE_RESPONSES);
  content.mutable_consent()->add_scopes(v1::CONSENT_SCOPE_ASSESSMENTS);
  content.mutable_consent()->add_scopes(v1::CONSENT_SCOPE_FORSORJNINGSHINDER);
  ExpectRefused(Import(SignedPackage(content, keys.sender), Policy(keys), ledger),
                "consent.scopes: the package holds the plan, which needs the consent scope PLAN");
  // For another municipality.
  ImportPolicy elsewhere = Policy(keys);
  elsewhere.recipient_municipality_code = "0180";
  ExpectRefused(Import(Bytes(exported.package), elsewhere, ledger),
                "consent.recipient_municipality_code: the consent is for 0192, this is 0180");
  // After the consent expired (last valid day 2026-05-31).
  ImportPolicy late = Policy(keys);
  late.today = "2026-06-01";
  ExpectRefused(Import(Bytes(exported.package), late, ledger),
                "consent.expires_on: expired on 2026-05-31 (today is 2026-06-01)");
  late.today = "2026-05-31";
  EXPECT_TRUE(Import(Bytes(exported.package), late, ledger).ok());
}

TEST(ExchangeVersion, UnknownFormatVersionIsRefusedNamingBoth) {
  Keys keys;
  auto exported = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex).value();
  v1::ExchangePackage package = exported.package;
  package.set_format_version(2);
  MemoryLedger ledger;
  ExpectRefused(Import(Bytes(package), Policy(keys), ledger),
                "package.format_version: version 2 is not supported (this importer reads version 1)");
}

TEST(ExchangeReplay, ImportIsIdempotentAndAReusedIdIsRefused) {
  Keys keys;
  const auto ledger_path = std::filesystem::path(IX_TEST_ADAPTERS_EMITTED_DIR) / "exchange-ledger.txt";
  std::filesystem::create_directories(ledger_path.parent_path());
  std::filesystem::remove(ledger_path);
  auto exported = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex).value();
  {
    FileLedger ledger(ledger_path);
    auto first = Import(Bytes(exported.package), Policy(keys), ledger);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_FALSE(first->result.already_imported());
  }
  {
    FileLedger ledger(ledger_path);  // a new process: the ledger is on disk
    auto again = Import(Bytes(exported.package), Policy(keys), ledger);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_TRUE(again->result.already_imported());
    // The same id with other content (a replayed id) is refused.
    ExportRequest changed = Request(ExampleCase(), FullConsent());
    changed.created_at = "2026-03-02T10:00:00Z";
    auto other = Export(changed, keys.sender.secret_key_hex).value();
    ExpectRefused(Import(Bytes(other.package), Policy(keys), ledger),
                  "content.package_id: imported before with other content; a reused package id is refused");
  }
  EXPECT_EQ(testing::ReadText(ledger_path),
            "ixpkg-0181-2026-0001 " + base::crypto::Sha256Hex(exported.package.content()) + "\n");
}

}  // namespace
}  // namespace ix::adapters::exchange
