#include <ix/server/audit.hpp>

#include <ix/base/clock.hpp>
#include <ix/base/crypto.hpp>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>
#include <vector>

namespace ix::server {

namespace fs = std::filesystem;

namespace {

const std::string kGenesis(64, '0');  // "prev" of the very first record
// Everything before it on a line is what the MAC covers.
constexpr std::string_view kMacField = ",\"mac\":\"";
// A domain for the chain's MACs, so that no MAC can ever equal a household pseudonym.
constexpr std::string_view kChainDomain = "ix-audit-chain/1\n";

std::string ChainMac(const std::string& key, std::string_view body) {
  std::string message(kChainDomain);
  message.append(body);
  return base::crypto::HmacSha256Hex(key, message);
}

fs::path Rotated(const fs::path& file, uint64_t n) {
  return fs::path(file.string() + "." + std::to_string(n));
}

// The highest N with file.N present (0: none), looking no further than the first gap.
uint64_t HighestRotated(const fs::path& file) {
  uint64_t n = 0;
  std::error_code ec;
  while (fs::exists(Rotated(file, n + 1), ec)) ++n;
  return n;
}

// The last complete line of a regular file ("" when empty). Records are bounded, so the tail
// holds several of them.
std::string LastLine(const fs::path& file) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const std::streamoff size = in.tellg();
  const std::streamoff from = size > 65536 ? size - 65536 : 0;
  in.seekg(from);
  std::string tail(static_cast<size_t>(size - from), '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  while (!tail.empty() && tail.back() == '\n') tail.pop_back();
  const auto newline = tail.rfind('\n');
  return newline == std::string::npos ? tail : tail.substr(newline + 1);
}

// A record line split into the part its MAC covers and the MAC; false when it has no MAC.
bool SplitRecord(std::string_view line, std::string_view* body, std::string_view* mac) {
  const auto at = line.rfind(kMacField);
  if (at == std::string_view::npos || line.size() != at + kMacField.size() + 64 + 2 ||
      line.substr(line.size() - 2) != "\"}") {
    return false;
  }
  *body = line.substr(0, at);
  *mac = line.substr(at + kMacField.size(), 64);
  return true;
}

Result<std::string> ReadKey(const fs::path& key_file) {
  std::ifstream in(key_file);
  std::string hex;
  if (!in || !(in >> hex)) {
    return Status(StatusCode::kNotFound, "audit key: cannot read '" + key_file.string() + "'");
  }
  std::string key;
  if (!base::crypto::FromHex(hex, 32, &key)) {
    return Status(StatusCode::kInvalidArgument,
                  "audit key: '" + key_file.string() + "' does not hold 64 hex digits");
  }
  return key;
}

fs::path KeyPath(const fs::path& file, const fs::path& key_file) {
  return key_file.empty() ? fs::path(file.string() + ".key") : key_file;
}

}  // namespace

std::string BoundAuditValue(std::string_view value) {
  if (value.size() <= kAuditValueLimit) return std::string(value);
  size_t keep = 64;
  // Never cut inside a UTF-8 sequence: back off over continuation bytes (10xxxxxx).
  while (keep > 0 && (static_cast<unsigned char>(value[keep]) & 0xC0) == 0x80) --keep;
  return std::string(value.substr(0, keep)) + "…[truncated: " + std::to_string(value.size()) +
         " bytes, sha256 " + base::crypto::Sha256Hex(value) + "]";
}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const fs::path& file, const fs::path& key_file,
                                                AuditOptions options) {
  if (sodium_init() < 0) return Status(StatusCode::kInternal, "libsodium could not initialise");
  std::unique_ptr<AuditLog> log(new AuditLog());
  auto key = base::crypto::LoadOrCreateSecretKey(KeyPath(file, key_file), 32, "audit key");
  if (!key.ok()) return key.status();
  log->key_ = std::move(*key);
  log->file_ = file;
  log->options_ = options;
  log->fd_ = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (log->fd_ < 0) {
    return Status(StatusCode::kNotFound, "audit_log: cannot open '" + file.string() +
                                             "' (" + std::strerror(errno) + ")");
  }
  struct stat st {};
  ::fstat(log->fd_, &st);
  log->regular_ = S_ISREG(st.st_mode);
  log->size_ = log->regular_ ? static_cast<uint64_t>(st.st_size) : 0;
  // Continue the chain: from the current file's last record, or the newest rotated file's.
  log->prev_ = kGenesis;
  if (log->regular_) {
    std::string last = LastLine(file);
    if (last.empty() && HighestRotated(file) > 0) last = LastLine(Rotated(file, 1));
    std::string_view body, mac;
    if (!last.empty() && SplitRecord(last, &body, &mac)) {
      const auto json = nlohmann::json::parse(std::string(body) + "}", nullptr, false);
      if (json.is_object() && json.contains("seq") && json["seq"].is_number_unsigned()) {
        log->seq_ = json["seq"].get<uint64_t>() + 1;
        log->prev_ = std::string(mac);
      }
    }
  }
  log->retry_ = std::thread([raw = log.get()] { raw->RetryLoop(); });
  return log;
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  retry_wakeup_.notify_all();
  if (retry_.joinable()) retry_.join();
  if (fd_ >= 0) ::close(fd_);
}

