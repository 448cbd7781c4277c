// A Lifecare FamilyCare v1 investigation export (JSON, the vendor's DTOs): read into a
// canonical case, then written back as Lifecare would receive it, with its summary note.
#include "../fuzz_support.hpp"

#include <ix/adapters/lifecare/lifecare.hpp>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)ix::fuzz::Forsorjningshinder();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace lifecare = ix::adapters::lifecare;
  auto json = ix::adapters::ParseVendorJson(ix::fuzz::Bytes(data, size), "fuzz.json");
  if (!json.ok()) return 0;
  lifecare::FromLifecareOptions options;
  options.municipality_code = "0181";
  auto imported = lifecare::FromLifecare(*json, ix::fuzz::Forsorjningshinder(), options);
  if (!imported.ok()) return 0;
  lifecare::ToLifecareOptions back;
  back.links = imported->links;
  (void)lifecare::ToLifecare(imported->household_case, ix::fuzz::Forsorjningshinder(), back);
  (void)lifecare::SummaryNote(imported->household_case, ix::fuzz::Forsorjningshinder());
  return 0;
}
