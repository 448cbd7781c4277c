// Canonical response <-> flat records, as a profile says.
#include <ix/adapters/definitions.hpp>
#include <ix/adapters/fieldcodes/fieldcodes.hpp>
#include <ix/adapters/fixed_formats.hpp>
#include <ix/adapters/protected_identity.hpp>
#include <ix/adapters/report.hpp>
#include <ix/core/personnummer.hpp>

#include "records.hpp"

#include <charconv>
#include <map>
#include <set>
#include <tuple>

namespace ix::adapters::fieldcodes {
namespace {

std::string ReportName(const Profile& profile) { return "fieldcodes:" + profile.id + "@" + profile.version; }

std::string PersonKeyOf(const v1::Person& person, const Profile& profile) {
  if (profile.person == PersonKey::kPersonRef) return person.person_ref();
  const auto id = core::ParseIdentityNumber(person.personnummer());
  return id.ok() ? id.normalized : person.personnummer();
}

std::string Money(long long ore, const Profile& profile) {
  if (profile.money == MoneyEncoding::kOre) return std::to_string(ore);
  const bool negative = ore < 0;
  const unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(ore) : ore;
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "," + cents;
}

// Öre: "-?D{1,17}"; kronor: "-?D{1,15}(,D{1,2})?" (both fit a long long).
std::optional<long long> ParseMoney(const std::string& text, const Profile& profile) {
  const bool ore = profile.money == MoneyEncoding::kOre;
  auto parts = ore ? SplitDecimal(text, ',', 17, 0) : SplitDecimal(text, ',', 15, 2);
  if (!parts) return std::nullopt;
  long long value = 0;
  for (const char c : parts->whole) value = value * 10 + (c - '0');
  if (!ore) {
    std::string cents(parts->fraction);
    cents.resize(2, '0');
    value = value * 100 + (cents[0] - '0') * 10 + (cents[1] - '0');
  }
  return parts->negative ? -value : value;
}

std::optional<long long> ParseInteger(const std::string& text) {
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string VendorCode(const VendorField& field, const std::string& code) {
  if (field.values.empty()) return code;
  auto it = field.values.find(code);
  return it == field.values.end() ? std::string() : it->second;
}

std::optional<std::string> CanonicalCode(const VendorField& field, const v1::Item& item, const std::string& value) {
  if (field.values.empty()) {
    for (const auto& option : item.options()) {
      if (option.code() == value) return value;
    }
    return std::nullopt;
  }
  for (const auto& [canonical, vendor] : field.values) {
    if (vendor == value) return canonical;
  }
  return std::nullopt;
}

// One value in the profile's encoding (not for split items).
Result<std::string> Encode(const v1::AnswerValue& value, const FieldMapping& mapping, const Profile& profile) {
  const v1::Item& item = mapping.item;
  const VendorField& field = mapping.fields[0];
  auto mismatch = [&] {
    return Status(StatusCode::kInvalidArgument, "answer to '" + item.id() + "' does not fit its type (" +
                                                    std::string(ItemTypeName(item.type())) + ")");
  };
  switch (item.type()) {
    case v1::ITEM_TYPE_BOOLEAN:
      if (!value.has_boolean()) return mismatch();
      return value.boolean() ? profile.boolean_true : profile.boolean_false;
    case v1::ITEM_TYPE_SINGLE_CHOICE:
      if (!value.has_code()) return mismatch();
      return VendorCode(field, value.code());
    case v1::ITEM_TYPE_MULTIPLE_CHOICE: {
      if (!value.has_codes()) return mismatch();
      std::string out;
      for (const auto& code : value.codes().codes()) {
        if (!out.empty()) out += profile.codes_separator;
        out += VendorCode(field, code);
      }
      return out;
    }
    case v1::ITEM_TYPE_INTEGER:
      if (!value.has_integer()) return mismatch();
      return std::to_string(value.integer());
    case v1::ITEM_TYPE_RATING:
      if (!value.has_rating()) return mismatch();
      return std::to_string(value.rating());
    case v1::ITEM_TYPE_DECIMAL: {
      if (!value.has_decimal()) return mismatch();
      std::string text = value.decimal();
      for (char& c : text) {
        if (c == '.') c = profile.decimal_separator;
      }
      return text;
    }
    case v1::ITEM_TYPE_MONEY:
      if (!value.has_money()) return mismatch();
      return Money(value.money().ore(), profile);
    case v1::ITEM_TYPE_DATE: {
      if (!value.has_date()) return mismatch();
      std::string date = value.date();
      if (profile.date == DateEncoding::kCompact) std::erase(date, '-');
      return date;
    }
    case v1::ITEM_TYPE_TEXT:
      if (!value.has_text()) return mismatch();
      return value.text();
    case v1::ITEM_TYPE_PERSONNUMMER:
      if (!value.has_personnummer()) return mismatch();
      return value.personnummer();
    default:
      return mismatch();
  }
}

// A value from its encoding; nullopt-like errors are named by the caller (line, column).
Result<v1::AnswerValue> Decode(const std::string& text, const FieldMapping& mapping, const Profile& profile) {
  const v1::Item& item = mapping.item;
  v1::AnswerValue value;
  auto bad = [](std::string_view why) { return Status(StatusCode::kInvalidArgument, std::string(why)); };
  switch (item.type()) {
    case v1::ITEM_TYPE_BOOLEAN:
      if (text == profile.boolean_true) {
        value.set_boolean(true);
      } else if (text == profile.boolean_false) {
        value.set_boolean(false);
      } else {
        return bad("expected " + profile.boolean_true + " or " + profile.boolean_false);
      }
      return value;
    case v1::ITEM_TYPE_SINGLE_CHOICE: {
      auto code = CanonicalCode(mapping.fields[0], item, text);
      if (!code) return bad("unknown value code");
      value.set_code(*code);
      return value;
    }
    case v1::ITEM_TYPE_MULTIPLE_CHOICE: {
      std::size_t start = 0;
      while (start <= text.size()) {
        const std::size_t end = text.find(profile.codes_separator, start);
        const std::string part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        auto code = CanonicalCode(mapping.fields[0], item, part);
        if (!code) return bad("unknown value code");
        value.mutable_codes()->add_codes(*code);
        if (end == std::string::npos) break;
        start = end + profile.codes_separator.size();
      }
      return value;
    }
    case v1::ITEM_TYPE_INTEGER:
    case v1::ITEM_TYPE_RATING: {
      auto number = ParseInteger(text);
      if (!number) return bad("expected a whole number");
      if (item.type() == v1::ITEM_TYPE_RATING) {
        if (*number < -2147483648LL || *number > 2147483647LL) return bad("out of range");
        value.set_rating(static_cast<int32_t>(*number));
      } else {
        value.set_integer(*number);
      }
      return value;
    }
    case v1::ITEM_TYPE_DECIMAL: {
      std::string canonical = text;
      for (char& c : canonical) {
        if (c == profile.decimal_separator) c = '.';
      }
      if (!SplitDecimal(canonical, '.', canonical.size(), canonical.size())) return bad("expected a decimal number");
      value.set_decimal(canonical);
      return value;
    }
    case v1::ITEM_TYPE_MONEY: {
      auto ore = ParseMoney(text, profile);
      if (!ore) return bad(profile.money == MoneyEncoding::kOre ? "expected an amount in öre" : "expected kronor like 1234,50");
      value.mutable_money()->set_ore(*ore);
      return value;
    }
    case v1::ITEM_TYPE_DATE: {
      std::string iso = text;
      if (profile.date == DateEncoding::kCompact) {
        if (text.size() != 8) return bad("expected YYYYMMDD");
        iso = text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6, 2);
      }
      if (!core::ParseIsoDate(iso)) return bad(profile.date == DateEncoding::kCompact ? "expected YYYYMMDD" : "expected YYYY-MM-DD");
      value.set_date(iso);
      return value;
    }
    case v1::ITEM_TYPE_PERSONNUMMER:
      value.set_personnummer(text);
      return value;
    default:
      value.set_text(text);
      return value;
  }
}

}  // namespace

Result<Exported> ExportResponse(const v1::InstrumentResponse& response, const Profile& profile,
                                const ProtectedIdentity& protection) {
  if (response.instrument().instrument_id() != profile.instrument.instrument_id() ||
      response.instrument().version() != profile.instrument.version()) {
    return InvalidField("response.instrument",
                        "pinned to " + response.instrument().instrument_id() + "@" +
                            response.instrument().version() + "; profile " + profile.Name() + " is for " +
                            profile.instrument.instrument_id() + "@" + profile.instrument.version());
  }
  Report report(ReportName(profile), "to_vendor");
  std::string text = internal::FormatRow(profile.header, profile.delimiter);
  const v1::Household& household = response.household();
  ProtectedIdentity rule = protection;
  rule.Add(household);
  // Indexes built once: the call is O((answers + mappings + persons) log n).
  std::map<std::string_view, const FieldMapping*> by_item;
  for (const auto& m : profile.mappings) by_item.emplace(m.item.id(), &m);
  std::map<std::string_view, const v1::Person*> by_ref;
  for (const auto& p : household.persons()) by_ref[p.person_ref()] = &p;  // the last one wins, as before
  for (int i = 0; i < response.answers_size(); ++i) {
    const v1::Answer& answer = response.answers(i);
    const std::string path = "answers[" + std::to_string(i) + "]";
    const auto found_mapping = by_item.find(answer.item_id());
    const FieldMapping* mapping = found_mapping == by_item.end() ? nullptr : found_mapping->second;
    if (mapping == nullptr) {
      report.NotInTarget("answers[" + answer.item_id() + "]", "profile " + profile.Name() + " has no field for this item");
      continue;
    }
    if (rule.Withholds(household, answer)) {
      report.Withheld("answers[" + answer.item_id() + "]", "contact data of a person with protected identity");
      continue;
    }
    std::string person = profile.household_person;
    if (mapping->item.scope() == v1::ITEM_SCOPE_ADULT) {
      const auto person_it = by_ref.find(answer.person_ref());
      const v1::Person* found = person_it == by_ref.end() ? nullptr : person_it->second;
      if (found == nullptr) {
        return InvalidField(path + ".person_ref", "no such person in the household");
      }
      person = PersonKeyOf(*found, profile);
    }
    if (mapping->fields.size() > 1) {  // a split item: one record per field that has a value
      if (!answer.value().has_code()) {
        return InvalidField(path, "'" + answer.item_id() + "' expects an option code");
      }
      for (const auto& field : mapping->fields) {
        const std::string vendor = VendorCode(field, answer.value().code());
        if (!vendor.empty()) text += internal::FormatRow({field.code, person, vendor}, profile.delimiter);
      }
    } else {
      auto value = Encode(answer.value(), *mapping, profile);
      if (!value.ok()) return InvalidField(path, value.status().message());
      text += internal::FormatRow({mapping->fields[0].code, person, *value}, profile.delimiter);
    }
    if (answer.answered_by() != v1::RESPONDENT_UNSPECIFIED || answer.has_interpreter() || !answer.answered_at().empty()) {
      report.NotInTarget("answers[*] (answered_by, interpreter, answered_at)", "flat records carry values only");
    }
  }
  if (response.part_status_size() > 0) report.NotInTarget("part_status", "flat records carry values only");
  if (response.changes_size() > 0) report.NotInTarget("changes", "flat records carry values only");
  report.NotInTarget("household", "the receiving case has the household; persons are referred to only");
  return Exported{std::move(text), report.Take()};
}

Result<Imported> ImportRecords(std::string_view text, std::string_view source, const v1::Household& household,
                               const Profile& profile) {
  auto rows = internal::ParseRows(text, source, profile.delimiter);
  if (!rows.ok()) return rows.status();
  const std::string where(source);
  if (rows->empty() || rows->front().cells != profile.header) {
    std::string expected;
    for (const auto& h : profile.header) expected += (expected.empty() ? "" : std::string(1, profile.delimiter)) + h;
    return Status(StatusCode::kInvalidArgument, where + ":1: expected the header '" + expected + "' of profile " +
                                                    profile.Name());
  }
  Report report(ReportName(profile), "to_canonical");
  Imported out;
  v1::InstrumentResponse& response = out.response;
  *response.mutable_instrument() = profile.instrument;
  *response.mutable_household() = household;

  struct Pending {
    const FieldMapping* mapping;
    std::string person_ref;
    std::vector<std::string> split_values;
    int line;
  };
  std::vector<Pending> splits;
  std::map<std::pair<const FieldMapping*, std::string>, std::size_t> split_of;  // -> index in splits
  std::set<std::pair<std::string, std::string>> seen;  // field code, person
  // Indexes built once: the call is O((records + fields + persons) log n).
  std::map<std::string_view, std::pair<const FieldMapping*, std::size_t>> by_code;  // field index
  for (const auto& m : profile.mappings) {
    for (std::size_t k = 0; k < m.fields.size(); ++k) by_code.emplace(m.fields[k].code, std::pair{&m, k});
  }
  std::map<std::string, std::string> ref_of_key;  // person key -> person_ref (the last one wins)
  for (const auto& p : household.persons()) ref_of_key[PersonKeyOf(p, profile)] = p.person_ref();
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const internal::Row& row = (*rows)[r];
    const std::string at = where + ":" + std::to_string(row.line);
    if (row.cells.size() != 3) {
      return Status(StatusCode::kInvalidArgument, at + ": expected 3 columns, got " + std::to_string(row.cells.size()));
    }
    const std::string& code = row.cells[0];
    const std::string& person_key = row.cells[1];
    const std::string& text_value = row.cells[2];
    const FieldMapping* mapping = nullptr;
    std::size_t field_index = 0;
    if (auto it = by_code.find(code); it != by_code.end()) std::tie(mapping, field_index) = it->second;
    if (mapping == nullptr) {
      return Status(StatusCode::kInvalidArgument, at + ", " + profile.header[0] +
                                                      ": unknown field code (not in profile " + profile.Name() + ")");
    }
    const std::string field_name = " (" + code + ", " + mapping->item.id() + ")";
    std::string person_ref;
    if (mapping->item.scope() == v1::ITEM_SCOPE_ADULT) {
      std::string key = person_key;
      if (profile.person == PersonKey::kPersonnummer) {
        const auto id = core::ParseIdentityNumber(person_key);
        if (id.ok()) key = id.normalized;
      }
      if (auto it = ref_of_key.find(key); !key.empty() && it != ref_of_key.end()) person_ref = it->second;
      if (person_ref.empty()) {
        return Status(StatusCode::kInvalidArgument,
                      at + ", " + profile.header[1] + field_name + ": no such person in the household");
      }
    } else if (person_key != profile.household_person) {
      return Status(StatusCode::kInvalidArgument, at + ", " + profile.header[1] + field_name +
                                                      ": a household item; expected '" + profile.household_person + "'");
    }
    if (!seen.insert({code, person_ref}).second) {
      return Status(StatusCode::kInvalidArgument, at + field_name + ": a second record for the same person");
    }
    if (mapping->fields.size() > 1) {
      auto [slot, added] = split_of.emplace(std::pair{mapping, person_ref}, splits.size());
      if (added) splits.push_back({mapping, person_ref, std::vector<std::string>(mapping->fields.size()), row.line});
      Pending* pending = &splits[slot->second];
      if (text_value.empty()) {
        return Status(StatusCode::kInvalidArgument, at + ", " + profile.header[2] + field_name + ": empty");
      }
      pending->split_values[field_index] = text_value;
      continue;
    }
    auto value = Decode(text_value, *mapping, profile);
    if (!value.ok()) {
      return Status(StatusCode::kInvalidArgument,
                    at + ", " + profile.header[2] + field_name + ": " + value.status().message());
    }
    v1::Answer answer;
    answer.set_item_id(mapping->item.id());
    answer.set_person_ref(person_ref);
    *answer.mutable_value() = std::move(*value);
    answer.set_calculated(mapping->item.has_calculated());
    if (IsWithheldAnswer(household, answer)) {
      report.Withheld("records (" + code + ")", "contact data of a person with protected identity is not taken in");
      continue;
    }
    *response.add_answers() = std::move(answer);
  }
  for (const auto& pending : splits) {
    std::string found;
    for (const auto& option : pending.mapping->item.options()) {
      bool all = true;
      for (std::size_t k = 0; k < pending.mapping->fields.size(); ++k) {
        all = all && VendorCode(pending.mapping->fields[k], option.code()) == pending.split_values[k];
      }
      if (all) found = option.code();
    }
    if (found.empty()) {
      std::string codes;
      for (const auto& f : pending.mapping->fields) codes += (codes.empty() ? "" : " + ") + f.code;
      return Status(StatusCode::kInvalidArgument,
                    where + ":" + std::to_string(pending.line) + " (" + codes + ", " + pending.mapping->item.id() +
                        "): the combination of values is no option");
    }
    v1::Answer* answer = response.add_answers();
    answer->set_item_id(pending.mapping->item.id());
    answer->set_person_ref(pending.person_ref);
    answer->mutable_value()->set_code(found);
  }
  out.report = report.Take();
  return out;
}

}  // namespace ix::adapters::fieldcodes
