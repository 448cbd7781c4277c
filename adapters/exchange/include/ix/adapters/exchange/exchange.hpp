// Exchange packages: a household's Instrument X data moved between systems — a referral
// (remiss) to the labour-market unit, or to another municipality when the client moves.
//
// Export keeps only what the consent covers and never the contact data of persons with
// protected identity (protected_identity.hpp), signs the content together with the sender's
// and the recipient's keys with the sender's Ed25519 key, then seals the signed envelope to the
// recipient municipality's X25519 key (sign-then-encrypt; exchange.proto, docs/exchange.md).
// Import checks, in this order, and refuses with a message naming the field:
//   1. the bytes are a package and its format version is one this importer reads;
//   2. it is sealed to this municipality's key and opens with it (a changed byte of the sealed
//      part fails the seal's authentication); its envelope names this key and municipality;
//   2b. the signer's key is one of the trusted senders' and the signature verifies over the
//      exact signed bytes (content, sender and recipient);
//   3. the sender municipality is the one that key belongs to;
//   4. the consent: this municipality (and unit) is the recipient, it has not expired, and the
//      content holds nothing outside its scopes;
//   5. no contact data of a protected person is in it;
//   6. the ledger: a package id imported before with the same content is recognised (nothing is
//      applied twice: already_imported); the same id with other content is refused.
#ifndef IX_ADAPTERS_EXCHANGE_EXCHANGE_HPP
#define IX_ADAPTERS_EXCHANGE_EXCHANGE_HPP

#include <ix/base/status.hpp>

#include "ix/v1/adapters.pb.h"
#include "ix/v1/exchange.pb.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ix::adapters::exchange {

// The format this build writes and the only one it reads (2: signed, then sealed).
inline constexpr uint32_t kFormatVersion = 2;

// An X25519 key pair for sealing packages (crypto_box), hex encoded: 64 hex digits each.
struct EncryptionKeyPair {
  std::string public_key_hex;
  std::string secret_key_hex;
};
EncryptionKeyPair GenerateEncryptionKeyPair();
// The public key of an X25519 secret key (errors: not 64 hex digits).
Result<std::string> EncryptionPublicKeyOf(const std::string& secret_key_hex);

// A municipality packages may be sent to, with the key they are sealed to.
struct Recipient {
  std::string public_key_hex;  // X25519
  std::string municipality_code;
};

struct ExportRequest {
  v1::Case household_case;  // as the sender's system holds it
  v1::ConsentRecord consent;
  std::string package_id;   // empty: a random id
  std::string created_at;   // RFC 3339 UTC, e.g. "2026-03-02T09:00:00Z"
  std::string sender_municipality_code;
  std::string sender_unit;
  std::string sender_system;
};

struct Exported {
  v1::ExchangePackage package;  // sealed: nothing of the content is readable in it
  std::string package_id;
  v1::TranslationReport report;  // what was left out (outside the consent, protected contact data)
};

// Signs with `signing_secret_key_hex` (Ed25519) and seals to the recipient in `recipients`
// whose municipality the consent names. Errors: an incomplete or expired consent, a consent not
// given by every adult, a bad key, no key for the consent's recipient (FAILED_PRECONDITION).
Result<Exported> Export(const ExportRequest& request, const std::string& signing_secret_key_hex,
                        const std::vector<Recipient>& recipients);

struct TrustedSender {
  std::string public_key_hex;
  std::string municipality_code;
};

struct ImportPolicy {
  std::vector<TrustedSender> trusted;
  // This municipality's X25519 secret key (64 hex digits): packages are opened with it.
  std::string decryption_secret_key_hex;
  std::string recipient_municipality_code;
  // The importer's unit. A package whose consent names a unit is accepted only by that unit;
  // one whose consent names none, by any unit of the municipality. ix-server takes it from the
  // caller map, never from a request.
  std::string recipient_unit;
  // YYYY-MM-DD, the day the import happens (consent expiry): ix-server's clock, never a request.
  std::string today;
};

