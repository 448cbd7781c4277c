// A municipality's trusted publisher keys file (plugin-api/host bundle: {"keys": [...]}), read
// from a file as ix-server and `ixctl bundle verify` read it; the keys that load are used to
// verify a bundle folder that holds no valid signature (refused, never trusted).
#include "../scratch.hpp"

#include <ix/host/bundle.hpp>

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace bundle = ix::host::bundle;
  const auto path = ix::fuzz::WriteScratch("trusted-keys.json", ix::fuzz::Bytes(data, size));
  auto keys = bundle::LoadTrustedKeys(path);
  if (!keys.ok()) return 0;
  const auto dir = ix::fuzz::ScratchDir() / "bundle";
  std::filesystem::create_directories(dir);
  ix::fuzz::WriteScratch("bundle/manifest.json", "{}");
  bundle::VerifyOptions options;
  options.trusted_keys = *keys;
  const bundle::Verification verification = bundle::Verify(dir, options);
  if (verification.ok()) {
    std::fprintf(stderr, "an unsigned bundle verified with the loaded keys\n");
    std::abort();
  }
  return 0;
}
