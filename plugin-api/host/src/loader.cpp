#include <ix/host/loader.hpp>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <boost/dll/shared_library.hpp>
#include <boost/dll/runtime_symbol_info.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <cstddef>
#include <dlfcn.h>
#include <cstdlib>
#include <optional>
#include <vector>
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

// Every refusal of LoadPlugin carries kReasonPluginLoad: callers tell "the plugin did not
// load" from other failures with the same code by the reason, not by a code of their own.
Status Fail(StatusCode code, const std::filesystem::path& path, const std::string& what) {
  return Status(code, path.string() + ": " + what).WithReason(kReasonPluginLoad);
}

// --- ix.v1.CallError, read with protobuf's wire-format reader -------------------------------
// The host library is part of the SDK and must not drag the generated model (ix_proto) into
// every host; libprotobuf-lite's CodedInputStream reads the few fields by their numbers,
// which proto/ix/v1/plugin.proto and problem.proto promise never to change. Unknown fields
// (a newer plugin's additions) are skipped, as a generated parser would.
namespace wire = google::protobuf::internal;
using WireType = wire::WireFormatLite::WireType;

struct CallErrorImage {
  std::string message;
  std::vector<Problem> problems;
};

// Reads one length-delimited field's bytes as a nested message with `read_field`.
template <typename ReadField>
bool ReadNested(google::protobuf::io::CodedInputStream& in, ReadField read_field) {
  uint32_t length = 0;
  if (!in.ReadVarint32(&length)) return false;
  const auto limit = in.PushLimit(static_cast<int>(length));
  while (const uint32_t tag = in.ReadTag()) {
    if (!read_field(tag)) return false;
  }
  // True only when the loop stopped at the nested message's end, not at a malformed tag.
  const bool whole = in.ConsumedEntireMessage();
  in.PopLimit(limit);
  return whole;
}

bool ReadString(google::protobuf::io::CodedInputStream& in, uint32_t tag, std::string* out) {
  if (wire::WireFormatLite::GetTagWireType(tag) != WireType::WIRETYPE_LENGTH_DELIMITED) return false;
  return wire::WireFormatLite::ReadString(&in, out);
}

bool Skip(google::protobuf::io::CodedInputStream& in, uint32_t tag) {
  return wire::WireFormatLite::SkipField(&in, tag);
}

// ix.v1.LocalizedText { string sv = 1; string en = 2; }
bool ReadText(google::protobuf::io::CodedInputStream& in, Problem* p) {
  return ReadNested(in, [&](uint32_t tag) {
    switch (wire::WireFormatLite::GetTagFieldNumber(tag)) {
      case 1: return ReadString(in, tag, &p->sv);
      case 2: return ReadString(in, tag, &p->en);
      default: return Skip(in, tag);
    }
  });
}

// ix.v1.Problem { Severity severity = 1; string code = 2; string path = 3; …;
//                 LocalizedText message = 7; }
bool ReadProblem(google::protobuf::io::CodedInputStream& in, Problem* p) {
  return ReadNested(in, [&](uint32_t tag) {
    switch (wire::WireFormatLite::GetTagFieldNumber(tag)) {
      case 1: {
        uint32_t severity = 0;
        if (wire::WireFormatLite::GetTagWireType(tag) != WireType::WIRETYPE_VARINT ||
            !in.ReadVarint32(&severity)) {
          return false;
        }
        p->severity = severity == 2 ? Severity::kWarning
                      : severity == 1 ? Severity::kError
                                      : Severity::kUnspecified;
        return true;
      }
      case 2: return ReadString(in, tag, &p->code);
      case 3: return ReadString(in, tag, &p->path);
      case 7:
        return wire::WireFormatLite::GetTagWireType(tag) == WireType::WIRETYPE_LENGTH_DELIMITED &&
               ReadText(in, p);
      default: return Skip(in, tag);
    }
  });
}

