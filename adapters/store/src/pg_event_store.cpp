// The PostgreSQL backend of the event store: many stores in one database, kept apart row by
// row (every row carries its store's name, every statement filters on it), so several ix-server
// replicas share them. Validation, pseudonyms, keys and the reading of rows into histories are
// the shared code (event_rows.cpp, store_common.cpp); here only the schema and its SQL.
//
// Writers to one store are serialised by a transaction-scoped advisory lock (as SQLite's
// BEGIN IMMEDIATE does for a file): the re-key check in Begin and re-keying itself rely on no
// other writer of the store running meanwhile. Writers of different stores run in parallel.
#include "backends.hpp"
#include "event_rows.hpp"
#include "pg.hpp"
#include "pg_import_ledger.hpp"

#include <ix/store/pseudonym.hpp>

#include <cstdlib>
#include <iterator>
#include <map>

namespace ix::store {
namespace stats = ix::statistics;

namespace {

// Schema migrations, in order; migration i brings the schema to version i + 1 (recorded in
// ix_schema_version, component 'event_store'). Never edit a released migration: append one.
// The columns mirror the SQLite store's events table, plus `store` on every table.
constexpr const char* kPgMigrations[] = {
    // 1: settings, persons by pseudonym, events with their kind-specific columns; per store.
    R"sql(
CREATE TABLE ix_store_meta(
  store TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(store, key));
CREATE TABLE ix_persons(
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  store TEXT NOT NULL,
  pseudonym TEXT NOT NULL,
  sex INTEGER NOT NULL DEFAULT 0,
  birth_year INTEGER NOT NULL DEFAULT 0,
  birth_month INTEGER NOT NULL DEFAULT 0,
  UNIQUE(store, pseudonym));
CREATE TABLE ix_events(
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  store TEXT NOT NULL,
  event_id TEXT NOT NULL,
  person BIGINT NOT NULL REFERENCES ix_persons(id),
  municipality TEXT NOT NULL,
  kind INTEGER NOT NULL,
  day INTEGER NOT NULL,
  start_day INTEGER,
  end_day INTEGER,
  am INTEGER, r_mask INTEGER, further INTEGER, view INTEGER, occasion TEXT,
  exit_reason INTEGER,
  intervention_id TEXT, intervention_kind TEXT, orientation INTEGER, outcome INTEGER, actor TEXT,
  unit TEXT, caseworker TEXT, recorded_at TEXT,
  UNIQUE(store, event_id));
CREATE INDEX ix_events_by_person ON ix_events(store, municipality, person);
)sql",
    // 2: milestone events (kind 4), as SQLite's version 4.
    R"sql(
ALTER TABLE ix_events ADD COLUMN milestone INTEGER;
)sql",
    // 3: a categorisation's indicator facts, as SQLite's version 5.
    R"sql(
ALTER TABLE ix_events ADD COLUMN parts INTEGER;
ALTER TABLE ix_events ADD COLUMN views INTEGER;
ALTER TABLE ix_events ADD COLUMN ratings INTEGER;
)sql",
};

