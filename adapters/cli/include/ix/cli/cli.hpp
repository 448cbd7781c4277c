// ixctl as a function: parses arguments, runs one command, writes to the given streams and
// returns the process exit code. main() is a one-line wrapper; tests call Run directly.
#ifndef IX_CLI_CLI_HPP
#define IX_CLI_CLI_HPP

#include <iosfwd>
#include <string>
#include <vector>

namespace ix::cli {

// Exit codes (documented in `ixctl --help`).
enum ExitCode : int {
  kExitOk = 0,            // done; for validate: no errors (warnings allowed)
  kExitProblems = 1,      // validate found errors in the response
  kExitUsage = 2,         // bad command line
  kExitBadInput = 3,      // input file missing, unreadable or not canonical JSON
  kExitPlugin = 4,        // the plugin could not be loaded or refused the request
  kExitServer = 5,        // admin: ix-server refused the request or could not be reached
};

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ix::cli

#endif  // IX_CLI_CLI_HPP
