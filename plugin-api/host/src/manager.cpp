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

void PluginManager::Activate(size_t index, const std::string& action, const std::string& detail) {
  active_.store(std::make_shared<const PluginVersion>(loaded_[index]));
  activation_order_.push_back(index);
  Record(action, loaded_[index].version, detail);
  // Start() must not overwrite what Restore() is about to read.
  if (action != "start") SaveState();
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

Result<size_t> PluginManager::LoadInstalled(const fs::path& dir) {
  bundle::VerifyOptions verify = VerifyOptionsFor(/*allow_downgrade=*/true);  // it served before
  const bundle::Verification checked = bundle::Verify(dir, verify);
  if (!checked.ok()) {
    return Status(StatusCode::kInvalidArgument, dir.string() + ": " +
                                                    bundle::RefusalName(checked.refusal) + ": " +
                                                    checked.message);
  }
  auto session = LoadPlugin(dir / checked.manifest.plugin_file, options_.load);
  if (!session.ok()) return session.status();
  auto shared = std::make_shared<const PluginSession>(std::move(session).value());
  if (shared->version() != checked.manifest.plugin_version) {
    return Status(StatusCode::kInvalidArgument, dir.string() + ": the manifest says " +
                                                    checked.manifest.plugin_version +
                                                    " but the plugin reports " +
                                                    std::string(shared->version()));
  }
  if (options_.self_test) {
    if (Status s = options_.self_test(*shared, dir); !s.ok()) {
      return Status(StatusCode::kInternal, dir.string() + ": self-test failed: " + s.message());
    }
  }
  loaded_.push_back({checked.manifest.plugin_version, dir, shared});
  return loaded_.size() - 1;
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
    auto index = LoadInstalled(dir);
    if (!index.ok()) {
      failures.push_back(what + ": " + index.status().message());
      Record("restore-failed", Text(entry, "version"), index.status().message());
      return -1;
    }
    return static_cast<long>(*index);
  };
  if (state.contains("active") && state["active"].is_object()) {
    const std::string saved = Text(state["active"], "version");
    if (!Text(state["active"], "directory").empty() &&
        bundle::CompareVersions(saved, started->version) < 0) {
      Record("restore-skipped", saved,
             "the started plugin " + started->version + " is newer (a package upgrade)");
    } else if (const long i = load(state["active"], "active"); i >= 0 && i != started_index) {
      Activate(static_cast<size_t>(i), "restore", "from " + loaded_[static_cast<size_t>(i)].directory.string());
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
  auto session = LoadPlugin(plugin, options_.load);
  if (!session.ok()) {
    Record("refuse", "", session.status().message());
    return session.status();
  }
  auto shared = std::make_shared<const PluginSession>(std::move(session).value());
  if (options_.self_test) {
    if (Status s = options_.self_test(*shared, {}); !s.ok()) {
      Record("self-test-failed", std::string(shared->version()), s.message());
      return Status(StatusCode::kInternal, plugin.string() + ": self-test failed: " + s.message());
    }
  }
  loaded_.push_back({std::string(shared->version()), {}, shared});
  Activate(loaded_.size() - 1, "start", "from " + plugin.string());
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
  // What is loaded must be what was verified: check the installed copy too.
  const bundle::Verification copy = bundle::Verify(*installed, verify);
  if (!copy.ok()) {
    Record("refuse", version, "installed copy: " + copy.message);
    failure.kind = DeployFailure::Kind::kInstallFailed;
    return Status(StatusCode::kInternal, "installed copy failed verification: " + copy.message);
  }
  auto session = LoadPlugin(*installed / copy.manifest.plugin_file, options_.load);
  if (!session.ok()) {
    Record("refuse", version, session.status().message());
    failure.kind = DeployFailure::Kind::kLoadFailed;
    return session.status();
  }
  auto shared = std::make_shared<const PluginSession>(std::move(session).value());
  if (shared->version() != version) {
    const std::string why = "the manifest says " + version + " but the plugin reports " + std::string(shared->version());
    Record("refuse", version, why);
    failure.kind = DeployFailure::Kind::kVersionMismatch;
    return Status(StatusCode::kInvalidArgument, why);
  }
  if (options_.self_test) {
    if (Status s = options_.self_test(*shared, *installed); !s.ok()) {
      Record("self-test-failed", version, s.message());
      failure.kind = DeployFailure::Kind::kSelfTestFailed;
      return Status(StatusCode::kInternal, "self-test of " + version + " failed, " +
                                               ActiveVersionLocked() + " keeps serving: " + s.message());
    }
  }
  loaded_.push_back({version, *installed, shared});
  Activate(loaded_.size() - 1, "activate", "signed by '" + checked.signer + "', installed in " + installed->string());
  PublishPins();
  return version;
}

Result<std::string> PluginManager::Rollback() {
  std::lock_guard lock(mutex_);
  if (activation_order_.size() < 2) {
    return Status(StatusCode::kNotFound, "no previous version to roll back to (active: " + ActiveVersionLocked() + ")");
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
  Activate(previous, "rollback", "from " + loaded_[current].version);
  return loaded_[previous].version;
}

Status PluginManager::Pin(const std::string& municipality, const std::string& version) {
  std::lock_guard lock(mutex_);
  if (municipality.empty()) return Status(StatusCode::kInvalidArgument, "municipality: empty");
  if (FindLoaded(version) < 0) {
    std::string known;
    for (const auto& v : loaded_) known += (known.empty() ? "" : ", ") + v.version;
    return Status(StatusCode::kNotFound, "version: " + version + " is not loaded (loaded: " + known + ")");
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
    return Status(StatusCode::kNotFound, "municipality: " + municipality + " is not pinned");
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

std::string PluginManager::ActiveVersionLocked() const {
  const auto active = active_.load();
  return active ? active->version : std::string("(none)");
}

std::string PluginManager::ActiveVersion() const { return ActiveVersionLocked(); }

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
