// Lifecare FamilyCare v1 adapter: a household's canonical Case <-> an export of Lifecare's own
// DTOs (the published Swagger's definitions), as one JSON document:
//
//   { "Persons":          [PersonBasedPersonDTO …],      every person of the household
//     "Investigation":    PersonBasedInvestigationDTO,    applicant, co-applicant, persons
//     "Decisions":        [PersonBasedDecisionDTO …],     Reason = försörjningshinder
//     "Documents":        [PersonBasedDocumentDTO …],     the aktanteckning (summary note)
//     "DocumentContents": [PdfDTO …] }                    its text, base64 (UTF-8 text/plain)
//
// What Lifecare's model has no place for is listed in the TranslationReport. Persons with
// ProtectedRegistration or AddressProtection (canonical protected_identity): no address or
// contact field is written or read, in either direction (reported as withheld, by field).
#ifndef IX_ADAPTERS_LIFECARE_LIFECARE_HPP
#define IX_ADAPTERS_LIFECARE_LIFECARE_HPP

#include <ix/adapters/vendor_json.hpp>
#include <ix/base/status.hpp>

#include "ix/v1/adapters.pb.h"
#include "ix/v1/categorisation.pb.h"

#include <string>
#include <vector>

namespace ix::adapters::lifecare {

// The mapping's data (mapping/lifecare-familycare-v1.json).
struct Mapping {
  std::string source;
  std::vector<std::string> protection_flags;
  std::string secret_phone_flag;
  std::vector<std::string> address_fields;
  std::vector<std::string> contact_fields;
  std::vector<std::pair<std::string, std::string>> contact_items;  // Lifecare field, item id
  std::string investigation_type;
  std::string dossier_type;
  int adult_from_age = 18;
  std::string decision_type;
  std::string document_type;
  std::string owner_type;
  std::string document_title;
  std::string document_description;
};

// The mapping built into the adapter, and one read from text (errors name the field).
const Mapping& DefaultMapping();
Result<Mapping> ParseMapping(std::string_view json, std::string_view source);

struct ToLifecareOptions {
  v1::VendorLinks links;  // Lifecare's CustomerNumbers and investigation id, when known
};

struct Exported {
  Json document;
  v1::TranslationReport report;
};

// Errors: a person without personnummer, a försörjningshinder code not in `table`.
Result<Exported> ToLifecare(const v1::Case& household_case, const v1::ForsorjningshinderTable& table,
                            const ToLifecareOptions& options = {}, const Mapping& mapping = DefaultMapping());

struct FromLifecareOptions {
  std::string municipality_code;  // of the system the export comes from (not in the DTOs)
  std::string household_ref;      // empty: "lifecare-investigation-<Id>"
  v1::VendorLinks links;          // CustomerNumber -> person_ref of earlier imports
};

struct Imported {
  v1::Case household_case;  // household, caseworker, unit, first visit, försörjningshinder
  std::vector<std::string> notes;  // text of the summary notes, in document order
  v1::VendorLinks links;
  v1::TranslationReport report;
};

// Errors name the DTO path (e.g. "Decisions[0].Reason: unknown försörjningshinder").
Result<Imported> FromLifecare(const Json& document, const v1::ForsorjningshinderTable& table,
                              const FromLifecareOptions& options, const Mapping& mapping = DefaultMapping());

// The summary note (aktanteckning) for a case, in Swedish: effective needs categories,
// försörjningshinder and plan dates per adult, by role (never a personnummer or a name).
std::string SummaryNote(const v1::Case& household_case, const v1::ForsorjningshinderTable& table);

}  // namespace ix::adapters::lifecare

#endif  // IX_ADAPTERS_LIFECARE_LIFECARE_HPP
