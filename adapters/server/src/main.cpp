// ix-server: serves the ix.v1 gRPC service over mutual TLS, hosting the Instrument X plugin.
// See docs/server.md. Exit codes: 0 stopped by SIGINT/SIGTERM, 2 bad command line,
// 3 bad configuration (file, certificate, caller map), 4 plugin failed to load or self-test,
// 5 cannot listen.
#include <ix/server/server.hpp>

#include "tls_check.hpp"

#include <CLI/CLI.hpp>
#include <ix/server/logging.hpp>

#include <spdlog/spdlog.h>

#include <csignal>
#include <fstream>
#include <iostream>

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitConfig = 3;
constexpr int kExitPlugin = 4;
constexpr int kExitListen = 5;

constexpr const char* kFooter = R"(Configuration: --config FILE (JSON, see docs/server.md); flags override the file.
With --certs-dir DIR (as written by scripts/dev-certs.sh) the server uses DIR/server.crt,
DIR/server.key, DIR/ca.crt and DIR/callers.json unless set otherwise.
Plaintext is only possible on a loopback address with --insecure-loopback --loopback-caller ID.
Exit codes: 0 stopped by SIGINT/SIGTERM, 2 bad command line, 3 bad configuration,
4 plugin failed to load or its self-test, 5 cannot listen (e.g. port in use).
Health: grpc.health.v1.Health is NOT_SERVING until the plugin passed its self-test.
Environment: IX_PLUGIN_PATH overrides the bundled plugin.)";

