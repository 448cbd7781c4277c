// categorisation.proto: the embedded data (rule sets, profiles, tables, catalogues), assessments,
// suggestions, clocks, plans, follow-ups and histories.
#include "codec/clock_text.hpp"
#include "codec/codec.hpp"
#include "codec/enum_table.hpp"

#include <ix/core/calendar/calendar.hpp>
#include <ix/core/personnummer.hpp>

namespace ix::plugin {
namespace {


const codec::EnumTable<core::GoverningPolicy, v1::GoverningPolicy> kPolicy{
    core::GoverningPolicy::kCaseworker, v1::GOVERNING_POLICY_UNSPECIFIED,
    {{core::GoverningPolicy::kCaseworker, v1::GOVERNING_POLICY_CASEWORKER},
     {core::GoverningPolicy::kClient, v1::GOVERNING_POLICY_CLIENT}}};

const codec::EnumTable<core::AmLevelPolicy, v1::AmLevelPolicy> kAmLevelPolicy{
    core::AmLevelPolicy::kUnstated, v1::AM_LEVEL_POLICY_UNSPECIFIED,
    {{core::AmLevelPolicy::kSuggest, v1::AM_LEVEL_POLICY_SUGGEST},
     {core::AmLevelPolicy::kWithhold, v1::AM_LEVEL_POLICY_WITHHOLD}}};

const codec::EnumTable<core::GoverningFallback, v1::GoverningFallback> kFallback{
    core::GoverningFallback::kUnstated, v1::GOVERNING_FALLBACK_UNSPECIFIED,
    {{core::GoverningFallback::kOtherView, v1::GOVERNING_FALLBACK_OTHER_VIEW},
     {core::GoverningFallback::kNone, v1::GOVERNING_FALLBACK_NONE}}};

const codec::EnumTable<core::KasOutcome, v1::KasOutcome> kKasOutcome{
    core::KasOutcome::kUnspecified, v1::KAS_OUTCOME_UNSPECIFIED,
    {{core::KasOutcome::kUnsubsidisedWork, v1::KAS_OUTCOME_UNSUBSIDISED_WORK},
     {core::KasOutcome::kSubsidisedWork, v1::KAS_OUTCOME_SUBSIDISED_WORK},
     {core::KasOutcome::kStudies, v1::KAS_OUTCOME_STUDIES},
     {core::KasOutcome::kCompletedAssignment, v1::KAS_OUTCOME_COMPLETED_ASSIGNMENT},
     {core::KasOutcome::kReturnedToReferrer, v1::KAS_OUTCOME_RETURNED_TO_REFERRER},
     {core::KasOutcome::kOther, v1::KAS_OUTCOME_OTHER}}};

const codec::EnumTable<core::InterventionOrientation, v1::InterventionOrientation> kOrientation{
    core::InterventionOrientation::kUnspecified, v1::INTERVENTION_ORIENTATION_UNSPECIFIED,
    {{core::InterventionOrientation::kWork, v1::INTERVENTION_ORIENTATION_WORK},
     {core::InterventionOrientation::kRehabilitative, v1::INTERVENTION_ORIENTATION_REHABILITATIVE},
     {core::InterventionOrientation::kStudies, v1::INTERVENTION_ORIENTATION_STUDIES}}};

const codec::EnumTable<core::GoalProgress, v1::GoalProgress> kGoalProgress{
    core::GoalProgress::kUnspecified, v1::GOAL_PROGRESS_UNSPECIFIED,
    {{core::GoalProgress::kNotStarted, v1::GOAL_PROGRESS_NOT_STARTED},
     {core::GoalProgress::kInProgress, v1::GOAL_PROGRESS_IN_PROGRESS},
     {core::GoalProgress::kAchieved, v1::GOAL_PROGRESS_ACHIEVED},
     {core::GoalProgress::kNotAchieved, v1::GOAL_PROGRESS_NOT_ACHIEVED}}};

const codec::EnumTable<core::MoveDirection, v1::MoveDirection> kDirection{
    core::MoveDirection::kFirst, v1::MOVE_DIRECTION_UNSPECIFIED,
    {{core::MoveDirection::kFirst, v1::MOVE_DIRECTION_FIRST},
     {core::MoveDirection::kProgress, v1::MOVE_DIRECTION_PROGRESS},
     {core::MoveDirection::kSetback, v1::MOVE_DIRECTION_SETBACK},
     {core::MoveDirection::kSameLevel, v1::MOVE_DIRECTION_SAME_LEVEL}}};

const codec::EnumTable<core::clocks::DueStatus, v1::DueStatus> kDueStatus{
    core::clocks::DueStatus::kUpcoming, v1::DUE_STATUS_UNSPECIFIED,
    {{core::clocks::DueStatus::kUpcoming, v1::DUE_STATUS_UPCOMING},
     {core::clocks::DueStatus::kDueToday, v1::DUE_STATUS_DUE_TODAY},
     {core::clocks::DueStatus::kOverdue, v1::DUE_STATUS_OVERDUE},
     {core::clocks::DueStatus::kDone, v1::DUE_STATUS_DONE}}};

}  // namespace

std::optional<core::Date> OptionalDate(const std::string& text, const std::string& field) {
  if (text.empty()) return std::nullopt;
  const std::optional<core::Date> date = core::ParseIsoDate(text);
  if (!date || !core::calendar::InSupportedRange(*date)) {
    throw InvalidField(field, "'" + text + "' is not a real date YYYY-MM-DD within 1970-2100", "invalid_date");
  }
  return date;
}

core::Date RequiredDate(const std::string& text, const std::string& field) {
  if (text.empty()) throw InvalidField(field, "missing (YYYY-MM-DD)", "missing");
  return *OptionalDate(text, field);
}

std::string DateText(const std::optional<core::Date>& date) { return date ? core::FormatIsoDate(*date) : std::string(); }

v1::KasOutcome ToProto(core::KasOutcome in) { return kKasOutcome.ToWire(in); }

v1::InterventionOrientation ToProto(core::InterventionOrientation in) { return kOrientation.ToWire(in); }

// --- data -----------------------------------------------------------------------------------

core::RuleSet FromProto(const v1::RuleSet& in) {
  core::RuleSet out;
  out.id = in.id();
  out.version = in.version();
  for (const v1::AmVariable& v : in.am_variables()) {
    out.am_variables.push_back({v.variable(), v.item_id(), FromProto(v.label())});
  }
  out.rating_min = in.thresholds().rating_min();
  out.rating_far = in.thresholds().rating_far();
  out.am1_max_sum = in.thresholds().am1_max_sum();
  out.am3_min_sum = in.thresholds().am3_min_sum();
  out.am3_min_far_ratings = in.thresholds().am3_min_far_ratings();
  if (in.thresholds().in_depth_min_months() != 0) {
    // The DUR/ASI months are one parameter, the amount of the profile's DUR/ASI clock.
    throw InvalidField("thresholds.in_depth_min_months",
                       std::to_string(in.thresholds().in_depth_min_months()) +
                           ": no longer read; the amount of the profile's DUR/ASI clock (done in_depth_offered) holds the DUR/ASI months",
                       "invalid_rule_set");
  }
  out.work_capacity_item = in.work_capacity_item();
  for (const v1::WorkCapacityCode& c : in.work_capacity_codes()) {
    out.work_capacity_codes.push_back({c.code(), FromProto(c.value())});
  }
  for (int i = 0; i < in.r_triggers_size(); ++i) {
    const v1::RTrigger& t = in.r_triggers(i);
    out.r_triggers.push_back(
        {FromProto(t.kind(), "r_triggers[" + std::to_string(i) + "].kind"), t.item_id(), FromProto(t.label())});
  }
  out.notice = FromProto(in.notice());
  out.languages.assign(in.languages().begin(), in.languages().end());
  out.language_notes = FromProto(in.language_notes());
  // Unspecified stays unstated, and CheckRuleSet refuses it naming the field.
  const v1::RuleChoices& c = in.choices();
  out.choices.work_capacity_none = kAmLevelPolicy.FromWire(c.work_capacity_none());
  out.choices.work_capacity_unclear = kAmLevelPolicy.FromWire(c.work_capacity_unclear());
  out.choices.work_capacity_unanswered = kAmLevelPolicy.FromWire(c.work_capacity_unanswered());
  out.choices.further_investigation_when.assign(c.further_investigation_when().begin(), c.further_investigation_when().end());
  out.choices.governing_missing = kFallback.FromWire(c.governing_missing());
  return out;
}

core::ForsorjningshinderTable FromProto(const v1::ForsorjningshinderTable& in) {
  core::ForsorjningshinderTable out;
  out.id = in.id();
  out.version = in.version();
  out.source = in.source();
  out.fallback_code = in.fallback_code();
  for (const auto& c : in.categories()) out.categories.push_back({c.code(), FromProto(c.label()), c.main_category()});
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
    out.kinds.push_back({k.code(), FromProto(k.label()), kOrientation.FromWire(k.orientation()), k.default_actor(),
                         FromProto(k.description()), {k.serves().begin(), k.serves().end()}});
  }
  for (const auto& a : in.actors()) out.actors.push_back({a.code(), FromProto(a.label())});
  out.languages.assign(in.languages().begin(), in.languages().end());
  out.language_notes = FromProto(in.language_notes());
  return out;
}

