#include <ix/server/config.hpp>

#include <cctype>
#include <fstream>
#include <functional>
#include <sstream>

namespace ix::server {
namespace {

namespace fs = std::filesystem;

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

// The "exchange" section; `where` is "<file>: exchange", `resolve` makes paths relative to the file.
Status LoadExchange(const nlohmann::json& value, const std::string& where,
                    const std::function<fs::path(const std::string&)>& resolve, ExchangeConfig* out) {
  if (!value.is_object()) return Bad(where, "expected an object");
  auto string_of = [&](const std::string& key, const nlohmann::json& v, std::string* s) {
    if (!v.is_string()) return Bad(where + "." + key, "expected a string");
    *s = v.get<std::string>();
    return Status::Ok();
  };
  for (const auto& [key, v] : value.items()) {
    std::string s;
    if (key == "signing_key_file") {
      if (Status st = string_of(key, v, &s); !st.ok()) return st;
      out->signing_key_file = resolve(s);
    } else if (key == "unit") {
      if (Status st = string_of(key, v, &out->unit); !st.ok()) return st;
    } else if (key == "system") {
      if (Status st = string_of(key, v, &out->system); !st.ok()) return st;
    } else if (key == "trusted_senders") {
      if (!v.is_array()) return Bad(where + ".trusted_senders", "expected an array");
      out->trusted_senders.clear();
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string at = where + ".trusted_senders[" + std::to_string(i) + "]";
        if (!v[i].is_object()) return Bad(at, "expected an object");
        TrustedSender sender;
        for (const auto& [skey, sv] : v[i].items()) {
          if (!sv.is_string()) return Bad(at + "." + skey, "expected a string");
          const std::string text = sv.get<std::string>();
          if (skey == "public_key_file") {
            auto hex = ReadHexWord(resolve(text), at + ".public_key_file");
            if (!hex.ok()) return hex.status();
            sender.public_key_hex = *hex;
          } else if (skey == "public_key_hex") {
            sender.public_key_hex = text;
          } else if (skey == "municipality_code") {
            sender.municipality_code = text;
          } else {
            return Bad(at, "unknown key '" + skey +
                               "' (expected public_key_file, public_key_hex, municipality_code)");
          }
        }
        if (!IsHex(sender.public_key_hex, 64)) {
          return Bad(at + ".public_key_hex",
                     "expected an Ed25519 public key, 64 hex digits (public_key_file or public_key_hex)");
        }
        if (!IsKommunkod(sender.municipality_code)) {
          return Bad(at + ".municipality_code", "expected a kommunkod, four digits");
        }
        out->trusted_senders.push_back(std::move(sender));
      }
    } else {
      return Bad(where, "unknown key '" + key +
                            "' (expected signing_key_file, trusted_senders, unit, system)");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadSigningKey(const ExchangeConfig& exchange) {
  const std::string what = "exchange.signing_key_file";
  if (exchange.signing_key_file.empty()) return Bad(what, "not configured");
  auto hex = ReadHexWord(exchange.signing_key_file, what);
  if (!hex.ok()) return hex.status();
  if (!IsHex(*hex, 128)) {
    return Bad(what, "'" + exchange.signing_key_file.string() +
                         "' does not hold an Ed25519 secret key (128 hex digits, as ixctl bundle keygen writes)");
  }
  return hex;
}

Result<nlohmann::json> ReadJsonFile(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Status(StatusCode::kNotFound, path.string() + ": cannot read the file");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    return Bad(path.string(), std::string("not valid JSON: ") + e.what());
  }
}

Status LoadConfigFile(const fs::path& path, ServerConfig* config) {
  auto json = ReadJsonFile(path);
  if (!json.ok()) return json.status();
  const std::string source = path.string();
  if (!json->is_object()) return Bad(source, "expected a JSON object");
  const fs::path base = path.parent_path();
  auto resolve = [&](const std::string& p) -> fs::path {
    if (p.empty()) return {};
    fs::path value(p);
    return value.is_absolute() ? value : base / value;
  };
  auto want_string = [&](const std::string& key, const nlohmann::json& v, std::string* out) {
    if (!v.is_string()) return Bad(source + ": " + key, "expected a string");
    *out = v.get<std::string>();
    return Status::Ok();
  };
  for (const auto& [key, value] : json->items()) {
    std::string s;
    if (key == "listen") {
      if (Status st = want_string(key, value, &config->listen); !st.ok()) return st;
    } else if (key == "tls") {
      if (!value.is_object()) return Bad(source + ": tls", "expected an object");
      for (const auto& [tkey, tvalue] : value.items()) {
        if (Status st = want_string("tls." + tkey, tvalue, &s); !st.ok()) return st;
        if (tkey == "cert") {
          config->tls.cert = resolve(s);
        } else if (tkey == "key") {
          config->tls.key = resolve(s);
        } else if (tkey == "client_ca") {
          config->tls.client_ca = resolve(s);
        } else {
          return Bad(source + ": tls", "unknown key '" + tkey + "' (expected cert, key, client_ca)");
        }
      }
    } else if (key == "callers_file") {
      if (Status st = want_string(key, value, &s); !st.ok()) return st;
      auto callers = CallerMap::FromFile(resolve(s).string());
      if (!callers.ok()) return callers.status();
      config->callers = std::move(*callers);
    } else if (key == "callers") {
      auto callers = CallerMap::FromJson(nlohmann::json{{"callers", value}}, source);
      if (!callers.ok()) return callers.status();
      config->callers = std::move(*callers);
    } else if (key == "insecure_loopback") {
      if (!value.is_boolean()) return Bad(source + ": " + key, "expected true or false");
      config->insecure_loopback = value.get<bool>();
    } else if (key == "loopback_caller") {
      if (Status st = want_string(key, value, &config->loopback_caller); !st.ok()) return st;
    } else if (key == "plugin") {
      if (Status st = want_string(key, value, &s); !st.ok()) return st;
      config->plugin = resolve(s);
    } else if (key == "audit_log") {
      if (Status st = want_string(key, value, &s); !st.ok()) return st;
      config->audit_log = resolve(s);
    } else if (key == "audit_key_file") {
      if (Status st = want_string(key, value, &s); !st.ok()) return st;
      config->audit_key_file = resolve(s);
    } else if (key == "log_file") {
      if (Status st = want_string(key, value, &s); !st.ok()) return st;
      config->log_file = resolve(s);
    } else if (key == "log_level") {
      if (Status st = want_string(key, value, &config->log_level); !st.ok()) return st;
    } else if (key == "store_dir") {
      if (Status st = want_string(key, value, &s); !st.ok()) return st;
      config->store_dir = resolve(s);
    } else if (key == "exchange") {
      if (Status st = LoadExchange(value, source + ": exchange", resolve, &config->exchange); !st.ok()) {
        return st;
      }
    } else if (key == "max_message_bytes") {
      if (!value.is_number_integer()) return Bad(source + ": " + key, "expected an integer");
      config->max_message_bytes = value.get<int>();
    } else if (key == "log_format") {
      if (Status st = want_string(key, value, &config->log_format); !st.ok()) return st;
    } else if (key == "log_rotate_bytes" || key == "log_rotate_files") {
      if (!value.is_number_integer() || value.get<long long>() < 0) {
        return Bad(source + ": " + key, "expected a non-negative integer");
      }
      (key == "log_rotate_bytes" ? config->log_rotate_bytes : config->log_rotate_files) =
          value.get<long long>();
    } else if (key == "updates") {
      if (!value.is_object()) return Bad(source + ": updates", "expected an object");
      for (const auto& [ukey, uvalue] : value.items()) {
        if (Status st = want_string("updates." + ukey, uvalue, &s); !st.ok()) return st;
        if (ukey == "install_root") {
          config->updates.install_root = resolve(s);
        } else if (ukey == "trusted_keys_file") {
          config->updates.trusted_keys_file = resolve(s);
        } else {
          return Bad(source + ": updates",
                     "unknown key '" + ukey + "' (expected install_root, trusted_keys_file)");
        }
      }
    } else {
      return Bad(source, "unknown key '" + key +
                             "' (expected listen, tls, callers_file, callers, insecure_loopback, "
                             "loopback_caller, plugin, audit_log, audit_key_file, log_file, "
                             "log_level, log_format, log_rotate_bytes, log_rotate_files, "
                             "max_message_bytes, store_dir, updates, exchange)");
    }
  }
  return Status::Ok();
}

bool IsLoopbackAddress(const std::string& listen) {
  std::string host, port;
  if (!SplitHostPort(listen, &host, &port)) return false;
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

Status CheckConfig(const ServerConfig& config) {
  std::string host, port;
  if (!SplitHostPort(config.listen, &host, &port)) {
    return Bad("listen", "'" + config.listen + "' is not host:port (e.g. 127.0.0.1:50051)");
  }
  if (config.max_message_bytes < 1024) {
    return Bad("max_message_bytes", std::to_string(config.max_message_bytes) +
                                         " is below the 1024-byte minimum");
  }
  if (config.insecure_loopback) {
    if (!IsLoopbackAddress(config.listen)) {
      return Bad("listen", "'" + config.listen +
                               "' is not a loopback address; plaintext (--insecure-loopback) is "
                               "only allowed on 127.0.0.1, ::1 or localhost");
    }
    if (config.loopback_caller.empty()) {
      return Bad("loopback_caller", "required with --insecure-loopback: the caller-map identity "
                                    "plaintext calls act as");
    }
    if (config.callers.Find(config.loopback_caller) == nullptr) {
      return Bad("loopback_caller", "'" + config.loopback_caller + "' is not in the caller map");
    }
  } else {
    if (Status st = CheckReadable(config.tls.cert, "tls.cert (server certificate)"); !st.ok()) return st;
    if (Status st = CheckReadable(config.tls.key, "tls.key (server private key)"); !st.ok()) return st;
    if (Status st = CheckReadable(config.tls.client_ca, "tls.client_ca (CA of client certificates)");
        !st.ok()) {
      return st;
    }
  }
#ifndef IX_SERVER_WITH_STORE
  if (!config.store_dir.empty()) {
    return Bad("store_dir", "this build of ix-server has no event store (adapters/store)");
  }
#endif
  if (config.log_format != "text" && config.log_format != "json") {
    return Bad("log_format", "'" + config.log_format + "' is not a log format (text, json)");
  }
  if ((config.log_rotate_bytes > 0) != (config.log_rotate_files > 0)) {
    return Bad("log_rotate_bytes", "rotation needs both log_rotate_bytes and log_rotate_files");
  }
  if (config.log_rotate_bytes > 0 && config.log_file.empty()) {
    return Bad("log_rotate_bytes", "rotation needs a log_file (stderr is not rotated)");
  }
  if (!config.updates.trusted_keys_file.empty()) {
    if (Status st = CheckReadable(config.updates.trusted_keys_file, "updates.trusted_keys_file");
        !st.ok()) {
      return st;
    }
  }
  if (!config.exchange.signing_key_file.empty()) {
    if (auto key = ReadSigningKey(config.exchange); !key.ok()) return key.status();
  }
  if (config.callers.size() == 0) {
    return Bad("callers", "the caller map is empty: no client could ever be served "
                          "(set callers_file or --callers)");
  }
  return Status::Ok();
}

}  // namespace ix::server
