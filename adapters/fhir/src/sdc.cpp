// Definition logic -> FHIRPath (sdc.hpp). The semantics written here are those of the
// plugin's form logic (docs/forms.md): an answer to a disabled item counts as not answered, a
// comparison of values of different kinds never holds (NOT_EQUALS: it does, when both are
// answered), a household item conditioned on an adult item holds when it holds for any adult,
// sums take money and integer answers only. tests/adapters/fhirpath_agreement checks every
// expression against the plugin's validation on generated responses.
#include "sdc.hpp"

#include <ix/adapters/definitions.hpp>
#include <ix/core/personnummer.hpp>

#include "layout.hpp"

#include <google/protobuf/util/message_differencer.h>

#include <cctype>
#include <functional>
#include <set>

namespace ix::adapters::fhir::sdc {
namespace {

// A FHIRPath string literal.
std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') {
      out += "\\r";
      continue;
    }
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    out += c;
  }
  return out + "'";
}

std::string Paren(const std::string& e) { return "(" + e + ")"; }

// Kinds of values the logic compares (forms::CompareValues): two values compare only when of
// the same kind (integer and rating are one kind).
enum class Kind { kNone, kBoolean, kCode, kCodes, kNumber, kDecimal, kMoney, kDate, kText, kPersonnummer };

Kind ItemKind(const v1::Item& item) {
  switch (item.type()) {
    case v1::ITEM_TYPE_BOOLEAN: return Kind::kBoolean;
    case v1::ITEM_TYPE_SINGLE_CHOICE: return Kind::kCode;
    case v1::ITEM_TYPE_MULTIPLE_CHOICE: return Kind::kCodes;
    case v1::ITEM_TYPE_INTEGER:
    case v1::ITEM_TYPE_RATING: return Kind::kNumber;
    case v1::ITEM_TYPE_DECIMAL: return Kind::kDecimal;
    case v1::ITEM_TYPE_MONEY: return Kind::kMoney;
    case v1::ITEM_TYPE_DATE: return Kind::kDate;
    case v1::ITEM_TYPE_TEXT: return Kind::kText;
    case v1::ITEM_TYPE_PERSONNUMMER: return Kind::kPersonnummer;
    default: return Kind::kNone;
  }
}

bool IsDecimalLiteral(std::string_view text) {
  size_t i = text.starts_with('-') ? 1 : 0;
  const size_t digits = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == digits) return false;
  if (i == text.size()) return true;
  if (text[i] != '.') return false;
  const size_t fraction = ++i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return i == text.size() && i > fraction;
}

std::string Kronor(long long ore) {
  const bool negative = ore < 0;
  const unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(ore)
                                                : static_cast<unsigned long long>(ore);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return std::string(negative ? "(-" : "") + std::to_string(magnitude / 100) + "." + cents +
         (negative ? ")" : "");
}

// A literal of the condition as (kind, FHIRPath text); kind kNone when it has no comparable form.
std::pair<Kind, std::string> Literal(const v1::AnswerValue& value) {
  switch (value.value_case()) {
    case v1::AnswerValue::kBoolean: return {Kind::kBoolean, value.boolean() ? "true" : "false"};
    case v1::AnswerValue::kCode: return {Kind::kCode, Quote(value.code())};
    case v1::AnswerValue::kInteger: return {Kind::kNumber, Paren(std::to_string(value.integer()))};
    case v1::AnswerValue::kRating: return {Kind::kNumber, Paren(std::to_string(value.rating()))};
    case v1::AnswerValue::kDecimal: {
      std::string text = value.decimal();
      for (char& c : text) {
        if (c == ',') c = '.';
      }
      if (text.starts_with('+')) text.erase(0, 1);
      if (!IsDecimalLiteral(text)) return {Kind::kNone, ""};
      return {Kind::kDecimal, Paren(text)};
    }
    case v1::AnswerValue::kMoney: return {Kind::kMoney, Kronor(value.money().ore())};
    case v1::AnswerValue::kDate:
      if (!core::ParseIsoDate(value.date())) return {Kind::kNone, ""};
      return {Kind::kDate, Quote(value.date())};
    case v1::AnswerValue::kText: return {Kind::kText, Quote(value.text())};
    case v1::AnswerValue::kPersonnummer: return {Kind::kPersonnummer, Quote(value.personnummer())};
    case v1::AnswerValue::kCodes: return {Kind::kCodes, ""};
    default: return {Kind::kNone, ""};
  }
}

