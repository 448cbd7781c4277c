// The plugin state ix-server replicas share (ix/host/shared_state.hpp), in the PostgreSQL
// database that holds their event stores: the intended version with its signed bundle's
// files, the pins, the high-water mark, the history of changes and each replica's report.
// Versioned schema (ix_schema_version, component 'plugin_state'), fixed SQL with parameters
// only; changes serialised across replicas by a transaction-scoped advisory lock.
#ifndef IX_STORE_PG_PLUGIN_STATE_HPP
#define IX_STORE_PG_PLUGIN_STATE_HPP

#include <ix/base/status.hpp>
#include <ix/host/shared_state.hpp>

#include <memory>
#include <string>

namespace ix::store {

// `location`: postgresql://[user@]host[:port]/db[?options] (no password, no #fragment), as
// ix-server's store_postgresql. Connects and migrates; refuses what ParseStoreLocation refuses.
Result<std::unique_ptr<host::SharedPluginState>> OpenPgPluginState(const std::string& location);

}  // namespace ix::store

#endif  // IX_STORE_PG_PLUGIN_STATE_HPP
