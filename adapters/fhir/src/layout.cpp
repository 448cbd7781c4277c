#include "layout.hpp"

#include <ix/adapters/definitions.hpp>
#include <ix/core/personnummer.hpp>

#include <cctype>
#include <cmath>
#include <limits>

namespace ix::adapters::fhir::layout {

std::string UpperCamel(std::string_view id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

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

bool IsDate(std::string_view text) { return core::ParseIsoDate(text).has_value(); }

namespace {

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

bool IsOption(const v1::Item& item, const std::string& code) {
  for (const auto& option : item.options()) {
    if (option.code() == code) return true;
  }
  return false;
}

Json OneValue(const std::string& element, Json value) {
  Json answer = Json::object();
  answer[element] = std::move(value);
  return Json::array({std::move(answer)});
}

}  // namespace

Result<Json> ToFhirAnswers(const v1::AnswerValue& value, const v1::Item& item, const Options& options,
                           const std::string& path) {
  const std::string element(AnswerElement(item.type()));
  const std::string type(ItemTypeName(item.type()));
  auto mismatch = [&] {
    return InvalidField(path, "'" + item.id() + "' (" + type + ") holds a " +
                                  std::string(ValueCaseName(value)) + " value");
  };
  auto not_option = [&](const std::string& field) {
    return InvalidField(path + "." + field, "not an option code of '" + item.id() + "'");
  };
  switch (item.type()) {
    case v1::ITEM_TYPE_BOOLEAN:
      if (!value.has_boolean()) return mismatch();
      return OneValue(element, Json(value.boolean()));
    case v1::ITEM_TYPE_SINGLE_CHOICE:
      if (!value.has_code()) return mismatch();
      if (!IsOption(item, value.code())) return not_option("code");
      return OneValue(element, ChoiceCoding(item, value.code(), options));
    case v1::ITEM_TYPE_MULTIPLE_CHOICE: {
      if (!value.has_codes()) return mismatch();
      Json list = Json::array();
      for (int i = 0; i < value.codes().codes_size(); ++i) {
        const std::string& code = value.codes().codes(i);
        if (!IsOption(item, code)) return not_option("codes.codes[" + std::to_string(i) + "]");
        list.push_back(Json{{element, ChoiceCoding(item, code, options)}});
      }
      return list;
    }
    case v1::ITEM_TYPE_INTEGER:
    case v1::ITEM_TYPE_RATING: {
      const bool rating = item.type() == v1::ITEM_TYPE_RATING;
      if (rating ? !value.has_rating() : !value.has_integer()) return mismatch();
      const long long number = rating ? value.rating() : value.integer();
      const std::string field = path + (rating ? ".rating" : ".integer");
      if (number < std::numeric_limits<int32_t>::min() || number > std::numeric_limits<int32_t>::max()) {
        return InvalidField(field, "'" + item.id() + "' does not fit FHIR's 32-bit integer");
      }
      if (rating && RatingAsChoice(item) && (number < item.min() || number > item.max())) {
        return InvalidField(field, "not an option of '" + item.id() + "' (" + std::to_string(item.min()) +
                                       "–" + std::to_string(item.max()) + ")");
      }
      return OneValue(element, Json(number));
    }
    case v1::ITEM_TYPE_DECIMAL: {
      if (!value.has_decimal()) return mismatch();
      char* end = nullptr;
      const double number = std::strtod(value.decimal().c_str(), &end);
      if (value.decimal().empty() || end != value.decimal().c_str() + value.decimal().size() ||
          !std::isfinite(number)) {
        return InvalidField(path + ".decimal", "'" + item.id() + "' is not a finite decimal number");
      }
      return OneValue(element, Json(number));
    }
    case v1::ITEM_TYPE_MONEY: {
      if (!value.has_money()) return mismatch();
      Json kronor = KronorFromOre(value.money().ore());
      // An amount in öre that is not whole kronor travels as a decimal number; beyond about
      // 9·10^13 kronor it would not read back as the same öre.
      if (OreFromKronor(kronor) != value.money().ore()) {
        return InvalidField(path + ".money.ore",
                            "'" + item.id() + "' is too large to carry exactly as a FHIR decimal in kronor");
      }
      Json quantity = Json::object();
      quantity["value"] = std::move(kronor);
      quantity["unit"] = "kr";
      quantity["system"] = std::string(kIso4217);
      quantity["code"] = "SEK";
      return OneValue(element, std::move(quantity));
    }
    case v1::ITEM_TYPE_DATE:
      if (!value.has_date()) return mismatch();
      if (!IsDate(value.date())) {
        return InvalidField(path + ".date", "'" + item.id() + "' is not a real date YYYY-MM-DD");
      }
      return OneValue(element, Json(value.date()));
    case v1::ITEM_TYPE_TEXT:
      if (!value.has_text()) return mismatch();
      return OneValue(element, Json(value.text()));
    case v1::ITEM_TYPE_PERSONNUMMER:
      if (!value.has_personnummer()) return mismatch();
      return OneValue(element, Json(value.personnummer()));
    default:
      return InvalidField(path, "item '" + item.id() + "' has a type the FHIR adapter does not know");
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