struct Flags {
  std::string config, certs_dir, listen, tls_cert, tls_key, client_ca, callers, loopback_caller,
      plugin, audit_log, audit_key, log_file, log_level, log_format, port_file, store_dir,
      install_root, trusted_keys;
  long long log_rotate_bytes = 0, log_rotate_files = 0;
  bool insecure_loopback = false;
  bool check_config = false;
  int max_message_bytes = 0;
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
  auto* listen = app.add_option("--listen", f.listen, "Address to listen on, host:port (default 127.0.0.1:50051)");
  auto* cert = app.add_option("--tls-cert", f.tls_cert, "Server certificate chain (PEM)");
  auto* key = app.add_option("--tls-key", f.tls_key, "Server private key (PEM)");
  auto* ca = app.add_option("--client-ca", f.client_ca, "CA that signs the callers' client certificates (PEM)");
  auto* callers = app.add_option("--callers", f.callers, "Caller map: certificate identity -> municipality and role (JSON)");
  auto* insecure = app.add_flag("--insecure-loopback", f.insecure_loopback,
                                "Plaintext without client certificates; only on a loopback address");
  auto* loopback_caller = app.add_option("--loopback-caller", f.loopback_caller,
                                         "With --insecure-loopback: the caller-map identity every call acts as");
  auto* plugin = app.add_option("--plugin", f.plugin, "Plugin shared object (default: the bundled plugin)");
  auto* audit = app.add_option("--audit-log", f.audit_log, "Audit log file, JSON lines (default ix-server-audit.log)");
  auto* audit_key = app.add_option("--audit-key", f.audit_key,
                                   "Key for household pseudonyms, 64 hex digits; created if missing (default <audit-log>.key)");
  auto* log_file = app.add_option("--log-file", f.log_file, "Operational log file (default: stderr)");
  auto* log_level = app.add_option("--log-level", f.log_level, "trace, debug, info, warn, error")
                        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  auto* log_format = app.add_option("--log-format", f.log_format,
                                    "text (human-readable, default) or json (one JSON object per line)")
                         ->check(CLI::IsMember({"text", "json"}));
  auto* rotate_bytes = app.add_option("--log-rotate-bytes", f.log_rotate_bytes,
                                      "Rotate --log-file at this size (with --log-rotate-files)");
  auto* rotate_files = app.add_option("--log-rotate-files", f.log_rotate_files,
                                      "How many rotated log files to keep");
  auto* install_root = app.add_option(
      "--install-root", f.install_root,
      "Where deployed plugin bundles are installed, one directory per version (PluginAdmin)");
  auto* trusted_keys = app.add_option(
      "--trusted-keys", f.trusted_keys,
      "Publisher keys whose signed bundles may be deployed: {\"keys\": [{\"name\", \"public_key\"}]}");
  auto* max_message = app.add_option("--max-message-bytes", f.max_message_bytes,
                                     "Largest request/response accepted (default 4194304)");
  auto* store_dir = app.add_option(
      "--store-dir", f.store_dir,
      "Event store folder: one SQLite file and secret per municipality; assessments, plans and "
      "follow-ups are recorded there (default: none, events are only returned)");
  app.add_option("--port-file", f.port_file, "Write the bound port here once serving (for scripts with port 0)");
  app.add_flag("--check-config", f.check_config, "Check the configuration and certificates, then exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }

  ix::server::ServerConfig config;
  auto fail_config = [](const std::string& message) {
    std::cerr << "ix-server: " << message << "\n";
    return kExitConfig;
  };
  if (!f.certs_dir.empty()) {
    const std::filesystem::path dir(f.certs_dir);
    config.tls = {dir / "server.crt", dir / "server.key", dir / "ca.crt"};
    if (callers->count() == 0 && f.config.empty()) f.callers = (dir / "callers.json").string();
  }
  if (!f.config.empty()) {
    if (auto st = ix::server::LoadConfigFile(f.config, &config); !st.ok()) return fail_config(st.message());
  }
  if (listen->count()) config.listen = f.listen;
  if (cert->count()) config.tls.cert = f.tls_cert;
  if (key->count()) config.tls.key = f.tls_key;
  if (ca->count()) config.tls.client_ca = f.client_ca;
  if (!f.callers.empty()) {
    auto map = ix::server::CallerMap::FromFile(f.callers);
    if (!map.ok()) return fail_config(map.status().message());
    config.callers = std::move(*map);
  }
  if (insecure->count()) config.insecure_loopback = true;
  if (loopback_caller->count()) config.loopback_caller = f.loopback_caller;
  if (plugin->count()) config.plugin = f.plugin;
  if (audit->count()) config.audit_log = f.audit_log;
  if (audit_key->count()) config.audit_key_file = f.audit_key;
  if (log_file->count()) config.log_file = f.log_file;
  if (log_level->count()) config.log_level = f.log_level;
  if (log_format->count()) config.log_format = f.log_format;
  if (rotate_bytes->count()) config.log_rotate_bytes = f.log_rotate_bytes;
  if (rotate_files->count()) config.log_rotate_files = f.log_rotate_files;
  if (install_root->count()) config.updates.install_root = f.install_root;
  if (trusted_keys->count()) config.updates.trusted_keys_file = f.trusted_keys;
  if (max_message->count()) config.max_message_bytes = f.max_message_bytes;
  if (store_dir->count()) config.store_dir = f.store_dir;

  if (auto st = ix::server::CheckConfig(config); !st.ok()) return fail_config(st.message());
  if (f.check_config) {
    if (!config.insecure_loopback) {
      if (auto tls = ix::server::LoadTlsMaterial(config.tls); !tls.ok()) {
        return fail_config(tls.status().message());
      }
    }
    std::cout << "ix-server: configuration OK (" << config.callers.size() << " caller(s), "
              << (config.insecure_loopback ? "plaintext loopback" : "mutual TLS") << ")\n";
    return 0;
  }

  // After --check-config, which must not create files (it may run as another user).
  auto made_log = ix::server::MakeOperationalLogger(config);
  if (!made_log.ok()) return fail_config(made_log.status().message());
  std::shared_ptr<spdlog::logger> log = *made_log;

  // SIGINT/SIGTERM are taken by sigwait below; block them before gRPC starts its threads.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

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
  std::cout << "ix-server: serving on port " << (*server)->port() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  log->info("signal {} received, shutting down", received);
  (*server)->Shutdown();
  (*server)->Wait();
  return 0;
}
