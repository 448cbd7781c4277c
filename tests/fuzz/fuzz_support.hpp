// What the fuzz targets share: the plugin loaded once through the host library (as ixctl and
// ix-server load it), the data the adapters take from it, example documents, and a scratch
// file for entry points that read a path. docs/robustness.md describes the targets.
#ifndef IX_TESTS_FUZZ_SUPPORT_HPP
#define IX_TESTS_FUZZ_SUPPORT_HPP

#include <ix/ext/categorisation.h>
#include <ix/ext/forms.h>
#include <ix/plugin.hpp>

#include "scratch.hpp"

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/definition.pb.h"
#include "ix/v1/response.pb.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ix::fuzz {

// The built plugin, loaded and negotiated once per process (ABI 1.1, structured errors). Its
// log records are dropped: a fuzzer calls it millions of times.
const PluginSession& Plugin();
const ix_forms_v1& Forms();
const ix_categorisation_v1& Categorisation();

// Calls `fn` with `request`. A failed call is a normal outcome for bad input; the plugin's
// promise is narrower: it never crashes, and IX_ERR_INTERNAL ("a caught internal failure")
// never answers a request, so that status aborts the process as a finding.
Result<std::string> Call(ix_call_fn fn, std::string_view request);

// What the adapters ask the plugin for (once per process).
const std::vector<v1::Definition>& Definitions();
const v1::ForsorjningshinderTable& Forsorjningshinder();

// docs/examples/<name> read as a canonical JSON message; aborts when it is not one (the
// example is part of the harness, not of the input).
template <typename Message>
Message Example(const std::string& name);
// docs/examples/household.json: a complete, valid response (instrument-x 2024.1).
const v1::InstrumentResponse& ExampleHousehold();

// The exchange sender of the fuzz corpus: a fixed test key (derived from a constant seed, so
// the committed seed packages verify), trusted by the exchange target as municipality 0181.
struct TestSender {
  std::string public_key_hex;
  std::string secret_key_hex;
};
const TestSender& ExchangeSender();
inline constexpr const char* kExchangeSenderMunicipality = "0181";
inline constexpr const char* kExchangeReceiverMunicipality = "0192";

}  // namespace ix::fuzz

#endif  // IX_TESTS_FUZZ_SUPPORT_HPP
