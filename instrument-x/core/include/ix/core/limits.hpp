// How much caller data the core takes on at all. Every input from outside — a licensee
// definition, a response with its household, answers and change trail — is measured against
// these limits before any work on it starts, so no single request can make the core work for
// long or deeply. One struct with the defaults, so an operator setting can later override them
// (docs/limits.md, "Definitions, answers and households", lists them).
#ifndef IX_CORE_LIMITS_HPP
#define IX_CORE_LIMITS_HPP

#include <ix/core/model.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ix::core {

struct Definition;

struct Limits {
  // --- a definition -----------------------------------------------------------------------
  int64_t items = 2000;                 // items over all parts and sections
  int64_t choices_per_item = 500;       // options of one item; codes in one answer or condition
  int64_t conditions_per_group = 100;   // conditions of one enable_when / required_when / applies_when
  int64_t logic_depth = 64;             // longest chain of items whose state depends on another item
  int64_t migrations = 100;             // migrations a definition holds
  int64_t migration_rules = 10000;      // rules over all its migrations
  int64_t targets_per_rule = 500;       // targets of one migration rule
  int64_t pattern_bytes = 1000;         // length of one answer pattern
  int64_t pattern_program_size = 5000;  // RE2's measure of the compiled pattern (RE2::ProgramSize)
  int64_t pattern_memory_bytes = 1 << 20;  // RE2::Options::max_mem for one pattern
  int64_t languages = 32;               // languages of a definition or catalogue (and translations per text)
  int64_t text_bytes = 20000;           // bytes of one text in one language (a label, help, notice …)
  // --- a response -------------------------------------------------------------------------
  int64_t answer_characters = 100000;   // characters of one answer's value (all codes together)
  int64_t persons = 100;                // persons in one household
  int64_t answers = 20000;              // answers of one response
  int64_t changes = 100000;             // entries of one response's change trail
};

// The defaults above.
const Limits& DefaultLimits();

// The code of every refusal for a limit: the problem names the field, the limit and the value.
inline constexpr const char* kLimitExceeded = "limit_exceeded";
bool IsLimitProblem(const Problem& problem);
// The limit problems among `problems`.
std::vector<Problem> LimitProblems(const std::vector<Problem>& problems);

// A refusal: "<value> <what>, at most <limit>" at `path`, in both languages.
Problem LimitProblem(std::string path, int64_t value, int64_t limit, const std::string& what_en,
                     const std::string& what_sv);

// The counts of a definition against the limits: items, choices, conditions, migrations, rules,
// targets, pattern lengths. Paths are relative to the definition ("parts",
// "parts[1].sections[s].items[x].constraints[0].pattern", "migrations[3].rules"). Linear in the
// definition's size; empty when within every limit. (Logic depth and pattern program size are
// measured while checking the definition: they need the index and the compiled pattern.)
std::vector<Problem> CheckDefinitionLimits(const Definition& definition, const Limits& limits = DefaultLimits());

// The counts of a response against the limits: persons, answers, change-trail entries,
// characters (and codes) per answer. Paths are relative to the response ("household.persons",
// "answers[p1/x].value"). Linear; empty when within every limit.
std::vector<Problem> CheckResponseLimits(const Response& response, const Limits& limits = DefaultLimits());
// One answer value (or an edit's value) at `path`: its characters, and its codes.
std::vector<Problem> CheckValueLimits(const AnswerValue& value, const std::string& path,
                                      const Limits& limits = DefaultLimits());
// The persons of a household (path "household.persons").
std::vector<Problem> CheckHouseholdLimits(const Household& household, const Limits& limits = DefaultLimits());

// The number of characters of UTF-8 text (bytes that do not continue a character), also for
// invalid UTF-8, where it is the number of lead and stray bytes.
int64_t CharacterCount(std::string_view text);

}  // namespace ix::core

#endif  // IX_CORE_LIMITS_HPP
