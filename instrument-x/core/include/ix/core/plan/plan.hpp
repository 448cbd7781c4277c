// The plan (part 3: genomförandeplan) and its follow-up (part 4: uppföljning). Goals are in
// the client's own words; interventions come from a catalogue that is data; follow-ups record
// progress per goal, an outcome (SKR's KAS outcomes) and a new assessment, which the caller
// turns into a categorisation event (see categorisation/assessment.hpp).
#ifndef IX_CORE_PLAN_PLAN_HPP
#define IX_CORE_PLAN_PLAN_HPP

#include <ix/core/categorisation/assessment.hpp>
#include <ix/core/model.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ix::core {

enum class InterventionOrientation { kUnspecified = 0, kWork, kRehabilitative, kStudies };
enum class KasOutcome {
  kUnspecified = 0,
  kUnsubsidisedWork,
  kSubsidisedWork,
  kStudies,
  kCompletedAssignment,
  kReturnedToReferrer,
  kOther,
};

struct InterventionKind {
  std::string code;
  LocalizedText label;
  InterventionOrientation orientation = InterventionOrientation::kUnspecified;
  std::string default_actor;
  LocalizedText description{};       // for the client: what it is and what it is for
  std::vector<std::string> serves{};  // needs: "AM1".."AM3", "R1".."R3", "further_investigation"
};

struct ActorDef {
  std::string code;
  LocalizedText label;
};

struct InterventionCatalogue {
  std::string id;
  std::string version;
  std::vector<InterventionKind> kinds;
  std::vector<ActorDef> actors;
  std::vector<std::string> languages{};  // beyond sv and en
  std::vector<LanguageNote> language_notes{};

  const InterventionKind* FindKind(const std::string& code) const;
  const ActorDef* FindActor(const std::string& code) const;
};

struct SubGoal {
  std::string sub_goal_id;
  std::string text;
};

struct Goal {
  std::string goal_id;
  std::string person_ref;
  std::string text;  // the client's own words
  std::vector<SubGoal> sub_goals;
};

struct PlannedIntervention {
  std::string intervention_id;
  std::string person_ref;
  std::string kind;
  std::string goal_id;
  std::string responsible_actor;
  std::optional<Date> start_date;
  std::optional<Date> end_date;
  KasOutcome outcome = KasOutcome::kUnspecified;
};

struct Plan {
  std::string plan_id;
  std::optional<Date> established_on;
  std::vector<Goal> goals;
  std::vector<PlannedIntervention> interventions;
  std::optional<Date> next_follow_up_on;
};

// Checks a plan against the catalogue and the household's adults and fills in what the
// catalogue implies (the kind's default actor when none is given). Returns every error, each
// naming its field ("plan.interventions[1].kind").
std::vector<Problem> CheckPlan(Plan& plan, const InterventionCatalogue& catalogue,
                                  const std::vector<std::string>& adult_refs);

enum class GoalProgress { kUnspecified = 0, kNotStarted, kInProgress, kAchieved, kNotAchieved };

struct GoalFollowUp {
  std::string goal_id;
  GoalProgress progress = GoalProgress::kUnspecified;
  std::string comment;
};

struct FollowUp {
  std::string follow_up_id;
  std::string person_ref;
  std::optional<Date> date;
  std::vector<GoalFollowUp> goals;
  KasOutcome outcome = KasOutcome::kUnspecified;
  std::vector<std::string> ended_intervention_ids;
  // The new assessment the follow-up makes (at least one of them; see RecordFollowUp).
  std::optional<Assessment> caseworker;
  std::optional<Assessment> client;
  AssessmentFacts facts;  // recorded on its categorisation event
};

// Checks a follow-up against the plan (goals and interventions exist and belong to the
// person) and applies it: each ended intervention gets the follow-up's date as end date (unless
// it ended earlier) and the outcome. Returns every error; on error the plan is unchanged.
std::vector<Problem> ApplyFollowUp(const FollowUp& follow_up, Plan& plan);

}  // namespace ix::core

#endif  // IX_CORE_PLAN_PLAN_HPP
