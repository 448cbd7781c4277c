// ixctl, in-process through ix::cli::Run and as a real process.
#include <ix/cli/cli.hpp>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ix::cli
