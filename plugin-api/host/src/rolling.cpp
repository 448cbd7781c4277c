#include <ix/host/rolling.hpp>

#include <spdlog/spdlog.h>

#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace ix::host {
namespace {

namespace fs = std::filesystem;

// Why `path` (the n-th file of a bundle) cannot be written below a bundle directory, or "".
std::string PathProblem(const std::string& path) {
  if (path.empty()) return "empty";
  if (path.size() > kMaxBundlePathBytes) {
    return std::to_string(path.size()) + " bytes, at most " + std::to_string(kMaxBundlePathBytes);
  }
  if (path.find('\0') != std::string::npos) return "contains a NUL byte";
  if (path.front() == '/') return "absolute (paths are relative to the bundle)";
  std::stringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part.empty() || part == "." || part == "..") {
      return "a component is '" + part + "' (paths are plain names separated by '/')";
    }
  }
  if (path.back() == '/') return "ends with '/'";
  return {};
}

std::string TooMany(size_t count) {
  return "bundle: " + std::to_string(count) + " files, at most " + std::to_string(kMaxBundleFiles);
}

std::string TooLarge(uint64_t bytes) {
  return "bundle: more than " + std::to_string(kMaxBundleBytes) + " bytes (" + std::to_string(bytes) +
         " so far)";
}

}  // namespace

Result<std::vector<BundleFile>> ReadBundleFiles(const fs::path& dir) {
  std::vector<BundleFile> files;
  uint64_t bytes = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string relative = path.lexically_relative(dir).generic_string();
    if (it->is_symlink(ec)) {
      return Status(StatusCode::kFailedPrecondition, path.string() + ": a symbolic link in a bundle");
    }
    if (it->is_directory(ec)) continue;
    if (!it->is_regular_file(ec)) {
      return Status(StatusCode::kFailedPrecondition, path.string() + ": not a regular file");
    }
    if (files.size() == kMaxBundleFiles) return Status(StatusCode::kResourceExhausted, TooMany(files.size() + 1));
    std::ifstream in(path, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return Status(StatusCode::kInternal, path.string() + ": cannot be read");
    bytes += content.size();
    if (bytes > kMaxBundleBytes) return Status(StatusCode::kResourceExhausted, TooLarge(bytes));
    const bool executable = (fs::status(path, ec).permissions() & fs::perms::owner_exec) != fs::perms::none;
    files.push_back({relative, std::move(content), executable});
  }
  if (ec) return Status(StatusCode::kInternal, dir.string() + ": " + ec.message());
  return files;
}

Status WriteBundleFiles(const std::vector<BundleFile>& files, const fs::path& dir) {
  if (files.size() > kMaxBundleFiles) return Status(StatusCode::kInvalidArgument, TooMany(files.size()));
  // A bundle has at least its manifest; without this an empty list would "succeed" and leave
  // no folder for the deploy to read.
  if (files.empty()) return Status(StatusCode::kInvalidArgument, "bundle: holds no files, at least the manifest");
  uint64_t bytes = 0;
  std::set<std::string> seen;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string field = "bundle file " + std::to_string(i + 1) + " path";
    if (std::string problem = PathProblem(files[i].path); !problem.empty()) {
      return Status(StatusCode::kInvalidArgument, field + ": " + problem);
    }
    if (!seen.insert(files[i].path).second) {
      return Status(StatusCode::kInvalidArgument, field + " '" + files[i].path + "': listed twice");
    }
    bytes += files[i].content.size();
    if (bytes > kMaxBundleBytes) return Status(StatusCode::kInvalidArgument, TooLarge(bytes));
  }
  std::error_code ec;
  if (fs::exists(dir, ec)) return Status(StatusCode::kInternal, dir.string() + ": already exists");
  for (const BundleFile& file : files) {
    const fs::path target = dir / file.path;
    fs::create_directories(target.parent_path(), ec);
    // A file written earlier may be a prefix of this one's folders ("a" and "a/b").
    if (ec || fs::is_symlink(target.parent_path())) {
      return Status(StatusCode::kInvalidArgument,
                    "bundle file '" + file.path + "': its folder cannot be created" + (ec ? ": " + ec.message() : ""));
    }
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(file.content.data(), static_cast<std::streamsize>(file.content.size()));
    out.close();
    if (!out) return Status(StatusCode::kInternal, target.string() + ": cannot be written");
    fs::permissions(target, file.executable ? fs::perms(0755) : fs::perms(0644), ec);
  }
  return Status::Ok();
}

RollingUpdates::RollingUpdates(PluginManager& manager, std::unique_ptr<SharedPluginState> shared,
                               Options options)
    : manager_(manager), shared_(std::move(shared)), options_(std::move(options)) {
  if (!options_.logger) options_.logger = spdlog::default_logger();
}

