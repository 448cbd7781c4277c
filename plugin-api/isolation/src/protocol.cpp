#include <ix/isolation/protocol.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ix::isolation {
namespace {

using Clock = std::chrono::steady_clock;

// Milliseconds poll() may wait before `deadline` (-1: no deadline), 0 once it has passed.
int PollMs(std::optional<Clock::time_point> deadline) {
  if (!deadline) return -1;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
  if (left <= 0) return 0;
  return left > 60000 ? 60000 : static_cast<int>(left) + 1;
}

IoOutcome WaitFor(int fd, short events, std::optional<Clock::time_point> deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int timeout = PollMs(deadline);
    const int rc = ::poll(&p, 1, timeout);
    if (rc < 0) {
      if (errno == EINTR) continue;
      return IoOutcome::kBroken;
    }
    if (rc == 0) {
      if (deadline && Clock::now() >= *deadline) return IoOutcome::kTimeout;
      continue;
    }
    // POLLHUP with data still readable: let read() drain it first.
    return IoOutcome::kOk;
  }
}

// Both try the operation first and wait only when the socket is not ready: most frames need
// no poll() at all.
IoOutcome WriteAll(int fd, std::string_view head, std::string_view body,
                   std::optional<Clock::time_point> deadline) {
  while (!head.empty() || !body.empty()) {
    iovec parts[2] = {{const_cast<char*>(head.data()), head.size()},
                      {const_cast<char*>(body.data()), body.size()}};
    msghdr message{};
    message.msg_iov = head.empty() ? &parts[1] : parts;
    message.msg_iovlen = head.empty() ? 1 : 2;
    const ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (IoOutcome w = WaitFor(fd, POLLOUT, deadline); w != IoOutcome::kOk) return w;
        continue;
      }
      return errno == EPIPE || errno == ECONNRESET ? IoOutcome::kClosed : IoOutcome::kBroken;
    }
    auto sent = static_cast<size_t>(n);
    const size_t from_head = std::min(sent, head.size());
    head.remove_prefix(from_head);
    body.remove_prefix(sent - from_head);
  }
  return IoOutcome::kOk;
}

IoOutcome ReadAll(int fd, char* into, size_t size, std::optional<Clock::time_point> deadline) {
  size_t got = 0;
  while (got < size) {
    const ssize_t n = ::recv(fd, into + got, size - got, MSG_DONTWAIT);
    if (n == 0) return IoOutcome::kClosed;
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (IoOutcome w = WaitFor(fd, POLLIN, deadline); w != IoOutcome::kOk) return w;
        continue;
      }
      return errno == ECONNRESET ? IoOutcome::kClosed : IoOutcome::kBroken;
    }
    got += static_cast<size_t>(n);
  }
  return IoOutcome::kOk;
}

void PutString(std::string* out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

bool GetString(std::string_view* in, std::string* out) {
  if (in->size() < 4) return false;
  const uint32_t n = GetU32(*in);
  in->remove_prefix(4);
  if (in->size() < n) return false;
  out->assign(in->substr(0, n));
  in->remove_prefix(n);
  return true;
}

bool GetU32From(std::string_view* in, uint32_t* out) {
  if (in->size() < 4) return false;
  *out = GetU32(*in);
  in->remove_prefix(4);
  return true;
}

}  // namespace

const char* ExtensionIdOf(TableId table) {
  switch (table) {
    case TableId::kBase: return nullptr;
    case TableId::kCategorisation: return IX_CATEGORISATION_EXTENSION_ID;
    case TableId::kForms: return IX_FORMS_EXTENSION_ID;
  }
  return nullptr;
}

void PutU32(std::string* out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint32_t GetU32(std::string_view bytes) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
  return value;
}

std::string EncodeHello(const Hello& hello) {
  std::string out;
  PutU32(&out, hello.abi_major);
  PutU32(&out, hello.abi_minor);
  PutU32(&out, hello.error_format);
  PutString(&out, hello.name);
  PutString(&out, hello.version);
  PutU32(&out, static_cast<uint32_t>(hello.instruments.size()));
  for (const auto& i : hello.instruments) PutString(&out, i);
  for (uint32_t size : hello.struct_size) PutU32(&out, size);
  PutU32(&out, static_cast<uint32_t>(hello.available & 0xffffffffu));
  PutU32(&out, static_cast<uint32_t>(hello.available >> 32));
  PutU32(&out, hello.writes_in_scratch ? 1 : 0);
  PutString(&out, hello.writes);
  return out;
}

std::optional<Hello> DecodeHello(std::string_view in) {
  Hello h;
  uint32_t major = 0, minor = 0, count = 0, low = 0, high = 0, scratch_only = 0;
  if (!GetU32From(&in, &major) || !GetU32From(&in, &minor) || !GetU32From(&in, &h.error_format) ||
      !GetString(&in, &h.name) || !GetString(&in, &h.version) || !GetU32From(&in, &count) ||
      count > 10000) {
    return std::nullopt;
  }
  h.abi_major = static_cast<uint16_t>(major);
  h.abi_minor = static_cast<uint16_t>(minor);
  for (uint32_t i = 0; i < count; ++i) {
    if (!GetString(&in, &h.instruments.emplace_back())) return std::nullopt;
  }
  for (uint32_t& size : h.struct_size) {
    if (!GetU32From(&in, &size)) return std::nullopt;
  }
  if (!GetU32From(&in, &low) || !GetU32From(&in, &high) || !GetU32From(&in, &scratch_only) ||
      !GetString(&in, &h.writes) || !in.empty()) {
    return std::nullopt;
  }
  h.available = (static_cast<uint64_t>(high) << 32) | low;
  h.writes_in_scratch = scratch_only != 0;
  return h;
}

IoOutcome WriteFrame(int fd, char type, std::string_view head, std::string_view body,
                     std::optional<Clock::time_point> deadline) {
  std::string prefix;
  PutU32(&prefix, static_cast<uint32_t>(1 + head.size() + body.size()));
  prefix.push_back(type);
  prefix.append(head);
  return WriteAll(fd, prefix, body, deadline);
}

IoOutcome ReadFrame(int fd, char* type, std::string* body, std::optional<Clock::time_point> deadline) {
  char header[5];  // length and type
  if (IoOutcome o = ReadAll(fd, header, 5, deadline); o != IoOutcome::kOk) return o;
  const uint32_t n = GetU32(std::string_view(header, 4));
  if (n == 0 || n > kMaxFrameBytes) return IoOutcome::kBroken;
  *type = header[4];
  body->resize(n - 1);
  return ReadAll(fd, body->data(), n - 1, deadline);
}

}  // namespace ix::isolation
