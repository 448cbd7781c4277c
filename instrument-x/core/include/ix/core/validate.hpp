// Validation of a response against the exact definition it is pinned to.
#ifndef IX_CORE_VALIDATE_HPP
#define IX_CORE_VALIDATE_HPP

#include <ix/core/definition.hpp>
#include <ix/core/limits.hpp>
#include <ix/core/model.hpp>

#include <vector>

namespace ix::core {

struct ValidationContext {
  // "Today" for checks such as "date not in the future". The core has no clock: callers pass it.
  Date today;
};

// Returns every problem at once (empty: valid). The caller has already found `definition` by
// the response's instrument reference; a mismatch is reported as a problem, never re-bound.
//
// The response is first measured against `limits` (CheckResponseLimits): over a limit, only
// those problems (code kLimitExceeded) are returned. Otherwise the work is near-linear in the
// response and the definition: O((answers + items × adults) × log) plus the patterns' matching,
// which is linear in each answer (RE2). Safe to call on any definition and any response — the
// entry a fuzzer should use, with CheckDefinition for the definition.
std::vector<Problem> Validate(const Definition& definition, const Response& response,
                              const ValidationContext& context);
std::vector<Problem> Validate(const Definition& definition, const Response& response,
                              const ValidationContext& context, const Limits& limits);

bool HasErrors(const std::vector<Problem>& problems);

// Whether a problem keeps `part` from being completed: an error on the part's own items, and
// for part 1 (personal data) also an error on the household, its persons or the pin.
bool BlocksPart(const Problem& problem, int part);

}  // namespace ix::core

#endif  // IX_CORE_VALIDATE_HPP
