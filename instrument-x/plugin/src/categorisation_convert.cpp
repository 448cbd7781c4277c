#include "categorisation_convert.hpp"

#include <ix/core/calendar/calendar.hpp>
#include <ix/core/personnummer.hpp>

namespace ix::plugin {
namespace {

core::LocalizedText Text(const v1::LocalizedText& in) { return {in.sv(), in.en()}; }
void Text(const core::LocalizedText& in, v1::LocalizedText* out) {
  out->set_sv(in.sv);
  out->set_en(in.en);
}

core::RKind RKindFromProto(v1::RKind in, const std::string& field) {
  switch (in) {
    case v1::R_KIND_R1_PHYSICAL: return core::RKind::kR1Physical;
    case v1::R_KIND_R2_MENTAL: return core::RKind::kR2Mental;
    case v1::R_KIND_R3_SUBSTANCE: return core::RKind::kR3Substance;
    default: break;
  }
  throw FieldException(field, "expected R_KIND_R1_PHYSICAL, R_KIND_R2_MENTAL or R_KIND_R3_SUBSTANCE");
}

core::WorkCapacity WorkCapacityFromProto(v1::WorkCapacity in) {
  switch (in) {
    case v1::WORK_CAPACITY_FULL: return core::WorkCapacity::kFull;
    case v1::WORK_CAPACITY_REDUCED: return core::WorkCapacity::kReduced;
    case v1::WORK_CAPACITY_NONE: return core::WorkCapacity::kNone;
    case v1::WORK_CAPACITY_UNCLEAR: return core::WorkCapacity::kUnclear;
    default: return core::WorkCapacity::kUnspecified;
  }
}

v1::WorkCapacity ToProto(core::WorkCapacity in) {
  switch (in) {
    case core::WorkCapacity::kFull: return v1::WORK_CAPACITY_FULL;
    case core::WorkCapacity::kReduced: return v1::WORK_CAPACITY_REDUCED;
    case core::WorkCapacity::kNone: return v1::WORK_CAPACITY_NONE;
    case core::WorkCapacity::kUnclear: return v1::WORK_CAPACITY_UNCLEAR;
    case core::WorkCapacity::kUnspecified: break;
  }
  return v1::WORK_CAPACITY_UNSPECIFIED;
}

core::KasOutcome KasFromProto(v1::KasOutcome in) {
  switch (in) {
    case v1::KAS_OUTCOME_UNSUBSIDISED_WORK: return core::KasOutcome::kUnsubsidisedWork;
    case v1::KAS_OUTCOME_SUBSIDISED_WORK: return core::KasOutcome::kSubsidisedWork;
    case v1::KAS_OUTCOME_STUDIES: return core::KasOutcome::kStudies;
    case v1::KAS_OUTCOME_COMPLETED_ASSIGNMENT: return core::KasOutcome::kCompletedAssignment;
    case v1::KAS_OUTCOME_RETURNED_TO_REFERRER: return core::KasOutcome::kReturnedToReferrer;
    case v1::KAS_OUTCOME_OTHER: return core::KasOutcome::kOther;
    default: return core::KasOutcome::kUnspecified;
  }
}

core::InterventionOrientation OrientationFromProto(v1::InterventionOrientation in) {
  switch (in) {
    case v1::INTERVENTION_ORIENTATION_WORK: return core::InterventionOrientation::kWork;
    case v1::INTERVENTION_ORIENTATION_REHABILITATIVE: return core::InterventionOrientation::kRehabilitative;
    case v1::INTERVENTION_ORIENTATION_STUDIES: return core::InterventionOrientation::kStudies;
    default: return core::InterventionOrientation::kUnspecified;
  }
}

core::GoalProgress ProgressFromProto(v1::GoalProgress in) {
  switch (in) {
    case v1::GOAL_PROGRESS_NOT_STARTED: return core::GoalProgress::kNotStarted;
    case v1::GOAL_PROGRESS_IN_PROGRESS: return core::GoalProgress::kInProgress;
    case v1::GOAL_PROGRESS_ACHIEVED: return core::GoalProgress::kAchieved;
    case v1::GOAL_PROGRESS_NOT_ACHIEVED: return core::GoalProgress::kNotAchieved;
    default: return core::GoalProgress::kUnspecified;
  }
}

}  // namespace

std::optional<core::Date> OptionalDate(const std::string& text, const std::string& field) {
  if (text.empty()) return std::nullopt;
  const std::optional<core::Date> date = core::ParseIsoDate(text);
  if (!date || !core::calendar::InSupportedRange(*date)) {
    throw FieldException(field, "'" + text + "' is not a real date YYYY-MM-DD within 1970-2100");
  }
  return date;
}

core::Date RequiredDate(const std::string& text, const std::string& field) {
  if (text.empty()) throw FieldException(field, "missing (YYYY-MM-DD)");
  return *OptionalDate(text, field);
}

std::string DateText(const std::optional<core::Date>& date) {
  return date ? core::FormatIsoDate(*date) : std::string();
}

core::RuleSet FromProto(const v1::RuleSet& in) {
  core::RuleSet out;
  out.id = in.id();
  out.version = in.version();
  for (const v1::AmVariable& v : in.am_variables()) out.am_variables.push_back({v.variable(), v.item_id(), Text(v.label())});
  out.rating_min = in.thresholds().rating_min();
  out.rating_far = in.thresholds().rating_far();
  out.am1_max_sum = in.thresholds().am1_max_sum();
  out.am3_min_sum = in.thresholds().am3_min_sum();
  out.am3_min_far_ratings = in.thresholds().am3_min_far_ratings();
  out.in_depth_min_months = in.thresholds().in_depth_min_months();
  out.work_capacity_item = in.work_capacity_item();
  for (const v1::WorkCapacityCode& c : in.work_capacity_codes()) {
    out.work_capacity_codes.push_back({c.code(), WorkCapacityFromProto(c.value())});
  }
  for (int i = 0; i < in.r_triggers_size(); ++i) {
    const v1::RTrigger& t = in.r_triggers(i);
    out.r_triggers.push_back({RKindFromProto(t.kind(), "r_triggers[" + std::to_string(i) + "].kind"), t.item_id(),
                              Text(t.label())});
  }
  return out;
}

core::ForsorjningshinderTable FromProto(const v1::ForsorjningshinderTable& in) {
  core::ForsorjningshinderTable out;
  out.id = in.id();
  out.version = in.version();
  out.source = in.source();
  out.fallback_code = in.fallback_code();
  for (const auto& c : in.categories()) out.categories.push_back({c.code(), Text(c.label()), c.main_category()});
  for (const auto& r : in.rules()) {
    core::ForsorjningshinderRule rule;
    rule.code = r.code();
    if (r.has_min_age()) rule.min_age = r.min_age();
    if (r.has_max_age()) rule.max_age = r.max_age();
    for (const auto& c : r.all()) {
      core::AnswerCondition condition;
      condition.item_id = c.item_id();
      condition.any_of_codes.assign(c.any_of_codes().begin(), c.any_of_codes().end());
      if (c.has_boolean()) condition.boolean = c.boolean();
      condition.unanswered = c.unanswered();
      rule.all.push_back(std::move(condition));
    }
    out.rules.push_back(std::move(rule));
  }
  return out;
}

core::InterventionCatalogue FromProto(const v1::InterventionCatalogue& in) {
  core::InterventionCatalogue out;
  out.id = in.id();
  out.version = in.version();
  for (const auto& k : in.kinds()) {
    out.kinds.push_back({k.code(), Text(k.label()), OrientationFromProto(k.orientation()), k.default_actor()});
  }
  for (const auto& a : in.actors()) out.actors.push_back({a.code(), Text(a.label())});
  return out;
}

core::clocks::ClockParameters FromProto(const v1::ClockParameters& in) {
  core::clocks::ClockParameters out;
  out.decision_working_days = in.decision_working_days();
  out.action_plan_months = in.action_plan_months();
  out.am1_review_months = in.am1_review_months();
  out.in_depth_offer_months = in.in_depth_offer_months();
  out.in_depth_offer_only_am3_or_rh = in.in_depth_offer_only_am3_or_rh();
  return out;
}

core::GoverningPolicy FromProto(v1::GoverningPolicy in) {
  return in == v1::GOVERNING_POLICY_CLIENT ? core::GoverningPolicy::kClient : core::GoverningPolicy::kCaseworker;
}

v1::AmLevel ToProto(core::AmLevel in) {
  switch (in) {
    case core::AmLevel::kAm1: return v1::AM_LEVEL_AM1;
    case core::AmLevel::kAm2: return v1::AM_LEVEL_AM2;
    case core::AmLevel::kAm3: return v1::AM_LEVEL_AM3;
    case core::AmLevel::kNone: break;
  }
  return v1::AM_LEVEL_UNSPECIFIED;
}

v1::RKind ToProto(core::RKind in) {
  switch (in) {
    case core::RKind::kR1Physical: return v1::R_KIND_R1_PHYSICAL;
    case core::RKind::kR2Mental: return v1::R_KIND_R2_MENTAL;
    case core::RKind::kR3Substance: return v1::R_KIND_R3_SUBSTANCE;
  }
  return v1::R_KIND_UNSPECIFIED;
}

v1::AssessmentView ToProto(core::AssessmentView in) {
  switch (in) {
    case core::AssessmentView::kSuggestion: return v1::ASSESSMENT_VIEW_SUGGESTION;
    case core::AssessmentView::kCaseworker: return v1::ASSESSMENT_VIEW_CASEWORKER;
    case core::AssessmentView::kClient: return v1::ASSESSMENT_VIEW_CLIENT;
    case core::AssessmentView::kUnspecified: break;
  }
  return v1::ASSESSMENT_VIEW_UNSPECIFIED;
}

core::AssessmentView FromProto(v1::AssessmentView in) {
  switch (in) {
    case v1::ASSESSMENT_VIEW_SUGGESTION: return core::AssessmentView::kSuggestion;
    case v1::ASSESSMENT_VIEW_CASEWORKER: return core::AssessmentView::kCaseworker;
    case v1::ASSESSMENT_VIEW_CLIENT: return core::AssessmentView::kClient;
    default: return core::AssessmentView::kUnspecified;
  }
}

core::Category FromProto(const v1::Category& in, const std::string& field) {
  core::Category out;
  switch (in.am_level()) {
    case v1::AM_LEVEL_UNSPECIFIED: out.am_level = core::AmLevel::kNone; break;
    case v1::AM_LEVEL_AM1: out.am_level = core::AmLevel::kAm1; break;
    case v1::AM_LEVEL_AM2: out.am_level = core::AmLevel::kAm2; break;
    case v1::AM_LEVEL_AM3: out.am_level = core::AmLevel::kAm3; break;
    default: throw FieldException(field + ".am_level", "unknown value " + std::to_string(in.am_level()));
  }
  for (int i = 0; i < in.r_kinds_size(); ++i) {
    out.r_kinds.push_back(RKindFromProto(in.r_kinds(i), field + ".r_kinds[" + std::to_string(i) + "]"));
  }
  out.further_investigation = in.further_investigation();
  out.work_capacity = WorkCapacityFromProto(in.work_capacity());
  core::Normalize(out);
  return out;
}

void ToProto(const core::Category& in, v1::Category* out) {
  out->set_am_level(ToProto(in.am_level));
  out->clear_r_kinds();
  for (core::RKind r : in.r_kinds) out->add_r_kinds(ToProto(r));
  out->set_further_investigation(in.further_investigation);
  out->set_work_capacity(ToProto(in.work_capacity));
}

core::Assessment FromProto(const v1::Assessment& in, const std::string& field) {
  core::Assessment out;
  out.view = FromProto(in.view());
  out.category = FromProto(in.category(), field + ".category");
  out.reasoning = in.reasoning();
  out.assessed_by = in.assessed_by();
  out.assessed_on = OptionalDate(in.assessed_on(), field + ".assessed_on");
  return out;
}

void ToProto(const core::Suggestion& in, v1::Suggestion* out) {
  out->set_person_ref(in.person_ref);
  ToProto(in.category, out->mutable_category());
  out->set_offer_in_depth_assessment(in.offer_in_depth_assessment);
  const core::Explanation& e = in.explanation;
  v1::Explanation* x = out->mutable_explanation();
  x->set_rule_set_id(e.rule_set_id);
  x->set_rule_set_version(e.rule_set_version);
  for (const core::RatingUsed& r : e.ratings) {
    v1::RatingUsed* used = x->add_ratings();
    used->set_variable(r.variable);
    used->set_item_id(r.item_id);
    used->set_value(r.value.value_or(0));
  }
  if (e.sum) x->set_sum(*e.sum);
  x->set_far_ratings(e.far_ratings);
  for (const std::string& m : e.missing_ratings) x->add_missing_ratings(m);
  x->set_am_rule(std::string(core::AmRuleCode(e.am_rule)));
  x->set_work_capacity_code(e.work_capacity_code);
  for (const core::FiredTrigger& f : e.r_triggers) {
    v1::FiredTrigger* t = x->add_r_triggers();
    t->set_kind(ToProto(f.kind));
    t->set_item_id(f.item_id);
  }
  for (const std::string& r : e.further_investigation_reasons) x->add_further_investigation_reasons(r);
  x->set_months_on_assistance(e.months_on_assistance);
  for (const core::LocalizedText& line : e.lines) Text(line, x->add_lines());
}

void ToProto(const core::Governed& in, v1::GoverningResult* out) {
  if (in.effective) ToProto(*in.effective, out->mutable_effective());
  out->set_governing_view(ToProto(in.governing_view));
  out->set_discrepancy(in.discrepancy);
  for (const std::string& f : in.discrepancy_fields) out->add_discrepancy_fields(f);
  for (const core::LocalizedText& line : in.lines) Text(line, out->add_lines());
}

std::vector<core::clocks::AssistancePeriod> FromProto(
    const google::protobuf::RepeatedPtrField<v1::AssistancePeriod>& in, const std::string& field) {
  std::vector<core::clocks::AssistancePeriod> out;
  for (int i = 0; i < in.size(); ++i) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    core::clocks::AssistancePeriod p;
    p.start = RequiredDate(in[i].start_date(), path + ".start_date");
    p.end = OptionalDate(in[i].end_date(), path + ".end_date");
    if (p.end && *p.end < p.start) throw FieldException(path + ".end_date", "before start_date");
    out.push_back(p);
  }
  return out;
}

