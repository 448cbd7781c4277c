// The part of EventStore both backends share: where a store is, its key (fingerprint, scheme,
// id), pseudonyms, transactions with the re-key check, and re-keying. The SQL is the
// backends' (event_store.cpp for SQLite, pg_event_store.cpp for PostgreSQL).
#include "backends.hpp"
#include "event_rows.hpp"

#include <ix/store/event_store.hpp>
#include <ix/store/pseudonym.hpp>

#include <ix/base/crypto.hpp>
#include <ix/core/personnummer.hpp>

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace ix::store {

namespace {

constexpr const char* kSchemeRistretto = "ristretto255-v1";
constexpr const char* kSchemeLegacy = "hmac-v1";

// What identifies a key in the store's settings without revealing it.
std::string KeyFingerprint(std::string_view secret, int key_id) {
  return base::crypto::HmacSha256Hex(secret, "ix-store-key-fingerprint-v2:k" + std::to_string(key_id));
}

bool IsStoreNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

bool IsPostgresqlLocation(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string DescribeStoreLocation(const std::string& location) {
  if (!IsPostgresqlLocation(location)) return location;
  const size_t scheme_end = location.find("://") + 3;
  const size_t hash = location.find('#');
  std::string rest = location.substr(scheme_end, hash == std::string::npos ? std::string::npos : hash - scheme_end);
  const std::string fragment = hash == std::string::npos ? "" : location.substr(hash);
  if (const size_t q = rest.find('?'); q != std::string::npos) rest.resize(q);
  // User info (and so any password) is dropped: "user:secret@host" → "host".
  const size_t slash = rest.find('/');
  const size_t at = rest.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  if (at != std::string::npos) rest = rest.substr(at + 1);
  return location.substr(0, scheme_end) + rest + fragment;
}

Result<StoreLocation> ParseStoreLocation(const std::string& location) {
  StoreLocation l;
  if (!IsPostgresqlLocation(location)) {
    if (location.empty()) return Status(StatusCode::kInvalidArgument, "store: empty location");
    l.target = location;
    l.name = std::filesystem::path(location).stem().string();
    return l;
  }
  const std::string shown = DescribeStoreLocation(location);
  l.backend = StoreLocation::Backend::kPostgresql;
  const size_t hash = location.find('#');
  if (hash == std::string::npos) {
    return Status(StatusCode::kInvalidArgument,
                  "store " + shown + ": no store name (end the location with #<name>, e.g. #0180)");
  }
  l.target = location.substr(0, hash);
  l.name = location.substr(hash + 1);
  if (l.name.empty() || l.name.size() > 64 || !std::all_of(l.name.begin(), l.name.end(), IsStoreNameChar)) {
    return Status(StatusCode::kInvalidArgument,
                  "store " + shown + ": store name: 1 to 64 of A-Z a-z 0-9 _ - (got " +
                      std::to_string(l.name.size()) + " characters)");
  }
  // A password in the location would end up in shell history, process lists and config
  // files that are not secret: refuse it, naming where it goes instead.
  const size_t scheme_end = location.find("://") + 3;
  const std::string authority = l.target.substr(scheme_end, l.target.find_first_of("/?", scheme_end) - scheme_end);
  const size_t at = authority.rfind('@');
  const bool user_password = at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos;
  const size_t query = l.target.find('?');
  const bool param_password =
      query != std::string::npos && (l.target.find("password=", query) != std::string::npos);
  if (user_password || param_password) {
    return Status(StatusCode::kInvalidArgument,
                  "store " + shown + ": the location carries a password (" +
                      (user_password ? std::string("user:password@") : std::string("password=")) +
                      "); give it in PGPASSFILE (or ~/.pgpass) instead");
  }
  return l;
}

EventStore::EventStore() = default;

EventStore::~EventStore() {
  sodium_memzero(secret_.data(), secret_.size());
  sodium_memzero(last_personnummer_.data(), last_personnummer_.size());
}

Result<std::unique_ptr<EventStore>> EventStore::Open(const std::string& location, std::string secret,
                                                     int key_id) {
  if (sodium_init() < 0) return Status(StatusCode::kInternal, "libsodium could not be initialised");
  if (!secret.empty() && secret.size() < kMinSecretBytes) {
    return Status(StatusCode::kInvalidArgument,
                  "municipality secret: " + std::to_string(secret.size()) + " bytes, at least " +
                      std::to_string(kMinSecretBytes) + " needed");
  }
  auto where = ParseStoreLocation(location);
  if (!where.ok()) return where.status();
  auto opened = where->backend == StoreLocation::Backend::kPostgresql
                    ? backends::OpenPostgresql(*where, std::move(secret), key_id)
                    : backends::OpenSqlite(where->target, std::move(secret), key_id);
  if (opened.ok()) (*opened)->location_ = location;
  return opened;
}

Result<std::unique_ptr<EventStore>> EventStore::OpenReader() const { return Open(location_, {}); }

Result<int> EventStore::KeyIdOf(const std::string& location) {
  auto where = ParseStoreLocation(location);
  if (!where.ok()) return where.status();
  if (where->backend == StoreLocation::Backend::kPostgresql) return backends::PostgresqlKeyIdOf(*where);
  return backends::SqliteKeyIdOf(where->target);
}

Result<int> EventStore::StoredKeyId() const {
  auto id = Meta("key_id");
  if (!id.ok()) return id.status();
  if (*id) return std::atoi((*id)->c_str());
  auto scheme = Meta("scheme");
  if (!scheme.ok()) return scheme.status();
  return *scheme && **scheme == kSchemeLegacy ? 1 : 0;
}

Status EventStore::CheckKey(bool* legacy_out) {
  *legacy_out = false;
  auto stored_id = StoredKeyId();
  if (!stored_id.ok()) return stored_id.status();
  if (secret_.empty()) {
    key_id_ = *stored_id;
    return Status::Ok();
  }
  auto scheme_row = Meta("scheme");
  if (!scheme_row.ok()) return scheme_row.status();
  const bool legacy = *scheme_row && **scheme_row == kSchemeLegacy;
  if (*scheme_row && !legacy && **scheme_row != kSchemeRistretto) {
    return Status(StatusCode::kFailedPrecondition, "unknown pseudonym scheme '" + **scheme_row + "'");
  }
  if (key_id_ == 0) key_id_ = *stored_id != 0 ? *stored_id : 1;
  if (*stored_id != 0 && key_id_ != *stored_id) {
    return Status(StatusCode::kFailedPrecondition,
                  "the store's pseudonyms are under key k" + std::to_string(*stored_id) +
                      ", the key given is k" + std::to_string(key_id_));
  }
  auto made = Pseudonymiser::Make(legacy ? PseudonymScheme::kLegacyHmac : PseudonymScheme::kRistretto255,
                                  key_id_, secret_);
  if (!made.ok()) return made.status();
  pseudonymiser_ = std::make_unique<Pseudonymiser>(std::move(*made));

  const char* fingerprint_key = legacy ? "secret_fingerprint" : "key_fingerprint";
  const std::string fingerprint =
      legacy ? base::crypto::HmacSha256Hex(secret_, "ix-store-secret-fingerprint-v1") : KeyFingerprint(secret_, key_id_);
  auto stored = Meta(fingerprint_key);
  if (!stored.ok()) return stored.status();
  if (!*stored) {
    // First key for this store: record it, in one transaction with its scheme and id. Under
    // the write lock it is read again: another process (a second replica) may have given the
    // store its key meanwhile, and then that key is the one to match.
    if (Status s = RawBegin(); !s.ok()) return s;
    stored = Meta(fingerprint_key);
    Status s = stored.ok() ? Status::Ok() : stored.status();
    if (s.ok() && !*stored) {
      s = SetMeta(fingerprint_key, fingerprint);
      if (s.ok() && !legacy) s = SetMeta("scheme", kSchemeRistretto);
      if (s.ok()) s = SetMeta("key_id", std::to_string(key_id_));
    }
    if (s.ok()) s = RawCommit();
    if (!s.ok()) {
      (void)RawRollback();
      return s;
    }
  }
  if (*stored && **stored != fingerprint) {
    return Status(StatusCode::kInvalidArgument,
                  "the key k" + std::to_string(key_id_) +
                      " does not match the one this store's pseudonyms were made with (pseudonyms "
                      "would not match)");
  }
  *legacy_out = legacy;
  return Status::Ok();
}

Status EventStore::Begin() {
  if (in_transaction_) return Status(StatusCode::kInternal, "event store: transaction already open");
  if (Status s = RawBegin(); !s.ok()) return s;
  in_transaction_ = true;
  // Another process may have re-keyed the store since it was opened (ixctl keys rotate):
  // writing pseudonyms under the old key now would split persons in two.
  if (pseudonymiser_) {
    auto stored = StoredKeyId();
    if (!stored.ok() || *stored != key_id_) {
      (void)Rollback();
      if (!stored.ok()) return stored.status();
      return Status(StatusCode::kFailedPrecondition,
                    "the store was re-keyed to k" + std::to_string(*stored) + " after it was opened with k" +
                        std::to_string(key_id_) + "; open it again")
          .WithReason(kReasonRekeyed);
    }
  }
  return Status::Ok();
}

Status EventStore::Commit() {
  if (!in_transaction_) return Status(StatusCode::kInternal, "event store: no transaction open");
  in_transaction_ = false;
  return RawCommit();
}

Status EventStore::Rollback() {
  if (!in_transaction_) return Status::Ok();
  in_transaction_ = false;
  return RawRollback();
}

Result<std::string> EventStore::Pseudonym(std::string_view personnummer) const {
  if (!pseudonymiser_) {
    return Status(StatusCode::kInvalidArgument,
                  "a personnummer can only be pseudonymised with the municipality secret");
  }
  const core::IdentityNumber id = core::ParseIdentityNumber(personnummer);
  if (!id.ok()) {
    return Status(StatusCode::kInvalidArgument, core::DescribeIdentityNumberError(id.error).en);
  }
  return pseudonymiser_->Person(id.normalized);
}

Result<std::string> EventStore::Reference(std::string_view kind, std::string_view text) const {
  if (!pseudonymiser_) {
    return Status(StatusCode::kInvalidArgument, "a reference can only be pseudonymised with the municipality key");
  }
  return pseudonymiser_->Reference(kind, text);
}

Result<EventStore::PersonRow> EventStore::Person(const v1::Subject& subject, const std::string& field) {
  PersonRow person;
  if (!subject.personnummer().empty()) {
    // A case system sends one person's events together: the last pseudonym is reused rather
    // than recomputed (a scalar multiplication per event is most of an import's time).
    if (subject.personnummer() == last_personnummer_ && !last_personnummer_.empty()) {
      person.pseudonym = last_pseudonym_;
    } else {
      auto p = Pseudonym(subject.personnummer());
      if (!p.ok()) return InvalidField(field + ".personnummer", p.status().message());
      person.pseudonym = std::move(*p);
      sodium_memzero(last_personnummer_.data(), last_personnummer_.size());
      last_personnummer_ = subject.personnummer();
      last_pseudonym_ = person.pseudonym;
    }
  } else if (!subject.pseudonym().empty()) {
    // Pseudonymised upstream with the same key: it carries this store's key id ("k2:…"; a
    // store from before versioned keys takes bare HMAC hex).
    const std::string_view given = subject.pseudonym();
    const bool legacy = pseudonymiser_ && pseudonymiser_->scheme() == PseudonymScheme::kLegacyHmac;
    const std::string prefix = pseudonymiser_ && !legacy ? pseudonymiser_->Prefix() : std::string();
    if (!pseudonymiser_ || given.substr(0, prefix.size()) != prefix || !rows::IsHex64(given.substr(prefix.size()))) {
      return InvalidField(field + ".pseudonym", "not a pseudonym under this store's key (" +
                                                    (prefix.empty() ? std::string("64 lower-case hex digits")
                                                                    : prefix + "<64 hex digits>") +
                                                    ")");
    }
    person.pseudonym = given;
  } else {
    return InvalidField(field, "neither personnummer nor pseudonym given");
  }
  if (Status s = rows::CheckSubject(subject, field); !s.ok()) return s;
  // household_pseudonym is accepted and not kept: no report reads it (docs/privacy.md).
  person.sex = subject.sex();
  person.birth_year = subject.birth_year();
  person.birth_month = subject.birth_month();
  return person;
}

Result<std::pair<EventStore::PersonRow, EventStore::Row>> EventStore::Prepare(const v1::Event& event) {
  if (!pseudonymiser_) {
    std::string field = "event";
    switch (event.kind_case()) {
      case v1::Event::kCategorisation: field = "categorisation.header.event_id"; break;
      case v1::Event::kAssistancePeriod: field = "assistance_period.header.event_id"; break;
      case v1::Event::kIntervention: field = "intervention.header.event_id"; break;
      case v1::Event::kMilestone: field = "milestone.header.event_id"; break;
      case v1::Event::KIND_NOT_SET:
        return InvalidField("event", "none of categorisation, assistance_period, intervention, milestone is set");
    }
    return InvalidField(field, "the store was opened without the municipality key, so no event "
                               "(its id and subject are pseudonymised) can be added");
  }
  auto row = rows::ValidateEvent(event, *pseudonymiser_);
  if (!row.ok()) return row.status();
  auto person = Person(*row->subject, row->subject_field);
  if (!person.ok()) return person.status();
  return std::make_pair(std::move(*person), std::move(*row));
}

Result<AddOutcome> EventStore::Add(const v1::Event& event) {
  auto prepared = Prepare(event);
  if (!prepared.ok()) return prepared.status();
  return Insert(prepared->first, prepared->second);
}

Result<std::vector<Result<AddOutcome>>> EventStore::AddAll(const v1::Event* events, size_t count) {
  std::vector<Result<AddOutcome>> results(count, AddOutcome::kDuplicate);
  std::vector<std::pair<PersonRow, Row>> prepared;
  std::vector<size_t> index;  // prepared[k] is events[index[k]]
  prepared.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    auto one = Prepare(events[i]);
    if (!one.ok()) {
      results[i] = one.status();
      continue;
    }
    prepared.push_back(std::move(*one));
    index.push_back(i);
  }
  auto outcomes = InsertAll(prepared);
  if (!outcomes.ok()) return outcomes.status();
  for (size_t k = 0; k < index.size(); ++k) results[index[k]] = (*outcomes)[k];
  return results;
}

Result<std::vector<AddOutcome>> EventStore::InsertAll(const std::vector<std::pair<PersonRow, Row>>& rows) {
  std::vector<AddOutcome> outcomes;
  outcomes.reserve(rows.size());
  for (const auto& [person, row] : rows) {
    auto added = Insert(person, row);
    if (!added.ok()) return added.status();
    outcomes.push_back(*added);
  }
  return outcomes;
}

Result<EventStore::RekeyCounts> EventStore::Rekey(const std::string& to_secret, int to_key_id) {
  if (!pseudonymiser_) return Status(StatusCode::kFailedPrecondition, "the store was opened without its key");
  if (in_transaction_) return Status(StatusCode::kFailedPrecondition, "event store: a transaction is open");
  if (pseudonymiser_->scheme() == PseudonymScheme::kLegacyHmac) {
    return Status(StatusCode::kFailedPrecondition,
                  "this store was created before versioned keys: its HMAC pseudonyms cannot be re-keyed "
                  "without the personnummer; import its events again into a new store to move them");
  }
  if (to_key_id <= key_id_) {
    return Status(StatusCode::kInvalidArgument, "new key id k" + std::to_string(to_key_id) +
                                                    " must be greater than the store's k" + std::to_string(key_id_));
  }
  auto to = Pseudonymiser::Make(PseudonymScheme::kRistretto255, to_key_id, to_secret);
  if (!to.ok()) return to.status();
  const Pseudonymiser& from = *pseudonymiser_;
  const std::string from_prefix = from.Prefix();
  static constexpr const char* kColumnNames[kRekeyColumns] = {"persons.pseudonym", "events.event_id",
                                                              "events.intervention_id"};
  RekeyCounts counts;
  if (Status s = Begin(); !s.ok()) return s;  // checks nobody re-keyed it meanwhile
  // One column at a time, in id order and in slices, so no read cursor walks rows being
  // rewritten and memory stays bounded.
  auto rekey_column = [&](int column, int64_t* moved) -> Status {
    int64_t after = 0;
    for (;;) {
      auto slice = RekeySlice(column, after);
      if (!slice.ok()) return slice.status();
      if (slice->empty()) return Status::Ok();
      for (const auto& [id, value] : *slice) {
        after = id;
        if (value.rfind(from_prefix, 0) != 0) continue;  // already under the new key
        auto moved_value = Pseudonymiser::Rekey(value, from, *to);
        if (!moved_value.ok()) {
          return Status(moved_value.status().code(), std::string(kColumnNames[column]) + " row " +
                                                         std::to_string(id) + ": " + moved_value.status().message());
        }
        if (Status s = RekeyUpdate(column, id, *moved_value); !s.ok()) return s;
        ++*moved;
      }
    }
  };
  Status s = rekey_column(0, &counts.persons);
  if (s.ok()) s = rekey_column(1, &counts.references);
  if (s.ok()) s = rekey_column(2, &counts.references);
  if (s.ok()) {
    auto ledger = RekeyLedger(from, *to);
    if (ledger.ok()) counts.ledger = *ledger;
    s = ledger.status();
  }
  if (s.ok()) s = SetMeta("key_id", std::to_string(to_key_id));
  if (s.ok()) s = SetMeta("key_fingerprint", KeyFingerprint(to_secret, to_key_id));
  if (s.ok()) s = Commit();
  if (!s.ok()) {
    (void)Rollback();
    return s;
  }
  sodium_memzero(secret_.data(), secret_.size());
  secret_ = to_secret;
  key_id_ = to_key_id;
  last_personnummer_.clear();
  last_pseudonym_.clear();
  pseudonymiser_ = std::make_unique<Pseudonymiser>(std::move(*to));
  return counts;
}

}  // namespace ix::store
