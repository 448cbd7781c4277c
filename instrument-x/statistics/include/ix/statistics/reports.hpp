// The five statistics reports (snapshot, movements, KAS, equality, caseload) plus the monthly
// trend the HTML charts show, computed by streaming over people.
//
// ReportEngine::Add takes one PersonHistory at a time and folds it into fixed-size counters;
// nothing about a person is kept after Add returns, so memory does not grow with the number of
// events or people (only the caseload grows, with the number of caseworkers). All five reports
// come out of the same single pass.
#ifndef IX_STATISTICS_REPORTS_HPP
#define IX_STATISTICS_REPORTS_HPP

#include <ix/core/clocks/clocks.hpp>
#include <ix/statistics/records.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ix::statistics {

// The domain's deadline clocks, which the "due" report counts.
namespace clocks = core::clocks;
using core::LocalizedText;

// Bands by lower bound, ascending: {18, 25, 30} means 18–24, 25–29, 30+. Values below the
// first bound (or unknown, -1) fall in an extra "other/unknown" band when the first bound is
// above zero.
struct Bands {
  std::vector<int> lower;

  bool HasOutsideBand() const { return lower.empty() || lower.front() > 0; }
  int Count() const { return static_cast<int>(lower.size()) + (HasOutsideBand() ? 1 : 0); }
  // Index of the band holding `value`; the outside band is the last index.
  int Index(int value) const;
  // "18–24", "65+", "0–3"; the outside band is "other/unknown" (sv: "övriga/okänd").
  LocalizedText Label(int index) const;
};

Bands DefaultAgeBands();       // 18–24, 25–29, 30–39, 40–49, 50–64, 65+
Bands DefaultDurationBands();  // 0–3, 4–6, 7–12, 13–24, 25+ months
Bands DefaultKasTimeBands();   // time in the intervention: 0–2, 3–5, 6–11, 12+ months
// The default profile's targets per need group (AM1, AM2, AM3; percent to work or studies; -1:
// no target), from its data (core::DefaultProfileOutcomeTargets).
std::array<int, 3> DefaultOutcomeTargets();
Bands DefaultLeadTimeBands();  // lead times in days: 0–7, 8–14, 15–30, 31–60, 61–90, 91–180, 181+
// Parses "18,25,30,40,50,65". The error names the problem (empty on success).
Bands ParseBands(std::string_view text, std::string* error);

struct ReportOptions {
  Day from = 0;  // period reports: [from, to], both days included
  Day to = 0;
  Day at = 0;    // snapshot and caseload date
  Bands age = DefaultAgeBands();
  Bands duration = DefaultDurationBands();
  // Optional filters: the unit / caseworker responsible on the report's reference day
  // (`at` for snapshot and caseload, `to` for the period reports). Empty: everyone.
  std::string unit;
  std::string caseworker;
  // Equality monitor: flag differences between women and men larger than this many
  // percentage points.
  double equality_threshold_pp = 10.0;
  // Caseload: the process clocks (a municipality profile's clocks; by default the shipped
  // default profile's) and how far ahead an item counts as "due soon".
  clocks::Clocks clocks = clocks::DefaultProfileClocks();
  int due_soon_days = 30;
  // KAS scope: the interventions KAS counts, by responsible actor and (optionally) kind code.
  // KAS evaluates the municipality's own labour-market interventions, so the default is the
  // actor "municipality"; interventions of the Public Employment Service, the Social Insurance
  // Agency or the region (psychiatry, primary care), and those with no actor recorded, are
  // outside it. Empty `kas_actors`: every actor (even none recorded); empty `kas_kinds`: every
  // kind of those actors.
  std::vector<std::string> kas_actors = {"municipality"};
  std::vector<std::string> kas_kinds;
  Bands kas_time = DefaultKasTimeBands();  // time in the intervention, whole months
  // Outcomes by intervention: a person left assistance for self-support "after" an
  // intervention when a period of theirs ended with exit reason work or studies between the
  // intervention's start and this many months after its end.
  int self_support_months = 6;
  // Outcomes against targets per need group: AM1, AM2, AM3, percent of the participants to work
  // or studies (-1: no target).
  std::array<int, 3> outcome_targets = DefaultOutcomeTargets();
  // Lead times: the day bands of the distribution tables, and how many days without an active
  // intervention make an AM2/AM3 adult on assistance "passive".
  Bands lead_time = DefaultLeadTimeBands();
  int passive_days = 90;
  // Indicators: a first visit counts as assessed with Instrument X when a categorisation takes
  // effect within this many days of it; a first categorisation is "recategorised soon" when the
  // category changes within this many months.
  int assessed_within_days = 30;
  int recategorisation_months = 6;
  // The reports the pass computes: bit 1 << ReportKind (publication.hpp) for each. The others
  // stay empty, so a request for one report does not pay for the rest.
  uint32_t reports = ~0u;
  bool Computes(int report_kind) const { return ((reports >> report_kind) & 1u) != 0; }
};

