// The host library against real shared objects: the real plugin, misbehaving fixtures,
// files that are not plugins. Every refusal must name the file, the expectation and the finding.
#include <ix/host/loader.hpp>

#include "ix/v1/plugin.pb.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <dlfcn.h>

#include <sstream>

namespace ix::host {
namespace {

// The newest minor this host and the plugin both build with: what negotiation settles on.
const std::string kMinor = std::to_string(IX_ABI_MINOR);

const std::string kFixtures = IX_TEST_FIXTURE_DIR;

::testing::AssertionResult Contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << haystack << "' does not contain '" << needle << "'";
}

TEST(LoadPlugin, RealPluginNegotiatesAndDescribes) {
  auto session = LoadPlugin(IX_TEST_PLUGIN);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->name(), "instrument-x");
  EXPECT_EQ(session->abi_version(), "1.1");
  auto described = session->Call<v1::DescribeResponse>(session->table().describe, v1::DescribeRequest());
  ASSERT_TRUE(described.ok()) << described.status().ToString();
  EXPECT_EQ(described->plugin_version(), std::string(session->version()));
  ASSERT_GE(described->instruments_size(), 1);
  EXPECT_EQ(described->instruments(0).ref().instrument_id(), "instrument-x");
  EXPECT_EQ(described->definitions_size(), 0);  // only on request
  v1::DescribeRequest with_definitions;
  with_definitions.set_include_definitions(true);
  auto full = session->Call<v1::DescribeResponse>(session->table().describe, with_definitions);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->definitions_size(), full->instruments_size());
}

TEST(LoadPlugin, PluginLogsReachTheHostLogger) {
  std::ostringstream captured;
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_st>(captured));
  logger->set_level(spdlog::level::trace);
  LoadOptions options;
  options.logger = logger;
  auto session = LoadPlugin(IX_TEST_PLUGIN, options);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  logger->flush();
  EXPECT_TRUE(Contains(captured.str(), "[plugin] instrument-x plugin"));
  EXPECT_TRUE(Contains(captured.str(), "negotiated ABI 1." + kMinor));
}

TEST(LoadPlugin, MissingFile) {
  auto session = LoadPlugin(kFixtures + "/does_not_exist.so");
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(session.status().message(), "does_not_exist.so: plugin file not found"));
}

TEST(LoadPlugin, DirectoryIsNotAPlugin) {
  auto session = LoadPlugin(kFixtures);
  ASSERT_FALSE(session.ok());
  EXPECT_TRUE(Contains(session.status().message(), "expected a plugin shared object"));
}

TEST(LoadPlugin, TextFileIsNotASharedObject) {
  auto session = LoadPlugin(kFixtures + "/not_a_plugin.so");
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(session.status().reason(), kReasonPluginLoad);
  EXPECT_TRUE(Contains(session.status().message(), "not_a_plugin.so: expected a loadable shared object"));
}

TEST(LoadPlugin, SharedObjectWithoutEntrySymbol) {
  auto session = LoadPlugin(kFixtures + "/libno_entry.so");
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(session.status().reason(), kReasonPluginLoad);
  EXPECT_TRUE(Contains(session.status().message(), "libno_entry.so: expected exported entry symbol 'ix_plugin_entry_v1', found none"));
}

TEST(LoadPlugin, HostWithAnotherMajorIsRefusedByThePlugin) {
  LoadOptions options;
  options.abi_major = 2;
  auto session = LoadPlugin(IX_TEST_PLUGIN, options);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(session.status().reason(), kReasonPluginLoad);
  EXPECT_TRUE(Contains(session.status().message(),
                       "plugin refused negotiation: ABI major mismatch: host offers 2.0-" + kMinor +
                           ", plugin implements 1.0-" + kMinor));
}

TEST(LoadPlugin, HostRequiringANewerMinorIsRefusedByThePlugin) {
  LoadOptions options;
  options.min_minor = 3;
  options.max_minor = 5;
  auto session = LoadPlugin(IX_TEST_PLUGIN, options);
  ASSERT_FALSE(session.ok());
  EXPECT_TRUE(Contains(session.status().message(),
                       "no common ABI minor: host offers 1.3-5, plugin implements 1.0-" + kMinor));
}

TEST(LoadPlugin, PluginAnsweringAnotherMajorIsRefusedByTheHost) {
  auto session = LoadPlugin(kFixtures + "/librogue_major2.so");
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(session.status().reason(), kReasonPluginLoad);
  EXPECT_TRUE(Contains(session.status().message(),
                       "librogue_major2.so: expected ABI major 1 (host offers 1.0-" + kMinor +
                           "), plugin answered ABI 2.0"));
}

