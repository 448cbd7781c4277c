// The audit log cannot be bypassed: bounded values, a keyed hash chain that shows an edited,
// removed or reordered record, rotation with retention that keeps the chain verifiable, and
// fail-closed behaviour when a record cannot be written — through the real server over mutual
// TLS, real files, /dev/full, and the real ix-server executable for --verify-audit.
#include <ix/base/crypto.hpp>
#include <ix/server/audit.hpp>

#include "grpc/health/v1/health.grpc.pb.h"
#include "server_test_support.hpp"

#include <sys/resource.h>
#include <sys/wait.h>

#include <csignal>
#include <thread>
#include <vector>

namespace ix::server::testing {
namespace {

std::vector<std::string> Lines(const fs::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void WriteLines(const fs::path& file, const std::vector<std::string>& lines) {
  std::ofstream out(file, std::ios::trunc);
  for (const auto& line : lines) out << line << "\n";
}

AuditRecord Sample(int i) {
  return AuditRecord{.request_id = "abc-" + std::to_string(i),
                     .caller = "case-system.sodertalje.dev",
                     .municipality = "0181",
                     .rpc = "Validate",
                     .household = "",
                     .outcome = "OK",
                     .detail = ""};
}

// A log of `n` records, written and closed.
fs::path WriteLog(const fs::path& dir, int n, AuditOptions options = {}) {
  const fs::path file = dir / "audit.log";
  auto log = AuditLog::Open(file, {}, options);
  EXPECT_TRUE(log.ok()) << log.status().message();
  for (int i = 0; i < n; ++i) EXPECT_TRUE((*log)->Record(Sample(i)));
  return file;
}

TEST(AuditLog, LongValuesAreCutWithTheirLengthAndHash) {
  const std::string huge(3 * 1024 * 1024, '7');
  const std::string bounded = BoundAuditValue(huge);
  EXPECT_LT(bounded.size(), 200u);
  EXPECT_EQ(bounded.substr(0, 64), std::string(64, '7'));
  EXPECT_NE(bounded.find("truncated: 3145728 bytes, sha256 " + base::crypto::Sha256Hex(huge)),
            std::string::npos)
      << bounded;
  EXPECT_EQ(BoundAuditValue("0181"), "0181");
  // Never cut inside a UTF-8 character ("å" is two bytes; the 64th byte starts one).
  std::string accented = std::string(63, 'a');
  for (int i = 0; i < 150; ++i) accented += "\xc3\xa5";
  const std::string cut = BoundAuditValue(accented);
  EXPECT_EQ(cut.substr(0, 64), std::string(63, 'a') + "\xe2");  // 63 ASCII, then "…" begins
}

TEST(AuditLog, AnUntouchedLogVerifiesAndTheChainSurvivesAReopen) {
  const fs::path dir = TempDir("audit-chain");
  const fs::path file = WriteLog(dir, 10);
  {
    auto log = AuditLog::Open(file, {});  // a restart continues the chain
    ASSERT_TRUE(log.ok());
    EXPECT_TRUE((*log)->Record(Sample(10)));
  }
  auto result = VerifyAuditLog(file, {});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_TRUE(result->ok) << result->problem;
  EXPECT_EQ(result->records, 11u);
  EXPECT_EQ(result->first_seq, 0u);
}

TEST(AuditLog, EditedRemovedAndReorderedRecordsAreNamed) {
  const fs::path dir = TempDir("audit-tamper");
  const fs::path file = WriteLog(dir, 6);
  const auto original = Lines(file);
  ASSERT_EQ(original.size(), 6u);

  auto edited = original;
  const auto at = edited[3].find("\"outcome\":\"OK\"");
  ASSERT_NE(at, std::string::npos);
  edited[3].replace(at, 14, "\"outcome\":\"NO\"");
  WriteLines(file, edited);
  auto result = VerifyAuditLog(file, {});
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->first_bad_line, 4u);
  EXPECT_NE(result->problem.find("MAC does not match"), std::string::npos) << result->problem;

  auto removed = original;
  removed.erase(removed.begin() + 2);
  WriteLines(file, removed);
  result = VerifyAuditLog(file, {});
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->first_bad_line, 3u);
  EXPECT_NE(result->problem.find("chain breaks"), std::string::npos) << result->problem;

