// Benchmark (not a test): REST/JSON against gRPC on the same ix-server, same run, same payload
// (the README's sample household), same mutual TLS on loopback, same caller, same number of
// client threads each keeping its connection. Validate and Suggest.
//
// The REST path adds, per call: the JSON parse of the request into the message, the in-process
// hand-over to the same service method, and the JSON print of the answer. The bench measures
// the JSON conversion alone too (in this process, no network), to set the difference against.
//
//   ix_rest_bench [--seconds S] [--threads T]
// Prints QPS and p50/p99 latency for each, and the REST/gRPC ratios.
#include "server_test_support.hpp"
#include "bench_figures.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

namespace ix::server::testing {
namespace {

namespace pb = google::protobuf;

// Runs `call` (true: success) on `threads` threads for `seconds`; each thread makes its own
// client with `make` first.
template <typename Client>
Figures Drive(int threads, double seconds, const std::function<Client()>& make,
              const std::function<bool(Client&)>& call) {
  std::vector<std::vector<double>> latencies(threads);
  std::atomic<uint64_t> errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      Client client = make();
      while (!stop.load(std::memory_order_relaxed)) {
        const auto t0 = std::chrono::steady_clock::now();
        const bool ok = call(client);
        const auto t1 = std::chrono::steady_clock::now();
        if (!ok) {
          errors.fetch_add(1);
          continue;
        }
        latencies[t].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Summarise(latencies, errors.load(), elapsed);
}

std::string Json(const pb::Message& m) {
  std::string json;
  (void)pb::util::MessageToJsonString(m, &json);
  return json;
}

using RestClient = std::unique_ptr<httplib::SSLClient>;

RestClient MakeRestClient(int port) {
  auto client = std::make_unique<httplib::SSLClient>("localhost", port, (Certs() / "sodertalje.crt").string(),
                                                     (Certs() / "sodertalje.key").string());
  client->set_ca_cert_path((Certs() / "ca.crt").string().c_str());
  client->enable_server_certificate_verification(true);
  client->set_keep_alive(true);
  client->set_tcp_nodelay(true);  // as curl does by default
  client->set_read_timeout(std::chrono::seconds(10));
  return client;
}

bool RestCall(RestClient& client, const std::string& path, const std::string& body) {
  auto res = client->Post(path.c_str(), body, "application/json");
  return res && res->status == 200;
}

// Microseconds per call of the conversion the REST port must do: request JSON -> message,
// answer message -> JSON (protobuf's JSON mapping, one thread, no I/O).
template <typename Request, typename Response>
double JsonConversionUs(const std::string& request_json, const Response& answer) {
  const int n = 2000;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    Request request;
    (void)pb::util::JsonStringToMessage(request_json, &request);
    pb::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string out;
    (void)pb::util::MessageToJsonString(answer, &out, options);
  }
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / n;
}

void Row(const char* name, const Figures& f) {
  std::printf("| %s | %.0f | %.0f | %.0f | %llu | %llu |\n", name, f.qps, f.p50_us, f.p99_us,
              static_cast<unsigned long long>(f.calls), static_cast<unsigned long long>(f.errors));
}

int Main(int argc, char** argv) {
  double seconds = 5;
  int threads = 4;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::stod(argv[i + 1]);
    if (flag == "--threads") threads = std::stoi(argv[i + 1]);
  }
  // One caller drives the server far above any municipality's rate: the rate limit is policy,
  // not cost, and is off here. The server logs as a deployed one does (info).
  TestServer server(true, [threads](ServerConfig& c) {
    c.mutable_limits()->set_calls_per_second_per_caller(0);
    c.mutable_rest()->set_listen("127.0.0.1:0");
    c.mutable_rest()->set_threads(std::max(8, threads));
  });
  server.log.logger->set_level(spdlog::level::info);
  const int rest_port = server.server->rest_port();

  v1::ValidateRequest validate = ValidRequest();
  v1::SuggestRequest suggest;
  *suggest.mutable_response() = Example("household.json");
  suggest.set_as_of_date("2025-01-15");
  const std::string validate_json = Json(validate);
  const std::string suggest_json = Json(suggest);

