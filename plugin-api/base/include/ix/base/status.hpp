// ix::Status and ix::Result<T>: errors as values (abseil-style), never exceptions across
// calls. Header-only and standard-library-only, so the ABI wrapper (ix/plugin.hpp), the host
// library and every host-side library share one error type without depending on each other.
#ifndef IX_BASE_STATUS_HPP
#define IX_BASE_STATUS_HPP

#include <string>
#include <utility>
#include <variant>

namespace ix {

enum class StatusCode {
  kOk = 0,
  kMalformedRequest,   // IX_ERR_MALFORMED_REQUEST
  kInvalidArgument,    // IX_ERR_INVALID_ARGUMENT, and bad input found on the host side
  kNotFound,           // IX_ERR_NOT_FOUND, and missing files
  kIncompatibleAbi,    // IX_ERR_INCOMPATIBLE_ABI, and version checks done by the host
  kNullArgument,       // IX_ERR_NULL_ARGUMENT
  kInternal,           // IX_ERR_INTERNAL
  kLoadFailed,         // host side: not a shared object, symbol missing, …
  kMalformedResponse,  // host side: the plugin answered bytes that do not parse
  kUnavailable,        // host side: a resource the host needs is not there now (e.g. the port)
};

inline const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kMalformedRequest: return "MALFORMED_REQUEST";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kNotFound: return "NOT_FOUND";
    case StatusCode::kIncompatibleAbi: return "INCOMPATIBLE_ABI";
    case StatusCode::kNullArgument: return "NULL_ARGUMENT";
    case StatusCode::kInternal: return "INTERNAL";
    case StatusCode::kLoadFailed: return "LOAD_FAILED";
    case StatusCode::kMalformedResponse: return "MALFORMED_RESPONSE";
    case StatusCode::kUnavailable: return "UNAVAILABLE";
  }
  return "UNKNOWN";
}

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const {
    return ok() ? "OK" : std::string(StatusCodeName(code_)) + ": " + message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {}  // NOLINT: must not be OK

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace ix

#endif  // IX_BASE_STATUS_HPP
