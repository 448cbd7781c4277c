#include <ix/statistics/reports.hpp>

#include <ix/core/calendar/calendar.hpp>
#include <ix/statistics/publication.hpp>
#include <ix/core/casework/profile.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ix::statistics {

// --- Bands -----------------------------------------------------------------------------------

int Bands::Index(int value) const {
  if (value < 0 || lower.empty() || value < lower.front()) return Count() - 1;
  auto it = std::upper_bound(lower.begin(), lower.end(), value);
  return static_cast<int>(it - lower.begin()) - 1;
}

LocalizedText Bands::Label(int index) const {
  if (index < 0 || index >= static_cast<int>(lower.size())) return {"övriga/okänd", "other/unknown"};
  const std::string from = std::to_string(lower[static_cast<size_t>(index)]);
  if (index + 1 == static_cast<int>(lower.size())) return {from + "+", from + "+"};
  const std::string range = from + "\u2013" + std::to_string(lower[static_cast<size_t>(index) + 1] - 1);
  return {range, range};
}

Bands DefaultAgeBands() { return Bands{{18, 25, 30, 40, 50, 65}}; }
Bands DefaultDurationBands() { return Bands{{0, 4, 7, 13, 25}}; }
Bands DefaultKasTimeBands() { return Bands{{0, 3, 6, 12}}; }
std::array<int, 3> DefaultOutcomeTargets() {
  std::array<int, 3> targets = {-1, -1, -1};
  for (const core::OutcomeTarget& t : core::DefaultProfileOutcomeTargets()) {
    const int level = t.category == "am1" ? 0 : t.category == "am2" ? 1 : t.category == "am3" ? 2 : -1;
    if (level >= 0 && t.percent >= 0 && t.percent <= 100) targets[static_cast<size_t>(level)] = t.percent;
  }
  return targets;
}

bool WorkOrStudies(int kas_outcome) {
  return kas_outcome == static_cast<int>(KasOutcome::kUnsubsidisedWork) ||
         kas_outcome == static_cast<int>(KasOutcome::kSubsidisedWork) || kas_outcome == static_cast<int>(KasOutcome::kStudies);
}

Bands DefaultLeadTimeBands() { return Bands{{0, 8, 15, 31, 61, 91, 181}}; }

int QuantileDays(const std::vector<uint64_t>& histogram, int numerator, int denominator) {
  uint64_t n = 0;
  for (uint64_t count : histogram) n += count;
  if (n == 0) return -1;
  const uint64_t position = (n - 1) * static_cast<uint64_t>(numerator) / static_cast<uint64_t>(denominator);
  uint64_t seen = 0;
  for (size_t d = 0; d < histogram.size(); ++d) {
    seen += histogram[d];
    if (seen > position) return static_cast<int>(d);
  }
  return static_cast<int>(histogram.size()) - 1;
}

bool InKasScope(const ReportOptions& options, const InterventionRecord& intervention) {
  auto listed = [](const std::vector<std::string>& list, const std::string& value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
  };
  return listed(options.kas_actors, intervention.actor) && listed(options.kas_kinds, intervention.kind);
}

Bands ParseBands(std::string_view text, std::string* error) {
  Bands bands;
  error->clear();
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t comma = std::min(text.find(',', pos), text.size());
    const std::string_view part = text.substr(pos, comma - pos);
    int value = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || value < 0 ||
        value > 200) {
      *error = "'" + std::string(part) + "' is not a whole number from 0 to 200";
      return {};
    }
    if (!bands.lower.empty() && value <= bands.lower.back()) {
      *error = "lower bounds must increase (" + std::to_string(value) + " after " +
               std::to_string(bands.lower.back()) + ")";
      return {};
    }
    bands.lower.push_back(value);
    pos = comma + 1;
  }
  return bands;
}

// --- Engine ----------------------------------------------------------------------------------

namespace {

constexpr int kMaxTrendMonths = 600;

int SexIndex(SexGroup s) { return static_cast<int>(s); }

const std::string& kOtherKindsKey() {
  static const std::string key = kKasOtherKinds;
  return key;
}
int CatIndex(ReportCategory c) { return static_cast<int>(c); }

Day LastDayOfMonth(int year, int month) {
  const int next_year = month == 12 ? year + 1 : year;
  const int next_month = month == 12 ? 1 : month + 1;
  return DayFromDate(Date{next_year, next_month, 1}) - 1;
}

}  // namespace

bool CaseloadCounts(const clocks::ClockDefinition& clock) {
  using clocks::StartEvent;
  return clock.on && (clock.start == StartEvent::kFirstVisit || clock.start == StartEvent::kCategorised ||
                      clock.start == StartEvent::kAssistanceRun || clock.start == StartEvent::kInterventionStart);
}

