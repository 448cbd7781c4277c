// The exchange import ledger in PostgreSQL (EventStore::FindImport / RecordImport): its schema,
// versioned as component 'exchange_ledger', and its statements on the event store's connection.
#ifndef IX_STORE_SRC_PG_IMPORT_LEDGER_HPP
#define IX_STORE_SRC_PG_IMPORT_LEDGER_HPP

#include "pg.hpp"

#include <ix/store/pseudonym.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ix::store::pg_ledger {

// Migrates the ledger's schema and prepares its statements on `c`.
Status Prepare(pg::Connection& c);
Result<std::optional<std::string>> Find(pg::Connection& c, const std::string& store, const std::string& reference);
Status Record(pg::Connection& c, const std::string& store, const std::string& reference,
              const std::string& content_sha256);
// Moves every reference of `store` made under `from` to `to` (inside the caller's transaction:
// EventStore::Rekey's). Returns how many moved.
Result<int64_t> Rekey(pg::Connection& c, const std::string& store, const Pseudonymiser& from,
                      const Pseudonymiser& to);

}  // namespace ix::store::pg_ledger

#endif  // IX_STORE_SRC_PG_IMPORT_LEDGER_HPP
