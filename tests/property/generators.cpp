#include "generators.hpp"

#include <ix/cli/json_io.hpp>

#include <filesystem>
#include <optional>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace ix::property {
namespace {

// Few persons, so answers and problems meet the same persons often. No '/' or ']' in a ref:
// the problem paths ("answers[<person>/<item>]") are then unambiguous to read back.
const std::vector<std::string> kPersonRefs = {"p1", "p2", "p3", "c1", ""};
const std::vector<std::string> kPersonnummer = {"19850312-1231", "19820721-4563", "200101012386",
                                                "19850312-1232", "20991231-0000", "", "abc"};
const std::vector<std::string> kDates = {"1985-03-12", "2024-02-29", "2023-02-29", "2099-01-01",
                                         "1900-01-01", "2025-13-01", "", "2024-3-4", "not a date"};

rc::Gen<std::string> GenText() {
  return rc::gen::oneOf(rc::gen::elementOf(kDates), rc::gen::elementOf(kPersonnummer),
                        rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~')),
                        rc::gen::just(std::string("37.5")), rc::gen::just(std::string("-1")));
}

rc::Gen<v1::AnswerValue> GenAnyValue() {
  return rc::gen::exec([] {
    v1::AnswerValue value;
    switch (*rc::gen::inRange(0, 11)) {
      case 0: break;  // no value set
      case 1: value.set_boolean(*rc::gen::arbitrary<bool>()); break;
      case 2: value.set_code(*GenText()); break;
      case 3:
        for (auto& code : *rc::gen::container<std::vector<std::string>>(GenText())) value.mutable_codes()->add_codes(code);
        break;
      case 4: value.set_integer(*rc::gen::arbitrary<int64_t>()); break;
      case 5: value.set_decimal(*GenText()); break;
      case 6: value.mutable_money()->set_ore(*rc::gen::arbitrary<int64_t>()); break;
      case 7: value.set_date(*GenText()); break;
      case 8: value.set_text(*GenText()); break;
      case 9: value.set_personnummer(*GenText()); break;
      default: value.set_rating(*rc::gen::inRange(-2, 6)); break;
    }
    return value;
  });
}

rc::Gen<v1::AnswerValue> GenTypedValue(const v1::Item& item) {
  return rc::gen::exec([&item] {
    v1::AnswerValue value;
    std::vector<std::string> codes;
    for (const auto& option : item.options()) codes.push_back(option.code());
    if (codes.empty()) codes.push_back("none");
    const int64_t low = item.has_min() ? item.min() : 0;
    const int64_t high = item.has_max() ? item.max() : 100000;
    switch (item.type()) {
      case v1::ITEM_TYPE_BOOLEAN: value.set_boolean(*rc::gen::arbitrary<bool>()); break;
      case v1::ITEM_TYPE_SINGLE_CHOICE: value.set_code(*rc::gen::elementOf(codes)); break;
      case v1::ITEM_TYPE_MULTIPLE_CHOICE:
        for (auto& code : *rc::gen::container<std::vector<std::string>>(rc::gen::elementOf(codes))) {
          value.mutable_codes()->add_codes(code);
        }
        break;
      case v1::ITEM_TYPE_INTEGER: value.set_integer(*rc::gen::inRange<int64_t>(low - 1, high + 2)); break;
      case v1::ITEM_TYPE_DECIMAL: value.set_decimal(std::to_string(*rc::gen::inRange(-5, 500)) + ".5"); break;
      case v1::ITEM_TYPE_MONEY: value.mutable_money()->set_ore(*rc::gen::inRange<int64_t>(low - 1, high + 2)); break;
      case v1::ITEM_TYPE_DATE: value.set_date(*rc::gen::elementOf(kDates)); break;
      case v1::ITEM_TYPE_TEXT:
        value.set_text(*rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~')));
        break;
      case v1::ITEM_TYPE_PERSONNUMMER: value.set_personnummer(*rc::gen::elementOf(kPersonnummer)); break;
      case v1::ITEM_TYPE_RATING: value.set_rating(*rc::gen::inRange(0, 5)); break;
      default: break;
    }
    return value;
  });
}

}  // namespace

const std::vector<v1::Definition>& ShippedDefinitions() {
  static const std::vector<v1::Definition> definitions = [] {
    std::vector<v1::Definition> read;
    std::set<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(IX_TEST_DEFINITIONS_DIR)) {
      if (entry.path().extension() == ".json") files.insert(entry.path());
    }
    for (const auto& file : files) {
      std::ifstream in(file);
      std::ostringstream text;
      text << in.rdbuf();
      v1::Definition definition;
      if (Status s = cli::ParseJson(text.str(), file.string(), &definition); !s.ok()) {
        throw std::runtime_error(s.message());
      }
      read.push_back(std::move(definition));
    }
    if (read.empty()) throw std::runtime_error("no definitions in " IX_TEST_DEFINITIONS_DIR);
    return read;
  }();
  return definitions;
}