ReportEngine::ReportEngine(ReportOptions options) {
  r_.options = std::move(options);
  for (const clocks::ClockDefinition& c : r_.options.clocks) {
    if (!CaseloadCounts(c)) continue;
    r_.caseload.clock_names.push_back(c.name);
    r_.caseload.clock_labels.push_back(c.label);
  }
  auto& s = r_.snapshot;
  s.ages = r_.options.age.Count();
  s.durations = r_.options.duration.Count();
  s.counts.assign(static_cast<size_t>(kReportCategoryCount) * kSexGroupCount * s.ages * s.durations, 0);
  if (r_.options.from <= r_.options.to) {
    const Date from = DateFromDay(r_.options.from);
    int year = from.year, month = from.month;
    for (int i = 0; i < kMaxTrendMonths; ++i) {
      const Day end = std::min(LastDayOfMonth(year, month), r_.options.to);
      r_.trend.month_ends.push_back(end);
      if (end >= r_.options.to) break;
      if (++month == 13) month = 1, ++year;
    }
  }
  r_.trend.counts.assign(r_.trend.month_ends.size(), {});
  r_.kas.ages = r_.options.age.Count();
  r_.kas.times = r_.options.kas_time.Count();
  r_.outcomes.times = r_.options.kas_time.Count();
  r_.lead_times.days.assign(LeadTimesReport::Size(), 0);
}

bool ReportEngine::PassesFilter(const PersonHistory& p, Day reference) const {
  if (r_.options.unit.empty() && r_.options.caseworker.empty()) return true;
  const Assignment* a = p.AssignmentOn(reference);
  if (a == nullptr) return false;
  return (r_.options.unit.empty() || a->unit == r_.options.unit) &&
         (r_.options.caseworker.empty() || a->caseworker == r_.options.caseworker);
}

void ReportEngine::Add(const PersonHistory& p) {
  ++r_.persons_seen;
  const SexGroup sex = GroupOf(p.sex);
  const bool at_ok = PassesFilter(p, r_.options.at);
  const bool period_ok = PassesFilter(p, r_.options.to);
  if (at_ok || period_ok) ++r_.persons_counted;
  auto computes = [&](ReportKind k) { return r_.options.Computes(static_cast<int>(k)); };
  if (at_ok) {
    if (computes(ReportKind::kSnapshot)) AddSnapshot(p);
    if (computes(ReportKind::kCaseload)) AddCaseload(p);
  }
  if (period_ok) {
    if (computes(ReportKind::kMovements)) AddMovements(p, sex);
    if (computes(ReportKind::kKas)) AddKas(p, sex);
    if (computes(ReportKind::kOutcomes)) AddOutcomes(p, sex);
    if (computes(ReportKind::kEquality)) AddEquality(p, sex);
    if (computes(ReportKind::kTrend)) AddTrend(p, sex);
    if (computes(ReportKind::kLeadTimes)) AddLeadTimes(p, sex);
    if (computes(ReportKind::kIndicators)) AddIndicators(p, sex);
  }
}

RecordsNeeded NeededRecords(const ReportOptions& o) {
  auto computes = [&](ReportKind k) { return o.Computes(static_cast<int>(k)); };
  // What each Add* above reads. The unit and caseworker filters read every event's assignment.
  if (!o.unit.empty() || !o.caseworker.empty()) return {};
  const bool caseload = computes(ReportKind::kCaseload), lead_times = computes(ReportKind::kLeadTimes),
             indicators = computes(ReportKind::kIndicators);
  RecordsNeeded n{false, false, false, false, false};
  n.categorisations = computes(ReportKind::kSnapshot) || computes(ReportKind::kMovements) ||
                      computes(ReportKind::kKas) || computes(ReportKind::kOutcomes) ||
                      computes(ReportKind::kEquality) || caseload || lead_times || indicators;
  n.periods = computes(ReportKind::kSnapshot) || computes(ReportKind::kMovements) || computes(ReportKind::kOutcomes) ||
              computes(ReportKind::kEquality) || computes(ReportKind::kTrend) || caseload || lead_times;
  n.interventions = computes(ReportKind::kKas) || computes(ReportKind::kOutcomes) || computes(ReportKind::kEquality) ||
                    caseload || lead_times;
  n.milestones = lead_times || indicators;
  // The caseworker responsible on `at` (caseload) and the unit on a categorisation's day
  // (indicators per unit): the last event of any kind that names one, so every kind is read.
  n.assignments = caseload || indicators;
  // Equality, the caseload and the lead times read an intervention's dates, orientation and
  // category at start, not its codes.
  n.intervention_codes = computes(ReportKind::kKas) || computes(ReportKind::kOutcomes);
  n.categorisation_facts = indicators;
  // Snapshot, movements, KAS, equality and trend read categories and periods on days up to `at`
  // or `to` (a KAS intervention ends by `to`, so it started by then); outcomes look past `to`
  // for exits to self-support, and the caseload, lead times and indicators are left to read
  // everything (clocks and chains that run past the day).
  if (!computes(ReportKind::kOutcomes) && !caseload && !lead_times && !indicators) n.through = std::max(o.to, o.at);
  return n;
}