core::MunicipalityProfile FromProto(const v1::MunicipalityProfile& in, const std::string& field) {
  core::MunicipalityProfile out;
  out.id = in.id();
  out.version = in.version();
  out.title = FromProto(in.title());
  out.municipality_codes.assign(in.municipality_codes().begin(), in.municipality_codes().end());
  out.governing = kPolicy.FromWire(in.governing());
  // The clocks as written, then compiled: every unknown name or out-of-range value is refused
  // naming the field and the value (core::clocks::CompileClocks).
  core::clocks::CompiledClocks compiled = core::clocks::CompileClocks(ClockTextsOf(in), field + ".process_clocks");
  if (!compiled.problems.empty()) throw Rejected(std::move(compiled.problems));
  out.clocks = std::move(compiled.clocks);
  out.rule_set_id = in.rule_set_id();
  out.rule_set_version = in.rule_set_version();
  out.is_default = in.is_default();
  out.am_module = in.am_module();
  return out;
}

// --- assessments and suggestions ------------------------------------------------------------

core::Assessment FromProto(const v1::Assessment& in, const std::string& field) {
  core::Assessment out;
  out.view = FromProto(in.view());
  out.category = FromProto(in.category(), field + ".category");
  out.reasoning = in.reasoning();
  out.assessed_by = in.assessed_by();
  out.assessed_on = OptionalDate(in.assessed_on(), field + ".assessed_on");
  return out;
}

