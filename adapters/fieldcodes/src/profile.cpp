// Reading a profile and checking it against the definition it names.
#include <ix/adapters/definitions.hpp>
#include <ix/adapters/fieldcodes/fieldcodes.hpp>
#include <ix/adapters/vendor_json.hpp>

#include <set>

namespace ix::adapters::fieldcodes {
namespace {

Result<VendorField> ReadField(const Json& object, const std::string& path, const v1::Item& item, bool split) {
  if (auto s = ExpectOnlyKeys(object, path, {"code", "item", "values"}); !s.ok()) return s;
  VendorField field;
  auto code = RequiredString(object, "code", path);
  if (!code.ok()) return code.status();
  field.code = *code;
  if (auto values = object.find("values"); values != object.end()) {
    const std::string vp = Child(path, "values");
    if (auto s = ExpectObject(*values, vp); !s.ok()) return s;
    if (item.type() != v1::ITEM_TYPE_SINGLE_CHOICE && item.type() != v1::ITEM_TYPE_MULTIPLE_CHOICE) {
      return FieldError(vp, "'" + item.id() + "' is not a choice item");
    }
    std::set<std::string> seen;
    for (const auto& [canonical, vendor] : values->items()) {
      if (!vendor.is_string() || vendor.get<std::string>().empty()) {
        return FieldError(Child(vp, canonical), "expected a non-empty vendor value");
      }
      bool known = false;
      for (const auto& option : item.options()) known = known || option.code() == canonical;
      if (!known) return FieldError(Child(vp, canonical), "not an option of '" + item.id() + "'");
      // In a split, several options may share one field's value (the other field tells them apart).
      if (!split && !seen.insert(vendor.get<std::string>()).second) {
        return FieldError(Child(vp, canonical), "two options have the same vendor value");
      }
      field.values[canonical] = vendor.get<std::string>();
    }
    if (!split) {
      for (const auto& option : item.options()) {
        if (!field.values.contains(option.code())) {
          return FieldError(vp, "option '" + option.code() + "' of '" + item.id() + "' has no vendor value");
        }
      }
    }
  }
  return field;
}

// The values of all split fields for one option: what identifies it in the records.
std::vector<std::string> SplitKey(const FieldMapping& mapping, const std::string& code) {
  std::vector<std::string> key;
  for (const auto& field : mapping.fields) {
    auto it = field.values.find(code);
    key.push_back(it == field.values.end() ? std::string() : it->second);
  }
  return key;
}

// The profile in `root` (an object), checked against `definition`.
Result<Profile> ProfileFrom(const Json& root, std::string_view source, const v1::Definition& definition) {
  const std::string p(source);
  if (auto s = ExpectOnlyKeys(root, p, {"id", "version", "description", "instrument", "format", "encoding", "fields"});
      !s.ok()) {
    return s;
  }
  Profile profile;
  auto id = RequiredString(root, "id", p);
  auto version = RequiredString(root, "version", p);
  if (!id.ok()) return id.status();
  if (!version.ok()) return version.status();
  profile.id = *id;
  profile.version = *version;

  auto instrument = root.find("instrument");
  if (instrument == root.end() || !instrument->is_object()) return FieldError(Child(p, "instrument"), "expected an object");
  auto instrument_id = RequiredString(*instrument, "instrument_id", Child(p, "instrument"));
  auto instrument_version = RequiredString(*instrument, "version", Child(p, "instrument"));
  if (!instrument_id.ok()) return instrument_id.status();
  if (!instrument_version.ok()) return instrument_version.status();
  if (*instrument_id != definition.id() || *instrument_version != definition.version()) {
    return FieldError(Child(p, "instrument"), "the profile is for " + *instrument_id + "@" + *instrument_version +
                                                  ", not " + definition.id() + "@" + definition.version());
  }
  profile.instrument.set_instrument_id(definition.id());
  profile.instrument.set_version(definition.version());

  const std::string fp = Child(p, "format");
  auto format = root.find("format");
  if (format == root.end()) return FieldError(fp, "missing");
  if (auto s = ExpectObject(*format, fp); !s.ok()) return s;
  auto delimiter = RequiredString(*format, "delimiter", fp);
  if (!delimiter.ok()) return delimiter.status();
  if (delimiter->size() != 1 || (*delimiter)[0] == '"' || (*delimiter)[0] == '\n') {
    return FieldError(Child(fp, "delimiter"), "expected one character (not a quote or newline)");
  }
  profile.delimiter = (*delimiter)[0];
  auto header = format->find("header");
  if (header == format->end() || !header->is_array() || header->size() != 3) {
    return FieldError(Child(fp, "header"), "expected three column names (field, person, value)");
  }
  for (const auto& name : *header) {
    if (!name.is_string()) return FieldError(Child(fp, "header"), "expected strings");
    profile.header.push_back(name.get<std::string>());
  }
  auto person = RequiredString(*format, "person", fp);
  if (!person.ok()) return person.status();
  if (*person == "personnummer") {
    profile.person = PersonKey::kPersonnummer;
  } else if (*person == "person_ref") {
    profile.person = PersonKey::kPersonRef;
  } else {
    return FieldError(Child(fp, "person"), "expected personnummer or person_ref");
  }
  auto household_person = OptionalString(*format, "household_person", fp);
  if (!household_person.ok()) return household_person.status();
  profile.household_person = *household_person;

  const std::string ep = Child(p, "encoding");
  auto encoding = root.find("encoding");
  if (encoding == root.end()) return FieldError(ep, "missing");
  if (auto s = ExpectObject(*encoding, ep); !s.ok()) return s;
  auto boolean = encoding->find("boolean");
  if (boolean == encoding->end() || !boolean->is_object()) return FieldError(Child(ep, "boolean"), "expected an object");
  auto t = RequiredString(*boolean, "true", Child(ep, "boolean"));
  auto f = RequiredString(*boolean, "false", Child(ep, "boolean"));
  if (!t.ok()) return t.status();
  if (!f.ok()) return f.status();
  if (*t == *f) return FieldError(Child(ep, "boolean"), "true and false are written the same");
  profile.boolean_true = *t;
  profile.boolean_false = *f;
  auto date = RequiredString(*encoding, "date", ep);
  if (!date.ok()) return date.status();
  if (*date == "YYYY-MM-DD") {
    profile.date = DateEncoding::kIso;
  } else if (*date == "YYYYMMDD") {
    profile.date = DateEncoding::kCompact;
  } else {
    return FieldError(Child(ep, "date"), "expected YYYY-MM-DD or YYYYMMDD");
  }
  auto money = RequiredString(*encoding, "money", ep);
  if (!money.ok()) return money.status();
  if (*money == "ore") {
    profile.money = MoneyEncoding::kOre;
  } else if (*money == "kronor_comma") {
    profile.money = MoneyEncoding::kKronorComma;
  } else {
    return FieldError(Child(ep, "money"), "expected ore or kronor_comma");
  }
  auto decimal = RequiredString(*encoding, "decimal_separator", ep);
  if (!decimal.ok()) return decimal.status();
  if (*decimal != "." && *decimal != ",") return FieldError(Child(ep, "decimal_separator"), "expected . or ,");
  profile.decimal_separator = (*decimal)[0];
  auto separator = RequiredString(*encoding, "codes_separator", ep);
  if (!separator.ok()) return separator.status();
  profile.codes_separator = *separator;

  const std::string lp = Child(p, "fields");
  auto fields = root.find("fields");
  if (fields == root.end()) return FieldError(lp, "missing");
  if (auto s = ExpectArray(*fields, lp); !s.ok()) return s;
  std::set<std::string> codes;
  std::set<std::string> items;
  for (std::size_t i = 0; i < fields->size(); ++i) {
    const Json& entry = (*fields)[i];
    const std::string ip = Index(lp, i);
    if (auto s = ExpectObject(entry, ip); !s.ok()) return s;
    auto item_id = RequiredString(entry, "item", ip);
    if (!item_id.ok()) return item_id.status();
    const v1::Item* item = FindItem(definition, *item_id);
    if (item == nullptr) {
      return FieldError(Child(ip, "item"), "'" + *item_id + "' is not in " + definition.id() + "@" + definition.version());
    }
    if (!items.insert(*item_id).second) return FieldError(Child(ip, "item"), "mapped twice");
    FieldMapping mapping;
    mapping.item = *item;
    if (auto split = entry.find("split"); split != entry.end()) {
      if (auto s = ExpectOnlyKeys(entry, ip, {"item", "split"}); !s.ok()) return s;
      const std::string sp = Child(ip, "split");
      if (auto s = ExpectArray(*split, sp); !s.ok()) return s;
      if (split->size() < 2) return FieldError(sp, "a split needs at least two fields");
      if (item->type() != v1::ITEM_TYPE_SINGLE_CHOICE) return FieldError(sp, "only single-choice items can be split");
      for (std::size_t k = 0; k < split->size(); ++k) {
        auto field = ReadField((*split)[k], Index(sp, k), *item, /*split=*/true);
        if (!field.ok()) return field.status();
        if (field->values.empty()) return FieldError(Child(Index(sp, k), "values"), "missing (a split field maps options)");
        mapping.fields.push_back(std::move(*field));
      }
      // Every option must be told apart by the combination of the split fields' values.
      std::set<std::vector<std::string>> keys;
      for (const auto& option : item->options()) {
        const auto key = SplitKey(mapping, option.code());
        if (std::all_of(key.begin(), key.end(), [](const std::string& v) { return v.empty(); })) {
          return FieldError(sp, "option '" + option.code() + "' is written in none of the split fields");
        }
        if (!keys.insert(key).second) return FieldError(sp, "option '" + option.code() + "' cannot be told apart");
      }
    } else {
      auto field = ReadField(entry, ip, *item, /*split=*/false);
      if (!field.ok()) return field.status();
      mapping.fields.push_back(std::move(*field));
    }
    for (const auto& field : mapping.fields) {
      if (!codes.insert(field.code).second) return FieldError(ip, "field code '" + field.code + "' used twice");
    }
    profile.mappings.push_back(std::move(mapping));
  }
  return profile;
}

Result<Json> ParseProfile(std::string_view json, std::string_view source) {
  auto root = ParseVendorJson(json, source);
  if (!root.ok()) return root.status();
  if (auto s = ExpectObject(*root, source); !s.ok()) return s;
  return root;
}

}  // namespace

Result<Profile> LoadProfile(std::string_view json, std::string_view source, const v1::Definition& definition) {
  auto root = ParseProfile(json, source);
  if (!root.ok()) return root.status();
  return ProfileFrom(*root, source, definition);
}

Result<Profile> LoadProfile(std::string_view json, std::string_view source,
                            std::span<const v1::Definition> definitions) {
  auto root = ParseProfile(json, source);
  if (!root.ok()) return root.status();
  const std::string ip = Child(source, "instrument");
  auto instrument = root->find("instrument");
  if (instrument == root->end()) return FieldError(ip, "missing (the profile names its definition)");
  if (auto s = ExpectObject(*instrument, ip); !s.ok()) return s;
  auto id = RequiredString(*instrument, "instrument_id", ip);
  if (!id.ok()) return id.status();
  auto version = RequiredString(*instrument, "version", ip);
  if (!version.ok()) return version.status();
  const v1::Definition* definition = FindDefinition(definitions, *id, *version);
  if (definition == nullptr) {
    return FieldRefused(StatusCode::kNotFound, ip, *id + "@" + *version + " is not among the definitions served");
  }
  return ProfileFrom(*root, source, *definition);
}

}  // namespace ix::adapters::fieldcodes
