#include <ix/store/pg_plugin_state.hpp>

#include <ix/base/crypto.hpp>
#include <ix/store/event_store.hpp>

#include "pg.hpp"

#include <mutex>

namespace ix::store {
namespace {

// Never edit a released migration: append one.
constexpr const char* kMigrations[] = {
    // 1: the intended state (one row), pins, bundles, history, replicas.
    "CREATE TABLE ix_plugin_state("
    "  id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, action TEXT NOT NULL,"
    "  version TEXT NOT NULL, bundle_id BIGINT, allow_downgrade BOOLEAN NOT NULL,"
    "  high_water TEXT NOT NULL, replica TEXT NOT NULL, changed_at TIMESTAMPTZ NOT NULL);"
    "CREATE TABLE ix_plugin_pins(municipality TEXT PRIMARY KEY, version TEXT NOT NULL);"
    "CREATE TABLE ix_plugin_bundles(id BIGSERIAL PRIMARY KEY, version TEXT NOT NULL,"
    "  created_at TIMESTAMPTZ NOT NULL DEFAULT now());"
    "CREATE TABLE ix_plugin_bundle_files(bundle_id BIGINT NOT NULL REFERENCES ix_plugin_bundles(id)"
    "  ON DELETE CASCADE, path TEXT NOT NULL, executable BOOLEAN NOT NULL, content BYTEA NOT NULL,"
    "  PRIMARY KEY (bundle_id, path));"
    "CREATE TABLE ix_plugin_history(id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now(),"
    "  replica TEXT NOT NULL, action TEXT NOT NULL, version TEXT NOT NULL, detail TEXT NOT NULL);"
    "CREATE TABLE ix_plugin_replicas(replica TEXT PRIMARY KEY, serving_version TEXT NOT NULL,"
    "  intended_version TEXT NOT NULL, seq BIGINT NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL,"
    "  updated_at TIMESTAMPTZ NOT NULL);",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));
constexpr const char* kComponent = "plugin_state";
// The same lock as every component's migrations (pg_event_store.cpp): one migrator at a time.
constexpr const char* kMigrationLockSql = "SELECT pg_advisory_xact_lock(7345000001)";
// Changes of the plugin state, one at a time across every replica.
constexpr const char* kChangeLockSql = "SELECT pg_advisory_xact_lock(7345000017)";
// History rows kept (older ones are deleted as new ones arrive).
constexpr int kHistoryKept = 1000;
// Bundles kept besides the intended one (a rollback target's bundle stays available).
constexpr int kBundlesKept = 5;

#define IX_UTC(column) "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

constexpr std::pair<const char*, const char*> kStatements[] = {
    {"ps_version_get", "SELECT version FROM ix_schema_version WHERE component = $1"},
    {"ps_version_set",
     "INSERT INTO ix_schema_version(component, version) VALUES($1, $2) "
     "ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version"},
    {"ps_read",
     "SELECT seq, action, version, COALESCE(bundle_id, 0), allow_downgrade, high_water, replica "
     "FROM ix_plugin_state WHERE id = 1"},
    {"ps_pins", "SELECT municipality, version FROM ix_plugin_pins ORDER BY municipality"},
    {"ps_files", "SELECT path, executable, content FROM ix_plugin_bundle_files WHERE bundle_id = $1 ORDER BY path"},
    {"ps_bundle_add", "INSERT INTO ix_plugin_bundles(version) VALUES($1) RETURNING id"},
    {"ps_file_add",
     "INSERT INTO ix_plugin_bundle_files(bundle_id, path, executable, content) VALUES($1, $2, $3, $4::bytea)"},
    {"ps_write",
     "INSERT INTO ix_plugin_state(id, seq, action, version, bundle_id, allow_downgrade, high_water, replica, changed_at) "
     "VALUES(1, $1, $2, $3, NULLIF($4::bigint, 0), $5, $6, $7, now()) ON CONFLICT (id) DO UPDATE SET "
     "seq = EXCLUDED.seq, action = EXCLUDED.action, version = EXCLUDED.version, bundle_id = EXCLUDED.bundle_id, "
     "allow_downgrade = EXCLUDED.allow_downgrade, high_water = EXCLUDED.high_water, replica = EXCLUDED.replica, "
     "changed_at = EXCLUDED.changed_at"},
    {"ps_pins_clear", "DELETE FROM ix_plugin_pins"},
    {"ps_pin_add", "INSERT INTO ix_plugin_pins(municipality, version) VALUES($1, $2)"},
    {"ps_bundles_prune",
     "DELETE FROM ix_plugin_bundles WHERE id <> $1 AND id NOT IN "
     "(SELECT id FROM ix_plugin_bundles ORDER BY id DESC LIMIT $2)"},
    {"ps_report",
     "INSERT INTO ix_plugin_replicas(replica, serving_version, intended_version, seq, state, reason, updated_at) "
     "VALUES($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (replica) DO UPDATE SET "
     "serving_version = EXCLUDED.serving_version, intended_version = EXCLUDED.intended_version, "
     "seq = EXCLUDED.seq, state = EXCLUDED.state, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at"},
    {"ps_replicas",
     "SELECT replica, serving_version, intended_version, seq, state, reason, " IX_UTC("updated_at")
     " FROM ix_plugin_replicas ORDER BY replica"},
    {"ps_history_add", "INSERT INTO ix_plugin_history(replica, action, version, detail) VALUES($1, $2, $3, $4)"},
    {"ps_history_prune", "DELETE FROM ix_plugin_history WHERE id <= (SELECT max(id) FROM ix_plugin_history) - $1"},
    {"ps_history",
     "SELECT " IX_UTC("at") ", replica, action, version, detail FROM "
     "(SELECT * FROM ix_plugin_history ORDER BY id DESC LIMIT $1) h ORDER BY id"},
};

std::string Text(const PGresult* r, int row, int column) {
  return std::string(PQgetvalue(r, row, column), static_cast<size_t>(PQgetlength(r, row, column)));
}

int64_t Number(const PGresult* r, int row, int column) { return std::stoll(Text(r, row, column)); }

bool Flag(const PGresult* r, int row, int column) { return Text(r, row, column) == "t"; }

std::optional<std::string> Bool(bool b) { return std::string(b ? "true" : "false"); }

class PgPluginState final : public host::SharedPluginState {
 public:
  PgPluginState(std::string target, std::string shown) : target_(std::move(target)), shown_(std::move(shown)) {}

