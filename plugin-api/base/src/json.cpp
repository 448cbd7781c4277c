#include <ix/base/file.hpp>
#include <ix/base/json.hpp>

#include <algorithm>
#include <vector>

namespace ix::base {

namespace {

std::string SizeRefusal(std::size_t size, std::size_t max) {
  return "document is " + std::to_string(size) + " bytes, more than the limit of " + std::to_string(max);
}

// nlohmann's SAX events, checked against the limits before anything is stored; with a
// document (`root` not null) each value is added to it. nlohmann's own parser is iterative
// (an explicit state stack), so the only recursion-sensitive quantity is the depth checked
// here. Time and memory: linear in the text (an ordered object is appended to directly and
// checked for a repeated key once, sorted, when it closes: O(k log k) for k keys).
template <typename J>
class LimitedSax {
 public:
  using number_integer_t = typename J::number_integer_t;
  using number_unsigned_t = typename J::number_unsigned_t;
  using number_float_t = typename J::number_float_t;
  using string_t = typename J::string_t;
  using binary_t = typename J::binary_t;

  LimitedSax(std::string_view source, const JsonLimits& limits, J* root)
      : source_(source), limits_(limits), root_(root) {}

  bool null() { return Add(J(nullptr)); }
  bool boolean(bool value) { return Add(J(value)); }
  bool number_integer(number_integer_t value) { return Add(J(value)); }
  bool number_unsigned(number_unsigned_t value) { return Add(J(value)); }
  bool number_float(number_float_t value, const string_t& /*text*/) { return Add(J(value)); }
  bool string(string_t& value) {
    if (value.size() > limits_.max_string_bytes) {
      return Fail(Path(), "a string of " + std::to_string(value.size()) + " bytes, at most " +
                              std::to_string(limits_.max_string_bytes));
    }
    return Add(J(std::move(value)));
  }
  bool binary(binary_t& /*value*/) { return false; }  // JSON text has no binary values

  bool start_object(std::size_t /*unknown for text*/) { return Open(/*object=*/true); }
  bool key(string_t& key) {
    Frame& frame = frames_.back();
    if (key.size() > limits_.max_string_bytes) {
      return Fail(Path(/*with_current=*/false), "a key of " + std::to_string(key.size()) + " bytes, at most " +
                              std::to_string(limits_.max_string_bytes));
    }
    if (++frame.count > limits_.max_keys_per_object) {
      return Fail(Path(/*with_current=*/false), std::to_string(frame.count) + " keys or more, at most " +
                              std::to_string(limits_.max_keys_per_object));
    }
    frame.key = std::move(key);
    return true;
  }
  bool end_object() {
    if (root_ != nullptr) {
      if constexpr (kOrdered) {
        // Appending skipped nlohmann's search for an existing key; find a repeated one here.
        const auto& members = frames_.back().value->template get_ref<const typename J::object_t&>();
        std::vector<std::string_view> keys;
        keys.reserve(members.size());
        for (const auto& member : members) keys.emplace_back(member.first);
        std::sort(keys.begin(), keys.end());
        if (auto twice = std::adjacent_find(keys.begin(), keys.end()); twice != keys.end()) {
          frames_.back().key = std::string(*twice);
          return Fail(Path(), "the key appears twice in its object");
        }
      }
    }
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*unknown for text*/) { return Open(/*object=*/false); }
  bool end_array() {
    frames_.pop_back();
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ...": keep the part
    // after the id; it names line and column and what was expected, never the value.
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    // "...; last read: '<text>'" quotes the document: cut it.
    if (auto pos = what.find("; last read:"); pos != std::string::npos) what.resize(pos);
    error_ = InvalidField(std::string(source_), "not valid JSON: " + what);
    syntax_error_ = true;
    return false;
  }

  bool syntax_error() const { return syntax_error_; }

  const Status& error() const { return error_; }

 private:
  static constexpr bool kOrdered = requires { typename J::object_t::Container; };

  struct Frame {
    bool object = false;
    std::size_t count = 0;  // keys so far (object) or elements so far (array)
    std::string key;        // the current member's key (object)
    J* value = nullptr;     // the container in the document (null when only checking)
  };

  bool Open(bool object) {
    if (frames_.size() + 1 > limits_.max_depth) {
      return Fail(Path(), "nesting too deep: depth " + std::to_string(frames_.size() + 1) + ", at most " +
                              std::to_string(limits_.max_depth));
    }
    Frame frame;
    frame.object = object;
    if (!Add(object ? J::object() : J::array(), &frame.value)) return false;
    frames_.push_back(std::move(frame));
    return true;
  }

