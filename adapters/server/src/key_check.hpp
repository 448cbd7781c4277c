// Where ix-server's keys live, checked before anything is opened: the municipalities'
// pseudonym keys and the audit key sit in key_dir, apart from every folder that holds data, so
// a copy of the state (a backup, a disk image) carries pseudonyms but nothing to reverse them
// with. The server refuses to start when a key is readable by others, lies inside a data
// folder, or an old key file is still left beside the data (docs/privacy.md).
#ifndef IX_SERVER_KEY_CHECK_HPP
#define IX_SERVER_KEY_CHECK_HPP

#include <ix/base/status.hpp>
#include <ix/server/config.hpp>

#include <filesystem>

namespace ix::server {

struct KeyLocations {
  std::filesystem::path key_dir;    // created 0700 when missing
  std::filesystem::path audit_key;  // audit_key_file, or key_dir/audit.key
};

// key_dir as configured, or, when empty, a folder beside the audit log's folder named after it
// with "-keys" (var/ix-server/audit.log → var/ix-server-keys).
std::filesystem::path KeyDirOf(const ServerConfig& config);

// audit_key_file, or key_dir/audit.key: where the audit key is (for --verify-audit too).
std::filesystem::path AuditKeyOf(const ServerConfig& config);

// Resolves and checks the key locations; every refusal names the configuration key, the file
// and the rule it breaks.
Result<KeyLocations> CheckKeyLocations(const ServerConfig& config);

}  // namespace ix::server

#endif  // IX_SERVER_KEY_CHECK_HPP
