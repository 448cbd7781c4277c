// The embedded event store: SQLite in WAL mode, schema versioned with migrations, one
// transaction per import batch (a killed process loses no committed event and leaves no half
// batch). No personnummer is stored: persons are keyed by HMAC-SHA-256 (libsodium) of the
// normalised personnummer under the municipality's secret; sex, birth year and month are kept
// for statistics, the municipality code per event.
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
#include <string>
#include <string_view>

struct sqlite3;

namespace ix::store {

// The schema version this build writes. Older stores are migrated on open.
inline constexpr int kSchemaVersion = 2;

// Minimum length of the municipality secret in bytes.
inline constexpr size_t kMinSecretBytes = 16;

// What happened to one event in Add().
enum class AddOutcome { kInserted, kDuplicate };

class EventStore {
 public:
  // Opens (creating if needed) the store at `path` and migrates it to kSchemaVersion.
  // `secret` is the municipality secret; it may be empty for read-only use (reports), but Add()
  // then refuses events that carry a personnummer. A store remembers a fingerprint of its
  // secret, and opening it with another secret is an error (pseudonyms would not match).
  static Result<std::unique_ptr<EventStore>> Open(const std::filesystem::path& path,
                                                  std::string secret);
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  int schema_version() const { return schema_version_; }

  // Transactions: Add() outside Begin/Commit commits each event on its own (slow but safe).
  Status Begin();
  Status Commit();
  Status Rollback();

  // Validates and stores one event. Errors name the field ("assistance_period.start_date: …")
  // and never echo a personnummer. An event id seen before is a duplicate, not an error.
  Result<AddOutcome> Add(const v1::Event& event);

  // The pseudonym (hex HMAC-SHA-256) of a personnummer under this store's secret.
  Result<std::string> Pseudonym(std::string_view personnummer) const;

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
  Status CheckSecret();
  Status Exec(const char* sql) const;
  Result<int64_t> PersonId(const v1::Subject& subject, const std::string& field);

  sqlite3* db_ = nullptr;
  std::string secret_;
  int schema_version_ = 0;
  bool in_transaction_ = false;
  struct Statements;
  std::unique_ptr<Statements> stmt_;
};

}  // namespace ix::store

#endif  // IX_STORE_EVENT_STORE_HPP
