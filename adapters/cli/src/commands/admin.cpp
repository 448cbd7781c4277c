// ixctl admin status|deploy|rollback|pin|unpin: the IT team's client of a running ix-server's
// ix.v1.PluginAdmin service (proto/ix/v1/admin_service.proto), over mutual TLS with an admin
// client certificate. The server does the work (verify, install, self-test, switch); this file
// only reads arguments, makes one call and prints the answer.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "ix/v1/admin_service.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ix::cli {
namespace {

namespace fs = std::filesystem;

struct AdminOptions {
  std::string server = "127.0.0.1:50051";
  std::string certs_dir;  // admin.crt, admin.key, ca.crt (scripts/dev-certs.sh, packaging)
  std::string cert, key, ca;
  int timeout_seconds = 60;
  std::string bundle_dir;
  bool allow_downgrade = false;
  std::string municipality, version;
};

Result<std::string> ReadFile(const fs::path& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) return Status(StatusCode::kNotFound, what + ": cannot read '" + path.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::unique_ptr<v1::PluginAdmin::Stub>> Connect(const AdminOptions& o) {
  const fs::path dir(o.certs_dir);
  const fs::path cert = !o.cert.empty() ? fs::path(o.cert) : dir / "admin.crt";
  const fs::path key = !o.key.empty() ? fs::path(o.key) : dir / "admin.key";
  const fs::path ca = !o.ca.empty() ? fs::path(o.ca) : dir / "ca.crt";
  if (o.certs_dir.empty() && (o.cert.empty() || o.key.empty() || o.ca.empty())) {
    return Status(StatusCode::kInvalidArgument,
                  "--certs-dir, or all of --cert, --key and --ca, are required (mutual TLS)");
  }
  grpc::SslCredentialsOptions ssl;
  auto root = ReadFile(ca, "--ca (the CA of the server's certificate)");
  if (!root.ok()) return root.status();
  auto chain = ReadFile(cert, "--cert (the admin client certificate)");
  if (!chain.ok()) return chain.status();
  auto private_key = ReadFile(key, "--key (the admin client's private key)");
  if (!private_key.ok()) return private_key.status();
  ssl.pem_root_certs = *root;
  ssl.pem_cert_chain = *chain;
  ssl.pem_private_key = *private_key;
  auto channel = grpc::CreateChannel(o.server, grpc::SslCredentials(ssl));
  return v1::PluginAdmin::NewStub(channel);
}

// "FAILED_PRECONDITION (IX_BUNDLE_BAD_SIGNATURE): bundle_dir: …" from a failed call.
std::string Describe(const grpc::Status& status) {
  static const char* const kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int code = static_cast<int>(status.error_code());
  std::string text = code >= 0 && code <= 16 ? kNames[code] : std::to_string(code);
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::ErrorInfo info;
      if (any.UnpackTo(&info)) text += " (" + info.reason() + ")";
    }
  }
  return text + ": " + status.error_message();
}

void PrintStatus(std::ostream& out, const v1::PluginStatus& s) {
  out << "plugin " << s.plugin_name() << ", active version " << s.active_version() << "\n";
  out << "loaded versions:";
  for (const auto& v : s.loaded_versions()) out << " " << v;
  out << "\n";
  if (!s.pins().empty()) {
    out << "pins:";
    for (const auto& [municipality, version] : s.pins()) out << " " << municipality << "=" << version;
    out << "\n";
  }
  out << "history:\n";
  for (const auto& h : s.history()) {
    out << "  " << h.at() << "  " << h.action() << " " << h.version()
        << (h.detail().empty() ? "" : "  (" + h.detail() + ")") << "\n";
  }
  if (s.replicas().empty()) return;
  out << "intended version " << s.intended_version() << " (answered by replica " << s.replica() << ")\nreplicas:\n";
  for (const auto& r : s.replicas()) {
    out << "  " << r.replica() << "  serving " << r.serving_version() << "  " << r.state() << "  change "
        << r.change() << "  at " << r.updated_at() << (r.reason().empty() ? "" : "  (" + r.reason() + ")") << "\n";
  }
}

// Makes one call with the options' deadline and prints its answer.
template <typename Request, typename Response, typename Method>
int Call(const Context& ctx, const AdminOptions& o, const std::string& what, Method method,
         const Request& request, const std::function<void(const Response&)>& print) {
  auto stub = Connect(o);
  if (!stub.ok()) return ctx.Fail(kExitUsage, "admin " + what + ": " + stub.status().message());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(o.timeout_seconds));
  Response response;
  const grpc::Status status = ((**stub).*method)(&context, request, &response);
  if (!status.ok()) {
    return ctx.Fail(kExitServer, "admin " + what + " (" + o.server + "): " + Describe(status));
  }
  if (ctx.global.json) {
    ctx.out << ToJson(response) << "\n";
  } else {
    print(response);
  }
  return kExitOk;
}

