// The server's caller map (callers.json: identity -> municipality and role), read from a file as
// ix-server reads callers_file; every caller that loads must be found by its identity.
#include "../fuzz_support.hpp"

#include <ix/server/callers.hpp>

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = ix::fuzz::WriteScratch("callers.json", ix::fuzz::Bytes(data, size));
  auto callers = ix::server::CallerMap::FromFile(path.string());
  if (!callers.ok()) return 0;
  (void)callers->Find(std::vector<std::string>{"lifecare.sodertalje.example", ""});
  return 0;
}
