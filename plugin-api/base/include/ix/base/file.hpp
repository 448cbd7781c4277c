// Whole-file reading and atomic file replacement, with every failure reported as an ix::Status
// that names the path. Atomic replacement is the one way the product rewrites a file in place
// (state files, bundle manifests, case and response files, secrets): a reader sees the old
// content or the new, never half of it, and a crash or power loss leaves one of the two.
#ifndef IX_BASE_FILE_HPP
#define IX_BASE_FILE_HPP

#include <ix/base/status.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ix::base {

// The whole content of a regular file. NOT_FOUND when nothing is there; INVALID_ARGUMENT when
// it is a directory or cannot be opened.
Result<std::string> ReadFile(const std::filesystem::path& path);

// The permission bits of files that hold secrets or personal data: owner read and write.
inline constexpr std::filesystem::perms kOwnerOnly =
    std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;

struct WriteFileOptions {
  // Permission bits of a new file (kOwnerOnly for secrets and personal data).
  // Unset: 0666 less the process umask, as std::ofstream creates files.
  std::optional<std::filesystem::perms> mode;
  // A file being replaced keeps its own permission bits, so an operator's chmod survives a
  // rewrite. False: `mode` (or the default) applies to it too, e.g. to tighten a secret.
  bool keep_existing_mode = true;
  // False: create the file only if nothing is at `path` yet, atomically (link(2) instead of
  // rename(2)), so two processes creating the same key file cannot both believe they won.
  // An existing file is then an error whose message ends in "already exists".
  bool replace_existing = true;
};

// Replaces `path` with `content`: writes a temporary file in the same directory, fsyncs it,
// renames it over `path` and fsyncs the directory, so the new name is durable too. The
// directory must exist. On failure `path` is untouched (unless only the final directory sync
// failed, which the message says) and the temporary file is removed. A symbolic link at
// `path` is replaced by a regular file, not followed; one that leads to a device, pipe or
// directory is refused. A character device or a pipe at `path` (/dev/null, a FIFO) is written
// to directly, never replaced; a directory or any other kind of node is refused. Needs a file
// system with hard links when `replace_existing` is false.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content,
                           const WriteFileOptions& options = {});

}  // namespace ix::base

#endif  // IX_BASE_FILE_HPP
