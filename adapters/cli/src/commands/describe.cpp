// ixctl describe [--definition]: the plugin and the instrument definitions it carries.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "ix/v1/plugin.pb.h"

#include <cctype>

namespace ix::cli {
namespace {

std::string Kind(const v1::Item& item) {
  std::string type = v1::ItemType_Name(item.type()).substr(10);  // without "ITEM_TYPE_"
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string out = type + (item.scope() == v1::ITEM_SCOPE_HOUSEHOLD ? ", household" : ", every adult");
  if (item.has_calculated()) out += ", calculated";
  if (item.has_enable_when()) out += ", conditional";
  if (item.has_required_when()) out += ", required when";
  return out;
}

int Describe(const Context& ctx, bool include_definitions, const std::string& version) {
  auto session = ctx.LoadPlugin();
  if (!session.ok()) return ctx.Fail(kExitPlugin, session.status().message());
  v1::DescribeRequest request;
  request.set_include_definitions(include_definitions);
  auto response = session->Call<v1::DescribeResponse>(session->table().describe, request);
  if (!response.ok()) return ctx.Fail(kExitPlugin, "describe: " + response.status().ToString());
  std::ostream& out = ctx.out;
  if (ctx.global.json) {
    out << ToJson(*response) << "\n";
    return kExitOk;
  }
  out << "plugin   " << response->plugin_name() << " " << response->plugin_version() << " (ABI "
      << session->abi_version() << ", " << session->origin() << ")\n";
  for (const auto& instrument : response->instruments()) {
    out << "instrument " << instrument.ref().instrument_id() << "@" << instrument.ref().version()
        << "  " << instrument.item_count() << " items  " << ctx.InLanguage(instrument.title())
        << "\n";
  }
  for (const auto& d : response->definitions()) {
    if (!version.empty() && d.version() != version) continue;
    out << "\n" << d.id() << "@" << d.version() << ": " << ctx.InLanguage(d.notice()) << "\n";
    for (const auto& part : d.parts()) {
      out << "  part " << part.number() << ": " << ctx.InLanguage(part.title()) << "\n";
      for (const auto& section : part.sections()) {
        for (const auto& item : section.items()) {
          out << "    " << item.id() << (item.required() ? " *" : "") << "  "
              << ctx.InLanguage(item.label()) << "  (" << Kind(item) << ")\n";
        }
      }
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterDescribe(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("describe", "Show the plugin and the instrument definitions it carries");
  auto include_definitions = std::make_shared<bool>(false);
  auto version = std::make_shared<std::string>();
  cmd->add_flag("--definition", *include_definitions, "Also list every part and item of each definition");
  cmd->add_option("--version", *version, "With --definition: only this version, e.g. 2025.1");
  cmd->callback([&ctx, include_definitions, version] {
    ctx.action = [&ctx, include_definitions, version] { return Describe(ctx, *include_definitions, *version); };
  });
}

}  // namespace ix::cli