  auto reordered = original;
  std::swap(reordered[1], reordered[4]);
  WriteLines(file, reordered);
  result = VerifyAuditLog(file, {});
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->first_bad_line, 2u);

  // Recomputing a MAC needs the key: a record rewritten with another key is refused too.
  WriteLines(file, original);
  result = VerifyAuditLog(file, {});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->ok);
}

TEST(AuditLog, RotationKeepsTheCountAndTheChainAcrossFiles) {
  const fs::path dir = TempDir("audit-rotate");
  const fs::path file = WriteLog(dir, 60, {.rotate_bytes = 2000, .keep_files = 3});
  EXPECT_TRUE(fs::exists(dir / "audit.log.1"));
  EXPECT_TRUE(fs::exists(dir / "audit.log.3"));
  EXPECT_FALSE(fs::exists(dir / "audit.log.4"));  // retention: three rotated files
  for (const char* name : {"audit.log", "audit.log.1", "audit.log.2", "audit.log.3"}) {
    EXPECT_LE(fs::file_size(dir / name), 2000u) << name;
  }
  auto result = VerifyAuditLog(file, {});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_TRUE(result->ok) << result->first_bad_file << ":" << result->first_bad_line << " "
                          << result->problem;
  EXPECT_EQ(result->files, 4u);
  EXPECT_GT(result->first_seq, 0u);  // the oldest records were removed by retention
  EXPECT_EQ(result->first_seq + result->records, 60u);

  // A record edited in a rotated file is found there.
  auto lines = Lines(dir / "audit.log.2");
  ASSERT_FALSE(lines.empty());
  lines[0].replace(lines[0].find("\"rpc\":\"Validate\""), 16, "\"rpc\":\"Validatf\"");
  WriteLines(dir / "audit.log.2", lines);
  result = VerifyAuditLog(file, {});
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->first_bad_file, (dir / "audit.log.2").string());
  EXPECT_EQ(result->first_bad_line, 1u);
}

// The verify command as an IT team runs it: the real ix-server with --verify-audit.
TEST(AuditLog, VerifyCommandPassesAnIntactLogAndNamesTheFirstEditedRecord) {
  const fs::path dir = TempDir("audit-verify");
  const fs::path file = WriteLog(dir, 5);
  std::string out;
  EXPECT_EQ(RunServer("--audit-log " + file.string() + " --audit-key " + file.string() + ".key --verify-audit", &out), 0);
  EXPECT_EQ(out, "audit log OK: 5 record(s) in 1 file(s), chain intact\n");
  auto lines = Lines(file);
  lines[1].replace(lines[1].find("\"0181\""), 6, "\"0182\"");
  WriteLines(file, lines);
  out.clear();
  EXPECT_EQ(RunServer("--audit-log " + file.string() + " --audit-key " + file.string() + ".key --verify-audit", &out), 6);
  EXPECT_EQ(out, "ix-server: audit log NOT intact: " + file.string() +
                     " line 2: its MAC does not match its contents (edited, or another key) (1 "
                     "record(s) before it verified)\n");
}

grpc::Status Validate(const TestServer& s, const std::string& client, const v1::ValidateRequest& request) {
  grpc::ClientContext ctx;
  Deadline(&ctx, 10000);
  v1::ValidateResponse response;
  return Stub(s, client)->Validate(&ctx, request, &response);
}

using Serving = grpc::health::v1::HealthCheckResponse;