std::string_view OperatorText(v1::ConditionOperator op) {
  switch (op) {
    case v1::CONDITION_OPERATOR_EQUALS: return "=";
    case v1::CONDITION_OPERATOR_NOT_EQUALS: return "!=";
    case v1::CONDITION_OPERATOR_GREATER: return ">";
    case v1::CONDITION_OPERATOR_GREATER_OR_EQUAL: return ">=";
    case v1::CONDITION_OPERATOR_LESS: return "<";
    case v1::CONDITION_OPERATOR_LESS_OR_EQUAL: return "<=";
    default: return "";
  }
}

// Where an expression is evaluated.
struct Scope {
  bool household = false;  // the root (household subject)
  bool inlined = false;    // an adult written inline from the root: `self` is $this
  std::string self;        // the adult's group: "%context" or "$this"
};

const Scope kRoot{true, false, ""};
const Scope kAdultGroup{false, false, "%context"};
const Scope kAdultInline{false, true, "$this"};

constexpr std::string_view kAdultsOfHousehold =
    "%resource.item.where(linkId='adult').where(item.where(linkId='adult.person_ref').answer.value in %adultRefs)";
constexpr std::string_view kPersons = "%resource.item.where(linkId='household').item.where(linkId='household.person')";
constexpr std::string_view kIsChild = "item.where(linkId='household.person.role').answer.value.where(code = 'child').exists()";
constexpr std::string_view kToday = "today().toString()";

// Whole years from the date string `birth` to today (core::AgeOn).
std::string Age(const std::string& birth) {
  return "(" + std::string(kToday) + ".substring(0, 4).toInteger() - " + birth +
         ".substring(0, 4).toInteger() - iif(" + std::string(kToday) + ".substring(5, 5) < " + birth +
         ".substring(5, 5), 1, 0))";
}

class Generator {
 public:
  explicit Generator(const v1::Definition& definition) {
    for (const auto& part : definition.parts()) {
      for (const auto& section : part.sections()) {
        for (const auto& item : section.items()) {
          if (!items_.emplace(item.id(), &item).second) continue;
          order_.push_back(&item);
          // The item's place in the response (fhir.hpp): a direct path, not a search of the tree.
          const std::string_view scope = item.scope() == v1::ITEM_SCOPE_HOUSEHOLD ? layout::kHousehold : layout::kAdult;
          places_[item.id()] = ".item.where(linkId=" + Quote(layout::PartGroup(scope, part.number())) +
                               ").item.where(linkId=" + Quote(layout::SectionGroup(scope, section.id())) +
                               ").item.where(linkId=" + Quote(item.id()) + ")";
        }
      }
    }
    for (const v1::Item* item : order_) {
      auto add = [&](const std::string& id) {
        if (!id.empty()) referenced_.insert(id);
      };
      for (const auto* group : {&item->enable_when(), &item->required_when()}) {
        for (const auto& c : group->conditions()) {
          add(c.item_id());
          add(c.other_item_id());
        }
      }
      for (const auto& constraint : item->constraints()) {
        add(constraint.other_item_id());
        for (const auto& c : constraint.applies_when().conditions()) {
          add(c.item_id());
          add(c.other_item_id());
        }
      }
      for (const auto& source : item->calculated().item_ids()) add(source);
    }
    SortByDependencies();
    for (const v1::Item* item : order_) {
      names_.emplace(item->id(), UniqueName(item->id()));
    }
  }