bool ReportEngine::Mergeable(const ReportOptions& o) {
  // Every report is a sum over persons; only KAS and outcomes have a bound whose overflow
  // depends on the order (Merge refuses that case).
  return o.reports != 0;
}

namespace {
// Adds counts element by element: numbers, and std::array / std::vector of them (of equal size),
// nested to any depth.
template <class T>
void AddCounts(T& into, const T& from) {
  if constexpr (std::is_arithmetic_v<T>) {
    into += from;
  } else {
    for (size_t i = 0; i < into.size(); ++i) AddCounts(into[i], from[i]);
  }
}
// Adds a map of counts: a key only `from` has is added with its counts.
template <class Map>
void AddCountsByKey(Map& into, const Map& from) {
  for (const auto& [key, counts] : from) {
    auto [it, added] = into.try_emplace(key, counts);
    if (!added) AddCounts(it->second, counts);
  }
}
}  // namespace

bool ReportEngine::Merge(const ReportEngine& other) {
  const Reports& b = other.r_;
  r_.persons_seen += b.persons_seen;
  r_.persons_counted += b.persons_counted;
  AddCounts(r_.snapshot.counts, b.snapshot.counts);
  AddCounts(r_.movements.counts, b.movements.counts);
  // One pass would have counted every kind under its own key as long as fewer than
  // kMaxKasKinds were seen: then the merged map is exactly its map, whatever the order.
  if (r_.kas.by_kind.count(kOtherKindsKey()) != 0 || b.kas.by_kind.count(kOtherKindsKey()) != 0) return false;
  for (const auto& [kind, counts] : b.kas.by_kind) {
    auto [it, added] = r_.kas.by_kind.try_emplace(kind, counts.size(), 0);
    AddCounts(it->second, counts);
  }
  if (r_.kas.by_kind.size() >= kMaxKasKinds) return false;
  r_.kas.out_of_scope += b.kas.out_of_scope;
  // Outcomes: the same bound, on (kind, category at start). One pass gives the k-th new key its
  // own cells while k is below the bound's share of keys; a merge with more keys than that
  // could differ from it.
  auto has_other = [](const OutcomesReport& o) {
    return std::any_of(o.cells.begin(), o.cells.end(), [](const auto& cell) { return cell.first.first == kOtherKindsKey(); });
  };
  if (has_other(r_.outcomes) || has_other(b.outcomes)) return false;
  for (const auto& [key, counts] : b.outcomes.cells) {
    auto [it, added] = r_.outcomes.cells.try_emplace(key, counts.size(), 0);
    AddCounts(it->second, counts);
  }
  if (r_.outcomes.cells.size() + kReportCategoryCount > kMaxKasKinds * kReportCategoryCount) return false;
  for (size_t x = 0; x < r_.outcomes.targets.size(); ++x) {
    for (size_t c = 0; c < r_.outcomes.targets[x].size(); ++c) AddCounts(r_.outcomes.targets[x][c], b.outcomes.targets[x][c]);
  }
  for (size_t c = 0; c < r_.equality.interventions.size(); ++c) {
    for (size_t s = 0; s < r_.equality.interventions[c].size(); ++s) {
      EqualityCounts& e = r_.equality.interventions[c][s];
      const EqualityCounts& f = b.equality.interventions[c][s];
      e.persons += f.persons;
      e.work += f.work;
      e.rehabilitative += f.rehabilitative;
    }
  }
  AddCounts(r_.equality.categorised, b.equality.categorised);
  AddCounts(r_.equality.with_rh, b.equality.with_rh);
  AddCounts(r_.trend.counts, b.trend.counts);
  // Caseload: per caseworker, open cases by category and what is due per clock (each engine
  // sizes a caseworker's clocks to the same profile's clocks).
  AddCountsByKey(r_.caseload.open, b.caseload.open);
  for (const auto& [caseworker, due] : b.caseload.due) {
    auto [it, added] = r_.caseload.due.try_emplace(caseworker, due);
    if (!added) {
      AddCounts(it->second.overdue, due.overdue);
      AddCounts(it->second.due_soon, due.due_soon);
    }
  }
  // Lead times: day histograms, from which the quantiles are taken at Finish, and the passive
  // adults.
  AddCounts(r_.lead_times.days, b.lead_times.days);
  AddCounts(r_.lead_times.passive, b.lead_times.passive);
  AddCounts(r_.indicators.counts, b.indicators.counts);
  AddCounts(r_.indicators.am_steps, b.indicators.am_steps);
  AddCounts(r_.indicators.recorded, b.indicators.recorded);
  AddCountsByKey(r_.indicators.views_by_unit, b.indicators.views_by_unit);
  AddCounts(r_.indicators.rating_steps, b.indicators.rating_steps);
  return true;
}

