#include <ix/store/event_store.hpp>
#include <ix/store/pseudonym.hpp>

#include <ix/base/crypto.hpp>
#include <ix/core/personnummer.hpp>

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <tuple>
#include <vector>

namespace ix::store {
namespace stats = ix::statistics;

namespace {

// Schema migrations, in order; migration i brings the store to user_version i + 1. Never edit
// a released migration: append a new one.
constexpr const char* kMigrations[] = {
    // 1: persons by pseudonym, events with their kind-specific columns.
    R"sql(
CREATE TABLE persons(
  id INTEGER PRIMARY KEY,
  pseudonym TEXT NOT NULL UNIQUE,          -- hex HMAC-SHA-256 of the personnummer
  sex INTEGER NOT NULL DEFAULT 0,          -- ix.v1.Sex
  birth_year INTEGER NOT NULL DEFAULT 0,
  birth_month INTEGER NOT NULL DEFAULT 0);
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,           -- idempotent imports
  person INTEGER NOT NULL REFERENCES persons(id),
  municipality TEXT NOT NULL,
  kind INTEGER NOT NULL,                   -- 1 categorisation, 2 assistance period, 3 intervention
  day INTEGER NOT NULL,                    -- effective date, days since 1970-01-01
  start_day INTEGER,
  end_day INTEGER,                         -- last day (inclusive); NULL: open
  am INTEGER, r_mask INTEGER, further INTEGER, view INTEGER, occasion TEXT,
  exit_reason INTEGER,
  intervention_id TEXT, intervention_kind TEXT, orientation INTEGER, outcome INTEGER, actor TEXT,
  unit TEXT, caseworker TEXT, recorded_at TEXT);
CREATE INDEX events_by_person ON events(municipality, person);
)sql",
    // 2: a fingerprint of the municipality secret (a store refuses another secret), household
    // pseudonyms.
    R"sql(
CREATE TABLE store_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
ALTER TABLE persons ADD COLUMN household TEXT;
)sql",
    // 3: versioned keys. The household pseudonym goes (no report reads it; it only linked
    // persons into households). A store that already holds data keeps its HMAC pseudonyms
    // (scheme hmac-v1, key k1; its clear event and intervention ids are pseudonymised the first
    // time it is opened with its key); a new store gets re-keyable pseudonyms when its key is
    // first given.
    R"sql(
ALTER TABLE persons DROP COLUMN household;
INSERT OR IGNORE INTO store_meta(key, value)
  SELECT 'scheme', 'hmac-v1' WHERE EXISTS (SELECT 1 FROM persons)
     OR EXISTS (SELECT 1 FROM store_meta WHERE key = 'secret_fingerprint');
)sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion);

enum Kind : int { kCategorisation = 1, kPeriod = 2, kIntervention = 3 };

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

constexpr const char* kSchemeRistretto = "ristretto255-v1";
constexpr const char* kSchemeLegacy = "hmac-v1";

// What identifies a key in store_meta without revealing it.
std::string KeyFingerprint(std::string_view secret, int key_id) {
  return base::crypto::HmacSha256Hex(secret, "ix-store-key-fingerprint-v2:k" + std::to_string(key_id));
}

Status Invalid(const std::string& field, const std::string& message) {
  return InvalidField(field, message);
}

// An intervention's kind and responsible actor are catalogue codes ("work_training").
constexpr size_t kMaxCodeBytes = 64;

// A required or optional YYYY-MM-DD field.
Result<std::optional<stats::Day>> DateField(const std::string& text, const std::string& field,
                                            bool required) {
  if (text.empty()) {
    if (required) return Invalid(field, "missing (YYYY-MM-DD)");
    return std::optional<stats::Day>{};
  }
  const auto day = stats::ParseDay(text);
  if (!day) return Invalid(field, "'" + text + "' is not a real date YYYY-MM-DD");
  return std::optional<stats::Day>{*day};
}

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

const char* Text(sqlite3_stmt* s, int column) {
  const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  return t == nullptr ? "" : t;
}

}  // namespace

struct EventStore::Statements {
  Stmt upsert_person, insert_event, person_attributes;
};

