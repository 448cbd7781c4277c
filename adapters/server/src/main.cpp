// ix-server: serves the ix.v1 gRPC service over mutual TLS, hosting the Instrument X plugin.
// See docs/server.md. Exit codes: 0 stopped by SIGINT/SIGTERM, 2 bad command line,
// 3 bad configuration (file, certificate, caller map), 4 plugin failed to load or self-test,
// 5 cannot listen, 6 --verify-audit found the audit log tampered or damaged, 7 calls could not
// be ended within shutdown_grace_ms + 3 s after SIGTERM (in-process mode).
#include <ix/server/server.hpp>

#include "key_check.hpp"
#include "tls_check.hpp"

#include <CLI/CLI.hpp>
#include <ix/server/audit.hpp>
#include <ix/server/logging.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <thread>

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitConfig = 3;
constexpr int kExitPlugin = 4;
constexpr int kExitListen = 5;
constexpr int kExitStuck = 7;  // 6 is --verify-audit's (audit.hpp)

constexpr const char* kFooter = R"(Configuration: --config FILE (JSON, see docs/server.md); every key of the file is
also a flag of the same name ('-' for '_' and '.': "tls.cert" is --tls-cert), and flags
override the file. --print-config-reference prints the table of keys.
With --certs-dir DIR (as written by scripts/dev-certs.sh) the server uses DIR/server.crt,
DIR/server.key, DIR/ca.crt and DIR/callers.json unless set otherwise.
Plaintext is only possible on a loopback address with --insecure-loopback --loopback-caller ID.
Exit codes: 0 stopped by SIGINT/SIGTERM, 2 bad command line, 3 bad configuration,
4 plugin failed to load or its self-test, 5 cannot listen (e.g. port in use),
6 --verify-audit found the audit log tampered or damaged,
7 on SIGTERM, calls could not be ended within shutdown_grace_ms + 3 s (in-process mode only).
Health: grpc.health.v1.Health is NOT_SERVING until the plugin passed its self-test.
Environment: IX_PLUGIN_PATH overrides the bundled plugin.)";

// The flags that are not configuration keys: where the configuration comes from, and what
// to do with it.
struct Flags {
  std::string config, certs_dir, port_file;
  bool check_config = false;
  bool print_reference = false;
  bool verify_audit = false;
};

