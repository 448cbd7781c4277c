// Header-only C++ wrapper over the C ABI in ix/plugin.h, for hosts written in C++.
//
// - ix::Status / ix::Result<T> (ix/base/status.hpp): errors as values, never exceptions across calls.
// - ix::PluginSession: RAII owner of one negotiated ix_plugin table. It holds a keep-alive
//   handle of whatever keeps the shared object mapped (the host library passes its
//   boost::dll::shared_library), so the code stays mapped for as long as the session lives.
// - Call<Response>(fn, request): serializes any protobuf message (full or lite), crosses the
//   ABI, frees the plugin's buffer with the plugin's own free_buffer, parses the answer.
// - FromAbiStatus(): the one table from ix_status to the canonical (google.rpc) code.
// - ErrorDecoder: how a session turns a failed call's error buffer into a Status — text by
//   default; the host library installs a CallError decoder for ABI 1.1 structured errors.
//
// No dependency beyond the C header, ix/base/status.hpp and the standard library; protobuf types are template
// parameters, so this header compiles without protobuf.
#ifndef IX_PLUGIN_HPP
#define IX_PLUGIN_HPP

#include <ix/plugin.h>
#include <ix/base/status.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ix {

// The one mapping from the ABI's status to the canonical code. Every host-side consumer (the
// server's gRPC answers, the CLI's exit codes, the vendor adapters) reads the canonical code,
// so this table is the only place an ABI status is interpreted.
//
//   IX_OK                     OK
//   IX_ERR_MALFORMED_REQUEST  INVALID_ARGUMENT     the caller's bytes are the bad argument
//   IX_ERR_INVALID_ARGUMENT   INVALID_ARGUMENT
//   IX_ERR_NOT_FOUND          NOT_FOUND
//   IX_ERR_INCOMPATIBLE_ABI   UNIMPLEMENTED        the plugin does not implement what was asked
//                                                  (that ABI version, that function, that extension)
//   IX_ERR_NULL_ARGUMENT      INVALID_ARGUMENT
//   IX_ERR_INTERNAL           INTERNAL
//   anything else             UNKNOWN              a status added by a newer minor
//
// Host-side checks of the same kind use the same codes: a version the host refuses, a function
// or extension the plugin lacks is UNIMPLEMENTED; a file that is not a loadable plugin is
// FAILED_PRECONDITION; a response that does not parse is INTERNAL. Load failures also carry
// the reason kReasonPluginLoad (ix/base/status.hpp), so callers need no code of their own.
// It takes the number, not an ix_status: a status a newer minor adds lies outside this enum's
// values, and such a value held in an ix_status is undefined in C++ (UBSan: load of value 77,
// which is not a valid value for type 'ix_status').
inline StatusCode FromAbiStatus(int status) {
  switch (status) {
    case IX_OK: return StatusCode::kOk;
    case IX_ERR_MALFORMED_REQUEST: return StatusCode::kInvalidArgument;
    case IX_ERR_INVALID_ARGUMENT: return StatusCode::kInvalidArgument;
    case IX_ERR_NOT_FOUND: return StatusCode::kNotFound;
    case IX_ERR_INCOMPATIBLE_ABI: return StatusCode::kUnimplemented;
    case IX_ERR_NULL_ARGUMENT: return StatusCode::kInvalidArgument;
    case IX_ERR_INTERNAL: return StatusCode::kInternal;
  }
  return StatusCode::kUnknown;
}

// Turns a failed call's error buffer into a Status. The default reads it as text (ABI 1.0, or
// a host that did not ask for structured errors): the message is the text, there are no
// problems. A host that negotiated IX_ERROR_FORMAT_CALL_ERROR installs a decoder that parses
// the ix.v1.CallError it asked for (the host library does, ix/host/loader.hpp), which keeps
// this header free of protobuf.
using ErrorDecoder = Status (*)(ix_status status, std::string_view error_buffer);

inline Status TextError(ix_status status, std::string_view error_buffer) {
  return Status(FromAbiStatus(status), std::string(error_buffer));
}

