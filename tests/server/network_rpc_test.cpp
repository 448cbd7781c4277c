// ExportStatisticsExtract / CombineExtracts through the server, over mutual TLS: only the role
// statistics_network may call them (every other role is refused before the request is read),
// the extract is the caller's municipality's and signed with the server's key, and the network
// report verifies every extract against the server's trusted keys.
#include "server_test_support.hpp"

#include <ix/base/crypto.hpp>
#include <ix/statistics/publication.hpp>
#include <ix/store/network.hpp>

#include "ix/v1/network.pb.h"

namespace ix::server::testing {
namespace {

struct NetworkServer {
  fs::path dir = TempDir("network");
  base::crypto::SigningKeyPair own = base::crypto::GenerateSigningKeyPair();    // 0192, the server's
  base::crypto::SigningKeyPair other = base::crypto::GenerateSigningKeyPair();  // 0181's
  TestServer server{true, [this](ServerConfig& c) {
                      std::ofstream(dir / "server.key") << own.secret_key_hex << "\n";
                      c.mutable_exchange()->set_signing_key_file((dir / "server.key").string());
                      for (const auto& [key, code] : {std::pair{&own, "0192"}, std::pair{&other, "0181"}}) {
                        TrustedSender* sender = c.mutable_exchange()->add_trusted_senders();
                        sender->set_public_key_hex(key->public_key_hex);
                        sender->set_municipality_code(code);
                      }
                      c.set_store_dir((dir / "store").string());
                      const fs::path callers = dir / "callers.json";
                      std::ofstream(callers) << R"({ "callers": [
    { "identity": "case-system.sodertalje.dev", "municipality_code": "0181", "role": "case_system" },
    { "identity": "stats.sodertalje.dev", "municipality_code": "0181", "role": "reporting" },
    { "identity": "stats.nynashamn.dev", "municipality_code": "0192", "role": "statistics_network" } ] })";
                      c.set_callers_file(callers.string());
                    }};
};

grpc::Status Extract(const TestServer& s, const std::string& client, const std::string& municipality,
                     v1::ExportStatisticsExtractResponse* out) {
  v1::ExportStatisticsExtractRequest request;
  request.set_municipality_code(municipality);
  request.set_year(2025);
  request.set_created_at("2026-02-01T08:00:00Z");
  grpc::ClientContext ctx;
  Deadline(&ctx, 20000);
  return Stub(s, client)->ExportStatisticsExtract(&ctx, request, out);
}

grpc::Status Network(const TestServer& s, const std::string& client,
                     const std::vector<v1::SignedStatisticsExtract>& extracts, v1::NetworkReport* out,
                     const std::string& language = "") {
  v1::NetworkReportRequest request;
  request.set_kind(v1::REPORT_KIND_KAS);
  request.set_language(language);
  for (const auto& e : extracts) *request.add_extracts() = e;
  grpc::ClientContext ctx;
  Deadline(&ctx, 20000);
  return Stub(s, client)->CombineExtracts(&ctx, request, out);
}

std::string Field(const grpc::Status& status) {
  auto bad = Find<google::rpc::BadRequest>(status);
  return bad && bad->field_violations_size() == 1 ? bad->field_violations(0).field() : "<none>";
}

TEST(NetworkRpc, OnlyTheNetworkRoleExportsAndCombinesSignedExtracts) {
  NetworkServer n;
  v1::ExportStatisticsExtractResponse exported;
  grpc::Status st = Extract(n.server, "stats-nynashamn", "0192", &exported);
  ASSERT_TRUE(st.ok()) << st.error_message();
  auto content = store::VerifyExtract(exported.extract(), {{n.own.public_key_hex, "0192"}});
  ASSERT_TRUE(content.ok()) << content.status().message() << " (signed with the server's key)";
  EXPECT_EQ(content->municipality_code(), "0192");
  EXPECT_EQ(content->from_date(), "2025-01-01");
  EXPECT_EQ(content->network_definition(), "ix-network/1");
  EXPECT_FALSE(content->rule_set_version().empty()) << "from the serving plugin";
  EXPECT_FALSE(content->definition_version().empty()) << "from the serving plugin";

  // Another municipality's extract: not the caller's.
  v1::ExportStatisticsExtractResponse refused;
  st = Extract(n.server, "stats-nynashamn", "0181", &refused);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();

  // Refused callers: a reporting role and a case system, before the request is read.
  for (const char* client : {"stats-sodertalje", "sodertalje"}) {
    st = Extract(n.server, client, "0181", &refused);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << client;
    EXPECT_NE(st.error_message().find("may not call ExportStatisticsExtract"), std::string::npos)
        << st.error_message();
    v1::NetworkReport report;
    st = Network(n.server, client, {exported.extract()}, &report);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << client;
    EXPECT_NE(st.error_message().find("may not call CombineExtracts"), std::string::npos) << st.error_message();
  }

  // 0181's extract of the same year, signed with 0181's key (trusted by the server).
  v1::StatisticsExtract theirs = *content;
  theirs.set_municipality_code("0181");
  auto signed_theirs = store::SignExtract(theirs, n.other.secret_key_hex);
  ASSERT_TRUE(signed_theirs.ok());
  v1::NetworkReport report;
  st = Network(n.server, "stats-nynashamn", {exported.extract(), *signed_theirs}, &report);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(report.municipality_codes_size(), 2);
  EXPECT_EQ(report.municipality_codes(0), "0181");
  EXPECT_GT(report.tables_size(), 0);
  EXPECT_EQ(report.language(), "en");

  // The reader's language: Finnish texts, a fallback named; a malformed tag refused by field.
  st = Network(n.server, "stats-nynashamn", {exported.extract(), *signed_theirs}, &report, "fi-FI");
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(report.language(), "fi");
  EXPECT_EQ(report.title(), "Verkostoraportti: KAS kunnittain");
  st = Network(n.server, "stats-nynashamn", {exported.extract(), *signed_theirs}, &report, "de");
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(report.language(), "sv");
  st = Network(n.server, "stats-nynashamn", {exported.extract(), *signed_theirs}, &report, std::string(70000, 'x'));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(Field(st), "language");
  EXPECT_LT(st.error_message().size(), 300u) << "the tag is shown bounded";

  // A tampered extract: refused, naming the extract and its municipality.
  v1::SignedStatisticsExtract tampered = *signed_theirs;
  theirs.set_created_at("2026-02-02T08:00:00Z");  // changed after signing
  tampered.set_extract(theirs.SerializeAsString());
  st = Network(n.server, "stats-nynashamn", {exported.extract(), tampered}, &report);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_EQ(Field(st), "extracts[1].signature_hex");
  EXPECT_NE(st.error_message().find("municipality 0181"), std::string::npos) << st.error_message();
  // Signed by 0192's key but claiming 0181: refused.
  theirs.set_created_at("2026-02-01T08:00:00Z");
  auto forged = store::SignExtract(theirs, n.own.secret_key_hex);
  ASSERT_TRUE(forged.ok());
  st = Network(n.server, "stats-nynashamn", {exported.extract(), *forged}, &report);
  EXPECT_EQ(Field(st), "extracts[1].signer_public_key_hex") << st.error_message();
}

}  // namespace
}  // namespace ix::server::testing
