// Strict reading of vendor JSON documents: bad input is normal, so every problem becomes a
// Status naming the document and the field (a JSON-pointer-like path), never an exception
// or a crash. Values are never quoted in messages (they may be personal data).
#ifndef IX_ADAPTERS_VENDOR_JSON_HPP
#define IX_ADAPTERS_VENDOR_JSON_HPP

#include <ix/base/status.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace ix::adapters {

// Key order is kept, so emitted documents are stable (golden files) and readable.
using Json = nlohmann::ordered_json;

// Larger documents are refused before parsing (one household is a few hundred kB at most).
inline constexpr std::size_t kMaxVendorDocumentBytes = 8u << 20;

// Parses `text` (must be UTF-8; must be at most max_bytes) into a JSON value. Errors name
// `source` and the byte offset.
Result<Json> ParseVendorJson(std::string_view text, std::string_view source,
                             std::size_t max_bytes = kMaxVendorDocumentBytes);

// Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view text);

// "<path>: <message>" as INVALID_ARGUMENT.
Status FieldError(std::string_view path, std::string_view message);

// Type checks that name the path and the JSON type found instead.
std::string_view JsonTypeName(const Json& value);
Status ExpectObject(const Json& value, std::string_view path);
Status ExpectArray(const Json& value, std::string_view path);
// Rejects members not in `allowed` (a misspelt field must not vanish).
Status ExpectOnlyKeys(const Json& object, std::string_view path,
                      std::span<const std::string_view> allowed);
inline Status ExpectOnlyKeys(const Json& object, std::string_view path,
                             std::initializer_list<std::string_view> allowed) {
  return ExpectOnlyKeys(object, path, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

// Optional typed members: absent (or null) gives the fallback; a wrong type is an error.
Result<std::string> OptionalString(const Json& object, std::string_view key, std::string_view path);
Result<bool> OptionalBool(const Json& object, std::string_view key, std::string_view path);
// Integers must be whole JSON numbers within [min, max].
Result<long long> OptionalInt(const Json& object, std::string_view key, std::string_view path,
                              long long min, long long max);
Result<std::string> RequiredString(const Json& object, std::string_view key, std::string_view path);

std::string Child(std::string_view path, std::string_view key);
std::string Index(std::string_view path, std::size_t index);

}  // namespace ix::adapters

#endif  // IX_ADAPTERS_VENDOR_JSON_HPP
