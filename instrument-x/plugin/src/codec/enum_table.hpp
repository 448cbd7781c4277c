// One table per proto enum, read both ways: the pairs are written once, so a value added on one
// side cannot be forgotten on the way back.
#ifndef IX_PLUGIN_CODEC_ENUM_TABLE_HPP
#define IX_PLUGIN_CODEC_ENUM_TABLE_HPP

#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

namespace ix::plugin::codec {

template <typename Core, typename Wire>
class EnumTable {
 public:
  // `core_default` is what an unknown wire value reads as, `wire_default` what a core value
  // without a pair is written as (the proto's UNSPECIFIED).
  EnumTable(Core core_default, Wire wire_default, std::initializer_list<std::pair<Core, Wire>> pairs)
      : core_default_(core_default), wire_default_(wire_default), pairs_(pairs) {}

  Wire ToWire(Core value) const {
    for (const auto& [core, wire] : pairs_) {
      if (core == value) return wire;
    }
    return wire_default_;
  }

  // Lenient: an unknown wire value reads as the default.
  Core FromWire(Wire value) const { return Find(value).value_or(core_default_); }

  // Strict: nullopt for a wire value without a pair (the caller names the field).
  std::optional<Core> Find(Wire value) const {
    for (const auto& [core, wire] : pairs_) {
      if (wire == value) return core;
    }
    return std::nullopt;
  }

 private:
  Core core_default_;
  Wire wire_default_;
  std::vector<std::pair<Core, Wire>> pairs_;
};

}  // namespace ix::plugin::codec

#endif  // IX_PLUGIN_CODEC_ENUM_TABLE_HPP