  const std::vector<const v1::Item*>& order() const { return order_; }
  const v1::Item* Find(const std::string& id) const {
    auto it = items_.find(id);
    return it == items_.end() ? nullptr : it->second;
  }
  bool Referenced(const v1::Item& item) const { return referenced_.contains(item.id()); }
  std::string EnName(const v1::Item& item) const { return "en" + names_.at(item.id()); }
  std::string ValueName(const v1::Item& item) const { return "v" + names_.at(item.id()); }
  bool Household(const v1::Item& item) const { return item.scope() == v1::ITEM_SCOPE_HOUSEHOLD; }
  bool HasEnableWhen(const v1::Item& item) const { return item.enable_when().conditions_size() > 0; }
  bool UsesBirth() const { return uses_birth_; }
  // An item whose own logic has no FHIRPath form has no variables: what reads it has none either.
  void MarkUnexpressible(const v1::Item& item) { unexpressible_.insert(item.id()); }
  bool Unexpressible(const v1::Item& item, std::string* why) const {
    if (!unexpressible_.contains(item.id())) return false;
    *why = "reads '" + item.id() + "', whose own logic is not expressible";
    return true;
  }

  // The stored answer of `item`, as the logic compares it.
  std::string Raw(const v1::Item& item, const Scope& scope) const {
    std::string path = (Household(item) ? "%resource.item.where(linkId='household')" : scope.self) +
                       places_.at(item.id()) + ".answer.value";
    switch (ItemKind(item)) {
      case Kind::kCode:
      case Kind::kCodes: return path + ".code";
      case Kind::kMoney: return path + ".value";
      case Kind::kDate: return path + ".toString()";
      default: return path;
    }
  }

  // Whether `item` is enabled, seen from `scope` (the item is of the scope's subject).
  std::optional<std::string> EnabledRef(const v1::Item& item, const Scope& scope, std::string* why) {
    if (!HasEnableWhen(item)) return std::string("true");
    if (Unexpressible(item, why)) return std::nullopt;
    if (Household(item) || !scope.inlined) return "%" + EnName(item);
    auto group = GroupExpr(item.enable_when(), scope, why);
    if (!group) return std::nullopt;
    return Paren(*group);
  }

  // The value the logic sees for `item` and the scope's subject, written out (the variable's
  // definition, or the inline form).
  std::optional<std::string> EffectiveBody(const v1::Item& item, const Scope& scope, std::string* why) {
    std::string body;
    if (item.has_calculated()) {
      auto calc = CalcExpr(item, scope, why);
      if (!calc) return std::nullopt;
      body = *calc;
    } else {
      body = Raw(item, scope);
    }
    if (!HasEnableWhen(item)) return body;
    auto enabled = EnabledRef(item, scope, why);
    if (!enabled) return std::nullopt;
    return "iif(" + *enabled + ", " + body + ", {})";
  }

  // The value of `item` for the scope's subject (forms::FormLogic::Effective).
  std::optional<std::string> Effective(const v1::Item& item, const Scope& scope, std::string* why) {
    if (Unexpressible(item, why)) return std::nullopt;
    if (Household(item)) return "%" + ValueName(item);
    if (scope.household) return std::string("{}");  // an adult item has no household value
    if (!scope.inlined) return "%" + ValueName(item);
    auto body = EffectiveBody(item, scope, why);
    if (!body) return std::nullopt;
    return Paren(*body);
  }

  // A comparison of `value` (of `item`) with `other` (of kind `other_kind`) by `op`.
  std::optional<std::string> Compare(const v1::Item& item, const std::string& value, Kind other_kind,
                                     const std::string& other, bool literal, v1::ConditionOperator op,
                                     std::string* why) {
    const Kind kind = ItemKind(item);
    const std::string_view text = OperatorText(op);
    if (text.empty()) {
      *why = "an operator without a comparison";
      return std::nullopt;
    }
    // A literal is always there; another item's answer may not be.
    const std::string both = Paren(value) + ".exists()" + (literal ? "" : " and " + Paren(other) + ".exists()");
    if (kind == Kind::kCodes || other_kind == Kind::kCodes) {
      *why = "compares a multiple-choice answer as a whole (set equality has no FHIRPath form here)";
      return std::nullopt;
    }
    if (kind != other_kind || kind == Kind::kNone) {
      // Values of different kinds never compare; NOT_EQUALS holds when both are answered.
      return op == v1::CONDITION_OPERATOR_NOT_EQUALS ? Paren(both) : std::string("false");
    }
    if (kind == Kind::kBoolean && op != v1::CONDITION_OPERATOR_EQUALS &&
        op != v1::CONDITION_OPERATOR_NOT_EQUALS) {
      *why = "orders yes/no answers (FHIRPath does not order booleans)";
      return std::nullopt;
    }
    return Paren(both + " and " + Paren(value) + " " + std::string(text) + " " + Paren(other));
  }

