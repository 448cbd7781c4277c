// ExportExchange / ImportExchange through the server: Södertälje (0181) exports a household's
// case signed with the server's key, Nynäshamn (0192) imports it once into its own event store
// and sees it in its report; every refusal names its field.
#include "server_test_support.hpp"

#include <ix/adapters/exchange/exchange.hpp>
#include <ix/base/crypto.hpp>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/exchange.pb.h"

#include <algorithm>

namespace ix::server::testing {
namespace {

// The keys and config of a server that signs for 0181 and trusts 0181's key.
struct ExchangeKeys {
  fs::path dir = TempDir("exchange-keys");
  base::crypto::SigningKeyPair pair = base::crypto::GenerateSigningKeyPair();
  ExchangeKeys() { std::ofstream(dir / "server.key") << pair.secret_key_hex << "\n"; }
  void Apply(ServerConfig& c) const {
    c.mutable_exchange()->set_signing_key_file((dir / "server.key").string());
    TrustedSender* sender = c.mutable_exchange()->add_trusted_senders();
    sender->set_public_key_hex(pair.public_key_hex);
    sender->set_municipality_code("0181");
  }
};

v1::Case TwoYearCase() { return ExampleCase("case-after-two-years.json"); }

v1::ConsentRecord MovingTo0192() {
  v1::ConsentRecord consent;
  consent.set_consent_id("consent-1");
  consent.add_scopes(v1::CONSENT_SCOPE_RESPONSES);
  consent.add_scopes(v1::CONSENT_SCOPE_ASSESSMENTS);
  consent.add_scopes(v1::CONSENT_SCOPE_FORSORJNINGSHINDER);
  consent.set_recipient_municipality_code("0192");
  consent.set_purpose(v1::EXCHANGE_PURPOSE_MOVING);
  consent.set_given_on("2026-03-01");
  consent.set_expires_on("2026-03-31");
  consent.set_recorded_by("cw-17");
  consent.add_given_by("p1");
  consent.add_given_by("p2");
  return consent;
}

v1::ExportExchangeRequest ExportRequest(const std::string& package_id = "pkg-0181-0001",
                                        const std::string& created_at = "2026-03-02T09:00:00Z") {
  v1::ExportExchangeRequest request;
  *request.mutable_household_case() = TwoYearCase();
  *request.mutable_consent() = MovingTo0192();
  request.set_package_id(package_id);
  request.set_created_at(created_at);
  return request;
}

grpc::Status Export(const TestServer& s, const std::string& client,
                    const v1::ExportExchangeRequest& request, v1::ExportExchangeResponse* out) {
  grpc::ClientContext ctx;
  Deadline(&ctx);
  return Stub(s, client)->ExportExchange(&ctx, request, out);
}

grpc::Status Import(const TestServer& s, const std::string& client, const std::string& package,
                    const std::string& today, v1::ImportExchangeResponse* out,
                    const std::string& assistance_from = "") {
  v1::ImportExchangeRequest request;
  request.set_package(package);
  request.set_today(today);
  request.set_assistance_from(assistance_from);
  grpc::ClientContext ctx;
  Deadline(&ctx);
  return Stub(s, client)->ImportExchange(&ctx, request, out);
}

// The one field violation of a refusal.
std::string FieldOfRefusal(const grpc::Status& status) {
  auto bad = Find<google::rpc::BadRequest>(status);
  if (!bad || bad->field_violations_size() != 1) return "<no single field violation>";
  return bad->field_violations(0).field();
}

struct ExchangeServer {
  ExchangeKeys keys;
  fs::path store = TempDir("exchange-store");
  TestServer server{true, [this](ServerConfig& c) {
                      keys.Apply(c);
                      c.set_store_dir(store.string());
                    }};