Result<std::optional<std::string>> EventStore::Meta(const char* key) const {
  Stmt q;
  if (sqlite3_prepare_v2(db_, "SELECT value FROM store_meta WHERE key = ?1", -1, &q.s, nullptr) != SQLITE_OK) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  sqlite3_bind_text(q.s, 1, key, -1, SQLITE_STATIC);
  const int rc = sqlite3_step(q.s);
  if (rc == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(q.s, 0));
    return std::optional<std::string>(text == nullptr ? "" : text);
  }
  if (rc != SQLITE_DONE) return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  return std::optional<std::string>();
}

Status EventStore::SetMeta(const char* key, const std::string& value) {
  Stmt q;
  sqlite3_prepare_v2(db_, "INSERT INTO store_meta(key, value) VALUES(?1, ?2) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &q.s, nullptr);
  sqlite3_bind_text(q.s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(q.s, 2, value.c_str(), -1, SQLITE_TRANSIENT);
  if (q.s == nullptr || sqlite3_step(q.s) != SQLITE_DONE) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  return Status::Ok();
}

Result<int> EventStore::StoredKeyId() const {
  auto id = Meta("key_id");
  if (!id.ok()) return id.status();
  if (*id) return std::atoi((*id)->c_str());
  auto scheme = Meta("scheme");
  if (!scheme.ok()) return scheme.status();
  return *scheme && **scheme == kSchemeLegacy ? 1 : 0;
}

Result<int> EventStore::KeyIdOf(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return 0;
  // Read-only and without migrating: only which key the store needs is asked.
  std::unique_ptr<EventStore> store(new EventStore());
  if (sqlite3_open_v2(path.c_str(), &store->db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return Status(StatusCode::kNotFound, path.string() + ": cannot open event store: " +
                                             (store->db_ ? sqlite3_errmsg(store->db_) : "out of memory"));
  }
  sqlite3_busy_timeout(store->db_, 10000);
  Stmt q;
  sqlite3_prepare_v2(store->db_, "SELECT 1 FROM sqlite_master WHERE name = 'store_meta'", -1, &q.s, nullptr);
  if (q.s == nullptr || sqlite3_step(q.s) != SQLITE_ROW) {
    // Schema 1 with data: it becomes an HMAC store with key k1 when migrated.
    Stmt persons;
    sqlite3_prepare_v2(store->db_, "SELECT 1 FROM persons LIMIT 1", -1, &persons.s, nullptr);
    return persons.s != nullptr && sqlite3_step(persons.s) == SQLITE_ROW ? 1 : 0;
  }
  auto id = store->StoredKeyId();
  if (!id.ok()) return id.status();
  if (*id != 0) return *id;
  auto legacy = store->Meta("secret_fingerprint");  // schema 2, opened with its secret before
  return legacy.ok() && *legacy ? 1 : 0;
}

Status EventStore::Exec(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    return Status(StatusCode::kInternal, "event store: " + message);
  }
  return Status::Ok();
}

Result<std::unique_ptr<EventStore>> EventStore::Open(const std::filesystem::path& path,
                                                     std::string secret, int key_id) {
  if (sodium_init() < 0) return Status(StatusCode::kInternal, "libsodium could not be initialised");
  if (!secret.empty() && secret.size() < kMinSecretBytes) {
    return Status(StatusCode::kInvalidArgument,
                  "municipality secret: " + std::to_string(secret.size()) + " bytes, at least " +
                      std::to_string(kMinSecretBytes) + " needed");
  }
  std::unique_ptr<EventStore> store(new EventStore());
  store->secret_ = std::move(secret);
  store->key_id_ = key_id;
  if (sqlite3_open_v2(path.c_str(), &store->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    return Status(StatusCode::kNotFound, path.string() + ": cannot open event store: " +
                                             (store->db_ ? sqlite3_errmsg(store->db_) : "out of memory"));
  }
  sqlite3_busy_timeout(store->db_, 10000);
  // WAL: readers do not block the writer; synchronous=FULL: a committed transaction survives
  // a crash of the process and of the machine.
  // secure_delete: a rewritten or deleted value (an old pseudonym after re-keying, a clear id
  // after its pseudonymisation) is overwritten in the file, not left in a free page.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                             "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON"}) {
    if (Status s = store->Exec(pragma); !s.ok()) {
      return Status(StatusCode::kInvalidArgument, path.string() + ": " + s.message());
    }
  }
  if (Status s = store->Migrate(); !s.ok()) return Status(s.code(), path.string() + ": " + s.message());
  if (Status s = store->CheckKey(); !s.ok()) return Status(s.code(), path.string() + ": " + s.message());

  store->stmt_ = std::make_unique<Statements>();
  const std::pair<Stmt*, const char*> statements[] = {
      {&store->stmt_->upsert_person,
       "INSERT INTO persons(pseudonym, sex, birth_year, birth_month) "
       "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(pseudonym) DO UPDATE SET "
       "sex = CASE WHEN sex = 0 THEN excluded.sex ELSE sex END, "
       "birth_year = CASE WHEN birth_year = 0 THEN excluded.birth_year ELSE birth_year END, "
       "birth_month = CASE WHEN birth_month = 0 THEN excluded.birth_month ELSE birth_month END "
       "RETURNING id"},
      {&store->stmt_->insert_event,
       "INSERT OR IGNORE INTO events(event_id, person, municipality, kind, day, start_day, "
       "end_day, am, r_mask, further, view, occasion, exit_reason, intervention_id, "
       "intervention_kind, orientation, outcome, actor, unit, caseworker, recorded_at) "
       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
       "?19, ?20, ?21)"},
      {&store->stmt_->person_attributes,
       "SELECT sex, birth_year, birth_month FROM persons WHERE id = ?1"},
  };
  for (const auto& [stmt, sql] : statements) {
    if (sqlite3_prepare_v3(store->db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt->s, nullptr) !=
        SQLITE_OK) {
      return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(store->db_)));
    }
  }
  return store;
}

