// Looking up instrument definitions and items (the adapters get the definitions from the
// plugin's describe call, never from their own copy).
#ifndef IX_ADAPTERS_DEFINITIONS_HPP
#define IX_ADAPTERS_DEFINITIONS_HPP

#include <ix/base/status.hpp>

#include "ix/v1/definition.pb.h"

#include <span>
#include <string_view>

namespace ix::adapters {

const v1::Definition* FindDefinition(std::span<const v1::Definition> definitions,
                                     std::string_view id, std::string_view version);
// The item and the part it belongs to (nullptr when the definition has no such item).
const v1::Item* FindItem(const v1::Definition& definition, std::string_view item_id,
                         int* part_number = nullptr);

// "rating", "single_choice", … for messages.
std::string_view ItemTypeName(v1::ItemType type);

}  // namespace ix::adapters

#endif  // IX_ADAPTERS_DEFINITIONS_HPP
