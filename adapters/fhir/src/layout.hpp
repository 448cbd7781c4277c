// The shared vocabulary of the FHIR layout (fhir.hpp): linkIds of the structural groups,
// codes of the person fields and the value[x] element for each item type.
#ifndef IX_ADAPTERS_FHIR_LAYOUT_HPP
#define IX_ADAPTERS_FHIR_LAYOUT_HPP

#include <ix/adapters/fhir/fhir.hpp>

#include "ix/v1/household.pb.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ix::adapters::fhir::layout {

inline constexpr std::string_view kHousehold = "household";
inline constexpr std::string_view kHouseholdRef = "household.ref";
inline constexpr std::string_view kMunicipality = "household.municipality_code";
inline constexpr std::string_view kPerson = "household.person";
inline constexpr std::string_view kPersonRef = "household.person.ref";
inline constexpr std::string_view kPersonnummer = "household.person.personnummer";
inline constexpr std::string_view kSex = "household.person.sex";
inline constexpr std::string_view kBirthDate = "household.person.birth_date";
inline constexpr std::string_view kRole = "household.person.role";
inline constexpr std::string_view kProtected = "household.person.protected_identity";
inline constexpr std::string_view kAdult = "adult";
inline constexpr std::string_view kAdultPersonRef = "adult.person_ref";

inline constexpr std::string_view kIso4217 = "urn:iso:std:iso:4217";

// Letters and digits of `id`, each run capitalised: "instrument-x" -> "InstrumentX",
// "person.sick" -> "PersonSick" (names FHIR and FHIRPath read as one identifier).
std::string UpperCamel(std::string_view id);

// Group linkIds: "household.part-1", "adult.part-2", "household.economy", "adult.education".
std::string PartGroup(std::string_view scope, int part_number);
std::string SectionGroup(std::string_view scope, std::string_view section_id);

// The CodeSystem of an item's option codes: <base>/CodeSystem/<item id>.
std::string CodeSystem(const Options& options, std::string_view item_id);
std::string PersonCodeSystem(const Options& options, std::string_view field);  // sex, role

std::string_view SexCode(v1::Sex sex);  // "female", "male", "other"; "" when unspecified
std::optional<v1::Sex> SexFromCode(std::string_view code);
std::string_view RoleCode(v1::HouseholdRole role);  // "registerledare", "medsokande", …
std::optional<v1::HouseholdRole> RoleFromCode(std::string_view code);

// Questionnaire.item.type for a definition item.
std::string_view QuestionnaireType(const v1::Item& item);
// "valueBoolean", "valueCoding", … for a definition item's answers.
std::string_view AnswerElement(v1::ItemType type);
// Rating items with both bounds are choice items whose options are the integers.
bool RatingAsChoice(const v1::Item& item);

// The text in the chosen language; the other language when missing; else empty.
std::string Text(const v1::LocalizedText& text, const Options& options);

// ore -> kronor as a JSON number with at most two decimals, and back (exact, or nullopt).
Json KronorFromOre(long long ore);
std::optional<long long> OreFromKronor(const Json& value);

// An option code of a choice item as a Coding (system, code, display in the chosen language).
Json ChoiceCoding(const v1::Item& item, const std::string& code, const Options& options);

// A full date "YYYY-MM-DD" that is a real day (core's rule, no pattern matching): what a
// valueDate must hold, both ways.
bool IsDate(std::string_view text);

// A canonical answer value as the FHIR answer list of `item`: one value[x] (element name +
// value), or one valueCoding per code of a multiple-choice item (empty: nothing chosen). Only
// what ResponseFromFhir reads back is written: a value of another type, a code that is not an
// option, a date that is not a real day, a number FHIR cannot carry exactly is an error naming
// `path` (the answer's value, e.g. "answers[3].value") and the item, never quoting the value.
Result<Json> ToFhirAnswers(const v1::AnswerValue& value, const v1::Item& item, const Options& options,
                           const std::string& path);

// The part groups of one scope (household or adult items), sections nested in parts, both
// resources' shape: `item` turns an item into its entry (nullopt: left out), `group` makes a
// group entry; parts and sections without entries are left out.
using ItemFn = std::function<Result<std::optional<Json>>(const v1::Item&)>;
using GroupFn = std::function<Json(const std::string& link_id, std::string text, Json items)>;
Result<Json> ScopeGroups(const v1::Definition& definition, v1::ItemScope scope, std::string_view prefix,
                         const Options& options, const GroupFn& group, const ItemFn& item);

}  // namespace ix::adapters::fhir::layout

#endif  // IX_ADAPTERS_FHIR_LAYOUT_HPP