// ix.v1.CallError { string message = 1; repeated Problem problems = 2; }
std::optional<CallErrorImage> ReadCallError(std::string_view bytes) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  CallErrorImage error;
  while (const uint32_t tag = in.ReadTag()) {
    bool ok = false;
    switch (wire::WireFormatLite::GetTagFieldNumber(tag)) {
      case 1: ok = ReadString(in, tag, &error.message); break;
      case 2:
        ok = wire::WireFormatLite::GetTagWireType(tag) == WireType::WIRETYPE_LENGTH_DELIMITED &&
             ReadProblem(in, &error.problems.emplace_back());
        break;
      default: ok = Skip(in, tag); break;
    }
    if (!ok) return std::nullopt;
  }
  if (!in.ConsumedEntireMessage()) return std::nullopt;
  return error;
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
    return Fail(StatusCode::kFailedPrecondition, path, "expected a plugin shared object, found a directory or special file");
  }

  auto loaded = std::make_shared<LoadedLibrary>();
  loaded->logger = options.logger ? options.logger : spdlog::default_logger();
  boost::dll::fs::error_code load_error;
  // RTLD_NODELETE: even when the last handle goes, the code stays mapped. Plugins never unload
  // (docs/design-lessons.md): a thread or an atexit handler inside a library must never hit unmapped code.
  const auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                    static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
  loaded->library.load(boost::dll::fs::path(path.string()), mode, load_error);
  if (load_error) {
    return Fail(StatusCode::kFailedPrecondition, path,
                "expected a loadable shared object, the loader said: " + load_error.message());
  }
  if (!loaded->library.has(IX_PLUGIN_ENTRY_SYMBOL)) {
    return Fail(StatusCode::kFailedPrecondition, path,
                std::string("expected exported entry symbol '") + IX_PLUGIN_ENTRY_SYMBOL +
                    "', found none (not an Instrument X plugin, or built for another ABI major)");
  }
  ix_plugin_entry_fn entry = nullptr;
  try {
    // get<> on the one C symbol: works on Boost 1.74 (no import/import_symbol naming issue).
    entry = &loaded->library.get<std::remove_pointer_t<ix_plugin_entry_fn>>(IX_PLUGIN_ENTRY_SYMBOL);
  } catch (const std::exception& e) {
    return Fail(StatusCode::kFailedPrecondition, path, std::string("entry symbol lookup failed: ") + e.what());
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
  offer.error_format = static_cast<uint32_t>(options.error_format);

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
    return Fail(StatusCode::kUnimplemented, path, "plugin returned IX_OK but no function table");
  }
  // From here on the table is ours to release if we refuse it.
  auto keep_alive = std::shared_ptr<void>(loaded, loaded.get());
  auto refuse = [&](const std::string& what) -> Result<PluginSession> {
    if (table->struct_size >= offsetof(ix_plugin, release) + sizeof(table->release) && table->release) {
      table->release(table->context);
    }
    return Fail(StatusCode::kUnimplemented, path, what);
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
  // The plugin writes a CallError only when both sides speak 1.1 and the host asked for it
  // (plugin.h, ix_abi_offer.error_format); otherwise every error buffer is text.
  const bool structured =
      table->abi_minor >= 1 && options.error_format == IX_ERROR_FORMAT_CALL_ERROR;
  return PluginSession(table, std::move(keep_alive), path.string(),
                       structured ? &DecodeCallError : &TextError,
                       structured ? IX_ERROR_FORMAT_CALL_ERROR : IX_ERROR_FORMAT_TEXT);
}

Status DecodeCallError(ix_status status, std::string_view error_buffer) {
  std::optional<CallErrorImage> error = ReadCallError(error_buffer);
  // A buffer that is not a CallError (a plugin that wrote text although it agreed to 1.1) is
  // kept as text rather than lost: a parse that yields neither a message nor a problem did not
  // read a CallError, whatever the wire format accepted.
  if (!error || (error->message.empty() && error->problems.empty())) {
    return TextError(status, error_buffer);
  }
  if (error->message.empty()) {
    error->message = error->problems.front().path + ": " + error->problems.front().en;
  }
  return Status(FromAbiStatus(status), std::move(error->message), std::move(error->problems));
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
