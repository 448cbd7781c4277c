// The host library: finds, loads and negotiates Instrument X plugins.
//
// Loading uses Boost.DLL (boost::dll::shared_library + get<> on the one C entry symbol).
// The shared object stays mapped for as long as any PluginSession from it is alive; the host
// never unloads a library that might still have code running (DESIGN.md §3).
// Every failure comes back as a Status whose message names the file, what was expected and
// what was found.
#ifndef IX_HOST_LOADER_HPP
#define IX_HOST_LOADER_HPP

#include <ix/plugin.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace ix::host {

struct LoadOptions {
  // The range the host offers. Defaults: exactly what this build of the header describes.
  uint16_t abi_major = IX_ABI_MAJOR;
  uint16_t min_minor = 0;
  uint16_t max_minor = IX_ABI_MINOR;
  // Where the plugin's log records go (through the ABI's log callback). Null: the default
  // spdlog logger.
  std::shared_ptr<spdlog::logger> logger;
};

// Loads the plugin at `path` and negotiates an ABI version. Thread-safe.
Result<PluginSession> LoadPlugin(const std::filesystem::path& path, const LoadOptions& options = {});

// The plugin built and installed with this host (the bundled default): the IX_PLUGIN_PATH
// environment variable if set, else the path next to the running executable, else the
// build-time location.
std::filesystem::path DefaultPluginPath();

}  // namespace ix::host

#endif  // IX_HOST_LOADER_HPP
