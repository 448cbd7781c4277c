// definition.proto: instrument definitions (read only: the plugin never writes one).
#include "codec/codec.hpp"
#include "codec/enum_table.hpp"

namespace ix::plugin {
namespace {

using ix::plugin::FromProto;

const codec::EnumTable<core::ItemType, v1::ItemType> kItemType{
    core::ItemType::kUnspecified, v1::ITEM_TYPE_UNSPECIFIED,
    {{core::ItemType::kBoolean, v1::ITEM_TYPE_BOOLEAN},
     {core::ItemType::kSingleChoice, v1::ITEM_TYPE_SINGLE_CHOICE},
     {core::ItemType::kMultipleChoice, v1::ITEM_TYPE_MULTIPLE_CHOICE},
     {core::ItemType::kInteger, v1::ITEM_TYPE_INTEGER},
     {core::ItemType::kDecimal, v1::ITEM_TYPE_DECIMAL},
     {core::ItemType::kMoney, v1::ITEM_TYPE_MONEY},
     {core::ItemType::kDate, v1::ITEM_TYPE_DATE},
     {core::ItemType::kText, v1::ITEM_TYPE_TEXT},
     {core::ItemType::kPersonnummer, v1::ITEM_TYPE_PERSONNUMMER},
     {core::ItemType::kRating, v1::ITEM_TYPE_RATING}}};

const codec::EnumTable<core::ItemScope, v1::ItemScope> kItemScope{
    core::ItemScope::kUnspecified, v1::ITEM_SCOPE_UNSPECIFIED,
    {{core::ItemScope::kHousehold, v1::ITEM_SCOPE_HOUSEHOLD}, {core::ItemScope::kAdult, v1::ITEM_SCOPE_ADULT}}};

const codec::EnumTable<core::ConditionOperator, v1::ConditionOperator> kOperator{
    core::ConditionOperator::kUnspecified, v1::CONDITION_OPERATOR_UNSPECIFIED,
    {{core::ConditionOperator::kAnswered, v1::CONDITION_OPERATOR_ANSWERED},
     {core::ConditionOperator::kNotAnswered, v1::CONDITION_OPERATOR_NOT_ANSWERED},
     {core::ConditionOperator::kEquals, v1::CONDITION_OPERATOR_EQUALS},
     {core::ConditionOperator::kNotEquals, v1::CONDITION_OPERATOR_NOT_EQUALS},
     {core::ConditionOperator::kGreater, v1::CONDITION_OPERATOR_GREATER},
     {core::ConditionOperator::kGreaterOrEqual, v1::CONDITION_OPERATOR_GREATER_OR_EQUAL},
     {core::ConditionOperator::kLess, v1::CONDITION_OPERATOR_LESS},
     {core::ConditionOperator::kLessOrEqual, v1::CONDITION_OPERATOR_LESS_OR_EQUAL},
     {core::ConditionOperator::kIn, v1::CONDITION_OPERATOR_IN},
     {core::ConditionOperator::kContainsAny, v1::CONDITION_OPERATOR_CONTAINS_ANY}}};

const codec::EnumTable<core::ConstraintKind, v1::ConstraintKind> kConstraintKind{
    core::ConstraintKind::kUnspecified, v1::CONSTRAINT_KIND_UNSPECIFIED,
    {{core::ConstraintKind::kPattern, v1::CONSTRAINT_KIND_PATTERN},
     {core::ConstraintKind::kNotInFuture, v1::CONSTRAINT_KIND_NOT_IN_FUTURE},
     {core::ConstraintKind::kNotBeforeBirth, v1::CONSTRAINT_KIND_NOT_BEFORE_BIRTH},
     {core::ConstraintKind::kAgeBetween, v1::CONSTRAINT_KIND_AGE_BETWEEN},
     {core::ConstraintKind::kCompareItem, v1::CONSTRAINT_KIND_COMPARE_ITEM},
     {core::ConstraintKind::kExclusiveCodes, v1::CONSTRAINT_KIND_EXCLUSIVE_CODES}}};

const codec::EnumTable<core::CalculationKind, v1::CalculationKind> kCalculationKind{
    core::CalculationKind::kNone, v1::CALCULATION_KIND_UNSPECIFIED,
    {{core::CalculationKind::kSum, v1::CALCULATION_KIND_SUM},
     {core::CalculationKind::kAge, v1::CALCULATION_KIND_AGE},
     {core::CalculationKind::kCountChildren, v1::CALCULATION_KIND_COUNT_CHILDREN},
     {core::CalculationKind::kCountAdults, v1::CALCULATION_KIND_COUNT_ADULTS}}};

const codec::EnumTable<core::MigrationAction, v1::MigrationAction> kMigrationAction{
    core::MigrationAction::kUnspecified, v1::MIGRATION_ACTION_UNSPECIFIED,
    {{core::MigrationAction::kRename, v1::MIGRATION_ACTION_RENAME},
     {core::MigrationAction::kMapCodes, v1::MIGRATION_ACTION_MAP_CODES},
     {core::MigrationAction::kSplit, v1::MIGRATION_ACTION_SPLIT},
     {core::MigrationAction::kRemove, v1::MIGRATION_ACTION_REMOVE}}};

core::ConditionGroup FromProto(const v1::ConditionGroup& in) {
  core::ConditionGroup out;
  out.any = in.logic() == v1::CONDITION_LOGIC_ANY;
  for (const v1::Condition& c : in.conditions()) {
    out.conditions.push_back({c.item_id(), kOperator.FromWire(c.operator_()), FromProto(c.value()),
                              {c.codes().begin(), c.codes().end()}, c.other_item_id()});
  }
  return out;
}

core::Constraint FromProto(const v1::Constraint& in) {
  core::Constraint out;
  out.kind = kConstraintKind.FromWire(in.kind());
  out.pattern = in.pattern();
  if (in.has_min()) out.min = in.min();
  if (in.has_max()) out.max = in.max();
  out.op = kOperator.FromWire(in.operator_());
  out.other_item_id = in.other_item_id();
  out.codes.assign(in.codes().begin(), in.codes().end());
  out.severity = FromProto(in.severity());
  out.message = FromProto(in.message());
  out.applies_when = FromProto(in.applies_when());
  return out;
}

core::Migration FromProto(const v1::Migration& in) {
  core::Migration out;
  out.from_version = in.from_version();
  for (const v1::MigrationRule& r : in.rules()) {
    core::MigrationRule& rule = out.rules.emplace_back();
    rule.from_item = r.from_item();
    rule.action = kMigrationAction.FromWire(r.action());
    for (const v1::MigrationTarget& t : r.targets()) {
      core::MigrationTarget& target = rule.targets.emplace_back();
      target.item_id = t.item_id();
      for (const v1::CodeMapping& m : t.value_map()) target.value_map.push_back({m.from(), FromProto(m.to())});
    }
    rule.reason = FromProto(r.reason());
  }
  return out;
}

core::Item FromProto(const v1::Item& in) {
  core::Item item;
  item.id = in.id();
  item.type = kItemType.FromWire(in.type());
  item.scope = kItemScope.FromWire(in.scope());
  item.label = FromProto(in.label());
  item.help = FromProto(in.help());
  item.required = in.required();
  for (const v1::ChoiceOption& o : in.options()) item.options.push_back({o.code(), FromProto(o.label())});
  if (in.has_min()) item.min = in.min();
  if (in.has_max()) item.max = in.max();
  item.max_length = in.max_length();
  item.enable_when = FromProto(in.enable_when());
  item.required_when = FromProto(in.required_when());
  for (const v1::Constraint& c : in.constraints()) item.constraints.push_back(FromProto(c));
  item.calculated.kind = kCalculationKind.FromWire(in.calculated().kind());
  item.calculated.item_ids.assign(in.calculated().item_ids().begin(), in.calculated().item_ids().end());
  return item;
}

}  // namespace

core::Definition FromProto(const v1::Definition& in) {
  core::Definition out;
  out.id = in.id();
  out.version = in.version();
  out.title = FromProto(in.title());
  out.languages.assign(in.languages().begin(), in.languages().end());
  out.notice = FromProto(in.notice());
  out.language_notes = FromProto(in.language_notes());
  for (const v1::Part& part_in : in.parts()) {
    core::Part& part = out.parts.emplace_back();
    part.number = part_in.number();
    part.title = FromProto(part_in.title());
    for (const v1::Section& section_in : part_in.sections()) {
      core::Section& section = part.sections.emplace_back();
      section.id = section_in.id();
      section.title = FromProto(section_in.title());
      for (const v1::Item& item_in : section_in.items()) section.items.push_back(FromProto(item_in));
    }
  }
  for (const v1::Migration& m : in.migrations()) out.migrations.push_back(FromProto(m));
  return out;
}

}  // namespace ix::plugin