EventStore::~EventStore() {
  if (in_transaction_) (void)Rollback();
  stmt_.reset();
  sqlite3_close_v2(db_);
  sodium_memzero(secret_.data(), secret_.size());
  sodium_memzero(last_personnummer_.data(), last_personnummer_.size());
}

Status EventStore::Migrate() {
  int version = 0;
  {
    Stmt q;
    sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &q.s, nullptr);
    if (q.s != nullptr && sqlite3_step(q.s) == SQLITE_ROW) version = sqlite3_column_int(q.s, 0);
  }
  if (version > kSchemaVersion) {
    return Status(StatusCode::kFailedPrecondition,
                  "event store schema version " + std::to_string(version) +
                      " is newer than this build understands (" + std::to_string(kSchemaVersion) + ")");
  }
  for (; version < kSchemaVersion; ++version) {
    // Each migration and its version bump commit together, or not at all.
    if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    Status s = Exec(kMigrations[version]);
    if (s.ok()) s = Exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
    if (s.ok()) s = Exec("COMMIT");
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return Status(s.code(), "migration to schema version " + std::to_string(version + 1) +
                                  " failed: " + s.message());
    }
  }
  schema_version_ = version;
  return Status::Ok();
}

Status EventStore::CheckKey() {
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
  if (*stored) {
    if (**stored != fingerprint) {
      return Status(StatusCode::kInvalidArgument,
                    "the key k" + std::to_string(key_id_) +
                        " does not match the one this store's pseudonyms were made with (pseudonyms "
                        "would not match)");
    }
  } else {
    // First key for this store: record it, in one transaction with its scheme and id.
    if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    Status s = SetMeta(fingerprint_key, fingerprint);
    if (s.ok() && !legacy) s = SetMeta("scheme", kSchemeRistretto);
    if (s.ok()) s = SetMeta("key_id", std::to_string(key_id_));
    if (s.ok()) s = Exec("COMMIT");
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
  }
  if (legacy) return PseudonymiseLegacyReferences();
  return Status::Ok();
}

