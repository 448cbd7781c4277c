#include "convert.hpp"

namespace ix::plugin {
namespace {

core::LocalizedText FromProto(const v1::LocalizedText& in) { return {in.sv(), in.en()}; }

core::ItemType FromProto(v1::ItemType in) {
  switch (in) {
    case v1::ITEM_TYPE_BOOLEAN: return core::ItemType::kBoolean;
    case v1::ITEM_TYPE_SINGLE_CHOICE: return core::ItemType::kSingleChoice;
    case v1::ITEM_TYPE_MULTIPLE_CHOICE: return core::ItemType::kMultipleChoice;
    case v1::ITEM_TYPE_INTEGER: return core::ItemType::kInteger;
    case v1::ITEM_TYPE_DECIMAL: return core::ItemType::kDecimal;
    case v1::ITEM_TYPE_MONEY: return core::ItemType::kMoney;
    case v1::ITEM_TYPE_DATE: return core::ItemType::kDate;
    case v1::ITEM_TYPE_TEXT: return core::ItemType::kText;
    case v1::ITEM_TYPE_PERSONNUMMER: return core::ItemType::kPersonnummer;
    case v1::ITEM_TYPE_RATING: return core::ItemType::kRating;
    default: return core::ItemType::kUnspecified;
  }
}

core::ItemScope FromProto(v1::ItemScope in) {
  switch (in) {
    case v1::ITEM_SCOPE_HOUSEHOLD: return core::ItemScope::kHousehold;
    case v1::ITEM_SCOPE_ADULT: return core::ItemScope::kAdult;
    default: return core::ItemScope::kUnspecified;
  }
}

core::Sex FromProto(v1::Sex in) {
  switch (in) {
    case v1::SEX_FEMALE: return core::Sex::kFemale;
    case v1::SEX_MALE: return core::Sex::kMale;
    case v1::SEX_OTHER: return core::Sex::kOther;
    default: return core::Sex::kUnspecified;
  }
}

core::HouseholdRole FromProto(v1::HouseholdRole in) {
  switch (in) {
    case v1::HOUSEHOLD_ROLE_REGISTERLEDARE: return core::HouseholdRole::kRegisterledare;
    case v1::HOUSEHOLD_ROLE_MEDSOKANDE: return core::HouseholdRole::kMedsokande;
    case v1::HOUSEHOLD_ROLE_OTHER_ADULT: return core::HouseholdRole::kOtherAdult;
    case v1::HOUSEHOLD_ROLE_CHILD: return core::HouseholdRole::kChild;
    default: return core::HouseholdRole::kUnspecified;
  }
}

}  // namespace

core::AnswerValue FromProto(const v1::AnswerValue& in) {
  switch (in.value_case()) {
    case v1::AnswerValue::kBoolean: return in.boolean();
    case v1::AnswerValue::kCode: return core::Code{in.code()};
    case v1::AnswerValue::kCodes: return core::Codes{{in.codes().codes().begin(), in.codes().codes().end()}};
    case v1::AnswerValue::kInteger: return in.integer();
    case v1::AnswerValue::kDecimal: return core::Decimal{in.decimal()};
    case v1::AnswerValue::kMoney: return core::Money{in.money().ore()};
    case v1::AnswerValue::kDate: return core::DateText{in.date()};
    case v1::AnswerValue::kText: return core::Text{in.text()};
    case v1::AnswerValue::kPersonnummer: return core::Personnummer{in.personnummer()};
    case v1::AnswerValue::kRating: return core::Rating{in.rating()};
    case v1::AnswerValue::VALUE_NOT_SET: break;
  }
  return std::monostate{};
}

namespace {

using ix::plugin::FromProto;  // the public overloads, alongside the local ones below

core::ConditionOperator FromProto(v1::ConditionOperator in) {
  switch (in) {
    case v1::CONDITION_OPERATOR_ANSWERED: return core::ConditionOperator::kAnswered;
    case v1::CONDITION_OPERATOR_NOT_ANSWERED: return core::ConditionOperator::kNotAnswered;
    case v1::CONDITION_OPERATOR_EQUALS: return core::ConditionOperator::kEquals;
    case v1::CONDITION_OPERATOR_NOT_EQUALS: return core::ConditionOperator::kNotEquals;
    case v1::CONDITION_OPERATOR_GREATER: return core::ConditionOperator::kGreater;
    case v1::CONDITION_OPERATOR_GREATER_OR_EQUAL: return core::ConditionOperator::kGreaterOrEqual;
    case v1::CONDITION_OPERATOR_LESS: return core::ConditionOperator::kLess;
    case v1::CONDITION_OPERATOR_LESS_OR_EQUAL: return core::ConditionOperator::kLessOrEqual;
    case v1::CONDITION_OPERATOR_IN: return core::ConditionOperator::kIn;
    case v1::CONDITION_OPERATOR_CONTAINS_ANY: return core::ConditionOperator::kContainsAny;
    default: return core::ConditionOperator::kUnspecified;
  }
}

core::ConditionGroup FromProto(const v1::ConditionGroup& in) {
  core::ConditionGroup out;
  out.any = in.logic() == v1::CONDITION_LOGIC_ANY;
  for (const v1::Condition& c : in.conditions()) {
    out.conditions.push_back({c.item_id(), FromProto(c.operator_()), FromProto(c.value()),
                              {c.codes().begin(), c.codes().end()}, c.other_item_id()});
  }
  return out;
}

core::ConstraintKind FromProto(v1::ConstraintKind in) {
  switch (in) {
    case v1::CONSTRAINT_KIND_PATTERN: return core::ConstraintKind::kPattern;
    case v1::CONSTRAINT_KIND_NOT_IN_FUTURE: return core::ConstraintKind::kNotInFuture;
    case v1::CONSTRAINT_KIND_NOT_BEFORE_BIRTH: return core::ConstraintKind::kNotBeforeBirth;
    case v1::CONSTRAINT_KIND_AGE_BETWEEN: return core::ConstraintKind::kAgeBetween;
    case v1::CONSTRAINT_KIND_COMPARE_ITEM: return core::ConstraintKind::kCompareItem;
    case v1::CONSTRAINT_KIND_EXCLUSIVE_CODES: return core::ConstraintKind::kExclusiveCodes;
    default: return core::ConstraintKind::kUnspecified;
  }
}

core::Constraint FromProto(const v1::Constraint& in) {
  core::Constraint out;
  out.kind = FromProto(in.kind());
  out.pattern = in.pattern();
  if (in.has_min()) out.min = in.min();
  if (in.has_max()) out.max = in.max();
  out.op = FromProto(in.operator_());
  out.other_item_id = in.other_item_id();
  out.codes.assign(in.codes().begin(), in.codes().end());
  out.severity = in.severity() == v1::SEVERITY_WARNING ? core::Severity::kWarning : core::Severity::kError;
  out.message = FromProto(in.message());
  out.applies_when = FromProto(in.applies_when());
  return out;
}

core::Calculation FromProto(const v1::Calculation& in) {
  core::Calculation out;
  switch (in.kind()) {
    case v1::CALCULATION_KIND_SUM: out.kind = core::CalculationKind::kSum; break;
    case v1::CALCULATION_KIND_AGE: out.kind = core::CalculationKind::kAge; break;
    case v1::CALCULATION_KIND_COUNT_CHILDREN: out.kind = core::CalculationKind::kCountChildren; break;
    case v1::CALCULATION_KIND_COUNT_ADULTS: out.kind = core::CalculationKind::kCountAdults; break;
    default: out.kind = core::CalculationKind::kNone; break;
  }
  out.item_ids.assign(in.item_ids().begin(), in.item_ids().end());
  return out;
}

core::Migration FromProto(const v1::Migration& in) {
  core::Migration out;
  out.from_version = in.from_version();
  for (const v1::MigrationRule& r : in.rules()) {
    core::MigrationRule& rule = out.rules.emplace_back();
    rule.from_item = r.from_item();
    switch (r.action()) {
      case v1::MIGRATION_ACTION_RENAME: rule.action = core::MigrationAction::kRename; break;
      case v1::MIGRATION_ACTION_MAP_CODES: rule.action = core::MigrationAction::kMapCodes; break;
      case v1::MIGRATION_ACTION_SPLIT: rule.action = core::MigrationAction::kSplit; break;
      case v1::MIGRATION_ACTION_REMOVE: rule.action = core::MigrationAction::kRemove; break;
      default: rule.action = core::MigrationAction::kUnspecified; break;
    }
    for (const v1::MigrationTarget& t : r.targets()) {
      core::MigrationTarget& target = rule.targets.emplace_back();
      target.item_id = t.item_id();
      for (const v1::CodeMapping& m : t.value_map()) target.value_map.push_back({m.from(), FromProto(m.to())});
    }
    rule.reason = FromProto(r.reason());
  }
  return out;
}

core::Respondent FromProto(v1::Respondent in) {
  switch (in) {
    case v1::RESPONDENT_CLIENT: return core::Respondent::kClient;
    case v1::RESPONDENT_TOGETHER: return core::Respondent::kTogether;
    case v1::RESPONDENT_CASEWORKER: return core::Respondent::kCaseworker;
    default: return core::Respondent::kUnspecified;
  }
}

v1::Respondent ToProto(core::Respondent in) {
  switch (in) {
    case core::Respondent::kClient: return v1::RESPONDENT_CLIENT;
    case core::Respondent::kTogether: return v1::RESPONDENT_TOGETHER;
    case core::Respondent::kCaseworker: return v1::RESPONDENT_CASEWORKER;
    case core::Respondent::kUnspecified: break;
  }
  return v1::RESPONDENT_UNSPECIFIED;
}

core::PartState FromProto(v1::PartState in) {
  switch (in) {
    case v1::PART_STATE_IN_PROGRESS: return core::PartState::kInProgress;
    case v1::PART_STATE_COMPLETED: return core::PartState::kCompleted;
    case v1::PART_STATE_AMENDED: return core::PartState::kAmended;
    default: return core::PartState::kNotStarted;
  }
}

core::ChangeKind FromProto(v1::ChangeKind in) {
  switch (in) {
    case v1::CHANGE_KIND_ANSWER_SET: return core::ChangeKind::kAnswerSet;
    case v1::CHANGE_KIND_ANSWER_CLEARED: return core::ChangeKind::kAnswerCleared;
    case v1::CHANGE_KIND_PART_COMPLETED: return core::ChangeKind::kPartCompleted;
    case v1::CHANGE_KIND_PART_REOPENED: return core::ChangeKind::kPartReopened;
    case v1::CHANGE_KIND_AMENDED: return core::ChangeKind::kAmended;
    case v1::CHANGE_KIND_MIGRATED: return core::ChangeKind::kMigrated;
    case v1::CHANGE_KIND_CALCULATED: return core::ChangeKind::kCalculated;
    default: return core::ChangeKind::kUnspecified;
  }
}

v1::ChangeKind ToProto(core::ChangeKind in) {
  switch (in) {
    case core::ChangeKind::kAnswerSet: return v1::CHANGE_KIND_ANSWER_SET;
    case core::ChangeKind::kAnswerCleared: return v1::CHANGE_KIND_ANSWER_CLEARED;
    case core::ChangeKind::kPartCompleted: return v1::CHANGE_KIND_PART_COMPLETED;
    case core::ChangeKind::kPartReopened: return v1::CHANGE_KIND_PART_REOPENED;
    case core::ChangeKind::kAmended: return v1::CHANGE_KIND_AMENDED;
    case core::ChangeKind::kMigrated: return v1::CHANGE_KIND_MIGRATED;
    case core::ChangeKind::kCalculated: return v1::CHANGE_KIND_CALCULATED;
    case core::ChangeKind::kUnspecified: break;
  }
  return v1::CHANGE_KIND_UNSPECIFIED;
}

v1::Sex ToProto(core::Sex in) {
  switch (in) {
    case core::Sex::kFemale: return v1::SEX_FEMALE;
    case core::Sex::kMale: return v1::SEX_MALE;
    case core::Sex::kOther: return v1::SEX_OTHER;
    case core::Sex::kUnspecified: break;
  }
  return v1::SEX_UNSPECIFIED;
}

v1::HouseholdRole ToProto(core::HouseholdRole in) {
  switch (in) {
    case core::HouseholdRole::kRegisterledare: return v1::HOUSEHOLD_ROLE_REGISTERLEDARE;
    case core::HouseholdRole::kMedsokande: return v1::HOUSEHOLD_ROLE_MEDSOKANDE;
    case core::HouseholdRole::kOtherAdult: return v1::HOUSEHOLD_ROLE_OTHER_ADULT;
    case core::HouseholdRole::kChild: return v1::HOUSEHOLD_ROLE_CHILD;
    case core::HouseholdRole::kUnspecified: break;
  }
  return v1::HOUSEHOLD_ROLE_UNSPECIFIED;
}

core::Interpreter FromProto(const v1::Interpreter& in) { return {in.present(), in.language()}; }

void ToProto(const core::Interpreter& in, v1::Interpreter* out) {
  out->set_present(in.present);
  out->set_language(in.language);
}

}  // namespace

core::Recorder FromProto(const v1::Recorder& in) {
  return {in.actor(), in.at(), FromProto(in.answered_by()), FromProto(in.interpreter())};
}

core::PartState PartStateFromProto(v1::PartState in) { return FromProto(in); }

v1::PartState ToProto(core::PartState in) {
  switch (in) {
    case core::PartState::kNotStarted: return v1::PART_STATE_NOT_STARTED;
    case core::PartState::kInProgress: return v1::PART_STATE_IN_PROGRESS;
    case core::PartState::kCompleted: return v1::PART_STATE_COMPLETED;
    case core::PartState::kAmended: return v1::PART_STATE_AMENDED;
  }
  return v1::PART_STATE_UNSPECIFIED;
}

void ToProto(const core::PartStatus& in, v1::PartStatus* out) {
  out->set_part(in.part);
  out->set_state(ToProto(in.state));
  out->set_started_at(in.started_at);
  out->set_completed_at(in.completed_at);
  out->set_amended_at(in.amended_at);
  out->set_completed_by(in.completed_by);
}

void ToProto(const core::AnswerValue& in, v1::AnswerValue* out) {
  out->Clear();
  if (const auto* b = std::get_if<bool>(&in)) out->set_boolean(*b);
  else if (const auto* c = std::get_if<core::Code>(&in)) out->set_code(c->code);
  else if (const auto* cs = std::get_if<core::Codes>(&in)) {
    for (const std::string& code : cs->codes) out->mutable_codes()->add_codes(code);
    out->mutable_codes();  // an empty selection is still a (multiple-choice) value
  } else if (const auto* i = std::get_if<int64_t>(&in)) out->set_integer(*i);
  else if (const auto* d = std::get_if<core::Decimal>(&in)) out->set_decimal(d->text);
  else if (const auto* m = std::get_if<core::Money>(&in)) out->mutable_money()->set_ore(m->ore);
  else if (const auto* dt = std::get_if<core::DateText>(&in)) out->set_date(dt->text);
  else if (const auto* t = std::get_if<core::Text>(&in)) out->set_text(t->text);
  else if (const auto* p = std::get_if<core::Personnummer>(&in)) out->set_personnummer(p->text);
  else if (const auto* r = std::get_if<core::Rating>(&in)) out->set_rating(r->value);
}

void ToProto(const core::Answer& in, v1::Answer* out) {
  out->set_item_id(in.item_id);
  out->set_person_ref(in.person_ref);
  ToProto(in.value, out->mutable_value());
  out->set_answered_by(ToProto(in.answered_by));
  if (in.interpreter.present || !in.interpreter.language.empty()) ToProto(in.interpreter, out->mutable_interpreter());
  out->set_answered_at(in.answered_at);
  out->set_calculated(in.calculated);
}

void ToProto(const core::Response& in, v1::InstrumentResponse* out) {
  out->Clear();
  out->set_response_ref(in.response_ref);
  ToProto(in.instrument, out->mutable_instrument());
  v1::Household* h = out->mutable_household();
  h->set_household_ref(in.household.household_ref);
  h->set_municipality_code(in.household.municipality_code);
  for (const core::Person& p : in.household.persons) {
    v1::Person* person = h->add_persons();
    person->set_person_ref(p.person_ref);
    person->set_personnummer(p.personnummer);
    person->set_sex(ToProto(p.sex));
    person->set_birth_date(p.birth_date);
    person->set_role(ToProto(p.role));
    person->set_protected_identity(p.protected_identity);
  }
  for (const core::Answer& a : in.answers) ToProto(a, out->add_answers());
  for (const core::PartStatus& s : in.part_status) ToProto(s, out->add_part_status());
  for (const core::Change& c : in.changes) {
    v1::Change* change = out->add_changes();
    change->set_at(c.at);
    change->set_actor(c.actor);
    change->set_kind(ToProto(c.kind));
    change->set_item_id(c.item_id);
    change->set_person_ref(c.person_ref);
    if (!std::holds_alternative<std::monostate>(c.old_value)) ToProto(c.old_value, change->mutable_old_value());
    if (!std::holds_alternative<std::monostate>(c.new_value)) ToProto(c.new_value, change->mutable_new_value());
    change->set_answered_by(ToProto(c.answered_by));
    if (c.interpreter.present || !c.interpreter.language.empty()) ToProto(c.interpreter, change->mutable_interpreter());
    change->set_part(c.part);
    change->set_reason(c.reason);
  }
  out->set_created_at(in.created_at);
  out->set_updated_at(in.updated_at);
  if (!in.migrated_from.instrument_id.empty() || !in.migrated_from.version.empty()) {
    ToProto(in.migrated_from, out->mutable_migrated_from());
  }
}

core::InstrumentRef FromProto(const v1::InstrumentRef& in) {
  return {in.instrument_id(), in.version()};
}

core::Definition FromProto(const v1::Definition& in) {
  core::Definition out;
  out.id = in.id();
  out.version = in.version();
  out.title = FromProto(in.title());
  out.languages.assign(in.languages().begin(), in.languages().end());
  out.notice = FromProto(in.notice());
  for (const v1::Part& part_in : in.parts()) {
    core::Part& part = out.parts.emplace_back();
    part.number = part_in.number();
    part.title = FromProto(part_in.title());
    for (const v1::Section& section_in : part_in.sections()) {
      core::Section& section = part.sections.emplace_back();
      section.id = section_in.id();
      section.title = FromProto(section_in.title());
      for (const v1::Item& item_in : section_in.items()) {
        core::Item& item = section.items.emplace_back();
        item.id = item_in.id();
        item.type = FromProto(item_in.type());
        item.scope = FromProto(item_in.scope());
        item.label = FromProto(item_in.label());
        item.help = FromProto(item_in.help());
        item.required = item_in.required();
        for (const v1::ChoiceOption& o : item_in.options()) {
          item.options.push_back({o.code(), FromProto(o.label())});
        }
        if (item_in.has_min()) item.min = item_in.min();
        if (item_in.has_max()) item.max = item_in.max();
        item.max_length = item_in.max_length();
        item.enable_when = FromProto(item_in.enable_when());
        item.required_when = FromProto(item_in.required_when());
        for (const v1::Constraint& c : item_in.constraints()) item.constraints.push_back(FromProto(c));
        item.calculated = FromProto(item_in.calculated());
      }
    }
  }
  for (const v1::Migration& m : in.migrations()) out.migrations.push_back(FromProto(m));
  return out;
}

core::Response FromProto(const v1::InstrumentResponse& in) {
  core::Response out;
  out.response_ref = in.response_ref();
  out.instrument = FromProto(in.instrument());
  out.household.household_ref = in.household().household_ref();
  out.household.municipality_code = in.household().municipality_code();
  for (const v1::Person& p : in.household().persons()) {
    out.household.persons.push_back({p.person_ref(), p.personnummer(), FromProto(p.sex()),
                                     p.birth_date(), FromProto(p.role()), p.protected_identity()});
  }
  for (const v1::Answer& a : in.answers()) {
    out.answers.push_back({a.item_id(), a.person_ref(), FromProto(a.value()),
                           FromProto(a.answered_by()), FromProto(a.interpreter()), a.answered_at(),
                           a.calculated()});
  }
  for (const v1::PartStatus& s : in.part_status()) {
    out.part_status.push_back({s.part(), FromProto(s.state()), s.started_at(), s.completed_at(),
                               s.amended_at(), s.completed_by()});
  }
  for (const v1::Change& c : in.changes()) {
    core::Change& change = out.changes.emplace_back();
    change.at = c.at();
    change.actor = c.actor();
    change.kind = FromProto(c.kind());
    change.item_id = c.item_id();
    change.person_ref = c.person_ref();
    if (c.has_old_value()) change.old_value = FromProto(c.old_value());
    if (c.has_new_value()) change.new_value = FromProto(c.new_value());
    change.answered_by = FromProto(c.answered_by());
    change.interpreter = FromProto(c.interpreter());
    change.part = c.part();
    change.reason = c.reason();
  }
  out.created_at = in.created_at();
  out.updated_at = in.updated_at();
  if (in.has_migrated_from()) out.migrated_from = FromProto(in.migrated_from());
  return out;
}

void ToProto(const core::LocalizedText& in, v1::LocalizedText* out) {
  out->set_sv(in.sv);
  out->set_en(in.en);
}

void ToProto(const core::InstrumentRef& in, v1::InstrumentRef* out) {
  out->set_instrument_id(in.instrument_id);
  out->set_version(in.version);
}

void ToProto(const core::Problem& in, v1::Problem* out) {
  out->set_severity(in.severity == core::Severity::kError ? v1::SEVERITY_ERROR : v1::SEVERITY_WARNING);
  out->set_code(in.code);
  out->set_path(in.path);
  out->set_item_id(in.item_id);
  out->set_person_ref(in.person_ref);
  out->set_part(in.part);
  ToProto(in.message, out->mutable_message());
}

}  // namespace ix::plugin
