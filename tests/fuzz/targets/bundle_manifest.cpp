// A plugin bundle's manifest.json (plugin-api/host bundle): parsed as the host reads it before
// trusting anything else in the bundle; what parses is written back and must parse again to
// the same manifest, and its version is ordered against the running one. Law: the numbers read
// are the numbers written in the document (no wrapping: major 65537 is not major 1).
#include "../scratch.hpp"

#include <ix/host/bundle.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace bundle = ix::host::bundle;
  auto manifest = bundle::ParseManifest(std::string(ix::fuzz::Bytes(data, size)));
  if (!manifest.ok()) return 0;
  const auto document = nlohmann::json::parse(ix::fuzz::Bytes(data, size));
  const auto& abi = document.at("abi");
  if (document.at("format") != manifest->format || abi.at("major") != manifest->abi_major ||
      abi.at("min_minor") != manifest->abi_min_minor || abi.at("max_minor") != manifest->abi_max_minor) {
    std::fprintf(stderr, "the manifest's numbers are not the document's\n");
    std::abort();
  }
  (void)bundle::CompareVersions(manifest->plugin_version, "0.1.0");
  (void)bundle::CompareVersions("0.1.0", manifest->plugin_version);
  const std::string written = bundle::ManifestToJson(*manifest);
  auto again = bundle::ParseManifest(written);
  if (!again.ok() || bundle::ManifestToJson(*again) != written) {
    std::fprintf(stderr, "a parsed manifest does not survive writing and reading: %s\n",
                 again.ok() ? "changed" : again.status().message().c_str());
    std::abort();
  }
  return 0;
}
