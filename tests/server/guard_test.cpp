// The server's guards, over real mutual TLS on loopback and with the real ix-server process:
// callers refused from their certificate and the method before their payload is parsed,
// per-caller rate and concurrency limits with retry information, the server's maximum
// deadline, per-role request sizes, and the crash line a fatal signal leaves in the log.
#include <ix/server/logging.hpp>

#include "admission.hpp"
#include "grpc/health/v1/health.grpc.pb.h"
#include "ix/adapters/v1/adapters_service.grpc.pb.h"
#include "ix/v1/admin_service.grpc.pb.h"
#include "limits.hpp"
#include "wire_scope.hpp"
#include "server_test_support.hpp"

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <set>
#include <csignal>
#include <thread>

namespace ix::server::testing {
namespace {

grpc::Status Validate(const TestServer& s, const std::string& client, const v1::ValidateRequest& request,
                      int deadline_ms = 10000) {
  grpc::ClientContext ctx;
  if (deadline_ms > 0) Deadline(&ctx, deadline_ms);
  v1::ValidateResponse response;
  return Stub(s, client)->Validate(&ctx, request, &response);
}

grpc::Status WhoAmI(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::WhoAmIResponse who;
  return v1::InstrumentService::NewStub(channel)->WhoAmI(&ctx, v1::WhoAmIRequest(), &who);
}

TEST(Admission, UnmappedCertificateSendingLargeRequestsIsRefusedWithoutParsing) {
  TestServer s;
  // 3.5 MB per request, within max_message_bytes: only the caller check can stop it.
  v1::ValidateRequest big = ValidRequest();
  big.set_as_of_date(std::string(3500 * 1024, '2'));
  auto stub = Stub(s, "unmapped");
  const ServerCounters before = s.server->counters();
  constexpr int kCalls = 30;
  for (int i = 0; i < kCalls; ++i) {
    grpc::ClientContext ctx;
    Deadline(&ctx, 10000);
    v1::ValidateResponse response;
    const grpc::Status st = stub->Validate(&ctx, big, &response);
    ASSERT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
    EXPECT_NE(st.error_message().find(
                  "certificate identity 'unmapped.example.dev' is not in the server's caller map"),
              std::string::npos)
        << st.error_message();
  }
  const ServerCounters after = s.server->counters();
  EXPECT_EQ(after.handled - before.handled, 0u) << "no request reached a handler (was parsed)";
  EXPECT_EQ(after.refused_before_parsing - before.refused_before_parsing, uint64_t{kCalls});
  // Control: the same request from a mapped caller is parsed (the counter counts parsing).
  EXPECT_FALSE(Validate(s, "sodertalje", big).ok());
  EXPECT_EQ(s.server->counters().handled - after.handled, 1u);
  // Each refusal is audited, bounded.
  const std::string audit = Slurp(s.audit_path());
  EXPECT_NE(audit.find("\"caller\":\"unknown:unmapped.example.dev\",\"municipality\":\"\","
                       "\"rpc\":\"Validate\",\"household\":\"\",\"outcome\":\"PERMISSION_DENIED\","
                       "\"detail\":\"refused before parsing\""),
            std::string::npos)
      << audit.substr(0, 2000);
}

TEST(Admission, ARoleWithoutTheRpcIsRefusedWithoutParsing) {
  TestServer s;
  v1::AssessRequest request;
  request.set_caseworker(std::string(1024 * 1024, 'x'));
  const uint64_t handled = s.server->counters().handled;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::AssessResponse response;
  const grpc::Status st = Stub(s, "readonly-sodertalje")->Assess(&ctx, request, &response);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_NE(st.error_message().find("role 'read_only' may not call Assess"), std::string::npos)
      << st.error_message();
  EXPECT_EQ(s.server->counters().handled, handled);
  // The admin role may not touch household data either.
  grpc::ClientContext admin_ctx;
  Deadline(&admin_ctx);
  v1::ValidateResponse validated;
  const grpc::Status admin = Stub(s, "admin")->Validate(&admin_ctx, ValidRequest(), &validated);
  EXPECT_EQ(admin.error_code(), grpc::StatusCode::PERMISSION_DENIED) << admin.error_message();
}

TEST(Admission, TheHealthCheckIsOpenToAnyVerifiedCertificate) {
  TestServer s;
  auto stub = grpc::health::v1::Health::NewStub(Channel(s, "unmapped"));
  grpc::ClientContext ctx;
  Deadline(&ctx);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status st = stub->Check(&ctx, grpc::health::v1::HealthCheckRequest(), &response);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(Admission, EveryServedMethodHasARule) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  // Referenced so that the adapters' and admin descriptors are linked in.
  (void)ix::adapters::v1::FhirAdapter::service_full_name();
  (void)v1::PluginAdmin::service_full_name();
  // Every service of the files ix-server serves, so a service or method added there without a
  // rule fails here (and is refused at run time: Call::Authorise reads the same table).
  int methods = 0;
  std::set<std::string> rpc_names;
  for (const char* file : {"ix/v1/service.proto", "ix/v1/admin_service.proto",
                           "ix/adapters/v1/adapters_service.proto"}) {
    const auto* descriptor = pool->FindFileByName(file);
    ASSERT_NE(descriptor, nullptr) << file;
    for (int s = 0; s < descriptor->service_count(); ++s) {
      const auto* service = descriptor->service(s);
      for (int i = 0; i < service->method_count(); ++i) {
        const std::string path = "/" + service->full_name() + "/" + service->method(i)->name();
        const MethodRule by_method = RuleForMethod(path);
        EXPECT_TRUE(by_method.known) << path << " has no admission rule (admission.cpp)";
        EXPECT_FALSE(by_method.open) << path << ": only the health check is open";
        EXPECT_FALSE(by_method.roles.empty()) << path;
        // The handler finds the same rule by the name it audits.
        const MethodRule by_rpc = RuleForRpc(RpcName(path));
        EXPECT_TRUE(by_rpc.known) << RpcName(path);
        EXPECT_EQ(by_rpc.roles, by_method.roles) << path;
        EXPECT_TRUE(rpc_names.insert(RpcName(path)).second) << "two methods named " << RpcName(path);
        ++methods;
      }
    }
  }
  EXPECT_GT(methods, 25);
  EXPECT_FALSE(RuleForRpc("NotAnRpc").known);
  EXPECT_EQ(RpcName("/ix.v1.PluginAdmin/Pin"), "PluginAdmin.Pin");
  EXPECT_EQ(RpcName("/ix.v1.InstrumentService/Suggest"), "Suggest");
}

// Over plaintext loopback there is no TLS, so no admission before parsing: the handlers' own
// role check is the only gate, and it must refuse exactly what the admission table refuses.
TEST(Admission, TheHandlersRefuseWhatTheTableRefusesWithoutTheFirstGate) {
  TestServer s(true, [](ServerConfig& c) {
    c.set_insecure_loopback(true);
    c.set_loopback_caller("readonly.sodertalje.dev");
  });
  auto channel = grpc::CreateChannel(s.target(), grpc::InsecureChannelCredentials());
  auto stub = v1::InstrumentService::NewStub(channel);
  const uint64_t refused_before = s.server->counters().refused_before_parsing;
  const auto expect_refused = [&](const grpc::Status& st, const std::string& rpc) {
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << rpc << ": " << st.error_message();
    EXPECT_NE(st.error_message().find("role 'read_only' may not call " + rpc), std::string::npos)
        << st.error_message();
  };
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::AssessResponse out;
    expect_refused(stub->Assess(&ctx, v1::AssessRequest(), &out), "Assess");
  }
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::StatisticsReport out;
    expect_refused(stub->Report(&ctx, v1::ReportRequest(), &out), "Report");
  }
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::ImportExchangeResponse out;
    expect_refused(stub->ImportExchange(&ctx, v1::ImportExchangeRequest(), &out), "ImportExchange");
  }
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::PluginStatus out;
    expect_refused(v1::PluginAdmin::NewStub(channel)->Status(&ctx, v1::PluginStatusRequest(), &out),
                   "PluginAdmin.Status");
  }
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    ix::adapters::v1::FieldCodesImportResponse out;
    expect_refused(ix::adapters::v1::FieldCodesAdapter::NewStub(channel)->Import(
                       &ctx, ix::adapters::v1::FieldCodesImportRequest(), &out),
                   "FieldCodesAdapter.Import");
  }
  // What the table gives read_only passes the same check.
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::ValidateResponse out;
    const grpc::Status st = stub->Validate(&ctx, ValidRequest(), &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
  }
  EXPECT_EQ(s.server->counters().refused_before_parsing, refused_before) << "no first gate here";
}

