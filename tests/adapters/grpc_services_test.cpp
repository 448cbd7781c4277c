// The adapters as gRPC services, over a real loopback socket, with the definitions and the
// försörjningshinder table from the real plugin (as ix-server would serve them).
#include <ix/adapters/grpc/services.hpp>
#include <ix/adapters/vendor_json.hpp>

#include "test_support.hpp"

#include "ix/adapters/v1/adapters_service.grpc.pb.h"

#include <grpcpp/grpcpp.h>

namespace ix::adapters::grpc {
namespace {

namespace av1 = ::ix::adapters::v1;
using testing::ReadCanonical;

class AdapterServicesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto session = host::LoadPlugin(IX_TEST_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    session_ = new PluginSession(std::move(session).value());
    // The same sources ix-server builds (SourcesFromPlugin), over this test's session.
    AdapterSources sources = SourcesFromPlugin(
        [] { return std::shared_ptr<const PluginSession>(session_, [](const PluginSession*) {}); },
        IX_FIELDCODE_PROFILES_DIR);
    services_ = new AdapterServices(std::move(sources));
    ::grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", ::grpc::InsecureServerCredentials(), &port_);
    services_->Register(builder);
    server_ = builder.BuildAndStart().release();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
    channel_ = new std::shared_ptr<::grpc::Channel>(
        ::grpc::CreateChannel("127.0.0.1:" + std::to_string(port_), ::grpc::InsecureChannelCredentials()));
  }
  static void TearDownTestSuite() {
    server_->Shutdown();
    delete server_;
    delete services_;
    delete channel_;
    delete session_;
  }

  static inline PluginSession* session_ = nullptr;
  static inline AdapterServices* services_ = nullptr;
  static inline ::grpc::Server* server_ = nullptr;
  static inline std::shared_ptr<::grpc::Channel>* channel_ = nullptr;
  static inline int port_ = 0;
};

TEST_F(AdapterServicesTest, FhirQuestionnaireAndResponseRoundTripOverTheWire) {
  auto fhir = av1::FhirAdapter::NewStub(*channel_);
  av1::FhirQuestionnaireRequest q;
  q.mutable_instrument()->set_instrument_id("instrument-x");
  q.mutable_instrument()->set_version("2024.1");
  q.mutable_options()->set_language("en");
  av1::FhirDocument questionnaire;
  ::grpc::ClientContext c1;
  ASSERT_TRUE(fhir->Questionnaire(&c1, q, &questionnaire).ok());
  Json resource = Json::parse(questionnaire.json());
  EXPECT_EQ(resource["url"], "https://instrument-x.se/fhir/Questionnaire/instrument-x");
  EXPECT_EQ(resource["version"], "2024.1");
  EXPECT_EQ(resource["language"], "en");

  const auto response = ReadCanonical<::ix::v1::InstrumentResponse>(std::filesystem::path(IX_TEST_EXAMPLES_DIR) /
                                                                    "case-response-2024-03-04.json");
  av1::FhirFromCanonicalRequest out;
  *out.mutable_response() = response;
  av1::FhirDocument qr;
  ::grpc::ClientContext c2;
  ASSERT_TRUE(fhir->FromCanonical(&c2, out, &qr).ok());
  av1::FhirToCanonicalRequest in;
  in.set_json(qr.json());
  av1::FhirToCanonicalResponse back;
  ::grpc::ClientContext c3;
  ::grpc::Status status = fhir->ToCanonical(&c3, in, &back);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(back.response().answers_size(), response.answers_size());
  EXPECT_EQ(back.response().household().persons_size(), 3);

  q.mutable_instrument()->set_version("1999.1");
  ::grpc::ClientContext c4;
  status = fhir->Questionnaire(&c4, q, &questionnaire);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "instrument: instrument-x@1999.1 is not in the plugin");

  in.set_json(R"({"resourceType": "QuestionnaireResponse", "status": "done"})");
  ::grpc::ClientContext c5;
  status = fhir->ToCanonical(&c5, in, &back);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "QuestionnaireResponse.questionnaire: missing (required)");
}

TEST_F(AdapterServicesTest, LifecareBothWaysWithTheReasonsOfThePlugin) {
  auto lifecare = av1::LifecareAdapter::NewStub(*channel_);
  av1::LifecareFromCanonicalRequest out;
  *out.mutable_household_case() =
      ReadCanonical<::ix::v1::Case>(std::filesystem::path(IX_TEST_EXAMPLES_DIR) / "case-after-two-years.json");
  av1::LifecareDocument document;
  ::grpc::ClientContext c1;
  ASSERT_TRUE(lifecare->FromCanonical(&c1, out, &document).ok());
  EXPECT_NE(document.json().find("Arbetslös – ingen ersättning"), std::string::npos);
  av1::LifecareToCanonicalRequest in;
  in.set_json(document.json());
  in.set_municipality_code("0181");
  av1::LifecareToCanonicalResponse back;
  ::grpc::ClientContext c2;
  ASSERT_TRUE(lifecare->ToCanonical(&c2, in, &back).ok());
  EXPECT_EQ(back.household_case().forsorjningshinder_size(), 2);
  EXPECT_EQ(back.household_case().household().municipality_code(), "0181");
  ASSERT_EQ(back.notes_size(), 1);

  in.set_json(R"({"Persons": [{"PersonId": 19850312}]})");
  ::grpc::ClientContext c3;
  ::grpc::Status status = lifecare->ToCanonical(&c3, in, &back);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "Persons[0].PersonId: expected a string, got an integer");
}

TEST_F(AdapterServicesTest, FieldCodesWithAShippedProfile) {
  auto fieldcodes = av1::FieldCodesAdapter::NewStub(*channel_);
  const auto response = ReadCanonical<::ix::v1::InstrumentResponse>(std::filesystem::path(IX_TEST_EXAMPLES_DIR) /
                                                                    "case-response-2024-03-04.json");
  av1::FieldCodesExportRequest out;
  out.mutable_profile()->set_shipped("kommunsystem-b-v2");
  *out.mutable_response() = response;
  av1::FieldCodesRecords records;
  ::grpc::ClientContext c1;
  ::grpc::Status status = fieldcodes->Export(&c1, out, &records);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(records.text().find("occupation_status,p1,UNEMP\n"), std::string::npos);
  av1::FieldCodesImportRequest in;
  in.mutable_profile()->set_shipped("kommunsystem-b-v2");
  in.set_text(records.text());
  *in.mutable_household() = response.household();
  av1::FieldCodesImportResponse back;
  ::grpc::ClientContext c2;
  ASSERT_TRUE(fieldcodes->Import(&c2, in, &back).ok());
  EXPECT_GT(back.response().answers_size(), 15);

  in.set_text("field,person,value\nshoe_size,p1,44\n");
  ::grpc::ClientContext c3;
  status = fieldcodes->Import(&c3, in, &back);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "text:2, field: unknown field code (not in profile kommunsystem-b 2)");
  in.mutable_profile()->set_shipped("../../etc/passwd");
  ::grpc::ClientContext c4;
  status = fieldcodes->Import(&c4, in, &back);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "profile.shipped: expected a profile name");
}

}  // namespace
}  // namespace ix::adapters::grpc
