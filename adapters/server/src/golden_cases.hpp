// The golden cases, embedded at build time from docs/examples (golden_cases.cpp.in).
#ifndef IX_SERVER_GOLDEN_CASES_HPP
#define IX_SERVER_GOLDEN_CASES_HPP

namespace ix::server::golden {
extern const char* const kValidHousehold;    // docs/examples/household.json
extern const char* const kInvalidHousehold;  // docs/examples/household-invalid.json
}  // namespace ix::server::golden

#endif  // IX_SERVER_GOLDEN_CASES_HPP
