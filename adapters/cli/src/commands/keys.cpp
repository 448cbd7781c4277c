// ixctl keys rotate|retire --store FILE --key-dir DIR: the event store's versioned pseudonym
// keys (ix/store/keys.hpp, docs/privacy.md).
//   rotate  re-pseudonymises the store under a new key id in one transaction; the old key file
//           stays. Interrupted, the same command finishes the same rotation.
//   retire  deletes the store's key files older than its current key, once no stored value
//           carries their id.
// Run them as the user that owns the store (the service user for ix-server's stores), so the
// new key file and the store's files keep their owner; a running ix-server takes the new key
// at its next write.
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

int Rotate(const Context& ctx, const KeysOptions& o) {
  auto done = store::RotateKey(o.store, o.key_dir);
  if (!done.ok()) return ctx.Fail(kExitBadInput, done.status().message());
  const std::string new_key = store::KeyFile(o.key_dir, o.store, done->to).string();
  if (ctx.global.json) {
    ctx.out << nlohmann::json{{"store", o.store},           {"from_key_id", done->from},
                              {"to_key_id", done->to},       {"key_file", new_key},
                              {"resumed", done->resumed},    {"persons", done->moved.persons},
                              {"references", done->moved.references}}
                   .dump(2)
            << "\n";
  } else {
    ctx.out << o.store << ": re-keyed k" << done->from << " -> k" << done->to
            << (done->resumed ? " (finishing an interrupted rotation)" : "") << ": " << done->moved.persons
            << " person pseudonym(s), " << done->moved.references << " reference(s); new key " << new_key
            << "\nthe old key is still there: after checking reports, run 'ixctl keys retire'\n";
  }
  return kExitOk;
}

int Retire(const Context& ctx, const KeysOptions& o) {
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
