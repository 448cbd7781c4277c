#include <ix/host/bundle.hpp>
#include <ix/base/crypto.hpp>
#include <ix/base/file.hpp>
#include <ix/base/json.hpp>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

namespace ix::host::bundle {
namespace crypto = base::crypto;
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A manifest path must stay inside the bundle.
// A whole number in [0, max], read without a narrowing conversion: 1e90 converted to uint16_t is
// undefined behaviour, and 65537 would wrap to 1 (a bundle for ABI major 65537 read as major 1).
// Throws json::type_error (reported as a mistyped field) for anything else.
uint64_t WholeNumber(const json& value, uint64_t max, const char* what) {
  const bool negative = value.is_number_integer() && !value.is_number_unsigned() && value.get<int64_t>() < 0;
  if (!value.is_number_integer() || negative || value.get<uint64_t>() > max) {
    throw json::type_error::create(302, std::string(what) + " must be a whole number from 0 to " + std::to_string(max),
                                   &value);
  }
  return value.get<uint64_t>();
}

bool SafeRelativePath(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find('\\') != std::string::npos) return false;
  for (const auto& part : fs::path(path)) {
    if (part == ".." || part == ".") return false;
  }
  return true;
}

std::vector<int> NumericParts(const std::string& core, bool* ok) {
  std::vector<int> parts;
  std::stringstream in(core);
  std::string part;
  *ok = true;
  while (std::getline(in, part, '.')) {
    if (part.empty() || !std::all_of(part.begin(), part.end(), ::isdigit) || part.size() > 9) {
      *ok = false;
      return {};
    }
    parts.push_back(std::stoi(part));
  }
  return parts;
}

Verification Refuse(Refusal refusal, std::string message) {
  Verification v;
  v.refusal = refusal;
  v.message = std::move(message);
  return v;
}

}  // namespace

KeyPair GenerateKeyPair() {
  const crypto::SigningKeyPair pair = crypto::GenerateSigningKeyPair();
  return {pair.public_key_hex, pair.secret_key_hex};
}

std::string ManifestToJson(const Manifest& m) {
  json files = json::array();
  for (const FileEntry& f : m.files) {
    files.push_back({{"path", f.path}, {"sha256", f.sha256}, {"size", f.size}});
  }
  json j = {{"format", m.format},
            {"plugin", {{"name", m.plugin_name}, {"version", m.plugin_version}, {"file", m.plugin_file}}},
            {"abi", {{"major", m.abi_major}, {"min_minor", m.abi_min_minor}, {"max_minor", m.abi_max_minor}}},
            {"definitions", m.definitions},
            {"build", m.build},
            {"files", files}};
  return j.dump(2) + "\n";
}

