// Exchange packages: export limited to the consent, signed, and sealed to the recipient; import
// decrypts with the recipient's key, verifies signature, version, sender, recipient, consent
// (recipient, scope, expiry), protected identity, and is idempotent. A third municipality can
// read nothing of a package, and a changed byte anywhere is refused.
#include <ix/adapters/exchange/exchange.hpp>
#include <ix/adapters/report.hpp>
#include <ix/base/crypto.hpp>

#include "test_support.hpp"

#include "ix/v1/categorisation.pb.h"

#include <google/protobuf/util/message_differencer.h>
#include <sodium.h>

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
  EncryptionKeyPair receiver = GenerateEncryptionKeyPair();  // Nynäshamn's
  EncryptionKeyPair third = GenerateEncryptionKeyPair();     // a third municipality's (0180)
  std::vector<Recipient> recipients() const { return {{receiver.public_key_hex, kReceiver}}; }
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

// Signed with `signer`, sealed to the receiver.
Result<Exported> Export(const ExportRequest& request, const std::string& signer, const Keys& keys) {
  return Export(request, signer, keys.recipients());
}

ImportPolicy Policy(const Keys& keys) {
  ImportPolicy policy;
  policy.trusted.push_back({keys.sender.public_key_hex, kSender});
  policy.decryption_secret_key_hex = keys.receiver.secret_key_hex;
  policy.recipient_municipality_code = kReceiver;
  policy.recipient_unit = "ekonomiskt-bistand";
  policy.today = "2026-03-03";
  return policy;
}

std::string Bytes(const v1::ExchangePackage& package) { return package.SerializeAsString(); }

std::string FromHex(const std::string& hex) {
  std::string bytes;
  EXPECT_TRUE(base::crypto::FromHex(hex, hex.size() / 2, &bytes)) << hex;
  return bytes;
}

// libsodium's sealed box, written out here rather than through the library under test.
std::string SealTo(const std::string& plaintext, const std::string& public_key_hex) {
  EXPECT_GE(sodium_init(), 0);
  const std::string key = FromHex(public_key_hex);
  std::string sealed(plaintext.size() + crypto_box_SEALBYTES, '\0');
  EXPECT_EQ(crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()),
                            reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                            reinterpret_cast<const unsigned char*>(key.data())),
            0);
  return sealed;
}

std::optional<std::string> OpenWith(const std::string& sealed, const EncryptionKeyPair& key) {
  EXPECT_GE(sodium_init(), 0);
  if (sealed.size() < crypto_box_SEALBYTES) return std::nullopt;
  const std::string public_key = FromHex(key.public_key_hex);
  const std::string secret_key = FromHex(key.secret_key_hex);
  std::string plain(sealed.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()),
                           reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                           reinterpret_cast<const unsigned char*>(public_key.data()),
                           reinterpret_cast<const unsigned char*>(secret_key.data())) != 0) {
    return std::nullopt;
  }
  return plain;
}

// What the receiver finds inside a package.
struct Opened {
  v1::SealedEnvelope sealed;
  v1::SignedEnvelope envelope;
  v1::ExchangeContent content;
};

Opened Open(const v1::ExchangePackage& package, const EncryptionKeyPair& key) {
  Opened out;
  const auto plain = OpenWith(package.sealed(), key);
  EXPECT_TRUE(plain.has_value()) << "the package does not open with the receiver's key";
  if (!plain) return out;
  EXPECT_TRUE(out.sealed.ParseFromString(*plain));
  EXPECT_TRUE(out.envelope.ParseFromString(out.sealed.signed_()));
  EXPECT_TRUE(out.content.ParseFromString(out.envelope.content()));
  return out;
}

// A package as the format describes it, signed with `key`, sealed to `recipient` (to build
// packages the exporter would never write).
std::string SignedPackage(const v1::SignedEnvelope& envelope, const std::string& signer_secret_hex,
                          const std::string& recipient_public_hex) {
  v1::SealedEnvelope sealed;
  sealed.set_signed_(envelope.SerializeAsString());
  sealed.set_signature_hex(base::crypto::Sign(sealed.signed_(), signer_secret_hex).value());
  v1::ExchangePackage package;
  package.set_format_version(kFormatVersion);
  package.set_recipient_public_key_hex(recipient_public_hex);
  package.set_sealed(SealTo(sealed.SerializeAsString(), recipient_public_hex));
  return Bytes(package);
}

