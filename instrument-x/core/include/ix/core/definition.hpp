// Instrument definitions as plain data, and the catalogue of definitions a plugin carries.
#ifndef IX_CORE_DEFINITION_HPP
#define IX_CORE_DEFINITION_HPP

#include <ix/core/model.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ix::core {

enum class ItemType {
  kUnspecified,
  kBoolean,
  kSingleChoice,
  kMultipleChoice,
  kInteger,
  kDecimal,
  kMoney,
  kDate,
  kText,
  kPersonnummer,
  kRating,
};

enum class ItemScope { kUnspecified, kHousehold, kAdult };

struct ChoiceOption {
  std::string code;
  LocalizedText label;
};

struct Item {
  std::string id;
  ItemType type = ItemType::kUnspecified;
  ItemScope scope = ItemScope::kUnspecified;
  LocalizedText label;
  LocalizedText help;
  bool required = false;
  std::vector<ChoiceOption> options;
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  int32_t max_length = 0;
};

struct Section {
  std::string id;
  LocalizedText title;
  std::vector<Item> items;
};

struct Part {
  int number = 0;
  LocalizedText title;
  std::vector<Section> sections;
};

struct Definition {
  std::string id;
  std::string version;
  LocalizedText title;
  std::vector<std::string> languages;
  LocalizedText notice;
  std::vector<Part> parts;

  InstrumentRef ref() const { return {id, version}; }
};

// Where an item lives in its definition.
struct ItemLocation {
  const Item* item = nullptr;
  int part = 0;
};

// Definitions indexed for lookup. Immutable after construction, so safe to share between
// threads.
class DefinitionCatalog {
 public:
  DefinitionCatalog() = default;
  explicit DefinitionCatalog(std::vector<Definition> definitions);

  const std::vector<Definition>& definitions() const { return definitions_; }
  const Definition* Find(const InstrumentRef& ref) const;
  // The versions known for an instrument id (for "unknown version" messages).
  std::vector<std::string> VersionsOf(const std::string& instrument_id) const;

 private:
  std::vector<Definition> definitions_;
};

// Indexes one definition's items by id (pointers into the definition; keep it alive).
std::map<std::string, ItemLocation, std::less<>> IndexItems(const Definition& definition);

// Structural checks of a definition itself: ids present and unique, choice items with options,
// bounds consistent, parts numbered 1–4. An empty result means the definition is usable.
std::vector<Problem> CheckDefinition(const Definition& definition);

}  // namespace ix::core

#endif  // IX_CORE_DEFINITION_HPP
