// ABI 1.1 structured errors, host side: the loader asks for IX_ERROR_FORMAT_CALL_ERROR by
// default, remembers what each session negotiated, and turns a CallError error buffer into the
// Status's problems; text (a 1.0 session, a host that asked for text, a plugin that wrote text
// anyway) stays a message without problems. The plugin is a real shared object
// (tests/fixtures/call_error_plugin.cpp) loaded with dlopen.
#include <ix/host/loader.hpp>

#include <gtest/gtest.h>

#include <string>

namespace ix {
namespace {

constexpr const char* kText = "answers[p1/am.health]: expected a rating 0-3, found 4";

PluginSession Load(host::LoadOptions options = {}) {
  auto session = host::LoadPlugin(IX_TEST_CALL_ERROR_PLUGIN, options);
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  return std::move(session).value();
}

Status FailedValidate(const PluginSession& session, std::string_view request = {}) {
  auto answer = session.CallRaw(session.table().validate, request);
  EXPECT_FALSE(answer.ok());
  return answer.status();
}

TEST(StructuredErrors, HostAsksForCallErrorByDefaultAndDecodesTheProblems) {
  PluginSession session = Load();
  EXPECT_EQ(session.abi_version(), "1.1");
  EXPECT_EQ(session.error_format(), IX_ERROR_FORMAT_CALL_ERROR);

  const Status status = FailedValidate(session);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), kText);
  ASSERT_EQ(status.problems().size(), 2u);
  const Problem& rating = status.problems()[0];
  EXPECT_EQ(rating.path, "answers[p1/am.health]");
  EXPECT_EQ(rating.code, "out_of_range");
  EXPECT_EQ(rating.severity, Severity::kError);
  EXPECT_EQ(rating.sv, "förväntade en skattning 0–3, fick 4");
  EXPECT_EQ(rating.en, "expected a rating 0-3, found 4");
  const Problem& note = status.problems()[1];
  EXPECT_EQ(note.path, "answers[p1/am.health.comment]");
  EXPECT_EQ(note.severity, Severity::kWarning);
  EXPECT_EQ(note.sv, "");
  EXPECT_EQ(note.en, "a comment without a rating");
}

TEST(StructuredErrors, HostThatAsksForTextGetsTheMessageOnly) {
  host::LoadOptions options;
  options.error_format = IX_ERROR_FORMAT_TEXT;
  PluginSession session = Load(options);
  EXPECT_EQ(session.abi_version(), "1.1");
  EXPECT_EQ(session.error_format(), IX_ERROR_FORMAT_TEXT);
  const Status status = FailedValidate(session);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), kText);
  EXPECT_TRUE(status.problems().empty());
}

TEST(StructuredErrors, SessionThatNegotiatedOneZeroReadsText) {
  host::LoadOptions options;
  options.max_minor = 0;  // a 1.0 host: error_format is never honoured
  PluginSession session = Load(options);
  EXPECT_EQ(session.abi_version(), "1.0");
  EXPECT_EQ(session.error_format(), IX_ERROR_FORMAT_TEXT);
  const Status status = FailedValidate(session);
  EXPECT_EQ(status.message(), kText);
  EXPECT_TRUE(status.problems().empty());
}

TEST(StructuredErrors, TextFromAPluginThatAgreedToCallErrorIsKeptAsTheMessage) {
  PluginSession session = Load();
  ASSERT_EQ(session.error_format(), IX_ERROR_FORMAT_CALL_ERROR);
  const Status status = FailedValidate(session, "text-anyway");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), kText);
  EXPECT_TRUE(status.problems().empty());
}

TEST(StructuredErrors, SessionsOfOneLibraryKeepTheirOwnFormat) {
  host::LoadOptions text;
  text.error_format = IX_ERROR_FORMAT_TEXT;
  PluginSession plain = Load(text);
  PluginSession structured = Load();
  EXPECT_TRUE(FailedValidate(plain).problems().empty());
  EXPECT_EQ(FailedValidate(structured).problems().size(), 2u);
  EXPECT_TRUE(FailedValidate(plain).problems().empty());
}

