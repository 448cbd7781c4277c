// ixctl lifecare from-canonical|to-canonical: the Lifecare FamilyCare v1 adapter
// (adapters/lifecare). Reasons come from the plugin's försörjningshinder table.
#include <ix/adapters/lifecare/lifecare.hpp>
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "adapter_io.hpp"
#include "case_file.hpp"

namespace ix::cli {
namespace {

struct LifecareOptions {
  std::string input;
  std::string output;
  std::string municipality;
  std::string household_ref;
};

int FromCanonical(const Context& ctx, const LifecareOptions& o) {
  int code = kExitOk;
  auto c = LoadCase(ctx, o.input, &code);
  if (!c) return code;
  auto table = PluginForsorjningshinder(ctx, &code);
  if (!table) return code;
  auto exported = adapters::lifecare::ToLifecare(*c, *table);
  if (!exported.ok()) return ctx.Fail(kExitBadInput, o.input + ": " + exported.status().message());
  PrintReport(ctx, exported->report);
  return WriteOutput(ctx, o.output, exported->document.dump(2) + "\n");
}

int ToCanonical(const Context& ctx, const LifecareOptions& o) {
  auto text = ReadFile(o.input);
  if (!text.ok()) return ctx.Fail(kExitBadInput, text.status().message());
  auto json = adapters::ParseVendorJson(*text, o.input);
  if (!json.ok()) return ctx.Fail(kExitBadInput, json.status().message());
  int code = kExitOk;
  auto table = PluginForsorjningshinder(ctx, &code);
  if (!table) return code;
  adapters::lifecare::FromLifecareOptions options;
  options.municipality_code = o.municipality;
  options.household_ref = o.household_ref;
  auto imported = adapters::lifecare::FromLifecare(*json, *table, options);
  if (!imported.ok()) return ctx.Fail(kExitBadInput, o.input + ": " + imported.status().message());
  PrintReport(ctx, imported->report);
  if (o.output.empty() || o.output == "-") return WriteOutput(ctx, "", ToJson(imported->household_case) + "\n");
  return SaveCase(ctx, o.output, imported->household_case);
}

}  // namespace

void RegisterLifecare(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("lifecare", "Lifecare FamilyCare v1: canonical case <-> Lifecare's persons, investigation, decisions, summary note");
  cmd->require_subcommand(1);
  auto o = std::make_shared<LifecareOptions>();
  auto from = cmd->add_subcommand("from-canonical", "Case file -> Lifecare export (JSON of the Swagger's DTOs)");
  from->add_option("CASE", o->input, "ix.v1.Case as canonical JSON")->required();
  from->add_option("-o,--out", o->output, "Output file (default: stdout)");
  from->callback([&ctx, o] { ctx.action = [&ctx, o] { return FromCanonical(ctx, *o); }; });
  auto to = cmd->add_subcommand("to-canonical", "Lifecare export -> case file (household, försörjningshinder; notes reported)");
  to->add_option("EXPORT", o->input, "Lifecare export (JSON)")->required();
  to->add_option("--municipality", o->municipality, "Kommunkod of the Lifecare installation")->required();
  to->add_option("--household-ref", o->household_ref, "Household reference (default: lifecare-investigation-<Id>)");
  to->add_option("-o,--out", o->output, "Case file to write (default: stdout)");
  to->callback([&ctx, o] { ctx.action = [&ctx, o] { return ToCanonical(ctx, *o); }; });
}

}  // namespace ix::cli
