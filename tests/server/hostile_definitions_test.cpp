// Hostile licensee definitions, sent as the lowest-privileged caller (read_only) to a real
// ix-server over mutual TLS, and the same inputs through the real `ixctl validate
// --definition-file`: a catastrophic-backtracking pattern, patterns of 20 000 nested groups and of
// 99 000 characters, 60 000 items chained by enable_when, and items × migrations. Each answers
// within a second — a refusal with INVALID_ARGUMENT and a BadRequest naming the field, the limit
// and the value, or (the pattern, which is small and valid) the answer's problem — while another
// municipality's calls and the health check keep succeeding.
#include "server_test_support.hpp"
#include "../time_budget.hpp"

#include "grpc/health/v1/health.grpc.pb.h"

#include <google/protobuf/util/json_util.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <functional>
#include <sys/wait.h>
#include <thread>
#include <vector>

namespace ix::server::testing {
namespace {

using Clock = std::chrono::steady_clock;

int64_t MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

v1::Item Item(const std::string& id, v1::ItemType type) {
  v1::Item item;
  item.set_id(id);
  item.set_type(type);
  item.set_scope(v1::ITEM_SCOPE_HOUSEHOLD);
  return item;
}

// A licensee's definition: one text item "t" in part 1, section "s".
v1::Definition Licensee() {
  v1::Definition d;
  d.set_id("ix-licensee");
  d.set_version("1");
  d.add_languages("sv");
  d.add_languages("en");
  v1::Part* part = d.add_parts();
  part->set_number(1);
  v1::Section* section = part->add_sections();
  section->set_id("s");
  *section->add_items() = Item("t", v1::ITEM_TYPE_TEXT);
  return d;
}

v1::Definition WithPattern(const std::string& pattern) {
  v1::Definition d = Licensee();
  v1::Constraint* c = d.mutable_parts(0)->mutable_sections(0)->mutable_items(0)->add_constraints();
  c->set_kind(v1::CONSTRAINT_KIND_PATTERN);
  c->set_pattern(pattern);
  return d;
}

// `n` yes/no items, each enabled when the one before is answered yes.
v1::Definition Chain(int n) {
  v1::Definition d = Licensee();
  auto* items = d.mutable_parts(0)->mutable_sections(0)->mutable_items();
  items->Clear();  // exactly n items
  for (int i = 0; i < n; ++i) {
    v1::Item item = Item("i" + std::to_string(i), v1::ITEM_TYPE_BOOLEAN);
    if (i > 0) {
      v1::Condition* c = item.mutable_enable_when()->add_conditions();
      c->set_item_id("i" + std::to_string(i - 1));
      c->set_operator_(v1::CONDITION_OPERATOR_EQUALS);
      c->mutable_value()->set_boolean(true);
    }
    *items->Add() = std::move(item);
  }
  return d;
}

// `items` items and `migrations` migrations of one renaming rule each.
v1::Definition ItemsAndMigrations(int items, int migrations) {
  v1::Definition d = Licensee();
  auto* list = d.mutable_parts(0)->mutable_sections(0)->mutable_items();
  for (int i = 1; i < items; ++i) *list->Add() = Item("i" + std::to_string(i), v1::ITEM_TYPE_BOOLEAN);
  for (int m = 0; m < migrations; ++m) {
    v1::Migration* migration = d.add_migrations();
    migration->set_from_version("v" + std::to_string(m));
    v1::MigrationRule* rule = migration->add_rules();
    rule->set_from_item("old" + std::to_string(m));
    rule->set_action(v1::MIGRATION_ACTION_RENAME);
    rule->add_targets()->set_item_id("i" + std::to_string(1 + m % (items - 1)));
  }
  return d;
}

// The sample household of Södertälje (0181), pinned to the licensee definition, answering "t".
v1::InstrumentResponse Pinned(const std::string& text) {
  v1::InstrumentResponse r = Example("household.json");
  r.mutable_instrument()->set_instrument_id("ix-licensee");
  r.mutable_instrument()->set_version("1");
  r.clear_answers();
  r.clear_changes();
  r.clear_part_status();
  v1::Answer* a = r.add_answers();
  a->set_item_id("t");
  a->mutable_value()->set_text(text);
  return r;
}

std::string Nested(int groups) {
  return std::string(static_cast<size_t>(groups), '(') + "a" + std::string(static_cast<size_t>(groups), ')');
}

// One hostile definition and what its refusal must say.
struct Refusal {
  std::string name;
  v1::Definition definition;
  std::string field;        // under "definition." (LoadDefinition) or "source.definition."
  std::string description;  // the limit and the value
};

const std::vector<Refusal>& Refusals() {
  static const std::vector<Refusal> all = {
      {"20 000 nested groups", WithPattern(Nested(20000)), "parts[1].sections[s].items[t].constraints[0].pattern",
       "40001 bytes of pattern, at most 1000"},
      {"a×99 000", WithPattern(std::string(99000, 'a')), "parts[1].sections[s].items[t].constraints[0].pattern",
       "99000 bytes of pattern, at most 1000"},
      {"60 000 chained items", Chain(60000), "parts", "60000 items, at most 2000"},
      {"8 000 items × 8 000 migrations", ItemsAndMigrations(8000, 8000), "parts", "8000 items, at most 2000"},
      // Over 2 MiB: refused by the read_only caller's request size before it is parsed.
      {"50 000 items × 50 000 migrations", ItemsAndMigrations(50000, 50000), "",
       "limits.read_only_max_request_bytes allows 2097152 for role read_only"},
  };
  return all;
}

grpc::Status LoadDefinition(const TestServer& s, const v1::Definition& d) {
  v1::LoadDefinitionRequest request;
  request.set_definition(d.SerializeAsString());
  v1::LoadDefinitionResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, 5000);
  return Stub(s, "readonly-sodertalje")->LoadDefinition(&ctx, request, &response);
}

grpc::Status ValidateWith(const TestServer& s, const v1::Definition& d, const std::string& text,
                          v1::ValidateResponse* response) {
  v1::ValidateWithDefinitionRequest request;
  *request.mutable_response() = Pinned(text);
  request.set_as_of_date("2025-01-15");
  *request.mutable_source()->mutable_definition() = d;
  grpc::ClientContext ctx;
  Deadline(&ctx, 5000);
  return Stub(s, "readonly-sodertalje")->ValidateWithDefinition(&ctx, request, response);
}

void ExpectRefused(const grpc::Status& st, const std::string& field, const std::string& description,
                   const std::string& name) {
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name << ": " << st.error_message();
  auto bad = Find<google::rpc::BadRequest>(st);
  ASSERT_TRUE(bad.has_value()) << name;
  ASSERT_EQ(bad->field_violations_size(), 1) << name << ": " << st.error_message();
  if (field.ends_with(".")) {  // refused as a whole by its size: the field is the request
    EXPECT_EQ(bad->field_violations(0).field(), "request") << name;
    EXPECT_NE(bad->field_violations(0).description().find(description), std::string::npos)
        << name << ": " << bad->field_violations(0).description();
    return;
  }
  EXPECT_EQ(bad->field_violations(0).field(), field) << name;
  EXPECT_EQ(bad->field_violations(0).description(), description) << name;
}

// Another municipality's caller (Nynäshamn, 0192) validates its own household; and the health
// check. Both must succeed within a second while the hostile calls run.
void OthersStillServed(const TestServer& s) {
  v1::ValidateRequest request;
  *request.mutable_response() = Example("household.json");
  request.mutable_response()->mutable_household()->set_municipality_code("0192");
  request.set_as_of_date("2025-01-15");
  v1::ValidateResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, test_time::BudgetMs(1000));
  const grpc::Status st = Stub(s, "nynashamn")->Validate(&ctx, request, &response);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(response.valid());

