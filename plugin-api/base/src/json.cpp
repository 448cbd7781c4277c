#include <ix/base/file.hpp>
#include <ix/base/json.hpp>

namespace ix::base {

template <typename J>
Result<J> ParseJson(std::string_view text, std::string_view source, std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    return InvalidField(std::string(source), "document is " + std::to_string(text.size()) +
                                                 " bytes, more than the limit of " +
                                                 std::to_string(max_bytes));
  }
  // nlohmann's lexer rejects ill-formed UTF-8 inside strings with its byte position.
  J value = J::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!value.is_discarded()) return value;
  // Parse again with exceptions only to learn the parser's position and reason.
  try {
    const J again = J::parse(text.begin(), text.end());
    (void)again;
  } catch (const typename J::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ...": keep the part
    // after the id; it names line and column and what was expected, never the value.
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    return InvalidField(std::string(source), "not valid JSON: " + what);
  }
  return InvalidField(std::string(source), "not valid JSON");
}

template <typename J>
Result<J> ReadJsonFile(const std::filesystem::path& path, std::size_t max_bytes) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseJson<J>(*text, path.string(), max_bytes);
}

Status FieldError(std::string_view path, std::string_view message) {
  return InvalidField(std::string(path), std::string(message));
}

std::string Child(std::string_view path, std::string_view key) {
  std::string out(path);
  out += '.';
  out += key;
  return out;
}

std::string Index(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

template <typename J>
std::string_view JsonTypeName(const J& value) {
  switch (value.type()) {
    case J::value_t::null: return "null";
    case J::value_t::object: return "an object";
    case J::value_t::array: return "an array";
    case J::value_t::string: return "a string";
    case J::value_t::boolean: return "a boolean";
    case J::value_t::number_integer:
    case J::value_t::number_unsigned: return "an integer";
    case J::value_t::number_float: return "a number";
    default: return "something else";
  }
}

template <typename J>
Status ExpectObject(const J& value, std::string_view path) {
  if (value.is_object()) return Status::Ok();
  return FieldError(path, "expected an object, got " + std::string(JsonTypeName(value)));
}

template <typename J>
Status ExpectArray(const J& value, std::string_view path) {
  if (value.is_array()) return Status::Ok();
  return FieldError(path, "expected an array, got " + std::string(JsonTypeName(value)));
}

template <typename J>
Status ExpectOnlyKeys(const J& object, std::string_view path,
                      std::span<const std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) return FieldError(Child(path, key), "unknown field");
  }
  return Status::Ok();
}

template <typename J>
Result<std::string> OptionalString(const J& object, std::string_view key, std::string_view path) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return FieldError(Child(path, key), "expected a string, got " + std::string(JsonTypeName(*it)));
  }
  return it->template get<std::string>();
}

template <typename J>
Result<std::string> RequiredString(const J& object, std::string_view key, std::string_view path) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return FieldError(Child(path, key), "missing (required)");
  auto value = OptionalString(object, key, path);
  if (value.ok() && value->empty()) return FieldError(Child(path, key), "empty (required)");
  return value;
}

template <typename J>
Result<bool> OptionalBool(const J& object, std::string_view key, std::string_view path) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return false;
  if (!it->is_boolean()) {
    return FieldError(Child(path, key), "expected a boolean, got " + std::string(JsonTypeName(*it)));
  }
  return it->template get<bool>();
}

template <typename J>
Result<long long> OptionalInt(const J& object, std::string_view key, std::string_view path,
                              long long min, long long max) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return 0LL;
  if (!it->is_number_integer()) {  // true for signed and unsigned JSON integers alike
    return FieldError(Child(path, key), "expected an integer, got " + std::string(JsonTypeName(*it)));
  }
  // An unsigned value above LLONG_MAX must not wrap into range.
  const bool too_large = it->is_number_unsigned() &&
                         (max < 0 || it->template get<unsigned long long>() >
                                         static_cast<unsigned long long>(max));
  const long long value = too_large ? max : it->template get<long long>();
  if (too_large || value < min || value > max) {
    return FieldError(Child(path, key),
                      "out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return value;
}

// The two document types the product uses; other instantiations would not link.
#define IX_BASE_JSON_INSTANTIATE(J)                                                              \
  template Result<J> ParseJson<J>(std::string_view, std::string_view, std::size_t);              \
  template Result<J> ReadJsonFile<J>(const std::filesystem::path&, std::size_t);                 \
  template std::string_view JsonTypeName<J>(const J&);                                           \
  template Status ExpectObject<J>(const J&, std::string_view);                                   \
  template Status ExpectArray<J>(const J&, std::string_view);                                    \
  template Status ExpectOnlyKeys<J>(const J&, std::string_view, std::span<const std::string_view>); \
  template Result<std::string> OptionalString<J>(const J&, std::string_view, std::string_view);  \
  template Result<std::string> RequiredString<J>(const J&, std::string_view, std::string_view);  \
  template Result<bool> OptionalBool<J>(const J&, std::string_view, std::string_view);           \
  template Result<long long> OptionalInt<J>(const J&, std::string_view, std::string_view, long long, long long);

IX_BASE_JSON_INSTANTIATE(nlohmann::json)
IX_BASE_JSON_INSTANTIATE(nlohmann::ordered_json)

#undef IX_BASE_JSON_INSTANTIATE

}  // namespace ix::base
