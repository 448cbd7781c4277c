#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include <ix/host/loader.hpp>

#include "ix/v1/plugin.pb.h"

#include <CLI/CLI.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ostream>

namespace ix::cli {
namespace {

constexpr const char* kExitCodesHelp =
    "Exit codes: 0 ok (validate: no errors), 1 validate found errors, 2 bad command line,\n"
    "3 bad input file, 4 plugin could not be loaded or refused the request.\n"
    "Environment: IX_PLUGIN_PATH overrides the bundled plugin.";

struct GlobalOptions {
  std::string plugin_path;
  bool json = false;
  std::string lang = "en";
  bool verbose = false;
};

const std::string& InLanguage(const v1::LocalizedText& text, const std::string& lang) {
  return lang == "sv" ? text.sv() : text.en();
}

// Loads the plugin; logs from it go to `err` (only with --verbose: warnings and up otherwise).
Result<PluginSession> Load(const GlobalOptions& g, std::ostream& err) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(err);
  auto logger = std::make_shared<spdlog::logger>("ixctl", sink);
  logger->set_level(g.verbose ? spdlog::level::debug : spdlog::level::warn);
  logger->set_pattern("ixctl: %l: %v");
  host::LoadOptions options;
  options.logger = logger;
  const std::filesystem::path path =
      g.plugin_path.empty() ? host::DefaultPluginPath() : std::filesystem::path(g.plugin_path);
  return host::LoadPlugin(path, options);
}

int Describe(const GlobalOptions& g, bool include_definitions, std::ostream& out, std::ostream& err) {
  auto session = Load(g, err);
  if (!session.ok()) {
    err << "ixctl: " << session.status().message() << "\n";
    return kExitPlugin;
  }
  v1::DescribeRequest request;
  request.set_include_definitions(include_definitions);
  auto response = session->Call<v1::DescribeResponse>(session->table().describe, request);
  if (!response.ok()) {
    err << "ixctl: describe: " << response.status().ToString() << "\n";
    return kExitPlugin;
  }
  if (g.json) {
    out << ToJson(*response) << "\n";
    return kExitOk;
  }
  out << "plugin   " << response->plugin_name() << " " << response->plugin_version() << " (ABI "
      << session->abi_version() << ", " << session->origin() << ")\n";
  for (const auto& instrument : response->instruments()) {
    out << "instrument " << instrument.ref().instrument_id() << "@" << instrument.ref().version()
        << "  " << instrument.item_count() << " items  " << InLanguage(instrument.title(), g.lang)
        << "\n";
  }
  if (include_definitions) {
    for (const auto& d : response->definitions()) {
      out << "\n" << d.id() << "@" << d.version() << ": " << InLanguage(d.notice(), g.lang) << "\n";
      for (const auto& part : d.parts()) {
        out << "  part " << part.number() << ": " << InLanguage(part.title(), g.lang) << "\n";
        for (const auto& section : part.sections()) {
          for (const auto& item : section.items()) {
            out << "    " << item.id() << (item.required() ? " *" : "") << "  "
                << InLanguage(item.label(), g.lang) << "\n";
          }
        }
      }
    }
  }
  return kExitOk;
}

int Validate(const GlobalOptions& g, const std::string& file, const std::string& as_of,
             std::ostream& out, std::ostream& err) {
  auto text = ReadFile(file);
  if (!text.ok()) {
    err << "ixctl: " << text.status().message() << "\n";
    return kExitBadInput;
  }
  v1::ValidateRequest request;
  if (Status parsed = ParseJson(*text, file, request.mutable_response()); !parsed.ok()) {
    err << "ixctl: " << parsed.message() << "\n";
    return kExitBadInput;
  }
  request.set_as_of_date(as_of);
  auto session = Load(g, err);
  if (!session.ok()) {
    err << "ixctl: " << session.status().message() << "\n";
    return kExitPlugin;
  }
  auto response = session->Call<v1::ValidateResponse>(session->table().validate, request);
  if (!response.ok()) {
    err << "ixctl: " << file << ": " << response.status().message() << "\n";
    return response.status().code() == StatusCode::kInternal ? kExitPlugin : kExitBadInput;
  }
  if (g.json) {
    out << ToJson(*response) << "\n";
  } else {
    const auto& problems = response->problems();
    const auto errors = std::count_if(problems.begin(), problems.end(), [](const auto& p) {
      return p.severity() == v1::SEVERITY_ERROR;
    });
    const auto& pin = response->validated_against();
    out << file << ": " << pin.instrument_id() << "@" << pin.version() << ": "
        << (response->valid() ? "valid" : "NOT valid") << " (" << errors << " error(s), "
        << problems.size() - errors << " warning(s))\n";
    for (const auto& p : problems) {
      out << "  " << (p.severity() == v1::SEVERITY_ERROR ? "error  " : "warning") << "  "
          << p.path() << "  [" << p.code() << "]  " << InLanguage(p.message(), g.lang) << "\n";
    }
  }
  return response->valid() ? kExitOk : kExitProblems;
}

}  // namespace

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"ixctl — Instrument X command-line tool: loads the Instrument X plugin through the "
               "host library and runs one command.",
               "ixctl"};
  app.footer(kExitCodesHelp);
  app.require_subcommand(1);
  GlobalOptions g;
  app.add_option("--plugin", g.plugin_path, "Plugin shared object to load (default: the bundled plugin)");
  app.add_flag("--json", g.json, "Print machine-readable canonical JSON instead of text");
  app.add_option("--lang", g.lang, "Language of labels and messages")
      ->check(CLI::IsMember({"sv", "en"}))
      ->capture_default_str();
  app.add_flag("-v,--verbose", g.verbose, "Log the host's and plugin's debug messages to stderr");

  bool include_definitions = false;
  auto* describe = app.add_subcommand("describe", "Show the plugin and the instrument definitions it carries");
  describe->add_flag("--definition", include_definitions, "Also list every part and item of each definition");

  std::string file, as_of;
  auto* validate = app.add_subcommand(
      "validate", "Validate a household's response (canonical JSON of ix.v1.InstrumentResponse) "
                  "against the definition version it is pinned to");
  validate->add_option("FILE", file, "Response file (canonical JSON)")->required();
  validate->add_option("--as-of", as_of, "Validate as of this date YYYY-MM-DD (default: today)");

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "ixctl: " << e.what() << "\nRun 'ixctl --help' for usage.\n";
    return kExitUsage;
  }
  if (describe->parsed()) return Describe(g, include_definitions, out, err);
  if (validate->parsed()) return Validate(g, file, as_of, out, err);
  return kExitUsage;
}

}  // namespace ix::cli