void ReportEngine::AddSnapshot(const PersonHistory& p) {
  const Day at = r_.options.at;
  const PeriodRecord* period = p.PeriodOn(at);
  if (period == nullptr) return;
  const int age = r_.options.age.Index(p.AgeOn(at));
  const int duration = r_.options.duration.Index(p.MonthsOnAssistance(at));
  r_.snapshot.At(CatIndex(p.CategoryOn(at)), SexIndex(GroupOf(p.sex)), age, duration) += 1;
}

void ReportEngine::AddMovements(const PersonHistory& p, SexGroup sex) {
  const Day from = r_.options.from, to = r_.options.to;
  int row = -1;
  if (p.PeriodOn(from) != nullptr) {
    row = CatIndex(p.CategoryOn(from));
  } else {
    for (const PeriodRecord& period : p.periods) {
      if (period.start > from && period.start <= to) {
        row = kMovementEntrantsRow;
        break;
      }
    }
  }
  if (row < 0) return;  // not on assistance during the period
  int column = -1;
  if (p.PeriodOn(to) != nullptr) {
    column = CatIndex(p.CategoryOn(to));
  } else {
    // The last period that ended within the period gives the exit reason. (`end` is the
    // first day without assistance, so an exit on `to` itself is end == to + 1.)
    const PeriodRecord* last = nullptr;
    for (const PeriodRecord& period : p.periods) {
      if (period.end != kNoDay && period.end > from && period.end <= to + 1 &&
          (last == nullptr || period.end >= last->end)) {
        last = &period;
      }
    }
    column = MovementExitColumn(last != nullptr ? last->exit : ExitReason::kUnspecified);
  }
  r_.movements.counts[static_cast<size_t>(SexIndex(sex))][static_cast<size_t>(row)]
                     [static_cast<size_t>(column)] += 1;
}

void ReportEngine::AddKas(const PersonHistory& p, SexGroup sex) {
  KasReport& kas = r_.kas;
  for (const InterventionRecord& i : p.interventions) {
    if (i.end == kNoDay || i.end < r_.options.from || i.end > r_.options.to) continue;
    if (!InKasScope(r_.options, i)) {
      ++kas.out_of_scope;
      continue;
    }
    // The need at entry: the category effective on the start day. A follow-up that ends the
    // intervention and recategorises on the same day changes the category from the end day
    // on, which is output, not input.
    const int category = CatIndex(p.CategoryOn(i.start));
    const int age = r_.options.age.Index(p.AgeOn(i.start));
    const int time = r_.options.kas_time.Index(i.end < i.start ? 0 : CompletedMonths(i.start, i.end));
    int outcome = static_cast<int>(i.outcome);
    if (outcome < 0 || outcome >= kKasOutcomeCount) outcome = 0;  // not recorded
    // One slot stays free for the overflow key.
    const bool known = kas.by_kind.count(i.kind) != 0;
    const std::string& kind = known || kas.by_kind.size() + 1 < kMaxKasKinds ? i.kind : kOtherKindsKey();
    auto [it, added] = kas.by_kind.try_emplace(kind);
    if (added) it->second.assign(kas.Size(), 0);
    it->second[kas.Index(category, SexIndex(sex), age, time, outcome)] += 1;
  }
}

