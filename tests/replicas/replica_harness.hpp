// The harness of the replicas' tests and bench: ix-server processes started on loopback against
// one PostgreSQL (a throw-away cluster from tests/store/with_postgresql.sh), and the files every
// replica shares (configuration, caller map, pseudonym and exchange keys), as an operator
// deploys them (docs/scaling.md).
#ifndef IX_TESTS_REPLICAS_REPLICA_HARNESS_HPP
#define IX_TESTS_REPLICAS_REPLICA_HARNESS_HPP

#include "server_test_support.hpp"

#include <ix/adapters/exchange/exchange.hpp>
#include <ix/base/crypto.hpp>
#include <ix/store/event_store.hpp>
#include <ix/store/keys.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

namespace ix::server::testing {

inline bool PostgresqlAvailable() { return std::getenv("PGHOST") != nullptr && std::getenv("PGPORT") != nullptr; }

// The replicas' database in the throw-away cluster (libpq reads PGHOST, PGPORT, … from the
// environment pg_virtualenv sets).
constexpr const char* kDatabase = "ix_replicas";

// Runs `sql` in `database`; false (and a test failure) when it fails.
inline bool Exec(const std::string& sql, const std::string& database = kDatabase) {
  PGconn* c = PQconnectdb(("dbname=" + database).c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok) ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
  } else {
    ADD_FAILURE() << "cannot connect: " << PQerrorMessage(c);
  }
  PQfinish(c);
  return ok;
}

// One number from the replicas' database.
inline int64_t Scalar(const std::string& sql) {
  PGconn* c = PQconnectdb((std::string("dbname=") + kDatabase).c_str());
  int64_t out = -1;
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) out = std::atoll(PQgetvalue(r, 0, 0));
    else ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
  } else {
    ADD_FAILURE() << "cannot connect: " << PQerrorMessage(c);
  }
  PQfinish(c);
  return out;
}

// YYYY-MM-DD of today plus `days`, UTC (the replicas use the real clock).
inline std::string Day(int days) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

// An ix-server process.
struct Replica {
  pid_t pid = -1;
  int port = 0;
  fs::path dir;

  void Start(const fs::path& config, const fs::path& folder) {
    dir = folder;
    fs::create_directories(dir);
    fs::remove(dir / "port");
    const std::string server = IX_TEST_IX_SERVER, config_arg = config.string(),
                      port_file = (dir / "port").string(), audit = (dir / "audit.log").string(),
                      log = (dir / "server.log").string();
    pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::execl(server.c_str(), "ix-server", "--config", config_arg.c_str(), "--port-file", port_file.c_str(),
              "--audit-log", audit.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // The port file is written once the replica serves (plugin loaded and self-tested).
    for (int i = 0; i < 600 && port == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const std::string text = Slurp(dir / "port");
      if (!text.empty() && text.back() == '\n') port = std::atoi(text.c_str());
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        FAIL() << "replica exited: " << Slurp(dir / "server.log");
      }
    }
    ASSERT_GT(port, 0) << "replica did not serve within 30 s: " << Slurp(dir / "server.log");
  }
  void Stop(int signal) {
    if (pid <= 0) return;
    ::kill(pid, signal);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    port = 0;
  }
  ~Replica() { Stop(SIGTERM); }

  std::unique_ptr<v1::InstrumentService::Stub> Stub(const std::string& client) const {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Slurp(Certs() / "ca.crt");
    ssl.pem_private_key = Slurp(Certs() / (client + ".key"));
    ssl.pem_cert_chain = Slurp(Certs() / (client + ".crt"));
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, 64 * 1024 * 1024);
    args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 * 1024 * 1024);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return v1::InstrumentService::NewStub(grpc::CreateCustomChannel(
        "localhost:" + std::to_string(port), grpc::SslCredentials(ssl), args));
  }
};

// A loopback port that was free a moment ago (the kernel's choice); 0 when none could be had.
inline int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  return bound ? ntohs(addr.sin_port) : 0;
}

// Writes into `dir` what every replica shares: the pseudonym keys of 0181 and 0192 (made once,
// in the database `kDatabase`), exchange keys (the replicas sign for 0181 and open as 0192),
// the caller map and ix-server.json. `tuning`: the configuration's "limits" and "isolation"
// members (JSON, without braces around both).
inline void WriteSharedFiles(const fs::path& dir, const std::string& tuning) {
  const fs::path keys = dir / "keys", exchange = dir / "exchange";
  fs::create_directories(keys);
  fs::create_directories(exchange);
  fs::permissions(keys, fs::perms::owner_all, fs::perm_options::replace);
  // Exchange keys: the replicas sign for 0181, trust 0181's key, seal to 0192 and open as 0192.
  const auto signing = base::crypto::GenerateSigningKeyPair();
  const auto box = adapters::exchange::GenerateEncryptionKeyPair();
  std::ofstream(exchange / "signing.key") << signing.secret_key_hex << "\n";
  std::ofstream(exchange / "box.key") << box.secret_key_hex << "\n";
  ::chmod((exchange / "signing.key").c_str(), 0600);
  ::chmod((exchange / "box.key").c_str(), 0600);
  std::ofstream(dir / "callers.json") << R"({ "callers": [
    { "identity": "case-system.sodertalje.dev", "municipality_code": "0181", "role": "case_system" },
    { "identity": "case-system.nynashamn.dev", "municipality_code": "0192", "role": "case_system",
      "unit": "ekonomiskt-bistand" },
    { "identity": "stats.sodertalje.dev", "municipality_code": "0181", "role": "statistics_internal" },
    { "identity": "stats.nynashamn.dev", "municipality_code": "0192", "role": "statistics_internal" } ] })";
  // The pseudonym keys are made once and are the same files for every replica (as an
  // operator copies them): two replicas must never each create a key of their own.
  for (const char* municipality : {"0181", "0192"}) {
    auto store = store::OpenWithKeyDir(std::string("postgresql:///") + kDatabase + "#" + municipality, keys);
    ASSERT_TRUE(store.ok()) << store.status().message();
  }
  const fs::path certs = Certs();
  std::ofstream(dir / "ix-server.json") << R"({
    "listen": "127.0.0.1:0",
    "tls": { "cert": ")" << (certs / "server.crt").string() << R"(", "key": ")"
                                          << (certs / "server.key").string() << R"(",
             "client_ca": ")" << (certs / "ca.crt").string() << R"(" },
    "callers_file": ")" << (dir / "callers.json").string() << R"(",
    "store_postgresql": "postgresql:///)" << kDatabase << R"(",
    "key_dir": ")" << keys.string() << R"(",
    "max_message_bytes": 33554432,
    )" << tuning << R"(,
    "exchange": {
      "signing_key_file": ")" << (exchange / "signing.key").string() << R"(",
      "encryption_key_file": ")" << (exchange / "box.key").string() << R"(",
      "trusted_senders": [ { "public_key_hex": ")" << signing.public_key_hex << R"(", "municipality_code": "0181" } ],
      "recipients": [ { "public_key_hex": ")" << box.public_key_hex << R"(", "municipality_code": "0192" } ] }
  })";
}

}  // namespace ix::server::testing

#endif  // IX_TESTS_REPLICAS_REPLICA_HARNESS_HPP
