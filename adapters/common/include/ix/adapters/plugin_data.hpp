// What the adapters need from the serving plugin, asked the same way by every user (ixctl, the
// adapters' gRPC services in ix-server, tests): the definitions it carries and its
// försörjningshinder table. The adapters never keep a copy of either.
#ifndef IX_ADAPTERS_PLUGIN_DATA_HPP
#define IX_ADAPTERS_PLUGIN_DATA_HPP

#include <ix/plugin.hpp>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/definition.pb.h"

#include <vector>

namespace ix::adapters {

// Every definition the plugin carries (describe with include_definitions).
Result<std::vector<v1::Definition>> PluginDefinitions(const PluginSession& plugin);

// The plugin's försörjningshinder table (the "ix.categorisation/1" describe). UNIMPLEMENTED
// when the plugin lacks the extension, NOT_FOUND when it carries no table.
Result<v1::ForsorjningshinderTable> PluginForsorjningshinder(const PluginSession& plugin);

}  // namespace ix::adapters

#endif  // IX_ADAPTERS_PLUGIN_DATA_HPP
