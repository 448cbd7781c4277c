// An exchange package (referral or moving) as another municipality sends it. The first byte
// picks how the rest is used: as the package bytes exactly as received (format, signer,
// signature checks), or as the signed content of a package from a trusted sender, so the
// fuzzer also reaches what only a correctly signed package gets to (consent, household, case).
#include "../fuzz_support.hpp"

#include <ix/adapters/exchange/exchange.hpp>
#include <ix/base/crypto.hpp>

#include "ix/v1/exchange.pb.h"

namespace {

namespace exchange = ix::adapters::exchange;

exchange::ImportPolicy Policy() {
  exchange::ImportPolicy policy;
  policy.trusted.push_back({ix::fuzz::ExchangeSender().public_key_hex, ix::fuzz::kExchangeSenderMunicipality});
  policy.recipient_municipality_code = ix::fuzz::kExchangeReceiverMunicipality;
  policy.today = "2026-03-10";
  return policy;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)ix::fuzz::ExchangeSender();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  const std::string_view rest = ix::fuzz::Bytes(data + 1, size - 1);
  std::string package_bytes;
  if (data[0] % 2 == 0) {
    package_bytes = std::string(rest);
  } else {
    ix::v1::ExchangePackage package;
    package.set_format_version(exchange::kFormatVersion);
    package.set_content(std::string(rest));
    auto signature = ix::base::crypto::Sign(rest, ix::fuzz::ExchangeSender().secret_key_hex);
    if (!signature.ok()) return 0;
    package.set_signature_hex(*signature);
    package.set_signer_public_key_hex(ix::fuzz::ExchangeSender().public_key_hex);
    package_bytes = package.SerializeAsString();
  }
  const exchange::ImportPolicy policy = Policy();
  (void)exchange::Verify(package_bytes, policy);
  exchange::MemoryLedger ledger;
  auto imported = exchange::Import(package_bytes, policy, ledger);
  if (imported.ok()) {
    (void)exchange::Import(package_bytes, policy, ledger);  // the second import is recognised
    (void)exchange::ReceivedCase(imported->content, policy);
  }
  return 0;
}
