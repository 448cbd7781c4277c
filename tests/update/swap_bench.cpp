// Benchmark (not a test): latency of plugin calls while versions are swapped, against steady
// state, in the same run. Four client threads call validate through PluginManager::Active()
// continuously; the main thread alternates Deploy and Rollback. Each call's latency is filed
// as "steady" or "swap" (within ±25 ms of a switch). Prints p50/p99 of both and the ratio.
//   usage: ix_swap_bench [seconds=6] [swaps=10]
#include <ix/host/manager.hpp>
#include <ix/selftest/golden.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string Request2024() {
  auto len = [](const std::string& s) { return std::string(1, static_cast<char>(s.size())) + s; };
  const std::string ref = "\x0a" + len("instrument-x") + "\x12" + len("2024.1");
  const std::string person = "\x0a" + len("p1") + "\x12" + len("19850312-1231") + std::string("\x18\x01\x28\x01", 4);
  const std::string household = "\x1a" + len(person);
  const std::string response = "\x12" + len(ref) + "\x1a" + len(household);
  return "\x0a" + len(response) + "\x12" + len("2025-06-01");
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 6;
  const int swaps = argc > 2 ? std::atoi(argv[2]) : 10;
  const fs::path root = fs::temp_directory_path() / ("ix_swap_bench_" + std::to_string(std::random_device{}()));
  const auto key = ix::host::bundle::GenerateKeyPair();
  const fs::path bundle = root / "bundle";
  fs::create_directories(bundle / "lib");
  fs::copy_file(IX_TEST_PLUGIN_NEXT, bundle / "lib/libinstrument_x.so");
  fs::copy(IX_TEST_SELFTEST_DIR, bundle / "selftest", fs::copy_options::recursive);
  ix::host::bundle::Manifest m;
  m.plugin_name = "instrument-x";
  m.plugin_version = "0.2.0";
  m.plugin_file = "lib/libinstrument_x.so";
  m.abi_major = 1;
  if (!ix::host::bundle::WriteSigned(bundle, m, key.secret_key_hex).ok()) return 1;

  ix::host::PluginManager::Options options;
  options.install_root = root / "installed";
  options.trusted_keys = {{"bench", key.public_key_hex}};
  options.self_test = [](const ix::PluginSession& s, const fs::path& dir) {
    return dir.empty() ? ix::Status::Ok() : ix::selftest::RunGoldenCases(s, dir / "selftest");
  };
  ix::host::PluginManager manager(options);
  if (!manager.Start(IX_TEST_PLUGIN).ok()) return 1;

  const std::string request = Request2024();
  std::atomic<bool> stop{false};
  std::atomic<long> failures{0};
  std::mutex switch_mutex;
  std::vector<Clock::time_point> switches;
  struct Sample { Clock::time_point at; double micros; };
  std::vector<std::vector<Sample>> samples(4);
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      while (!stop.load()) {
        const auto start = Clock::now();
        const auto session = manager.Active();
        auto answer = session->CallRaw(session->table().validate, request);
        const auto end = Clock::now();
        if (!answer.ok()) ++failures;
        samples[t].push_back({start, std::chrono::duration<double, std::micro>(end - start).count()});
      }
    });
  }
  const auto interval = std::chrono::milliseconds(seconds * 1000 / (swaps + 1));
  for (int i = 0; i < swaps; ++i) {
    std::this_thread::sleep_for(interval);
    const auto before = Clock::now();
    const bool ok = (i % 2 == 0) ? manager.Deploy(bundle).ok() : manager.Rollback().ok();
    std::lock_guard lock(switch_mutex);
    switches.push_back(before);
    switches.push_back(Clock::now());
    if (!ok) std::fprintf(stderr, "swap %d failed\n", i);
  }
  std::this_thread::sleep_for(interval);
  stop = true;
  for (auto& c : clients) c.join();

  std::vector<double> steady, during;
  const auto window = std::chrono::milliseconds(25);
  for (const auto& per_thread : samples) {
    for (const Sample& s : per_thread) {
      bool near_switch = false;
      for (size_t i = 0; i + 1 < switches.size(); i += 2) {
        if (s.at >= switches[i] - window && s.at <= switches[i + 1] + window) near_switch = true;
      }
      (near_switch ? during : steady).push_back(s.micros);
    }
  }
  const double steady_p99 = Percentile(steady, 0.99), swap_p99 = Percentile(during, 0.99);
  std::printf("calls: %zu steady, %zu during %d swaps; failed: %ld\n", steady.size(), during.size(), swaps, failures.load());
  std::printf("p50 us: steady %.1f, during swaps %.1f\n", Percentile(steady, 0.5), Percentile(during, 0.5));
  std::printf("p99 us: steady %.1f, during swaps %.1f; ratio %.2f (goal <= 2.0)\n", steady_p99, swap_p99,
              steady_p99 > 0 ? swap_p99 / steady_p99 : 0.0);
  fs::remove_all(root);
  return failures.load() == 0 ? 0 : 1;
}
