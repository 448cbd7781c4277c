// A municipality's signed statistics extract as the network receives it (ixctl statistics
// network, InstrumentService.CombineExtracts). The first byte picks how the rest is used: as the
// signed extract's bytes exactly as received (size limit, format version, signature, trusted
// key), or as the content of an extract signed with a trusted key, so the fuzzer also reaches
// what only a correctly signed extract gets to (the content checks, the combination with a
// second municipality's extract, the CSV and HTML of the network report).
#include "../fuzz_support.hpp"

#include <ix/store/network.hpp>

#include "ix/v1/network.pb.h"

#include <cstdlib>

namespace {

namespace store = ix::store;

const std::vector<store::TrustedKey>& Trusted() {
  static const std::vector<store::TrustedKey> trusted = {
      {ix::fuzz::ExchangeSender().public_key_hex, ix::fuzz::kExchangeSenderMunicipality}};
  return trusted;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)ix::fuzz::ExchangeSender();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  const std::string_view rest = ix::fuzz::Bytes(data + 1, size - 1);
  std::vector<ix::v1::SignedStatisticsExtract> extracts;
  if (data[0] % 2 == 0) {
    auto parsed = store::ParseSignedExtract(rest);
    if (!parsed.ok()) return 0;
    extracts.push_back(std::move(*parsed));
  } else {
    ix::v1::StatisticsExtract content;
    if (!content.ParseFromArray(rest.data(), static_cast<int>(rest.size()))) return 0;
    auto signed_extract = store::SignExtract(content, ix::fuzz::ExchangeSender().secret_key_hex);
    if (!signed_extract.ok()) std::abort();  // the harness's own key
    extracts.push_back(std::move(*signed_extract));
  }
  auto verified = store::VerifyExtract(extracts.front(), Trusted());
  if (!verified.ok()) {
    if (verified.status().problems().empty()) std::abort();  // every refusal names a field
    return 0;
  }
  for (ix::v1::ReportKind kind : {ix::v1::REPORT_KIND_MOVEMENTS, ix::v1::REPORT_KIND_KAS}) {
    auto report = store::BuildNetworkReport(extracts, Trusted(), kind, ix::statistics::Language::kEn);
    if (!report.ok()) continue;
    (void)store::RenderNetworkCsv(*report);
    (void)store::RenderNetworkHtml(*report);
  }
  return 0;
}