std::string SignedPackage(const v1::ExchangeContent& content, const Keys& keys) {
  v1::SignedEnvelope envelope;
  envelope.set_signer_public_key_hex(keys.sender.public_key_hex);
  envelope.set_recipient_public_key_hex(keys.receiver.public_key_hex);
  envelope.set_recipient_municipality_code(kReceiver);
  envelope.set_content(content.SerializeAsString());
  return SignedPackage(envelope, keys.sender.secret_key_hex, keys.receiver.public_key_hex);
}

void ExpectRefused(const Result<Imported>& result, const std::string& expected) {
  ASSERT_FALSE(result.ok()) << "accepted, expected: " << expected;
  EXPECT_NE(result.status().message().find(expected), std::string::npos) << result.status().message();
  EXPECT_EQ(result.status().message().find("19850312"), std::string::npos) << "no personnummer in errors";
}

TEST(ExchangeExport, FullConsentCarriesTheCaseButNotThePayments) {
  Keys keys;
  const v1::Case original = ExampleCase();
  auto exported = Export(Request(original, FullConsent()), keys.sender.secret_key_hex, keys);
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
                         keys.sender.secret_key_hex, keys)
                      .value();
  const v1::ExchangeContent content = Open(exported.package, keys.receiver).content;
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
  auto a = Export(Request(ExampleCase(), missing_adult), keys.sender.secret_key_hex, keys);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "consent.given_by: adult 'p2' has not consented");
  v1::ConsentRecord expired = FullConsent();
  expired.set_expires_on("2026-03-01");
  auto b = Export(Request(ExampleCase(), expired), keys.sender.secret_key_hex, keys);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), "consent.expires_on: the consent expired on 2026-03-01");
  v1::ConsentRecord nothing = FullConsent();
  nothing.clear_scopes();
  auto c = Export(Request(ExampleCase(), nothing), keys.sender.secret_key_hex, keys);
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
  auto exported = Export(Request(c, FullConsent()), keys.sender.secret_key_hex, keys).value();
  EXPECT_EQ(Open(exported.package, keys.receiver).envelope.content().find("070-999"), std::string::npos);
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "responses[*].answers"));
  EXPECT_TRUE(HasNote(exported.report, v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, "responses[*].changes"));

  // A sender that does not follow the rule: the importer refuses the package.
  v1::ExchangeContent content = Open(exported.package, keys.receiver).content;
  *content.mutable_household_case()->mutable_responses(0)->mutable_response()->add_answers() = *answer;
  MemoryLedger ledger;
  ExpectRefused(Import(SignedPackage(content, keys), Policy(keys), ledger),
                "household_case.responses[0]: contact data ('personal.phone') of a person with protected identity");
}

TEST(ExchangeTampering, EveryChangedByteOfThePackageIsRefused) {
  Keys keys;
  auto exported = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex, keys).value();
  const std::string good = Bytes(exported.package);
  {
    MemoryLedger ledger;
    ASSERT_TRUE(Import(good, Policy(keys), ledger).ok()) << "the untouched package imports";
  }
  const std::size_t sealed_at = good.find(exported.package.sealed());
  ASSERT_NE(sealed_at, std::string::npos);
  int refused = 0;
  int sealed_refused = 0;
  for (std::size_t i = 0; i < good.size(); i += 37) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    MemoryLedger ledger;
    auto result = Import(bad, Policy(keys), ledger);
    ASSERT_FALSE(result.ok()) << "byte " << i << " changed, package accepted";
    EXPECT_EQ(result.status().message().find("19850312"), std::string::npos);
    if (i >= sealed_at) {  // a byte of the sealed box (ephemeral key, tag or ciphertext)
      EXPECT_EQ(result.status().message(),
                "package.sealed: does not decrypt with this municipality's key: the package was changed after "
                "sealing, or sealed to another key")
          << "byte " << i;
      ++sealed_refused;
    }
    ++refused;
  }
  EXPECT_GT(sealed_refused, 100);
  EXPECT_EQ(refused, static_cast<int>((good.size() + 36) / 37));
  // Re-sealed by anyone (the recipient's key is public) with a changed signature, or with
  // changed signed bytes under the original signature: the signature refuses both.
  Opened opened = Open(exported.package, keys.receiver);
  MemoryLedger ledger;
  std::string signature = opened.sealed.signature_hex();
  signature[10] = signature[10] == '0' ? '1' : '0';
  v1::SealedEnvelope bad_signature = opened.sealed;
  bad_signature.set_signature_hex(signature);
  v1::ExchangePackage resealed = exported.package;
  resealed.set_sealed(SealTo(bad_signature.SerializeAsString(), keys.receiver.public_key_hex));
  ExpectRefused(Import(Bytes(resealed), Policy(keys), ledger), "envelope.signature_hex: the signature does not verify");
  v1::SealedEnvelope bad_content = opened.sealed;
  std::string signed_bytes = bad_content.signed_();
  signed_bytes[signed_bytes.size() / 2] = static_cast<char>(signed_bytes[signed_bytes.size() / 2] ^ 0x01);
  bad_content.set_signed_(signed_bytes);
  resealed.set_sealed(SealTo(bad_content.SerializeAsString(), keys.receiver.public_key_hex));
  ExpectRefused(Import(Bytes(resealed), Policy(keys), ledger), "envelope.signature_hex: the signature does not verify");
  // Not a package at all.
  ExpectRefused(Import("this is not a package", Policy(keys), ledger), "package: not an Instrument X exchange package");
}