void ToProto(const core::clocks::DueItem& in, v1::DueItem* out) {
  out->set_clock(std::string(core::clocks::ClockKindCode(in.kind)));
  out->set_household_ref(in.household_ref);
  out->set_caseworker(in.caseworker);
  out->set_person_ref(in.person_ref);
  out->set_started_on(core::FormatIsoDate(in.started_on));
  out->set_due_on(core::FormatIsoDate(in.due_on));
  switch (in.status) {
    case core::clocks::DueStatus::kUpcoming: out->set_status(v1::DUE_STATUS_UPCOMING); break;
    case core::clocks::DueStatus::kDueToday: out->set_status(v1::DUE_STATUS_DUE_TODAY); break;
    case core::clocks::DueStatus::kOverdue: out->set_status(v1::DUE_STATUS_OVERDUE); break;
    case core::clocks::DueStatus::kDone: out->set_status(v1::DUE_STATUS_DONE); break;
  }
  out->set_done_on(DateText(in.done_on));
  out->set_done_late(in.done_late);
  out->set_days_overdue(in.days_overdue);
  Text(in.explanation, out->mutable_explanation());
}

core::Plan FromProto(const v1::Plan& in, const std::string& field) {
  core::Plan out;
  out.plan_id = in.plan_id();
  out.established_on = OptionalDate(in.established_on(), field + ".established_on");
  out.next_follow_up_on = OptionalDate(in.next_follow_up_on(), field + ".next_follow_up_on");
  for (const v1::Goal& g : in.goals()) {
    core::Goal goal{g.goal_id(), g.person_ref(), g.text(), {}};
    for (const v1::SubGoal& s : g.sub_goals()) goal.sub_goals.push_back({s.sub_goal_id(), s.text()});
    out.goals.push_back(std::move(goal));
  }
  for (int i = 0; i < in.interventions_size(); ++i) {
    const v1::PlannedIntervention& p = in.interventions(i);
    const std::string path = field + ".interventions[" + std::to_string(i) + "]";
    out.interventions.push_back({p.intervention_id(), p.person_ref(), p.kind(), p.goal_id(), p.responsible_actor(),
                                 OptionalDate(p.start_date(), path + ".start_date"),
                                 OptionalDate(p.end_date(), path + ".end_date"), KasFromProto(p.outcome())});
  }
  return out;
}

