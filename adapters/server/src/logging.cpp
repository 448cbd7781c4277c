#include <ix/server/logging.hpp>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace ix::server {
namespace {

// %* in a pattern: the message as the body of a JSON string (quotes, backslashes and control
// characters escaped), so that each JSON line parses whatever a message contains.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (const char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': Append(dest, "\\\""); break;
        case '\\': Append(dest, "\\\\"); break;
        case '\n': Append(dest, "\\n"); break;
        case '\r': Append(dest, "\\r"); break;
        case '\t': Append(dest, "\\t"); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            Append(dest, escaped);
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }

 private:
  static void Append(spdlog::memory_buf_t& dest, std::string_view text) {
    dest.append(text.data(), text.data() + text.size());
  }
};

// ---- The crash line. Everything the handler touches is prepared beforehand: plain arrays,
// no allocation, no locks.

constexpr size_t kSlot = 96;
struct RpcSlot {
  char rpc[kSlot];
  char request_id[kSlot];
  volatile sig_atomic_t set;
};
// initial-exec: the slot is reached without a call into the dynamic linker from the handler.
thread_local RpcSlot tls_slot __attribute__((tls_model("initial-exec"))) = {{0}, {0}, 0};

char crash_log_path[4096];  // empty: stderr
bool crash_log_json = false;

// An alternate stack per thread that serves calls: a stack overflow cannot run the handler on
// the stack that overflowed.
struct AltStack {
  void* memory = nullptr;
  AltStack() {
    const size_t size = 64 * 1024;
    memory = std::malloc(size);
    if (memory == nullptr) return;
    stack_t st{};
    st.ss_sp = memory;
    st.ss_size = size;
    if (sigaltstack(&st, nullptr) != 0) {
      std::free(memory);
      memory = nullptr;
    }
  }
  ~AltStack() {
    if (memory == nullptr) return;
    stack_t off{};
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, nullptr);
    std::free(memory);
  }
};

void EnsureAltStack() { thread_local AltStack stack; }

// A small append-only buffer for the handler.
struct Line {
  char text[1024];
  size_t size = 0;
  void Add(const char* s) {
    while (*s != '\0' && size + 1 < sizeof text) text[size++] = *s++;
  }
  void Number(unsigned long long value, int width = 0) {
    char digits[24];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value > 0 && n < 24);
    for (int pad = n; pad < width; ++pad) Add("0");
    while (n > 0 && size + 1 < sizeof text) text[size++] = digits[--n];
  }
};

// UTC civil time from the epoch without gmtime (not async-signal-safe); H. Hinnant's
// days-to-civil algorithm.
void AddUtcTime(Line& line) {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  const long long secs = now.tv_sec;
  long long days = secs / 86400;
  const long long rem = secs % 86400;
  days += 719468;
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const long long doe = days - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1;
  const long long m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  line.Number(static_cast<unsigned long long>(y), 4);
  line.Add("-");
  line.Number(static_cast<unsigned long long>(m), 2);
  line.Add("-");
  line.Number(static_cast<unsigned long long>(d), 2);
  line.Add("T");
  line.Number(static_cast<unsigned long long>(rem / 3600), 2);
  line.Add(":");
  line.Number(static_cast<unsigned long long>(rem % 3600 / 60), 2);
  line.Add(":");
  line.Number(static_cast<unsigned long long>(rem % 60), 2);
  line.Add(".");
  line.Number(static_cast<unsigned long long>(now.tv_nsec / 1000000), 3);
  line.Add("Z");
}

const char* SignalName(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    default: return "signal";
  }
}

void OnFatalSignal(int sig) {
  const int saved_errno = errno;
  Line line;
  if (crash_log_json) {
    line.Add("{\"time\":\"");
    AddUtcTime(line);
    line.Add("\",\"level\":\"critical\",\"logger\":\"ix-server\",\"message\":\"");
  } else {
    AddUtcTime(line);
    line.Add(" ix-server critical: ");
  }
  line.Add("fatal signal ");
  line.Add(SignalName(sig));
  line.Add(" (");
  line.Number(static_cast<unsigned long long>(sig));
  line.Add(")");
  if (tls_slot.set != 0) {
    line.Add(" while serving ");
    line.Add(tls_slot.rpc);
    line.Add(" (request ");
    line.Add(tls_slot.request_id);
    line.Add(")");
  } else {
    line.Add(" outside any RPC");
  }
  line.Add("; the process stops");
  if (crash_log_json) line.Add("\"}");
  line.Add("\n");
  int fd = 2;
  if (crash_log_path[0] != '\0') {
    const int opened = ::open(crash_log_path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (opened >= 0) fd = opened;
  }
  size_t done = 0;
  while (done < line.size) {
    const ssize_t n = ::write(fd, line.text + done, line.size - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  errno = saved_errno;
  // SA_RESETHAND restored the default action and SA_NODEFER lets it act at once: the process
  // dies of the same signal, with its core dump and exit status.
  raise(sig);
}

void CopyBounded(char* to, std::string_view from) {
  const size_t n = std::min(from.size(), kSlot - 1);
  for (size_t i = 0; i < n; ++i) {
    const char c = from[i];
    // Names and ids are ASCII; anything else could break the line's format.
    to[i] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? c : '?';
  }
  to[n] = '\0';
}

}  // namespace

void InstallCrashReporter(const ServerConfig& config) {
  const std::string& path = config.log_file();
  if (path.size() < sizeof crash_log_path) {
    std::memcpy(crash_log_path, path.c_str(), path.size() + 1);
  }
  crash_log_json = config.log_format() == "json";
  EnsureAltStack();
  struct sigaction action {};
  action.sa_handler = OnFatalSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_NODEFER | SA_ONSTACK;
  for (const int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &action, nullptr);
}

CurrentRpc::CurrentRpc(std::string_view rpc, std::string_view request_id)
    : outer_(tls_slot.set == 0) {
  if (!outer_) return;
  EnsureAltStack();
  CopyBounded(tls_slot.rpc, rpc);
  CopyBounded(tls_slot.request_id, request_id);
  std::atomic_signal_fence(std::memory_order_release);
  tls_slot.set = 1;
}

CurrentRpc::~CurrentRpc() {
  if (outer_) tls_slot.set = 0;
}

Result<std::shared_ptr<spdlog::logger>> MakeOperationalLogger(const ServerConfig& config) {
  if (config.log_format() != "text" && config.log_format() != "json") {
    return Status(StatusCode::kInvalidArgument,
                  "log_format: '" + config.log_format() + "' is not a log format (text, json)");
  }
  spdlog::sink_ptr sink;
  try {
    if (config.log_file().empty()) {
      sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    } else if (config.log_rotate_bytes() > 0) {
      sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          config.log_file(), static_cast<size_t>(config.log_rotate_bytes()),
          static_cast<size_t>(config.log_rotate_files()));
    } else {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.log_file());
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Status(StatusCode::kInvalidArgument, "log_file: " + std::string(e.what()));
  }
  auto log = std::make_shared<spdlog::logger>("ix-server", sink);
  if (config.log_format() == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","logger":"%n","message":"%*"})");
    log->set_formatter(std::move(formatter));
  } else {
    log->set_pattern("%Y-%m-%dT%H:%M:%S.%e ix-server %l: %v");
  }
  log->set_level(spdlog::level::from_str(config.log_level()));
  log->flush_on(spdlog::level::info);
  return log;
}

}  // namespace ix::server
