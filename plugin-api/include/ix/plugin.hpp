// Header-only C++ wrapper over the C ABI in ix/plugin.h, for hosts written in C++.
//
// - ix::Status / ix::Result<T> (ix/base/status.hpp): errors as values, never exceptions across calls.
// - ix::PluginSession: RAII owner of one negotiated ix_plugin table. It holds a keep-alive
//   handle of whatever keeps the shared object mapped (the host library passes its
//   boost::dll::shared_library), so the code stays mapped for as long as the session lives.
// - Call<Response>(fn, request): serializes any protobuf message (full or lite), crosses the
//   ABI, frees the plugin's buffer with the plugin's own free_buffer, parses the answer.
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

inline StatusCode FromAbiStatus(ix_status status) {
  switch (status) {
    case IX_OK: return StatusCode::kOk;
    case IX_ERR_MALFORMED_REQUEST: return StatusCode::kMalformedRequest;
    case IX_ERR_INVALID_ARGUMENT: return StatusCode::kInvalidArgument;
    case IX_ERR_NOT_FOUND: return StatusCode::kNotFound;
    case IX_ERR_INCOMPATIBLE_ABI: return StatusCode::kIncompatibleAbi;
    case IX_ERR_NULL_ARGUMENT: return StatusCode::kNullArgument;
    case IX_ERR_INTERNAL: return StatusCode::kInternal;
  }
  return StatusCode::kInternal;  // a status from a newer minor: treat as internal
}

// One negotiated plugin: owns the table until destruction, then calls release().
// Thread-safe for concurrent calls (the ABI requires plugins to be), not for move/destroy.
class PluginSession {
 public:
  PluginSession(const ix_plugin* table, std::shared_ptr<void> keep_alive, std::string origin)
      : table_(table), keep_alive_(std::move(keep_alive)), origin_(std::move(origin)) {}
  PluginSession(const PluginSession&) = delete;
  PluginSession& operator=(const PluginSession&) = delete;
  PluginSession(PluginSession&& other) noexcept
      : table_(std::exchange(other.table_, nullptr)),
        keep_alive_(std::move(other.keep_alive_)),
        origin_(std::move(other.origin_)) {}
  PluginSession& operator=(PluginSession&& other) noexcept {
    if (this != &other) {
      Reset();
      table_ = std::exchange(other.table_, nullptr);
      keep_alive_ = std::move(other.keep_alive_);
      origin_ = std::move(other.origin_);
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

  // Crosses the ABI with raw bytes. On success the response bytes, else the plugin's message.
  Result<std::string> CallRaw(ix_call_fn fn, std::string_view request) const {
    if (fn == nullptr) {
      return Status(StatusCode::kIncompatibleAbi, origin_ + ": function not provided by plugin");
    }
    ix_buffer out{nullptr, 0};
    const ix_status rc =
        fn(table_->context, reinterpret_cast<const uint8_t*>(request.data()), request.size(), &out);
    std::string bytes(reinterpret_cast<const char*>(out.data), out.size);
    table_->free_buffer(table_->context, &out);
    if (rc != IX_OK) return Status(FromAbiStatus(rc), std::move(bytes));
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
      return Status(StatusCode::kMalformedResponse,
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
};

}  // namespace ix

#endif  // IX_PLUGIN_HPP