// The household the server checks is the one the plugin's parser sees, read from the wire
// without parsing the request: compared with protobuf's own parse on the inputs where a
// hand-written reader would go wrong.
TEST(WireScope, ReadsTheHouseholdExactlyAsTheParserDoes) {
  const std::vector<int> path = FieldPath(v1::SuggestRequest::descriptor(), "response.household");
  ASSERT_EQ(path, (std::vector<int>{1, 3}));
  EXPECT_TRUE(FieldPath(v1::SuggestRequest::descriptor(), "response.persons").empty());
  EXPECT_TRUE(FieldPath(v1::SuggestRequest::descriptor(), "as_of_date").empty());
  const auto expect_as_parsed = [&](const std::string& bytes, const std::string& what) {
    v1::SuggestRequest parsed;
    const bool ok = parsed.ParseFromString(bytes);
    const auto read = HouseholdAt(bytes, path);
    // Malformed: refused here when along the path, else by the plugin's own parse.
    if (!ok) return;
    ASSERT_TRUE(read.has_value()) << what;
    EXPECT_EQ(read->municipality_code, parsed.response().household().municipality_code()) << what;
    EXPECT_EQ(read->household_ref, parsed.response().household().household_ref()) << what;
  };
  v1::SuggestRequest request;
  *request.mutable_response() = Example("household.json");
  request.set_as_of_date("2025-01-15");
  const std::string whole = request.SerializeAsString();
  expect_as_parsed(whole, "the example");
  ASSERT_EQ(HouseholdAt(whole, path)->municipality_code, "0181");

  // A second occurrence of the response (messages merge; the later string wins).
  v1::SuggestRequest other;
  other.mutable_response()->mutable_household()->set_municipality_code("0192");
  expect_as_parsed(whole + other.SerializeAsString(), "a later response naming 0192");
  EXPECT_EQ(HouseholdAt(whole + other.SerializeAsString(), path)->municipality_code, "0192");
  EXPECT_EQ(HouseholdAt(whole + other.SerializeAsString(), path)->household_ref,
            request.response().household().household_ref()) << "merged, not replaced";
  // A later response without a household leaves the earlier one.
  v1::SuggestRequest empty_response;
  empty_response.mutable_response();
  expect_as_parsed(whole + empty_response.SerializeAsString(), "a later empty response");

  // Field 1 (response) and the household's field 2 with other wire types: unknown fields.
  expect_as_parsed(whole + std::string("\x08\x05", 2), "response as a varint");
  {
    v1::SuggestRequest tricky;
    std::string household = std::string("\x10\x07", 2);  // municipality_code as a varint
    household += std::string("\x12\x04", 2) + "0192";   // then as a string
    household += std::string("\x15\x01\x02\x03\x04", 5);  // and as a fixed32
    std::string response = "\x1a" + std::string(1, static_cast<char>(household.size())) + household;
    const std::string bytes = whole + "\x0a" + std::string(1, static_cast<char>(response.size())) + response;
    expect_as_parsed(bytes, "wire types that make unknown fields");
    EXPECT_EQ(HouseholdAt(bytes, path)->municipality_code, "0192");
  }
  // A group around nothing we read, then the end.
  expect_as_parsed(whole + std::string("\x1b\x08\x01\x1c", 4), "an unknown group");

  // Malformed: cut inside the response, a length past the end, a zero tag, a stray end group.
  EXPECT_FALSE(HouseholdAt(whole.substr(0, whole.size() / 2), path).has_value());
  EXPECT_FALSE(HouseholdAt(std::string("\x0a\x7f\x01", 3), path).has_value());
  EXPECT_FALSE(HouseholdAt(std::string("\x00", 1), path).has_value());
  EXPECT_FALSE(HouseholdAt(std::string("\x0c", 1), path).has_value());
  EXPECT_TRUE(HouseholdAt("", path).has_value()) << "an empty request is a valid empty message";
  EXPECT_EQ(HouseholdAt("", path)->municipality_code, "");
  // Every prefix of the request: read exactly when the parser reads it, or refused.
  for (size_t n = 0; n <= whole.size(); n += 97) expect_as_parsed(whole.substr(0, n), "a prefix");
}

