// Answering part by part: applying answer edits with an append-only change trail, keeping
// calculated values current, and moving parts through not started → in progress → completed
// → amended. Pure functions: the caller passes who records the change and when.
#ifndef IX_CORE_FORMS_EDIT_HPP
#define IX_CORE_FORMS_EDIT_HPP

#include <ix/core/definition.hpp>
#include <ix/core/model.hpp>
#include <ix/core/validate.hpp>

#include <string>
#include <vector>

namespace ix::core {

// Who records a change, and when (RFC 3339 UTC, supplied by the caller: the core has no clock).
struct Recorder {
  std::string actor;  // a user id, never a name or personnummer
  std::string at;
  Respondent answered_by = Respondent::kUnspecified;
  Interpreter interpreter{};
};

namespace forms {

struct AnswerEdit {
  enum class Kind { kValue, kText, kClear };
  std::string item_id;
  std::string person_ref;
  Kind kind = Kind::kValue;
  AnswerValue value{};  // kValue
  std::string text{};   // kText: parsed by the item's type
};

struct EditOptions {
  bool amend = false;  // changing a completed part: an amendment, needs a reason
  std::string reason;
};

struct EditResult {
  bool ok = false;
  // Why the edits were refused (nothing was applied): paths "edits[i].<field>".
  std::vector<Problem> rejected;
  Response response;
};

// Applies every edit or none. Refused: unknown item or person, household/adult mismatch, a
// value of the wrong kind or that does not parse, a calculated item, a completed part without
// `amend`, `amend` without a reason or on a part that is not completed, an amendment that
// would leave the completed part with errors. Drafts may otherwise hold errors (reported by
// Validate). Appends one trail entry per changed answer, and per calculated value that follows.
EditResult ApplyEdits(const Definition& definition, const Response& response,
                      const std::vector<AnswerEdit>& edits, const Recorder& recorder,
                      const EditOptions& options, const ValidationContext& context);

struct PartStatusResult {
  bool accepted = false;
  std::vector<Problem> blocking;  // the errors that keep the part from being completed
  Response response;
};

// COMPLETED: only when the part has no errors (part 1 also counts the household's). Reopening
// (IN_PROGRESS) a completed part needs a reason. Other target states are refused.
PartStatusResult SetPartState(const Definition& definition, const Response& response, int part,
                              PartState target, const Recorder& recorder,
                              const std::string& reason, const ValidationContext& context);

// The state of a part (NOT_STARTED when the response has no status for it).
PartState StateOf(const Response& response, int part);

// Errors that block completing `part`.
std::vector<Problem> BlockingProblems(const std::vector<Problem>& problems, int part);

}  // namespace forms
}  // namespace ix::core

#endif  // IX_CORE_FORMS_EDIT_HPP
