// ixctl statistics extract|network: comparison between municipalities without pooling personal
// data (adapters/store network.hpp, docs/statistics.md "Network extracts and the network
// report"). `extract` writes one municipality's signed, disclosure-controlled extract for a
// calendar year; `network` verifies several extracts against trusted keys and combines them.
#include <ix/base/clock.hpp>
#include <ix/base/file.hpp>
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>
#include <ix/extension.hpp>
#include <ix/store/network.hpp>
#include <ix/store/reports.hpp>

#include "../command.hpp"
#include "adapter_io.hpp"
#include "ix/v1/categorisation.pb.h"
#include "ix/v1/plugin.pb.h"
#include "store_access.hpp"

#include <cstdlib>
#include <filesystem>

namespace ix::cli {
namespace {
namespace stats = ix::statistics;

struct StatisticsOptions {
  std::string municipality;
  int year = 0;
  std::vector<std::string> kinds;
  std::string key;
  std::string created_at;
  std::string rule_set_version, definition_version;
  std::string out;
  StoreAccess access;
  // network
  std::vector<std::string> extracts;
  std::vector<std::string> trust;
  std::string kind = "kas";
  std::string format = "html";
  std::string lang;  // BCP 47; empty: the global --lang
};

// The versions the counts rest on, from the plugin unless given (store::SetVersions).
Status PluginVersions(const Context& ctx, store::ExtractInput& input) {
  if (!input.rule_set_version.empty() && !input.definition_version.empty()) return Status::Ok();
  auto session = ctx.LoadPlugin();
  if (!session.ok()) return session.status();
  auto described = session->Call<v1::DescribeResponse>(session->table().describe, v1::DescribeRequest());
  if (!described.ok()) return described.status();
  auto describe = RequireExtensionFunction<&ix_categorisation_v1::describe>(*session);
  if (!describe.ok()) return describe.status();
  auto data = session->Call<v1::CategorisationDescribeResponse>(*describe, v1::CategorisationDescribeRequest());
  if (!data.ok()) return data.status();
  store::SetVersions(*described, *data, &input);
  return Status::Ok();
}

int Extract(const Context& ctx, const StatisticsOptions& o) {
  store::ExtractInput input;
  input.municipality_code = o.municipality;
  input.year = o.year;
  for (const std::string& name : o.kinds) {
    const auto kind = stats::ParseReportKind(name);
    if (!kind) return ctx.Fail(kExitUsage, "--kinds: '" + name + "' is not a report (movements, kas)");
    input.kinds.push_back(*kind);
  }
  auto secret = ReadHexFile(o.key);
  if (!secret.ok()) return ctx.Fail(kExitBadInput, secret.status().message());
  input.rule_set_version = o.rule_set_version;
  input.definition_version = o.definition_version;
  if (Status s = PluginVersions(ctx, input); !s.ok()) return ctx.Fail(kExitPlugin, "versions: " + s.message());
  input.created_at = o.created_at.empty() ? base::NowRfc3339() : o.created_at;
  std::error_code ec;
  if (!store::IsPostgresqlLocation(o.access.store) && !std::filesystem::exists(o.access.store, ec)) {
    return ctx.Fail(kExitBadInput, o.access.store + ": no such event store (run 'ixctl import' first)");
  }
  auto db = store::EventStore::Open(o.access.store, {});
  if (!db.ok()) return ctx.Fail(kExitBadInput, db.status().message());
  auto extract = store::ExportExtract(**db, input, *secret);
  if (!extract.ok()) {
    std::string message = extract.status().message();
    for (const auto& [field, option] : {std::pair{"municipality_code", "--municipality"},
                                        std::pair{"year", "--year"}, std::pair{"kinds", "--kinds"}}) {
      if (message.rfind(field, 0) == 0) message = std::string(option) + message.substr(std::string(field).size());
    }
    return ctx.Fail(kExitUsage, message);
  }
  if (int rc = WriteOutput(ctx, o.out, extract->SerializeAsString()); rc != kExitOk) return rc;
  v1::StatisticsExtract content;
  (void)content.ParseFromString(extract->extract());
  int64_t shown = 0, hidden = 0;
  std::string kinds;
  for (const auto& report : content.reports()) {
    kinds += (kinds.empty() ? "" : ", ") + std::string(report.kind() == v1::REPORT_KIND_KAS ? "kas" : "movements");
    for (const auto& table : report.tables()) {
      for (const auto& cell : table.cells()) (cell.has_count() ? shown : hidden) += 1;
    }
  }
  if (!o.out.empty() && o.out != "-") {
    ctx.out << "wrote " << o.out << ": municipality " << content.municipality_code() << ", "
            << content.from_date() << ".." << content.to_date() << ", " << kinds << "; " << shown
            << " cells published, " << hidden << " suppressed; rule set " << content.rule_set_version()
            << ", definition " << content.definition_version() << "; signed by "
            << extract->signer_public_key_hex().substr(0, 16) << "…\n";
  }
  return kExitOk;
}

int Network(const Context& ctx, const StatisticsOptions& o) {
  auto lang = store::ReaderLanguage(o.lang.empty() ? ctx.global.lang : o.lang);
  if (!lang.ok()) return ctx.Fail(kExitUsage, "--lang: " + lang.status().problems().front().en);
  if (lang->used != lang->requested.tag) {
    ctx.err << "ixctl: statistics network: no report texts in '" << lang->requested.tag << "'; the report is in '"
            << lang->used << "'\n";
  }
  std::vector<store::TrustedKey> trusted;
  for (const std::string& entry : o.trust) {
    auto key = ReadTrust(entry);
    if (!key.ok()) return ctx.Fail(kExitUsage, key.status().message());
    trusted.push_back({key->first, key->second});
  }
  std::vector<v1::SignedStatisticsExtract> extracts;
  for (const std::string& path : o.extracts) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > store::ExtractLimits::kMaxSignedBytes) {
      return ctx.Fail(kExitBadInput, path + ": " + std::to_string(size) + " bytes, more than the limit of " +
                                         std::to_string(store::ExtractLimits::kMaxSignedBytes));
    }
    auto bytes = ReadFile(path);
    if (!bytes.ok()) return ctx.Fail(kExitBadInput, bytes.status().message());
    auto parsed = store::ParseSignedExtract(*bytes);
    if (!parsed.ok()) return ctx.Fail(kExitBadInput, path + ": " + parsed.status().message());
    extracts.push_back(std::move(*parsed));
  }
  const v1::ReportKind kind = o.kind == "movements" ? v1::REPORT_KIND_MOVEMENTS : v1::REPORT_KIND_KAS;
  auto report = store::BuildNetworkReport(extracts, trusted, kind, *lang);
  if (!report.ok()) {
    // extracts[i] is the i-th file on the command line: say which.
    std::string message = report.status().message();
    if (message.rfind("extracts[", 0) == 0) {
      const size_t index = std::strtoul(message.c_str() + 9, nullptr, 10);
      if (index < o.extracts.size()) message = o.extracts[index] + ": " + message;
    }
    return ctx.Fail(kExitProblems, "refused: " + message);
  }
  std::string text;
  if (o.format == "csv") text = store::RenderNetworkCsv(*report);
  else if (o.format == "html") text = store::RenderNetworkHtml(*report);
  else text = ToJson(*report) + "\n";
  if (o.out.empty() || o.out == "-") {
    ctx.out << text;
    return kExitOk;
  }
  if (Status s = base::WriteFileAtomically(o.out, text, {}); !s.ok()) return ctx.Fail(kExitBadInput, s.message());
  ctx.out << "wrote " << o.out << ": " << o.kind << ", " << report->from_date() << ".." << report->to_date()
          << ", municipalities";
  for (const auto& code : report->municipality_codes()) ctx.out << " " << code;
  ctx.out << "\n";
  return kExitOk;
}

}  // namespace

