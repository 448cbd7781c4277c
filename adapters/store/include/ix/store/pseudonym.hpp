// Pseudonyms that carry their key id and can be moved to a new key without the identities.
//
// A pseudonym is "k<id>:" followed by 64 hex digits: the ristretto255 point H(input)^s, where
// H hashes the domain-separated input to the group (libsodium's crypto_core_ristretto255_from_hash
// over SHA-512) and s is a scalar derived from the key of that id. Without the key, a pseudonym
// cannot be recomputed from a guessed personnummer, so enumerating the ~10^5 numbers of a birth
// month gets an attacker nothing; with the key it works exactly like a keyed hash.
//
// Why a group and not HMAC: re-keying. H(x)^s1 raised to s2/s1 is H(x)^s2, so a store can be
// re-pseudonymised from key 1 to key 2 knowing only the pseudonyms and both keys — no
// personnummer is needed, and once every pseudonym is moved, key 1 can be destroyed.
//
// Stores created before versioned keys hold unprefixed HMAC-SHA-256 pseudonyms
// ("legacy" scheme below); they keep working but cannot be re-keyed.
#ifndef IX_STORE_PSEUDONYM_HPP
#define IX_STORE_PSEUDONYM_HPP

#include <ix/base/status.hpp>

#include <array>
#include <string>
#include <string_view>

namespace ix::store {

enum class PseudonymScheme {
  kRistretto255,  // "k<id>:<hex>", re-keyable
  kLegacyHmac,    // persons: HMAC-SHA-256 hex (as before versioned keys); references "h1:<hex>"
};

class Pseudonymiser {
 public:
  // `secret`: the key's bytes (at least 16). `key_id` ≥ 1.
  static Result<Pseudonymiser> Make(PseudonymScheme scheme, int key_id, std::string_view secret);
  Pseudonymiser(const Pseudonymiser&) = default;
  Pseudonymiser& operator=(const Pseudonymiser&) = default;
  ~Pseudonymiser();

  int key_id() const { return key_id_; }
  PseudonymScheme scheme() const { return scheme_; }
  // "k<id>:" (or "h1:" for legacy references): what every reference made by this key starts with.
  std::string Prefix() const;

  // A person, from the normalised personnummer ("YYYYMMDDNNNC").
  std::string Person(std::string_view normalized_personnummer) const;
  // Any other reference that may carry an identity (event ids, intervention ids, exchange
  // package ids): `kind` separates the domains, so equal texts of two kinds never match.
  std::string Reference(std::string_view kind, std::string_view text) const;

  // The pseudonym `to` gives the same input that `from` turned into `pseudonym`. Both must be
  // re-keyable; a pseudonym not made by `from`'s key id is refused, naming it.
  static Result<std::string> Rekey(std::string_view pseudonym, const Pseudonymiser& from,
                                   const Pseudonymiser& to);

  // The key id a pseudonym or reference carries ("k3:…" → 3); 0 when it carries none.
  static int KeyIdOf(std::string_view pseudonym);

 private:
  Pseudonymiser() = default;
  std::string Point(std::string_view domain, std::string_view text) const;

  PseudonymScheme scheme_ = PseudonymScheme::kRistretto255;
  int key_id_ = 0;
  std::string secret_;                    // legacy HMAC key
  std::array<unsigned char, 32> scalar_{};  // ristretto255 scalar
};

}  // namespace ix::store

#endif  // IX_STORE_PSEUDONYM_HPP
