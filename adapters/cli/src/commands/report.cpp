// ixctl report KIND: statistics from the event store — snapshot, movements, kas, equality,
// caseload, trend, or all of them — as JSON (canonical ix.v1.StatisticsReport), CSV or a
// self-contained HTML page with SVG charts. Disclosure control is on unless --internal.
#include <ix/base/file.hpp>
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>
#include <ix/store/reports.hpp>

#include "../command.hpp"
#include "store_access.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>

namespace ix::cli {
namespace {
namespace stats = ix::statistics;

struct ReportOptions {
  std::string kind;
  std::string format = "json";
  std::string municipality, from, to, at, unit, caseworker, out;
  std::string lang;  // BCP 47; empty: the global --lang
  std::string age_bands, duration_bands, kas_time_bands, kas_actors, kas_kinds, targets;
  int threshold = 5;
  int self_support_months = 6;
  int passive_days = 90;
  int recategorisation_months = 6;
  int assessed_within_days = 30;
  double equality_threshold = 10.0;
  bool internal = false;
  StoreAccess access;
};

const std::pair<const char*, v1::ReportKind> kKinds[] = {
    {"snapshot", v1::REPORT_KIND_SNAPSHOT}, {"movements", v1::REPORT_KIND_MOVEMENTS},
    {"kas", v1::REPORT_KIND_KAS},           {"equality", v1::REPORT_KIND_EQUALITY},
    {"caseload", v1::REPORT_KIND_CASELOAD}, {"trend", v1::REPORT_KIND_TREND},
    {"outcomes", v1::REPORT_KIND_OUTCOMES}, {"lead-times", v1::REPORT_KIND_LEAD_TIMES},
    {"indicators", v1::REPORT_KIND_INDICATORS}};

Status AddBands(const std::string& text, const char* option,
                google::protobuf::RepeatedField<int32_t>* out) {
  if (text.empty()) return Status::Ok();
  std::string error;
  const stats::Bands bands = stats::ParseBands(text, &error);
  if (!error.empty()) return Status(StatusCode::kInvalidArgument, std::string(option) + ": " + error);
  for (int b : bands.lower) out->Add(b);
  return Status::Ok();
}

int Report(const Context& ctx, const ReportOptions& o) {
  std::vector<v1::ReportKind> kinds;
  for (const auto& [name, kind] : kKinds) {
    if (o.kind == "all" || o.kind == name) kinds.push_back(kind);
  }
  if (o.format == "kas-csv" && o.kind != "kas") {
    return ctx.Fail(kExitUsage, "--format kas-csv: the KAS export is of the kas report only (got " + o.kind + ")");
  }
  v1::ReportRequest request;
  request.set_kind(kinds.size() == 1 ? kinds.front() : v1::REPORT_KIND_MOVEMENTS);
  request.set_municipality_code(o.municipality);
  request.set_from_date(o.from);
  request.set_to_date(o.to);
  request.set_at_date(o.at);
  request.set_unit(o.unit);
  request.set_caseworker(o.caseworker);
  request.set_suppression_threshold(o.threshold);
  request.set_internal(o.internal);
  request.set_equality_threshold_pp(o.equality_threshold);
  request.set_self_support_months(o.self_support_months);
  request.set_passive_days(o.passive_days);
  request.set_recategorisation_months(o.recategorisation_months);
  request.set_assessed_within_days(o.assessed_within_days);
  request.set_language(o.lang.empty() ? ctx.global.lang : o.lang);
  const auto lang = store::ReaderLanguage(request.language());  // echoes at most 40 bytes of a bad tag
  if (!lang.ok()) return ctx.Fail(kExitUsage, "--lang: " + lang.status().problems().front().en);
  if (Status s = AddBands(o.age_bands, "--age-bands", request.mutable_age_band_lower_bounds()); !s.ok()) {
    return ctx.Fail(kExitUsage, s.message());
  }
  if (Status s = AddBands(o.duration_bands, "--duration-bands",
                          request.mutable_duration_band_lower_months());
      !s.ok()) {
    return ctx.Fail(kExitUsage, s.message());
  }
  if (Status s = AddBands(o.kas_time_bands, "--kas-time-bands", request.mutable_kas_time_band_lower_months());
      !s.ok()) {
    return ctx.Fail(kExitUsage, s.message());
  }
  auto split = [](const std::string& text, google::protobuf::RepeatedPtrField<std::string>* out) {
    for (size_t pos = 0; !text.empty() && pos <= text.size();) {
      const size_t comma = std::min(text.find(',', pos), text.size());
      out->Add(text.substr(pos, comma - pos));
      pos = comma + 1;
    }
  };
  split(o.kas_actors, request.mutable_kas_actors());
  split(o.kas_kinds, request.mutable_kas_kinds());
  google::protobuf::RepeatedPtrField<std::string> targets;
  split(o.targets, &targets);
  for (const std::string& part : targets) {
    int value = -1;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size()) {
      return ctx.Fail(kExitUsage, "--targets: '" + part + "' is not a whole number (give AM1,AM2,AM3 percents, e.g. 80,60,40)");
    }
    request.add_outcome_target_percent(value);
  }
  auto options = store::OptionsFrom(request);
  if (!options.ok()) {
    static const std::pair<const char*, const char*> kOptionNames[] = {
        {"from_date", "--from"}, {"to_date", "--to"}, {"at_date", "--at"},
        {"municipality_code", "--municipality"}, {"age_band_lower_bounds", "--age-bands"},
        {"duration_band_lower_months", "--duration-bands"}, {"suppression_threshold", "--threshold"},
        {"equality_threshold_pp", "--equality-threshold"}, {"kas_time_band_lower_months", "--kas-time-bands"},
        {"kas_actors", "--kas-actors"}, {"kas_kinds", "--kas-kinds"}, {"self_support_months", "--self-support-months"},
        {"passive_days", "--passive-days"}, {"recategorisation_months", "--recategorisation-months"},
        {"assessed_within_days", "--assessed-within-days"}, {"outcome_target_percent", "--targets"}};
    std::string message = options.status().message();
    for (const auto& [field, option] : kOptionNames) {
      if (message.rfind(field, 0) == 0) message = std::string(option) + message.substr(std::string(field).size());
    }
    return ctx.Fail(kExitUsage, message);
  }
  options->reports = 0;  // only the reports asked for
  for (v1::ReportKind kind : kinds) options->reports |= store::ReportBit(kind);
  std::error_code ec;
  if (!store::IsPostgresqlLocation(o.access.store) && !std::filesystem::exists(o.access.store, ec)) {
    return ctx.Fail(kExitBadInput, o.access.store + ": no such event store (run 'ixctl import' first)");
  }
  auto db = store::EventStore::Open(o.access.store, {});
  if (!db.ok()) return ctx.Fail(kExitBadInput, db.status().message());
  auto reports = store::RunReports(**db, o.municipality, *options, [&](int64_t n) {
    if (n % 100000 == 0) ctx.err << "ixctl: report: " << n << " persons read\n";
  });
  if (!reports.ok()) return ctx.Fail(kExitBadInput, reports.status().message());

