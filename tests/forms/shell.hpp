// What the forms tests that start real processes (ixctl, chromium) share.
#ifndef IX_TESTS_FORMS_SHELL_HPP
#define IX_TESTS_FORMS_SHELL_HPP

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>
#include <utility>

namespace ix::forms_test {

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs `command` in a shell; its exit code and what it wrote to stdout and stderr.
inline std::pair<int, std::string> Shell(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string output;
  std::array<char, 4096> chunk{};
  while (pipe != nullptr && fgets(chunk.data(), chunk.size(), pipe) != nullptr) output += chunk.data();
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace ix::forms_test

#endif  // IX_TESTS_FORMS_SHELL_HPP