std::string AuditLog::Pseudonym(std::string_view municipality_code,
                                std::string_view household_ref) const {
  if (household_ref.empty()) return {};
  std::string message;
  message.reserve(municipality_code.size() + 1 + household_ref.size());
  message.append(municipality_code).append("/").append(household_ref);
  return base::crypto::HmacSha256Hex(key_, message);
}

void AuditLog::OnWritableChange(std::function<void(bool)> listener) {
  std::lock_guard lock(listener_mutex_);
  listener_ = std::move(listener);
}

void AuditLog::SetWritable(bool writable) {
  if (writable_.exchange(writable, std::memory_order_acq_rel) == writable) return;
  std::lock_guard lock(listener_mutex_);
  if (listener_) listener_(writable);
}

bool AuditLog::Record(const AuditRecord& record) {
  bool written;
  {
    std::lock_guard lock(mutex_);
    written = WriteLocked(record);
    if (!written) ++failed_records_;
  }
  if (!written) {
    SetWritable(false);
    retry_wakeup_.notify_all();
  }
  return written;
}

bool AuditLog::RotateLocked() {
  std::error_code ec;
  uint64_t highest = HighestRotated(file_);
  if (options_.keep_files > 0) {
    // Retention: the oldest files beyond the count go first, so the shift never exceeds it.
    for (; highest >= options_.keep_files; --highest) {
      fs::remove(Rotated(file_, highest), ec);
      if (ec) return false;
    }
  }
  for (uint64_t n = highest; n >= 1; --n) {
    fs::rename(Rotated(file_, n), Rotated(file_, n + 1), ec);
    if (ec) return false;
  }
  fs::rename(file_, Rotated(file_, 1), ec);
  if (ec) return false;
  const int fd = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  ::close(fd_);
  fd_ = fd;
  size_ = 0;
  return true;
}

bool AuditLog::WriteLocked(const AuditRecord& record) {
  // Ordered: every line reads sequence, time, request, who, what, which household, outcome,
  // then the chain. Invalid UTF-8 (a hostile certificate CN) is replaced, never thrown.
  const nlohmann::ordered_json fields = {
      {"seq", seq_},
      {"time", base::NowRfc3339(base::TimePrecision::kMilliseconds)},
      {"request_id", BoundAuditValue(record.request_id)},
      {"caller", BoundAuditValue(record.caller)},
      {"municipality", BoundAuditValue(record.municipality)},
      {"rpc", BoundAuditValue(record.rpc)},
      {"household", BoundAuditValue(record.household)},
      {"outcome", BoundAuditValue(record.outcome)},
      {"detail", BoundAuditValue(record.detail)},
      {"prev", prev_},
  };
  std::string line = fields.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  line.pop_back();  // the closing brace: the MAC follows inside the object
  const std::string mac = ChainMac(key_, line);
  line.append(kMacField).append(mac).append("\"}\n");

  if (regular_ && options_.rotate_bytes > 0 && size_ > 0 &&
      size_ + line.size() > options_.rotate_bytes && !RotateLocked()) {
    return false;
  }
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // Leave no torn record behind: the next record must follow a whole one.
      if (done > 0 && regular_) (void)::ftruncate(fd_, static_cast<off_t>(size_));
      return false;
    }
    done += static_cast<size_t>(n);
  }
  size_ += line.size();
  ++seq_;
  prev_ = mac;
  return true;
}

