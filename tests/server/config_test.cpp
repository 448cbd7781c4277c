// Configuration and the ix-server executable: the config file, the caller map, and the
// process's start-up errors and exit codes.
#include "server_test_support.hpp"

#include <ix/server/logging.hpp>
#include <nlohmann/json.hpp>

#include <ix/server/config.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <map>

namespace ix::server::testing {
namespace {

fs::path Write(const fs::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name) << text;
  return dir / name;
}

TEST(Config, PathsAreRelativeToTheConfigFile) {
  const fs::path dir = TempDir("config");
  Write(dir, "callers.json",
        R"({"callers": [{"identity": "a.example", "municipality_code": "0181", "role": "read_only"}]})");
  const fs::path file = Write(dir, "server.json", R"({
    "listen": "127.0.0.1:6000", "tls": {"cert": "s.crt", "key": "/abs/s.key", "client_ca": "ca.crt"},
    "callers_file": "callers.json", "audit_log": "audit/audit.log", "max_message_bytes": 65536})");
  ServerConfig config;
  ASSERT_TRUE(LoadConfigFile(file, &config).ok());
  EXPECT_EQ(config.listen(), "127.0.0.1:6000");
  EXPECT_EQ(config.tls().cert(), (dir / "s.crt").string());
  EXPECT_EQ(config.tls().key(), "/abs/s.key");
  EXPECT_EQ(config.audit_log(), (dir / "audit/audit.log").string());
  EXPECT_EQ(config.max_message_bytes(), 65536);
  auto callers = LoadCallers(config);
  ASSERT_TRUE(callers.ok()) << callers.status().message();
  ASSERT_NE(callers->Find("a.example"), nullptr);
  EXPECT_EQ(callers->Find("a.example")->role, Role::kReadOnly);
}

TEST(Config, DefaultsComeFromTheSchemaAndTheFileOnlyOverridesWhatItSets) {
  ServerConfig config;
  EXPECT_EQ(config.listen(), "127.0.0.1:50051");
  EXPECT_EQ(config.audit_log(), "ix-server-audit.log");
  EXPECT_EQ(config.log_level(), "info");
  EXPECT_EQ(config.log_format(), "text");
  EXPECT_EQ(config.max_message_bytes(), 4 * 1024 * 1024);
  EXPECT_EQ(config.exchange().system(), "ix-server");
  EXPECT_FALSE(config.insecure_loopback());

  const fs::path dir = TempDir("config-merge");
  config.mutable_tls()->set_cert("/certs/server.crt");  // as --certs-dir sets it before the file
  ASSERT_TRUE(LoadConfigFile(Write(dir, "server.json", R"({"tls": {"key": "k.pem"}})"), &config).ok());
  EXPECT_EQ(config.tls().cert(), "/certs/server.crt");
  EXPECT_EQ(config.tls().key(), (dir / "k.pem").string());
}

TEST(Config, TheShippedConfigurationFilesLoad) {
  for (const char* shipped : {"packaging/config/server.json"}) {
    ServerConfig config;
    const fs::path file = fs::path(IX_TEST_SOURCE_DIR) / shipped;
    const Status st = LoadConfigFile(file, &config);
    EXPECT_TRUE(st.ok()) << shipped << ": " << st.message();
    EXPECT_EQ(config.updates().install_root(), "/var/lib/instrument-x/plugins");
    EXPECT_EQ(config.log_rotate_files(), 5u);
  }
}

