// The plugin's self-test: before the server reports SERVING, the bundled golden cases
// (docs/examples/household.json must validate, household-invalid.json must not, with the
// expected problems) go through the negotiated plugin exactly as a client's calls would.
#ifndef IX_SERVER_SELF_TEST_HPP
#define IX_SERVER_SELF_TEST_HPP

#include <ix/plugin.hpp>

namespace ix::server {

// OK, or a status naming the golden case that failed and how.
Status SelfTest(const PluginSession& plugin);

}  // namespace ix::server

#endif  // IX_SERVER_SELF_TEST_HPP