void AuditLog::RetryLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    retry_wakeup_.wait_for(lock, options_.retry_interval);
    if (stopping_ || writable_.load(std::memory_order_acquire)) continue;
    // The gap itself is a record: how many records were lost and how many calls refused.
    const AuditRecord gap{
        .request_id = "",
        .caller = "ix-server",
        .municipality = "",
        .rpc = "AuditLog",
        .household = "",
        .outcome = "RESUMED",
        .detail = "records_not_written=" + std::to_string(failed_records_) +
                  " calls_refused=" + std::to_string(refused_while_down_.load()),
    };
    if (WriteLocked(gap)) {
      failed_records_ = 0;
      refused_while_down_.store(0);
      lock.unlock();
      SetWritable(true);
      lock.lock();
    }
  }
}

Result<AuditVerification> VerifyAuditLog(const fs::path& file, const fs::path& key_file) {
  auto key = ReadKey(KeyPath(file, key_file));
  if (!key.ok()) return key.status();
  std::vector<fs::path> files;
  for (uint64_t n = HighestRotated(file); n >= 1; --n) files.push_back(Rotated(file, n));
  std::error_code ec;
  if (fs::exists(file, ec)) files.push_back(file);
  if (files.empty()) {
    return Status(StatusCode::kNotFound, "audit log: '" + file.string() + "' does not exist");
  }
  AuditVerification out;
  std::string prev;  // empty until the first record: the chain may start after deleted files
  uint64_t seq = 0;
  auto bad = [&out](const fs::path& f, uint64_t line, std::string problem) {
    out.ok = false;
    out.first_bad_file = f.string();
    out.first_bad_line = line;
    out.problem = std::move(problem);
    return out;
  };
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return Status(StatusCode::kNotFound, "audit log: cannot read '" + f.string() + "'");
    ++out.files;
    std::string line;
    uint64_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::string_view body, mac;
      if (!SplitRecord(line, &body, &mac)) return bad(f, number, "not a chained audit record");
      if (ChainMac(*key, body) != mac) {
        return bad(f, number, "its MAC does not match its contents (edited, or another key)");
      }
      const auto json = nlohmann::json::parse(std::string(body) + "}", nullptr, false);
      if (!json.is_object() || !json.contains("seq") || !json["seq"].is_number_unsigned() ||
          !json.contains("prev") || !json["prev"].is_string()) {
        return bad(f, number, "no seq or prev");
      }
      const uint64_t record_seq = json["seq"].get<uint64_t>();
      const std::string record_prev = json["prev"].get<std::string>();
      if (prev.empty()) {
        out.first_seq = record_seq;
        if (record_seq == 0 && record_prev != kGenesis) {
          return bad(f, number, "the first record does not start a chain");
        }
      } else if (record_prev != prev || record_seq != seq + 1) {
        return bad(f, number,
                   "the chain breaks here: expected seq " + std::to_string(seq + 1) +
                       " after the record before, found seq " + std::to_string(record_seq) +
                       (record_prev != prev ? " with another predecessor (a record before it "
                                              "was removed, inserted or moved)"
                                            : ""));
      }
      prev = std::string(mac);
      seq = record_seq;
      ++out.records;
    }
  }
  out.ok = true;
  return out;
}

int VerifyAuditCommand(const fs::path& file, const fs::path& key_file, std::ostream& out,
                       std::ostream& err) {
  auto result = VerifyAuditLog(file, key_file);
  if (!result.ok()) {
    err << "ix-server: " << result.status().message() << "\n";
    return 3;
  }
  if (!result->ok) {
    err << "ix-server: audit log NOT intact: " << result->first_bad_file << " line "
        << result->first_bad_line << ": " << result->problem << " (" << result->records
        << " record(s) before it verified)\n";
    return 6;
  }
  out << "audit log OK: " << result->records << " record(s) in " << result->files
      << " file(s), chain intact";
  if (result->first_seq > 0) {
    out << " from record " << result->first_seq << " (earlier files were removed by retention)";
  }
  out << "\n";
  return 0;
}

}  // namespace ix::server
