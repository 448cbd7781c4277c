#include <ix/host/manager.hpp>

#include <ix/base/clock.hpp>
#include <ix/base/crypto.hpp>
#include <ix/base/file.hpp>
#include <ix/base/json.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace ix::host {
namespace {

namespace fs = std::filesystem;

// A string member of a JSON object, or "" (never throws on a hand-edited state file).
std::string Text(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return {};
  return object[key].get<std::string>();
}

// The state file: {"format", "state": {...}, "mac"}. The MAC covers the format and the exact
// serialisation of "state" (nlohmann::json sorts keys, so parsing and dumping again gives the
// same bytes).
constexpr const char* kStateFormat = "ix-plugin-state/2";
constexpr size_t kMinStateKeyBytes = 32;

std::string StateMac(std::string_view key, const nlohmann::json& state) {
  return base::crypto::HmacSha256Hex(key, std::string(kStateFormat) + "\n" + state.dump());
}

// A saved directory is a plain name of an entry directly below install_root: no separators,
// no "." or "..", not a symbolic link (which could point anywhere).
bool IsPlainName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// What a restore (first or retried) reports: OK, or `code` with every entry that could not be
// restored, "<prefix><what>: <why>; <what>: <why>".
Status RestoreOutcome(StatusCode code, std::string_view prefix, const std::vector<std::string>& failures) {
  if (failures.empty()) return Status::Ok();
  std::string message(prefix);
  for (size_t i = 0; i < failures.size(); ++i) message += (i == 0 ? "" : "; ") + failures[i];
  return Status(code, message);
}

}  // namespace

const char* PluginManager::ActionName(Activation why) {
  switch (why) {
    case Activation::kStart: return "start";
    case Activation::kDeploy: return "activate";
    case Activation::kRestore: return "restore";
    case Activation::kRollback: return "rollback";
    case Activation::kFollow: return "follow";
  }
  return "activate";
}

PluginManager::PluginManager(Options options) : options_(std::move(options)) {
  pinned_.store(std::make_shared<const std::map<std::string, std::shared_ptr<const PluginSession>>>());
}

void PluginManager::Record(std::string action, std::string version, std::string detail) {
  auto logger = options_.load.logger ? options_.load.logger : spdlog::default_logger();
  logger->info("plugin {}: {} {}", action, version, detail);
  history_.push_back({base::NowRfc3339(), std::move(action), std::move(version), std::move(detail)});
}

long PluginManager::FindLoaded(const std::string& version) const {
  for (long i = static_cast<long>(loaded_.size()) - 1; i >= 0; --i) {
    if (loaded_[static_cast<size_t>(i)].version == version) return i;
  }
  return -1;
}

void PluginManager::Activate(size_t index, Activation why, const std::string& detail) {
  active_.store(std::make_shared<const PluginVersion>(loaded_[index]));
  activation_order_.push_back(index);
  const std::string& version = loaded_[index].version;
  if (high_water_.empty() || bundle::CompareVersions(version, high_water_) > 0) high_water_ = version;
  // An operator's choice supersedes a saved active version still waiting to be restored.
  if (why == Activation::kDeploy || why == Activation::kRollback || why == Activation::kFollow) {
    pending_active_.reset();
  }
  Record(ActionName(why), loaded_[index].version, detail);
  // Start() must not overwrite the saved state: Restore() is about to read it.
  if (why != Activation::kStart) SaveState();
}

// {"format", "state": {"active": E, "pins": {"0181": E}, "high_water"}, "mac"} where E is
// {"directory": "<name below install_root>"} for a deployed bundle or {"started": "<version>"}
// for the started (packaged) plugin. Entries still waiting to be restored are saved as they
// were, so a transient failure never loses a deployment.
void PluginManager::SaveState() {
  if (options_.state_file.empty()) return;
  auto entry = [&](const PluginVersion& v) {
    if (v.directory.empty()) return nlohmann::json{{"started", v.version}};
    return nlohmann::json{{"directory", v.directory.filename().string()}};
  };
  nlohmann::json state{{"active", nullptr}, {"pins", nlohmann::json::object()}, {"high_water", high_water_}};
  if (pending_active_) {
    state["active"] = {{"directory", pending_active_->directory}};
  } else if (auto active = active_.load()) {
    state["active"] = entry(*active);
  }
  for (const auto& [municipality, version] : pins_) {
    const long i = FindLoaded(version);
    if (i >= 0) state["pins"][municipality] = entry(loaded_[static_cast<size_t>(i)]);
  }
  for (const auto& [municipality, pending] : pending_pins_) {
    state["pins"][municipality] = {{"directory", pending.directory}};
  }
  const nlohmann::json file{{"format", kStateFormat}, {"state", state}, {"mac", StateMac(options_.state_key, state)}};
  std::error_code ec;
  fs::create_directories(options_.state_file.parent_path(), ec);
  if (Status s = base::WriteFileAtomically(options_.state_file, file.dump(2) + "\n"); !s.ok()) {
    auto logger = options_.load.logger ? options_.load.logger : spdlog::default_logger();
    logger->error("plugin state: cannot save: {}", s.message());
  }
}

