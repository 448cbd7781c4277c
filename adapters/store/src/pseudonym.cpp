#include <ix/store/pseudonym.hpp>

#include <ix/base/crypto.hpp>

#include <sodium.h>

#include <charconv>

namespace ix::store {
namespace {

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// SHA-512 over the parts, each preceded by its length, so ("ab", "c") and ("a", "bc") differ.
void Sha512(std::initializer_list<std::string_view> parts, unsigned char out[crypto_hash_sha512_BYTES]) {
  crypto_hash_sha512_state state;
  crypto_hash_sha512_init(&state);
  for (std::string_view part : parts) {
    const uint64_t size = part.size();
    unsigned char length[8];
    for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(size >> (8 * i));
    crypto_hash_sha512_update(&state, length, sizeof length);
    crypto_hash_sha512_update(&state, Bytes(part), part.size());
  }
  crypto_hash_sha512_final(&state, out);
  sodium_memzero(&state, sizeof state);
}

// "k<digits>:" → the digits' value and where the hex starts; 0 when not so prefixed.
int ParsePrefix(std::string_view pseudonym, size_t* hex_start) {
  if (pseudonym.size() < 3 || pseudonym[0] != 'k') return 0;
  const size_t colon = pseudonym.find(':');
  if (colon == std::string_view::npos || colon < 2 || colon > 10) return 0;
  int id = 0;
  const auto [end, error] = std::from_chars(pseudonym.data() + 1, pseudonym.data() + colon, id);
  if (error != std::errc() || end != pseudonym.data() + colon || id < 1) return 0;
  if (hex_start != nullptr) *hex_start = colon + 1;
  return id;
}

}  // namespace

Result<Pseudonymiser> Pseudonymiser::Make(PseudonymScheme scheme, int key_id, std::string_view secret) {
  if (sodium_init() < 0) return Status(StatusCode::kInternal, "libsodium could not be initialised");
  if (key_id < 1) return Status(StatusCode::kInvalidArgument, "key id " + std::to_string(key_id) + ": must be at least 1");
  if (secret.size() < 16) {
    return Status(StatusCode::kInvalidArgument, "pseudonym key k" + std::to_string(key_id) + ": " +
                                                    std::to_string(secret.size()) + " bytes, at least 16 needed");
  }
  if (scheme == PseudonymScheme::kLegacyHmac && key_id != 1) {
    return Status(StatusCode::kInvalidArgument, "a store with HMAC pseudonyms has only key k1");
  }
  Pseudonymiser p;
  p.scheme_ = scheme;
  p.key_id_ = key_id;
  if (scheme == PseudonymScheme::kLegacyHmac) {
    p.secret_ = std::string(secret);
    return p;
  }
  unsigned char wide[crypto_hash_sha512_BYTES];
  Sha512({"ix-pseudonym-scalar-v1", secret}, wide);
  crypto_core_ristretto255_scalar_reduce(p.scalar_.data(), wide);
  sodium_memzero(wide, sizeof wide);
  if (sodium_is_zero(p.scalar_.data(), p.scalar_.size())) {
    return Status(StatusCode::kInvalidArgument, "pseudonym key k" + std::to_string(key_id) + ": unusable (zero scalar)");
  }
  return p;
}

Pseudonymiser::~Pseudonymiser() {
  sodium_memzero(scalar_.data(), scalar_.size());
  sodium_memzero(secret_.data(), secret_.size());
}

std::string Pseudonymiser::Prefix() const {
  return scheme_ == PseudonymScheme::kLegacyHmac ? std::string("h1:") : "k" + std::to_string(key_id_) + ":";
}

std::string Pseudonymiser::Point(std::string_view domain, std::string_view text) const {
  unsigned char wide[crypto_hash_sha512_BYTES];
  Sha512({domain, text}, wide);
  unsigned char point[crypto_core_ristretto255_BYTES], out[crypto_core_ristretto255_BYTES];
  crypto_core_ristretto255_from_hash(point, wide);
  // Fails only for the identity point, which a hash reaches with negligible probability; the
  // output is then all zeros, still deterministic.
  if (crypto_scalarmult_ristretto255(out, scalar_.data(), point) != 0) sodium_memzero(out, sizeof out);
  sodium_memzero(wide, sizeof wide);
  return Prefix() + base::crypto::ToHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string Pseudonymiser::Person(std::string_view normalized_personnummer) const {
  if (scheme_ == PseudonymScheme::kLegacyHmac) {
    // As stores wrote them before versioned keys; changing it would split every person in two.
    return base::crypto::HmacSha256Hex(secret_, "ix-person-v1:" + std::string(normalized_personnummer));
  }
  return Point("ix-person-v2", normalized_personnummer);
}

std::string Pseudonymiser::Reference(std::string_view kind, std::string_view text) const {
  if (scheme_ == PseudonymScheme::kLegacyHmac) {
    return Prefix() + base::crypto::HmacSha256Hex(secret_, "ix-ref-v1:" + std::string(kind) + ":" + std::string(text));
  }
  return Point("ix-ref-v2:" + std::string(kind), text);
}

int Pseudonymiser::KeyIdOf(std::string_view pseudonym) { return ParsePrefix(pseudonym, nullptr); }

Result<std::string> Pseudonymiser::Rekey(std::string_view pseudonym, const Pseudonymiser& from,
                                         const Pseudonymiser& to) {
  if (from.scheme_ != PseudonymScheme::kRistretto255 || to.scheme_ != PseudonymScheme::kRistretto255) {
    return Status(StatusCode::kFailedPrecondition,
                  "HMAC pseudonyms (a store created before versioned keys) cannot be re-keyed");
  }
  size_t hex_start = 0;
  const int id = ParsePrefix(pseudonym, &hex_start);
  if (id != from.key_id_) {
    return Status(StatusCode::kInvalidArgument, "pseudonym '" + std::string(pseudonym.substr(0, 12)) +
                                                    "…' does not carry key id k" + std::to_string(from.key_id_));
  }
  std::string point;
  if (!base::crypto::FromHex(pseudonym.substr(hex_start), crypto_core_ristretto255_BYTES, &point) ||
      crypto_core_ristretto255_is_valid_point(Bytes(point)) != 1) {
    return Status(StatusCode::kInvalidArgument, "pseudonym '" + std::string(pseudonym.substr(0, 12)) +
                                                    "…' is not a ristretto255 point");
  }
  // delta = s_to / s_from: H(x)^s_from ^ delta = H(x)^s_to.
  unsigned char inverse[crypto_core_ristretto255_SCALARBYTES], delta[crypto_core_ristretto255_SCALARBYTES];
  if (crypto_core_ristretto255_scalar_invert(inverse, from.scalar_.data()) != 0) {
    return Status(StatusCode::kInternal, "key k" + std::to_string(from.key_id_) + " has no inverse");
  }
  crypto_core_ristretto255_scalar_mul(delta, to.scalar_.data(), inverse);
  unsigned char out[crypto_core_ristretto255_BYTES];
  const int rc = crypto_scalarmult_ristretto255(out, delta, Bytes(point));
  sodium_memzero(inverse, sizeof inverse);
  sodium_memzero(delta, sizeof delta);
  if (rc != 0) return Status(StatusCode::kInternal, "re-keying produced the identity point");
  return to.Prefix() + base::crypto::ToHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

}  // namespace ix::store
