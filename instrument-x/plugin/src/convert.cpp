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

}  // namespace

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
      }
    }
  }
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
    out.answers.push_back({a.item_id(), a.person_ref(), FromProto(a.value())});
  }
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
