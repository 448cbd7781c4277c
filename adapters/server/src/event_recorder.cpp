#include "event_recorder.hpp"

#include <ix/store/event_store.hpp>
#include <ix/store/keys.hpp>

namespace ix::server {

namespace fs = std::filesystem;

struct EventRecorder::Municipality {
  std::mutex mutex;  // one SQLite connection: one call at a time
  std::unique_ptr<store::EventStore> store;
};

EventRecorder::EventRecorder(fs::path dir, fs::path key_dir) : dir_(std::move(dir)), key_dir_(std::move(key_dir)) {}
EventRecorder::~EventRecorder() = default;

Result<std::unique_ptr<EventRecorder>> EventRecorder::Open(const fs::path& dir, const fs::path& key_dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    return Status(StatusCode::kNotFound,
                  "store_dir: cannot create '" + dir.string() + "': " + ec.message());
  }
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  return std::unique_ptr<EventRecorder>(new EventRecorder(dir, key_dir));
}

Result<std::unique_ptr<EventRecorder>> EventRecorder::OpenPostgresql(const std::string& url, const fs::path& key_dir) {
  std::unique_ptr<EventRecorder> recorder(new EventRecorder({}, key_dir));
  recorder->postgresql_ = url;
  return recorder;
}

Result<EventRecorder::Municipality*> EventRecorder::Get(const std::string& municipality) {
  std::lock_guard lock(mutex_);
  auto& slot = open_[municipality];
  if (slot) return slot.get();
  auto entry = std::make_unique<Municipality>();
  if (Status s = Reopen(*entry, municipality); !s.ok()) return s;
  slot = std::move(entry);
  return slot.get();
}

Status EventRecorder::Reopen(Municipality& m, const std::string& municipality) {
  m.store.reset();
  const std::string location =
      postgresql_.empty() ? (dir_ / (municipality + ".sqlite")).string() : postgresql_ + "#" + municipality;
  auto opened = store::OpenWithKeyDir(location, key_dir_);
  if (!opened.ok()) return opened.status();
  m.store = std::move(*opened);
  return Status::Ok();
}

Status EventRecorder::Transact(const std::string& municipality,
                               const std::function<Status(store::EventStore&)>& work) {
  auto m = Get(municipality);
  if (!m.ok()) return m.status();
  std::lock_guard lock((*m)->mutex);
  Status began = (*m)->store->Begin();
  if (!began.ok() && (began.reason() == store::kReasonRekeyed || began.reason() == store::kReasonDisconnected)) {
    // `ixctl keys rotate` moved the store to a new key while it was open here: take it. Or
    // PostgreSQL dropped the connection (a restart): connect again.
    if (Status st = Reopen(**m, municipality); !st.ok()) return st;
    began = (*m)->store->Begin();
  }
  if (!began.ok()) return began;
  store::EventStore& s = *(*m)->store;
  if (Status st = work(s); !st.ok()) {
    (void)s.Rollback();
    return st;
  }
  return s.Commit();
}

Result<int> EventRecorder::AddEvents(store::EventStore& s, const google::protobuf::RepeatedPtrField<v1::Event>& events) {
  int inserted = 0;
  for (int i = 0; i < events.size(); ++i) {
    auto added = s.Add(events[i]);
    if (!added.ok()) {
      return Status(added.status().code(), "events[" + std::to_string(i) + "]." + added.status().message());
    }
    if (*added == store::AddOutcome::kInserted) ++inserted;
  }
  return inserted;
}

Result<int> EventRecorder::Record(const std::string& municipality,
                                  const google::protobuf::RepeatedPtrField<v1::Event>& events) {
  int inserted = 0;
  const Status st = Transact(municipality, [&](store::EventStore& s) {
    auto added = AddEvents(s, events);
    if (!added.ok()) return added.status();
    inserted = *added;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return inserted;
}

Status EventRecorder::WithStore(const std::string& municipality,
                                const std::function<Status(const store::EventStore&)>& work) {
  auto m = Get(municipality);
  if (!m.ok()) return m.status();
  std::lock_guard lock((*m)->mutex);
  if (postgresql_.empty()) {
    // `ixctl keys rotate` may have moved the SQLite store (and the exchange ledger file beside
    // it) to a new key since it was opened here: references made now must be under that key.
    auto stored = store::EventStore::KeyIdOf((dir_ / (municipality + ".sqlite")).string());
    if (stored.ok() && *stored != 0 && *stored != (*m)->store->key_id()) {
      if (Status st = Reopen(**m, municipality); !st.ok()) return st;
    }
  }
  Status done = work(*(*m)->store);
  if (done.reason() == store::kReasonDisconnected) {
    // PostgreSQL dropped the connection (a restart): connect again and read once more.
    if (Status st = Reopen(**m, municipality); !st.ok()) return st;
    done = work(*(*m)->store);
  }
  return done;
}

}  // namespace ix::server
