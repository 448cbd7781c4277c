// ixctl render-form [--document form|plan|catalogue] --lang TAG [--version V] [--profile ID]
// [--case CASE | --plan PLAN.json] [--person REF] [--municipality NAME] [-o FILE]: the printable
// form, the client's plan or the client-facing intervention catalogue as one self-contained,
// accessible HTML page, in any language (BCP 47; missing texts fall back, docs/forms.md).
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "case_file.hpp"
#include "forms_common.hpp"
#include "ix/v1/plugin.pb.h"

#include <fstream>

namespace ix::cli {
namespace {

struct RenderOptions {
  std::string document = "form";
  std::string lang;
  std::string version;
  std::string instrument = "instrument-x";
  std::string profile;
  std::string case_file;
  std::string plan_file;
  std::string person;
  std::string municipality;
  std::string output;
};

int Render(const Context& ctx, const RenderOptions& o) {
  auto session = ctx.LoadPlugin();
  if (!session.ok()) return ctx.Fail(kExitPlugin, session.status().message());
  auto table = forms::FormsTable(*session);
  if (!table.ok()) return ctx.Fail(kExitPlugin, table.status().message());
  v1::RenderFormRequest request;
  request.mutable_definition()->set_instrument_id(o.instrument);
  request.set_profile_id(o.profile);
  std::string version = o.version;
  if (o.document == "plan") {
    request.set_document(v1::PRINT_DOCUMENT_CLIENT_PLAN);
    request.set_person_ref(o.person);
    if (!o.case_file.empty()) {
      int rc = kExitOk;
      auto c = LoadCase(ctx, o.case_file, &rc);
      if (!c) return rc;
      if (!c->has_plan()) return ctx.Fail(kExitBadInput, o.case_file + ": the case has no plan (ixctl plan)");
      *request.mutable_plan() = c->plan();
    } else if (!o.plan_file.empty()) {
      auto text = ReadFile(o.plan_file);
      if (!text.ok()) return ctx.Fail(kExitBadInput, text.status().message());
      if (Status s = ParseJson(*text, o.plan_file, request.mutable_plan()); !s.ok()) return ctx.Fail(kExitBadInput, s.message());
    } else {
      return ctx.Fail(kExitBadInput, "--document plan needs --case CASE or --plan PLAN.json");
    }
  } else if (o.document == "catalogue") {
    request.set_document(v1::PRINT_DOCUMENT_INTERVENTION_CATALOGUE);
  } else if (version.empty()) {  // the form: the newest version the plugin carries
    request.set_document(v1::PRINT_DOCUMENT_FORM);
    auto described = session->Call<v1::DescribeResponse>(session->table().describe, v1::DescribeRequest());
    if (!described.ok()) return ctx.Fail(kExitPlugin, "describe: " + described.status().ToString());
    for (const auto& i : described->instruments()) {
      if (i.ref().instrument_id() == o.instrument) version = i.ref().version();
    }
  }
  request.mutable_definition()->set_version(version);
  request.set_language(o.lang.empty() ? ctx.global.lang : o.lang);
  request.set_municipality(o.municipality);
  auto response = session->Call<v1::RenderFormResponse>((*table)->render_form, request);
  if (!response.ok()) return ctx.FailCall("render-form", response.status());
  if (o.output.empty()) {
    ctx.out << response->html();
    return kExitOk;
  }
  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  out << response->html();
  if (!out) return ctx.Fail(kExitBadInput, o.output + ": write failed");
  const std::string what = o.document == "plan" ? "the client's plan" : o.document == "catalogue" ? "the intervention catalogue"
                                                                                                   : o.instrument + "@" + version;
  ctx.out << o.output << ": " << what << " (" << request.language() << "), " << response->html().size() << " bytes\n";
  return kExitOk;
}

}  // namespace

void RegisterRenderForm(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("render-form",
                                 "Render the printable form, the client's plan or the intervention catalogue (self-contained accessible HTML)");
  auto o = std::make_shared<RenderOptions>();
  cmd->add_option("--document", o->document, "What to print: the form, the client's plan, the intervention catalogue")
      ->check(CLI::IsMember({"form", "plan", "catalogue"}))
      ->capture_default_str();
  cmd->add_option("--lang", o->lang,
                  "Language, a BCP 47 tag: sv, en, ar, fi, sv-x-easy (lättläst) or any other; missing texts fall back "
                  "(default: the global --lang)");
  cmd->add_option("--version", o->version, "Definition version (default: the newest)");
  cmd->add_option("--instrument", o->instrument, "Instrument id")->capture_default_str();
  cmd->add_option("--profile", o->profile, "Municipality profile: items of modules it switches off are not printed (default: the default profile)");
  cmd->add_option("--case", o->case_file, "plan: the case file whose plan is printed");
  cmd->add_option("--plan", o->plan_file, "plan: the plan (canonical JSON of ix.v1.Plan) instead of a case file");
  cmd->add_option("--person", o->person, "plan: print only this person's goals and interventions");
  cmd->add_option("--municipality", o->municipality, "Municipality name printed in the header, e.g. \"Södertälje kommun\"");
  cmd->add_option("-o,--output", o->output, "Write the HTML to this file (default: standard output)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Render(ctx, *o); }; });
}

}  // namespace ix::cli
