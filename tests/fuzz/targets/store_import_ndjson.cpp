// Store import, NDJSON: one canonical JSON ix.v1.Event per line (`ixctl import --format ndjson`).
#include "store_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ix::fuzz::RunImport(data, size, "ndjson");
  return 0;
}
