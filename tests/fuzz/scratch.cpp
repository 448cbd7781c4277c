#include "scratch.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdlib.h>

namespace ix::fuzz {

void Die(const std::string& message) {
  std::fprintf(stderr, "fuzz harness: %s\n", message.c_str());
  std::abort();
}

std::string ReadFileOrDie(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::filesystem::path& ScratchDir() {
  static const std::filesystem::path dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/ix-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) Die("cannot create a scratch folder in " + pattern);
    static const std::filesystem::path created(pattern);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(created, ignored);
    });
    return created;
  }();
  return dir;
}

std::filesystem::path WriteScratch(const std::string& name, std::string_view bytes) {
  const std::filesystem::path path = ScratchDir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) Die("cannot write " + path.string());
  return path;
}

}  // namespace ix::fuzz
