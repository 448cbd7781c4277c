// ixctl bundle keygen|sign|verify|show: the signed plugin bundles IT teams install.
// The cryptography and the checks are the host library's (ix/host/bundle.hpp); this file only
// reads arguments, loads the bundled plugin to learn its facts, and prints.
#include <ix/base/clock.hpp>
#include <ix/base/file.hpp>
#include <ix/cli/cli.hpp>
#include <ix/host/bundle.hpp>
#include <ix/host/loader.hpp>

#include "../command.hpp"
#include "ix/v1/plugin.pb.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace ix::cli {
namespace {

namespace fs = std::filesystem;
namespace bundle = host::bundle;

struct BundleOptions {
  std::string name;         // keygen: output stem
  std::string dir;          // sign/verify/show: the bundle directory
  std::string key;          // sign: secret key file
  std::string plugin_file;  // sign: path of the plugin inside the bundle
  std::vector<std::string> build;  // sign: KEY=VALUE
  std::string trust;        // verify: trusted keys file
  std::string running;      // verify: the running version (downgrade check)
  bool allow_downgrade = false;
};

Result<std::string> ReadSecret(const std::string& file) {
  std::ifstream in(file);
  std::string hex;
  if (!in || !(in >> hex)) return Status(StatusCode::kNotFound, file + ": cannot read the secret key");
  return hex;
}

int Keygen(const Context& ctx, const BundleOptions& o) {
  const bundle::KeyPair pair = bundle::GenerateKeyPair();
  const std::string secret_path = o.name + ".key", public_path = o.name + ".pub";
  if (fs::exists(secret_path)) return ctx.Fail(kExitBadInput, secret_path + ": exists; refusing to overwrite a key");
  // The secret key is readable by its owner only, and never written over another key.
  if (Status s = base::WriteFileAtomically(secret_path, pair.secret_key_hex + "\n",
                                           {.mode = base::kOwnerOnly, .replace_existing = false});
      !s.ok()) {
    return ctx.Fail(kExitBadInput, s.message());
  }
  if (Status s = base::WriteFileAtomically(public_path, pair.public_key_hex + "\n"); !s.ok()) {
    return ctx.Fail(kExitBadInput, s.message());
  }
  if (ctx.global.json) {
    ctx.out << nlohmann::json{{"public_key", pair.public_key_hex}, {"secret_key_file", secret_path}, {"public_key_file", public_path}}.dump(2) << "\n";
  } else {
    ctx.out << "public key " << pair.public_key_hex << "\nwrote " << secret_path << " (keep secret, mode 0600) and " << public_path << "\n"
            << "trust it with: {\"keys\": [{\"name\": \"" << o.name << "\", \"public_key\": \"" << pair.public_key_hex << "\"}]}\n";
  }
  return kExitOk;
}

// The plugin file: given, or the one *.so in the bundle.
Result<std::string> FindPluginFile(const fs::path& dir, const std::string& given) {
  if (!given.empty()) return given;
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".so") found.push_back(fs::relative(it->path(), dir).generic_string());
  }
  if (found.size() != 1) {
    return Status(StatusCode::kInvalidArgument, dir.string() + ": expected exactly one .so in the bundle, found " +
                                                    std::to_string(found.size()) + " (name it with --plugin-file)");
  }
  return found.front();
}

