// A FHIR R4 QuestionnaireResponse from another system (JSON): parsed as vendor JSON, read into
// a canonical response against the plugin's definitions; what reads is written back to FHIR
// (the round trip a vendor's integration does).
#include "../fuzz_support.hpp"

#include <ix/adapters/fhir/fhir.hpp>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)ix::fuzz::Definitions();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fhir = ix::adapters::fhir;
  auto json = ix::adapters::ParseVendorJson(ix::fuzz::Bytes(data, size), "fuzz.json");
  if (!json.ok()) return 0;
  const auto& definitions = ix::fuzz::Definitions();
  for (const char* language : {"sv", "en"}) {
    fhir::Options options;
    options.language = language;
    auto imported = fhir::ResponseFromFhir(*json, definitions, options);
    if (!imported.ok()) continue;
    for (const auto& definition : definitions) {
      if (definition.id() == imported->response.instrument().instrument_id() &&
          definition.version() == imported->response.instrument().version()) {
        (void)fhir::ResponseToFhir(imported->response, definition, options);
      }
    }
  }
  return 0;
}
