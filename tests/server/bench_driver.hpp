// The load driver of the server benchmarks (tests/server/server_bench.cpp,
// tests/rest/rest_bench.cpp): `threads` client threads, each with its own client (its own
// connection), calling as fast as answers come for a given time; the figures of the run.
#ifndef IX_TESTS_SERVER_BENCH_DRIVER_HPP
#define IX_TESTS_SERVER_BENCH_DRIVER_HPP

#include "bench_figures.hpp"
#include "server_test_support.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ix::server::testing {

// Runs `call` (true: success) on `threads` threads until `seconds` after the start; each thread
// makes its own client with `make` first (not timed). `during`, when given, runs on the calling
// thread while the clients call (swaps, a crash).
template <typename Client>
Figures Drive(int threads, double seconds, const std::function<Client()>& make,
              const std::function<bool(Client&)>& call, const std::function<void()>& during = nullptr) {
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
  if (during) during();
  std::this_thread::sleep_until(start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                            std::chrono::duration<double>(seconds)));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Summarise(latencies, errors.load(), elapsed);
}

// A client of `target` as Södertälje's case system over mutual TLS, on a connection of its own
// (not shared with the other client threads).
inline std::unique_ptr<v1::InstrumentService::Stub> BenchStub(const std::string& target) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = Slurp(Certs() / "ca.crt");
  ssl.pem_private_key = Slurp(Certs() / "sodertalje.key");
  ssl.pem_cert_chain = Slurp(Certs() / "sodertalje.crt");
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return v1::InstrumentService::NewStub(grpc::CreateCustomChannel(target, grpc::SslCredentials(ssl), args));
}

}  // namespace ix::server::testing

#endif  // IX_TESTS_SERVER_BENCH_DRIVER_HPP
