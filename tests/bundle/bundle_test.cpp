// Signed bundles: a real plugin copied into a real directory, signed with a real Ed25519 key,
// then tampered with in every way the issue lists. Each refusal must say exactly why.
#include <ix/cli/cli.hpp>
#include <ix/host/bundle.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

namespace ix::host::bundle {
namespace {

namespace fs = std::filesystem;

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("ix_bundle_test_" + std::to_string(std::random_device{}()));
    dir_ = root_ / "bundle";
    fs::create_directories(dir_ / "lib");
    fs::create_directories(dir_ / "definitions");
    fs::copy_file(IX_TEST_PLUGIN, dir_ / "lib/libinstrument_x.so");
    fs::copy_file(std::string(IX_TEST_DEFINITIONS_DIR) + "/instrument-x-2024.1.json",
                  dir_ / "definitions/instrument-x-2024.1.json");
    key_ = GenerateKeyPair();
    other_key_ = GenerateKeyPair();
    options_.trusted_keys = {{"old release key", other_key_.public_key_hex},
                             {"release key", key_.public_key_hex}};
    manifest_.plugin_name = "instrument-x";
    manifest_.plugin_version = "1.2.0";
    manifest_.plugin_file = "lib/libinstrument_x.so";
    manifest_.abi_major = 1;
    manifest_.definitions = {"instrument-x@2024.1"};
    manifest_.build = {{"revision", "test"}};
  }
  void TearDown() override { fs::remove_all(root_); }

  void SignWith(const KeyPair& key) { ASSERT_TRUE(WriteSigned(dir_, manifest_, key.secret_key_hex).ok()); }
  Verification Check() const { return Verify(dir_, options_); }

  fs::path root_, dir_;
  KeyPair key_, other_key_;
  VerifyOptions options_;
  Manifest manifest_;
};

TEST_F(BundleTest, SignedBundleVerifiesAndListsEveryFileWithItsHash) {
  SignWith(key_);
  const Verification v = Check();
  ASSERT_TRUE(v.ok()) << v.message;
  EXPECT_EQ(v.signer, "release key");
  ASSERT_EQ(v.manifest.files.size(), 2u);
  EXPECT_EQ(v.manifest.files[0].path, "definitions/instrument-x-2024.1.json");
  EXPECT_EQ(v.manifest.files[1].path, "lib/libinstrument_x.so");
  auto hash = Sha256File(dir_ / "lib/libinstrument_x.so");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(v.manifest.files[1].sha256, *hash);
  EXPECT_EQ(v.manifest.files[1].size, fs::file_size(dir_ / "lib/libinstrument_x.so"));
}

