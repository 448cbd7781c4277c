#include "rest.hpp"

#include <ix/base/crypto.hpp>
#include <ix/base/json.hpp>
#include <ix/server/errors.hpp>
#include <ix/server/rest_json.hpp>
#include <ix/server/rest_routes.hpp>

#include "admission.hpp"
#include "backend.hpp"
#include "google/rpc/status.pb.h"
#include "tls_check.hpp"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <httplib.h>
#include <openssl/x509v3.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <arpa/inet.h>

#include <functional>
#include <future>
#include <map>
#include <thread>

namespace ix::server {
namespace {

namespace pb = google::protobuf;

// Metadata keys of a request handed from the REST port to the service in process.
constexpr const char* kSecretKey = "ix-rest-secret";
constexpr const char* kIdentityKey = "ix-rest-identity";

// Requests one kept-alive connection may carry before the server closes it.
constexpr size_t kKeepAliveRequests = 1000;

std::string NewSecret() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return base::crypto::ToHex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

// The client certificate's identities as gRPC's TLS reports them (admission.hpp's
// PeerIdentities): the subject CN first, then every SAN (DNS, URI, e-mail, IP).
std::vector<std::string> CertificateIdentities(const SSL* ssl) {
  std::vector<std::string> out;
  if (ssl == nullptr) return out;
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return out;
  if (X509_NAME* subject = X509_get_subject_name(cert)) {
    const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (at >= 0) {
      ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
      unsigned char* utf8 = nullptr;
      const int n = ASN1_STRING_to_UTF8(&utf8, data);
      if (n > 0) out.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
      OPENSSL_free(utf8);
    }
  }
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS || name->type == GEN_URI || name->type == GEN_EMAIL) {
      const ASN1_IA5STRING* s = name->d.ia5;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<size_t>(ASN1_STRING_length(s)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.ip;
      char text[64] = {};
      const int family = ASN1_STRING_length(ip) == 4 ? AF_INET : AF_INET6;
      if (inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof text) != nullptr) out.emplace_back(text);
    }
  }
  GENERAL_NAMES_free(names);
  X509_free(cert);
  return out;
}

// A google.rpc.Status as the JSON body of an error, with the HTTP status of its code.
void SendStatus(httplib::Response& res, const grpc::Status& status) {
  google::rpc::Status body;
  if (status.error_details().empty() || !body.ParseFromString(status.error_details())) {
    body.Clear();
    body.set_code(status.error_code());
    body.set_message(status.error_message());
  }
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!pb::util::MessageToJsonString(body, &json, options).ok()) {
    // A detail type missing from the pool: code and message still reach the client.
    google::rpc::Status bare;
    bare.set_code(status.error_code());
    bare.set_message(status.error_message());
    (void)pb::util::MessageToJsonString(bare, &json, options);
  }
  res.status = rest::HttpStatus(status.error_code());
  res.set_content(json, "application/json");
}

// A JSON body, or one without a type (the body is read as JSON either way). A form-encoded body
// (curl's default with --data) is refused: the HTTP library would read it as parameters.
bool IsJson(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  return type.empty() || type.rfind("application/json", 0) == 0;
}

}  // namespace

bool RestIdentities(const grpc::ServerContextBase& context, const std::string& secret,
                    std::vector<std::string>* identities) {
  if (secret.empty()) return false;
  const auto& metadata = context.client_metadata();
  const auto given = metadata.find(kSecretKey);
  if (given == metadata.end() || given->second.size() != secret.size() ||
      sodium_memcmp(given->second.data(), secret.data(), secret.size()) != 0) {
    return false;
  }
  std::vector<std::string> found;
  const auto [first, last] = metadata.equal_range(kIdentityKey);
  for (auto it = first; it != last; ++it) found.emplace_back(it->second.data(), it->second.size());
  if (found.empty()) return false;
  *identities = std::move(found);
  return true;
}

