// Strict reading of vendor JSON documents: bad input is normal, so every problem becomes a
// Status naming the document and the field (a JSON-pointer-like path), never an exception
// or a crash. Values are never quoted in messages (they may be personal data).
#ifndef IX_ADAPTERS_VENDOR_JSON_HPP
#define IX_ADAPTERS_VENDOR_JSON_HPP

#include <ix/base/json.hpp>
#include <ix/base/status.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace ix::adapters {

// Key order is kept, so emitted documents are stable (golden files) and readable, and errors
// about a document read name its first offending member in the vendor's order. Reading one
// costs linear time all the same: the base toolkit's parser appends members without
// nlohmann's per-key search (whose insertion is quadratic), and a lookup by a known key scans
// an object whose keys were already checked against a short list (ExpectOnlyKeys).
using Json = nlohmann::ordered_json;

// Larger documents are refused before parsing (one household is a few hundred kB at most).
inline constexpr std::size_t kMaxVendorDocumentBytes = base::kMaxJsonBytes;

// Parses `text` (must be UTF-8) into a JSON value, once, within `limits` (bytes, depth, keys
// per object, elements per array, bytes per string; defaults in docs/limits.md). Errors name
// `source` and the parser's line and column, or the path, the value and the limit.
inline Result<Json> ParseVendorJson(std::string_view text, std::string_view source,
                                    const base::JsonLimits& limits = {}) {
  return base::ParseJson<Json>(text, source, limits);
}

// Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view text);

// The strict field readers are the base toolkit's (ix/base/json.hpp), shared with the host
// library and the server's configuration.
using base::Child;
using base::ExpectArray;
using base::ExpectObject;
using base::ExpectOnlyKeys;
using base::FieldError;
using base::Index;
using base::JsonTypeName;
using base::OptionalBool;
using base::OptionalInt;
using base::OptionalString;
using base::RequiredString;

}  // namespace ix::adapters

#endif  // IX_ADAPTERS_VENDOR_JSON_HPP
