// The REST/JSON port over real mutual TLS on loopback, driven by curl (an HTTP client that knows
// nothing of this project): the same answers as gRPC for the README's sample household, the
// same refusals (403 with a google.rpc.Status body), unknown JSON fields and oversized bodies
// refused naming the field or the limit, and every route of the generated OpenAPI document
// reaching its service method (seen in the audit log).
#include "server_test_support.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <set>

namespace ix::server::testing {
namespace {

namespace pb = google::protobuf;

struct Reply {
  int http = 0;        // HTTP status; 0 when curl got no response (e.g. the handshake failed)
  int curl_exit = 0;
  std::string body;
};

// curl with the client certificate `client` (a dev-certs.sh name; "" for none).
Reply Curl(const TestServer& s, const std::string& client, const std::string& verb,
           const std::string& path, const std::string& body = "",
           const std::string& type = "application/json") {
  const fs::path dir = TempDir("curl");
  const fs::path in = dir / "request.json";
  const fs::path out = dir / "response.json";
  std::ofstream(in, std::ios::binary) << body;
  std::string command = "curl -sS --max-time 20 -o " + out.string() + " -w '%{http_code}' -X " + verb +
                        " --cacert " + (Certs() / "ca.crt").string();
  if (!client.empty()) {
    command += " --cert " + (Certs() / (client + ".crt")).string() + " --key " +
               (Certs() / (client + ".key")).string();
  }
  if (verb != "GET") command += " -H 'Content-Type: " + type + "' --data-binary @" + in.string();
  command += " 'https://localhost:" + std::to_string(s.server->rest_port()) + path + "' 2>/dev/null";
  Reply reply;
  FILE* pipe = ::popen(command.c_str(), "r");
  char code[16] = {};
  const size_t n = std::fread(code, 1, sizeof code - 1, pipe);
  const int status = ::pclose(pipe);
  reply.curl_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  reply.http = std::atoi(std::string(code, n).c_str());
  reply.body = Slurp(out);
  fs::remove_all(dir);
  return reply;
}

std::string Json(const pb::Message& message) {
  std::string json;
  EXPECT_TRUE(pb::util::MessageToJsonString(message, &json).ok());
  return json;
}

template <typename M>
M Parse(const std::string& json) {
  M message;
  const auto st = pb::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(st.ok()) << st.ToString() << " in " << json;
  return message;
}

// A server with a REST port on a free loopback port.
TestServer RestServer(std::function<void(ServerConfig&)> more = nullptr) {
  return TestServer(true, [more](ServerConfig& c) {
    c.mutable_rest()->set_listen("127.0.0.1:0");
    if (more) more(c);
  });
}

TEST(Rest, SampleHouseholdGivesTheSameValidationAsGrpc) {
  TestServer s = RestServer();
  ASSERT_NE(s.server->rest_port(), 0);
  for (const char* file : {"household.json", "household-invalid.json"}) {
    v1::ValidateRequest request;
    *request.mutable_response() = Example(file);
    request.set_as_of_date("2025-01-15");
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::ValidateResponse over_grpc;
    ASSERT_TRUE(Stub(s, "sodertalje")->Validate(&ctx, request, &over_grpc).ok());
    const Reply reply = Curl(s, "sodertalje", "POST", "/v1/responses:validate", Json(request));
    ASSERT_EQ(reply.http, 200) << reply.body;
    const auto over_rest = Parse<v1::ValidateResponse>(reply.body);
    EXPECT_TRUE(pb::util::MessageDifferencer::Equals(over_grpc, over_rest))
        << file << "\ngRPC: " << over_grpc.ShortDebugString() << "\nREST: " << over_rest.ShortDebugString();
    EXPECT_EQ(over_rest.valid(), std::string(file) == "household.json");
  }
  // Proto field names in the answer, as ixctl prints them.
  const Reply reply = Curl(s, "sodertalje", "POST", "/v1/responses:validate", Json(ValidRequest()));
  EXPECT_NE(reply.body.find("\"validated_against\""), std::string::npos) << reply.body;
}

TEST(Rest, SuggestGivesTheSameAnswerAsGrpc) {
  TestServer s = RestServer();
  v1::SuggestRequest request;
  *request.mutable_response() = Example("household.json");
  request.set_as_of_date("2025-01-15");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::SuggestResponse over_grpc;
  ASSERT_TRUE(Stub(s, "sodertalje")->Suggest(&ctx, request, &over_grpc).ok());
  ASSERT_GT(over_grpc.suggestions_size(), 0);
  const Reply reply = Curl(s, "sodertalje", "POST", "/v1/categorisation:suggest", Json(request));
  ASSERT_EQ(reply.http, 200) << reply.body;
  EXPECT_TRUE(pb::util::MessageDifferencer::Equals(over_grpc, Parse<v1::SuggestResponse>(reply.body)));
}

TEST(Rest, RefusedCallersGet403WithAGoogleRpcStatus) {
  TestServer s = RestServer();
  // Another municipality's household: refused by the service method, with its details.
  Reply other = Curl(s, "nynashamn", "POST", "/v1/responses:validate", Json(ValidRequest()));
  EXPECT_EQ(other.http, 403) << other.body;
  const auto status = Parse<google::rpc::Status>(other.body);
  EXPECT_EQ(status.code(), grpc::StatusCode::PERMISSION_DENIED);
  bool names_reason = false;
  for (const auto& any : status.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) names_reason = info.reason() == "IX_OTHER_MUNICIPALITY";
  }
  EXPECT_TRUE(names_reason) << other.body;
  // A role the admission table does not admit, refused before the body is read.
  Reply role = Curl(s, "stats-sodertalje", "POST", "/v1/responses:validate", Json(ValidRequest()));
  EXPECT_EQ(role.http, 403) << role.body;
  EXPECT_EQ(Parse<google::rpc::Status>(role.body).code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(role.body.find("may not call Validate"), std::string::npos) << role.body;
  // A certificate of the right CA that is not in the caller map.
  Reply unmapped = Curl(s, "unmapped", "POST", "/v1/responses:validate", Json(ValidRequest()));
  EXPECT_EQ(unmapped.http, 403) << unmapped.body;
  EXPECT_NE(unmapped.body.find("not in the server's caller map"), std::string::npos) << unmapped.body;
  // An admin may not read households either way.
  EXPECT_EQ(Curl(s, "admin", "POST", "/v1/responses:validate", Json(ValidRequest())).http, 403);
  // No client certificate, or one of another CA: the TLS handshake fails, no HTTP at all.
  for (const char* client : {"", "wrong-ca"}) {
    const Reply none = Curl(s, client, "POST", "/v1/responses:validate", Json(ValidRequest()));
    EXPECT_EQ(none.http, 0) << client << ": " << none.body;
    EXPECT_NE(none.curl_exit, 0) << client;
  }
  // Every refusal above is in the audit log with the caller and the RPC.
  const std::string audit = Slurp(s.audit_path());
  EXPECT_NE(audit.find("\"caller\":\"case-system.nynashamn.dev\""), std::string::npos);
  EXPECT_NE(audit.find("\"caller\":\"stats.sodertalje.dev\""), std::string::npos);
  EXPECT_NE(audit.find("unknown:unmapped"), std::string::npos) << audit;
}

TEST(Rest, AnUnknownJsonFieldIs400NamingIt) {
  TestServer s = RestServer();
  nlohmann::json body = nlohmann::json::parse(Json(ValidRequest()));
  body["response"]["household"]["colour"] = "blue";
  const Reply reply = Curl(s, "sodertalje", "POST", "/v1/responses:validate", body.dump());
  EXPECT_EQ(reply.http, 400) << reply.body;
  const auto status = Parse<google::rpc::Status>(reply.body);
  EXPECT_EQ(status.code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::string field;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad) && bad.field_violations_size() > 0) field = bad.field_violations(0).field();
  }
  EXPECT_EQ(field, "response.household.colour") << reply.body;
  // A value of the wrong type names its field too.
  body = nlohmann::json::parse(Json(ValidRequest()));
  body.erase("asOfDate");  // MessageToJsonString wrote the lowerCamelCase name
  body["as_of_date"] = 20250115;
  const Reply typed = Curl(s, "sodertalje", "POST", "/v1/responses:validate", body.dump());
  EXPECT_EQ(typed.http, 400);
  EXPECT_NE(typed.body.find("as_of_date"), std::string::npos) << typed.body;
  // Not JSON at all.
  const Reply broken = Curl(s, "sodertalje", "POST", "/v1/responses:validate", "{\"response\": ");
  EXPECT_EQ(broken.http, 400) << broken.body;
  EXPECT_EQ(Parse<google::rpc::Status>(broken.body).code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(Rest, AnOversizedBodyIsRefusedNamingTheLimit) {
  // The sample household's request is about 60 kB of JSON: it fits; 300 kB does not.
  TestServer s = RestServer([](ServerConfig& c) { c.set_max_message_bytes(262144); });
  std::string big = "{\"as_of_date\": \"" + std::string(300000, 'x') + "\"}";
  const Reply reply = Curl(s, "sodertalje", "POST", "/v1/responses:validate", big);
  EXPECT_EQ(reply.http, 413) << reply.body;
  const auto status = Parse<google::rpc::Status>(reply.body);
  EXPECT_EQ(status.code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.message().find("max_message_bytes (262144 bytes)"), std::string::npos) << reply.body;
  // A request under the limit is served.
  const Reply small = Curl(s, "sodertalje", "POST", "/v1/responses:validate", Json(ValidRequest()));
  EXPECT_EQ(small.http, 200) << small.body;
}

TEST(Rest, UnknownRoutesWrongVerbsAndQueryParametersAreRefused) {
  TestServer s = RestServer();
  const Reply missing = Curl(s, "sodertalje", "POST", "/v1/nothing-here", "{}");
  EXPECT_EQ(missing.http, 404) << missing.body;
  EXPECT_EQ(Parse<google::rpc::Status>(missing.body).code(), grpc::StatusCode::NOT_FOUND);
  const Reply verb = Curl(s, "sodertalje", "GET", "/v1/responses:validate");
  EXPECT_EQ(verb.http, 405) << verb.body;
  const Reply query = Curl(s, "sodertalje", "GET", "/v1/whoami?identity=admin.it.dev");
  EXPECT_EQ(query.http, 400) << query.body;
  EXPECT_NE(query.body.find("query.identity"), std::string::npos) << query.body;
  // curl's default type for --data: the body is not read as form parameters.
  const Reply form = Curl(s, "sodertalje", "POST", "/v1/responses:validate", Json(ValidRequest()),
                          "application/x-www-form-urlencoded");
  EXPECT_EQ(form.http, 415) << form.body;
  EXPECT_NE(form.body.find("Content-Type: application/json"), std::string::npos) << form.body;
  EXPECT_EQ(form.body.find("household"), std::string::npos) << "the body is quoted back: " << form.body;
  const Reply small_form = Curl(s, "sodertalje", "POST", "/v1/plugin:describe", "{}",
                                "application/x-www-form-urlencoded");
  EXPECT_EQ(small_form.http, 415) << small_form.body;
  const Reply who = Curl(s, "sodertalje", "GET", "/v1/whoami");
  ASSERT_EQ(who.http, 200) << who.body;
  EXPECT_EQ(Parse<v1::WhoAmIResponse>(who.body).identity(), "case-system.sodertalje.dev");
}

// Every route the generated OpenAPI document lists answers over mutual TLS, and reaches its
// gRPC service method: each call leaves the audit record of that RPC.
TEST(Rest, EveryRouteOfTheOpenApiDocumentAnswers) {
  TestServer s = RestServer();
  const auto document = nlohmann::json::parse(Slurp(IX_TEST_OPENAPI_DOCUMENT));
  int routes = 0;
  std::set<std::string> expected_rpcs;
  for (const auto& path_item : document.at("paths").items()) {
    const std::string path = path_item.key();
    for (const auto& operation_item : path_item.value().items()) {
      const std::string verb = operation_item.key();
      const auto& operation = operation_item.value();
      std::string upper = verb;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      const auto summary = operation.at("summary").get<std::string>();  // "ix.v1.PluginAdmin.Status"
      const bool admin = summary.find(".PluginAdmin.") != std::string::npos;
      const Reply reply = Curl(s, admin ? "admin" : "sodertalje", upper, path, upper == "GET" ? "" : "{}");
      SCOPED_TRACE(upper + " " + path + " -> " + std::to_string(reply.http) + " " + reply.body);
      ASSERT_NE(reply.http, 0);
      // A 404 may be the service's NOT_FOUND (an empty request names no instrument); never the
      // REST port's own "no route".
      EXPECT_EQ(reply.body.find("IX_NO_ROUTE"), std::string::npos);
      EXPECT_NE(reply.http, 405);
      const auto json = nlohmann::json::parse(reply.body, nullptr, false);
      ASSERT_FALSE(json.is_discarded());
      if (reply.http != 200) {
        EXPECT_TRUE(json.contains("code") && json.contains("message"));  // a google.rpc.Status
        EXPECT_NE(json.value("message", ""), "");
      }
      // The audit log's name for the RPC: "Validate", "PluginAdmin.Status", "FhirAdapter.Questionnaire".
      std::string rpc = summary.substr(summary.rfind('.', summary.rfind('.') - 1) + 1);
      if (rpc.rfind("InstrumentService.", 0) == 0) rpc = rpc.substr(std::string("InstrumentService.").size());
      expected_rpcs.insert(rpc);
      ++routes;
    }
  }
  EXPECT_GE(routes, 32);
  const std::string audit = Slurp(s.audit_path());
  for (const std::string& rpc : expected_rpcs) {
    EXPECT_NE(audit.find("\"rpc\":\"" + rpc + "\""), std::string::npos) << rpc << " left no audit record";
  }
}

}  // namespace
}  // namespace ix::server::testing
