// Definition -> FHIR R4 Questionnaire (layout: fhir.hpp). What R4's enableWhen/required
// cannot express is listed in the report per item, never dropped silently.
#include <ix/adapters/definitions.hpp>
#include <ix/adapters/fhir/fhir.hpp>
#include <ix/adapters/report.hpp>

#include "layout.hpp"
#include "sdc.hpp"

#include <google/protobuf/util/message_differencer.h>

#include <optional>
#include <vector>

namespace ix::adapters::fhir {
namespace {

using layout::Text;

constexpr std::string_view kItemControl =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";
constexpr std::string_view kMinValue = "http://hl7.org/fhir/StructureDefinition/minValue";
constexpr std::string_view kMaxValue = "http://hl7.org/fhir/StructureDefinition/maxValue";
constexpr std::string_view kRegex = "http://hl7.org/fhir/StructureDefinition/regex";

Json LocalText(std::string_view sv, std::string_view en, const Options& options) {
  return Json(std::string(options.language == "en" ? en : sv));
}

Json Question(std::string_view link_id, Json text, std::string_view type, bool required) {
  Json item = Json::object();
  item["linkId"] = std::string(link_id);
  item["text"] = std::move(text);
  item["type"] = std::string(type);
  if (required) item["required"] = true;
  return item;
}

Json Group(std::string_view link_id, std::string text, bool repeats, Json items) {
  Json group = Json::object();
  group["linkId"] = std::string(link_id);
  group["text"] = std::move(text);
  group["type"] = "group";
  if (repeats) group["repeats"] = true;
  group["item"] = std::move(items);
  return group;
}

Json CodedOptions(std::initializer_list<std::pair<std::string_view, std::pair<std::string_view, std::string_view>>> codes,
                  const std::string& system, const Options& options) {
  Json list = Json::array();
  for (const auto& [code, text] : codes) {
    Json coding = Json::object();
    coding["system"] = system;
    coding["code"] = std::string(code);
    coding["display"] = LocalText(text.first, text.second, options);
    list.push_back(Json{{"valueCoding", std::move(coding)}});
  }
  return list;
}

// The household group's own questions: references and the persons.
Json HouseholdHeader(const Options& options) {
  Json items = Json::array();
  items.push_back(Question(layout::kHouseholdRef,
                           LocalText("Hushållets referens", "Household reference", options),
                           "string", true));
  items.push_back(Question(layout::kMunicipality,
                           LocalText("Kommunkod", "Municipality code (kommunkod)", options),
                           "string", true));
  Json person = Json::array();
  person.push_back(Question(layout::kPersonRef, LocalText("Personens referens", "Person reference", options),
                            "string", true));
  person.push_back(Question(layout::kPersonnummer,
                            LocalText("Personnummer eller samordningsnummer",
                                      "Personnummer or samordningsnummer", options),
                            "string", false));
  Json sex = Question(layout::kSex, LocalText("Kön", "Sex", options), "choice", false);
  sex["answerOption"] =
      CodedOptions({{"female", {"Kvinna", "Female"}}, {"male", {"Man", "Male"}},
                    {"other", {"Annat", "Other"}}},
                   layout::PersonCodeSystem(options, "sex"), options);
  person.push_back(std::move(sex));
  person.push_back(Question(layout::kBirthDate, LocalText("Födelsedatum", "Birth date", options),
                            "date", false));
  Json role = Question(layout::kRole, LocalText("Roll i hushållet", "Role in the household", options),
                       "choice", false);
  role["answerOption"] = CodedOptions(
      {{"registerledare", {"Registerledare", "Registered head of household (registerledare)"}},
       {"medsokande", {"Medsökande", "Co-applicant (medsökande)"}},
       {"other_adult", {"Annan vuxen", "Other adult"}},
       {"child", {"Barn", "Child"}}},
      layout::PersonCodeSystem(options, "role"), options);
  person.push_back(std::move(role));
  person.push_back(Question(layout::kProtected,
                            LocalText("Skyddade personuppgifter", "Protected identity", options),
                            "boolean", false));
  items.push_back(Group(layout::kPerson,
                        LocalText("Person i hushållet", "Person in the household", options), true,
                        std::move(person)));
  return items;
}

// answer[x] of an enableWhen for a literal canonical value compared with `question`.
std::optional<std::pair<std::string, Json>> EnableAnswer(const v1::AnswerValue& value,
                                                         const v1::Item& question,
                                                         const Options& options) {
  switch (value.value_case()) {
    case v1::AnswerValue::kBoolean: return std::pair{std::string("answerBoolean"), Json(value.boolean())};
    case v1::AnswerValue::kCode: {
      Json coding = Json::object();
      coding["system"] = layout::CodeSystem(options, question.id());
      coding["code"] = value.code();
      return std::pair{std::string("answerCoding"), coding};
    }
    case v1::AnswerValue::kInteger: return std::pair{std::string("answerInteger"), Json(value.integer())};
    case v1::AnswerValue::kRating: {
      if (layout::RatingAsChoice(question)) return std::nullopt;  // compared as an option, not a number
      return std::pair{std::string("answerInteger"), Json(value.rating())};
    }
    case v1::AnswerValue::kDate: return std::pair{std::string("answerDate"), Json(value.date())};
    case v1::AnswerValue::kText: return std::pair{std::string("answerString"), Json(value.text())};
    case v1::AnswerValue::kMoney: {
      Json quantity = Json::object();
      quantity["value"] = layout::KronorFromOre(value.money().ore());
      quantity["system"] = std::string(layout::kIso4217);
      quantity["code"] = "SEK";
      return std::pair{std::string("answerQuantity"), quantity};
    }
    default: return std::nullopt;
  }
}

Json EnableWhen(std::string_view question, std::string_view op, std::string key, Json answer) {
  Json e = Json::object();
  e["question"] = std::string(question);
  e["operator"] = std::string(op);
  e[key] = std::move(answer);
  return e;
}

// One condition as enableWhen entries: `all` entries must all hold (NOT_EQUALS becomes
// "exists" and "!="), `any` entries are alternatives (IN, CONTAINS_ANY).
struct Clause {
  std::vector<Json> entries;
  bool alternatives = false;
};

std::optional<Clause> ConditionClause(const v1::Condition& condition, const v1::Definition& definition,
                                      const Options& options, std::string* why) {
  const v1::Item* question = FindItem(definition, condition.item_id());
  if (question == nullptr) {
    *why = "condition names '" + condition.item_id() + "', which is not in the definition";
    return std::nullopt;
  }
  if (!condition.other_item_id().empty()) {
    *why = "compares with another item's answer ('" + condition.other_item_id() +
           "'); R4 enableWhen compares with literals only";
    return std::nullopt;
  }
  Clause clause;
  auto literal = [&](std::string_view op) -> bool {
    auto answer = EnableAnswer(condition.value(), *question, options);
    if (!answer) {
      *why = "the compared value of '" + condition.item_id() + "' has no FHIR enableWhen form";
      return false;
    }
    clause.entries.push_back(EnableWhen(condition.item_id(), op, answer->first, answer->second));
    return true;
  };
  switch (condition.operator_()) {
    case v1::CONDITION_OPERATOR_ANSWERED:
      clause.entries.push_back(EnableWhen(condition.item_id(), "exists", "answerBoolean", true));
      return clause;
    case v1::CONDITION_OPERATOR_NOT_ANSWERED:
      clause.entries.push_back(EnableWhen(condition.item_id(), "exists", "answerBoolean", false));
      return clause;
    case v1::CONDITION_OPERATOR_EQUALS:
      if (!literal("=")) return std::nullopt;
      return clause;
    case v1::CONDITION_OPERATOR_NOT_EQUALS:
      // Canonical NOT_EQUALS means "answered and different"; R4's "!=" alone also holds
      // when unanswered.
      clause.entries.push_back(EnableWhen(condition.item_id(), "exists", "answerBoolean", true));
      if (!literal("!=")) return std::nullopt;
      return clause;
    case v1::CONDITION_OPERATOR_GREATER:
      if (!literal(">")) return std::nullopt;
      return clause;
    case v1::CONDITION_OPERATOR_GREATER_OR_EQUAL:
      if (!literal(">=")) return std::nullopt;
      return clause;
    case v1::CONDITION_OPERATOR_LESS:
      if (!literal("<")) return std::nullopt;
      return clause;
    case v1::CONDITION_OPERATOR_LESS_OR_EQUAL:
      if (!literal("<=")) return std::nullopt;
      return clause;
    case v1::CONDITION_OPERATOR_IN:
    case v1::CONDITION_OPERATOR_CONTAINS_ANY: {
      // "=" on a choice question holds when any of its answers has the code.
      clause.alternatives = condition.codes_size() > 1;
      for (const auto& code : condition.codes()) {
        Json coding = Json::object();
        coding["system"] = layout::CodeSystem(options, question->id());
        coding["code"] = code;
        clause.entries.push_back(EnableWhen(condition.item_id(), "=", "answerCoding", coding));
      }
      if (clause.entries.empty()) {
        *why = "an IN condition without codes";
        return std::nullopt;
      }
      return clause;
    }
    default:
      *why = "an unknown condition operator";
      return std::nullopt;
  }
}

// Sets item.enableWhen/enableBehavior, or explains (in `why`) why R4 cannot express the group.
bool ApplyEnableWhen(const v1::ConditionGroup& group, const v1::Item& item,
                     const v1::Definition& definition, const Options& options, Json* out,
                     std::string* why) {
  const bool any = group.logic() == v1::CONDITION_LOGIC_ANY;
  std::vector<Json> entries;
  for (const auto& condition : group.conditions()) {
    const v1::Item* question = FindItem(definition, condition.item_id());
    if (question != nullptr && item.scope() == v1::ITEM_SCOPE_HOUSEHOLD &&
        question->scope() == v1::ITEM_SCOPE_ADULT) {
      *why = "a household item conditioned on an adult item holds for any adult; R4 resolves "
             "the question to one occurrence";
      return false;
    }
    auto clause = ConditionClause(condition, definition, options, why);
    if (!clause) return false;
    const bool needs_all = clause->entries.size() > 1 && !clause->alternatives;
    const bool needs_any = clause->alternatives;
    const bool alone = group.conditions_size() == 1;
    if (!alone && ((any && needs_all) || (!any && needs_any))) {
      *why = any ? "an ANY group with a NOT_EQUALS condition (needs 'exists' and '!=')"
                 : "an ALL group with an IN/CONTAINS_ANY condition of several codes";
      return false;
    }
    for (auto& e : clause->entries) entries.push_back(std::move(e));
    if (alone) {
      if (entries.size() > 1) (*out)["enableBehavior"] = needs_any ? "any" : "all";
    }
  }
  if (entries.empty()) return true;
  if (group.conditions_size() > 1 && entries.size() > 1) (*out)["enableBehavior"] = any ? "any" : "all";
  Json list = Json::array();
  for (auto& e : entries) list.push_back(std::move(e));
  // enableWhen must come before enableBehavior for readability; ordered_json keeps insertion.
  Json behavior = out->contains("enableBehavior") ? (*out)["enableBehavior"] : Json();
  out->erase("enableBehavior");
  (*out)["enableWhen"] = std::move(list);
  if (!behavior.is_null()) (*out)["enableBehavior"] = std::move(behavior);
  return true;
}

Json Extension(std::string_view url, std::string_view key, Json value) {
  Json e = Json::object();
  e["url"] = std::string(url);
  e[std::string(key)] = std::move(value);
  return e;
}

Json ExpressionValue(const std::string& expression, const std::string& name = "") {
  Json e = Json::object();
  if (!name.empty()) e["name"] = name;
  e["language"] = "text/fhirpath";
  e["expression"] = expression;
  return e;
}

Json VariableExtension(const sdc::Variable& v) {
  return Extension(sdc::kVariable, "valueExpression", ExpressionValue(v.expression, v.name));
}

Json ConstraintExtension(const sdc::TargetConstraint& c) {
  Json e = Json::object();
  e["extension"] = Json::array({Json{{"url", "key"}, {"valueId", c.key}},
                                Json{{"url", "severity"}, {"valueCode", c.severity}},
                                Json{{"url", "expression"}, {"valueExpression", ExpressionValue(c.expression)}},
                                Json{{"url", "human"}, {"valueString", c.human}}});
  e["url"] = std::string(sdc::kTargetConstraint);
  return e;
}

// `extensions` in front of the element's other fields (FHIR JSON puts extension first).
Json WithExtensions(Json element, Json extensions) {
  if (extensions.empty()) return element;
  Json ordered = Json::object();
  ordered["extension"] = std::move(extensions);
  for (auto& [key, value] : element.items()) ordered[key] = value;
  return ordered;
}

Json ItemFor(const v1::Item& item, const v1::Definition& definition, const Options& options,
             const sdc::Logic& logic, Report& report) {
  const std::string path = "items[" + item.id() + "]";
  Json q = Json::object();
  Json extensions = Json::array();
  q["linkId"] = item.id();
  q["text"] = Text(item.label(), options);
  q["type"] = std::string(layout::QuestionnaireType(item));

  // R4 core enableWhen where it is exact (renderers without SDC follow it); the SDC
  // expression where it is not (an item carries one or the other, never both).
  bool enabled_expressed = false;
  if (item.has_enable_when() && item.enable_when().conditions_size() > 0) {
    std::string why;
    if (ApplyEnableWhen(item.enable_when(), item, definition, options, &q, &why)) {
      enabled_expressed = true;
    } else {
      q.erase("enableWhen");
      q.erase("enableBehavior");
      if (auto expression = logic.Enabled(item)) {
        extensions.push_back(Extension(sdc::kEnableWhenExpression, "valueExpression", ExpressionValue(*expression)));
        enabled_expressed = true;
      }
    }
  }
  bool required = item.required();
  // Required-when equal to enable-when is "required" (which holds only while enabled); any
  // other required-when is a targetConstraint of the enclosing group (sdc::Logic).
  if (item.required_when().conditions_size() > 0 && enabled_expressed &&
      google::protobuf::util::MessageDifferencer::Equals(item.required_when(), item.enable_when())) {
    required = true;
  }
  if (required) q["required"] = true;
  if (item.type() == v1::ITEM_TYPE_MULTIPLE_CHOICE) q["repeats"] = true;
  if (item.has_calculated()) {
    q["readOnly"] = true;
    if (auto expression = logic.Calculated(item)) {
      extensions.push_back(Extension(sdc::kCalculatedExpression, "valueExpression", ExpressionValue(*expression)));
    }
  }
  if ((item.type() == v1::ITEM_TYPE_TEXT || item.type() == v1::ITEM_TYPE_PERSONNUMMER) &&
      item.max_length() > 0) {
    q["maxLength"] = item.max_length();
  }
  if (item.type() == v1::ITEM_TYPE_SINGLE_CHOICE || item.type() == v1::ITEM_TYPE_MULTIPLE_CHOICE) {
    Json choices = Json::array();
    for (const auto& option : item.options()) {
      choices.push_back(Json{{"valueCoding", layout::ChoiceCoding(item, option.code(), options)}});
    }
    q["answerOption"] = std::move(choices);
  } else if (layout::RatingAsChoice(item)) {
    Json choices = Json::array();
    for (long long v = item.min(); v <= item.max(); ++v) choices.push_back(Json{{"valueInteger", v}});
    q["answerOption"] = std::move(choices);
  } else if (item.type() == v1::ITEM_TYPE_INTEGER || item.type() == v1::ITEM_TYPE_RATING) {
    if (item.has_min()) extensions.push_back(Extension(kMinValue, "valueInteger", item.min()));
    if (item.has_max()) extensions.push_back(Extension(kMaxValue, "valueInteger", item.max()));
  } else if (item.has_min() || item.has_max()) {
    report.NotExpressible(path + ".min_max", "bounds of this item type are not expressed");
  }
  for (const auto& constraint : item.constraints()) {
    // R4's regex extension for renderers without SDC; the targetConstraint below says the same.
    if (constraint.kind() == v1::CONSTRAINT_KIND_PATTERN && !constraint.has_applies_when() &&
        item.type() == v1::ITEM_TYPE_TEXT) {
      extensions.push_back(Extension(kRegex, "valueString", constraint.pattern()));
    }
  }
  for (const auto& constraint : logic.Constraints(item)) extensions.push_back(ConstraintExtension(constraint));
  q = WithExtensions(std::move(q), std::move(extensions));
  const std::string help = Text(item.help(), options);
  if (!help.empty()) {
    Json display = Json::object();
    display["extension"] = Json::array(
        {Extension(kItemControl, "valueCodeableConcept",
                   Json{{"coding", Json::array({Json{
                                       {"system", "http://hl7.org/fhir/questionnaire-item-control"},
                                       {"code", "help"}}})}})});
    display["linkId"] = item.id() + ".help";
    display["text"] = help;
    display["type"] = "display";
    q["item"] = Json::array({std::move(display)});
  }
  return q;
}

// The part groups of one scope with every item of that scope.
Json PartGroups(const v1::Definition& definition, v1::ItemScope scope, std::string_view prefix,
                const Options& options, Report& report, const sdc::Logic& logic) {
  auto groups = layout::ScopeGroups(
      definition, scope, prefix, options,
      [](const std::string& link_id, std::string text, Json items) {
        return Group(link_id, std::move(text), false, std::move(items));
      },
      [&](const v1::Item& item) -> Result<std::optional<Json>> {
        return std::optional<Json>(ItemFor(item, definition, options, logic, report));
      });
  return std::move(groups).value();  // ItemFor never fails
}

std::string ComputerName(const std::string& id) {
  // Questionnaire.name: [A-Z]([A-Za-z0-9_]){0,254}; "instrument-x" -> "InstrumentX".
  std::string name = layout::UpperCamel(id);
  if (name.empty() || std::isalpha(static_cast<unsigned char>(name[0])) == 0) name = "Q" + name;
  return name;
}

std::string ResourceId(const v1::Definition& definition) {
  // id: [A-Za-z0-9\-\.]{1,64}
  std::string id = definition.id() + "-" + definition.version();
  for (char& c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '.') c = '-';
  }
  return id.substr(0, 64);
}

}  // namespace

