// The vendor adapters (FhirAdapter, LifecareAdapter, FieldCodesAdapter) and the forms RPCs
// served by ix-server: the same caller checks as the canonical RPCs (role, municipality of
// every household a request or a translated document names), an audit record per call, and
// bad input as INVALID_ARGUMENT naming the field.
#include "server_test_support.hpp"

#include "ix/adapters/v1/adapters_service.grpc.pb.h"
#include "ix/v1/categorisation.pb.h"
#include "ix/v1/forms.pb.h"

namespace ix::server::testing {
namespace {

namespace av1 = ::ix::adapters::v1;

std::string QuestionnaireResponse0181() {
  return Slurp(fs::path(IX_TEST_SOURCE_DIR) / "tests/adapters/e2e/household-questionnaire-response.json");
}

v1::Case TwoYearCase() { return ExampleCase("case-after-two-years.json"); }

template <typename Service>
auto AdapterStub(const TestServer& s, const std::string& client) {
  return Service::NewStub(Channel(s, client));
}

grpc::Status FhirToCanonical(const TestServer& s, const std::string& client, const std::string& json,
                             av1::FhirToCanonicalResponse* out) {
  av1::FhirToCanonicalRequest request;
  request.set_json(json);
  grpc::ClientContext ctx;
  Deadline(&ctx);
  return AdapterStub<av1::FhirAdapter>(s, client)->ToCanonical(&ctx, request, out);
}

std::string ViolatedField(const grpc::Status& status) {
  auto bad = Find<google::rpc::BadRequest>(status);
  return bad && bad->field_violations_size() > 0 ? bad->field_violations(0).field() : "<none>";
}

TEST(AdaptersRpc, FhirIntoCanonicalForTheCallersOwnMunicipalityOnly) {
  TestServer s;
  av1::FhirToCanonicalResponse out;
  grpc::Status st = FhirToCanonical(s, "sodertalje", QuestionnaireResponse0181(), &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.response().household().municipality_code(), "0181");
  EXPECT_GT(out.response().answers_size(), 10);
  const std::string household_ref = out.response().household().household_ref();
  ASSERT_FALSE(household_ref.empty());

  // Nynäshamn's system sends Södertälje's household: the translation names 0181, refused.
  st = FhirToCanonical(s, "nynashamn", QuestionnaireResponse0181(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  auto resource = Find<google::rpc::ResourceInfo>(st);
  ASSERT_TRUE(resource.has_value());
  EXPECT_EQ(resource->resource_name(), "0181");

  const std::string audit = Slurp(s.audit_path());
  EXPECT_NE(audit.find("\"rpc\":\"FhirAdapter.ToCanonical\",\"household\":\""), std::string::npos) << audit;
  EXPECT_NE(audit.find("\"outcome\":\"PERMISSION_DENIED\""), std::string::npos) << audit;
  EXPECT_EQ(audit.find(household_ref), std::string::npos) << "household ref in clear";
}

TEST(AdaptersRpc, BadVendorInputNamesTheField) {
  TestServer s;
  av1::FhirToCanonicalResponse out;
  const grpc::Status st = FhirToCanonical(s, "sodertalje", "{\"resourceType\": 7}", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(ViolatedField(st).rfind("QuestionnaireResponse", 0), 0u) << ViolatedField(st) << " / " << st.error_message();
  EXPECT_EQ(st.error_message().rfind(ViolatedField(st) + ": ", 0), 0u) << "the adapter's message is kept";
}

TEST(AdaptersRpc, ReportingCallersNeverReachAnAdapter) {
  TestServer s;
  av1::FhirQuestionnaireRequest request;
  request.mutable_instrument()->set_instrument_id("instrument-x");
  request.mutable_instrument()->set_version("2024.1");
  av1::FhirDocument out;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  grpc::Status st = AdapterStub<av1::FhirAdapter>(s, "stats-sodertalje")->Questionnaire(&ctx, request, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  // Refused from the certificate and the method, before parsing: no details at that stage.
  EXPECT_EQ(st.error_message(), "role 'reporting' may not call FhirAdapter.Questionnaire");
  // The case system may (a definition, no household).
  grpc::ClientContext ok_ctx;
  Deadline(&ok_ctx);
  st = AdapterStub<av1::FhirAdapter>(s, "sodertalje")->Questionnaire(&ok_ctx, request, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(out.json().find("\"resourceType\":\"Questionnaire\""), std::string::npos);
  // Nor an unknown certificate.
  grpc::ClientContext unknown_ctx;
  Deadline(&unknown_ctx);
  st = AdapterStub<av1::FhirAdapter>(s, "unmapped")->Questionnaire(&unknown_ctx, request, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
}

TEST(AdaptersRpc, LifecareNeedsTheCallersMunicipalityBothWays) {
  TestServer s;
  av1::LifecareFromCanonicalRequest from;
  *from.mutable_household_case() = TwoYearCase();
  av1::LifecareDocument document;
  grpc::ClientContext c1;
  Deadline(&c1);
  grpc::Status st = AdapterStub<av1::LifecareAdapter>(s, "sodertalje")->FromCanonical(&c1, from, &document);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(document.json().find("\"Reason\""), std::string::npos);

  grpc::ClientContext c2;
  Deadline(&c2);
  st = AdapterStub<av1::LifecareAdapter>(s, "nynashamn")->FromCanonical(&c2, from, &document);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();

  // Into canonical for another municipality: refused before anything is read.
  av1::LifecareToCanonicalRequest to;
  to.set_json("not even JSON");
  to.set_municipality_code("0192");
  to.set_household_ref("hh-1");
  av1::LifecareToCanonicalResponse back;
  grpc::ClientContext c3;
  Deadline(&c3);
  st = AdapterStub<av1::LifecareAdapter>(s, "sodertalje")->ToCanonical(&c3, to, &back);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  to.set_municipality_code("");
  grpc::ClientContext c4;
  Deadline(&c4);
  st = AdapterStub<av1::LifecareAdapter>(s, "sodertalje")->ToCanonical(&c4, to, &back);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(ViolatedField(st), "municipality_code");
  // Its own municipality: the document is read (and this one is not JSON).
  to.set_municipality_code("0181");
  grpc::ClientContext c5;
  Deadline(&c5);
  st = AdapterStub<av1::LifecareAdapter>(s, "sodertalje")->ToCanonical(&c5, to, &back);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(ViolatedField(st), "json");
}

TEST(AdaptersRpc, FieldCodesExportOfAnotherMunicipalitysResponseIsDenied) {
  TestServer s;
  av1::FieldCodesExportRequest request;
  request.mutable_profile()->set_shipped("kommunsystem-b-v2");
  *request.mutable_response() = Example("household.json");
  av1::FieldCodesRecords out;
  grpc::ClientContext c1;
  Deadline(&c1);
  grpc::Status st = AdapterStub<av1::FieldCodesAdapter>(s, "sodertalje")->Export(&c1, request, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(out.text().find("field,person,value"), std::string::npos);
  grpc::ClientContext c2;
  Deadline(&c2);
  st = AdapterStub<av1::FieldCodesAdapter>(s, "nynashamn")->Export(&c2, request, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
}

TEST(AdaptersRpc, NotServingBeforeThePluginIsAttached) {
  TestServer s(false);
  av1::FhirToCanonicalResponse out;
  const grpc::Status st = FhirToCanonical(s, "sodertalje", QuestionnaireResponse0181(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
}

// --- Forms ("ix.forms/1") through the server.

v1::ApplyAnswersRequest EditEducation() {
  v1::ApplyAnswersRequest request;
  *request.mutable_response() = Example("household.json");
  request.mutable_recorder()->set_actor("hand01");
  request.mutable_recorder()->set_at("2025-01-10T09:00:00Z");
  request.set_as_of_date("2025-01-15");
  request.set_amend(true);  // part 2 of the example is completed: an amendment with a reason
  request.set_reason("Education corrected after the client brought her certificates");
  auto* edit = request.add_edits();
  edit->set_item_id("am.education");
  edit->set_person_ref("p1");
  edit->mutable_value()->set_rating(3);
  return request;
}

TEST(FormsRpc, ApplyAnswersRoundTripForTheCallersHousehold) {
  TestServer s;
  const v1::ApplyAnswersRequest request = EditEducation();
  v1::ApplyAnswersResponse out;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  const grpc::Status st = Stub(s, "sodertalje")->ApplyAnswers(&ctx, request, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_GT(out.response().changes_size(), request.response().changes_size()) << "one trail entry more";
  bool found = false;
  for (const auto& answer : out.response().answers()) {
    if (answer.item_id() == "am.education" && answer.person_ref() == "p1") {
      found = true;
      EXPECT_EQ(answer.value().rating(), 3);
    }
  }
  EXPECT_TRUE(found);
}

TEST(FormsRpc, AnotherMunicipalitysResponseIsDeniedAndReadersMayNotWrite) {
  TestServer s;
  v1::ApplyAnswersResponse out;
  grpc::ClientContext c1;
  Deadline(&c1);
  grpc::Status st = Stub(s, "nynashamn")->ApplyAnswers(&c1, EditEducation(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  grpc::ClientContext c2;
  Deadline(&c2);
  st = Stub(s, "stats-sodertalje")->ApplyAnswers(&c2, EditEducation(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  const std::string audit = Slurp(s.audit_path());
  EXPECT_NE(audit.find("\"rpc\":\"ApplyAnswers\""), std::string::npos);
}

// The read_only role (dev-certs: readonly-sodertalje): reads and translations out of the
// canonical model, never a write — checked on the canonical, forms and adapter RPCs alike.
TEST(ReadOnlyRole, ReadsAndTranslatesOutButNeverWrites) {
  TestServer s;
  auto stub = Stub(s, "readonly-sodertalje");
  grpc::ClientContext validate_ctx;
  Deadline(&validate_ctx);
  v1::ValidateRequest validate;
  *validate.mutable_response() = Example("household.json");
  validate.set_as_of_date("2025-01-15");
  v1::ValidateResponse validated;
  grpc::Status st = stub->Validate(&validate_ctx, validate, &validated);
  EXPECT_TRUE(st.ok()) << st.error_message();

  grpc::ClientContext suggest_ctx;
  Deadline(&suggest_ctx);
  v1::SuggestRequest suggest;
  *suggest.mutable_response() = Example("household.json");
  suggest.set_as_of_date("2025-01-15");
  v1::SuggestResponse suggested;
  st = stub->Suggest(&suggest_ctx, suggest, &suggested);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_GT(suggested.suggestions_size(), 0);

  // Writes: the forms change trail and recording an assessment.
  grpc::ClientContext apply_ctx;
  Deadline(&apply_ctx);
  v1::ApplyAnswersResponse applied;
  st = stub->ApplyAnswers(&apply_ctx, EditEducation(), &applied);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  grpc::ClientContext assess_ctx;
  Deadline(&assess_ctx);
  v1::AssessRequest assess;
  assess.mutable_household()->set_municipality_code("0181");
  v1::AssessResponse assessed;
  st = stub->Assess(&assess_ctx, assess, &assessed);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();

  // Adapters: out of the canonical model yes, into it no.
  grpc::ClientContext q_ctx;
  Deadline(&q_ctx);
  av1::FhirQuestionnaireRequest questionnaire;
  questionnaire.mutable_instrument()->set_instrument_id("instrument-x");
  questionnaire.mutable_instrument()->set_version("2024.1");
  av1::FhirDocument document;
  st = AdapterStub<av1::FhirAdapter>(s, "readonly-sodertalje")->Questionnaire(&q_ctx, questionnaire, &document);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(document.json().find("\"Questionnaire\""), std::string::npos);
  av1::FhirToCanonicalResponse in;
  st = FhirToCanonical(s, "readonly-sodertalje", QuestionnaireResponse0181(), &in);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_EQ(st.error_message(), "role 'read_only' may not call FhirAdapter.ToCanonical");
}

TEST(FormsRpc, RenderFormAndBadEditsNameTheField) {
  TestServer s;
  v1::RenderFormRequest render;
  render.mutable_definition()->set_instrument_id("instrument-x");
  render.mutable_definition()->set_version("2024.1");
  render.set_language("en");
  v1::RenderFormResponse html;
  grpc::ClientContext c1;
  Deadline(&c1);
  grpc::Status st = Stub(s, "sodertalje")->RenderForm(&c1, render, &html);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(html.html().find("<html"), std::string::npos);

  v1::ApplyAnswersRequest bad = EditEducation();
  bad.mutable_edits(0)->mutable_value()->set_text("two");
  v1::ApplyAnswersResponse out;
  grpc::ClientContext c2;
  Deadline(&c2);
  st = Stub(s, "sodertalje")->ApplyAnswers(&c2, bad, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(ViolatedField(st), "edits[0].value");
}

}  // namespace
}  // namespace ix::server::testing
