// Benchmark (not a test): REST/JSON against gRPC on the same ix-server, same run, same payload
// (the README's sample household), same mutual TLS on loopback, same caller, same number of
// client threads each keeping its connection. Validate and Suggest.
//
// What the REST path must add to a gRPC call is the JSON conversion: the request's JSON to
// wire bytes, the answer's wire bytes to JSON (rest_json.hpp, the REST port's own code). So
// the bench measures, for each RPC and in the same run:
//   gRPC                 the generated stub over mutual TLS;
//   REST                 cpp-httplib's HTTPS client, one kept-alive connection per thread;
//   conversion           the conversion alone, on as many threads, in this process (no I/O);
//   gRPC + conversion    each client thread converts the request JSON, makes the gRPC call,
//                        converts the answer: what REST would cost if HTTP/1.1, the REST port
//                        and the in-process hand-over were free.
// and prints the ratios REST/gRPC and REST/(gRPC + conversion) for QPS and p99 (goal: REST
// costs no more than gRPC + conversion, i.e. QPS ratio >= 1, p99 ratio <= 1), and for the CPU
// time per call (this process — clients, server, REST port — and the plugin's worker
// processes), the figure that still means something when other work loads the machine. The
// phases alternate over two rounds so that the machine's load hits each alike.
//
//   ix_rest_bench [--seconds S] [--threads T]
#include "bench_driver.hpp"

#include <ix/base/json.hpp>
#include <ix/server/rest_json.hpp>

