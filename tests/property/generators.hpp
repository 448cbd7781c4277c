// RapidCheck generators for canonical responses, built from the shipped definitions' items
// (instrument-x/definitions/*.json): households of adults and children with valid, invalid and
// missing personnummer and dates, answers to real items (and some to unknown ones) with values
// of the item's type or of any other type, part statuses with any number and state.
#ifndef IX_TESTS_PROPERTY_GENERATORS_HPP
#define IX_TESTS_PROPERTY_GENERATORS_HPP

#include <rapidcheck.h>

#include "ix/v1/definition.pb.h"
#include "ix/v1/response.pb.h"

#include <string>
#include <vector>

namespace ix::property {

// Every shipped definition, read as ixctl reads a definition file (canonical JSON).
const std::vector<v1::Definition>& ShippedDefinitions();
// The items of a definition, in definition order.
std::vector<const v1::Item*> ItemsOf(const v1::Definition& definition);

// A value for `item`: of its type mostly (choice codes from its options, numbers around its
// bounds, dates valid and not), sometimes of another type or empty.
rc::Gen<v1::AnswerValue> GenValue(const v1::Item& item);
// A response pinned to `definition`.
rc::Gen<v1::InstrumentResponse> GenResponse(const v1::Definition& definition);

// Removes the person or answer `path` names ("household.persons[2].birth_date",
// "answers[5].value.codes.codes[1]"): how a writer's refusal is acted on to get further; false
// when it names no entry the response has.
bool RemoveNamedEntry(v1::InstrumentResponse* response, const std::string& path);

}  // namespace ix::property

#endif  // IX_TESTS_PROPERTY_GENERATORS_HPP
