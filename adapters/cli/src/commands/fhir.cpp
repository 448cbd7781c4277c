// ixctl fhir questionnaire|from-canonical|to-canonical|prefill: the HL7 FHIR R4 adapter
// (adapters/fhir). Text in --lang; what FHIR cannot carry is reported on stderr.
#include <ix/adapters/definitions.hpp>
#include <ix/adapters/fhir/fhir.hpp>
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "adapter_io.hpp"

namespace ix::cli {
namespace {

struct FhirOptions {
  std::string input;
  std::string output;
  std::string instrument;  // id@version; empty: every definition (questionnaire) / from the response
  std::string base = adapters::fhir::Options().canonical_base;
  std::string household_case;  // from-canonical: the case the response belongs to (its snapshots)
  std::string response_ref;    // prefill: the new assessment's reference
  std::string canonical_out;   // prefill: also write the new canonical response here
};

adapters::fhir::Options Options(const Context& ctx, const FhirOptions& o) {
  adapters::fhir::Options options;
  options.language = ctx.global.lang;
  options.canonical_base = o.base;
  return options;
}

int Questionnaire(const Context& ctx, const FhirOptions& o) {
  int code = kExitOk;
  auto definitions = PluginDefinitions(ctx, &code);
  if (!definitions) return code;
  std::vector<adapters::Json> resources;
  for (const auto& d : *definitions) {
    if (!o.instrument.empty() && o.instrument != d.id() + "@" + d.version()) continue;
    auto q = adapters::fhir::QuestionnaireFromDefinition(d, Options(ctx, o));
    PrintReport(ctx, q.report);
    resources.push_back(std::move(q.resource));
  }
  if (resources.empty()) return ctx.Fail(kExitUsage, "--instrument " + o.instrument + ": no such definition in the plugin");
  if (resources.size() == 1) return WriteOutput(ctx, o.output, resources[0].dump(2) + "\n");
  // Several: a FHIR Bundle (collection), so the output is still one valid resource.
  adapters::Json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", adapters::Json::array()}};
  for (auto& r : resources) bundle["entry"].push_back({{"resource", std::move(r)}});
  return WriteOutput(ctx, o.output, bundle.dump(2) + "\n");
}

int FromCanonical(const Context& ctx, const FhirOptions& o) {
  int code = kExitOk;
  auto response = ReadCanonical<v1::InstrumentResponse>(ctx, o.input, &code);
  if (!response) return code;
  auto definitions = PluginDefinitions(ctx, &code);
  if (!definitions) return code;
  const v1::Definition* definition = adapters::FindDefinition(*definitions, response->instrument().instrument_id(),
                                                              response->instrument().version());
  if (definition == nullptr) {
    return ctx.Fail(kExitBadInput, o.input + ": instrument " + response->instrument().instrument_id() + "@" +
                                       response->instrument().version() + " is not in the plugin");
  }
  auto protection = ExportProtection(ctx, *response, o.household_case, &code);
  if (!protection) return code;
  adapters::fhir::Options options = Options(ctx, o);
  options.protection = std::move(*protection);
  auto qr = adapters::fhir::ResponseToFhir(*response, *definition, options);
  if (!qr.ok()) return ctx.Fail(kExitBadInput, o.input + ": " + qr.status().message());
  PrintReport(ctx, qr->report);
  return WriteOutput(ctx, o.output, qr->resource.dump(2) + "\n");
}

int ToCanonical(const Context& ctx, const FhirOptions& o) {
  auto text = ReadFile(o.input);
  if (!text.ok()) return ctx.Fail(kExitBadInput, text.status().message());
  auto json = adapters::ParseVendorJson(*text, o.input);
  if (!json.ok()) return ctx.Fail(kExitBadInput, json.status().message());
  int code = kExitOk;
  auto definitions = PluginDefinitions(ctx, &code);
  if (!definitions) return code;
  auto imported = adapters::fhir::ResponseFromFhir(*json, *definitions, Options(ctx, o));
  if (!imported.ok()) return ctx.Fail(kExitBadInput, o.input + ": " + imported.status().message());
  PrintReport(ctx, imported->report);
  return WriteOutput(ctx, o.output, ToJson(imported->response) + "\n");
}

// A new assessment prefilled from the previous one: its QuestionnaireResponse on --out (or
// stdout), the canonical response on --canonical-out, what was and was not carried on stderr.
int Prefill(const Context& ctx, const FhirOptions& o) {
  int code = kExitOk;
  auto previous = ReadCanonical<v1::InstrumentResponse>(ctx, o.input, &code);
  if (!previous) return code;
  auto definitions = PluginDefinitions(ctx, &code);
  if (!definitions) return code;
  std::string id = previous->instrument().instrument_id(), version = previous->instrument().version();
  if (!o.instrument.empty()) {
    const auto at = o.instrument.find('@');
    if (at == std::string::npos) return ctx.Fail(kExitUsage, "--instrument " + o.instrument + ": expected id@version");
    id = o.instrument.substr(0, at);
    version = o.instrument.substr(at + 1);
  }
  const v1::Definition* target = adapters::FindDefinition(*definitions, id, version);
  if (target == nullptr) return ctx.Fail(kExitUsage, "--instrument " + id + "@" + version + ": no such definition in the plugin");
  auto prefilled = adapters::fhir::PrefillFromPrevious(*previous, *target, o.response_ref, Options(ctx, o));
  if (!prefilled.ok()) return ctx.Fail(kExitBadInput, o.input + ": " + prefilled.status().message());
  ctx.err << "ixctl: fhir prefill: " << prefilled->carried.size() << " of " << previous->answers_size()
          << " answer(s) carried into " << id << "@" << version << "\n";
  for (const auto& path : prefilled->carried) ctx.err << "ixctl: fhir prefill: carried: " << path << "\n";
  PrintReport(ctx, prefilled->report);
  if (!o.canonical_out.empty()) {
    if (int written = WriteOutput(ctx, o.canonical_out, ToJson(prefilled->response) + "\n"); written != kExitOk) {
      return written;
    }
  }
  return WriteOutput(ctx, o.output, prefilled->resource.dump(2) + "\n");
}

}  // namespace

void RegisterFhir(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("fhir", "HL7 FHIR R4: Questionnaire from a definition, QuestionnaireResponse <-> canonical response");
  cmd->require_subcommand(1);
  auto o = std::make_shared<FhirOptions>();
  auto bind = [&ctx, o](CLI::App* sub, int (*fn)(const Context&, const FhirOptions&)) {
    sub->add_option("-o,--out", o->output, "Output file (default: stdout)");
    sub->add_option("--base", o->base, "Canonical base URL of the Questionnaire (default " + o->base + ")");
    sub->callback([&ctx, o, fn] { ctx.action = [&ctx, o, fn] { return fn(ctx, *o); }; });
  };
  auto* q = cmd->add_subcommand("questionnaire", "The Questionnaire of a definition (all: a Bundle), text in --lang");
  q->add_option("--instrument", o->instrument, "id@version, e.g. instrument-x@2024.1");
  bind(q, &Questionnaire);
  auto* from = cmd->add_subcommand("from-canonical", "Canonical response (JSON) -> QuestionnaireResponse");
  from->add_option("RESPONSE", o->input, "ix.v1.InstrumentResponse as canonical JSON")->required();
  from->add_option("--case", o->household_case,
                   "The case the response belongs to (canonical JSON of ix.v1.Case): a person protected in "
                   "any of its snapshots has no contact data in the output");
  bind(from, &FromCanonical);
  auto* to = cmd->add_subcommand("to-canonical", "QuestionnaireResponse -> canonical response (JSON)");
  to->add_option("QUESTIONNAIRE_RESPONSE", o->input, "FHIR R4 QuestionnaireResponse (JSON)")->required();
  bind(to, &ToCanonical);
  auto* prefill = cmd->add_subcommand(
      "prefill", "A new assessment prefilled from the previous one (answers that still fit carry over, as "
                 "SDC $populate does) -> QuestionnaireResponse; what was and was not carried on stderr");
  prefill->add_option("PREVIOUS", o->input, "The previous assessment: ix.v1.InstrumentResponse as canonical JSON")
      ->required();
  prefill->add_option("--instrument", o->instrument, "id@version of the new assessment (default: the previous one's)");
  prefill->add_option("--response-ref", o->response_ref, "Reference of the new assessment (no personal data)");
  prefill->add_option("--canonical-out", o->canonical_out, "Also write the new response as canonical JSON here");
  bind(prefill, &Prefill);
}

}  // namespace ix::cli
