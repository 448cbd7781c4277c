#include <ix/server/config.hpp>

#include <ix/base/json.hpp>
#ifdef IX_SERVER_WITH_STORE
#include <ix/store/event_store.hpp>
#endif

#include <google/protobuf/descriptor.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace ix::server {
namespace {

namespace fs = std::filesystem;
namespace pb = google::protobuf;
using server_config::v1::flag_alias;
using server_config::v1::help;

Status Bad(const std::string& where, const std::string& what) {
  return Status(StatusCode::kInvalidArgument, where + ": " + what);
}

// host and port of "host:port" / "[v6]:port"; false when there is no port.
bool SplitHostPort(const std::string& listen, std::string* host, std::string* port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
  *host = listen.substr(0, colon);
  *port = listen.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  for (char c : *port) {
    if (c < '0' || c > '9') return false;
  }
  return std::stoul(*port) <= 65535;
}

Status CheckReadable(const fs::path& path, const std::string& what) {
  if (path.empty()) return Bad(what, "not configured");
  std::ifstream in(path);
  if (!in) return Status(StatusCode::kNotFound, what + ": cannot read '" + path.string() + "'");
  return Status::Ok();
}

// The first whitespace-separated word of a key file (keygen writes the hex and a newline).
Result<std::string> ReadHexWord(const fs::path& path, const std::string& what) {
  std::ifstream in(path);
  std::string hex;
  if (!in) return Status(StatusCode::kNotFound, what + ": cannot read '" + path.string() + "'");
  if (!(in >> hex)) return Bad(what, "'" + path.string() + "' is empty");
  return hex;
}

bool IsHex(const std::string& text, size_t digits) {
  if (text.size() != digits) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsKommunkod(const std::string& code) {
  return code.size() == 4 && code.find_first_not_of("0123456789") == std::string::npos;
}

// A field that holds JSON of any shape (google.protobuf.ListValue, Struct, Value): its
// contents are checked by whoever reads them (the caller map), not by the schema walk.
bool IsFreeJson(const pb::FieldDescriptor* field) {
  return field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE &&
         field->message_type()->file()->name() == "google/protobuf/struct.proto";
}

bool IsPath(const pb::FieldDescriptor* field) {
  return field->options().GetExtension(server_config::v1::path);
}

std::string FieldNames(const pb::Descriptor* message) {
  std::string names;
  for (int i = 0; i < message->field_count(); ++i) {
    names += (i == 0 ? "" : ", ") + message->field(i)->name();
  }
  return names;
}

// Whether a JSON value has the shape a scalar field needs, or why not. Stricter than
// protobuf's JSON parser on purpose: it would take "yes" for true and "10" for 10, and a
// configuration that means something else than it says is worse than one that is refused.
std::string ScalarMismatch(const pb::FieldDescriptor* field, const nlohmann::json& value) {
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING:
      return value.is_string() ? "" : "expected a string";
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      return value.is_boolean() ? "" : "expected true or false";
    case pb::FieldDescriptor::CPPTYPE_UINT32:
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      return value.is_number_integer() && value.get<long long>() >= 0
                 ? ""
                 : "expected a non-negative integer";
    case pb::FieldDescriptor::CPPTYPE_INT32:
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return value.is_number_integer() ? "" : "expected an integer";
    default:
      return "";
  }
}

// Walks the file's JSON against the schema before protobuf parses it, so every mistake is
// reported the same way: "<file>: <key path>: <what>". Keys are the schema's field names only
// (not the camelCase spellings protobuf would also accept), so there is one name per setting.
Status CheckKeys(const nlohmann::json& object, const pb::Descriptor* message,
                 const std::string& at, const std::string& source) {
  const std::string where = at.empty() ? source : source + ": " + at;
  if (!object.is_object()) return Bad(where, "expected an object");
  std::set<const pb::OneofDescriptor*> oneofs_seen;
  for (const auto& [key, value] : object.items()) {
    const pb::FieldDescriptor* field = message->FindFieldByName(key);
    if (field == nullptr) {
      return Bad(where, "unknown key '" + key + "' (expected " + FieldNames(message) + ")");
    }
    const std::string path = at.empty() ? key : at + "." + key;
    if (const auto* oneof = field->real_containing_oneof(); oneof && !oneofs_seen.insert(oneof).second) {
      std::string choices;
      for (int i = 0; i < oneof->field_count(); ++i) {
        choices += (i == 0 ? "" : " or ") + oneof->field(i)->name();
      }
      return Bad(where, "set either " + choices + ", not both");
    }
    if (IsFreeJson(field)) continue;
    if (field->is_repeated()) {
      if (!value.is_array()) return Bad(source + ": " + path, "expected an array");
      for (size_t i = 0; i < value.size(); ++i) {
        const std::string item = path + "[" + std::to_string(i) + "]";
        if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
          if (Status st = CheckKeys(value[i], field->message_type(), item, source); !st.ok()) return st;
        } else if (std::string why = ScalarMismatch(field, value[i]); !why.empty()) {
          return Bad(source + ": " + item, why);
        }
      }
    } else if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (Status st = CheckKeys(value, field->message_type(), path, source); !st.ok()) return st;
    } else if (std::string why = ScalarMismatch(field, value); !why.empty()) {
      return Bad(source + ": " + path, why);
    }
  }
  return Status::Ok();
}

