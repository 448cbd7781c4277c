// A field-code file (flat "field;person;value" records from a municipality's system), read
// with each shipped profile into the example household; what reads is exported again.
#include "../fuzz_support.hpp"

#include <ix/adapters/fieldcodes/fieldcodes.hpp>

#include <vector>

namespace {

namespace fieldcodes = ix::adapters::fieldcodes;

const std::vector<fieldcodes::Profile>& Profiles() {
  static const std::vector<fieldcodes::Profile> profiles = [] {
    std::vector<fieldcodes::Profile> loaded;
    for (const char* file : {"kommunsystem-a-v1.json", "kommunsystem-b-v2.json"}) {
      const std::string text = ix::fuzz::ReadFileOrDie(std::filesystem::path(IX_FIELDCODE_PROFILES_DIR) / file);
      for (const auto& definition : ix::fuzz::Definitions()) {
        auto profile = fieldcodes::LoadProfile(text, file, definition);
        if (profile.ok()) loaded.push_back(std::move(*profile));
      }
    }
    if (loaded.size() != 2) {
      std::fprintf(stderr, "fuzz harness: expected 2 shipped field-code profiles, loaded %zu\n", loaded.size());
      std::abort();
    }
    return loaded;
  }();
  return profiles;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)Profiles();
  (void)ix::fuzz::ExampleHousehold();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (const auto& profile : Profiles()) {
    auto imported = fieldcodes::ImportRecords(ix::fuzz::Bytes(data, size), "fuzz.csv", ix::fuzz::ExampleHousehold().household(), profile);
    if (imported.ok()) (void)fieldcodes::ExportResponse(imported->response, profile);
  }
  return 0;
}
