// The server's household read from the wire (adapters/server/src/wire_scope.cpp) against
// protobuf's own parse of the same bytes. The server decides whether a caller may touch a
// household from the two fields it reads there, and the plugin then parses the whole request:
// if the two ever disagreed, a caller could pass the check with one municipality and be served
// another. The first input byte picks the request type (each with the path the server reads),
// the rest is the request. Whenever protobuf parses the bytes, the wire read must succeed and
// name exactly the household the parse holds.
#include "wire_scope.hpp"

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/forms.pb.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

template <typename Request, typename Get>
void Compare(std::string_view bytes, const char* path, Get household_of) {
  static const std::vector<int> field_path = ix::server::FieldPath(Request::descriptor(), path);
  if (field_path.empty()) {
    std::fprintf(stderr, "%s has no household at %s\n", Request::descriptor()->full_name().c_str(), path);
    std::abort();
  }
  Request parsed;
  const bool parsed_ok = parsed.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  const auto read = ix::server::HouseholdAt(bytes, field_path);
  if (!parsed_ok) return;  // the plugin refuses these bytes whatever the wire read said
  if (!read) {
    std::fprintf(stderr, "protobuf parses the %s, the wire read refuses it\n", path);
    std::abort();
  }
  const ix::v1::Household& household = household_of(parsed);
  if (read->municipality_code != household.municipality_code() ||
      read->household_ref != household.household_ref()) {
    std::fprintf(stderr, "the wire read and protobuf's parse name different households at %s\n", path);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      Compare<ix::v1::SuggestRequest>(bytes, "response.household",
                                      [](const auto& r) -> const ix::v1::Household& { return r.response().household(); });
      break;
    case 1:
      Compare<ix::v1::ApplyAnswersRequest>(bytes, "response.household",
                                           [](const auto& r) -> const ix::v1::Household& { return r.response().household(); });
      break;
    default:
      Compare<ix::v1::FollowUpRequest>(bytes, "household",
                                       [](const auto& r) -> const ix::v1::Household& { return r.household(); });
      break;
  }
  return 0;
}
