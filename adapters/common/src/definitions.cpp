#include <ix/adapters/definitions.hpp>

namespace ix::adapters {

const v1::Definition* FindDefinition(std::span<const v1::Definition> definitions,
                                     std::string_view id, std::string_view version) {
  for (const auto& definition : definitions) {
    if (definition.id() == id && definition.version() == version) return &definition;
  }
  return nullptr;
}

const v1::Item* FindItem(const v1::Definition& definition, std::string_view item_id,
                         int* part_number) {
  for (const auto& part : definition.parts()) {
    for (const auto& section : part.sections()) {
      for (const auto& item : section.items()) {
        if (item.id() == item_id) {
          if (part_number != nullptr) *part_number = part.number();
          return &item;
        }
      }
    }
  }
  return nullptr;
}

std::string_view ItemTypeName(v1::ItemType type) {
  switch (type) {
    case v1::ITEM_TYPE_BOOLEAN: return "boolean";
    case v1::ITEM_TYPE_SINGLE_CHOICE: return "single_choice";
    case v1::ITEM_TYPE_MULTIPLE_CHOICE: return "multiple_choice";
    case v1::ITEM_TYPE_INTEGER: return "integer";
    case v1::ITEM_TYPE_DECIMAL: return "decimal";
    case v1::ITEM_TYPE_MONEY: return "money";
    case v1::ITEM_TYPE_DATE: return "date";
    case v1::ITEM_TYPE_TEXT: return "text";
    case v1::ITEM_TYPE_PERSONNUMMER: return "personnummer";
    case v1::ITEM_TYPE_RATING: return "rating";
    default: return "unspecified";
  }
}

}  // namespace ix::adapters
