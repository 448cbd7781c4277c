// The categorisation RPCs (plugin extension "ix.categorisation/1") through the server: the
// answer is exactly what the plugin gives in-process, and every household and event must be
// of the caller's municipality.
#include "server_test_support.hpp"

#include <ix/ext/categorisation.h>
#include <ix/host/loader.hpp>

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <string>
#include <vector>

namespace ix::server::testing {
namespace {

v1::SuggestRequest SuggestSample() {
  v1::SuggestRequest request;
  *request.mutable_response() = Example("household.json");
  request.set_as_of_date("2025-01-15");
  return request;
}

TEST(Categorisation, SuggestGivesExactlyWhatThePluginGivesInProcess) {
  TestServer s;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::SuggestResponse served;
  const grpc::Status st = Stub(s, "sodertalje")->Suggest(&ctx, SuggestSample(), &served);
  ASSERT_TRUE(st.ok()) << st.error_message();

  auto plugin = host::LoadPlugin(IX_TEST_PLUGIN);
  ASSERT_TRUE(plugin.ok()) << plugin.status().message();
  const auto* table =
      plugin->GetExtension<ix_categorisation_v1>(IX_CATEGORISATION_EXTENSION_ID);
  ASSERT_NE(table, nullptr);
  auto direct = plugin->Call<v1::SuggestResponse>(table->suggest, SuggestSample());
  ASSERT_TRUE(direct.ok()) << direct.status().message();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(served, *direct));
  EXPECT_EQ(served.suggestions_size(), 2) << "one suggestion per adult (p1, p2), none for children";
}

TEST(Categorisation, SuggestForAnotherMunicipalityIsDenied) {
  TestServer s;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::SuggestResponse served;
  const grpc::Status st = Stub(s, "nynashamn")->Suggest(&ctx, SuggestSample(), &served);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.server->counters().plugin_calls, 0u);
}

TEST(Categorisation, AssessIsForCaseSystemsOnly) {
  TestServer s;
  v1::AssessRequest request;
  *request.mutable_household() = Example("household.json").household();
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::AssessResponse response;
  const grpc::Status st = Stub(s, "stats-sodertalje")->Assess(&ctx, request, &response);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(st.error_message(), "role 'reporting' may not call Assess");
}

TEST(Categorisation, HistoryWithAnEventOfAnotherMunicipalityIsDenied) {
  TestServer s;
  v1::HistoryRequest request;
  *request.mutable_household() = Example("household.json").household();
  request.add_events()->mutable_categorisation()->mutable_header()->set_municipality_code("0181");
  request.add_events()->mutable_categorisation()->mutable_header()->set_municipality_code("0192");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::HistoryResponse response;
  const grpc::Status st = Stub(s, "sodertalje")->History(&ctx, request, &response);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Find<google::rpc::ResourceInfo>(st)->resource_name(), "0192");
  EXPECT_EQ(s.server->counters().plugin_calls, 0u);
  EXPECT_NE(Slurp(s.audit_path())
                .find("\"detail\":\"events[1].categorisation.header.municipality_code=0192\""),
            std::string::npos);
}

TEST(Categorisation, DueChecksEveryCase) {
  TestServer s;
  v1::DueRequest request;
  request.set_as_of_date("2025-01-15");
  *request.add_cases()->mutable_household() = Example("household.json").household();
  auto* foreign = request.add_cases()->mutable_household();
  *foreign = Example("household.json").household();
  foreign->set_municipality_code("0192");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::DueResponse response;
  const grpc::Status st = Stub(s, "sodertalje")->Due(&ctx, request, &response);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(Slurp(s.audit_path()).find("cases[1].household.municipality_code=0192"),
            std::string::npos);
}

TEST(Categorisation, PluginFieldErrorsComeBackAsFieldViolations) {
  TestServer s;
  v1::SuggestRequest request = SuggestSample();
  request.set_as_of_date("2025-02-31");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::SuggestResponse response;
  const grpc::Status st = Stub(s, "sodertalje")->Suggest(&ctx, request, &response);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  auto bad = Find<google::rpc::BadRequest>(st);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->field_violations(0).field(), "as_of_date");
}

// One path dialect from the plugin to the wire: a rating out of range in Suggest is refused
// with the answer's path as data (ABI 1.1 CallError -> Status problems -> BadRequest), and it
// is the path Validate reports for the same answer.
TEST(Categorisation, SuggestNamesABadRatingByTheAnswerPathValidateUses) {
  TestServer s;
  v1::SuggestRequest request = SuggestSample();
  bool changed = false;
  for (v1::Answer& answer : *request.mutable_response()->mutable_answers()) {
    if (answer.item_id() == "am.health" && answer.person_ref() == "p1") {
      answer.mutable_value()->set_rating(4);
      changed = true;
    }
  }
  ASSERT_TRUE(changed) << "household.json answers am.health for p1";

  // Straight through the host library first: the plugin answers a 1.1 host with a CallError,
  // so the refusal arrives with its problems as data, not as text to parse.
  {
    auto plugin = host::LoadPlugin(IX_TEST_PLUGIN);
    ASSERT_TRUE(plugin.ok()) << plugin.status().message();
    const auto* table = plugin->GetExtension<ix_categorisation_v1>(IX_CATEGORISATION_EXTENSION_ID);
    ASSERT_NE(table, nullptr);
    auto direct = plugin->Call<v1::SuggestResponse>(table->suggest, request);
    ASSERT_FALSE(direct.ok()) << "a rating of 4 is refused";
    EXPECT_EQ(direct.status().code(), StatusCode::kInvalidArgument);
    ASSERT_FALSE(direct.status().problems().empty()) << direct.status().message();
  }

  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::SuggestResponse response;
  const grpc::Status st = Stub(s, "sodertalje")->Suggest(&ctx, request, &response);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  auto bad = Find<google::rpc::BadRequest>(st);
  ASSERT_TRUE(bad.has_value());
  std::vector<std::string> fields;
  for (const auto& violation : bad->field_violations()) fields.push_back(violation.field());
  std::string listed;
  for (const std::string& field : fields) listed += " " + field;
  // The answer's path, "answers[p1/am.health]", possibly with the part of the answer that is
  // wrong (".value"), exactly as Validate writes it (checked below).
  EXPECT_NE(std::find_if(fields.begin(), fields.end(),
                         [](const std::string& f) { return f.rfind("answers[p1/am.health]", 0) == 0; }),
            fields.end())
      << st.error_message() << "; fields:" << listed;

  v1::ValidateRequest validate;
  *validate.mutable_response() = request.response();
  validate.set_as_of_date(request.as_of_date());
  grpc::ClientContext vctx;
  Deadline(&vctx);
  v1::ValidateResponse validated;
  const grpc::Status vst = Stub(s, "sodertalje")->Validate(&vctx, validate, &validated);
  ASSERT_TRUE(vst.ok()) << vst.error_message();
  std::vector<std::string> paths;
  for (const v1::Problem& problem : validated.problems()) {
    if (problem.item_id() == "am.health" && problem.person_ref() == "p1") paths.push_back(problem.path());
  }
  ASSERT_FALSE(paths.empty()) << "Validate reports the rating of 4";
  for (const std::string& path : paths) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), path), fields.end())
        << "Validate's path " << path << " is not among Suggest's fields:" << listed;
  }
}

}  // namespace
}  // namespace ix::server::testing