Result<Manifest> ParseManifest(const std::string& text) {
  auto fail = [](const std::string& field, const std::string& what) {
    return Status(StatusCode::kInvalidArgument, std::string(kManifestFile) + ": " + field + ": " + what);
  };
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return fail("(document)", "not a JSON object");
  Manifest m;
  try {
    if (!j.contains("format") || !j["format"].is_number_integer()) return fail("format", "missing or not an integer");
    m.format = static_cast<int>(WholeNumber(j["format"], INT32_MAX, "format"));
    if (m.format != kManifestFormat) {
      return fail("format", "version " + std::to_string(m.format) + " is not supported (expected " +
                                std::to_string(kManifestFormat) + ")");
    }
    const json& plugin = j.at("plugin");
    m.plugin_name = plugin.at("name").get<std::string>();
    m.plugin_version = plugin.at("version").get<std::string>();
    m.plugin_file = plugin.at("file").get<std::string>();
    const json& abi = j.at("abi");
    m.abi_major = static_cast<uint16_t>(WholeNumber(abi.at("major"), UINT16_MAX, "abi.major"));
    m.abi_min_minor = static_cast<uint16_t>(WholeNumber(abi.at("min_minor"), UINT16_MAX, "abi.min_minor"));
    m.abi_max_minor = static_cast<uint16_t>(WholeNumber(abi.at("max_minor"), UINT16_MAX, "abi.max_minor"));
    m.definitions = j.value("definitions", std::vector<std::string>{});
    m.build = j.value("build", std::map<std::string, std::string>{});
    const json& files = j.at("files");
    if (!files.is_array()) return fail("files", "not an array");
    for (size_t i = 0; i < files.size(); ++i) {
      const std::string field = "files[" + std::to_string(i) + "]";
      FileEntry f{files[i].at("path").get<std::string>(), files[i].at("sha256").get<std::string>(),
                  WholeNumber(files[i].at("size"), UINT64_MAX, "size")};
      if (!SafeRelativePath(f.path)) return fail(field + ".path", "'" + f.path + "' must be relative and stay inside the bundle");
      if (f.sha256.size() != 64) return fail(field + ".sha256", "expected 64 hex digits");
      m.files.push_back(std::move(f));
    }
  } catch (const json::exception& e) {
    return fail("(structure)", std::string("missing or mistyped field: ") + e.what());
  }
  if (m.abi_min_minor > m.abi_max_minor) return fail("abi", "min_minor is greater than max_minor");
  const bool plugin_listed = std::any_of(m.files.begin(), m.files.end(),
                                         [&](const FileEntry& f) { return f.path == m.plugin_file; });
  if (!plugin_listed) return fail("plugin.file", "'" + m.plugin_file + "' is not among files");
  return m;
}

Result<std::string> Sha256File(const fs::path& file) {
  if (sodium_init() < 0) return Status(StatusCode::kInternal, "libsodium could not be initialised");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(StatusCode::kNotFound, file.string() + ": cannot be read");
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> chunk(1 << 16);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = in.gcount();
    if (got > 0) crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()), static_cast<unsigned long long>(got));
  }
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256_final(&state, reinterpret_cast<unsigned char*>(digest.data()));
  return crypto::ToHex(digest);
}

