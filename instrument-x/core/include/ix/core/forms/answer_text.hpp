// Answer values as people type and read them: "ja"/"yes", "12 500,50" kr, "2025-03-01",
// "alcohol,gambling". Parsing is by the item's type; errors say what was expected, in both
// languages, without echoing personal data.
#ifndef IX_CORE_FORMS_ANSWER_TEXT_HPP
#define IX_CORE_FORMS_ANSWER_TEXT_HPP

#include <ix/core/definition.hpp>
#include <ix/core/model.hpp>

#include <string>
#include <string_view>

namespace ix::core::forms {

struct ParsedAnswer {
  AnswerValue value;       // monostate on error
  LocalizedText error;     // set when value is monostate
  bool ok() const { return !std::holds_alternative<std::monostate>(value); }
};

// Parses `text` as a value of `item`'s type:
//   boolean: yes/no, ja/nej, true/false, 1/0 · single choice: a code · multiple choice:
//   codes separated by ',' · integer/rating: digits · decimal: "12.5" or "12,5" · money:
//   kronor with up to two decimals ("12500", "12 500,50", "12500.5") → öre, exact ·
//   date: YYYY-MM-DD · personnummer, text: as given.
ParsedAnswer ParseAnswerText(const Item& item, std::string_view text);

// A value for people: codes with their labels, money as "12 500,50 kr", booleans ja/nej.
// `item` may be null (codes are then shown as they are). `language` is "sv" or "en".
std::string FormatAnswerValue(const AnswerValue& value, const Item* item,
                              std::string_view language);

// The kind name of a value ("boolean", "code", …, "none").
const char* ValueKindName(const AnswerValue& value);
// The value kind an item type expects.
const char* ItemTypeName(ItemType type);
// True when the value's kind is the one the item type expects.
bool ValueMatchesType(ItemType type, const AnswerValue& value);

// Counts code points; -1 for invalid UTF-8 (overlongs, surrogates, truncation).
int64_t Utf8Length(std::string_view text);
// "[-+]digits[(.|,)digits]".
bool IsDecimalText(std::string_view text);

}  // namespace ix::core::forms

#endif  // IX_CORE_FORMS_ANSWER_TEXT_HPP