TEST(StructuredErrors, DecoderRefusesBytesThatAreNotACallError) {
  // Truncated: a problem whose length runs past the end.
  const std::string truncated("\x12\x10\x1a\x05" "abc", 7);
  const Status cut = host::DecodeCallError(IX_ERR_INVALID_ARGUMENT, truncated);
  EXPECT_EQ(cut.message(), truncated);
  EXPECT_TRUE(cut.problems().empty());
  // A group tag (wire type 3) in place of a field.
  const std::string group("\x0b\x0c", 2);
  EXPECT_TRUE(host::DecodeCallError(IX_ERR_INTERNAL, group).problems().empty());
  EXPECT_EQ(host::DecodeCallError(IX_ERR_INTERNAL, group).code(), StatusCode::kInternal);
  // Empty: nothing to decode, no message invented.
  const Status empty = host::DecodeCallError(IX_ERR_NOT_FOUND, "");
  EXPECT_EQ(empty.code(), StatusCode::kNotFound);
  EXPECT_EQ(empty.message(), "");
}

TEST(StructuredErrors, ProblemsWithoutAMessageGetOneFromTheFirstProblem) {
  // CallError{problems: [{path: "as_of_date", message: {en: "expected YYYY-MM-DD"}}]}
  const std::string en = "expected YYYY-MM-DD";
  std::string localized = std::string("\x12") + static_cast<char>(en.size()) + en;
  std::string problem = std::string("\x1a\x0a") + "as_of_date" + "\x3a" +
                        static_cast<char>(localized.size()) + localized;
  std::string bytes = std::string("\x12") + static_cast<char>(problem.size()) + problem;
  const Status status = host::DecodeCallError(IX_ERR_INVALID_ARGUMENT, bytes);
  ASSERT_EQ(status.problems().size(), 1u);
  EXPECT_EQ(status.problems()[0].path, "as_of_date");
  EXPECT_EQ(status.message(), "as_of_date: expected YYYY-MM-DD");
}

TEST(AbiStatusTable, EveryAbiStatusHasOneCanonicalCode) {
  EXPECT_EQ(FromAbiStatus(IX_OK), StatusCode::kOk);
  EXPECT_EQ(FromAbiStatus(IX_ERR_MALFORMED_REQUEST), StatusCode::kInvalidArgument);
  EXPECT_EQ(FromAbiStatus(IX_ERR_INVALID_ARGUMENT), StatusCode::kInvalidArgument);
  EXPECT_EQ(FromAbiStatus(IX_ERR_NOT_FOUND), StatusCode::kNotFound);
  EXPECT_EQ(FromAbiStatus(IX_ERR_INCOMPATIBLE_ABI), StatusCode::kUnimplemented);
  EXPECT_EQ(FromAbiStatus(IX_ERR_NULL_ARGUMENT), StatusCode::kInvalidArgument);
  EXPECT_EQ(FromAbiStatus(IX_ERR_INTERNAL), StatusCode::kInternal);
  EXPECT_EQ(FromAbiStatus(77), StatusCode::kUnknown);  // a status of a newer minor
}

TEST(AbiStatusTable, CanonicalCodesKeepTheGoogleRpcNumbers) {
  EXPECT_EQ(static_cast<int>(StatusCode::kInvalidArgument), 3);
  EXPECT_EQ(static_cast<int>(StatusCode::kFailedPrecondition), 9);
  EXPECT_EQ(static_cast<int>(StatusCode::kUnimplemented), 12);
  EXPECT_EQ(static_cast<int>(StatusCode::kUnauthenticated), 16);
  EXPECT_STREQ(StatusCodeName(StatusCode::kFailedPrecondition), "FAILED_PRECONDITION");
}

TEST(LoadFailures, CarryTheLoadReasonWithACanonicalCode) {
  auto missing = host::LoadPlugin("/nonexistent/plugin.so");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().reason(), kReasonPluginLoad);
  host::LoadOptions two;
  two.abi_major = 2;
  auto refused = host::LoadPlugin(IX_TEST_CALL_ERROR_PLUGIN, two);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(refused.status().reason(), kReasonPluginLoad);
}

}  // namespace
}  // namespace ix