bundle::VerifyOptions PluginManager::VerifyOptionsFor(bool allow_downgrade) const {
  bundle::VerifyOptions verify;
  verify.trusted_keys = options_.trusted_keys;
  verify.host_abi_major = options_.load.abi_major;
  verify.host_min_minor = options_.load.min_minor;
  verify.host_max_minor = options_.load.max_minor;
  verify.allow_downgrade = allow_downgrade;
  return verify;
}

Result<size_t> PluginManager::LoadAndSelfTest(const fs::path& plugin_file, const fs::path& bundle_dir,
                                              const std::string& manifest_version,
                                              Rejection* rejection) {
  auto session = options_.loader ? options_.loader(plugin_file, options_.load)
                                 : LoadPlugin(plugin_file, options_.load);
  if (!session.ok()) {
    *rejection = {{DeployFailure::Kind::kLoadFailed}, session.status().message(), {}};
    return session.status();
  }
  auto shared = std::make_shared<const PluginSession>(std::move(session).value());
  const std::string reported(shared->version());
  // A bundle whose plugin reports another version than its signed manifest would make the
  // history, the pins and the downgrade check lie about what serves.
  if (!manifest_version.empty() && reported != manifest_version) {
    *rejection = {{DeployFailure::Kind::kVersionMismatch},
                  "the manifest says " + manifest_version + " but the plugin reports " + reported,
                  reported};
    return Status(StatusCode::kInvalidArgument, rejection->detail);
  }
  if (options_.self_test) {
    if (Status s = options_.self_test(*shared, bundle_dir); !s.ok()) {
      *rejection = {{DeployFailure::Kind::kSelfTestFailed}, s.message(), reported};
      return Status(StatusCode::kInternal, s.message());
    }
  }
  loaded_.push_back({reported, bundle_dir, shared});
  return loaded_.size() - 1;
}

Result<size_t> PluginManager::VerifyLoadAndSelfTest(const fs::path& dir,
                                                    const bundle::VerifyOptions& verify,
                                                    Rejection* rejection) {
  const bundle::Verification checked = bundle::Verify(dir, verify);
  if (!checked.ok()) {
    *rejection = {{DeployFailure::Kind::kRefused, checked.refusal}, checked.message, {}};
    return Status(StatusCode::kInvalidArgument, checked.message);
  }
  return LoadAndSelfTest(dir / checked.manifest.plugin_file, dir, checked.manifest.plugin_version,
                         rejection);
}

long PluginManager::RestoreEntry(const PendingEntry& entry, const std::string& started_version,
                                 bool is_active, std::vector<std::string>& failures) {
  const std::string what = is_active ? "active" : "pin " + entry.municipality;
  const fs::path dir = options_.install_root / entry.directory;
  // `final`: refused for good (recorded, dropped). Otherwise it may pass later: kept pending.
  auto fail = [&](const std::string& why, bool final) -> long {
    failures.push_back(what + ": " + why);
    Record(final ? "restore-failed" : "restore-pending", "", what + ": " + why);
    if (!final) {
      if (is_active) {
        pending_active_ = entry;
      } else {
        pending_pins_[entry.municipality] = entry;
      }
    }
    return -1;
  };
  if (!IsPlainName(entry.directory)) {
    return fail("directory '" + entry.directory + "' is not a version directory below " +
                    options_.install_root.string(), true);
  }
  for (size_t i = 0; i < loaded_.size(); ++i) {
    if (loaded_[i].directory == dir) return static_cast<long>(i);
  }
  std::error_code ec;
  if (fs::is_symlink(dir, ec)) return fail(dir.string() + ": a symbolic link, not an installed version", true);
  if (!fs::is_directory(dir, ec)) return fail(dir.string() + ": missing", false);
  // Verified again where it lies (downgrade allowed: it served before); its version is the
  // signed manifest's.
  const bundle::Verification checked = bundle::Verify(dir, VerifyOptionsFor(/*allow_downgrade=*/true));
  if (!checked.ok()) {
    const bool may_pass = checked.refusal == bundle::Refusal::kUnreadable ||
                          checked.refusal == bundle::Refusal::kMissingFile;
    return fail(dir.string() + ": " + bundle::RefusalName(checked.refusal) + ": " + checked.message, !may_pass);
  }
  const std::string& version = checked.manifest.plugin_version;
  if (is_active && bundle::CompareVersions(version, started_version) < 0) {
    Record("restore-skipped", version, "the started plugin " + started_version + " is newer (a package upgrade)");
    return -1;
  }
  Rejection rejection;
  auto index = LoadAndSelfTest(dir / checked.manifest.plugin_file, dir, version, &rejection);
  if (index.ok()) return static_cast<long>(*index);
  switch (rejection.failure.kind) {
    case DeployFailure::Kind::kVersionMismatch:
      return fail(dir.string() + ": " + rejection.detail, true);
    case DeployFailure::Kind::kSelfTestFailed:
      return fail(dir.string() + ": self-test failed: " + rejection.detail, false);
    default:
      return fail(index.status().message(), false);
  }
}