// The parts of a PersonHistory the reports of `options` (with their unit/caseworker filters)
// read; a store may leave the others empty. The assignments come from every event's unit and
// caseworker, so needing them means reading every event.
struct RecordsNeeded {
  bool categorisations = true, periods = true, interventions = true, milestones = true, assignments = true;
  // Within those records: an intervention's kind and actor codes (KAS and outcomes group and
  // scope by them), a categorisation's indicator facts (parts, views, ratings: indicators).
  // Text the store need not read for the others (InterventionRecord::kind, ::actor empty).
  bool intervention_codes = true, categorisation_facts = true;
  // Categorisations that take effect, and periods that start, after this day change nothing
  // the reports read (each looks at days up to it); interventions are kept whatever their days
  // (a later event about one may move its dates).
  Day through = kNoDay;
};
RecordsNeeded NeededRecords(const ReportOptions& options);

// True when an intervention is in the KAS scope of `options`.
bool InKasScope(const ReportOptions& options, const InterventionRecord& intervention);

// --- 1. Snapshot: persons on assistance on `at` -------------------------------------------
struct SnapshotReport {
  int ages = 0, durations = 0;
  // [category][sex][age band][duration band], flattened.
  std::vector<int64_t> counts;
  int64_t& At(int category, int sex, int age, int duration) {
    return counts[((static_cast<size_t>(category) * kSexGroupCount + sex) * ages + age) * durations +
                  duration];
  }
  int64_t At(int category, int sex, int age, int duration) const {
    return const_cast<SnapshotReport*>(this)->At(category, sex, age, duration);
  }
};

// --- 2. Movements between `from` and `to` -------------------------------------------------
// Rows: category on `from`, then new entrants (not on assistance on `from`, started after it).
// Columns: category on `to`, then exits by reason (not on assistance on `to`). Every person
// in the population lands in exactly one cell, so rows and columns always add up.
inline constexpr int kMovementRows = kReportCategoryCount + 1;
inline constexpr int kMovementEntrantsRow = kReportCategoryCount;
inline constexpr int kMovementColumns = kReportCategoryCount + kExitReasonCount;
inline int MovementExitColumn(ExitReason r) { return kReportCategoryCount + static_cast<int>(r); }

struct MovementsReport {
  std::array<std::array<std::array<int64_t, kMovementColumns>, kMovementRows>, kSexGroupCount>
      counts{};
};

// --- 3. KAS: outcomes of the interventions in scope that ended in [from, to] ---------------
// One count per ended intervention (a participation, as KAS counts participants of each
// intervention), split by intervention kind, the person's need category on the intervention's
// START day (the need that was input, not the category a follow-up set on the day it ended),
// sex, age band on the start day, time in the intervention (whole months, start to end) and
// the KAS outcome.
// Memory stays bounded whatever the events say: beyond this many distinct kinds, further kinds
// are counted together under kKasOtherKinds (a key no catalogue code can be: codes are
// [a-z0-9_.-]).
inline constexpr size_t kMaxKasKinds = 256;
inline constexpr const char* kKasOtherKinds = "(other kinds)";
struct KasReport {
  int ages = 0, times = 0;
  // kind code -> [category][sex][age band][time band][outcome], flattened.
  std::map<std::string, std::vector<int64_t>> by_kind;
  int64_t out_of_scope = 0;  // interventions ended in the period but outside the scope

