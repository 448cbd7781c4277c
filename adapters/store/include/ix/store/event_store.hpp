// The embedded event store: SQLite in WAL mode, schema versioned with migrations, one
// transaction per import batch (a killed process loses no committed event and leaves no half
// batch). No personnummer and no case reference is stored: persons, event ids and intervention
// ids are kept as pseudonyms under the municipality's key (ix/store/pseudonym.hpp), each
// carrying its key id, so a store can be re-keyed (ix/store/keys.hpp). Sex, birth year and month
// are kept for statistics (the snapshot's age at its reference date), the municipality code per
// event. What is kept and why: docs/privacy.md.
//
// Threading: one EventStore per thread (SQLite connection semantics). Several processes may
// open the same file; SQLite's locking serialises writers.
#ifndef IX_STORE_EVENT_STORE_HPP
#define IX_STORE_EVENT_STORE_HPP

#include <ix/statistics/records.hpp>
#include <ix/base/status.hpp>

#include "ix/v1/events.pb.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;

namespace ix::store {

// The schema version this build writes. Older stores are migrated on open.
inline constexpr int kSchemaVersion = 3;

// Begin() on a store another process re-keyed since this one opened it (reopen it).
inline constexpr const char* kReasonRekeyed = "IX_STORE_REKEYED";

class Pseudonymiser;

// Minimum length of the municipality secret in bytes.
inline constexpr size_t kMinSecretBytes = 16;

// What happened to one event in Add().
enum class AddOutcome { kInserted, kDuplicate };

class EventStore {
 public:
  // Opens (creating if needed) the store at `path` and migrates it to kSchemaVersion.
  // `secret` is the municipality key of id `key_id` (0: the id the store records, 1 for a new
  // store); it may be empty for read-only use (reports), but Add() then refuses every event.
  // A store remembers its key id and a fingerprint of the key, and opening it with another key
  // is an error (pseudonyms would not match). Keys from a key directory: OpenWithKeyDir.
  static Result<std::unique_ptr<EventStore>> Open(const std::filesystem::path& path,
                                                  std::string secret, int key_id = 0);

  // The key id the store at `path` records (read-only, nothing is created or migrated); 0 for
  // a store that does not exist yet or has never been given a key.
  static Result<int> KeyIdOf(const std::filesystem::path& path);
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  int schema_version() const { return schema_version_; }
  int key_id() const { return key_id_; }

  // Transactions: Add() outside Begin/Commit commits each event on its own (slow but safe).
  Status Begin();
  Status Commit();
  Status Rollback();

  // Validates and stores one event. Errors name the field ("assistance_period.start_date: …")
  // and never echo a personnummer. An event id seen before is a duplicate, not an error.
  Result<AddOutcome> Add(const v1::Event& event);

  // The pseudonym of a personnummer under this store's key ("k<id>:<64 hex>").
  Result<std::string> Pseudonym(std::string_view personnummer) const;
  // The pseudonym of another reference that may carry an identity (kind "event",
  // "intervention", …) under this store's key.
  Result<std::string> Reference(std::string_view kind, std::string_view text) const;

  // Re-keys every pseudonym from this store's key to `to` in one transaction, and records `to`
  // as the store's key. Counts what was moved. Used by RotateKey (ix/store/keys.hpp).
  struct RekeyCounts {
    int64_t persons = 0;
    int64_t references = 0;
  };
  Result<RekeyCounts> Rekey(const std::string& to_secret, int to_key_id);
  // How many stored pseudonyms still carry key id `key_id`.
  Result<int64_t> CountUnder(int key_id) const;

  int64_t CountEvents() const;
  int64_t CountPersons() const;

  // Streams every person with at least one event in `municipality` to `visit`, one
  // PersonHistory at a time (repeated events about the same period or intervention merged,
  // latest recorded wins). Only one person's events are in memory at a time.
  Status ForEachPerson(const std::string& municipality,
                       const std::function<void(const statistics::PersonHistory&)>& visit) const;

  // The raw connection, for tools that run their own read-only SQL (the benchmark's baseline).
  sqlite3* handle() const { return db_; }

 private:
  EventStore() = default;
  Status Migrate();
  Status CheckKey();
  Status PseudonymiseLegacyReferences();
  Result<int> StoredKeyId() const;
  Result<std::optional<std::string>> Meta(const char* key) const;
  Status SetMeta(const char* key, const std::string& value);
  Status Exec(const char* sql) const;
  Result<int64_t> PersonId(const v1::Subject& subject, const std::string& field);

  sqlite3* db_ = nullptr;
  std::string secret_;
  int key_id_ = 0;
  std::unique_ptr<Pseudonymiser> pseudonymiser_;
  std::string last_personnummer_, last_pseudonym_;  // PersonId's one-entry cache
  int schema_version_ = 0;
  bool in_transaction_ = false;
  struct Statements;
  std::unique_ptr<Statements> stmt_;
};

}  // namespace ix::store

#endif  // IX_STORE_EVENT_STORE_HPP
