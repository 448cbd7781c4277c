// The SQLite backend of the event store. What an event becomes and how rows are read back
// into histories is shared with the PostgreSQL backend (event_rows.cpp); keys, transactions'
// re-key check and re-keying too (store_common.cpp). Here: the SQLite schema and its SQL.
#include <ix/store/sqlite_event_store.hpp>
#include <ix/store/pseudonym.hpp>

#include "backends.hpp"
#include "event_rows.hpp"
#include "packed_facts.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
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
    // 4: milestone events (kind 4: first visit, complete application, decision, plan), for the
    // lead-time report. Existing rows keep NULL: they are not milestones.
    R"sql(
ALTER TABLE events ADD COLUMN milestone INTEGER;
)sql",
    // 5: a categorisation's indicator facts: the completed parts of the form (bit p − 1 for
    // part p), who assessed and whether the views differ (1 caseworker, 2 client, 4 differ), the
    // six AM ratings as decimal digits (education first). Existing rows keep NULL: not recorded.
    R"sql(
ALTER TABLE events ADD COLUMN parts INTEGER;
ALTER TABLE events ADD COLUMN views INTEGER;
ALTER TABLE events ADD COLUMN ratings INTEGER;
)sql",
};

// The columns of events an insert gives, in its parameters' order (?1 …).
constexpr const char* kInsertColumns[] = {
    "event_id", "person", "municipality", "kind", "day", "start_day", "end_day", "am", "r_mask", "further",
    "view", "occasion", "exit_reason", "intervention_id", "intervention_kind", "orientation", "outcome", "actor",
    "unit", "caseworker", "recorded_at", "milestone", "parts", "views", "ratings"};
static_assert(rows::kMilestone < 8);  // the kind's three bits in facts

int InsertParameter(const char* column) {
  for (int i = 0; i < static_cast<int>(std::size(kInsertColumns)); ++i) {
    if (std::string_view(kInsertColumns[i]) == column) return i + 1;
  }
  return 0;  // not reached: every packed column is inserted (the store test reads each back)
}

// Migration i brings the store to user_version i + 1: the SQL ones above, then those built
// from the code's tables (kBuiltMigrations of them).
constexpr size_t kBuiltMigrations = 2;
const std::vector<std::string>& Migrations() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> m(std::begin(kMigrations), std::end(kMigrations));
    // 6: the packed facts (packed_facts.hpp) and one index that holds every column a report
    // reads, in person order, so that no report reads the table itself; it replaces
    // events_by_person (the same first two columns). Existing rows get their facts here, once:
    // every row is rewritten.
    m.push_back("ALTER TABLE events ADD COLUMN facts INTEGER NOT NULL DEFAULT 0;\n"
                "UPDATE events SET facts = " +
                facts::Sql([](const facts::Field& f) { return std::string(f.column); }) +
                ";\n"
                "DROP INDEX events_by_person;\n"
                "CREATE INDEX events_for_reports ON events(municipality, person, facts, day, start_day, end_day, "
                "intervention_id, recorded_at, intervention_kind, actor, unit, caseworker);\n");
    // 7: the same index with the kind before the person, so that a report reads each kind it
    // needs as its own run of the index, in person order, and skips the kinds it does not
    // (milestones are over a third of the rows, and only the lead times, the indicators and
    // the caseload read them); each run selects only its kind's columns. PersonSlices reads the person range
    // from it, one kind at a time.
    m.push_back("DROP INDEX events_for_reports;\n"
                "CREATE INDEX events_by_kind ON events(municipality, kind, person, facts, day, start_day, end_day, "
                "intervention_id, recorded_at, intervention_kind, actor, unit, caseworker);\n");
    return m;
  }();
  return all;
}

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

const char* Text(sqlite3_stmt* s, int column) {
  const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  return t == nullptr ? "" : t;
}