Status PluginManager::Restore() {
  std::lock_guard lock(mutex_);
  if (options_.state_file.empty() || !fs::exists(options_.state_file)) return Status::Ok();
  const auto started = active_.load();
  if (started == nullptr || activation_order_.empty()) {
    return Status(StatusCode::kInternal, "Restore() before Start()");
  }
  const std::string source = options_.state_file.string();
  const auto read = base::ReadJsonFile(options_.state_file);
  std::string refusal;
  if (!read.ok()) {
    refusal = read.status().message();
  } else if (!read->is_object() || Text(*read, "format") != kStateFormat || !read->contains("state") ||
             !(*read)["state"].is_object()) {
    refusal = std::string("not a state file of format ") + kStateFormat;
  } else if (!base::crypto::VerifyHmacSha256Hex(options_.state_key, std::string(kStateFormat) + "\n" + (*read)["state"].dump(),
                                                Text(*read, "mac"))) {
    refusal = "its MAC does not verify under this host's state key (forged, edited, or written with another key)";
  }
  if (!refusal.empty()) {
    // Nothing in it is used. It is kept beside for whoever investigates, and a fresh state
    // (what serves now) replaces it.
    const fs::path rejected = source + ".rejected";
    std::error_code ec;
    fs::rename(options_.state_file, rejected, ec);
    Record("restore-refused", "", source + ": " + refusal + (ec ? "" : "; set aside as " + rejected.string()));
    SaveState();
    return Status(StatusCode::kFailedPrecondition, source + ": not restored: " + refusal);
  }
  const nlohmann::json& state = (*read)["state"];
  if (const std::string saved = Text(state, "high_water");
      !saved.empty() && bundle::CompareVersions(saved, high_water_) > 0) {
    high_water_ = saved;
  }
  const size_t started_index = activation_order_.back();
  std::vector<std::string> failures;
  if (state.contains("active") && state["active"].is_object()) {
    const nlohmann::json& active = state["active"];
    // The started plugin saved as active: nothing to do (if it is another version now, a
    // package change brought it, and it serves).
    if (!active.contains("started")) {
      const long i = RestoreEntry({Text(active, "directory"), ""}, started->version, true, failures);
      if (i >= 0 && static_cast<size_t>(i) != started_index) {
        Activate(static_cast<size_t>(i), Activation::kRestore,
                 "from " + loaded_[static_cast<size_t>(i)].directory.string());
      }
    }
  }
  if (state.contains("pins") && state["pins"].is_object()) {
    for (const auto& [municipality, entry] : state["pins"].items()) {
      long i = -1;
      if (entry.is_object() && entry.contains("started")) {
        if (Text(entry, "started") == started->version) i = static_cast<long>(started_index);
      } else {
        i = RestoreEntry({Text(entry, "directory"), municipality}, started->version, false, failures);
      }
      if (i < 0) continue;
      pins_[municipality] = loaded_[static_cast<size_t>(i)].version;
      Record("pin", loaded_[static_cast<size_t>(i)].version, "municipality " + municipality + " (restored)");
    }
    PublishPins();
  }
  SaveState();
  return RestoreOutcome(StatusCode::kInvalidArgument, "not restored: ", failures);
}

