// ix-server's operational log (spdlog): human-readable lines by default, JSON lines on request
// (for log collectors), to stderr or a file, optionally rotated by size. The audit log is a
// separate logger and file (audit.hpp) with its own rotation.
//
// Nothing written here may contain personal data: callers log codes, ids, versions and timings.
#ifndef IX_SERVER_LOGGING_HPP
#define IX_SERVER_LOGGING_HPP

#include <ix/base/status.hpp>
#include <ix/server/config.hpp>

#include <memory>
#include <string_view>

namespace spdlog {
class logger;
}

namespace ix::server {

// Text:  2026-11-22T18:05:47.123 ix-server info: listening on …
// JSON:  {"time":"2026-11-22T18:05:47.123Z","level":"info","logger":"ix-server","message":"…"}
// Uses config.log_file, log_level, log_format, log_rotate_bytes, log_rotate_files. Errors name
// the setting (an unwritable log_file, an unknown format).
Result<std::shared_ptr<spdlog::logger>> MakeOperationalLogger(const ServerConfig& config);

// A crash is never silent: when the process dies on SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT
// the operational log (config.log_file, else stderr) gets one line, in the configured format,
// naming the signal and the RPC the crashing thread was serving:
//   2026-11-22T18:05:47.123Z ix-server critical: fatal signal SIGSEGV (11) while serving
//   LoadDefinition (request 3fa2b1-17); the process stops
// The handler only uses async-signal-safe calls (clock_gettime, open, write; no allocation, no
// lock, no spdlog), then re-raises the signal with its default action (core dump, exit status)
// so that the service manager sees the crash and applies its restart policy.
void InstallCrashReporter(const ServerConfig& config);

// Marks the RPC this thread serves for the crash line, for the object's lifetime. Lock-free: a
// thread-local slot the signal handler reads. Also gives the thread an alternate signal stack,
// so that a stack overflow (deep recursion on hostile input) still gets its line.
class CurrentRpc {
 public:
  CurrentRpc(std::string_view rpc, std::string_view request_id);
  ~CurrentRpc();
  CurrentRpc(const CurrentRpc&) = delete;
  CurrentRpc& operator=(const CurrentRpc&) = delete;

 private:
  bool outer_;  // the slot was empty before: nested markers leave the outer one in place
};

}  // namespace ix::server

#endif  // IX_SERVER_LOGGING_HPP
