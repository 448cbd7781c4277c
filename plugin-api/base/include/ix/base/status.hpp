// ix::Status and ix::Result<T>: errors as values (abseil-style), never exceptions across
// calls. Header-only and standard-library-only, so the ABI wrapper (ix/plugin.hpp), the host
// library and every host-side library share one error type without depending on each other.
//
// The code is one of the canonical codes of google.rpc.Code, with the same numbers, so a
// gRPC front end passes it through unchanged and there is no per-adapter mapping to drift.
// What went wrong where is carried as data, never as text to parse back:
//   - problems(): the offending fields or answers, each with its path (the dialect validation
//     uses, e.g. "answers[p1/am.health]"), a machine code, a severity and Swedish/English text;
//   - reason(): an optional stable UPPER_SNAKE identifier of the failure (google.rpc.ErrorInfo's
//     reason), for callers that must tell two failures with the same code apart (a plugin that
//     does not load vs. a port that cannot be bound).
#ifndef IX_BASE_STATUS_HPP
#define IX_BASE_STATUS_HPP

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ix {

// google.rpc.Code: the values are the wire numbers and must not change.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

inline const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kCancelled: return "CANCELLED";
    case StatusCode::kUnknown: return "UNKNOWN";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kDeadlineExceeded: return "DEADLINE_EXCEEDED";
    case StatusCode::kNotFound: return "NOT_FOUND";
    case StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case StatusCode::kAborted: return "ABORTED";
    case StatusCode::kOutOfRange: return "OUT_OF_RANGE";
    case StatusCode::kUnimplemented: return "UNIMPLEMENTED";
    case StatusCode::kInternal: return "INTERNAL";
    case StatusCode::kUnavailable: return "UNAVAILABLE";
    case StatusCode::kDataLoss: return "DATA_LOSS";
    case StatusCode::kUnauthenticated: return "UNAUTHENTICATED";
  }
  return "UNKNOWN";
}

// Same values as ix.v1.Severity (proto/ix/v1/problem.proto).
enum class Severity : int { kUnspecified = 0, kError = 1, kWarning = 2 };

// One offending field or answer: the C++ image of ix.v1.Problem, without protobuf.
struct Problem {
  std::string path;      // "answers[p1/am.health]", "as_of_date", "consent.expires_on"
  std::string code;      // machine-readable: "required", "out_of_range", … (may be empty)
  Severity severity = Severity::kError;
  std::string sv;        // Swedish text (may be empty when only English exists)
  std::string en;        // English text

  bool operator==(const Problem&) const = default;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  Status(StatusCode code, std::string message, std::vector<Problem> problems)
      : code_(code), message_(std::move(message)), problems_(std::move(problems)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<Problem>& problems() const { return problems_; }
  const std::string& reason() const { return reason_; }

  // Tags the status with a stable reason; returns it for chaining:
  //   return Status(StatusCode::kFailedPrecondition, "...").WithReason(kReasonPluginLoad);
  Status WithReason(std::string reason) && {
    reason_ = std::move(reason);
    return std::move(*this);
  }
  Status WithReason(std::string reason) const& {
    Status copy = *this;
    copy.reason_ = std::move(reason);
    return copy;
  }
  std::string ToString() const {
    return ok() ? "OK" : std::string(StatusCodeName(code_)) + ": " + message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<Problem> problems_;
  std::string reason_;
};

// INVALID_ARGUMENT naming one field: the message reads "<path>: <what>" for people and logs,
// the problem carries the path as data for machines (a gRPC BadRequest, a CLI listing).
inline Status InvalidField(std::string path, std::string what) {
  std::string message = path + ": " + what;
  return Status(StatusCode::kInvalidArgument, std::move(message),
                {Problem{std::move(path), "invalid", Severity::kError, {}, std::move(what)}});
}

// Any code with one offending field, for refusals that are not plain bad input but still lie
// in one field (an expired consent is FAILED_PRECONDITION, a reused id ALREADY_EXISTS).
inline Status FieldRefused(StatusCode code, std::string path, std::string what) {
  Status status = InvalidField(std::move(path), std::move(what));
  return Status(code, status.message(), status.problems());
}

// Stable reasons used across libraries (google.rpc.ErrorInfo.reason of the server's answers).
inline constexpr const char* kReasonPluginLoad = "IX_PLUGIN_LOAD_FAILED";  // not loaded/negotiated
inline constexpr const char* kReasonListen = "IX_LISTEN_FAILED";           // port not bindable

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

// abseil's name for the same thing.
template <typename T>
using StatusOr = Result<T>;

}  // namespace ix

#endif  // IX_BASE_STATUS_HPP
