// The two event store backends, as EventStore::Open and KeyIdOf reach them.
#ifndef IX_STORE_SRC_BACKENDS_HPP
#define IX_STORE_SRC_BACKENDS_HPP

#include <ix/store/event_store.hpp>

#include <memory>
#include <string>

namespace ix::store::backends {

Result<std::unique_ptr<EventStore>> OpenSqlite(const std::string& path, std::string secret, int key_id);
Result<int> SqliteKeyIdOf(const std::string& path);
Result<std::unique_ptr<EventStore>> OpenPostgresql(const StoreLocation& where, std::string secret, int key_id);
Result<int> PostgresqlKeyIdOf(const StoreLocation& where);

}  // namespace ix::store::backends

#endif  // IX_STORE_SRC_BACKENDS_HPP
