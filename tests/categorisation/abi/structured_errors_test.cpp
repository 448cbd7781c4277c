// ABI 1.1 structured errors, seen from a host that calls the plugin's entry itself: a host that
// asks for IX_ERROR_FORMAT_CALL_ERROR gets a serialized ix.v1.CallError whose problems carry
// the same paths validation reports; a 1.0 host (minor 0, or an offer that ends before
// error_format) keeps the text "<path>: <what>".
#include <ix/ext/categorisation.h>
#include <ix/plugin.h>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/plugin.pb.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <dlfcn.h>
#include <fstream>
#include <sstream>
#include <string>

namespace {

const std::string kExamples = IX_TEST_EXAMPLES_DIR;

ix::v1::InstrumentResponse ExampleResponse() {
  std::ifstream in(kExamples + "/case-response-2024-03-04.json");
  std::stringstream text;
  text << in.rdbuf();
  ix::v1::InstrumentResponse response;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &response).ok());
  return response;
}

// The example with p1's health rating set to 4 (the scale is 1-3).
ix::v1::InstrumentResponse WithHealthRatingFour() {
  ix::v1::InstrumentResponse response = ExampleResponse();
  bool found = false;
  for (ix::v1::Answer& a : *response.mutable_answers()) {
    if (a.item_id() == "am.health" && a.person_ref() == "p1") {
      a.mutable_value()->set_rating(4);
      found = true;
    }
  }
  EXPECT_TRUE(found);
  return response;
}

