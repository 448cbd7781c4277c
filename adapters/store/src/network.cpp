// Network extracts (export, signature, reading with limits, verification) and the network
// report (combination side by side, network totals from published cells only, CSV and HTML).
#include <ix/store/network.hpp>

#include <ix/base/crypto.hpp>
#include <ix/statistics/publication.hpp>
#include <ix/statistics/records.hpp>
#include <ix/statistics/render.hpp>
#include <ix/statistics/texts.hpp>
#include <ix/store/reports.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

namespace ix::store {
using core::LocalizedText;
namespace {
namespace stats = ix::statistics;

// Signed bytes = this prefix + the serialized extract: a signature the same municipality key
// made over an exchange envelope or a bundle can never pass as an extract's.
constexpr std::string_view kSignaturePrefix = "ix.v1.StatisticsExtract/1\n";

Status Bad(const std::string& field, const std::string& what) { return InvalidField(field, what); }

Status Denied(const std::string& field, const std::string& what) {
  return FieldRefused(StatusCode::kPermissionDenied, field, what).WithReason("IX_EXTRACT_NOT_TRUSTED");
}

bool IsMunicipalityCode(const std::string& code) {
  return code.size() == 4 && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Printable in an error message: at most 40 bytes, control characters and non-ASCII as '?'.
std::string Shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return text.size() > 40 ? out + "…" : out;
}

const char* KindName(v1::ReportKind kind) {
  switch (kind) {
    case v1::REPORT_KIND_MOVEMENTS: return "movements";
    case v1::REPORT_KIND_KAS: return "kas";
    default: return nullptr;
  }
}

v1::ReportKind ProtoKind(stats::ReportKind kind) {
  return kind == stats::ReportKind::kKas ? v1::REPORT_KIND_KAS : v1::REPORT_KIND_MOVEMENTS;
}

v1::CellStatus StatusOf(stats::CellStatus s) {
  switch (s) {
    case stats::CellStatus::kShown: return v1::CELL_STATUS_SHOWN;
    case stats::CellStatus::kPrimary: return v1::CELL_STATUS_SUPPRESSED_PRIMARY;
    case stats::CellStatus::kSecondary: return v1::CELL_STATUS_SUPPRESSED_SECONDARY;
  }
  return v1::CELL_STATUS_UNSPECIFIED;
}

std::string SignedMessage(const std::string& extract_bytes) {
  std::string message(kSignaturePrefix);
  message += extract_bytes;
  return message;
}

// "extracts[2] (municipality 0181)": how a refusal of the combination names an extract.
std::string Which(size_t index, const std::string& municipality) {
  return "extracts[" + std::to_string(index) + "] (municipality " + Shown(municipality) + ")";
}

Status CheckKey(const std::string& field, const std::string& key) {
  if (key.empty()) return Bad(field, "empty");
  if (key.size() > ExtractLimits::kMaxKeyBytes) {
    return Bad(field, std::to_string(key.size()) + " bytes, more than the limit of " +
                          std::to_string(ExtractLimits::kMaxKeyBytes));
  }
  return Status::Ok();
}

Status CheckTable(const std::string& at, const v1::ExtractTable& t, int threshold) {
  if (auto s = CheckKey(at + ".id", t.id()); !s.ok()) return s;
  if (t.row_keys_size() > ExtractLimits::kMaxRows) {
    return Bad(at + ".row_keys", std::to_string(t.row_keys_size()) + " rows, more than the limit of " +
                                     std::to_string(ExtractLimits::kMaxRows));
  }
  if (t.column_keys_size() < 1 || t.column_keys_size() > ExtractLimits::kMaxColumns) {
    return Bad(at + ".column_keys", std::to_string(t.column_keys_size()) + " columns, expected 1 to " +
                                        std::to_string(ExtractLimits::kMaxColumns));
  }
  std::set<std::string> seen;
  for (int i = 0; i < t.row_keys_size(); ++i) {
    const std::string field = at + ".row_keys[" + std::to_string(i) + "]";
    if (auto s = CheckKey(field, t.row_keys(i)); !s.ok()) return s;
    if (!seen.insert(t.row_keys(i)).second) return Bad(field, "'" + Shown(t.row_keys(i)) + "' is listed twice");
  }
  seen.clear();
  for (int i = 0; i < t.column_keys_size(); ++i) {
    const std::string field = at + ".column_keys[" + std::to_string(i) + "]";
    if (auto s = CheckKey(field, t.column_keys(i)); !s.ok()) return s;
    if (!seen.insert(t.column_keys(i)).second) return Bad(field, "'" + Shown(t.column_keys(i)) + "' is listed twice");
  }
  const int rows = t.row_keys_size() + (t.column_totals() ? 1 : 0);
  const int columns = t.column_keys_size() + (t.row_totals() ? 1 : 0);
  if (t.cells_size() != rows * columns) {
    return Bad(at + ".cells", std::to_string(t.cells_size()) + " cells, the grid of " + std::to_string(rows) +
                                  " × " + std::to_string(columns) + " (with totals) has " +
                                  std::to_string(rows * columns));
  }
  for (int i = 0; i < t.cells_size(); ++i) {
    const v1::ExtractCell& cell = t.cells(i);
    const std::string field = at + ".cells[" + std::to_string(i) + "]";
    const bool shown = cell.status() == v1::CELL_STATUS_SHOWN;
    if (cell.status() != v1::CELL_STATUS_SHOWN && cell.status() != v1::CELL_STATUS_SUPPRESSED_PRIMARY &&
        cell.status() != v1::CELL_STATUS_SUPPRESSED_SECONDARY) {
      return Bad(field + ".status", "status " + std::to_string(static_cast<int>(cell.status())) +
                                        " is not shown, primary or secondary");
    }
    if (shown != cell.has_count()) {
      return Bad(field + ".count", shown ? "missing on a shown cell"
                                         : "present on a suppressed cell: a hidden count never leaves the municipality");
    }
    if (shown && (cell.count() < 0 || cell.count() > ExtractLimits::kMaxCount)) {
      return Bad(field + ".count", std::to_string(cell.count()) + " is outside 0.." +
                                       std::to_string(ExtractLimits::kMaxCount));
    }
    if (shown && cell.count() >= 1 && cell.count() < threshold) {
      return Bad(field + ".count", "shows " + std::to_string(cell.count()) + ", below the threshold " +
                                       std::to_string(threshold) + ": the extract is not under disclosure control");
    }
  }
  // A line whose cells and total are all shown must add up (a forged or damaged extract).
  auto count = [&](int r, int c) -> std::optional<int64_t> {
    const v1::ExtractCell& cell = t.cells(r * columns + c);
    return cell.status() == v1::CELL_STATUS_SHOWN ? std::optional<int64_t>(cell.count()) : std::nullopt;
  };
  const int R = t.row_keys_size(), C = t.column_keys_size();
  for (int r = 0; r < rows && t.row_totals(); ++r) {
    int64_t sum = 0;
    bool all = true;
    for (int c = 0; c < C && all; ++c) {
      all = count(r, c).has_value();
      if (all) sum += *count(r, c);
    }
    if (all && count(r, C) && *count(r, C) != sum) {
      return Bad(at + ".cells[" + std::to_string(r * columns + C) + "]",
                 "the row total shows " + std::to_string(*count(r, C)) + ", its shown cells add up to " + std::to_string(sum));
    }
  }
  for (int c = 0; c < columns && t.column_totals(); ++c) {
    int64_t sum = 0;
    bool all = true;
    for (int r = 0; r < R && all; ++r) {
      all = count(r, c).has_value();
      if (all) sum += *count(r, c);
    }
    if (all && count(R, c) && *count(R, c) != sum) {
      return Bad(at + ".cells[" + std::to_string(R * columns + c) + "]",
                 "the column total shows " + std::to_string(*count(R, c)) + ", its shown cells add up to " + std::to_string(sum));
    }
  }
  return Status::Ok();
}

}  // namespace

void SetVersions(const v1::DescribeResponse& describe, const v1::CategorisationDescribeResponse& categorisation,
                 ExtractInput* input) {
  if (input->definition_version.empty()) {
    for (const auto& instrument : describe.instruments()) {
      input->definition_version = std::max(input->definition_version, instrument.ref().version());
    }
  }
  if (input->rule_set_version.empty()) {
    for (const auto& profile : categorisation.data().profiles()) {
      if (profile.is_default()) input->rule_set_version = profile.rule_set_version();
    }
  }
}

v1::StatisticsExtract ExtractOf(const std::vector<stats::Publication>& publications, const ExtractInput& input,
                                const std::string& from, const std::string& to) {
  v1::StatisticsExtract out;
  out.set_format_version(kExtractFormatVersion);
  out.set_network_definition(kNetworkDefinition);
  out.set_municipality_code(input.municipality_code);
  out.set_from_date(from);
  out.set_to_date(to);
  out.set_suppression_threshold(kNetworkThreshold);
  out.set_rule_set_version(input.rule_set_version);
  out.set_definition_version(input.definition_version);
  out.set_created_at(input.created_at);
  for (const stats::Publication& p : publications) {
    v1::ExtractReport* report = out.add_reports();
    report->set_kind(ProtoKind(p.kind));
    for (const stats::CountTable& t : p.tables) {
      v1::ExtractTable* table = report->add_tables();
      table->set_id(t.id);
      for (const auto& label : t.row_labels) table->add_row_keys(label.en);
      for (const auto& label : t.column_labels) table->add_column_keys(label.en);
      table->set_row_totals(t.row_totals);
      table->set_column_totals(t.column_totals);
      for (int r = 0; r < t.ExtRows(); ++r) {
        for (int c = 0; c < t.ExtColumns(); ++c) {
          v1::ExtractCell* cell = table->add_cells();
          // An internal publication never becomes an extract: without disclosure control every
          // cell counts as hidden.
          const stats::CellStatus s = p.disclosure_control ? t.StatusAt(r, c) : stats::CellStatus::kSecondary;
          cell->set_status(StatusOf(s));
          if (s == stats::CellStatus::kShown) cell->set_count(t.At(r, c));  // the only counts that leave
        }
      }
    }
  }
  return out;
}

Result<v1::SignedStatisticsExtract> SignExtract(const v1::StatisticsExtract& extract,
                                                const std::string& signing_secret_key_hex) {
  v1::SignedStatisticsExtract out;
  out.set_format_version(kExtractFormatVersion);
  if (!extract.SerializeToString(out.mutable_extract())) {
    return Status(StatusCode::kInternal, "the extract could not be serialized");
  }
  auto signer = base::crypto::PublicKeyOf(signing_secret_key_hex);
  if (!signer.ok()) return signer.status();
  auto signature = base::crypto::Sign(SignedMessage(out.extract()), signing_secret_key_hex);
  if (!signature.ok()) return signature.status();
  out.set_signer_public_key_hex(*signer);
  out.set_signature_hex(*signature);
  return out;
}

Result<v1::SignedStatisticsExtract> ExportExtract(const EventStore& store, const ExtractInput& input,
                                                  const std::string& signing_secret_key_hex) {
  if (!IsMunicipalityCode(input.municipality_code)) {
    return Bad("municipality_code", "'" + Shown(input.municipality_code) + "' is not a four-digit kommunkod");
  }
  if (input.year < 2000 || input.year > 2100) {
    return Bad("year", std::to_string(input.year) + " is outside 2000..2100 (an extract covers one calendar year)");
  }
  std::vector<stats::ReportKind> kinds = input.kinds;
  if (kinds.empty()) kinds = {stats::ReportKind::kMovements, stats::ReportKind::kKas};
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i] != stats::ReportKind::kMovements && kinds[i] != stats::ReportKind::kKas) {
      return Bad("kinds[" + std::to_string(i) + "]",
                 std::string(stats::ReportKindName(kinds[i])) + " is not in the network definition " +
                     kNetworkDefinition + " (movements, kas)");
    }
    if (std::count(kinds.begin(), kinds.end(), kinds[i]) > 1) {
      return Bad("kinds[" + std::to_string(i) + "]", std::string(stats::ReportKindName(kinds[i])) + " is listed twice");
    }
  }
  char from[16], to[16];
  std::snprintf(from, sizeof from, "%04d-01-01", input.year);
  std::snprintf(to, sizeof to, "%04d-12-31", input.year);
  // The network definition: every parameter at its default, nothing a municipality may vary.
  v1::ReportRequest request;
  request.set_kind(v1::REPORT_KIND_KAS);
  request.set_municipality_code(input.municipality_code);
  request.set_from_date(from);
  request.set_to_date(to);
  auto options = OptionsFrom(request);
  if (!options.ok()) return options.status();
  auto reports = RunReports(store, input.municipality_code, *options);
  if (!reports.ok()) return reports.status();
  std::vector<stats::Publication> publications;
  for (stats::ReportKind kind : kinds) {
    publications.push_back(stats::Publish(kind, *reports));
    stats::Protect(publications.back(), /*internal=*/false, kNetworkThreshold);
  }
  return SignExtract(ExtractOf(publications, input, from, to), signing_secret_key_hex);
}

