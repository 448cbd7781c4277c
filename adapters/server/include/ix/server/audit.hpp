// The audit log: who (caller identity) did what (RPC) to which household (pseudonymised),
// with which outcome. One JSON object per line, in its own file through its own spdlog
// logger, flushed on every record so that nothing is lost when the process dies.
//
// Households are pseudonymised with a keyed hash (HMAC-SHA-256, libsodium via ix::base::crypto) of
// "<municipality_code>/<household_ref>": the same household gets the same pseudonym in every
// record, so an auditor can follow it, but nobody without the key can tell which household it
// is. Personnummer, names and answers are never written.
#ifndef IX_SERVER_AUDIT_HPP
#define IX_SERVER_AUDIT_HPP

#include <ix/base/status.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace ix::server {

struct AuditRecord {
  std::string request_id;
  std::string caller;        // certificate identity, or "unknown:<CN>" when not in the map
  std::string municipality;  // the caller's municipality (empty when unknown)
  std::string rpc;           // "Validate", …
  std::string household;     // pseudonym from AuditLog::Pseudonym; empty when none
  std::string outcome;       // gRPC status code name, e.g. "OK", "PERMISSION_DENIED"
  std::string detail;        // never personal data: a field path, a count
};

class AuditLog {
 public:
  // Opens (appends to) `file`. The key is read from `key_file` (64 hex digits); when the key
  // file does not exist a new random key is written there with mode 0600.
  static Result<std::unique_ptr<AuditLog>> Open(const std::filesystem::path& file,
                                                const std::filesystem::path& key_file);
  ~AuditLog();

  // Hex HMAC-SHA-256 of "<municipality_code>/<household_ref>" under the audit key.
  std::string Pseudonym(std::string_view municipality_code, std::string_view household_ref) const;

  // Appends one JSON line. Thread-safe.
  void Record(const AuditRecord& record);

 private:
  AuditLog() = default;
  std::string key_;  // 32 bytes
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace ix::server

#endif  // IX_SERVER_AUDIT_HPP
