// ixctl, in-process through ix::cli::Run and as a real process.
#include <ix/cli/cli.hpp>

#include "ix/v1/events.pb.h"

#include <google/protobuf/util/delimited_message_util.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace ix::cli {
namespace {

const std::string kExamples = IX_TEST_EXAMPLES_DIR;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunCli(std::vector<std::string> args) {
  args.insert(args.begin(), {"--plugin", IX_TEST_PLUGIN});
  std::ostringstream out, err;
  const int code = ix::cli::Run(args, out, err);
  return {code, out.str(), err.str()};
}

std::string WriteTemp(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / ("ixctl_test_" + name);
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

TEST(Cli, HelpListsCommandsAndExitCodes) {
  std::ostringstream out, err;
  EXPECT_EQ(ix::cli::Run({"--help"}, out, err), kExitOk);
  EXPECT_NE(out.str().find("describe"), std::string::npos);
  EXPECT_NE(out.str().find("validate"), std::string::npos);
  EXPECT_NE(out.str().find("Exit codes"), std::string::npos);
}

TEST(Cli, NoCommandIsAUsageError) {
  std::ostringstream out, err;
  EXPECT_EQ(ix::cli::Run({}, out, err), kExitUsage);
  EXPECT_NE(err.str().find("ixctl --help"), std::string::npos);
}

TEST(Cli, DescribeShowsPluginAndInstrument) {
  const Outcome o = RunCli({"describe"});
  EXPECT_EQ(o.code, kExitOk) << o.err;
  EXPECT_NE(o.out.find("instrument-x@2024.1"), std::string::npos) << o.out;
}

TEST(Cli, DescribeJsonIsCanonicalJson) {
  const Outcome o = RunCli({"--json", "describe"});
  EXPECT_EQ(o.code, kExitOk) << o.err;
  EXPECT_NE(o.out.find("\"plugin_name\": \"instrument-x\""), std::string::npos) << o.out;
}

TEST(Cli, ValidSampleHouseholdValidates) {
  const Outcome o = RunCli({"validate", kExamples + "/household.json", "--as-of", "2025-06-01"});
  EXPECT_EQ(o.code, kExitOk) << o.out << o.err;
  EXPECT_NE(o.out.find("instrument-x@2024.1: valid (0 error(s), 0 warning(s))"), std::string::npos) << o.out;
}

TEST(Cli, InvalidSampleReportsEveryProblemAndExitsOne) {
  const Outcome o = RunCli({"validate", kExamples + "/household-invalid.json", "--as-of", "2025-06-01"});
  EXPECT_EQ(o.code, kExitProblems) << o.err;
  for (const char* expected :
       {"household.persons[1].personnummer  [invalid_personnummer]",
        "answers[p1/am.education].value  [out_of_range]",
        "answers[household/housing.type].value  [wrong_type]",
        "answers[p1/am.unknown_rating].item_id  [unknown_item]",
        "answers[c1/am.health].person_ref  [item_not_for_child]",
        "answers[p2/am.motivation]  [required]"}) {
    EXPECT_NE(o.out.find(expected), std::string::npos) << expected << "\n" << o.out;
  }
  // The personnummer itself never appears in the output.
  EXPECT_EQ(o.out.find("19820721"), std::string::npos);
}

TEST(Cli, SwedishMessages) {
  const Outcome o = RunCli({"--lang", "sv", "validate", kExamples + "/household-invalid.json", "--as-of", "2025-06-01"});
  EXPECT_NE(o.out.find("kontrollsiffra"), std::string::npos) << o.out;
}

TEST(Cli, BadInputFilesGiveClearErrors) {
  Outcome o = RunCli({"validate", "/nonexistent/file.json"});
  EXPECT_EQ(o.code, kExitBadInput);
  EXPECT_NE(o.err.find("/nonexistent/file.json: no such file"), std::string::npos) << o.err;

  o = RunCli({"validate", WriteTemp("empty.json", "")});
  EXPECT_EQ(o.code, kExitBadInput);
  EXPECT_NE(o.err.find("empty input"), std::string::npos) << o.err;

  o = RunCli({"validate", WriteTemp("truncated.json", "{\"instrument\": {\"instrument_id\": \"instr")});
  EXPECT_EQ(o.code, kExitBadInput);
  EXPECT_NE(o.err.find("truncated.json: not a valid ix.v1.InstrumentResponse"), std::string::npos) << o.err;

  o = RunCli({"validate", WriteTemp("unknown_field.json", "{\"instrumnet\": {}}")});
  EXPECT_EQ(o.code, kExitBadInput);
  EXPECT_NE(o.err.find("instrumnet"), std::string::npos) << o.err;

  o = RunCli({"validate", WriteTemp("wrong_version.json",
                                    "{\"instrument\": {\"instrument_id\": \"instrument-x\", \"version\": \"1999.1\"}}")});
  EXPECT_EQ(o.code, kExitBadInput);
  EXPECT_NE(o.err.find("instrument-x@1999.1 is not carried by this plugin"), std::string::npos) << o.err;
}

TEST(Cli, UnloadablePluginExitsFour) {
  std::ostringstream out, err;
  EXPECT_EQ(ix::cli::Run({"--plugin", "/nonexistent/plugin.so", "describe"}, out, err), kExitPlugin);
  EXPECT_NE(err.str().find("/nonexistent/plugin.so: plugin file not found"), std::string::npos);
}

TEST(Cli, ValidateJsonOutput) {
  const Outcome o = RunCli({"--json", "validate", kExamples + "/household-invalid.json", "--as-of", "2025-06-01"});
  EXPECT_EQ(o.code, kExitProblems);
  EXPECT_NE(o.out.find("\"code\": \"invalid_personnummer\""), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\"severity\": \"SEVERITY_ERROR\""), std::string::npos) << o.out;
}

// The real binary, as a user runs it: finds the bundled plugin on its own.
TEST(CliProcess, RealBinaryValidatesTheSample) {
  const std::string command = std::string(IX_TEST_IXCTL) + " validate " + kExamples +
                              "/household.json --as-of 2025-06-01 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 256> chunk{};
  while (fgets(chunk.data(), chunk.size(), pipe) != nullptr) output += chunk.data();
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_NE(output.find("valid (0 error(s)"), std::string::npos) << output;
}


// --- Limits on what ixctl reads ---------------------------------------------------------------

const char kEventLine[] =
    "{\"assistance_period\": {\"header\": {\"event_id\": \"%s\", \"municipality_code\": \"0192\", "
    "\"subject\": {\"personnummer\": \"19811218-9876\"}}, \"start_date\": \"2023-01-01\"}}\n";

std::string EventLine(const std::string& id) {
  char line[512];
  std::snprintf(line, sizeof line, kEventLine, id.c_str());
  return line;
}

struct Store {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("ixctl_import_" + std::to_string(::getpid()) + "_" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  Store() {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "secret.key") << "0123456789abcdef0123456789abcdef";
  }
  ~Store() { std::filesystem::remove_all(dir); }
  std::vector<std::string> Args(const std::string& file) const {
    return {"import", file, "--store", (dir / "store.sqlite").string(), "--secret-file", (dir / "secret.key").string()};
  }
};

TEST(CliImportLimits, AnOverlongNdjsonLineIsRejectedByNumberAndTheRestIsRead) {
  Store store;
  const std::string file = (store.dir / "events.ndjson").string();
  std::ofstream(file) << EventLine("e1") << std::string(2u << 20, ' ') + "x\n" << EventLine("e3");
  const Outcome o = RunCli(store.Args(file));
  EXPECT_EQ(o.code, kExitBadInput) << o.err;
  EXPECT_NE(o.err.find(file + ":2: 2097153 bytes, at most 1048576 per line"), std::string::npos) << o.err;
  EXPECT_NE(o.out.find("3 read, 2 inserted"), std::string::npos) << o.out;
}

TEST(CliImportLimits, AHugeLengthPrefixStopsTheImportWithoutAllocatingIt) {
  Store store;
  const std::string file = (store.dir / "events.bin").string();
  {
    v1::Event event;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(EventLine("e1"), &event).ok());
    std::ofstream out(file, std::ios::binary);
    ASSERT_TRUE(google::protobuf::util::SerializeDelimitedToOstream(event, &out));
    out << std::string("\x80\x80\x80\x80\x08", 5) << "short";  // claims 2 GiB, then 5 bytes
  }
  const Outcome o = RunCli(store.Args(file));
  EXPECT_EQ(o.code, kExitBadInput) << o.err;
  EXPECT_NE(o.err.find(file + ": message 2: length prefix says 2147483648 bytes, at most 1048576 per message"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.out.find("1 read, 1 inserted"), std::string::npos) << o.out;
}

TEST(CliImportLimits, TheNumberOfEventsPerFileIsLimited) {
  Store store;
  const std::string file = (store.dir / "events.ndjson").string();
  std::ofstream(file) << EventLine("e1") << "\n" << EventLine("e2") << EventLine("e3");
  std::vector<std::string> args = store.Args(file);
  args.insert(args.end(), {"--max-events", "2"});
  const Outcome o = RunCli(args);
  EXPECT_EQ(o.code, kExitBadInput) << o.err;
  EXPECT_NE(o.err.find(file + ":4: event 3, at most 2 per file"), std::string::npos) << o.err;
  EXPECT_NE(o.out.find("2 read, 2 inserted"), std::string::npos) << o.out;
}

TEST(CliJsonLimits, CanonicalJsonInputHasTheSameDepthAndByteLimits) {
  std::string deep = "{\"household\": ";
  for (int i = 0; i < 100000; ++i) deep += "{\"persons\": [";
  const std::string file = WriteTemp("deep.json", deep);
  const Outcome o = RunCli({"validate", file, "--as-of", "2025-06-01"});
  EXPECT_EQ(o.code, kExitBadInput) << o.err;
  EXPECT_NE(o.err.find(": nesting too deep: depth 65, at most 64"), std::string::npos) << o.err.substr(0, 300);
  EXPECT_NE(o.err.find(file + ".household.persons[0]"), std::string::npos) << o.err.substr(0, 300);
  const std::string big = WriteTemp("big.json", "{\"answers\": [" + std::string(9u << 20, ' ') + "]}");
  const Outcome b = RunCli({"validate", big, "--as-of", "2025-06-01"});
  EXPECT_EQ(b.code, kExitBadInput) << b.err;
  EXPECT_NE(b.err.find("document is 9437199 bytes, more than the limit of 8388608"), std::string::npos) << b.err;
}

}  // namespace
}  // namespace ix::cli
