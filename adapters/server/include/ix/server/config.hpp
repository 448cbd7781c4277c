// ix-server's configuration: a JSON file plus command-line flags (flags win). What the keys
// are, their types, defaults and help is defined once, by the message ix.server_config.v1
// .ServerConfig (proto/ix/server_config/v1/config.proto): the file is read with protobuf's
// JSON mapping, the flags are generated from the message's descriptor (one per scalar field,
// named after its key: "tls.cert" is --tls-cert), and docs/server.md's table of keys is
// printed from it. Relative paths in the file are relative to the file's own folder.
//
// The audit log is rotated by size and keeps a configured number of rotated files
// (audit_rotate_bytes, audit_keep_files): archive older files with the municipality's own tools.
#ifndef IX_SERVER_CONFIG_HPP
#define IX_SERVER_CONFIG_HPP

#include <ix/base/status.hpp>
#include <ix/server/callers.hpp>

#include "ix/server_config/v1/config.pb.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace ix::server {

// The configuration is the message itself: an unset field reads as its schema default.
using ServerConfig = server_config::v1::ServerConfig;
using ExchangeConfig = server_config::v1::Exchange;
using TrustedSender = server_config::v1::TrustedSender;
using RecipientConfig = server_config::v1::Recipient;
using IsolationConfig = server_config::v1::Isolation;

// Reads a configuration file and merges it over `config` (what the file sets wins). Relative
// paths are resolved against the file's folder and public_key_file entries are read into
// public_key_hex. Unknown keys and values of the wrong JSON type are errors naming the file
// and the key's full path ("updates.install_dir").
Status LoadConfigFile(const std::filesystem::path& path, ServerConfig* config);

// One command-line flag, generated from a scalar field of ServerConfig.
struct ConfigFlag {
  std::string key;                   // the JSON key path, "tls.cert"
  std::string name;                  // "tls-cert" (used as --tls-cert)
  std::vector<std::string> aliases;  // earlier spellings that keep working
  std::string help;                  // from the field's (help) option
  std::string default_text;          // the schema default, "" when there is none
  bool is_bool = false;              // a switch without a value (--insecure-loopback)
  std::string value_name;            // what the value is, for --help: PATH, INT or TEXT
};
const std::vector<ConfigFlag>& ConfigFlags();

// Sets the field at `key` ("tls.cert") from command-line text; errors name the flag.
Status SetConfigValue(ServerConfig* config, const std::string& key, const std::string& text);

// The table of every key (JSON key, flag, default, meaning) as Markdown, for docs/server.md.
std::string ConfigReference();

// The caller map the configuration names: callers_file, or the inline callers.
Result<CallerMap> LoadCallers(const ServerConfig& config);

// The exchange signing key as hex (file of `ixctl bundle keygen`); errors name the setting.
Result<std::string> ReadSigningKey(const ExchangeConfig& exchange);
// The municipality's X25519 secret key packages are opened with (exchange.encryption_key_file,
// `ixctl exchange keygen`): refused when others may read the file.
Result<std::string> ReadEncryptionKey(const ExchangeConfig& exchange);

// Whether `listen` ("host:port") names a loopback address (127.0.0.0/8, ::1, localhost).
bool IsLoopbackAddress(const std::string& listen);

// Checks what can be checked before starting, each error naming its field: address form,
// loopback rule, TLS files exist and are readable, the caller map loads and is not empty, the
// loopback caller is in it, limits and log settings are sane, exchange keys are well formed.
Status CheckConfig(const ServerConfig& config);

}  // namespace ix::server

#endif  // IX_SERVER_CONFIG_HPP
