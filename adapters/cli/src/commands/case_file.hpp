// The household case file the categorisation commands share (suggest, assess, history, due,
// plan, follow-up): canonical JSON of ix.v1.Case, read whole and rewritten atomically (a
// temporary file in the same directory, then rename), so a crash never leaves half a case.
// The plugin is stateless; every computation goes through the "ix.categorisation/1"
// extension with what the case file holds.
#ifndef IX_CLI_COMMANDS_CASE_FILE_HPP
#define IX_CLI_COMMANDS_CASE_FILE_HPP

#include <ix/ext/categorisation.h>

#include "../command.hpp"
#include "ix/v1/categorisation.pb.h"

#include <optional>
#include <string>

namespace ix::cli {

// Reads and parses a case file; on failure prints the error and sets *exit_code.
std::optional<v1::Case> LoadCase(const Context& ctx, const std::string& path, int* exit_code);
// Writes the case atomically. Returns an exit code (0 on success).
int SaveCase(const Context& ctx, const std::string& path, const v1::Case& c);

// The loaded plugin and its categorisation extension (NULL table: an error was printed).
struct CategorisationPlugin {
  std::optional<PluginSession> session;
  const ix_categorisation_v1* table = nullptr;
};
CategorisationPlugin LoadCategorisation(const Context& ctx, int* exit_code);


// "AM2 R1 R3 FI" → Category (AM1|AM2|AM3|none, R1|R2|R3, FI = vidare utredning).
std::optional<v1::Category> ParseCategory(const std::string& text, std::string* error);
std::string CategoryText(const v1::Category& c);

// The newest response answered on or before `date` ("" = the newest of all), or nullptr.
const v1::DatedResponse* LatestResponse(const v1::Case& c, const std::string& date);

}  // namespace ix::cli

#endif