  std::string Shown() const override { return shown_; }

  Status Connect() {
    std::lock_guard lock(mutex_);
    auto c = Ensure();
    return c.ok() ? Status::Ok() : c.status();
  }

  Result<host::Intent> Read() override {
    std::lock_guard lock(mutex_);
    auto c = Ensure();
    if (!c.ok()) return c.status();
    return Watch(ReadIn(**c));
  }

  Result<std::vector<host::BundleFile>> Bundle(int64_t bundle_id) override {
    std::lock_guard lock(mutex_);
    auto c = Ensure();
    if (!c.ok()) return c.status();
    std::vector<host::BundleFile> files;
    uint64_t bytes = 0;
    Status problem = Status::Ok();
    Status s = (*c)->Stream("ps_files", {pg::Value(bundle_id)}, [&](const PGresult* r) {
      if (!problem.ok()) return;
      if (files.size() == host::kMaxBundleFiles) {
        problem = Status(StatusCode::kResourceExhausted, "bundle " + std::to_string(bundle_id) + ": more than " +
                                                             std::to_string(host::kMaxBundleFiles) + " files");
        return;
      }
      // bytea in text form: "\x" and two hex digits per byte.
      const std::string hex = Text(r, 0, 2);
      std::string content;
      if (hex.size() < 2 || hex.compare(0, 2, "\\x") != 0 ||
          !base::crypto::FromHex(std::string_view(hex).substr(2), (hex.size() - 2) / 2, &content)) {
        problem = Status(StatusCode::kDataLoss, "bundle " + std::to_string(bundle_id) + " file '" + Text(r, 0, 0) +
                                                    "': its content is not bytea hex");
        return;
      }
      bytes += content.size();
      if (bytes > host::kMaxBundleBytes) {
        problem = Status(StatusCode::kResourceExhausted, "bundle " + std::to_string(bundle_id) + ": more than " +
                                                             std::to_string(host::kMaxBundleBytes) + " bytes");
        return;
      }
      files.push_back({Text(r, 0, 0), std::move(content), Flag(r, 0, 1)});
    });
    if (!s.ok()) return Watch<std::vector<host::BundleFile>>(s);
    if (!problem.ok()) return problem;
    if (files.empty()) return Status(StatusCode::kNotFound, "bundle " + std::to_string(bundle_id) + ": no files (pruned?)");
    return files;
  }

