// The extension registry: get_extension(context, id) looks the id up here. Each extension's
// function table is defined in its own file (<name>_extension.cpp) with a C header under
// plugin-api/include/ix/ext/. Add one line per extension.
#include <ix/ext/categorisation.h>
#include <ix/ext/forms.h>

#include "session.hpp"

#include <cstring>

namespace ix::plugin {

const void* FormsExtension();  // forms_extension.cpp
const void* CategorisationExtension();  // categorisation_extension.cpp

namespace {
struct ExtensionEntry {
  const char* id;
  const void* (*table)();
};

constexpr ExtensionEntry kExtensions[] = {
    {IX_FORMS_EXTENSION_ID, &FormsExtension},
    {IX_CATEGORISATION_EXTENSION_ID, &CategorisationExtension},
    {nullptr, nullptr},  // end marker (keeps the array non-empty)
};
}  // namespace

const void* FindExtension(const char* extension_id) {
  if (extension_id == nullptr) return nullptr;
  for (const ExtensionEntry& e : kExtensions) {
    if (e.id != nullptr && std::strcmp(e.id, extension_id) == 0) return e.table();
  }
  return nullptr;
}

}  // namespace ix::plugin
