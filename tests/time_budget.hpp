// Wall-clock budgets of tests ("refused within a second"), scaled in sanitizer builds.
//
// ASan + UBSan make every memory access and arithmetic operation checked: the same work takes
// several times as long. The sanitizer build compiles the tests with IX_TEST_TIME_FACTOR (set in
// cmake/IxCompilerOptions.cmake, docs/robustness.md); every other build keeps the budget as it
// is. The factor is small next to what the budgets guard against (a quadratic or exponential
// algorithm is minutes or hours over, not a few times), so a regression still fails the test.
#pragma once

#include <chrono>

#ifndef IX_TEST_TIME_FACTOR
#define IX_TEST_TIME_FACTOR 1
#endif

namespace ix::test_time {

inline constexpr int kTimeFactor = IX_TEST_TIME_FACTOR;

// A budget of `ms` milliseconds as this build measures it.
constexpr int BudgetMs(int ms) { return ms * kTimeFactor; }
constexpr std::chrono::milliseconds Budget(std::chrono::milliseconds budget) { return budget * kTimeFactor; }

}  // namespace ix::test_time
