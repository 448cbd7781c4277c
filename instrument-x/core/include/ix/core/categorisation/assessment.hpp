// Assessments and who governs. For each adult and occasion there are up to three views: the
// computed suggestion, the caseworker's assessment and the client's self-assessment. The
// municipality profile says which person's view governs; the effective category is the
// governing assessment, else (by the rule set's fallback, a choice: docs/rules.md) the other
// person's or none — never the suggestion alone.
#ifndef IX_CORE_CATEGORISATION_ASSESSMENT_HPP
#define IX_CORE_CATEGORISATION_ASSESSMENT_HPP

#include <ix/core/categorisation/category.hpp>
#include <ix/core/model.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ix::core {

enum class GoverningPolicy { kCaseworker, kClient };

// When the governing person has not assessed. No source says; the rule set states it.
enum class GoverningFallback {
  kUnstated,   // refused by CheckRuleSet
  kOtherView,  // the other person's assessment is effective, and the lines say it is a fallback
  kNone,       // nothing is effective until the governing person assesses
};

struct Assessment {
  AssessmentView view = AssessmentView::kUnspecified;
  Category category;
  std::string reasoning;    // free text; never logged
  std::string assessed_by;
  std::optional<Date> assessed_on;
};

struct Governed {
  std::optional<Category> effective;
  AssessmentView governing_view = AssessmentView::kUnspecified;
  bool fallback_used = false;                  // the governing view was missing; `fallback` decided
  bool discrepancy = false;                    // caseworker and client differ
  std::vector<std::string> discrepancy_fields; // "am_level", "r_kinds"
  std::vector<LocalizedText> lines;            // why, readable
};

// Applies the policy, and `fallback` when the governing person has not assessed. `suggestion` is
// only compared with the result, never made effective.
Governed Govern(const std::optional<Assessment>& caseworker, const std::optional<Assessment>& client,
                GoverningPolicy policy, GoverningFallback fallback, const std::optional<Category>& suggestion);

}  // namespace ix::core

#endif  // IX_CORE_CATEGORISATION_ASSESSMENT_HPP
