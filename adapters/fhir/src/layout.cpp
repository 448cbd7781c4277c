#include "layout.hpp"

#include <ix/adapters/definitions.hpp>

#include <cmath>
#include <limits>

namespace ix::adapters::fhir::layout {

std::string PartGroup(std::string_view scope, int part_number) {
  return std::string(scope) + ".part-" + std::to_string(part_number);
}

std::string SectionGroup(std::string_view scope, std::string_view section_id) {
  return std::string(scope) + "." + std::string(section_id);
}

std::string CodeSystem(const Options& options, std::string_view item_id) {
  return options.canonical_base + "/CodeSystem/" + std::string(item_id);
}

std::string PersonCodeSystem(const Options& options, std::string_view field) {
  return options.canonical_base + "/CodeSystem/household.person." + std::string(field);
}

std::string_view SexCode(v1::Sex sex) {
  switch (sex) {
    case v1::SEX_FEMALE: return "female";
    case v1::SEX_MALE: return "male";
    case v1::SEX_OTHER: return "other";
    default: return "";
  }
}

std::optional<v1::Sex> SexFromCode(std::string_view code) {
  if (code == "female") return v1::SEX_FEMALE;
  if (code == "male") return v1::SEX_MALE;
  if (code == "other") return v1::SEX_OTHER;
  return std::nullopt;
}

std::string_view RoleCode(v1::HouseholdRole role) {
  switch (role) {
    case v1::HOUSEHOLD_ROLE_REGISTERLEDARE: return "registerledare";
    case v1::HOUSEHOLD_ROLE_MEDSOKANDE: return "medsokande";
    case v1::HOUSEHOLD_ROLE_OTHER_ADULT: return "other_adult";
    case v1::HOUSEHOLD_ROLE_CHILD: return "child";
    default: return "";
  }
}

std::optional<v1::HouseholdRole> RoleFromCode(std::string_view code) {
  if (code == "registerledare") return v1::HOUSEHOLD_ROLE_REGISTERLEDARE;
  if (code == "medsokande") return v1::HOUSEHOLD_ROLE_MEDSOKANDE;
  if (code == "other_adult") return v1::HOUSEHOLD_ROLE_OTHER_ADULT;
  if (code == "child") return v1::HOUSEHOLD_ROLE_CHILD;
  return std::nullopt;
}

bool RatingAsChoice(const v1::Item& item) {
  return item.type() == v1::ITEM_TYPE_RATING && item.has_min() && item.has_max() &&
         item.min() <= item.max() && item.max() - item.min() <= 20;
}

std::string_view QuestionnaireType(const v1::Item& item) {
  switch (item.type()) {
    case v1::ITEM_TYPE_BOOLEAN: return "boolean";
    case v1::ITEM_TYPE_SINGLE_CHOICE:
    case v1::ITEM_TYPE_MULTIPLE_CHOICE: return "choice";
    case v1::ITEM_TYPE_INTEGER: return "integer";
    case v1::ITEM_TYPE_RATING: return RatingAsChoice(item) ? "choice" : "integer";
    case v1::ITEM_TYPE_DECIMAL: return "decimal";
    case v1::ITEM_TYPE_MONEY: return "quantity";
    case v1::ITEM_TYPE_DATE: return "date";
    case v1::ITEM_TYPE_TEXT: return "text";
    case v1::ITEM_TYPE_PERSONNUMMER: return "string";
    default: return "string";
  }
}

std::string_view AnswerElement(v1::ItemType type) {
  switch (type) {
    case v1::ITEM_TYPE_BOOLEAN: return "valueBoolean";
    case v1::ITEM_TYPE_SINGLE_CHOICE:
    case v1::ITEM_TYPE_MULTIPLE_CHOICE: return "valueCoding";
    case v1::ITEM_TYPE_INTEGER:
    case v1::ITEM_TYPE_RATING: return "valueInteger";
    case v1::ITEM_TYPE_DECIMAL: return "valueDecimal";
    case v1::ITEM_TYPE_MONEY: return "valueQuantity";
    case v1::ITEM_TYPE_DATE: return "valueDate";
    default: return "valueString";
  }
}

std::string Text(const v1::LocalizedText& text, const Options& options) {
  const std::string& chosen = options.language == "en" ? text.en() : text.sv();
  if (!chosen.empty()) return chosen;
  return options.language == "en" ? text.sv() : text.en();
}

Json KronorFromOre(long long ore) {
  if (ore % 100 == 0) return Json(ore / 100);
  // Shortest decimal that reads back as the same double; two decimals at most.
  return Json(static_cast<double>(ore) / 100.0);
}

std::optional<long long> OreFromKronor(const Json& value) {
  if (value.is_number_integer()) {
    const long long kronor = value.get<long long>();
    if (kronor > std::numeric_limits<long long>::max() / 100 ||
        kronor < std::numeric_limits<long long>::min() / 100) {
      return std::nullopt;
    }
    return kronor * 100;
  }
  if (value.is_number_unsigned()) {
    const auto kronor = value.get<unsigned long long>();
    if (kronor > static_cast<unsigned long long>(std::numeric_limits<long long>::max() / 100)) {
      return std::nullopt;
    }
    return static_cast<long long>(kronor) * 100;
  }
  if (!value.is_number_float()) return std::nullopt;
  const double scaled = value.get<double>() * 100.0;
  if (!std::isfinite(scaled) || std::fabs(scaled) > 9.0e15) return std::nullopt;
  const double rounded = std::round(scaled);
  if (std::fabs(scaled - rounded) > 1e-6) return std::nullopt;  // fractions of an öre
  return static_cast<long long>(rounded);
}

Json ChoiceCoding(const v1::Item& item, const std::string& code, const Options& options) {
  Json c = Json::object();
  c["system"] = CodeSystem(options, item.id());
  c["code"] = code;
  for (const auto& option : item.options()) {
    if (option.code() == code) {
      std::string display = Text(option.label(), options);
      if (!display.empty()) c["display"] = display;
    }
  }
  return c;
}

namespace {

Status Mismatch(const v1::Item& item, std::string_view got) {
  return Status(StatusCode::kInvalidArgument,
                "answer to '" + item.id() + "' (" + std::string(ItemTypeName(item.type())) +
                    ") holds a " + std::string(got) + " value");
}

std::string_view ValueCaseName(const v1::AnswerValue& value) {
  switch (value.value_case()) {
    case v1::AnswerValue::kBoolean: return "boolean";
    case v1::AnswerValue::kCode: return "code";
    case v1::AnswerValue::kCodes: return "codes";
    case v1::AnswerValue::kInteger: return "integer";
    case v1::AnswerValue::kDecimal: return "decimal";
    case v1::AnswerValue::kMoney: return "money";
    case v1::AnswerValue::kDate: return "date";
    case v1::AnswerValue::kText: return "text";
    case v1::AnswerValue::kPersonnummer: return "personnummer";
    case v1::AnswerValue::kRating: return "rating";
    default: return "empty";
  }
}

}  // namespace

Result<std::pair<std::string, Json>> ToFhirValue(const v1::AnswerValue& value, const v1::Item& item,
                                                 const Options& options) {
  const std::string element(AnswerElement(item.type()));
  auto coding = [&](const std::string& code) { return ChoiceCoding(item, code, options); };
  switch (item.type()) {
    case v1::ITEM_TYPE_BOOLEAN:
      if (!value.has_boolean()) return Mismatch(item, ValueCaseName(value));
      return std::pair{element, Json(value.boolean())};
    case v1::ITEM_TYPE_SINGLE_CHOICE:
      if (!value.has_code()) return Mismatch(item, ValueCaseName(value));
      return std::pair{element, coding(value.code())};
    case v1::ITEM_TYPE_INTEGER:
    case v1::ITEM_TYPE_RATING: {
      long long number = 0;
      if (item.type() == v1::ITEM_TYPE_INTEGER && value.has_integer()) {
        number = value.integer();
      } else if (item.type() == v1::ITEM_TYPE_RATING && value.has_rating()) {
        number = value.rating();
      } else {
        return Mismatch(item, ValueCaseName(value));
      }
      if (number < std::numeric_limits<int32_t>::min() ||
          number > std::numeric_limits<int32_t>::max()) {
        return Status(StatusCode::kInvalidArgument,
                      "answer to '" + item.id() + "' does not fit FHIR's 32-bit integer");
      }
      return std::pair{element, Json(number)};
    }
    case v1::ITEM_TYPE_DECIMAL: {
      if (!value.has_decimal()) return Mismatch(item, ValueCaseName(value));
      char* end = nullptr;
      const double number = std::strtod(value.decimal().c_str(), &end);
      if (value.decimal().empty() || end != value.decimal().c_str() + value.decimal().size() ||
          !std::isfinite(number)) {
        return Status(StatusCode::kInvalidArgument,
                      "answer to '" + item.id() + "' is not a decimal number");
      }
      return std::pair{element, Json(number)};
    }
    case v1::ITEM_TYPE_MONEY: {
      if (!value.has_money()) return Mismatch(item, ValueCaseName(value));
      Json quantity = Json::object();
      quantity["value"] = KronorFromOre(value.money().ore());
      quantity["unit"] = "kr";
      quantity["system"] = std::string(kIso4217);
      quantity["code"] = "SEK";
      return std::pair{element, quantity};
    }
    case v1::ITEM_TYPE_DATE:
      if (!value.has_date()) return Mismatch(item, ValueCaseName(value));
      return std::pair{element, Json(value.date())};
    case v1::ITEM_TYPE_TEXT:
      if (!value.has_text()) return Mismatch(item, ValueCaseName(value));
      return std::pair{element, Json(value.text())};
    case v1::ITEM_TYPE_PERSONNUMMER:
      if (!value.has_personnummer()) return Mismatch(item, ValueCaseName(value));
      return std::pair{element, Json(value.personnummer())};
    default:
      return Status(StatusCode::kInvalidArgument,
                    "item '" + item.id() + "' has a type the FHIR adapter does not know");
  }
}

Result<Json> ScopeGroups(const v1::Definition& definition, v1::ItemScope scope, std::string_view prefix,
                         const Options& options, const GroupFn& group, const ItemFn& item) {
  Json parts = Json::array();
  for (const auto& part : definition.parts()) {
    Json sections = Json::array();
    for (const auto& section : part.sections()) {
      Json items = Json::array();
      for (const auto& candidate : section.items()) {
        const bool household = candidate.scope() == v1::ITEM_SCOPE_HOUSEHOLD;
        if (household != (scope == v1::ITEM_SCOPE_HOUSEHOLD)) continue;
        auto entry = item(candidate);
        if (!entry.ok()) return entry.status();
        if (entry->has_value()) items.push_back(std::move(**entry));
      }
      if (items.empty()) continue;
      sections.push_back(group(SectionGroup(prefix, section.id()), Text(section.title(), options), std::move(items)));
    }
    if (sections.empty()) continue;
    parts.push_back(group(PartGroup(prefix, part.number()), Text(part.title(), options), std::move(sections)));
  }
  return parts;
}

}  // namespace ix::adapters::fhir::layout
