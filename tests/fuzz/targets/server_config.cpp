// ix-server's configuration file (JSON, protobuf's JSON mapping of ServerConfig), read as the
// server reads it at start, then its caller map and the checks the server runs before listening.
#include "../fuzz_support.hpp"

#include <ix/server/config.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace server = ix::server;
  const auto path = ix::fuzz::WriteScratch("ix-server.json", ix::fuzz::Bytes(data, size));
  server::ServerConfig config;
  if (!server::LoadConfigFile(path, &config).ok()) return 0;
  (void)server::LoadCallers(config);
  (void)server::CheckConfig(config);
  return 0;
}
