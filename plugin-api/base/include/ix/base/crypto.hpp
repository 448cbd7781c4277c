// The few cryptographic operations the product needs, over libsodium, with hex encodings:
// Ed25519 detached signatures (plugin bundles, exchange packages), SHA-256 (file hashes) and
// HMAC-SHA-256 (pseudonyms). One place, so every signed artefact uses the same primitives.
#ifndef IX_BASE_CRYPTO_HPP
#define IX_BASE_CRYPTO_HPP

#include <ix/base/status.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace ix::base::crypto {

// Lowercase hex of bytes, and back (nullopt-like: false when not exactly `size` bytes of hex).
std::string ToHex(std::string_view bytes);
bool FromHex(std::string_view hex, size_t size, std::string* bytes);

struct SigningKeyPair {
  std::string public_key_hex;  // 32 bytes
  std::string secret_key_hex;  // 64 bytes (libsodium's seed + public key)
};
SigningKeyPair GenerateSigningKeyPair();

// Ed25519 detached signature of `message` (hex, 64 bytes); errors name the bad key.
Result<std::string> Sign(std::string_view message, const std::string& secret_key_hex);
// The public key that belongs to a secret key.
Result<std::string> PublicKeyOf(const std::string& secret_key_hex);
// True only for a well-formed signature by `public_key_hex` over exactly `message`.
bool VerifySignature(std::string_view message, const std::string& signature_hex,
                     const std::string& public_key_hex);

std::string Sha256Hex(std::string_view bytes);
// HMAC-SHA-256 of `message` under `key` (any length; libsodium's crypto_auth_hmacsha256).
std::string HmacSha256Hex(std::string_view key, std::string_view message);
// True only when `mac_hex` is HmacSha256Hex(key, message); compared in constant time.
bool VerifyHmacSha256Hex(std::string_view key, std::string_view message, std::string_view mac_hex);

// A symmetric secret kept in a file as one line of hex (pseudonym keys): the `bytes` bytes
// read from `file`, or, when there is no such file, fresh random bytes written there first
// (owner-only, atomically: temporary file, fsync, link, fsync of the folder). `what` names the
// secret in errors ("audit key"). A key file others may access is refused, not read.
Result<std::string> LoadOrCreateSecretKey(const std::filesystem::path& file, size_t bytes,
                                          std::string_view what);

// PERMISSION_DENIED, naming the file, its mode and the fix, when users other than the owner
// and the group have any access to `file` (or it cannot be examined); NOT_FOUND when absent.
Status CheckNotOthersAccessible(const std::filesystem::path& file, std::string_view what);

}  // namespace ix::base::crypto

#endif  // IX_BASE_CRYPTO_HPP
