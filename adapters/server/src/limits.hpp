// The server's resource limits (configuration "limits", docs/operations.md "Resource limits"):
// what gRPC enforces on the transport (streams per connection, the memory of calls in flight,
// the largest message), and what the server enforces per call once the caller is known
// (concurrency of the whole server and of one caller, one caller's rate, the largest request
// of its role, the longest a call may run).
#ifndef IX_SERVER_LIMITS_HPP
#define IX_SERVER_LIMITS_HPP

#include <ix/base/status.hpp>
#include <ix/server/callers.hpp>
#include <ix/server/config.hpp>

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace ix::server {

// Each limit sane (a zero that would refuse everything is named as the error).
Status CheckLimits(const ServerConfig& config);

// The transport limits on a builder: HTTP/2 streams per connection, a grpc::ResourceQuota on
// the memory of calls in flight, the largest message in either direction.
void ApplyTransportLimits(const ServerConfig& config, grpc::ServerBuilder& builder);

// Per-call limits, shared by every call of one server.
class CallLimits {
 public:
  explicit CallLimits(const ServerConfig& config);

  // Holds one call's places in the concurrency counts; gives them back when destroyed.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept { *this = std::move(other); }
    Ticket& operator=(Ticket&& other) noexcept;
    ~Ticket() { Release(); }

   private:
    friend class CallLimits;
    void Release();
    std::atomic<uint32_t>* caller_ = nullptr;
    std::atomic<uint32_t>* total_ = nullptr;
  };

  // Admits one call of `caller`, or RESOURCE_EXHAUSTED with a RetryInfo naming the limit:
  // the server's concurrent calls, the caller's concurrent calls, the caller's rate.
  grpc::Status Admit(const Caller& caller, std::string_view request_id, Ticket* ticket);

  // The largest request `role` may send, bytes.
  uint64_t MaxRequestBytes(Role role) const;
  // INVALID_ARGUMENT naming the limit when a request of `bytes` is larger than the role's.
  grpc::Status CheckRequestBytes(const Caller& caller, size_t bytes, std::string_view request_id) const;

  // The deadline a call keeps to: the client's, but never later than the server's maximum
  // after the call started (a call without a deadline has an infinite one).
  std::chrono::system_clock::time_point Deadline(std::chrono::system_clock::time_point client,
                                                 std::chrono::system_clock::time_point started) const;

 private:
  struct PerCaller {
    std::atomic<uint32_t> in_flight{0};
    double tokens = 0;  // token bucket, mutex_
    std::chrono::steady_clock::time_point refilled;
  };
  PerCaller& Of(const std::string& identity);

  const server_config::v1::Limits limits_;
  const uint64_t max_message_bytes_;
  std::atomic<uint32_t> total_{0};
  std::mutex mutex_;
  std::map<std::string, PerCaller, std::less<>> callers_;  // entries are never erased
};

}  // namespace ix::server

#endif  // IX_SERVER_LIMITS_HPP
