// Reading the few fields the caller checks need (a household's municipality code and reference)
// straight from a request's wire bytes, without parsing the whole request. The plugin parses
// every request itself; a second full parse in the server only to find the household cost about
// as much as the rest of the server's work per call (a household with its change trail is
// thousands of fields; docs/benchmarks.md).
//
// The value read is exactly the one protobuf's parser leaves in the field: a later occurrence
// of a field overrides an earlier one, repeated occurrences of an enclosing message merge, and
// a field whose wire type is not its declared one is an unknown field (skipped). So the check
// sees what the plugin will see. Bytes that are not well-formed along the way are refused.
#ifndef IX_SERVER_WIRE_SCOPE_HPP
#define IX_SERVER_WIRE_SCOPE_HPP

#include <google/protobuf/descriptor.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::server {

// Field numbers from a message type down to one of its fields, e.g. SuggestRequest
// "response.household" -> {1, 3}. Every step but the last must be a singular message field.
// Empty when the path does not name such fields (a programming error the tests catch).
std::vector<int> FieldPath(const google::protobuf::Descriptor* type, std::string_view dotted);

struct WireHousehold {
  std::string municipality_code;
  std::string household_ref;
};

// The household at `path` (a FieldPath to an ix.v1.Household) in `bytes`, with its
// municipality_code and household_ref as the parser would leave them (empty when absent).
// nullopt when the bytes are not a well-formed message along the path.
std::optional<WireHousehold> HouseholdAt(std::string_view bytes, const std::vector<int>& path);

}  // namespace ix::server

#endif  // IX_SERVER_WIRE_SCOPE_HPP