void ReportEngine::AddOutcomes(const PersonHistory& p, SexGroup sex) {
  OutcomesReport& out = r_.outcomes;
  for (const InterventionRecord& i : p.interventions) {
    if (i.end == kNoDay || i.end < r_.options.from || i.end > r_.options.to) continue;
    const Day horizon = DayFromDate(core::calendar::AddMonths(DateFromDay(i.end), r_.options.self_support_months));
    bool self_support = false;
    for (const PeriodRecord& period : p.periods) {
      if (period.end == kNoDay) continue;
      const Day last_day = period.end - 1;  // periods are [start, end)
      if ((period.exit == ExitReason::kWork || period.exit == ExitReason::kStudies) && last_day >= i.start &&
          last_day <= horizon) {
        self_support = true;
      }
    }
    const int time = r_.options.kas_time.Index(i.end < i.start ? 0 : CompletedMonths(i.start, i.end));
    int outcome = static_cast<int>(i.outcome);
    if (outcome < 0 || outcome >= kKasOutcomeCount) outcome = 0;
    const ReportCategory at_start = p.CategoryOn(i.start);
    if (at_start == ReportCategory::kAm1 || at_start == ReportCategory::kAm2 || at_start == ReportCategory::kAm3) {
      out.targets[static_cast<size_t>(SexIndex(sex))][static_cast<size_t>(CatIndex(at_start))][WorkOrStudies(outcome) ? 0 : 1] += 1;
    }
    std::pair<std::string, int> key{i.kind, CatIndex(at_start)};
    // Bounded like KAS: beyond the limit, further kinds are counted together.
    if (out.cells.count(key) == 0 && out.cells.size() + kReportCategoryCount >= kMaxKasKinds * kReportCategoryCount) {
      key.first = kKasOtherKinds;
    }
    auto [it, added] = out.cells.try_emplace(std::move(key));
    if (added) it->second.assign(out.Size(), 0);
    it->second[out.Index(SexIndex(sex), self_support ? 0 : 1, time, outcome)] += 1;
  }
}

void ReportEngine::AddEquality(const PersonHistory& p, SexGroup sex) {
  // Per category: bit 0 any intervention, bit 1 work-oriented, bit 2 rehabilitative.
  std::array<uint8_t, kReportCategoryCount> seen{};
  for (const InterventionRecord& i : p.interventions) {
    if (i.start < r_.options.from || i.start > r_.options.to) continue;
    uint8_t& bits = seen[static_cast<size_t>(CatIndex(p.CategoryOn(i.start)))];
    bits |= 1;
    if (i.orientation == Orientation::kWork) bits |= 2;
    if (i.orientation == Orientation::kRehabilitative) bits |= 4;
  }
  const auto s = static_cast<size_t>(SexIndex(sex));
  for (size_t c = 0; c < seen.size(); ++c) {
    if (seen[c] == 0) continue;
    EqualityCounts& e = r_.equality.interventions[c][s];
    e.persons += 1;
    e.work += (seen[c] >> 1) & 1;
    e.rehabilitative += (seen[c] >> 2) & 1;
  }
  if (p.PeriodOn(r_.options.to) != nullptr) {
    const ReportCategory c = p.CategoryOn(r_.options.to);
    if (IncludesAm(c) || IncludesRh(c)) {
      r_.equality.categorised[s] += 1;
      r_.equality.with_rh[s] += IncludesRh(c) ? 1 : 0;
    }
  }
}

void ReportEngine::AddCaseload(const PersonHistory& p) {
  const Day at = r_.options.at;
  if (p.PeriodOn(at) == nullptr) return;
  const Assignment* a = p.AssignmentOn(at);
  const std::string& caseworker = a == nullptr ? std::string() : a->caseworker;
  auto& row = r_.caseload.open[caseworker];
  row[static_cast<size_t>(CatIndex(p.CategoryOn(at)))] += 1;

  // The person's case as the process clocks see it.
  clocks::CaseClockInput input;
  input.caseworker = caseworker;
  input.assistance = p.AssistancePeriods();
  if (!p.categorisations.empty() && p.categorisations.front().day <= at) {
    input.first_visit_on = DateFromDay(p.categorisations.front().day);
  }
  if (!p.interventions.empty() && p.interventions.front().start <= at) {
    input.action_plan_on = DateFromDay(p.interventions.front().start);
  }
  clocks::PersonClockInput adult;
  for (const InterventionRecord& i : p.interventions) {
    adult.interventions.push_back({DateFromDay(i.start), i.end == kNoDay ? std::nullopt : std::optional(DateFromDay(i.end))});
  }
  if (const CategorisationRecord* c = p.CategorisationOn(at)) {
    core::Category category;
    category.am_level = c->am;
    for (int k = 0; k < 3; ++k) {
      if (c->r_mask & (1 << k)) category.r_kinds.push_back(static_cast<core::RKind>(k + 1));
    }
    category.further_investigation = c->further_investigation;
    adult.category = category;
    adult.categorised_on = DateFromDay(c->day);
  }
  input.adults.push_back(std::move(adult));
  const Date today = DateFromDay(at);
  const Date soon = DateFromDay(at + r_.options.due_soon_days);
  const std::vector<std::string>& names = r_.caseload.clock_names;
  DueCounts& due = r_.caseload.due[caseworker];
  due.overdue.resize(names.size());
  due.due_soon.resize(names.size());
  for (const clocks::DueItem& item : clocks::DueItems(input, r_.options.clocks, today)) {
    const auto k = static_cast<size_t>(std::find(names.begin(), names.end(), item.clock) - names.begin());
    if (k == names.size()) continue;
    if (item.status == clocks::DueStatus::kOverdue) {
      due.overdue[k] += 1;
    } else if (item.status != clocks::DueStatus::kDone && !(soon < item.due_on)) {
      due.due_soon[k] += 1;
    }
  }
}