  auto health = grpc::health::v1::Health::NewStub(Channel(s, "nynashamn"));
  grpc::ClientContext hctx;
  Deadline(&hctx, test_time::BudgetMs(1000));
  grpc::health::v1::HealthCheckRequest hrequest;
  grpc::health::v1::HealthCheckResponse hresponse;
  const grpc::Status hst = health->Check(&hctx, hrequest, &hresponse);
  EXPECT_TRUE(hst.ok()) << hst.error_message();
  EXPECT_EQ(hresponse.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

// Runs `hostile` on two threads, `rounds` times each, while this thread keeps checking that
// another municipality and the health check are served.
void WhileOthersAreServed(const TestServer& s, int rounds, const std::function<void()>& hostile) {
  std::atomic<int> running{2};
  std::vector<std::thread> attackers;
  for (int t = 0; t < 2; ++t) {
    attackers.emplace_back([&] {
      for (int i = 0; i < rounds; ++i) hostile();
      --running;
    });
  }
  int checks = 0;
  do {
    OthersStillServed(s);
    ++checks;
  } while (running > 0);
  for (std::thread& t : attackers) t.join();
  EXPECT_GE(checks, 1);
}

TEST(HostileDefinitions, BacktrackingPatternAnswersInMillisecondsOverTls) {
  TestServer s;
  const v1::Definition d = WithPattern("^(a+)+$");
  WhileOthersAreServed(s, 3, [&] {
    v1::ValidateResponse response;
    const auto start = Clock::now();
    const grpc::Status st = ValidateWith(s, d, std::string(40, 'a') + "!", &response);
    const int64_t ms = MillisecondsSince(start);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_LT(ms, 1000);
    std::printf("[ measured ] ValidateWithDefinition ^(a+)+$ against a×40+!: %lld ms\n", static_cast<long long>(ms));
    EXPECT_FALSE(response.valid());
    ASSERT_EQ(response.problems_size(), 1);
    EXPECT_EQ(response.problems(0).path(), "answers[household/t].value");
    EXPECT_EQ(response.problems(0).code(), "constraint");
  });
  // The same pattern accepts what it should.
  v1::ValidateResponse response;
  ASSERT_TRUE(ValidateWith(s, d, std::string(40, 'a'), &response).ok());
  EXPECT_TRUE(response.valid());
}

TEST(HostileDefinitions, EachOversizedDefinitionIsRefusedWithinASecondNamingFieldAndLimit) {
  TestServer s;
  for (const Refusal& r : Refusals()) {
    WhileOthersAreServed(s, 2, [&] {
      const auto start = Clock::now();
      const grpc::Status st = LoadDefinition(s, r.definition);
      const int64_t ms = MillisecondsSince(start);
      EXPECT_LT(ms, test_time::BudgetMs(1000)) << r.name;
      std::printf("[ measured ] LoadDefinition %s: %lld ms\n", r.name.c_str(), static_cast<long long>(ms));
      ExpectRefused(st, "definition." + r.field, r.description, r.name);
    });
    // And as the definition a response is validated against.
    v1::ValidateResponse response;
    const auto start = Clock::now();
    const grpc::Status st = ValidateWith(s, r.definition, "a", &response);
    EXPECT_LT(MillisecondsSince(start), test_time::BudgetMs(1000)) << r.name;
    ExpectRefused(st, "source.definition." + r.field, r.description, r.name);
  }
  // Nothing was slow or crashed: the server still serves everyone.
  OthersStillServed(s);
}

// --- the same inputs through the real ixctl -----------------------------------------------------

struct CliRun {
  int exit_code = -1;
  bool exited = false;
  int64_t ms = 0;
  std::string output;
};

CliRun Ixctl(const std::string& args) {
  const std::string command = std::string(IX_TEST_IXCTL) + " " + args + " 2>&1";
  CliRun run;
  const auto start = Clock::now();
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> chunk{};
  while (fgets(chunk.data(), chunk.size(), pipe) != nullptr) run.output += chunk.data();
  const int status = pclose(pipe);
  run.ms = MillisecondsSince(start);
  run.exited = WIFEXITED(status);
  run.exit_code = run.exited ? WEXITSTATUS(status) : -1;
  return run;
}

fs::path WriteJson(const fs::path& dir, const std::string& name, const google::protobuf::Message& message) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json).ok());
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << json;
  return path;
}