  size_t Size() const {
    return static_cast<size_t>(kReportCategoryCount) * kSexGroupCount * static_cast<size_t>(ages) *
           static_cast<size_t>(times) * kKasOutcomeCount;
  }
  size_t Index(int category, int sex, int age, int time, int outcome) const {
    return (((static_cast<size_t>(category) * kSexGroupCount + static_cast<size_t>(sex)) * static_cast<size_t>(ages) +
             static_cast<size_t>(age)) * static_cast<size_t>(times) + static_cast<size_t>(time)) * kKasOutcomeCount +
           static_cast<size_t>(outcome);
  }
  // Calls visit(kind, category, sex, age, time, outcome, count) for every non-zero count.
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    for (const auto& [kind, counts] : by_kind) {
      for (size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0) continue;
        size_t rest = i;
        const int outcome = static_cast<int>(rest % kKasOutcomeCount);
        rest /= kKasOutcomeCount;
        const int time = static_cast<int>(rest % static_cast<size_t>(times));
        rest /= static_cast<size_t>(times);
        const int age = static_cast<int>(rest % static_cast<size_t>(ages));
        rest /= static_cast<size_t>(ages);
        const int sex = static_cast<int>(rest % kSexGroupCount);
        const int category = static_cast<int>(rest / kSexGroupCount);
        visit(kind, category, sex, age, time, outcome, counts[i]);
      }
    }
  }
};

// --- Outcomes by intervention: which intervention works for which need ------------------
// Every intervention (any actor) that ended in [from, to]: per intervention kind × category at
// its start × sex, the participants, how many left assistance for self-support within
// `self_support_months` of its end, the KAS outcome and the time in the intervention.
inline constexpr int kSelfSupportColumns = 2;  // 0: left for self-support, 1: did not
// The KAS outcomes a target counts as reached: work (unsubsidised or subsidised) or studies.
bool WorkOrStudies(int kas_outcome);
struct OutcomesReport {
  int times = 0;
  // (kind, category at start) -> [sex][self-support][time band][KAS outcome], flattened.
  std::map<std::pair<std::string, int>, std::vector<int64_t>> cells;
  // Against the targets: [sex][AM1, AM2, AM3 at start][work or studies (a KAS outcome of
  // unsubsidised or subsidised work or studies), other outcome].
  std::array<std::array<std::array<int64_t, 2>, 3>, kSexGroupCount> targets{};

  size_t Size() const {
    return static_cast<size_t>(kSexGroupCount) * kSelfSupportColumns * static_cast<size_t>(times) * kKasOutcomeCount;
  }
  size_t Index(int sex, int self_support, int time, int outcome) const {
    return ((static_cast<size_t>(sex) * kSelfSupportColumns + static_cast<size_t>(self_support)) *
                static_cast<size_t>(times) + static_cast<size_t>(time)) * kKasOutcomeCount + static_cast<size_t>(outcome);
  }
};

// --- Lead times: first visit → complete application → decision → plan → first intervention ----
// For each first-visit milestone, the chain is the first milestone of each next kind on or after
// the previous one and before the next first visit; the first intervention is the first that
// starts on or after the plan (for the whole chain: on or after the first visit). A step is
// counted when its later day falls in [from, to], in days (later − earlier), by the category on
// the first visit's day and sex. Gaps: for each intervention after a person's first, the days
// without any intervention since the latest end of the earlier ones (0 when they overlap or
// follow on the next day), when that end and the new start fall in the same assistance period
// and no earlier intervention is still open; counted when the new one starts in [from, to], in
// the category on its start day. Exact quantiles come from per-day histograms, so memory stays
// fixed (kMaxLeadDays + 1 counters per step, category and sex).
enum class LeadStep : uint8_t {
  kVisitToApplication,
  kApplicationToDecision,
  kDecisionToPlan,
  kPlanToIntervention,
  kVisitToIntervention,
  kInterventionGap,
};
inline constexpr int kLeadStepCount = 6;
inline constexpr int kMaxLeadDays = 3650;  // a longer lead time is counted as 3650 days
// Passive adults on `to`: AM2 / AM3 rows; columns active intervention, passive ≤ N days, > N days.
inline constexpr int kPassiveRows = 2, kPassiveColumns = 3;
struct LeadTimesReport {
  std::vector<uint32_t> days;  // [step][category][sex][day 0 … kMaxLeadDays], flattened
  std::array<std::array<std::array<int64_t, kPassiveColumns>, kPassiveRows>, kSexGroupCount> passive{};

