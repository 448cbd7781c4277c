#include <ix/base/crypto.hpp>
#include <ix/base/file.hpp>

#include <sodium.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>

#include <stdexcept>
#include <system_error>

namespace ix::base::crypto {
namespace {

void EnsureSodium() {
  // Idempotent and thread-safe; < 0 means no usable randomness source.
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// An Ed25519 secret key (seed + public key) from hex; the caller wipes it after use.
Status DecodeSecretKey(const std::string& secret_key_hex, std::string* sk) {
  if (FromHex(secret_key_hex, crypto_sign_SECRETKEYBYTES, sk)) return Status::Ok();
  return Status(StatusCode::kInvalidArgument,
                "secret key: expected " + std::to_string(crypto_sign_SECRETKEYBYTES * 2) + " hex digits");
}

}  // namespace

std::string ToHex(std::string_view bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), Bytes(bytes), bytes.size());
  hex.pop_back();
  return hex;
}

bool FromHex(std::string_view hex, size_t size, std::string* bytes) {
  if (hex.size() != size * 2) return false;
  std::string out(size, '\0');
  size_t written = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), size, hex.data(), hex.size(),
                     nullptr, &written, nullptr) != 0 ||
      written != size) {
    return false;
  }
  *bytes = std::move(out);
  return true;
}

SigningKeyPair GenerateSigningKeyPair() {
  EnsureSodium();
  std::string pk(crypto_sign_PUBLICKEYBYTES, '\0'), sk(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(pk.data()), reinterpret_cast<unsigned char*>(sk.data()));
  SigningKeyPair pair{ToHex(pk), ToHex(sk)};
  sodium_memzero(sk.data(), sk.size());
  return pair;
}

Result<std::string> Sign(std::string_view message, const std::string& secret_key_hex) {
  EnsureSodium();
  std::string sk;
  if (Status s = DecodeSecretKey(secret_key_hex, &sk); !s.ok()) return s;
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr, Bytes(message),
                       message.size(), Bytes(sk));
  sodium_memzero(sk.data(), sk.size());
  return ToHex(signature);
}

Result<std::string> PublicKeyOf(const std::string& secret_key_hex) {
  EnsureSodium();
  std::string sk;
  if (Status s = DecodeSecretKey(secret_key_hex, &sk); !s.ok()) return s;
  std::string pk(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(pk.data()), Bytes(sk));
  sodium_memzero(sk.data(), sk.size());
  return ToHex(pk);
}

bool VerifySignature(std::string_view message, const std::string& signature_hex,
                     const std::string& public_key_hex) {
  EnsureSodium();
  std::string signature, pk;
  if (!FromHex(signature_hex, crypto_sign_BYTES, &signature) ||
      !FromHex(public_key_hex, crypto_sign_PUBLICKEYBYTES, &pk)) {
    return false;
  }
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(), Bytes(pk)) == 0;
}

std::string Sha256Hex(std::string_view bytes) {
  EnsureSodium();
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()), Bytes(bytes), bytes.size());
  return ToHex(digest);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  EnsureSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(message), message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  // The state holds key-derived material (pseudonym secrets): not left behind on the stack.
  sodium_memzero(&state, sizeof state);
  return ToHex(mac);
}

bool VerifyHmacSha256Hex(std::string_view key, std::string_view message, std::string_view mac_hex) {
  const std::string expected = HmacSha256Hex(key, message);
  return mac_hex.size() == expected.size() &&
         sodium_memcmp(expected.data(), mac_hex.data(), expected.size()) == 0;
}

Status CheckNotOthersAccessible(const std::filesystem::path& file, std::string_view what) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    return Status(errno == ENOENT ? StatusCode::kNotFound : StatusCode::kPermissionDenied,
                  file.string() + ": " + std::string(what) + ": " + std::generic_category().message(errno));
  }
  if ((st.st_mode & S_IRWXO) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status(StatusCode::kPermissionDenied,
                  file.string() + ": " + std::string(what) + " has mode " + mode +
                      ", which lets every user of the machine read it; allowed: no access for others "
                      "(chmod o-rwx " + file.string() + ")");
  }
  return Status::Ok();
}

namespace {

Result<std::string> ReadSecretKey(const std::filesystem::path& file, size_t bytes, std::string_view what) {
  if (Status s = CheckNotOthersAccessible(file, what); !s.ok()) return s;
  auto text = ReadFile(file);
  if (!text.ok()) return text.status();
  // One line of hex; the trailing newline (and any surrounding blanks) is not part of it.
  const size_t begin = text->find_first_not_of(" \t\r\n");
  const size_t end = text->find_last_not_of(" \t\r\n");
  const std::string_view hex =
      begin == std::string::npos ? std::string_view() : std::string_view(*text).substr(begin, end - begin + 1);
  std::string key;
  const bool ok = FromHex(hex, bytes, &key);
  sodium_memzero(text->data(), text->size());
  if (!ok) {
    return Status(StatusCode::kInvalidArgument, file.string() + ": " + std::string(what) + " must be " +
                                                    std::to_string(bytes * 2) + " hex digits (" +
                                                    std::to_string(bytes) + " bytes)");
  }
  return key;
}

}  // namespace

Result<std::string> LoadOrCreateSecretKey(const std::filesystem::path& file, size_t bytes,
                                          std::string_view what) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) return ReadSecretKey(file, bytes, what);
  EnsureSodium();
  std::string key(bytes, '\0');
  randombytes_buf(key.data(), key.size());
  std::string hex = ToHex(key) + "\n";
  // Created, never replaced: when another process creates the same key file first, its key is
  // the one everybody uses (a second key would split every pseudonym in two).
  const Status written =
      WriteFileAtomically(file, hex, {.mode = kOwnerOnly, .keep_existing_mode = false, .replace_existing = false});
  sodium_memzero(hex.data(), hex.size());
  if (written.ok()) return key;
  sodium_memzero(key.data(), key.size());
  if (std::filesystem::exists(file, ec)) return ReadSecretKey(file, bytes, what);
  return Status(written.code(), "cannot write the " + std::string(what) + ": " + written.message());
}

}  // namespace ix::base::crypto
