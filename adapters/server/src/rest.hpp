// The REST/JSON port of ix-server (config "rest", docs/rest.md). Not a second implementation:
// each request is matched to its route (rest_routes.hpp), its client certificate is checked by
// the same admission table as a gRPC call's (admission.hpp), its JSON body becomes the request
// message's wire bytes (protobuf's canonical JSON mapping, unknown fields refused; rest_json.hpp),
// and the bytes are handed to the very gRPC service method a gRPC client reaches, through the
// server's in-process channel; its answer's bytes are printed straight to JSON. That method does the caller map, role and municipality checks, the limits and the
// audit record, as for every gRPC call. Errors come back as google.rpc.Status in JSON with the
// HTTP status of their gRPC code.
//
// The caller's identities travel to the service as metadata with the process's secret
// (Backend::rest_secret); RestIdentities reads them back only when the secret matches.
#ifndef IX_SERVER_REST_HPP
#define IX_SERVER_REST_HPP

#include <ix/base/status.hpp>

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

namespace ix::server {

struct Backend;
class Admission;

// The caller identities a REST request carries to the service, when it carries the right
// secret (constant-time comparison); false for any other call.
bool RestIdentities(const grpc::ServerContextBase& context, const std::string& secret,
                    std::vector<std::string>* identities);

class RestPort {
 public:
  // Listens on config.rest.listen with the server's TLS material (mutual TLS: a client without
  // a certificate signed by tls.client_ca fails the handshake), or plaintext when the server
  // runs insecure_loopback. `admission` is null in plaintext (one mapped caller).
  static Result<std::unique_ptr<RestPort>> Start(Backend& backend, grpc::Server& server,
                                                 Admission* admission);
  ~RestPort();

  int port() const;
  // Stops accepting connections and requests (a kept-alive connection ends after its current
  // request); returns at once.
  void StopAccepting();
  // StopAccepting, then waits for the requests in progress.
  void Stop();

  struct Impl;

 private:
  explicit RestPort(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ix::server

#endif  // IX_SERVER_REST_HPP
