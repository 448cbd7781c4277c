#include <ix/server/audit.hpp>

#include <ix/base/crypto.hpp>

#include <nlohmann/json.hpp>
#include <sodium.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>

namespace ix::server {
namespace {

namespace fs = std::filesystem;

std::string UtcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buffer, static_cast<int>(millis));
  return out;
}

Status LoadOrCreateKey(const fs::path& key_file, std::string* key) {
  constexpr size_t kKeyBytes = 32;
  std::error_code ec;
  if (fs::exists(key_file, ec)) {
    std::ifstream in(key_file);
    std::string hex;
    in >> hex;
    if (!in || !base::crypto::FromHex(hex, kKeyBytes, key)) {
      return Status(StatusCode::kInvalidArgument,
                    key_file.string() + ": audit key must be 64 hex digits (32 bytes)");
    }
    return Status::Ok();
  }
  key->assign(kKeyBytes, '\0');
  randombytes_buf(key->data(), key->size());
  const mode_t old_mask = ::umask(077);  // the key file is readable by the owner only
  std::ofstream out(key_file);
  out << base::crypto::ToHex(*key) << "\n";
  out.close();
  ::umask(old_mask);
  if (!out) {
    return Status(StatusCode::kNotFound, key_file.string() + ": cannot write the audit key");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const fs::path& file, const fs::path& key_file) {
  if (sodium_init() < 0) return Status(StatusCode::kInternal, "libsodium could not initialise");
  std::unique_ptr<AuditLog> log(new AuditLog());
  const fs::path key_path = key_file.empty() ? fs::path(file.string() + ".key") : key_file;
  if (Status st = LoadOrCreateKey(key_path, &log->key_); !st.ok()) return st;
  // A unique logger name per instance: spdlog's registry is process-wide and several servers
  // (tests) may run in one process.
  static std::atomic<int> instance{0};
  try {
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string(), false);
    log->logger_ = std::make_shared<spdlog::logger>(
        "ix-audit-" + std::to_string(instance.fetch_add(1)), std::move(sink));
  } catch (const spdlog::spdlog_ex& e) {
    return Status(StatusCode::kNotFound,
                  file.string() + ": cannot open the audit log (" + e.what() + ")");
  }
  log->logger_->set_pattern("%v");
  log->logger_->set_level(spdlog::level::info);
  log->logger_->flush_on(spdlog::level::info);
  return log;
}

AuditLog::~AuditLog() {
  if (logger_) logger_->flush();
}

std::string AuditLog::Pseudonym(std::string_view municipality_code,
                                std::string_view household_ref) const {
  if (household_ref.empty()) return {};
  std::string message;
  message.reserve(municipality_code.size() + 1 + household_ref.size());
  message.append(municipality_code).append("/").append(household_ref);
  return base::crypto::HmacSha256Hex(key_, message);
}

void AuditLog::Record(const AuditRecord& record) {
  // Ordered: every line reads time, request, who, what, which household, outcome.
  nlohmann::ordered_json line = {
      {"time", UtcTimestamp()},         {"request_id", record.request_id},
      {"caller", record.caller},        {"municipality", record.municipality},
      {"rpc", record.rpc},              {"household", record.household},
      {"outcome", record.outcome},      {"detail", record.detail},
  };
  // Invalid UTF-8 (a hostile certificate CN) is replaced, never allowed to throw.
  logger_->info(line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace ix::server
