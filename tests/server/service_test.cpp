// The service over mutual TLS: validation, municipality isolation, roles, errors with
// google.rpc details, health before/after the plugin, deadlines, cancellation, message size,
// and the audit log.
#include "server_test_support.hpp"

#include <ix/server/audit.hpp>

#include "grpc/health/v1/health.grpc.pb.h"

#include <atomic>
#include <re2/re2.h>
#include <thread>

namespace ix::server::testing {
namespace {

grpc::Status Validate(const TestServer& s, const std::string& client,
                      const v1::ValidateRequest& request, v1::ValidateResponse* out,
                      int deadline_ms = 5000) {
  grpc::ClientContext ctx;
  Deadline(&ctx, deadline_ms);
  return Stub(s, client)->Validate(&ctx, request, out);
}

TEST(Service, ValidatesTheSampleHouseholdOfTheCallersMunicipality) {
  TestServer s;
  v1::ValidateResponse response;
  const grpc::Status st = Validate(s, "sodertalje", ValidRequest(), &response);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(response.valid());
  EXPECT_EQ(response.problems_size(), 0);
  EXPECT_EQ(response.validated_against().version(), "2024.1");
  EXPECT_EQ(s.server->counters().plugin_calls, 1u);
}

TEST(Service, InvalidHouseholdGivesProblemsAsData) {
  TestServer s;
  v1::ValidateRequest request;
  *request.mutable_response() = Example("household-invalid.json");
  request.set_as_of_date("2025-01-15");
  v1::ValidateResponse response;
  ASSERT_TRUE(Validate(s, "sodertalje", request, &response).ok());
  EXPECT_FALSE(response.valid());
  EXPECT_EQ(response.problems_size(), 6);
}

TEST(Service, AnotherMunicipalitysHouseholdIsDeniedBeforeThePluginSeesIt) {
  TestServer s;
  v1::ValidateResponse response;
  // Nynäshamn's system (0192) asks about a Södertälje (0181) household.
  const grpc::Status st = Validate(s, "nynashamn", ValidRequest(), &response);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(st.error_message(),
            "caller 'case-system.nynashamn.dev' of municipality 0192 may not access data of "
            "municipality 0181");
  auto resource = Find<google::rpc::ResourceInfo>(st);
  ASSERT_TRUE(resource.has_value());
  EXPECT_EQ(resource->resource_type(), "municipality");
  EXPECT_EQ(resource->resource_name(), "0181");
  EXPECT_EQ(Find<google::rpc::ErrorInfo>(st)->reason(), "IX_OTHER_MUNICIPALITY");
  EXPECT_EQ(s.server->counters().plugin_calls, 0u);
  EXPECT_EQ(s.server->counters().denied, 1u);
}

TEST(Service, ReportingRoleMayNotReadOneHousehold) {
  TestServer s;
  v1::ValidateResponse response;
  const grpc::Status st = Validate(s, "stats-sodertalje", ValidRequest(), &response);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(st.error_message(), "role 'reporting' may not call Validate");
  EXPECT_EQ(s.server->counters().plugin_calls, 0u);
}

TEST(Service, MissingMunicipalityCodeIsAFieldViolation) {
  TestServer s;
  v1::ValidateRequest request = ValidRequest();
  request.mutable_response()->mutable_household()->clear_municipality_code();
  v1::ValidateResponse response;
  const grpc::Status st = Validate(s, "sodertalje", request, &response);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto bad = Find<google::rpc::BadRequest>(st);
  ASSERT_TRUE(bad.has_value());
  ASSERT_EQ(bad->field_violations_size(), 1);
  EXPECT_EQ(bad->field_violations(0).field(), "response.household.municipality_code");
}

TEST(Service, PluginInputErrorsBecomeFieldViolationsNeverInternal) {
  TestServer s;
  {
    v1::ValidateRequest request = ValidRequest();
    request.set_as_of_date("2025-02-30");
    v1::ValidateResponse response;
    const grpc::Status st = Validate(s, "sodertalje", request, &response);
    ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_EQ(st.error_message(), "as_of_date: expected a real date YYYY-MM-DD");
    auto bad = Find<google::rpc::BadRequest>(st);
    ASSERT_TRUE(bad.has_value());
    EXPECT_EQ(bad->field_violations(0).field(), "as_of_date");
    EXPECT_EQ(bad->field_violations(0).description(), "expected a real date YYYY-MM-DD");
  }
  {
    v1::ValidateRequest request = ValidRequest();
    request.mutable_response()->mutable_instrument()->set_version("1999.9");
    v1::ValidateResponse response;
    const grpc::Status st = Validate(s, "sodertalje", request, &response);
    ASSERT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
    auto bad = Find<google::rpc::BadRequest>(st);
    ASSERT_TRUE(bad.has_value());
    EXPECT_EQ(bad->field_violations(0).field(), "response.instrument");
    EXPECT_NE(st.error_message().find("instrument-x@1999.9 is not carried by this plugin"),
              std::string::npos);
  }
}

grpc::health::v1::HealthCheckResponse::ServingStatus Health(const TestServer& s,
                                                            const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(Channel(s, "sodertalje"));
  grpc::ClientContext ctx;
  Deadline(&ctx);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status st = stub->Check(&ctx, request, &response);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return response.status();
}

using Serving = grpc::health::v1::HealthCheckResponse;

TEST(Health, NotServingUntilThePluginIsNegotiatedAndSelfTested) {
  TestServer s(/*attach=*/false);
  EXPECT_EQ(Health(s, ""), Serving::NOT_SERVING);
  EXPECT_EQ(Health(s, "ix.v1.InstrumentService"), Serving::NOT_SERVING);
  v1::ValidateResponse response;
  grpc::Status st = Validate(s, "sodertalje", ValidRequest(), &response);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  auto failure = Find<google::rpc::PreconditionFailure>(st);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->violations(0).type(), "PLUGIN_NOT_SERVING");