TEST(LoadPlugin, PluginAnsweringATooNewMinorIsRefusedAndReleased) {
  auto session = LoadPlugin(kFixtures + "/librogue_minor9.so");
  ASSERT_FALSE(session.ok());
  EXPECT_TRUE(Contains(session.status().message(),
                       "librogue_minor9.so: expected an ABI minor within 1.0-" + kMinor +
                           ", plugin answered ABI 1.9 (newer than this host)"));
  // The host released the table it refused (the fixture records it; RTLD_NODELETE kept it mapped).
  void* handle = dlopen((kFixtures + "/librogue_minor9.so").c_str(), RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(handle, nullptr) << "the library should still be mapped (never unloaded)";
  auto was_released = reinterpret_cast<int (*)()>(dlsym(handle, "fixture_was_released"));
  ASSERT_NE(was_released, nullptr);
  EXPECT_EQ(was_released(), 1);
  dlclose(handle);
}

TEST(LoadPlugin, ExceptionsInsideThePluginBecomeErrorStatuses) {
  auto session = LoadPlugin(kFixtures + "/libthrowing_plugin.so");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  auto described = session->CallRaw(session->table().describe, "");
  ASSERT_FALSE(described.ok());
  EXPECT_EQ(described.status().code(), StatusCode::kInternal);
  EXPECT_EQ(described.status().message(), "describe: internal error: simulated failure inside describe");
  auto validated = session->CallRaw(session->table().validate, "");
  ASSERT_FALSE(validated.ok());
  EXPECT_EQ(validated.status().code(), StatusCode::kInternal);
  EXPECT_EQ(validated.status().message(), "validate: unknown internal error");
}

class RealPluginBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = LoadPlugin(IX_TEST_PLUGIN);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    session_ = std::make_unique<PluginSession>(std::move(loaded).value());
  }
  std::unique_ptr<PluginSession> session_;
};

TEST_F(RealPluginBadInput, MalformedBytes) {
  const std::string garbage("\x0a\xff\xff\xff\xff\x0f\x01", 7);
  auto result = session_->CallRaw(session_->table().validate, garbage);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);  // IX_ERR_MALFORMED_REQUEST
  EXPECT_EQ(result.status().message(), "request is not a valid ix.v1.ValidateRequest (7 bytes)");
}

TEST_F(RealPluginBadInput, EmptyRequestNamesTheMissingField) {
  auto result = session_->CallRaw(session_->table().validate, "");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(result.status().message(), "response: missing"));
}

TEST_F(RealPluginBadInput, UnpinnedResponse) {
  v1::ValidateRequest request;
  request.mutable_response()->set_response_ref("r");
  auto result = session_->Call<v1::ValidateResponse>(session_->table().validate, request);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(Contains(result.status().message(), "response.instrument: instrument_id and version are required"));
}

TEST_F(RealPluginBadInput, UnknownInstrumentVersionListsKnownOnes) {
  v1::ValidateRequest request;
  request.mutable_response()->mutable_instrument()->set_instrument_id("instrument-x");
  request.mutable_response()->mutable_instrument()->set_version("2099.1");
  auto result = session_->Call<v1::ValidateResponse>(session_->table().validate, request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(result.status().message(), "instrument-x@2099.1 is not carried by this plugin (known versions of 'instrument-x': 2024.1"));
}

TEST_F(RealPluginBadInput, BadAsOfDate) {
  v1::ValidateRequest request;
  request.mutable_response()->mutable_instrument()->set_instrument_id("instrument-x");
  request.mutable_response()->mutable_instrument()->set_version("2024.1");
  request.set_as_of_date("2025-13-01");
  auto result = session_->Call<v1::ValidateResponse>(session_->table().validate, request);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(Contains(result.status().message(), "as_of_date: expected a real date YYYY-MM-DD"));
}

TEST_F(RealPluginBadInput, RandomBytesNeverCrash) {
  // Deterministic pseudo-random inputs of many sizes: every answer is a status, never a crash.
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(static_cast<size_t>(round % 97), '\0');
    for (char& c : bytes) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      c = static_cast<char>(state & 0xff);
    }
    auto validated = session_->CallRaw(session_->table().validate, bytes);
    auto described = session_->CallRaw(session_->table().describe, bytes);
    if (!validated.ok()) {
      EXPECT_NE(validated.status().code(), StatusCode::kInternal) << round;
    }
    if (!described.ok()) {
      EXPECT_NE(described.status().code(), StatusCode::kInternal) << round;
    }
  }
}

}  // namespace
}  // namespace ix::host
