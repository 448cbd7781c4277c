// Plugin versions in a running host: install, verify, load side by side, self-test, switch,
// roll back, pin — without ever unloading or overwriting a loaded shared object.
//
// Life of an update (Deploy):
//   1. verify the signed bundle where it lies (bundle.hpp: signature, trusted key, hashes,
//      ABI range, no downgrade unless forced);
//   2. copy it into a NEW directory install_root/<version>[-n] (never over a loaded file),
//      and verify the copy again (what is loaded is what was verified);
//   3. load the copy beside the running version and run the self-test on it;
//   4. switch: new calls get the new session; calls already in flight keep the shared_ptr
//      of the session they started on, and its library stays mapped (RTLD_NODELETE).
// Any refusal or failed self-test leaves the running version serving. Every step is recorded in
// the history (and logged).
//
// Threading: Active() is lock-free (std::atomic<std::shared_ptr>) and may be called from any
// number of threads while Deploy/Rollback/Pin run; the mutating calls serialise among
// themselves.
#ifndef IX_HOST_MANAGER_HPP
#define IX_HOST_MANAGER_HPP

#include <ix/host/bundle.hpp>
#include <ix/host/loader.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ix::host {

// One loaded plugin version.
struct PluginVersion {
  std::string version;
  std::filesystem::path directory;  // where it was installed (empty for the initial plugin)
  std::shared_ptr<const PluginSession> session;
};

struct DeploymentEvent {
  std::string at;       // RFC 3339 UTC
  std::string action;   // start, deploy, activate, refuse, self-test-failed, rollback, pin, unpin
  std::string version;
  std::string detail;
};

// Why a Deploy failed, for callers that map it to their own errors (ix-server's reasons).
struct DeployFailure {
  enum class Kind {
    kNone,
    kRefused,         // verification: see `refusal`
    kVersionMismatch, // the plugin reports another version than its manifest
    kLoadFailed,      // the installed plugin did not load or negotiate
    kSelfTestFailed,  // loaded, but failed its golden cases
    kInstallFailed,   // copying or re-verifying the installed copy (the host's side)
  };
  Kind kind = Kind::kNone;
  bundle::Refusal refusal = bundle::Refusal::kNone;
};

class PluginManager {
 public:
  // Runs the golden cases of a freshly loaded version (bundle_dir is empty for the initial
  // plugin). A non-OK status keeps the running version.
  using SelfTest = std::function<Status(const PluginSession& session,
                                        const std::filesystem::path& bundle_dir)>;

  struct Options {
    std::filesystem::path install_root;       // versions are installed below it
    std::vector<bundle::TrustedKey> trusted_keys;
    LoadOptions load;
    SelfTest self_test;                        // optional
    // Where the active version, the pins and the high-water mark are saved (JSON, replaced
    // atomically) after every change, so Restore() can bring them back after a restart.
    // Empty: nothing is saved.
    std::filesystem::path state_file;
    // The key (at least 32 bytes) that authenticates the state file (HMAC-SHA-256). Required
    // with a state file: a state file is only as trustworthy as the host that wrote it, and
    // whoever can write the install root must not be able to choose what serves. Keep it
    // outside install_root.
    std::string state_key;
    // How many installed versions to keep below install_root; older ones are deleted after a
    // deploy. The active, the previous (Rollback's target), pinned versions and versions
    // waiting to be restored are always kept. 0: keep everything.
    size_t retain_versions = 0;
    // How a version is loaded. Empty: LoadPlugin, in this process. ix-server sets a loader that
    // serves the version from supervised worker processes (ix/isolation/pool.hpp).
    std::function<Result<PluginSession>(const std::filesystem::path& plugin, const LoadOptions& load)> loader;
  };

  explicit PluginManager(Options options);

  // Loads the initial (bundled) plugin and makes it active, after its self-test.
  Status Start(const std::filesystem::path& plugin);

  // After Start(): brings back what options.state_file saved — the active version, the pins
  // and the high-water mark. The file is trusted only when its MAC under options.state_key
  // verifies; a forged or unauthenticated file is set aside (renamed *.rejected) and nothing
  // in it is used. Each saved bundle must be a directory directly below install_root; it is
  // verified again where it lies (a key no longer trusted, a changed file: refused), its
  // version is taken from its signed manifest (never from the state file), then it is loaded
  // and self-tested. A saved active version older than the started plugin is not restored: a
  // package upgrade wins over an earlier deployment.
  // Refusals (signature, hashes, outside install_root) are final and recorded. A failure that
  // may pass (missing directory, load or self-test failure) keeps the entry in the saved
  // state and pending: RetryRestore() tries again. The started version serves meanwhile.
  // Returns an error naming each entry not restored. No state file: OK.
  Status Restore();

  // Tries again what Restore() left pending (see there). An entry is dropped instead when an
  // operator has acted on it since (a deploy or rollback for the active version, a pin or
  // unpin for that municipality). OK when nothing is pending any more.
  Status RetryRestore();
  bool RestorePending() const;

  // The highest version this host has ever activated (persisted with the state). Deploy
  // refuses anything older unless allow_downgrade, also after a rollback.
  std::string HighWaterMark() const;

