// A field-code profile (JSON, adapters/fieldcodes/profiles/): loaded against each definition
// the plugin carries; a profile that loads exports the example household's response.
#include "../fuzz_support.hpp"

#include <ix/adapters/fieldcodes/fieldcodes.hpp>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)ix::fuzz::Definitions();
  (void)ix::fuzz::ExampleHousehold();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fieldcodes = ix::adapters::fieldcodes;
  for (const auto& definition : ix::fuzz::Definitions()) {
    auto profile = fieldcodes::LoadProfile(ix::fuzz::Bytes(data, size), "fuzz.json", definition);
    if (!profile.ok()) continue;
    ix::v1::InstrumentResponse response = ix::fuzz::ExampleHousehold();
    *response.mutable_instrument() = profile->instrument;
    (void)fieldcodes::ExportResponse(response, *profile);
  }
  return 0;
}
