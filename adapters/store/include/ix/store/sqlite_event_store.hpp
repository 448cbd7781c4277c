// The SQLite backend of the event store (the embedded default): one file per store, WAL mode,
// synchronous=FULL, schema versioned in PRAGMA user_version. Open it through EventStore::Open
// with a file path; this header is for tools that need its connection.
#ifndef IX_STORE_SQLITE_EVENT_STORE_HPP
#define IX_STORE_SQLITE_EVENT_STORE_HPP

#include <ix/store/event_store.hpp>

struct sqlite3;

namespace ix::store {

class SqliteEventStore final : public EventStore {
 public:
  ~SqliteEventStore() override;
  StoreLocation::Backend backend() const override { return StoreLocation::Backend::kSqlite; }
  Result<int64_t> CountUnder(int key_id) const override;
  int64_t CountEvents() const override;
  int64_t CountPersons() const override;
  Status ForEachPerson(const std::string& municipality,
                       const std::function<void(const statistics::PersonHistory&)>& visit,
                       const statistics::RecordsNeeded& needed = {}, const PersonSlice& slice = {}) const override;
  Result<std::vector<PersonSlice>> PersonSlices(const std::string& municipality, int parts) const override;

  // The raw connection, for tools that run their own read-only SQL (the benchmark's baseline).
  sqlite3* handle() const { return db_; }

  // Used by EventStore::Open / KeyIdOf for a file path.
  static Result<std::unique_ptr<EventStore>> Open(const std::string& path, std::string secret, int key_id);
  static Result<int> KeyIdOf(const std::string& path);

 protected:
  Result<std::optional<std::string>> Meta(const char* key) const override;
  Status SetMeta(const char* key, const std::string& value) override;
  Status RawBegin() override;
  Status RawCommit() override;
  Status RawRollback() override;
  Result<AddOutcome> Insert(const PersonRow& person, const Row& row) override;
  Result<std::vector<std::pair<int64_t, std::string>>> RekeySlice(int column, int64_t after) override;
  Status RekeyUpdate(int column, int64_t id, const std::string& value) override;

 private:
  SqliteEventStore() = default;
  Status Migrate();
  Status PseudonymiseLegacyReferences();
  Status Exec(const char* sql) const;

  sqlite3* db_ = nullptr;
  struct Statements;
  std::unique_ptr<Statements> stmt_;
};

}  // namespace ix::store

#endif  // IX_STORE_SQLITE_EVENT_STORE_HPP
