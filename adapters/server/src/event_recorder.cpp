#include "event_recorder.hpp"

#include <ix/base/crypto.hpp>
#include <ix/store/event_store.hpp>

namespace ix::server {

namespace fs = std::filesystem;

struct EventRecorder::Municipality {
  std::mutex mutex;  // one SQLite connection: one call at a time
  std::unique_ptr<store::EventStore> store;
};

EventRecorder::EventRecorder(fs::path dir) : dir_(std::move(dir)) {}
EventRecorder::~EventRecorder() = default;

Result<std::unique_ptr<EventRecorder>> EventRecorder::Open(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    return Status(StatusCode::kNotFound,
                  "store_dir: cannot create '" + dir.string() + "': " + ec.message());
  }
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  return std::unique_ptr<EventRecorder>(new EventRecorder(dir));
}

Result<EventRecorder::Municipality*> EventRecorder::Get(const std::string& municipality) {
  std::lock_guard lock(mutex_);
  auto& slot = open_[municipality];
  if (slot) return slot.get();
  const fs::path secret_file = dir_ / (municipality + ".secret");
  auto secret = base::crypto::LoadOrCreateSecretKey(secret_file, 32, "municipality secret");
  if (!secret.ok()) return secret.status();
  auto opened = store::EventStore::Open(dir_ / (municipality + ".sqlite"), std::move(*secret));
  if (!opened.ok()) return opened.status();
  auto entry = std::make_unique<Municipality>();
  entry->store = std::move(*opened);
  slot = std::move(entry);
  return slot.get();
}

Result<int> EventRecorder::Record(const std::string& municipality,
                                  const google::protobuf::RepeatedPtrField<v1::Event>& events) {
  auto m = Get(municipality);
  if (!m.ok()) return m.status();
  std::lock_guard lock((*m)->mutex);
  store::EventStore& s = *(*m)->store;
  if (Status st = s.Begin(); !st.ok()) return st;
  int inserted = 0;
  for (int i = 0; i < events.size(); ++i) {
    auto added = s.Add(events[i]);
    if (!added.ok()) {
      (void)s.Rollback();
      return Status(added.status().code(),
                    "events[" + std::to_string(i) + "]." + added.status().message());
    }
    if (*added == store::AddOutcome::kInserted) ++inserted;
  }
  if (Status st = s.Commit(); !st.ok()) return st;
  return inserted;
}

Status EventRecorder::WithStore(const std::string& municipality,
                                const std::function<Status(const store::EventStore&)>& work) {
  auto m = Get(municipality);
  if (!m.ok()) return m.status();
  std::lock_guard lock((*m)->mutex);
  return work(*(*m)->store);
}

}  // namespace ix::server
