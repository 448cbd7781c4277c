// Försörjningshinder (obstacle to self-support): the code Socialstyrelsen's national
// registration asks for per adult at every application. Suggested from part 1 by a data table
// of rules keyed on item ids and option codes (instrument-x/definitions/catalogues/), so new
// occupation items need only data. The caseworker's choice governs; this only suggests.
#ifndef IX_CORE_FORSORJNINGSHINDER_FORSORJNINGSHINDER_HPP
#define IX_CORE_FORSORJNINGSHINDER_FORSORJNINGSHINDER_HPP

#include <ix/core/model.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ix::core {

struct AnswerCondition {
  std::string item_id;
  std::vector<std::string> any_of_codes;  // a single-choice answer is one of these
  std::optional<bool> boolean;            // a boolean answer equals this
  bool unanswered = false;                // the item has no answer
};

struct ForsorjningshinderRule {
  std::vector<AnswerCondition> all;
  std::optional<int> min_age;
  std::optional<int> max_age;
  std::string code;
};

struct ForsorjningshinderCategory {
  std::string code;
  LocalizedText label;
  std::string main_category;
};

struct ForsorjningshinderTable {
  std::string id;
  std::string version;
  std::string source;
  std::vector<ForsorjningshinderCategory> categories;
  std::vector<ForsorjningshinderRule> rules;  // first match wins
  std::string fallback_code;                  // empty: no suggestion, the caseworker chooses
};

// Structural checks: every rule's code is a category, conditions name an item. Each problem's
// path names the field of the table.
std::vector<Problem> CheckForsorjningshinderTable(const ForsorjningshinderTable& table);

const ForsorjningshinderCategory* FindForsorjningshinderCategory(const ForsorjningshinderTable& table,
                                                                 const std::string& code);

struct ForsorjningshinderSuggestion {
  std::string person_ref;
  std::string code;  // empty: no rule matched and no fallback
  LocalizedText label;
  int rule_index = -1;  // -1: fallback / none
  LocalizedText reason;
};

// One suggestion per adult, in household order. Ages are taken on `as_of` from the person's
// birth date (or, when absent, the personnummer).
std::vector<ForsorjningshinderSuggestion> SuggestForsorjningshinder(const ForsorjningshinderTable& table,
                                                                    const Response& response, const Date& as_of);

}  // namespace ix::core

#endif  // IX_CORE_FORSORJNINGSHINDER_FORSORJNINGSHINDER_HPP
