#include <ix/core/plan/plan.hpp>

#include <algorithm>
#include <set>

namespace ix::core {
namespace {

Problem Error(std::string field, std::string code, std::string en, std::string sv) {
  return FieldProblem(std::move(field), std::move(code), {std::move(sv), std::move(en)});
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

const InterventionKind* InterventionCatalogue::FindKind(const std::string& code) const {
  for (const InterventionKind& k : kinds) {
    if (k.code == code) return &k;
  }
  return nullptr;
}

const ActorDef* InterventionCatalogue::FindActor(const std::string& code) const {
  for (const ActorDef& a : actors) {
    if (a.code == code) return &a;
  }
  return nullptr;
}

std::vector<Problem> CheckPlan(Plan& plan, const InterventionCatalogue& catalogue,
                                  const std::vector<std::string>& adult_refs) {
  std::vector<Problem> errors;
  if (plan.plan_id.empty()) errors.push_back(Error("plan.plan_id", "missing", "missing", "saknas"));
  if (!plan.established_on) errors.push_back(Error("plan.established_on", "missing", "missing (YYYY-MM-DD)", "saknas (ÅÅÅÅ-MM-DD)"));
  std::set<std::string> goal_ids;
  for (size_t i = 0; i < plan.goals.size(); ++i) {
    const Goal& g = plan.goals[i];
    const std::string path = "plan.goals[" + std::to_string(i) + "]";
    if (g.goal_id.empty()) errors.push_back(Error(path + ".goal_id", "missing", "missing", "saknas"));
    if (!goal_ids.insert(g.goal_id).second) {
      errors.push_back(Error(path + ".goal_id", "repeated", "'" + g.goal_id + "' repeated", "'" + g.goal_id + "' upprepas"));
    }
    if (!Contains(adult_refs, g.person_ref)) {
      errors.push_back(Error(path + ".person_ref", "not_an_adult", "'" + g.person_ref + "' is not an adult of the household",
                             "'" + g.person_ref + "' är inte en vuxen i hushållet"));
    }
    if (g.text.empty()) {
      errors.push_back(Error(path + ".text", "missing", "missing: the goal in the client's own words",
                             "saknas: målet med klientens egna ord"));
    }
  }
  std::set<std::string> intervention_ids;
  for (size_t i = 0; i < plan.interventions.size(); ++i) {
    PlannedIntervention& in = plan.interventions[i];
    const std::string path = "plan.interventions[" + std::to_string(i) + "]";
    if (in.intervention_id.empty()) errors.push_back(Error(path + ".intervention_id", "missing", "missing", "saknas"));
    if (!intervention_ids.insert(in.intervention_id).second) {
      errors.push_back(Error(path + ".intervention_id", "repeated", "'" + in.intervention_id + "' repeated",
                             "'" + in.intervention_id + "' upprepas"));
    }
    if (!Contains(adult_refs, in.person_ref)) {
      errors.push_back(Error(path + ".person_ref", "not_an_adult", "'" + in.person_ref + "' is not an adult of the household",
                             "'" + in.person_ref + "' är inte en vuxen i hushållet"));
    }
    const InterventionKind* kind = catalogue.FindKind(in.kind);
    if (kind == nullptr) {
      std::string known;
      for (const InterventionKind& k : catalogue.kinds) known += (known.empty() ? "" : ", ") + k.code;
      errors.push_back(Error(path + ".kind", "unknown_kind", "'" + in.kind + "' is not in catalogue " + catalogue.id + " (known: " + known + ")",
                             "'" + in.kind + "' finns inte i katalogen " + catalogue.id + " (kända: " + known + ")"));
    } else if (in.responsible_actor.empty()) {
      in.responsible_actor = kind->default_actor;
    }
    if (!in.responsible_actor.empty() && catalogue.FindActor(in.responsible_actor) == nullptr) {
      errors.push_back(Error(path + ".responsible_actor", "unknown_actor", "'" + in.responsible_actor + "' is not a known actor",
                             "'" + in.responsible_actor + "' är ingen känd aktör"));
    }
    if (!in.goal_id.empty() && !goal_ids.contains(in.goal_id)) {
      errors.push_back(Error(path + ".goal_id", "unknown_goal", "'" + in.goal_id + "' is not a goal of the plan",
                             "'" + in.goal_id + "' är inget mål i planen"));
    }
    if (!in.start_date) errors.push_back(Error(path + ".start_date", "missing", "missing (YYYY-MM-DD)", "saknas (ÅÅÅÅ-MM-DD)"));
    if (in.start_date && in.end_date && *in.end_date < *in.start_date) {
      errors.push_back(Error(path + ".end_date", "before_start", "before start_date", "före start_date"));
    }
  }
  return errors;
}

std::vector<Problem> ApplyFollowUp(const FollowUp& follow_up, Plan& plan) {
  std::vector<Problem> errors;
  if (follow_up.follow_up_id.empty()) errors.push_back(Error("follow_up.follow_up_id", "missing", "missing", "saknas"));
  if (!follow_up.date) errors.push_back(Error("follow_up.date", "missing", "missing (YYYY-MM-DD)", "saknas (ÅÅÅÅ-MM-DD)"));
  for (size_t i = 0; i < follow_up.goals.size(); ++i) {
    const std::string& id = follow_up.goals[i].goal_id;
    auto goal = std::find_if(plan.goals.begin(), plan.goals.end(), [&](const Goal& g) { return g.goal_id == id; });
    const std::string path = "follow_up.goals[" + std::to_string(i) + "].goal_id";
    if (goal == plan.goals.end()) {
      errors.push_back(Error(path, "unknown_goal", "'" + id + "' is not a goal of the plan", "'" + id + "' är inget mål i planen"));
    } else if (goal->person_ref != follow_up.person_ref) {
      errors.push_back(Error(path, "another_persons", "'" + id + "' belongs to another person", "'" + id + "' hör till en annan person"));
    }
  }
  std::vector<PlannedIntervention*> ended;
  for (size_t i = 0; i < follow_up.ended_intervention_ids.size(); ++i) {
    const std::string& id = follow_up.ended_intervention_ids[i];
    auto in = std::find_if(plan.interventions.begin(), plan.interventions.end(),
                           [&](const PlannedIntervention& p) { return p.intervention_id == id; });
    const std::string path = "follow_up.ended_intervention_ids[" + std::to_string(i) + "]";
    if (in == plan.interventions.end()) {
      errors.push_back(Error(path, "unknown_intervention", "'" + id + "' is not an intervention of the plan",
                             "'" + id + "' är ingen insats i planen"));
    } else if (in->person_ref != follow_up.person_ref) {
      errors.push_back(Error(path, "another_persons", "'" + id + "' belongs to another person", "'" + id + "' hör till en annan person"));
    } else if (follow_up.date && in->start_date && *follow_up.date < *in->start_date) {
      errors.push_back(Error(path, "starts_after_follow_up", "'" + id + "' starts after the follow-up", "'" + id + "' börjar efter uppföljningen"));
    } else {
      ended.push_back(&*in);
    }
  }
  if (!ended.empty() && follow_up.outcome == KasOutcome::kUnspecified) {
    errors.push_back(Error("follow_up.outcome", "required", "required when interventions end", "krävs när insatser avslutas"));
  }
  if (!errors.empty()) return errors;
  for (PlannedIntervention* in : ended) {
    if (!in->end_date || *follow_up.date < *in->end_date) in->end_date = follow_up.date;
    in->outcome = follow_up.outcome;
  }
  return errors;
}

}  // namespace ix::core