void ToProto(const core::Plan& in, v1::Plan* out) {
  // Goals keep their proto form; only what the core fills in is written back.
  for (int i = 0; i < out->interventions_size() && i < static_cast<int>(in.interventions.size()); ++i) {
    v1::PlannedIntervention* p = out->mutable_interventions(i);
    const core::PlannedIntervention& c = in.interventions[static_cast<size_t>(i)];
    p->set_responsible_actor(c.responsible_actor);
    p->set_end_date(DateText(c.end_date));
    p->set_outcome(ToProto(c.outcome));
  }
}

core::FollowUp FromProto(const v1::FollowUp& in, const std::string& field) {
  core::FollowUp out;
  out.follow_up_id = in.follow_up_id();
  out.person_ref = in.person_ref();
  out.date = OptionalDate(in.date(), field + ".date");
  for (const v1::GoalFollowUp& g : in.goals()) out.goals.push_back({g.goal_id(), ProgressFromProto(g.progress()), g.comment()});
  out.outcome = KasFromProto(in.outcome());
  out.ended_intervention_ids.assign(in.ended_intervention_ids().begin(), in.ended_intervention_ids().end());
  return out;
}

v1::KasOutcome ToProto(core::KasOutcome in) {
  switch (in) {
    case core::KasOutcome::kUnsubsidisedWork: return v1::KAS_OUTCOME_UNSUBSIDISED_WORK;
    case core::KasOutcome::kSubsidisedWork: return v1::KAS_OUTCOME_SUBSIDISED_WORK;
    case core::KasOutcome::kStudies: return v1::KAS_OUTCOME_STUDIES;
    case core::KasOutcome::kCompletedAssignment: return v1::KAS_OUTCOME_COMPLETED_ASSIGNMENT;
    case core::KasOutcome::kReturnedToReferrer: return v1::KAS_OUTCOME_RETURNED_TO_REFERRER;
    case core::KasOutcome::kOther: return v1::KAS_OUTCOME_OTHER;
    case core::KasOutcome::kUnspecified: break;
  }
  return v1::KAS_OUTCOME_UNSPECIFIED;
}

v1::InterventionOrientation ToProto(core::InterventionOrientation in) {
  switch (in) {
    case core::InterventionOrientation::kWork: return v1::INTERVENTION_ORIENTATION_WORK;
    case core::InterventionOrientation::kRehabilitative: return v1::INTERVENTION_ORIENTATION_REHABILITATIVE;
    case core::InterventionOrientation::kStudies: return v1::INTERVENTION_ORIENTATION_STUDIES;
    case core::InterventionOrientation::kUnspecified: break;
  }
  return v1::INTERVENTION_ORIENTATION_UNSPECIFIED;
}

}  // namespace ix::plugin