  std::string Package(const v1::ExportExchangeRequest& request = ExportRequest()) {
    v1::ExportExchangeResponse exported;
    const grpc::Status st = Export(server, "sodertalje", request, &exported);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return exported.package();
  }
};

int64_t SnapshotTotal(const v1::StatisticsReport& report) {
  for (const auto& table : report.tables()) {
    if (table.id() != "snapshot.category_by_sex") continue;
    const auto& columns = table.column_labels();
    const int total_column =
        static_cast<int>(std::find(columns.begin(), columns.end(), "Total") - columns.begin());
    for (const auto& row : table.rows()) {
      if (row.label() == "Total" && total_column < row.cells_size()) {
        return row.cells(total_column).count();
      }
    }
  }
  return -1;
}

TEST(ExchangeRpc, ExportedInOneMunicipalityImportedOnceInTheOtherAndCountedThere) {
  ExchangeServer x;
  v1::ExportExchangeResponse exported;
  grpc::Status st = Export(x.server, "sodertalje", ExportRequest(), &exported);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(exported.package_id(), "pkg-0181-0001");
  v1::ExchangePackage package;
  ASSERT_TRUE(package.ParseFromString(exported.package()));
  EXPECT_EQ(package.signer_public_key_hex(), x.keys.pair.public_key_hex) << "signed with the server's key";
  v1::ExchangeContent content;
  ASSERT_TRUE(content.ParseFromString(package.content()));
  EXPECT_EQ(content.sender_municipality_code(), "0181");
  EXPECT_EQ(content.sender_system(), "ix-server");
  EXPECT_FALSE(content.household_case().has_plan()) << "the consent has no PLAN scope";

  // Before the import, Nynäshamn's report does not know the household.
  v1::ReportRequest report_request;
  report_request.set_kind(v1::REPORT_KIND_SNAPSHOT);
  report_request.set_municipality_code("0192");
  report_request.set_at_date("2026-03-31");
  report_request.set_internal(true);
  v1::StatisticsReport report;
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    st = Stub(x.server, "stats-nynashamn")->Report(&ctx, report_request, &report);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_LE(SnapshotTotal(report), 0) << "nobody in 0192 before the import";
  }

  v1::ImportExchangeResponse first;
  st = Import(x.server, "nynashamn", exported.package(), "2026-03-05", &first, "2026-03-05");
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(first.result().already_imported());
  EXPECT_EQ(first.result().sender_municipality_code(), "0181");
  EXPECT_EQ(first.household_case().household().municipality_code(), "0192");
  EXPECT_GT(first.events_recorded(), 2) << "categorisation events and two assistance periods";
  for (const auto& event : first.household_case().events()) {
    if (event.has_categorisation()) {
      EXPECT_EQ(event.categorisation().header().municipality_code(), "0192");
    }
  }
  EXPECT_TRUE(fs::exists(x.store / "0192.sqlite"));

  v1::ImportExchangeResponse replay;
  st = Import(x.server, "nynashamn", exported.package(), "2026-03-06", &replay, "2026-03-05");
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(replay.result().already_imported());
  EXPECT_EQ(replay.events_recorded(), 0);
  EXPECT_EQ(replay.result().content_sha256(), first.result().content_sha256());

  grpc::ClientContext ctx;
  Deadline(&ctx);
  st = Stub(x.server, "stats-nynashamn")->Report(&ctx, report_request, &report);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(SnapshotTotal(report), 2) << "the two adults, once each despite the replay";