void RegisterStatistics(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "statistics",
      "Comparison between municipalities without pooling personal data: signed, disclosure-controlled "
      "extracts (extract) and the network report that combines them (network). docs/statistics.md");
  cmd->require_subcommand(1);
  auto o = std::make_shared<StatisticsOptions>();
  auto* ex = cmd->add_subcommand(
      "extract",
      "Write this municipality's extract for one calendar year: the movements and KAS cells its reports "
      "publish after primary and secondary suppression (threshold 5, default bands and KAS scope: the "
      "network definition ix-network/1), no pseudonyms, no microdata, signed with its key. Example: "
      "ixctl statistics extract --municipality 0192 --year 2023 --key nynashamn.key -o 0192-2023.ixstat");
  ex->add_option("--municipality", o->municipality, "Kommunkod (four digits)")->required();
  ex->add_option("--year", o->year, "The calendar year (an extract never covers another period)")->required();
  ex->add_option("--kinds", o->kinds, "Reports in the extract (default: movements kas)")
      ->check(CLI::IsMember({"movements", "kas"}));
  ex->add_option("--key", o->key,
                 "The municipality's Ed25519 secret key, the one its exchange packages are signed with "
                 "(ixctl bundle keygen NAME writes NAME.key)")
      ->required();
  ex->add_option("--created-at", o->created_at, "RFC 3339 UTC time written into the extract (default: now)");
  ex->add_option("--rule-set-version", o->rule_set_version, "Default: the plugin's default profile's rule set");
  ex->add_option("--definition-version", o->definition_version,
                 "Default: the newest instrument definition the plugin carries");
  ex->add_option("-o,--out", o->out, "Extract file (binary ix.v1.SignedStatisticsExtract)")->required();
  AddStoreOptions(ex, o->access, false);
  ex->callback([&ctx, o] { ctx.action = [&ctx, o] { return Extract(ctx, *o); }; });

  auto* net = cmd->add_subcommand(
      "network",
      "Verify extracts of several municipalities against trusted keys and put them side by side, with network "
      "totals only where every municipality published the cell (exit 1: an extract refused, named). Example: "
      "ixctl statistics network 0181-2023.ixstat 0192-2023.ixstat --trust sodertalje.pub=0181 "
      "--trust nynashamn.pub=0192 --kind kas --format html -o network-kas-2023.html");
  net->add_option("EXTRACTS", o->extracts, "Extract files, one per municipality, same year")->required();
  net->add_option("--trust", o->trust, "Trusted municipality key: KEY.pub=KOMMUNKOD (repeatable)")->required();
  net->add_option("--kind", o->kind, "The report to combine")
      ->check(CLI::IsMember({"movements", "kas"}))
      ->capture_default_str();
  net->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"json", "csv", "html"}))
      ->capture_default_str();
  net->add_option("--lang", o->lang,
                  "Language of the titles and notes, a BCP 47 tag (sv, en, fi, ar; others fall back, Swedish last); "
                  "table ids and row and column keys are codes (default: the global --lang)");
  net->add_option("-o,--out", o->out, "Write to this file instead of standard output");
  net->callback([&ctx, o] { ctx.action = [&ctx, o] { return Network(ctx, *o); }; });
}

}  // namespace ix::cli
