#include "pg.hpp"

#include <ix/store/event_store.hpp>

#include <cstdlib>
#include <functional>
#include <utility>

namespace ix::store::pg {

namespace {
// libpq messages end with a newline.
std::string Trimmed(const char* message) {
  std::string m = message == nullptr ? "" : message;
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}
}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo, const std::string& shown) {
  std::unique_ptr<Connection> c(new Connection());
  c->shown_ = shown;
  // Defaults that bound the time a call can hang on an unreachable database; libpq's own are
  // "wait forever" (connect) and the kernel's two hours (keepalive). They come before the
  // location, which libpq expands in place: a parameter given there (…?connect_timeout=30)
  // overrides them, and so do libpq's environment variables (PGCONNECT_TIMEOUT), which apply only
  // to parameters not given here.
  std::vector<const char*> keys, values;
  if (std::getenv("PGCONNECT_TIMEOUT") == nullptr) {
    keys.push_back("connect_timeout");
    values.push_back("10");
  }
  for (const auto& [key, value] : {std::pair<const char*, const char*>{"keepalives_idle", "30"},
                                   {"keepalives_interval", "10"},
                                   {"keepalives_count", "3"}}) {
    keys.push_back(key);
    values.push_back(value);
  }
  keys.push_back("dbname");
  values.push_back(conninfo.c_str());
  keys.push_back(nullptr);
  values.push_back(nullptr);
  c->conn_ = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (c->conn_ == nullptr) return Status(StatusCode::kUnavailable, "store " + shown + ": out of memory");
  if (PQstatus(c->conn_) != CONNECTION_OK) {
    return Status(StatusCode::kUnavailable, "store " + shown + ": cannot connect: " + Trimmed(PQerrorMessage(c->conn_)));
  }
  // Quiet server notices (e.g. "relation already exists, skipping"): they are not ours to log.
  PQsetNoticeProcessor(c->conn_, [](void*, const char*) {}, nullptr);
  return c;
}

Connection::~Connection() { PQfinish(conn_); }

Status Connection::Error(const std::string& what) const {
  return Failed("store " + shown_ + ": " + what + ": " + Trimmed(PQerrorMessage(conn_)));
}

Status Connection::Failed(const std::string& message) const {
  // libpq does not reconnect by itself: a lost connection stays lost, and says so, so that the
  // caller opens the store again (ix-server does at the next call) instead of failing forever.
  if (PQstatus(conn_) == CONNECTION_BAD) {
    return Status(StatusCode::kUnavailable, message + " (the connection to PostgreSQL is lost)")
        .WithReason(kReasonDisconnected);
  }
  return Status(StatusCode::kInternal, message);
}

Status Connection::Exec(const char* sql) {
  ResultPtr r(PQexec(conn_, sql));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Failed("store " + shown_ + ": " + Trimmed(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_)));
  }
  return Status::Ok();
}

Status Connection::Prepare(const char* name, const char* sql) {
  ResultPtr r(PQprepare(conn_, name, sql, 0, nullptr));
  if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    return Failed("store " + shown_ + ": preparing " + name + ": " +
                  Trimmed(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_)));
  }
  return Status::Ok();
}

namespace {
std::vector<const char*> Pointers(const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}
}  // namespace

Result<ResultPtr> Connection::Run(const char* name, const Params& params) {
  const std::vector<const char*> values = Pointers(params);
  ResultPtr r(PQexecPrepared(conn_, name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Failed("store " + shown_ + ": " + name + ": " +
                  Trimmed(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_)));
  }
  return r;
}

Result<ResultPtr> Connection::RunOnce(const char* sql, const Params& params) {
  const std::vector<const char*> values = Pointers(params);
  ResultPtr r(PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Failed("store " + shown_ + ": " + Trimmed(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_)));
  }
  return r;
}

Status Connection::Stream(const char* name, const Params& params, const std::function<void(const PGresult*)>& row) {
  const std::vector<const char*> values = Pointers(params);
  if (PQsendQueryPrepared(conn_, name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0) != 1) {
    return Error(std::string("sending ") + name);
  }
  if (PQsetSingleRowMode(conn_) != 1) {
    // Drain so the connection stays usable, then report.
    while (ResultPtr r{PQgetResult(conn_)}) {
    }
    return Error(std::string("single-row mode for ") + name);
  }
  std::optional<std::string> failed;
  while (ResultPtr r{PQgetResult(conn_)}) {
    const ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_SINGLE_TUPLE) {
      if (!failed) row(r.get());
    } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && !failed) {
      failed = "store " + shown_ + ": " + name + ": " + Trimmed(PQresultErrorMessage(r.get()));
    }
  }
  // Judged once every result is read: only then has libpq seen a connection that the server
  // closed (its FATAL message comes first, the end of the stream after).
  return failed ? Failed(*failed) : Status::Ok();
}

Status Migrate(Connection& c, const char* component, const std::vector<const char*>& migrations, int* version_out) {
  const int target = static_cast<int>(migrations.size());
  if (Status s = c.Exec("BEGIN"); !s.ok()) return s;
  // One lock for every component's migrations in this database.
  Status s = c.Exec("SELECT pg_advisory_xact_lock(7345000001)");
  if (s.ok()) {
    s = c.Exec("CREATE TABLE IF NOT EXISTS ix_schema_version(component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
  }
  int version = 0;
  if (s.ok()) {
    auto r = c.RunOnce("SELECT version FROM ix_schema_version WHERE component = $1", {std::string(component)});
    if (!r.ok()) s = r.status();
    else if (PQntuples(r->get()) == 1) version = std::atoi(PQgetvalue(r->get(), 0, 0));
  }
  if (s.ok() && version > target) {
    s = Status(StatusCode::kFailedPrecondition, std::string(component) + " schema version " + std::to_string(version) +
                                                    " is newer than this build understands (" +
                                                    std::to_string(target) + ")");
  }
  for (; s.ok() && version < target; ++version) {
    s = c.Exec(migrations[static_cast<size_t>(version)]);
    if (s.ok()) {
      s = c.RunOnce("INSERT INTO ix_schema_version(component, version) VALUES($1, $2) "
                    "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                    {std::string(component), std::to_string(version + 1)})
              .status();
    }
    if (!s.ok()) {
      s = Status(s.code(), std::string(component) + ": migration to schema version " + std::to_string(version + 1) +
                               " failed: " + s.message());
    }
  }
  if (s.ok()) s = c.Exec("COMMIT");
  if (!s.ok()) {
    (void)c.Exec("ROLLBACK");
    return s;
  }
  *version_out = version;
  return Status::Ok();
}

std::string TextArray(const std::vector<std::optional<std::string>>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i != 0) out += ',';
    if (!values[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace ix::store::pg