  const std::string audit = Slurp(x.server.audit_path());
  EXPECT_NE(audit.find("\"rpc\":\"ExportExchange\""), std::string::npos);
  EXPECT_NE(audit.find("already_imported"), std::string::npos) << audit;
  const v1::Case sent = TwoYearCase();
  for (const auto& person : sent.household().persons()) {
    EXPECT_EQ(audit.find(person.personnummer()), std::string::npos) << "personnummer in the audit log";
  }
  EXPECT_EQ(audit.find(sent.household().household_ref()), std::string::npos)
      << "household ref in clear in the audit log";
}

TEST(ExchangeRpc, AChangedByteIsRefusedNamingTheSignature) {
  ExchangeServer x;
  v1::ExchangePackage package;
  ASSERT_TRUE(package.ParseFromString(x.Package()));
  std::string content = package.content();
  content[content.size() / 2] = static_cast<char>(content[content.size() / 2] ^ 0x01);
  package.set_content(content);
  v1::ImportExchangeResponse out;
  const grpc::Status st = Import(x.server, "nynashamn", package.SerializeAsString(), "2026-03-05", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "package.signature_hex");
  EXPECT_FALSE(fs::exists(x.store / "0192.exchange-ledger")) << "a refused package is not in the ledger";
}

TEST(ExchangeRpc, APackageForAnotherMunicipalityIsRefused) {
  ExchangeServer x;
  v1::ImportExchangeResponse out;
  // Södertälje's own case system may not import a package the consent gives to Nynäshamn.
  const grpc::Status st = Import(x.server, "sodertalje", x.Package(), "2026-03-05", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "consent.recipient_municipality_code");
}

TEST(ExchangeRpc, APackageSignedWithAnUntrustedKeyIsRefused) {
  ExchangeServer x;
  adapters::exchange::ExportRequest request;
  request.household_case = TwoYearCase();
  request.consent = MovingTo0192();
  request.created_at = "2026-03-02T09:00:00Z";
  request.sender_municipality_code = "0181";
  auto forged = adapters::exchange::Export(request, base::crypto::GenerateSigningKeyPair().secret_key_hex);
  ASSERT_TRUE(forged.ok()) << forged.status().message();
  v1::ImportExchangeResponse out;
  const grpc::Status st =
      Import(x.server, "nynashamn", forged->package.SerializeAsString(), "2026-03-05", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "package.signer_public_key_hex");
}

TEST(ExchangeRpc, TheConsentHoldsUntilItsLastDayAndNoLonger) {
  ExchangeServer x;
  const std::string package = x.Package();
  v1::ImportExchangeResponse out;
  grpc::Status st = Import(x.server, "nynashamn", package, "2026-04-01", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "consent.expires_on");
  st = Import(x.server, "nynashamn", package, "2026-03-31", &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  st = Import(x.server, "nynashamn", package, "2026-3-31", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldOfRefusal(st), "today");
}

TEST(ExchangeRpc, TheSameIdWithOtherContentIsRefused) {
  ExchangeServer x;
  v1::ImportExchangeResponse out;
  grpc::Status st = Import(x.server, "nynashamn", x.Package(), "2026-03-05", &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const std::string other = x.Package(ExportRequest("pkg-0181-0001", "2026-03-03T09:00:00Z"));
  st = Import(x.server, "nynashamn", other, "2026-03-05", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "content.package_id");
}

TEST(ExchangeRpc, OnlyTheCaseSystemOfTheHouseholdsMunicipalityExports) {
  ExchangeServer x;
  v1::ExportExchangeResponse out;
  grpc::Status st = Export(x.server, "nynashamn", ExportRequest(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  st = Export(x.server, "stats-sodertalje", ExportRequest(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  v1::ImportExchangeResponse imported;
  st = Import(x.server, "stats-nynashamn", x.Package(), "2026-03-05", &imported);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  auto request = ExportRequest();
  request.mutable_consent()->clear_given_by();
  request.mutable_consent()->add_given_by("p1");
  st = Export(x.server, "sodertalje", request, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "consent.given_by");
}

TEST(ExchangeRpc, WithoutASigningKeyOrAStoreTheServerSaysWhatIsMissing) {
  TestServer s;  // neither exchange settings nor store_dir
  v1::ExportExchangeResponse exported;
  grpc::Status st = Export(s, "sodertalje", ExportRequest(), &exported);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("exchange.signing_key_file"), std::string::npos) << st.error_message();
  v1::ImportExchangeResponse imported;
  st = Import(s, "nynashamn", "x", "2026-03-05", &imported);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("store_dir"), std::string::npos) << st.error_message();
}

}  // namespace
}  // namespace ix::server::testing