TEST_F(BundleTest, Sha256OfKnownContent) {
  std::ofstream(root_ / "abc.txt", std::ios::binary) << "abc";
  auto hash = Sha256File(root_ / "abc.txt");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(*hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
}

TEST_F(BundleTest, UnsignedBundleIsRefused) {
  std::ofstream(dir_ / kManifestFile) << ManifestToJson(manifest_);
  const Verification v = Check();
  EXPECT_EQ(v.refusal, Refusal::kMissingSignature) << v.message;
}

TEST_F(BundleTest, ManifestChangedAfterSigningIsABadSignature) {
  SignWith(key_);
  std::string text;
  {
    std::ifstream in(dir_ / kManifestFile);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto pos = text.find("1.2.0");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 5, "9.9.9");  // claim a newer version
  std::ofstream(dir_ / kManifestFile, std::ios::trunc) << text;
  const Verification v = Check();
  EXPECT_EQ(v.refusal, Refusal::kBadSignature) << v.message;
  EXPECT_NE(v.message.find("does not match manifest.json"), std::string::npos);
}

TEST_F(BundleTest, KeyNotTrustedIsRefusedByName) {
  const KeyPair stranger = GenerateKeyPair();
  SignWith(stranger);
  const Verification v = Check();
  EXPECT_EQ(v.refusal, Refusal::kUntrustedKey) << v.message;
  EXPECT_NE(v.message.find(stranger.public_key_hex.substr(0, 16)), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("2 trusted key(s)"), std::string::npos) << v.message;
}

TEST_F(BundleTest, RotatedKeyStillTrusted) {
  SignWith(other_key_);
  const Verification v = Check();
  ASSERT_TRUE(v.ok()) << v.message;
  EXPECT_EQ(v.signer, "old release key");
}

TEST_F(BundleTest, OneByteChangedInThePluginIsAHashMismatch) {
  SignWith(key_);
  {
    std::fstream f(dir_ / "lib/libinstrument_x.so", std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(100);
    char c = 0;
    f.read(&c, 1);
    f.seekp(100);
    c = static_cast<char>(c ^ 0x01);
    f.write(&c, 1);
  }
  const Verification v = Check();
  EXPECT_EQ(v.refusal, Refusal::kHashMismatch) << v.message;
  EXPECT_EQ(v.message.rfind("lib/libinstrument_x.so: SHA-256", 0), 0u) << v.message;
}

TEST_F(BundleTest, MissingAndExtraFilesAreNamed) {
  SignWith(key_);
  fs::remove(dir_ / "definitions/instrument-x-2024.1.json");
  Verification v = Check();
  EXPECT_EQ(v.refusal, Refusal::kMissingFile) << v.message;
  EXPECT_NE(v.message.find("definitions/instrument-x-2024.1.json"), std::string::npos);

  SignWith(key_);  // re-sign without the definition, then smuggle a file in
  std::ofstream(dir_ / "lib/evil.so") << "not listed";
  v = Check();
  EXPECT_EQ(v.refusal, Refusal::kExtraFile) << v.message;
  EXPECT_EQ(v.message.rfind("lib/evil.so: present in the bundle but not listed", 0), 0u) << v.message;
}

TEST_F(BundleTest, SymlinkInsideTheBundleIsRefused) {
  SignWith(key_);
  fs::create_symlink("/etc/passwd", dir_ / "definitions/link.json");
  const Verification v = Check();
  EXPECT_FALSE(v.ok());
  EXPECT_NE(v.message.find("symbolic links are not allowed"), std::string::npos) << v.message;
}

TEST_F(BundleTest, AbiRangeTheHostCannotServe) {
  manifest_.abi_major = 2;
  SignWith(key_);
  Verification v = Check();
  EXPECT_EQ(v.refusal, Refusal::kAbiUnhostable) << v.message;
  EXPECT_NE(v.message.find("needs ABI 2.0-0, this host serves 1.0-" + std::to_string(IX_ABI_MINOR)),
            std::string::npos)
      << v.message;

  manifest_.abi_major = 1;
  manifest_.abi_min_minor = 3;
  manifest_.abi_max_minor = 4;
  SignWith(key_);
  v = Check();
  EXPECT_EQ(v.refusal, Refusal::kAbiUnhostable) << v.message;
}

TEST_F(BundleTest, DowngradeRefusedUnlessForced) {
  SignWith(key_);
  options_.running_version = "1.10.0";  // numeric, not text order: 1.2.0 < 1.10.0
  Verification v = Check();
  EXPECT_EQ(v.refusal, Refusal::kDowngrade) << v.message;
  EXPECT_NE(v.message.find("1.2.0 is older than 1.10.0, the newest version this host has run"), std::string::npos) << v.message;
  options_.allow_downgrade = true;
  v = Check();
  EXPECT_TRUE(v.ok()) << v.message;
  options_.allow_downgrade = false;
  options_.running_version = "1.2.0";  // same version: reinstall is not a downgrade
  EXPECT_TRUE(Check().ok());
}

TEST_F(BundleTest, ManifestPathsMustStayInsideTheBundle) {
  Manifest m = manifest_;
  m.files = {{"../outside", std::string(64, 'a'), 1}, {m.plugin_file, std::string(64, 'a'), 1}};
  auto parsed = ParseManifest(ManifestToJson(m));
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("files[0].path: '../outside' must be relative"), std::string::npos)
      << parsed.status().message();
  auto garbage = ParseManifest("{\"format\": 1, \"plugin\": 5}");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("manifest.json"), std::string::npos);
  auto future = ParseManifest("{\"format\": 2}");
  EXPECT_NE(future.status().message().find("format: version 2 is not supported"), std::string::npos);
}