// What the history query selects (SQLite), and where each column of rows::kHistoryColumns comes
// from: a selected column, the packed facts, or the person's row (PersonAttributes). The
// optional ones are left out when no needed record reads them (rows::HistoryColumnRead); the
// first three are always selected, so facts is always the third.
// Each is selected only in the scans of the kinds whose rows carry it (rows::HistoryStream
// reads no other): a column a row's kind leaves NULL is not decoded for it.
struct Selected {
  int position;  // in rows::kHistoryColumns
  const char* sql;
  int kinds;  // bit 1 << rows::Kind for each kind whose rows carry it
};
constexpr int kEveryKind = (1 << rows::kCategorisation) | (1 << rows::kPeriod) | (1 << rows::kIntervention) |
                           (1 << rows::kMilestone);
constexpr int kSpans = (1 << rows::kPeriod) | (1 << rows::kIntervention);
constexpr int kInterventions = 1 << rows::kIntervention;
constexpr Selected kSelected[] = {
    {0, "e.person", kEveryKind},          {1, "e.id", kEveryKind},           {-1, "e.facts", kEveryKind},
    {3, "e.day", kEveryKind},             {4, "e.start_day", kSpans},        {5, "e.end_day", kSpans},
    {12, "e.intervention_id", kInterventions}, {15, "e.recorded_at", kEveryKind},
    {19, "e.intervention_kind", kInterventions}, {20, "e.actor", kInterventions},
    {13, "e.unit", kEveryKind},           {14, "e.caseworker", kEveryKind}};
constexpr int kFactsColumn = 2;
static_assert(kSelected[0].position == 0 && kSelected[1].position == 1 && kSelected[kFactsColumn].position < 0);
enum PersonColumn : int { kSex = 16, kBirthYear = 17, kBirthMonth = 18 };

// Where each position of rows::kHistoryColumns is read for one kind's scan: its column in the
// select list, or -1 (packed in facts, the person's, not carried by the kind's rows, or not read
// by any needed record: then not selected at all, so SQLite neither decodes it nor fills a NULL
// for it).
struct ColumnMap {
  int column[std::size(rows::kHistoryColumns)] = {};
  const facts::Field* packed[std::size(rows::kHistoryColumns)] = {};
  std::string select;
  ColumnMap(int column_set, int kind) {
    for (size_t i = 0; i < std::size(column); ++i) {
      column[i] = -1;
      for (const facts::Field& f : facts::kFields) {
        if (f.position == static_cast<int>(i)) packed[i] = &f;
      }
    }
    int selected = 0;
    for (const Selected& c : kSelected) {
      if (((c.kinds >> kind) & 1) == 0) continue;
      if (c.position >= 0 && !rows::HistoryColumnRead(c.position, column_set)) continue;
      if (c.position >= 0) column[c.position] = selected;
      select += selected++ == 0 ? "" : ", ";
      select += c.sql;
    }
  }
};

// The persons' sex and birth, read in person order beside the events (a join looked each up
// once per event: about a fifth of a report's reading).
class PersonAttributes {
 public:
  PersonAttributes(sqlite3* db, const EventStore::PersonSlice& slice) {
    sqlite3_prepare_v2(db, "SELECT id, sex, birth_year, birth_month FROM persons WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
                       -1, &q_, nullptr);
    sqlite3_bind_int64(q_, 1, slice.first);
    sqlite3_bind_int64(q_, 2, slice.last);
  }
  ~PersonAttributes() { sqlite3_finalize(q_); }
  PersonAttributes(const PersonAttributes&) = delete;
  PersonAttributes& operator=(const PersonAttributes&) = delete;
  bool prepared() const { return q_ != nullptr; }
  // The attribute (kSex …) of `person`; persons are asked in ascending order. 0 for a person
  // without a row (the foreign key makes that impossible).
  int64_t Get(int64_t person, int attribute) {
    while (id_ < person && rc_ == SQLITE_ROW) {
      rc_ = sqlite3_step(q_);
      if (rc_ == SQLITE_ROW) {
        id_ = sqlite3_column_int64(q_, 0);
        for (int i = 0; i < 3; ++i) values_[i] = sqlite3_column_int64(q_, i + 1);
      }
    }
    return id_ == person ? values_[attribute - kSex] : 0;
  }
  // Whether reading the persons failed (then the attributes read since are not to be trusted).
  bool failed() const { return rc_ != SQLITE_ROW && rc_ != SQLITE_DONE; }

