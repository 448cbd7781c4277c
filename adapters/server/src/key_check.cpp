#include "key_check.hpp"

#include <ix/base/crypto.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace ix::server {
namespace fs = std::filesystem;

namespace {

Status Refused(const std::string& key, const std::string& what) {
  return FieldRefused(StatusCode::kFailedPrecondition, key, what);
}

fs::path Absolute(const fs::path& p) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p).lexically_normal() : canonical;
}

// True when `inner` is `outer` or lies below it (both absolute, resolved).
bool Inside(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

// The folders that hold data: a copy of any of them must not carry a key.
std::vector<std::pair<std::string, fs::path>> DataFolders(const ServerConfig& config) {
  std::vector<std::pair<std::string, fs::path>> folders;
  if (!config.store_dir().empty()) folders.emplace_back("store_dir", Absolute(config.store_dir()));
  if (!config.updates().install_root().empty()) {
    folders.emplace_back("updates.install_root", Absolute(config.updates().install_root()));
  }
  folders.emplace_back("audit_log", Absolute(config.audit_log()).parent_path());
  // Under systemd, the unit's StateDirectory= (all of /var/lib/instrument-x, whatever the
  // configuration names inside it).
  if (const char* state = std::getenv("STATE_DIRECTORY"); state != nullptr && *state != '\0') {
    const std::string first = std::string(state).substr(0, std::string(state).find(':'));
    folders.emplace_back("StateDirectory", Absolute(first));
  }
  return folders;
}

Status CheckOutsideData(const ServerConfig& config, const std::string& key, const fs::path& path) {
  const fs::path resolved = Absolute(path);
  for (const auto& [data_key, folder] : DataFolders(config)) {
    if (Inside(resolved, folder)) {
      return Refused(key, "'" + resolved.string() + "' lies inside the state folder " + data_key + " ('" +
                              folder.string() + "'): a copy or backup of the state would carry the key that "
                              "reverses its pseudonyms; keep keys in their own folder (e.g. /etc/instrument-x/keys)");
    }
  }
  return Status::Ok();
}

// Key files an earlier release kept beside the data: the server does not start until they are
// moved (the Debian packages move them on upgrade).
Status CheckNoKeyLeftBesideData(const ServerConfig& config, const fs::path& key_dir, const fs::path& audit_key) {
  std::error_code ec;
  if (!config.store_dir().empty()) {
    for (const auto& entry : fs::directory_iterator(config.store_dir(), ec)) {
      const fs::path& p = entry.path();
      if (p.extension() == ".secret" || p.extension() == ".key") {
        return Refused("store_dir", "'" + p.string() + "' is a pseudonym key inside the state folder; move it to '" +
                                        (key_dir / (p.stem().string() + ".k1.key")).string() +
                                        "' (owner-only), then start again");
      }
    }
  }
  const fs::path old_audit_key = config.audit_log() + ".key";
  if (fs::exists(old_audit_key, ec) && Absolute(old_audit_key) != Absolute(audit_key)) {
    return Refused("audit_key_file", "'" + old_audit_key.string() +
                                         "' is an audit key beside the audit log; move it to '" +
                                         audit_key.string() + "' (owner-only), then start again");
  }
  return Status::Ok();
}

std::string Mode(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return "?";
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return mode;
}

}  // namespace

fs::path KeyDirOf(const ServerConfig& config) {
  if (!config.key_dir().empty()) return config.key_dir();
  const fs::path audit_folder = Absolute(config.audit_log()).parent_path();
  return audit_folder.parent_path() / (audit_folder.filename().string() + "-keys");
}

fs::path AuditKeyOf(const ServerConfig& config) {
  return config.audit_key_file().empty() ? KeyDirOf(config) / "audit.key" : fs::path(config.audit_key_file());
}

Result<KeyLocations> CheckKeyLocations(const ServerConfig& config) {
  KeyLocations keys;
  keys.key_dir = KeyDirOf(config);
  keys.audit_key = AuditKeyOf(config);
  if (Status s = CheckOutsideData(config, "key_dir", keys.key_dir); !s.ok()) return s;
  if (Status s = CheckOutsideData(config, "audit_key_file", keys.audit_key); !s.ok()) return s;

  std::error_code ec;
  if (!fs::exists(keys.key_dir, ec)) {
    fs::create_directories(keys.key_dir, ec);
    if (ec) return Refused("key_dir", "cannot create '" + keys.key_dir.string() + "': " + ec.message());
    fs::permissions(keys.key_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return Refused("key_dir", "cannot restrict '" + keys.key_dir.string() + "' to its owner: " + ec.message());
  }
  if (!fs::is_directory(keys.key_dir, ec)) {
    return Refused("key_dir", "'" + keys.key_dir.string() + "' is not a folder");
  }
  if ((fs::status(keys.key_dir, ec).permissions() & fs::perms::others_all) != fs::perms::none) {
    return Refused("key_dir", "'" + keys.key_dir.string() + "' has mode " + Mode(keys.key_dir) +
                                  ": others may list or enter it; allowed: no access for others (chmod o-rwx " +
                                  keys.key_dir.string() + ")");
  }
  // Every key there: one readable by others is refused before any is used.
  for (const auto& entry : fs::directory_iterator(keys.key_dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    if (Status s = base::crypto::CheckNotOthersAccessible(entry.path(), "key"); !s.ok()) {
      return Refused("key_dir", s.message());
    }
  }
  if (ec) return Refused("key_dir", "cannot list '" + keys.key_dir.string() + "': " + ec.message());
  if (fs::exists(keys.audit_key, ec)) {
    if (Status s = base::crypto::CheckNotOthersAccessible(keys.audit_key, "audit key"); !s.ok()) {
      return Refused("audit_key_file", s.message());
    }
  }
  if (Status s = CheckNoKeyLeftBesideData(config, keys.key_dir, keys.audit_key); !s.ok()) return s;
  return keys;
}

}  // namespace ix::server
