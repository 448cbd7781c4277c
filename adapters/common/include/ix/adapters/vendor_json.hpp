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

// Key order is kept, so emitted documents are stable (golden files) and readable.
using Json = nlohmann::ordered_json;

// Larger documents are refused before parsing (one household is a few hundred kB at most).
inline constexpr std::size_t kMaxVendorDocumentBytes = base::kMaxJsonBytes;

// Parses `text` (must be UTF-8; must be at most max_bytes) into a JSON value. Errors name
// `source` and the parser's line and column.
inline Result<Json> ParseVendorJson(std::string_view text, std::string_view source,
                                    std::size_t max_bytes = kMaxVendorDocumentBytes) {
  return base::ParseJson<Json>(text, source, max_bytes);
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
