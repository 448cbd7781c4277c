#include <ix/store/reports.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace ix::store {
namespace stats = ix::statistics;

namespace {

Status Invalid(const std::string& field, const std::string& message) {
  return InvalidField(field, message);
}

Result<stats::Bands> BandsFrom(const google::protobuf::RepeatedField<int32_t>& bounds,
                               const std::string& field, stats::Bands fallback, bool from_zero) {
  if (bounds.empty()) return fallback;
  std::string text;
  for (int b : bounds) text += (text.empty() ? "" : ",") + std::to_string(b);
  std::string error;
  stats::Bands bands = stats::ParseBands(text, &error);
  if (!error.empty()) return Invalid(field, error);
  if (from_zero && bands.lower.front() != 0) return Invalid(field, "must start at 0 months");
  return bands;
}

v1::CellStatus StatusOf(stats::CellStatus s) {
  switch (s) {
    case stats::CellStatus::kPrimary: return v1::CELL_STATUS_SUPPRESSED_PRIMARY;
    case stats::CellStatus::kSecondary: return v1::CELL_STATUS_SUPPRESSED_SECONDARY;
    case stats::CellStatus::kShown: break;
  }
  return v1::CELL_STATUS_SHOWN;
}

void FillCell(const stats::Publication& p, const stats::CountTable& t, int r, int c,
              v1::StatisticsCell* cell) {
  cell->set_display(stats::CellText(p, t, r, c));
  cell->set_status(StatusOf(t.StatusAt(r, c)));
  if (t.StatusAt(r, c) != stats::CellStatus::kShown) return;  // the count never leaves
  cell->set_count(t.At(r, c));
  if (const auto pct = stats::CellPercent(t, r, c); pct && r < t.Rows() && c < t.Columns()) {
    cell->set_percent(*pct);
    cell->set_denominator(*stats::CellDenominator(t, r, c));
  }
}

}  // namespace

stats::ReportKind KindFrom(v1::ReportKind kind) {
  switch (kind) {
    case v1::REPORT_KIND_MOVEMENTS: return stats::ReportKind::kMovements;
    case v1::REPORT_KIND_KAS: return stats::ReportKind::kKas;
    case v1::REPORT_KIND_EQUALITY: return stats::ReportKind::kEquality;
    case v1::REPORT_KIND_CASELOAD: return stats::ReportKind::kCaseload;
    case v1::REPORT_KIND_TREND: return stats::ReportKind::kTrend;
    case v1::REPORT_KIND_OUTCOMES: return stats::ReportKind::kOutcomes;
    case v1::REPORT_KIND_LEAD_TIMES: return stats::ReportKind::kLeadTimes;
    case v1::REPORT_KIND_INDICATORS: return stats::ReportKind::kIndicators;
    default: return stats::ReportKind::kSnapshot;
  }
}

