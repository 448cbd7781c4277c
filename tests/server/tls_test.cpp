// Mutual TLS with real certificates (scripts/dev-certs.sh --test-extras): a valid client is
// served; expired, wrong-CA and missing client certificates never get a call through; a valid
// certificate the caller map does not know is refused.
#include "server_test_support.hpp"

namespace ix::server::testing {
namespace {

grpc::Status WhoAmI(const TestServer& s, const std::string& client, v1::WhoAmIResponse* out,
                    const std::string& ca = "ca") {
  grpc::ClientContext ctx;
  Deadline(&ctx, 3000);
  return Stub(s, client, ca)->WhoAmI(&ctx, v1::WhoAmIRequest(), out);
}

TEST(Tls, ValidClientCertificateIsMappedToItsMunicipalityAndRole) {
  TestServer s;
  v1::WhoAmIResponse who;
  grpc::Status st = WhoAmI(s, "sodertalje", &who);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(who.identity(), "case-system.sodertalje.dev");
  EXPECT_EQ(who.municipality_code(), "0181");
  EXPECT_EQ(who.role(), "case_system");
  EXPECT_EQ(who.plugin_name(), "instrument-x");

  st = WhoAmI(s, "stats-sodertalje", &who);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(who.identity(), "stats.sodertalje.dev");
  EXPECT_EQ(who.role(), "reporting");
}

TEST(Tls, ExpiredClientCertificateFailsTheHandshake) {
  TestServer s;
  v1::WhoAmIResponse who;
  const grpc::Status st = WhoAmI(s, "expired", &who);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  EXPECT_EQ(s.server->counters().plugin_calls, 0u);
  EXPECT_EQ(Slurp(s.audit_path()), "") << "a refused handshake never reaches an RPC";
}

TEST(Tls, ClientCertificateFromAnotherCaFailsTheHandshake) {
  TestServer s;
  v1::WhoAmIResponse who;
  const grpc::Status st = WhoAmI(s, "wrong-ca", &who);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  EXPECT_EQ(Slurp(s.audit_path()), "");
}

TEST(Tls, MissingClientCertificateFailsTheHandshake) {
  TestServer s;
  v1::WhoAmIResponse who;
  const grpc::Status st = WhoAmI(s, "", &who);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  EXPECT_EQ(Slurp(s.audit_path()), "");
}

TEST(Tls, ClientRefusesAServerItsCaDidNotSign) {
  TestServer s;
  v1::WhoAmIResponse who;
  const grpc::Status st = WhoAmI(s, "sodertalje", &who, "other-ca");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
}

TEST(Tls, CertificateNotInTheCallerMapIsDenied) {
  TestServer s;
  v1::WhoAmIResponse who;
  const grpc::Status st = WhoAmI(s, "unmapped", &who);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  // Refused from the certificate before the request is read (guard_test.cpp): the message
  // and the audit record say who and why; gRPC carries no details from that stage.
  EXPECT_EQ(st.error_message(),
            "certificate identity 'unmapped.example.dev' is not in the server's caller map");
  EXPECT_NE(Slurp(s.audit_path()).find("\"caller\":\"unknown:unmapped.example.dev\""),
            std::string::npos);
}

TEST(Tls, ExpiredServerCertificateIsAClearStartupError) {
  ServerOptions options;
  const fs::path dir = TempDir("expired-server");
  options.config = TestServer::DefaultConfig(dir);
  options.config.mutable_tls()->set_cert((Certs() / "server-expired.crt").string());
  options.config.mutable_tls()->set_key((Certs() / "server-expired.key").string());
  auto started = Server::Start(std::move(options));
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().message(),
            "tls.cert (server certificate) '" + (Certs() / "server-expired.crt").string() +
                "': expired on Jan  2 00:00:00 2020 GMT");
}

TEST(Tls, MissingServerKeyIsAClearStartupError) {
  ServerOptions options;
  options.config = TestServer::DefaultConfig(TempDir("missing-key"));
  options.config.mutable_tls()->set_key("/nonexistent/server.key");
  auto started = Server::Start(std::move(options));
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().message(),
            "tls.key (server private key): cannot read '/nonexistent/server.key'");
}

TEST(Tls, PortInUseIsAClearStartupError) {
  TestServer first;
  ServerOptions options;
  options.config = TestServer::DefaultConfig(TempDir("port-in-use"));
  options.config.set_listen("127.0.0.1:" + std::to_string(first.server->port()));
  auto second = Server::Start(std::move(options));
  ASSERT_FALSE(second.ok());
  // Not the plugin's load failure: ix-server exits 5 ("cannot listen") on this code.
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(second.status().message(),
            "cannot listen on 127.0.0.1:" + std::to_string(first.server->port()) +
                ": Address already in use (another process uses the port; choose another with "
                "--listen)");
}

TEST(Tls, PlaintextIsRefusedOffLoopback) {
  ServerOptions options;
  options.config = TestServer::DefaultConfig(TempDir("plaintext"));
  options.config.set_insecure_loopback(true);
  options.config.set_loopback_caller("case-system.sodertalje.dev");
  options.config.set_listen("0.0.0.0:0");
  auto started = Server::Start(std::move(options));
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().message(),
            "listen: '0.0.0.0:0' is not a loopback address; plaintext (--insecure-loopback) is "
            "only allowed on 127.0.0.1, ::1 or localhost");
}

TEST(Tls, PlaintextOnLoopbackActsAsTheConfiguredCaller) {
  TestServer s(true, [](ServerConfig& c) {
    c.set_insecure_loopback(true);
    c.set_loopback_caller("case-system.nynashamn.dev");
  });
  auto stub = v1::InstrumentService::NewStub(
      grpc::CreateChannel(s.target(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::WhoAmIResponse who;
  ASSERT_TRUE(stub->WhoAmI(&ctx, {}, &who).ok());
  EXPECT_EQ(who.municipality_code(), "0192");
}

}  // namespace
}  // namespace ix::server::testing