struct RestPort::Impl {
  Backend& backend;
  Admission* admission;
  std::vector<rest::Route> routes;
  std::map<std::string, const rest::Route*, std::less<>> by_path;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<grpc::GenericStub> stub;
  rest::JsonCodec codec;
  std::unique_ptr<httplib::Server> http;
  std::thread listener;
  int port = 0;
  std::atomic<uint64_t> refused{0};

  Impl(Backend& b, Admission* a) : backend(b), admission(a) {}

  std::string RequestId() {
    return backend.request_prefix + "-h" + std::to_string(refused.fetch_add(1, std::memory_order_relaxed));
  }

  // The audit log's name for whoever presented `identities`: the mapped identity, else
  // "unknown:<CN>" (as admission writes it), and its municipality.
  std::pair<std::string, std::string> Who(const std::vector<std::string>& identities) const {
    if (backend.config.insecure_loopback()) {
      const Caller* caller = backend.callers.Find(backend.config.loopback_caller());
      if (caller != nullptr) return {caller->identity, caller->municipality_code};
    }
    if (const Caller* caller = backend.callers.Find(identities)) return {caller->identity, caller->municipality_code};
    return {identities.empty() ? "unknown" : "unknown:" + BoundAuditValue(identities.front()), ""};
  }

  // A refusal the REST port makes itself, before any service method (no route, a body that is
  // not the request message): audited like every refusal, under the request id its status
  // carries. `make` builds the status for that id.
  void Refuse(httplib::Response& res, const std::vector<std::string>& identities, const std::string& rpc,
              const std::string& detail, const std::function<grpc::Status(const std::string&)>& make) {
    const std::string id = RequestId();
    const grpc::Status status = make(id);
    const auto [who, municipality] = Who(identities);
    (void)backend.audit->Record(AuditRecord{.request_id = id,
                                            .caller = who,
                                            .municipality = municipality,
                                            .rpc = rpc,
                                            .household = "",
                                            .outcome = std::string(CodeName(status.error_code())),
                                            .detail = BoundAuditValue(detail)});
    SendStatus(res, status);
  }

