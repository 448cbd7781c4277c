// Signed plugin bundles: what an IT team installs, and why the host may trust it.
//
// A bundle is a directory:
//   manifest.json   plugin name and version, ABI range, definition versions, build information,
//                   and the SHA-256 and size of every other file
//   manifest.sig    Ed25519 signature over the exact bytes of manifest.json, with the signer's
//                   public key
//   …               the plugin shared object, its definitions, rule sets and self-test cases
// Verification refuses, with one precise reason, a bundle whose signature is bad, whose key is
// not trusted, whose files differ from the manifest (changed, missing or extra), whose ABI
// range the host cannot serve, or whose version is older than the running one (unless forced).
// Crypto is libsodium's (crypto_sign_ed25519, crypto_hash_sha256).
#ifndef IX_HOST_BUNDLE_HPP
#define IX_HOST_BUNDLE_HPP

#include <ix/plugin.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ix::host::bundle {

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kSignatureFile = "manifest.sig";
inline constexpr int kManifestFormat = 1;

struct KeyPair {
  std::string public_key_hex;  // 32 bytes
  std::string secret_key_hex;  // 64 bytes (libsodium's seed + public key)
};

// A fresh Ed25519 key pair. Thread-safe.
KeyPair GenerateKeyPair();

struct FileEntry {
  std::string path;    // relative, '/'-separated, no '..'
  std::string sha256;  // lowercase hex
  uint64_t size = 0;
};

struct Manifest {
  int format = kManifestFormat;
  std::string plugin_name;
  std::string plugin_version;
  std::string plugin_file;  // the shared object, one of `files`
  uint16_t abi_major = 0;
  uint16_t abi_min_minor = 0;
  uint16_t abi_max_minor = 0;
  std::vector<std::string> definitions;     // "id@version"
  std::map<std::string, std::string> build;  // compiler, date, source revision …
  std::vector<FileEntry> files;
};

std::string ManifestToJson(const Manifest& manifest);
// Errors name the offending field, e.g. "manifest.json: files[2].path: must be relative".
Result<Manifest> ParseManifest(const std::string& json);

// Lists every regular file under `dir` (except manifest.json and manifest.sig) with its hash.
// Symbolic links and special files are refused.
Result<std::vector<FileEntry>> HashDirectory(const std::filesystem::path& dir);

// SHA-256 of a file, lowercase hex.
Result<std::string> Sha256File(const std::filesystem::path& file);

// Writes manifest.json (from `manifest`, with `files` recomputed from the directory) and
// manifest.sig signed with `secret_key_hex`.
Status WriteSigned(const std::filesystem::path& dir, Manifest manifest,
                   const std::string& secret_key_hex);

struct TrustedKey {
  std::string name;            // who: "Instrument X release key 2026"
  std::string public_key_hex;
};

// A municipality's trusted publisher keys: JSON {"keys": [{"name": …, "public_key": hex}, …]}.
// More than one key, so keys can be rotated.
Result<std::vector<TrustedKey>> LoadTrustedKeys(const std::filesystem::path& file);

enum class Refusal {
  kNone,
  kUnreadable,        // not a directory, manifest missing or malformed
  kMissingSignature,
  kBadSignature,
  kUntrustedKey,
  kHashMismatch,
  kMissingFile,
  kExtraFile,
  kAbiUnhostable,
  kDowngrade,
};
const char* RefusalName(Refusal refusal);

struct VerifyOptions {
  std::vector<TrustedKey> trusted_keys;
  uint16_t host_abi_major = IX_ABI_MAJOR;
  uint16_t host_min_minor = 0;
  uint16_t host_max_minor = IX_ABI_MINOR;
  // Refuse bundles older than this unless allow_downgrade: the newest version the host has
  // run (its high-water mark), not merely the one active now.
  std::optional<std::string> running_version;
  bool allow_downgrade = false;
};

struct Verification {
  Refusal refusal = Refusal::kNone;
  std::string message;  // why (names the file, key or versions), or who signed it
  Manifest manifest;
  std::string signer;   // the trusted key's name

  bool ok() const { return refusal == Refusal::kNone; }
};

// Verifies a bundle directory. Never throws; reads only inside `dir`.
Verification Verify(const std::filesystem::path& dir, const VerifyOptions& options);

// Semantic-version order of "MAJOR.MINOR.PATCH[-PRERELEASE]": <0, 0, >0. Unparseable parts
// compare as text, so the order is total.
int CompareVersions(const std::string& a, const std::string& b);

}  // namespace ix::host::bundle

#endif  // IX_HOST_BUNDLE_HPP
