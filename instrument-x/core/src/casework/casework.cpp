#include <ix/core/casework/casework.hpp>

#include <ix/core/personnummer.hpp>

namespace ix::core {
namespace {

Problem Missing(std::string path, const std::string& en, const std::string& sv) {
  return FieldProblem(std::move(path), "missing", {sv, en});
}

InterventionEvent RecordIntervention(const Household& household, const Person& person, const PlannedIntervention& p,
                                     const InterventionCatalogue& catalogue, bool ended, const Recording& recording) {
  InterventionEvent e;
  // An intervention holds from its start; its end is an event of its own, from the end date.
  const std::optional<Date>& effective = ended && p.end_date ? p.end_date : p.start_date;
  e.header = MakeHeader(household, person, InterventionEventId(household.household_ref, p.person_ref, p.intervention_id, ended),
                        effective.value_or(Date{}), recording);
  e.intervention_id = p.intervention_id;
  e.kind = p.kind;
  if (const InterventionKind* kind = catalogue.FindKind(p.kind)) e.orientation = kind->orientation;
  e.responsible_actor = p.responsible_actor;
  e.start_date = p.start_date;
  e.end_date = p.end_date;
  e.outcome = p.outcome;
  return e;
}

}  // namespace

CaseSuggestion SuggestForCase(const RuleSet& rules, const ProfileRules& profile,
                              const ForsorjningshinderTable& table, const Response& response,
                              const std::vector<clocks::AssistancePeriod>& assistance, const Date& as_of) {
  CaseSuggestion out;
  out.months_on_assistance = clocks::OnAssistance(assistance, as_of).whole_months;
  SuggestResult result = Suggest(rules, profile, response, out.months_on_assistance);
  if (!result.problems.empty()) {
    out.problems = std::move(result.problems);
    return out;
  }
  out.suggestions = std::move(result.suggestions);
  out.forsorjningshinder = SuggestForsorjningshinder(table, response, as_of);
  return out;
}

GovernedOccasion GovernOccasion(const Household& household, const AssessmentOccasion& occasion,
                                GoverningPolicy policy, GoverningFallback fallback, const Recording& recording,
                                const std::string& path) {
  GovernedOccasion out;
  if (auto problem = CheckAdult(household, occasion.person_ref, path + ".person_ref")) {
    out.problems.push_back(std::move(*problem));
  }
  if (occasion.occasion_id.empty()) out.problems.push_back(Missing(path + ".occasion_id", "missing", "saknas"));
  if (occasion.occasion.empty()) {
    out.problems.push_back(Missing(path + ".occasion", "missing (first_visit, follow_up or recategorisation)",
                                   "saknas (first_visit, follow_up eller recategorisation)"));
  }
  if (!occasion.effective_date) {
    out.problems.push_back(Missing(path + ".effective_date", "missing (YYYY-MM-DD)", "saknas (ÅÅÅÅ-MM-DD)"));
  }
  if (auto problem = CheckAssessmentFacts(occasion.facts, path)) out.problems.push_back(std::move(*problem));
  if (!out.problems.empty()) return out;
  out.governed = Govern(occasion.caseworker, occasion.client, policy, fallback, occasion.suggestion);
  if (out.governed.effective) {
    const Person& person = *FindPerson(household, occasion.person_ref);
    CategorisationEvent& e = out.event.emplace();
    e.header = MakeHeader(household, person,
                          CategorisationEventId(household.household_ref, occasion.person_ref, occasion.occasion_id),
                          *occasion.effective_date, recording);
    e.category = *out.governed.effective;
    e.governing_view = out.governed.governing_view;
    e.occasion = occasion.occasion;
    e.facts = occasion.facts;
    if (occasion.caseworker) e.caseworker_view = occasion.caseworker->category;
    if (occasion.client) e.client_view = occasion.client->category;
  }
  return out;
}

PlanOutcome EstablishPlan(const Household& household, Plan plan, const InterventionCatalogue& catalogue,
                          const Recording& recording) {
  PlanOutcome out;
  out.problems = CheckPlan(plan, catalogue, AdultRefs(household));
  if (!out.problems.empty()) return out;
  for (const PlannedIntervention& p : plan.interventions) {
    out.events.push_back(RecordIntervention(household, *FindPerson(household, p.person_ref), p, catalogue, false,
                                            recording));
  }
  const std::string goals = std::to_string(plan.goals.size());
  const std::string interventions = std::to_string(plan.interventions.size());
  const std::string from = catalogue.id + "@" + catalogue.version;
  out.summary = {"Plan " + plan.plan_id + ": " + goals + " mål, " + interventions + " insats(er) ur katalogen " + from + ".",
                 "Plan " + plan.plan_id + ": " + goals + " goal(s), " + interventions +
                     " intervention(s) from catalogue " + from + "."};
  out.plan = std::move(plan);
  return out;
}

FollowUpOutcome RecordFollowUp(const Household& household, Plan plan, const FollowUp& follow_up,
                               GoverningPolicy policy, GoverningFallback fallback, const InterventionCatalogue& catalogue,
                               const Recording& recording) {
  FollowUpOutcome out;
  if (auto problem = CheckAdult(household, follow_up.person_ref, "follow_up.person_ref")) {
    out.problems.push_back(std::move(*problem));
    return out;
  }
  out.problems = ApplyFollowUp(follow_up, plan);
  if (!out.problems.empty()) return out;
  if (!follow_up.caseworker && !follow_up.client) {
    out.problems.push_back(Missing("follow_up", "a follow-up needs a new assessment (caseworker and/or client)",
                                   "en uppföljning behöver en ny bedömning (handläggarens och/eller klientens)"));
    return out;
  }
  AssessmentOccasion& record = out.record;
  record.occasion_id = follow_up.follow_up_id;
  record.person_ref = follow_up.person_ref;
  record.occasion = "follow_up";
  record.effective_date = follow_up.date;
  record.caseworker = follow_up.caseworker;
  if (record.caseworker) record.caseworker->view = AssessmentView::kCaseworker;
  record.client = follow_up.client;
  if (record.client) record.client->view = AssessmentView::kClient;
  record.facts = follow_up.facts;
  out.governed = GovernOccasion(household, record, policy, fallback, recording, "follow_up");
  if (!out.governed.problems.empty()) {
    out.problems = out.governed.problems;
    return out;
  }
  const Person& person = *FindPerson(household, follow_up.person_ref);
  for (const std::string& id : follow_up.ended_intervention_ids) {
    for (const PlannedIntervention& p : plan.interventions) {
      if (p.intervention_id == id) out.ended.push_back(RecordIntervention(household, person, p, catalogue, true, recording));
    }
  }
  out.lines = out.governed.governed.lines;
  out.plan = std::move(plan);
  return out;
}

HistoryOutcome BuildHistories(const Household& household, const std::vector<CategorisationEvent>& events,
                              const std::string& person_ref, const Date& at) {
  HistoryOutcome out;
  if (!person_ref.empty()) {
    if (auto problem = CheckAdult(household, person_ref, "person_ref")) {
      out.problems.push_back(std::move(*problem));
      return out;
    }
  }
  auto records = RecordsByPerson(household, events);
  for (const std::string& ref : AdultRefs(household)) {
    if (!person_ref.empty() && ref != person_ref) continue;
    PersonHistory& h = out.persons.emplace_back();
    h.person_ref = ref;
    const std::vector<CategorisationRecord>& mine = records[ref];
    h.entries = BuildHistory(mine);
    for (const HistoryEntry& e : h.entries) {
      if (e.record.occasion == "follow_up") ++h.follow_up_recategorisations;
    }
    h.at_date = CategoryAt(mine, at);
  }
  return out;
}

std::optional<Date> InDepthOfferedOn(const std::vector<InDepthOffer>& offers, const std::string& person_ref,
                                     const Date& as_of) {
  std::optional<Date> latest;
  for (const InDepthOffer& o : offers) {
    if (o.person_ref != person_ref || !o.offered_on || as_of < *o.offered_on) continue;
    if (!latest || *latest < *o.offered_on) latest = o.offered_on;
  }
  return latest;
}

clocks::CaseClockInput ClockInputOf(const CaseFile& file, const MunicipalityProfile& profile, const Date& as_of) {
  clocks::CaseClockInput in;
  in.household_ref = file.household.household_ref;
  in.caseworker = file.caseworker;
  in.application_complete_on = file.application_complete_on;
  in.decided_on = file.decided_on;
  in.first_visit_on = file.first_visit_on;
  in.action_plan_on = file.action_plan_on;
  in.form_sent_on = file.form_sent_on;
  in.form_returned_on = file.form_returned_on;
  in.intervention_meeting_on = file.intervention_meeting_on;
  in.assistance = file.assistance;
  in.clocks = profile.clocks;
  auto records = RecordsByPerson(file.household, file.events);
  for (const std::string& ref : AdultRefs(file.household)) {
    clocks::PersonClockInput p;
    p.person_ref = ref;
    if (const auto now = CategoryAt(records[ref], as_of)) {
      p.category = now->category;
      p.categorised_on = now->effective_date;
    }
    p.in_depth_offered_on = InDepthOfferedOn(file.in_depth_offers, ref, as_of);
    for (const PlannedIntervention& i : file.interventions) {
      if (i.person_ref == ref) p.interventions.push_back({i.start_date, i.end_date});
    }
    in.adults.push_back(std::move(p));
  }
  return in;
}

std::vector<clocks::DueItem> CaseloadOf(const std::vector<ProfiledCase>& cases, const Date& as_of,
                                        std::string_view caseworker, bool include_done) {
  std::vector<clocks::CaseClockInput> inputs;
  for (const ProfiledCase& c : cases) inputs.push_back(ClockInputOf(c.file, c.profile, as_of));
  // Each input carries its profile's clocks, so the call's own are never used.
  return clocks::Caseload(inputs, clocks::Clocks{}, as_of, caseworker, include_done);
}

}  // namespace ix::core
