// The import ledger: package ids seen, with their content hash (idempotent import).
#include <ix/adapters/exchange/exchange.hpp>
#include <ix/base/file.hpp>

#include <sstream>

namespace ix::adapters::exchange {
namespace {

// The first line of a ledger whose lines hold references, not package ids. Package ids never
// start with '#' (A–Z a–z 0–9 . _ : -), so the line cannot be mistaken for an entry; a file
// without it was written in clear and is rewritten with references at its next record.
constexpr std::string_view kReferencesHeader = "# ix exchange ledger: keyed references of package ids";

struct Entry {
  std::string id;  // a package id, or its reference
  std::string sha;
};

struct Lines {
  bool references = false;  // the file starts with kReferencesHeader
  std::vector<Entry> entries;
};

Result<Lines> ReadLedger(const std::filesystem::path& path) {
  Lines out;
  auto text = base::ReadFile(path);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return out;  // nothing imported yet
    return Status(StatusCode::kInternal, "cannot read the import ledger: " + text.status().message());
  }
  std::istringstream in(*text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line == kReferencesHeader) {
      out.references = true;
      continue;
    }
    std::istringstream fields(line);
    Entry entry;
    if (!(fields >> entry.id >> entry.sha)) {
      return Status(StatusCode::kInternal, path.string() + ":" + std::to_string(number) +
                                               ": not '<package id> <sha256>': the import ledger is damaged");
    }
    out.entries.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

Result<std::optional<std::string>> FileLedger::Find(const std::string& package_id) {
  auto lines = ReadLedger(path_);
  if (!lines.ok()) return lines.status();
  std::string key = package_id;
  if (reference_ && lines->references) {
    auto ref = reference_(package_id);
    if (!ref.ok()) return ref.status();
    key = std::move(*ref);
  }
  for (const Entry& entry : lines->entries) {
    if (entry.id == key) return std::optional<std::string>(entry.sha);
  }
  return std::optional<std::string>();
}

Status FileLedger::Record(const std::string& package_id, const std::string& content_sha256) {
  auto lines = ReadLedger(path_);
  if (!lines.ok()) return lines.status();
  // The whole ledger is written again, durably (temporary file, fsync, rename, fsync of the
  // folder): a crash leaves the old ledger or the new one, never a torn line. It holds one
  // short line per imported package.
  std::string text;
  const auto add = [&](const std::string& id, const std::string& sha) -> Status {
    std::string key = id;
    if (reference_) {
      auto ref = reference_(id);
      if (!ref.ok()) return ref.status();
      key = std::move(*ref);
    }
    text += key + ' ' + sha + '\n';
    return Status::Ok();
  };
  if (reference_) {
    text += std::string(kReferencesHeader) + '\n';
    for (const Entry& entry : lines->entries) {
      if (lines->references) {
        text += entry.id + ' ' + entry.sha + '\n';
      } else if (Status s = add(entry.id, entry.sha); !s.ok()) {  // a ledger written in clear
        return s;
      }
    }
  } else {
    if (lines->references) {  // a package id in clear does not go among references
      return Status(StatusCode::kFailedPrecondition,
                    path_.string() + ": this import ledger holds keyed references (ix-server's); "
                                     "only a ledger given the same key may record in it");
    }
    for (const Entry& entry : lines->entries) text += entry.id + ' ' + entry.sha + '\n';
  }
  if (Status s = add(package_id, content_sha256); !s.ok()) return s;
  base::WriteFileOptions options;
  options.mode = base::kOwnerOnly;
  options.keep_existing_mode = false;  // a ledger from before is tightened too
  if (Status s = base::WriteFileAtomically(path_, text, options); !s.ok()) {
    return Status(StatusCode::kInternal, "cannot record in the import ledger: " + s.message());
  }
  return Status::Ok();
}

Result<int64_t> FileLedger::Rekey(const std::function<Result<std::string>(const std::string&)>& move) {
  auto lines = ReadLedger(path_);
  if (!lines.ok()) return lines.status();
  if (!lines->references) return int64_t{0};  // package ids in clear carry no key
  std::string text = std::string(kReferencesHeader) + '\n';
  int64_t moved = 0;
  for (const Entry& entry : lines->entries) {
    auto next = move(entry.id);
    if (!next.ok()) return Status(next.status().code(), path_.string() + ": " + next.status().message());
    moved += *next != entry.id;
    text += *next + ' ' + entry.sha + '\n';
  }
  if (moved == 0) return moved;
  base::WriteFileOptions options;
  options.mode = base::kOwnerOnly;
  options.keep_existing_mode = false;
  if (Status s = base::WriteFileAtomically(path_, text, options); !s.ok()) {
    return Status(StatusCode::kInternal, "cannot rewrite the import ledger: " + s.message());
  }
  return moved;
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