void ReportEngine::AddTrend(const PersonHistory& p, SexGroup sex) {
  if (p.periods.empty()) return;
  const auto& ends = r_.trend.month_ends;
  for (const PeriodRecord& period : p.periods) {
    // Month ends inside [start, end): a contiguous range, found by binary search.
    auto first = std::lower_bound(ends.begin(), ends.end(), period.start);
    auto last = period.end == kNoDay ? ends.end() : std::lower_bound(first, ends.end(), period.end);
    for (auto it = first; it != last; ++it) {
      r_.trend.counts[static_cast<size_t>(it - ends.begin())][static_cast<size_t>(SexIndex(sex))] += 1;
    }
  }
}

namespace {
// One first visit's chain (docs/statistics.md, "lead-times"): each step the first milestone of
// its kind on or after the previous step and before the next first visit; kNoDay when missing
// (and every later step then too). `plan_after_visit`: the first plan on or after the visit
// whatever the decision (the plan indicator's).
struct VisitChain {
  Day visit = kNoDay, next = kNoDay, application = kNoDay, decision = kNoDay, plan = kNoDay,
      plan_after_visit = kNoDay;
};

// Calls visit(chain) for each distinct first-visit day of `m` (sorted by day).
template <typename Visit>
void ForEachChain(const std::vector<MilestoneRecord>& m, Visit&& visit) {
  Day last_visit = kNoDay;
  for (size_t k = 0; k < m.size(); ++k) {
    // A first visit recorded twice on one day is one first visit.
    if (m[k].milestone != Milestone::kFirstVisit || m[k].day == last_visit) continue;
    VisitChain c;
    c.visit = last_visit = m[k].day;
    for (size_t j = k + 1; j < m.size(); ++j) {
      if (m[j].milestone == Milestone::kFirstVisit && m[j].day > c.visit) {
        c.next = m[j].day;
        break;
      }
    }
    auto first = [&](Milestone kind, Day after) {
      if (after == kNoDay) return kNoDay;
      for (const MilestoneRecord& r : m) {
        if (r.milestone == kind && r.day >= after && r.day < c.next) return r.day;
      }
      return kNoDay;
    };
    c.application = first(Milestone::kCompleteApplication, c.visit);
    c.decision = first(Milestone::kDecision, c.application);
    c.plan = first(Milestone::kPlan, c.decision);
    c.plan_after_visit = first(Milestone::kPlan, c.visit);
    visit(c);
  }
}
}  // namespace

void ReportEngine::AddLeadTimes(const PersonHistory& p, SexGroup sex) {
  LeadTimesReport& lt = r_.lead_times;
  const Day from = r_.options.from, to = r_.options.to;
  const int s = SexIndex(sex);
  auto count = [&](LeadStep step, int category, Day earlier, Day later) {
    if (later < from || later > to) return;
    const int days = std::clamp(later - earlier, 0, kMaxLeadDays);
    lt.days[LeadTimesReport::Offset(static_cast<int>(step), category, s) + static_cast<size_t>(days)] += 1;
  };
  // The chain of each first visit, up to the next first visit.
  ForEachChain(p.milestones, [&](const VisitChain& c) {
    auto first_intervention = [&](Day after) {
      Day first = kNoDay;
      for (const InterventionRecord& i : p.interventions) {
        if (after != kNoDay && i.start >= after && i.start < c.next) first = std::min(first, i.start);
      }
      return first;
    };
    const int category = CatIndex(p.CategoryOn(c.visit));
    const std::pair<LeadStep, std::pair<Day, Day>> steps[] = {
        {LeadStep::kVisitToIntervention, {c.visit, first_intervention(c.visit)}},
        {LeadStep::kVisitToApplication, {c.visit, c.application}},
        {LeadStep::kApplicationToDecision, {c.application, c.decision}},
        {LeadStep::kDecisionToPlan, {c.decision, c.plan}},
        {LeadStep::kPlanToIntervention, {c.plan, first_intervention(c.plan)}}};
    for (const auto& [step, days] : steps) {
      if (days.first != kNoDay && days.second != kNoDay) count(step, category, days.first, days.second);
    }
  });
  // Gaps between interventions (sorted by start): each against the ones that started strictly
  // before it, so interventions starting on the same day are treated alike whatever their order.
  const std::vector<InterventionRecord>& ivs = p.interventions;
  Day latest_end = 0;
  bool any_before = false, open_before = false;
  for (size_t i = 0; i < ivs.size();) {
    size_t j = i;
    while (j < ivs.size() && ivs[j].start == ivs[i].start) ++j;
    const Day start = ivs[i].start;
    const PeriodRecord* period = any_before && !open_before ? p.PeriodOn(latest_end) : nullptr;
    if (period != nullptr && period == p.PeriodOn(start)) {
      const Day gap = start > latest_end ? start - latest_end - 1 : 0;
      for (size_t k = i; k < j; ++k) count(LeadStep::kInterventionGap, CatIndex(p.CategoryOn(start)), start - gap, start);
    }
    for (size_t k = i; k < j; ++k) {
      if (ivs[k].end == kNoDay) open_before = true;
      else latest_end = any_before ? std::max(latest_end, ivs[k].end) : ivs[k].end;
      any_before = true;
    }
    i = j;
  }
  // Passive AM2/AM3 adults on `to`.
  const PeriodRecord* period = p.PeriodOn(to);
  if (period == nullptr) return;
  const ReportCategory category = p.CategoryOn(to);
  if (category != ReportCategory::kAm2 && category != ReportCategory::kAm3) return;
  const int row = category == ReportCategory::kAm2 ? 0 : 1;
  Day passive_from = period->start;
  bool active = false;
  for (const InterventionRecord& iv : p.interventions) {
    if (iv.start > to) continue;
    if (iv.end == kNoDay || iv.end >= to) active = true;
    else passive_from = std::max(passive_from, iv.end + 1);
  }
  const int column = active ? 0 : (to - passive_from + 1 > r_.options.passive_days ? 2 : 1);
  lt.passive[static_cast<size_t>(s)][static_cast<size_t>(row)][static_cast<size_t>(column)] += 1;
}