  // forms::FormLogic::EvaluateFor: condition `c` on `value` (the target's value for one subject).
  std::optional<std::string> EvaluateFor(const v1::Condition& c, const v1::Item& target, const std::string& value,
                                         const Scope& scope, std::string* why) {
    const std::string v = Paren(value);
    switch (c.operator_()) {
      case v1::CONDITION_OPERATOR_ANSWERED: return v + ".exists()";
      case v1::CONDITION_OPERATOR_NOT_ANSWERED: return v + ".empty()";
      case v1::CONDITION_OPERATOR_IN:
      case v1::CONDITION_OPERATOR_CONTAINS_ANY: {
        const Kind wanted = c.operator_() == v1::CONDITION_OPERATOR_IN ? Kind::kCode : Kind::kCodes;
        if (ItemKind(target) != wanted || c.codes_size() == 0) return std::string("false");
        std::string codes;
        for (const auto& code : c.codes()) codes += (codes.empty() ? "" : " | ") + Quote(code);
        return v + ".intersect(" + codes + ").exists()";
      }
      case v1::CONDITION_OPERATOR_UNSPECIFIED:
        *why = "a condition without operator";
        return std::nullopt;
      default: break;
    }
    if (!c.other_item_id().empty()) {
      const v1::Item* other = Find(c.other_item_id());
      if (other == nullptr) {
        *why = "names '" + c.other_item_id() + "', which is not in the definition";
        return std::nullopt;
      }
      auto other_value = Effective(*other, scope, why);
      if (!other_value) return std::nullopt;
      return Compare(target, value, ItemKind(*other), *other_value, false, c.operator_(), why);
    }
    auto [kind, literal] = Literal(c.value());
    if (kind == Kind::kNone && c.value().value_case() != v1::AnswerValue::VALUE_NOT_SET) {
      *why = "compares with a literal that is not a valid value of its kind";
      return std::nullopt;
    }
    if (kind == Kind::kNone) return std::string("false");  // no value: never holds
    return Compare(target, value, kind, literal, true, c.operator_(), why);
  }

  // forms::FormLogic::EvaluateCondition.
  std::optional<std::string> ConditionExpr(const v1::Condition& c, const Scope& scope, std::string* why) {
    const v1::Item* target = Find(c.item_id());
    if (target == nullptr) {
      *why = "names '" + c.item_id() + "', which is not in the definition";
      return std::nullopt;
    }
    if (scope.household && !Household(*target)) {
      // Any adult: the adult's logic written inline over the adult groups.
      auto value = EffectiveBody(*target, kAdultInline, why);
      if (!value) return std::nullopt;
      auto holds = EvaluateFor(c, *target, *value, kAdultInline, why);
      if (!holds) return std::nullopt;
      return std::string(kAdultsOfHousehold) + ".where(" + *holds + ").exists()";
    }
    auto value = Effective(*target, scope, why);
    if (!value) return std::nullopt;
    return EvaluateFor(c, *target, *value, scope, why);
  }

  std::optional<std::string> GroupExpr(const v1::ConditionGroup& group, const Scope& scope, std::string* why) {
    if (group.conditions_size() == 0) return std::string("true");
    const bool any = group.logic() == v1::CONDITION_LOGIC_ANY;
    std::string out;
    for (const auto& c : group.conditions()) {
      auto one = ConditionExpr(c, scope, why);
      if (!one) return std::nullopt;
      if (!out.empty()) out += any ? " or " : " and ";
      out += Paren(*one);
    }
    return out;
  }

