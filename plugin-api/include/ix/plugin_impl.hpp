// Header-only helpers for plugin authors (the plugin side of ix/plugin.h).
//
// - Negotiate(): the plugin's half of version negotiation, with the refusal message format
//   every plugin should use (it names both the offered and the implemented versions).
// - ErrorFormatOf(): the error format a session writes, read from the offer only where the
//   offer and the negotiated minor allow it.
// - Guarded(): runs a C++ body and converts every exception into an error status, so no
//   exception ever crosses the C boundary.
// - MakeBuffer()/FreeBuffer(): the plugin-side allocation behind ix_buffer.
#ifndef IX_PLUGIN_IMPL_HPP
#define IX_PLUGIN_IMPL_HPP

#include <ix/plugin.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace ix::plugin {

// The result of a guarded body: a status and either response bytes or an error message.
struct CallResult {
  ix_status status = IX_OK;
  std::string bytes;

  static CallResult Ok(std::string response) { return {IX_OK, std::move(response)}; }
  static CallResult Error(ix_status status, std::string message) {
    return {status, std::move(message)};
  }
};

// Copies bytes into a malloc'ed buffer. Returns false (and a zeroed buffer) if out of memory.
inline bool MakeBuffer(std::string_view bytes, ix_buffer* out) {
  out->data = nullptr;
  out->size = 0;
  if (bytes.empty()) return true;
  auto* data = static_cast<uint8_t*>(std::malloc(bytes.size()));
  if (data == nullptr) return false;
  std::memcpy(data, bytes.data(), bytes.size());
  out->data = data;
  out->size = bytes.size();
  return true;
}

inline void FreeBuffer(ix_buffer* buffer) {
  if (buffer == nullptr) return;
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}

// The error format a session writes into the error buffer of a failed call. The offer's
// error_format is read only when the host's struct_size covers it (a 1.0 host's offer ends
// before it) and the negotiated minor is at least 1; everything else is text.
inline ix_error_format ErrorFormatOf(const ix_abi_offer* offer, uint16_t negotiated_minor) noexcept {
  constexpr size_t kCovers = offsetof(ix_abi_offer, error_format) + sizeof(uint32_t);
  if (offer == nullptr || negotiated_minor < 1 || offer->struct_size < kCovers) {
    return IX_ERROR_FORMAT_TEXT;
  }
  return offer->error_format == IX_ERROR_FORMAT_CALL_ERROR ? IX_ERROR_FORMAT_CALL_ERROR
                                                           : IX_ERROR_FORMAT_TEXT;
}

// Writes an error message as it is, for sessions that write text.
struct TextError {
  std::string operator()(ix_status /*status*/, std::string message) const { return message; }
};

// Runs `body` (returning CallResult) and writes its result to *out. Any exception becomes
// IX_ERR_INTERNAL with a message naming `what` (the function), never a crash. `encode`
// turns that message into the error buffer's bytes (a plugin writing structured errors
// passes its encoder, so even an internal failure arrives in the negotiated format).
template <typename Body, typename Encode = TextError>
ix_status Guarded(const char* what, ix_buffer* out, Body&& body, Encode&& encode = {}) noexcept {
  if (out == nullptr) return IX_ERR_NULL_ARGUMENT;
  out->data = nullptr;
  out->size = 0;
  CallResult result;
  try {
    try {
      result = std::forward<Body>(body)();
    } catch (const std::bad_alloc&) {
      result = CallResult::Error(IX_ERR_INTERNAL, encode(IX_ERR_INTERNAL, std::string(what) + ": out of memory"));
    } catch (const std::exception& e) {
      result = CallResult::Error(IX_ERR_INTERNAL,
                                 encode(IX_ERR_INTERNAL, std::string(what) + ": internal error: " + e.what()));
    } catch (...) {
      result = CallResult::Error(IX_ERR_INTERNAL, encode(IX_ERR_INTERNAL, std::string(what) + ": unknown internal error"));
    }
  } catch (...) {
    return IX_ERR_INTERNAL;  // not even the error could be written (out of memory)
  }
  if (!MakeBuffer(result.bytes, out)) return IX_ERR_INTERNAL;
  return result.status;
}

// The plugin's half of negotiation. The plugin implements ABI `major` with minors
// [min_minor, max_minor] (a plugin built for minor M can serve any host minor ≥ the minor that
// introduced the functions it needs). Picks the highest minor both sides know.
// Returns IX_OK and sets *chosen_minor, or writes a refusal naming both versions.
inline ix_status Negotiate(const ix_abi_offer* offer, uint16_t major, uint16_t min_minor,
                           uint16_t max_minor, uint16_t* chosen_minor, char* error,
                           size_t error_size) noexcept {
  auto refuse = [&](ix_status status, const char* fmt, auto... args) {
    if (error != nullptr && error_size > 0) std::snprintf(error, error_size, fmt, args...);
    return status;
  };
  if (offer == nullptr || chosen_minor == nullptr) {
    return refuse(IX_ERR_NULL_ARGUMENT, "%s", "negotiation: offer is NULL");
  }
  if (offer->struct_size < sizeof(uint32_t) + 3 * sizeof(uint16_t)) {
    return refuse(IX_ERR_INCOMPATIBLE_ABI, "negotiation: offer struct_size %u is too small",
                  static_cast<unsigned>(offer->struct_size));
  }
  if (offer->abi_major != major) {
    return refuse(IX_ERR_INCOMPATIBLE_ABI,
                  "ABI major mismatch: host offers %u.%u-%u, plugin implements %u.%u-%u",
                  unsigned{offer->abi_major}, unsigned{offer->min_minor},
                  unsigned{offer->max_minor}, unsigned{major}, unsigned{min_minor},
                  unsigned{max_minor});
  }
  const uint16_t best = offer->max_minor < max_minor ? offer->max_minor : max_minor;
  if (best < offer->min_minor || best < min_minor) {
    return refuse(IX_ERR_INCOMPATIBLE_ABI,
                  "no common ABI minor: host offers %u.%u-%u, plugin implements %u.%u-%u",
                  unsigned{offer->abi_major}, unsigned{offer->min_minor},
                  unsigned{offer->max_minor}, unsigned{major}, unsigned{min_minor},
                  unsigned{max_minor});
  }
  *chosen_minor = best;
  return IX_OK;
}

}  // namespace ix::plugin

#endif  // IX_PLUGIN_IMPL_HPP