// Every statement this backend runs; names are per connection.
constexpr std::pair<const char*, const char*> kStatements[] = {
    {"meta_get", "SELECT value FROM ix_store_meta WHERE store = $1 AND key = $2"},
    {"meta_set",
     "INSERT INTO ix_store_meta(store, key, value) VALUES($1, $2, $3) "
     "ON CONFLICT(store, key) DO UPDATE SET value = excluded.value"},
    {"lock_store", "SELECT pg_advisory_xact_lock(hashtextextended('ix-store:' || $1, 0))"},
    {"upsert_person",
     "INSERT INTO ix_persons(store, pseudonym, sex, birth_year, birth_month) VALUES($1, $2, $3, $4, $5) "
     "ON CONFLICT(store, pseudonym) DO UPDATE SET "
     "sex = CASE WHEN ix_persons.sex = 0 THEN excluded.sex ELSE ix_persons.sex END, "
     "birth_year = CASE WHEN ix_persons.birth_year = 0 THEN excluded.birth_year ELSE ix_persons.birth_year END, "
     "birth_month = CASE WHEN ix_persons.birth_month = 0 THEN excluded.birth_month ELSE ix_persons.birth_month END "
     "RETURNING id"},
    {"insert_event",
     "INSERT INTO ix_events(store, event_id, person, municipality, kind, day, start_day, end_day, am, r_mask, "
     "further, view, occasion, exit_reason, intervention_id, intervention_kind, orientation, outcome, actor, "
     "unit, caseworker, recorded_at, milestone, parts, views, ratings) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, "
     "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) "
     "ON CONFLICT(store, event_id) DO NOTHING"},
    // A batch: persons (distinct in the batch) in one statement, events in another, each as
    // arrays; an event's outcome is whether its id comes back.
    {"upsert_persons",
     "INSERT INTO ix_persons(store, pseudonym, sex, birth_year, birth_month) "
     "SELECT $1, u.* FROM unnest($2::text[], $3::int[], $4::int[], $5::int[]) AS u "
     "ON CONFLICT(store, pseudonym) DO UPDATE SET "
     "sex = CASE WHEN ix_persons.sex = 0 THEN excluded.sex ELSE ix_persons.sex END, "
     "birth_year = CASE WHEN ix_persons.birth_year = 0 THEN excluded.birth_year ELSE ix_persons.birth_year END, "
     "birth_month = CASE WHEN ix_persons.birth_month = 0 THEN excluded.birth_month ELSE ix_persons.birth_month END "
     "RETURNING pseudonym, id"},
    {"insert_events",
     "INSERT INTO ix_events(store, event_id, person, municipality, kind, day, start_day, end_day, am, r_mask, "
     "further, view, occasion, exit_reason, intervention_id, intervention_kind, orientation, outcome, actor, "
     "unit, caseworker, recorded_at, milestone, parts, views, ratings) "
     "SELECT $1, u.event_id, u.person, u.municipality, u.kind, u.day, u.start_day, u.end_day, u.am, u.r_mask, "
     "u.further, u.view, u.occasion, u.exit_reason, u.intervention_id, u.intervention_kind, u.orientation, "
     "u.outcome, u.actor, u.unit, u.caseworker, u.recorded_at, u.milestone, u.parts, u.views, u.ratings "
     "FROM unnest($2::text[], $3::bigint[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[], "
     "$10::int[], $11::int[], $12::int[], $13::text[], $14::int[], $15::text[], $16::text[], $17::int[], "
     "$18::int[], $19::text[], $20::text[], $21::text[], $22::text[], $23::int[], $24::int[], $25::int[], "
     "$26::int[]) WITH ORDINALITY AS u(event_id, "
     "person, municipality, kind, day, start_day, end_day, am, r_mask, further, view, occasion, exit_reason, "
     "intervention_id, intervention_kind, orientation, outcome, actor, unit, caseworker, recorded_at, milestone, "
     "parts, views, ratings, ord) "
     "ORDER BY u.ord ON CONFLICT(store, event_id) DO NOTHING RETURNING event_id"},
    {"count_events", "SELECT count(*) FROM ix_events WHERE store = $1"},
    // Two index probes (min and max of an index prefix), not a scan.
    {"person_range", "SELECT min(person), max(person) FROM ix_events WHERE store = $1 AND municipality = $2"},
    {"count_persons", "SELECT count(*) FROM ix_persons WHERE store = $1"},
    {"count_under",
     "SELECT (SELECT count(*) FROM ix_persons WHERE store = $1 AND starts_with(pseudonym, $2)) + "
     "(SELECT count(*) FROM ix_events WHERE store = $1 AND starts_with(event_id, $2)) + "
     "(SELECT count(*) FROM ix_events WHERE store = $1 AND starts_with(intervention_id, $2))"},
    {"rekey_select_0",
     "SELECT id, pseudonym FROM ix_persons WHERE store = $1 AND id > $2 ORDER BY id LIMIT 5000"},
    {"rekey_select_1",
     "SELECT id, event_id FROM ix_events WHERE store = $1 AND id > $2 ORDER BY id LIMIT 5000"},
    {"rekey_select_2",
     "SELECT id, intervention_id FROM ix_events WHERE store = $1 AND id > $2 AND intervention_id IS NOT NULL "
     "ORDER BY id LIMIT 5000"},
    {"rekey_update_0", "UPDATE ix_persons SET pseudonym = $3 WHERE store = $1 AND id = $2"},
    {"rekey_update_1", "UPDATE ix_events SET event_id = $3 WHERE store = $1 AND id = $2"},
    {"rekey_update_2", "UPDATE ix_events SET intervention_id = $3 WHERE store = $1 AND id = $2"},
};

constexpr const char* kRekeySelectNames[] = {"rekey_select_0", "rekey_select_1", "rekey_select_2"};
constexpr const char* kRekeyUpdateNames[] = {"rekey_update_0", "rekey_update_1", "rekey_update_2"};