TEST(Versions, SemanticOrder) {
  EXPECT_LT(CompareVersions("1.2.0", "1.10.0"), 0);
  EXPECT_GT(CompareVersions("2.0.0", "1.99.99"), 0);
  EXPECT_EQ(CompareVersions("1.2", "1.2.0"), 0);
  EXPECT_LT(CompareVersions("1.0.0-rc1", "1.0.0"), 0);
  EXPECT_LT(CompareVersions("0.0.9-test", "0.1.0"), 0);
}

// The CLI round trip: keygen, sign (facts read from the plugin), show, verify, tamper, verify.
TEST_F(BundleTest, CliKeygenSignVerify) {
  auto run = [](std::vector<std::string> args, std::string* out_text = nullptr, std::string* err_text = nullptr) {
    std::ostringstream out, err;
    const int code = ix::cli::Run(args, out, err);
    if (out_text) *out_text = out.str();
    if (err_text) *err_text = err.str();
    return code;
  };
  const std::string stem = (root_ / "publisher").string();
  std::string out, err;
  ASSERT_EQ(run({"bundle", "keygen", stem}, &out), ix::cli::kExitOk);
  EXPECT_EQ(fs::status(stem + ".key").permissions() & fs::perms::group_all, fs::perms::none);
  EXPECT_EQ(run({"bundle", "keygen", stem}, nullptr, &err), ix::cli::kExitBadInput) << "must not overwrite";
  std::string pub;
  std::ifstream(stem + ".pub") >> pub;
  std::ofstream(root_ / "trusted.json") << "{\"keys\": [{\"name\": \"publisher\", \"public_key\": \"" << pub << "\"}]}";

  ASSERT_EQ(run({"bundle", "sign", dir_.string(), "--key", stem + ".key", "--build", "revision=abc"}, &out, &err),
            ix::cli::kExitOk) << err;
  ASSERT_EQ(run({"bundle", "show", dir_.string()}, &out), ix::cli::kExitOk);
  EXPECT_NE(out.find("plugin      instrument-x 0.1.0 (lib/libinstrument_x.so)"), std::string::npos) << out;
  EXPECT_NE(out.find("definition  instrument-x@2024.1"), std::string::npos) << out;
  EXPECT_NE(out.find("build       revision = abc"), std::string::npos) << out;

  ASSERT_EQ(run({"bundle", "verify", dir_.string(), "--trust", (root_ / "trusted.json").string()}, &out, &err),
            ix::cli::kExitOk) << err;
  EXPECT_NE(out.find("OK — instrument-x 0.1.0, signed by trusted key 'publisher'"), std::string::npos) << out;

  EXPECT_EQ(run({"bundle", "verify", dir_.string(), "--trust", (root_ / "trusted.json").string(),
                 "--running-version", "0.2.0"}, &out, &err), ix::cli::kExitProblems);
  EXPECT_NE(err.find("REFUSED (downgrade)"), std::string::npos) << err;

  std::ofstream(dir_ / "definitions/instrument-x-2024.1.json", std::ios::app) << " ";
  EXPECT_EQ(run({"bundle", "verify", dir_.string(), "--trust", (root_ / "trusted.json").string()}, &out, &err),
            ix::cli::kExitProblems);
  EXPECT_NE(err.find("REFUSED (hash-mismatch): definitions/instrument-x-2024.1.json"), std::string::npos) << err;
}

}  // namespace
}  // namespace ix::host::bundle
