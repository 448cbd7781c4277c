// Two builds of the plugin (different versions, different definition sets) loaded in one
// process whose host also links the canonical protobuf types with the full runtime — the
// "File already exists in database" trap (docs/design-lessons.md). Both must load and answer on their own.
#include <ix/cli/json_io.hpp>
#include <ix/host/loader.hpp>

#include "ix/v1/plugin.pb.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace ix::host {
namespace {

v1::ValidateRequest RequestFor(const std::string& version) {
  v1::ValidateRequest request;
  auto* response = request.mutable_response();
  response->mutable_instrument()->set_instrument_id("instrument-x");
  response->mutable_instrument()->set_version(version);
  auto* person = response->mutable_household()->add_persons();
  person->set_person_ref("p1");
  person->set_personnummer("19850312-1231");
  person->set_sex(v1::SEX_FEMALE);
  person->set_role(v1::HOUSEHOLD_ROLE_REGISTERLEDARE);
  request.set_as_of_date("2025-06-01");
  return request;
}

TEST(SideBySide, TwoPluginVersionsAndAFullRuntimeHostInOneProcess) {
  // The host's own full-runtime descriptors are registered and usable.
  const auto* descriptor = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName("ix.v1.ValidateRequest");
  ASSERT_NE(descriptor, nullptr);

  auto current = LoadPlugin(IX_TEST_PLUGIN);
  auto alt = LoadPlugin(IX_TEST_PLUGIN_ALT);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  ASSERT_TRUE(alt.ok()) << alt.status().ToString();
  EXPECT_NE(current->version(), alt->version());
  EXPECT_EQ(alt->version(), "0.0.9-test");

  auto d1 = current->Call<v1::DescribeResponse>(current->table().describe, v1::DescribeRequest());
  auto d2 = alt->Call<v1::DescribeResponse>(alt->table().describe, v1::DescribeRequest());
  ASSERT_TRUE(d1.ok() && d2.ok());
  EXPECT_EQ(d1->plugin_version(), std::string(current->version()));
  EXPECT_EQ(d2->plugin_version(), "0.0.9-test");
  EXPECT_EQ(d1->instruments_size() + 1, d2->instruments_size());

  // The test-only definition exists in the alt plugin alone.
  const auto only_in_alt = RequestFor("2023.9-test");
  auto in_current = current->Call<v1::ValidateResponse>(current->table().validate, only_in_alt);
  auto in_alt = alt->Call<v1::ValidateResponse>(alt->table().validate, only_in_alt);
  EXPECT_FALSE(in_current.ok());
  EXPECT_EQ(in_current.status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(in_alt.ok()) << in_alt.status().ToString();
  ASSERT_EQ(in_alt->problems_size(), 1);  // the one required household item
  EXPECT_EQ(in_alt->problems(0).item_id(), "test.flag");

  // Both answer the shared version identically, and the host turns the answers into JSON
  // with its full runtime (descriptors) while the plugins use theirs.
  const auto shared = RequestFor("2024.1");
  auto a = current->Call<v1::ValidateResponse>(current->table().validate, shared);
  auto b = alt->Call<v1::ValidateResponse>(alt->table().validate, shared);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(cli::ToJson(*a), cli::ToJson(*b));
  EXPECT_EQ(a->problems_size(), 19);  // 3 household + 16 adult required items of 2024.1

  // Concurrent calls into both plugins from several threads.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const PluginSession& s = (t % 2 == 0) ? *current : *alt;
      for (int i = 0; i < 200; ++i) {
        auto r = s.Call<v1::ValidateResponse>(s.table().validate, shared);
        if (!r.ok() || r->problems_size() != 19) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace ix::host