#include <httplib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace ix::server::testing {
namespace {

namespace pb = google::protobuf;

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

using StubPtr = std::unique_ptr<v1::InstrumentService::Stub>;

// One RPC's payload and the four ways of calling it.
template <typename Request, typename Response>
struct Rpc {
  const char* name;
  const char* path;
  Request request;
  std::string request_json;
  std::string answer_bytes;  // the server's answer for `request`, as the REST port receives it
  grpc::Status (v1::InstrumentService::Stub::*method)(grpc::ClientContext*, const Request&, Response*);
};

// The conversion the REST port does for one call: request JSON -> bytes, answer bytes -> JSON.
bool Convert(const rest::JsonCodec& codec, const std::string& request_json, const pb::Descriptor& request_type,
             const std::string& answer_bytes, const pb::Descriptor& answer_type) {
  std::string bytes, json;
  return codec.ToBinary(request_json, request_type, &bytes).ok() &&
         codec.ToJson(answer_bytes, answer_type, &json).ok();
}

// This thread's CPU time in µs (the single-thread figures below: not wall time, which on a
// loaded machine measures the scheduler).
double ThreadCpuUs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

// CPU µs per call, one thread, no I/O: the conversion through message objects (protobuf's
// JsonStringToMessage + SerializeToString, ParseFromString + MessageToJsonString: what the REST
// port did before it converted straight to bytes), straight to bytes (rest_json.hpp, what it
// does now), and the JSON limits check the port runs before (ix::base::CheckJsonLimits; beside
// it the tokenising check it replaced for bodies under the limits).
template <typename Request, typename Response>
double SingleThreadCosts(const char* name, const rest::JsonCodec& codec, const std::string& request_json,
                       const std::string& answer_bytes) {
  constexpr int kTimes = 300;
  double t0 = ThreadCpuUs();
  for (int i = 0; i < kTimes; ++i) {
    Request request;
    pb::util::JsonParseOptions parse;
    parse.ignore_unknown_fields = false;
    (void)pb::util::JsonStringToMessage(request_json, &request, parse);
    std::string bytes = request.SerializeAsString();
    Response answer;
    (void)answer.ParseFromString(answer_bytes);
    pb::util::JsonPrintOptions print;
    print.preserve_proto_field_names = true;
    std::string json;
    (void)pb::util::MessageToJsonString(answer, &json, print);
  }
  const double messages = (ThreadCpuUs() - t0) / kTimes;
  t0 = ThreadCpuUs();
  for (int i = 0; i < kTimes; ++i) {
    (void)Convert(codec, request_json, *Request::descriptor(), answer_bytes, *Response::descriptor());
  }
  const double direct = (ThreadCpuUs() - t0) / kTimes;
  t0 = ThreadCpuUs();
  for (int i = 0; i < kTimes; ++i) (void)base::CheckJsonLimits(request_json, "body");
  const double limits = (ThreadCpuUs() - t0) / kTimes;
  t0 = ThreadCpuUs();
  for (int i = 0; i < kTimes; ++i) (void)base::detail::CheckJsonLimitsByTokens(request_json, "body");
  const double tokens = (ThreadCpuUs() - t0) / kTimes;
  std::printf("%s, CPU per call, one thread: conversion through messages %.0f µs, straight to bytes %.0f µs; "
              "JSON limits check %.1f µs (tokenising every body, as before: %.0f µs)\n",
              name, messages, direct, limits, tokens);
  return limits;
}

// CPU seconds used so far by this process (clients, ix-server, REST port) and the plugin's
// worker processes. On a loaded machine wall-clock figures mostly measure the scheduler; CPU
// time per call is what a call costs.
double CpuSeconds(const TestServer& server) {
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  double seconds = static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
                   static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
  for (const int pid : server.server->ActiveWorkerPids()) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    std::istringstream rest(text.substr(text.rfind(')') + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    seconds += static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return seconds;
}

// A phase's figures and its CPU time per successful call (µs).
struct Phase {
  Figures f;
  double cpu_us = 0;
};

template <typename Client>
Phase Timed(const TestServer& server, int threads, double seconds, const std::function<Client()>& make,
            const std::function<bool(Client&)>& call) {
  const double before = CpuSeconds(server);
  Phase p{Drive(threads, seconds, make, call), 0};
  p.cpu_us = (CpuSeconds(server) - before) * 1e6 / static_cast<double>(std::max<uint64_t>(1, p.f.calls));
  return p;
}

Phase MergePhases(const std::vector<Phase>& runs) {
  std::vector<Figures> figures;
  Phase m;
  for (const Phase& p : runs) {
    figures.push_back(p.f);
    m.cpu_us += p.cpu_us / static_cast<double>(runs.size());
  }
  m.f = Merge(figures);
  return m;
}

struct Results {
  Phase grpc, rest, conversion, grpc_and_conversion;
};

template <typename Request, typename Response>
Results Measure(const TestServer& server, const rest::JsonCodec& codec, const Rpc<Request, Response>& rpc,
                int threads, double seconds) {
  const std::function<StubPtr()> make_stub = [&] { return BenchStub(server.target()); };
  const int port = server.server->rest_port();
  const std::function<RestClient()> make_rest = [&] { return MakeRestClient(port); };
  const std::function<int()> make_none = [] { return 0; };
  const pb::Descriptor& in = *Request::descriptor();
  const pb::Descriptor& out = *Response::descriptor();
  const auto grpc_call = [&](StubPtr& stub) {
    grpc::ClientContext ctx;
    Deadline(&ctx, 10000);
    Response r;
    return ((*stub).*rpc.method)(&ctx, rpc.request, &r).ok();
  };
  const std::function<bool(StubPtr&)> grpc_only = grpc_call;
  const std::function<bool(RestClient&)> rest_only = [&](RestClient& c) {
    return RestCall(c, rpc.path, rpc.request_json);
  };
  const std::function<bool(int&)> conversion_only = [&](int&) {
    return Convert(codec, rpc.request_json, in, rpc.answer_bytes, out);
  };
  // The request message is the one the JSON converts to (checked in Main); the answer is
  // converted from the bytes the server sends.
  const std::function<bool(StubPtr&)> grpc_and_conversion = [&](StubPtr& stub) {
    std::string bytes, json;
    if (!codec.ToBinary(rpc.request_json, in, &bytes).ok()) return false;
    grpc::ClientContext ctx;
    Deadline(&ctx, 10000);
    Response r;
    if (!((*stub).*rpc.method)(&ctx, rpc.request, &r).ok()) return false;
    return codec.ToJson(r.SerializeAsString(), out, &json).ok();
  };
  // Warm up (connections, the resolver's cache), then alternate.
  Drive(threads, 0.3, make_stub, grpc_only);
  Drive(threads, 0.3, make_rest, rest_only);
  std::vector<Phase> g, r, c, gc;
  for (int round = 0; round < 2; ++round) {
    g.push_back(Timed(server, threads, seconds / 2, make_stub, grpc_only));
    r.push_back(Timed(server, threads, seconds / 2, make_rest, rest_only));
    c.push_back(Timed(server, threads, seconds / 2, make_none, conversion_only));
    gc.push_back(Timed(server, threads, seconds / 2, make_stub, grpc_and_conversion));
  }
  return Results{MergePhases(g), MergePhases(r), MergePhases(c), MergePhases(gc)};
}

void Row(const std::string& name, const Phase& p) {
  std::printf("| %s | %.0f | %.0f | %.0f | %.0f | %llu | %llu |\n", name.c_str(), p.f.qps, p.f.p50_us, p.f.p99_us,
              p.cpu_us, static_cast<unsigned long long>(p.f.calls), static_cast<unsigned long long>(p.f.errors));
}

void Report(const std::string& name, const Results& x) {
  Row("gRPC " + name, x.grpc);
  Row("REST " + name, x.rest);
  Row("JSON conversion alone " + name, x.conversion);
  Row("gRPC + JSON conversion " + name, x.grpc_and_conversion);
}

// `limits_us`: the JSON limits check's CPU per call, which the REST port runs and the
// "gRPC + conversion" phase does not.
void Ratios(const char* name, const Results& x, double limits_us) {
  const Figures& r = x.rest.f;
  const Figures& g = x.grpc.f;
  const Figures& gc = x.grpc_and_conversion.f;
  std::printf("%s: REST/gRPC QPS %.2fx, p50 %.2fx, p99 %.2fx, CPU per call %.2fx; REST/(gRPC + conversion) "
              "QPS %.2fx (goal >= 1), p50 %.2fx, p99 %.2fx (goal <= 1), CPU per call %.2fx (goal <= 1)\n",
              name, r.qps / g.qps, r.p50_us / g.p50_us, r.p99_us / g.p99_us, x.rest.cpu_us / x.grpc.cpu_us,
              r.qps / gc.qps, r.p50_us / gc.p50_us, r.p99_us / gc.p99_us,
              x.rest.cpu_us / x.grpc_and_conversion.cpu_us);
  std::printf("%s: REST CPU per call - (gRPC + conversion) = %.0f µs, of which the JSON limits check %.0f µs; "
              "REST/(gRPC + conversion + limits check) CPU per call %.2fx\n",
              name, x.rest.cpu_us - x.grpc_and_conversion.cpu_us, limits_us,
              x.rest.cpu_us / (x.grpc_and_conversion.cpu_us + limits_us));
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
  const rest::JsonCodec codec;

  Rpc<v1::ValidateRequest, v1::ValidateResponse> validate{"Validate", "/v1/responses:validate", ValidRequest(), "",
                                                         "", &v1::InstrumentService::Stub::Validate};
  Rpc<v1::SuggestRequest, v1::SuggestResponse> suggest{"Suggest", "/v1/categorisation:suggest", {}, "", "",
                                                       &v1::InstrumentService::Stub::Suggest};
  *suggest.request.mutable_response() = Example("household.json");
  suggest.request.set_as_of_date("2025-01-15");
  validate.request_json = Json(validate.request);
  suggest.request_json = Json(suggest.request);
  {
    grpc::ClientContext a, b;
    Deadline(&a);
    Deadline(&b);
    v1::ValidateResponse validated;
    v1::SuggestResponse suggested;
    auto stub = Stub(server, "sodertalje");
    if (!stub->Validate(&a, validate.request, &validated).ok() || !stub->Suggest(&b, suggest.request, &suggested).ok()) {
      std::fprintf(stderr, "the server did not answer over gRPC\n");
      return 1;
    }
    validate.answer_bytes = validated.SerializeAsString();
    suggest.answer_bytes = suggested.SerializeAsString();
    RestClient probe = MakeRestClient(server.server->rest_port());
    if (!RestCall(probe, validate.path, validate.request_json) || !RestCall(probe, suggest.path, suggest.request_json)) {
      std::fprintf(stderr, "the server did not answer over REST\n");
      return 1;
    }
    // "gRPC + conversion" calls with the prepared message: it must be what the JSON converts to.
    std::string bytes;
    if (!codec.ToBinary(validate.request_json, *v1::ValidateRequest::descriptor(), &bytes).ok() ||
        bytes != validate.request.SerializeAsString() ||
        !codec.ToBinary(suggest.request_json, *v1::SuggestRequest::descriptor(), &bytes).ok() ||
        bytes != suggest.request.SerializeAsString()) {
      std::fprintf(stderr, "the request JSON does not convert to the request message\n");
      return 1;
    }
  }
  std::printf("REST vs gRPC, %d client threads, %.1f s per phase (two rounds of %.1f s), mutual TLS on loopback, "
              "workers isolation; request JSON %zu bytes (Validate), %zu bytes (Suggest)\n",
              threads, seconds, seconds / 2, validate.request_json.size(), suggest.request_json.size());
  const double validate_limits_us = SingleThreadCosts<v1::ValidateRequest, v1::ValidateResponse>("Validate", codec, validate.request_json,
                                                              validate.answer_bytes);
  const double suggest_limits_us = SingleThreadCosts<v1::SuggestRequest, v1::SuggestResponse>("Suggest", codec, suggest.request_json,
                                                            suggest.answer_bytes);
  const Results v = Measure(server, codec, validate, threads, seconds);
  const Results s = Measure(server, codec, suggest, threads, seconds);
  std::printf("| | QPS | p50 µs | p99 µs | CPU µs/call | calls | errors |\n|---|---|---|---|---|---|---|\n");
  Report("Validate", v);
  Report("Suggest", s);
  Ratios("Validate", v, validate_limits_us);
  Ratios("Suggest", s, suggest_limits_us);
  return 0;
}

}  // namespace
}  // namespace ix::server::testing

int main(int argc, char** argv) { return ix::server::testing::Main(argc, argv); }
