#include <ix/base/file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

namespace ix::base {
namespace {

namespace fs = std::filesystem;

Status IoError(const fs::path& path, const std::string& what, int error) {
  return Status(StatusCode::kInternal,
                path.string() + ": " + what + ": " + std::generic_category().message(error));
}

// Closes on scope exit unless released; the temporary file goes with it unless kept.
class TempFile {
 public:
  TempFile(fs::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  TempFile(TempFile&& other) noexcept
      : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)),
        kept_(std::exchange(other.kept_, true)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  const fs::path& path() const { return path_; }
  // close(2) reports deferred write errors (NFS, quota), so it is checked, and only once.
  int Close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }
  void Keep() { kept_ = true; }

 private:
  fs::path path_;
  int fd_;
  bool kept_ = false;
};

// ".<name>.tmp.<pid>.<n>" beside the target: same file system (rename is atomic only within
// one), hidden from directory listings, and unique per process and call. O_EXCL never opens a
// file someone else made; a stale name left by a crash is skipped.
Result<TempFile> CreateTempBeside(const fs::path& target, mode_t create_mode) {
  static std::atomic<unsigned> counter{0};
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string stem = "." + target.filename().string() + ".tmp." + std::to_string(::getpid()) + ".";
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path temp = dir / (stem + std::to_string(counter.fetch_add(1)));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, create_mode);
    if (fd >= 0) return TempFile(std::move(temp), fd);
    if (errno != EEXIST) {
      return IoError(target, "cannot create a temporary file in " + dir.string(), errno);
    }
  }
  return IoError(target, "cannot create a temporary file in " + dir.string(), EEXIST);
}

Status WriteAll(int fd, std::string_view content, const fs::path& target) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoError(target, "write failed", n < 0 ? errno : EIO);
    content.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncDirectory(const fs::path& target) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError(target, "replaced, but its directory cannot be opened to sync it", errno);
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  // Some file systems (FUSE, some network mounts) cannot sync a directory and say so with
  // EINVAL; the rename stands and there is nothing more to do there.
  if (synced != 0 && error != EINVAL) {
    return IoError(target, "replaced, but its directory could not be synced", error);
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadFile(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return Status(StatusCode::kNotFound, path.string() + ": no such file");
  if (fs::is_directory(status)) {
    return Status(StatusCode::kInvalidArgument, path.string() + ": is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kInvalidArgument, path.string() + ": cannot be opened for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(StatusCode::kInvalidArgument, path.string() + ": read failed");
  return std::move(text).str();
}

Status WriteFileAtomically(const fs::path& path, std::string_view content,
                           const WriteFileOptions& options) {
  // Only a regular file (or nothing) is replaced. Renaming over a device node or a pipe would
  // replace the node itself, for every user of the machine (`-o /dev/null` run as root once
  // left /dev/null a regular file): a character device or a pipe named directly is written to
  // as it is — there is no file to keep whole — and anything else is refused. A symbolic link
  // is never followed (below it is replaced); one that leads to something other than a regular
  // file is refused, since writing through it would let whoever placed it choose the device.
  struct stat here {};
  if (::lstat(path.c_str(), &here) == 0 && !S_ISREG(here.st_mode)) {
    struct stat target {};
    if (S_ISLNK(here.st_mode)) {
      if (::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode)) {
        return Status(StatusCode::kInvalidArgument,
                      path.string() + ": is a symbolic link to a device, pipe or directory, not a file: name it "
                                      "directly (or write to standard output)");
      }
    } else if (S_ISCHR(here.st_mode) || S_ISFIFO(here.st_mode)) {
      if (!options.replace_existing) return Status(StatusCode::kAlreadyExists, path.string() + ": already exists");
      const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0) return IoError(path, "could not be opened for writing", errno);
      Status written = WriteAll(fd, content, path);
      if (::close(fd) != 0 && written.ok()) written = IoError(path, "write failed", errno);
      return written;
    } else {
      return Status(StatusCode::kInvalidArgument,
                    path.string() + (S_ISDIR(here.st_mode) ? ": is a directory" : ": is not a regular file") +
                        ", not a file to write");
    }
  }
  // The bits the file ends with: its current ones, the requested ones, or the umask default.
  std::optional<mode_t> exact_mode;
  if (options.mode) exact_mode = static_cast<mode_t>(*options.mode) & 07777;
  if (options.keep_existing_mode) {
    struct stat existing {};
    if (::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) {
      exact_mode = existing.st_mode & 07777;
    }
  }
  // Created owner-only when the bits are set explicitly, so the content is never readable by
  // others in between; 0666 otherwise, for the umask to narrow as it does for std::ofstream.
  auto temp = CreateTempBeside(path, exact_mode ? S_IRUSR | S_IWUSR : 0666);
  if (!temp.ok()) return temp.status();
  if (Status s = WriteAll(temp->fd(), content, path); !s.ok()) return s;
  if (exact_mode && ::fchmod(temp->fd(), *exact_mode) != 0) {
    return IoError(path, "cannot set the permissions of the temporary file", errno);
  }
  if (::fsync(temp->fd()) != 0) return IoError(path, "could not be flushed to disk", errno);
  if (temp->Close() != 0) return IoError(path, "could not be flushed to disk", errno);
  if (!options.replace_existing) {
    // link(2) fails with EEXIST instead of replacing; the temporary name goes with `temp`.
    if (::link(temp->path().c_str(), path.c_str()) != 0) {
      if (errno == EEXIST) return Status(StatusCode::kAlreadyExists, path.string() + ": already exists");
      return IoError(path, "could not be created", errno);
    }
    return SyncDirectory(path);
  }
  if (::rename(temp->path().c_str(), path.c_str()) != 0) {
    return IoError(path, "could not be replaced", errno);
  }
  temp->Keep();
  return SyncDirectory(path);
}

}  // namespace ix::base