  ASSERT_TRUE(s.server->AttachPlugin(IX_TEST_PLUGIN).ok());
  EXPECT_EQ(Health(s, ""), Serving::SERVING);
  EXPECT_EQ(Health(s, "ix.v1.InstrumentService"), Serving::SERVING);
  st = Validate(s, "sodertalje", ValidRequest(), &response);
  EXPECT_TRUE(st.ok()) << st.error_message();
}

TEST(Health, APluginThatFailsItsSelfTestNeverServes) {
  TestServer s(/*attach=*/false);
  const Status st = s.server->AttachPlugin(std::string(IX_TEST_FIXTURE_DIR) + "/libthrowing_plugin.so");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("libthrowing_plugin.so: self-test failed: describe answered INTERNAL"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(Health(s, ""), Serving::NOT_SERVING);
  EXPECT_FALSE(s.server->serving());
}

TEST(Health, AFileThatIsNotAPluginNeverServes) {
  TestServer s(/*attach=*/false);
  const Status st = s.server->AttachPlugin(std::string(IX_TEST_FIXTURE_DIR) + "/not_a_plugin.so");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(Health(s, "ix.v1.InstrumentService"), Serving::NOT_SERVING);
  v1::ValidateResponse response;
  const grpc::Status call = Validate(s, "sodertalje", ValidRequest(), &response);
  EXPECT_EQ(call.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(call.error_message().find("the plugin could not be started"), std::string::npos);
}

// Holds each call until the server sees it cancelled (client deadline or TryCancel), with a
// safety limit so a broken server cannot hang the test.
void WaitUntilCancelled(std::string_view, const std::function<bool()>& cancelled) {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!cancelled() && std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void WaitFor(const std::function<bool()>& condition) {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!condition() && std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(Deadlines, AnExpiredDeadlineStopsTheWorkBeforeThePlugin) {
  TestServer s(true, nullptr, &WaitUntilCancelled);
  v1::ValidateResponse response;
  const auto start = std::chrono::steady_clock::now();
  const grpc::Status st = Validate(s, "sodertalje", ValidRequest(), &response, /*deadline_ms=*/300);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  WaitFor([&] { return s.server->counters().abandoned == 1; });
  EXPECT_EQ(s.server->counters().abandoned, 1u);
  EXPECT_EQ(s.server->counters().plugin_calls, 0u) << "the plugin must not run for an expired call";
  // The server learns the client gave up either from its own copy of the deadline or from the
  // client's cancellation, whichever comes first; both stop the work and are audited.
  const RE2 stopped(R"re("rpc":"Validate".*"outcome":"(DEADLINE_EXCEEDED|CANCELLED)")re");
  WaitFor([&] { return RE2::PartialMatch(Slurp(s.audit_path()), stopped); });
  EXPECT_TRUE(RE2::PartialMatch(Slurp(s.audit_path()), stopped)) << Slurp(s.audit_path());
}

TEST(Deadlines, ACancelledCallStopsTheWorkBeforeThePlugin) {
  std::atomic<bool> entered{false};
  TestServer s(true, nullptr, [&](std::string_view rpc, const std::function<bool()>& cancelled) {
    entered = true;
    WaitUntilCancelled(rpc, cancelled);
  });
  auto stub = Stub(s, "sodertalje");
  grpc::ClientContext ctx;
  Deadline(&ctx, 10000);
  v1::ValidateResponse response;
  grpc::Status st;
  std::thread client([&] { st = stub->Validate(&ctx, ValidRequest(), &response); });
  WaitFor([&] { return entered.load(); });
  ctx.TryCancel();
  client.join();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::CANCELLED);
  WaitFor([&] { return s.server->counters().abandoned == 1; });
  EXPECT_EQ(s.server->counters().abandoned, 1u);
  EXPECT_EQ(s.server->counters().plugin_calls, 0u);
}

TEST(Limits, AnOversizedRequestIsRefusedWithResourceExhausted) {
  TestServer s(true, [](ServerConfig& c) { c.set_max_message_bytes(64 * 1024); });
  v1::ValidateRequest request = ValidRequest();
  auto* answer = request.mutable_response()->add_answers();
  answer->set_item_id("summary.own_goals");
  answer->set_person_ref("p2");
  answer->mutable_value()->set_text(std::string(100 * 1024, 'x'));
  v1::ValidateResponse response;
  const grpc::Status st = Validate(s, "sodertalje", request, &response);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << st.error_message();
  EXPECT_EQ(s.server->counters().plugin_calls, 0u);
  // A request just under the limit still goes through.
  answer->mutable_value()->set_text(std::string(30 * 1024, 'x'));
  EXPECT_NE(Validate(s, "sodertalje", request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(Service, ReportsNeedAnEventStore) {
  TestServer s;  // no store_dir
  v1::ReportRequest request;
  request.set_kind(v1::REPORT_KIND_SNAPSHOT);
  request.set_municipality_code("0181");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::StatisticsReport report;
  const grpc::Status st = Stub(s, "stats-sodertalje")->Report(&ctx, request, &report);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(st.error_message(), "this server runs without an event store (store_dir): no reports");
}

TEST(Audit, RecordsWhoWhatWhichHouseholdPseudonymisedAndTheOutcome) {
  TestServer s;
  v1::ValidateResponse response;
  ASSERT_TRUE(Validate(s, "sodertalje", ValidRequest(), &response).ok());
  (void)Validate(s, "nynashamn", ValidRequest(), &response);  // denied
  const std::string audit = Slurp(s.audit_path());
  const RE2 ok_line(
      R"re(\{"seq":\d+,"time":"\d{4}-\d\d-\d\dT[0-9:.]+Z","request_id":"[0-9a-f]{6}-\d+",)re"
      R"re("caller":"case-system\.sodertalje\.dev","municipality":"0181","rpc":"Validate",)re"
      R"re("household":"([0-9a-f]{64})","outcome":"OK","detail":"problems=0",)re"
      R"re("prev":"[0-9a-f]{64}","mac":"[0-9a-f]{64}"\})re");
  std::string pseudonym;
  ASSERT_TRUE(RE2::PartialMatch(audit, ok_line, &pseudonym)) << audit;
  // The denied call is about the same household: same pseudonym, other caller, its outcome.
  EXPECT_NE(audit.find(R"("caller":"case-system.nynashamn.dev","municipality":"0192","rpc":"Validate","household":")" +
                       pseudonym + R"(","outcome":"PERMISSION_DENIED")"),
            std::string::npos)
      << audit;
  EXPECT_EQ(audit.find("hh-example-1"), std::string::npos) << "household ref in clear";
}

TEST(Audit, PseudonymsAreKeyedHmacSha256) {
  const fs::path dir = TempDir("audit-key");
  // A fixed key: the pseudonym is HMAC-SHA-256(key, "0181/hh-example-1"), computed with
  // openssl below, independently of libsodium.
  const std::string key_hex(64, 'a');
  std::ofstream(dir / "key") << key_hex << "\n";
  fs::permissions(dir / "key", fs::perms::owner_read | fs::perms::owner_write);  // keys others may read are refused
  auto log = AuditLog::Open(dir / "audit.log", dir / "key");
  ASSERT_TRUE(log.ok()) << log.status().message();
  const std::string command = "printf %s 0181/hh-example-1 | openssl dgst -sha256 -mac HMAC "
                              "-macopt hexkey:" + key_hex + " -r > " + (dir / "expected").string();
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string expected = Slurp(dir / "expected").substr(0, 64);
  EXPECT_EQ((*log)->Pseudonym("0181", "hh-example-1"), expected);
  EXPECT_NE((*log)->Pseudonym("0192", "hh-example-1"), expected) << "municipality is part of it";
}

TEST(Audit, AMissingKeyIsCreatedOwnerOnlyAndReused) {
  const fs::path dir = TempDir("audit-newkey");
  std::string first;
  {
    auto log = AuditLog::Open(dir / "audit.log", {});
    ASSERT_TRUE(log.ok());
    first = (*log)->Pseudonym("0181", "hh");
  }
  const auto perms = fs::status(dir / "audit.log.key").permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  auto again = AuditLog::Open(dir / "audit.log", {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->Pseudonym("0181", "hh"), first);
}

TEST(LogScan, NoPersonnummerInAnyLogAfterAFullRun) {
  TestServer s;
  auto run = [&](const std::string& client, const v1::ValidateRequest& r) {
    v1::ValidateResponse response;
    (void)Validate(s, client, r, &response);
  };
  v1::ValidateRequest invalid;
  *invalid.mutable_response() = Example("household-invalid.json");
  for (const auto& client : {"sodertalje", "nynashamn", "stats-sodertalje", "unmapped"}) {
    run(client, ValidRequest());
    run(client, invalid);
  }
  v1::ValidateRequest bad = ValidRequest();
  bad.set_as_of_date("not-a-date");
  run("sodertalje", bad);
  s.server.reset();  // flush and stop
  const std::string logs = Slurp(s.dir / "audit.log") + s.log.text->str();
  ASSERT_FALSE(logs.empty());
  for (const char* file : {"household.json", "household-invalid.json"}) {
    const v1::InstrumentResponse example = Example(file);  // outlives the loop
    for (const auto& person : example.household().persons()) {
      std::string digits;
      for (char c : person.personnummer()) {
        if (c >= '0' && c <= '9') digits += c;
      }
      for (const std::string& form : {person.personnummer(), digits, digits.substr(2),
                                      digits.substr(2, 6) + "-" + digits.substr(8)}) {
        EXPECT_EQ(logs.find(form), std::string::npos) << "personnummer form '" << form << "' logged";
      }
    }
  }
}

}  // namespace
}  // namespace ix::server::testing
