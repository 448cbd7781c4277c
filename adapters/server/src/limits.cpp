#include "limits.hpp"

#include <ix/server/errors.hpp>

#include <grpcpp/resource_quota.h>

#include <algorithm>
#include <cmath>

namespace ix::server {

namespace {

using server_config::v1::Limits;

Status Bad(const std::string& key, const std::string& what) {
  return Status(StatusCode::kInvalidArgument, "limits." + key + ": " + what);
}

}  // namespace

Status CheckLimits(const ServerConfig& config) {
  const Limits& l = config.limits();
  if (l.max_streams_per_connection() == 0) return Bad("max_streams_per_connection", "must be at least 1");
  if (l.max_calls() == 0) return Bad("max_calls", "must be at least 1");
  if (l.max_calls_per_caller() == 0) return Bad("max_calls_per_caller", "must be at least 1");
  if (l.calls_per_second_per_caller() > 0 && l.burst_per_caller() == 0) {
    return Bad("burst_per_caller", "must be at least 1 when calls_per_second_per_caller is set");
  }
  // Below this gRPC cannot hold one largest message and its framing.
  const uint64_t floor = 2 * static_cast<uint64_t>(std::max(config.max_message_bytes(), 1024));
  if (l.max_request_memory_bytes() < floor) {
    return Bad("max_request_memory_bytes",
               std::to_string(l.max_request_memory_bytes()) +
                   " is less than twice max_message_bytes (" + std::to_string(floor) + ")");
  }
  if (l.max_deadline_ms() < 100) {
    return Bad("max_deadline_ms", std::to_string(l.max_deadline_ms()) + " is less than 100 ms");
  }
  return Status::Ok();
}

void ApplyTransportLimits(const ServerConfig& config, grpc::ServerBuilder& builder) {
  const Limits& l = config.limits();
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             static_cast<int>(l.max_streams_per_connection()));
  // The memory gRPC may use for calls in flight (receive buffers, messages not yet handed to
  // a handler). Under pressure it stops reading from connections instead of growing.
  grpc::ResourceQuota quota("ix-server");
  quota.Resize(static_cast<size_t>(l.max_request_memory_bytes()));
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(config.max_message_bytes());
  builder.SetMaxSendMessageSize(config.max_message_bytes());
}

CallLimits::CallLimits(const ServerConfig& config)
    : limits_(config.limits()),
      max_message_bytes_(static_cast<uint64_t>(config.max_message_bytes())) {}

CallLimits::Ticket& CallLimits::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    Release();
    caller_ = std::exchange(other.caller_, nullptr);
    total_ = std::exchange(other.total_, nullptr);
  }
  return *this;
}

void CallLimits::Ticket::Release() {
  if (caller_ != nullptr) caller_->fetch_sub(1, std::memory_order_acq_rel);
  if (total_ != nullptr) total_->fetch_sub(1, std::memory_order_acq_rel);
  caller_ = total_ = nullptr;
}

CallLimits::PerCaller& CallLimits::Of(const std::string& identity) {
  auto it = callers_.find(identity);
  if (it == callers_.end()) {
    it = callers_.try_emplace(identity).first;
    it->second.tokens = limits_.burst_per_caller();
    it->second.refilled = std::chrono::steady_clock::now();
  }
  return it->second;
}

grpc::Status CallLimits::Admit(const Caller& caller, std::string_view request_id, Ticket* ticket) {
  using std::chrono::milliseconds;
  Ticket held;
  if (total_.fetch_add(1, std::memory_order_acq_rel) >= limits_.max_calls()) {
    total_.fetch_sub(1, std::memory_order_acq_rel);
    return Exhausted(request_id, "IX_SERVER_BUSY", "server",
                     "limits.max_calls: the server already runs " +
                         std::to_string(limits_.max_calls()) + " calls; try again shortly",
                     milliseconds(100));
  }
  held.total_ = &total_;
  std::lock_guard lock(mutex_);
  PerCaller& mine = Of(caller.identity);
  if (mine.in_flight.fetch_add(1, std::memory_order_acq_rel) >= limits_.max_calls_per_caller()) {
    mine.in_flight.fetch_sub(1, std::memory_order_acq_rel);
    return Exhausted(request_id, "IX_CALLER_BUSY", caller.identity,
                     "limits.max_calls_per_caller: caller '" + caller.identity + "' already has " +
                         std::to_string(limits_.max_calls_per_caller()) +
                         " calls in progress; try again when one has finished",
                     milliseconds(100));
  }
  held.caller_ = &mine.in_flight;
  const double rate = limits_.calls_per_second_per_caller();
  if (rate > 0) {
    // Token bucket: `burst` calls at once, refilled at `rate` per second.
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - mine.refilled).count();
    mine.tokens = std::min<double>(limits_.burst_per_caller(), mine.tokens + elapsed * rate);
    mine.refilled = now;
    if (mine.tokens < 1) {
      const auto wait = milliseconds(static_cast<int64_t>(std::ceil((1 - mine.tokens) / rate * 1000)));
      return Exhausted(request_id, "IX_RATE_LIMITED", caller.identity,
                       "limits.calls_per_second_per_caller: caller '" + caller.identity +
                           "' exceeded " + std::to_string(limits_.calls_per_second_per_caller()) +
                           " calls per second (burst " + std::to_string(limits_.burst_per_caller()) +
                           "); retry in " + std::to_string(wait.count()) + " ms",
                       wait);
    }
    mine.tokens -= 1;
  }
  *ticket = std::move(held);
  return grpc::Status::OK;
}

uint64_t CallLimits::MaxRequestBytes(Role role) const {
  uint32_t limit = 0;
  switch (role) {
    case Role::kCaseSystem: limit = limits_.case_system_max_request_bytes(); break;
    case Role::kReadOnly: limit = limits_.read_only_max_request_bytes(); break;
    case Role::kReporting: limit = limits_.reporting_max_request_bytes(); break;
    case Role::kAdmin: limit = limits_.admin_max_request_bytes(); break;
    case Role::kStatisticsInternal: limit = limits_.statistics_internal_max_request_bytes(); break;
    // A network report carries every municipality's extract: gRPC's message limit alone.
    case Role::kStatisticsNetwork: break;
  }
  // gRPC refuses anything above max_message_bytes first, whatever the role's limit says.
  return limit == 0 ? max_message_bytes_ : std::min<uint64_t>(limit, max_message_bytes_);
}

grpc::Status CallLimits::CheckRequestBytes(const Caller& caller, size_t bytes,
                                           std::string_view request_id) const {
  const uint64_t limit = MaxRequestBytes(caller.role);
  if (bytes <= limit) return grpc::Status::OK;
  const std::string key = "limits." + std::string(RoleName(caller.role)) + "_max_request_bytes";
  return InvalidField(request_id, "request",
                      "the request is " + std::to_string(bytes) + " bytes; " + key + " allows " +
                          std::to_string(limit) + " for role " + std::string(RoleName(caller.role)));
}

std::chrono::system_clock::time_point CallLimits::Deadline(
    std::chrono::system_clock::time_point client, std::chrono::system_clock::time_point started) const {
  return std::min(client, started + std::chrono::milliseconds(limits_.max_deadline_ms()));
}

}  // namespace ix::server