  // Verifies, installs, loads, self-tests and activates a bundle. Returns the new version.
  // On failure, `why` (optional) says which step refused.
  Result<std::string> Deploy(const std::filesystem::path& bundle_dir, bool allow_downgrade = false,
                             DeployFailure* why = nullptr);

  // Makes the previously active version active again (instant: it is still loaded).
  Result<std::string> Rollback();

  // Makes an already loaded version active (it was verified and self-tested when it was
  // loaded), recorded as "follow" with `detail`: how a replica takes on a version that another
  // replica made the intended one (rolling.hpp). NOT_FOUND when it is not loaded here.
  Result<std::string> SwitchTo(const std::string& version, const std::string& detail);
  bool IsLoaded(const std::string& version) const;
  // Where a loaded version was installed (a signed bundle directory), or empty for the started
  // (packaged) plugin and for a version that is not loaded.
  std::filesystem::path DirectoryOf(const std::string& version) const;
  // Raises the high-water mark to `version` when it is higher (saved with the state): the mark
  // another replica reached holds here too. Never lowers it.
  void RaiseHighWaterMark(const std::string& version);

  // Serves `municipality` (kommunkod) with `version` regardless of the active one.
  Status Pin(const std::string& municipality, const std::string& version);
  Status Unpin(const std::string& municipality);

  // The session that serves a municipality now (its pin, else the active version).
  // Never null after a successful Start.
  std::shared_ptr<const PluginSession> Active(const std::string& municipality = {}) const;

  std::string ActiveVersion() const;
  std::vector<std::string> LoadedVersions() const;
  std::map<std::string, std::string> Pins() const;
  std::vector<DeploymentEvent> History() const;
  // How many publisher keys Deploy trusts (0: every bundle would be refused).
  size_t TrustedKeyCount() const { return options_.trusted_keys.size(); }

 private:
  // Why a version became the active one; each is recorded in the history under its own action
  // name ("start", "activate", "restore", "rollback", "follow").
  enum class Activation { kStart, kDeploy, kRestore, kRollback, kFollow };

  // Which step of the shared admission path turned a candidate down, with that step's own
  // words; callers phrase and record it for their situation (a start, a deploy, a restore).
  struct Rejection {
    DeployFailure failure;         // the step (kRefused carries the verifier's reason)
    std::string detail;            // the step's message, unprefixed
    std::string reported_version;  // what the loaded plugin said it is, when it got that far
  };

  void Record(std::string action, std::string version, std::string detail);
  Result<std::filesystem::path> InstallCopy(const std::filesystem::path& bundle_dir,
                                            const std::string& version);
  // The most recently loaded entry with this version, or -1.
  long FindLoaded(const std::string& version) const;
  static const char* ActionName(Activation why);
  void Activate(size_t index, Activation why, const std::string& detail);
  void PublishPins();
  void SaveState();  // options_.state_file; failures are logged, never fatal
  // A saved entry that could not be restored yet (Restore, RetryRestore).
  struct PendingEntry {
    std::string directory;     // a name below install_root
    std::string municipality;  // the pin's; empty for the active version
  };
  // One saved entry through verification, loading and the self-test: the index in loaded_,
  // or -1 with `failures` and the history told why; a failure that may pass is left pending.
  long RestoreEntry(const PendingEntry& entry, const std::string& started_version, bool is_active,
                    std::vector<std::string>& failures);
  // Deletes installed versions beyond options_.retain_versions (see there).
  void Prune();
  // The trusted keys and this host's ABI range (the running version is the caller's to set).
  bundle::VerifyOptions VerifyOptionsFor(bool allow_downgrade) const;

  // The one path by which any version becomes able to serve: load and negotiate the shared
  // object, check it is the version its manifest names (manifest_version; empty for the
  // packaged plugin, which has no manifest), run the self-test. On success the version is
  // appended to loaded_ (but not activated) and its index returned. Nothing is recorded here.
  Result<size_t> LoadAndSelfTest(const std::filesystem::path& plugin_file,
                                 const std::filesystem::path& bundle_dir,
                                 const std::string& manifest_version, Rejection* rejection);
  // A bundle directory through the same path, after verifying it where it lies (what is loaded
  // is what was verified): used for a freshly installed copy and for a restored installation.
  Result<size_t> VerifyLoadAndSelfTest(const std::filesystem::path& dir,
                                       const bundle::VerifyOptions& verify, Rejection* rejection);
  // The active version's number, or "(none)". Reads the atomic only, so it needs no lock and
  // is safe both under mutex_ and from readers.
  std::string ActiveVersionOrNone() const;

  Options options_;
  mutable std::mutex mutex_;  // serialises mutations and guards the containers below
  std::vector<PluginVersion> loaded_;  // every version ever loaded (never unloaded)
  std::vector<size_t> activation_order_;  // indexes into loaded_, oldest first (for Rollback)
  std::map<std::string, std::string> pins_;
  std::vector<DeploymentEvent> history_;
  std::string high_water_;  // highest version ever activated ("" before Start)
  std::optional<PendingEntry> pending_active_;
  std::map<std::string, PendingEntry> pending_pins_;  // municipality -> entry
  std::atomic<std::shared_ptr<const PluginVersion>> active_;
  std::atomic<std::shared_ptr<const std::map<std::string, std::shared_ptr<const PluginSession>>>> pinned_;
};

}  // namespace ix::host

#endif  // IX_HOST_MANAGER_HPP