Result<stats::ReportOptions> OptionsFrom(const v1::ReportRequest& request) {
  stats::ReportOptions o;
  if (request.kind() <= v1::REPORT_KIND_UNSPECIFIED || request.kind() > v1::REPORT_KIND_INDICATORS) {
    return Invalid("kind", "missing or unknown report kind");
  }
  if (request.municipality_code().size() != 4) {
    return Invalid("municipality_code", "missing or not a four-digit kommunkod");
  }
  auto day = [](const std::string& text, const std::string& field) -> Result<stats::Day> {
    const auto d = stats::ParseDay(text);
    if (!d) return Invalid(field, text.empty() ? "missing (YYYY-MM-DD)" : "'" + text + "' is not a real date YYYY-MM-DD");
    return *d;
  };
  const bool period = request.kind() != v1::REPORT_KIND_SNAPSHOT && request.kind() != v1::REPORT_KIND_CASELOAD;
  if (period || !request.from_date().empty() || !request.to_date().empty()) {
    auto from = day(request.from_date(), "from_date");
    if (!from.ok()) return from.status();
    auto to = day(request.to_date(), "to_date");
    if (!to.ok()) return to.status();
    if (*to < *from) return Invalid("to_date", "before from_date");
    o.from = *from;
    o.to = *to;
  }
  if (!request.at_date().empty() || !period) {
    const std::string& at_text = request.at_date().empty() ? request.to_date() : request.at_date();
    auto at = day(at_text, "at_date");
    if (!at.ok()) return at.status();
    o.at = *at;
    if (request.from_date().empty() && request.to_date().empty()) o.from = o.to = o.at;
  } else {
    o.at = o.to;
  }
  auto age = BandsFrom(request.age_band_lower_bounds(), "age_band_lower_bounds", stats::DefaultAgeBands(), false);
  if (!age.ok()) return age.status();
  auto duration = BandsFrom(request.duration_band_lower_months(), "duration_band_lower_months",
                            stats::DefaultDurationBands(), true);
  if (!duration.ok()) return duration.status();
  o.age = *age;
  o.duration = *duration;
  auto kas_time = BandsFrom(request.kas_time_band_lower_months(), "kas_time_band_lower_months",
                            stats::DefaultKasTimeBands(), true);
  if (!kas_time.ok()) return kas_time.status();
  o.kas_time = *kas_time;
  auto codes = [](const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& field,
                  bool star) -> Result<std::vector<std::string>> {
    constexpr int kMaxCodes = 64;
    constexpr size_t kMaxCodeBytes = 64;
    if (list.size() > kMaxCodes) {
      return Invalid(field, std::to_string(list.size()) + " codes, more than the limit " + std::to_string(kMaxCodes));
    }
    if (star && list.size() == 1 && list[0] == "*") return std::vector<std::string>{};
    std::vector<std::string> out;
    for (int i = 0; i < list.size(); ++i) {
      const std::string& code = list[i];
      const std::string at = field + "[" + std::to_string(i) + "]";
      if (code.empty() || code.size() > kMaxCodeBytes) {
        return Invalid(at, std::to_string(code.size()) + " bytes, must be 1 to " + std::to_string(kMaxCodeBytes));
      }
      for (const char ch : code) {
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.')) {
          return Invalid(at, "a code of a-z, 0-9, '_', '-' or '.' (got byte " +
                                 std::to_string(static_cast<unsigned char>(ch)) + ")");
        }
      }
      out.push_back(code);
    }
    return out;
  };
  if (!request.kas_actors().empty()) {
    auto actors = codes(request.kas_actors(), "kas_actors", true);
    if (!actors.ok()) return actors.status();
    o.kas_actors = *actors;
  }
  auto kinds = codes(request.kas_kinds(), "kas_kinds", false);
  if (!kinds.ok()) return kinds.status();
  o.kas_kinds = *kinds;
  if (request.self_support_months() < 0 || request.self_support_months() > 120) {
    return Invalid("self_support_months", std::to_string(request.self_support_months()) +
                                              " is not from 1 to 120 (or 0 for the default 6)");
  }
  if (request.self_support_months() > 0) o.self_support_months = request.self_support_months();
  if (request.passive_days() < 0 || request.passive_days() > 3650) {
    return Invalid("passive_days", std::to_string(request.passive_days()) +
                                       " is not from 1 to 3650 (or 0 for the default 90)");
  }
  if (request.passive_days() > 0) o.passive_days = request.passive_days();
  // Whole numbers from 1 to `max`, or 0 for the default.
  auto count = [](int32_t value, const char* field, int max, int* out) -> Status {
    if (value < 0 || value > max) {
      return Invalid(field, std::to_string(value) + " is not from 1 to " + std::to_string(max) + " (or 0 for the default " +
                                std::to_string(*out) + ")");
    }
    if (value > 0) *out = value;
    return Status::Ok();
  };
  if (Status s = count(request.recategorisation_months(), "recategorisation_months", 120, &o.recategorisation_months);
      !s.ok()) {
    return s;
  }
  if (!request.outcome_target_percent().empty()) {
    if (request.outcome_target_percent_size() != 3) {
      return Invalid("outcome_target_percent", std::to_string(request.outcome_target_percent_size()) +
                                                   " values; give three (AM1, AM2, AM3) or none");
    }
    for (int i = 0; i < 3; ++i) {
      const int32_t v = request.outcome_target_percent(i);
      if (v < 0 || v > 100) {
        return Invalid("outcome_target_percent[" + std::to_string(i) + "]", std::to_string(v) + " is not from 0 to 100");
      }
      o.outcome_targets[static_cast<size_t>(i)] = v;
    }
  }
  if (Status s = count(request.assessed_within_days(), "assessed_within_days", 365, &o.assessed_within_days); !s.ok()) {
    return s;
  }
  o.unit = request.unit();
  o.caseworker = request.caseworker();
  if (request.equality_threshold_pp() < 0 || request.equality_threshold_pp() > 100) {
    return Invalid("equality_threshold_pp", "must be from 0 to 100");
  }
  if (request.equality_threshold_pp() > 0) o.equality_threshold_pp = request.equality_threshold_pp();
  if (request.suppression_threshold() != 0 && request.suppression_threshold() < 2) {
    return Invalid("suppression_threshold", "must be at least 2 (or 0 for the default 5)");
  }
  if (auto lang = ReaderLanguage(request.language()); !lang.ok()) return lang.status();
  return o;
}

