// Whole-file reading and atomic replacement on a real file system: content, permission bits,
// failures that name the path and leave no temporary file, and concurrent writers.
#include <ix/base/file.hpp>

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace ix::base {
namespace {

namespace fs = std::filesystem;

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("ix-base-file-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // Every name in the directory: a leftover temporary file shows up here.
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  static std::string Content(const fs::path& path) {
    auto text = ReadFile(path);
    EXPECT_TRUE(text.ok()) << text.status().message();
    return text.ok() ? *text : std::string();
  }
  static fs::perms Mode(const fs::path& path) { return fs::status(path).permissions() & fs::perms::mask; }

  fs::path dir_;
};

// Sets the umask for one test and puts the old one back.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

TEST_F(FileTest, WritesANewFileAndReplacesItWhole) {
  const fs::path file = dir_ / "state.json";
  ASSERT_TRUE(WriteFileAtomically(file, "{\"v\": 1}\n").ok());
  EXPECT_EQ(Content(file), "{\"v\": 1}\n");
  ASSERT_TRUE(WriteFileAtomically(file, "{}").ok());
  EXPECT_EQ(Content(file), "{}");
  EXPECT_EQ(Names(), std::vector<std::string>{"state.json"});
}

// A pipe or device named as the target is written to, never replaced: renaming over it would
// replace the node for everyone (as `-o /dev/null` once did). Tested on a FIFO, which any user
// may make; a symbolic link to one and a directory are refused, and nothing is left behind.
TEST_F(FileTest, APipeIsWrittenToNotReplacedAndLinksToOneOrADirectoryAreRefused) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    received.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  });
  const Status written = WriteFileAtomically(fifo, "through the pipe\n", {.mode = kOwnerOnly});
  reader.join();
  ASSERT_TRUE(written.ok()) << written.message();
  EXPECT_EQ(received, "through the pipe\n");
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo))) << "the pipe is still a pipe";
  EXPECT_EQ(WriteFileAtomically(fifo, "x", {.mode = kOwnerOnly, .replace_existing = false}).code(), StatusCode::kAlreadyExists);

  const fs::path link = dir_ / "link";
  fs::create_symlink(fifo, link);
  const Status through = WriteFileAtomically(link, "x");
  EXPECT_EQ(through.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(through.message().find("is a symbolic link to a device, pipe or directory"), std::string::npos)
      << through.message();
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  const Status directory = WriteFileAtomically(dir_, "x");
  EXPECT_EQ(directory.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(directory.message().find(": is a directory"), std::string::npos) << directory.message();
  EXPECT_EQ(Names(), (std::vector<std::string>{"link", "pipe"})) << "no temporary file left";
  // A link to a regular file is still replaced by a file, not followed.
  ASSERT_TRUE(WriteFileAtomically(dir_ / "target", "old").ok());
  fs::create_symlink(dir_ / "target", dir_ / "to-file");
  ASSERT_TRUE(WriteFileAtomically(dir_ / "to-file", "new").ok());
  EXPECT_FALSE(fs::is_symlink(fs::symlink_status(dir_ / "to-file")));
  EXPECT_EQ(Content(dir_ / "target"), "old");
}

TEST_F(FileTest, BinaryAndLargeContentRoundTrips) {
  std::string bytes(5 << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 131 % 251);
  const fs::path file = dir_ / "blob";
  ASSERT_TRUE(WriteFileAtomically(file, bytes).ok());
  EXPECT_EQ(Content(file), bytes);
  ASSERT_TRUE(WriteFileAtomically(file, "").ok());
  EXPECT_EQ(Content(file), "");
}

TEST_F(FileTest, ANewFileGetsTheUmaskDefaultOrTheModeAsked) {
  ScopedUmask mask(022);
  ASSERT_TRUE(WriteFileAtomically(dir_ / "plain", "x").ok());
  EXPECT_EQ(Mode(dir_ / "plain"), fs::perms(0644));
  ASSERT_TRUE(WriteFileAtomically(dir_ / "secret", "x", {.mode = kOwnerOnly}).ok());
  EXPECT_EQ(Mode(dir_ / "secret"), fs::perms(0600));
  ScopedUmask open_mask(0);  // an explicit mode does not depend on the umask
  ASSERT_TRUE(WriteFileAtomically(dir_ / "secret2", "x", {.mode = kOwnerOnly}).ok());
  EXPECT_EQ(Mode(dir_ / "secret2"), fs::perms(0600));
}

TEST_F(FileTest, AReplacedFileKeepsItsModeUnlessToldOtherwise) {
  const fs::path file = dir_ / "case.json";
  ASSERT_TRUE(WriteFileAtomically(file, "old").ok());
  fs::permissions(file, fs::perms(0640));
  ASSERT_TRUE(WriteFileAtomically(file, "new", {.mode = kOwnerOnly}).ok());
  EXPECT_EQ(Mode(file), fs::perms(0640)) << "an operator's chmod survives a rewrite";
  ASSERT_TRUE(WriteFileAtomically(file, "newer", {.mode = kOwnerOnly, .keep_existing_mode = false}).ok());
  EXPECT_EQ(Mode(file), fs::perms(0600));
  EXPECT_EQ(Content(file), "newer");
}

TEST_F(FileTest, AFailedReplacementNamesThePathAndLeavesNoTemporaryFile) {
  // A directory where the file should be: refused before anything is written (rename(2)
  // would refuse it too, after the temporary file).
  const fs::path taken = dir_ / "taken";
  fs::create_directories(taken / "inside");
  const Status s = WriteFileAtomically(taken, "content");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(taken.string()), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(": is a directory"), std::string::npos) << s.message();
  EXPECT_EQ(Names(), std::vector<std::string>{"taken"});
  EXPECT_TRUE(fs::is_directory(taken / "inside"));
}

