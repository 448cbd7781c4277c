// With an event store (adapters/store): the events of assessments, plans and follow-ups are
// recorded per municipality, idempotently, and the store holds no personnummer.
#include "server_test_support.hpp"

#include <ix/store/event_store.hpp>
#include <ix/store/keys.hpp>

#include "ix/v1/categorisation.pb.h"

namespace ix::server::testing {
namespace {

v1::Case TwoYearCase() { return ExampleCase("case-after-two-years.json"); }

TEST(Store, AnAssessmentIsRecordedOnceInTheCallersMunicipalityStore) {
  const fs::path store_dir = TempDir("store");
  TestServer s(true, [&](ServerConfig& c) { c.set_store_dir(store_dir.string()); });
  const v1::Case c = TwoYearCase();
  v1::AssessRequest request;
  *request.mutable_household() = c.household();
  *request.mutable_record() = c.assessments(0);
  request.set_recorded_at("2024-03-04T10:00:00Z");
  for (int round = 0; round < 2; ++round) {  // the same occasion twice: one event
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::AssessResponse response;
    const grpc::Status st = Stub(s, "sodertalje")->Assess(&ctx, request, &response);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_TRUE(response.has_event());
  }
  const std::string audit = Slurp(s.audit_path());
  EXPECT_NE(audit.find("\"rpc\":\"Assess\"") , std::string::npos);
  EXPECT_NE(audit.find("\"detail\":\"recorded=1/1\""), std::string::npos) << audit;
  EXPECT_NE(audit.find("\"detail\":\"recorded=0/1\""), std::string::npos) << audit;
  s.server.reset();

  EXPECT_TRUE(fs::exists(store_dir / "0181.sqlite"));
  EXPECT_FALSE(fs::exists(store_dir / "0192.sqlite")) << "nothing of another municipality";
  // The key is in the key folder (beside the audit log's folder, as the server derives it),
  // owner-only; nothing key-like is left in the store folder.
  const fs::path key_dir = s.dir.string() + "-keys";
  const auto perms = fs::status(key_dir / "0181.k1.key").permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  for (const auto& entry : fs::directory_iterator(store_dir)) {
    EXPECT_EQ(entry.path().extension(), ".sqlite") << entry.path() << " in the store folder";
  }
  auto store = store::OpenWithKeyDir(store_dir / "0181.sqlite", key_dir);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->CountEvents(), 1);
  store->reset();
  const std::string bytes = Slurp(store_dir / "0181.sqlite") + Slurp(store_dir / "0181.sqlite-wal");
  for (const auto& person : c.household().persons()) {
    std::string digits;
    for (char ch : person.personnummer()) {
      if (ch >= '0' && ch <= '9') digits += ch;
    }
    EXPECT_EQ(bytes.find(digits), std::string::npos);
    EXPECT_EQ(bytes.find(person.personnummer()), std::string::npos);
  }
}

TEST(Store, APlanRecordsOneInterventionEventPerIntervention) {
  const fs::path store_dir = TempDir("store-plan");
  TestServer s(true, [&](ServerConfig& c) { c.set_store_dir(store_dir.string()); });
  const v1::Case c = TwoYearCase();
  v1::PlanRequest request;
  *request.mutable_household() = c.household();
  *request.mutable_plan() = c.plan();
  request.set_recorded_at("2024-04-15T09:00:00Z");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::PlanResponse response;
  const grpc::Status st = Stub(s, "sodertalje")->Plan(&ctx, request, &response);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const std::string expected = "\"detail\":\"recorded=" + std::to_string(response.events_size()) +
                               "/" + std::to_string(response.events_size()) + "\"";
  EXPECT_GT(response.events_size(), 0);
  EXPECT_NE(Slurp(s.audit_path()).find(expected), std::string::npos) << Slurp(s.audit_path());
}

}  // namespace
}  // namespace ix::server::testing

namespace ix::server::testing {
namespace {

grpc::Status Report(const TestServer& s, const std::string& client, const std::string& municipality,
                    v1::StatisticsReport* out) {
  v1::ReportRequest request;
  request.set_kind(v1::REPORT_KIND_SNAPSHOT);
  request.set_municipality_code(municipality);
  request.set_at_date("2024-03-31");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  return Stub(s, client)->Report(&ctx, request, out);
}

TEST(Store, AReportingCallerGetsItsOwnMunicipalitysReportOnly) {
  const fs::path store_dir = TempDir("store-report");
  TestServer s(true, [&](ServerConfig& c) { c.set_store_dir(store_dir.string()); });
  v1::StatisticsReport report;
  grpc::Status st = Report(s, "stats-sodertalje", "0181", &report);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(report.kind(), v1::REPORT_KIND_SNAPSHOT);
  EXPECT_EQ(report.municipality_code(), "0181");
  EXPECT_TRUE(report.disclosure_control());

  st = Report(s, "stats-sodertalje", "0192", &report);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(fs::exists(store_dir / "0192.sqlite"));

  v1::ReportRequest bad;
  bad.set_municipality_code("0181");
  bad.set_kind(v1::REPORT_KIND_SNAPSHOT);
  bad.set_at_date("2024-13-01");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  st = Stub(s, "stats-sodertalje")->Report(&ctx, bad, &report);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(Find<google::rpc::BadRequest>(st)->field_violations(0).field(), "at_date");
}

}  // namespace
}  // namespace ix::server::testing