  std::optional<std::string> CalcExpr(const v1::Item& item, const Scope& scope, std::string* why) {
    switch (item.calculated().kind()) {
      case v1::CALCULATION_KIND_SUM: {
        const bool money = item.type() == v1::ITEM_TYPE_MONEY;
        std::string all;
        for (const auto& id : item.calculated().item_ids()) {
          const v1::Item* source = Find(id);
          if (source == nullptr) continue;
          const bool source_money = source->type() == v1::ITEM_TYPE_MONEY;
          if (!source_money && source->type() != v1::ITEM_TYPE_INTEGER) continue;  // sums skip other kinds
          // An integer counts as öre in a money sum, and money as öre in an integer sum.
          auto scaled = [&](const std::string& v) {
            if (money == source_money) return v;
            return Paren(v + (money ? " / 100" : " * 100"));
          };
          std::string term;
          if (scope.household && !Household(*source)) {
            auto body = EffectiveBody(*source, kAdultInline, why);
            if (!body) return std::nullopt;
            term = std::string(kAdultsOfHousehold) + ".select(" + scaled(*body) + ")";
          } else {
            auto value = Effective(*source, scope, why);
            if (!value) return std::nullopt;
            term = scaled(*value);
          }
          all = all.empty() ? Paren(term) : all + ".combine(" + term + ")";
        }
        if (all.empty()) return std::string("{}");
        return "iif(" + all + ".exists(), " + all + ".sum(), {})";
      }
      case v1::CALCULATION_KIND_AGE:
        if (scope.household) return std::string("{}");  // a household has no birth date
        if (scope.inlined) {
          *why = "an adult's age read from household logic";
          return std::nullopt;
        }
        uses_birth_ = true;
        return "iif(%birthDate.exists() and %birthDate <= " + std::string(kToday) + ", " + Age("%birthDate") +
               ", {})";
      case v1::CALCULATION_KIND_COUNT_CHILDREN:
        return std::string(kPersons) + ".where(" + std::string(kIsChild) + ").count()";
      case v1::CALCULATION_KIND_COUNT_ADULTS:
        return std::string(kPersons) + ".where(" + std::string(kIsChild) + ".not()).count()";
      default:
        *why = "an unknown calculation";
        return std::nullopt;
    }
  }

  // validate.cpp CheckConstraint: true when the constraint holds for the scope's subject.
  std::optional<std::string> ConstraintExpr(const v1::Item& item, const v1::Constraint& c, const Scope& scope,
                                            std::string* why) {
    const std::string v = "%" + ValueName(item);
    const Kind kind = ItemKind(item);
    std::string ok;
    switch (c.kind()) {
      case v1::CONSTRAINT_KIND_PATTERN: {
        if (kind != Kind::kText) return std::string("true");  // matched against text answers only
        const int limit = item.max_length() > 0 ? item.max_length() : 10000;
        ok = v + ".length() > " + std::to_string(limit) + " or " + v + ".matches(" +
             Quote("^(?:" + c.pattern() + ")$") + ")";
        break;
      }
      case v1::CONSTRAINT_KIND_NOT_IN_FUTURE:
        if (kind != Kind::kDate) return std::string("true");
        ok = v + " <= " + std::string(kToday);
        break;
      case v1::CONSTRAINT_KIND_NOT_BEFORE_BIRTH:
        if (kind != Kind::kDate || scope.household) return std::string("true");
        uses_birth_ = true;
        ok = "%birthDate.empty() or " + v + " >= %birthDate";
        break;
      case v1::CONSTRAINT_KIND_AGE_BETWEEN: {
        if (scope.household) return std::string("true");
        uses_birth_ = true;
        std::string range;
        if (c.has_min()) range = Age("%birthDate") + " >= " + std::to_string(c.min());
        if (c.has_max()) range += (range.empty() ? "" : " and ") + Age("%birthDate") + " <= " + std::to_string(c.max());
        if (range.empty()) return std::string("true");
        ok = "%birthDate.empty() or (" + range + ")";
        break;
      }
      case v1::CONSTRAINT_KIND_COMPARE_ITEM: {
        const v1::Item* other = Find(c.other_item_id());
        if (other == nullptr) {
          *why = "compares with '" + c.other_item_id() + "', which is not in the definition";
          return std::nullopt;
        }
        auto other_value = Effective(*other, scope, why);
        if (!other_value) return std::nullopt;
        if (ItemKind(*other) != kind || kind == Kind::kCodes || kind == Kind::kNone) return std::string("true");
        if (kind == Kind::kBoolean && c.operator_() != v1::CONDITION_OPERATOR_EQUALS &&
            c.operator_() != v1::CONDITION_OPERATOR_NOT_EQUALS) {
          *why = "orders yes/no answers (FHIRPath does not order booleans)";
          return std::nullopt;
        }
        const std::string_view op = OperatorText(c.operator_());
        if (op.empty()) return std::string("true");  // no operator: the plugin accepts any value
        ok = Paren(*other_value) + ".empty() or " + v + " " + std::string(op) + " " + Paren(*other_value);
        break;
      }
      case v1::CONSTRAINT_KIND_EXCLUSIVE_CODES: {
        if (kind != Kind::kCodes || c.codes_size() == 0) return std::string("true");
        std::string codes;
        for (const auto& code : c.codes()) codes += (codes.empty() ? "" : " | ") + Quote(code);
        ok = v + ".count() < 2 or " + v + ".intersect(" + codes + ").empty()";
        break;
      }
      default:
        *why = "a constraint of unknown kind";
        return std::nullopt;
    }
    std::string expression = v + ".empty()";
    if (c.applies_when().conditions_size() > 0) {
      auto applies = GroupExpr(c.applies_when(), scope, why);
      if (!applies) return std::nullopt;
      expression += " or (" + *applies + ").not()";
    }
    return expression + " or (" + ok + ")";
  }