void RollingUpdates::Log(const std::string& action, const std::string& version, const std::string& detail) {
  options_.logger->info("plugin (replica {}) {}: {} {}", options_.replica_id, action, version, detail);
  if (Status s = shared_->Append({"", options_.replica_id, action, version, detail}); !s.ok()) {
    options_.logger->warn("plugin shared history: {}", s.message());
  }
}

Result<Publication> RollingUpdates::Publish(const Intent& current, std::string action, bool new_bundle) {
  Publication p;
  p.action = std::move(action);
  p.version = manager_.ActiveVersion();
  p.pins = manager_.Pins();
  p.high_water = manager_.HighWaterMark();
  if (!current.high_water.empty() && bundle::CompareVersions(current.high_water, p.high_water) > 0) {
    p.high_water = current.high_water;
  }
  // A pin changes nothing about the version: its bundle stays, unless nothing was published
  // for the version this replica serves.
  if (!new_bundle && current.seq != 0 && current.version == p.version) {
    p.bundle = Publication::Bundle::kKeep;
    return p;
  }
  const fs::path dir = manager_.DirectoryOf(p.version);
  if (dir.empty()) return p;  // the packaged plugin: every replica has its own
  auto files = ReadBundleFiles(dir);
  if (!files.ok()) return files.status();
  p.bundle = Publication::Bundle::kNew;
  p.files = std::move(*files);
  return p;
}

Result<std::string> RollingUpdates::Deploy(const fs::path& bundle_dir, bool allow_downgrade,
                                           DeployFailure* why) {
  std::lock_guard lock(mutex_);
  std::string deployed;
  auto changed = shared_->Change(options_.replica_id, [&](const Intent& current) -> Result<Publication> {
    // First what the others did, so that this deploy is checked against the shared mark.
    if (current.seq != followed_seq_) last_reason_ = Follow(current);
    followed_seq_ = current.seq;
    manager_.RaiseHighWaterMark(current.high_water);
    auto version = manager_.Deploy(bundle_dir, allow_downgrade, why);
    if (!version.ok()) return version.status();
    deployed = *version;
    auto p = Publish(current, "deploy", true);
    if (p.ok()) {
      p->allow_downgrade = allow_downgrade;
      p->detail = "deployed and self-tested through replica " + options_.replica_id;
    }
    return p;
  });
  if (!changed.ok()) {
    if (deployed.empty()) return changed.status();
    return Status(StatusCode::kInternal, deployed + " serves on replica " + options_.replica_id +
                                             " but could not be published to the other replicas: " +
                                             changed.status().message());
  }
  followed_seq_ = changed->seq;
  last_reason_.clear();
  ReportSelf(*changed, "");
  return deployed;
}

Result<std::string> RollingUpdates::Rollback() {
  std::lock_guard lock(mutex_);
  std::string target;
  auto changed = shared_->Change(options_.replica_id, [&](const Intent& current) -> Result<Publication> {
    if (current.seq != followed_seq_) last_reason_ = Follow(current);
    followed_seq_ = current.seq;
    if (!last_reason_.empty()) {
      return Status(StatusCode::kFailedPrecondition,
                    "replica " + options_.replica_id + " does not serve the intended version " + current.version +
                        " (" + last_reason_ + "): roll back through a replica that does");
    }
    auto rolled = manager_.Rollback();
    if (!rolled.ok()) return rolled.status();
    target = *rolled;
    auto p = Publish(current, "rollback", true);
    if (p.ok()) {
      p->allow_downgrade = true;  // a rollback is the operator's explicit step back
      p->detail = "rolled back through replica " + options_.replica_id;
    }
    return p;
  });
  if (!changed.ok()) {
    if (target.empty()) return changed.status();
    return Status(StatusCode::kInternal, target + " serves again on replica " + options_.replica_id +
                                             " but the rollback could not be published: " + changed.status().message());
  }
  followed_seq_ = changed->seq;
  last_reason_.clear();
  ReportSelf(*changed, "");
  return target;
}

Status RollingUpdates::Pin(const std::string& municipality, const std::string& version) {
  std::lock_guard lock(mutex_);
  auto changed = shared_->Change(options_.replica_id, [&](const Intent& current) -> Result<Publication> {
    if (current.seq != followed_seq_) last_reason_ = Follow(current);
    followed_seq_ = current.seq;
    if (Status s = manager_.Pin(municipality, version); !s.ok()) return s;
    auto p = Publish(current, "pin", false);
    if (p.ok()) p->detail = "municipality " + municipality + " pinned to " + version;
    return p;
  });
  if (!changed.ok()) return changed.status();
  followed_seq_ = changed->seq;
  ReportSelf(*changed, last_reason_);
  return Status::Ok();
}

