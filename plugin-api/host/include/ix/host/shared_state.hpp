// The plugin state several hosts (ix-server replicas) share: which version every replica should
// serve (the intended version, with the signed bundle's files so that a replica that never saw
// it can install it), the pins, the high-water mark, a history of changes, and what each
// replica reports it serves. The host library only knows this interface; the PostgreSQL
// implementation lives with the store (adapters/store, ix/store/pg_plugin_state.hpp), so the
// host library never links a database client.
//
// Nothing read from the shared state is trusted as verified: a replica verifies a bundle it
// gets from here with its own publisher keys, exactly as a bundle an operator hands it
// (rolling.hpp).
#ifndef IX_HOST_SHARED_STATE_HPP
#define IX_HOST_SHARED_STATE_HPP

#include <ix/base/status.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ix::host {

// Bounds on a bundle in the shared state (what is read from it is input like any other).
inline constexpr size_t kMaxBundleFiles = 1024;
inline constexpr uint64_t kMaxBundleBytes = 512ull << 20;
inline constexpr size_t kMaxBundlePathBytes = 255;

// One file of a bundle directory: its path relative to the bundle, its bytes, whether it is
// executable (the plugin's shared object keeps its mode).
struct BundleFile {
  std::string path;
  std::string content;
  bool executable = false;
};

// The intended state, as the last change left it.
struct Intent {
  int64_t seq = 0;              // the change counter; 0: nothing published yet
  std::string action;           // what the last change was: deploy, rollback, pin, unpin
  std::string version;          // the version every replica should serve
  int64_t bundle_id = 0;        // its bundle's files (Bundle()); 0: none (the packaged plugin)
  bool allow_downgrade = false; // the deploy was allowed below the high-water mark
  std::string high_water;       // the highest version ever intended
  std::map<std::string, std::string> pins;  // kommunkod -> version
  std::string replica;          // the replica that made the change
};

// What a change publishes (Change()).
struct Publication {
  std::string action;
  std::string version;
  bool allow_downgrade = false;
  std::string high_water;
  std::map<std::string, std::string> pins;
  // kNew: store `files` as the intended version's bundle; kKeep: the current intent's bundle
  // stays (a pin changes nothing about the version); kNone: no bundle (the packaged plugin).
  enum class Bundle { kNone, kKeep, kNew } bundle = Bundle::kNone;
  std::vector<BundleFile> files;
  std::string detail;  // for the shared history
};

// What one replica last reported.
struct ReplicaReport {
  std::string replica;
  std::string serving_version;
  std::string intended_version;
  int64_t seq = 0;      // the change it last acted on
  std::string state;    // "serving" (the intended version), "refused" (kept the old one), …
  std::string reason;   // why it does not serve the intended version; empty when it does
  std::string updated_at;  // RFC 3339 UTC, the database's clock
};

struct SharedEvent {
  std::string at;  // RFC 3339 UTC
  std::string replica;
  std::string action;
  std::string version;
  std::string detail;
};

class SharedPluginState {
 public:
  virtual ~SharedPluginState() = default;
  // Where it is, for logs and messages (no user info or password).
  virtual std::string Shown() const = 0;
  // The intended state (what a replica polls: one small row and the pins, never the bundle).
  virtual Result<Intent> Read() = 0;
  // The files of a bundle published with a change.
  virtual Result<std::vector<BundleFile>> Bundle(int64_t bundle_id) = 0;
  // Serialises changes across every replica: `change` runs while this replica holds the
  // shared state's lock, sees the current intent and returns what to publish; an error from it
  // publishes nothing. Other calls on this object from within `change` are allowed.
  virtual Result<Intent> Change(const std::string& replica,
                                const std::function<Result<Publication>(const Intent& current)>& change) = 0;
  virtual Status Report(const ReplicaReport& report) = 0;
  virtual Result<std::vector<ReplicaReport>> Replicas() = 0;
  virtual Status Append(const SharedEvent& event) = 0;
  // The newest `limit` events, oldest first.
  virtual Result<std::vector<SharedEvent>> History(size_t limit) = 0;
};

}  // namespace ix::host

#endif  // IX_HOST_SHARED_STATE_HPP