TEST_F(FileTest, AMissingDirectoryIsAnErrorNamingThePath) {
  const fs::path file = dir_ / "no-such-dir" / "state.json";
  const Status s = WriteFileAtomically(file, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(file.string()), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("No such file or directory"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir_ / "no-such-dir"));
}

TEST_F(FileTest, AnUnwritableDirectoryIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into any directory";
  fs::permissions(dir_, fs::perms(0500));
  const Status s = WriteFileAtomically(dir_ / "f", "x");
  fs::permissions(dir_, fs::perms(0700));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Permission denied"), std::string::npos) << s.message();
}

// A read-only file system (root included: /proc takes no new files): the error names the
// path and the cause, nothing is created.
TEST_F(FileTest, AReadOnlyLocationFailsLoudly) {
  const fs::path file = "/proc/ix-base-file-test.key";
  const Status s = WriteFileAtomically(file, "secret", {.mode = kOwnerOnly});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(s.message().rfind(file.string() + ": cannot create a temporary file in /proc: ", 0), 0u) << s.message();
  EXPECT_FALSE(fs::exists(file));
}

// A full disk, made real for one child process with RLIMIT_FSIZE (write(2) then fails with
// EFBIG as it would with ENOSPC): the write is refused, the old content stays whole and no
// temporary file is left behind. Without the error checks the child would report success
// over a truncated file.
TEST_F(FileTest, AFullLocationFailsLoudlyAndKeepsTheOldContent) {
  const fs::path file = dir_ / "ledger";
  ASSERT_TRUE(WriteFileAtomically(file, "old content\n").ok());
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    const Status s = WriteFileAtomically(file, std::string(64 * 1024, 'x'));
    const bool named = s.message().rfind(file.string() + ": write failed: File too large", 0) == 0;
    ::_exit(s.ok() ? 1 : named ? 0 : 2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the write was reported as done; 2: the error does not name the file and cause";
  EXPECT_EQ(Content(file), "old content\n");
  EXPECT_EQ(Names(), std::vector<std::string>{"ledger"}) << "no temporary file left";
}

TEST_F(FileTest, ASymbolicLinkIsReplacedNotFollowed) {
  const fs::path target = dir_ / "target";
  ASSERT_TRUE(WriteFileAtomically(target, "kept").ok());
  fs::create_symlink(target, dir_ / "link");
  ASSERT_TRUE(WriteFileAtomically(dir_ / "link", "new").ok());
  EXPECT_FALSE(fs::is_symlink(dir_ / "link"));
  EXPECT_EQ(Content(dir_ / "link"), "new");
  EXPECT_EQ(Content(target), "kept");
}

TEST_F(FileTest, ConcurrentWritersEachLeaveAWholeFile) {
  const fs::path file = dir_ / "shared";
  std::vector<std::string> contents;
  for (int i = 0; i < 8; ++i) contents.push_back(std::string(64 * 1024, static_cast<char>('a' + i)));
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (const std::string& content : contents) {
    writers.emplace_back([&, content] {
      for (int round = 0; round < 10; ++round) {
        if (!WriteFileAtomically(file, content).ok()) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures, 0);
  const std::string final_content = Content(file);
  EXPECT_NE(std::find(contents.begin(), contents.end(), final_content), contents.end())
      << "the file is one writer's content, whole";
  EXPECT_EQ(Names(), std::vector<std::string>{"shared"});
}

TEST_F(FileTest, CreateOnlyNeverReplaces) {
  const fs::path file = dir_ / "release.key";
  const WriteFileOptions create_only{.mode = kOwnerOnly, .replace_existing = false};
  ASSERT_TRUE(WriteFileAtomically(file, "first", create_only).ok());
  EXPECT_EQ(Content(file), "first");
  EXPECT_EQ(Mode(file), fs::perms(0600));
  const Status again = WriteFileAtomically(file, "second", create_only);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(), file.string() + ": already exists");
  EXPECT_EQ(Content(file), "first");
  EXPECT_EQ(Names(), std::vector<std::string>{"release.key"}) << "no temporary file left";
}

TEST_F(FileTest, ReadFileSaysWhatIsWrong) {
  auto missing = ReadFile(dir_ / "missing.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), (dir_ / "missing.json").string() + ": no such file");
  auto directory = ReadFile(dir_);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(directory.status().message(), dir_.string() + ": is a directory, expected a file");
  std::ofstream(dir_ / "bytes", std::ios::binary) << std::string("a\0b\r\n", 5);
  EXPECT_EQ(Content(dir_ / "bytes"), std::string("a\0b\r\n", 5));
}

}  // namespace
}  // namespace ix::base
