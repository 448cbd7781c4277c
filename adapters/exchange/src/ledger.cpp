// The import ledger: package ids seen, with their content hash (idempotent import).
#include <ix/adapters/exchange/exchange.hpp>

#include <fstream>
#include <sstream>

namespace ix::adapters::exchange {

Result<std::optional<std::string>> FileLedger::Find(const std::string& package_id) {
  std::ifstream in(path_);
  if (!in) {
    if (!std::filesystem::exists(path_)) return std::optional<std::string>();
    return Status(StatusCode::kNotFound, path_.string() + ": cannot read the import ledger");
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::istringstream fields(line);
    std::string id;
    std::string sha;
    if (!(fields >> id >> sha)) {
      return Status(StatusCode::kInvalidArgument,
                    path_.string() + ":" + std::to_string(number) + ": not '<package id> <sha256>'");
    }
    if (id == package_id) return std::optional<std::string>(sha);
  }
  return std::optional<std::string>();
}

Status FileLedger::Record(const std::string& package_id, const std::string& content_sha256) {
  std::ofstream out(path_, std::ios::app);
  out << package_id << ' ' << content_sha256 << '\n';
  out.flush();
  if (!out) return Status(StatusCode::kInternal, path_.string() + ": cannot append to the import ledger");
  return Status::Ok();
}

Result<std::optional<std::string>> MemoryLedger::Find(const std::string& package_id) {
  for (const auto& [id, sha] : entries_) {
    if (id == package_id) return std::optional<std::string>(sha);
  }
  return std::optional<std::string>();
}

Status MemoryLedger::Record(const std::string& package_id, const std::string& content_sha256) {
  entries_.emplace_back(package_id, content_sha256);
  return Status::Ok();
}

}  // namespace ix::adapters::exchange