Status RollingUpdates::Unpin(const std::string& municipality) {
  std::lock_guard lock(mutex_);
  auto changed = shared_->Change(options_.replica_id, [&](const Intent& current) -> Result<Publication> {
    if (current.seq != followed_seq_) last_reason_ = Follow(current);
    followed_seq_ = current.seq;
    if (Status s = manager_.Unpin(municipality); !s.ok()) return s;
    auto p = Publish(current, "unpin", false);
    if (p.ok()) p->detail = "municipality " + municipality + " unpinned";
    return p;
  });
  if (!changed.ok()) return changed.status();
  followed_seq_ = changed->seq;
  ReportSelf(*changed, last_reason_);
  return Status::Ok();
}

std::string RollingUpdates::Follow(const Intent& intent) {
  if (intent.seq == 0) return {};  // nothing published yet: what this replica serves stands
  manager_.RaiseHighWaterMark(intent.high_water);
  const std::string change = "change " + std::to_string(intent.seq) + " (" + intent.action + " through replica " +
                             intent.replica + ")";
  std::string reason;
  if (manager_.ActiveVersion() != intent.version) {
    if (manager_.IsLoaded(intent.version)) {
      if (auto switched = manager_.SwitchTo(intent.version, change); !switched.ok()) {
        reason = switched.status().message();
      }
    } else if (intent.bundle_id == 0) {
      reason = intent.version + " is not loaded on this replica and the shared state holds no bundle for it";
    } else if (auto files = shared_->Bundle(intent.bundle_id); !files.ok()) {
      reason = "reading the bundle of " + intent.version + ": " + files.status().message();
    } else {
      // Written out and verified like any bundle an operator hands this replica: its own keys,
      // its own self-test. Nothing another replica concluded is taken over.
      const fs::path dir = options_.staging_root / ("change-" + std::to_string(intent.seq));
      std::error_code ec;
      fs::remove_all(dir, ec);
      fs::create_directories(options_.staging_root, ec);
      if (Status written = WriteBundleFiles(*files, dir); !written.ok()) {
        reason = "the bundle of " + intent.version + " from the shared state: " + written.message();
      } else {
        DeployFailure why;
        auto deployed = manager_.Deploy(dir, intent.allow_downgrade || intent.action == "rollback", &why);
        if (!deployed.ok()) {
          reason = deployed.status().message();
        } else if (*deployed != intent.version) {
          reason = "the shared bundle holds " + *deployed + ", not the intended " + intent.version;
        }
      }
      fs::remove_all(dir, ec);
    }
  }
  if (reason.empty()) {
    const std::map<std::string, std::string> local = manager_.Pins();
    for (const auto& [municipality, version] : intent.pins) {
      auto it = local.find(municipality);
      if (it != local.end() && it->second == version) continue;
      if (Status s = manager_.Pin(municipality, version); !s.ok()) {
        reason += (reason.empty() ? "" : "; ") + ("pin " + municipality + ": " + s.message());
      }
    }
    for (const auto& [municipality, version] : local) {
      if (intent.pins.count(municipality) == 0) (void)manager_.Unpin(municipality);
    }
  }
  if (reason.empty()) {
    Log("follow", intent.version, change);
  } else {
    Log("follow-refused", intent.version, change + "; " + manager_.ActiveVersion() + " keeps serving: " + reason);
  }
  return reason;
}

void RollingUpdates::ReportSelf(const Intent& intent, const std::string& reason) {
  ReplicaReport report;
  report.replica = options_.replica_id;
  report.serving_version = manager_.ActiveVersion();
  report.intended_version = intent.seq == 0 ? report.serving_version : intent.version;
  report.seq = intent.seq;
  report.reason = reason;
  if (!reason.empty()) {
    report.state = "refused";
  } else if (report.serving_version != report.intended_version) {
    report.state = "diverged";
    report.reason = "it switched to " + report.serving_version + " on its own after change " +
                    std::to_string(intent.seq) + " (see its history, e.g. an automatic rollback)";
  } else {
    report.state = "serving";
  }
  if (Status s = shared_->Report(report); !s.ok()) {
    options_.logger->warn("plugin shared state: reporting replica {}: {}", options_.replica_id, s.message());
  }
}

Status RollingUpdates::Poll() {
  std::lock_guard lock(mutex_);
  auto intent = shared_->Read();
  if (!intent.ok()) return intent.status();
  if (intent->seq != followed_seq_) {
    last_reason_ = Follow(*intent);
    followed_seq_ = intent->seq;
  }
  ReportSelf(*intent, last_reason_);
  if (last_reason_.empty()) return Status::Ok();
  return Status(StatusCode::kFailedPrecondition, last_reason_);
}

Result<Intent> RollingUpdates::Intended() { return shared_->Read(); }

Result<std::vector<ReplicaReport>> RollingUpdates::Replicas() { return shared_->Replicas(); }

Result<std::vector<SharedEvent>> RollingUpdates::History(size_t limit) { return shared_->History(limit); }

}  // namespace ix::host
