// ixctl exchange keygen|export|verify|import: signed and encrypted exchange packages for
// referrals and moves (adapters/exchange, docs/exchange.md). A refused package exits with 1 and
// names the reason.
#include <ix/adapters/exchange/exchange.hpp>
#include <ix/base/clock.hpp>
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "adapter_io.hpp"
#include "case_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace ix::cli {
namespace {

struct ExchangeOptions {
  std::string input;
  std::string output;
  std::string consent;
  std::string key;
  std::string recipient_key;   // export: the recipient's X25519 public key file
  std::string decryption_key;  // verify/import: this municipality's X25519 secret key file
  std::string name;            // keygen
  std::string municipality;
  std::string unit;
  std::string package_id;
  std::string created_at;
  std::string today;
  std::string ledger;
  std::vector<std::string> trust;  // KEY.pub=KOMMUNKOD
};

Result<adapters::exchange::ImportPolicy> Policy(const ExchangeOptions& o) {
  adapters::exchange::ImportPolicy policy;
  for (const auto& entry : o.trust) {
    auto trusted = ReadTrust(entry);
    if (!trusted.ok()) return trusted.status();
    policy.trusted.push_back({trusted->first, trusted->second});
  }
  auto decryption_key = ReadHexFile(o.decryption_key);
  if (!decryption_key.ok()) return decryption_key.status();
  policy.decryption_secret_key_hex = *decryption_key;
  policy.recipient_municipality_code = o.municipality;
  policy.recipient_unit = o.unit;
  policy.today = o.today.empty() ? base::IsoDate(base::TodayUtc()) : o.today;
  return policy;
}

void PrintImported(const Context& ctx, const adapters::exchange::Imported& imported, std::string_view verb) {
  const auto& r = imported.result;
  const auto& consent = imported.content.consent();
  if (ctx.global.json) {
    ctx.out << ToJson(r) << "\n";
    return;
  }
  ctx.out << "package " << r.package_id() << " from " << r.sender_municipality_code() << ": " << verb
          << (r.already_imported() ? " (already imported before; nothing changed)" : "") << "\n"
          << "content sha256 " << r.content_sha256() << "\n"
          << "consent " << consent.consent_id() << " for " << consent.recipient_municipality_code() << ", given "
          << consent.given_on() << ", expires " << consent.expires_on() << ", recorded by " << consent.recorded_by()
          << "; scopes:";
  for (int scope : consent.scopes()) {
    ctx.out << " " << adapters::exchange::ScopeName(static_cast<v1::ConsentScope>(scope));
  }
  ctx.out << "\n";
}

int Export(const Context& ctx, const ExchangeOptions& o) {
  int code = kExitOk;
  auto c = LoadCase(ctx, o.input, &code);
  if (!c) return code;
  auto consent = ReadCanonical<v1::ConsentRecord>(ctx, o.consent, &code);
  if (!consent) return code;
  auto secret = ReadHexFile(o.key);
  if (!secret.ok()) return ctx.Fail(kExitBadInput, secret.status().message());
  adapters::exchange::ExportRequest request;
  request.household_case = *c;
  request.consent = *consent;
  request.package_id = o.package_id;
  request.created_at = o.created_at.empty() ? base::NowRfc3339() : o.created_at;
  request.sender_municipality_code = o.municipality.empty() ? c->household().municipality_code() : o.municipality;
  request.sender_unit = o.unit.empty() ? c->unit() : o.unit;
  request.sender_system = "ixctl";
  auto recipient_key = ReadHexFile(o.recipient_key);
  if (!recipient_key.ok()) return ctx.Fail(kExitBadInput, recipient_key.status().message());
  const std::vector<adapters::exchange::Recipient> recipients = {
      {*recipient_key, consent->recipient_municipality_code()}};
  auto exported = adapters::exchange::Export(request, *secret, recipients);
  if (!exported.ok()) return ctx.Fail(kExitBadInput, exported.status().message());
  PrintReport(ctx, exported->report);
  if (int rc = WriteOutput(ctx, o.output, exported->package.SerializeAsString()); rc != kExitOk) return rc;
  if (!o.output.empty() && o.output != "-") ctx.out << "wrote " << o.output << ": package " << exported->package_id << "\n";
  return kExitOk;
}

// Writes `text` to a new file only its owner may read (0600); an existing file is never replaced.
Status WriteNewPrivate(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return Status(StatusCode::kAlreadyExists, path + ": exists or cannot be created; not replaced");
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) return Status(StatusCode::kInternal, path + ": could not be written");
  return Status::Ok();
}