namespace {

// The pass on two threads, as the machine has two cores or more: the caller's thread reads the
// store and merges each person's rows (ForEachPerson), a second thread folds the finished
// histories into the reports, in the order read. Between them a fixed ring of batches: memory
// stays bounded whatever the store holds, and a copied history keeps its vectors' capacity, so
// the steady state allocates nothing.
class FoldThread {
 public:
  explicit FoldThread(stats::ReportEngine& engine) : engine_(engine) {
    for (Batch& b : ring_) {
      b.persons.resize(kBatch);
      free_.push_back(&b);
    }
    worker_ = std::thread([this] { Run(); });
  }
  ~FoldThread() { Close(); }
  FoldThread(const FoldThread&) = delete;
  FoldThread& operator=(const FoldThread&) = delete;

  void Add(const stats::PersonHistory& person) {
    if (filling_ == nullptr) {
      std::unique_lock lock(mu_);
      free_cv_.wait(lock, [&] { return !free_.empty(); });
      filling_ = free_.front();
      free_.pop_front();
      filling_->used = 0;
    }
    filling_->persons[filling_->used++] = person;
    if (filling_->used == kBatch) Hand();
  }
  // Hands over the last batch and waits until every history is folded.
  void Close() {
    if (!worker_.joinable()) return;
    if (filling_ != nullptr) Hand();
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    full_cv_.notify_one();
    worker_.join();
  }

 private:
  static constexpr size_t kBatch = 512;
  struct Batch {
    std::vector<stats::PersonHistory> persons;
    size_t used = 0;
  };
  void Hand() {
    {
      std::lock_guard lock(mu_);
      full_.push_back(filling_);
    }
    filling_ = nullptr;
    full_cv_.notify_one();
  }
  void Run() {
    for (;;) {
      Batch* b = nullptr;
      {
        std::unique_lock lock(mu_);
        full_cv_.wait(lock, [&] { return !full_.empty() || closed_; });
        if (full_.empty()) return;
        b = full_.front();
        full_.pop_front();
      }
      for (size_t i = 0; i < b->used; ++i) engine_.Add(b->persons[i]);
      {
        std::lock_guard lock(mu_);
        free_.push_back(b);
      }
      free_cv_.notify_one();
    }
  }