TEST(AuditThroughServer, AThreeMegabyteMunicipalityCodeIsTruncatedInTheRecord) {
  TestServer s;
  v1::ValidateRequest request = ValidRequest();
  const std::string huge(3 * 1024 * 1024, '9');
  request.mutable_response()->mutable_household()->set_municipality_code(huge);
  const auto before = fs::file_size(s.audit_path());
  for (int i = 0; i < 20; ++i) {
    // Refused (another municipality); how the client sees the refusal is not the point here.
    EXPECT_FALSE(Validate(s, "readonly-sodertalje", request).ok());
  }
  const auto grown = fs::file_size(s.audit_path()) - before;
  EXPECT_LT(grown, 20u * 1024) << "20 records of a 3 MB value: bounded, not 60 MB";
  const std::string text = Slurp(s.audit_path());
  // The detail names the field and the value: cut, with the whole value's length and hash.
  const std::string detail = "response.household.municipality_code=" + huge;
  EXPECT_NE(text.find("truncated: " + std::to_string(detail.size()) + " bytes, sha256 " +
                      base::crypto::Sha256Hex(detail)),
            std::string::npos);
  auto result = VerifyAuditLog(s.audit_path(), s.audit_key_path());
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->ok) << result->problem;
}

TEST(AuditThroughServer, AFullDiskFailsCallsClosedAndHealthTurnsNotServing) {
  TestServer s(true, [](ServerConfig& c) {
    c.set_audit_log("/dev/full");
    c.set_audit_key_file((TempDir("full-key") / "audit.key").string());
  });
  ASSERT_NE(s.server, nullptr);
  EXPECT_EQ(Health(s), Serving::SERVING);  // nothing written yet
  // The plugin answers, but the record cannot be written: the answer is not given.
  grpc::Status st = Validate(s, "sodertalje", ValidRequest());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  EXPECT_NE(st.error_message().find("audit log cannot be written"), std::string::npos);
  EXPECT_EQ(Health(s), Serving::NOT_SERVING);
  // Later calls are refused before their payload is read.
  const uint64_t plugin_calls = s.server->counters().plugin_calls;
  for (int i = 0; i < 5; ++i) {
    st = Validate(s, "sodertalje", ValidRequest());
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  }
  EXPECT_EQ(s.server->counters().plugin_calls, plugin_calls);
  EXPECT_NE(s.log.text->str().find("the audit log cannot be written"), std::string::npos);
}

// A disk that fills and is freed again: the file-size limit makes writes fail with EFBIG the
// way a full disk fails them with ENOSPC, and is lifted afterwards.
TEST(AuditThroughServer, ServingResumesWithARecordOfTheGapOnceTheLogTakesWritesAgain) {
  std::signal(SIGXFSZ, SIG_IGN);  // the write fails instead of killing the test
  TestServer s;
  ASSERT_TRUE(Validate(s, "sodertalje", ValidRequest()).ok());
  rlimit old{};
  ::getrlimit(RLIMIT_FSIZE, &old);
  rlimit tight = old;
  tight.rlim_cur = fs::file_size(s.audit_path());
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
  const grpc::Status failed = Validate(s, "sodertalje", ValidRequest());
  const grpc::Status refused = Validate(s, "sodertalje", ValidRequest());
  const auto health_while_full = Health(s);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &old), 0);
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE) << failed.error_message();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_EQ(health_while_full, Serving::NOT_SERVING);
  // The retry runs every second.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (Health(s) != Serving::SERVING && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Health(s), Serving::SERVING);
  EXPECT_TRUE(Validate(s, "sodertalje", ValidRequest()).ok());
  const std::string text = Slurp(s.audit_path());
  EXPECT_NE(text.find("\"outcome\":\"RESUMED\",\"detail\":\"records_not_written=1 calls_refused="),
            std::string::npos)
      << text;
  auto result = VerifyAuditLog(s.audit_path(), s.audit_key_path());
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->ok) << result->problem;
}

}  // namespace
}  // namespace ix::server::testing
