#include "adapter_io.hpp"

#include <ix/adapters/plugin_data.hpp>
#include <ix/adapters/report.hpp>
#include <ix/base/file.hpp>
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "case_file.hpp"
#include "ix/v1/exchange.pb.h"
#include "ix/v1/plugin.pb.h"

#include <fstream>

namespace ix::cli {

std::optional<std::vector<v1::Definition>> PluginDefinitions(const Context& ctx, int* exit_code) {
  auto session = ctx.LoadPlugin();
  if (!session.ok()) {
    *exit_code = ctx.Fail(kExitPlugin, session.status().message());
    return std::nullopt;
  }
  auto definitions = adapters::PluginDefinitions(*session);
  if (!definitions.ok()) {
    *exit_code = ctx.Fail(kExitPlugin, "describe: " + definitions.status().ToString());
    return std::nullopt;
  }
  return std::move(*definitions);
}

std::optional<v1::ForsorjningshinderTable> PluginForsorjningshinder(const Context& ctx, int* exit_code) {
  CategorisationPlugin plugin = LoadCategorisation(ctx, exit_code);
  if (plugin.table == nullptr) return std::nullopt;
  auto table = adapters::PluginForsorjningshinder(*plugin.session);
  if (table.status().code() == StatusCode::kNotFound) {
    *exit_code = ctx.Fail(kExitPlugin, table.status().message());
    return std::nullopt;
  }
  if (!table.ok()) {
    *exit_code = ctx.FailCall("categorisation describe", table.status());
    return std::nullopt;
  }
  return std::move(*table);
}

Result<std::string> ReadHexFile(const std::string& path) {
  std::ifstream in(path);
  std::string hex;
  if (!in || !(in >> hex)) return Status(StatusCode::kNotFound, path + ": cannot read the key");
  return hex;
}

Result<std::pair<std::string, std::string>> ReadTrust(const std::string& entry) {
  const auto eq = entry.rfind('=');
  if (eq == std::string::npos) return Status(StatusCode::kInvalidArgument, "--trust " + entry + ": expected KEY.pub=KOMMUNKOD");
  auto key = ReadHexFile(entry.substr(0, eq));
  if (!key.ok()) return key.status();
  return std::pair{*key, entry.substr(eq + 1)};
}

int WriteOutput(const Context& ctx, const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    ctx.out << text;
    return kExitOk;
  }
  // Vendor records and exchange packages carry personal data: owner-only, written whole or
  // not at all (a full disk or a read-only folder is an error, never a truncated file).
  if (Status s = base::WriteFileAtomically(path, text, {.mode = base::kOwnerOnly, .keep_existing_mode = false});
      !s.ok()) {
    return ctx.Fail(kExitBadInput, s.message());
  }
  return kExitOk;
}

void PrintReport(const Context& ctx, const v1::TranslationReport& report) {
  for (const auto& note : report.notes()) {
    ctx.err << "ixctl: " << report.adapter() << ": " << adapters::ReasonName(note.reason()) << ": " << note.path()
            << " — " << note.detail();
    if (note.count() > 1) ctx.err << " (×" << note.count() << ")";
    ctx.err << "\n";
  }
}

template <typename Message>
std::optional<Message> ReadCanonical(const Context& ctx, const std::string& path, int* exit_code) {
  auto text = ReadFile(path);
  if (!text.ok()) {
    *exit_code = ctx.Fail(kExitBadInput, text.status().message());
    return std::nullopt;
  }
  Message message;
  if (Status s = ParseJson(*text, path, &message); !s.ok()) {
    *exit_code = ctx.Fail(kExitBadInput, s.message());
    return std::nullopt;
  }
  return message;
}

template std::optional<v1::InstrumentResponse> ReadCanonical(const Context&, const std::string&, int*);
template std::optional<v1::Household> ReadCanonical(const Context&, const std::string&, int*);
template std::optional<v1::ConsentRecord> ReadCanonical(const Context&, const std::string&, int*);
template std::optional<v1::Case> ReadCanonical(const Context&, const std::string&, int*);

std::optional<adapters::ProtectedIdentity> ExportProtection(const Context& ctx, const v1::InstrumentResponse& response,
                                                            const std::string& case_path, int* exit_code) {
  std::optional<v1::Case> household_case;
  if (!case_path.empty()) {
    household_case = ReadCanonical<v1::Case>(ctx, case_path, exit_code);
    if (!household_case) return std::nullopt;
  }
  auto rule = adapters::ProtectedIdentity::ForExport(response, household_case ? &*household_case : nullptr,
                                                     case_path.empty() ? "--case" : case_path);
  if (!rule.ok()) {
    *exit_code = ctx.Fail(kExitBadInput, rule.status().message());
    return std::nullopt;
  }
  return std::move(rule).value();
}

}  // namespace ix::cli