// The history query's row, as rows::HistoryStream reads it.
struct Cursor {
  const PGresult* r;
  int64_t Int(int i) const { return PQgetisnull(r, 0, i) ? 0 : std::strtoll(PQgetvalue(r, 0, i), nullptr, 10); }
  bool IsNull(int i) const { return PQgetisnull(r, 0, i) != 0; }
  const char* Text(int i) const { return PQgetvalue(r, 0, i); }  // "" for NULL
};

class PgEventStore final : public EventStore {
 public:
  static Result<std::unique_ptr<EventStore>> Open(const StoreLocation& where, std::string secret, int key_id) {
    std::unique_ptr<PgEventStore> store(new PgEventStore());
    store->store_ = where.name;
    store->set_key(std::move(secret), key_id);
    const std::string shown = DescribeStoreLocation(where.target + "#" + where.name);
    auto c = pg::Connection::Open(where.target, shown);
    if (!c.ok()) return c.status();
    store->c_ = std::move(*c);
    const std::vector<const char*> migrations(std::begin(kPgMigrations), std::end(kPgMigrations));
    if (Status s = pg::Migrate(*store->c_, "event_store", migrations, &store->schema_version_); !s.ok()) {
      return Status(s.code(), shown + ": " + s.message());
    }
    for (const auto& [name, sql] : kStatements) {
      if (Status s = store->c_->Prepare(name, sql); !s.ok()) return s;
    }
    // The exchange import ledger shares this connection, so it shares the events' transaction.
    if (Status s = pg_ledger::Prepare(*store->c_); !s.ok()) return Status(s.code(), shown + ": " + s.message());
    bool legacy = false;
    if (Status s = store->CheckKey(&legacy); !s.ok()) return Status(s.code(), shown + ": " + s.message());
    return std::unique_ptr<EventStore>(std::move(store));
  }

  ~PgEventStore() override { (void)Rollback(); }

  StoreLocation::Backend backend() const override { return StoreLocation::Backend::kPostgresql; }

  Result<int64_t> CountUnder(int key_id) const override {
    auto r = c_->Run("count_under", {store_, "k" + std::to_string(key_id) + ":"});
    if (!r.ok()) return r.status();
    return std::strtoll(PQgetvalue(r->get(), 0, 0), nullptr, 10);
  }
  Result<std::optional<std::string>> FindImport(const std::string& reference) const override {
    return pg_ledger::Find(*c_, store_, reference);
  }
  Status RecordImport(const std::string& reference, const std::string& content_sha256) override {
    return pg_ledger::Record(*c_, store_, reference, content_sha256);
  }
  Result<int64_t> RekeyLedger(const Pseudonymiser& from, const Pseudonymiser& to) override {
    return pg_ledger::Rekey(*c_, store_, from, to);
  }

  int64_t CountEvents() const override { return Count("count_events"); }
  int64_t CountPersons() const override { return Count("count_persons"); }

  Status ForEachPerson(const std::string& municipality, const std::function<void(const stats::PersonHistory&)>& visit,
                       const stats::RecordsNeeded& needed = {}, const PersonSlice& slice = {}) const override {
    // Prepared on first use of each column list (event_rows.hpp).
    const int columns = rows::HistoryColumnSet(needed);
    const std::string name = "history_" + std::to_string(columns);
    if ((history_prepared_ & (1u << columns)) == 0) {
      const std::string sql = "SELECT " + rows::HistoryColumns(columns) +
                              " FROM ix_events e JOIN ix_persons p ON p.id = e.person "
                              "WHERE e.store = $1 AND e.municipality = $2 AND e.person BETWEEN $4 AND $5 "
                              "AND (($3::integer >> e.kind) & 1) = 1 ORDER BY e.person";
      if (Status s = c_->Prepare(name.c_str(), sql.c_str()); !s.ok()) return s;
      history_prepared_ |= 1u << columns;
    }
    rows::HistoryStream stream(visit, needed.through);
    Status s = c_->Stream(name.c_str(),
                          {store_, municipality, std::to_string(rows::KindMask(needed)), std::to_string(slice.first),
                           std::to_string(slice.last)},
                          [&](const PGresult* r) { stream.Read(Cursor{r}); });
    if (!s.ok()) return s;
    stream.Finish();
    return Status::Ok();
  }