std::vector<const v1::Item*> ItemsOf(const v1::Definition& definition) {
  std::vector<const v1::Item*> items;
  for (const auto& part : definition.parts()) {
    for (const auto& section : part.sections()) {
      for (const auto& item : section.items()) items.push_back(&item);
    }
  }
  return items;
}

rc::Gen<v1::AnswerValue> GenValue(const v1::Item& item) {
  return rc::gen::weightedOneOf<v1::AnswerValue>({{8, GenTypedValue(item)}, {1, GenAnyValue()}});
}

rc::Gen<v1::InstrumentResponse> GenResponse(const v1::Definition& definition) {
  return rc::gen::exec([&definition] {
    v1::InstrumentResponse response;
    response.set_response_ref("property-" + std::to_string(*rc::gen::inRange(0, 1000)));
    response.mutable_instrument()->set_instrument_id(definition.id());
    response.mutable_instrument()->set_version(definition.version());
    auto* household = response.mutable_household();
    household->set_household_ref("hh-property");
    household->set_municipality_code(*rc::gen::elementOf(std::vector<std::string>{"0181", "0192", "", "99"}));
    const int persons = *rc::gen::inRange(0, 5);
    for (int i = 0; i < persons; ++i) {
      auto* person = household->add_persons();
      person->set_person_ref(*rc::gen::elementOf(kPersonRefs));
      person->set_personnummer(*rc::gen::elementOf(kPersonnummer));
      person->set_sex(static_cast<v1::Sex>(*rc::gen::inRange(0, 4)));
      person->set_birth_date(*rc::gen::elementOf(kDates));
      person->set_role(static_cast<v1::HouseholdRole>(*rc::gen::inRange(0, 5)));
    }
    const auto items = ItemsOf(definition);
    const int answers = *rc::gen::inRange(0, 40);
    for (int i = 0; i < answers; ++i) {
      auto* answer = response.add_answers();
      const v1::Item& item = *items[*rc::gen::inRange<size_t>(0, items.size())];
      // One answer in twenty names an item the definition does not have.
      answer->set_item_id(*rc::gen::inRange(0, 20) == 0 ? item.id() + ".unknown" : item.id());
      const bool household_item = item.scope() == v1::ITEM_SCOPE_HOUSEHOLD;
      answer->set_person_ref(household_item && *rc::gen::inRange(0, 10) != 0 ? "" : *rc::gen::elementOf(kPersonRefs));
      *answer->mutable_value() = *GenValue(item);
      answer->set_calculated(*rc::gen::inRange(0, 10) == 0);
    }
    const int statuses = *rc::gen::inRange(0, 5);
    for (int i = 0; i < statuses; ++i) {
      auto* status = response.add_part_status();
      status->set_part(*rc::gen::inRange(0, 6));
      status->set_state(static_cast<v1::PartState>(*rc::gen::inRange(0, 5)));
    }
    return response;
  });
}

bool RemoveNamedEntry(v1::InstrumentResponse* response, const std::string& path) {
  auto index = [&](std::string_view prefix) -> std::optional<int> {
    if (!path.starts_with(prefix)) return std::nullopt;
    const auto close = path.find(']', prefix.size());
    if (close == std::string::npos) return std::nullopt;
    return std::stoi(path.substr(prefix.size(), close - prefix.size()));
  };
  if (auto i = index("household.persons[")) {
    if (*i < 0 || *i >= response->household().persons_size()) return false;
    auto* persons = response->mutable_household()->mutable_persons();
    persons->erase(persons->begin() + *i);
    return true;
  }
  if (auto i = index("answers[")) {
    if (*i < 0 || *i >= response->answers_size()) return false;
    response->mutable_answers()->erase(response->mutable_answers()->begin() + *i);
    return true;
  }
  return false;
}

}  // namespace ix::property
