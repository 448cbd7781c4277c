#include <ix/core/definition.hpp>

#include <ix/core/forms/logic.hpp>
#include <ix/core/language.hpp>
#include <ix/core/pattern.hpp>

#include <set>

namespace ix::core {

DefinitionCatalog::DefinitionCatalog(std::vector<Definition> definitions)
    : definitions_(std::move(definitions)) {}

const Definition* DefinitionCatalog::Find(const InstrumentRef& ref) const {
  for (const Definition& d : definitions_) {
    if (d.id == ref.instrument_id && d.version == ref.version) return &d;
  }
  return nullptr;
}

std::vector<std::string> DefinitionCatalog::VersionsOf(const std::string& instrument_id) const {
  std::vector<std::string> versions;
  for (const Definition& d : definitions_) {
    if (d.id == instrument_id) versions.push_back(d.version);
  }
  return versions;
}

ItemIndex IndexItems(const Definition& definition) {
  ItemIndex index;
  for (const Part& part : definition.parts) {
    for (const Section& section : part.sections) {
      for (const Item& item : section.items) index.emplace(item.id, ItemLocation{&item, part.number, &section});
    }
  }
  return index;
}

std::string ItemPath(int part, std::string_view section_id, std::string_view item_id) {
  return "parts[" + std::to_string(part) + "].sections[" + std::string(section_id) + "].items[" +
         std::string(item_id) + "]";
}

std::string ItemPath(const ItemLocation& location) {
  return ItemPath(location.part, location.section->id, location.item->id);
}

void ForEachText(const Definition& definition,
                 const std::function<void(const std::string& path, const LocalizedText& text)>& visit) {
  visit("title", definition.title);
  visit("notice", definition.notice);
  for (const Part& part : definition.parts) {
    const std::string part_path = "parts[" + std::to_string(part.number) + "]";
    visit(part_path + ".title", part.title);
    for (const Section& section : part.sections) {
      visit(part_path + ".sections[" + section.id + "].title", section.title);
      for (const Item& item : section.items) {
        const std::string path = ItemPath(part.number, section.id, item.id);
        visit(path + ".label", item.label);
        visit(path + ".help", item.help);
        for (const ChoiceOption& option : item.options) visit(path + ".options[" + option.code + "].label", option.label);
        for (size_t k = 0; k < item.constraints.size(); ++k) {
          visit(path + ".constraints[" + std::to_string(k) + "].message", item.constraints[k].message);
        }
      }
    }
  }
  for (size_t i = 0; i < definition.migrations.size(); ++i) {
    const Migration& m = definition.migrations[i];
    for (size_t r = 0; r < m.rules.size(); ++r) {
      visit("migrations[" + std::to_string(i) + "].rules[" + std::to_string(r) + "].reason", m.rules[r].reason);
    }
  }
}

std::vector<std::string> DefinitionLanguages(const Definition& definition) {
  if (definition.languages.empty()) return {"sv", "en"};
  std::vector<std::string> out;
  for (const std::string& text : definition.languages) {
    if (const auto tag = ParseLanguageTag(text)) out.push_back(tag->tag);
  }
  return out;
}

std::vector<Problem> CheckDefinition(const Definition& definition, const Limits& limits) {
  std::vector<Problem> problems = CheckDefinitionLimits(definition, limits);
  if (!problems.empty()) return problems;
  auto add = [&](std::string path, std::string item_id, int part, std::string en) {
    Problem p;
    p.code = "invalid_definition";
    p.path = std::move(path);
    p.item_id = std::move(item_id);
    p.part = part;
    p.message = {"Fel i definitionen: " + en, "Definition error: " + en};
    problems.push_back(std::move(p));
  };
  if (definition.id.empty()) add("id", "", 0, "id is empty");
  if (definition.version.empty()) add("version", "", 0, "version is empty");
  // Languages: an empty list is the sv and en of definitions written before other languages.
  CheckLanguageList(definition.languages, definition.language_notes, !definition.languages.empty(), "languages", problems);
  const std::vector<std::string> languages = DefinitionLanguages(definition);
  ForEachText(definition, [&](const std::string& path, const LocalizedText& text) {
    CheckText(text, languages, path, problems);
  });
  std::set<std::string> item_ids;
  std::set<int> part_numbers;
  for (const Part& part : definition.parts) {
    const std::string part_path = "parts[" + std::to_string(part.number) + "]";
    if (part.number < 1 || part.number > 4) add(part_path, "", part.number, "part number must be 1-4");
    if (!part_numbers.insert(part.number).second) add(part_path, "", part.number, "part number repeated");
    for (const Section& section : part.sections) {
      for (const Item& item : section.items) {
        const std::string path = ItemPath(part.number, section.id, item.id);
        if (item.id.empty()) add(path, item.id, part.number, "item id is empty");
        if (!item_ids.insert(item.id).second) add(path, item.id, part.number, "item id '" + item.id + "' repeated");
        if (item.type == ItemType::kUnspecified) add(path, item.id, part.number, "item type missing");
        if (item.scope == ItemScope::kUnspecified) add(path, item.id, part.number, "item scope missing");
        const bool choice = item.type == ItemType::kSingleChoice || item.type == ItemType::kMultipleChoice;
        if (choice && item.options.empty()) add(path, item.id, part.number, "choice item without options");
        std::set<std::string> codes;
        for (const ChoiceOption& option : item.options) {
          if (!codes.insert(option.code).second) add(path, item.id, part.number, "option code '" + option.code + "' repeated");
        }
        if (item.min && item.max && *item.min > *item.max) add(path, item.id, part.number, "min is greater than max");
        if (item.type == ItemType::kRating && (!item.min || !item.max)) add(path, item.id, part.number, "rating item needs min and max");
        if (item.is_calculated() && item.scope == ItemScope::kAdult &&
            (item.calculated.kind == CalculationKind::kCountAdults ||
             item.calculated.kind == CalculationKind::kCountChildren)) {
          add(path, item.id, part.number, "a count of persons is a household item");
        }
      }
    }
  }
  // One index for the logic and every migration: O(items log items), not per migration.
  const ItemIndex items = IndexItems(definition);
  for (Problem& p : forms::LogicProblems(definition, items, limits)) problems.push_back(std::move(p));
  std::set<std::string> from_versions;
  for (size_t i = 0; i < definition.migrations.size(); ++i) {
    const Migration& m = definition.migrations[i];
    const std::string path = "migrations[" + std::to_string(i) + "]";
    if (m.from_version.empty()) add(path, "", 0, "migration without from_version");
    if (m.from_version == definition.version) add(path, "", 0, "migration from the definition's own version");
    if (!from_versions.insert(m.from_version).second) add(path, "", 0, "two migrations from " + m.from_version);
    for (const MigrationRule& rule : m.rules) {
      const std::string rule_path = path + ".rules[" + rule.from_item + "]";
      if (rule.from_item.empty()) add(rule_path, "", 0, "rule without from_item");
      if (rule.action == MigrationAction::kUnspecified) add(rule_path, rule.from_item, 0, "rule without action");
      if (rule.action == MigrationAction::kRemove && !rule.targets.empty()) add(rule_path, rule.from_item, 0, "a removal has no targets");
      if (rule.action != MigrationAction::kRemove && rule.targets.empty()) add(rule_path, rule.from_item, 0, "rule without targets");
      for (const MigrationTarget& t : rule.targets) {
        if (!items.count(t.item_id)) add(rule_path, rule.from_item, 0, "target '" + t.item_id + "' is not an item of this definition");
      }
    }
  }
  return problems;
}

std::vector<Problem> PrepareDefinition(Definition& definition, const Limits& limits) {
  if (std::vector<Problem> refused = CheckDefinitionLimits(definition, limits); !refused.empty()) return refused;
  for (Part& part : definition.parts) {
    for (Section& section : part.sections) {
      for (Item& item : section.items) {
        for (Constraint& c : item.constraints) {
          // A pattern that does not compile stays without one: CheckDefinition reports it.
          if (c.kind == ConstraintKind::kPattern) c.compiled = Pattern::Compile(c.pattern, limits, nullptr);
        }
      }
    }
  }
  return CheckDefinition(definition, limits);
}

}  // namespace ix::core
