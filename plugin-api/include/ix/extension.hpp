// "Does the plugin have this extension function?" answered once, for every host-side user
// (ix-server, ixctl, the vendor adapters' plugin data). An extension table is found by its id
// (IX_*_EXTENSION_ID) and may be older than the header the host was built with: a member is
// only usable when the plugin's struct_size reaches past it and the pointer is set. Header-only
// beside PluginSession, so code that must not depend on the host library (vendor translations)
// can ask too.
#ifndef IX_EXTENSION_HPP
#define IX_EXTENSION_HPP

#include <ix/ext/categorisation.h>
#include <ix/ext/forms.h>
#include <ix/plugin.hpp>

#include <cstddef>
#include <string>

namespace ix {

// The id each extension table is offered under.
template <typename Table>
struct ExtensionId;
template <>
struct ExtensionId<ix_categorisation_v1> {
  static constexpr const char* kValue = IX_CATEGORISATION_EXTENSION_ID;
};
template <>
struct ExtensionId<ix_forms_v1> {
  static constexpr const char* kValue = IX_FORMS_EXTENSION_ID;
};

// The extension table the plugin offers, when its struct_size covers at least `needed` bytes
// (default: the whole table as this host knows it). kUnimplemented otherwise, naming the
// plugin and the extension.
template <typename Table>
Result<const Table*> RequireExtension(const PluginSession& session, size_t needed = sizeof(Table)) {
  const auto* table = session.GetExtension<Table>(ExtensionId<Table>::kValue);
  if (table == nullptr) {
    return Status(StatusCode::kUnimplemented,
                  session.origin() + ": the plugin does not offer " + ExtensionId<Table>::kValue);
  }
  if (table->struct_size < needed) {
    return Status(StatusCode::kUnimplemented,
                  session.origin() + ": the plugin's " + ExtensionId<Table>::kValue + " table (" +
                      std::to_string(table->struct_size) + " bytes) is older than this host needs (" +
                      std::to_string(needed) + " bytes)");
  }
  return table;
}

namespace detail {
template <typename Member>
struct TableOf;
template <typename Table>
struct TableOf<ix_call_fn Table::*> {
  using type = Table;
};
}  // namespace detail

// One function of an extension table, e.g. RequireExtensionFunction<&ix_forms_v1::answer>:
// the table must be offered, reach past that member, and the pointer must be set.
template <auto Fn>
Result<ix_call_fn> RequireExtensionFunction(const PluginSession& session) {
  using Table = typename detail::TableOf<decltype(Fn)>::type;
  // The member's end, from its offset in this host's layout of the table.
  const Table layout{};
  const auto offset = static_cast<size_t>(reinterpret_cast<const char*>(&(layout.*Fn)) -
                                          reinterpret_cast<const char*>(&layout));
  auto table = RequireExtension<Table>(session, offset + sizeof(ix_call_fn));
  if (!table.ok()) return table.status();
  if ((*table)->*Fn == nullptr) {
    return Status(StatusCode::kUnimplemented, session.origin() + ": the plugin's " +
                                                    ExtensionId<Table>::kValue +
                                                    " table leaves this function empty");
  }
  return (*table)->*Fn;
}

}  // namespace ix

#endif  // IX_EXTENSION_HPP