TEST(Config, EveryMistakeNamesTheFileAndTheField) {
  const fs::path dir = TempDir("config-bad");
  ServerConfig config;
  const auto message = [&](const std::string& text) {
    return LoadConfigFile(Write(dir, "server.json", text), &config).message();
  };
  const std::string f = (dir / "server.json").string();
  EXPECT_EQ(message(R"({"listn": "x"})"),
            f + ": unknown key 'listn' (expected listen, tls, callers_file, callers, "
                "insecure_loopback, loopback_caller, plugin, audit_log, audit_key_file, log_file, "
                "log_level, log_format, log_rotate_bytes, log_rotate_files, max_message_bytes, "
                "store_dir, store_postgresql, updates, exchange, key_dir, limits, audit_rotate_bytes, audit_keep_files, isolation, shutdown_grace_ms, rest)");
  // Protobuf's JSON mapping would also take the camelCase spelling; one name per key.
  EXPECT_EQ(message(R"({"logLevel": "x"})").rfind(f + ": unknown key 'logLevel' (expected listen,", 0), 0u);
  EXPECT_EQ(message(R"({"updates": {"install_dir": "x"}})"),
            f + ": updates: unknown key 'install_dir' (expected install_root, trusted_keys_file, state_key_file, retain_versions, restore_retry_seconds, replica_id, follow_interval_ms)");
  EXPECT_EQ(message(R"({"log_rotate_bytes": -1})"),
            f + ": log_rotate_bytes: expected a non-negative integer");
  EXPECT_EQ(message(R"({"tls": {"certificate": "x"}})"),
            f + ": tls: unknown key 'certificate' (expected cert, key, client_ca)");
  EXPECT_EQ(message(R"({"tls": "x"})"), f + ": tls: expected an object");
  EXPECT_EQ(message(R"({"max_message_bytes": "big"})"), f + ": max_message_bytes: expected an integer");
  EXPECT_EQ(message(R"({"max_message_bytes": 1e12})"), f + ": max_message_bytes: expected an integer");
  EXPECT_EQ(message(R"({"insecure_loopback": "yes"})"), f + ": insecure_loopback: expected true or false");
  EXPECT_EQ(message(R"({"callers_file": "c.json", "callers": []})"),
            f + ": set either callers_file or callers, not both");
  EXPECT_EQ(message(R"({"callers": [{"identity": "a", "municipality_code": "181", "role": "case_system"}]})"),
            f + ": callers[0].municipality_code: '181' is not a four-digit kommunkod");
  EXPECT_EQ(message(R"({"callers": [{"identity": "a", "municipality_code": "0181", "role": "owner"}]})"),
            f + ": callers[0].role: 'owner' is not a role (case_system, reporting, statistics_internal, statistics_network, read_only, admin)");
  EXPECT_EQ(message(R"({"callers": [{"identity": "a", "municipality_code": "0181", "role": "read_only"},
                                    {"identity": "a", "municipality_code": "0192", "role": "read_only"}]})"),
            f + ": callers[1].identity: 'a' is listed twice");
  EXPECT_EQ(message("{\"listen\": ").rfind(f + ": not valid JSON: ", 0), 0u);
  EXPECT_EQ(message("[1]"), f + ": expected an object");
}

TEST(Config, TheExchangeSectionReadsKeysBesideTheFileAndNamesEveryMistake) {
  const fs::path dir = TempDir("config-exchange");
  const std::string pub(64, 'a');
  Write(dir, "sodertalje.pub", pub + "\n");
  Write(dir, "server.key", std::string(128, 'b') + "\n");
  Write(dir, "short.key", "abcd\n");
  ServerConfig config;
  const fs::path file = Write(dir, "server.json", R"({"exchange": {
    "signing_key_file": "server.key", "unit": "ekonomiskt-bistand", "system": "kommun-x",
    "trusted_senders": [{"public_key_file": "sodertalje.pub", "municipality_code": "0181"},
                        {"public_key_hex": ")" + std::string(64, 'c') + R"(", "municipality_code": "0180"}]}})");
  ASSERT_TRUE(LoadConfigFile(file, &config).ok()) << LoadConfigFile(file, &config).message();
  EXPECT_EQ(config.exchange().signing_key_file(), (dir / "server.key").string());
  EXPECT_EQ(config.exchange().unit(), "ekonomiskt-bistand");
  EXPECT_EQ(config.exchange().system(), "kommun-x");
  ASSERT_EQ(config.exchange().trusted_senders_size(), 2);
  EXPECT_EQ(config.exchange().trusted_senders(0).public_key_hex(), pub);
  EXPECT_EQ(config.exchange().trusted_senders(1).municipality_code(), "0180");
  auto key = ReadSigningKey(config.exchange());
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(*key, std::string(128, 'b'));

  const std::string f = (dir / "server.json").string();
  const auto message = [&](const std::string& text) {
    ServerConfig c;
    return LoadConfigFile(Write(dir, "server.json", text), &c).message();
  };
  // Mistakes of one sender are found after loading, with the rest of the configuration.
  const auto checked = [&](const std::string& text) {
    ServerConfig c = TestServer::DefaultConfig(dir);
    if (Status st = LoadConfigFile(Write(dir, "server.json", text), &c); !st.ok()) return st.message();
    return CheckConfig(c).message();
  };
  EXPECT_EQ(message(R"({"exchange": {"signing_key": "x"}})"),
            f + ": exchange: unknown key 'signing_key' (expected signing_key_file, trusted_senders, unit, system, "
                                                "encryption_key_file, recipients)");
  EXPECT_EQ(checked(R"({"exchange": {"trusted_senders": [{"public_key_hex": "abc", "municipality_code": "0181"}]}})"),
            "exchange.trusted_senders[0].public_key_hex: expected an Ed25519 public key, 64 hex digits "
            "(public_key_file or public_key_hex)");
  EXPECT_EQ(checked(R"({"exchange": {"trusted_senders": [{"public_key_file": "sodertalje.pub", "municipality_code": "181"}]}})"),
            "exchange.trusted_senders[0].municipality_code: expected a kommunkod, four digits");
  EXPECT_EQ(message(R"({"exchange": {"trusted_senders": [{"public_key_file": "missing.pub"}]}})"),
            f + ": exchange.trusted_senders[0].public_key_file: cannot read '" + (dir / "missing.pub").string() + "'");
  EXPECT_EQ(message(R"({"exchange": {"trusted_senders": [{"key": "x"}]}})"),
            f + ": exchange.trusted_senders[0]: unknown key 'key' (expected public_key_file, public_key_hex, "
                "municipality_code)");
  ServerConfig bad_key = TestServer::DefaultConfig(dir);
  bad_key.mutable_exchange()->set_signing_key_file((dir / "short.key").string());
  EXPECT_EQ(CheckConfig(bad_key).message(),
            "exchange.signing_key_file: '" + (dir / "short.key").string() +
                "' does not hold an Ed25519 secret key (128 hex digits, as ixctl bundle keygen writes)");
}

