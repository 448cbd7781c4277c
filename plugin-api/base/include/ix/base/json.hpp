// Reading JSON documents strictly, with every problem as an ix::Status that names the document
// and the field (a dotted path such as "callers[2].role"), never an exception or a crash.
// Values are never quoted in messages: configuration and vendor documents may carry secrets or
// personal data. The templates serve both nlohmann::json (sorted keys) and
// nlohmann::ordered_json (document order, for output that must stay stable); they are
// instantiated for those two in json.cpp.
#ifndef IX_BASE_JSON_HPP
#define IX_BASE_JSON_HPP

#include <ix/base/status.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace ix::base {

// Larger documents are refused before parsing: nothing the product reads is near this size,
// and a hostile one must not make the parser allocate without bound.
inline constexpr std::size_t kMaxJsonBytes = 8u << 20;
// The other limits are enforced while parsing, before a value is added to the document, so a
// refusal costs at most one pass over the bytes already read. The defaults sit far above the
// largest real document (a field-code profile has a few hundred entries, a household's
// export a few dozen objects at depth < 10, a summary note a few kB).
inline constexpr std::size_t kMaxJsonDepth = 64;                 // nested objects and arrays
inline constexpr std::size_t kMaxJsonKeysPerObject = 10'000;
inline constexpr std::size_t kMaxJsonArrayElements = 100'000;
inline constexpr std::size_t kMaxJsonStringBytes = 1u << 20;     // one string or key

struct JsonLimits {
  std::size_t max_bytes = kMaxJsonBytes;
  std::size_t max_depth = kMaxJsonDepth;
  std::size_t max_keys_per_object = kMaxJsonKeysPerObject;
  std::size_t max_array_elements = kMaxJsonArrayElements;
  std::size_t max_string_bytes = kMaxJsonStringBytes;
};

// Parses `text` once, in time and memory linear in its size (an ordered document is built
// without nlohmann's per-key search, whose insertion is quadratic). A key that appears twice
// in one object is an error (which of the two counts would otherwise be the parser's choice).
// Errors name `source` and, for a limit, the path inside the document, the value and the
// limit, e.g. "profile.json.fields[0].values: 10001 keys or more, at most 10000";
// "<source>: not valid JSON: <parser's line, column and reason>";
// "<source>: document is N bytes, more than the limit of M".
template <typename J = nlohmann::json>
Result<J> ParseJson(std::string_view text, std::string_view source, const JsonLimits& limits = {});
template <typename J = nlohmann::json>
Result<J> ParseJson(std::string_view text, std::string_view source, std::size_t max_bytes) {
  JsonLimits limits;
  limits.max_bytes = max_bytes;
  return ParseJson<J>(text, source, limits);
}

// Checks `text` against the same limits without building a document: for readers that parse
// with another library afterwards (protobuf's JSON mapping), so every JSON input the product
// takes meets one set of rules with one set of messages. Bad syntax is not an error here (the
// caller's parser reports it); the limits met before the syntax error are still enforced.
Status CheckJsonLimits(std::string_view text, std::string_view source, const JsonLimits& limits = {});

namespace detail {
// The tokenising check alone. CheckJsonLimits first reads a cheaper bound over the bytes and
// calls this only when the bound could be over a limit; the tests compare the two.
Status CheckJsonLimitsByTokens(std::string_view text, std::string_view source, const JsonLimits& limits = {});
}  // namespace detail

// Reads and parses a file; errors name the path (ReadFile's, then ParseJson's).
template <typename J = nlohmann::json>
Result<J> ReadJsonFile(const std::filesystem::path& path, std::size_t max_bytes = kMaxJsonBytes);

// "<path>: <message>" as INVALID_ARGUMENT.
Status FieldError(std::string_view path, std::string_view message);

// "callers" + "role" -> "callers.role"; "callers" + 2 -> "callers[2]".
std::string Child(std::string_view path, std::string_view key);
std::string Index(std::string_view path, std::size_t index);

// Type checks that name the path and the JSON type found instead ("an object", "null", ...).
template <typename J>
std::string_view JsonTypeName(const J& value);
template <typename J>
Status ExpectObject(const J& value, std::string_view path);
template <typename J>
Status ExpectArray(const J& value, std::string_view path);

// Rejects members not in `allowed` (a misspelt field must not vanish silently).
template <typename J>
Status ExpectOnlyKeys(const J& object, std::string_view path,
                      std::span<const std::string_view> allowed);
template <typename J>
Status ExpectOnlyKeys(const J& object, std::string_view path,
                      std::initializer_list<std::string_view> allowed) {
  return ExpectOnlyKeys(object, path, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

// Typed members of `object`; `path` is the object's. Absent or null gives "", false or 0; a
// wrong type is an error. A required string must be present and not empty.
template <typename J>
Result<std::string> OptionalString(const J& object, std::string_view key, std::string_view path);
template <typename J>
Result<std::string> RequiredString(const J& object, std::string_view key, std::string_view path);
template <typename J>
Result<bool> OptionalBool(const J& object, std::string_view key, std::string_view path);
// A whole JSON number within [min, max] (1.0 is not an integer here).
template <typename J>
Result<long long> OptionalInt(const J& object, std::string_view key, std::string_view path,
                              long long min, long long max);

}  // namespace ix::base

#endif  // IX_BASE_JSON_HPP
