// Rolling plugin updates across replicas: one PluginManager per replica, one shared state
// (shared_state.hpp) for all of them.
//
// A change (deploy, rollback, pin, unpin) made through any replica runs under the shared
// state's lock: the replica applies it to its own manager first — a deploy is verified with its
// own publisher keys and self-tested as on a single server — and only when that succeeded is it
// published as the intended state, with the installed bundle's files. Changes through two
// replicas at the same moment are therefore serialised: the second sees the first's result
// (and its high-water mark) before it acts, and every replica ends with one intended version.
//
// Every replica polls the intended state (Poll, every follow interval). When it moved, the
// replica brings itself to the intended state (Follow): a version it has loaded is switched to
// at once; otherwise the bundle's files are written to a staging folder and go through the
// manager's Deploy — verified with THIS replica's keys (another replica's verification is never
// trusted), installed, loaded beside the running version, self-tested, switched without
// dropping a call. A replica that cannot (its keys refuse the signature, the self-test fails)
// keeps serving what it served and reports why; it tries again at the next change or restart.
// Each poll also reports the replica's id, serving version, state and reason (Replicas()).
#ifndef IX_HOST_ROLLING_HPP
#define IX_HOST_ROLLING_HPP

#include <ix/host/manager.hpp>
#include <ix/host/shared_state.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ix::host {

// The regular files below `dir` (a bundle directory), within the bounds of shared_state.hpp; a symbolic
// link or anything else is refused, naming it.
Result<std::vector<BundleFile>> ReadBundleFiles(const std::filesystem::path& dir);
// Writes `files` into the new directory `dir`. Every path must be relative, of plain names
// (no "", ".", ".."), within those bounds; the first that is not is refused, naming it.
Status WriteBundleFiles(const std::vector<BundleFile>& files, const std::filesystem::path& dir);

class RollingUpdates {
 public:
  struct Options {
    std::string replica_id;              // unique per replica (shown in status)
    std::filesystem::path staging_root;  // where shared bundles are written before Deploy
    std::shared_ptr<spdlog::logger> logger;
  };

  RollingUpdates(PluginManager& manager, std::unique_ptr<SharedPluginState> shared, Options options);

  // As PluginManager's, then published as the intended state (see above).
  Result<std::string> Deploy(const std::filesystem::path& bundle_dir, bool allow_downgrade,
                             DeployFailure* why);
  Result<std::string> Rollback();
  Status Pin(const std::string& municipality, const std::string& version);
  Status Unpin(const std::string& municipality);

  // Reads the intended state; when its change counter moved since the last Follow (or at the
  // first call), follows it. Then reports this replica. OK when this replica serves the
  // intended state; otherwise why not (the old version keeps serving).
  Status Poll();

  Result<Intent> Intended();
  Result<std::vector<ReplicaReport>> Replicas();
  Result<std::vector<SharedEvent>> History(size_t limit);
  const std::string& replica_id() const { return options_.replica_id; }
  std::string shown() const { return shared_->Shown(); }

 private:
  // Brings the manager to `intent`; returns why it could not (empty: it serves it).
  std::string Follow(const Intent& intent);
  // Reports this replica's serving version and `reason` (empty: serving the intended state).
  void ReportSelf(const Intent& intent, const std::string& reason);
  // The published form of the manager's current state after a local change.
  Result<Publication> Publish(const Intent& current, std::string action, bool new_bundle);
  void Log(const std::string& action, const std::string& version, const std::string& detail);

  PluginManager& manager_;
  std::unique_ptr<SharedPluginState> shared_;
  Options options_;
  std::mutex mutex_;            // one change or follow at a time in this replica
  int64_t followed_seq_ = -1;   // the change last acted on (-1: none yet)
  std::string last_reason_;     // why the last follow did not reach the intended state
};

}  // namespace ix::host

#endif  // IX_HOST_ROLLING_HPP