std::string QuestionnaireUrl(const Options& options, const std::string& definition_id) {
  return options.canonical_base + "/Questionnaire/" + definition_id;
}

Translated QuestionnaireFromDefinition(const v1::Definition& definition, const Options& options) {
  Report report("fhir-r4", "definition");
  const sdc::Logic logic(definition, options);
  Json q = Json::object();
  q["resourceType"] = "Questionnaire";
  q["id"] = ResourceId(definition);
  q["meta"] = Json{{"profile", Json::array({std::string(sdc::kBehaveProfile)})}};
  Json root_extensions = Json::array();
  for (const auto& v : logic.root_variables()) root_extensions.push_back(VariableExtension(v));
  for (const auto& c : logic.root_constraints()) root_extensions.push_back(ConstraintExtension(c));
  if (!root_extensions.empty()) q["extension"] = std::move(root_extensions);
  q["language"] = options.language;
  q["url"] = QuestionnaireUrl(options, definition.id());
  q["version"] = definition.version();
  q["name"] = ComputerName(definition.id());
  q["title"] = Text(definition.title(), options);
  q["status"] = "active";
  const std::string notice = Text(definition.notice(), options);
  if (!notice.empty()) q["description"] = notice;
  q["subjectType"] = Json::array({"Group"});

  Json household = HouseholdHeader(options);
  for (auto& group : PartGroups(definition, v1::ITEM_SCOPE_HOUSEHOLD, layout::kHousehold, options, report, logic)) {
    household.push_back(std::move(group));
  }
  Json adult = Json::array();
  adult.push_back(Question(layout::kAdultPersonRef,
                           LocalText("Vuxen (personens referens)", "Adult (person reference)", options),
                           "string", true));
  for (auto& group : PartGroups(definition, v1::ITEM_SCOPE_ADULT, layout::kAdult, options, report, logic)) {
    adult.push_back(std::move(group));
  }
  // The adult group's variables are evaluated once per adult (one group each).
  Json adult_extensions = Json::array();
  for (const auto& v : logic.adult_variables()) adult_extensions.push_back(VariableExtension(v));
  for (const auto& c : logic.adult_constraints()) adult_extensions.push_back(ConstraintExtension(c));
  Json items = Json::array();
  items.push_back(Group(layout::kHousehold, LocalText("Hushållet", "The household", options), false,
                        std::move(household)));
  items.push_back(WithExtensions(
      Group(layout::kAdult, LocalText("Vuxen i hushållet", "Adult in the household", options), true, std::move(adult)),
      std::move(adult_extensions)));
  q["item"] = std::move(items);
  for (const auto& gap : logic.gaps()) report.NotExpressible(gap.path, gap.why);
  report.NotInTarget("definition.migrations",
                     "migrations between definition versions stay in the plugin");
  return {std::move(q), report.Take()};
}

}  // namespace ix::adapters::fhir
