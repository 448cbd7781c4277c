// What a plugin worker takes away from itself before it loads the plugin. Every restriction is
// the kernel's, so the plugin's code cannot undo it; docs/operations.md ("Plugin isolation")
// lists them for the IT team.
#ifndef IX_ISOLATION_WORKER_SANDBOX_HPP
#define IX_ISOLATION_WORKER_SANDBOX_HPP

#include <cstdint>
#include <filesystem>
#include <string>

namespace ix::isolation::worker {

struct SandboxOptions {
  std::filesystem::path scratch;  // becomes the working directory, the only place it may write
  uint64_t address_space_bytes = 0;
  uint64_t cpu_seconds = 0;
  uint64_t cpu_grace_seconds = 60;  // the hard RLIMIT_CPU is this much above cpu_seconds
  uint64_t file_bytes = 0;
  bool seccomp = true;
  bool landlock = true;  // false: behave as on a kernel without Landlock (tests the fallback)
};

struct SandboxResult {
  std::string failed;  // empty: every restriction is in force
  // Landlock confines writes to the scratch folder. Otherwise (no Landlock in this kernel) the
  // seccomp filter refuses every file write, the scratch folder's included.
  bool writes_in_scratch = false;
  std::string writes;  // how writes are confined, one line for the server's log
};

// Set by SIGXCPU (the soft CPU limit): the worker answers its call, then leaves.
bool CpuBudgetSpent();

// Applies, in order: working directory = scratch, rlimits (address space, CPU, file size, no
// core files), PR_SET_NO_NEW_PRIVS, the Landlock ruleset (writes only below scratch), the
// seccomp filter.
SandboxResult ApplySandbox(const SandboxOptions& options);

}  // namespace ix::isolation::worker

#endif  // IX_ISOLATION_WORKER_SANDBOX_HPP