void ToProto(const core::Assessment& in, v1::Assessment* out) {
  out->set_view(ToProto(in.view));
  ToProto(in.category, out->mutable_category());
  out->set_reasoning(in.reasoning);
  out->set_assessed_by(in.assessed_by);
  out->set_assessed_on(DateText(in.assessed_on));
}

core::AssessmentOccasion FromProto(const v1::AssessmentRecord& in, const std::string& field) {
  core::AssessmentOccasion out;
  out.occasion_id = in.occasion_id();
  out.person_ref = in.person_ref();
  out.occasion = in.occasion();
  out.effective_date = OptionalDate(in.effective_date(), field + ".effective_date");
  if (in.has_suggestion()) out.suggestion = FromProto(in.suggestion().category(), field + ".suggestion.category");
  if (in.has_caseworker()) out.caseworker = FromProto(in.caseworker(), field + ".caseworker");
  if (in.has_client()) out.client = FromProto(in.client(), field + ".client");
  out.facts = FactsFromProto(in.has_form_parts() ? &in.form_parts() : nullptr,
                             in.has_am_ratings() ? &in.am_ratings() : nullptr, field);
  if (!out.facts.am_ratings && in.has_suggestion()) {
    // The ratings the suggestion was computed from, when it read all six.
    core::AmRatings ratings{};
    int found = 0;
    for (const v1::RatingUsed& r : in.suggestion().explanation().ratings()) {
      const int i = core::AmRatingIndex(r.variable());
      if (i >= 0 && r.value() > 0) {
        ratings[static_cast<size_t>(i)] = r.value();
        ++found;
      }
    }
    if (found > 0) {
      out.facts.am_ratings = ratings;
      if (auto problem = core::CheckAssessmentFacts(out.facts, field + ".suggestion.explanation")) {
        throw Rejected({std::move(*problem)});
      }
    }
  }
  return out;
}

