// ixctl fieldcodes export|import --profile: flat (field code, person, value) records of a
// vendor, as a profile data file says (adapters/fieldcodes/profiles/).
#include <ix/adapters/fieldcodes/fieldcodes.hpp>
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "adapter_io.hpp"

#include <filesystem>

namespace ix::cli {
namespace {

struct FieldCodeOptions {
  std::string input;
  std::string output;
  std::string profile;    // a file, or the name of a shipped profile (kommunsystem-a-v1)
  std::string household;  // import: the receiving case's household (JSON of ix.v1.Household)
  std::string household_case;  // export: the case the response belongs to (its snapshots)
  std::string instrument = "instrument-x@2024.1";
};

std::optional<adapters::fieldcodes::Profile> LoadProfile(const Context& ctx, const FieldCodeOptions& o,
                                                         int* exit_code) {
  std::filesystem::path path = o.profile;
  if (!std::filesystem::exists(path)) path = std::filesystem::path(IX_FIELDCODE_PROFILES_DIR) / (o.profile + ".json");
  auto text = ReadFile(path);
  if (!text.ok()) {
    *exit_code = ctx.Fail(kExitUsage, "--profile " + o.profile + ": neither a file nor a shipped profile");
    return std::nullopt;
  }
  auto definitions = PluginDefinitions(ctx, exit_code);
  if (!definitions) return std::nullopt;
  // Parsed once, within the JSON limits; checked against the definition the profile names.
  auto profile = adapters::fieldcodes::LoadProfile(*text, path.filename().string(), *definitions);
  if (!profile.ok()) {
    *exit_code = ctx.Fail(kExitBadInput, profile.status().message());
    return std::nullopt;
  }
  return std::move(profile).value();
}

int Export(const Context& ctx, const FieldCodeOptions& o) {
  int code = kExitOk;
  auto response = ReadCanonical<v1::InstrumentResponse>(ctx, o.input, &code);
  if (!response) return code;
  auto profile = LoadProfile(ctx, o, &code);
  if (!profile) return code;
  auto protection = ExportProtection(ctx, *response, o.household_case, &code);
  if (!protection) return code;
  auto exported = adapters::fieldcodes::ExportResponse(*response, *profile, *protection);
  if (!exported.ok()) return ctx.Fail(kExitBadInput, o.input + ": " + exported.status().message());
  PrintReport(ctx, exported->report);
  return WriteOutput(ctx, o.output, exported->text);
}

int Import(const Context& ctx, const FieldCodeOptions& o) {
  int code = kExitOk;
  auto household = ReadCanonical<v1::Household>(ctx, o.household, &code);
  if (!household) return code;
  auto profile = LoadProfile(ctx, o, &code);
  if (!profile) return code;
  auto text = ReadFile(o.input);
  if (!text.ok()) return ctx.Fail(kExitBadInput, text.status().message());
  auto imported = adapters::fieldcodes::ImportRecords(*text, o.input, *household, *profile);
  if (!imported.ok()) return ctx.Fail(kExitBadInput, imported.status().message());
  PrintReport(ctx, imported->report);
  return WriteOutput(ctx, o.output, ToJson(imported->response) + "\n");
}

}  // namespace

void RegisterFieldCodes(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("fieldcodes", "Flat field-code records of a vendor <-> canonical response, by a profile (data file)");
  cmd->require_subcommand(1);
  auto o = std::make_shared<FieldCodeOptions>();
  auto* ex = cmd->add_subcommand("export", "Canonical response -> records");
  ex->add_option("RESPONSE", o->input, "ix.v1.InstrumentResponse as canonical JSON")->required();
  ex->add_option("--case", o->household_case,
                 "The case the response belongs to (canonical JSON of ix.v1.Case): a person protected in "
                 "any of its snapshots has no contact data in the records");
  auto* im = cmd->add_subcommand("import", "Records -> canonical response");
  im->add_option("RECORDS", o->input, "The vendor's records (delimited text with a header)")->required();
  im->add_option("--household", o->household, "The receiving case's household (canonical JSON of ix.v1.Household)")
      ->required();
  for (auto* sub : {ex, im}) {
    sub->add_option("--profile", o->profile, "Profile file, or a shipped profile: kommunsystem-a-v1, kommunsystem-b-v2")
        ->required();
    sub->add_option("-o,--out", o->output, "Output file (default: stdout)");
  }
  ex->callback([&ctx, o] { ctx.action = [&ctx, o] { return Export(ctx, *o); }; });
  im->callback([&ctx, o] { ctx.action = [&ctx, o] { return Import(ctx, *o); }; });
}

}  // namespace ix::cli
