#include "wire_scope.hpp"

#include "ix/v1/household.pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <cstdint>

namespace ix::server {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;

// Walks one message's fields in `bytes`; at depth < path.size() descends into every occurrence
// of path[depth] (length-delimited), at the end reads the household's two strings.
bool Walk(std::string_view bytes, const std::vector<int>& path, size_t depth, WireHousehold* out) {
  static const int kMunicipality = v1::Household::kMunicipalityCodeFieldNumber;
  static const int kRef = v1::Household::kHouseholdRefFieldNumber;
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size()));
  for (;;) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return in.ConsumedEntireMessage();  // the end, or a malformed tag
    const int field = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
    const bool delimited = WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    const bool wanted = depth < path.size()
                            ? field == path[depth]
                            : field == kMunicipality || field == kRef;
    if (!wanted || !delimited) {
      // Another field, or ours with a wire type that makes it an unknown field to the parser.
      if (WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_END_GROUP) return false;
      if (!WireFormatLite::SkipField(&in, tag)) return false;
      continue;
    }
    uint32_t length = 0;
    if (!in.ReadVarint32(&length)) return false;
    const void* data = nullptr;
    int available = 0;
    if (!in.GetDirectBufferPointer(&data, &available) && length > 0) return false;
    if (static_cast<uint32_t>(available) < length) return false;
    const std::string_view value(static_cast<const char*>(data), length);
    if (!in.Skip(static_cast<int>(length))) return false;
    if (depth < path.size()) {
      if (!Walk(value, path, depth + 1, out)) return false;
    } else if (field == kMunicipality) {
      out->municipality_code.assign(value);
    } else {
      out->household_ref.assign(value);
    }
  }
}

}  // namespace

std::vector<int> FieldPath(const google::protobuf::Descriptor* type, std::string_view dotted) {
  std::vector<int> path;
  while (!dotted.empty()) {
    const size_t dot = dotted.find('.');
    const std::string name(dotted.substr(0, dot));
    const auto* field = type == nullptr ? nullptr : type->FindFieldByName(name);
    if (field == nullptr || field->is_repeated() ||
        field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      return {};
    }
    path.push_back(field->number());
    type = field->message_type();
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  if (type != v1::Household::descriptor()) return {};
  return path;
}

std::optional<WireHousehold> HouseholdAt(std::string_view bytes, const std::vector<int>& path) {
  if (path.empty() || bytes.size() > static_cast<size_t>(INT32_MAX)) return std::nullopt;
  WireHousehold out;
  if (!Walk(bytes, path, 0, &out)) return std::nullopt;
  return out;
}

}  // namespace ix::server
