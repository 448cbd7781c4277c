// Records the events the plugin returns (assessments, plans, follow-ups) in the event store
// (adapters/store, SQLite) — one store file per municipality, so one municipality's data is
// physically apart from another's, each with its own pseudonym secret. Built only when the
// ix_store library is part of the build (IX_SERVER_WITH_STORE).
#ifndef IX_SERVER_EVENT_RECORDER_HPP
#define IX_SERVER_EVENT_RECORDER_HPP

#include <ix/base/status.hpp>

#include "ix/v1/events.pb.h"

#include <google/protobuf/repeated_ptr_field.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ix::store {
class EventStore;
}

namespace ix::server {

class EventRecorder {
 public:
  // Uses `dir` (created with mode 0700) for <kommunkod>.sqlite, and `key_dir` for the
  // municipality's pseudonym keys <kommunkod>.k<id>.key (ix/store/keys.hpp; k1 is created 0600
  // on first use; keep it, or pseudonyms change).
  static Result<std::unique_ptr<EventRecorder>> Open(const std::filesystem::path& dir,
                                                     const std::filesystem::path& key_dir);
  // The same with the stores in a PostgreSQL database (store_postgresql): the store of a
  // municipality is <url>#<kommunkod>; the keys stay in `key_dir`.
  static Result<std::unique_ptr<EventRecorder>> OpenPostgresql(const std::string& url,
                                                               const std::filesystem::path& key_dir);
  ~EventRecorder();

  // Adds `events` (all of `municipality`, checked by the caller) in one transaction; a
  // duplicate event id counts once. Returns how many were new. Errors name the event field.
  Result<int> Record(const std::string& municipality,
                     const google::protobuf::RepeatedPtrField<v1::Event>& events);

  // Adds `events` to `store` inside its open transaction, as Record does. Returns how many were
  // new; an invalid event fails it, naming "events[i].<field>".
  static Result<int> AddEvents(store::EventStore& store, const google::protobuf::RepeatedPtrField<v1::Event>& events);

  // Runs `work` on the municipality's store inside one transaction (Begin, which takes the
  // store's write lock, then Commit; rolled back when `work` fails), serialised with Record.
  Status Transact(const std::string& municipality, const std::function<Status(store::EventStore&)>& work);

  // Runs `work` on the municipality's store, serialised with Record (one SQLite connection
  // per municipality).
  Status WithStore(const std::string& municipality,
                   const std::function<Status(const store::EventStore&)>& work);

 private:
  struct Municipality;
  EventRecorder(std::filesystem::path dir, std::filesystem::path key_dir);
  Result<Municipality*> Get(const std::string& municipality);
  Status Reopen(Municipality& m, const std::string& municipality);

  std::filesystem::path dir_;
  std::string postgresql_;  // when set, the stores are there and dir_ is unused
  std::filesystem::path key_dir_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Municipality>> open_;
};

}  // namespace ix::server

#endif  // IX_SERVER_EVENT_RECORDER_HPP