// Which package ids were imported, with the SHA-256 of their content. A ledger whose Record
// joins the transaction of Import's `apply` (ix-server's ledger in PostgreSQL) makes applying
// and recording one step; the file and memory ledgers record after `apply` has committed.
class Ledger {
 public:
  virtual ~Ledger() = default;
  virtual Result<std::optional<std::string>> Find(const std::string& package_id) = 0;
  virtual Status Record(const std::string& package_id, const std::string& content_sha256) = 0;
};

// The keyed reference a ledger keeps instead of a package id (ix-server: the event store's
// pseudonym of kind "package"). The same id must always give the same reference.
using ReferenceFn = std::function<Result<std::string>(const std::string& package_id)>;

// A text file, one "<package id> <sha256>" per line, written durably at each record (temporary
// file, fsync, rename, fsync of the folder; owner-only), so a crash never leaves a torn line
// and a recorded import survives a power loss. With `reference`, each line holds the reference
// of the id instead of the id (the file then starts with a marker line): a package id that a
// sender built from a personnummer never reaches the disk, and a replay is still recognised. A
// ledger written in clear earlier is rewritten with references at its next record.
class FileLedger final : public Ledger {
 public:
  explicit FileLedger(std::filesystem::path path, ReferenceFn reference = nullptr)
      : path_(std::move(path)), reference_(std::move(reference)) {}
  Result<std::optional<std::string>> Find(const std::string& package_id) override;
  Status Record(const std::string& package_id, const std::string& content_sha256) override;
  // Rewrites every reference through `move` (durably, as Record), e.g. to the store's new key
  // after `ixctl keys rotate`, so a package imported before is still a replay. A ledger in
  // clear (no references) is left as it is. Returns how many references changed.
  Result<int64_t> Rekey(const std::function<Result<std::string>(const std::string& reference)>& move);

 private:
  std::filesystem::path path_;
  ReferenceFn reference_;
};

class MemoryLedger final : public Ledger {
 public:
  Result<std::optional<std::string>> Find(const std::string& package_id) override;
  Status Record(const std::string& package_id, const std::string& content_sha256) override;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct Imported {
  v1::ExchangeContent content;
  v1::ExchangeImportResult result;
};

// Verifies without recording (steps 1–5): for `ixctl exchange verify`.
Result<Imported> Verify(std::string_view package_bytes, const ImportPolicy& policy);
// Verifies and records in the ledger (steps 1–6).
Result<Imported> Import(std::string_view package_bytes, const ImportPolicy& policy, Ledger& ledger);
// The same, with `apply` run for a package not imported before, after every check and before
// the ledger records it (e.g. ix-server recording the received events): when `apply` fails,
// the ledger is unchanged and the same package can be imported again. `apply` must itself be
// idempotent should the process die between it and the ledger's record.
Result<Imported> Import(std::string_view package_bytes, const ImportPolicy& policy, Ledger& ledger,
                        const std::function<Status(const Imported&)>& apply);

// Step 6 alone, on a package Verify accepted: for an importer that verifies first and then
// consults the ledger inside a transaction shared with `apply` (ix-server with PostgreSQL: the
// ledger record and the received events commit together, and the store's write lock orders
// two replicas importing the same package, so exactly one applies it).
Result<Imported> ImportVerified(Imported verified, Ledger& ledger,
                                const std::function<Status(const Imported&)>& apply);

// The case as the receiving municipality keeps it: its municipality code on the household and
// on every event (so the household appears in the receiver's statistics), its unit.
v1::Case ReceivedCase(const v1::ExchangeContent& content, const ImportPolicy& policy);

// Checks a consent record on its own (dates, scopes, recipient, who gave and recorded it).
Status CheckConsent(const v1::ConsentRecord& consent, const v1::Household& household);

std::string_view ScopeName(v1::ConsentScope scope);

}  // namespace ix::adapters::exchange

#endif  // IX_ADAPTERS_EXCHANGE_EXCHANGE_HPP