  // Adds a complete value (or an empty container) where the document is at.
  bool Add(J&& value, J** added = nullptr) {
    J* where = nullptr;
    if (frames_.empty()) {
      if (root_ != nullptr) {
        *root_ = std::move(value);
        where = root_;
      }
    } else if (Frame& parent = frames_.back(); !parent.object) {
      if (++parent.count > limits_.max_array_elements) {
        return Fail(Path(/*with_current=*/false), std::to_string(parent.count) + " elements or more, at most " +
                                                      std::to_string(limits_.max_array_elements));
      }
      if (parent.value != nullptr) {
        auto& elements = parent.value->template get_ref<typename J::array_t&>();
        elements.push_back(std::move(value));
        where = &elements.back();
      }
    } else if (parent.value != nullptr) {
      auto& members = parent.value->template get_ref<typename J::object_t&>();
      if constexpr (kOrdered) {
        using Container = typename J::object_t::Container;
        static_cast<Container&>(members).emplace_back(parent.key, std::move(value));  // the key stays for paths
        where = &members.back().second;
      } else {
        auto [it, inserted] = members.emplace(parent.key, std::move(value));
        if (!inserted) return Fail(Path(), "the key appears twice in its object");
        where = &it->second;
      }
    }
    if (added != nullptr) *added = where;
    return true;
  }

  // The path of the value being read: "<source>.fields[3].values" (in an array, the element
  // about to be added). Without the current member: the innermost container's own path, for a
  // refusal about the container as a whole.
  std::string Path(bool with_current = true) const {
    std::string path(source_);
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      const bool innermost = i + 1 == frames_.size();
      if (innermost && !with_current) break;
      if (frame.object) {
        path = Child(path, frame.key);
      } else {
        // An ancestor's current element is its last one; the innermost array's is the next.
        path = Index(path, innermost ? frame.count : frame.count - 1);
      }
    }
    return path;
  }

  bool Fail(std::string path, std::string what) {
    error_ = InvalidField(std::move(path), std::move(what));
    return false;
  }

  std::string_view source_;
  const JsonLimits& limits_;
  J* root_;
  std::vector<Frame> frames_;
  Status error_ = Status::Ok();
  bool syntax_error_ = false;
};

template <typename J>
Status RunSax(std::string_view text, std::string_view source, const JsonLimits& limits, J* root) {
  if (text.size() > limits.max_bytes) {
    return InvalidField(std::string(source), SizeRefusal(text.size(), limits.max_bytes));
  }
  LimitedSax<J> sax(source, limits, root);
  // nlohmann's lexer rejects ill-formed UTF-8 inside strings with its byte position.
  if (J::sax_parse(text.begin(), text.end(), &sax)) return Status::Ok();
  // Only checking: the caller's own parser reports bad syntax in its own terms.
  if (root == nullptr && sax.syntax_error()) return Status::Ok();
  if (!sax.error().ok()) return sax.error();
  return InvalidField(std::string(source), "not valid JSON");
}

// A bound read in one pass over the bytes, with no tokens and no allocation: the deepest
// nesting of brackets outside strings, the commas outside strings (an object holds at most
// commas + 1 keys, an array commas + 1 elements) and the longest string as written (escapes
// only shorten it when decoded). When the bound is inside every limit, so is the document, and
// the tokenising check is not needed: it costs about ten times more per byte, and request
// bodies sit far below the limits. When the bound could be over, the tokenising check decides
// and names the path. On bad syntax the bound still holds for the part before the error, which
// is all the tokenising check reads.
bool BoundWithinLimits(std::string_view text, const JsonLimits& limits) {
  std::size_t depth = 0;
  std::size_t commas = 0;
  bool in_string = false;
  std::size_t string_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
        if (i - string_start > limits.max_string_bytes) return false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        string_start = i + 1;
        break;
      case '{':
      case '[':
        if (++depth > limits.max_depth) return false;
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      case ',':
        ++commas;
        break;
      default:
        break;
    }
  }
  // A string still open at the end is cut off: the tokenising check reads up to the end too.
  if (in_string && text.size() - string_start > limits.max_string_bytes) return false;
  return commas < limits.max_keys_per_object && commas < limits.max_array_elements;
}

}  // namespace

template <typename J>
Result<J> ParseJson(std::string_view text, std::string_view source, const JsonLimits& limits) {
  J value;
  if (Status s = RunSax<J>(text, source, limits, &value); !s.ok()) return s;
  return value;
}

Status CheckJsonLimits(std::string_view text, std::string_view source, const JsonLimits& limits) {
  if (text.size() <= limits.max_bytes && BoundWithinLimits(text, limits)) return Status::Ok();
  return detail::CheckJsonLimitsByTokens(text, source, limits);
}

namespace detail {
Status CheckJsonLimitsByTokens(std::string_view text, std::string_view source, const JsonLimits& limits) {
  return RunSax<nlohmann::json>(text, source, limits, nullptr);
}
}  // namespace detail

template <typename J>
Result<J> ReadJsonFile(const std::filesystem::path& path, std::size_t max_bytes) {
  // A regular file over the limit is refused before it is read into memory.
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > max_bytes) {
    return InvalidField(path.string(), SizeRefusal(static_cast<std::size_t>(size), max_bytes));
  }
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
  template Result<J> ParseJson<J>(std::string_view, std::string_view, const JsonLimits&);       \
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
