// ix-server's configuration: a JSON file plus command-line flags (flags win). Every path in
// the file is relative to the file's own folder. Defaults serve the bundled plugin on
// loopback with mutual TLS and the dev certificates of scripts/dev-certs.sh.
//
//   {
//     "listen": "127.0.0.1:50051",
//     "tls": { "cert": "server.crt", "key": "server.key", "client_ca": "ca.crt" },
//     "callers_file": "callers.json",          // or "callers": [ … ] inline (callers.hpp)
//     "insecure_loopback": false,              // plaintext, loopback addresses only
//     "loopback_caller": "",                   // identity plaintext calls act as
//     "plugin": "",                            // empty: the bundled plugin
//     "audit_log": "ix-server-audit.log",
//     "audit_key_file": "",                    // empty: <audit_log>.key, created 0600
//     "log_file": "",                          // empty: stderr
//     "log_level": "info",
//     "log_format": "text",                    // or "json": one JSON object per line
//     "log_rotate_bytes": 0,                   // > 0 (with log_rotate_files): rotate log_file
//     "log_rotate_files": 0,                   //   at this size, keeping this many old files
//     "max_message_bytes": 4194304,
//     "store_dir": "",                         // event store per municipality; empty: none
//     "updates": {                             // signed plugin bundles (PluginAdmin service)
//       "install_root": "",                    // versions are installed below it
//       "trusted_keys_file": ""                // {"keys": [{"name", "public_key"}]}
//     },
//     "exchange": {                            // exchange packages (ExportExchange, ImportExchange)
//       "signing_key_file": "exchange.key",    // hex Ed25519 secret key (ixctl bundle keygen)
//       "trusted_senders": [ { "public_key_file": "sodertalje.pub", "municipality_code": "0181" },
//                            { "public_key_hex": "…64 hex…", "municipality_code": "0180" } ],
//       "unit": "ekonomiskt-bistand",          // this server's unit (sender / recipient)
//       "system": "ix-server"                  // sender_system written into packages
//     }
//   }
// The audit log is never rotated or truncated by the server: its retention is the
// municipality's decision (archive it with the municipality's own tools).
#ifndef IX_SERVER_CONFIG_HPP
#define IX_SERVER_CONFIG_HPP

#include <ix/base/status.hpp>
#include <ix/server/callers.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ix::server {

struct TlsFiles {
  std::filesystem::path cert;       // server certificate chain (PEM)
  std::filesystem::path key;        // server private key (PEM)
  std::filesystem::path client_ca;  // the CA that signs callers' client certificates (PEM)
};

// Plugin updates (docs/updates.md): where deployed bundles are installed, whose keys are trusted.
// Without a trusted key every bundle is refused; without an install root Deploy is refused.
struct UpdatesConfig {
  std::filesystem::path install_root;
  std::filesystem::path trusted_keys_file;
};

// One municipality whose signed exchange packages this server accepts.
struct TrustedSender {
  std::string public_key_hex;     // Ed25519 public key, 64 hex digits
  std::string municipality_code;  // the municipality that key signs for
};

struct ExchangeConfig {
  // The hex secret key ExportExchange signs with. Empty: ExportExchange is FAILED_PRECONDITION.
  std::filesystem::path signing_key_file;
  std::vector<TrustedSender> trusted_senders;  // empty: ImportExchange accepts no package
  std::string unit;                            // sender unit on export, recipient unit on import
  std::string system = "ix-server";            // sender_system in the packages it signs
};

struct ServerConfig {
  std::string listen = "127.0.0.1:50051";
  TlsFiles tls;
  CallerMap callers;
  // Plaintext without client certificates; refused unless `listen` is a loopback address.
  bool insecure_loopback = false;
  // With insecure_loopback: the caller-map identity every plaintext call acts as.
  std::string loopback_caller;
  std::filesystem::path plugin;  // empty: ix::host::DefaultPluginPath()
  std::filesystem::path audit_log = "ix-server-audit.log";
  std::filesystem::path audit_key_file;  // empty: audit_log + ".key"
  std::filesystem::path log_file;        // empty: stderr
  std::string log_level = "info";
  std::string log_format = "text";  // "text" (human-readable) or "json" (JSON lines)
  long long log_rotate_bytes = 0;   // 0: no rotation
  long long log_rotate_files = 0;
  int max_message_bytes = 4 * 1024 * 1024;
  // Where the event store keeps one SQLite file and secret per municipality. Empty: events
  // are returned to the caller, not recorded (and there are no reports).
  std::filesystem::path store_dir;
  UpdatesConfig updates;
  ExchangeConfig exchange;
};

// The exchange signing key as hex (file of `ixctl bundle keygen`); errors name the setting.
Result<std::string> ReadSigningKey(const ExchangeConfig& exchange);

// Reads and parses a JSON file; errors name the file and the parser's position.
Result<nlohmann::json> ReadJsonFile(const std::filesystem::path& path);

// Applies a config file on top of `config`. Unknown keys are errors naming the key.
Status LoadConfigFile(const std::filesystem::path& path, ServerConfig* config);

// Whether `listen` ("host:port") names a loopback address (127.0.0.0/8, ::1, localhost).
bool IsLoopbackAddress(const std::string& listen);

// Checks what can be checked before starting: address form, loopback rule, TLS files exist
// and are readable, the loopback caller is in the map, limits are sane.
Status CheckConfig(const ServerConfig& config);

}  // namespace ix::server

#endif  // IX_SERVER_CONFIG_HPP
