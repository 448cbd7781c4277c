// The event store: an interface with two backends, chosen by the store's location.
//   - SQLite (the embedded default; a file path): WAL mode, one file per store, schema versioned
//     with migrations (ix/store/sqlite_event_store.hpp).
//   - PostgreSQL (a location "postgresql://…#<store>"): many stores in one database, kept apart
//     row by row (every row carries its store name), for several ix-server replicas sharing
//     one store (docs/scaling.md).
// Both: one transaction per import batch (a killed process loses no committed event and leaves
// no half batch). No personnummer and no case reference is stored: persons, event ids and
// intervention ids are kept as pseudonyms under the store's key (ix/store/pseudonym.hpp), each
// carrying its key id, so a store can be re-keyed (ix/store/keys.hpp). Sex, birth year and month
// are kept for statistics (the snapshot's age at its reference date), the municipality code per
// event. What is kept and why: docs/privacy.md. How events are checked, pseudonymised and read
// back into histories is the same code for both backends; only the SQL differs.
//
// Threading: one EventStore per thread (one connection each). Several processes may open the
// same store; the database serialises writers.
#ifndef IX_STORE_EVENT_STORE_HPP
#define IX_STORE_EVENT_STORE_HPP

#include <ix/statistics/records.hpp>
#include <ix/statistics/reports.hpp>
#include <ix/base/status.hpp>

#include "ix/v1/events.pb.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ix::store {

// The SQLite schema version this build writes. Older stores are migrated on open.
inline constexpr int kSchemaVersion = 7;

// Begin() on a store another process re-keyed since this one opened it (reopen it).
inline constexpr const char* kReasonRekeyed = "IX_STORE_REKEYED";
// The store's database connection is lost (PostgreSQL restarted, the network dropped it): the
// call fails (kUnavailable) and the store must be opened again, which reconnects.
inline constexpr const char* kReasonDisconnected = "IX_STORE_DISCONNECTED";

class Pseudonymiser;

// Minimum length of the municipality secret in bytes.
inline constexpr size_t kMinSecretBytes = 16;

// What happened to one event in Add().
enum class AddOutcome { kInserted, kDuplicate };

// Where a store is. A file path is a SQLite store; "postgresql://…#<store>" (or "postgres://")
// is the store named <store> in that PostgreSQL database (libpq connection URI; the fragment
// names the store: 1–64 of A–Z a–z 0–9 _ -). A password never belongs in the location: libpq
// takes it from PGPASSFILE / ~/.pgpass or PGPASSWORD.
struct StoreLocation {
  enum class Backend { kSqlite, kPostgresql };
  Backend backend = Backend::kSqlite;
  std::string target;  // the file path, or the libpq connection URI without the fragment
  std::string name;    // the store's name: the file's stem, or the fragment
};
bool IsPostgresqlLocation(std::string_view location);
// Refuses a PostgreSQL location without a valid store name or with a password in it, naming
// the part (never echoing a password).
Result<StoreLocation> ParseStoreLocation(const std::string& location);
// The location for messages and logs: a PostgreSQL URI without user info or query
// ("postgresql://host:port/db#store"); a path as it is.
std::string DescribeStoreLocation(const std::string& location);

// A range of a store's own person numbers, both ends included (EventStore::PersonSlices).
struct PersonNumbers {
  int64_t first = std::numeric_limits<int64_t>::min();
  int64_t last = std::numeric_limits<int64_t>::max();
};

class EventStore {
 public:
  // Opens (creating if needed) the store at `location` and migrates it to the backend's schema
  // version. `secret` is the municipality key of id `key_id` (0: the id the store records, 1
  // for a new store); it may be empty for read-only use (reports), but Add() then refuses every
  // event. A store remembers its key id and a fingerprint of the key, and opening it with
  // another key is an error (pseudonyms would not match). Keys from a key directory:
  // OpenWithKeyDir.
  static Result<std::unique_ptr<EventStore>> Open(const std::string& location, std::string secret,
                                                  int key_id = 0);

  // The key id the store at `location` records (read-only, nothing is created or migrated); 0
  // for a store that does not exist yet or has never been given a key.
  static Result<int> KeyIdOf(const std::string& location);
  virtual ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  virtual StoreLocation::Backend backend() const = 0;
  int schema_version() const { return schema_version_; }
  int key_id() const { return key_id_; }

  // Transactions: Add() outside Begin/Commit commits each event on its own (slow but safe).
  // Begin() refuses (kReasonRekeyed) when the store was re-keyed since it was opened.
  Status Begin();
  Status Commit();
  Status Rollback();