 private:
  // Variable names are R4 ids ([A-Za-z0-9\-.]{1,64}) that FHIRPath reads as one identifier:
  // letters and digits only, "person.sick" -> "PersonSick" (en/v prefixed), numbered on a clash.
  std::string UniqueName(const std::string& id) {
    const std::string name = layout::UpperCamel(id).substr(0, 56);
    std::string unique = name;
    for (int n = 2; !used_.insert(unique).second; ++n) unique = name + std::to_string(n);
    return unique;
  }

  // Items after those their logic reads (variables are evaluated in document order). A cycle
  // (refused by the definition check) keeps the definition's order for the rest.
  void SortByDependencies() {
    std::vector<const v1::Item*> sorted;
    std::map<std::string, int> state;  // 1 visiting, 2 done
    std::function<void(const v1::Item*)> visit = [&](const v1::Item* item) {
      int& s = state[item->id()];
      if (s != 0) return;
      s = 1;
      auto dep = [&](const std::string& id) {
        if (const v1::Item* d = Find(id)) visit(d);
      };
      for (const auto* group : {&item->enable_when(), &item->required_when()}) {
        for (const auto& c : group->conditions()) {
          dep(c.item_id());
          dep(c.other_item_id());
        }
      }
      for (const auto& source : item->calculated().item_ids()) dep(source);
      for (const auto& constraint : item->constraints()) {
        dep(constraint.other_item_id());
        for (const auto& c : constraint.applies_when().conditions()) {
          dep(c.item_id());
          dep(c.other_item_id());
        }
      }
      state[item->id()] = 2;
      sorted.push_back(item);
    };
    // The definition is checked (CheckDefinition bounds the logic depth), so the recursion is
    // as deep as the longest chain of dependencies at most.
    for (const v1::Item* item : order_) visit(item);
    order_ = std::move(sorted);
  }

  std::map<std::string, const v1::Item*> items_;
  std::map<std::string, std::string> places_;  // item id -> path below its scope's group
  std::vector<const v1::Item*> order_;
  std::set<std::string> referenced_;
  std::map<std::string, std::string> names_;
  std::set<std::string> used_;
  std::set<std::string> unexpressible_;
  bool uses_birth_ = false;
};

std::string Severity(v1::Severity severity) { return severity == v1::SEVERITY_WARNING ? "warning" : "error"; }

std::string ConstraintKindName(v1::ConstraintKind kind) {
  switch (kind) {
    case v1::CONSTRAINT_KIND_PATTERN: return "pattern";
    case v1::CONSTRAINT_KIND_NOT_IN_FUTURE: return "not-in-future";
    case v1::CONSTRAINT_KIND_NOT_BEFORE_BIRTH: return "not-before-birth";
    case v1::CONSTRAINT_KIND_AGE_BETWEEN: return "age-between";
    case v1::CONSTRAINT_KIND_COMPARE_ITEM: return "compare-item";
    case v1::CONSTRAINT_KIND_EXCLUSIVE_CODES: return "exclusive-codes";
    default: return "constraint";
  }
}

