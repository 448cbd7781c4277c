// Startup checks of the server's TLS files with OpenSSL, so that a wrong file gives a clear
// error naming it (gRPC itself would only fail to start with a generic message).
#ifndef IX_SERVER_TLS_CHECK_HPP
#define IX_SERVER_TLS_CHECK_HPP

#include <ix/base/status.hpp>
#include <ix/server/config.hpp>

#include <string>

namespace ix::server {

struct TlsMaterial {
  std::string cert_chain;  // PEM
  std::string private_key;
  std::string client_ca;
};

// Reads the files; checks each parses, the certificate is valid now (not expired, not yet
// valid), the key belongs to the certificate, the CA file holds at least one certificate.
Result<TlsMaterial> LoadTlsMaterial(const server_config::v1::Tls& files);

}  // namespace ix::server

#endif  // IX_SERVER_TLS_CHECK_HPP
