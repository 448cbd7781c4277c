// Hostile vendor documents through ix-server over mutual TLS, and the same inputs through ixctl
// as real processes: a Lifecare FromDate of 50 kB (it crashed the server through a regular
// expression) and a field-code profile of 300 000 keys (quadratic parsing, minutes of CPU).
// Each is refused within a second with INVALID_ARGUMENT and a BadRequest naming the field and
// the limit, while another municipality's calls and the health check keep being answered.
#include "server_test_support.hpp"

#include "grpc/health/v1/health.grpc.pb.h"
#include "ix/adapters/v1/adapters_service.grpc.pb.h"

#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <cstdio>
#include <sys/wait.h>
#include <thread>
#include <vector>

namespace ix::server::testing {
namespace {

namespace av1 = ::ix::adapters::v1;
using Clock = std::chrono::steady_clock;

// A genuine Lifecare export of the two-year case, from the adapter itself, with FromDate
// replaced by "2020-01-01T" and 50 kB.
std::string HostileLifecareExport(const TestServer& s) {
  av1::LifecareFromCanonicalRequest from;
  *from.mutable_household_case() = ExampleCase("case-after-two-years.json");
  av1::LifecareDocument document;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  const grpc::Status st = av1::LifecareAdapter::NewStub(Channel(s, "sodertalje"))->FromCanonical(&ctx, from, &document);
  EXPECT_TRUE(st.ok()) << st.error_message();
  auto json = nlohmann::ordered_json::parse(document.json());
  json["Investigation"]["FromDate"] = "2020-01-01T" + std::string(50 * 1024, '0');
  return json.dump();
}

// A field-code profile whose one choice field maps 300 000 option keys (hex, so the request
// stays under the server's 4 MiB message limit: 3.6 MB).
std::string HostileProfile() {
  std::string text = R"({"id": "x", "version": "1", "instrument": {"instrument_id": "instrument-x", "version": "2024.1"},
    "format": {"delimiter": ";", "header": ["a", "b", "c"], "person": "person_ref"},
    "fields": [{"code": "IX110", "item": "occupation.current", "values": {)";
  char key[32];
  for (int i = 0; i < 300000; ++i) {
    std::snprintf(key, sizeof key, "%s\"%x\":\"v\"", i > 0 ? "," : "", static_cast<unsigned>(i));
    text += key;
  }
  return text + "}}]}";
}

constexpr char kDateLimit[] = "51211 characters, at most 35 (YYYY-MM-DD or an ISO date-time)";
constexpr char kKeysLimit[] = "10001 keys or more, at most 10000";

struct Refusal {
  grpc::Status status;
  Clock::duration took;
};

Refusal LifecareToCanonical(const TestServer& s, const std::string& json) {
  av1::LifecareToCanonicalRequest request;
  request.set_json(json);
  request.set_municipality_code("0181");
  av1::LifecareToCanonicalResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  auto stub = av1::LifecareAdapter::NewStub(Channel(s, "sodertalje"));  // case_system of 0181
  const auto started = Clock::now();
  grpc::Status st = stub->ToCanonical(&ctx, request, &response);
  return {st, Clock::now() - started};
}

Refusal FieldCodesExport(const TestServer& s, const std::string& profile) {
  av1::FieldCodesExportRequest request;
  request.mutable_profile()->set_json(profile);
  *request.mutable_response() = Example("household.json");
  av1::FieldCodesRecords records;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  auto stub = av1::FieldCodesAdapter::NewStub(Channel(s, "readonly-sodertalje"));  // read_only of 0181
  const auto started = Clock::now();
  grpc::Status st = stub->Export(&ctx, request, &records);
  return {st, Clock::now() - started};
}

void ExpectRefusedByFieldAndLimit(const Refusal& r, const std::string& field, const std::string& limit) {
  std::printf("  %s refused in %.1f ms\n", field.c_str(),
              std::chrono::duration<double, std::milli>(r.took).count());
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << r.status.error_message();
  EXPECT_LT(r.took, std::chrono::seconds(1));
  auto bad = Find<google::rpc::BadRequest>(r.status);
  ASSERT_TRUE(bad.has_value()) << r.status.error_message();
  ASSERT_EQ(bad->field_violations_size(), 1);
  EXPECT_EQ(bad->field_violations(0).field(), field);
  EXPECT_EQ(bad->field_violations(0).description(), limit);
}

TEST(HostileVendor, ALifecareDateOf50KbIsRefusedByFieldAndLimit) {
  TestServer s;
  ExpectRefusedByFieldAndLimit(LifecareToCanonical(s, HostileLifecareExport(s)), "Investigation.FromDate", kDateLimit);
}

TEST(HostileVendor, AFieldCodeProfileOf300000KeysIsRefusedByPathAndLimit) {
  TestServer s;
  ExpectRefusedByFieldAndLimit(FieldCodesExport(s, HostileProfile()), "profile.json.fields[0].values", kKeysLimit);
}

// Both hostile requests sent over and over from four threads; meanwhile Nynäshamn validates and
// the health check is asked, each with a one-second deadline, and every one of them succeeds.
TEST(HostileVendor, OtherMunicipalitiesAndTheHealthCheckAreServedMeanwhile) {
  TestServer s;
  const std::string lifecare = HostileLifecareExport(s);
  const std::string profile = HostileProfile();
  std::atomic<bool> stop{false};
  std::atomic<int> refused{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> attackers;
  for (int t = 0; t < 4; ++t) {
    attackers.emplace_back([&, t] {
      while (!stop) {
        const Refusal r = t % 2 == 0 ? LifecareToCanonical(s, lifecare) : FieldCodesExport(s, profile);
        (r.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ? refused : wrong)++;
      }
    });
  }
  v1::ValidateRequest validate;
  *validate.mutable_response() = Example("household.json");
  validate.mutable_response()->mutable_household()->set_municipality_code("0192");
  validate.set_as_of_date("2025-01-15");
  auto nynashamn = Stub(s, "nynashamn");
  auto health = grpc::health::v1::Health::NewStub(Channel(s, "nynashamn"));
  int served = 0;
  const auto until = Clock::now() + std::chrono::seconds(3);
  while (Clock::now() < until) {
    grpc::ClientContext validate_ctx;
    Deadline(&validate_ctx, 1000);
    v1::ValidateResponse validated;
    const grpc::Status st = nynashamn->Validate(&validate_ctx, validate, &validated);
    EXPECT_TRUE(st.ok()) << st.error_message();
    grpc::ClientContext health_ctx;
    Deadline(&health_ctx, 1000);
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status hs = health->Check(&health_ctx, request, &response);
    EXPECT_TRUE(hs.ok()) << hs.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
    served += st.ok() && hs.ok() ? 1 : 0;
  }
  stop = true;
  for (auto& a : attackers) a.join();
  std::printf("  meanwhile: %d validate + health rounds for 0192 served, %d hostile calls refused\n", served,
              refused.load());
  EXPECT_GT(served, 3);
  EXPECT_GT(refused.load(), 4) << "the hostile calls kept coming and were refused";
  EXPECT_EQ(wrong.load(), 0);
}

// --- The same inputs through ixctl, as real processes ---------------------------------------

struct Process {
  int code = -1;
  std::string output;
  Clock::duration took;
};

Process RunIxctl(const std::string& arguments) {
  const std::string command = std::string(IX_TEST_IXCTL) + " " + arguments + " 2>&1";
  const auto started = Clock::now();
  FILE* pipe = popen(command.c_str(), "r");
  Process p;
  if (pipe == nullptr) return p;
  std::array<char, 4096> chunk{};
  while (fgets(chunk.data(), chunk.size(), pipe) != nullptr) p.output += chunk.data();
  const int status = pclose(pipe);
  p.took = Clock::now() - started;
  p.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::printf("  ixctl %.40s… exited %d after %.1f ms\n", arguments.c_str(), p.code,
              std::chrono::duration<double, std::milli>(p.took).count());
  return p;
}

TEST(HostileVendorCli, IxctlLifecareRefusesTheLongDateWithinASecond) {
  TestServer s;
  const fs::path dir = TempDir("hostile-cli");
  std::ofstream(dir / "export.json") << HostileLifecareExport(s);
  const Process p = RunIxctl("lifecare to-canonical " + (dir / "export.json").string() + " --municipality 0181");
  EXPECT_EQ(p.code, 3) << p.output;  // bad input, not a signal
  EXPECT_NE(p.output.find("Investigation.FromDate: " + std::string(kDateLimit)), std::string::npos) << p.output;
  EXPECT_LT(p.took, std::chrono::seconds(1));
  fs::remove_all(dir);
}

TEST(HostileVendorCli, IxctlFieldcodesExportRefusesTheHugeProfileWithinASecond) {
  const fs::path dir = TempDir("hostile-cli");
  std::ofstream(dir / "profile.json") << HostileProfile();
  const Process p = RunIxctl("fieldcodes export " + std::string(IX_TEST_EXAMPLES_DIR) + "/household.json --profile " +
                             (dir / "profile.json").string());
  EXPECT_EQ(p.code, 3) << p.output;
  EXPECT_NE(p.output.find("profile.json.fields[0].values: " + std::string(kKeysLimit)), std::string::npos) << p.output;
  EXPECT_LT(p.took, std::chrono::seconds(1));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ix::server::testing
