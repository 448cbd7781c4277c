#include <ix/host/manager.hpp>

#include <ix/base/clock.hpp>
#include <ix/base/file.hpp>
#include <ix/base/json.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>


namespace ix::host {
namespace {

namespace fs = std::filesystem;

// A string member of a JSON object, or "" (never throws on a hand-edited state file).
std::string Text(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return {};
  return object[key].get<std::string>();
}

}  // namespace

const char* PluginManager::ActionName(Activation why) {
  switch (why) {
    case Activation::kStart: return "start";
    case Activation::kDeploy: return "activate";
    case Activation::kRestore: return "restore";
    case Activation::kRollback: return "rollback";
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
  Record(ActionName(why), loaded_[index].version, detail);
  // Start() must not overwrite the saved state: Restore() is about to read it.
  if (why != Activation::kStart) SaveState();
}

// {"active": {"version", "directory"}, "pins": {"0181": {"version", "directory"}}}; directory
// is empty for the started (packaged) plugin.
void PluginManager::SaveState() {
  if (options_.state_file.empty()) return;
  auto entry = [](const PluginVersion& v) {
    return nlohmann::json{{"version", v.version}, {"directory", v.directory.string()}};
  };
  nlohmann::json state{{"active", nullptr}, {"pins", nlohmann::json::object()}};
  if (auto active = active_.load()) state["active"] = entry(*active);
  for (const auto& [municipality, version] : pins_) {
    const long i = FindLoaded(version);
    if (i >= 0) state["pins"][municipality] = entry(loaded_[static_cast<size_t>(i)]);
  }
  std::error_code ec;
  fs::create_directories(options_.state_file.parent_path(), ec);
  if (Status s = base::WriteFileAtomically(options_.state_file, state.dump(2) + "\n"); !s.ok()) {
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

Status PluginManager::Restore() {
  std::lock_guard lock(mutex_);
  if (options_.state_file.empty() || !fs::exists(options_.state_file)) return Status::Ok();
  const auto read = base::ReadJsonFile(options_.state_file);
  const std::string source = options_.state_file.string();
  if (!read.ok() || !read->is_object()) {
    Record("restore-failed", "", source + ": not a state file");
    return read.ok() ? Status(StatusCode::kInvalidArgument, source + ": not a JSON object") : read.status();
  }
  const nlohmann::json& state = *read;
  const auto started = active_.load();
  if (started == nullptr || activation_order_.empty()) {
    return Status(StatusCode::kInternal, "Restore() before Start()");
  }
  const long started_index = static_cast<long>(activation_order_.back());
  std::vector<std::string> failures;
  // The saved directory, loaded once even when the active version and pins share it.
  auto load = [&](const nlohmann::json& entry, const std::string& what) -> long {
    const std::string dir = Text(entry, "directory");
    if (dir.empty()) {  // the started plugin, if it is still that version
      return Text(entry, "version") == started->version ? started_index : -1;
    }
    for (size_t i = 0; i < loaded_.size(); ++i) {
      if (loaded_[i].directory == dir) return static_cast<long>(i);
    }
    // Verified again where it lies (downgrade allowed: it served before), loaded, self-tested.
    Rejection rejection;
    auto index = VerifyLoadAndSelfTest(dir, VerifyOptionsFor(/*allow_downgrade=*/true), &rejection);
    if (index.ok()) return static_cast<long>(*index);
    std::string why;
    switch (rejection.failure.kind) {
      case DeployFailure::Kind::kRefused:
        why = dir + ": " + bundle::RefusalName(rejection.failure.refusal) + ": " + rejection.detail;
        break;
      case DeployFailure::Kind::kSelfTestFailed:
        why = dir + ": self-test failed: " + rejection.detail;
        break;
      case DeployFailure::Kind::kVersionMismatch:
        why = dir + ": " + rejection.detail;
        break;
      default:
        why = index.status().message();
    }
    failures.push_back(what + ": " + why);
    Record("restore-failed", Text(entry, "version"), why);
    return -1;
  };
  if (state.contains("active") && state["active"].is_object()) {
    const std::string saved = Text(state["active"], "version");
    if (!Text(state["active"], "directory").empty() &&
        bundle::CompareVersions(saved, started->version) < 0) {
      Record("restore-skipped", saved,
             "the started plugin " + started->version + " is newer (a package upgrade)");
    } else if (const long i = load(state["active"], "active"); i >= 0 && i != started_index) {
      Activate(static_cast<size_t>(i), Activation::kRestore, "from " + loaded_[static_cast<size_t>(i)].directory.string());
    }
  }
  if (state.contains("pins") && state["pins"].is_object()) {
    for (const auto& [municipality, entry] : state["pins"].items()) {
      const long i = load(entry, "pin " + municipality);
      if (i < 0) continue;
      pins_[municipality] = loaded_[static_cast<size_t>(i)].version;
      Record("pin", loaded_[static_cast<size_t>(i)].version, "municipality " + municipality + " (restored)");
    }
    PublishPins();
  }
  SaveState();
  if (failures.empty()) return Status::Ok();
  std::string message = "not restored: ";
  for (const auto& f : failures) message += (message.back() == ' ' ? "" : "; ") + f;
  return Status(StatusCode::kInvalidArgument, message);
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
  if (auto active = active_.load()) verify.running_version = active->version;
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

Status PluginManager::Pin(const std::string& municipality, const std::string& version) {
  std::lock_guard lock(mutex_);
  if (municipality.empty()) return Status(StatusCode::kInvalidArgument, "municipality: empty");
  if (FindLoaded(version) < 0) {
    std::string known;
    for (const auto& v : loaded_) known += (known.empty() ? "" : ", ") + v.version;
    return FieldRefused(StatusCode::kNotFound, "version", version + " is not loaded (loaded: " + known + ")");
  }
  pins_[municipality] = version;
  PublishPins();
  Record("pin", version, "municipality " + municipality);
  SaveState();
  return Status::Ok();
}

Status PluginManager::Unpin(const std::string& municipality) {
  std::lock_guard lock(mutex_);
  if (pins_.erase(municipality) == 0) {
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
