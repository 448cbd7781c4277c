// The protected-identity rule over every snapshot of a case, for the two adapter exports that
// translate one response (FhirAdapter.FromCanonical, FieldCodesAdapter.Export), through
// ix-server over mutual TLS: the request carries the case the response belongs to, and a
// person protected in another snapshot of that case has no contact data in the exported bytes.
// The same export without the case shows the phone, so the tests can see a leak.
#include "server_test_support.hpp"

#include "ix/adapters/v1/adapters_service.grpc.pb.h"
#include "ix/v1/categorisation.pb.h"

namespace ix::server::testing {
namespace {

namespace av1 = ::ix::adapters::v1;

constexpr const char* kProtectedPhone = "070-999 99 99";  // p2's: must never leave
constexpr const char* kOtherPhone = "08-111 111 11";      // p1's, unprotected everywhere

void AddPhone(v1::InstrumentResponse* response, const std::string& person_ref, const std::string& phone) {
  auto* answer = response->add_answers();
  answer->set_item_id("personal.phone");
  answer->set_person_ref(person_ref);
  answer->mutable_value()->set_text(phone);
}

// Södertälje's two-year case, p2 protected in the case's household only; the oldest response
// (p2 not protected in its household) holds both phones. That response is what is exported.
v1::Case DivergentCase() {
  v1::Case c = ExampleCase("case-after-two-years.json");
  c.mutable_household()->mutable_persons(1)->set_protected_identity(true);
  auto* oldest = c.mutable_responses(0)->mutable_response();
  EXPECT_EQ(oldest->household().persons(1).person_ref(), "p2");
  EXPECT_FALSE(oldest->household().persons(1).protected_identity()) << "the snapshots must disagree";
  AddPhone(oldest, "p2", kProtectedPhone);
  AddPhone(oldest, "p1", kOtherPhone);
  return c;
}

bool Withheld(const v1::TranslationReport& report) {
  for (const auto& note : report.notes()) {
    if (note.reason() == v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY) return true;
  }
  return false;
}

grpc::Status FhirExport(const TestServer& s, const std::string& client, const av1::FhirFromCanonicalRequest& request,
                        av1::FhirDocument* out) {
  grpc::ClientContext ctx;
  Deadline(&ctx);
  return av1::FhirAdapter::NewStub(Channel(s, client))->FromCanonical(&ctx, request, out);
}

grpc::Status FieldCodesExport(const TestServer& s, const std::string& client,
                              const av1::FieldCodesExportRequest& request, av1::FieldCodesRecords* out) {
  grpc::ClientContext ctx;
  Deadline(&ctx);
  return av1::FieldCodesAdapter::NewStub(Channel(s, client))->Export(&ctx, request, out);
}

// Field-code profile A with the phone mapped (sent inline), so the records could carry it.
std::string ProfileWithPhone() {
  std::string json = Slurp(fs::path(IX_TEST_SOURCE_DIR) / "adapters/fieldcodes/profiles/kommunsystem-a-v1.json");
  const std::string anchor = R"("fields": [)";
  const auto at = json.find(anchor);
  EXPECT_NE(at, std::string::npos);
  json.insert(at + anchor.size(), R"({"code": "IX109", "item": "personal.phone"},)");
  return json;
}

TEST(ExportSnapshots, FhirDocumentHoldsNoContactDataOfAPersonProtectedElsewhereInTheCase) {
  TestServer s;
  const v1::Case c = DivergentCase();
  av1::FhirFromCanonicalRequest request;
  *request.mutable_response() = c.responses(0).response();

  av1::FhirDocument alone;
  grpc::Status st = FhirExport(s, "sodertalje", request, &alone);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(alone.json().find(kProtectedPhone), std::string::npos)
      << "without the case the rule sees one snapshot, where p2 is not protected (the test can see a leak)";

  *request.mutable_household_case() = c;
  av1::FhirDocument document;
  st = FhirExport(s, "sodertalje", request, &document);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(document.json().find(kProtectedPhone), std::string::npos) << "p2's phone is in the FHIR document";
  EXPECT_EQ(document.json().find("070-999"), std::string::npos);
  EXPECT_NE(document.json().find(kOtherPhone), std::string::npos) << "an unprotected person's phone is carried";
  EXPECT_TRUE(Withheld(document.report()));
  // The document says p2 is protected, so the receiver keeps the protection.
  EXPECT_NE(document.json().find("household.person.protected_identity"), std::string::npos);
  EXPECT_EQ(alone.json().find("household.person.protected_identity"), std::string::npos);
}

TEST(ExportSnapshots, FieldCodeRecordsHoldNoContactDataOfAPersonProtectedElsewhereInTheCase) {
  TestServer s;
  const v1::Case c = DivergentCase();
  av1::FieldCodesExportRequest request;
  request.mutable_profile()->set_json(ProfileWithPhone());
  *request.mutable_response() = c.responses(0).response();

  av1::FieldCodesRecords alone;
  grpc::Status st = FieldCodesExport(s, "sodertalje", request, &alone);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(alone.text().find(kProtectedPhone), std::string::npos)
      << "without the case the rule sees one snapshot, where p2 is not protected (the test can see a leak)";

  *request.mutable_household_case() = c;
  av1::FieldCodesRecords records;
  st = FieldCodesExport(s, "sodertalje", request, &records);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(records.text().find("070-999"), std::string::npos) << "p2's phone is in the records";
  EXPECT_NE(records.text().find(kOtherPhone), std::string::npos) << "an unprotected person's phone is carried";
  EXPECT_TRUE(Withheld(records.report()));
}

TEST(ExportSnapshots, TheCaseMustBeTheCallersAndTheResponsesHousehold) {
  TestServer s;
  v1::Case c = DivergentCase();
  av1::FhirFromCanonicalRequest request;
  *request.mutable_response() = c.responses(0).response();

  // Another household's case would decide over the wrong snapshots: refused by field.
  c.mutable_household()->set_household_ref("hh-another");
  *request.mutable_household_case() = c;
  av1::FhirDocument document;
  grpc::Status st = FhirExport(s, "sodertalje", request, &document);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(st.error_message().rfind("household_case.household.household_ref: ", 0), 0u) << st.error_message();
  EXPECT_TRUE(document.json().empty());

  // A case naming another municipality is refused before anything is translated.
  c = DivergentCase();
  c.mutable_responses(1)->mutable_response()->mutable_household()->set_municipality_code("0192");
  av1::FieldCodesExportRequest fields;
  fields.mutable_profile()->set_shipped("kommunsystem-b-v2");
  *fields.mutable_response() = c.responses(0).response();
  *fields.mutable_household_case() = c;
  av1::FieldCodesRecords records;
  st = FieldCodesExport(s, "sodertalje", fields, &records);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_TRUE(records.text().empty());
}

// --- The same exports through the real ixctl (--case) ----------------------------------------

std::string RunIxctl(const std::string& arguments, int* code) {
  const std::string command = std::string(IX_TEST_IXCTL) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return output;
}

void WriteJson(const fs::path& path, const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(message, &json, options).ok());
  std::ofstream(path) << json;
}

TEST(ExportSnapshotsCli, IxctlExportsWithTheCaseWithholdTheProtectedPersonsPhone) {
  const fs::path dir = TempDir("export-snapshots-cli");
  const v1::Case c = DivergentCase();
  WriteJson(dir / "case.json", c);
  WriteJson(dir / "response.json", c.responses(0).response());
  std::ofstream(dir / "profile.json") << ProfileWithPhone();
  const std::string response = (dir / "response.json").string();
  const std::string with_case = " --case " + (dir / "case.json").string();
  const std::string fhir = "fhir from-canonical " + response;
  const std::string fields = "fieldcodes export " + response + " --profile " + (dir / "profile.json").string();
  for (const std::string& command : {fhir, fields}) {
    int code = -1;
    std::string output = RunIxctl(command, &code);
    ASSERT_EQ(code, 0) << command << "\n" << output;
    EXPECT_NE(output.find(kProtectedPhone), std::string::npos) << command << ": without --case the phone is written";
    output = RunIxctl(command + with_case, &code);
    ASSERT_EQ(code, 0) << command << with_case << "\n" << output;
    EXPECT_EQ(output.find("070-999"), std::string::npos) << command << with_case << ": p2's phone is written";
    EXPECT_NE(output.find(kOtherPhone), std::string::npos) << command << with_case;
  }
  // A case of another household is refused by field.
  v1::Case other = c;
  other.mutable_household()->set_household_ref("hh-another");
  WriteJson(dir / "other.json", other);
  int code = -1;
  const std::string output = RunIxctl(fhir + " --case " + (dir / "other.json").string(), &code);
  EXPECT_EQ(code, 3) << output;
  EXPECT_NE(output.find("other.json.household.household_ref: "), std::string::npos) << output;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ix::server::testing
