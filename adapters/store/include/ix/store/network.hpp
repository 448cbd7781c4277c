// Network extracts and the network report (proto/ix/v1/network.proto, docs/statistics.md
// "Network extracts and the network report"): comparison between municipalities without
// pooling personal data.
//
// A municipality exports, for one calendar year, the published cells of its movements and KAS
// reports under the network's fixed definition, signed with its Ed25519 key (ix::base::crypto,
// the primitive its exchange packages are signed with). A network report verifies each extract
// against trusted keys, checks they describe the same thing, and puts them side by side with
// network totals only where every municipality published the cell.
#ifndef IX_STORE_NETWORK_HPP
#define IX_STORE_NETWORK_HPP

#include <ix/base/status.hpp>
#include <ix/statistics/publication.hpp>
#include <ix/statistics/render.hpp>
#include <ix/store/event_store.hpp>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/network.pb.h"
#include "ix/v1/plugin.pb.h"

#include <string>
#include <string_view>
#include <vector>

namespace ix::store {

inline constexpr uint32_t kExtractFormatVersion = 1;
// The network's fixed report parameters: calendar year, the default bands and KAS scope,
// threshold 5, no unit or caseworker filter, never internal.
inline constexpr const char* kNetworkDefinition = "ix-network/1";
inline constexpr int32_t kNetworkThreshold = 5;

// Bounds on what a reader accepts (docs/limits.md, "Network extracts").
struct ExtractLimits {
  static constexpr size_t kMaxSignedBytes = 4u << 20;  // a signed extract, serialized
  static constexpr int kMaxReports = 2;                // movements and KAS
  static constexpr int kMaxTables = 64;                // per report
  static constexpr int kMaxRows = 1024;                // inner rows per table
  static constexpr int kMaxColumns = 64;               // inner columns per table
  static constexpr size_t kMaxKeyBytes = 128;          // a table id, row or column key
  static constexpr int64_t kMaxCount = 100'000'000;    // a shown count
  static constexpr int kMaxExtracts = 300;             // per network report (290 municipalities)
};

struct ExtractInput {
  std::string municipality_code;
  int year = 0;
  std::vector<statistics::ReportKind> kinds;  // movements and/or KAS; empty: both
  std::string rule_set_version;
  std::string definition_version;
  std::string created_at;  // RFC 3339 UTC
};

// The versions an extract records, from what the plugin describes: the newest instrument
// definition it carries and its default profile's rule set (a version given already is kept).
void SetVersions(const v1::DescribeResponse& describe, const v1::CategorisationDescribeResponse& categorisation,
                 ExtractInput* input);

// The unsigned extract of already protected publications (kMovements / kKas, protected with
// kNetworkThreshold). Only shown counts are copied.
v1::StatisticsExtract ExtractOf(const std::vector<statistics::Publication>& publications,
                                const ExtractInput& input, const std::string& from, const std::string& to);

// One pass over the municipality's events for the year, publication under the network
// definition, disclosure control, extract, signature. Errors name the field.
Result<v1::SignedStatisticsExtract> ExportExtract(const EventStore& store, const ExtractInput& input,
                                                  const std::string& signing_secret_key_hex);
// Signs an extract (the exact bytes of `extract`, with the domain prefix).
Result<v1::SignedStatisticsExtract> SignExtract(const v1::StatisticsExtract& extract,
                                                const std::string& signing_secret_key_hex);

// Reads a signed extract's bytes: within the size limit, a SignedStatisticsExtract of a known
// format version. Errors name the field, the limit and the value.
Result<v1::SignedStatisticsExtract> ParseSignedExtract(std::string_view bytes);
// Checks an extract's content against the format: versions, network definition, municipality
// code, a calendar-year period, each kind once, tables within the limits, a status per cell of
// the extended grid, a count exactly on shown cells, no shown count below the threshold, and
// shown lines that add up to their shown totals.
Status CheckExtract(const v1::StatisticsExtract& extract);

struct TrustedKey {
  std::string public_key_hex;  // Ed25519
  std::string municipality_code;
};

// Verifies the signature with the trusted key of the extract's municipality and checks the
// content. PERMISSION_DENIED (naming the municipality) for an unsigned extract, an untrusted
// key, a key that signs for another municipality or a signature that does not verify.
Result<v1::StatisticsExtract> VerifyExtract(const v1::SignedStatisticsExtract& signed_extract,
                                            const std::vector<TrustedKey>& trusted);

// Verifies every extract and combines report `kind` of all of them. Refused: no extract, more
// than ExtractLimits::kMaxExtracts, two extracts of one municipality, an extract without
// `kind`, or whose period, network definition, threshold or versions differ from the first
// (the refusal names the municipality and the field).
Result<v1::NetworkReport> BuildNetworkReport(const std::vector<v1::SignedStatisticsExtract>& extracts,
                                             const std::vector<TrustedKey>& trusted, v1::ReportKind kind,
                                             statistics::Language lang);

// CSV, long format: kind,table,row,column,municipality,value,count (municipality "network" for
// the totals); `count` empty when not published.
std::string RenderNetworkCsv(const v1::NetworkReport& report);
// A self-contained HTML page (no scripts): every table with a row per municipality and the
// network, and an SVG chart of each municipality's women and men.
std::string RenderNetworkHtml(const v1::NetworkReport& report);

}  // namespace ix::store

#endif  // IX_STORE_NETWORK_HPP