Result<v1::SignedStatisticsExtract> ParseSignedExtract(std::string_view bytes) {
  if (bytes.size() > ExtractLimits::kMaxSignedBytes) {
    return Bad("extract", std::to_string(bytes.size()) + " bytes, more than the limit of " +
                              std::to_string(ExtractLimits::kMaxSignedBytes));
  }
  v1::SignedStatisticsExtract out;
  if (!out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Bad("extract", "not a signed statistics extract (ix.v1.SignedStatisticsExtract)");
  }
  if (out.format_version() != kExtractFormatVersion) {
    return Bad("format_version", "version " + std::to_string(out.format_version()) +
                                     " is not supported (this reader reads version " +
                                     std::to_string(kExtractFormatVersion) + ")");
  }
  return out;
}

Status CheckExtract(const v1::StatisticsExtract& e) {
  if (e.format_version() != kExtractFormatVersion) {
    return Bad("extract.format_version", "version " + std::to_string(e.format_version()) +
                                             " is not supported (this reader reads version " +
                                             std::to_string(kExtractFormatVersion) + ")");
  }
  if (e.network_definition() != kNetworkDefinition) {
    return Bad("extract.network_definition", "'" + Shown(e.network_definition()) + "' is not " + kNetworkDefinition);
  }
  if (!IsMunicipalityCode(e.municipality_code())) {
    return Bad("extract.municipality_code", "'" + Shown(e.municipality_code()) + "' is not a four-digit kommunkod");
  }
  const auto from = stats::ParseDay(e.from_date());
  const auto to = stats::ParseDay(e.to_date());
  if (!from || e.from_date().size() != 10 || e.from_date().substr(4) != "-01-01") {
    return Bad("extract.from_date", "'" + Shown(e.from_date()) + "' is not the first of January (YYYY-01-01)");
  }
  if (!to || e.to_date() != e.from_date().substr(0, 4) + "-12-31") {
    return Bad("extract.to_date", "'" + Shown(e.to_date()) + "' is not the 31st of December of " + e.from_date().substr(0, 4));
  }
  if (e.suppression_threshold() != kNetworkThreshold) {
    return Bad("extract.suppression_threshold", std::to_string(e.suppression_threshold()) +
                                                    " is not the network definition's " + std::to_string(kNetworkThreshold));
  }
  for (const auto& [field, value] : {std::pair{"extract.rule_set_version", &e.rule_set_version()},
                                     std::pair{"extract.definition_version", &e.definition_version()},
                                     std::pair{"extract.created_at", &e.created_at()}}) {
    if (value->size() > ExtractLimits::kMaxKeyBytes) {
      return Bad(field, std::to_string(value->size()) + " bytes, more than the limit of " +
                            std::to_string(ExtractLimits::kMaxKeyBytes));
    }
  }
  if (e.reports_size() < 1 || e.reports_size() > ExtractLimits::kMaxReports) {
    return Bad("extract.reports", std::to_string(e.reports_size()) + " reports, expected 1 to " +
                                      std::to_string(ExtractLimits::kMaxReports));
  }
  std::set<int> kinds;
  for (int i = 0; i < e.reports_size(); ++i) {
    const v1::ExtractReport& report = e.reports(i);
    const std::string at = "extract.reports[" + std::to_string(i) + "]";
    if (KindName(report.kind()) == nullptr) {
      return Bad(at + ".kind", "kind " + std::to_string(static_cast<int>(report.kind())) +
                                   " is not in the network definition (movements, kas)");
    }
    if (!kinds.insert(report.kind()).second) return Bad(at + ".kind", std::string(KindName(report.kind())) + " twice");
    if (report.tables_size() < 1 || report.tables_size() > ExtractLimits::kMaxTables) {
      return Bad(at + ".tables", std::to_string(report.tables_size()) + " tables, expected 1 to " +
                                     std::to_string(ExtractLimits::kMaxTables));
    }
    std::set<std::string> ids;
    for (int t = 0; t < report.tables_size(); ++t) {
      const std::string table_at = at + ".tables[" + std::to_string(t) + "]";
      if (auto s = CheckTable(table_at, report.tables(t), e.suppression_threshold()); !s.ok()) return s;
      if (!ids.insert(report.tables(t).id()).second) {
        return Bad(table_at + ".id", "'" + Shown(report.tables(t).id()) + "' is listed twice");
      }
    }
  }
  return Status::Ok();
}