Status PluginManager::RetryRestore() {
  std::lock_guard lock(mutex_);
  if (activation_order_.empty()) return Status(StatusCode::kInternal, "RetryRestore() before Start()");
  const std::string started_version = loaded_[activation_order_.front()].version;
  std::vector<std::string> failures;
  if (pending_active_) {
    const PendingEntry entry = *pending_active_;
    pending_active_.reset();
    const long i = RestoreEntry(entry, started_version, true, failures);
    if (i >= 0 && static_cast<size_t>(i) != activation_order_.back()) {
      Activate(static_cast<size_t>(i), Activation::kRestore,
               "from " + loaded_[static_cast<size_t>(i)].directory.string() + " (retried)");
    }
  }
  std::map<std::string, PendingEntry> pins;
  pins.swap(pending_pins_);
  for (const auto& [municipality, entry] : pins) {
    const long i = RestoreEntry(entry, started_version, false, failures);
    if (i < 0) continue;
    pins_[municipality] = loaded_[static_cast<size_t>(i)].version;
    Record("pin", loaded_[static_cast<size_t>(i)].version, "municipality " + municipality + " (restored, retried)");
  }
  PublishPins();
  SaveState();
  return RestoreOutcome(StatusCode::kUnavailable, "still not restored: ", failures);
}

bool PluginManager::RestorePending() const {
  std::lock_guard lock(mutex_);
  return pending_active_.has_value() || !pending_pins_.empty();
}

std::string PluginManager::HighWaterMark() const {
  std::lock_guard lock(mutex_);
  return high_water_;
}

void PluginManager::Prune() {
  if (options_.retain_versions == 0 || options_.install_root.empty() || activation_order_.empty()) return;
  std::set<fs::path> keep;
  const size_t current = activation_order_.back();
  keep.insert(loaded_[current].directory);
  for (auto it = activation_order_.rbegin(); it != activation_order_.rend(); ++it) {
    if (*it != current) {  // Rollback's target
      keep.insert(loaded_[*it].directory);
      break;
    }
  }
  for (const auto& [municipality, version] : pins_) {
    if (const long i = FindLoaded(version); i >= 0) keep.insert(loaded_[static_cast<size_t>(i)].directory);
  }
  if (pending_active_) keep.insert(options_.install_root / pending_active_->directory);
  for (const auto& [municipality, pending] : pending_pins_) keep.insert(options_.install_root / pending.directory);
  // Newest first: this run's activations, then what lies on disk from earlier runs by time.
  std::vector<fs::path> newest;
  for (auto it = activation_order_.rbegin(); it != activation_order_.rend(); ++it) {
    const fs::path& dir = loaded_[*it].directory;
    if (!dir.empty() && std::find(newest.begin(), newest.end(), dir) == newest.end()) newest.push_back(dir);
  }
  std::vector<std::pair<fs::file_time_type, fs::path>> older;
  std::vector<fs::path> leftovers;  // half-copied installs (*.partial) of an interrupted deploy
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(options_.install_root, ec)) {
    const fs::path& dir = item.path();
    if (item.is_symlink(ec) || !item.is_directory(ec)) continue;
    if (EndsWith(dir.filename().string(), ".partial")) {
      leftovers.push_back(dir);
    } else if (fs::exists(dir / bundle::kManifestFile, ec) &&
               std::find(newest.begin(), newest.end(), dir) == newest.end()) {
      older.emplace_back(fs::last_write_time(dir, ec), dir);
    }
  }
  std::sort(older.begin(), older.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [time, dir] : older) newest.push_back(dir);
  for (size_t i = options_.retain_versions; i < newest.size(); ++i) {
    if (keep.count(newest[i]) == 0) leftovers.push_back(newest[i]);
  }
  for (const fs::path& dir : leftovers) {
    fs::remove_all(dir, ec);
    if (ec) {
      Record("prune-failed", "", dir.string() + ": " + ec.message());
    } else {
      Record("prune", "", "removed " + dir.string() + " (keeping " + std::to_string(options_.retain_versions) + " versions)");
    }
  }
}

void PluginManager::PublishPins() {
  auto map = std::make_shared<std::map<std::string, std::shared_ptr<const PluginSession>>>();
  for (const auto& [municipality, version] : pins_) {
    const long i = FindLoaded(version);
    if (i >= 0) (*map)[municipality] = loaded_[static_cast<size_t>(i)].session;
  }
  pinned_.store(std::move(map));
}