// A store from before versioned keys keeps event and intervention ids in clear: replaced by
// their pseudonyms once, in one transaction (ids already prefixed are left alone, so an
// interrupted run just runs again).
Status EventStore::PseudonymiseLegacyReferences() {
  const std::string prefix = pseudonymiser_->Prefix();
  Stmt q;
  sqlite3_prepare_v2(db_, "SELECT id, event_id, intervention_id FROM events WHERE substr(event_id, 1, 3) != ?1 "
                          "OR (intervention_id IS NOT NULL AND substr(intervention_id, 1, 3) != ?1)",
                     -1, &q.s, nullptr);
  sqlite3_bind_text(q.s, 1, prefix.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<std::tuple<int64_t, std::string, std::optional<std::string>>> rows;
  while (sqlite3_step(q.s) == SQLITE_ROW) {
    std::optional<std::string> intervention;
    if (sqlite3_column_type(q.s, 2) != SQLITE_NULL) intervention = reinterpret_cast<const char*>(sqlite3_column_text(q.s, 2));
    rows.emplace_back(sqlite3_column_int64(q.s, 0), reinterpret_cast<const char*>(sqlite3_column_text(q.s, 1)),
                      std::move(intervention));
  }
  if (rows.empty()) return Status::Ok();
  if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Stmt update;
  sqlite3_prepare_v2(db_, "UPDATE events SET event_id = ?2, intervention_id = ?3 WHERE id = ?1", -1, &update.s, nullptr);
  for (auto& [id, event_id, intervention] : rows) {
    auto pseudonymise = [&](const std::string& kind, const std::string& text) {
      return text.rfind(prefix, 0) == 0 ? text : pseudonymiser_->Reference(kind, text);
    };
    const std::string new_event = pseudonymise("event", event_id);
    sqlite3_reset(update.s);
    sqlite3_bind_int64(update.s, 1, id);
    sqlite3_bind_text(update.s, 2, new_event.c_str(), -1, SQLITE_TRANSIENT);
    if (intervention) {
      sqlite3_bind_text(update.s, 3, pseudonymise("intervention", *intervention).c_str(), -1, SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(update.s, 3);
    }
    if (sqlite3_step(update.s) != SQLITE_DONE) {
      const Status error(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
      (void)Exec("ROLLBACK");
      return error;
    }
  }
  return Exec("COMMIT");
}

Status EventStore::Begin() {
  if (in_transaction_) return Status(StatusCode::kInternal, "event store: transaction already open");
  if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
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
  return Exec("COMMIT");
}

Status EventStore::Rollback() {
  if (!in_transaction_) return Status::Ok();
  in_transaction_ = false;
  return Exec("ROLLBACK");
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

Result<int64_t> EventStore::PersonId(const v1::Subject& subject, const std::string& field) {
  std::string pseudonym;
  if (!subject.personnummer().empty()) {
    // A case system sends one person's events together: the last pseudonym is reused rather
    // than recomputed (a scalar multiplication per event is most of an import's time).
    if (subject.personnummer() == last_personnummer_ && !last_personnummer_.empty()) {
      pseudonym = last_pseudonym_;
    } else {
      auto p = Pseudonym(subject.personnummer());
      if (!p.ok()) return Invalid(field + ".personnummer", p.status().message());
      pseudonym = std::move(*p);
      sodium_memzero(last_personnummer_.data(), last_personnummer_.size());
      last_personnummer_ = subject.personnummer();
      last_pseudonym_ = pseudonym;
    }
  } else if (!subject.pseudonym().empty()) {
    // Pseudonymised upstream with the same key: it carries this store's key id ("k2:…"; a
    // store from before versioned keys takes bare HMAC hex).
    const std::string_view given = subject.pseudonym();
    const bool legacy = pseudonymiser_ && pseudonymiser_->scheme() == PseudonymScheme::kLegacyHmac;
    const std::string prefix = pseudonymiser_ && !legacy ? pseudonymiser_->Prefix() : std::string();
    if (!pseudonymiser_ || given.substr(0, prefix.size()) != prefix || !IsHex64(given.substr(prefix.size()))) {
      return Invalid(field + ".pseudonym", "not a pseudonym under this store's key (" +
                                               (prefix.empty() ? std::string("64 lower-case hex digits") : prefix + "<64 hex digits>") + ")");
    }
    pseudonym = given;
  } else {
    return Invalid(field, "neither personnummer nor pseudonym given");
  }
  if (subject.sex() < v1::SEX_UNSPECIFIED || subject.sex() > v1::SEX_OTHER) {
    return Invalid(field + ".sex", "unknown value " + std::to_string(subject.sex()));
  }
  if (subject.birth_year() != 0 && (subject.birth_year() < 1880 || subject.birth_year() > 2200)) {
    return Invalid(field + ".birth_year", std::to_string(subject.birth_year()) + " is not plausible");
  }
  if (subject.birth_month() < 0 || subject.birth_month() > 12) {
    return Invalid(field + ".birth_month", std::to_string(subject.birth_month()) + " is not 1–12");
  }
  // household_pseudonym is accepted and not kept: no report reads it (docs/privacy.md).
  sqlite3_stmt* s = stmt_->upsert_person.s;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, pseudonym.c_str(), static_cast<int>(pseudonym.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int(s, 2, subject.sex());
  sqlite3_bind_int(s, 3, subject.birth_year());
  sqlite3_bind_int(s, 4, subject.birth_month());
  if (sqlite3_step(s) != SQLITE_ROW) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  const int64_t id = sqlite3_column_int64(s, 0);
  sqlite3_reset(s);
  return id;
}

Result<AddOutcome> EventStore::Add(const v1::Event& event) {
  const v1::EventHeader* header = nullptr;
  std::string field;
  int kind = 0;
  switch (event.kind_case()) {
    case v1::Event::kCategorisation: header = &event.categorisation().header(); field = "categorisation"; kind = kCategorisation; break;
    case v1::Event::kAssistancePeriod: header = &event.assistance_period().header(); field = "assistance_period"; kind = kPeriod; break;
    case v1::Event::kIntervention: header = &event.intervention().header(); field = "intervention"; kind = kIntervention; break;
    case v1::Event::KIND_NOT_SET:
      return Invalid("event", "none of categorisation, assistance_period, intervention is set");
  }
  const std::string h = field + ".header";
  if (!pseudonymiser_) {
    return Invalid(h + ".event_id", "the store was opened without the municipality key, so no event "
                                    "(its id and subject are pseudonymised) can be added");
  }
  if (header->event_id().empty()) return Invalid(h + ".event_id", "missing");
  if (header->event_id().size() > 200) return Invalid(h + ".event_id", "longer than 200 characters");
  const std::string& kommun = header->municipality_code();
  if (kommun.size() != 4 || !std::all_of(kommun.begin(), kommun.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Invalid(h + ".municipality_code", "'" + kommun + "' is not a four-digit kommunkod");
  }
  auto effective = DateField(header->effective_date(), h + ".effective_date", kind == kCategorisation);
  if (!effective.ok()) return effective.status();
  if (!header->has_subject()) return Invalid(h + ".subject", "missing");

  sqlite3_stmt* s = stmt_->insert_event.s;
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  std::optional<stats::Day> start, end;
  if (kind == kCategorisation) {
    const v1::Category& c = event.categorisation().category();
    if (!event.categorisation().has_category()) return Invalid(field + ".category", "missing");
    if (c.am_level() < 0 || c.am_level() > v1::AM_LEVEL_AM3) {
      return Invalid(field + ".category.am_level", "unknown value " + std::to_string(c.am_level()));
    }
    int mask = 0;
    for (int i = 0; i < c.r_kinds_size(); ++i) {
      const int r = c.r_kinds(i);
      if (r < v1::R_KIND_R1_PHYSICAL || r > v1::R_KIND_R3_SUBSTANCE) {
        return Invalid(field + ".category.r_kinds[" + std::to_string(i) + "]",
                       "unknown or unspecified value " + std::to_string(r));
      }
      mask |= 1 << (r - 1);
    }
    sqlite3_bind_int(s, 8, c.am_level());
    sqlite3_bind_int(s, 9, mask);
    sqlite3_bind_int(s, 10, c.further_investigation() ? 1 : 0);
    sqlite3_bind_int(s, 11, event.categorisation().governing_view());
    sqlite3_bind_text(s, 12, event.categorisation().occasion().c_str(), -1, SQLITE_TRANSIENT);
  } else if (kind == kPeriod) {
    const v1::AssistancePeriodEvent& p = event.assistance_period();
    auto a = DateField(p.start_date(), field + ".start_date", true);
    if (!a.ok()) return a.status();
    auto b = DateField(p.end_date(), field + ".end_date", false);
    if (!b.ok()) return b.status();
    start = *a;
    end = *b;
    if (end && *end < *start) return Invalid(field + ".end_date", "before start_date " + p.start_date());
    if (p.exit_reason() < 0 || p.exit_reason() > v1::EXIT_REASON_OTHER) {
      return Invalid(field + ".exit_reason", "unknown value " + std::to_string(p.exit_reason()));
    }
    if (!end && p.exit_reason() != v1::EXIT_REASON_UNSPECIFIED) {
      return Invalid(field + ".exit_reason", "given for an open period (no end_date)");
    }
    sqlite3_bind_int(s, 13, p.exit_reason());
  } else {
    const v1::InterventionEvent& iv = event.intervention();
    if (iv.intervention_id().empty()) return Invalid(field + ".intervention_id", "missing");
    auto a = DateField(iv.start_date(), field + ".start_date", true);
    if (!a.ok()) return a.status();
    auto b = DateField(iv.end_date(), field + ".end_date", false);
    if (!b.ok()) return b.status();
    start = *a;
    end = *b;
    if (end && *end < *start) return Invalid(field + ".end_date", "before start_date " + iv.start_date());
    if (iv.orientation() < 0 || iv.orientation() > v1::INTERVENTION_ORIENTATION_STUDIES) {
      return Invalid(field + ".orientation", "unknown value " + std::to_string(iv.orientation()));
    }
    if (iv.outcome() < 0 || iv.outcome() > v1::KAS_OUTCOME_OTHER) {
      return Invalid(field + ".outcome", "unknown value " + std::to_string(iv.outcome()));
    }
    if (!end && iv.outcome() != v1::KAS_OUTCOME_UNSPECIFIED) {
      return Invalid(field + ".outcome", "given for an intervention that has not ended (no end_date)");
    }
    // Kind and actor are catalogue codes the reports group by: bounded and plain, so a hostile
    // event cannot make report rows of arbitrary text or size.
    for (const auto& [name, code] : {std::pair<const char*, const std::string*>{".kind", &iv.kind()},
                                     {".responsible_actor", &iv.responsible_actor()}}) {
      if (code->size() > kMaxCodeBytes) {
        return Invalid(field + name, std::to_string(code->size()) + " bytes, more than the limit " +
                                         std::to_string(kMaxCodeBytes));
      }
      for (const char ch : *code) {
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.')) {
          return Invalid(field + name, "a code of a-z, 0-9, '_', '-' or '.' (got byte " +
                                           std::to_string(static_cast<unsigned char>(ch)) + ")");
        }
      }
    }
    sqlite3_bind_text(s, 14, pseudonymiser_->Reference("intervention", iv.intervention_id()).c_str(), -1,
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 15, iv.kind().c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 16, iv.orientation());
    sqlite3_bind_int(s, 17, iv.outcome());
    sqlite3_bind_text(s, 18, iv.responsible_actor().c_str(), -1, SQLITE_TRANSIENT);
  }
  auto person = PersonId(header->subject(), h + ".subject");
  if (!person.ok()) {
    sqlite3_clear_bindings(s);
    return person.status();
  }
  const stats::Day day = effective->value_or(start.value_or(0));
  // Event ids are built from case references ("<household>/<person>/…"), which a vendor may
  // make of personnummer: only their pseudonym is kept (still unique, so imports stay idempotent).
  sqlite3_bind_text(s, 1, pseudonymiser_->Reference("event", header->event_id()).c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, *person);
  sqlite3_bind_text(s, 3, kommun.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(s, 4, kind);
  sqlite3_bind_int(s, 5, day);
  if (start) sqlite3_bind_int(s, 6, *start);
  if (end) sqlite3_bind_int(s, 7, *end);
  if (!header->unit().empty()) sqlite3_bind_text(s, 19, header->unit().c_str(), -1, SQLITE_TRANSIENT);
  if (!header->caseworker().empty()) {
    sqlite3_bind_text(s, 20, header->caseworker().c_str(), -1, SQLITE_TRANSIENT);
  }
  sqlite3_bind_text(s, 21, header->recorded_at().c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  return sqlite3_changes(db_) > 0 ? AddOutcome::kInserted : AddOutcome::kDuplicate;
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
  RekeyCounts counts;
  if (Status s = Begin(); !s.ok()) return s;  // checks nobody re-keyed it meanwhile
  // One column of one table, in id order and in slices, so no read cursor walks rows being
  // rewritten and memory stays bounded.
  auto rekey_column = [&](const char* table, const char* column, int64_t* moved) -> Status {
    const std::string select = std::string("SELECT id, ") + column + " FROM " + table + " WHERE id > ?1 AND " +
                               column + " IS NOT NULL ORDER BY id LIMIT 5000";
    const std::string update = std::string("UPDATE ") + table + " SET " + column + " = ?2 WHERE id = ?1";
    Stmt q, u;
    if (sqlite3_prepare_v2(db_, select.c_str(), -1, &q.s, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_, update.c_str(), -1, &u.s, nullptr) != SQLITE_OK) {
      return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
    }
    int64_t after = 0;
    for (;;) {
      std::vector<std::pair<int64_t, std::string>> slice;
      sqlite3_reset(q.s);
      sqlite3_bind_int64(q.s, 1, after);
      while (sqlite3_step(q.s) == SQLITE_ROW) slice.emplace_back(sqlite3_column_int64(q.s, 0), Text(q.s, 1));
      if (slice.empty()) return Status::Ok();
      for (const auto& [id, value] : slice) {
        after = id;
        if (value.rfind(from_prefix, 0) != 0) continue;  // already under the new key
        auto moved_value = Pseudonymiser::Rekey(value, from, *to);
        if (!moved_value.ok()) return Status(moved_value.status().code(), std::string(table) + "." + column +
                                                                             " row " + std::to_string(id) + ": " +
                                                                             moved_value.status().message());
        sqlite3_reset(u.s);
        sqlite3_bind_int64(u.s, 1, id);
        sqlite3_bind_text(u.s, 2, moved_value->c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(u.s) != SQLITE_DONE) {
          return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
        }
        ++*moved;
      }
    }
  };
  Status s = rekey_column("persons", "pseudonym", &counts.persons);
  if (s.ok()) s = rekey_column("events", "event_id", &counts.references);
  if (s.ok()) s = rekey_column("events", "intervention_id", &counts.references);
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

Result<int64_t> EventStore::CountUnder(int key_id) const {
  const std::string prefix = "k" + std::to_string(key_id) + ":";
  Stmt q;
  sqlite3_prepare_v2(db_, "SELECT (SELECT count(*) FROM persons WHERE substr(pseudonym, 1, ?2) = ?1) + "
                          "(SELECT count(*) FROM events WHERE substr(event_id, 1, ?2) = ?1) + "
                          "(SELECT count(*) FROM events WHERE substr(intervention_id, 1, ?2) = ?1)",
                     -1, &q.s, nullptr);
  sqlite3_bind_text(q.s, 1, prefix.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(q.s, 2, static_cast<int>(prefix.size()));
  if (q.s == nullptr || sqlite3_step(q.s) != SQLITE_ROW) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  return sqlite3_column_int64(q.s, 0);
}

int64_t EventStore::CountEvents() const {
  Stmt q;
  sqlite3_prepare_v2(db_, "SELECT count(*) FROM events", -1, &q.s, nullptr);
  return sqlite3_step(q.s) == SQLITE_ROW ? sqlite3_column_int64(q.s, 0) : -1;
}

int64_t EventStore::CountPersons() const {
  Stmt q;
  sqlite3_prepare_v2(db_, "SELECT count(*) FROM persons", -1, &q.s, nullptr);
  return sqlite3_step(q.s) == SQLITE_ROW ? sqlite3_column_int64(q.s, 0) : -1;
}

namespace {

// One stored row, reused across persons (strings keep their capacity).
struct RawEvent {
  int64_t rowid = 0;
  int kind = 0;
  stats::Day day = 0, start = 0, end = stats::kNoDay;
  int am = 0, r_mask = 0, further = 0, exit = 0, orientation = 0, outcome = 0;
  std::string intervention_id, unit, caseworker, recorded_at, intervention_kind, actor;
};

// Later recorded first-class ordering: recorded_at (RFC 3339, UTC), then insertion order.
bool RecordedBefore(const RawEvent& a, const RawEvent& b) {
  const int c = a.recorded_at.compare(b.recorded_at);
  return c != 0 ? c < 0 : a.rowid < b.rowid;
}

void BuildHistory(std::vector<RawEvent*>& rows, stats::PersonHistory& h) {
  std::sort(rows.begin(), rows.end(), [](const RawEvent* a, const RawEvent* b) {
    if (a->kind != b->kind) return a->kind < b->kind;
    if (a->kind == kIntervention && a->intervention_id != b->intervention_id) {
      return a->intervention_id < b->intervention_id;
    }
    if (a->kind == kPeriod && a->start != b->start) return a->start < b->start;
    if (a->kind == kCategorisation && a->day != b->day) return a->day < b->day;
    return RecordedBefore(*a, *b);
  });
  for (size_t i = 0; i < rows.size(); ++i) {
    const RawEvent& e = *rows[i];
    const bool last_of_group = i + 1 == rows.size() || rows[i + 1]->kind != e.kind ||
                               (e.kind == kPeriod && rows[i + 1]->start != e.start) ||
                               (e.kind == kIntervention && rows[i + 1]->intervention_id != e.intervention_id);
    if (!e.unit.empty() || !e.caseworker.empty()) h.assignments.push_back({e.day, e.unit, e.caseworker});
    switch (e.kind) {
      case kCategorisation:
        h.categorisations.push_back({e.day, static_cast<stats::AmLevel>(e.am),
                                     static_cast<uint8_t>(e.r_mask), e.further != 0});
        break;
      case kPeriod:
        if (last_of_group) {
          h.periods.push_back({e.start, e.end == stats::kNoDay ? stats::kNoDay : e.end + 1,
                               static_cast<stats::ExitReason>(e.exit)});
        }
        break;
      case kIntervention:
        if (last_of_group) {
          h.interventions.push_back({e.start, e.end, static_cast<stats::Orientation>(e.orientation),
                                     static_cast<stats::KasOutcome>(e.outcome), e.intervention_kind, e.actor});
        }
        break;
      default: break;
    }
  }
  std::sort(h.interventions.begin(), h.interventions.end(),
            [](const auto& a, const auto& b) { return a.start < b.start; });
  std::stable_sort(h.assignments.begin(), h.assignments.end(),
                   [](const auto& a, const auto& b) { return a.day < b.day; });
}

}  // namespace

Status EventStore::ForEachPerson(
    const std::string& municipality,
    const std::function<void(const stats::PersonHistory&)>& visit) const {
  Stmt q;
  if (sqlite3_prepare_v2(db_,
                         "SELECT person, id, kind, day, start_day, end_day, am, r_mask, further, "
                         "exit_reason, orientation, outcome, intervention_id, unit, caseworker, "
                         "recorded_at, intervention_kind, actor FROM events WHERE municipality = ?1 "
                         "ORDER BY person",
                         -1, &q.s, nullptr) != SQLITE_OK) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  sqlite3_bind_text(q.s, 1, municipality.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<RawEvent> pool;
  std::vector<RawEvent*> rows;
  size_t used = 0;
  int64_t current = -1;
  stats::PersonHistory history;
  auto flush = [&]() -> Status {
    if (current < 0) return Status::Ok();
    history.Clear();
    sqlite3_stmt* a = stmt_->person_attributes.s;
    sqlite3_reset(a);
    sqlite3_bind_int64(a, 1, current);
    if (sqlite3_step(a) == SQLITE_ROW) {
      history.sex = static_cast<core::Sex>(sqlite3_column_int(a, 0));
      history.birth_year = sqlite3_column_int(a, 1);
      history.birth_month = sqlite3_column_int(a, 2);
    }
    sqlite3_reset(a);
    rows.clear();
    for (size_t i = 0; i < used; ++i) rows.push_back(&pool[i]);
    BuildHistory(rows, history);
    visit(history);
    used = 0;
    return Status::Ok();
  };
  int rc;
  while ((rc = sqlite3_step(q.s)) == SQLITE_ROW) {
    const int64_t person = sqlite3_column_int64(q.s, 0);
    if (person != current) {
      if (Status s = flush(); !s.ok()) return s;
      current = person;
    }
    if (used == pool.size()) pool.emplace_back();
    RawEvent& e = pool[used++];
    e.rowid = sqlite3_column_int64(q.s, 1);
    e.kind = sqlite3_column_int(q.s, 2);
    e.day = sqlite3_column_int(q.s, 3);
    e.start = sqlite3_column_int(q.s, 4);
    e.end = sqlite3_column_type(q.s, 5) == SQLITE_NULL ? stats::kNoDay : sqlite3_column_int(q.s, 5);
    e.am = sqlite3_column_int(q.s, 6);
    e.r_mask = sqlite3_column_int(q.s, 7);
    e.further = sqlite3_column_int(q.s, 8);
    e.exit = sqlite3_column_int(q.s, 9);
    e.orientation = sqlite3_column_int(q.s, 10);
    e.outcome = sqlite3_column_int(q.s, 11);
    e.intervention_id = Text(q.s, 12);
    e.unit = Text(q.s, 13);
    e.caseworker = Text(q.s, 14);
    e.recorded_at = Text(q.s, 15);
    e.intervention_kind = Text(q.s, 16);
    e.actor = Text(q.s, 17);
  }
  if (rc != SQLITE_DONE) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  return flush();
}

}  // namespace ix::store
