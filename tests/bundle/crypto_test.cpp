// The libsodium-backed primitives, against published known answers where they exist.
#include <ix/base/crypto.hpp>

#include <gtest/gtest.h>

namespace ix::base::crypto {
namespace {

TEST(Crypto, HmacSha256Rfc4231TestCase2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, Sha256KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, SignVerifyAndEveryWayToFail) {
  const SigningKeyPair key = GenerateSigningKeyPair();
  const SigningKeyPair other = GenerateSigningKeyPair();
  auto signature = Sign("referral package v1", key.secret_key_hex);
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(signature->size(), 128u);
  EXPECT_TRUE(VerifySignature("referral package v1", *signature, key.public_key_hex));
  EXPECT_FALSE(VerifySignature("referral package v2", *signature, key.public_key_hex));
  EXPECT_FALSE(VerifySignature("referral package v1", *signature, other.public_key_hex));
  std::string flipped = *signature;
  flipped[0] = flipped[0] == '0' ? '1' : '0';
  EXPECT_FALSE(VerifySignature("referral package v1", flipped, key.public_key_hex));
  EXPECT_FALSE(VerifySignature("referral package v1", "zz", key.public_key_hex));
  auto public_key = PublicKeyOf(key.secret_key_hex);
  ASSERT_TRUE(public_key.ok());
  EXPECT_EQ(*public_key, key.public_key_hex);
  auto bad = Sign("x", "not hex");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "secret key: expected 128 hex digits");
}

TEST(Crypto, HexRoundTrip) {
  std::string bytes;
  ASSERT_TRUE(FromHex("00ff10", 3, &bytes));
  EXPECT_EQ(bytes, std::string("\x00\xff\x10", 3));
  EXPECT_EQ(ToHex(bytes), "00ff10");
  EXPECT_FALSE(FromHex("00ff1", 3, &bytes));
  EXPECT_FALSE(FromHex("00ffzz", 3, &bytes));
}

}  // namespace
}  // namespace ix::base::crypto