int Sign(const Context& ctx, const BundleOptions& o) {
  const fs::path dir = o.dir;
  auto secret = ReadSecret(o.key);
  if (!secret.ok()) return ctx.Fail(kExitBadInput, secret.status().message());
  auto plugin_file = FindPluginFile(dir, o.plugin_file);
  if (!plugin_file.ok()) return ctx.Fail(kExitBadInput, plugin_file.status().message());
  // The manifest's facts come from the plugin itself, not from what someone typed.
  auto session = host::LoadPlugin(dir / *plugin_file);
  if (!session.ok()) return ctx.Fail(kExitPlugin, session.status().message());
  auto described = session->Call<v1::DescribeResponse>(session->table().describe, v1::DescribeRequest());
  if (!described.ok()) return ctx.Fail(kExitPlugin, "describe: " + described.status().ToString());
  bundle::Manifest m;
  m.plugin_name = described->plugin_name();
  m.plugin_version = described->plugin_version();
  m.plugin_file = *plugin_file;
  m.abi_major = session->table().abi_major;
  // The plugin serves every minor from 0 to the one it chose against this (newest) host.
  m.abi_min_minor = 0;
  m.abi_max_minor = session->table().abi_minor;
  for (const auto& i : described->instruments()) m.definitions.push_back(i.ref().instrument_id() + "@" + i.ref().version());
  m.build["signed_at"] = base::NowRfc3339();
  for (const std::string& kv : o.build) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return ctx.Fail(kExitUsage, "--build: expected KEY=VALUE, got '" + kv + "'");
    m.build[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (Status s = bundle::WriteSigned(dir, m, *secret); !s.ok()) return ctx.Fail(kExitBadInput, s.message());
  ctx.out << "signed " << dir.string() << ": " << m.plugin_name << " " << m.plugin_version << ", "
          << m.definitions.size() << " definition(s)\n";
  return kExitOk;
}

int Verify(const Context& ctx, const BundleOptions& o) {
  auto keys = bundle::LoadTrustedKeys(o.trust);
  if (!keys.ok()) return ctx.Fail(kExitBadInput, keys.status().message());
  bundle::VerifyOptions options;
  options.trusted_keys = std::move(*keys);
  if (!o.running.empty()) options.running_version = o.running;
  options.allow_downgrade = o.allow_downgrade;
  const bundle::Verification v = bundle::Verify(o.dir, options);
  if (ctx.global.json) {
    ctx.out << nlohmann::json{{"ok", v.ok()}, {"refusal", bundle::RefusalName(v.refusal)}, {"message", v.message},
                              {"plugin_version", v.manifest.plugin_version}}.dump(2) << "\n";
  } else if (v.ok()) {
    ctx.out << o.dir << ": OK — " << v.manifest.plugin_name << " " << v.manifest.plugin_version << ", " << v.message << "\n";
  } else {
    ctx.err << "ixctl: " << o.dir << ": REFUSED (" << bundle::RefusalName(v.refusal) << "): " << v.message << "\n";
  }
  return v.ok() ? kExitOk : kExitProblems;
}

int Show(const Context& ctx, const BundleOptions& o) {
  std::ifstream in(fs::path(o.dir) / bundle::kManifestFile);
  if (!in) return ctx.Fail(kExitBadInput, o.dir + ": manifest.json missing");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto m = bundle::ParseManifest(text);
  if (!m.ok()) return ctx.Fail(kExitBadInput, m.status().message());
  if (ctx.global.json) {
    ctx.out << bundle::ManifestToJson(*m);
    return kExitOk;
  }
  ctx.out << "plugin      " << m->plugin_name << " " << m->plugin_version << " (" << m->plugin_file << ")\n"
          << "ABI         " << m->abi_major << "." << m->abi_min_minor << "-" << m->abi_max_minor << "\n";
  for (const auto& d : m->definitions) ctx.out << "definition  " << d << "\n";
  for (const auto& [k, v] : m->build) ctx.out << "build       " << k << " = " << v << "\n";
  for (const auto& f : m->files) ctx.out << "file        " << f.sha256.substr(0, 16) << "…  " << f.size << "  " << f.path << "\n";
  ctx.out << "(not verified: use 'ixctl bundle verify')\n";
  return kExitOk;
}

}  // namespace

void RegisterBundle(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("bundle", "Signed plugin bundles: keygen, sign, verify, show");
  cmd->require_subcommand(1);
  auto o = std::make_shared<BundleOptions>();
  auto bind = [&ctx, o](CLI::App* sub, int (*fn)(const Context&, const BundleOptions&)) {
    sub->callback([&ctx, o, fn] { ctx.action = [&ctx, o, fn] { return fn(ctx, *o); }; });
  };
  auto* keygen = cmd->add_subcommand("keygen", "Generate an Ed25519 publisher key pair: NAME.key (secret, 0600) and NAME.pub");
  keygen->add_option("NAME", o->name, "Output file stem")->required();
  bind(keygen, &Keygen);

  auto* sign = cmd->add_subcommand("sign", "Write manifest.json (hashes of every file, facts read from the plugin) and manifest.sig");
  sign->add_option("DIR", o->dir, "Bundle directory")->required()->check(CLI::ExistingDirectory);
  sign->add_option("--key", o->key, "Secret key file from 'bundle keygen'")->required();
  sign->add_option("--plugin-file", o->plugin_file, "The plugin inside the bundle (default: the one .so)");
  sign->add_option("--build", o->build, "Build information KEY=VALUE (repeatable), e.g. revision=abc123");
  bind(sign, &Sign);

  auto* verify = cmd->add_subcommand("verify", "Verify signature, trusted key, file hashes, ABI range and version; exit 1 with the reason when refused");
  verify->add_option("DIR", o->dir, "Bundle directory")->required();
  verify->add_option("--trust", o->trust, "Trusted publisher keys: {\"keys\": [{\"name\", \"public_key\"}]}")->required();
  verify->add_option("--running-version", o->running, "Version now serving: older bundles are refused");
  verify->add_flag("--allow-downgrade", o->allow_downgrade, "Accept a bundle older than --running-version");
  bind(verify, &Verify);

  auto* show = cmd->add_subcommand("show", "Print a bundle's manifest (without verifying it)");
  show->add_option("DIR", o->dir, "Bundle directory")->required();
  bind(show, &Show);
}

}  // namespace ix::cli
