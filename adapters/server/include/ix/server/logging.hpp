// ix-server's operational log (spdlog): human-readable lines by default, JSON lines on request
// (for log collectors), to stderr or a file, optionally rotated by size. The audit log is a
// separate logger and file (audit.hpp) and is never rotated by the server.
//
// Nothing written here may contain personal data: callers log codes, ids, versions and timings.
#ifndef IX_SERVER_LOGGING_HPP
#define IX_SERVER_LOGGING_HPP

#include <ix/base/status.hpp>
#include <ix/server/config.hpp>

#include <memory>

namespace spdlog {
class logger;
}

namespace ix::server {

// Text:  2026-11-22T18:05:47.123 ix-server info: listening on …
// JSON:  {"time":"2026-11-22T18:05:47.123Z","level":"info","logger":"ix-server","message":"…"}
// Uses config.log_file, log_level, log_format, log_rotate_bytes, log_rotate_files. Errors name
// the setting (an unwritable log_file, an unknown format).
Result<std::shared_ptr<spdlog::logger>> MakeOperationalLogger(const ServerConfig& config);

}  // namespace ix::server

#endif  // IX_SERVER_LOGGING_HPP
