// Benchmark (not a test): suggest-categorisation through ix-server versus a bare gRPC echo
// service, same run, same client, same transport (mutual TLS on loopback), same payload.
//
// The echo baseline implements the same ix.v1.InstrumentService and answers Suggest with a
// canned copy of the real SuggestResponse, so request and response bytes are identical; the
// difference is exactly what the server adds: caller map, municipality check, audit record,
// and the plugin call (serialize, cross the C ABI, rules, parse).
//
// ix-server runs twice in the same run: with the plugin in supervised worker processes (the
// default, isolation.mode "workers") and in process. Then, with workers: swaps under load
// (deploy/rollback of a signed 0.2.0 bundle while the clients call) and a worker crash under
// load (the marker fixture crashes on one request), counting every failed call.
//
//   ix_server_bench [--seconds S] [--threads T]
// Prints QPS and p50/p99 latency for each, and the ratios (goals: workers >= 0.6x QPS and
// p99 <= 1.5x echo; in process >= 0.7x and <= 1.5x; swaps 0 lost, p99 <= 2x steady).
#include "server_test_support.hpp"
#include "bench_driver.hpp"
#include "../update/signed_bundle.hpp"
#include "ix/v1/admin_service.grpc.pb.h"

#include <ix/server/audit.hpp>

#include "wire_scope.hpp"

#include <ix/ext/categorisation.h>
#include <ix/host/loader.hpp>

#include <algorithm>
#include <re2/re2.h>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

namespace ix::server::testing {
namespace {

// The bare baseline: no caller map, no audit, no plugin — answers with the canned bytes.
class EchoService final : public v1::InstrumentService::CallbackService {
 public:
  explicit EchoService(v1::SuggestResponse canned) : canned_(std::move(canned)) {}
  grpc::ServerUnaryReactor* Suggest(grpc::CallbackServerContext* context,
                                    const v1::SuggestRequest* /*request*/,
                                    v1::SuggestResponse* response) override {
    *response = canned_;
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  v1::SuggestResponse canned_;
};

using StubPtr = std::unique_ptr<v1::InstrumentService::Stub>;

// Suggest with `request` on `target` from `threads` clients (bench_driver.hpp); `during` runs
// on the calling thread while the clients call (swaps, a crash).
Figures SuggestLoad(const std::string& target, const v1::SuggestRequest& request, int threads, double seconds,
                    const std::function<void()>& during = nullptr) {
  return Drive<StubPtr>(
      threads, seconds, [&] { return BenchStub(target); },
      [&](StubPtr& stub) {
        grpc::ClientContext ctx;
        Deadline(&ctx, 10000);
        v1::SuggestResponse response;
        return stub->Suggest(&ctx, request, &response).ok();
      },
      during);
}

// With workers: steady load, then the same load while 0.2.0 is deployed and rolled back three
// times (each deploy starts and self-tests new workers, each switch drains the old ones).
void SwapsUnderLoad(const v1::SuggestRequest& request, int threads, double seconds) {
  const fs::path root = TempDir("bench-swaps");
  const auto key = host::bundle::GenerateKeyPair();
  std::ofstream(root / "keys.json") << R"({"keys": [{"name": "bench", "public_key": ")"
                                    << key.public_key_hex << "\"}]}";
  TestServer server(true, [&](ServerConfig& c) {
    c.mutable_limits()->set_calls_per_second_per_caller(0);
    c.mutable_updates()->set_install_root((root / "installed").string());
    c.mutable_updates()->set_trusted_keys_file((root / "keys.json").string());
  });
  const fs::path bundle = ix::testing::MakeSignedBundle(root / "next", IX_TEST_PLUGIN_NEXT,
                                                        IX_TEST_SELFTEST_DIR, key.secret_key_hex, "0.2.0");
  auto admin = v1::PluginAdmin::NewStub(Channel(server, "admin"));
  SuggestLoad(server.target(), request, threads, 0.5);
  const Figures steady = SuggestLoad(server.target(), request, threads, seconds);
  int swaps = 0;
  const Figures swapping = SuggestLoad(server.target(), request, threads, seconds, [&] {
    for (int round = 0; round < 3; ++round) {
      grpc::ClientContext ctx;
      Deadline(&ctx, 30000);
      v1::DeployResponse out;
      grpc::Status st;
      if (round == 0) {
        v1::DeployRequest deploy;
        deploy.set_bundle_dir(bundle.string());
        st = admin->Deploy(&ctx, deploy, &out);
      } else {
        st = admin->Rollback(&ctx, v1::RollbackRequest(), &out);
      }
      if (st.ok()) ++swaps;
      else std::fprintf(stderr, "swap %d failed: %s\n", round, st.error_message().c_str());
      std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 4));
    }
  });
  std::printf("swaps under load (workers): %d swaps; steady p99 %.0f µs, during swaps p99 %.0f µs, "
              "ratio %.2fx (goal <= 2); failed calls %llu of %llu (goal 0)\n",
              swaps, steady.p99_us, swapping.p99_us, swapping.p99_us / steady.p99_us,
              static_cast<unsigned long long>(swapping.errors),
              static_cast<unsigned long long>(swapping.calls + swapping.errors));
}

