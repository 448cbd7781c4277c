// What the adapter commands (fhir, lifecare, fieldcodes, exchange) share: the plugin's
// definitions and försörjningshinder table, output to a file or stdout, the translation report.
#ifndef IX_CLI_COMMANDS_ADAPTER_IO_HPP
#define IX_CLI_COMMANDS_ADAPTER_IO_HPP

#include <ix/adapters/protected_identity.hpp>

#include "../command.hpp"
#include "ix/v1/adapters.pb.h"
#include "ix/v1/categorisation.pb.h"
#include "ix/v1/definition.pb.h"
#include "ix/v1/response.pb.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ix::cli {

// Every definition the plugin carries (describe --definition). Prints the error on failure.
std::optional<std::vector<v1::Definition>> PluginDefinitions(const Context& ctx, int* exit_code);
// The plugin's försörjningshinder table (ix.categorisation/1 describe).
std::optional<v1::ForsorjningshinderTable> PluginForsorjningshinder(const Context& ctx, int* exit_code);

// Writes `text` to `path` ("" or "-": stdout). Returns an exit code.
int WriteOutput(const Context& ctx, const std::string& path, const std::string& text);

// The first word of a key file (hex), e.g. NAME.key / NAME.pub of ixctl bundle keygen.
Result<std::string> ReadHexFile(const std::string& path);
// A --trust entry KEY.pub=KOMMUNKOD: the public key read from the file, and the kommunkod.
Result<std::pair<std::string, std::string>> ReadTrust(const std::string& entry);

// The report on stderr, one line per note ("not carried: <path> — <detail> (×n)"); never values.
void PrintReport(const Context& ctx, const v1::TranslationReport& report);

// Reads canonical JSON of `Message` from a file; prints the error and sets *exit_code.
template <typename Message>
std::optional<Message> ReadCanonical(const Context& ctx, const std::string& path, int* exit_code);

// The protected-identity rule of an export of one response (fhir from-canonical, fieldcodes
// export): over every snapshot of the case in `case_path` (canonical JSON of ix.v1.Case; ""
// when none was given: the response's own household only). A case of another household is
// refused. Prints the error and sets *exit_code.
std::optional<adapters::ProtectedIdentity> ExportProtection(const Context& ctx, const v1::InstrumentResponse& response,
                                                            const std::string& case_path, int* exit_code);

}  // namespace ix::cli

#endif  // IX_CLI_COMMANDS_ADAPTER_IO_HPP
