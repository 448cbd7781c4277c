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
  request.mutable_record()->mutable_form_parts()->add_completed(1);
  request.mutable_record()->mutable_form_parts()->add_completed(2);
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
  // The indicator facts reach the store: parts 1–2, both views differing (AM3 + R2 against
  // AM2 + R2) and the suggestion's six ratings.
  ASSERT_TRUE((*store)->ForEachPerson("0181", [](const ix::statistics::PersonHistory& h) {
                        ASSERT_EQ(h.categorisations.size(), 1u);
                        EXPECT_EQ(h.categorisations[0].parts, 0b0011);
                        EXPECT_EQ(h.categorisations[0].views, 7);
                        EXPECT_EQ(h.categorisations[0].ratings, 332223);
                      }).ok());
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

// Disclosure control by role: reporting and case-system callers get published statistics only
// (cells of at least 5, no caseworker filter, periods of at least 28 days, never internal);
// statistics_internal may lift each limit. Refusals are PERMISSION_DENIED naming the field,
// the limit and the value; a malformed value stays INVALID_ARGUMENT for every role.
namespace ix::server::testing {
namespace {

fs::path CallersWithStatisticsInternal(const fs::path& dir) {
  const fs::path file = dir / "callers.json";
  std::ofstream(file) << R"({ "callers": [
    { "identity": "case-system.sodertalje.dev", "municipality_code": "0181", "role": "case_system" },
    { "identity": "stats.sodertalje.dev", "municipality_code": "0181", "role": "reporting" },
    { "identity": "stats.nynashamn.dev", "municipality_code": "0181", "role": "statistics_internal" } ] })";
  return file;
}

struct ReportServer {
  fs::path store_dir = TempDir("store-limits");
  TestServer s{true, [this](ServerConfig& c) {
                 c.set_store_dir(store_dir.string());
                 c.set_callers_file(CallersWithStatisticsInternal(store_dir).string());
               }};

  grpc::Status Ask(const std::string& client, const std::function<void(v1::ReportRequest&)>& tweak,
                   v1::StatisticsReport* out = nullptr) {
    v1::ReportRequest request;
    request.set_kind(v1::REPORT_KIND_MOVEMENTS);
    request.set_municipality_code("0181");
    request.set_from_date("2024-01-01");
    request.set_to_date("2024-03-31");
    tweak(request);
    v1::StatisticsReport report;
    grpc::ClientContext ctx;
    Deadline(&ctx);
    return Stub(s, client)->Report(&ctx, request, out != nullptr ? out : &report);
  }
};

std::string RefusedField(const grpc::Status& st) {
  auto bad = Find<google::rpc::BadRequest>(st);
  return bad && bad->field_violations_size() == 1 ? bad->field_violations(0).field() : "<none>";
}

void ExpectDenied(const grpc::Status& st, const std::string& field, const std::string& text) {
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_EQ(RefusedField(st), field) << st.error_message();
  EXPECT_NE(st.error_message().find(text), std::string::npos) << st.error_message();
}

TEST(ReportLimits, ReportingAndCaseSystemsGetPublishedStatisticsOnly) {
  ReportServer r;
  for (const std::string client : {"stats-sodertalje", "sodertalje"}) {
    SCOPED_TRACE(client);
    const std::string role = client == "sodertalje" ? "case_system" : "reporting";
    v1::StatisticsReport report;
    grpc::Status st = r.Ask(client, [](v1::ReportRequest&) {}, &report);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_TRUE(report.disclosure_control());
    EXPECT_EQ(report.suppression_threshold(), 5);
    ExpectDenied(r.Ask(client, [](auto& q) { q.set_internal(true); }), "internal",
                 "internal (unsuppressed) reports are for role statistics_internal only; role " + role);
    ExpectDenied(r.Ask(client, [](auto& q) { q.set_suppression_threshold(2); }), "suppression_threshold",
                 "2 is below the minimum cell size 5 of role " + role);
    ExpectDenied(r.Ask(client, [](auto& q) { q.set_suppression_threshold(4); }), "suppression_threshold",
                 "4 is below the minimum cell size 5");
    ExpectDenied(r.Ask(client, [](auto& q) { q.set_caseworker("cw-17"); }), "caseworker",
                 "a filter on one caseworker's cases is not allowed for role " + role);
    ExpectDenied(r.Ask(client, [](auto& q) { q.set_to_date("2024-01-01"); }), "to_date",
                 "a period of 1 day(s) (2024-01-01..2024-01-01) is shorter than the 28 days allowed for role " +
                     role);
    ExpectDenied(r.Ask(client, [](auto& q) { q.set_to_date("2024-01-27"); }), "to_date", "a period of 27 day(s)");
    EXPECT_TRUE(r.Ask(client, [](auto& q) { q.set_to_date("2024-01-28"); }).ok()) << "28 days is allowed";
    EXPECT_TRUE(r.Ask(client, [](auto& q) { q.set_unit("ekonomiskt-bistand"); }).ok()) << "unit is allowed";
    st = r.Ask(client, [](auto& q) { q.set_suppression_threshold(10); }, &report);
    ASSERT_TRUE(st.ok()) << "a stricter threshold is always allowed: " << st.error_message();
    EXPECT_EQ(report.suppression_threshold(), 10);
  }
  const std::string audit = Slurp(r.s.audit_path());
  EXPECT_NE(audit.find("\"detail\":\"internal\""), std::string::npos) << audit;
}

TEST(ReportLimits, StatisticsInternalMayLiftEachLimit) {
  ReportServer r;
  v1::StatisticsReport report;
  grpc::Status st = r.Ask("stats-nynashamn", [](auto& q) { q.set_internal(true); }, &report);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(report.disclosure_control()) << "internal: unsuppressed";
  st = r.Ask("stats-nynashamn", [](auto& q) { q.set_suppression_threshold(2); }, &report);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(report.suppression_threshold(), 2);
  EXPECT_TRUE(r.Ask("stats-nynashamn", [](auto& q) { q.set_caseworker("cw-17"); }).ok());
  EXPECT_TRUE(r.Ask("stats-nynashamn", [](auto& q) { q.set_to_date("2024-01-01"); }).ok());
  // Below the floor every role has: bad input, not a permission.
  st = r.Ask("stats-nynashamn", [](auto& q) { q.set_suppression_threshold(1); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(RefusedField(st), "suppression_threshold");
  EXPECT_NE(Slurp(r.s.audit_path()).find("tables="), std::string::npos);
}

}  // namespace
}  // namespace ix::server::testing
