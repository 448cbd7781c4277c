// Test helper: a signed plugin bundle as a publisher makes one (lib/ + selftest/ + manifest),
// from a real plugin build. Shared by the host-level (tests/update) and the server-level
// (tests/server/admin_test.cpp) update tests.
#ifndef IX_TESTS_UPDATE_SIGNED_BUNDLE_HPP
#define IX_TESTS_UPDATE_SIGNED_BUNDLE_HPP

#include <ix/host/bundle.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace ix::testing {

// Writes `dir` with `plugin` as lib/libinstrument_x.so, the golden cases of `selftest_dir`, and
// a manifest claiming `version`, signed with `secret_key_hex`.
inline std::filesystem::path MakeSignedBundle(const std::filesystem::path& dir,
                                              const std::filesystem::path& plugin,
                                              const std::filesystem::path& selftest_dir,
                                              const std::string& secret_key_hex,
                                              const std::string& version) {
  namespace fs = std::filesystem;
  fs::create_directories(dir / "lib");
  fs::copy_file(plugin, dir / "lib/libinstrument_x.so");
  fs::copy(selftest_dir, dir / "selftest", fs::copy_options::recursive);
  host::bundle::Manifest m;
  m.plugin_name = "instrument-x";
  m.plugin_version = version;
  m.plugin_file = "lib/libinstrument_x.so";
  m.abi_major = 1;
  EXPECT_TRUE(host::bundle::WriteSigned(dir, m, secret_key_hex).ok());
  return dir;
}

}  // namespace ix::testing

#endif  // IX_TESTS_UPDATE_SIGNED_BUNDLE_HPP