// NAME.box.key (X25519 secret, 0600) and NAME.box.pub: the key pair packages are sealed to.
int Keygen(const Context& ctx, const ExchangeOptions& o) {
  const auto pair = adapters::exchange::GenerateEncryptionKeyPair();
  const std::string secret_file = o.name + ".box.key";
  const std::string public_file = o.name + ".box.pub";
  if (auto st = WriteNewPrivate(secret_file, pair.secret_key_hex + "\n", 0600); !st.ok()) {
    return ctx.Fail(kExitBadInput, st.message());
  }
  if (auto st = WriteNewPrivate(public_file, pair.public_key_hex + "\n", 0644); !st.ok()) {
    return ctx.Fail(kExitBadInput, st.message());
  }
  ctx.out << "wrote " << secret_file << " (secret, 0600) and " << public_file << " (give it to the senders)\n";
  return kExitOk;
}

int VerifyOrImport(const Context& ctx, const ExchangeOptions& o, bool import) {
  auto bytes = ReadFile(o.input);
  if (!bytes.ok()) return ctx.Fail(kExitBadInput, bytes.status().message());
  auto policy = Policy(o);
  if (!policy.ok()) return ctx.Fail(kExitUsage, policy.status().message());
  if (!import) {
    auto verified = adapters::exchange::Verify(*bytes, *policy);
    if (!verified.ok()) return ctx.Fail(kExitProblems, o.input + ": refused: " + verified.status().message());
    PrintImported(ctx, *verified, "verified");
    return kExitOk;
  }
  adapters::exchange::FileLedger ledger(o.ledger);
  auto imported = adapters::exchange::Import(*bytes, *policy, ledger);
  if (!imported.ok()) return ctx.Fail(kExitProblems, o.input + ": refused: " + imported.status().message());
  PrintImported(ctx, *imported, "imported");
  if (imported->result.already_imported() || o.output.empty()) return kExitOk;
  return SaveCase(ctx, o.output, adapters::exchange::ReceivedCase(imported->content, *policy));
}

}  // namespace

void RegisterExchange(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("exchange",
                                 "Signed and encrypted exchange packages (referral, moving): keygen, export, verify, import");
  cmd->require_subcommand(1);
  auto o = std::make_shared<ExchangeOptions>();
  auto* keygen = cmd->add_subcommand("keygen", "Write NAME.box.key (secret, 0600) and NAME.box.pub: the key pair "
                                                "packages to this municipality are encrypted to");
  keygen->add_option("NAME", o->name, "File name prefix")->required();
  keygen->callback([&ctx, o] { ctx.action = [&ctx, o] { return Keygen(ctx, *o); }; });
  auto* ex = cmd->add_subcommand("export", "Case file + consent -> package signed by the sender, encrypted to the recipient (only what the consent covers)");
  ex->add_option("CASE", o->input, "ix.v1.Case as canonical JSON")->required();
  ex->add_option("--consent", o->consent, "ix.v1.ConsentRecord as canonical JSON")->required();
  ex->add_option("--key", o->key, "The sender's secret key (ixctl bundle keygen NAME writes NAME.key)")->required();
  ex->add_option("--to", o->recipient_key,
                 "The recipient municipality's encryption public key (ixctl exchange keygen NAME writes NAME.box.pub)")
      ->required();
  ex->add_option("--municipality", o->municipality, "Sender kommunkod (default: the household's)");
  ex->add_option("--unit", o->unit, "Sender unit (default: the case's)");
  ex->add_option("--package-id", o->package_id, "Package id (default: random)");
  ex->add_option("--created-at", o->created_at, "RFC 3339 UTC time (default: now)");
  ex->add_option("-o,--out", o->output, "Package file")->required();
  ex->callback([&ctx, o] { ctx.action = [&ctx, o] { return Export(ctx, *o); }; });
  auto* verify = cmd->add_subcommand("verify", "Check a package as an import would, without importing (exit 1: refused)");
  auto* im = cmd->add_subcommand("import", "Verify and import a package once (idempotent; exit 1: refused)");
  for (auto* sub : {verify, im}) {
    sub->add_option("PACKAGE", o->input, "Package file")->required();
    sub->add_option("--trust", o->trust, "Trusted sender: KEY.pub=KOMMUNKOD (repeatable)")->required();
    sub->add_option("--municipality", o->municipality, "This municipality's kommunkod (the recipient)")->required();
    sub->add_option("--unit", o->unit, "This unit (checked when the consent names one)");
    sub->add_option("--today", o->today, "YYYY-MM-DD for the expiry check (default: today, UTC)");
    sub->add_option("--decrypt-key", o->decryption_key,
                    "This municipality's encryption secret key (NAME.box.key of ixctl exchange keygen)")
        ->required();
  }
  im->add_option("--ledger", o->ledger, "Import ledger file (package ids seen)")->required();
  im->add_option("-o,--out", o->output, "Case file to write the received case to");
  verify->callback([&ctx, o] { ctx.action = [&ctx, o] { return VerifyOrImport(ctx, *o, false); }; });
  im->callback([&ctx, o] { ctx.action = [&ctx, o] { return VerifyOrImport(ctx, *o, true); }; });
}

}  // namespace ix::cli