// With workers: the load, and one request that crashes its worker in the middle of it.
void CrashUnderLoad(const v1::SuggestRequest& request, int threads, double seconds) {
  TestServer server(false, [](ServerConfig& c) { c.mutable_limits()->set_calls_per_second_per_caller(0); });
  if (Status st = server.server->AttachPlugin(IX_TEST_MARKER_PLUGIN); !st.ok()) {
    std::fprintf(stderr, "marker plugin: %s\n", st.message().c_str());
    return;
  }
  SuggestLoad(server.target(), request, threads, 0.5);
  grpc::Status crashed;
  const Figures f = SuggestLoad(server.target(), request, threads, seconds, [&] {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 2));
    v1::SuggestRequest bad = request;
    bad.mutable_response()->mutable_household()->set_household_ref("IX-CRASH-MARKER");
    grpc::ClientContext ctx;
    Deadline(&ctx, 10000);
    v1::SuggestResponse response;
    crashed = Stub(server, "sodertalje")->Suggest(&ctx, bad, &response);
  });
  std::printf("worker crash under load: the crashing call answered %s; the other calls: %llu failed "
              "of %llu; %llu worker crash(es), workers back to %zu\n",
              crashed.error_message().substr(0, 60).c_str(), static_cast<unsigned long long>(f.errors),
              static_cast<unsigned long long>(f.calls + f.errors),
              static_cast<unsigned long long>(server.server->counters().worker_crashes),
              server.server->ActiveWorkerPids().size());
}