// Through the server: a second response in the same request naming another municipality is
// seen by the check, as the plugin would see it.
TEST(WireScope, AHouseholdSmuggledInASecondOccurrenceIsRefused) {
  TestServer s;
  v1::SuggestRequest request;
  *request.mutable_response() = Example("household.json");
  v1::SuggestRequest other;
  other.mutable_response()->mutable_household()->set_municipality_code("0192");
  // Sent as raw bytes (a stub would re-serialize the merged message as one occurrence).
  const std::string bytes = request.SerializeAsString() + other.SerializeAsString();
  grpc::Slice slice(bytes);
  const grpc::ByteBuffer sent(&slice, 1);
  grpc::ByteBuffer received;
  grpc::GenericStub stub(Channel(s, "sodertalje"));
  grpc::ClientContext ctx;
  Deadline(&ctx);
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, "/ix.v1.InstrumentService/Suggest", grpc::StubOptions(), &sent, &received,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status st = done.get_future().get();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_NE(st.error_message().find("may not access data of municipality 0192"), std::string::npos)
      << st.error_message();
}

TEST(Limits, ACallerOverItsRateGetsResourceExhaustedWithRetryInfo) {
  TestServer s(true, [](ServerConfig& c) {
    c.mutable_limits()->set_calls_per_second_per_caller(1);
    c.mutable_limits()->set_burst_per_caller(2);
  });
  auto sodertalje = Channel(s, "sodertalje");
  ASSERT_TRUE(WhoAmI(sodertalje).ok());
  ASSERT_TRUE(WhoAmI(sodertalje).ok());
  const grpc::Status st = WhoAmI(sodertalje);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << st.error_message();
  EXPECT_NE(st.error_message().find("limits.calls_per_second_per_caller: caller "
                                    "'case-system.sodertalje.dev' exceeded 1 calls per second"),
            std::string::npos)
      << st.error_message();
  auto retry = Find<google::rpc::RetryInfo>(st);
  ASSERT_TRUE(retry.has_value());
  const int64_t ms = retry->retry_delay().seconds() * 1000 + retry->retry_delay().nanos() / 1000000;
  EXPECT_GT(ms, 0);
  EXPECT_LE(ms, 1000);
  auto quota = Find<google::rpc::QuotaFailure>(st);
  ASSERT_TRUE(quota.has_value());
  EXPECT_EQ(quota->violations(0).subject(), "case-system.sodertalje.dev");
  EXPECT_EQ(Find<google::rpc::ErrorInfo>(st)->reason(), "IX_RATE_LIMITED");
  // Another caller is not slowed by it.
  EXPECT_TRUE(WhoAmI(Channel(s, "nynashamn")).ok());
}

