// The libsodium-backed primitives, against published known answers where they exist.
#include <ix/base/crypto.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

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
  auto bad_public = PublicKeyOf(key.public_key_hex);  // 32 bytes where 64 belong
  ASSERT_FALSE(bad_public.ok());
  EXPECT_EQ(bad_public.status().message(), "secret key: expected 128 hex digits");
}

TEST(Crypto, HexRoundTrip) {
  std::string bytes;
  ASSERT_TRUE(FromHex("00ff10", 3, &bytes));
  EXPECT_EQ(bytes, std::string("\x00\xff\x10", 3));
  EXPECT_EQ(ToHex(bytes), "00ff10");
  EXPECT_FALSE(FromHex("00ff1", 3, &bytes));
  EXPECT_FALSE(FromHex("00ffzz", 3, &bytes));
}

class SecretKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ix-base-secret-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
};

TEST_F(SecretKeyFile, AMissingKeyIsCreatedOwnerOnlyAndReadBackTheSame) {
  const auto file = dir_ / "audit.key";
  auto created = LoadOrCreateSecretKey(file, 32, "audit key");
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->size(), 32u);
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::mask,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, ToHex(*created));
  auto again = LoadOrCreateSecretKey(file, 32, "audit key");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *created);
  auto other = LoadOrCreateSecretKey(dir_ / "other.key", 32, "audit key");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *created) << "fresh randomness for each new key";
}

TEST_F(SecretKeyFile, ProcessesCreatingTheSameKeyAtOnceAllGetTheOneKeptInTheFile) {
  const auto file = dir_ / "0181.secret";
  std::vector<std::string> keys(8);
  std::vector<std::thread> creators;
  for (auto& key : keys) {
    creators.emplace_back([&file, &key] {
      auto got = LoadOrCreateSecretKey(file, 32, "municipality secret");
      key = got.ok() ? *got : "error: " + got.status().message();
    });
  }
  for (auto& c : creators) c.join();
  auto kept = LoadOrCreateSecretKey(file, 32, "municipality secret");
  ASSERT_TRUE(kept.ok());
  for (const auto& key : keys) EXPECT_EQ(key, *kept);
}

TEST_F(SecretKeyFile, AKeyWrittenByHandIsRead) {
  const auto file = dir_ / "0181.secret";
  std::ofstream(file) << std::string(64, 'a') << "\n";
  std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto key = LoadOrCreateSecretKey(file, 32, "municipality secret");
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(*key, std::string(32, '\xaa'));
}

TEST_F(SecretKeyFile, AMalformedKeyIsRefusedNotReplaced) {
  const auto file = dir_ / "0181.secret";
  std::ofstream(file) << "abcd\n";
  std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto key = LoadOrCreateSecretKey(file, 32, "municipality secret");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(key.status().message(),
            file.string() + ": municipality secret must be 64 hex digits (32 bytes)");
  std::ifstream in(file);
  std::string kept;
  in >> kept;
  EXPECT_EQ(kept, "abcd") << "a bad key is an operator's problem to fix, never silently replaced";
}

// A key others may read is refused before it is read, naming the file, its mode and the fix;
// group access stays allowed (the service group of a key folder).
TEST_F(SecretKeyFile, AKeyReadableByOthersIsRefused) {
  const auto file = dir_ / "0181.k1.key";
  std::ofstream(file) << std::string(64, 'b') << "\n";
  std::filesystem::permissions(file, std::filesystem::perms(0644));
  auto key = LoadOrCreateSecretKey(file, 32, "pseudonym key k1");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(key.status().message(), file.string() + ": pseudonym key k1 has mode 0644, which lets every user of "
                                                    "the machine read it; allowed: no access for others (chmod o-rwx " +
                                        file.string() + ")");
  std::filesystem::permissions(file, std::filesystem::perms(0640));
  EXPECT_TRUE(LoadOrCreateSecretKey(file, 32, "pseudonym key k1").ok());
}

TEST_F(SecretKeyFile, AKeyThatCannotBeWrittenIsAnError) {
  auto key = LoadOrCreateSecretKey(dir_ / "missing-dir" / "k", 32, "audit key");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.status().message().find("cannot write the audit key"), std::string::npos)
      << key.status().message();
  EXPECT_NE(key.status().message().find((dir_ / "missing-dir" / "k").string()), std::string::npos);
}

}  // namespace
}  // namespace ix::base::crypto
