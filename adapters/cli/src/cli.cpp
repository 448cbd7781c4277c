#include <ix/cli/cli.hpp>

#include <ix/host/loader.hpp>

#include "command.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <ostream>

namespace ix::cli {
namespace {

constexpr const char* kFooter =
    "Exit codes: 0 ok (validate: no errors), 1 validate found errors, 2 bad command line,\n"
    "3 bad input file, 4 plugin could not be loaded or refused the request,\n"
    "5 (admin) ix-server refused the request or could not be reached.\n"
    "Environment: IX_PLUGIN_PATH overrides the bundled plugin.\n"
    "Run 'ixctl COMMAND --help' for a command's options.";

// Every command, in the order --help lists them.
constexpr void (*kCommands[])(CLI::App&, Context&) = {
    &RegisterDescribe,
    &RegisterValidate,
    &RegisterAnswer, &RegisterAmend, &RegisterComplete, &RegisterMigrate, &RegisterRenderForm, &RegisterTrail,  // forms
    &RegisterSuggest, &RegisterAssess, &RegisterHistory, &RegisterDue, &RegisterPlan, &RegisterFollowUp,  // categorisation
    &RegisterBundle, &RegisterAdmin,
    &RegisterFhir, &RegisterLifecare, &RegisterFieldCodes, &RegisterExchange,  // vendors and exchange
    &RegisterImport,
    &RegisterReport,
    &RegisterGenerate,
    &RegisterKeys,
    &RegisterStatistics,
};

}  // namespace

Result<PluginSession> Context::LoadPlugin() const {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(err);
  auto logger = std::make_shared<spdlog::logger>("ixctl", sink);
  logger->set_level(global.verbose ? spdlog::level::debug : spdlog::level::warn);
  logger->set_pattern("ixctl: %l: %v");
  host::LoadOptions options;
  options.logger = logger;
  const std::filesystem::path path = global.plugin_path.empty()
                                         ? host::DefaultPluginPath()
                                         : std::filesystem::path(global.plugin_path);
  return host::LoadPlugin(path, options);
}

const std::string& Context::InLanguage(const v1::LocalizedText& text) const {
  return global.lang == "sv" ? text.sv() : text.en();
}

int Context::Fail(int code, const std::string& message) const {
  err << "ixctl: " << message << "\n";
  return code;
}

int Context::FailCall(const std::string& what, const Status& status) const {
  const bool bad_input =
      status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound;
  const int code = Fail(bad_input ? kExitBadInput : kExitPlugin, what + ": " + status.message());
  // The message names the first problem; a structured error may carry more.
  if (status.problems().size() > 1) {
    for (const Problem& p : status.problems()) {
      const std::string& text = global.lang == "sv" && !p.sv.empty() ? p.sv : p.en;
      err << "  " << p.path << ": " << text << "\n";
    }
  }
  return code;
}

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"ixctl — Instrument X command-line tool: loads the Instrument X plugin through the "
               "host library and runs one command.",
               "ixctl"};
  app.footer(kFooter);
  app.require_subcommand(1);
  Context ctx{GlobalOptions{}, out, err, nullptr};
  GlobalOptions& g = ctx.global;
  app.add_option("--plugin", g.plugin_path, "Plugin shared object to load (default: the bundled plugin)");
  app.add_flag("--json", g.json, "Print machine-readable canonical JSON instead of text");
  app.add_option("--lang", g.lang, "Language of labels and messages")
      ->check(CLI::IsMember({"sv", "en"}))
      ->capture_default_str();
  app.add_flag("-v,--verbose", g.verbose, "Log the host's and plugin's debug messages to stderr");
  for (auto* register_command : kCommands) register_command(app, ctx);

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "ixctl: " << e.what() << "\nRun 'ixctl --help' for usage.\n";
    return kExitUsage;
  }
  return ctx.action ? ctx.action() : kExitUsage;
}

}  // namespace ix::cli
