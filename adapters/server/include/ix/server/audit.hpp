// The audit log: who (caller identity) did what (RPC) to which household (pseudonymised),
// with which outcome. One JSON object per line, written with one write(2) per record, so that
// nothing is lost when the process dies.
//
// Households are pseudonymised with a keyed hash (HMAC-SHA-256, libsodium via ix::base::crypto) of
// "<municipality_code>/<household_ref>": the same household gets the same pseudonym in every
// record, so an auditor can follow it, but nobody without the key can tell which household it
// is. Personnummer, names and answers are never written.
//
// It cannot be bypassed or quietly edited:
// - every value is bounded: a value longer than kAuditValueLimit bytes is cut, and what is kept
//   says how long it was and its SHA-256 (a 3 MB municipality code costs a few hundred bytes);
// - records are chained: each carries a sequence number, the MAC of the record before it
//   ("prev") and its own MAC ("mac", HMAC-SHA-256 under the audit key of everything before it
//   on the line). An edited, removed, inserted or reordered record breaks the chain, and without
//   the key nobody can recompute it. VerifyAuditLog checks a log and its rotated files;
// - it fails closed: when a record cannot be written (full disk, I/O error) Record returns
//   false, the call fails UNAVAILABLE, writable() is false (the server reports NOT_SERVING) and
//   a background retry writes a record of the gap as soon as the log takes writes again;
// - it is rotated by size (audit_log.1 is the newest rotated file) and a retention count of
//   rotated files is kept; the chain runs on across files.
#ifndef IX_SERVER_AUDIT_HPP
#define IX_SERVER_AUDIT_HPP

#include <ix/base/status.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace ix::server {

// Longest value written as it is, bytes. Longer ones are cut (see BoundAuditValue).
inline constexpr size_t kAuditValueLimit = 256;

struct AuditRecord {
  std::string request_id;
  std::string caller;        // certificate identity, or "unknown:<CN>" when not in the map
  std::string municipality;  // the caller's municipality (empty when unknown)
  std::string rpc;           // "Validate", …
  std::string household;     // pseudonym from AuditLog::Pseudonym; empty when none
  std::string outcome;       // gRPC status code name, e.g. "OK", "PERMISSION_DENIED"
  std::string detail;        // never personal data: a field path, a count
};

struct AuditOptions {
  uint64_t rotate_bytes = 0;  // start a new file when the current one would pass this; 0: never
  uint32_t keep_files = 0;    // rotated files kept (file.1 … file.N); 0: all
  std::chrono::milliseconds retry_interval{1000};  // how often a failed log is tried again
};

// `value` when it is at most kAuditValueLimit bytes; else its first 64 bytes (cut on a UTF-8
// character boundary) followed by "…[truncated: <length> bytes, sha256 <hex>]".
std::string BoundAuditValue(std::string_view value);

class AuditLog {
 public:
  // Opens (appends to) `file`, continuing the chain of its last record (or of file.1 when the
  // file is new after a rotation). The key is read from `key_file` (64 hex digits); when the
  // key file does not exist a new random key is written there with mode 0600.
  static Result<std::unique_ptr<AuditLog>> Open(const std::filesystem::path& file,
                                                const std::filesystem::path& key_file,
                                                AuditOptions options = {});
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Hex HMAC-SHA-256 of "<municipality_code>/<household_ref>" under the audit key.
  std::string Pseudonym(std::string_view municipality_code, std::string_view household_ref) const;

  // Appends one chained record. Thread-safe. False when it could not be written: nothing of it
  // is left in the file, writable() turns false and the retry starts.
  bool Record(const AuditRecord& record);

  // False from a failed write until the retry wrote its record of the gap.
  bool writable() const { return writable_.load(std::memory_order_acquire); }
  // Counts a call refused because the log was not writable (reported in the gap record).
  void CountRefused() { refused_while_down_.fetch_add(1, std::memory_order_relaxed); }
  // Called (from the failing call's thread or the retry thread) when writable() changes.
  void OnWritableChange(std::function<void(bool writable)> listener);

 private:
  AuditLog() = default;
  bool WriteLocked(const AuditRecord& record);  // mutex_ held
  bool RotateLocked();
  void RetryLoop();
  void SetWritable(bool writable);

  std::string key_;  // 32 bytes
  std::filesystem::path file_;
  AuditOptions options_;
  int fd_ = -1;
  bool regular_ = true;  // rotation and size only for a regular file (not /dev/full, a pipe)
  uint64_t size_ = 0;
  uint64_t seq_ = 0;     // of the next record
  std::string prev_;     // MAC of the last record written (64 zeros before the first)

  std::mutex mutex_;
  std::atomic<bool> writable_{true};
  std::atomic<uint64_t> refused_while_down_{0};
  uint64_t failed_records_ = 0;  // mutex_
  std::function<void(bool)> listener_;
  std::mutex listener_mutex_;
  std::condition_variable retry_wakeup_;
  bool stopping_ = false;  // mutex_
  std::thread retry_;
};

// The result of checking a log: `ok` or the first bad record, named by file and line.
struct AuditVerification {
  bool ok = false;
  uint64_t records = 0;         // records checked
  uint64_t files = 0;           // files checked (the rotated ones and the current one)
  uint64_t first_seq = 0;       // where the chain starts (> 0: older files were deleted)
  std::string first_bad_file;   // when !ok
  uint64_t first_bad_line = 0;  // 1-based, when !ok
  std::string problem;          // when !ok: what is wrong with it
};

// Checks `file` and its rotated files (oldest first: file.N … file.1, file) under the key in
// `key_file`. Errors (status) are for a log or key that cannot be read at all; a broken chain
// is a result with ok == false.
Result<AuditVerification> VerifyAuditLog(const std::filesystem::path& file,
                                         const std::filesystem::path& key_file);

// `ix-server --verify-audit`: checks the configured audit_log under audit_key_file and says
// so on `out` ("audit log OK: …") or names the first bad record on `err`. Returns the exit
// status: 0 intact, 6 tampered or damaged, 3 the log or key cannot be read.
int VerifyAuditCommand(const std::filesystem::path& file, const std::filesystem::path& key_file,
                       std::ostream& out, std::ostream& err);

}  // namespace ix::server

#endif  // IX_SERVER_AUDIT_HPP
