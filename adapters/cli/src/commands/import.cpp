// ixctl import FILE: events (ix.v1.Event) into the event store, as NDJSON (one canonical JSON
// event per line) or length-delimited binary protobuf. Idempotent: an event id already in the
// store counts as a duplicate. Commits every --batch events, so an interrupted import keeps
// whole batches and the same command can simply be run again.
#include <ix/cli/cli.hpp>
#include <ix/cli/event_stream.hpp>
#include <ix/cli/json_io.hpp>
#include <ix/store/event_store.hpp>

#include "../command.hpp"
#include "store_access.hpp"


#include <fstream>
#include <vector>

namespace ix::cli {
namespace {

struct ImportOptions {
  std::string file;
  std::string format = "auto";
  int batch = 10000;
  std::size_t max_event_bytes = EventStreamLimits{}.max_record_bytes;
  std::int64_t max_events = EventStreamLimits{}.max_records;
  StoreAccess access;
};

struct Counts {
  int64_t read = 0, inserted = 0, duplicates = 0, rejected = 0;
};

bool LooksBinary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  int c = in.get();
  while (c == ' ' || c == '\n' || c == '\r' || c == '\t') c = in.get();
  return c != '{' && c != EOF;
}

int Import(const Context& ctx, const ImportOptions& o) {
  if (o.access.key_dir.empty()) {
    if (auto secret = ReadSecret(o.access); !secret.ok()) return ctx.Fail(kExitUsage, secret.status().message());
  }
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return ctx.Fail(kExitBadInput, o.file + ": cannot be opened for reading");
  const bool binary = o.format == "binary" || (o.format == "auto" && LooksBinary(o.file));
  auto store = OpenWithKey(o.access);
  if (!store.ok()) return ctx.Fail(kExitBadInput, store.status().message());
  store::EventStore& db = **store;

  Counts n;
  constexpr int kShownErrors = 20;
  auto reject = [&](const std::string& where, const std::string& message) {
    if (++n.rejected <= kShownErrors) ctx.err << "ixctl: " << where << ": " << message << "\n";
  };
  // Events go to the store in groups (a PostgreSQL store takes a group in two round trips
  // instead of two per event); each still gets its own outcome or rejection, in order.
  constexpr size_t kSendBatch = 1000;
  std::vector<v1::Event> pending;
  std::vector<std::string> pending_where;
  auto flush = [&]() -> bool {
    if (pending.empty()) return true;
    auto results = db.AddAll(pending.data(), pending.size());
    if (!results.ok()) {
      ctx.err << "ixctl: " << pending_where.front() << ": " << results.status().message() << "\n";
      return false;
    }
    for (size_t i = 0; i < results->size(); ++i) {
      const auto& outcome = (*results)[i];
      if (!outcome.ok()) {
        reject(pending_where[i], outcome.status().message());
      } else if (*outcome == store::AddOutcome::kInserted) {
        ++n.inserted;
      } else {
        ++n.duplicates;
      }
    }
    pending.clear();
    pending_where.clear();
    return true;
  };
  auto add = [&](v1::Event&& event, const std::string& where) -> bool {
    pending.push_back(std::move(event));
    pending_where.push_back(where);
    if (pending.size() >= kSendBatch && !flush()) return false;
    if (n.read % o.batch == 0) {
      if (!flush() || !db.Commit().ok() || !db.Begin().ok()) return false;
      if (n.read % 100000 == 0) {
        ctx.err << "ixctl: import: " << n.read << " events read, " << n.inserted << " new\n";
      }
    }
    return true;
  };
  if (Status s = db.Begin(); !s.ok()) return ctx.Fail(kExitBadInput, s.message());
  bool ok = true;
  EventStreamLimits limits;
  limits.max_record_bytes = o.max_event_bytes;
  limits.max_records = o.max_events;
  EventReader reader(in, binary, o.file, limits);
  for (;;) {
    v1::Event event;
    const EventReader::Next next = reader.Read(&event);
    if (next == EventReader::Next::kEnd) break;
    ++n.read;
    if (next == EventReader::Next::kEvent) {
      if (!(ok = add(std::move(event), reader.where()))) break;
      continue;
    }
    const Status& error = reader.error();
    reject(error.problems().empty() ? reader.where() : error.problems()[0].path,
           error.problems().empty() ? error.message() : error.problems()[0].en);
    if (next == EventReader::Next::kStop) {
      --n.read;  // the record that stops reading was not read
      break;
    }
    if (n.read % o.batch == 0 && (!flush() || !db.Commit().ok() || !db.Begin().ok())) ok = false;
    if (!ok) break;
  }
  if (ok) ok = flush();
  if (Status s = db.Commit(); !s.ok() || !ok) {
    return ctx.Fail(kExitBadInput, "import stopped: " + (s.ok() ? std::string("store error") : s.message()));
  }
  if (n.rejected > kShownErrors) {
    ctx.err << "ixctl: … and " << n.rejected - kShownErrors << " more rejected event(s)\n";
  }
  const int64_t total = db.CountEvents();
  if (ctx.global.json) {
    ctx.out << "{\"file\": \"" << o.file << "\", \"read\": " << n.read << ", \"inserted\": " << n.inserted
            << ", \"duplicates\": " << n.duplicates << ", \"rejected\": " << n.rejected
            << ", \"events_in_store\": " << total << "}\n";
  } else {
    ctx.out << o.file << ": " << n.read << " read, " << n.inserted << " inserted, " << n.duplicates
            << " duplicate(s), " << n.rejected << " rejected; " << store::DescribeStoreLocation(o.access.store) << " holds "
            << total << " events\n";
  }
  return n.rejected > 0 ? kExitBadInput : kExitOk;
}

}  // namespace

void RegisterImport(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "import", "Import events (ix.v1.Event) into the statistics event store: NDJSON (canonical "
                "JSON, one event per line) or length-delimited binary. Personnummer are replaced "
                "by pseudonyms under the store's key; importing the same events again does not double count. "
                "Exit 3 if any event was rejected (the others are kept).");
  auto o = std::make_shared<ImportOptions>();
  cmd->add_option("FILE", o->file, "Events file")->required();
  cmd->add_option("--format", o->format, "Input format")
      ->check(CLI::IsMember({"auto", "ndjson", "binary"}))
      ->capture_default_str();
  cmd->add_option("--batch", o->batch, "Events per transaction")->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd->add_option("--max-event-bytes", o->max_event_bytes, "Longest NDJSON line or binary message accepted")
      ->check(CLI::Range(std::size_t{64}, std::size_t{64} << 20))
      ->capture_default_str();
  cmd->add_option("--max-events", o->max_events, "Most events read from one file")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40))
      ->capture_default_str();
  AddStoreOptions(cmd, o->access, true);
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Import(ctx, *o); }; });
}

}  // namespace ix::cli