void PrintSwitch(std::ostream& out, const std::string& verb, const v1::DeployResponse& r) {
  out << verb << ": " << r.active_version() << " now serves (was " << r.previous_version()
      << ")\n";
}

int ShowStatus(const Context& ctx, const AdminOptions& o) {
  return Call<v1::PluginStatusRequest, v1::PluginStatus>(
      ctx, o, "status", &v1::PluginAdmin::Stub::Status, v1::PluginStatusRequest(),
      [&ctx](const v1::PluginStatus& s) { PrintStatus(ctx.out, s); });
}

int Deploy(const Context& ctx, const AdminOptions& o) {
  v1::DeployRequest request;
  // The server resolves the path, and its working directory is not ours.
  request.set_bundle_dir(fs::absolute(o.bundle_dir).lexically_normal().string());
  request.set_allow_downgrade(o.allow_downgrade);
  return Call<v1::DeployRequest, v1::DeployResponse>(
      ctx, o, "deploy", &v1::PluginAdmin::Stub::Deploy, request,
      [&ctx](const v1::DeployResponse& r) { PrintSwitch(ctx.out, "deployed", r); });
}

int Rollback(const Context& ctx, const AdminOptions& o) {
  return Call<v1::RollbackRequest, v1::DeployResponse>(
      ctx, o, "rollback", &v1::PluginAdmin::Stub::Rollback, v1::RollbackRequest(),
      [&ctx](const v1::DeployResponse& r) { PrintSwitch(ctx.out, "rolled back", r); });
}

int Pin(const Context& ctx, const AdminOptions& o) {
  v1::PinRequest request;
  request.set_municipality_code(o.municipality);
  request.set_version(o.version);
  return Call<v1::PinRequest, v1::PluginStatus>(
      ctx, o, "pin", &v1::PluginAdmin::Stub::Pin, request,
      [&ctx](const v1::PluginStatus& s) { PrintStatus(ctx.out, s); });
}

int Unpin(const Context& ctx, const AdminOptions& o) {
  v1::UnpinRequest request;
  request.set_municipality_code(o.municipality);
  return Call<v1::UnpinRequest, v1::PluginStatus>(
      ctx, o, "unpin", &v1::PluginAdmin::Stub::Unpin, request,
      [&ctx](const v1::PluginStatus& s) { PrintStatus(ctx.out, s); });
}

}  // namespace

void RegisterAdmin(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<AdminOptions>();
  auto* cmd = app.add_subcommand(
      "admin",
      "Plugin updates in a running ix-server (ix.v1.PluginAdmin, admin role, mutual TLS): "
      "status, deploy, rollback, pin, unpin");
  cmd->require_subcommand(1);
  cmd->add_option("--server", o->server, "host:port of ix-server")->capture_default_str();
  cmd->add_option("--certs-dir", o->certs_dir,
                  "Folder with admin.crt, admin.key and ca.crt (e.g. /etc/instrument-x/tls)");
  cmd->add_option("--cert", o->cert, "Admin client certificate (PEM; overrides --certs-dir)");
  cmd->add_option("--key", o->key, "Admin client private key (PEM)");
  cmd->add_option("--ca", o->ca, "CA that signed the server's certificate (PEM)");
  cmd->add_option("--timeout", o->timeout_seconds, "Seconds to wait for the server")
      ->capture_default_str();
  cmd->footer(
      "Exit codes: 0 done, 2 bad command line or unreadable certificates, 5 the server refused "
      "(the running version keeps serving) or could not be reached.");
  auto bind = [&ctx, o](CLI::App* sub, int (*fn)(const Context&, const AdminOptions&)) {
    sub->callback([&ctx, o, fn] { ctx.action = [&ctx, o, fn] { return fn(ctx, *o); }; });
  };

  bind(cmd->add_subcommand("status", "The active version, loaded versions, pins, history"),
       &ShowStatus);
  auto* deploy = cmd->add_subcommand(
      "deploy", "Verify, install, self-test and switch to a signed bundle (a directory the server "
                "can read)");
  deploy->add_option("BUNDLE_DIR", o->bundle_dir, "The signed bundle directory")->required();
  deploy->add_flag("--allow-downgrade", o->allow_downgrade,
                   "Deploy even when the bundle is older than the running version");
  bind(deploy, &Deploy);
  bind(cmd->add_subcommand("rollback", "Serve the previously active version again"), &Rollback);
  auto* pin = cmd->add_subcommand("pin", "Serve one municipality with a loaded version");
  pin->add_option("MUNICIPALITY", o->municipality, "Kommunkod, four digits")->required();
  pin->add_option("VERSION", o->version, "A loaded plugin version")->required();
  bind(pin, &Pin);
  auto* unpin = cmd->add_subcommand("unpin", "Serve a municipality with the active version again");
  unpin->add_option("MUNICIPALITY", o->municipality, "Kommunkod, four digits")->required();
  bind(unpin, &Unpin);
}

}  // namespace ix::cli
