// The exchange import ledger kept in the store's database. Why in the database and in the
// events' transaction, rather than a claim row beside an idempotent apply: a package's events
// and its ledger record then commit together or not at all, so a replica killed between the
// two leaves neither (the package is simply new again), and a replay is answered "already
// imported" by whichever replica sees it, never "imported" a second time. Begin's per-store
// write lock orders two importers of one package; the primary key (store, reference) would
// still refuse the second record if a caller wrote outside a transaction.
#include "pg_import_ledger.hpp"

#include <ix/store/event_store.hpp>
#include <ix/store/pseudonym.hpp>

#include <iterator>
#include <vector>

namespace ix::store {

Result<std::optional<std::string>> EventStore::FindImport(const std::string&) const {
  return Status(StatusCode::kUnimplemented,
                "this store keeps no exchange import ledger (SQLite: ix-server keeps a ledger file beside the store)");
}

Status EventStore::RecordImport(const std::string&, const std::string&) {
  return Status(StatusCode::kUnimplemented,
                "this store keeps no exchange import ledger (SQLite: ix-server keeps a ledger file beside the store)");
}

Result<int64_t> EventStore::RekeyLedger(const Pseudonymiser&, const Pseudonymiser&) { return int64_t{0}; }

namespace pg_ledger {
namespace {


// Migration i brings component 'exchange_ledger' to version i + 1. Never edit a released one.
// `reference` is the store's keyed pseudonym of the package id (kind "package"), never the id:
// a sender may build package ids from a personnummer.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE ix_exchange_ledger(
  store TEXT NOT NULL,
  reference TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY(store, reference));
)sql",
};

}  // namespace

Status Prepare(pg::Connection& c) {
  int version = 0;
  const std::vector<const char*> migrations(std::begin(kMigrations), std::end(kMigrations));
  if (Status s = pg::Migrate(c, "exchange_ledger", migrations, &version); !s.ok()) return s;
  if (Status s = c.Prepare("ledger_find",
                           "SELECT content_sha256 FROM ix_exchange_ledger WHERE store = $1 AND reference = $2");
      !s.ok()) {
    return s;
  }
  // A slice of the references still under a key prefix (1000 a round trip: bounded memory for
  // any ledger); each one moved leaves the slice, so asking until none is left walks it once.
  if (Status s = c.Prepare("ledger_rekey_slice",
                           "SELECT reference FROM ix_exchange_ledger WHERE store = $1 AND left(reference, length($2)) = $2 "
                           "ORDER BY reference LIMIT 1000");
      !s.ok()) {
    return s;
  }
  if (Status s = c.Prepare("ledger_rekey_update",
                           "UPDATE ix_exchange_ledger SET reference = $3 WHERE store = $1 AND reference = $2");
      !s.ok()) {
    return s;
  }
  return c.Prepare("ledger_record",
                   "INSERT INTO ix_exchange_ledger(store, reference, content_sha256) VALUES($1, $2, $3) "
                   "ON CONFLICT(store, reference) DO NOTHING");
}

Result<std::optional<std::string>> Find(pg::Connection& c, const std::string& store, const std::string& reference) {
  auto r = c.Run("ledger_find", {store, reference});
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 0) return std::optional<std::string>();
  return std::optional<std::string>(PQgetvalue(r->get(), 0, 0));
}

Status Record(pg::Connection& c, const std::string& store, const std::string& reference,
              const std::string& content_sha256) {
  auto r = c.Run("ledger_record", {store, reference, content_sha256});
  if (!r.ok()) return r.status();
  if (std::string(PQcmdTuples(r->get())) != "1") {
    return Status(StatusCode::kAborted,
                  "exchange import ledger: this package was recorded by another importer meanwhile; roll back "
                  "and import it again (it is then a replay)");
  }
  return Status::Ok();
}

Result<int64_t> Rekey(pg::Connection& c, const std::string& store, const Pseudonymiser& from,
                      const Pseudonymiser& to) {
  int64_t moved = 0;
  const std::string prefix = from.Prefix();
  for (;;) {
    auto slice = c.Run("ledger_rekey_slice", {store, prefix});
    if (!slice.ok()) return slice.status();
    const int rows = PQntuples(slice->get());
    if (rows == 0) return moved;
    for (int i = 0; i < rows; ++i) {
      const std::string reference = PQgetvalue(slice->get(), i, 0);
      auto next = Pseudonymiser::Rekey(reference, from, to);
      if (!next.ok()) {
        return Status(next.status().code(), "exchange import ledger: " + next.status().message());
      }
      if (Status s = c.Run("ledger_rekey_update", {store, reference, *next}).status(); !s.ok()) return s;
      ++moved;
    }
  }
}

}  // namespace pg_ledger
}  // namespace ix::store