// Makes every relative (path) field of `message` relative to `base`, recursively.
void ResolvePaths(pb::Message* message, const fs::path& base) {
  const pb::Reflection* reflection = message->GetReflection();
  const pb::Descriptor* descriptor = message->GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const pb::FieldDescriptor* field = descriptor->field(i);
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !IsFreeJson(field)) {
      if (field->is_repeated()) {
        for (int j = 0; j < reflection->FieldSize(*message, field); ++j) {
          ResolvePaths(reflection->MutableRepeatedMessage(message, field, j), base);
        }
      } else if (reflection->HasField(*message, field)) {
        ResolvePaths(reflection->MutableMessage(message, field), base);
      }
    } else if (IsPath(field) && !field->is_repeated() && reflection->HasField(*message, field)) {
      const fs::path value(reflection->GetString(*message, field));
      if (!value.empty() && value.is_relative()) {
        reflection->SetString(message, field, (base / value).string());
      }
    }
  }
}

// The caller map from the inline "callers" array; `source` names where it was written.
Result<CallerMap> InlineCallers(const pb::ListValue& callers, const std::string& source) {
  std::string text;
  if (auto st = pb::util::MessageToJsonString(callers, &text); !st.ok()) {
    return Bad(source + ": callers", std::string(st.message()));
  }
  return CallerMap::FromJson(nlohmann::json{{"callers", nlohmann::json::parse(text)}}, source);
}

// "tls.cert" -> "tls-cert": the flag of a key.
std::string FlagName(std::string key) {
  for (char& c : key) {
    if (c == '.' || c == '_') c = '-';
  }
  return key;
}

std::string DefaultText(const pb::FieldDescriptor* field) {
  if (!field->has_default_value()) return "";
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING: return field->default_value_string();
    case pb::FieldDescriptor::CPPTYPE_BOOL: return field->default_value_bool() ? "true" : "false";
    case pb::FieldDescriptor::CPPTYPE_INT32: return std::to_string(field->default_value_int32());
    case pb::FieldDescriptor::CPPTYPE_INT64: return std::to_string(field->default_value_int64());
    case pb::FieldDescriptor::CPPTYPE_UINT32: return std::to_string(field->default_value_uint32());
    case pb::FieldDescriptor::CPPTYPE_UINT64: return std::to_string(field->default_value_uint64());
    default: return "";
  }
}