  stats::ReportEngine& engine_;
  std::array<Batch, 4> ring_;
  Batch* filling_ = nullptr;
  std::mutex mu_;
  std::condition_variable full_cv_, free_cv_;
  std::deque<Batch*> full_, free_;
  bool closed_ = false;
  std::thread worker_;
};

// Reports that are sums over persons (ReportEngine::Mergeable) on two connections at once: the
// persons in slices of person numbers, each thread takes the next slice, reads it on its own
// connection and folds it into its own engine; the two engines are merged at the end. A report
// that reads few columns (KAS, equality) is bound by reading, which one thread cannot spread;
// the merged result is the one pass's, cell for cell. Empty when the store cannot be read so
// (no second connection) or the merge could differ from one pass: then one pass it is.
Result<std::optional<stats::Reports>> RunSliced(const EventStore& store, const std::string& municipality,
                                                const stats::ReportOptions& options,
                                                const std::function<void(int64_t)>& progress) {
  // More slices than threads: a thread that finishes early takes the next, so neither waits
  // long for the other whatever the density of events along the person numbers.
  constexpr int kSlices = 16;
  auto reader = store.OpenReader();
  if (!reader.ok()) return std::optional<stats::Reports>();
  auto slices = store.PersonSlices(municipality, kSlices);
  if (!slices.ok()) return slices.status();
  if (slices->size() < 2) return std::optional<stats::Reports>();
  // The second connection must read the same store. A file replaced or removed since this one
  // was opened (a restore while a server runs) would give it another store, or a new empty
  // one, and its slices' persons would be lost without a word: when it does not see the same
  // persons, one pass on this connection it is.
  auto seen = (*reader)->PersonSlices(municipality, kSlices);
  if (!seen.ok() || seen->size() != slices->size() ||
      !std::equal(seen->begin(), seen->end(), slices->begin(), [](const auto& a, const auto& b) {
        return a.first == b.first && a.last == b.last;
      })) {
    return std::optional<stats::Reports>();
  }
  const stats::RecordsNeeded needed = stats::NeededRecords(options);
  stats::ReportEngine engines[2] = {stats::ReportEngine(options), stats::ReportEngine(options)};
  std::atomic<size_t> next{0};
  std::atomic<int64_t> read{0};
  std::mutex progress_mu;
  Status failed[2];
  auto run = [&](int t, const EventStore& connection) {
    for (size_t i; (i = next.fetch_add(1)) < slices->size();) {
      Status s = connection.ForEachPerson(
          municipality,
          [&](const stats::PersonHistory& person) {
            engines[t].Add(person);
            if (const int64_t n = read.fetch_add(1) + 1; progress && n % 10000 == 0) {
              std::lock_guard lock(progress_mu);
              progress(n);
            }
          },
          needed, (*slices)[i]);
      if (!s.ok()) {
        failed[t] = s;
        next = slices->size();  // the other thread stops after its slice
        return;
      }
    }
  };
  std::thread second([&] { run(1, **reader); });
  run(0, store);
  second.join();
  for (const Status& s : failed) {
    if (!s.ok()) return s;
  }
  if (!engines[0].Merge(engines[1])) return std::optional<stats::Reports>();
  return std::optional<stats::Reports>(engines[0].Finish());
}

}  // namespace

uint32_t ReportBit(v1::ReportKind kind) { return 1u << static_cast<int>(KindFrom(kind)); }

Result<stats::Reports> RunReports(const EventStore& store, const std::string& municipality,
                                  const stats::ReportOptions& options,
                                  const std::function<void(int64_t)>& progress) {
  const bool two_threads = std::thread::hardware_concurrency() >= 2;
  if (two_threads && stats::ReportEngine::Mergeable(options)) {
    auto sliced = RunSliced(store, municipality, options, progress);
    if (!sliced.ok()) return sliced.status();
    if (*sliced) return std::move(**sliced);
  }
  stats::ReportEngine engine(options);
  int64_t n = 0;
  std::optional<FoldThread> fold;
  if (two_threads) fold.emplace(engine);
  Status s = store.ForEachPerson(
      municipality,
      [&](const stats::PersonHistory& person) {
        if (fold) fold->Add(person);
        else engine.Add(person);
        if (progress && ++n % 10000 == 0) progress(n);
      },
      stats::NeededRecords(options));
  if (fold) fold->Close();
  if (!s.ok()) return s;
  return engine.Finish();
}

