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

// Parses `text`. Errors: "<source>: not valid JSON: <parser's line, column and reason>" and
// "<source>: document is N bytes, more than the limit of M".
template <typename J = nlohmann::json>
Result<J> ParseJson(std::string_view text, std::string_view source,
                    std::size_t max_bytes = kMaxJsonBytes);

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
