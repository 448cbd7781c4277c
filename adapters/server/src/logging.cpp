#include <ix/server/logging.hpp>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace ix::server {
namespace {

// %* in a pattern: the message as the body of a JSON string (quotes, backslashes and control
// characters escaped), so that each JSON line parses whatever a message contains.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (const char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': Append(dest, "\\\""); break;
        case '\\': Append(dest, "\\\\"); break;
        case '\n': Append(dest, "\\n"); break;
        case '\r': Append(dest, "\\r"); break;
        case '\t': Append(dest, "\\t"); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            Append(dest, escaped);
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }

 private:
  static void Append(spdlog::memory_buf_t& dest, std::string_view text) {
    dest.append(text.data(), text.data() + text.size());
  }
};

}  // namespace

Result<std::shared_ptr<spdlog::logger>> MakeOperationalLogger(const ServerConfig& config) {
  if (config.log_format() != "text" && config.log_format() != "json") {
    return Status(StatusCode::kInvalidArgument,
                  "log_format: '" + config.log_format() + "' is not a log format (text, json)");
  }
  spdlog::sink_ptr sink;
  try {
    if (config.log_file().empty()) {
      sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    } else if (config.log_rotate_bytes() > 0) {
      sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          config.log_file(), static_cast<size_t>(config.log_rotate_bytes()),
          static_cast<size_t>(config.log_rotate_files()));
    } else {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.log_file());
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Status(StatusCode::kInvalidArgument, "log_file: " + std::string(e.what()));
  }
  auto log = std::make_shared<spdlog::logger>("ix-server", sink);
  if (config.log_format() == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","logger":"%n","message":"%*"})");
    log->set_formatter(std::move(formatter));
  } else {
    log->set_pattern("%Y-%m-%dT%H:%M:%S.%e ix-server %l: %v");
  }
  log->set_level(spdlog::level::from_str(config.log_level()));
  log->flush_on(spdlog::level::info);
  return log;
}

}  // namespace ix::server
