// The main a fuzz target links in every normal build (no libFuzzer): runs the target once over
// every file named on the command line, or found in a named folder, so the seed corpus and
// every past finding (regressions/) are regression tests of every build. The command line is
// libFuzzer's, so ctest runs the same command in both builds:
//   fuzz_<target> [-timeout=SECONDS] [-other_libfuzzer_flags] FILE|DIR...
// -timeout is the per-input time budget: an input that takes longer fails the run, as it is a
// finding for libFuzzer too. Other flags are libFuzzer's and ignored here.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

std::vector<std::filesystem::path> Inputs(const std::filesystem::path& arg) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(arg)) {
    for (const auto& entry : std::filesystem::directory_iterator(arg)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && !name.empty() && name[0] != '.') files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(arg);
  }
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  double budget_seconds = 10;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("-timeout=", 0) == 0) {
      budget_seconds = std::atof(arg.c_str() + 9);
    } else if (arg.empty() || arg[0] != '-') {
      for (auto& file : Inputs(arg)) files.push_back(std::move(file));
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "replay: no inputs (usage: %s [-timeout=S] FILE|DIR...)\n", argv[0]);
    return 2;
  }
  int slow = 0;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
      return 2;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto start = std::chrono::steady_clock::now();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (took.count() > budget_seconds) {
      std::fprintf(stderr, "replay: SLOW INPUT %s: %.2f s (budget %.2f s)\n", file.c_str(), took.count(),
                   budget_seconds);
      ++slow;
    }
  }
  std::printf("replay: %zu input(s) run, %d over the %.2f s budget\n", files.size(), slow, budget_seconds);
  return slow == 0 ? 0 : 1;
}