// Every key of `message` in declaration order, depth first, with its path ("tls.cert",
// "exchange.trusted_senders[].municipality_code"); a section (tls, updates) is not a key
// itself, its fields are. `settable_only` keeps what a flag can set: singular scalars.
void Walk(const pb::Descriptor* message, const std::string& prefix, bool settable_only,
          const std::function<void(const pb::FieldDescriptor*, const std::string&)>& visit) {
  for (int i = 0; i < message->field_count(); ++i) {
    const pb::FieldDescriptor* field = message->field(i);
    const std::string key = prefix + field->name();
    const bool section = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !IsFreeJson(field);
    const bool settable = !section && !field->is_repeated() && !IsFreeJson(field);
    if (settable || (!settable_only && (!section || field->is_repeated()))) visit(field, key);
    if (section && !(settable_only && field->is_repeated())) {
      Walk(field->message_type(), key + (field->is_repeated() ? "[]." : "."), settable_only, visit);
    }
  }
}

}  // namespace

Status LoadConfigFile(const fs::path& path, ServerConfig* config) {
  auto json = base::ReadJsonFile(path);
  if (!json.ok()) return json.status();
  const std::string source = path.string();
  if (Status st = CheckKeys(*json, ServerConfig::descriptor(), "", source); !st.ok()) return st;
  ServerConfig file;
  pb::util::JsonParseOptions strict;
  strict.ignore_unknown_fields = false;
  if (auto st = pb::util::JsonStringToMessage(json->dump(), &file, strict); !st.ok()) {
    return Bad(source, std::string(st.message()));  // e.g. a number out of range
  }
  ResolvePaths(&file, path.parent_path());
  // A partner's public key given as a file is read now, relative to this file.
  const auto read_key_files = [&source](auto* entries, const std::string& list) -> Status {
    for (int i = 0; i < entries->size(); ++i) {
      auto* entry = entries->Mutable(i);
      if (entry->public_key_file().empty()) continue;
      auto hex = ReadHexWord(entry->public_key_file(),
                             source + ": exchange." + list + "[" + std::to_string(i) + "].public_key_file");
      if (!hex.ok()) return hex.status();
      entry->set_public_key_hex(*hex);
    }
    return Status::Ok();
  };
  if (Status st = read_key_files(file.mutable_exchange()->mutable_trusted_senders(), "trusted_senders"); !st.ok()) {
    return st;
  }
  if (Status st = read_key_files(file.mutable_exchange()->mutable_recipients(), "recipients"); !st.ok()) return st;
  if (file.has_callers()) {  // mistakes in the inline map are the file's: name it now
    if (auto callers = InlineCallers(file.callers(), source); !callers.ok()) return callers.status();
  }
  config->MergeFrom(file);
  return Status::Ok();
}

const std::vector<ConfigFlag>& ConfigFlags() {
  static const std::vector<ConfigFlag> flags = [] {
    std::vector<ConfigFlag> all;
    Walk(ServerConfig::descriptor(), "", /*settable_only=*/true,
         [&](const pb::FieldDescriptor* field, const std::string& key) {
           ConfigFlag flag;
           flag.key = key;
           flag.name = FlagName(key);
           std::stringstream aliases(field->options().GetExtension(flag_alias));
           for (std::string alias; std::getline(aliases, alias, ',');) {
             if (!alias.empty()) flag.aliases.push_back(alias);
           }
           flag.help = field->options().GetExtension(help);
           flag.default_text = DefaultText(field);
           flag.is_bool = field->cpp_type() == pb::FieldDescriptor::CPPTYPE_BOOL;
           flag.value_name = IsPath(field)                                            ? "PATH"
                             : field->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING ? "TEXT"
                                                                                        : "INT";
           all.push_back(std::move(flag));
         });
    return all;
  }();
  return flags;
}