int Main(int argc, char** argv) {
  double seconds = 5;
  int threads = 4;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::stod(argv[i + 1]);
    if (flag == "--threads") threads = std::stoi(argv[i + 1]);
  }
  v1::SuggestRequest request;
  *request.mutable_response() = Example("household.json");
  request.set_as_of_date("2025-01-15");

  // The real server (audit log in a temporary folder), plugin in worker processes (the
  // default). Its operational log at debug carries each call's time inside the server (handler
  // entry to Finish), summarised at the end. And the same server with the plugin in process.
  // One caller identity drives it far above any municipality's rate: the rate limit is policy,
  // not cost, and is switched off here (the concurrency limits stay at their defaults).
  TestServer server(true, [](ServerConfig& c) { c.mutable_limits()->set_calls_per_second_per_caller(0); });
  server.log.logger->set_level(spdlog::level::debug);
  TestServer in_process(true, [](ServerConfig& c) {
    c.mutable_limits()->set_calls_per_second_per_caller(0);
    c.mutable_isolation()->set_mode("in-process");
  });
  // The test servers log everything (trace); the in-process one logs as a deployed server does
  // (info: no line per call). The workers server keeps its debug line: it is the timing above.
  in_process.log.logger->set_level(spdlog::level::info);
  grpc::ClientContext probe_ctx;
  Deadline(&probe_ctx);
  v1::SuggestResponse real;
  const grpc::Status probe = Stub(server, "sodertalje")->Suggest(&probe_ctx, request, &real);
  if (!probe.ok()) {
    std::fprintf(stderr, "server Suggest failed: %s\n", probe.error_message().c_str());
    return 1;
  }

  // The echo baseline: the same credentials, the canned real response.
  EchoService echo(real);
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = Slurp(Certs() / "ca.crt");
  ssl.pem_key_cert_pairs.push_back({Slurp(Certs() / "server.key"), Slurp(Certs() / "server.crt")});
  int echo_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(ssl), &echo_port);
  builder.RegisterService(&echo);
  auto echo_server = builder.BuildAndStart();
  const std::string echo_target = "localhost:" + std::to_string(echo_port);

  // What the plugin alone costs per call, in-process through the host library (no gRPC).
  double plugin_us = 0;
  {
    auto plugin = host::LoadPlugin(IX_TEST_PLUGIN);
    const auto* ext = plugin->GetExtension<ix_categorisation_v1>(IX_CATEGORISATION_EXTENSION_ID);
    constexpr int kCalls = 2000;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kCalls; ++i) {
      if (!plugin->Call<v1::SuggestResponse>(ext->suggest, request).ok()) return 1;
    }
    plugin_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                    .count() / kCalls;
  }
  std::printf("plugin Suggest in-process (host library, no gRPC): %.1f µs per call\n", plugin_us);
  // What one audit record costs (pseudonym + JSON line + write and flush to the file).
  {
    const fs::path dir = TempDir("bench-audit");
    auto audit = AuditLog::Open(dir / "audit.log", {});
    constexpr int kRecords = 5000;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kRecords; ++i) {
      (*audit)->Record(AuditRecord{"abcdef-" + std::to_string(i), "case-system.sodertalje.dev",
                                   "0181", "Suggest", (*audit)->Pseudonym("0181", "hh-example-1"),
                                   "OK", ""});
    }
    std::printf("audit record (pseudonym, JSON line, write + flush): %.1f µs each\n",
                std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                        .count() / kRecords);
  }
  // What finding the request's household costs the server: the whole request parsed (on an
  // arena, as before) against reading the two fields from the wire (what Serve does now).
  {
    const std::string bytes = request.SerializeAsString();
    const std::vector<int> path = FieldPath(v1::SuggestRequest::descriptor(), "response.household");
    constexpr int kTimes = 5000;
    size_t seen = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kTimes; ++i) {
      google::protobuf::Arena arena;
      auto* parsed = google::protobuf::Arena::CreateMessage<v1::SuggestRequest>(&arena);
      if (parsed->ParseFromString(bytes)) seen += parsed->response().household().municipality_code().size();
    }
    const double parse_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / kTimes;
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kTimes; ++i) {
      if (auto household = HouseholdAt(bytes, path)) seen += household->municipality_code.size();
    }
    const double wire_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / kTimes;
    std::printf("the request's household: whole request parsed on an arena %.1f µs, read from the wire "
                "%.1f µs (%zu)\n", parse_us, wire_us, seen);
  }
  std::printf("payload: SuggestRequest %zu bytes, SuggestResponse %zu bytes; %d client threads, "
              "%.1f s per phase, mutual TLS on loopback\n",
              request.ByteSizeLong(), real.ByteSizeLong(), threads, seconds);
  // Warm all up, then alternate so that machine noise hits each alike.
  SuggestLoad(echo_target, request, threads, 0.5);
  SuggestLoad(server.target(), request, threads, 0.5);
  SuggestLoad(in_process.target(), request, threads, 0.5);
  std::vector<Figures> echo_runs, worker_runs, process_runs;
  for (int round = 0; round < 2; ++round) {
    echo_runs.push_back(SuggestLoad(echo_target, request, threads, seconds / 2));
    worker_runs.push_back(SuggestLoad(server.target(), request, threads, seconds / 2));
    process_runs.push_back(SuggestLoad(in_process.target(), request, threads, seconds / 2));
  }
  const Figures e = Merge(echo_runs), s = Merge(worker_runs), p = Merge(process_runs);
  std::printf("| | QPS | p50 µs | p99 µs | calls | errors |\n|---|---|---|---|---|---|\n");
  PrintRow("echo (bare gRPC, canned response)", e);
  PrintRow("ix-server Suggest, plugin in worker processes", s);
  PrintRow("ix-server Suggest, plugin in process", p);
  std::printf("ratio workers: QPS %.2fx echo (goal >= 0.6), p50 %.2fx, p99 %.2fx echo (goal <= 1.5)\n",
              s.qps / e.qps, s.p50_us / e.p50_us, s.p99_us / e.p99_us);
  std::printf("ratio in process: QPS %.2fx echo (goal >= 0.7), p50 %.2fx, p99 %.2fx echo (goal <= 1.5)\n",
              p.qps / e.qps, p.p50_us / e.p50_us, p.p99_us / e.p99_us);
  {
    const std::string text = server.log.text->str();
    const RE2 timing(R"(Suggest OK \(([0-9.]+) ms\))");
    std::vector<double> inside;
    re2::StringPiece rest(text);
    double ms = 0;
    while (RE2::FindAndConsume(&rest, timing, &ms)) inside.push_back(ms * 1000);
    std::sort(inside.begin(), inside.end());
    if (!inside.empty()) {
      std::printf("time inside ix-server per Suggest (handler entry to Finish): p50 %.0f µs, "
                  "p99 %.0f µs over %zu calls\n",
                  inside[inside.size() / 2], inside[inside.size() * 99 / 100], inside.size());
    }
  }
  echo_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  SwapsUnderLoad(request, threads, seconds);
  CrashUnderLoad(request, threads, seconds);
  return 0;
}

}  // namespace
}  // namespace ix::server::testing

int main(int argc, char** argv) { return ix::server::testing::Main(argc, argv); }
