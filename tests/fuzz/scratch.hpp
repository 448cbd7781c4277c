// The part of the fuzz harness that needs nothing of the project: input bytes as text, a
// scratch folder for entry points that read a path, reading harness files.
#ifndef IX_TESTS_FUZZ_SCRATCH_HPP
#define IX_TESTS_FUZZ_SCRATCH_HPP

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace ix::fuzz {

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts with the message: a broken harness, not a finding in the input.
[[noreturn]] void Die(const std::string& message);

std::string ReadFileOrDie(const std::filesystem::path& path);

// A private folder for this process (removed at exit), for entry points that take a path.
const std::filesystem::path& ScratchDir();
// Writes `bytes` to ScratchDir()/name (replacing it) and returns the path.
std::filesystem::path WriteScratch(const std::string& name, std::string_view bytes);

}  // namespace ix::fuzz

#endif  // IX_TESTS_FUZZ_SCRATCH_HPP
