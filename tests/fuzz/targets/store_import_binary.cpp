// Store import, length-delimited binary ix.v1.Event (`ixctl import --format binary`, what
// `ixctl generate` writes).
#include "store_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ix::fuzz::RunImport(data, size, "binary");
  return 0;
}