  Result<std::vector<PersonSlice>> PersonSlices(const std::string& municipality, int parts) const override {
    auto r = c_->Run("person_range", {store_, municipality});
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0 || PQgetisnull(r->get(), 0, 0)) return std::vector<PersonSlice>{};
    return rows::SplitPersons(std::strtoll(PQgetvalue(r->get(), 0, 0), nullptr, 10),
                              std::strtoll(PQgetvalue(r->get(), 0, 1), nullptr, 10), parts);
  }

 protected:
  Result<std::optional<std::string>> Meta(const char* key) const override {
    auto r = c_->Run("meta_get", {store_, std::string(key)});
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) return std::optional<std::string>();
    return std::optional<std::string>(PQgetvalue(r->get(), 0, 0));
  }
  Status SetMeta(const char* key, const std::string& value) override {
    return c_->Run("meta_set", {store_, std::string(key), value}).status();
  }
  Status RawBegin() override {
    if (Status s = c_->Exec("BEGIN"); !s.ok()) return s;
    if (Status s = c_->Run("lock_store", {store_}).status(); !s.ok()) {
      (void)c_->Exec("ROLLBACK");
      return s;
    }
    return Status::Ok();
  }
  Status RawCommit() override { return c_->Exec("COMMIT"); }
  Status RawRollback() override { return c_->Exec("ROLLBACK"); }

  Result<AddOutcome> Insert(const PersonRow& person, const Row& row) override {
    auto p = c_->Run("upsert_person", {store_, person.pseudonym, pg::Value(person.sex),
                                       pg::Value(person.birth_year), pg::Value(person.birth_month)});
    if (!p.ok()) return p.status();
    const std::string person_id = PQgetvalue(p->get(), 0, 0);
    auto e = c_->Run("insert_event",
                     {store_, row.event_id, person_id, row.municipality, pg::Value(row.kind), pg::Value(row.day),
                      pg::Value(row.start_day), pg::Value(row.end_day), pg::Value(row.am), pg::Value(row.r_mask),
                      pg::Value(row.further), pg::Value(row.view), row.occasion, pg::Value(row.exit_reason),
                      row.intervention_id, row.intervention_kind, pg::Value(row.orientation), pg::Value(row.outcome),
                      row.actor, row.unit, row.caseworker, row.recorded_at, pg::Value(row.milestone),
                      pg::Value(row.parts), pg::Value(row.views), pg::Value(row.ratings)});
    if (!e.ok()) return e.status();
    return std::string(PQcmdTuples(e->get())) == "1" ? AddOutcome::kInserted : AddOutcome::kDuplicate;
  }

  // One round trip for the batch's persons and one for its events (in slices of kBatch).
  Result<std::vector<AddOutcome>> InsertAll(const std::vector<std::pair<PersonRow, Row>>& batch) override {
    std::vector<AddOutcome> outcomes;
    outcomes.reserve(batch.size());
    constexpr size_t kBatch = 2000;
    for (size_t from = 0; from < batch.size(); from += kBatch) {
      const size_t to = std::min(batch.size(), from + kBatch);
      if (Status s = InsertSlice(batch, from, to, outcomes); !s.ok()) return s;
    }
    return outcomes;
  }

  Result<std::vector<std::pair<int64_t, std::string>>> RekeySlice(int column, int64_t after) override {
    auto r = c_->Run(kRekeySelectNames[column], {store_, std::to_string(after)});
    if (!r.ok()) return r.status();
    std::vector<std::pair<int64_t, std::string>> slice;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      slice.emplace_back(std::strtoll(PQgetvalue(r->get(), i, 0), nullptr, 10), PQgetvalue(r->get(), i, 1));
    }
    return slice;
  }
  Status RekeyUpdate(int column, int64_t id, const std::string& value) override {
    return c_->Run(kRekeyUpdateNames[column], {store_, std::to_string(id), value}).status();
  }

 private:
  PgEventStore() = default;

  int64_t Count(const char* statement) const {
    auto r = c_->Run(statement, {store_});
    return r.ok() ? std::strtoll(PQgetvalue(r->get(), 0, 0), nullptr, 10) : -1;
  }

  Status InsertSlice(const std::vector<std::pair<PersonRow, Row>>& batch, size_t from, size_t to,
                     std::vector<AddOutcome>& outcomes) {
    // Persons: one row per pseudonym; a later event's attribute fills one still unknown (0),
    // as the row-by-row upsert does.
    std::map<std::string, PersonRow> persons;
    std::vector<std::string> order;
    for (size_t i = from; i < to; ++i) {
      const PersonRow& p = batch[i].first;
      auto [it, fresh] = persons.emplace(p.pseudonym, p);
      if (fresh) {
        order.push_back(p.pseudonym);
        continue;
      }
      PersonRow& q = it->second;
      if (q.sex == 0) q.sex = p.sex;
      if (q.birth_year == 0) q.birth_year = p.birth_year;
      if (q.birth_month == 0) q.birth_month = p.birth_month;
    }
    std::vector<std::optional<std::string>> pseudonyms, sexes, years, months;
    for (const std::string& name : order) {
      const PersonRow& p = persons[name];
      pseudonyms.emplace_back(p.pseudonym);
      sexes.push_back(pg::Value(p.sex));
      years.push_back(pg::Value(p.birth_year));
      months.push_back(pg::Value(p.birth_month));
    }
    auto upserted = c_->Run("upsert_persons", {store_, pg::TextArray(pseudonyms), pg::TextArray(sexes),
                                               pg::TextArray(years), pg::TextArray(months)});
    if (!upserted.ok()) return upserted.status();
    std::map<std::string, std::string> ids;
    for (int i = 0; i < PQntuples(upserted->get()); ++i) {
      ids[PQgetvalue(upserted->get(), i, 0)] = PQgetvalue(upserted->get(), i, 1);
    }

    constexpr int kColumns = 25;
    std::vector<std::vector<std::optional<std::string>>> columns(kColumns);
    for (auto& c : columns) c.reserve(to - from);
    for (size_t i = from; i < to; ++i) {
      const Row& row = batch[i].second;
      const std::optional<std::string> values[kColumns] = {
          row.event_id, ids[batch[i].first.pseudonym], row.municipality, pg::Value(row.kind),
          pg::Value(row.day), pg::Value(row.start_day), pg::Value(row.end_day), pg::Value(row.am),
          pg::Value(row.r_mask), pg::Value(row.further), pg::Value(row.view), row.occasion,
          pg::Value(row.exit_reason), row.intervention_id, row.intervention_kind, pg::Value(row.orientation),
          pg::Value(row.outcome), row.actor, row.unit, row.caseworker, row.recorded_at, pg::Value(row.milestone),
          pg::Value(row.parts), pg::Value(row.views), pg::Value(row.ratings)};
      for (int c = 0; c < kColumns; ++c) columns[c].push_back(values[c]);
    }
    pg::Params params{store_};
    for (const auto& c : columns) params.emplace_back(pg::TextArray(c));
    auto inserted = c_->Run("insert_events", params);
    if (!inserted.ok()) return inserted.status();
    std::map<std::string, bool> fresh;  // event id → not yet claimed by an earlier event of the batch
    for (int i = 0; i < PQntuples(inserted->get()); ++i) fresh[PQgetvalue(inserted->get(), i, 0)] = true;
    for (size_t i = from; i < to; ++i) {
      auto it = fresh.find(batch[i].second.event_id);
      const bool first = it != fresh.end() && it->second;
      if (first) it->second = false;
      outcomes.push_back(first ? AddOutcome::kInserted : AddOutcome::kDuplicate);
    }
    return Status::Ok();
  }

  std::unique_ptr<pg::Connection> c_;
  std::string store_;
  mutable uint32_t history_prepared_ = 0;  // bit per column set
};

}  // namespace

namespace backends {

Result<std::unique_ptr<EventStore>> OpenPostgresql(const StoreLocation& where, std::string secret, int key_id) {
  return PgEventStore::Open(where, std::move(secret), key_id);
}

Result<int> PostgresqlKeyIdOf(const StoreLocation& where) {
  // Read-only: a database without the schema, or without this store's settings, has no key.
  const std::string shown = DescribeStoreLocation(where.target + "#" + where.name);
  auto c = pg::Connection::Open(where.target, shown);
  if (!c.ok()) return c.status();
  if (Status s = (*c)->Prepare("key_id", "SELECT value FROM ix_store_meta WHERE store = $1 AND key = 'key_id'");
      !s.ok()) {
    return 0;  // no ix_store_meta table yet: a new database
  }
  auto r = (*c)->Run("key_id", {where.name});
  if (!r.ok()) return r.status();
  return PQntuples(r->get()) == 0 ? 0 : std::atoi(PQgetvalue(r->get(), 0, 0));
}

}  // namespace backends
}  // namespace ix::store
