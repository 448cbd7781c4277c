// The municipality keys of event stores, kept in a key directory apart from the data: a copy
// of the state directory (a backup, a stolen disk image) then holds pseudonyms but no key to
// test guesses against. docs/privacy.md says where the directory is and who may read it.
//
// A store at <dir>/<stem>.sqlite uses the key files <key_dir>/<stem>.k<id>.key: one line of
// 64 hex digits (32 random bytes), created owner-only, never replaced. The id grows by one at
// every rotation; pseudonyms carry it ("k2:…"), so which key a value needs is always readable.
#ifndef IX_STORE_KEYS_HPP
#define IX_STORE_KEYS_HPP

#include <ix/base/status.hpp>
#include <ix/store/event_store.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ix::store {

inline constexpr size_t kKeyBytes = 32;

// <key_dir>/<store name>.k<id>.key (the store name: a SQLite file's stem, or a PostgreSQL
// location's #fragment)
std::filesystem::path KeyFile(const std::filesystem::path& key_dir, const std::filesystem::path& store_path,
                              int key_id);
// The key ids that have a file for this store, ascending.
std::vector<int> KeyIds(const std::filesystem::path& key_dir, const std::filesystem::path& store_path);

// Opens the store with its key from `key_dir`: the id the store records; for a new store the
// newest key there, or k1, created if missing.
Result<std::unique_ptr<EventStore>> OpenWithKeyDir(const std::filesystem::path& store_path,
                                                   const std::filesystem::path& key_dir);

struct RotateSummary {
  int from = 0;
  int to = 0;
  bool resumed = false;  // the new key file was already there (an interrupted rotation)
  EventStore::RekeyCounts moved;
};

// Re-pseudonymises the store to the next key id: creates <stem>.k<n+1>.key (or takes the newer
// key file an interrupted rotation left), moves every pseudonym in one transaction and records
// the new id. The old key file stays until RetireKeys. Running it again after an interruption
// finishes the same rotation; after a finished one it starts the next.
Result<RotateSummary> RotateKey(const std::filesystem::path& store_path, const std::filesystem::path& key_dir);

// Moves a keyed reference kept outside the store (the file ledger ix-server keeps beside a
// SQLite store) to the store's current key: a reference under an older key of this store whose
// file is still in `key_dir` is re-keyed, one already under the current key (or made before
// versioned keys) comes back as it is. Run after RotateKey and before RetireKeys, which
// deletes the keys the move needs.
using ReferenceMover = std::function<Result<std::string>(const std::string& reference)>;
Result<ReferenceMover> MoveToCurrentKey(const std::filesystem::path& store_path, const std::filesystem::path& key_dir);

// Deletes the key files of this store older than its current key, after checking that no
// stored pseudonym still carries their id. Returns the files removed.
Result<std::vector<std::filesystem::path>> RetireKeys(const std::filesystem::path& store_path,
                                                      const std::filesystem::path& key_dir);

}  // namespace ix::store

#endif  // IX_STORE_KEYS_HPP
