// What every ixctl command sees: the global options, the output streams and the plugin loader.
// Each command lives in commands/<name>.cpp and registers itself with one Register* function
// (listed in cli.cpp), so adding a command touches no other command's code.
#ifndef IX_CLI_COMMAND_HPP
#define IX_CLI_COMMAND_HPP

#include <ix/plugin.hpp>

#include "ix/v1/problem.pb.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <string>

namespace ix::cli {

struct GlobalOptions {
  std::string plugin_path;
  bool json = false;
  std::string lang = "en";
  bool verbose = false;
};

struct Context {
  GlobalOptions global;
  std::ostream& out;
  std::ostream& err;
  // Set by the subcommand that was parsed; returns the exit code.
  std::function<int()> action;

  // Loads the plugin named by --plugin (default: the bundled one). Plugin and host logs go to
  // `err` (warnings and up; debug with --verbose).
  Result<PluginSession> LoadPlugin() const;
  // The text in the language chosen with --lang.
  const std::string& InLanguage(const v1::LocalizedText& text) const;
  // Prints "ixctl: <message>" to err and returns `code`.
  int Fail(int code, const std::string& message) const;
  // The one mapping of a failed call to an exit code: refused input (INVALID_ARGUMENT,
  // NOT_FOUND: a bad answer, an unknown version) is kExitBadInput, anything else kExitPlugin.
  // Prints "<what>: <message>", then each problem's path and text in the --lang language.
  int FailCall(const std::string& what, const Status& status) const;
};

void RegisterDescribe(CLI::App& app, Context& ctx);
void RegisterValidate(CLI::App& app, Context& ctx);
// Forms: commands/{answer,amend,complete,migrate,render_form,trail}.cpp
void RegisterAnswer(CLI::App& app, Context& ctx);
void RegisterAmend(CLI::App& app, Context& ctx);
void RegisterComplete(CLI::App& app, Context& ctx);
void RegisterMigrate(CLI::App& app, Context& ctx);
void RegisterRenderForm(CLI::App& app, Context& ctx);
void RegisterTrail(CLI::App& app, Context& ctx);
// Categorisation: commands/{suggest,assess,history,due,plan,follow_up}.cpp
void RegisterSuggest(CLI::App& app, Context& ctx);
void RegisterAssess(CLI::App& app, Context& ctx);
void RegisterHistory(CLI::App& app, Context& ctx);
void RegisterDue(CLI::App& app, Context& ctx);
void RegisterPlan(CLI::App& app, Context& ctx);
void RegisterFollowUp(CLI::App& app, Context& ctx);
void RegisterBundle(CLI::App& app, Context& ctx);  // signed plugin bundles
void RegisterAdmin(CLI::App& app, Context& ctx);   // plugin updates in a running ix-server
void RegisterFhir(CLI::App& app, Context& ctx);        // commands/fhir.cpp
void RegisterLifecare(CLI::App& app, Context& ctx);    // commands/lifecare.cpp
void RegisterFieldCodes(CLI::App& app, Context& ctx);  // commands/fieldcodes.cpp
void RegisterExchange(CLI::App& app, Context& ctx);    // commands/exchange.cpp
void RegisterImport(CLI::App& app, Context& ctx);    // statistics: events into the store
void RegisterReport(CLI::App& app, Context& ctx);    // statistics: reports from the store
void RegisterGenerate(CLI::App& app, Context& ctx);  // statistics: synthetic events
void RegisterKeys(CLI::App& app, Context& ctx);      // event store keys: rotate, retire
void RegisterStatistics(CLI::App& app, Context& ctx);  // network extracts and the network report

}  // namespace ix::cli

#endif  // IX_CLI_COMMAND_HPP