void ToProto(const core::AssessmentOccasion& in, v1::AssessmentRecord* out) {
  out->set_occasion_id(in.occasion_id);
  out->set_person_ref(in.person_ref);
  out->set_occasion(in.occasion);
  out->set_effective_date(DateText(in.effective_date));
  if (in.suggestion) ToProto(*in.suggestion, out->mutable_suggestion()->mutable_category());
  if (in.caseworker) ToProto(*in.caseworker, out->mutable_caseworker());
  if (in.client) ToProto(*in.client, out->mutable_client());
  ToProto(in.facts, in.facts.parts_completed ? out->mutable_form_parts() : nullptr,
          in.facts.am_ratings ? out->mutable_am_ratings() : nullptr);
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
  for (core::FurtherInvestigationReason r : e.further_investigation_reasons) {
    x->add_further_investigation_reasons(std::string(core::FurtherInvestigationReasonCode(r)));
  }
  x->set_months_on_assistance(e.months_on_assistance);
  for (const core::LocalizedText& line : e.lines) ToProto(line, x->add_lines());
}

void ToProto(const core::ForsorjningshinderSuggestion& in, v1::ForsorjningshinderSuggestion* out) {
  out->set_person_ref(in.person_ref);
  out->set_code(in.code);
  ToProto(in.label, out->mutable_label());
  out->set_rule_index(in.rule_index);
  ToProto(in.reason, out->mutable_reason());
}

void ToProto(const core::Governed& in, v1::GoverningResult* out) {
  if (in.effective) ToProto(*in.effective, out->mutable_effective());
  out->set_governing_view(ToProto(in.governing_view));
  out->set_discrepancy(in.discrepancy);
  out->set_fallback_used(in.fallback_used);
  for (const std::string& f : in.discrepancy_fields) out->add_discrepancy_fields(f);
  for (const core::LocalizedText& line : in.lines) ToProto(line, out->add_lines());
}

// --- clocks and the case file ---------------------------------------------------------------

std::vector<core::clocks::AssistancePeriod> FromProto(
    const google::protobuf::RepeatedPtrField<v1::AssistancePeriod>& in, const std::string& field) {
  std::vector<core::clocks::AssistancePeriod> out;
  for (int i = 0; i < in.size(); ++i) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    core::clocks::AssistancePeriod p;
    p.start = RequiredDate(in[i].start_date(), path + ".start_date");
    p.end = OptionalDate(in[i].end_date(), path + ".end_date");
    if (p.end && *p.end < p.start) throw InvalidField(path + ".end_date", "before start_date", "before_start");
    out.push_back(p);
  }
  return out;
}

void ToProto(const core::clocks::DueItem& in, v1::DueItem* out) {
  out->set_clock(in.clock);
  ToProto(in.label, out->mutable_label());
  out->set_household_ref(in.household_ref);
  out->set_caseworker(in.caseworker);
  out->set_person_ref(in.person_ref);
  out->set_started_on(core::FormatIsoDate(in.started_on));
  out->set_due_on(core::FormatIsoDate(in.due_on));
  out->set_status(kDueStatus.ToWire(in.status));
  out->set_done_on(DateText(in.done_on));
  out->set_done_late(in.done_late);
  out->set_days_overdue(in.days_overdue);
  ToProto(in.explanation, out->mutable_explanation());
}