TEST(Limits, ACallerOverItsConcurrencyGetsResourceExhaustedOthersAreServed) {
  std::atomic<bool> entered{false}, release{false};
  TestServer s(
      true, [](ServerConfig& c) { c.mutable_limits()->set_max_calls_per_caller(1); },
      [&](std::string_view, const std::function<bool()>&) {
        entered = true;
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!release && std::chrono::steady_clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      });
  grpc::Status first;
  std::thread holder([&] { first = Validate(s, "sodertalje", ValidRequest()); });
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const grpc::Status second = WhoAmI(Channel(s, "sodertalje"));
  const grpc::Status other = WhoAmI(Channel(s, "nynashamn"));
  release = true;
  holder.join();
  EXPECT_TRUE(first.ok()) << first.error_message();
  ASSERT_EQ(second.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << second.error_message();
  EXPECT_EQ(Find<google::rpc::ErrorInfo>(second)->reason(), "IX_CALLER_BUSY");
  EXPECT_NE(second.error_message().find("limits.max_calls_per_caller"), std::string::npos);
  EXPECT_TRUE(Find<google::rpc::RetryInfo>(second).has_value());
  EXPECT_TRUE(other.ok()) << other.error_message();
  EXPECT_TRUE(WhoAmI(Channel(s, "sodertalje")).ok());  // its place was given back
}

TEST(Limits, OneConnectionGetsAtMostItsStreamsTheRestWait) {
  std::atomic<int> inside{0}, most{0};
  TestServer s(
      true, [](ServerConfig& c) { c.mutable_limits()->set_max_streams_per_connection(2); },
      [&](std::string_view, const std::function<bool()>&) {
        const int now = ++inside;
        for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        --inside;
      });
  auto stub = Stub(s, "sodertalje");  // one channel, one connection
  std::vector<std::thread> calls;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    calls.emplace_back([&] {
      grpc::ClientContext ctx;
      Deadline(&ctx, 20000);
      v1::ValidateResponse response;
      if (stub->Validate(&ctx, ValidRequest(), &response).ok()) ++ok;
    });
  }
  for (auto& t : calls) t.join();
  EXPECT_EQ(ok.load(), 6);  // the others waited for a stream; none was refused
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
}