Result<v1::StatisticsExtract> VerifyExtract(const v1::SignedStatisticsExtract& signed_extract,
                                            const std::vector<TrustedKey>& trusted) {
  if (signed_extract.format_version() != kExtractFormatVersion) {
    return Bad("format_version", "version " + std::to_string(signed_extract.format_version()) +
                                     " is not supported (this reader reads version " +
                                     std::to_string(kExtractFormatVersion) + ")");
  }
  if (signed_extract.extract().size() > ExtractLimits::kMaxSignedBytes) {
    return Bad("extract", std::to_string(signed_extract.extract().size()) + " bytes, more than the limit of " +
                              std::to_string(ExtractLimits::kMaxSignedBytes));
  }
  v1::StatisticsExtract extract;
  if (!extract.ParseFromString(signed_extract.extract())) {
    return Bad("extract", "not a statistics extract (ix.v1.StatisticsExtract)");
  }
  // The municipality the extract claims, for the messages; nothing in it is believed yet.
  const std::string who = "the extract of municipality " + Shown(extract.municipality_code());
  if (signed_extract.signature_hex().empty() || signed_extract.signer_public_key_hex().empty()) {
    return Denied("signature_hex", who + " is unsigned: a network report takes signed extracts only");
  }
  // A municipality may have several trusted keys (rotation); a key signs for one municipality.
  bool key_trusted = false, signs_for_it = false;
  std::string signs_for;
  for (const TrustedKey& key : trusted) {
    if (key.public_key_hex != signed_extract.signer_public_key_hex()) continue;
    key_trusted = true;
    if (key.municipality_code == extract.municipality_code()) signs_for_it = true;
    else signs_for = key.municipality_code;
  }
  if (!key_trusted) {
    return Denied("signer_public_key_hex", who + " is signed with a key that is not among the trusted keys");
  }
  if (!signs_for_it) {
    return Denied("signer_public_key_hex", who + " is signed with the key of municipality " + signs_for);
  }
  if (!base::crypto::VerifySignature(SignedMessage(signed_extract.extract()), signed_extract.signature_hex(),
                                     signed_extract.signer_public_key_hex())) {
    return Denied("signature_hex", who + ": the signature does not verify (the extract was changed after "
                                         "signing, or signed with another key)");
  }
  if (auto s = CheckExtract(extract); !s.ok()) return s;
  return extract;
}