  if (lang->used != lang->requested.tag) {
    ctx.err << "ixctl: report: no report texts in '" << lang->requested.tag << "'; the report is in '" << lang->used
            << "'\n";
  }
  std::vector<stats::Publication> publications;
  for (v1::ReportKind kind : kinds) {
    stats::Publication p = stats::Publish(store::KindFrom(kind), *reports);
    p.parameters.insert(p.parameters.begin(), {"municipality", o.municipality});
    stats::Protect(p, o.internal, o.threshold);
    publications.push_back(std::move(p));
  }
  std::string text;
  if (o.format == "csv") {
    text = stats::RenderCsv(publications, *lang);
  } else if (o.format == "kas-csv") {
    text = stats::RenderKasExport(publications.front(), stats::KasExportRows(reports->kas));
  } else if (o.format == "html") {
    text = stats::RenderHtml(publications, *lang, stats::InLanguage(stats::ReportHeading(o.municipality), *lang));
  } else if (publications.size() == 1) {
    text = ToJson(store::ToProto(publications.front(), *lang, o.municipality)) + "\n";
  } else {
    v1::StatisticsReports all;
    for (const auto& p : publications) *all.add_reports() = store::ToProto(p, *lang, o.municipality);
    text = ToJson(all) + "\n";
  }
  if (o.out.empty()) {
    ctx.out << text;
  } else {
    // An internal (unsuppressed) report can single people out: owner-only, written whole.
    if (Status s = base::WriteFileAtomically(o.out, text, {.mode = base::kOwnerOnly, .keep_existing_mode = false});
        !s.ok()) {
      return ctx.Fail(kExitBadInput, s.message());
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterReport(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "report", "Statistics from the event store, by category and sex: snapshot (at a date), "
                "movements, kas, outcomes, lead-times, indicators, equality, trend (between two dates), caseload (at a date), or "
                "all. Cells with 1–4 persons show as <5 and further cells are hidden so no hidden "
                "cell follows from the totals, unless --internal.");
  auto o = std::make_shared<ReportOptions>();
  cmd->add_option("KIND", o->kind, "Report")
      ->required()
      ->check(CLI::IsMember({"snapshot", "movements", "kas", "outcomes", "lead-times", "indicators", "equality", "caseload", "trend", "all"}));
  cmd->add_option("--format", o->format, "Output format (kas-csv: the KAS export of the kas report)")
      ->check(CLI::IsMember({"json", "csv", "html", "kas-csv"}))
      ->capture_default_str();
  cmd->add_option("--municipality", o->municipality, "Kommunkod (four digits)")->required();
  cmd->add_option("--from", o->from, "First day of the period, YYYY-MM-DD");
  cmd->add_option("--to", o->to, "Last day of the period, YYYY-MM-DD (inclusive)");
  cmd->add_option("--at", o->at, "Snapshot / caseload date, YYYY-MM-DD (default: --to)");
  cmd->add_option("--unit", o->unit, "Only persons of this unit (on the report date)");
  cmd->add_option("--caseworker", o->caseworker, "Only persons of this caseworker id (on the report date)");
  cmd->add_option("--age-bands", o->age_bands, "Age band lower bounds (default 18,25,30,40,50,65)");
  cmd->add_option("--duration-bands", o->duration_bands,
                  "Months-on-assistance band lower bounds, from 0 (default 0,4,7,13,25)");
  cmd->add_option("--kas-actors", o->kas_actors,
                  "KAS scope: responsible actors, comma-separated, or * for all (default municipality)");
  cmd->add_option("--kas-kinds", o->kas_kinds, "KAS scope: only these intervention kinds, comma-separated (default all)");
  cmd->add_option("--kas-time-bands", o->kas_time_bands,
                  "KAS: months-in-the-intervention band lower bounds, from 0 (default 0,3,6,12)");
  cmd->add_option("--self-support-months", o->self_support_months,
                  "outcomes: exits to self-support count within this many months of the intervention's end")
      ->capture_default_str();
  cmd->add_option("--passive-days", o->passive_days,
                  "lead-times: AM2/AM3 adults without an active intervention for more than this many days are passive")
      ->capture_default_str();
  cmd->add_option("--targets", o->targets,
                  "outcomes: targets per need group, percent to work or studies for AM1,AM2,AM3 (default: the profile's, 80,60,40)");
  cmd->add_option("--recategorisation-months", o->recategorisation_months,
                  "indicators: a first categorisation counts as recategorised soon when it changes within this many months")
      ->capture_default_str();
  cmd->add_option("--assessed-within-days", o->assessed_within_days,
                  "indicators: a first visit counts as assessed when a categorisation takes effect within this many days")
      ->capture_default_str();
  cmd->add_option("--threshold", o->threshold, "Disclosure threshold: counts below it are hidden")
      ->check(CLI::Range(2, 1000))
      ->capture_default_str();
  cmd->add_option("--equality-threshold", o->equality_threshold,
                  "Equality monitor: flag differences above this many percentage points")
      ->capture_default_str();
  cmd->add_flag("--internal", o->internal,
                "Internal report: no disclosure control (must not leave the municipality)");
  cmd->add_option("--lang", o->lang,
                  "Language of the report's texts, a BCP 47 tag (sv, en, fi, ar; others fall back, docs/statistics.md) "
                  "(default: the global --lang)");
  cmd->add_option("-o,--out", o->out, "Write to this file instead of standard output");
  AddStoreOptions(cmd, o->access, false);
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Report(ctx, *o); }; });
}

}  // namespace ix::cli
