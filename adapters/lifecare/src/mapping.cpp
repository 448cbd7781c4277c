#include <ix/adapters/lifecare/lifecare.hpp>

namespace ix::adapters::lifecare {

std::string_view EmbeddedMapping();  // generated from mapping/lifecare-familycare-v1.json

namespace {

Result<std::vector<std::string>> Strings(const Json& object, std::string_view key, const std::string& path) {
  auto it = object.find(std::string(key));
  if (it == object.end() || !it->is_array()) return FieldError(Child(path, key), "expected an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) return FieldError(Index(Child(path, key), i), "expected a string");
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

Result<const Json*> Section(const Json& root, std::string_view key) {
  auto it = root.find(std::string(key));
  if (it == root.end() || !it->is_object()) return FieldError(key, "expected an object");
  return &*it;
}

}  // namespace

Result<Mapping> ParseMapping(std::string_view json, std::string_view source) {
  auto root = ParseVendorJson(json, source);
  if (!root.ok()) return root.status();
  Mapping m;
  auto person = Section(*root, "person");
  auto investigation = Section(*root, "investigation");
  auto decision = Section(*root, "decision");
  auto document = Section(*root, "document");
  for (const auto* s : {&person, &investigation, &decision, &document}) {
    if (!s->ok()) return s->status();
  }
  auto str = [](const Json& o, std::string_view key, std::string_view path, std::string* out) {
    auto v = RequiredString(o, key, path);
    if (v.ok()) *out = *v;
    return v.status();
  };
  for (auto s : {str(**person, "source", "person", &m.source),
                 str(**person, "secret_phone_flag", "person", &m.secret_phone_flag),
                 str(**investigation, "type", "investigation", &m.investigation_type),
                 str(**investigation, "dossier_type", "investigation", &m.dossier_type),
                 str(**decision, "type", "decision", &m.decision_type),
                 str(**document, "document_type", "document", &m.document_type),
                 str(**document, "owner_type", "document", &m.owner_type),
                 str(**document, "title", "document", &m.document_title),
                 str(**document, "description", "document", &m.document_description)}) {
    if (!s.ok()) return s;
  }
  auto flags = Strings(**person, "protection_flags", "person");
  auto address = Strings(**person, "address_fields", "person");
  auto contact = Strings(**person, "contact_fields", "person");
  for (const auto* s : {&flags, &address, &contact}) {
    if (!s->ok()) return s->status();
  }
  m.protection_flags = *flags;
  m.address_fields = *address;
  m.contact_fields = *contact;
  auto items = (*person)->find("contact_items");
  if (items == (*person)->end() || !items->is_object()) {
    return FieldError("person.contact_items", "expected an object");
  }
  for (const auto& [field, item] : items->items()) {
    if (!item.is_string()) return FieldError("person.contact_items." + field, "expected an item id");
    m.contact_items.emplace_back(field, item.get<std::string>());
  }
  auto age = OptionalInt(**investigation, "adult_from_age", "investigation", 1, 30);
  if (!age.ok()) return age.status();
  m.adult_from_age = static_cast<int>(*age);
  return m;
}

const Mapping& DefaultMapping() {
  static const Mapping mapping = [] {
    auto parsed = ParseMapping(EmbeddedMapping(), "lifecare-familycare-v1.json");
    // The embedded file is checked by the tests; a broken build-time file is a programming error.
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return mapping;
}

}  // namespace ix::adapters::lifecare