namespace {
// The profile's clock that starts and stops at these events, if on.
const clocks::ClockDefinition* ClockFor(const clocks::Clocks& all, clocks::StartEvent start, clocks::DoneEvent done) {
  for (const clocks::ClockDefinition& c : all) {
    if (c.on && c.start == start && c.done == done) return &c;
  }
  return nullptr;
}

// The clock's deadline from `day`; kNoDay outside the calendar's range.
Day DeadlineOf(const clocks::ClockDefinition& clock, Day day) {
  const Date date = DateFromDay(day);
  if (!core::calendar::InSupportedRange(date)) return kNoDay;
  const Date due = clock.DueFrom(date);
  return core::calendar::InSupportedRange(due) ? DayFromDate(due) : kNoDay;
}
}  // namespace

void ReportEngine::AddIndicators(const PersonHistory& p, SexGroup sex) {
  IndicatorsReport& ind = r_.indicators;
  const Day from = r_.options.from, to = r_.options.to;
  auto& counts = ind.counts[static_cast<size_t>(SexIndex(sex))];
  auto tally = [&](Indicator i, bool met) { counts[static_cast<size_t>(i)][met ? 0 : 1] += 1; };
  auto in_period = [&](Day d) { return d != kNoDay && d >= from && d <= to; };
  const clocks::ClockDefinition* decision_clock =
      ClockFor(r_.options.clocks, clocks::StartEvent::kApplicationComplete, clocks::DoneEvent::kDecided);
  const clocks::ClockDefinition* plan_clock =
      ClockFor(r_.options.clocks, clocks::StartEvent::kFirstVisit, clocks::DoneEvent::kActionPlan);
  ForEachChain(p.milestones, [&](const VisitChain& c) {
    if (in_period(c.visit)) {
      bool assessed = false;
      for (const CategorisationRecord& cat : p.categorisations) {
        assessed = assessed || (cat.day >= c.visit && cat.day - c.visit <= r_.options.assessed_within_days);
      }
      tally(Indicator::kFirstVisitAssessed, assessed);
    }
    if (plan_clock != nullptr) {
      const Day deadline = DeadlineOf(*plan_clock, c.visit);
      if (in_period(deadline)) tally(Indicator::kPlanInTime, c.plan_after_visit != kNoDay && c.plan_after_visit <= deadline);
    }
    if (decision_clock != nullptr && c.application != kNoDay) {
      const Day deadline = DeadlineOf(*decision_clock, c.application);
      if (in_period(deadline)) tally(Indicator::kDecisionInTime, c.decision != kNoDay && c.decision <= deadline);
    }
  });
  if (!p.categorisations.empty()) {
    const Day first = p.categorisations.front().day;
    const Day until = DayFromDate(core::calendar::AddMonths(DateFromDay(first), r_.options.recategorisation_months));
    if (in_period(until)) {
      const ReportCategory at_first = p.CategoryOn(first);
      bool changed = false;
      for (const CategorisationRecord& c : p.categorisations) {
        changed = changed || (c.day > first && c.day <= until && c.Category() != at_first);
      }
      tally(Indicator::kRecategorised, changed);
    }
  }
  const auto x = static_cast<size_t>(SexIndex(sex));
  auto note_recorded = [&](RecordedFact f, bool recorded) {
    ind.recorded[x][static_cast<size_t>(f)][recorded ? 0 : 1] += 1;
  };
  if (!p.categorisations.empty() && in_period(p.categorisations.front().day)) {
    const CategorisationRecord& first = p.categorisations.front();
    note_recorded(RecordedFact::kFormParts, first.parts >= 0);
    if (first.parts >= 0) tally(Indicator::kPartsCompleted, (first.parts & 3) == 3);
  }
  const CategorisationRecord* rated = nullptr;  // the previous day's ratings
  for (size_t i = 0; i < p.categorisations.size(); ++i) {
    const CategorisationRecord& c = p.categorisations[i];
    if (in_period(c.day)) {
      note_recorded(RecordedFact::kViews, c.views >= 0);
      if (c.views >= 0) {
        const Assignment* a = p.AssignmentOn(c.day);
        auto& row = ind.views_by_unit[a != nullptr ? a->unit : std::string()][x];
        row[(c.views & kClientAssessed) != 0 ? 0 : 1] += 1;
        if ((c.views & kCaseworkerAssessed) != 0 && (c.views & kClientAssessed) != 0) {
          row[(c.views & kViewsDiffer) != 0 ? 3 : 2] += 1;
        }
      }
    }
    // Ratings: the last event of a day, as the category in force at the end of it.
    if (i + 1 < p.categorisations.size() && p.categorisations[i + 1].day == c.day) continue;
    if (in_period(c.day)) note_recorded(RecordedFact::kAmRatings, c.ratings >= 0);
    if (c.ratings < 0) continue;
    if (rated != nullptr && in_period(c.day)) {
      for (int k = 0; k < kAmRatingCount; ++k) {
        const int before = rated->Rating(k), after = c.Rating(k);
        if (before == 0 || after == 0) continue;
        ind.rating_steps[x][static_cast<size_t>(k)][after < before ? 0 : after == before ? 1 : 2] += 1;
      }
    }
    rated = &c;
  }
  // Steps on the AM scale between consecutive assessment days (the category in force at the end
  // of each day).
  const CategorisationRecord* earlier = nullptr;
  for (size_t i = 0; i < p.categorisations.size(); ++i) {
    if (i + 1 < p.categorisations.size() && p.categorisations[i + 1].day == p.categorisations[i].day) continue;
    const CategorisationRecord& c = p.categorisations[i];
    if (c.am == AmLevel::kNone) {
      earlier = nullptr;  // no AM level: nothing to step from
      continue;
    }
    if (earlier != nullptr && in_period(c.day)) {
      const int a = static_cast<int>(earlier->am), b = static_cast<int>(c.am);
      ind.am_steps[static_cast<size_t>(SexIndex(sex))][static_cast<size_t>(a - 1)][b < a ? 0 : b == a ? 1 : 2] += 1;
    }
    earlier = &c;
  }
}