 private:
  sqlite3_stmt* q_ = nullptr;
  int64_t id_ = std::numeric_limits<int64_t>::min();
  int64_t values_[3] = {0, 0, 0};
  int rc_ = SQLITE_ROW;  // of the last step: SQLITE_ROW until the persons are read to the end
};

// The history query's row, as rows::HistoryStream reads it (by kHistoryColumns' positions).
struct Cursor {
  sqlite3_stmt* s;
  const ColumnMap& m;
  int64_t person;  // column 0, read once
  int64_t packed;
  PersonAttributes* persons;
  int64_t Int(int i) const {
    if (i == 0) return person;
    if (m.packed[i] != nullptr) return facts::Unpack(packed, *m.packed[i]);
    if (m.column[i] >= 0) return sqlite3_column_int64(s, m.column[i]);
    return i >= kSex && i <= kBirthMonth ? persons->Get(person, i) : 0;
  }
  bool IsNull(int i) const {
    if (m.packed[i] != nullptr) return facts::IsNull(packed, *m.packed[i]);
    return m.column[i] < 0 || sqlite3_column_type(s, m.column[i]) == SQLITE_NULL;
  }
  // With its length from SQLite: the reader copies it without looking for its end.
  std::string_view Text(int i) const {
    const int c = m.column[i];
    if (c < 0) return {};
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
    return t == nullptr ? std::string_view() : std::string_view(t, static_cast<size_t>(sqlite3_column_bytes(s, c)));
  }
};

void BindInt(sqlite3_stmt* s, int i, const std::optional<int>& v) {
  if (v) sqlite3_bind_int(s, i, *v);
}
void BindText(sqlite3_stmt* s, int i, const std::optional<std::string>& v) {
  if (v) sqlite3_bind_text(s, i, v->c_str(), static_cast<int>(v->size()), SQLITE_TRANSIENT);
}

// Re-keying's statements, one pair per pseudonym column (EventStore::kRekeyColumns' order).
constexpr const char* kRekeySelect[] = {
    "SELECT id, pseudonym FROM persons WHERE id > ?1 AND pseudonym IS NOT NULL ORDER BY id LIMIT 5000",
    "SELECT id, event_id FROM events WHERE id > ?1 AND event_id IS NOT NULL ORDER BY id LIMIT 5000",
    "SELECT id, intervention_id FROM events WHERE id > ?1 AND intervention_id IS NOT NULL ORDER BY id LIMIT 5000",
};
constexpr const char* kRekeyUpdate[] = {
    "UPDATE persons SET pseudonym = ?2 WHERE id = ?1",
    "UPDATE events SET event_id = ?2 WHERE id = ?1",
    "UPDATE events SET intervention_id = ?2 WHERE id = ?1",
};

}  // namespace

struct SqliteEventStore::Statements {
  Stmt upsert_person, insert_event;
  Stmt rekey_select[kRekeyColumns], rekey_update[kRekeyColumns];
};

namespace backends {
Result<std::unique_ptr<EventStore>> OpenSqlite(const std::string& path, std::string secret, int key_id) {
  return SqliteEventStore::Open(path, std::move(secret), key_id);
}
Result<int> SqliteKeyIdOf(const std::string& path) { return SqliteEventStore::KeyIdOf(path); }
}  // namespace backends