Status SetConfigValue(ServerConfig* config, const std::string& key, const std::string& text) {
  const std::string flag = "--" + FlagName(key);
  pb::Message* message = config;
  std::stringstream parts(key);
  std::vector<std::string> names;
  for (std::string part; std::getline(parts, part, '.');) names.push_back(part);
  for (size_t i = 0; i < names.size(); ++i) {
    const pb::FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(names[i]);
    if (field == nullptr || field->is_repeated()) return Bad(flag, "not a configuration key");
    const pb::Reflection* reflection = message->GetReflection();
    if (i + 1 < names.size()) {
      if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) return Bad(flag, "not a configuration key");
      message = reflection->MutableMessage(message, field);
      continue;
    }
    // Integers parse whole or not at all ("10k" is a mistake, not 10).
    auto set_integer = [&](auto value, auto set, const char* expected) {
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size()) {
        return Bad(flag, "'" + text + "' is not " + expected);
      }
      (reflection->*set)(message, field, value);
      return Status::Ok();
    };
    switch (field->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_STRING:
        reflection->SetString(message, field, text);
        return Status::Ok();
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        if (text != "true" && text != "false") return Bad(flag, "'" + text + "' is not true or false");
        reflection->SetBool(message, field, text == "true");
        return Status::Ok();
      case pb::FieldDescriptor::CPPTYPE_INT32:
        return set_integer(int32_t{0}, &pb::Reflection::SetInt32, "an integer");
      case pb::FieldDescriptor::CPPTYPE_INT64:
        return set_integer(int64_t{0}, &pb::Reflection::SetInt64, "an integer");
      case pb::FieldDescriptor::CPPTYPE_UINT32:
        return set_integer(uint32_t{0}, &pb::Reflection::SetUInt32, "a non-negative integer");
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        return set_integer(uint64_t{0}, &pb::Reflection::SetUInt64, "a non-negative integer");
      default:
        return Bad(flag, "not settable from the command line");
    }
  }
  return Bad(flag, "not a configuration key");
}

std::string ConfigReference() {
  std::string table =
      "| Key (JSON) | Flag | Default | Meaning |\n"
      "|---|---|---|---|\n";
  Walk(ServerConfig::descriptor(), "", /*settable_only=*/false,
       [&](const pb::FieldDescriptor* field, const std::string& key) {
         std::string flag = "(file only)";
         for (const ConfigFlag& settable : ConfigFlags()) {
           if (settable.key != key) continue;
           flag = "`--" + settable.name + "`";
           for (const auto& alias : settable.aliases) flag += ", `--" + alias + "`";
         }
         std::string meaning = field->options().GetExtension(help);
         if (IsPath(field)) meaning += " (path)";
         const std::string fallback = DefaultText(field);
         table += "| `" + key + "` | " + flag + " | " + (fallback.empty() ? "" : "`" + fallback + "`") +
                  " | " + meaning + " |\n";
       });
  return table;
}

Result<CallerMap> LoadCallers(const ServerConfig& config) {
  if (config.has_callers_file()) return CallerMap::FromFile(config.callers_file());
  if (config.has_callers()) return InlineCallers(config.callers(), "configuration");
  return CallerMap();
}

namespace {

// A secret key file of one hex word of `digits` digits; `setting` names it in errors.
Result<std::string> ReadSecretKeyFile(const std::string& path, const std::string& setting, size_t digits,
                                      const std::string& kind) {
  if (path.empty()) return Bad(setting, "not configured");
  auto hex = ReadHexWord(path, setting);
  if (!hex.ok()) return hex.status();
  if (!IsHex(*hex, digits)) {
    return Bad(setting, "'" + path + "' does not hold " + kind);
  }
  return hex;
}

}  // namespace

Result<std::string> ReadSigningKey(const ExchangeConfig& exchange) {
  return ReadSecretKeyFile(exchange.signing_key_file(), "exchange.signing_key_file", 128,
                           "an Ed25519 secret key (128 hex digits, as ixctl bundle keygen writes)");
}

Result<std::string> ReadEncryptionKey(const ExchangeConfig& exchange) {
  const std::string& path = exchange.encryption_key_file();
  std::error_code error;
  const auto perms = fs::status(path, error).permissions();
  if (!path.empty() && !error && (perms & fs::perms::others_all) != fs::perms::none) {
    return Bad("exchange.encryption_key_file",
               "'" + path + "' may be read by others (mode o+r); a secret key is readable by its owner and "
                            "the service group only (chmod 0640 or 0600)");
  }
  return ReadSecretKeyFile(path, "exchange.encryption_key_file", 64,
                           "an X25519 secret key (64 hex digits, as ixctl exchange keygen writes)");
}

