// A vendor's host: loads the installed plugin through the installed SDK, negotiates, and calls
// describe with raw (empty) request bytes — the vendor links no protobuf of ours at all.
#include <ix/host/loader.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : INSTRUMENTX_PLUGIN;
  auto session = ix::host::LoadPlugin(path);
  if (!session.ok()) {
    std::fprintf(stderr, "vendor_host: %s\n", session.status().ToString().c_str());
    return 1;
  }
  auto described = session->CallRaw(session->table().describe, "");
  if (!described.ok() || described->empty()) {
    std::fprintf(stderr, "vendor_host: describe failed: %s\n", described.status().ToString().c_str());
    return 1;
  }
  std::printf("vendor_host: loaded %s %s (ABI %s), %zu instrument(s), describe answered %zu bytes\n",
              std::string(session->name()).c_str(), std::string(session->version()).c_str(),
              session->abi_version().c_str(), session->table().instrument_count, described->size());
  return 0;
}
