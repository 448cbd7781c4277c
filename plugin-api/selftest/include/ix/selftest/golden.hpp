// A plugin's self-test: golden validation cases shipped in its bundle (selftest/*.json), run
// against a freshly loaded version before any call is switched to it.
//
// Case file format (canonical JSON inside), one of:
//   {"name": "valid household", "call": "validate",          // "call" defaults to validate
//    "request": { …ix.v1.ValidateRequest… },
//    "expect": {"valid": true, "problem_codes": ["required", …]}}   // codes: exact multiset
//   {"name": "categorised household", "call": "suggest",     // extension ix.categorisation/1
//    "request": { …ix.v1.SuggestRequest… },
//    "expect": {"categories": {"p1": { …ix.v1.Category… }},           // exact, per adult
//               "forsorjningshinder": {"p1": "unemployed_no_benefit"}}}
#ifndef IX_SELFTEST_GOLDEN_HPP
#define IX_SELFTEST_GOLDEN_HPP

#include <ix/plugin.hpp>

#include <filesystem>

namespace ix::selftest {

// Runs every case in `dir` (sorted by name). OK when all pass; otherwise the first failure,
// naming the case file and what differed. A directory without cases is an error: an update
// must prove itself.
Status RunGoldenCases(const PluginSession& session, const std::filesystem::path& dir);

}  // namespace ix::selftest

#endif  // IX_SELFTEST_GOLDEN_HPP
