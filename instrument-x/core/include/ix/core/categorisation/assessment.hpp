// Assessments and who governs. For each adult and occasion there are up to three views: the
// computed suggestion, the caseworker's assessment and the client's self-assessment. The
// municipality profile says which person's view governs; the effective category is the
// governing assessment, else (by the rule set's fallback, a choice: docs/rules.md) the other
// person's or none — never the suggestion alone.
#ifndef IX_CORE_CATEGORISATION_ASSESSMENT_HPP
#define IX_CORE_CATEGORISATION_ASSESSMENT_HPP

#include <ix/core/categorisation/category.hpp>
#include <ix/core/model.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
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

// What an assessment records beside the categories, for the indicators (statistics only):
// which parts of the form were completed and the six AM ratings the form gave.
inline constexpr int kFormPartCount = 4;     // 1 right to assistance … 4 follow-up
inline constexpr int kAmRatingCount = 6;
inline constexpr int kMaxAmRating = 9;       // one digit in the event store; 0: not rated
using AmRatings = std::array<int, kAmRatingCount>;
// The AM variables in AmRatings order: "education", "swedish", "work_experience", "health",
// "motivation", "job_seeking" (the shipped rule set's variable names).
const std::array<std::string_view, kAmRatingCount>& AmRatingVariables();
// The index of `variable` in AmRatings, or -1.
int AmRatingIndex(std::string_view variable);

struct AssessmentFacts {
  std::optional<std::vector<int>> parts_completed;  // nullopt: not recorded
  std::optional<AmRatings> am_ratings;              // nullopt: not recorded
};

// The first problem with recorded facts, with its field under `path` ("<path>.form_parts.completed[i]",
// "<path>.am_ratings.<variable>") and a message naming the limit; nullopt when they are fine.
std::optional<Problem> CheckAssessmentFacts(const AssessmentFacts& facts, const std::string& path);

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