namespace {

v1::StatisticsCell Cell(std::optional<int64_t> count, v1::CellStatus status, int threshold) {
  v1::StatisticsCell cell;
  cell.set_status(status);
  if (count) {
    cell.set_count(*count);
    cell.set_display(std::to_string(*count));
  } else {
    cell.set_display(status == v1::CELL_STATUS_SUPPRESSED_PRIMARY ? "<" + std::to_string(threshold) : "..");
  }
  return cell;
}

const v1::ExtractReport* ReportOf(const v1::StatisticsExtract& e, v1::ReportKind kind) {
  for (const v1::ExtractReport& r : e.reports()) {
    if (r.kind() == kind) return &r;
  }
  return nullptr;
}

}  // namespace

Result<v1::NetworkReport> BuildNetworkReport(const std::vector<v1::SignedStatisticsExtract>& signed_extracts,
                                             const std::vector<TrustedKey>& trusted, v1::ReportKind kind,
                                             stats::Language lang) {
  if (KindName(kind) == nullptr) {
    return Bad("kind", "kind " + std::to_string(static_cast<int>(kind)) +
                           " is not in the network definition (movements, kas)");
  }
  if (signed_extracts.empty()) return Bad("extracts", "none given: a network report combines at least one extract");
  if (signed_extracts.size() > static_cast<size_t>(ExtractLimits::kMaxExtracts)) {
    return Bad("extracts", std::to_string(signed_extracts.size()) + " extracts, more than the limit of " +
                               std::to_string(ExtractLimits::kMaxExtracts));
  }
  std::vector<std::pair<size_t, v1::StatisticsExtract>> extracts;
  for (size_t i = 0; i < signed_extracts.size(); ++i) {
    auto verified = VerifyExtract(signed_extracts[i], trusted);
    if (!verified.ok()) {
      const Status& s = verified.status();
      const std::string path = "extracts[" + std::to_string(i) + "]." +
                               (s.problems().empty() ? std::string("extract") : s.problems().front().path);
      return FieldRefused(s.code(), path, s.problems().empty() ? s.message() : s.problems().front().en)
          .WithReason(s.reason().empty() ? "IX_INVALID_EXTRACT" : s.reason());
    }
    extracts.emplace_back(i, std::move(*verified));
  }
  const v1::StatisticsExtract& first = extracts.front().second;
  std::set<std::string> municipalities;
  for (const auto& [i, e] : extracts) {
    const std::string which = Which(i, e.municipality_code());
    if (!municipalities.insert(e.municipality_code()).second) {
      return Bad("extracts[" + std::to_string(i) + "].extract.municipality_code",
                 which + ": a second extract of the same municipality");
    }
    const struct {
      const char* field;
      const std::string& value;
      const std::string& expected;
    } same[] = {{"network_definition", e.network_definition(), first.network_definition()},
                {"from_date", e.from_date(), first.from_date()},
                {"to_date", e.to_date(), first.to_date()},
                {"rule_set_version", e.rule_set_version(), first.rule_set_version()},
                {"definition_version", e.definition_version(), first.definition_version()}};
    for (const auto& check : same) {
      if (check.value != check.expected) {
        return FieldRefused(StatusCode::kFailedPrecondition,
                            "extracts[" + std::to_string(i) + "].extract." + check.field,
                            which + " has " + check.field + " '" + Shown(check.value) + "', the first extract (" +
                                first.municipality_code() + ") '" + check.expected +
                                "': a network report combines extracts of one period and definition")
            .WithReason("IX_EXTRACT_MISMATCH");
      }
    }
    if (ReportOf(e, kind) == nullptr) {
      std::string holds;
      for (const auto& r : e.reports()) holds += (holds.empty() ? "" : ", ") + std::string(KindName(r.kind()));
      return FieldRefused(StatusCode::kFailedPrecondition, "extracts[" + std::to_string(i) + "].extract.reports",
                          which + " holds no " + KindName(kind) + " report (it holds " + holds + ")")
          .WithReason("IX_EXTRACT_MISMATCH");
    }
  }
  std::sort(extracts.begin(), extracts.end(), [](const auto& a, const auto& b) {
    return a.second.municipality_code() < b.second.municipality_code();
  });

  v1::NetworkReport out;
  out.set_kind(kind);
  out.set_language(lang.used);
  out.set_title(stats::InLanguage(kind == v1::REPORT_KIND_KAS
                                      ? LocalizedText{"Nätverksrapport: KAS per kommun", "Network report: KAS by municipality"}
                                      : LocalizedText{"Nätverksrapport: förflyttningar per kommun",
                                                      "Network report: movements by municipality"},
                                  lang));
  for (std::string& notice : stats::LanguageNotices(lang)) out.add_notes(std::move(notice));
  out.set_network_definition(first.network_definition());
  out.set_from_date(first.from_date());
  out.set_to_date(first.to_date());
  out.set_suppression_threshold(first.suppression_threshold());
  out.set_rule_set_version(first.rule_set_version());
  out.set_definition_version(first.definition_version());
  for (const auto& [i, e] : extracts) out.add_municipality_codes(e.municipality_code());

  // The tables: the first extract's, in its order; every extract must hold the same ids.
  const v1::ExtractReport& base = *ReportOf(extracts.front().second, kind);
  for (const auto& [i, e] : extracts) {
    const v1::ExtractReport& r = *ReportOf(e, kind);
    bool same = r.tables_size() == base.tables_size();
    for (int t = 0; same && t < r.tables_size(); ++t) same = r.tables(t).id() == base.tables(t).id();
    if (!same) {
      return FieldRefused(StatusCode::kFailedPrecondition, "extracts[" + std::to_string(i) + "].extract.reports",
                          Which(i, e.municipality_code()) + " has other " + KindName(kind) +
                              " tables than municipality " + extracts.front().second.municipality_code())
          .WithReason("IX_EXTRACT_MISMATCH");
    }
  }
  const std::string total = stats::InLanguage(stats::TotalLabel(), lang);
  for (int t = 0; t < base.tables_size(); ++t) {
    const v1::ExtractTable& shape = base.tables(t);
    // Rows: the union, in the order they first appear (municipalities by code). A row a
    // municipality does not list is one it has no one in: zero there (its tables list the
    // rows that occur).
    std::vector<std::string> rows;
    std::set<std::string> seen;
    for (const auto& [i, e] : extracts) {
      const v1::ExtractTable& table = ReportOf(e, kind)->tables(t);
      const bool same_columns = table.row_totals() == shape.row_totals() &&
                                table.column_totals() == shape.column_totals() &&
                                std::equal(table.column_keys().begin(), table.column_keys().end(),
                                           shape.column_keys().begin(), shape.column_keys().end());
      if (!same_columns) {
        return FieldRefused(StatusCode::kFailedPrecondition,
                            "extracts[" + std::to_string(i) + "].extract.reports.tables[" + std::to_string(t) + "]",
                            Which(i, e.municipality_code()) + ": table " + Shown(table.id()) +
                                " has other columns or totals than municipality " +
                                extracts.front().second.municipality_code())
            .WithReason("IX_EXTRACT_MISMATCH");
      }
      for (const std::string& key : table.row_keys()) {
        if (seen.insert(key).second) rows.push_back(key);
      }
    }
    const int C = shape.column_keys_size();
    const int ext_columns = C + (shape.row_totals() ? 1 : 0);
    const int ext_rows = static_cast<int>(rows.size()) + (shape.column_totals() ? 1 : 0);
    auto frame = [&](v1::StatisticsTable* table) {
      table->set_id(shape.id());
      table->set_title(shape.id());
      for (const std::string& key : shape.column_keys()) table->add_column_labels(key);
      if (shape.row_totals()) table->add_column_labels(total);
      table->set_has_total_column(shape.row_totals());
    };
    v1::NetworkTable* out_table = out.add_tables();
    out_table->set_id(shape.id());
    // Network totals: the sum where every municipality published the cell, else withheld.
    std::vector<int64_t> sum(static_cast<size_t>(ext_rows * ext_columns), 0);
    std::vector<bool> published(sum.size(), true);
    for (const auto& [i, e] : extracts) {
      const v1::ExtractTable& table = ReportOf(e, kind)->tables(t);
      std::map<std::string, int> row_of;
      for (int r = 0; r < table.row_keys_size(); ++r) row_of[table.row_keys(r)] = r;
      out_table->add_municipality_codes(e.municipality_code());
      v1::StatisticsTable* mine = out_table->add_municipalities();
      frame(mine);
      for (int r = 0; r < ext_rows; ++r) {
        const bool total_row = r >= static_cast<int>(rows.size());
        v1::StatisticsRow* row = mine->add_rows();
        row->set_label(total_row ? total : rows[static_cast<size_t>(r)]);
        row->set_total(total_row);
        int source = -1;
        if (total_row) {
          source = table.row_keys_size();
        } else if (const auto it = row_of.find(rows[static_cast<size_t>(r)]); it != row_of.end()) {
          source = it->second;
        }
        for (int c = 0; c < ext_columns; ++c) {
          const size_t k = static_cast<size_t>(r * ext_columns + c);
          if (source < 0) {  // a row this municipality does not list: nobody there
            *row->add_cells() = Cell(0, v1::CELL_STATUS_SHOWN, out.suppression_threshold());
            continue;
          }
          const v1::ExtractCell& cell = table.cells(source * ext_columns + c);
          const bool shown = cell.status() == v1::CELL_STATUS_SHOWN;
          *row->add_cells() = Cell(shown ? std::optional<int64_t>(cell.count()) : std::nullopt, cell.status(),
                                   out.suppression_threshold());
          if (shown) sum[k] += cell.count();
          else published[k] = false;
        }
      }
    }
    v1::StatisticsTable* network = out_table->mutable_network();
    frame(network);
    for (int r = 0; r < ext_rows; ++r) {
      const bool total_row = r >= static_cast<int>(rows.size());
      v1::StatisticsRow* row = network->add_rows();
      row->set_label(total_row ? total : rows[static_cast<size_t>(r)]);
      row->set_total(total_row);
      for (int c = 0; c < ext_columns; ++c) {
        const size_t k = static_cast<size_t>(r * ext_columns + c);
        *row->add_cells() = published[k] ? Cell(sum[k], v1::CELL_STATUS_SHOWN, out.suppression_threshold())
                                         : Cell(std::nullopt, v1::CELL_STATUS_SUPPRESSED_SECONDARY,
                                                out.suppression_threshold());
      }
    }
  }
  out.add_notes(stats::InLanguage({"Varje kommun visar sina celler som de publicerades efter röjandekontroll i kommunen. "
                                    "Nätverkets summa visas bara där alla kommuner publicerade cellen; annars \"..\".",
                                    "Each municipality shows its cells as published after disclosure control in the "
                                    "municipality. The network total is shown only where every municipality published "
                                    "the cell; otherwise \"..\"."},
                                   lang));
  return out;
}

