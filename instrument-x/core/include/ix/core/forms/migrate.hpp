// Explicit migration of a response from one definition version to another. The rules are data
// held by the newer definition (Definition::migrations); items with the same id and type are
// carried unless a rule names them. Every old answer gets one report entry: carried,
// transformed or not carried (with the reason). Nothing disappears silently.
#ifndef IX_CORE_FORMS_MIGRATE_HPP
#define IX_CORE_FORMS_MIGRATE_HPP

#include <ix/core/definition.hpp>
#include <ix/core/forms/edit.hpp>
#include <ix/core/model.hpp>
#include <ix/core/validate.hpp>

#include <string>
#include <vector>

namespace ix::core::forms {

enum class MigrationOutcome { kCarried, kTransformed, kNotCarried };

struct MigratedAnswer {
  std::string item_id;
  std::string person_ref;
  AnswerValue old_value;
  MigrationOutcome outcome = MigrationOutcome::kNotCarried;
  std::vector<Answer> new_answers;
  LocalizedText reason;
};

struct MigrationReport {
  InstrumentRef from;
  InstrumentRef to;
  std::vector<MigratedAnswer> answers;  // one per answer of the old response, in its order
  std::vector<std::string> new_item_ids;
  std::vector<Problem> problems;        // validation of the migrated response
  std::vector<PartStatus> part_status;  // after migration
};

struct MigrationResult {
  bool ok = false;
  LocalizedText error;  // when !ok: e.g. no migration from the response's version
  Response response;
  MigrationReport report;
};

// `from` must be the definition the response is pinned to, `to` a newer version of the same
// instrument holding a Migration from `from.version`. Completed parts stay completed only
// when they have no errors under the new version (else back to in progress, reported).
MigrationResult Migrate(const Definition& from, const Definition& to, const Response& response,
                        const Recorder& recorder, const ValidationContext& context);

const char* MigrationOutcomeName(MigrationOutcome outcome);

}  // namespace ix::core::forms

#endif  // IX_CORE_FORMS_MIGRATE_HPP
