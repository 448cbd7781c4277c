#include "store_access.hpp"

#include <ix/cli/json_io.hpp>
#include <ix/store/keys.hpp>

#include <cstdlib>

namespace ix::cli {

void AddStoreOptions(CLI::App* cmd, StoreAccess& access, bool with_secret) {
  cmd->add_option("--store", access.store,
                  "Event store: a SQLite file, or postgresql://[user@]host[:port]/db[?options]#<store> "
                  "(password from PGPASSFILE or ~/.pgpass, never in the location)")
      ->envname(kStoreEnv)
      ->capture_default_str();
  if (with_secret) {
    cmd->add_option("--key-dir", access.key_dir,
                    "Key folder holding the store's versioned key <store stem>.k<id>.key (created for a new store)");
    cmd->add_option("--secret-file", access.secret_file,
                    std::string("File holding the municipality secret for pseudonyms (default: $") +
                        kSecretEnv + ")");
  }
}

Result<std::string> ReadSecret(const StoreAccess& access) {
  std::string path = access.secret_file;
  if (path.empty()) {
    const char* env = std::getenv(kSecretEnv);
    if (env != nullptr) path = env;
  }
  if (path.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  std::string("no municipality secret: pass --secret-file FILE or set ") + kSecretEnv +
                      " to a file holding at least 16 random bytes (e.g. `head -c 32 /dev/urandom > "
                      "secret.key`); personnummer are stored only as keyed hashes under it");
  }
  auto text = ReadFile(path);
  if (!text.ok()) return Status(text.status().code(), "municipality secret: " + text.status().message());
  std::string secret = std::move(*text);
  if (!secret.empty() && secret.back() == '\n') secret.pop_back();
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) return Status(StatusCode::kInvalidArgument, "municipality secret: " + path + " is empty");
  return secret;
}

}  // namespace ix::cli

namespace ix::cli {

Result<std::unique_ptr<store::EventStore>> OpenWithKey(const StoreAccess& access) {
  if (!access.key_dir.empty()) {
    if (!access.secret_file.empty()) {
      return Status(StatusCode::kInvalidArgument, "--key-dir and --secret-file: give one of them");
    }
    return store::OpenWithKeyDir(access.store, access.key_dir);
  }
  auto secret = ReadSecret(access);
  if (!secret.ok()) return secret.status();
  return store::EventStore::Open(access.store, std::move(*secret));
}

}  // namespace ix::cli