#ifdef IX_SERVER_WITH_STORE
// The shared event store's location: a password in it would sit in a config file and in the
// process list; it is refused, naming the key and where the password goes, without repeating it.
TEST(Config, APostgresqlStoreLocationCarriesNoPasswordAndNoStoreName) {
  ServerConfig config = TestServer::DefaultConfig(TempDir("store-pg"));
  config.set_store_postgresql("postgresql://ix:hunter2secret@db.example/ix");
  const std::string why = CheckConfig(config).message();
  EXPECT_EQ(why.rfind("store_postgresql: ", 0), 0u) << why;
  EXPECT_NE(why.find("PGPASSFILE"), std::string::npos) << why;
  EXPECT_EQ(why.find("hunter2secret"), std::string::npos) << why;
  config.set_store_postgresql("postgresql://db.example/ix#0180");
  EXPECT_NE(CheckConfig(config).message().find("without #fragment"), std::string::npos);
  config.set_store_postgresql("mysql://db.example/ix");
  EXPECT_EQ(CheckConfig(config).message().rfind("store_postgresql: ", 0), 0u);
  config.set_store_postgresql("postgresql://ix@db.example/ix?sslmode=verify-full");
  EXPECT_TRUE(CheckConfig(config).ok()) << CheckConfig(config).message();
}
#endif

TEST(Config, AnEmptyCallerMapIsRefused) {
  ServerConfig config = TestServer::DefaultConfig(TempDir("empty-callers"));
  config.clear_callers_file();
  EXPECT_EQ(CheckConfig(config).message(),
            "callers: the caller map is empty: no client could ever be served (set callers_file "
            "or --callers-file)");
}

