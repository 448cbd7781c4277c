#include "sandbox.hpp"

#include <seccomp.h>

#include <fcntl.h>
#include <linux/landlock.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

// Rights of Landlock ABI versions newer than the kernel headers Debian 12 builds with.
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)  // ABI 2
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)  // ABI 3
#endif

namespace ix::isolation::worker {
namespace {

// libseccomp's SCMP_A0…SCMP_A5 macros are C compound literals; this is the same comparison as a
// plain C++ aggregate.
scmp_arg_cmp Arg(unsigned arg, scmp_compare op, scmp_datum_t a, scmp_datum_t b = 0) {
  return scmp_arg_cmp{arg, op, a, b};
}

volatile std::sig_atomic_t cpu_budget_spent = 0;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

void OnCpuLimit(int) { cpu_budget_spent = 1; }

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string Limit(int resource, const char* name, rlim_t soft, rlim_t hard) {
  const rlimit limit{soft, hard};
  if (::setrlimit(resource, &limit) != 0) return Errno(std::string("setrlimit(") + name + ")");
  return {};
}

// Landlock: every right that changes the file system is handled (so refused) everywhere but
// below the scratch folder. Reading stays allowed: the plugin reads its own file and libraries.
// Returns the ABI version in force, or 0 with `why` when this kernel has no Landlock.
int InstallLandlock(const std::filesystem::path& scratch, std::string* why, std::string* failed) {
  const long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) {
    *why = errno == EOPNOTSUPP ? "Landlock is disabled at boot (lsm=)"
                               : std::string("landlock_create_ruleset: ") + std::strerror(errno);
    return 0;
  }
  uint64_t handled = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
                     LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                     LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
                     LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
  if (abi >= 2) handled |= LANDLOCK_ACCESS_FS_REFER;  // linking or renaming across folders
  if (abi >= 3) handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
  // Device files are never made, not even in the scratch folder.
  const uint64_t in_scratch = handled & ~(LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_BLOCK);
  const landlock_ruleset_attr attr{handled};
  const int ruleset = static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
  if (ruleset < 0) {
    *failed = Errno("landlock_create_ruleset");
    return 0;
  }
  const int dir = ::open(scratch.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    *failed = Errno("open " + scratch.string());
    ::close(ruleset);
    return 0;
  }
  landlock_path_beneath_attr beneath{};
  beneath.allowed_access = in_scratch;
  beneath.parent_fd = dir;
  const bool added = ::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) == 0;
  if (!added) *failed = Errno("landlock_add_rule " + scratch.string());
  ::close(dir);
  if (added && ::syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) *failed = Errno("landlock_restrict_self");
  ::close(ruleset);
  return failed->empty() ? static_cast<int>(abi) : 0;
}