TEST(ExchangeEncryption, AThirdMunicipalityCanReadNothing) {
  Keys keys;
  const v1::Case c = ExampleCase();
  auto exported = Export(Request(c, FullConsent()), keys.sender.secret_key_hex, keys).value();
  const std::string bytes = Bytes(exported.package);
  // Nothing of the content in the bytes: no personnummer (either form), no reference, no answer.
  for (const auto& person : c.household().persons()) {
    std::string digits;
    for (char ch : person.personnummer()) {
      if (ch >= '0' && ch <= '9') digits += ch;
    }
    EXPECT_EQ(bytes.find(person.personnummer()), std::string::npos) << "personnummer in clear";
    EXPECT_EQ(bytes.find(digits), std::string::npos) << "personnummer digits in clear";
    EXPECT_EQ(bytes.find(digits.substr(2)), std::string::npos) << "10-digit personnummer in clear";
  }
  EXPECT_EQ(bytes.find(c.household().household_ref()), std::string::npos);
  EXPECT_EQ(bytes.find("consent-2026-001"), std::string::npos);
  EXPECT_EQ(bytes.find(keys.sender.public_key_hex), std::string::npos) << "who signed is inside the seal too";
  // The receiver reads it (so the test can fail): the personnummer is there once opened.
  EXPECT_NE(Open(exported.package, keys.receiver).envelope.content().find(c.household().persons(0).personnummer()),
            std::string::npos);
  // The third municipality's key does not open it.
  EXPECT_FALSE(OpenWith(exported.package.sealed(), keys.third).has_value());
  ImportPolicy third = Policy(keys);
  third.decryption_secret_key_hex = keys.third.secret_key_hex;
  third.recipient_municipality_code = "0180";
  MemoryLedger ledger;
  ExpectRefused(Import(bytes, third, ledger),
                "package.recipient_public_key_hex: the package is encrypted to another key");
  // Relabelled for the third's key, it still does not decrypt.
  v1::ExchangePackage relabelled = exported.package;
  relabelled.set_recipient_public_key_hex(keys.third.public_key_hex);
  ExpectRefused(Import(Bytes(relabelled), third, ledger), "package.sealed: does not decrypt with this municipality's key");
}

TEST(ExchangeEncryption, ARecipientThatReSealsAPackageToAThirdPartyIsNotBelieved) {
  Keys keys;
  auto exported = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex, keys).value();
  // The receiver opens it and seals the sender's signed envelope, untouched, to the third party.
  const Opened opened = Open(exported.package, keys.receiver);
  v1::ExchangePackage forwarded;
  forwarded.set_format_version(kFormatVersion);
  forwarded.set_recipient_public_key_hex(keys.third.public_key_hex);
  forwarded.set_sealed(SealTo(opened.sealed.SerializeAsString(), keys.third.public_key_hex));
  ImportPolicy third = Policy(keys);  // the third party trusts the same sender
  third.decryption_secret_key_hex = keys.third.secret_key_hex;
  MemoryLedger ledger;
  ExpectRefused(Import(Bytes(forwarded), third, ledger),
                "envelope.recipient_public_key_hex: the sender signed this package for another recipient's key");
}

