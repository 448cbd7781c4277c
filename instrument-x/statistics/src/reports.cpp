#include <ix/statistics/reports.hpp>

#include <ix/core/calendar/calendar.hpp>

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
  if (at_ok) {
    AddSnapshot(p);
    AddCaseload(p);
  }
  if (period_ok) {
    AddMovements(p, sex);
    AddKas(p, sex);
    AddOutcomes(p, sex);
    AddEquality(p, sex);
    AddTrend(p, sex);
  }
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
    std::pair<std::string, int> key{i.kind, CatIndex(p.CategoryOn(i.start))};
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
