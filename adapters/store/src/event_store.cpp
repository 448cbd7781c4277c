#include <ix/store/event_store.hpp>

#include <ix/base/crypto.hpp>
#include <ix/core/personnummer.hpp>

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
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
};
static_assert(std::size(kMigrations) == kSchemaVersion);

enum Kind : int { kCategorisation = 1, kPeriod = 2, kIntervention = 3 };

bool IsHex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Status Invalid(const std::string& field, const std::string& message) {
  return InvalidField(field, message);
}

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

}  // namespace

struct EventStore::Statements {
  Stmt upsert_person, insert_event, person_attributes;
};

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
                                                     std::string secret) {
  if (sodium_init() < 0) return Status(StatusCode::kInternal, "libsodium could not be initialised");
  if (!secret.empty() && secret.size() < kMinSecretBytes) {
    return Status(StatusCode::kInvalidArgument,
                  "municipality secret: " + std::to_string(secret.size()) + " bytes, at least " +
                      std::to_string(kMinSecretBytes) + " needed");
  }
  std::unique_ptr<EventStore> store(new EventStore());
  store->secret_ = std::move(secret);
  if (sqlite3_open_v2(path.c_str(), &store->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    return Status(StatusCode::kNotFound, path.string() + ": cannot open event store: " +
                                             (store->db_ ? sqlite3_errmsg(store->db_) : "out of memory"));
  }
  sqlite3_busy_timeout(store->db_, 10000);
  // WAL: readers do not block the writer; synchronous=FULL: a committed transaction survives
  // a crash of the process and of the machine.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                             "PRAGMA foreign_keys=ON"}) {
    if (Status s = store->Exec(pragma); !s.ok()) {
      return Status(StatusCode::kInvalidArgument, path.string() + ": " + s.message());
    }
  }
  if (Status s = store->Migrate(); !s.ok()) return Status(s.code(), path.string() + ": " + s.message());
  if (Status s = store->CheckSecret(); !s.ok()) return Status(s.code(), path.string() + ": " + s.message());

  store->stmt_ = std::make_unique<Statements>();
  const std::pair<Stmt*, const char*> statements[] = {
      {&store->stmt_->upsert_person,
       "INSERT INTO persons(pseudonym, sex, birth_year, birth_month, household) "
       "VALUES(?1, ?2, ?3, ?4, NULLIF(?5, '')) ON CONFLICT(pseudonym) DO UPDATE SET "
       "sex = CASE WHEN sex = 0 THEN excluded.sex ELSE sex END, "
       "birth_year = CASE WHEN birth_year = 0 THEN excluded.birth_year ELSE birth_year END, "
       "birth_month = CASE WHEN birth_month = 0 THEN excluded.birth_month ELSE birth_month END, "
       "household = COALESCE(household, excluded.household) RETURNING id"},
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

Status EventStore::CheckSecret() {
  if (secret_.empty()) return Status::Ok();
  const std::string fingerprint = base::crypto::HmacSha256Hex(secret_, "ix-store-secret-fingerprint-v1");
  Stmt q;
  sqlite3_prepare_v2(db_, "SELECT value FROM store_meta WHERE key = 'secret_fingerprint'", -1, &q.s,
                     nullptr);
  if (sqlite3_step(q.s) == SQLITE_ROW) {
    const auto* stored = reinterpret_cast<const char*>(sqlite3_column_text(q.s, 0));
    if (stored == nullptr || fingerprint != stored) {
      return Status(StatusCode::kInvalidArgument,
                    "the municipality secret does not match the one this store was created with "
                    "(pseudonyms would not match)");
    }
    return Status::Ok();
  }
  Stmt insert;
  sqlite3_prepare_v2(db_, "INSERT INTO store_meta(key, value) VALUES('secret_fingerprint', ?1)", -1,
                     &insert.s, nullptr);
  sqlite3_bind_text(insert.s, 1, fingerprint.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(insert.s) != SQLITE_DONE) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  return Status::Ok();
}

Status EventStore::Begin() {
  if (in_transaction_) return Status(StatusCode::kInternal, "event store: transaction already open");
  if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  in_transaction_ = true;
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
  if (secret_.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "a personnummer can only be pseudonymised with the municipality secret");
  }
  const core::IdentityNumber id = core::ParseIdentityNumber(personnummer);
  if (!id.ok()) {
    return Status(StatusCode::kInvalidArgument, core::DescribeIdentityNumberError(id.error).en);
  }
  return base::crypto::HmacSha256Hex(secret_, "ix-person-v1:" + id.normalized);
}

Result<int64_t> EventStore::PersonId(const v1::Subject& subject, const std::string& field) {
  std::string pseudonym;
  if (!subject.personnummer().empty()) {
    auto p = Pseudonym(subject.personnummer());
    if (!p.ok()) return Invalid(field + ".personnummer", p.status().message());
    pseudonym = std::move(*p);
  } else if (IsHex64(subject.pseudonym())) {
    pseudonym = subject.pseudonym();  // pseudonymised upstream with the same secret
  } else if (!subject.pseudonym().empty()) {
    return Invalid(field + ".pseudonym", "not 64 lower-case hex digits (HMAC-SHA-256)");
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
  if (!subject.household_pseudonym().empty() && !IsHex64(subject.household_pseudonym())) {
    return Invalid(field + ".household_pseudonym", "not 64 lower-case hex digits (HMAC-SHA-256)");
  }
  sqlite3_stmt* s = stmt_->upsert_person.s;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, pseudonym.c_str(), static_cast<int>(pseudonym.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int(s, 2, subject.sex());
  sqlite3_bind_int(s, 3, subject.birth_year());
  sqlite3_bind_int(s, 4, subject.birth_month());
  sqlite3_bind_text(s, 5, subject.household_pseudonym().c_str(), -1, SQLITE_TRANSIENT);
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
    sqlite3_bind_text(s, 14, iv.intervention_id().c_str(), -1, SQLITE_TRANSIENT);
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
  sqlite3_bind_text(s, 1, header->event_id().c_str(), -1, SQLITE_TRANSIENT);
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
  std::string intervention_id, unit, caseworker, recorded_at;
};

const char* Text(sqlite3_stmt* s, int column) {
  const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  return t == nullptr ? "" : t;
}

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
                                     static_cast<stats::KasOutcome>(e.outcome)});
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
                         "recorded_at FROM events WHERE municipality = ?1 ORDER BY person",
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
  }
  if (rc != SQLITE_DONE) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  return flush();
}

}  // namespace ix::store