// One negotiated plugin: owns the table until destruction, then calls release().
// Thread-safe for concurrent calls (the ABI requires plugins to be), not for move/destroy.
class PluginSession {
 public:
  PluginSession(const ix_plugin* table, std::shared_ptr<void> keep_alive, std::string origin,
                ErrorDecoder decode_error = &TextError,
                ix_error_format error_format = IX_ERROR_FORMAT_TEXT)
      : table_(table),
        keep_alive_(std::move(keep_alive)),
        origin_(std::move(origin)),
        decode_error_(decode_error != nullptr ? decode_error : &TextError),
        error_format_(error_format) {}
  PluginSession(const PluginSession&) = delete;
  PluginSession& operator=(const PluginSession&) = delete;
  PluginSession(PluginSession&& other) noexcept
      : table_(std::exchange(other.table_, nullptr)),
        keep_alive_(std::move(other.keep_alive_)),
        origin_(std::move(other.origin_)),
        decode_error_(other.decode_error_),
        error_format_(other.error_format_) {}
  PluginSession& operator=(PluginSession&& other) noexcept {
    if (this != &other) {
      Reset();
      table_ = std::exchange(other.table_, nullptr);
      keep_alive_ = std::move(other.keep_alive_);
      origin_ = std::move(other.origin_);
      decode_error_ = other.decode_error_;
      error_format_ = other.error_format_;
    }
    return *this;
  }
  ~PluginSession() { Reset(); }

  const ix_plugin& table() const { return *table_; }
  std::string_view name() const { return table_->plugin_name; }
  std::string_view version() const { return table_->plugin_version; }
  std::string abi_version() const {
    return std::to_string(table_->abi_major) + "." + std::to_string(table_->abi_minor);
  }
  // Where the plugin came from (its file path), for messages.
  const std::string& origin() const { return origin_; }
  // How this session's failed calls write their error buffer (negotiated at load).
  ix_error_format error_format() const { return error_format_; }

  // Crosses the ABI with raw bytes. On success the response bytes, else the plugin's error as
  // a Status: its message, and its problems when the session negotiated structured errors.
  Result<std::string> CallRaw(ix_call_fn fn, std::string_view request) const {
    if (fn == nullptr) {
      return Status(StatusCode::kUnimplemented, origin_ + ": function not provided by plugin");
    }
    ix_buffer out{nullptr, 0};
    const ix_status rc =
        fn(table_->context, reinterpret_cast<const uint8_t*>(request.data()), request.size(), &out);
    std::string bytes(reinterpret_cast<const char*>(out.data), out.size);
    table_->free_buffer(table_->context, &out);
    if (rc != IX_OK) return decode_error_(rc, bytes);
    return bytes;
  }

  // Typed call: Request and Response are protobuf message types (full or lite runtime).
  template <typename Response, typename Request>
  Result<Response> Call(ix_call_fn fn, const Request& request) const {
    std::string bytes;
    if (!request.SerializeToString(&bytes)) {
      return Status(StatusCode::kInvalidArgument, "request could not be serialized");
    }
    Result<std::string> raw = CallRaw(fn, bytes);
    if (!raw.ok()) return raw.status();
    Response response;
    if (!response.ParseFromString(*raw)) {
      return Status(StatusCode::kInternal,
                    origin_ + ": plugin answered " + std::to_string(raw->size()) +
                        " bytes that are not a valid " + std::string(Response().GetTypeName()));
    }
    return response;
  }

  // Typed extension lookup: NULL (unsupported) becomes std::nullopt.
  template <typename Extension>
  const Extension* GetExtension(const char* id) const {
    if (table_->get_extension == nullptr) return nullptr;
    return static_cast<const Extension*>(table_->get_extension(table_->context, id));
  }

 private:
  void Reset() {
    if (table_ != nullptr && table_->release != nullptr) table_->release(table_->context);
    table_ = nullptr;
    keep_alive_.reset();  // after release(): the code must still be mapped while it runs
  }

  const ix_plugin* table_ = nullptr;
  std::shared_ptr<void> keep_alive_;
  std::string origin_;
  ErrorDecoder decode_error_ = &TextError;
  ix_error_format error_format_ = IX_ERROR_FORMAT_TEXT;
};

}  // namespace ix

#endif  // IX_PLUGIN_HPP
