#include <ix/server/audit.hpp>

#include <ix/base/clock.hpp>
#include <ix/base/crypto.hpp>

#include <nlohmann/json.hpp>
#include <sodium.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>

namespace ix::server {

namespace fs = std::filesystem;

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const fs::path& file, const fs::path& key_file) {
  if (sodium_init() < 0) return Status(StatusCode::kInternal, "libsodium could not initialise");
  std::unique_ptr<AuditLog> log(new AuditLog());
  const fs::path key_path = key_file.empty() ? fs::path(file.string() + ".key") : key_file;
  auto key = base::crypto::LoadOrCreateSecretKey(key_path, 32, "audit key");
  if (!key.ok()) return key.status();
  log->key_ = std::move(*key);
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
      {"time", base::NowRfc3339(base::TimePrecision::kMilliseconds)},
      {"request_id", record.request_id},
      {"caller", record.caller},        {"municipality", record.municipality},
      {"rpc", record.rpc},              {"household", record.household},
      {"outcome", record.outcome},      {"detail", record.detail},
  };
  // Invalid UTF-8 (a hostile certificate CN) is replaced, never allowed to throw.
  logger_->info(line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace ix::server