// targetConstraint.key is an id: [A-Za-z0-9\-\.]{1,64}.
std::string Key(const std::string& item_id, const std::string& what) {
  std::string key;
  for (char c : item_id + "-" + what) {
    key += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.') ? c : '-';
  }
  return key.substr(0, 64);
}

}  // namespace

Logic::Logic(const v1::Definition& definition, const Options& options) {
  Generator gen(definition);
  auto gap = [&](const v1::Item& item, const std::string& field, const std::string& why) {
    gaps_.push_back({"items[" + item.id() + "]." + field, why});
  };
  // Variables and expressions, dependencies first. An item whose own logic cannot be written
  // gets no variable, and the items that read it are reported too rather than silently wrong.
  bool adults_used = false;
  for (const v1::Item* item : gen.order()) {
    const bool household = gen.Household(*item);
    const Scope& scope = household ? kRoot : kAdultGroup;
    auto& variables = household ? root_variables_ : adult_variables_;
    std::string why;
    bool ok = true;
    if (gen.HasEnableWhen(*item)) {
      auto enabled = gen.GroupExpr(item->enable_when(), scope, &why);
      if (enabled) {
        variables.push_back({gen.EnName(*item), *enabled});
        enabled_[item->id()] = "%" + gen.EnName(*item);
      } else {
        gap(*item, "enable_when", "enable-when not expressible: " + why + "; the item is always enabled in FHIR");
        ok = false;
      }
    }
    if (ok && item->has_calculated()) {
      auto calc = gen.CalcExpr(*item, scope, &why);
      if (calc) {
        calculated_[item->id()] = *calc;
      } else {
        gap(*item, "calculated", "calculation not expressible: " + why + "; FHIR carries the calculated value");
        ok = false;
      }
    }
    const bool needs_value = gen.Referenced(*item) || item->constraints_size() > 0 ||
                             item->required_when().conditions_size() > 0;
    if (ok && needs_value) {
      auto body = gen.EffectiveBody(*item, scope, &why);
      if (body) {
        variables.push_back({gen.ValueName(*item), *body});
      } else {
        gap(*item, "logic", "value not expressible: " + why);
        ok = false;
      }
    }
    if (!item->has_calculated()) {
      for (int i = 0; i < item->constraints_size(); ++i) {
        const auto& c = item->constraints(i);
        if (!ok) {
          gap(*item, "constraints[" + std::to_string(i) + "]", "constraint not expressible: " + why);
          continue;
        }
        std::string cwhy;
        auto expression = gen.ConstraintExpr(*item, c, scope, &cwhy);
        if (!expression) {
          gap(*item, "constraints[" + std::to_string(i) + "]", "constraint not expressible: " + cwhy +
                                                                   "; checked by the plugin's validation only");
          continue;
        }
        std::string human = layout::Text(c.message(), options);
        if (human.empty()) {
          human = "'" + item->id() + "': " + ConstraintKindName(c.kind());
        }
        constraints_[item->id()].push_back(
            {Key(item->id(), ConstraintKindName(c.kind()) + "-" + std::to_string(i + 1)), Severity(c.severity()),
             *expression, human});
      }
    }
    const bool conditional_required =
        !item->required() && item->required_when().conditions_size() > 0 &&
        !google::protobuf::util::MessageDifferencer::Equals(item->required_when(), item->enable_when());
    if (conditional_required) {
      std::string rwhy;
      auto when = ok ? gen.GroupExpr(item->required_when(), scope, &rwhy) : std::nullopt;
      auto enabled = ok ? gen.EnabledRef(*item, scope, &rwhy) : std::nullopt;
      if (!when || !enabled) {
        gap(*item, "required_when", "required-when not expressible: " + (ok ? rwhy : why) +
                                        "; the item is optional in FHIR");
      } else {
        const std::string answered = item->has_calculated() ? Paren(calculated_.at(item->id())) + ".exists()"
                                                            : Paren(gen.Raw(*item, scope)) + ".exists()";
        auto& list = household ? root_constraints_ : adult_constraints_;
        list.push_back({Key(item->id(), "required"), "error",
                        "(" + *enabled + " and (" + *when + ")).not() or " + answered,
                        "'" + item->id() + "' is required when: " + *when});
      }
    }
    if (!ok) gen.MarkUnexpressible(*item);
    if (!household) adults_used = true;
  }
  // Root helpers first: the adults' references (persons who are not children), and per adult
  // the birth date the logic uses (from the personnummer when it is valid, else birth_date).
  if (adults_used || !root_variables_.empty()) {
    root_variables_.insert(
        root_variables_.begin(),
        {"adultRefs", std::string(kPersons) + ".where(" + std::string(kIsChild) +
                          ".not()).item.where(linkId='household.person.ref').answer.value"});
  }
  if (gen.UsesBirth()) {
    const std::string person = std::string(kPersons) +
                               ".where(item.where(linkId='household.person.ref').answer.value = %personRef).first()";
    const std::string d = "%pnrDigits";
    auto digit = [&](int i) { return d + ".substring(" + std::to_string(i) + ", 1).toInteger()"; };
    std::string luhn;
    for (int k = 0; k < 9; ++k) {
      const std::string x = digit(2 + k);
      luhn += (k ? " + " : "") + (k % 2 == 0 ? "(" + x + " * 2 div 10 + " + x + " * 2 mod 10)" : x);
    }
    const std::string year = d + ".substring(0, 4).toInteger()";
    const std::string month = d + ".substring(4, 2).toInteger()";
    const std::string leap = "((" + year + " mod 4 = 0 and " + year + " mod 100 != 0) or " + year + " mod 400 = 0)";
    const std::string days = "iif(" + month + " = 2, iif(" + leap + ", 29, 28), iif(" + month + " = 4 or " + month +
                             " = 6 or " + month + " = 9 or " + month + " = 11, 30, 31))";
    std::vector<Variable> birth = {
        {"personRef", "%context.item.where(linkId='adult.person_ref').answer.value"},
        {"pnr", person + ".item.where(linkId='household.person.personnummer').answer.value"},
        // The separator '-' or '+' may stand before the last four digits.
        {"pnrDigits", "iif(%pnr.length() = 13 and (%pnr.substring(8, 1) = '-' or %pnr.substring(8, 1) = '+'), "
                      "%pnr.substring(0, 8) + %pnr.substring(9), %pnr)"},
        // Samordningsnummer: day of month + 60.
        {"pnrDay", "iif(" + d + ".substring(6, 2).toInteger() > 60, " + d + ".substring(6, 2).toInteger() - 60, " + d +
                       ".substring(6, 2).toInteger())"},
        {"pnrValid", "iif(" + d + ".matches('^[0-9]{12}$'), " + year + " >= 1850 and " + month + " >= 1 and " + month +
                         " <= 12 and %pnrDay >= 1 and %pnrDay <= " + days + " and (10 - (" + luhn +
                         ") mod 10) mod 10 = " + digit(11) + ", false)"},
        {"birthDate", "iif(%pnrValid, " + d + ".substring(0, 4) + '-' + " + d + ".substring(4, 2) + '-' + iif(%pnrDay < 10, '0', '') + %pnrDay.toString(), " +
                          person + ".item.where(linkId='household.person.birth_date').answer.value.toString())"},
    };
    adult_variables_.insert(adult_variables_.begin(), birth.begin(), birth.end());
  }
}

std::optional<std::string> Logic::Enabled(const v1::Item& item) const {
  auto it = enabled_.find(item.id());
  if (it == enabled_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Logic::Calculated(const v1::Item& item) const {
  auto it = calculated_.find(item.id());
  if (it == calculated_.end()) return std::nullopt;
  return it->second;
}

std::vector<TargetConstraint> Logic::Constraints(const v1::Item& item) const {
  auto it = constraints_.find(item.id());
  if (it == constraints_.end()) return {};
  return it->second;
}

}  // namespace ix::adapters::fhir::sdc
