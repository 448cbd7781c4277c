#include "fuzz_support.hpp"

#include <ix/adapters/plugin_data.hpp>
#include <ix/cli/json_io.hpp>
#include <ix/extension.hpp>
#include <ix/host/loader.hpp>

#include <ix/base/crypto.hpp>

#include <sodium.h>
#include <spdlog/logger.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "ix/v1/categorisation.pb.h"

namespace ix::fuzz {
namespace {

template <typename T>
const T& OrDie(const Result<T>& result, const char* what) {
  if (!result.ok()) Die(std::string(what) + ": " + result.status().message());
  return *result;
}

}  // namespace

const PluginSession& Plugin() {
  static const PluginSession session = [] {
    host::LoadOptions options;
    options.logger = std::make_shared<spdlog::logger>("fuzz");  // no sinks: dropped
    auto loaded = host::LoadPlugin(IX_FUZZ_PLUGIN, options);
    if (!loaded.ok()) Die("cannot load " IX_FUZZ_PLUGIN ": " + loaded.status().message());
    return std::move(*loaded);
  }();
  return session;
}

const ix_forms_v1& Forms() {
  static const ix_forms_v1* table = OrDie(RequireExtension<ix_forms_v1>(Plugin()), "forms extension");
  return *table;
}

const ix_categorisation_v1& Categorisation() {
  static const ix_categorisation_v1* table =
      OrDie(RequireExtension<ix_categorisation_v1>(Plugin()), "categorisation extension");
  return *table;
}

Result<std::string> Call(ix_call_fn fn, std::string_view request) {
  const ix_plugin& table = Plugin().table();
  ix_buffer out{};
  const ix_status rc = fn(table.context, reinterpret_cast<const uint8_t*>(request.data()), request.size(), &out);
  std::string bytes(reinterpret_cast<const char*>(out.data), out.size);
  table.free_buffer(table.context, &out);
  if (rc == IX_ERR_INTERNAL) {
    const Status decoded = host::DecodeCallError(rc, bytes);
    Die("the plugin answered IX_ERR_INTERNAL: " + decoded.message());
  }
  if (rc != IX_OK) return host::DecodeCallError(rc, bytes);
  return bytes;
}

const std::vector<v1::Definition>& Definitions() {
  static const std::vector<v1::Definition> definitions =
      OrDie(adapters::PluginDefinitions(Plugin()), "plugin definitions");
  return definitions;
}

const v1::ForsorjningshinderTable& Forsorjningshinder() {
  static const v1::ForsorjningshinderTable table =
      OrDie(adapters::PluginForsorjningshinder(Plugin()), "försörjningshinder table");
  return table;
}

template <typename Message>
Message Example(const std::string& name) {
  const std::filesystem::path path = std::filesystem::path(IX_FUZZ_EXAMPLES_DIR) / name;
  Message message;
  if (Status s = cli::ParseJson(ReadFileOrDie(path), path.string(), &message); !s.ok()) Die(s.message());
  return message;
}
template v1::InstrumentResponse Example<v1::InstrumentResponse>(const std::string&);
template v1::Case Example<v1::Case>(const std::string&);
template v1::Plan Example<v1::Plan>(const std::string&);
template v1::FollowUp Example<v1::FollowUp>(const std::string&);

const v1::InstrumentResponse& ExampleHousehold() {
  static const auto response = Example<v1::InstrumentResponse>("household.json");
  return response;
}

const TestSender& ExchangeSender() {
  static const TestSender sender = [] {
    unsigned char seed[crypto_sign_SEEDBYTES];
    for (size_t i = 0; i < sizeof seed; ++i) seed[i] = static_cast<unsigned char>(i * 7 + 1);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    if (sodium_init() < 0 || crypto_sign_seed_keypair(pk, sk, seed) != 0) Die("libsodium");
    return TestSender{base::crypto::ToHex({reinterpret_cast<const char*>(pk), sizeof pk}),
                      base::crypto::ToHex({reinterpret_cast<const char*>(sk), sizeof sk})};
  }();
  return sender;
}

}  // namespace ix::fuzz
