// A small RAII wrapper over libpq for the PostgreSQL store backends: one connection, static SQL
// (Exec, for schema and transaction control only) and named prepared statements whose values
// travel as parameters — never spliced into SQL. Messages name the location without user info
// and never carry a password (libpq's own messages do not either).
#ifndef IX_STORE_SRC_PG_HPP
#define IX_STORE_SRC_PG_HPP

#include <ix/base/status.hpp>

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ix::store::pg {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Parameter values in text format; nullopt is SQL NULL.
using Params = std::vector<std::optional<std::string>>;

class Connection {
 public:
  // `conninfo`: a libpq URI or key=value string; `shown`: how messages name it.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo, const std::string& shown);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Static SQL without parameters (schema, BEGIN/COMMIT/ROLLBACK). Several statements allowed.
  Status Exec(const char* sql);
  // Prepares `sql` as `name` on this connection.
  Status Prepare(const char* name, const char* sql);
  // Runs a prepared statement; a result that is not a command or rows is an error.
  Result<ResultPtr> Run(const char* name, const Params& params);
  // Runs static SQL with parameters once, without keeping it prepared (migrations).
  Result<ResultPtr> RunOnce(const char* sql, const Params& params);
  // Sends a prepared statement and reads its rows one at a time (bounded memory):
  // `row` is called with each single-row result.
  Status Stream(const char* name, const Params& params, const std::function<void(const PGresult*)>& row);

  const std::string& shown() const { return shown_; }

 private:
  Connection() = default;
  Status Error(const std::string& what) const;
  // kInternal with `message`, or kUnavailable (kReasonDisconnected) when the connection is lost.
  Status Failed(const std::string& message) const;
  PGconn* conn_ = nullptr;
  std::string shown_;
};

// Brings `component`'s schema (a row of ix_schema_version) to migrations.size(): migration i
// brings it to version i + 1. All under one advisory lock, so replicas starting together
// migrate once; each step and its version commit together. A newer version than this build
// knows is refused. `version_out`: the version reached.
Status Migrate(Connection& c, const char* component, const std::vector<const char*>& migrations, int* version_out);

// Text of a value for Params.
inline std::optional<std::string> Value(int v) { return std::to_string(v); }
inline std::optional<std::string> Value(int64_t v) { return std::to_string(v); }
inline std::optional<std::string> Value(const std::optional<int>& v) {
  return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}

// A PostgreSQL array literal ("{…}") of text or integer values, for one parameter that carries
// a whole batch (unnest($n::text[])): elements quoted and escaped, NULL for nullopt.
std::string TextArray(const std::vector<std::optional<std::string>>& values);

}  // namespace ix::store::pg

#endif  // IX_STORE_SRC_PG_HPP
