// What the statistics commands (import, report) share: where the event store is and where the
// municipality secret comes from.
//   --store LOCATION    the event store: a SQLite file (default ix-events.sqlite in the current
//                       folder) or postgresql://…#<store> (ix/store/event_store.hpp); default
//                       from $IX_STORE
//   --key-dir DIR       the key folder: the store's key is DIR/<store stem>.k<id>.key (as
//                       ix-server keeps them; created for a new store)
//   --secret-file FILE  instead, the municipality secret itself (≥ 16 bytes; one trailing
//                       newline is ignored); default: the file named by IX_STATS_SECRET_FILE
#ifndef IX_CLI_COMMANDS_STORE_ACCESS_HPP
#define IX_CLI_COMMANDS_STORE_ACCESS_HPP

#include <ix/base/status.hpp>
#include <ix/store/event_store.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace ix::cli {

inline constexpr const char* kDefaultStore = "ix-events.sqlite";
inline constexpr const char* kSecretEnv = "IX_STATS_SECRET_FILE";
inline constexpr const char* kStoreEnv = "IX_STORE";

struct StoreAccess {
  std::string store = kDefaultStore;
  std::string secret_file;
  std::string key_dir;
};

void AddStoreOptions(CLI::App* cmd, StoreAccess& access, bool with_secret);

// The secret from --secret-file or $IX_STATS_SECRET_FILE; a clear error when neither is set or
// the file cannot be read.
Result<std::string> ReadSecret(const StoreAccess& access);

// The store opened with its key: from --key-dir when given, else from the secret file.
Result<std::unique_ptr<store::EventStore>> OpenWithKey(const StoreAccess& access);

}  // namespace ix::cli

#endif  // IX_CLI_COMMANDS_STORE_ACCESS_HPP