  void Handle(const httplib::Request& req, httplib::Response& res) {
    const std::vector<std::string> identities =
        backend.config.insecure_loopback() ? std::vector<std::string>{} : CertificateIdentities(req.ssl);
    const auto found = by_path.find(req.path);
    if (found == by_path.end()) {
      Refuse(res, identities, "rest", "no route", [&](const std::string& id) {
        return Plain(id, grpc::StatusCode::NOT_FOUND, "IX_NO_ROUTE",
                     "no REST route " + BoundAuditValue(req.path) + " (the routes: openapi.json, docs/rest.md)");
      });
      return;
    }
    const rest::Route& route = *found->second;
    const std::string method = route.GrpcMethod();
    const std::string rpc = RpcName(method);
    if (req.method != route.verb) {
      Refuse(res, identities, rpc, "verb", [&](const std::string& id) {
        return Plain(id, grpc::StatusCode::UNIMPLEMENTED, "IX_WRONG_METHOD",
                     route.path + " takes " + route.verb + ", not " + BoundAuditValue(req.method));
      });
      res.set_header("Allow", route.verb);
      res.status = 405;
      return;
    }
    // The same gate as gRPC's before anything of the request is parsed.
    if (admission != nullptr) {
      if (grpc::Status st = admission->Check(identities, method); !st.ok()) {
        SendStatus(res, st);
        return;
      }
    }
    // The request is the body: a query string would be read by nothing, so it is refused
    // (naming the first parameter) rather than silently ignored.
    if (const auto q = req.target.find('?'); q != std::string::npos) {
      const std::string query = req.target.substr(q + 1);
      const std::string name = BoundAuditValue(query.substr(0, query.find_first_of("=&")));
      Refuse(res, identities, rpc, "query", [&](const std::string& id) {
        return InvalidField(id, "query." + name, "query parameters are not read: the request is the JSON body");
      });
      return;
    }
    if (route.body && !IsJson(req)) {
      Refuse(res, identities, rpc, "Content-Type", [&](const std::string& id) {
        return InvalidField(id, "Content-Type",
                            "the body is the request message as JSON: send Content-Type: application/json");
      });
      res.status = 415;
      return;
    }
    // JSON straight to the request's wire bytes (rest_json.hpp): the service method takes
    // bytes, so no message object is built here.
    std::string bytes;
    if (route.body) {
      const std::string source = "body";
      if (Status limits = base::CheckJsonLimits(req.body, source); !limits.ok()) {
        Refuse(res, identities, rpc, "body",
               [&](const std::string& id) { return FromStatus(id, limits, "IX_INVALID_FIELD"); });
        return;
      }
      const auto parsed = codec.ToBinary(req.body, *route.method->input_type(), &bytes);
      if (!parsed.ok()) {
        const std::string message(parsed.message());
        std::string field = rest::JsonErrorField(message);
        if (field.empty()) field = "body";
        Refuse(res, identities, rpc, field, [&](const std::string& id) {
          return InvalidField(id, field,
                              "not a valid " + route.method->input_type()->full_name() + " (canonical JSON): " +
                                  message);
        });
        return;
      }
    } else if (!req.body.empty()) {
      Refuse(res, identities, rpc, "body", [&](const std::string& id) {
        return InvalidField(id, "body", route.verb + " " + route.path + " takes no body");
      });
      return;
    }
    grpc::Slice slice(bytes);
    const grpc::ByteBuffer in(&slice, 1);
    grpc::ByteBuffer out;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(backend.config.limits().max_deadline_ms()));
    context.AddMetadata(kSecretKey, backend.rest_secret);
    for (const std::string& identity : identities) context.AddMetadata(kIdentityKey, identity);
    std::promise<grpc::Status> done;
    stub->UnaryCall(&context, method, grpc::StubOptions(), &in, &out,
                    [&done](grpc::Status st) { done.set_value(std::move(st)); });
    const grpc::Status status = done.get_future().get();
    if (!status.ok()) {
      SendStatus(res, status);
      return;
    }
    std::vector<grpc::Slice> slices;
    std::string answer;
    if (out.Dump(&slices).ok()) {
      answer.reserve(out.Length());
      for (const auto& s : slices) answer.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    std::string json;
    if (!codec.ToJson(answer, *route.method->output_type(), &json).ok()) {
      SendStatus(res, Plain(RequestId(), grpc::StatusCode::INTERNAL, "IX_REST_FAILURE",
                            "the answer of " + rpc + " could not be written as JSON"));
      return;
    }
    res.status = 200;
    res.set_content(json, "application/json");
  }
};

