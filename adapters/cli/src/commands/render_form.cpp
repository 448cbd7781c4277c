// ixctl render-form --lang sv|en [--version V] [--municipality NAME] [-o FILE]: the printable
// form as one self-contained, accessible HTML page.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "forms_common.hpp"
#include "ix/v1/plugin.pb.h"

#include <fstream>

namespace ix::cli {
namespace {

struct RenderOptions {
  std::string lang;
  std::string version;
  std::string instrument = "instrument-x";
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
  std::string version = o.version;
  if (version.empty()) {  // the newest version the plugin carries
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
  ctx.out << o.output << ": " << o.instrument << "@" << version << " (" << request.language() << "), "
          << response->html().size() << " bytes\n";
  return kExitOk;
}

}  // namespace

void RegisterRenderForm(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("render-form", "Render the printable form (self-contained accessible HTML)");
  auto o = std::make_shared<RenderOptions>();
  cmd->add_option("--lang", o->lang, "Language of the form (default: the global --lang)")->check(CLI::IsMember({"sv", "en"}));
  cmd->add_option("--version", o->version, "Definition version (default: the newest)");
  cmd->add_option("--instrument", o->instrument, "Instrument id")->capture_default_str();
  cmd->add_option("--municipality", o->municipality, "Municipality name printed in the header, e.g. \"Södertälje kommun\"");
  cmd->add_option("-o,--output", o->output, "Write the HTML to this file (default: standard output)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Render(ctx, *o); }; });
}

}  // namespace ix::cli
