#include <ix/store/keys.hpp>

#include <ix/base/crypto.hpp>
#include <ix/store/pseudonym.hpp>

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <system_error>

namespace ix::store {
namespace fs = std::filesystem;

namespace {

// The name a store's key files start with: the SQLite file's stem, or the PostgreSQL store's
// name (the location's fragment).
std::string StoreName(const fs::path& store_path) {
  auto where = ParseStoreLocation(store_path.string());
  return where.ok() ? where->name : store_path.stem().string();
}

Result<std::string> LoadKey(const fs::path& key_dir, const fs::path& store_path, int id) {
  return base::crypto::LoadOrCreateSecretKey(KeyFile(key_dir, store_path, id), kKeyBytes,
                                             "pseudonym key k" + std::to_string(id));
}

}  // namespace

fs::path KeyFile(const fs::path& key_dir, const fs::path& store_path, int key_id) {
  return key_dir / (StoreName(store_path) + ".k" + std::to_string(key_id) + ".key");
}

std::vector<int> KeyIds(const fs::path& key_dir, const fs::path& store_path) {
  const std::string stem = StoreName(store_path) + ".k";
  std::vector<int> ids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(key_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= stem.size() + 4 || name.rfind(stem, 0) != 0 || !name.ends_with(".key")) continue;
    int id = 0;
    const char* first = name.data() + stem.size();
    const char* last = name.data() + name.size() - 4;
    const auto [end, error] = std::from_chars(first, last, id);
    if (error == std::errc() && end == last && id >= 1 && entry.is_regular_file(ec)) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<std::unique_ptr<EventStore>> OpenWithKeyDir(const fs::path& store_path, const fs::path& key_dir) {
  auto stored = EventStore::KeyIdOf(store_path);
  if (!stored.ok()) return stored.status();
  int id = *stored;
  if (id == 0) {
    const std::vector<int> ids = KeyIds(key_dir, store_path);
    id = ids.empty() ? 1 : ids.back();
  }
  auto key = LoadKey(key_dir, store_path, id);
  if (!key.ok()) return key.status();
  auto opened = EventStore::Open(store_path, std::move(*key), id);
  sodium_memzero(key->data(), key->size());
  return opened;
}

Result<RotateSummary> RotateKey(const fs::path& store_path, const fs::path& key_dir) {
  std::error_code ec;
  const std::string shown = DescribeStoreLocation(store_path.string());
  if (!IsPostgresqlLocation(store_path.string()) && !fs::exists(store_path, ec)) {
    return Status(StatusCode::kNotFound, shown + ": no such event store");
  }
  auto store = OpenWithKeyDir(store_path, key_dir);
  if (!store.ok()) return store.status();
  RotateSummary summary;
  summary.from = (*store)->key_id();
  const std::vector<int> ids = KeyIds(key_dir, store_path);
  summary.to = summary.from + 1;
  summary.resumed = std::find(ids.begin(), ids.end(), summary.to) != ids.end();
  auto key = LoadKey(key_dir, store_path, summary.to);  // created here unless an earlier run did
  if (!key.ok()) return key.status();
  auto moved = (*store)->Rekey(*key, summary.to);
  sodium_memzero(key->data(), key->size());
  if (!moved.ok()) return Status(moved.status().code(), shown + ": " + moved.status().message());
  summary.moved = *moved;
  return summary;
}

Result<ReferenceMover> MoveToCurrentKey(const fs::path& store_path, const fs::path& key_dir) {
  auto current = EventStore::KeyIdOf(store_path.string());
  if (!current.ok()) return current.status();
  if (*current == 0) {
    return Status(StatusCode::kFailedPrecondition,
                  DescribeStoreLocation(store_path.string()) + ": the store records no key yet");
  }
  // The keys a move needs, made once each (a ledger holds many references under one key).
  auto keys = std::make_shared<std::map<int, Pseudonymiser>>();
  const auto key = [keys, store_path, key_dir](int id) -> Result<const Pseudonymiser*> {
    if (auto it = keys->find(id); it != keys->end()) return &it->second;
    auto secret = LoadKey(key_dir, store_path, id);
    if (!secret.ok()) return secret.status();
    auto made = Pseudonymiser::Make(PseudonymScheme::kRistretto255, id, *secret);
    sodium_memzero(secret->data(), secret->size());
    if (!made.ok()) return made.status();
    return &keys->emplace(id, std::move(*made)).first->second;
  };
  const int to_id = *current;
  return ReferenceMover([key, to_id, key_dir, store_path](const std::string& reference) -> Result<std::string> {
    const int from_id = Pseudonymiser::KeyIdOf(reference);
    if (from_id == 0 || from_id == to_id) return reference;
    if (from_id > to_id) {
      return Status(StatusCode::kFailedPrecondition, "a reference carries key k" + std::to_string(from_id) +
                                                         ", newer than the store's k" + std::to_string(to_id));
    }
    // Never create a missing old key (LoadKey would): without it the reference cannot move.
    const fs::path file = KeyFile(key_dir, store_path, from_id);
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      return Status(StatusCode::kFailedPrecondition,
                    "a reference carries key k" + std::to_string(from_id) + ", whose file " + file.string() +
                        " is gone (retired before the reference was moved)");
    }
    auto from = key(from_id);
    if (!from.ok()) return from.status();
    auto to = key(to_id);
    if (!to.ok()) return to.status();
    return Pseudonymiser::Rekey(reference, **from, **to);
  });
}

Result<std::vector<fs::path>> RetireKeys(const fs::path& store_path, const fs::path& key_dir) {
  auto store = OpenWithKeyDir(store_path, key_dir);
  if (!store.ok()) return store.status();
  const int current = (*store)->key_id();
  std::vector<fs::path> removed;
  for (int id : KeyIds(key_dir, store_path)) {
    if (id >= current) continue;
    auto left = (*store)->CountUnder(id);
    if (!left.ok()) return left.status();
    if (*left != 0) {
      return Status(StatusCode::kFailedPrecondition,
                    DescribeStoreLocation(store_path.string()) + ": " + std::to_string(*left) + " pseudonyms still carry key k" +
                        std::to_string(id) + "; rotate first");
    }
    const fs::path file = KeyFile(key_dir, store_path, id);
    std::error_code ec;
    if (!fs::remove(file, ec) || ec) {
      return Status(StatusCode::kInternal, file.string() + ": cannot remove: " + ec.message());
    }
    removed.push_back(file);
  }
  return removed;
}

}  // namespace ix::store