  // Validates and stores one event. Errors name the field ("assistance_period.start_date: …")
  // and never echo a personnummer. An event id seen before is a duplicate, not an error.
  Result<AddOutcome> Add(const v1::Event& event);
  // The same for several events, in order, with one result each: an invalid event gets its
  // error (as Add's) and is not stored, the valid ones are. A database error fails the whole
  // call. A backend may send the valid ones to the database together (PostgreSQL: two round
  // trips per batch instead of two per event).
  Result<std::vector<Result<AddOutcome>>> AddAll(const v1::Event* events, size_t count);

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
    int64_t ledger = 0;  // exchange import ledger references (PostgreSQL; SQLite: none here)
  };
  Result<RekeyCounts> Rekey(const std::string& to_secret, int to_key_id);
  // How many stored pseudonyms still carry key id `key_id`.
  virtual Result<int64_t> CountUnder(int key_id) const = 0;

  // The exchange import ledger in the store's own database: a package's keyed reference (see
  // Reference, kind "package"; never the package id) with the SHA-256 of its content. Inside
  // Begin/Commit both share the transaction of the events the package brings, and Begin's
  // write lock serialises the store's importers, so the events and the record commit together
  // or not at all, and of two processes importing one package at the same moment exactly one
  // applies it. RecordImport refuses (kAborted) a reference recorded meanwhile: roll back.
  // PostgreSQL keeps it (table ix_exchange_ledger); SQLite stores answer kUnimplemented
  // (ix-server keeps its file ledger beside the SQLite files).
  virtual Result<std::optional<std::string>> FindImport(const std::string& reference) const;
  virtual Status RecordImport(const std::string& reference, const std::string& content_sha256);

  virtual int64_t CountEvents() const = 0;
  virtual int64_t CountPersons() const = 0;

  // Streams every person with at least one event in `municipality` to `visit`, one
  // PersonHistory at a time (repeated events about the same period or intervention merged,
  // latest recorded wins). Only one person's events are in memory at a time. `needed`: the
  // records the caller reads; the store may skip events that make only the others, and those
  // after `needed.through` (a person with none of the needed events is then not visited).
  // `slice`: only the persons whose store-internal numbers fall in it (PersonSlices).
  using PersonSlice = PersonNumbers;
  virtual Status ForEachPerson(const std::string& municipality,
                               const std::function<void(const statistics::PersonHistory&)>& visit,
                               const statistics::RecordsNeeded& needed = {}, const PersonSlice& slice = {}) const = 0;
  // Up to `parts` disjoint slices, ascending, of about equal spans of person numbers, that
  // together hold every person with an event in `municipality` (none when there is none), for
  // reading the persons on several connections at once (OpenReader), each slice on one.
  virtual Result<std::vector<PersonSlice>> PersonSlices(const std::string& municipality, int parts) const = 0;
  // Another connection to this store, for a second reading thread; without the key (reading
  // needs none). Each connection reads its own snapshot: slices read while another process
  // imports may see the store at slightly different moments (each person whole).
  Result<std::unique_ptr<EventStore>> OpenReader() const;

  // One validated event as both backends store it (src/event_rows.hpp).
  struct Row;
  struct PersonRow;

 protected:
  EventStore();

  // The key: reads the stored key id and fingerprint, refuses another key, records a first
  // key, and makes the pseudonymiser. Called by each backend's Open after its migrations.
  // `legacy` (out): the store uses the HMAC scheme from before versioned keys.
  Status CheckKey(bool* legacy);
  Result<int> StoredKeyId() const;
  const Pseudonymiser* pseudonymiser() const { return pseudonymiser_.get(); }
  void set_key(std::string secret, int key_id) {
    secret_ = std::move(secret);
    key_id_ = key_id;
  }
  const std::string& secret() const { return secret_; }
  int schema_version_ = 0;

  // What a backend provides. Meta: the store's key/value settings (key id, fingerprint,
  // scheme). RawBegin/RawCommit/RawRollback: the database transaction (RawBegin takes the
  // write lock). Insert: one event row (and its person) inside or outside a transaction.
  virtual Result<std::optional<std::string>> Meta(const char* key) const = 0;
  virtual Status SetMeta(const char* key, const std::string& value) = 0;
  virtual Status RawBegin() = 0;
  virtual Status RawCommit() = 0;
  virtual Status RawRollback() = 0;
  virtual Result<AddOutcome> Insert(const PersonRow& person, const Row& row) = 0;
  // Several rows at once; the default inserts them one by one.
  virtual Result<std::vector<AddOutcome>> InsertAll(const std::vector<std::pair<PersonRow, Row>>& rows);
  // Re-keying: the pseudonym columns, read in slices of ids after `after` (ascending) and
  // rewritten by id. Column 0 persons.pseudonym, 1 events.event_id, 2 events.intervention_id.
  static constexpr int kRekeyColumns = 3;
  virtual Result<std::vector<std::pair<int64_t, std::string>>> RekeySlice(int column, int64_t after) = 0;
  virtual Status RekeyUpdate(int column, int64_t id, const std::string& value) = 0;
  // Moves the exchange import ledger's references from `from` to `to` inside Rekey's
  // transaction, so a package imported before a rotation stays a replay after it. Returns how
  // many moved; the default (no ledger in the store) moves none.
  virtual Result<int64_t> RekeyLedger(const Pseudonymiser& from, const Pseudonymiser& to);

 private:
  Result<PersonRow> Person(const v1::Subject& subject, const std::string& field);
  Result<std::pair<PersonRow, Row>> Prepare(const v1::Event& event);

  std::string location_;  // as opened (OpenReader)
  std::string secret_;
  int key_id_ = 0;
  std::unique_ptr<Pseudonymiser> pseudonymiser_;
  std::string last_personnummer_, last_pseudonym_;  // Person's one-entry cache
  bool in_transaction_ = false;
};

}  // namespace ix::store

#endif  // IX_STORE_EVENT_STORE_HPP