TEST(Config, EveryScalarKeyIsAFlagOfTheSameName) {
  std::map<std::string, ConfigFlag> by_key;
  for (const auto& flag : ConfigFlags()) by_key[flag.key] = flag;
  EXPECT_EQ(by_key.at("listen").name, "listen");
  EXPECT_EQ(by_key.at("listen").default_text, "127.0.0.1:50051");
  EXPECT_EQ(by_key.at("tls.cert").name, "tls-cert");
  EXPECT_EQ(by_key.at("tls.client_ca").name, "tls-client-ca");
  EXPECT_EQ(by_key.at("tls.client_ca").aliases, std::vector<std::string>{"client-ca"});
  EXPECT_EQ(by_key.at("updates.install_root").aliases, std::vector<std::string>{"install-root"});
  EXPECT_TRUE(by_key.at("insecure_loopback").is_bool);
  EXPECT_EQ(by_key.at("tls.cert").value_name, "PATH");
  EXPECT_EQ(by_key.at("max_message_bytes").value_name, "INT");
  EXPECT_EQ(by_key.at("log_level").value_name, "TEXT");
  EXPECT_FALSE(by_key.at("exchange.unit").help.empty());
  // What a flag cannot carry stays in the file: lists and the inline caller map.
  EXPECT_EQ(by_key.count("callers"), 0u);
  EXPECT_EQ(by_key.count("exchange.trusted_senders"), 0u);
  for (const auto& [key, flag] : by_key) EXPECT_FALSE(flag.help.empty()) << key << " has no help";

  ServerConfig config;
  ASSERT_TRUE(SetConfigValue(&config, "updates.install_root", "/srv/plugins").ok());
  EXPECT_EQ(config.updates().install_root(), "/srv/plugins");
  ASSERT_TRUE(SetConfigValue(&config, "log_rotate_bytes", "4096").ok());
  EXPECT_EQ(config.log_rotate_bytes(), 4096u);
  EXPECT_EQ(SetConfigValue(&config, "max_message_bytes", "big").message(),
            "--max-message-bytes: 'big' is not an integer");
  EXPECT_EQ(SetConfigValue(&config, "log_rotate_files", "-1").message(),
            "--log-rotate-files: '-1' is not a non-negative integer");
}

TEST(Config, TheDocumentedTableIsTheSchemas) {
  const std::string reference = ConfigReference();
  EXPECT_NE(reference.find("| `tls.client_ca` | `--tls-client-ca`, `--client-ca` |"), std::string::npos)
      << reference;
  EXPECT_NE(reference.find("| `exchange.trusted_senders[].public_key_file` | (file only) |"),
            std::string::npos) << reference;
  // docs/server.md carries the table as printed by ix-server --print-config-reference.
  EXPECT_NE(Slurp(fs::path(IX_TEST_SOURCE_DIR) / "docs/server.md").find(reference), std::string::npos)
      << "docs/server.md is out of date: paste the output of ix-server --print-config-reference";
}

TEST(Logging, JsonLinesParseWhateverTheMessageHolds) {
  ServerConfig config = TestServer::DefaultConfig(TempDir("json-log"));
  config.set_log_file((fs::path(config.audit_log()).parent_path() / "ix-server.log").string());
  config.set_log_format("json");
  auto log = MakeOperationalLogger(config);
  ASSERT_TRUE(log.ok()) << log.status().message();
  (*log)->info("plugin {} \"quoted\" back\\slash\nnew line\ttab\x01", "0.2.0");
  (*log)->warn("second");
  (*log)->flush();
  std::istringstream lines(Slurp(config.log_file()));
  std::string line;
  std::vector<nlohmann::json> parsed;
  while (std::getline(lines, line)) parsed.push_back(nlohmann::json::parse(line));  // throws if not JSON
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0]["message"], "plugin 0.2.0 \"quoted\" back\\slash\nnew line\ttab\x01");
  EXPECT_EQ(parsed[0]["level"], "info");
  EXPECT_EQ(parsed[0]["logger"], "ix-server");
  EXPECT_EQ(parsed[1]["level"], "warning");
  EXPECT_EQ(parsed[0]["time"].get<std::string>().back(), 'Z');
}

TEST(Logging, RotationKeepsTheConfiguredNumberOfFiles) {
  ServerConfig config = TestServer::DefaultConfig(TempDir("rotate-log"));
  config.set_log_file((fs::path(config.audit_log()).parent_path() / "ix-server.log").string());
  config.set_log_rotate_bytes(2048);
  config.set_log_rotate_files(2);
  ASSERT_TRUE(CheckConfig(config).ok());
  auto log = MakeOperationalLogger(config);
  ASSERT_TRUE(log.ok()) << log.status().message();
  for (int i = 0; i < 200; ++i) (*log)->info("line {} of a log that outgrows its file", i);
  (*log)->flush();
  const fs::path dir = fs::path(config.log_file()).parent_path();
  EXPECT_TRUE(fs::exists(dir / "ix-server.log"));
  EXPECT_TRUE(fs::exists(dir / "ix-server.1.log"));
  EXPECT_TRUE(fs::exists(dir / "ix-server.2.log"));
  EXPECT_FALSE(fs::exists(dir / "ix-server.3.log"));
  EXPECT_LE(fs::file_size(dir / "ix-server.log"), 2048u);
  EXPECT_NE(Slurp(dir / "ix-server.log").find("line 199 of"), std::string::npos);

  config.set_log_rotate_files(0);  // half a rotation setting is a mistake, not a default
  EXPECT_EQ(CheckConfig(config).message(),
            "log_rotate_bytes: rotation needs both log_rotate_bytes and log_rotate_files");
  config.set_log_rotate_files(2);
  config.set_log_format("xml");
  EXPECT_EQ(CheckConfig(config).message(), "log_format: 'xml' is not a log format (text, json)");
  config.set_log_format("text");
  config.set_log_level("verbose");
  EXPECT_EQ(CheckConfig(config).message(),
            "log_level: 'verbose' is not a log level (trace, debug, info, warn, error)");
}