namespace {

using statistics::CsvField;
using statistics::Html;

const char* ReportName(v1::ReportKind kind) { return kind == v1::REPORT_KIND_KAS ? "kas" : "movements"; }

// The grand total (last row, last column) of a table, if published.
const v1::StatisticsCell* GrandTotal(const v1::StatisticsTable& t) {
  if (t.rows().empty() || t.rows().rbegin()->cells().empty()) return nullptr;
  return &*t.rows().rbegin()->cells().rbegin();
}

}  // namespace

std::string RenderNetworkCsv(const v1::NetworkReport& report) {
  std::string out = "kind,table,row,column,municipality,value,count\r\n";
  for (const v1::NetworkTable& t : report.tables()) {
    auto emit = [&](const v1::StatisticsTable& table, const std::string& who) {
      for (const v1::StatisticsRow& row : table.rows()) {
        for (int c = 0; c < row.cells_size(); ++c) {
          const v1::StatisticsCell& cell = row.cells(c);
          out += std::string(ReportName(report.kind())) + "," + CsvField(t.id()) + "," + CsvField(row.label()) + "," +
                 CsvField(table.column_labels(c)) + "," + who + "," + CsvField(cell.display()) + "," +
                 (cell.has_count() ? std::to_string(cell.count()) : "") + "\r\n";
        }
      }
    };
    for (int m = 0; m < t.municipalities_size(); ++m) emit(t.municipalities(m), t.municipality_codes(m));
    emit(t.network(), "network");
  }
  return out;
}