TEST(HostileDefinitionsCli, EachInputFailsWithinASecondWithAClearMessage) {
  const fs::path dir = TempDir("hostile-cli");
  const fs::path response = WriteJson(dir, "response.json", Pinned(std::string(40, 'a') + "!"));
  {
    const fs::path def = WriteJson(dir, "backtracking.json", WithPattern("^(a+)+$"));
    const CliRun run = Ixctl("validate " + response.string() + " --definition-file " + def.string() + " --as-of 2025-01-15");
    ASSERT_TRUE(run.exited) << run.output;
    EXPECT_EQ(run.exit_code, 1) << run.output;  // the response has an error
    EXPECT_LT(run.ms, 1000);
    EXPECT_NE(run.output.find("answers[household/t].value  [constraint]"), std::string::npos) << run.output;
    std::printf("[ measured ] ixctl validate ^(a+)+$ against a×40+!: %lld ms, exit %d\n", static_cast<long long>(run.ms),
                run.exit_code);
  }
  int n = 0;
  for (const Refusal& r : Refusals()) {
    const fs::path def = WriteJson(dir, "definition-" + std::to_string(n++) + ".json", r.definition);
    const CliRun run = Ixctl("validate " + response.string() + " --definition-file " + def.string() + " --as-of 2025-01-15");
    ASSERT_TRUE(run.exited) << r.name << ": " << run.output.substr(0, 300);
    EXPECT_EQ(run.exit_code, 3) << r.name << ": " << run.output.substr(0, 300);  // bad input
    // ixctl reads the definition as JSON first: for the multi-megabyte files (60 000 items,
    // items × migrations) that parse, not the refusal, is most of the time, so they get a wider
    // budget; the others must answer within a second like the server.
    const bool big_json = fs::file_size(def) > 1'000'000;
    EXPECT_LT(run.ms, big_json ? 10000 : 1000) << r.name << " (" << fs::file_size(def) << " bytes of JSON)";
    std::printf("[ measured ] ixctl validate --definition-file %s: %lld ms, exit %d\n", r.name.c_str(),
                static_cast<long long>(run.ms), run.exit_code);
    // A file over the JSON reader's byte limit is refused by its size before it is parsed;
    // the others by the limit they break.
    const bool over_json_limit = run.output.find("more than the limit of 8388608") != std::string::npos;
    EXPECT_TRUE(over_json_limit ||
                run.output.find("source.definition." + r.field + ": " + r.description) != std::string::npos)
        << r.name << ": " << run.output.substr(0, 300);
  }
}

}  // namespace
}  // namespace ix::server::testing
