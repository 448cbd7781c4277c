#include <ix/host/loader.hpp>

#include <boost/dll/shared_library.hpp>
#include <boost/dll/runtime_symbol_info.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <cstddef>
#include <dlfcn.h>
#include <cstdlib>
#include <string_view>
#include <system_error>

namespace ix::host {
namespace {

// Everything that must outlive a session: the mapped library and the services the plugin
// borrowed. PluginSession keeps it alive through its keep-alive handle.
struct LoadedLibrary {
  boost::dll::shared_library library;
  ix_host_services services{};
  std::shared_ptr<spdlog::logger> logger;
};

spdlog::level::level_enum ToSpdlog(ix_log_level level) {
  switch (level) {
    case IX_LOG_TRACE: return spdlog::level::trace;
    case IX_LOG_DEBUG: return spdlog::level::debug;
    case IX_LOG_INFO: return spdlog::level::info;
    case IX_LOG_WARN: return spdlog::level::warn;
    case IX_LOG_ERROR: return spdlog::level::err;
  }
  return spdlog::level::info;
}

// The log callback handed to plugins. C linkage is not needed for a function pointer, but it
// must not throw: spdlog may (formatting, sinks), so everything is caught.
void LogFromPlugin(void* user_data, ix_log_level level, const char* message, size_t length) {
  try {
    auto* loaded = static_cast<LoadedLibrary*>(user_data);
    if (loaded == nullptr || loaded->logger == nullptr || message == nullptr) return;
    loaded->logger->log(ToSpdlog(level), "[plugin] {}", std::string_view(message, length));
  } catch (...) {
  }
}

Status Fail(StatusCode code, const std::filesystem::path& path, const std::string& what) {
  return Status(code, path.string() + ": " + what);
}

std::string Version(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

Result<PluginSession> LoadPlugin(const std::filesystem::path& path, const LoadOptions& options) {
  std::error_code fs_error;
  if (!std::filesystem::exists(path, fs_error)) {
    return Fail(StatusCode::kNotFound, path, "plugin file not found");
  }
  if (!std::filesystem::is_regular_file(path, fs_error)) {
    return Fail(StatusCode::kLoadFailed, path, "expected a plugin shared object, found a directory or special file");
  }

  auto loaded = std::make_shared<LoadedLibrary>();
  loaded->logger = options.logger ? options.logger : spdlog::default_logger();
  boost::dll::fs::error_code load_error;
  // RTLD_NODELETE: even when the last handle goes, the code stays mapped. Plugins never unload
  // (DESIGN.md §3): a thread or an atexit handler inside a library must never hit unmapped code.
  const auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                    static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
  loaded->library.load(boost::dll::fs::path(path.string()), mode, load_error);
  if (load_error) {
    return Fail(StatusCode::kLoadFailed, path,
                "expected a loadable shared object, the loader said: " + load_error.message());
  }
  if (!loaded->library.has(IX_PLUGIN_ENTRY_SYMBOL)) {
    return Fail(StatusCode::kLoadFailed, path,
                std::string("expected exported entry symbol '") + IX_PLUGIN_ENTRY_SYMBOL +
                    "', found none (not an Instrument X plugin, or built for another ABI major)");
  }
  ix_plugin_entry_fn entry = nullptr;
  try {
    // get<> on the one C symbol: works on Boost 1.74 (no import/import_symbol naming issue).
    entry = &loaded->library.get<std::remove_pointer_t<ix_plugin_entry_fn>>(IX_PLUGIN_ENTRY_SYMBOL);
  } catch (const std::exception& e) {
    return Fail(StatusCode::kLoadFailed, path, std::string("entry symbol lookup failed: ") + e.what());
  }

  loaded->services.struct_size = sizeof(ix_host_services);
  loaded->services.user_data = loaded.get();
  loaded->services.log = &LogFromPlugin;
  ix_abi_offer offer{};
  offer.struct_size = sizeof(ix_abi_offer);
  offer.abi_major = options.abi_major;
  offer.min_minor = options.min_minor;
  offer.max_minor = options.max_minor;
  offer.host = &loaded->services;

  std::array<char, 512> refusal{};
  const ix_plugin* table = nullptr;
  const ix_status rc = entry(&offer, &table, refusal.data(), refusal.size());
  refusal.back() = '\0';
  const std::string offered = Version(options.abi_major, options.min_minor) + "-" +
                              std::to_string(options.max_minor);
  if (rc != IX_OK) {
    std::string message = refusal[0] != '\0' ? refusal.data() : "(no message)";
    return Fail(FromAbiStatus(rc), path, "plugin refused negotiation: " + message);
  }
  if (table == nullptr) {
    return Fail(StatusCode::kIncompatibleAbi, path, "plugin returned IX_OK but no function table");
  }
  // From here on the table is ours to release if we refuse it.
  auto keep_alive = std::shared_ptr<void>(loaded, loaded.get());
  auto refuse = [&](const std::string& what) -> Result<PluginSession> {
    if (table->struct_size >= offsetof(ix_plugin, release) + sizeof(table->release) && table->release) {
      table->release(table->context);
    }
    return Fail(StatusCode::kIncompatibleAbi, path, what);
  };
  if (table->struct_size < offsetof(ix_plugin, abi_minor) + sizeof(table->abi_minor)) {
    return refuse("plugin table struct_size " + std::to_string(table->struct_size) + " is too small to hold a version");
  }
  if (table->abi_major != options.abi_major) {
    return refuse("expected ABI major " + std::to_string(options.abi_major) + " (host offers " +
                  offered + "), plugin answered ABI " + Version(table->abi_major, table->abi_minor));
  }
  if (table->abi_minor < options.min_minor || table->abi_minor > options.max_minor) {
    return refuse("expected an ABI minor within " + offered + ", plugin answered ABI " +
                  Version(table->abi_major, table->abi_minor) +
                  (table->abi_minor > options.max_minor ? " (newer than this host)" : " (older than this host accepts)"));
  }
  if (table->struct_size < sizeof(ix_plugin)) {
    return refuse("expected a function table of at least " + std::to_string(sizeof(ix_plugin)) +
                  " bytes for ABI " + Version(table->abi_major, table->abi_minor) + ", plugin answered " +
                  std::to_string(table->struct_size));
  }
  if (table->plugin_name == nullptr || table->plugin_version == nullptr ||
      table->free_buffer == nullptr || table->release == nullptr || table->describe == nullptr ||
      table->validate == nullptr) {
    return refuse("plugin table is missing a required entry (name, version, describe, validate, free_buffer or release)");
  }
  loaded->logger->debug("loaded plugin {} {} (ABI {}) from {}", table->plugin_name,
                        table->plugin_version, Version(table->abi_major, table->abi_minor),
                        path.string());
  return PluginSession(table, std::move(keep_alive), path.string());
}

std::filesystem::path DefaultPluginPath() {
  if (const char* env = std::getenv("IX_PLUGIN_PATH"); env != nullptr && *env != '\0') {
    return env;
  }
  const std::filesystem::path file = "libinstrument_x.so";
  boost::dll::fs::error_code location_error;
  const std::filesystem::path exe_dir =
      boost::dll::program_location(location_error).parent_path().string();
  std::error_code ec;
  for (const auto& candidate : {exe_dir / file, exe_dir / "../lib/instrument-x" / file,
                                std::filesystem::path(IX_BUILD_PLUGIN_DIR) / file}) {
    if (std::filesystem::exists(candidate, ec)) return candidate;
  }
  return std::filesystem::path(IX_BUILD_PLUGIN_DIR) / file;
}

}  // namespace ix::host
