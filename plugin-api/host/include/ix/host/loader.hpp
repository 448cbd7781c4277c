// The host library: finds, loads and negotiates Instrument X plugins.
//
// Loading uses Boost.DLL (boost::dll::shared_library + get<> on the one C entry symbol).
// The shared object stays mapped for as long as any PluginSession from it is alive; the host
// never unloads a library that might still have code running (docs/design-lessons.md).
// Every failure comes back as a Status whose message names the file, what was expected and
// what was found.
#ifndef IX_HOST_LOADER_HPP
#define IX_HOST_LOADER_HPP

#include <ix/plugin.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace ix::host {

struct LoadOptions {
  // The range the host offers. Defaults: exactly what this build of the header describes.
  uint16_t abi_major = IX_ABI_MAJOR;
  uint16_t min_minor = 0;
  uint16_t max_minor = IX_ABI_MINOR;
  // How failed calls should describe themselves (ABI 1.1, ix_abi_offer.error_format). By
  // default the host asks for a serialized ix.v1.CallError, which the session decodes into the
  // Status's problems (path, code, severity, Swedish/English text). A plugin that negotiates
  // 1.0 always answers text; so does every plugin when this is IX_ERROR_FORMAT_TEXT.
  ix_error_format error_format = IX_ERROR_FORMAT_CALL_ERROR;
  // Where the plugin's log records go (through the ABI's log callback). Null: the default
  // spdlog logger.
  std::shared_ptr<spdlog::logger> logger;
};

// Loads the plugin at `path` and negotiates an ABI version. Thread-safe.
// The session remembers the negotiated error format (PluginSession::error_format()) and
// decodes failed calls accordingly. Every refusal carries the reason kReasonPluginLoad; its
// code says why: NOT_FOUND (no file), FAILED_PRECONDITION (not a loadable plugin),
// UNIMPLEMENTED (no common ABI version, incomplete table), or the plugin's own refusal
// through FromAbiStatus.
Result<PluginSession> LoadPlugin(const std::filesystem::path& path, const LoadOptions& options = {});

// The ErrorDecoder LoadPlugin installs when the session negotiated structured errors: parses
// the error buffer as an ix.v1.CallError into the Status's message and problems. A buffer that
// is not one is read as text (message only), so a plugin that ignores the request still works.
Status DecodeCallError(ix_status status, std::string_view error_buffer);

// The plugin built and installed with this host (the bundled default): the IX_PLUGIN_PATH
// environment variable if set, else the path next to the running executable, else the
// build-time location.
std::filesystem::path DefaultPluginPath();

}  // namespace ix::host

#endif  // IX_HOST_LOADER_HPP
