// Export (limit to consent, sign, seal) and import (open, verify, check consent, ledger) of
// packages.
#include <ix/adapters/exchange/exchange.hpp>
#include <ix/base/crypto.hpp>
#include <ix/core/personnummer.hpp>

#include "consent.hpp"
#include "seal.hpp"

#include <random>

namespace ix::adapters::exchange {
namespace {

Status Bad(std::string_view field, std::string_view message) {
  return InvalidField(std::string(field), std::string(message));
}

// A refusal that is not bad input but still lies in one field: the code says what kind (the
// server passes it through), the reason names the rule for machines and the audit log.
Status Refuse(StatusCode code, const char* reason, std::string_view field, std::string_view message) {
  return FieldRefused(code, std::string(field), std::string(message)).WithReason(reason);
}

// 1–128 characters of [A-Za-z0-9._:-], checked by hand (no regular expression).
bool IsPackageId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string RandomId() {
  std::random_device random;
  std::string bytes(16, '\0');
  for (char& b : bytes) b = static_cast<char>(random() & 0xFF);
  return "ixpkg-" + base::crypto::ToHex(bytes);
}

}  // namespace

Result<Exported> Export(const ExportRequest& request, const std::string& signing_secret_key_hex,
                        const std::vector<Recipient>& recipients) {
  if (auto s = CheckConsent(request.consent, request.household_case.household()); !s.ok()) return s;
  const std::string created_on = request.created_at.substr(0, 10);
  if (!core::ParseIsoDate(created_on)) return Bad("created_at", "expected an RFC 3339 UTC time");
  if (created_on > request.consent.expires_on()) {
    return Refuse(StatusCode::kFailedPrecondition, "IX_CONSENT_EXPIRED", "consent.expires_on",
                  "the consent expired on " + request.consent.expires_on());
  }
  if (created_on < request.consent.given_on()) {
    return Bad("consent.given_on", "after the package's creation; consent must come first");
  }
  if (request.sender_municipality_code.empty()) return Bad("sender_municipality_code", "missing");
  const std::string& to = request.consent.recipient_municipality_code();
  const Recipient* recipient = nullptr;
  for (const auto& candidate : recipients) {
    if (candidate.municipality_code == to) recipient = &candidate;
  }
  if (recipient == nullptr) {
    return Refuse(StatusCode::kFailedPrecondition, "IX_NO_RECIPIENT_KEY", "consent.recipient_municipality_code",
                  "no encryption key for municipality " + to +
                      " among the exchange recipients: a package is only ever written encrypted");
  }
  const std::string id = request.package_id.empty() ? RandomId() : request.package_id;
  if (!IsPackageId(id)) return Bad("package_id", "expected 1–128 of A–Z a–z 0–9 . _ : -");

  Report report("exchange", "to_vendor");
  v1::ExchangeContent content;
  content.set_package_id(id);
  content.set_format_version(kFormatVersion);
  content.set_created_at(request.created_at);
  content.set_sender_municipality_code(request.sender_municipality_code);
  content.set_sender_unit(request.sender_unit);
  content.set_sender_system(request.sender_system);
  *content.mutable_consent() = request.consent;
  *content.mutable_household_case() = request.household_case;
  internal::LimitToConsent(request.consent, content.mutable_household_case(), report);

  // Sign, then seal: the signature covers the content and both parties' keys, and is itself
  // inside the sealed box, so only the recipient learns who signed what (docs/exchange.md).
  auto signer = base::crypto::PublicKeyOf(signing_secret_key_hex);
  if (!signer.ok()) return signer.status();
  v1::SignedEnvelope envelope;
  envelope.set_signer_public_key_hex(*signer);
  envelope.set_recipient_public_key_hex(recipient->public_key_hex);
  envelope.set_recipient_municipality_code(to);
  if (!content.SerializeToString(envelope.mutable_content())) {
    return Status(StatusCode::kInternal, "content could not be serialized");
  }
  v1::SealedEnvelope sealed;
  if (!envelope.SerializeToString(sealed.mutable_signed_())) {
    return Status(StatusCode::kInternal, "the envelope could not be serialized");
  }
  auto signature = base::crypto::Sign(sealed.signed_(), signing_secret_key_hex);
  if (!signature.ok()) return signature.status();
  sealed.set_signature_hex(*signature);
  auto box = internal::Seal(sealed.SerializeAsString(), recipient->public_key_hex);
  if (!box.ok()) {
    return Refuse(StatusCode::kFailedPrecondition, "IX_NO_RECIPIENT_KEY", "recipients", box.status().message());
  }
  Exported out;
  out.package.set_format_version(kFormatVersion);
  out.package.set_recipient_public_key_hex(recipient->public_key_hex);
  out.package.set_sealed(std::move(*box));
  out.package_id = id;
  out.report = report.Take();
  return out;
}

Result<Imported> Verify(std::string_view package_bytes, const ImportPolicy& policy) {
  v1::ExchangePackage package;
  if (!package.ParseFromArray(package_bytes.data(), static_cast<int>(package_bytes.size()))) {
    return Bad("package", "not an Instrument X exchange package");
  }
  if (package.format_version() != kFormatVersion) {
    return Bad("package.format_version", "version " + std::to_string(package.format_version()) +
                                             " is not supported (this importer reads version " +
                                             std::to_string(kFormatVersion) + ", signed and encrypted" +
                                             (package.format_version() == 1 ? "; version 1 travelled in clear)" : ")"));
  }
  auto own_key = EncryptionPublicKeyOf(policy.decryption_secret_key_hex);
  if (!own_key.ok()) {
    return Refuse(StatusCode::kFailedPrecondition, "IX_NO_DECRYPTION_KEY", "decryption_secret_key_hex",
                  "this importer has no usable X25519 secret key: " + own_key.status().message());
  }
  if (package.recipient_public_key_hex() != *own_key) {
    return Refuse(StatusCode::kPermissionDenied, "IX_NOT_THE_RECIPIENT", "package.recipient_public_key_hex",
                  "the package is encrypted to another key, not this municipality's");
  }
  const auto opened = internal::Open(package.sealed(), *own_key, policy.decryption_secret_key_hex);
  if (!opened) {
    return Bad("package.sealed",
               "does not decrypt with this municipality's key: the package was changed after sealing, or "
               "sealed to another key");
  }
  v1::SealedEnvelope sealed;
  v1::SignedEnvelope envelope;
  if (!sealed.ParseFromString(*opened) || !envelope.ParseFromString(sealed.signed_())) {
    return Bad("package.sealed", "does not hold a signed envelope");
  }
  const TrustedSender* sender = nullptr;
  for (const auto& trusted : policy.trusted) {
    if (trusted.public_key_hex == envelope.signer_public_key_hex()) sender = &trusted;
  }
  if (sender == nullptr) {
    return Refuse(StatusCode::kPermissionDenied, "IX_UNTRUSTED_SENDER", "envelope.signer_public_key_hex",
                  "not the key of a trusted sender");
  }
  if (!base::crypto::VerifySignature(sealed.signed_(), sealed.signature_hex(), sender->public_key_hex)) {
    return Bad("envelope.signature_hex",
               "the signature does not verify: the package was changed after signing, or signed with another key");
  }
  // The sender signed for this key: a recipient that re-seals a package to a third party does
  // not make it the third party's.
  if (envelope.recipient_public_key_hex() != *own_key) {
    return Refuse(StatusCode::kPermissionDenied, "IX_NOT_THE_RECIPIENT", "envelope.recipient_public_key_hex",
                  "the sender signed this package for another recipient's key; it was re-encrypted by someone else");
  }
  Imported out;
  v1::ExchangeContent& content = out.content;
  if (!content.ParseFromString(envelope.content())) return Bad("envelope.content", "not ExchangeContent");
  if (content.format_version() != package.format_version()) {
    return Bad("content.format_version", "differs from the package's");
  }
  if (!IsPackageId(content.package_id())) return Bad("content.package_id", "missing or malformed");
  if (content.sender_municipality_code() != sender->municipality_code) {
    return Refuse(StatusCode::kPermissionDenied, "IX_UNTRUSTED_SENDER", "content.sender_municipality_code",
                  "the key belongs to " + sender->municipality_code + ", not " + content.sender_municipality_code());
  }
  const v1::ConsentRecord& consent = content.consent();
  if (auto s = CheckConsent(consent, content.household_case().household()); !s.ok()) return s;
  if (consent.recipient_municipality_code() != policy.recipient_municipality_code) {
    return Refuse(StatusCode::kPermissionDenied, "IX_NOT_THE_RECIPIENT", "consent.recipient_municipality_code",
                  "the consent is for " + consent.recipient_municipality_code() + ", this is " +
                      policy.recipient_municipality_code);
  }
  if (envelope.recipient_municipality_code() != consent.recipient_municipality_code()) {
    return Refuse(StatusCode::kPermissionDenied, "IX_NOT_THE_RECIPIENT", "envelope.recipient_municipality_code",
                  "the signed recipient " + envelope.recipient_municipality_code() + " is not the consent's");
  }
  // A consent for one unit is imported by that unit only; an importer without a unit is not it.
  if (!consent.recipient_unit().empty() && consent.recipient_unit() != policy.recipient_unit) {
    return Refuse(StatusCode::kPermissionDenied, "IX_NOT_THE_RECIPIENT", "consent.recipient_unit",
                  "the consent is for unit '" + consent.recipient_unit() + "', this importer is " +
                      (policy.recipient_unit.empty() ? std::string("no unit")
                                                     : "unit '" + policy.recipient_unit + "'"));
  }
  if (!core::ParseIsoDate(policy.today)) return Bad("today", "expected YYYY-MM-DD");
  if (policy.today > consent.expires_on()) {
    return Refuse(StatusCode::kFailedPrecondition, "IX_CONSENT_EXPIRED", "consent.expires_on",
                  "expired on " + consent.expires_on() + " (today is " + policy.today + ")");
  }
  if (policy.today < consent.given_on()) return Bad("consent.given_on", "in the future");
  if (auto s = internal::CheckWithinConsent(consent, content.household_case()); !s.ok()) return s;
  if (auto s = internal::CheckNoProtectedContactData(content.household_case()); !s.ok()) return s;
  out.result.set_package_id(content.package_id());
  out.result.set_content_sha256(base::crypto::Sha256Hex(envelope.content()));
  out.result.set_sender_municipality_code(content.sender_municipality_code());
  return out;
}

Result<Imported> Import(std::string_view package_bytes, const ImportPolicy& policy, Ledger& ledger) {
  return Import(package_bytes, policy, ledger, nullptr);
}

Result<Imported> Import(std::string_view package_bytes, const ImportPolicy& policy, Ledger& ledger,
                        const std::function<Status(const Imported&)>& apply) {
  auto verified = Verify(package_bytes, policy);
  if (!verified.ok()) return verified.status();
  return ImportVerified(std::move(*verified), ledger, apply);
}

Result<Imported> ImportVerified(Imported verified, Ledger& ledger,
                                const std::function<Status(const Imported&)>& apply) {
  const std::string& id = verified.result.package_id();
  auto seen = ledger.Find(id);
  if (!seen.ok()) return seen.status();
  if (seen->has_value()) {
    if (**seen != verified.result.content_sha256()) {
      return Refuse(StatusCode::kAlreadyExists, "IX_PACKAGE_ID_REUSED", "content.package_id",
                    "imported before with other content; a reused package id is refused");
    }
    verified.result.set_already_imported(true);
    return verified;
  }
  if (apply) {
    if (auto s = apply(verified); !s.ok()) return s;
  }
  if (auto s = ledger.Record(id, verified.result.content_sha256()); !s.ok()) return s;
  return verified;
}

v1::Case ReceivedCase(const v1::ExchangeContent& content, const ImportPolicy& policy) {
  v1::Case c = content.household_case();
  c.mutable_household()->set_municipality_code(policy.recipient_municipality_code);
  for (auto& dated : *c.mutable_responses()) {
    dated.mutable_response()->mutable_household()->set_municipality_code(policy.recipient_municipality_code);
  }
  if (!policy.recipient_unit.empty()) c.set_unit(policy.recipient_unit);
  for (auto& event : *c.mutable_events()) {
    v1::EventHeader* header = nullptr;
    if (event.has_categorisation()) header = event.mutable_categorisation()->mutable_header();
    if (event.has_intervention()) header = event.mutable_intervention()->mutable_header();
    if (event.has_assistance_period()) header = event.mutable_assistance_period()->mutable_header();
    if (header == nullptr) continue;
    header->set_municipality_code(policy.recipient_municipality_code);
    if (!policy.recipient_unit.empty()) header->set_unit(policy.recipient_unit);
  }
  return c;
}

}  // namespace ix::adapters::exchange
