// ix-plugin-worker: serves one plugin version for ix-server in a process of its own.
//
// Started by the server's worker pool (never by hand) with the plugin's path, a scratch folder,
// the ABI range and the limits; its socket to the server is file descriptor 3. It closes every
// other inherited descriptor, dies with the server (PR_SET_PDEATHSIG), restricts itself
// (sandbox.hpp; it may write files only in the scratch folder, or none without Landlock), loads the plugin with the host library's loader, says hello, then answers one
// call at a time until the server closes the socket. It holds nothing but the plugin, so
// killing it mid-call loses nothing but that call.
#include <ix/host/loader.hpp>
#include <ix/isolation/protocol.hpp>

#include "sandbox.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace {

namespace iso = ix::isolation;
constexpr int kSocket = 3;

void SendLoadFailed(const ix::Status& status) {
  std::string head(1, static_cast<char>(static_cast<uint8_t>(status.code())));
  head.append(status.reason().empty() ? ix::kReasonPluginLoad : status.reason());
  head.push_back('\0');
  iso::WriteFrame(kSocket, iso::kFrameLoadFailed, head, status.message());
}

// The functions of kFunctions this plugin offers, resolved once from its own tables.
struct Resolved {
  ix_call_fn fn[iso::kFunctionCount] = {};
  iso::Hello hello;
};

Resolved Resolve(const ix::PluginSession& session) {
  Resolved r;
  const ix_plugin& t = session.table();
  r.hello.abi_major = t.abi_major;
  r.hello.abi_minor = t.abi_minor;
  r.hello.error_format = static_cast<uint32_t>(session.error_format());
  r.hello.name = std::string(session.name());
  r.hello.version = std::string(session.version());
  for (size_t i = 0; i < t.instrument_count; ++i) r.hello.instruments.emplace_back(t.instruments[i]);
  const void* tables[iso::kTableCount] = {&t, nullptr, nullptr};
  for (size_t k = 1; k < iso::kTableCount; ++k) {
    const char* id = iso::ExtensionIdOf(static_cast<iso::TableId>(k));
    tables[k] = t.get_extension != nullptr ? t.get_extension(t.context, id) : nullptr;
    // Every extension table starts with its struct_size.
    if (tables[k] != nullptr) std::memcpy(&r.hello.struct_size[k], tables[k], sizeof(uint32_t));
  }
  r.hello.struct_size[0] = t.struct_size;
  for (size_t i = 0; i < iso::kFunctionCount; ++i) {
    const iso::FunctionSlot& slot = iso::kFunctions[i];
    const auto k = static_cast<size_t>(slot.table);
    if (tables[k] == nullptr || r.hello.struct_size[k] < slot.offset + sizeof(ix_call_fn)) continue;
    ix_call_fn fn = nullptr;
    std::memcpy(&fn, static_cast<const char*>(tables[k]) + slot.offset, sizeof fn);
    if (fn == nullptr) continue;
    r.fn[i] = fn;
    r.hello.available |= uint64_t{1} << i;
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  // Nothing of the server's but the socket and the standard streams.
  ::syscall(SYS_close_range, 4u, ~0u, 0u);
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  auto number = [&](const char* key) -> uint64_t {
    auto it = args.find(key);
    return it == args.end() ? 0 : std::strtoull(it->second.c_str(), nullptr, 10);
  };
  if (args.count("--plugin") == 0 || args.count("--scratch") == 0) {
    std::fprintf(stderr, "ix-plugin-worker: started by ix-server only (missing --plugin/--scratch)\n");
    return 2;
  }
  // Die with the server; if it is already gone, do not start.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (args.count("--parent") != 0 && static_cast<uint64_t>(::getppid()) != number("--parent")) return 3;

  auto log = spdlog::stderr_logger_mt("ix-plugin-worker");
  log->set_pattern("%Y-%m-%dT%H:%M:%S.%e [ix-plugin-worker " + std::to_string(::getpid()) + "] %l %v");

  iso::worker::SandboxOptions sandbox;
  sandbox.scratch = args["--scratch"];
  sandbox.address_space_bytes = number("--address-space-bytes");
  sandbox.cpu_seconds = number("--cpu-seconds");
  if (args.count("--cpu-grace-seconds") != 0) sandbox.cpu_grace_seconds = number("--cpu-grace-seconds");
  sandbox.file_bytes = number("--file-bytes");
  sandbox.seccomp = args["--seccomp"] != "off";
  sandbox.landlock = args["--landlock"] != "off";
  const iso::worker::SandboxResult sandboxed = iso::worker::ApplySandbox(sandbox);
  if (!sandboxed.failed.empty()) {
    SendLoadFailed(ix::Status(ix::StatusCode::kFailedPrecondition, "plugin worker sandbox: " + sandboxed.failed));
    return 4;
  }

  ix::host::LoadOptions load;
  load.abi_major = static_cast<uint16_t>(number("--abi-major"));
  load.min_minor = static_cast<uint16_t>(number("--min-minor"));
  load.max_minor = static_cast<uint16_t>(number("--max-minor"));
  load.error_format = static_cast<ix_error_format>(number("--error-format"));
  load.logger = log;
  auto session = ix::host::LoadPlugin(args["--plugin"], load);
  if (!session.ok()) {
    SendLoadFailed(session.status());
    return 5;
  }
  Resolved resolved = Resolve(*session);
  resolved.hello.writes_in_scratch = sandboxed.writes_in_scratch;
  resolved.hello.writes = sandboxed.writes;
  if (iso::WriteFrame(kSocket, iso::kFrameHello, iso::EncodeHello(resolved.hello), {}) != iso::IoOutcome::kOk) {
    return 6;
  }
  const ix_plugin& table = session->table();
  char type = 0;
  std::string body;
  while (iso::ReadFrame(kSocket, &type, &body) == iso::IoOutcome::kOk) {
    if (type != iso::kFrameCall || body.size() < 2) return 7;
    const size_t index = static_cast<uint8_t>(body[0]) | (static_cast<size_t>(static_cast<uint8_t>(body[1])) << 8);
    ix_buffer out{nullptr, 0};
    ix_status rc = IX_ERR_INCOMPATIBLE_ABI;
    std::string head;
    const bool offered = index < iso::kFunctionCount && resolved.fn[index] != nullptr;
    if (offered) {
      rc = resolved.fn[index](table.context, reinterpret_cast<const uint8_t*>(body.data()) + 2,
                              body.size() - 2, &out);
    }
    iso::PutU32(&head, static_cast<uint32_t>(rc));
    const bool retiring = iso::worker::CpuBudgetSpent();
    head.push_back(static_cast<char>(retiring ? iso::kResultRetiring : 0));
    const std::string_view bytes =
        out.data != nullptr ? std::string_view(reinterpret_cast<const char*>(out.data), out.size)
        : offered           ? std::string_view()
                            : std::string_view("function not offered by the plugin");
    const bool sent = iso::WriteFrame(kSocket, iso::kFrameResult, head, bytes) == iso::IoOutcome::kOk;
    table.free_buffer(table.context, &out);
    if (!sent || retiring) return 0;
  }
  return 0;
}
