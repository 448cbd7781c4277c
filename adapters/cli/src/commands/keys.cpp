// ixctl keys rotate|retire --store FILE --key-dir DIR: the event store's versioned pseudonym
// keys (ix/store/keys.hpp, docs/privacy.md).
//   rotate  re-pseudonymises the store under a new key id in one transaction; the old key file
//           stays. Interrupted, the same command finishes the same rotation.
//   retire  deletes the store's key files older than its current key, once no stored value
//           carries their id.
// Both move the exchange import ledger's references to the current key: PostgreSQL's inside
// the rotation's transaction (ix/store/keys.hpp), and for a SQLite store the file ledger
// ix-server keeps beside it (<store>.exchange-ledger), so a package imported before a
// rotation stays a replay after it.
// Run them as the user that owns the store (the service user for ix-server's stores), so the
// new key file and the store's files keep their owner; a running ix-server takes the new key
// at its next write.
#include <ix/adapters/exchange/exchange.hpp>
#include <ix/cli/cli.hpp>
#include <ix/store/keys.hpp>

#include "../command.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace ix::cli {
namespace {

struct KeysOptions {
  std::string store;
  std::string key_dir;
};

// ix-server's file ledger beside a SQLite store, moved to the store's current key; 0 when there
// is none (a PostgreSQL store's ledger moves in the rotation's transaction).
Result<int64_t> MoveFileLedger(const KeysOptions& o) {
  if (store::IsPostgresqlLocation(o.store)) return int64_t{0};
  const std::filesystem::path ledger = std::filesystem::path(o.store).replace_extension(".exchange-ledger");
  std::error_code ec;
  if (!std::filesystem::exists(ledger, ec)) return int64_t{0};
  auto mover = store::MoveToCurrentKey(o.store, o.key_dir);
  if (!mover.ok()) return mover.status();
  return adapters::exchange::FileLedger(ledger).Rekey(*mover);
}

int Rotate(const Context& ctx, const KeysOptions& o) {
  auto done = store::RotateKey(o.store, o.key_dir);
  if (!done.ok()) return ctx.Fail(kExitBadInput, done.status().message());
  // After the store's commit: interrupted here, the next rotate or retire moves it still (the
  // mover takes any older key whose file is there).
  auto file_ledger = MoveFileLedger(o);
  if (!file_ledger.ok()) return ctx.Fail(kExitBadInput, file_ledger.status().message());
  done->moved.ledger += *file_ledger;
  const std::string new_key = store::KeyFile(o.key_dir, o.store, done->to).string();
  if (ctx.global.json) {
    ctx.out << nlohmann::json{{"store", o.store},           {"from_key_id", done->from},
                              {"to_key_id", done->to},       {"key_file", new_key},
                              {"resumed", done->resumed},    {"persons", done->moved.persons},
                              {"references", done->moved.references}, {"ledger", done->moved.ledger}}
                   .dump(2)
            << "\n";
  } else {
    ctx.out << o.store << ": re-keyed k" << done->from << " -> k" << done->to
            << (done->resumed ? " (finishing an interrupted rotation)" : "") << ": " << done->moved.persons
            << " person pseudonym(s), " << done->moved.references << " reference(s), " << done->moved.ledger
            << " import ledger reference(s); new key " << new_key
            << "\nthe old key is still there: after checking reports, run 'ixctl keys retire'\n";
  }
  return kExitOk;
}

int Retire(const Context& ctx, const KeysOptions& o) {
  // A file ledger left under an old key (a rotate interrupted after the store's commit) moves
  // first: its key is about to go.
  if (auto moved = MoveFileLedger(o); !moved.ok()) return ctx.Fail(kExitBadInput, moved.status().message());
  auto removed = store::RetireKeys(o.store, o.key_dir);
  if (!removed.ok()) return ctx.Fail(kExitBadInput, removed.status().message());
  nlohmann::json files = nlohmann::json::array();
  for (const auto& file : *removed) files.push_back(file.string());
  if (ctx.global.json) {
    ctx.out << nlohmann::json{{"store", o.store}, {"removed", files}}.dump(2) << "\n";
  } else if (removed->empty()) {
    ctx.out << o.store << ": no older key to retire\n";
  } else {
    for (const auto& file : *removed) ctx.out << "removed " << file.string() << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterKeys(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("keys", "The event store's versioned pseudonym keys: rotate, retire");
  cmd->require_subcommand(1);
  auto o = std::make_shared<KeysOptions>();
  auto options = [&o](CLI::App* sub) {
    sub->add_option("--store", o->store, "Event store: a SQLite file, e.g. /var/lib/instrument-x/store/0181.sqlite, or postgresql://…#0181")
        ->required();
    sub->add_option("--key-dir", o->key_dir, "Key folder, e.g. /etc/instrument-x/keys")->required();
  };
  auto* rotate = cmd->add_subcommand(
      "rotate", "Re-pseudonymise the store under the next key id (one transaction; the old key is kept "
                "until 'retire'; run again after an interruption)");
  options(rotate);
  rotate->callback([&ctx, o] { ctx.action = [&ctx, o] { return Rotate(ctx, *o); }; });
  auto* retire = cmd->add_subcommand(
      "retire", "Delete the store's key files older than its current key (refused while any value "
                "still carries their id)");
  options(retire);
  retire->callback([&ctx, o] { ctx.action = [&ctx, o] { return Retire(ctx, *o); }; });
}

}  // namespace ix::cli
