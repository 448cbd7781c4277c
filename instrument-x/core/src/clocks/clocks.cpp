#include <ix/core/clocks/clocks.hpp>

#include <ix/core/calendar/calendar.hpp>
#include <ix/core/limits.hpp>
#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <tuple>

namespace ix::core::clocks {
namespace {

using calendar::AddMonths;

void SetStatus(DueItem& item, const Date& as_of, std::optional<Date> done_on) {
  if (done_on) {
    item.status = DueStatus::kDone;
    item.done_on = done_on;
    item.done_late = item.due_on < *done_on;
    item.days_overdue = item.done_late ? calendar::DaysBetween(item.due_on, *done_on) : 0;
  } else if (as_of < item.due_on) {
    item.status = DueStatus::kUpcoming;
  } else if (as_of == item.due_on) {
    item.status = DueStatus::kDueToday;
  } else {
    item.status = DueStatus::kOverdue;
    item.days_overdue = calendar::DaysBetween(item.due_on, as_of);
  }
}

std::string Iso(const Date& d) { return FormatIsoDate(d); }

}  // namespace

TimeOnAssistance OnAssistance(const std::vector<AssistancePeriod>& periods, const Date& on) {
  // Join the periods into runs in start order (one sort, one pass: the input comes from
  // requests, so no quadratic walk), and take the run that holds `on`.
  std::vector<const AssistancePeriod*> sorted;
  sorted.reserve(periods.size());
  for (const AssistancePeriod& p : periods) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(),
            [](const AssistancePeriod* a, const AssistancePeriod* b) { return a->start < b->start; });
  TimeOnAssistance out;
  std::optional<Date> run_start;
  std::optional<Date> run_end;  // run_start set and no run_end: the run is still open
  auto holds_on = [&] { return run_start && !(on < *run_start) && (!run_end || !(*run_end < on)); };
  for (const AssistancePeriod* p : sorted) {
    const bool joins = run_start && (!run_end || !(calendar::AddDays(*run_end, 1) < p->start));
    if (!joins) {
      if (holds_on()) break;
      run_start = p->start;
      run_end = p->end;
    } else if (run_end && (!p->end || *run_end < *p->end)) {
      run_end = p->end;
    }
  }
  if (holds_on()) {
    out.run_start = run_start;
    out.whole_months = calendar::WholeMonths(*run_start, on);
  }
  return out;
}

bool ReceivingAssistanceOn(const std::vector<AssistancePeriod>& periods, const Date& on) {
  return std::any_of(periods.begin(), periods.end(), [&](const AssistancePeriod& p) {
    return !(on < p.start) && (!p.end || !(*p.end < on));
  });
}

std::string_view DueStatusCode(DueStatus status) {
  switch (status) {
    case DueStatus::kUpcoming: return "upcoming";
    case DueStatus::kDueToday: return "due_today";
    case DueStatus::kOverdue: return "overdue";
    case DueStatus::kDone: return "done";
  }
  return "";
}

// --- clocks as data -------------------------------------------------------------------------

