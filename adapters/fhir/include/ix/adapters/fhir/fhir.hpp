// HL7 FHIR R4 adapter: Instrument X definitions as Questionnaire resources, responses as
// QuestionnaireResponse resources, both directions.
//
// Layout (the same in both resources, docs/adapters.md): one QuestionnaireResponse per
// household (not one per adult), because household items (economy, housing, children) are
// answered once and the enable-when logic of adult items refers to them.
//   household                      group
//     household.ref, household.municipality_code
//     household.person             group, repeats: one per person (ref, personnummer, sex,
//                                  birth date, role, protected identity)
//     household.part-N             group per part with household items
//       household.<section id>     group per section; items keep the definition's item id
//   adult                          group, repeats: one per adult
//     adult.person_ref             which person the answers are about
//     adult.part-N / adult.<section id> / <item id>
// linkIds of items are the definition's item ids, so enableWhen.question names them directly.
#ifndef IX_ADAPTERS_FHIR_FHIR_HPP
#define IX_ADAPTERS_FHIR_FHIR_HPP

#include <ix/adapters/vendor_json.hpp>
#include <ix/adapters/protected_identity.hpp>
#include <ix/base/status.hpp>

#include "ix/v1/adapters.pb.h"
#include "ix/v1/definition.pb.h"
#include "ix/v1/response.pb.h"

#include <span>
#include <string>
#include <vector>

namespace ix::adapters::fhir {

struct Options {
  std::string language = "sv";  // text of items, options and groups ("sv" or "en")
  // Canonical base: Questionnaire.url is <base>/Questionnaire/<definition id>.
  std::string canonical_base = "https://instrument-x.se/fhir";
  // Export: the other snapshots of the case the response belongs to (ProtectedIdentity::OfCase),
  // so a person protected in any of them has no contact data in the document.
  ProtectedIdentity protection;
};

struct Translated {
  Json resource;
  v1::TranslationReport report;
};

std::string QuestionnaireUrl(const Options& options, const std::string& definition_id);

// The Questionnaire for one definition. The report lists logic FHIR R4 cannot express
// (required-when, constraints, calculations) per item.
Translated QuestionnaireFromDefinition(const v1::Definition& definition, const Options& options);

// The household's QuestionnaireResponse. Errors: the response is not pinned to `definition`,
// an answer names an unknown item or person, a value does not fit the item's type.
Result<Translated> ResponseToFhir(const v1::InstrumentResponse& response,
                                  const v1::Definition& definition, const Options& options);

struct Imported {
  v1::InstrumentResponse response;
  v1::TranslationReport report;
};

// Reads a QuestionnaireResponse produced by any system that follows the layout. The
// questionnaire canonical "<url>|<version>" picks the definition. Errors name the JSON path
// (QuestionnaireResponse.item[1].item[0].answer[0]) and what is wrong.
Result<Imported> ResponseFromFhir(const Json& resource, std::span<const v1::Definition> definitions,
                                  const Options& options);

// A new assessment prefilled from the previous one (as SDC's $populate fills a form from what
// is known): the household as it was, and every answer that still fits `target` — an item of
// the same id, a value of its type that is still one of its options — for a person still in the
// household. Not carried, each with why in the report: calculated values (computed again from the
// new answers), answers to items `target` no longer has or whose value no longer fits, answers
// about persons who are not adults of the household, part states, the change trail and the
// timestamps (the new assessment starts now). Across definition versions, the plugin's migration
// rules apply first (`ixctl migrate`); prefill itself never maps a value.
struct Prefilled {
  v1::InstrumentResponse response;   // pinned to `target`, no part states, no trail
  Json resource;                     // its QuestionnaireResponse (status in-progress)
  std::vector<std::string> carried;  // "answers[<person or household>/<item>]" in order
  v1::TranslationReport report;      // what was not carried, by path, never by value
};
Result<Prefilled> PrefillFromPrevious(const v1::InstrumentResponse& previous, const v1::Definition& target,
                                      const std::string& response_ref, const Options& options);

}  // namespace ix::adapters::fhir

#endif  // IX_ADAPTERS_FHIR_FHIR_HPP