TEST(ExchangeEncryption, APackageIsOnlyWrittenForARecipientWithAKey) {
  Keys keys;
  auto none = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex, std::vector<Recipient>{});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(none.status().message(),
            "consent.recipient_municipality_code: no encryption key for municipality 0192 among the exchange "
            "recipients: a package is only ever written encrypted");
  auto other = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex,
                      std::vector<Recipient>{{keys.third.public_key_hex, "0180"}});
  EXPECT_FALSE(other.ok()) << "a key of another municipality is not used";
}

TEST(ExchangeTampering, WrongKeysAreRefused) {
  Keys keys;
  MemoryLedger ledger;
  // Signed by a key nobody trusts.
  auto stranger = Export(Request(ExampleCase(), FullConsent()), keys.stranger.secret_key_hex, keys).value();
  ExpectRefused(Import(Bytes(stranger.package), Policy(keys), ledger),
                "envelope.signer_public_key_hex: not the key of a trusted sender");
  // Signed by a stranger but claiming the trusted sender's key.
  v1::SignedEnvelope forged = Open(stranger.package, keys.receiver).envelope;
  forged.set_signer_public_key_hex(keys.sender.public_key_hex);
  ExpectRefused(Import(SignedPackage(forged, keys.stranger.secret_key_hex, keys.receiver.public_key_hex),
                       Policy(keys), ledger),
                "envelope.signature_hex: the signature does not verify");
  // A trusted key used for another municipality's packages.
  ExportRequest other = Request(ExampleCase(), FullConsent());
  other.sender_municipality_code = "0180";
  auto misused = Export(other, keys.sender.secret_key_hex, keys).value();
  ExpectRefused(Import(Bytes(misused.package), Policy(keys), ledger),
                "content.sender_municipality_code: the key belongs to 0181, not 0180");
}

TEST(ExchangeConsent, OutOfScopeWrongRecipientAndExpiredAreRefused) {
  Keys keys;
  MemoryLedger ledger;
  // Content the consent does not cover, signed by the trusted sender (a broken exporter).
  auto exported = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex, keys).value();
  v1::ExchangeContent content = Open(exported.package, keys.receiver).content;
  content.mutable_consent()->clear_scopes();
  content.mutable_consent()->add_scopes(v1::CONSENT_SCOPE_RESPONSES);
  content.mutable_consent()->add_scopes(v1::CONSENT_SCOPE_ASSESSMENTS);
  content.mutable_consent()->add_scopes(v1::CONSENT_SCOPE_FORSORJNINGSHINDER);
  ExpectRefused(Import(SignedPackage(content, keys), Policy(keys), ledger),
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
  auto exported = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex, keys).value();
  v1::ExchangePackage package = exported.package;
  package.set_format_version(3);
  MemoryLedger ledger;
  ExpectRefused(Import(Bytes(package), Policy(keys), ledger),
                "package.format_version: version 3 is not supported (this importer reads version 2, signed and "
                "encrypted)");
  // A format 1 package (signed, in clear) is no longer read.
  v1::ExchangePackage clear;
  clear.set_format_version(1);
  clear.set_content(Open(exported.package, keys.receiver).envelope.content());
  ExpectRefused(Import(Bytes(clear), Policy(keys), ledger),
                "package.format_version: version 1 is not supported (this importer reads version 2, signed and "
                "encrypted; version 1 travelled in clear)");
}

TEST(ExchangeReplay, ImportIsIdempotentAndAReusedIdIsRefused) {
  Keys keys;
  const auto ledger_path = std::filesystem::path(IX_TEST_ADAPTERS_EMITTED_DIR) / "exchange-ledger.txt";
  std::filesystem::create_directories(ledger_path.parent_path());
  std::filesystem::remove(ledger_path);
  auto exported = Export(Request(ExampleCase(), FullConsent()), keys.sender.secret_key_hex, keys).value();
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
    auto other = Export(changed, keys.sender.secret_key_hex, keys).value();
    ExpectRefused(Import(Bytes(other.package), Policy(keys), ledger),
                  "content.package_id: imported before with other content; a reused package id is refused");
  }
  EXPECT_EQ(testing::ReadText(ledger_path),
            "ixpkg-0181-2026-0001 " +
                base::crypto::Sha256Hex(Open(exported.package, keys.receiver).envelope.content()) + "\n");
}

}  // namespace
}  // namespace ix::adapters::exchange