  v1::ValidateResponse validated;
  v1::SuggestResponse suggested;
  {
    grpc::ClientContext a, b;
    Deadline(&a);
    Deadline(&b);
    if (!Stub(server, "sodertalje")->Validate(&a, validate, &validated).ok() ||
        !Stub(server, "sodertalje")->Suggest(&b, suggest, &suggested).ok()) {
      std::fprintf(stderr, "the server did not answer over gRPC\n");
      return 1;
    }
    RestClient probe = MakeRestClient(rest_port);
    if (!RestCall(probe, "/v1/responses:validate", validate_json) ||
        !RestCall(probe, "/v1/categorisation:suggest", suggest_json)) {
      std::fprintf(stderr, "the server did not answer over REST\n");
      return 1;
    }
  }

  using Stubp = std::unique_ptr<v1::InstrumentService::Stub>;
  const std::function<Stubp()> make_stub = [&] {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Slurp(Certs() / "ca.crt");
    ssl.pem_private_key = Slurp(Certs() / "sodertalje.key");
    ssl.pem_cert_chain = Slurp(Certs() / "sodertalje.crt");
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return v1::InstrumentService::NewStub(
        grpc::CreateCustomChannel(server.target(), grpc::SslCredentials(ssl), args));
  };
  const std::function<RestClient()> make_rest = [&] { return MakeRestClient(rest_port); };

  std::printf("REST vs gRPC, %d client threads, %.0f s each, mutual TLS on loopback, workers isolation\n",
              threads, seconds);
  const Figures grpc_validate = Drive<Stubp>(threads, seconds, make_stub, [&](Stubp& stub) {
    grpc::ClientContext ctx;
    Deadline(&ctx, 10000);
    v1::ValidateResponse r;
    return stub->Validate(&ctx, validate, &r).ok();
  });
  const Figures rest_validate = Drive<RestClient>(threads, seconds, make_rest, [&](RestClient& c) {
    return RestCall(c, "/v1/responses:validate", validate_json);
  });
  const Figures grpc_suggest = Drive<Stubp>(threads, seconds, make_stub, [&](Stubp& stub) {
    grpc::ClientContext ctx;
    Deadline(&ctx, 10000);
    v1::SuggestResponse r;
    return stub->Suggest(&ctx, suggest, &r).ok();
  });
  const Figures rest_suggest = Drive<RestClient>(threads, seconds, make_rest, [&](RestClient& c) {
    return RestCall(c, "/v1/categorisation:suggest", suggest_json);
  });
  std::printf("| | QPS | p50 µs | p99 µs | calls | errors |\n|---|---|---|---|---|---|\n");
  Row("gRPC Validate", grpc_validate);
  Row("REST Validate", rest_validate);
  Row("gRPC Suggest", grpc_suggest);
  Row("REST Suggest", rest_suggest);
  std::printf("ratio Validate REST/gRPC: QPS %.2fx, p50 %.2fx, p99 %.2fx\n", rest_validate.qps / grpc_validate.qps,
              rest_validate.p50_us / grpc_validate.p50_us, rest_validate.p99_us / grpc_validate.p99_us);
  std::printf("ratio Suggest REST/gRPC: QPS %.2fx, p50 %.2fx, p99 %.2fx\n", rest_suggest.qps / grpc_suggest.qps,
              rest_suggest.p50_us / grpc_suggest.p50_us, rest_suggest.p99_us / grpc_suggest.p99_us);
  const double validate_json_us = JsonConversionUs<v1::ValidateRequest>(validate_json, validated);
  const double suggest_json_us = JsonConversionUs<v1::SuggestRequest>(suggest_json, suggested);
  std::printf("JSON conversion alone (request parse + answer print, one thread): Validate %.0f µs, "
              "Suggest %.0f µs; p50 difference REST-gRPC: Validate %.0f µs, Suggest %.0f µs\n",
              validate_json_us, suggest_json_us, rest_validate.p50_us - grpc_validate.p50_us,
              rest_suggest.p50_us - grpc_suggest.p50_us);
  return 0;
}

}  // namespace
}  // namespace ix::server::testing

int main(int argc, char** argv) { return ix::server::testing::Main(argc, argv); }
