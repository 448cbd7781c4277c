// Instrument definitions as plain data, and the catalogue of definitions a plugin carries.
#ifndef IX_CORE_DEFINITION_HPP
#define IX_CORE_DEFINITION_HPP

#include <ix/core/limits.hpp>
#include <ix/core/model.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ix::core {

class Pattern;

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

// --- Logic (see proto/ix/v1/definition.proto for the semantics) ---------------------------
enum class ConditionOperator {
  kUnspecified,
  kAnswered,
  kNotAnswered,
  kEquals,
  kNotEquals,
  kGreater,
  kGreaterOrEqual,
  kLess,
  kLessOrEqual,
  kIn,
  kContainsAny,
};

struct Condition {
  std::string item_id;
  ConditionOperator op = ConditionOperator::kUnspecified;
  AnswerValue value;
  std::vector<std::string> codes;
  std::string other_item_id;
};

struct ConditionGroup {
  bool any = false;  // false: all conditions must hold
  std::vector<Condition> conditions;
  bool empty() const { return conditions.empty(); }
};

enum class ConstraintKind {
  kUnspecified,
  kPattern,
  kNotInFuture,
  kNotBeforeBirth,
  kAgeBetween,
  kCompareItem,
  kExclusiveCodes,
};

struct Constraint {
  ConstraintKind kind = ConstraintKind::kUnspecified;
  std::string pattern;
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  ConditionOperator op = ConditionOperator::kUnspecified;
  std::string other_item_id;
  std::vector<std::string> codes;
  Severity severity = Severity::kError;
  LocalizedText message;
  ConditionGroup applies_when;
  // The compiled `pattern` (PrepareDefinition); validation compiles it itself when absent.
  std::shared_ptr<const Pattern> compiled{};
};

enum class CalculationKind { kNone, kSum, kAge, kCountChildren, kCountAdults };

struct Calculation {
  CalculationKind kind = CalculationKind::kNone;
  std::vector<std::string> item_ids;
};

// --- Migration rules, held by the newer definition -----------------------------------------
enum class MigrationAction { kUnspecified, kRename, kMapCodes, kSplit, kRemove };

struct ValueMapping {
  std::string from;  // old code, or "true"/"false"
  AnswerValue to;
};

struct MigrationTarget {
  std::string item_id;
  std::vector<ValueMapping> value_map;  // empty: copy unchanged
};

struct MigrationRule {
  std::string from_item;
  MigrationAction action = MigrationAction::kUnspecified;
  std::vector<MigrationTarget> targets;
  LocalizedText reason;
};

struct Migration {
  std::string from_version;
  std::vector<MigrationRule> rules;
};

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
  ConditionGroup enable_when{};
  ConditionGroup required_when{};
  std::vector<Constraint> constraints{};
  Calculation calculated{};

  bool is_calculated() const { return calculated.kind != CalculationKind::kNone; }
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
  std::vector<Migration> migrations{};
  std::vector<LanguageNote> language_notes{};

  InstrumentRef ref() const { return {id, version}; }
};

// Where an item lives in its definition.
struct ItemLocation {
  const Item* item = nullptr;
  int part = 0;
  const Section* section = nullptr;
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

using ItemIndex = std::map<std::string, ItemLocation, std::less<>>;

// Indexes one definition's items by id (pointers into the definition; keep it alive); the first
// of two items with one id wins. O(n log n), built once per definition or call.
ItemIndex IndexItems(const Definition& definition);

// Calls `visit(path, text)` for every text of the definition: title, notice, part and section
// titles, item labels and help, option labels, constraint messages, migration reasons.
void ForEachText(const Definition& definition,
                 const std::function<void(const std::string& path, const LocalizedText& text)>& visit);

// The definition's languages as canonical tags; an empty list (definitions written before
// languages other than sv and en existed) means sv and en. Tags that do not parse are left out
// (CheckDefinition reports them).
std::vector<std::string> DefinitionLanguages(const Definition& definition);

// The path of an item within its definition: "parts[1].sections[s].items[x]".
std::string ItemPath(int part, std::string_view section_id, std::string_view item_id);
std::string ItemPath(const ItemLocation& location);

// Checks of a definition itself. First its size against `limits` (CheckDefinitionLimits): when
// over a limit, only those problems (code kLimitExceeded) are returned and nothing else is
// looked at. Then its structure — ids present and unique, choice items with options, bounds
// consistent, parts numbered 1–4 — and its logic: conditions name known items, patterns compile
// (RE2, within the pattern limits), no cycles, and no dependency chain longer than
// limits.logic_depth (also kLimitExceeded). An empty result means the definition is usable.
// Near-linear in the definition's size: one index, an iterative walk of the dependency graph.
std::vector<Problem> CheckDefinition(const Definition& definition, const Limits& limits = DefaultLimits());

// What a host does with a definition it received: checks it (CheckDefinition) and, when it is
// within the limits, compiles every answer pattern once and keeps it in its constraint, so
// validation never compiles one per answer. Returns CheckDefinition's problems.
std::vector<Problem> PrepareDefinition(Definition& definition, const Limits& limits = DefaultLimits());

}  // namespace ix::core

#endif  // IX_CORE_DEFINITION_HPP
