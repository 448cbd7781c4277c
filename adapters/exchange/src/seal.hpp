// Sealing to a recipient's X25519 key (libsodium's sealed box: an ephemeral X25519 key,
// XSalsa20-Poly1305). Who sealed it is not in the box; the signature inside says that.
#ifndef IX_ADAPTERS_EXCHANGE_SEAL_HPP
#define IX_ADAPTERS_EXCHANGE_SEAL_HPP

#include <ix/base/status.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ix::adapters::exchange::internal {

// Errors: the public key is not 64 hex digits.
Result<std::string> Seal(std::string_view plaintext, const std::string& recipient_public_key_hex);
// The plaintext, or nothing when the box does not open with this key pair (another key, or
// any byte changed: the Poly1305 tag no longer verifies, and nothing is returned).
std::optional<std::string> Open(std::string_view sealed, const std::string& public_key_hex,
                                const std::string& secret_key_hex);

}  // namespace ix::adapters::exchange::internal

#endif  // IX_ADAPTERS_EXCHANGE_SEAL_HPP