Result<std::vector<FileEntry>> HashDirectory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status(StatusCode::kNotFound, dir.string() + ": not a directory");
  std::vector<FileEntry> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path rel = fs::relative(it->path(), dir);
    if (it->is_symlink()) {
      return Status(StatusCode::kInvalidArgument, dir.string() + ": " + rel.generic_string() + ": symbolic links are not allowed in a bundle");
    }
    if (it->is_directory()) continue;
    if (!it->is_regular_file()) {
      return Status(StatusCode::kInvalidArgument, dir.string() + ": " + rel.generic_string() + ": not a regular file");
    }
    const std::string path = rel.generic_string();
    if (path == kManifestFile || path == kSignatureFile) continue;
    auto hash = Sha256File(it->path());
    if (!hash.ok()) return hash.status();
    files.push_back({path, *hash, static_cast<uint64_t>(it->file_size())});
  }
  if (ec) return Status(StatusCode::kInternal, dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end(), [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return files;
}

Status WriteSigned(const fs::path& dir, Manifest manifest, const std::string& secret_key_hex) {
  auto public_key = crypto::PublicKeyOf(secret_key_hex);
  if (!public_key.ok()) return public_key.status();
  auto files = HashDirectory(dir);
  if (!files.ok()) return files.status();
  manifest.files = std::move(*files);
  const std::string text = ManifestToJson(manifest);
  if (auto parsed = ParseManifest(text); !parsed.ok()) return parsed.status();  // self-check
  auto signature = crypto::Sign(text, secret_key_hex);
  if (!signature.ok()) return signature.status();
  const json sig = {{"algorithm", "ed25519"}, {"public_key", *public_key}, {"signature", *signature}};
  if (Status s = base::WriteFileAtomically(dir / kManifestFile, text); !s.ok()) return s;
  return base::WriteFileAtomically(dir / kSignatureFile, sig.dump(2) + "\n");
}

Result<std::vector<TrustedKey>> LoadTrustedKeys(const fs::path& file) {
  // {"keys": [{"name": "release 2026", "public_key": "<64 hex>"}, …]}
  auto j = base::ReadJsonFile(file);
  if (!j.ok()) return j.status();
  const std::string source = file.string();
  if (Status s = base::ExpectObject(*j, source); !s.ok()) return s;
  if (!j->contains("keys")) return base::FieldError(source + ": keys", "missing (required)");
  const json& listed = (*j)["keys"];
  if (Status s = base::ExpectArray(listed, source + ": keys"); !s.ok()) return s;
  std::vector<TrustedKey> keys;
  for (size_t i = 0; i < listed.size(); ++i) {
    const std::string field = base::Index(source + ": keys", i);
    if (Status s = base::ExpectObject(listed[i], field); !s.ok()) return s;
    auto hex = base::RequiredString(listed[i], "public_key", field);
    if (!hex.ok()) return hex.status();
    std::string pk;
    if (!crypto::FromHex(*hex, crypto_sign_PUBLICKEYBYTES, &pk)) {
      return base::FieldError(field + ".public_key", "expected 64 hex digits");
    }
    auto name = base::OptionalString(listed[i], "name", field);
    if (!name.ok()) return name.status();
    keys.push_back({name->empty() ? "key " + std::to_string(i) : *name, *hex});
  }
  if (keys.empty()) return Status(StatusCode::kInvalidArgument, source + ": keys: no trusted key");
  return keys;
}

const char* RefusalName(Refusal refusal) {
  switch (refusal) {
    case Refusal::kNone: return "ok";
    case Refusal::kUnreadable: return "unreadable";
    case Refusal::kMissingSignature: return "missing-signature";
    case Refusal::kBadSignature: return "bad-signature";
    case Refusal::kUntrustedKey: return "untrusted-key";
    case Refusal::kHashMismatch: return "hash-mismatch";
    case Refusal::kMissingFile: return "missing-file";
    case Refusal::kExtraFile: return "extra-file";
    case Refusal::kAbiUnhostable: return "abi-unhostable";
    case Refusal::kDowngrade: return "downgrade";
  }
  return "unknown";
}

Verification Verify(const fs::path& dir, const VerifyOptions& options) {
  try {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return Refuse(Refusal::kUnreadable, dir.string() + ": not a bundle directory");
    auto manifest_text = base::ReadFile(dir / kManifestFile);
    if (!manifest_text.ok()) return Refuse(Refusal::kUnreadable, dir.string() + ": manifest.json missing");
    auto sig_text = base::ReadFile(dir / kSignatureFile);
    if (!sig_text.ok()) return Refuse(Refusal::kMissingSignature, dir.string() + ": manifest.sig missing (unsigned bundle)");

    // 1. Signature: well-formed, by a trusted key, over these exact manifest bytes.
    json sig = json::parse(*sig_text, nullptr, false);
    std::string pk, signature;
    if (sig.is_discarded() || !sig.is_object() || sig.value("algorithm", "") != "ed25519" ||
        !crypto::FromHex(sig.value("public_key", ""), crypto_sign_PUBLICKEYBYTES, &pk) ||
        !crypto::FromHex(sig.value("signature", ""), crypto_sign_BYTES, &signature)) {
      return Refuse(Refusal::kBadSignature, "manifest.sig: expected {algorithm: ed25519, public_key: 64 hex, signature: 128 hex}");
    }
    const std::string signer_hex = crypto::ToHex(pk);
    auto trusted = std::find_if(options.trusted_keys.begin(), options.trusted_keys.end(),
                                [&](const TrustedKey& k) { return k.public_key_hex == signer_hex; });
    if (trusted == options.trusted_keys.end()) {
      return Refuse(Refusal::kUntrustedKey, "manifest.sig: signed by key " + signer_hex.substr(0, 16) +
                                                "…, which is not among the " + std::to_string(options.trusted_keys.size()) + " trusted key(s)");
    }
    if (!crypto::VerifySignature(*manifest_text, crypto::ToHex(signature), signer_hex)) {
      return Refuse(Refusal::kBadSignature, "manifest.sig: the signature does not match manifest.json (altered after signing, or signed with another key)");
    }
    auto manifest = ParseManifest(*manifest_text);
    if (!manifest.ok()) return Refuse(Refusal::kUnreadable, manifest.status().message());

    // 2. Files: exactly the listed ones, each with its hash.
    auto actual = HashDirectory(dir);
    if (!actual.ok()) return Refuse(Refusal::kExtraFile, actual.status().message());
    std::map<std::string, const FileEntry*> on_disk;
    for (const FileEntry& f : *actual) on_disk[f.path] = &f;
    std::set<std::string> listed;
    for (const FileEntry& f : manifest->files) {
      listed.insert(f.path);
      auto it = on_disk.find(f.path);
      if (it == on_disk.end()) return Refuse(Refusal::kMissingFile, f.path + ": listed in manifest.json but missing from the bundle");
      if (it->second->sha256 != f.sha256 || it->second->size != f.size) {
        return Refuse(Refusal::kHashMismatch, f.path + ": SHA-256 " + it->second->sha256.substr(0, 16) +
                                                  "… differs from the manifest's " + f.sha256.substr(0, 16) + "…");
      }
    }
    for (const FileEntry& f : *actual) {
      if (!listed.count(f.path)) return Refuse(Refusal::kExtraFile, f.path + ": present in the bundle but not listed in manifest.json");
    }

    // 3. Can this host serve it, and is it not older than what runs?
    const bool abi_ok = manifest->abi_major == options.host_abi_major &&
                        manifest->abi_max_minor >= options.host_min_minor &&
                        manifest->abi_min_minor <= options.host_max_minor;
    if (!abi_ok) {
      return Refuse(Refusal::kAbiUnhostable,
                    "manifest.json: abi: the bundle needs ABI " + std::to_string(manifest->abi_major) + "." +
                        std::to_string(manifest->abi_min_minor) + "-" + std::to_string(manifest->abi_max_minor) +
                        ", this host serves " + std::to_string(options.host_abi_major) + "." +
                        std::to_string(options.host_min_minor) + "-" + std::to_string(options.host_max_minor));
    }
    if (options.running_version && !options.allow_downgrade &&
        CompareVersions(manifest->plugin_version, *options.running_version) < 0) {
      return Refuse(Refusal::kDowngrade, "plugin.version: " + manifest->plugin_version + " is older than " +
                                             *options.running_version +
                                             ", the newest version this host has run (force a downgrade explicitly)");
    }
    Verification v;
    v.manifest = std::move(*manifest);
    v.signer = trusted->name;
    v.message = "signed by trusted key '" + trusted->name + "'";
    return v;
  } catch (const std::exception& e) {
    return Refuse(Refusal::kUnreadable, dir.string() + ": " + e.what());
  }
}

int CompareVersions(const std::string& a, const std::string& b) {
  auto split = [](const std::string& v) {
    const auto dash = v.find('-');
    return std::pair{v.substr(0, dash), dash == std::string::npos ? std::string() : v.substr(dash + 1)};
  };
  const auto [a_core, a_pre] = split(a);
  const auto [b_core, b_pre] = split(b);
  bool a_ok = false, b_ok = false;
  const auto a_parts = NumericParts(a_core, &a_ok);
  const auto b_parts = NumericParts(b_core, &b_ok);
  if (!a_ok || !b_ok) return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  const size_t n = std::max(a_parts.size(), b_parts.size());
  for (size_t i = 0; i < n; ++i) {
    const int x = i < a_parts.size() ? a_parts[i] : 0;
    const int y = i < b_parts.size() ? b_parts[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  // A pre-release sorts before its release: 1.0.0-rc1 < 1.0.0.
  if (a_pre.empty() != b_pre.empty()) return a_pre.empty() ? 1 : -1;
  return a_pre.compare(b_pre) < 0 ? -1 : (a_pre == b_pre ? 0 : 1);
}

}  // namespace ix::host::bundle
