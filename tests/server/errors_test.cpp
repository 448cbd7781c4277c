// How ix-server turns an ix::Status into a gRPC status: the code passes through unchanged (it is
// a google.rpc.Code), the problems become BadRequest field violations as they are, the reason
// the status carries wins over the default.
#include "server_test_support.hpp"

#include <ix/adapters/grpc/services.hpp>
#include <ix/server/errors.hpp>

namespace ix::server::testing {
namespace {

Status TwoProblems() {
  return Status(StatusCode::kInvalidArgument, "answers[p1/am.health]: expected a rating 0-3, found 4",
                {Problem{"answers[p1/am.health]", "out_of_range", Severity::kError,
                         "förväntade en skattning 0–3", "expected a rating 0-3, found 4"},
                 Problem{"as_of_date", "required", Severity::kError, "saknas", ""}});
}

TEST(Errors, ProblemsBecomeFieldViolationsAsTheyAre) {
  const grpc::Status st = FromPlugin("req-1", TwoProblems());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "answers[p1/am.health]: expected a rating 0-3, found 4");
  auto bad = Find<google::rpc::BadRequest>(st);
  ASSERT_TRUE(bad.has_value());
  ASSERT_EQ(bad->field_violations_size(), 2);
  EXPECT_EQ(bad->field_violations(0).field(), "answers[p1/am.health]");
  EXPECT_EQ(bad->field_violations(0).description(), "expected a rating 0-3, found 4");
  EXPECT_EQ(bad->field_violations(1).field(), "as_of_date");
  EXPECT_EQ(bad->field_violations(1).description(), "saknas") << "Swedish when there is no English";
  EXPECT_EQ(Find<google::rpc::ErrorInfo>(st)->reason(), "IX_INVALID_FIELD");
  EXPECT_EQ(Find<google::rpc::RequestInfo>(st)->request_id(), "req-1");
}

TEST(Errors, TheCodeIsTheCanonicalCode) {
  for (int code = 0; code <= 16; ++code) {
    EXPECT_EQ(static_cast<int>(GrpcCode(static_cast<StatusCode>(code))), code);
  }
  const grpc::Status missing = FromPlugin("r", Status(StatusCode::kUnimplemented, "no forms table"));
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(Find<google::rpc::ErrorInfo>(missing)->reason(), "IX_NOT_PROVIDED");
  EXPECT_FALSE(Find<google::rpc::BadRequest>(missing).has_value());
  const grpc::Status failed = FromPlugin("r", Status(StatusCode::kInternal, "out of memory"));
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(failed.error_message(), "the plugin failed: out of memory");
  EXPECT_EQ(Find<google::rpc::ErrorInfo>(failed)->reason(), "IX_PLUGIN_FAILURE");
}

TEST(Errors, AReasonTheStatusCarriesWins) {
  const Status refused =
      FieldRefused(StatusCode::kFailedPrecondition, "consent.expires_on", "expired on 2024-01-01")
          .WithReason("IX_CONSENT_EXPIRED");
  const grpc::Status st = FromStatus("r", refused, "IX_INVALID_FIELD");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(st.error_message(), "consent.expires_on: expired on 2024-01-01");
  EXPECT_EQ(Find<google::rpc::ErrorInfo>(st)->reason(), "IX_CONSENT_EXPIRED");
  EXPECT_EQ(Find<google::rpc::BadRequest>(st)->field_violations(0).field(), "consent.expires_on");
}

TEST(Errors, TextOnlyBadInputNamesTheRequestAndIsNeverParsed) {
  // An ABI 1.0 plugin answers text. Nothing is parsed back out of it: the paths travel as data
  // or not at all, so text-only bad input names the field "request" and keeps its message.
  const grpc::Status text = FromPlugin("r", Status(StatusCode::kInvalidArgument, "as_of_date: expected a real date"));
  EXPECT_EQ(text.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Find<google::rpc::BadRequest>(text)->field_violations(0).field(), "request");
  EXPECT_EQ(Find<google::rpc::BadRequest>(text)->field_violations(0).description(),
            "as_of_date: expected a real date");
  // The same refusal with its problem as data names the field.
  const grpc::Status structured = FromPlugin("r", ix::InvalidField("as_of_date", "expected a real date"));
  EXPECT_EQ(Find<google::rpc::BadRequest>(structured)->field_violations(0).field(), "as_of_date");
  EXPECT_EQ(FirstPath(Status(StatusCode::kUnimplemented, "/usr/lib/x.so: function not provided")), "");
}

TEST(Errors, VendorAdapterProblemsTravelAsDataThroughTheGate) {
  // adapters::grpc::ToGrpc packs the problems; the server's WithDetails passes them on.
  const grpc::Status sent = adapters::grpc::ToGrpc(
      ix::InvalidField("QuestionnaireResponse.item[0].linkId", "unknown item 'x' in the definition"));
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const Status back = StatusOf(sent);
  ASSERT_EQ(back.problems().size(), 1u);
  EXPECT_EQ(back.problems()[0].path, "QuestionnaireResponse.item[0].linkId");
  const grpc::Status st = WithDetails("req-2", sent);
  EXPECT_EQ(st.error_message(), "QuestionnaireResponse.item[0].linkId: unknown item 'x' in the definition");
  auto bad = Find<google::rpc::BadRequest>(st);
  ASSERT_TRUE(bad.has_value());
  ASSERT_EQ(bad->field_violations_size(), 1);
  EXPECT_EQ(bad->field_violations(0).field(), "QuestionnaireResponse.item[0].linkId");
  EXPECT_EQ(bad->field_violations(0).description(), "unknown item 'x' in the definition");
  EXPECT_EQ(Find<google::rpc::RequestInfo>(st)->request_id(), "req-2");
  // A status without problems keeps its plain form.
  EXPECT_TRUE(adapters::grpc::ToGrpc(Status(StatusCode::kUnavailable, "not serving")).error_details().empty());
}

}  // namespace
}  // namespace ix::server::testing
