#include "sandbox.hpp"

#include <seccomp.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

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

// The seccomp filter: everything is allowed except what a plugin never needs and an attacker
// would — the network, writing files, starting programs, signalling other processes.
// Denied calls fail with EACCES (ENOSYS for openat2, so libc falls back to openat, which is
// checked), they do not kill the worker: a plugin that tries gets an error it can report.
std::string InstallSeccomp() {
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
  // Files: no file may be opened for writing, created or truncated; nothing may be renamed,
  // removed, linked or made.
  for (int flag : {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND}) {
    const auto f = static_cast<scmp_datum_t>(flag);
    add(deny, SCMP_SYS(open), {Arg(1, SCMP_CMP_MASKED_EQ, f, f)});
    add(deny, SCMP_SYS(openat), {Arg(2, SCMP_CMP_MASKED_EQ, f, f)});
  }
  add(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), {});  // its flags are behind a pointer
  for (int call : {SCMP_SYS(creat), SCMP_SYS(truncate), SCMP_SYS(ftruncate), SCMP_SYS(unlink),
                   SCMP_SYS(unlinkat), SCMP_SYS(rename), SCMP_SYS(renameat), SCMP_SYS(renameat2),
                   SCMP_SYS(mkdir), SCMP_SYS(mkdirat), SCMP_SYS(rmdir), SCMP_SYS(link),
                   SCMP_SYS(linkat), SCMP_SYS(symlink), SCMP_SYS(symlinkat), SCMP_SYS(mknod),
                   SCMP_SYS(mknodat), SCMP_SYS(chmod), SCMP_SYS(fchmodat), SCMP_SYS(chown),
                   SCMP_SYS(fchownat), SCMP_SYS(lchown)}) {
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

}  // namespace

bool CpuBudgetSpent() { return cpu_budget_spent != 0; }

std::string ApplySandbox(const SandboxOptions& options) {
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
    // The soft limit retires the worker between calls; the hard one (a minute later) is the
    // kernel's backstop should it not get there.
    std::signal(SIGXCPU, &OnCpuLimit);
    const auto seconds = static_cast<rlim_t>(options.cpu_seconds);
    if (auto e = Limit(RLIMIT_CPU, "RLIMIT_CPU", seconds, seconds + 60); !e.empty()) return e;
  }
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Errno("PR_SET_NO_NEW_PRIVS");
  if (options.seccomp) return InstallSeccomp();
  return {};
}

}  // namespace ix::isolation::worker