Result<stats::Language> ReaderLanguage(std::string_view tag) {
  std::string why;
  if (const auto lang = stats::ParseLanguage(tag.empty() ? "en" : tag, &why)) return *lang;
  std::string shown;
  for (char c : tag.substr(0, 40)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (tag.size() > 40) shown += "…";
  return Invalid("language", "'" + shown + "' is not a well-formed BCP 47 language tag: " + why);
}

stats::Language ReportLanguage(const v1::ReportRequest& request) {
  const auto lang = stats::ParseLanguage(request.language().empty() ? "en" : request.language());
  return lang ? *lang : stats::Language::kEn;  // OptionsFrom refused a malformed tag
}

v1::StatisticsReport ToProto(const stats::Publication& p, const stats::Language& lang,
                             const std::string& municipality) {
  v1::StatisticsReport out;
  static const v1::ReportKind kKinds[] = {v1::REPORT_KIND_SNAPSHOT, v1::REPORT_KIND_MOVEMENTS,
                                          v1::REPORT_KIND_KAS,      v1::REPORT_KIND_EQUALITY,
                                          v1::REPORT_KIND_CASELOAD, v1::REPORT_KIND_TREND,
                                          v1::REPORT_KIND_OUTCOMES, v1::REPORT_KIND_LEAD_TIMES,
                                          v1::REPORT_KIND_INDICATORS};
  out.set_kind(kKinds[static_cast<int>(p.kind)]);
  out.set_title(stats::InLanguage(p.title, lang));
  out.set_municipality_code(municipality);
  out.set_language(lang.used);  // the language the texts are in (a tag without report texts falls back)
  for (const auto& [name, value] : p.parameters) {
    auto* param = out.add_parameters();
    param->set_name(name);
    param->set_value(value);
  }
  out.set_disclosure_control(p.disclosure_control);
  out.set_suppression_threshold(p.threshold);
  const core::LocalizedText total = stats::TotalLabel();
  for (const stats::CountTable& t : p.tables) {
    auto* table = out.add_tables();
    table->set_id(t.id);
    table->set_title(stats::InLanguage(t.title, lang));
    for (const auto& label : t.column_labels) table->add_column_labels(stats::InLanguage(label, lang));
    if (t.row_totals) table->add_column_labels(stats::InLanguage(total, lang));
    table->set_has_total_column(t.row_totals);
    if (t.measure) table->set_value_unit("days");
    table->set_percent_of(t.percent == stats::PercentOf::kRowTotal      ? "row_total"
                          : t.percent == stats::PercentOf::kColumnTotal ? "column_total"
                                                                        : "");
    for (int r = 0; r < t.ExtRows(); ++r) {
      auto* row = table->add_rows();
      row->set_label(stats::InLanguage(r < t.Rows() ? t.row_labels[static_cast<size_t>(r)] : total, lang));
      row->set_total(r >= t.Rows());
      for (int c = 0; c < t.ExtColumns(); ++c) FillCell(p, t, r, c, row->add_cells());
    }
  }
  for (const stats::PublishedFlag& f : p.flags) {
    auto* flag = out.add_flags();
    flag->set_measure(f.flag.measure);
    if (f.flag.category >= 0) flag->set_category(stats::InLanguage(stats::CategoryLabel(f.flag.category), lang));
    const std::pair<const stats::CellRef*, v1::StatisticsCell*> parts[] = {
        {&f.women_count, flag->mutable_women_count()}, {&f.women_base, flag->mutable_women_base()},
        {&f.men_count, flag->mutable_men_count()}, {&f.men_base, flag->mutable_men_base()}};
    bool all_shown = true;
    for (const auto& [ref, cell] : parts) {
      const stats::CountTable& t = p.tables[static_cast<size_t>(ref->table)];
      FillCell(p, t, ref->row, ref->column, cell);
      all_shown = all_shown && t.StatusAt(ref->row, ref->column) == stats::CellStatus::kShown;
    }
    if (all_shown) flag->set_difference_pp(f.flag.difference_pp);
  }
  for (std::string& notice : stats::LanguageNotices(lang)) out.add_notes(std::move(notice));
  for (const auto& note : p.notes) out.add_notes(stats::InLanguage(note, lang));
  return out;
}

Result<v1::StatisticsReport> BuildReport(const EventStore& store, const v1::ReportRequest& request) {
  auto options = OptionsFrom(request);
  if (!options.ok()) return options.status();
  options->reports = ReportBit(request.kind());  // the one report asked for, not the others
  auto reports = RunReports(store, request.municipality_code(), *options);
  if (!reports.ok()) return reports.status();
  stats::Publication p = stats::Publish(KindFrom(request.kind()), *reports);
  stats::Protect(p, request.internal(),
                 request.suppression_threshold() == 0 ? 5 : request.suppression_threshold());
  return ToProto(p, ReportLanguage(request), request.municipality_code());
}

}  // namespace ix::store
