// The figures of a load run (QPS, p50/p99 latency, calls, errors), shared by the server
// benchmarks (tests/server/server_bench.cpp, tests/rest/rest_bench.cpp).
#ifndef IX_TESTS_SERVER_BENCH_FIGURES_HPP
#define IX_TESTS_SERVER_BENCH_FIGURES_HPP

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace ix::server::testing {

struct Figures {
  double qps = 0;
  double p50_us = 0;
  double p99_us = 0;
  uint64_t calls = 0;
  uint64_t errors = 0;
};

// From each client thread's successful call latencies (µs), the failed calls and the run's
// length in seconds.
inline Figures Summarise(const std::vector<std::vector<double>>& latencies, uint64_t errors, double elapsed) {
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Figures f;
  f.calls = all.size();
  f.errors = errors;
  f.qps = static_cast<double>(all.size()) / elapsed;
  if (!all.empty()) {
    f.p50_us = all[all.size() / 2];
    f.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return f;
}

// The figures of several runs of the same phase (alternated with other phases, so that the
// machine's load hits each alike): mean QPS, p50 and p99; calls and errors added up.
inline Figures Merge(const std::vector<Figures>& runs) {
  Figures m;
  for (const Figures& f : runs) {
    m.qps += f.qps / static_cast<double>(runs.size());
    m.p50_us += f.p50_us / static_cast<double>(runs.size());
    m.p99_us += f.p99_us / static_cast<double>(runs.size());
    m.calls += f.calls;
    m.errors += f.errors;
  }
  return m;
}

// One row of the figures table: "| name | QPS | p50 µs | p99 µs | calls | errors |".
inline void PrintRow(const char* name, const Figures& f) {
  std::printf("| %s | %.0f | %.0f | %.0f | %llu | %llu |\n", name, f.qps, f.p50_us, f.p99_us,
              static_cast<unsigned long long>(f.calls), static_cast<unsigned long long>(f.errors));
}

}  // namespace ix::server::testing

#endif  // IX_TESTS_SERVER_BENCH_FIGURES_HPP