Status PluginManager::Start(const fs::path& plugin) {
  std::lock_guard lock(mutex_);
  if (!options_.state_file.empty() && options_.state_key.size() < kMinStateKeyBytes) {
    return Status(StatusCode::kFailedPrecondition,
                  "plugin state " + options_.state_file.string() + ": the state key has " +
                      std::to_string(options_.state_key.size()) + " bytes, at least " +
                      std::to_string(kMinStateKeyBytes) + " are needed to authenticate it");
  }
  Rejection rejection;
  // The packaged plugin has no bundle and no manifest: it is trusted as installed by the
  // package, so only loading and the self-test apply.
  auto index = LoadAndSelfTest(plugin, {}, {}, &rejection);
  if (!index.ok()) {
    if (rejection.failure.kind == DeployFailure::Kind::kSelfTestFailed) {
      Record("self-test-failed", rejection.reported_version, rejection.detail);
      return Status(StatusCode::kInternal, plugin.string() + ": self-test failed: " + rejection.detail);
    }
    Record("refuse", "", index.status().message());
    return index.status();
  }
  Activate(*index, Activation::kStart, "from " + plugin.string());
  return Status::Ok();
}

Result<fs::path> PluginManager::InstallCopy(const fs::path& bundle_dir, const std::string& version) {
  std::error_code ec;
  fs::create_directories(options_.install_root, ec);
  if (ec) return Status(StatusCode::kInternal, options_.install_root.string() + ": " + ec.message());
  // A fresh directory for every install: a loaded file is never overwritten, even when the
  // same version is deployed again.
  fs::path target = options_.install_root / version;
  for (int n = 2; fs::exists(target); ++n) target = options_.install_root / (version + "-" + std::to_string(n));
  const fs::path staging = target.string() + ".partial";
  fs::remove_all(staging, ec);
  fs::copy(bundle_dir, staging, fs::copy_options::recursive, ec);
  if (ec) return Status(StatusCode::kInternal, "copying the bundle to " + staging.string() + ": " + ec.message());
  fs::rename(staging, target, ec);  // the directory appears whole or not at all
  if (ec) return Status(StatusCode::kInternal, "installing " + target.string() + ": " + ec.message());
  return target;
}

Result<std::string> PluginManager::Deploy(const fs::path& bundle_dir, bool allow_downgrade,
                                          DeployFailure* failure_out) {
  std::lock_guard lock(mutex_);
  DeployFailure ignored;
  DeployFailure& failure = failure_out != nullptr ? *failure_out : ignored;
  failure = {};
  bundle::VerifyOptions verify = VerifyOptionsFor(allow_downgrade);
  // Not below the highest version ever active, also after a rollback: a rollback is an
  // operator's explicit step back, not a licence to install older code.
  if (!high_water_.empty()) verify.running_version = high_water_;
  if (auto active = active_.load(); active && bundle::CompareVersions(active->version, high_water_) > 0) {
    verify.running_version = active->version;
  }
  const bundle::Verification checked = bundle::Verify(bundle_dir, verify);
  if (!checked.ok()) {
    Record("refuse", checked.manifest.plugin_version, std::string(bundle::RefusalName(checked.refusal)) + ": " + checked.message);
    failure = {DeployFailure::Kind::kRefused, checked.refusal};
    return Status(StatusCode::kInvalidArgument, std::string("bundle refused (") + bundle::RefusalName(checked.refusal) + "): " + checked.message);
  }
  const std::string version = checked.manifest.plugin_version;
  auto installed = InstallCopy(bundle_dir, version);
  if (!installed.ok()) {
    Record("refuse", version, installed.status().message());
    failure.kind = DeployFailure::Kind::kInstallFailed;
    return installed.status();
  }
  // What is loaded must be what was verified: the installed copy is verified again.
  Rejection rejection;
  auto index = VerifyLoadAndSelfTest(*installed, verify, &rejection);
  if (!index.ok()) {
    failure.kind = rejection.failure.kind;
    switch (rejection.failure.kind) {
      case DeployFailure::Kind::kRefused:  // the source verified, so the copy is the host's fault
        Record("refuse", version, "installed copy: " + rejection.detail);
        failure.kind = DeployFailure::Kind::kInstallFailed;
        return Status(StatusCode::kInternal, "installed copy failed verification: " + rejection.detail);
      case DeployFailure::Kind::kSelfTestFailed:
        Record("self-test-failed", version, rejection.detail);
        return Status(StatusCode::kInternal, "self-test of " + version + " failed, " +
                                                 ActiveVersionOrNone() + " keeps serving: " + rejection.detail);
      default:  // kLoadFailed, kVersionMismatch
        Record("refuse", version, rejection.detail);
        return index.status();
    }
  }
  Activate(*index, Activation::kDeploy,
           "signed by '" + checked.signer + "', installed in " + installed->string());
  PublishPins();
  Prune();
  return version;
}

