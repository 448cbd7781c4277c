// A test that needs a program from outside the build (Chromium, HAProxy, pg_dump) and does not
// find it: a skip on a developer's machine, a failure under CI=true, so a CI machine without the
// program cannot pass by testing less. tests/missing_stack.sh says the same for the test scripts.
#ifndef IX_TESTS_MISSING_STACK_HPP
#define IX_TESTS_MISSING_STACK_HPP

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace ix::test {
inline bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}
}  // namespace ix::test

// Use in a test body (it returns from it).
#define IX_MISSING_STACK(what)                                                           \
  do {                                                                                   \
    if (::ix::test::InCi()) FAIL() << (what) << " (CI=true: scripts/install-deps.sh installs it)"; \
    GTEST_SKIP() << (what);                                                              \
  } while (0)

#endif  // IX_TESTS_MISSING_STACK_HPP