bool IsLoopbackAddress(const std::string& listen) {
  std::string host, port;
  if (!SplitHostPort(listen, &host, &port)) return false;
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// Plugin isolation: every refusal names the key, the bound and the value.
static Status CheckIsolation(const IsolationConfig& isolation) {
  if (isolation.mode() != "workers" && isolation.mode() != "in-process") {
    return Bad("isolation.mode", "'" + isolation.mode() + "' is not a mode (workers, in-process)");
  }
  if (isolation.workers() < 1 || isolation.workers() > 64) {
    return Bad("isolation.workers", std::to_string(isolation.workers()) + " is outside 1-64");
  }
  if (isolation.max_call_ms() < 1) return Bad("isolation.max_call_ms", "0 is below the 1 ms minimum");
  if (isolation.worker_memory_bytes() < (64u << 20)) {
    return Bad("isolation.worker_memory_bytes",
               std::to_string(isolation.worker_memory_bytes()) + " is below the 64 MiB minimum");
  }
  if (isolation.worker_cpu_seconds() < 1) {
    return Bad("isolation.worker_cpu_seconds", "0 is below the 1 s minimum");
  }
  if (!isolation.worker().empty()) {
    if (Status st = CheckReadable(isolation.worker(), "isolation.worker"); !st.ok()) return st;
  }
  return Status::Ok();
}

// The REST port: its own address (loopback only in plaintext, as gRPC's) and sane bounds.
static Status CheckRest(const ServerConfig& config) {
  const auto& rest = config.rest();
  if (rest.listen().empty()) return Status::Ok();
  std::string host, port;
  if (!SplitHostPort(rest.listen(), &host, &port)) {
    return Bad("rest.listen", "'" + rest.listen() + "' is not host:port (e.g. 127.0.0.1:8443)");
  }
  if (config.insecure_loopback() && !IsLoopbackAddress(rest.listen())) {
    return Bad("rest.listen", "'" + rest.listen() +
                                  "' is not a loopback address; plaintext (--insecure-loopback) is "
                                  "only allowed on 127.0.0.1, ::1 or localhost");
  }
  if (rest.threads() < 1 || rest.threads() > 256) {
    return Bad("rest.threads", std::to_string(rest.threads()) + " is outside 1-256");
  }
  if (rest.read_timeout_ms() < 100) {
    return Bad("rest.read_timeout_ms", std::to_string(rest.read_timeout_ms()) + " is less than 100 ms");
  }
  return Status::Ok();
}

Status CheckConfig(const ServerConfig& config) {
  std::string host, port;
  if (!SplitHostPort(config.listen(), &host, &port)) {
    return Bad("listen", "'" + config.listen() + "' is not host:port (e.g. 127.0.0.1:50051)");
  }
  if (config.max_message_bytes() < 1024) {
    return Bad("max_message_bytes", std::to_string(config.max_message_bytes()) +
                                         " is below the 1024-byte minimum");
  }
  auto callers = LoadCallers(config);
  if (!callers.ok()) return callers.status();
  if (config.insecure_loopback()) {
    if (!IsLoopbackAddress(config.listen())) {
      return Bad("listen", "'" + config.listen() +
                               "' is not a loopback address; plaintext (--insecure-loopback) is "
                               "only allowed on 127.0.0.1, ::1 or localhost");
    }
    if (config.loopback_caller().empty()) {
      return Bad("loopback_caller", "required with --insecure-loopback: the caller-map identity "
                                    "plaintext calls act as");
    }
    if (callers->Find(config.loopback_caller()) == nullptr) {
      return Bad("loopback_caller", "'" + config.loopback_caller() + "' is not in the caller map");
    }
  } else {
    if (Status st = CheckReadable(config.tls().cert(), "tls.cert (server certificate)"); !st.ok()) return st;
    if (Status st = CheckReadable(config.tls().key(), "tls.key (server private key)"); !st.ok()) return st;
    if (Status st = CheckReadable(config.tls().client_ca(), "tls.client_ca (CA of client certificates)");
        !st.ok()) {
      return st;
    }
  }
#ifndef IX_SERVER_WITH_STORE
  if (!config.store_dir().empty()) {
    return Bad("store_dir", "this build of ix-server has no event store (adapters/store)");
  }
  if (!config.store_postgresql().empty()) {
    return Bad("store_postgresql", "this build of ix-server has no event store (adapters/store)");
  }
#else
  if (!config.store_postgresql().empty()) {
    const std::string& url = config.store_postgresql();
    if (!store::IsPostgresqlLocation(url) || url.find('#') != std::string::npos) {
      return Bad("store_postgresql", "'" + store::DescribeStoreLocation(url) +
                                         "' is not postgresql://…  without #fragment (the server names a store per "
                                         "municipality)");
    }
    // Checked as the store of a municipality would be (the name is the server's).
    if (auto parsed = store::ParseStoreLocation(url + "#0000"); !parsed.ok()) {
      std::string why = parsed.status().message();
      if (const size_t at = why.find("#0000"); at != std::string::npos) why.erase(at, 5);
      return Bad("store_postgresql", why);
    }
  }
#endif
  static const std::vector<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
  if (std::find(kLevels.begin(), kLevels.end(), config.log_level()) == kLevels.end()) {
    return Bad("log_level", "'" + config.log_level() + "' is not a log level (trace, debug, info, warn, error)");
  }
  if (config.log_format() != "text" && config.log_format() != "json") {
    return Bad("log_format", "'" + config.log_format() + "' is not a log format (text, json)");
  }
  if ((config.log_rotate_bytes() > 0) != (config.log_rotate_files() > 0)) {
    return Bad("log_rotate_bytes", "rotation needs both log_rotate_bytes and log_rotate_files");
  }
  if (config.log_rotate_bytes() > 0 && config.log_file().empty()) {
    return Bad("log_rotate_bytes", "rotation needs a log_file (stderr is not rotated)");
  }
  if (!config.updates().trusted_keys_file().empty()) {
    if (Status st = CheckReadable(config.updates().trusted_keys_file(), "updates.trusted_keys_file");
        !st.ok()) {
      return st;
    }
  }
  if (!config.exchange().signing_key_file().empty()) {
    if (auto key = ReadSigningKey(config.exchange()); !key.ok()) return key.status();
  }
  if (!config.exchange().encryption_key_file().empty()) {
    if (auto key = ReadEncryptionKey(config.exchange()); !key.ok()) return key.status();
  }
  // The partner municipalities' public keys: whose signatures are believed, to whom packages
  // may be encrypted. The same shape: a 64-hex-digit key and the kommunkod it belongs to.
  const auto check_partners = [](const auto& entries, const std::string& list,
                                 const std::string& kind) -> Status {
    for (int i = 0; i < entries.size(); ++i) {
      const std::string at = "exchange." + list + "[" + std::to_string(i) + "]";
      if (!IsHex(entries.Get(i).public_key_hex(), 64)) {
        return Bad(at + ".public_key_hex",
                   "expected an " + kind + " public key, 64 hex digits (public_key_file or public_key_hex)");
      }
      if (!IsKommunkod(entries.Get(i).municipality_code())) {
        return Bad(at + ".municipality_code", "expected a kommunkod, four digits");
      }
    }
    return Status::Ok();
  };
  if (Status st = check_partners(config.exchange().trusted_senders(), "trusted_senders", "Ed25519"); !st.ok()) {
    return st;
  }
  if (Status st = check_partners(config.exchange().recipients(), "recipients", "X25519"); !st.ok()) return st;
  if (Status st = CheckIsolation(config.isolation()); !st.ok()) return st;
  if (Status st = CheckRest(config); !st.ok()) return st;
  if (callers->size() == 0) {
    return Bad("callers", "the caller map is empty: no client could ever be served "
                          "(set callers_file or --callers-file)");
  }
  return Status::Ok();
}

}  // namespace ix::server