Result<std::string> PluginManager::Rollback() {
  std::lock_guard lock(mutex_);
  if (activation_order_.size() < 2) {
    return Status(StatusCode::kNotFound, "no previous version to roll back to (active: " + ActiveVersionOrNone() + ")");
  }
  const size_t current = activation_order_.back();
  // The previous activation that is not the current one.
  size_t previous = current;
  for (auto it = activation_order_.rbegin(); it != activation_order_.rend(); ++it) {
    if (*it != current) {
      previous = *it;
      break;
    }
  }
  if (previous == current) return Status(StatusCode::kNotFound, "no previous version to roll back to");
  Activate(previous, Activation::kRollback, "from " + loaded_[current].version);
  return loaded_[previous].version;
}

Result<std::string> PluginManager::SwitchTo(const std::string& version, const std::string& detail) {
  std::lock_guard lock(mutex_);
  const long i = FindLoaded(version);
  if (i < 0) return FieldRefused(StatusCode::kNotFound, "version", version + " is not loaded");
  if (!activation_order_.empty() && activation_order_.back() == static_cast<size_t>(i)) return version;
  Activate(static_cast<size_t>(i), Activation::kFollow, detail);
  PublishPins();
  return version;
}

bool PluginManager::IsLoaded(const std::string& version) const {
  std::lock_guard lock(mutex_);
  return FindLoaded(version) >= 0;
}

fs::path PluginManager::DirectoryOf(const std::string& version) const {
  std::lock_guard lock(mutex_);
  const long i = FindLoaded(version);
  return i < 0 ? fs::path() : loaded_[static_cast<size_t>(i)].directory;
}

void PluginManager::RaiseHighWaterMark(const std::string& version) {
  std::lock_guard lock(mutex_);
  if (version.empty() || (!high_water_.empty() && bundle::CompareVersions(version, high_water_) <= 0)) return;
  high_water_ = version;
  SaveState();
}

Status PluginManager::Pin(const std::string& municipality, const std::string& version) {
  std::lock_guard lock(mutex_);
  if (municipality.empty()) return Status(StatusCode::kInvalidArgument, "municipality: empty");
  if (FindLoaded(version) < 0) {
    std::string known;
    for (const auto& v : loaded_) known += (known.empty() ? "" : ", ") + v.version;
    return FieldRefused(StatusCode::kNotFound, "version", version + " is not loaded (loaded: " + known + ")");
  }
  pins_[municipality] = version;
  pending_pins_.erase(municipality);
  PublishPins();
  Record("pin", version, "municipality " + municipality);
  SaveState();
  return Status::Ok();
}

Status PluginManager::Unpin(const std::string& municipality) {
  std::lock_guard lock(mutex_);
  if (pins_.erase(municipality) + pending_pins_.erase(municipality) == 0) {
    return FieldRefused(StatusCode::kNotFound, "municipality", municipality + " is not pinned");
  }
  PublishPins();
  Record("unpin", "", "municipality " + municipality);
  SaveState();
  return Status::Ok();
}

std::shared_ptr<const PluginSession> PluginManager::Active(const std::string& municipality) const {
  if (!municipality.empty()) {
    const auto pins = pinned_.load();
    if (auto it = pins->find(municipality); it != pins->end()) return it->second;
  }
  const auto active = active_.load();
  return active ? active->session : nullptr;
}

std::string PluginManager::ActiveVersionOrNone() const {
  const auto active = active_.load();
  return active ? active->version : std::string("(none)");
}

std::string PluginManager::ActiveVersion() const { return ActiveVersionOrNone(); }

std::vector<std::string> PluginManager::LoadedVersions() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> versions;
  for (const auto& v : loaded_) versions.push_back(v.version);
  return versions;
}

std::map<std::string, std::string> PluginManager::Pins() const {
  std::lock_guard lock(mutex_);
  return pins_;
}

std::vector<DeploymentEvent> PluginManager::History() const {
  std::lock_guard lock(mutex_);
  return history_;
}

}  // namespace ix::host