  static size_t Offset(int step, int category, int sex) {
    return ((static_cast<size_t>(step) * kReportCategoryCount + static_cast<size_t>(category)) * kSexGroupCount +
            static_cast<size_t>(sex)) * (kMaxLeadDays + 1);
  }
  static size_t Size() { return Offset(kLeadStepCount, 0, 0); }
};
// The value at 0-based position floor((n − 1) · numerator / denominator) of the n sorted values a
// day histogram holds (integer arithmetic; SQL's quantile_disc); -1 when it holds none.
int QuantileDays(const std::vector<uint64_t>& histogram, int numerator, int denominator);

// --- Indicators: coverage and timeliness shares, recategorisation, steps between AM levels ------
// Each indicator counts cases (its denominator) as met or not met, by sex:
// - first_visit_assessed: first visits in [from, to] (distinct days); met when a categorisation
//   takes effect on a day in [visit, visit + assessed_within_days].
// - decision_in_time: the complete application of each first visit's chain (as the lead times)
//   whose deadline — the profile's decision clock (start application_complete, done decided) from
//   the application day — falls in [from, to]; met when the chain's decision is on or before it.
// - plan_in_time: first visits whose deadline by the profile's action-plan clock (start
//   first_visit, done action_plan) falls in [from, to]; met when a plan milestone on or after the
//   visit and before the next first visit is on or before it.
// - recategorised: persons whose first categorisation's day + recategorisation_months falls in
//   [from, to]; met when a categorisation on a later day up to then has another category than
//   the one in force on the first day.
// - parts_completed: persons whose first categorisation is in [from, to] and records the parts of
//   the form completed; met when parts 1 and 2 both were.
// A clock the profile lacks (or has switched off) leaves its indicator uncounted. An event that
// does not record a fact (from before the events carried it) is left out of the indicator that
// reads it and counted in `recorded` as not recorded, so it does not move the share.
enum class Indicator : uint8_t { kFirstVisitAssessed, kDecisionInTime, kPlanInTime, kRecategorised, kPartsCompleted };
inline constexpr int kIndicatorCount = 5;
// The facts the newer events record: the parts of the form (at the first categorisation), both
// persons' views and the six AM ratings (at each categorisation in [from, to]).
enum class RecordedFact : uint8_t { kFormParts, kViews, kAmRatings };
inline constexpr int kRecordedFactCount = 3;
struct IndicatorsReport {
  // [sex][indicator][0 met, 1 not met]
  std::array<std::array<std::array<int64_t, 2>, kIndicatorCount>, kSexGroupCount> counts{};
  // Distance travelled on the AM scale: for consecutive categorisation days that both carry an AM
  // level, the later in [from, to]: [sex][AM level on the earlier day − 1][closer to work (a
  // lower level), unchanged, further (higher)].
  std::array<std::array<std::array<int64_t, 3>, 3>, kSexGroupCount> am_steps{};
  // [sex][fact][0 recorded, 1 not recorded]
  std::array<std::array<std::array<int64_t, 2>, kRecordedFactCount>, kSexGroupCount> recorded{};
  // Per unit (responsible on the categorisation day; "" none), categorisations in [from, to]
  // that record the views: [sex][0 with a client self-assessment, 1 without, 2 both assessed and
  // agree, 3 both assessed and differ in AM level or R kinds].
  std::map<std::string, std::array<std::array<int64_t, 4>, kSexGroupCount>> views_by_unit;
  // Distance travelled per AM rating: each categorisation day in [from, to] whose last event
  // records the ratings, against the person's previous such day: [sex][rating][closer to work (a
  // lower rating), unchanged, further]; a rating 0 (not rated) on either day is left out.
  std::array<std::array<std::array<int64_t, 3>, kAmRatingCount>, kSexGroupCount> rating_steps{};
};

// --- 4. Equality monitor -------------------------------------------------------------------
// Interventions started in [from, to]: per category on the start day and sex, the persons who
// got any intervention, any work-oriented and any rehabilitative one. And on `to`, among the
// categorised persons on assistance, how many are categorised AM only versus with RH.
struct EqualityCounts {
  int64_t persons = 0;
  int64_t work = 0;
  int64_t rehabilitative = 0;
};
struct EqualityFlag {
  std::string measure;  // "work_oriented_share", "rehabilitative_share", "rh_share"
  int category = -1;    // -1: all categorised persons (the AM/RH comparison)
  int64_t women_count = 0, women_base = 0, men_count = 0, men_base = 0;
  double women_pct = 0, men_pct = 0;
  double difference_pp = 0;  // women − men
};
struct EqualityReport {
  std::array<std::array<EqualityCounts, kSexGroupCount>, kReportCategoryCount> interventions{};
  // [sex]: categorised persons on `to`, and those of them in an RH category (with or without AM).
  std::array<int64_t, kSexGroupCount> categorised{};
  std::array<int64_t, kSexGroupCount> with_rh{};
  std::vector<EqualityFlag> flags;  // filled by Finish()
};

