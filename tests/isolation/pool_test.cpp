// The worker pool on its own (host library level, no server): a session backed by worker
// processes answers exactly what the same plugin answers in process — base functions,
// extension functions, structured errors — and a worker killed between calls is replaced
// without costing a call.
#include <ix/extension.hpp>
#include <ix/host/loader.hpp>
#include <ix/isolation/pool.hpp>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/plugin.pb.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace ix::isolation {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

PoolOptions Options(size_t workers = 2) {
  PoolOptions o;
  o.worker = DefaultWorkerPath();
  o.scratch_root = fs::temp_directory_path() / ("ix-pool-test-" + std::to_string(::getpid()));
  o.workers = workers;
  o.max_call = 5000ms;
  return o;
}

v1::ValidateRequest Household() {
  std::ifstream in(fs::path(IX_TEST_EXAMPLES_DIR) / "household.json");
  std::stringstream text;
  text << in.rdbuf();
  v1::ValidateRequest request;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), request.mutable_response()).ok());
  request.set_as_of_date("2025-01-15");
  return request;
}

TEST(WorkerPool, AnIsolatedSessionAnswersExactlyWhatTheInProcessOneAnswers) {
  auto local = host::LoadPlugin(IX_TEST_PLUGIN);
  ASSERT_TRUE(local.ok()) << local.status().message();
  auto isolated = LoadIsolated(IX_TEST_PLUGIN, {}, Options());
  ASSERT_TRUE(isolated.ok()) << isolated.status().message();
  ASSERT_NE(PoolOf(*isolated), nullptr);
  EXPECT_EQ(PoolOf(*local), nullptr);
  EXPECT_EQ(isolated->name(), local->name());
  EXPECT_EQ(isolated->version(), local->version());
  EXPECT_EQ(isolated->abi_version(), local->abi_version());
  EXPECT_EQ(isolated->error_format(), local->error_format());
  ASSERT_EQ(isolated->table().instrument_count, local->table().instrument_count);
  EXPECT_STREQ(isolated->table().instruments[0], local->table().instruments[0]);

  // A base function.
  const v1::ValidateRequest request = Household();
  auto a = local->Call<v1::ValidateResponse>(local->table().validate, request);
  auto b = isolated->Call<v1::ValidateResponse>(isolated->table().validate, request);
  ASSERT_TRUE(a.ok() && b.ok()) << b.status().message();
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());

  // An extension function, found the same way.
  auto suggest_local = RequireExtensionFunction<&ix_categorisation_v1::suggest>(*local);
  auto suggest_isolated = RequireExtensionFunction<&ix_categorisation_v1::suggest>(*isolated);
  ASSERT_TRUE(suggest_isolated.ok()) << suggest_isolated.status().message();
  v1::SuggestRequest suggest;
  *suggest.mutable_response() = request.response();
  suggest.set_as_of_date("2025-01-15");
  auto sa = local->Call<v1::SuggestResponse>(*suggest_local, suggest);
  auto sb = isolated->Call<v1::SuggestResponse>(*suggest_isolated, suggest);
  ASSERT_TRUE(sa.ok() && sb.ok()) << sb.status().message();
  EXPECT_EQ(sa->SerializeAsString(), sb->SerializeAsString());

  // A structured error: same code, message and problems.
  v1::ValidateRequest bad = request;
  bad.set_as_of_date("2025-02-31");
  auto ea = local->Call<v1::ValidateResponse>(local->table().validate, bad);
  auto eb = isolated->Call<v1::ValidateResponse>(isolated->table().validate, bad);
  ASSERT_FALSE(eb.ok());
  EXPECT_EQ(eb.status().code(), ea.status().code());
  EXPECT_EQ(eb.status().message(), ea.status().message());
  ASSERT_EQ(eb.status().problems().size(), ea.status().problems().size());
  EXPECT_EQ(eb.status().problems().front().path, ea.status().problems().front().path);
}

TEST(WorkerPool, AWorkerKilledBetweenCallsIsReplacedWithoutFailingACall) {
  auto isolated = LoadIsolated(IX_TEST_PLUGIN, {}, Options(2));
  ASSERT_TRUE(isolated.ok()) << isolated.status().message();
  auto pool = PoolOf(*isolated);
  const std::vector<pid_t> before = pool->WorkerPids();
  ASSERT_EQ(before.size(), 2u);
  ASSERT_EQ(::kill(before.front(), SIGKILL), 0);
  std::this_thread::sleep_for(100ms);
  const v1::ValidateRequest request = Household();
  for (int i = 0; i < 6; ++i) {
    auto answer = isolated->Call<v1::ValidateResponse>(isolated->table().validate, request);
    EXPECT_TRUE(answer.ok()) << answer.status().message();
  }
  EXPECT_EQ(pool->counters().crashes, 0u);
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (pool->WorkerPids().size() < 2 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(pool->WorkerPids().size(), 2u);
  EXPECT_GE(pool->counters().started, 3u);
}

TEST(WorkerPool, APluginThatDoesNotLoadIsRefusedLikeInProcess) {
  const fs::path missing = "/nonexistent/libinstrument_x.so";
  auto local = host::LoadPlugin(missing);
  auto isolated = LoadIsolated(missing, {}, Options(1));
  ASSERT_FALSE(isolated.ok());
  EXPECT_EQ(isolated.status().code(), local.status().code());
  EXPECT_EQ(isolated.status().reason(), kReasonPluginLoad);
  EXPECT_EQ(isolated.status().message(), local.status().message());
}

TEST(WorkerPool, DrainedWorkersComeBackOnTheNextCall) {
  auto isolated = LoadIsolated(IX_TEST_PLUGIN, {}, Options(2));
  ASSERT_TRUE(isolated.ok());
  auto pool = PoolOf(*isolated);
  const std::vector<pid_t> before = pool->WorkerPids();
  pool->Drain();
  EXPECT_TRUE(pool->WorkerPids().empty());
  for (pid_t pid : before) EXPECT_NE(::kill(pid, 0), 0) << "drained worker " << pid << " still runs";
  auto answer = isolated->Call<v1::ValidateResponse>(isolated->table().validate, Household());
  EXPECT_TRUE(answer.ok()) << answer.status().message();
}

}  // namespace
}  // namespace ix::isolation