  Result<host::Intent> Change(const std::string& replica,
                              const std::function<Result<host::Publication>(const host::Intent&)>& change) override {
    std::lock_guard lock(mutex_);
    auto c = Ensure();
    if (!c.ok()) return c.status();
    pg::Connection& db = **c;
    if (Status s = db.Exec("BEGIN"); !s.ok()) return Watch<host::Intent>(s);
    auto result = ChangeIn(db, replica, change);
    if (!result.ok()) {
      if (!db.Exec("ROLLBACK").ok()) c_.reset();
      return result;
    }
    if (Status s = db.Exec("COMMIT"); !s.ok()) return Watch<host::Intent>(s);
    return result;
  }

  Status Report(const host::ReplicaReport& r) override {
    return Run("ps_report", {r.replica, r.serving_version, r.intended_version, pg::Value(r.seq), r.state, r.reason});
  }

  Result<std::vector<host::ReplicaReport>> Replicas() override {
    std::lock_guard lock(mutex_);
    auto c = Ensure();
    if (!c.ok()) return c.status();
    auto r = (*c)->Run("ps_replicas", {});
    if (!r.ok()) return Watch<std::vector<host::ReplicaReport>>(r.status());
    std::vector<host::ReplicaReport> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      const PGresult* g = r->get();
      out.push_back({Text(g, i, 0), Text(g, i, 1), Text(g, i, 2), Number(g, i, 3), Text(g, i, 4), Text(g, i, 5),
                     Text(g, i, 6)});
    }
    return out;
  }

  Status Append(const host::SharedEvent& e) override {
    std::lock_guard lock(mutex_);
    auto c = Ensure();
    if (!c.ok()) return c.status();
    return AppendIn(**c, e);
  }