namespace {

// One table per code set: the enum, its code in profiles, and how a due item says it.
template <typename E>
struct Code {
  E value;
  std::string_view code;
};

constexpr Code<StartEvent> kStartEvents[] = {
    {StartEvent::kApplicationComplete, "application_complete"}, {StartEvent::kFirstVisit, "first_visit"},
    {StartEvent::kFormSent, "form_sent"},                       {StartEvent::kCategorised, "categorised"},
    {StartEvent::kAssistanceRun, "assistance_run"},             {StartEvent::kInterventionStart, "intervention_start"},
};
constexpr Code<DoneEvent> kDoneEvents[] = {
    {DoneEvent::kNone, "none"},
    {DoneEvent::kDecided, "decided"},
    {DoneEvent::kActionPlan, "action_plan"},
    {DoneEvent::kFormReturned, "form_returned"},
    {DoneEvent::kInterventionMeeting, "intervention_meeting"},
    {DoneEvent::kInDepthOffered, "in_depth_offered"},
    {DoneEvent::kInterventionEnded, "intervention_ended"},
};
constexpr Code<DurationUnit> kUnits[] = {
    {DurationUnit::kWorkingDays, "working_days"}, {DurationUnit::kWeeks, "weeks"}, {DurationUnit::kMonths, "months"}};
constexpr Code<Condition> kConditions[] = {
    {Condition::kOnAssistance, "on_assistance"}, {Condition::kCategoryAm1, "category_am1"},
    {Condition::kCategoryAm2, "category_am2"},   {Condition::kCategoryAm3, "category_am3"},
    {Condition::kCategoryRh, "category_rh"},     {Condition::kCategoryAm3OrRh, "category_am3_or_rh"},
};

template <typename E, size_t N>
std::string_view CodeOf(const Code<E> (&table)[N], E value) {
  for (const Code<E>& c : table) {
    if (c.value == value) return c.code;
  }
  return "";
}

template <typename E, size_t N>
std::optional<E> ValueOf(const Code<E> (&table)[N], std::string_view code) {
  for (const Code<E>& c : table) {
    if (c.code == code) return c.value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string KnownCodes(const Code<E> (&table)[N]) {
  std::string known;
  for (const Code<E>& c : table) known += (known.empty() ? "" : ", ") + std::string(c.code);
  return known;
}

// The value as a message quotes it: bounded, so a hostile profile cannot make a huge message.
std::string Quoted(std::string_view value) {
  constexpr size_t kShown = 60;
  return "'" + std::string(value.substr(0, kShown)) + (value.size() > kShown ? "…'" : "'");
}

// Profiles are written by the project or a licensee's administrator: English is their language.
void Refuse(std::vector<Problem>& problems, const std::string& path, const std::string& what) {
  problems.push_back(FieldProblem(path, "invalid_profile", {what, what}));
}

bool PersonStart(StartEvent e) {
  return e == StartEvent::kCategorised || e == StartEvent::kAssistanceRun || e == StartEvent::kInterventionStart;
}

bool IsCategoryCondition(Condition c) { return c != Condition::kOnAssistance; }

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxClockNameBytes || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

std::string_view StartEventCode(StartEvent event) { return CodeOf(kStartEvents, event); }
std::string_view DoneEventCode(DoneEvent event) { return CodeOf(kDoneEvents, event); }
std::string_view DurationUnitCode(DurationUnit unit) { return CodeOf(kUnits, unit); }
std::string_view ConditionCode(Condition condition) { return CodeOf(kConditions, condition); }

int MaxClockAmount(DurationUnit unit) {
  switch (unit) {
    case DurationUnit::kWorkingDays: return 250;
    case DurationUnit::kWeeks: return 104;
    case DurationUnit::kMonths: return 600;
  }
  return 0;
}

Date ClockDefinition::DueFrom(const Date& start_date) const {
  switch (unit) {
    case DurationUnit::kWorkingDays: return calendar::AddWorkingDays(start_date, amount);
    case DurationUnit::kWeeks: return calendar::AddDays(start_date, 7 * amount);
    case DurationUnit::kMonths: return AddMonths(start_date, amount);
  }
  return start_date;
}

CompiledClocks CompileClocks(const std::vector<ClockText>& texts, const std::string& path) {
  CompiledClocks out;
  std::vector<Problem>& problems = out.problems;
  if (texts.size() > kMaxClocks) {
    problems.push_back(LimitProblem(path, static_cast<int64_t>(texts.size()), kMaxClocks, "clocks", "klockor"));
    return out;  // nothing more is read of a list that long
  }
  int in_depth_clocks = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const ClockText& t = texts[i];
    const std::string at = path + "[" + std::to_string(i) + "]";
    const size_t before = problems.size();
    ClockDefinition c;
    c.name = t.name;
    c.label = t.label;
    if (!ValidName(t.name)) {
      Refuse(problems, at + ".name", Quoted(t.name) + " is not a clock name: 1-" + std::to_string(kMaxClockNameBytes) +
                                         " characters a-z, 0-9 or _, starting with a letter");
    } else {
      for (size_t j = 0; j < i; ++j) {
        if (texts[j].name == t.name) Refuse(problems, at + ".name", Quoted(t.name) + " repeats clocks[" + std::to_string(j) + "]");
      }
    }
    for (const auto& [language, text] : {std::pair{"sv", &t.label.sv}, std::pair{"en", &t.label.en}}) {
      if (text->empty()) Refuse(problems, at + ".label." + language, "missing (every clock has a label in sv and en)");
      if (text->size() > kMaxClockLabelBytes) {
        problems.push_back(LimitProblem(at + ".label." + language, static_cast<int64_t>(text->size()),
                                        kMaxClockLabelBytes, "bytes", "byte"));
      }
    }
    const auto start = ValueOf(kStartEvents, t.start);
    if (!start) Refuse(problems, at + ".start", Quoted(t.start) + " is not a start event (known: " + KnownCodes(kStartEvents) + ")");
    const auto unit = ValueOf(kUnits, t.unit);
    if (!unit) Refuse(problems, at + ".unit", Quoted(t.unit) + " is not a unit (known: " + KnownCodes(kUnits) + ")");
    if (unit && (t.amount < 1 || t.amount > MaxClockAmount(*unit))) {
      Refuse(problems, at + ".amount", std::to_string(t.amount) + ", must be 1-" + std::to_string(MaxClockAmount(*unit)) +
                                           " " + std::string(t.unit));
    }
    if (t.conditions.size() > kMaxClockConditions) {
      problems.push_back(LimitProblem(at + ".conditions", static_cast<int64_t>(t.conditions.size()), kMaxClockConditions,
                                      "conditions", "villkor"));
    } else {
      for (size_t k = 0; k < t.conditions.size(); ++k) {
        const std::string cat = at + ".conditions[" + std::to_string(k) + "]";
        const auto condition = ValueOf(kConditions, t.conditions[k]);
        if (!condition) {
          Refuse(problems, cat, Quoted(t.conditions[k]) + " is not a condition (known: " + KnownCodes(kConditions) + ")");
          continue;
        }
        if (std::find(c.conditions.begin(), c.conditions.end(), *condition) != c.conditions.end()) {
          Refuse(problems, cat, Quoted(t.conditions[k]) + " is stated twice");
          continue;
        }
        if (start && IsCategoryCondition(*condition) && !PersonStart(*start)) {
          Refuse(problems, cat, Quoted(t.conditions[k]) + " needs an adult, and start " + Quoted(t.start) +
                                    " is a household event (use categorised, assistance_run or intervention_start)");
        }
        c.conditions.push_back(*condition);
      }
    }
    const auto done = ValueOf(kDoneEvents, t.done);
    if (!done) {
      Refuse(problems, at + ".done", Quoted(t.done) + " is not a done event (known: " + KnownCodes(kDoneEvents) + ")");
    } else if (start && *done == DoneEvent::kInterventionEnded && *start != StartEvent::kInterventionStart) {
      Refuse(problems, at + ".done", "'intervention_ended' needs start 'intervention_start', not " + Quoted(t.start));
    } else if (start && *done == DoneEvent::kInDepthOffered) {
      ++in_depth_clocks;
      // The suggestions read this clock as their DUR/ASI rule: months of the run, every adult or
      // AM3/RH only. Anything else could not mean the same thing in both places.
      const bool readable = *start == StartEvent::kAssistanceRun && unit == DurationUnit::kMonths &&
                            std::all_of(c.conditions.begin(), c.conditions.end(), [](Condition x) {
                              return x == Condition::kOnAssistance || x == Condition::kCategoryAm3OrRh;
                            });
      if (!readable) {
        Refuse(problems, at + ".done", "'in_depth_offered' (the DUR/ASI offer) needs start 'assistance_run', unit 'months' "
                                       "and no condition but on_assistance or category_am3_or_rh");
      }
      if (in_depth_clocks == 2) Refuse(problems, at + ".done", "a second 'in_depth_offered' clock (one DUR/ASI rule per profile)");
    }
    if (!t.on) Refuse(problems, at + ".on", "missing (state true or false)");
    if (problems.size() != before) continue;
    c.start = *start;
    c.amount = static_cast<int>(t.amount);
    c.unit = *unit;
    c.done = *done;
    c.on = *t.on;
    out.clocks.push_back(std::move(c));
  }
  if (!problems.empty()) out.clocks.clear();
  return out;
}

const Clocks& DefaultProfileClocks() {
  // The build compiled the same text with the same checks (ix-defc, then the plugin's load
  // and the tests); a refusal here would leave the list empty, which a test would catch.
  static const Clocks clocks = CompileClocks(DefaultProfileClockTexts(), "default profile clocks").clocks;
  return clocks;
}

InDepthOfferRule InDepthOfferOf(const Clocks& clocks) {
  InDepthOfferRule rule;
  rule.on = false;
  for (const ClockDefinition& c : clocks) {
    if (c.done != DoneEvent::kInDepthOffered) continue;
    rule.on = c.on;
    rule.more_than_months = c.amount;
    rule.only_am3_or_rh =
        std::find(c.conditions.begin(), c.conditions.end(), Condition::kCategoryAm3OrRh) != c.conditions.end();
  }
  return rule;
}

namespace {

// How a due item reads: "<label>: due <n> <unit> after <start> (<date>)".
LocalizedText UnitText(const ClockDefinition& c) {
  const bool one = c.amount == 1;
  switch (c.unit) {
    case DurationUnit::kWorkingDays: return {one ? "arbetsdag" : "arbetsdagar", one ? "Swedish working day" : "Swedish working days"};
    case DurationUnit::kWeeks: return {one ? "vecka" : "veckor", one ? "week" : "weeks"};
    case DurationUnit::kMonths: return {one ? "månad" : "månader", one ? "month" : "months"};
  }
  return {};
}

LocalizedText StartText(StartEvent e) {
  switch (e) {
    case StartEvent::kApplicationComplete: return {"komplett ansökan", "the application became complete"};
    case StartEvent::kFirstVisit: return {"nybesöket", "the first visit"};
    case StartEvent::kFormSent: return {"att blanketten skickades", "the form was sent"};
    case StartEvent::kCategorised: return {"kategoriseringen", "the categorisation"};
    case StartEvent::kAssistanceRun: return {"att biståndet började", "assistance began"};
    case StartEvent::kInterventionStart: return {"insatsens start", "the intervention started"};
  }
  return {};
}

LocalizedText ConditionText(Condition c) {
  switch (c) {
    case Condition::kOnAssistance: return {"hushållet har bistånd", "the household receives assistance"};
    case Condition::kCategoryAm1: return {"AM1", "AM1"};
    case Condition::kCategoryAm2: return {"AM2", "AM2"};
    case Condition::kCategoryAm3: return {"AM3", "AM3"};
    case Condition::kCategoryRh: return {"RH-behov", "an RH kind"};
    case Condition::kCategoryAm3OrRh: return {"AM3 eller RH-behov", "AM3 or an RH kind"};
  }
  return {};
}

bool Holds(Condition c, bool receiving, const PersonClockInput* adult) {
  if (c == Condition::kOnAssistance) return receiving;
  if (adult == nullptr || !adult->category) return false;
  const Category& k = *adult->category;
  switch (c) {
    case Condition::kOnAssistance: return receiving;
    case Condition::kCategoryAm1: return k.am_level == AmLevel::kAm1;
    case Condition::kCategoryAm2: return k.am_level == AmLevel::kAm2;
    case Condition::kCategoryAm3: return k.am_level == AmLevel::kAm3;
    case Condition::kCategoryRh: return !k.r_kinds.empty();
    case Condition::kCategoryAm3OrRh: return k.am_level == AmLevel::kAm3 || !k.r_kinds.empty();
  }
  return false;
}

}  // namespace

std::vector<DueItem> DueItems(const CaseClockInput& input, const Clocks& call_clocks, const Date& as_of) {
  const Clocks& clocks = input.clocks ? *input.clocks : call_clocks;
  std::vector<DueItem> items;
  const bool receiving = ReceivingAssistanceOn(input.assistance, as_of);
  const TimeOnAssistance time = OnAssistance(input.assistance, as_of);

  // One item of clock `c` started on `started`; `done_on` is the stopping event if any.
  auto add = [&](const ClockDefinition& c, const std::string& person_ref, const Date& started,
                 std::optional<Date> done_on) {
    // A stopping event before the start belongs to an earlier round (an older decision, an
    // offer in an earlier run) — except the plan: the first plan counts whenever it was made.
    if (done_on && *done_on < started && c.done != DoneEvent::kActionPlan) done_on.reset();
    DueItem item;
    item.clock = c.name;
    item.label = c.label;
    item.household_ref = input.household_ref;
    item.caseworker = input.caseworker;
    item.person_ref = person_ref;
    item.started_on = started;
    item.due_on = c.DueFrom(started);
    const LocalizedText unit = UnitText(c);
    const std::string n = std::to_string(c.amount);
    if (c.start == StartEvent::kAssistanceRun && c.unit == DurationUnit::kMonths) {
      // Due on the first day with more than n whole months of the run (whole months counted
      // like an age, clocks::OnAssistance).
      const std::string now = std::to_string(time.whole_months);
      item.explanation = {c.label.sv + ": när biståndet pågått mer än " + n + " hela " + unit.sv + " i följd (sedan " +
                              Iso(started) + ", nu " + now + " hela månader)",
                          c.label.en + ": once assistance has lasted more than " + n + " whole " + unit.en +
                              " in a row (since " + Iso(started) + ", now " + now + " whole months)"};
    } else {
      const LocalizedText from = StartText(c.start);
      item.explanation = {c.label.sv + ": senast " + n + " " + unit.sv + " efter " + from.sv + " (" + Iso(started) + ")",
                          c.label.en + ": due " + n + " " + unit.en + " after " + from.en + " (" + Iso(started) + ")"};
    }
    for (const Condition k : c.conditions) {
      const LocalizedText when = ConditionText(k);
      item.explanation.sv += "; gäller när " + when.sv;
      item.explanation.en += "; applies while " + when.en;
    }
    SetStatus(item, as_of, done_on);
    items.push_back(std::move(item));
  };

  for (const ClockDefinition& c : clocks) {
    if (!c.on) continue;
    const bool person = PersonStart(c.start);
    auto household_done = [&]() -> std::optional<Date> {
      switch (c.done) {
        case DoneEvent::kDecided: return input.decided_on;
        case DoneEvent::kActionPlan: return input.action_plan_on;
        case DoneEvent::kFormReturned: return input.form_returned_on;
        case DoneEvent::kInterventionMeeting: return input.intervention_meeting_on;
        default: return std::nullopt;
      }
    };
    if (!person) {
      if (!std::all_of(c.conditions.begin(), c.conditions.end(), [&](Condition k) { return Holds(k, receiving, nullptr); })) {
        continue;
      }
      std::optional<Date> started;
      if (c.start == StartEvent::kApplicationComplete) started = input.application_complete_on;
      if (c.start == StartEvent::kFirstVisit) started = input.first_visit_on;
      if (c.start == StartEvent::kFormSent) started = input.form_sent_on;
      if (started) add(c, "", *started, household_done());
      continue;
    }
    for (const PersonClockInput& adult : input.adults) {
      if (!std::all_of(c.conditions.begin(), c.conditions.end(), [&](Condition k) { return Holds(k, receiving, &adult); })) {
        continue;
      }
      const std::optional<Date> done = c.done == DoneEvent::kInDepthOffered ? adult.in_depth_offered_on : household_done();
      if (c.start == StartEvent::kCategorised && adult.category && adult.categorised_on) {
        add(c, adult.person_ref, *adult.categorised_on, done);
      } else if (c.start == StartEvent::kAssistanceRun && time.run_start) {
        add(c, adult.person_ref, *time.run_start, done);
      } else if (c.start == StartEvent::kInterventionStart) {
        for (const InterventionSpan& span : adult.interventions) {
          if (!span.start || as_of < *span.start) continue;  // not begun yet: nothing runs
          std::optional<Date> ended = done;
          if (c.done == DoneEvent::kInterventionEnded && span.end && !(as_of < *span.end)) ended = span.end;
          add(c, adult.person_ref, *span.start, ended);
        }
      }
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const DueItem& a, const DueItem& b) {
    return a.due_on < b.due_on;
  });
  return items;
}

std::vector<DueItem> Caseload(const std::vector<CaseClockInput>& cases,
                              const Clocks& clocks, const Date& as_of,
                              std::string_view caseworker, bool include_done) {
  std::vector<DueItem> all;
  for (const CaseClockInput& c : cases) {
    if (!caseworker.empty() && c.caseworker != caseworker) continue;
    for (DueItem& item : DueItems(c, clocks, as_of)) {
      if (item.status == DueStatus::kDone && !include_done) continue;
      all.push_back(std::move(item));
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const DueItem& a, const DueItem& b) {
    const bool a_later = a.status != DueStatus::kOverdue;  // overdue items sort first
    const bool b_later = b.status != DueStatus::kOverdue;
    return std::tie(a_later, a.due_on, a.household_ref, a.person_ref) <
           std::tie(b_later, b.due_on, b.household_ref, b.person_ref);
  });
  return all;
}

}  // namespace ix::core::clocks
