// Runs a shell command from a test and keeps its exit code and output (stdout and stderr
// together), for tests that drive the real programs (ixctl, ix-server) as a user would.
#ifndef IX_TESTS_SHELL_HPP
#define IX_TESTS_SHELL_HPP

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace ix::test {

struct Proc {
  int code = -1;  // the exit code; -1 when the command could not run or was killed
  std::string out;  // stdout and stderr together
};

inline Proc Sh(const std::string& command) {
  Proc p;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return p;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) p.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  p.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return p;
}

}  // namespace ix::test

#endif  // IX_TESTS_SHELL_HPP