// One session opened with a hand-built offer.
class Session {
 public:
  Session(uint16_t max_minor, uint32_t struct_size, uint32_t error_format) {
    handle_ = dlopen(IX_TEST_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    EXPECT_NE(handle_, nullptr) << dlerror();
    auto entry = reinterpret_cast<ix_plugin_entry_fn>(dlsym(handle_, IX_PLUGIN_ENTRY_SYMBOL));
    EXPECT_NE(entry, nullptr);
    ix_abi_offer offer{};
    offer.struct_size = struct_size;
    offer.abi_major = IX_ABI_MAJOR;
    offer.min_minor = 0;
    offer.max_minor = max_minor;
    offer.host = nullptr;
    offer.error_format = error_format;
    char error[256] = {};
    EXPECT_EQ(entry(&offer, &plugin_, error, sizeof error), IX_OK) << error;
  }
  ~Session() {
    if (plugin_ != nullptr) plugin_->release(plugin_->context);
    if (handle_ != nullptr) dlclose(handle_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const ix_plugin& plugin() const { return *plugin_; }

  // Calls `fn` and returns its status and the bytes of its buffer.
  std::pair<ix_status, std::string> Call(ix_call_fn fn, const std::string& request) const {
    ix_buffer out{};
    const ix_status status = fn(plugin_->context, reinterpret_cast<const uint8_t*>(request.data()), request.size(), &out);
    std::string bytes(reinterpret_cast<const char*>(out.data), out.size);
    plugin_->free_buffer(plugin_->context, &out);
    return {status, bytes};
  }

  std::pair<ix_status, std::string> Suggest(const ix::v1::InstrumentResponse& response) const {
    const auto* ext = static_cast<const ix_categorisation_v1*>(
        plugin_->get_extension(plugin_->context, IX_CATEGORISATION_EXTENSION_ID));
    EXPECT_NE(ext, nullptr);
    ix::v1::SuggestRequest request;
    *request.mutable_response() = response;
    return Call(ext->suggest, request.SerializeAsString());
  }

 private:
  void* handle_ = nullptr;
  const ix_plugin* plugin_ = nullptr;
};

constexpr uint32_t kOffer10Size = offsetof(ix_abi_offer, error_format);

TEST(StructuredErrors, SuggestRatingOutOfRangeNamesTheAnswerAsValidationDoes) {
  Session s(IX_ABI_MINOR, sizeof(ix_abi_offer), IX_ERROR_FORMAT_CALL_ERROR);
  EXPECT_EQ(s.plugin().abi_minor, 1);
  const auto [status, bytes] = s.Suggest(WithHealthRatingFour());
  ASSERT_EQ(status, IX_ERR_INVALID_ARGUMENT);
  ix::v1::CallError error;
  ASSERT_TRUE(error.ParseFromString(bytes)) << bytes;
  EXPECT_EQ(error.message(), "answers[p1/am.health].value: rating 4 is outside 1-3");
  ASSERT_EQ(error.problems_size(), 1);
  const ix::v1::Problem& problem = error.problems(0);
  EXPECT_EQ(problem.path(), "answers[p1/am.health].value");
  EXPECT_EQ(problem.code(), "out_of_range");
  EXPECT_EQ(problem.severity(), ix::v1::SEVERITY_ERROR);
  EXPECT_EQ(problem.item_id(), "am.health");
  EXPECT_EQ(problem.person_ref(), "p1");
  EXPECT_EQ(problem.message().en(), "rating 4 is outside 1-3");
  EXPECT_EQ(problem.message().sv(), "skattningen 4 ligger utanför 1-3");

  // Validate reports the same answer under the same path.
  ix::v1::ValidateRequest validate;
  *validate.mutable_response() = WithHealthRatingFour();
  const auto [validate_status, validate_bytes] = s.Call(s.plugin().validate, validate.SerializeAsString());
  ASSERT_EQ(validate_status, IX_OK);
  ix::v1::ValidateResponse validated;
  ASSERT_TRUE(validated.ParseFromString(validate_bytes));
  bool same_path = false;
  for (const ix::v1::Problem& p : validated.problems()) {
    if (p.code() == "out_of_range" && p.path() == problem.path()) same_path = true;
  }
  EXPECT_TRUE(same_path) << validated.ShortDebugString();
}

TEST(StructuredErrors, EveryFailureIsACallError) {
  Session s(IX_ABI_MINOR, sizeof(ix_abi_offer), IX_ERROR_FORMAT_CALL_ERROR);
  // Unreadable bytes: a CallError without problems.
  const auto [status, bytes] = s.Call(s.plugin().validate, std::string("\xff\xff\xff", 3));
  ASSERT_EQ(status, IX_ERR_MALFORMED_REQUEST);
  ix::v1::CallError error;
  ASSERT_TRUE(error.ParseFromString(bytes));
  EXPECT_EQ(error.message(), "request is not a valid ix.v1.ValidateRequest (3 bytes)");
  EXPECT_EQ(error.problems_size(), 0);
  // A request field: its name is the path.
  ix::v1::ValidateRequest request;
  *request.mutable_response() = ExampleResponse();
  request.set_as_of_date("2024-02-30");
  const auto [field_status, field_bytes] = s.Call(s.plugin().validate, request.SerializeAsString());
  ASSERT_EQ(field_status, IX_ERR_INVALID_ARGUMENT);
  ASSERT_TRUE(error.ParseFromString(field_bytes));
  ASSERT_EQ(error.problems_size(), 1);
  EXPECT_EQ(error.problems(0).path(), "as_of_date");
  EXPECT_EQ(error.message(), "as_of_date: expected a real date YYYY-MM-DD");
}

TEST(StructuredErrors, TextUnlessAskedForAndNegotiated) {
  const std::string text = "answers[p1/am.health].value: rating 4 is outside 1-3";
  {  // a 1.1 host that asks for text
    Session s(IX_ABI_MINOR, sizeof(ix_abi_offer), IX_ERROR_FORMAT_TEXT);
    const auto [status, bytes] = s.Suggest(WithHealthRatingFour());
    EXPECT_EQ(status, IX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(bytes, text);
  }
  {  // minor 0 negotiated: the field is not read, whatever it holds
    Session s(0, sizeof(ix_abi_offer), IX_ERROR_FORMAT_CALL_ERROR);
    EXPECT_EQ(s.plugin().abi_minor, 0);
    const auto [status, bytes] = s.Suggest(WithHealthRatingFour());
    EXPECT_EQ(status, IX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(bytes, text);
  }
  {  // a 1.0 offer: struct_size ends before error_format (the field here is left over memory)
    Session s(IX_ABI_MINOR, kOffer10Size, IX_ERROR_FORMAT_CALL_ERROR);
    const auto [status, bytes] = s.Suggest(WithHealthRatingFour());
    EXPECT_EQ(status, IX_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(bytes, text);
  }
}

}  // namespace
