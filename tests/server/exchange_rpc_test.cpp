// ExportExchange / ImportExchange through the server: Södertälje (0181) exports a household's
// case signed with the server's key and encrypted to Nynäshamn's, Nynäshamn (0192) imports it
// once into its own event store and sees it in its report; every refusal names its field. The
// policy inputs are the server's: the day from its clock, the unit from the caller map.
#include "server_test_support.hpp"

#include <ix/adapters/exchange/exchange.hpp>
#include <ix/base/crypto.hpp>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/exchange.pb.h"

#include <algorithm>
#include <atomic>
#include <sys/stat.h>

namespace ix::server::testing {
namespace {

// The keys and config of a server that signs for 0181, trusts 0181's key, encrypts packages
// for 0192 to its own X25519 key and opens packages with it.
struct ExchangeKeys {
  fs::path dir = TempDir("exchange-keys");
  base::crypto::SigningKeyPair pair = base::crypto::GenerateSigningKeyPair();
  adapters::exchange::EncryptionKeyPair box = adapters::exchange::GenerateEncryptionKeyPair();
  ExchangeKeys() {
    std::ofstream(dir / "server.key") << pair.secret_key_hex << "\n";
    std::ofstream(dir / "exchange.box.key") << box.secret_key_hex << "\n";
    ::chmod((dir / "exchange.box.key").c_str(), 0600);
  }
  void Apply(ServerConfig& c) const {
    c.mutable_exchange()->set_signing_key_file((dir / "server.key").string());
    c.mutable_exchange()->set_encryption_key_file((dir / "exchange.box.key").string());
    TrustedSender* sender = c.mutable_exchange()->add_trusted_senders();
    sender->set_public_key_hex(pair.public_key_hex);
    sender->set_municipality_code("0181");
    RecipientConfig* recipient = c.mutable_exchange()->add_recipients();
    recipient->set_public_key_hex(box.public_key_hex);
    recipient->set_municipality_code("0192");
  }
  // What 0192 reads in a package (the test's own opening of it).
  adapters::exchange::ImportPolicy ReceiverPolicy(const std::string& today) const {
    adapters::exchange::ImportPolicy policy;
    policy.trusted.push_back({pair.public_key_hex, "0181"});
    policy.decryption_secret_key_hex = box.secret_key_hex;
    policy.recipient_municipality_code = "0192";
    policy.today = today;
    return policy;
  }
};

// Midnight UTC of a YYYY-MM-DD day, plus `hour` hours (days from civil: H. Hinnant's algorithm).
std::chrono::system_clock::time_point At(const std::string& day, int hour = 10) {
  int y = std::stoi(day.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(day.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(day.substr(8, 2)));
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = int64_t{era} * 146097 + int64_t{doe} - 719468;
  return std::chrono::system_clock::time_point(std::chrono::hours(days * 24 + hour));
}

// The caller map of dev-certs.sh with a unit for Nynäshamn's case system.
fs::path CallersWithUnit(const fs::path& dir, const std::string& nynashamn_unit) {
  const fs::path file = dir / "callers.json";
  std::ofstream(file) << R"({ "callers": [
    { "identity": "case-system.sodertalje.dev", "municipality_code": "0181", "role": "case_system" },
    { "identity": "case-system.nynashamn.dev", "municipality_code": "0192", "role": "case_system",
      "unit": ")" << nynashamn_unit << R"(" },
    { "identity": "stats.sodertalje.dev", "municipality_code": "0181", "role": "reporting" },
    { "identity": "stats.nynashamn.dev", "municipality_code": "0192", "role": "statistics_internal" } ] })";
  return file;
}

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
  explicit ExchangeServer(const std::string& nynashamn_unit = "ekonomiskt-bistand") : unit(nynashamn_unit) {}
  std::string unit;
  ExchangeKeys keys;
  fs::path store = TempDir("exchange-store");
  // The server's clock (ServerOptions::clock): 2026-03-05 unless a test moves it.
  std::shared_ptr<std::atomic<int64_t>> now = std::make_shared<std::atomic<int64_t>>(
      std::chrono::duration_cast<std::chrono::seconds>(At("2026-03-05").time_since_epoch()).count());
  TestServer server{true,
                    [this](ServerConfig& c) {
                      keys.Apply(c);
                      c.set_store_dir(store.string());
                      c.set_callers_file(CallersWithUnit(store, unit).string());
                    },
                    nullptr,
                    [clock = now] {
                      return std::chrono::system_clock::time_point(std::chrono::seconds(clock->load()));
                    }};

  void SetToday(const std::string& day) {
    now->store(std::chrono::duration_cast<std::chrono::seconds>(At(day).time_since_epoch()).count());
  }

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
  EXPECT_EQ(package.recipient_public_key_hex(), x.keys.box.public_key_hex) << "encrypted to 0192's key";
  const v1::Case sent_case = TwoYearCase();
  for (const auto& person : sent_case.household().persons()) {
    EXPECT_EQ(exported.package().find(person.personnummer()), std::string::npos) << "personnummer in clear";
  }
  auto opened = adapters::exchange::Verify(exported.package(), x.keys.ReceiverPolicy("2026-03-05"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString() << " (signed with the server's key, opens with 0192's)";
  const v1::ExchangeContent& content = opened->content;
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
  EXPECT_NE(audit.find("from=0181 today=2026-03-05 unit=ekonomiskt-bistand recorded="), std::string::npos)
      << "the audit records the policy inputs the server used: " << audit;
  const v1::Case sent = TwoYearCase();
  for (const auto& person : sent.household().persons()) {
    EXPECT_EQ(audit.find(person.personnummer()), std::string::npos) << "personnummer in the audit log";
  }
  EXPECT_EQ(audit.find(sent.household().household_ref()), std::string::npos)
      << "household ref in clear in the audit log";
}

TEST(ExchangeRpc, AChangedByteIsRefusedNamingTheSealedPart) {
  ExchangeServer x;
  v1::ExchangePackage package;
  ASSERT_TRUE(package.ParseFromString(x.Package()));
  std::string sealed = package.sealed();
  sealed[sealed.size() / 2] = static_cast<char>(sealed[sealed.size() / 2] ^ 0x01);
  package.set_sealed(sealed);
  v1::ImportExchangeResponse out;
  const grpc::Status st = Import(x.server, "nynashamn", package.SerializeAsString(), "", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "package.sealed");
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
  // Anyone can encrypt to 0192's public key; only a trusted signer is believed.
  auto forged = adapters::exchange::Export(request, base::crypto::GenerateSigningKeyPair().secret_key_hex,
                                           {{x.keys.box.public_key_hex, "0192"}});
  ASSERT_TRUE(forged.ok()) << forged.status().message();
  v1::ImportExchangeResponse out;
  const grpc::Status st =
      Import(x.server, "nynashamn", forged->package.SerializeAsString(), "2026-03-05", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "envelope.signer_public_key_hex");
}

TEST(ExchangeRpc, TheConsentHoldsUntilItsLastDayByTheServersClockAndNoLonger) {
  ExchangeServer x;
  const std::string package = x.Package();
  v1::ImportExchangeResponse out;
  x.SetToday("2026-04-01");
  grpc::Status st = Import(x.server, "nynashamn", package, "", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "consent.expires_on");
  EXPECT_NE(st.error_message().find("today is 2026-04-01"), std::string::npos) << st.error_message();
  // A back-dated `today` in the request changes nothing: the server's date decides.
  st = Import(x.server, "nynashamn", package, "2026-03-05", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "consent.expires_on");
  const std::string audit = Slurp(x.server.audit_path());
  EXPECT_NE(audit.find("\"detail\":\"consent.expires_on today=2026-04-01 unit=ekonomiskt-bistand\""),
            std::string::npos)
      << "the audit shows the server's day, not the request's: " << audit;
  EXPECT_EQ(audit.find("today=2026-03-05"), std::string::npos) << audit;
  x.SetToday("2026-03-31");
  st = Import(x.server, "nynashamn", package, "2099-01-01", &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
}

TEST(ExchangeRpc, TheRecipientUnitComesFromTheCallerMapNotTheRequest) {
  auto request = ExportRequest();
  request.mutable_consent()->set_recipient_unit("arbetsmarknad");
  {
    ExchangeServer x;  // Nynäshamn's case system is the unit ekonomiskt-bistand
    const std::string package = x.Package(request);
    v1::ImportExchangeRequest import;
    import.set_package(package);
    import.set_recipient_unit("arbetsmarknad");  // a foreign unit, named by the caller
    v1::ImportExchangeResponse out;
    grpc::ClientContext ctx;
    Deadline(&ctx);
    const grpc::Status st = Stub(x.server, "nynashamn")->ImportExchange(&ctx, import, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
    EXPECT_EQ(FieldOfRefusal(st), "consent.recipient_unit");
    EXPECT_NE(st.error_message().find("this importer is unit 'ekonomiskt-bistand'"), std::string::npos)
        << st.error_message();
    const std::string audit = Slurp(x.server.audit_path());
    EXPECT_NE(audit.find("consent.recipient_unit today=2026-03-05 unit=ekonomiskt-bistand"), std::string::npos)
        << audit;
    EXPECT_FALSE(fs::exists(x.store / "0192.exchange-ledger"));
  }
  {
    ExchangeServer x("arbetsmarknad");  // the caller map gives Nynäshamn's caller that unit
    v1::ImportExchangeResponse out;
    const grpc::Status st = Import(x.server, "nynashamn", x.Package(request), "", &out);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(out.household_case().unit(), "arbetsmarknad");
    EXPECT_NE(Slurp(x.server.audit_path()).find("today=2026-03-05 unit=arbetsmarknad recorded="), std::string::npos);
  }
}

TEST(ExchangeRpc, NoPackageLeavesForAMunicipalityWithoutAnEncryptionKey) {
  ExchangeServer x;
  auto request = ExportRequest();
  request.mutable_consent()->set_recipient_municipality_code("0180");
  v1::ExportExchangeResponse out;
  const grpc::Status st = Export(x.server, "sodertalje", request, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "consent.recipient_municipality_code");
  EXPECT_TRUE(out.package().empty());
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

// Every file under `dir` (recursively) whose bytes contain `text`.
std::vector<std::string> FilesHolding(const fs::path& dir, const std::string& text) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && Slurp(entry.path()).find(text) != std::string::npos) {
      found.push_back(entry.path().filename().string());
    }
  }
  return found;
}

TEST(ExchangeRpc, TheLedgerAndTheStoreHoldNoPackageIdInClearAndAReplayIsStillRecognised) {
  ExchangeServer x;
  // A sender that builds package ids from a personnummer (the example household's first adult).
  const std::string pnr_digits = "198503121231";
  const std::string id = pnr_digits + "-move";
  const std::string legacy_id = "pkg-0181-written-in-clear";
  const std::string package = x.Package(ExportRequest(id));
  const std::string legacy_package = x.Package(ExportRequest(legacy_id));
  auto legacy = adapters::exchange::Verify(legacy_package, x.keys.ReceiverPolicy("2026-03-05"));
  ASSERT_TRUE(legacy.ok()) << legacy.status().ToString();

  // A ledger as ix-server wrote it before it kept references: one package id in clear. The scan
  // finds it there, so it would find the new id in a ledger written the old way.
  const fs::path ledger = x.store / "0192.exchange-ledger";
  std::ofstream(ledger) << legacy_id << ' ' << legacy->result.content_sha256() << '\n';
  ASSERT_EQ(FilesHolding(x.store, legacy_id), std::vector<std::string>{"0192.exchange-ledger"});

  v1::ImportExchangeResponse first;
  grpc::Status st = Import(x.server, "nynashamn", package, "2026-03-05", &first, "2026-03-05");
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(first.result().already_imported());
  EXPECT_GT(first.events_recorded(), 0);

  // Neither id in clear in the ledger, the store (database, WAL) or the audit log.
  EXPECT_TRUE(fs::exists(ledger));
  EXPECT_TRUE(fs::exists(x.store / "0192.sqlite"));
  for (const std::string& clear : {id, pnr_digits, legacy_id}) {
    EXPECT_EQ(FilesHolding(x.store, clear), std::vector<std::string>{}) << clear;
    EXPECT_EQ(Slurp(x.server.audit_path()).find(clear), std::string::npos) << clear << " in the audit log";
  }
  const std::string lines = Slurp(ledger);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 3) << "a marker line and two references:\n" << lines;
  EXPECT_EQ((fs::status(ledger).permissions() & fs::perms::all), fs::perms::owner_read | fs::perms::owner_write);

  // A replay of either package is recognised; the same id with other content is refused.
  v1::ImportExchangeResponse again;
  st = Import(x.server, "nynashamn", package, "2026-03-06", &again, "2026-03-05");
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(again.result().already_imported());
  EXPECT_EQ(again.events_recorded(), 0);
  st = Import(x.server, "nynashamn", legacy_package, "2026-03-06", &again);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(again.result().already_imported()) << "the line written in clear was kept, as a reference";
  st = Import(x.server, "nynashamn", x.Package(ExportRequest(id, "2026-03-03T09:00:00Z")), "2026-03-06", &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << st.error_message();
  EXPECT_EQ(FieldOfRefusal(st), "content.package_id");
  EXPECT_EQ(Slurp(ledger), lines) << "nothing recorded for a replay or a refusal";
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

TEST(ExchangeRpc, TheServerRefusesToStartWithAnEncryptionKeyOthersMayRead) {
  ExchangeKeys keys;
  ::chmod((keys.dir / "exchange.box.key").c_str(), 0644);
  ServerOptions options;
  options.config = TestServer::DefaultConfig(TempDir("exchange-key-mode"));
  keys.Apply(options.config);
  auto started = Server::Start(std::move(options));
  ASSERT_FALSE(started.ok()) << "started with a world-readable secret key";
  EXPECT_NE(started.status().message().find("exchange.encryption_key_file"), std::string::npos)
      << started.status().message();
  EXPECT_NE(started.status().message().find("may be read by others"), std::string::npos)
      << started.status().message();
}

}  // namespace
}  // namespace ix::server::testing