Result<std::optional<std::string>> SqliteEventStore::Meta(const char* key) const {
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

Status SqliteEventStore::SetMeta(const char* key, const std::string& value) {
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

Result<int> SqliteEventStore::KeyIdOf(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return 0;
  // Read-only and without migrating: only which key the store needs is asked.
  std::unique_ptr<SqliteEventStore> store(new SqliteEventStore());
  if (sqlite3_open_v2(path.c_str(), &store->db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return Status(StatusCode::kNotFound, path + ": cannot open event store: " +
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

Status SqliteEventStore::Exec(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    return Status(StatusCode::kInternal, "event store: " + message);
  }
  return Status::Ok();
}

Result<std::unique_ptr<EventStore>> SqliteEventStore::Open(const std::string& path, std::string secret,
                                                           int key_id) {
  std::unique_ptr<SqliteEventStore> store(new SqliteEventStore());
  store->set_key(std::move(secret), key_id);
  // NOMUTEX: one EventStore per thread (event_store.hpp), so SQLite need not lock the connection
  // on every call (a fifth of a report pass went to locking it for each column read).
  if (sqlite3_open_v2(path.c_str(), &store->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return Status(StatusCode::kNotFound, path + ": cannot open event store: " +
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
      return Status(StatusCode::kInvalidArgument, path + ": " + s.message());
    }
  }
  if (Status s = store->Migrate(); !s.ok()) return Status(s.code(), path + ": " + s.message());
  bool legacy = false;
  if (Status s = store->CheckKey(&legacy); !s.ok()) return Status(s.code(), path + ": " + s.message());
  if (legacy) {
    if (Status s = store->PseudonymiseLegacyReferences(); !s.ok()) {
      return Status(s.code(), path + ": " + s.message());
    }
  }

  store->stmt_ = std::make_unique<Statements>();
  std::string insert_event = "INSERT OR IGNORE INTO events(", values;
  for (size_t i = 0; i < std::size(kInsertColumns); ++i) {
    insert_event += std::string(kInsertColumns[i]) + ", ";
    values += "?" + std::to_string(i + 1) + ", ";
  }
  insert_event += "facts) VALUES(" + values +
                  facts::Sql([](const facts::Field& f) { return "?" + std::to_string(InsertParameter(f.column)); }) +
                  ")";
  std::vector<std::pair<Stmt*, const char*>> statements = {
      {&store->stmt_->upsert_person,
       "INSERT INTO persons(pseudonym, sex, birth_year, birth_month) "
       "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(pseudonym) DO UPDATE SET "
       "sex = CASE WHEN sex = 0 THEN excluded.sex ELSE sex END, "
       "birth_year = CASE WHEN birth_year = 0 THEN excluded.birth_year ELSE birth_year END, "
       "birth_month = CASE WHEN birth_month = 0 THEN excluded.birth_month ELSE birth_month END "
       "RETURNING id"},
      {&store->stmt_->insert_event, insert_event.c_str()},
  };
  for (int c = 0; c < kRekeyColumns; ++c) {
    statements.emplace_back(&store->stmt_->rekey_select[c], kRekeySelect[c]);
    statements.emplace_back(&store->stmt_->rekey_update[c], kRekeyUpdate[c]);
  }
  for (const auto& [stmt, sql] : statements) {
    if (sqlite3_prepare_v3(store->db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt->s, nullptr) !=
        SQLITE_OK) {
      return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(store->db_)));
    }
  }
  return std::unique_ptr<EventStore>(std::move(store));
}

SqliteEventStore::~SqliteEventStore() {
  (void)Rollback();
  stmt_.reset();
  sqlite3_close_v2(db_);
}

Status SqliteEventStore::Migrate() {
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
  static_assert(std::size(kMigrations) + kBuiltMigrations == kSchemaVersion);
  if (Migrations().size() != static_cast<size_t>(kSchemaVersion)) {  // kBuiltMigrations is stale
    return Status(StatusCode::kInternal, "event store: this build has " + std::to_string(Migrations().size()) +
                                             " migrations for schema version " + std::to_string(kSchemaVersion));
  }
  for (; version < kSchemaVersion; ++version) {
    // Each migration and its version bump commit together, or not at all.
    if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    Status s = Exec(Migrations()[static_cast<size_t>(version)].c_str());
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

// A store from before versioned keys keeps event and intervention ids in clear: replaced by
// their pseudonyms once, in one transaction (ids already prefixed are left alone, so an
// interrupted run just runs again).
Status SqliteEventStore::PseudonymiseLegacyReferences() {
  const std::string prefix = pseudonymiser()->Prefix();
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
      return text.rfind(prefix, 0) == 0 ? text : pseudonymiser()->Reference(kind, text);
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

Status SqliteEventStore::RawBegin() { return Exec("BEGIN IMMEDIATE"); }
Status SqliteEventStore::RawCommit() { return Exec("COMMIT"); }
Status SqliteEventStore::RawRollback() { return Exec("ROLLBACK"); }

Result<AddOutcome> SqliteEventStore::Insert(const PersonRow& person, const Row& row) {
  sqlite3_stmt* p = stmt_->upsert_person.s;
  sqlite3_reset(p);
  sqlite3_bind_text(p, 1, person.pseudonym.c_str(), static_cast<int>(person.pseudonym.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int(p, 2, person.sex);
  sqlite3_bind_int(p, 3, person.birth_year);
  sqlite3_bind_int(p, 4, person.birth_month);
  if (sqlite3_step(p) != SQLITE_ROW) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  const int64_t person_id = sqlite3_column_int64(p, 0);
  sqlite3_reset(p);

  sqlite3_stmt* s = stmt_->insert_event.s;
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  sqlite3_bind_text(s, 1, row.event_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, person_id);
  sqlite3_bind_text(s, 3, row.municipality.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(s, 4, row.kind);
  sqlite3_bind_int(s, 5, row.day);
  BindInt(s, 6, row.start_day);
  BindInt(s, 7, row.end_day);
  BindInt(s, 8, row.am);
  BindInt(s, 9, row.r_mask);
  BindInt(s, 10, row.further);
  BindInt(s, 11, row.view);
  BindText(s, 12, row.occasion);
  BindInt(s, 13, row.exit_reason);
  BindText(s, 14, row.intervention_id);
  BindText(s, 15, row.intervention_kind);
  BindInt(s, 16, row.orientation);
  BindInt(s, 17, row.outcome);
  BindText(s, 18, row.actor);
  BindText(s, 19, row.unit);
  BindText(s, 20, row.caseworker);
  sqlite3_bind_text(s, 21, row.recorded_at.c_str(), -1, SQLITE_TRANSIENT);
  BindInt(s, 22, row.milestone);
  BindInt(s, 23, row.parts);
  BindInt(s, 24, row.views);
  BindInt(s, 25, row.ratings);
  const int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) {
    return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  return sqlite3_changes(db_) > 0 ? AddOutcome::kInserted : AddOutcome::kDuplicate;
}

Result<std::vector<std::pair<int64_t, std::string>>> SqliteEventStore::RekeySlice(int column, int64_t after) {
  sqlite3_stmt* q = stmt_->rekey_select[column].s;
  sqlite3_reset(q);
  sqlite3_bind_int64(q, 1, after);
  std::vector<std::pair<int64_t, std::string>> slice;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) slice.emplace_back(sqlite3_column_int64(q, 0), Text(q, 1));
  sqlite3_reset(q);
  if (rc != SQLITE_DONE) return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  return slice;
}

Status SqliteEventStore::RekeyUpdate(int column, int64_t id, const std::string& value) {
  sqlite3_stmt* u = stmt_->rekey_update[column].s;
  sqlite3_reset(u);
  sqlite3_bind_int64(u, 1, id);
  sqlite3_bind_text(u, 2, value.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(u);
  sqlite3_reset(u);
  if (rc != SQLITE_DONE) return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  return Status::Ok();
}

Result<int64_t> SqliteEventStore::CountUnder(int key_id) const {
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

int64_t SqliteEventStore::CountEvents() const {
  Stmt q;
  sqlite3_prepare_v2(db_, "SELECT count(*) FROM events", -1, &q.s, nullptr);
  return sqlite3_step(q.s) == SQLITE_ROW ? sqlite3_column_int64(q.s, 0) : -1;
}

int64_t SqliteEventStore::CountPersons() const {
  Stmt q;
  sqlite3_prepare_v2(db_, "SELECT count(*) FROM persons", -1, &q.s, nullptr);
  return sqlite3_step(q.s) == SQLITE_ROW ? sqlite3_column_int64(q.s, 0) : -1;
}

namespace {
// One event kind's rows of a slice of persons, in person order, down the index
// events_by_kind (municipality, kind, person, …): the scan of a kind no needed record reads is
// never opened, and each selects only its kind's columns.
struct KindScan {
  ColumnMap columns;
  Stmt q;
  int rc = SQLITE_DONE;
  int64_t person = 0;  // of the current row, while rc is SQLITE_ROW
  KindScan(int column_set, int kind) : columns(column_set, kind) {}
  void Step() {
    rc = sqlite3_step(q.s);
    if (rc == SQLITE_ROW) person = sqlite3_column_int64(q.s, 0);
  }
};
}  // namespace

Status SqliteEventStore::ForEachPerson(
    const std::string& municipality,
    const std::function<void(const stats::PersonHistory&)>& visit, const stats::RecordsNeeded& needed,
    const PersonSlice& slice) const {
  const int column_set = rows::HistoryColumnSet(needed);
  const int kinds = rows::KindMask(needed);
  std::vector<std::unique_ptr<KindScan>> scans;
  for (int kind = rows::kCategorisation; kind <= rows::kMilestone; ++kind) {
    if (((kinds >> kind) & 1) == 0) continue;
    auto scan = std::make_unique<KindScan>(column_set, kind);
    const std::string sql = "SELECT " + scan->columns.select +
                            " FROM events e WHERE e.municipality = ?1 AND e.kind = ?2 AND e.person BETWEEN ?3 AND ?4 "
                            "ORDER BY e.person";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &scan->q.s, nullptr) != SQLITE_OK) {
      return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
    }
    sqlite3_bind_text(scan->q.s, 1, municipality.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(scan->q.s, 2, kind);
    sqlite3_bind_int64(scan->q.s, 3, slice.first);
    sqlite3_bind_int64(scan->q.s, 4, slice.last);
    scan->Step();
    scans.push_back(std::move(scan));
  }
  PersonAttributes persons(db_, slice);
  if (!persons.prepared()) return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  rows::HistoryStream stream(visit, needed.through);
  // The scans merged by person: the lowest person's rows from each scan in turn, so that the
  // stream sees each person's rows together (it orders them itself).
  for (;;) {
    KindScan* next = nullptr;
    for (const auto& scan : scans) {
      if (scan->rc == SQLITE_ROW && (next == nullptr || scan->person < next->person)) next = scan.get();
    }
    if (next == nullptr) break;
    const int64_t person = next->person;
    do {
      stream.Read(Cursor{next->q.s, next->columns, person, sqlite3_column_int64(next->q.s, kFactsColumn), &persons});
      next->Step();
    } while (next->rc == SQLITE_ROW && next->person == person);
  }
  for (const auto& scan : scans) {
    if (scan->rc != SQLITE_DONE) return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  }
  if (persons.failed()) return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
  stream.Finish();
  return Status::Ok();
}

Result<std::vector<EventStore::PersonSlice>> SqliteEventStore::PersonSlices(const std::string& municipality,
                                                                            int parts) const {
  // The lowest and highest person number over the kinds: one step down the index each.
  int64_t ends[2] = {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};
  for (int i = 0; i < 2; ++i) {
    Stmt q;
    const char* sql = i == 0 ? "SELECT person FROM events WHERE municipality = ?1 AND kind = ?2 ORDER BY person LIMIT 1"
                             : "SELECT person FROM events WHERE municipality = ?1 AND kind = ?2 ORDER BY person DESC LIMIT 1";
    if (sqlite3_prepare_v2(db_, sql, -1, &q.s, nullptr) != SQLITE_OK) {
      return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
    }
    sqlite3_bind_text(q.s, 1, municipality.c_str(), -1, SQLITE_TRANSIENT);
    for (int kind = rows::kCategorisation; kind <= rows::kMilestone; ++kind) {
      sqlite3_reset(q.s);
      sqlite3_bind_int(q.s, 2, kind);
      const int rc = sqlite3_step(q.s);
      if (rc == SQLITE_DONE) continue;
      if (rc != SQLITE_ROW) return Status(StatusCode::kInternal, "event store: " + std::string(sqlite3_errmsg(db_)));
      const int64_t person = sqlite3_column_int64(q.s, 0);
      ends[i] = i == 0 ? std::min(ends[i], person) : std::max(ends[i], person);
    }
  }
  if (ends[0] > ends[1]) return std::vector<PersonSlice>{};
  return rows::SplitPersons(ends[0], ends[1], parts);
}

}  // namespace ix::store