TEST(Limits, ACallWithoutADeadlineGetsTheServersMaximum) {
  TestServer s(
      true, [](ServerConfig& c) { c.mutable_limits()->set_max_deadline_ms(300); },
      [](std::string_view, const std::function<bool()>&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
      });
  const grpc::Status st = Validate(s, "sodertalje", ValidRequest(), /*deadline_ms=*/0);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << st.error_message();
  EXPECT_EQ(s.server->counters().plugin_calls, 0u);
}

TEST(Limits, ARoleGetsItsLargestRequestBeforeParsing) {
  TestServer s(true, [](ServerConfig& c) { c.mutable_limits()->set_read_only_max_request_bytes(1024); });
  v1::LoadDefinitionRequest request;
  request.set_definition(std::string(4096, '{'));
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::LoadDefinitionResponse response;
  const grpc::Status st = Stub(s, "readonly-sodertalje")->LoadDefinition(&ctx, request, &response);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_NE(st.error_message().find("limits.read_only_max_request_bytes allows 1024 for role read_only"),
            std::string::npos)
      << st.error_message();
  EXPECT_EQ(s.server->counters().plugin_calls, 0u);
}

TEST(Limits, NonsenseLimitsAreStartupErrorsNamingTheKey) {
  ServerConfig c = TestServer::DefaultConfig(TempDir("limits-config"));
  c.mutable_limits()->set_max_calls(0);
  EXPECT_EQ(CheckLimits(c).message(), "limits.max_calls: must be at least 1");
  c = TestServer::DefaultConfig(TempDir("limits-config"));
  c.mutable_limits()->set_max_request_memory_bytes(1024 * 1024);
  EXPECT_EQ(CheckLimits(c).message(),
            "limits.max_request_memory_bytes: 1048576 is less than twice max_message_bytes (8388608)");
  EXPECT_TRUE(CheckLimits(TestServer::DefaultConfig(TempDir("limits-config"))).ok());
}

// ---- The crash line.

[[gnu::noinline]] int Deep(int depth) {
  volatile char frame[512];
  frame[0] = static_cast<char>(depth);
  if (depth < 0) return 0;  // never: only so the compiler sees a way out
  return Deep(depth + 1) + frame[0];  // not a tail call: every level keeps its frame
}

void CrashInRpc(int how) {
  ServerConfig config;
  InstallCrashReporter(config);  // no log_file: stderr, where the death test looks
  std::thread serving([how] {
    CurrentRpc slot(how == SIGABRT ? "LoadDefinition" : "ValidateWithDefinition", "abc-7");
    if (how == SIGABRT) std::abort();
    Deep(0);  // a stack overflow: SIGSEGV on the alternate stack
  });
  serving.join();
}

TEST(CrashLineDeathTest, AnAbortInAnRpcNamesTheRpc) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(CrashInRpc(SIGABRT), ::testing::KilledBySignal(SIGABRT),
              "ix-server critical: fatal signal SIGABRT \\(6\\) while serving LoadDefinition "
              "\\(request abc-7\\); the process stops");
}

TEST(CrashLineDeathTest, AStackOverflowInAnRpcStillLeavesItsLine) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(CrashInRpc(SIGSEGV), ::testing::KilledBySignal(SIGSEGV),
              "fatal signal SIGSEGV \\(11\\) while serving ValidateWithDefinition \\(request abc-7\\)");
}

// The real ix-server: a fatal signal leaves its line in the configured log file, in JSON.
TEST(CrashLine, TheRealServerLogsAFatalSignalBeforeDying) {
  const fs::path dir = TempDir("crash-line");
  const fs::path port_file = dir / "port";
  const fs::path log_file = dir / "server.log";
  const std::vector<std::string> args = {
      IX_TEST_IX_SERVER, "--certs-dir", Certs().string(), "--listen", "127.0.0.1:0",
      "--port-file", port_file.string(), "--log-file", log_file.string(), "--log-format", "json",
      "--audit-log", (dir / "audit.log").string()};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(port_file) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(fs::exists(port_file)) << Slurp(log_file);
  ::kill(pid, SIGSEGV);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGSEGV);  // the default action still happens
  const std::string log = Slurp(log_file);
  EXPECT_NE(log.find("\"level\":\"critical\",\"logger\":\"ix-server\",\"message\":\"fatal signal "
                     "SIGSEGV (11) outside any RPC; the process stops\"}\n"),
            std::string::npos)
      << log;
}

}  // namespace
}  // namespace ix::server::testing