core::CaseFile FromProto(const v1::Case& in, const std::string& field) {
  core::CaseFile out;
  out.household = FromProto(in.household());
  out.caseworker = in.caseworker();
  out.application_complete_on = OptionalDate(in.application_complete_on(), field + ".application_complete_on");
  out.decided_on = OptionalDate(in.decided_on(), field + ".decided_on");
  out.first_visit_on = OptionalDate(in.first_visit_on(), field + ".first_visit_on");
  out.action_plan_on = OptionalDate(in.plan().established_on(), field + ".plan.established_on");
  out.form_sent_on = OptionalDate(in.form_sent_on(), field + ".form_sent_on");
  out.form_returned_on = OptionalDate(in.form_returned_on(), field + ".form_returned_on");
  out.intervention_meeting_on = OptionalDate(in.intervention_meeting_on(), field + ".intervention_meeting_on");
  out.interventions = FromProto(in.plan(), field + ".plan").interventions;
  out.assistance = FromProto(in.assistance(), field + ".assistance");
  out.events = CategorisationEventsFromProto(in.events(), field + ".events");
  for (int i = 0; i < in.in_depth_offers_size(); ++i) {
    const v1::InDepthOffer& o = in.in_depth_offers(i);
    out.in_depth_offers.push_back(
        {o.person_ref(), OptionalDate(o.offered_on(), field + ".in_depth_offers[" + std::to_string(i) + "].offered_on")});
  }
  return out;
}

// --- plan and follow-up ---------------------------------------------------------------------

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
                                 OptionalDate(p.end_date(), path + ".end_date"), kKasOutcome.FromWire(p.outcome())});
  }
  return out;
}

void ToProto(const core::Plan& in, v1::Plan* out) {
  for (int i = 0; i < out->interventions_size() && i < static_cast<int>(in.interventions.size()); ++i) {
    v1::PlannedIntervention* p = out->mutable_interventions(i);
    const core::PlannedIntervention& c = in.interventions[static_cast<size_t>(i)];
    p->set_responsible_actor(c.responsible_actor);
    p->set_end_date(DateText(c.end_date));
    p->set_outcome(kKasOutcome.ToWire(c.outcome));
  }
}

core::FollowUp FromProto(const v1::FollowUp& in, const std::string& field) {
  core::FollowUp out;
  out.follow_up_id = in.follow_up_id();
  out.person_ref = in.person_ref();
  out.date = OptionalDate(in.date(), field + ".date");
  for (const v1::GoalFollowUp& g : in.goals()) {
    out.goals.push_back({g.goal_id(), kGoalProgress.FromWire(g.progress()), g.comment()});
  }
  out.outcome = kKasOutcome.FromWire(in.outcome());
  out.ended_intervention_ids.assign(in.ended_intervention_ids().begin(), in.ended_intervention_ids().end());
  if (in.has_caseworker()) out.caseworker = FromProto(in.caseworker(), field + ".caseworker");
  if (in.has_client()) out.client = FromProto(in.client(), field + ".client");
  out.facts = FactsFromProto(in.has_form_parts() ? &in.form_parts() : nullptr,
                             in.has_am_ratings() ? &in.am_ratings() : nullptr, field);
  return out;
}

void ToProto(const core::PersonHistory& in, v1::PersonHistory* out) {
  out->set_person_ref(in.person_ref);
  for (const core::HistoryEntry& e : in.entries) {
    v1::HistoryEntry* o = out->add_entries();
    o->set_effective_date(core::FormatIsoDate(e.record.effective_date));
    ToProto(e.record.category, o->mutable_category());
    o->set_governing_view(ToProto(e.record.governing_view));
    o->set_occasion(e.record.occasion);
    o->set_event_id(e.record.event_id);
    o->set_direction(kDirection.ToWire(e.direction));
    for (core::RKind r : e.r_added) o->add_r_added(ToProto(r));
    for (core::RKind r : e.r_removed) o->add_r_removed(ToProto(r));
    ToProto(e.line, o->mutable_line());
  }
  out->set_follow_up_recategorisations(in.follow_up_recategorisations);
  if (in.at_date) ToProto(in.at_date->category, out->mutable_category_at_date());
}

}  // namespace ix::plugin