// The seccomp filter: everything is allowed except what a plugin never needs and an attacker
// would — the network, writing files, starting programs, signalling other processes.
// With Landlock in force (`landlock_abi` > 0) it confines where files are written, and the
// filter refuses only what Landlock does not cover: metadata changes (mode, owner, extended
// attributes, times), device nodes, truncating through a descriptor opened before the
// restriction (the inherited standard error) and, below ABI 3, truncate(2) by path. Without
// Landlock no file may be written at all.
// Denied calls fail with EACCES (ENOSYS for openat2, so libc falls back to openat, which is
// checked), they do not kill the worker: a plugin that tries gets an error it can report.
std::string InstallSeccomp(int landlock_abi) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return "seccomp_init failed";
  const uint32_t deny = SCMP_ACT_ERRNO(EACCES);
  int rc = 0;
  auto add = [&](uint32_t action, int syscall, std::vector<scmp_arg_cmp> args) {
    if (rc == 0) rc = seccomp_rule_add_array(ctx, action, syscall, static_cast<unsigned>(args.size()), args.data());
  };
  // Network: only Unix-domain sockets may be created (the worker's own socket is inherited);
  // nothing may connect, bind or listen.
  add(deny, SCMP_SYS(socket), {Arg(0, SCMP_CMP_NE, AF_UNIX, 0)});
  for (int call : {SCMP_SYS(connect), SCMP_SYS(bind), SCMP_SYS(listen), SCMP_SYS(accept),
                   SCMP_SYS(accept4)}) {
    add(deny, call, {});
  }
  // io_uring would perform the same operations without these system calls.
  add(deny, SCMP_SYS(io_uring_setup), {});
  add(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), {});  // its flags are behind a pointer
  if (landlock_abi == 0) {
    // Files: no file may be opened for writing, created or truncated; nothing may be renamed,
    // removed, linked or made.
    for (int flag : {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND}) {
      const auto f = static_cast<scmp_datum_t>(flag);
      add(deny, SCMP_SYS(open), {Arg(1, SCMP_CMP_MASKED_EQ, f, f)});
      add(deny, SCMP_SYS(openat), {Arg(2, SCMP_CMP_MASKED_EQ, f, f)});
    }
    for (int call : {SCMP_SYS(creat), SCMP_SYS(unlink), SCMP_SYS(unlinkat), SCMP_SYS(rename),
                     SCMP_SYS(renameat), SCMP_SYS(renameat2), SCMP_SYS(mkdir), SCMP_SYS(mkdirat),
                     SCMP_SYS(rmdir), SCMP_SYS(link), SCMP_SYS(linkat), SCMP_SYS(symlink),
                     SCMP_SYS(symlinkat)}) {
      add(deny, call, {});
    }
  }
  if (landlock_abi < 3) add(deny, SCMP_SYS(truncate), {});
  for (int call : {SCMP_SYS(ftruncate), SCMP_SYS(fallocate), SCMP_SYS(mknod), SCMP_SYS(mknodat),
                   SCMP_SYS(chmod), SCMP_SYS(fchmod), SCMP_SYS(fchmodat), SCMP_SYS(chown),
                   SCMP_SYS(fchown), SCMP_SYS(fchownat), SCMP_SYS(lchown), SCMP_SYS(setxattr),
                   SCMP_SYS(lsetxattr), SCMP_SYS(fsetxattr), SCMP_SYS(removexattr),
                   SCMP_SYS(lremovexattr), SCMP_SYS(fremovexattr), SCMP_SYS(utime), SCMP_SYS(utimes),
                   SCMP_SYS(utimensat), SCMP_SYS(futimesat)}) {
    add(deny, call, {});
  }
  // No other program: the worker is the plugin's last process image.
  add(deny, SCMP_SYS(execve), {});
  add(deny, SCMP_SYS(execveat), {});
  // Signals and tracing only within the worker itself (the server is a process of the same
  // user: the plugin must not be able to stop it).
  const auto self = static_cast<scmp_datum_t>(::getpid());
  add(deny, SCMP_SYS(kill), {Arg(0, SCMP_CMP_NE, self, 0)});
  add(deny, SCMP_SYS(tgkill), {Arg(0, SCMP_CMP_NE, self, 0)});
  add(deny, SCMP_SYS(ptrace), {});
  add(deny, SCMP_SYS(process_vm_writev), {});
  add(deny, SCMP_SYS(process_vm_readv), {});
  if (rc == 0) rc = seccomp_load(ctx);
  seccomp_release(ctx);
  return rc == 0 ? std::string() : std::string("seccomp: ") + std::strerror(-rc);
}

// Everything but the result's bookkeeping: an empty string when all is in force.
std::string Restrict(const SandboxOptions& options, SandboxResult* result) {
  if (::chdir(options.scratch.c_str()) != 0) return Errno("chdir " + options.scratch.string());
  if (auto e = Limit(RLIMIT_CORE, "RLIMIT_CORE", 0, 0); !e.empty()) return e;
  // AddressSanitizer maps terabytes of shadow memory: under it the address-space limit would
  // only break the sanitizer, so sanitizer builds leave it out.
  if (options.address_space_bytes > 0 && !kSanitized) {
    const auto bytes = static_cast<rlim_t>(options.address_space_bytes);
    if (auto e = Limit(RLIMIT_AS, "RLIMIT_AS", bytes, bytes); !e.empty()) return e;
  }
  if (options.file_bytes > 0) {
    const auto bytes = static_cast<rlim_t>(options.file_bytes);
    if (auto e = Limit(RLIMIT_FSIZE, "RLIMIT_FSIZE", bytes, bytes); !e.empty()) return e;
  }
  if (options.cpu_seconds > 0) {
    // The soft limit retires the worker between calls; the hard one (a minute later by
    // default) is the kernel's backstop should it not get there.
    std::signal(SIGXCPU, &OnCpuLimit);
    const auto seconds = static_cast<rlim_t>(options.cpu_seconds);
    const auto hard = seconds + static_cast<rlim_t>(options.cpu_grace_seconds);
    if (auto e = Limit(RLIMIT_CPU, "RLIMIT_CPU", seconds, hard); !e.empty()) return e;
  }
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Errno("PR_SET_NO_NEW_PRIVS");
  int abi = 0;
  std::string why = "switched off for this pool";
  if (options.landlock) {
    std::string failed;
    abi = InstallLandlock(options.scratch, &why, &failed);
    if (!failed.empty()) return failed;
  }
  result->writes_in_scratch = abi > 0;
  result->writes = abi > 0 ? "Landlock ABI " + std::to_string(abi) + ": files are written only below the scratch folder"
                           : "no Landlock (" + why + "): no file may be written, not even in the scratch folder";
  if (!options.seccomp && abi == 0) result->writes = "neither Landlock nor seccomp: writes are not confined";
  if (options.seccomp) return InstallSeccomp(abi);
  return {};
}

}  // namespace

bool CpuBudgetSpent() { return cpu_budget_spent != 0; }

SandboxResult ApplySandbox(const SandboxOptions& options) {
  SandboxResult result;
  result.failed = Restrict(options, &result);
  return result;
}

}  // namespace ix::isolation::worker
