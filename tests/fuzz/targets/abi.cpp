// Every function of the plugin's ABI (the core table and both extensions) with request bytes
// from outside: the first input byte picks the function, the rest is the serialized request.
// One target rather than sixteen, so an input that reaches deep in one function is mutated
// into the others too (a ValidateRequest sent to suggest) and the CI time is spent once.
#include "../fuzz_support.hpp"

#include <array>

namespace {

struct Function {
  const char* name;
  ix_call_fn fn;
};

const std::array<Function, 16>& Functions() {
  static const std::array<Function, 16> functions = [] {
    const ix_plugin& core = ix::fuzz::Plugin().table();
    const ix_forms_v1& forms = ix::fuzz::Forms();
    const ix_categorisation_v1& cat = ix::fuzz::Categorisation();
    return std::array<Function, 16>{{
        {"describe", core.describe},
        {"validate", core.validate},
        {"forms.apply_answers", forms.apply_answers},
        {"forms.set_part_status", forms.set_part_status},
        {"forms.migrate", forms.migrate},
        {"forms.render_form", forms.render_form},
        {"forms.describe_definition", forms.describe_definition},
        {"forms.load_definition", forms.load_definition},
        {"forms.validate", forms.validate},
        {"categorisation.describe", cat.describe},
        {"categorisation.suggest", cat.suggest},
        {"categorisation.assess", cat.assess},
        {"categorisation.history", cat.history},
        {"categorisation.due", cat.due},
        {"categorisation.plan", cat.plan},
        {"categorisation.follow_up", cat.follow_up},
    }};
  }();
  return functions;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)Functions();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  const Function& function = Functions()[data[0] % Functions().size()];
  (void)ix::fuzz::Call(function.fn, ix::fuzz::Bytes(data + 1, size - 1));
  return 0;
}
