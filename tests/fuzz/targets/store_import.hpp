// The two store-import targets share this: `ixctl import` run in-process (ix::cli::Run) on the
// input as an events file, into a fresh event store, in one of its two formats.
#ifndef IX_TESTS_FUZZ_STORE_IMPORT_HPP
#define IX_TESTS_FUZZ_STORE_IMPORT_HPP

#include "../fuzz_support.hpp"

#include <ix/cli/cli.hpp>

#include <sstream>

namespace ix::fuzz {

inline void RunImport(const uint8_t* data, size_t size, const char* format) {
  static const auto secret = WriteScratch("secret", "fuzz-municipality-secret-0181\n");
  const auto events = WriteScratch("events", Bytes(data, size));
  const auto store = ScratchDir() / "events.sqlite";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(store.string() + suffix);
  std::ostringstream out, err;
  // Run takes the arguments after the program name (as main() passes them).
  const int code = cli::Run({"import", events.string(), "--format", format, "--store", store.string(),
                             "--secret-file", secret.string(), "--batch", "3"},
                            out, err);
  // No input makes a command line wrong: a usage error means the target never reached the
  // import (it once passed the program name too, and every input ended at the parser).
  if (code == cli::kExitUsage) Die("ixctl import: usage error: " + err.str());
}

}  // namespace ix::fuzz

#endif  // IX_TESTS_FUZZ_STORE_IMPORT_HPP