std::string RenderNetworkHtml(const v1::NetworkReport& report) {
  // The page is in the report's language (a report without one, from an older server: English).
  const stats::Language lang = stats::ParseLanguage(report.language()).value_or(stats::Language::kEn);
  const auto text = [&lang](const LocalizedText& t) { return Html(stats::InLanguage(t, lang)); };
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"" + lang.used + "\" dir=\"" + (lang.RightToLeft() ? "rtl" : "ltr") + "\"><head><meta charset=\"utf-8\"><title>" + Html(report.title()) +
      "</title>\n<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin:0.5em 0 "
      "1.5em}td,th{border:1px solid #999;padding:2px 6px;text-align:right}th{background:#eee}"
      "td.l,th.l{text-align:left}tr.network td{font-weight:bold;background:#f4f4ff}"
      ".hidden{color:#888}</style></head><body>\n<h1>" +
      Html(report.title()) + "</h1>\n<p>" + Html(report.from_date()) + " – " + Html(report.to_date()) +
      " · " + Html(report.network_definition()) + " · " + text({"tröskel", "threshold"}) + " " + std::to_string(report.suppression_threshold()) +
      " · " + text({"regeluppsättning", "rule set"}) + " " + Html(report.rule_set_version()) + " · " +
      text({"instrumentdefinition", "definition"}) + " " + Html(report.definition_version()) +
      "</p>\n";
  for (const std::string& note : report.notes()) out += "<p>" + Html(note) + "</p>\n";

  // Chart: each municipality's women and men (grand totals of the <kind>.women / .men tables).
  const std::string prefix = ReportName(report.kind());
  const v1::NetworkTable* women = nullptr;
  const v1::NetworkTable* men = nullptr;
  for (const v1::NetworkTable& t : report.tables()) {
    if (t.id() == prefix + ".women") women = &t;
    if (t.id() == prefix + ".men") men = &t;
  }
  if (women != nullptr && men != nullptr) {
    struct Bar {
      std::string who;
      const v1::StatisticsCell* women;
      const v1::StatisticsCell* men;
    };
    std::vector<Bar> bars;
    for (int m = 0; m < women->municipalities_size(); ++m) {
      bars.push_back({women->municipality_codes(m), GrandTotal(women->municipalities(m)),
                      GrandTotal(men->municipalities(m))});
    }
    int64_t max = 1;
    for (const Bar& b : bars) {
      for (const v1::StatisticsCell* c : {b.women, b.men}) {
        if (c != nullptr && c->has_count()) max = std::max(max, c->count());
      }
    }
    const int width = 640, row_height = 34, left = 60, plot = width - left - 80;
    const int height = static_cast<int>(bars.size()) * row_height + 40;
    out += "<h2>" +
           text(report.kind() == v1::REPORT_KIND_KAS
                    ? LocalizedText{"Deltagare per kommun: kvinnor och män", "Participants by municipality: women and men"}
                    : LocalizedText{"Personer per kommun: kvinnor och män", "Persons by municipality: women and men"}) +
           "</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
           std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" role=\"img\">\n";
    int y = 10;
    for (const Bar& b : bars) {
      out += "<text x=\"4\" y=\"" + std::to_string(y + 18) + "\" font-size=\"12\">" + Html(b.who) + "</text>\n";
      int dy = 0;
      for (const auto& [cell, colour, who, sex] :
           {std::tuple{b.women, "#b0417a", "women", 0}, std::tuple{b.men, "#2f6fa8", "men", 1}}) {
        const int top = y + dy;
        if (cell != nullptr && cell->has_count()) {
          const int w = static_cast<int>(static_cast<double>(plot) * static_cast<double>(cell->count()) / static_cast<double>(max));
          out += "<rect class=\"" + std::string(who) + "\" x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(top) +
                 "\" width=\"" + std::to_string(std::max(w, 1)) + "\" height=\"12\" fill=\"" + colour + "\"/>\n";
          out += "<text x=\"" + std::to_string(left + w + 4) + "\" y=\"" + std::to_string(top + 10) +
                 "\" font-size=\"10\">" + std::to_string(cell->count()) + "</text>\n";
        } else {
          out += "<text x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(top + 10) + "\" font-size=\"10\">" +
                 text(stats::SexLabel(sex)) + ": " + Html(cell != nullptr ? cell->display() : "..") + "</text>\n";
        }
        dy += 14;
      }
      y += row_height;
    }
    out += "<rect x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"10\" height=\"10\" fill=\"#b0417a\"/><text x=\"" + std::to_string(left + 14) + "\" y=\"" +
           std::to_string(y + 13) + "\" font-size=\"11\">" + text(stats::SexLabel(0)) + "</text><rect x=\"" + std::to_string(left + 70) +
           "\" y=\"" + std::to_string(y + 4) + "\" width=\"10\" height=\"10\" fill=\"#2f6fa8\"/><text x=\"" +
           std::to_string(left + 84) + "\" y=\"" + std::to_string(y + 13) + "\" font-size=\"11\">" + text(stats::SexLabel(1)) + "</text>\n</svg>\n";
  }

  for (const v1::NetworkTable& t : report.tables()) {
    out += "<h2>" + Html(t.id()) + "</h2>\n<table><tr><th class=\"l\">" + text({"Rad", "Row"}) +
           "</th><th class=\"l\">" + text({"Kommun", "Municipality"}) + "</th>";
    for (const std::string& label : t.network().column_labels()) out += "<th>" + Html(label) + "</th>";
    out += "</tr>\n";
    for (int r = 0; r < t.network().rows_size(); ++r) {
      auto line = [&](const v1::StatisticsTable& table, const std::string& who, bool network) {
        const v1::StatisticsRow& row = table.rows(r);
        out += network ? "<tr class=\"network\">" : "<tr>";
        out += "<td class=\"l\">" + Html(row.label()) + "</td><td class=\"l\">" + Html(who) + "</td>";
        for (const v1::StatisticsCell& cell : row.cells()) {
          out += cell.has_count() ? "<td>" + Html(cell.display()) + "</td>"
                                  : "<td class=\"hidden\">" + Html(cell.display()) + "</td>";
        }
        out += "</tr>\n";
      };
      for (int m = 0; m < t.municipalities_size(); ++m) line(t.municipalities(m), t.municipality_codes(m), false);
      line(t.network(), stats::InLanguage({"Nätverket", "Network"}, lang), true);
    }
    out += "</table>\n";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace ix::store
