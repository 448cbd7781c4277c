// The golden self-test cases shipped in every bundle (instrument-x/selftest): the bundled plugin
// passes them, and a case whose expectation differs is refused naming the file and the person.
#include <ix/host/loader.hpp>
#include <ix/selftest/golden.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

namespace ix::selftest {
namespace {

namespace fs = std::filesystem;

class Golden : public ::testing::Test {
 protected:
  void SetUp() override {
    auto session = host::LoadPlugin(IX_TEST_PLUGIN);
    ASSERT_TRUE(session.ok()) << session.status().message();
    session_ = std::make_unique<PluginSession>(std::move(*session));
    dir_ = fs::temp_directory_path() / ("ix_golden_test_" + std::to_string(std::random_device{}()));
    fs::copy(IX_TEST_SHIPPED_SELFTEST_DIR, dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Replaces `from` by `to` in one case file.
  void Edit(const std::string& file, const std::string& from, const std::string& to) {
    std::ifstream in(dir_ / file);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const auto at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    s.replace(at, from.size(), to);
    std::ofstream(dir_ / file, std::ios::trunc) << s;
  }

  std::unique_ptr<PluginSession> session_;
  fs::path dir_;
};

TEST_F(Golden, TheBundledPluginPassesTheShippedCases) {
  const Status st = RunGoldenCases(*session_, dir_);
  EXPECT_TRUE(st.ok()) << st.message();
}

TEST_F(Golden, ADifferentCategoryIsRefusedNamingTheCaseAndThePerson) {
  Edit("03-suggest-household.json", "AM_LEVEL_AM3", "AM_LEVEL_AM1");
  const Status st = RunGoldenCases(*session_, dir_);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("self-test 03-suggest-household.json: expected p1 "), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("AM_LEVEL_AM3"), std::string::npos) << st.message();
}

TEST_F(Golden, ADifferentForsorjningshinderIsRefused) {
  Edit("03-suggest-household.json", "\"p2\": \"unemployed_insufficient_benefit\"", "\"p2\": \"illness\"");
  const Status st = RunGoldenCases(*session_, dir_);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("expected försörjningshinder illness for p2"), std::string::npos)
      << st.message();
}

TEST_F(Golden, AValidityFlipIsRefused) {
  Edit("02-invalid-household.json", "\"valid\": false", "\"valid\": true");
  const Status st = RunGoldenCases(*session_, dir_);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("02-invalid-household.json: expected valid=true"), std::string::npos)
      << st.message();
}

TEST_F(Golden, AnUnknownCallIsRefused) {
  Edit("01-valid-household.json", "\"call\": \"validate\"", "\"call\": \"assess\"");
  const Status st = RunGoldenCases(*session_, dir_);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("call: 'assess' is not validate or suggest"), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace ix::selftest
