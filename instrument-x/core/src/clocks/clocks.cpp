#include <ix/core/clocks/clocks.hpp>

#include <ix/core/calendar/calendar.hpp>
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

std::string_view ClockKindCode(ClockKind kind) {
  switch (kind) {
    case ClockKind::kDecision: return "decision";
    case ClockKind::kActionPlan: return "action_plan";
    case ClockKind::kAm1Review: return "am1_review";
    case ClockKind::kInDepthOffer: return "in_depth_offer";
  }
  return "";
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

std::vector<DueItem> DueItems(const CaseClockInput& input, const ClockParameters& call_parameters,
                              const Date& as_of) {
  const ClockParameters& parameters = input.parameters ? *input.parameters : call_parameters;
  std::vector<DueItem> items;
  auto add = [&](ClockKind kind, const std::string& person_ref, const Date& started,
                 const Date& due, std::optional<Date> done_on, LocalizedText explanation) {
    DueItem item;
    item.kind = kind;
    item.household_ref = input.household_ref;
    item.caseworker = input.caseworker;
    item.person_ref = person_ref;
    item.started_on = started;
    item.due_on = due;
    item.explanation = std::move(explanation);
    SetStatus(item, as_of, done_on);
    items.push_back(std::move(item));
  };

  if (input.application_complete_on) {
    const Date start = *input.application_complete_on;
    const int n = parameters.decision_working_days;
    std::optional<Date> done = input.decided_on;
    if (done && *done < start) done.reset();  // a decision before completeness is an older one
    add(ClockKind::kDecision, "", start, calendar::AddWorkingDays(start, n), done,
        {"Beslut senast " + std::to_string(n) + " arbetsdagar efter komplett ansökan (" +
             Iso(start) + ")",
         "Decision due " + std::to_string(n) + " Swedish working days after the application "
             "became complete (" + Iso(start) + ")"});
  }
  if (input.first_visit_on) {
    const Date start = *input.first_visit_on;
    const int n = parameters.action_plan_months;
    add(ClockKind::kActionPlan, "", start, AddMonths(start, n), input.action_plan_on,
        {"Handlingsplan senast " + std::to_string(n) + " månader efter nybesöket (" + Iso(start) + ")",
         "Action plan due " + std::to_string(n) + " months after the first visit (" + Iso(start) + ")"});
  }
  const bool receiving = ReceivingAssistanceOn(input.assistance, as_of);
  const TimeOnAssistance time = OnAssistance(input.assistance, as_of);
  const InDepthOfferRule& in_depth = parameters.in_depth_offer;
  for (const PersonClockInput& adult : input.adults) {
    if (adult.category && adult.category->am_level == AmLevel::kAm1 && adult.categorised_on && receiving) {
      const Date start = *adult.categorised_on;
      const int n = parameters.am1_review_months;
      add(ClockKind::kAm1Review, adult.person_ref, start, AddMonths(start, n), std::nullopt,
          {"Ny bedömning av AM1 " + std::to_string(n) + " månader efter kategoriseringen (" +
               Iso(start) + ") när hushållet fortfarande har bistånd",
           "AM1 review due " + std::to_string(n) + " months after the categorisation (" +
               Iso(start) + ") while the household still receives assistance"});
    }
    // The offer runs for every adult on assistance; a profile may restrict it to AM3 or RH,
    // and then an adult without a category yet does not qualify.
    const bool eligible = !in_depth.only_am3_or_rh || (adult.category && in_depth.Eligible(*adult.category));
    if (eligible && time.run_start) {
      const int n = in_depth.more_than_months;
      const Date start = *time.run_start;
      const Date due = AddMonths(start, n);  // the first day with more than n whole months
      std::optional<Date> done = adult.in_depth_offered_on;
      if (done && *done < start) done.reset();  // offered during an earlier run
      add(ClockKind::kInDepthOffer, adult.person_ref, start, due, done,
          {"Erbjud fördjupad bedömning (DUR/ASI) när biståndet pågått mer än " + std::to_string(n) +
               " hela månader i följd (sedan " + Iso(start) + ", nu " + std::to_string(time.whole_months) +
               " hela månader)",
           "Offer an in-depth assessment (DUR/ASI) once assistance has lasted more than " + std::to_string(n) +
               " whole months in a row (since " + Iso(start) + ", now " + std::to_string(time.whole_months) +
               " whole months)"});
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const DueItem& a, const DueItem& b) {
    return a.due_on < b.due_on;
  });
  return items;
}

std::vector<DueItem> Caseload(const std::vector<CaseClockInput>& cases,
                              const ClockParameters& parameters, const Date& as_of,
                              std::string_view caseworker, bool include_done) {
  std::vector<DueItem> all;
  for (const CaseClockInput& c : cases) {
    if (!caseworker.empty() && c.caseworker != caseworker) continue;
    for (DueItem& item : DueItems(c, parameters, as_of)) {
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
