#include <ix/adapters/vendor_json.hpp>

namespace ix::adapters {

Result<Json> ParseVendorJson(std::string_view text, std::string_view source,
                             std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Status(StatusCode::kInvalidArgument,
                  std::string(source) + ": document is " + std::to_string(text.size()) +
                      " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  // nlohmann's lexer rejects ill-formed UTF-8 inside strings with its byte position.
  Json value = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    // Parse again with exceptions only to get the parser's position and reason.
    try {
      Json again = Json::parse(text.begin(), text.end());
      (void)again;
    } catch (const Json::parse_error& e) {
      std::string what = e.what();
      // "[json.exception.parse_error.101] parse error at line 1, column 5: …": keep the part
      // after the id; it names line/column and what was expected, never the value.
      if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
      return Status(StatusCode::kInvalidArgument, std::string(source) + ": not JSON: " + what);
    }
    return Status(StatusCode::kInvalidArgument, std::string(source) + ": not JSON");
  }
  return value;
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned int code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr unsigned int kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMin[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

Status FieldError(std::string_view path, std::string_view message) {
  return InvalidField(std::string(path), std::string(message));
}

std::string_view JsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number";
    default: return "something else";
  }
}

Status ExpectObject(const Json& value, std::string_view path) {
  if (value.is_object()) return Status::Ok();
  return FieldError(path, "expected an object, got " + std::string(JsonTypeName(value)));
}

Status ExpectArray(const Json& value, std::string_view path) {
  if (value.is_array()) return Status::Ok();
  return FieldError(path, "expected an array, got " + std::string(JsonTypeName(value)));
}

Status ExpectOnlyKeys(const Json& object, std::string_view path,
                      std::span<const std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) return FieldError(Child(path, key), "unknown field");
  }
  return Status::Ok();
}

Result<std::string> OptionalString(const Json& object, std::string_view key,
                                   std::string_view path) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return FieldError(Child(path, key), "expected a string, got " + std::string(JsonTypeName(*it)));
  }
  return it->get<std::string>();
}

Result<std::string> RequiredString(const Json& object, std::string_view key,
                                   std::string_view path) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return FieldError(Child(path, key), "missing (required)");
  auto value = OptionalString(object, key, path);
  if (value.ok() && value->empty()) return FieldError(Child(path, key), "empty (required)");
  return value;
}

Result<bool> OptionalBool(const Json& object, std::string_view key, std::string_view path) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return false;
  if (!it->is_boolean()) {
    return FieldError(Child(path, key), "expected a boolean, got " + std::string(JsonTypeName(*it)));
  }
  return it->get<bool>();
}

Result<long long> OptionalInt(const Json& object, std::string_view key, std::string_view path,
                              long long min, long long max) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return 0LL;
  long long value = 0;
  if (it->is_number_integer()) {
    value = it->get<long long>();
  } else if (it->is_number_unsigned()) {
    if (it->get<unsigned long long>() > static_cast<unsigned long long>(max)) {
      return FieldError(Child(path, key), "out of range");
    }
    value = static_cast<long long>(it->get<unsigned long long>());
  } else {
    return FieldError(Child(path, key),
                      "expected an integer, got " + std::string(JsonTypeName(*it)));
  }
  if (value < min || value > max) {
    return FieldError(Child(path, key), "out of range [" + std::to_string(min) + ", " +
                                            std::to_string(max) + "]");
  }
  return value;
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

}  // namespace ix::adapters
