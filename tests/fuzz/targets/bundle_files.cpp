// The bundle files a replica reads from the shared PostgreSQL plugin state and writes into its
// staging folder before deploying them (plugin-api/host WriteBundleFiles, then ReadBundleFiles
// as the deploy reads a bundle folder). The rows of the shared state are input like any other:
// a path there must never write outside the staging folder.
// Input: records separated by 0x1E, each "<flag byte><path>0x1F<content>" (flag 'x': executable).
// Laws: an accepted set of files lies entirely inside the staging folder (nothing else appears
// beside it) and reads back as exactly the files written; a refused one names the bundle file
// or the bundle; nothing is ever created outside the staging folder.
#include "../scratch.hpp"

#include <ix/host/rolling.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

namespace {

namespace fs = std::filesystem;

[[noreturn]] void Finding(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = ix::fuzz::Bytes(data, size);
  std::vector<ix::host::BundleFile> files;
  size_t at = 0;
  while (at < input.size() && files.size() <= ix::host::kMaxBundleFiles) {
    size_t end = input.find('\x1e', at);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view record = input.substr(at, end - at);
    at = end + 1;
    if (record.empty()) continue;
    const size_t split = record.find('\x1f');
    ix::host::BundleFile file;
    file.executable = record.front() == 'x';
    file.path = std::string(record.substr(1, split == std::string_view::npos ? std::string_view::npos : split - 1));
    if (split != std::string_view::npos) file.content = std::string(record.substr(split + 1));
    files.push_back(std::move(file));
  }
  const fs::path root = ix::fuzz::ScratchDir() / "staging-root";
  const fs::path stage = root / "change-1";
  std::error_code ec;
  fs::remove_all(root, ec);
  fs::create_directories(root, ec);
  const ix::Status written = ix::host::WriteBundleFiles(files, stage);
  // Nothing but the staging folder may appear beside it, whatever the paths said.
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.path().filename() != "change-1") Finding("a bundle file escaped the staging folder: " + entry.path().string());
  }
  if (!written.ok()) {
    const std::string& m = written.message();
    if (m.rfind("bundle file", 0) != 0 && m.rfind("bundle:", 0) != 0 && m.find(stage.string()) == std::string::npos) {
      Finding("a refusal that names no bundle file: " + m);
    }
    fs::remove_all(root, ec);
    return 0;
  }
  auto read = ix::host::ReadBundleFiles(stage);
  if (!read.ok()) Finding("written bundle files do not read back: " + read.status().message());
  std::map<std::string, std::pair<std::string, bool>> expected, got;
  for (const auto& f : files) expected[f.path] = {f.content, f.executable};
  for (const auto& f : *read) got[f.path] = {f.content, f.executable};
  if (expected != got) Finding("the staging folder does not hold exactly the bundle files written");
  fs::remove_all(root, ec);
  return 0;
}