std::vector<EqualityFlag> EqualityFlags(const EqualityReport& report, double threshold_pp) {
  std::vector<EqualityFlag> flags;
  const auto w = static_cast<size_t>(SexGroup::kWomen), m = static_cast<size_t>(SexGroup::kMen);
  auto consider = [&](const char* measure, int category, int64_t wc, int64_t wb, int64_t mc,
                      int64_t mb) {
    if (wb == 0 || mb == 0) return;  // nothing to compare
    EqualityFlag f{measure, category, wc, wb, mc, mb, 100.0 * static_cast<double>(wc) / static_cast<double>(wb),
                   100.0 * static_cast<double>(mc) / static_cast<double>(mb), 0};
    f.difference_pp = f.women_pct - f.men_pct;
    if (std::fabs(f.difference_pp) > threshold_pp) flags.push_back(f);
  };
  for (int c = 0; c < kReportCategoryCount; ++c) {
    const auto& women = report.interventions[static_cast<size_t>(c)][w];
    const auto& men = report.interventions[static_cast<size_t>(c)][m];
    consider("work_oriented_share", c, women.work, women.persons, men.work, men.persons);
    consider("rehabilitative_share", c, women.rehabilitative, women.persons, men.rehabilitative,
             men.persons);
  }
  consider("rh_share", -1, report.with_rh[w], report.categorised[w], report.with_rh[m],
           report.categorised[m]);
  return flags;
}

Reports ReportEngine::Finish() {
  r_.equality.flags = EqualityFlags(r_.equality, r_.options.equality_threshold_pp);
  return std::move(r_);
}

}  // namespace ix::statistics