TEST(Config, LoopbackAddresses) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.3.2.1:1"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:50051"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("127.0.0.1"));  // no port
}

TEST(Executable, HelpExplainsConfigurationAndExitCodes) {
  std::string out;
  EXPECT_EQ(RunServer("--help", &out), 0);
  EXPECT_NE(out.find("--insecure-loopback"), std::string::npos);
  EXPECT_NE(out.find("Exit codes: 0 stopped by SIGINT/SIGTERM"), std::string::npos);
  // Generated from the configuration message: every key, its default, earlier spellings.
  EXPECT_NE(out.find("--tls-client-ca"), std::string::npos) << out;
  EXPECT_NE(out.find("--client-ca"), std::string::npos) << out;
  EXPECT_NE(out.find("--exchange-unit"), std::string::npos) << out;
  EXPECT_NE(out.find("(default 127.0.0.1:50051)"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunServer("--print-config-reference", &out), 0);
  EXPECT_EQ(out, ConfigReference());
}

TEST(Executable, StartupErrorsNameTheCauseWithTheirExitCode) {
  std::string out;
  EXPECT_EQ(RunServer("--certs-dir " + Certs().string() + " --tls-cert /nonexistent.crt "
                      "--check-config", &out), 3);
  EXPECT_EQ(out, "ix-server: tls.cert (server certificate): cannot read '/nonexistent.crt'\n");
  out.clear();
  // Flags of earlier releases keep working.
  EXPECT_EQ(RunServer("--certs-dir " + Certs().string() + " --client-ca /nonexistent-ca.crt "
                      "--check-config", &out), 3);
  EXPECT_EQ(out, "ix-server: tls.client_ca (CA of client certificates): cannot read '/nonexistent-ca.crt'\n");
  out.clear();
  EXPECT_EQ(RunServer("--certs-dir " + Certs().string() + " --max-message-bytes big --check-config", &out), 2);
  EXPECT_EQ(out, "ix-server: --max-message-bytes: 'big' is not an integer\n");
  out.clear();
  EXPECT_EQ(RunServer("--certs-dir " + Certs().string() + " --check-config", &out), 0);
  EXPECT_EQ(out, "ix-server: configuration OK (6 caller(s), mutual TLS)\n");
  out.clear();
  EXPECT_EQ(RunServer("--certs-dir " + Certs().string() + " --tls-cert " +
                          (Certs() / "server-expired.crt").string() + " --tls-key " +
                          (Certs() / "server-expired.key").string() + " --check-config",
                      &out), 3);
  EXPECT_EQ(out, "ix-server: tls.cert (server certificate) '" +
                     (Certs() / "server-expired.crt").string() +
                     "': expired on Jan  2 00:00:00 2020 GMT\n");
  out.clear();
  EXPECT_EQ(RunServer("--no-such-flag", &out), 2);

  TestServer running;  // holds a port
  out.clear();
  const fs::path dir = TempDir("exe-port");
  EXPECT_EQ(RunServer("--certs-dir " + Certs().string() + " --audit-log " +
                          (dir / "audit.log").string() + " --listen 127.0.0.1:" +
                          std::to_string(running.server->port()),
                      &out), 5);
  EXPECT_NE(out.find("Address already in use"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(RunServer("--certs-dir " + Certs().string() + " --audit-log " +
                          (dir / "audit.log").string() + " --listen 127.0.0.1:0 --plugin " +
                          IX_TEST_FIXTURE_DIR + "/libthrowing_plugin.so",
                      &out), 4);
  EXPECT_NE(out.find("libthrowing_plugin.so: self-test failed: describe answered INTERNAL"),
            std::string::npos) << out;
}

}  // namespace
}  // namespace ix::server::testing