// A configuration key's flag as registered with CLI11: its value is applied after the file.
struct KeyFlag {
  const ix::server::ConfigFlag* flag;
  CLI::Option* option;
  std::string text;
  bool on = false;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ix-server — serves the Instrument X gRPC service (ix.v1.InstrumentService) over "
               "mutual TLS, hosting the Instrument X plugin.",
               "ix-server"};
  app.footer(kFooter);
  Flags f;
  app.add_option("-c,--config", f.config, "JSON configuration file");
  app.add_option("--certs-dir", f.certs_dir,
                 "Folder with server.crt, server.key, ca.crt, callers.json (scripts/dev-certs.sh)");
  app.add_option("--port-file", f.port_file, "Write the bound port here once serving (for scripts with port 0)");
  app.add_flag("--check-config", f.check_config, "Check the configuration and certificates, then exit");
  app.add_flag("--verify-audit", f.verify_audit,
               "Check the audit log (audit_log and its rotated files) against its key chain, "
               "name the first bad record, then exit (0 intact, 6 not)");
  app.add_flag("--print-config-reference", f.print_reference,
               "Print the table of configuration keys (Markdown), then exit");
  // One flag per scalar key of the configuration message, generated from its descriptor.
  std::deque<KeyFlag> keys;  // CLI11 keeps pointers to the values: they must not move
  for (const auto& flag : ix::server::ConfigFlags()) {
    std::string names = "--" + flag.name;
    for (const auto& alias : flag.aliases) names += ",--" + alias;
    std::string description = flag.help + " [" + flag.key + "]";
    if (!flag.default_text.empty()) description += " (default " + flag.default_text + ")";
    KeyFlag& key = keys.emplace_back(KeyFlag{&flag, nullptr, {}, false});
    key.option = flag.is_bool ? app.add_flag(names, key.on, description)
                              : app.add_option(names, key.text, description)->type_name(flag.value_name);
    key.option->group("Configuration keys");
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (f.print_reference) {
    std::cout << ix::server::ConfigReference();
    return 0;
  }

  ix::server::ServerConfig config;
  auto fail_config = [](const std::string& message) {
    std::cerr << "ix-server: " << message << "\n";
    return kExitConfig;
  };
  if (!f.certs_dir.empty()) {
    const std::filesystem::path dir(f.certs_dir);
    config.mutable_tls()->set_cert((dir / "server.crt").string());
    config.mutable_tls()->set_key((dir / "server.key").string());
    config.mutable_tls()->set_client_ca((dir / "ca.crt").string());
    if (f.config.empty()) config.set_callers_file((dir / "callers.json").string());
  }
  if (!f.config.empty()) {
    if (auto st = ix::server::LoadConfigFile(f.config, &config); !st.ok()) return fail_config(st.message());
  }
  for (const KeyFlag& key : keys) {
    if (key.option->count() == 0) continue;
    const std::string text = key.flag->is_bool ? (key.on ? "true" : "false") : key.text;
    if (auto st = ix::server::SetConfigValue(&config, key.flag->key, text); !st.ok()) {
      std::cerr << "ix-server: " << st.message() << "\n";
      return kExitUsage;
    }
  }

  if (f.verify_audit) {  // needs only the audit settings: an auditor may not read the TLS key
    return ix::server::VerifyAuditCommand(config.audit_log(), ix::server::AuditKeyOf(config), std::cout,
                                          std::cerr);
  }
  if (auto st = ix::server::CheckConfig(config); !st.ok()) return fail_config(st.message());
  if (f.check_config) {
    if (!config.insecure_loopback()) {
      if (auto tls = ix::server::LoadTlsMaterial(config.tls()); !tls.ok()) {
        return fail_config(tls.status().message());
      }
    }
    auto callers = ix::server::LoadCallers(config);  // loads: CheckConfig read it a moment ago
    std::cout << "ix-server: configuration OK (" << (callers.ok() ? callers->size() : 0)
              << " caller(s), " << (config.insecure_loopback() ? "plaintext loopback" : "mutual TLS")
              << ")\n";
    return 0;
  }

  // After --check-config, which must not create files (it may run as another user).
  auto made_log = ix::server::MakeOperationalLogger(config);
  if (!made_log.ok()) return fail_config(made_log.status().message());
  std::shared_ptr<spdlog::logger> log = *made_log;
  ix::server::InstallCrashReporter(config);

  // SIGINT/SIGTERM are taken by sigwait below; block them before gRPC starts its threads.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const auto grace = std::chrono::milliseconds(config.shutdown_grace_ms());
  ix::server::ServerOptions options;
  options.config = std::move(config);
  options.log = log;
  auto server = ix::server::Server::Start(std::move(options));
  if (!server.ok()) {
    std::cerr << "ix-server: " << server.status().message() << "\n";
    return server.status().reason() == ix::kReasonListen ? kExitListen : kExitConfig;
  }
  if (auto st = (*server)->AttachPlugin(); !st.ok()) {
    std::cerr << "ix-server: " << st.message() << "\n";
    return kExitPlugin;
  }
  if (!f.port_file.empty()) std::ofstream(f.port_file) << (*server)->port() << "\n";
  // With rest.listen on port 0 the REST port is known only now: scripts read it from here.
  if ((*server)->rest_port() != 0) std::cout << "ix-server: REST/JSON on port " << (*server)->rest_port() << "\n";
  std::cout << "ix-server: serving on port " << (*server)->port() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  log->info("signal {} received: no new calls; calls in flight get {} ms", received, grace.count());
  // The last resort for a call that cannot be ended (in-process mode: a plugin call cannot be
  // interrupted): the process leaves a moment after the grace period regardless.
  std::thread([grace, log] {
    std::this_thread::sleep_for(grace + std::chrono::seconds(3));
    log->error("shutdown: calls still running {} ms after the grace period; exiting", 3000);
    log->flush();
    std::_Exit(kExitStuck);
  }).detach();
  (*server)->Shutdown(grace);
  (*server)->Wait();
  log->flush();
  return 0;
}