Result<std::unique_ptr<RestPort>> RestPort::Start(Backend& backend, grpc::Server& server, Admission* admission) {
  const auto& config = backend.config;
  auto impl = std::make_unique<Impl>(backend, admission);
  auto routes = rest::Routes();
  if (!routes.ok()) return routes.status();
  impl->routes = std::move(*routes);
  for (const rest::Route& route : impl->routes) impl->by_path[route.path] = &route;
  backend.rest_secret = NewSecret();
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);  // the service's own limit applies to what it sends
  impl->channel = server.InProcessChannel(args);
  impl->stub = std::make_unique<grpc::GenericStub>(impl->channel);

  if (config.insecure_loopback()) {
    impl->http = std::make_unique<httplib::Server>();
  } else {
    // The files were checked by the gRPC side already (LoadTlsMaterial names a bad one).
    auto ssl = std::make_unique<httplib::SSLServer>(config.tls().cert().c_str(), config.tls().key().c_str(),
                                                    config.tls().client_ca().c_str());
    if (!ssl->is_valid()) {
      return Status(StatusCode::kInvalidArgument,
                    "rest.listen: the REST port cannot use tls.cert, tls.key and tls.client_ca");
    }
    impl->http = std::move(ssl);
  }
  httplib::Server& http = *impl->http;
  const uint32_t threads = config.rest().threads();
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // The largest body is the largest gRPC message: the same request either way.
  const auto max_body = static_cast<size_t>(config.max_message_bytes());
  http.set_payload_max_length(max_body);
  const auto timeout = std::chrono::milliseconds(config.rest().read_timeout_ms());
  http.set_read_timeout(timeout);
  http.set_write_timeout(timeout);
  // Headers and body go out in separate writes: without TCP_NODELAY the body waits for the
  // client's delayed ACK (tens of ms per call).
  http.set_tcp_nodelay(true);
  // httplib closes a kept-alive connection after 5 requests by default, so a client that keeps
  // its connection paid a new mutual-TLS handshake every 5 calls (measured: about 0.8 ms of CPU
  // per call on average, docs/benchmarks.md "REST"). A connection holds one of rest.threads
  // while it lives either way (until it idles for 5 s); this only lets it carry more calls per
  // handshake.
  http.set_keep_alive_max_count(kKeepAliveRequests);
  Impl* raw = impl.get();
  const auto handler = [raw](const httplib::Request& req, httplib::Response& res) { raw->Handle(req, res); };
  for (const char* verb : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
    const std::string any = ".*";
    if (std::string_view(verb) == "GET") http.Get(any, handler);
    if (std::string_view(verb) == "POST") http.Post(any, handler);
    if (std::string_view(verb) == "PUT") http.Put(any, handler);
    if (std::string_view(verb) == "DELETE") http.Delete(any, handler);
    if (std::string_view(verb) == "PATCH") http.Patch(any, handler);
  }
  // httplib's own refusals (a body over the limit: 413) get a google.rpc.Status naming it.
  http.set_error_handler(httplib::Server::HandlerWithResponse([raw, max_body](const httplib::Request& req,
                                                                            httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const int http_status = res.status;
    const auto identities = raw->backend.config.insecure_loopback() ? std::vector<std::string>{}
                                                                    : CertificateIdentities(req.ssl);
    const auto route = raw->by_path.find(req.path);
    const std::string rpc = route == raw->by_path.end() ? "rest" : RpcName(route->second->GrpcMethod());
    raw->Refuse(res, identities, rpc, http_status == 413 ? "max_message_bytes" : "http",
                [&](const std::string& id) {
                  if (http_status == 413 && !IsJson(req)) {
                    // The HTTP library limits a form-encoded body to a few kB before anything else.
                    return InvalidField(id, "Content-Type",
                                        "the body is the request message as JSON: send Content-Type: "
                                        "application/json");
                  }
                  if (http_status == 413) {
                    return InvalidField(id, "body", "the request body is larger than max_message_bytes (" +
                                                        std::to_string(max_body) + " bytes)");
                  }
                  return Plain(id, grpc::StatusCode::INVALID_ARGUMENT, "IX_BAD_HTTP",
                               "the HTTP request could not be read (status " + std::to_string(http_status) + ")");
                });
    res.status = http_status == 413 && !IsJson(req) ? 415 : http_status;
    return httplib::Server::HandlerResponse::Handled;
  }));

  std::string host, port_text;
  const std::string& listen = config.rest().listen();
  const auto colon = listen.rfind(':');
  host = listen.substr(0, colon);
  port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const int wanted = std::stoi(port_text);
  if (wanted == 0) {
    impl->port = http.bind_to_any_port(host);
  } else if (http.bind_to_port(host, wanted)) {
    impl->port = wanted;
  }
  if (impl->port <= 0) {
    return Status(StatusCode::kUnavailable,
                  "cannot listen on " + listen + " (rest.listen: port in use or address not local)")
        .WithReason(kReasonListen);
  }
  impl->listener = std::thread([raw] { raw->http->listen_after_bind(); });
  backend.log->info("REST/JSON on {} ({}), port {}, {} routes", listen,
                    config.insecure_loopback() ? "plaintext, loopback" : "mutual TLS", impl->port,
                    impl->routes.size());
  return std::unique_ptr<RestPort>(new RestPort(std::move(impl)));
}

RestPort::RestPort(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RestPort::~RestPort() { Stop(); }

int RestPort::port() const { return impl_->port; }

void RestPort::StopAccepting() {
  if (impl_->http) impl_->http->stop();
}

void RestPort::Stop() {
  StopAccepting();
  if (impl_->listener.joinable()) impl_->listener.join();
}

}  // namespace ix::server