// --- 5. Caseload on `at`: open cases per caseworker by category -----------------------------
// What is due comes from the profile's process clocks (ReportOptions::clocks) that are on and
// that the events can drive: those started by the first categorisation (as the first visit), a
// categorisation, the run of assistance or an intervention. The others (the decision, the
// form) need dates the events do not carry. Of the stopping events, the first intervention
// stands for a plan and an intervention's end for its end; an offer of DUR/ASI is not an event
// yet, so that clock is never "done".
bool CaseloadCounts(const clocks::ClockDefinition& clock);
struct DueCounts {
  std::vector<int64_t> overdue;   // [clock] due before `at`, not done
  std::vector<int64_t> due_soon;  // [clock] due on `at` … `at` + due_soon_days
};
struct CaseloadReport {
  // caseworker id ("" = not assigned) -> [category] persons on assistance
  std::map<std::string, std::array<int64_t, kReportCategoryCount>> open;
  std::map<std::string, DueCounts> due;
  // The clocks counted (CaseloadCounts), in the profile's order: the index of DueCounts.
  std::vector<std::string> clock_names;
  std::vector<LocalizedText> clock_labels;
};

// --- Trend: persons on assistance on the last day of each month in [from, to], by sex -------
struct TrendReport {
  std::vector<Day> month_ends;
  std::vector<std::array<int64_t, kSexGroupCount>> counts;
};

struct Reports {
  ReportOptions options;
  int64_t persons_seen = 0;     // histories added
  int64_t persons_counted = 0;  // histories that passed the unit/caseworker filter
  SnapshotReport snapshot;
  MovementsReport movements;
  KasReport kas;
  OutcomesReport outcomes;
  EqualityReport equality;
  CaseloadReport caseload;
  TrendReport trend;
  LeadTimesReport lead_times;
  IndicatorsReport indicators;
};

class ReportEngine {
 public:
  explicit ReportEngine(ReportOptions options);
  // Folds one person into every report. Thread-compatible (one engine per thread).
  void Add(const PersonHistory& person);
  // Computes derived results (equality flags) and returns everything.
  Reports Finish();

  // Passes over disjoint sets of persons (one engine each, the same options) can be merged into
  // the result of one pass over all of them: every report is a sum over persons (the caseload
  // and the indicators per caseworker and unit, the lead times as day histograms). False only
  // when no report is asked for.
  static bool Mergeable(const ReportOptions& options);
  // Adds the counts of `other`, an engine of the same options that saw other persons. False
  // when the merged result could differ from one pass: KAS or outcome kinds beyond
  // kMaxKasKinds, where the kinds counted under kKasOtherKinds depend on the order persons were
  // seen (run one pass then; this engine is then not to be used).
  bool Merge(const ReportEngine& other);

 private:
  bool PassesFilter(const PersonHistory& p, Day reference) const;
  void AddSnapshot(const PersonHistory& p);
  void AddMovements(const PersonHistory& p, SexGroup sex);
  void AddKas(const PersonHistory& p, SexGroup sex);
  void AddOutcomes(const PersonHistory& p, SexGroup sex);
  void AddEquality(const PersonHistory& p, SexGroup sex);
  void AddCaseload(const PersonHistory& p);
  void AddTrend(const PersonHistory& p, SexGroup sex);
  void AddLeadTimes(const PersonHistory& p, SexGroup sex);
  void AddIndicators(const PersonHistory& p, SexGroup sex);

  Reports r_;
};

// Percentage-point difference and flags for the equality monitor (exposed for tests).
std::vector<EqualityFlag> EqualityFlags(const EqualityReport& report, double threshold_pp);

}  // namespace ix::statistics

#endif  // IX_STATISTICS_REPORTS_HPP
