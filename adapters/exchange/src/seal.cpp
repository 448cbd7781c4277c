#include "seal.hpp"

#include <ix/adapters/exchange/exchange.hpp>
#include <ix/base/crypto.hpp>

#include <sodium.h>

namespace ix::adapters::exchange {
namespace {

bool Init() { return sodium_init() >= 0; }

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

namespace internal {

Result<std::string> Seal(std::string_view plaintext, const std::string& recipient_public_key_hex) {
  std::string public_key;
  if (!Init() || !base::crypto::FromHex(recipient_public_key_hex, crypto_box_PUBLICKEYBYTES, &public_key)) {
    return Status(StatusCode::kInvalidArgument, "the recipient's encryption key is not an X25519 public key (64 hex digits)");
  }
  std::string sealed(plaintext.size() + crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()), Bytes(plaintext), plaintext.size(),
                      Bytes(public_key)) != 0) {
    return Status(StatusCode::kInternal, "the package could not be sealed");
  }
  return sealed;
}

std::optional<std::string> Open(std::string_view sealed, const std::string& public_key_hex,
                                const std::string& secret_key_hex) {
  std::string public_key;
  std::string secret_key;
  if (!Init() || sealed.size() < crypto_box_SEALBYTES ||
      !base::crypto::FromHex(public_key_hex, crypto_box_PUBLICKEYBYTES, &public_key) ||
      !base::crypto::FromHex(secret_key_hex, crypto_box_SECRETKEYBYTES, &secret_key)) {
    return std::nullopt;
  }
  std::string plaintext(sealed.size() - crypto_box_SEALBYTES, '\0');
  const int rc = crypto_box_seal_open(reinterpret_cast<unsigned char*>(plaintext.data()), Bytes(sealed),
                                      sealed.size(), Bytes(public_key), Bytes(secret_key));
  sodium_memzero(secret_key.data(), secret_key.size());
  if (rc != 0) return std::nullopt;
  return plaintext;
}

}  // namespace internal

EncryptionKeyPair GenerateEncryptionKeyPair() {
  (void)Init();
  std::string public_key(crypto_box_PUBLICKEYBYTES, '\0');
  std::string secret_key(crypto_box_SECRETKEYBYTES, '\0');
  crypto_box_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                     reinterpret_cast<unsigned char*>(secret_key.data()));
  EncryptionKeyPair pair{base::crypto::ToHex(public_key), base::crypto::ToHex(secret_key)};
  sodium_memzero(secret_key.data(), secret_key.size());
  return pair;
}

Result<std::string> EncryptionPublicKeyOf(const std::string& secret_key_hex) {
  std::string secret_key;
  if (!Init() || !base::crypto::FromHex(secret_key_hex, crypto_box_SECRETKEYBYTES, &secret_key)) {
    return Status(StatusCode::kInvalidArgument, "not an X25519 secret key (64 hex digits)");
  }
  std::string public_key(crypto_box_PUBLICKEYBYTES, '\0');
  const int rc = crypto_scalarmult_base(reinterpret_cast<unsigned char*>(public_key.data()), Bytes(secret_key));
  sodium_memzero(secret_key.data(), secret_key.size());
  if (rc != 0) return Status(StatusCode::kInvalidArgument, "not a usable X25519 secret key");
  return base::crypto::ToHex(public_key);
}

}  // namespace ix::adapters::exchange