  Result<std::vector<host::SharedEvent>> History(size_t limit) override {
    std::lock_guard lock(mutex_);
    auto c = Ensure();
    if (!c.ok()) return c.status();
    auto r = (*c)->Run("ps_history", {pg::Value(static_cast<int64_t>(limit))});
    if (!r.ok()) return Watch<std::vector<host::SharedEvent>>(r.status());
    std::vector<host::SharedEvent> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      const PGresult* g = r->get();
      out.push_back({Text(g, i, 0), Text(g, i, 1), Text(g, i, 2), Text(g, i, 3), Text(g, i, 4)});
    }
    return out;
  }

 private:
  // The connection, opened (and the schema migrated, the statements prepared) when there is
  // none: after a failure the next call reconnects, so a database restart heals by itself.
  Result<pg::Connection*> Ensure() {
    if (c_) return c_.get();
    auto c = pg::Connection::Open(target_, shown_);
    if (!c.ok()) return c.status();
    if (Status s = Migrate(**c); !s.ok()) return Status(s.code(), "plugin state: " + s.message());
    c_ = std::move(*c);
    return c_.get();
  }

  // A failed statement may mean a broken connection: drop it, the next call reconnects.
  template <typename T = host::Intent>
  Result<T> Watch(Result<T> r) {
    if (!r.ok()) c_.reset();
    return r;
  }

  Status Run(const char* name, const pg::Params& params) {
    std::lock_guard lock(mutex_);
    auto c = Ensure();
    if (!c.ok()) return c.status();
    auto r = (*c)->Run(name, params);
    if (!r.ok()) c_.reset();
    return r.status();
  }

  Status Migrate(pg::Connection& c) {
    Status s = c.Exec("BEGIN");
    if (s.ok()) s = c.Exec(kMigrationLockSql);
    if (s.ok()) s = c.Exec("CREATE TABLE IF NOT EXISTS ix_schema_version(component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
    for (const auto& [name, sql] : kStatements) {
      if (!s.ok()) break;
      // Statements on tables a migration creates are prepared after it (below).
      if (std::string_view(name).starts_with("ps_version")) s = c.Prepare(name, sql);
    }
    int version = 0;
    if (s.ok()) {
      auto r = c.Run("ps_version_get", {kComponent});
      if (!r.ok()) {
        s = r.status();
      } else if (PQntuples(r->get()) == 1) {
        version = static_cast<int>(Number(r->get(), 0, 0));
      }
    }
    if (s.ok() && version > kSchemaVersion) {
      s = Status(StatusCode::kFailedPrecondition, "schema version " + std::to_string(version) +
                                                      " is newer than this build understands (" +
                                                      std::to_string(kSchemaVersion) + ")");
    }
    for (; s.ok() && version < kSchemaVersion; ++version) {
      s = c.Exec(kMigrations[version]);
      if (s.ok()) s = c.Run("ps_version_set", {kComponent, std::to_string(version + 1)}).status();
    }
    if (s.ok()) s = c.Exec("COMMIT");
    if (!s.ok()) {
      (void)c.Exec("ROLLBACK");
      return s;
    }
    for (const auto& [name, sql] : kStatements) {
      if (std::string_view(name).starts_with("ps_version")) continue;
      if (Status p = c.Prepare(name, sql); !p.ok()) return p;
    }
    return Status::Ok();
  }

  Result<host::Intent> ReadIn(pg::Connection& c) {
    host::Intent intent;
    auto r = c.Run("ps_read", {});
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 1) {
      const PGresult* g = r->get();
      intent.seq = Number(g, 0, 0);
      intent.action = Text(g, 0, 1);
      intent.version = Text(g, 0, 2);
      intent.bundle_id = Number(g, 0, 3);
      intent.allow_downgrade = Flag(g, 0, 4);
      intent.high_water = Text(g, 0, 5);
      intent.replica = Text(g, 0, 6);
    }
    auto pins = c.Run("ps_pins", {});
    if (!pins.ok()) return pins.status();
    for (int i = 0; i < PQntuples(pins->get()); ++i) {
      intent.pins[Text(pins->get(), i, 0)] = Text(pins->get(), i, 1);
    }
    return intent;
  }

  Status AppendIn(pg::Connection& c, const host::SharedEvent& e) {
    auto r = c.Run("ps_history_add", {e.replica, e.action, e.version, e.detail});
    if (r.ok()) r = c.Run("ps_history_prune", {pg::Value(kHistoryKept)});
    if (!r.ok()) c_.reset();
    return r.status();
  }

  Result<host::Intent> ChangeIn(pg::Connection& db, const std::string& replica,
                                const std::function<Result<host::Publication>(const host::Intent&)>& change) {
    if (Status s = db.Exec(kChangeLockSql); !s.ok()) return s;
    auto current = ReadIn(db);
    if (!current.ok()) return current.status();
    auto published = change(*current);
    if (!published.ok()) return published.status();
    const host::Publication& p = *published;
    host::Intent next;
    next.seq = current->seq + 1;
    next.action = p.action;
    next.version = p.version;
    next.allow_downgrade = p.allow_downgrade;
    next.high_water = p.high_water;
    next.pins = p.pins;
    next.replica = replica;
    if (p.bundle == host::Publication::Bundle::kKeep) next.bundle_id = current->bundle_id;
    if (p.bundle == host::Publication::Bundle::kNew) {
      auto id = db.Run("ps_bundle_add", {p.version});
      if (!id.ok()) return id.status();
      next.bundle_id = Number(id->get(), 0, 0);
      for (const host::BundleFile& f : p.files) {
        auto added = db.Run("ps_file_add", {pg::Value(next.bundle_id), f.path, Bool(f.executable),
                                            "\\x" + base::crypto::ToHex(f.content)});
        if (!added.ok()) return added.status();
      }
    }
    auto wrote = db.Run("ps_write", {pg::Value(next.seq), next.action, next.version, pg::Value(next.bundle_id),
                                     Bool(next.allow_downgrade), next.high_water, replica});
    if (wrote.ok()) wrote = db.Run("ps_pins_clear", {});
    for (const auto& [municipality, version] : next.pins) {
      if (wrote.ok()) wrote = db.Run("ps_pin_add", {municipality, version});
    }
    if (wrote.ok()) wrote = db.Run("ps_bundles_prune", {pg::Value(next.bundle_id), pg::Value(kBundlesKept)});
    if (!wrote.ok()) return wrote.status();
    if (Status s = AppendIn(db, {"", replica, p.action, p.version, p.detail}); !s.ok()) return s;
    return next;
  }

  std::string target_;
  std::string shown_;
  // One connection; the lock is recursive because a change's callback may read a bundle or
  // append history on the same connection, inside the change's transaction.
  std::recursive_mutex mutex_;
  std::unique_ptr<pg::Connection> c_;
};

}  // namespace

Result<std::unique_ptr<host::SharedPluginState>> OpenPgPluginState(const std::string& location) {
  // The same refusals as an event store location (a password in it, no PostgreSQL URI); the
  // fragment only satisfies the parser.
  auto where = ParseStoreLocation(location + "#plugin_state");
  if (!where.ok()) return where.status();
  if (where->backend != StoreLocation::Backend::kPostgresql) {
    return Status(StatusCode::kInvalidArgument, "plugin state: '" + location + "' is not a postgresql:// location");
  }
  auto state = std::make_unique<PgPluginState>(where->target, DescribeStoreLocation(where->target));
  if (Status s = state->Connect(); !s.ok()) return s;
  return std::unique_ptr<host::SharedPluginState>(std::move(state));
}

}  // namespace ix::store
