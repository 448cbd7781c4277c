// ixctl follow-up CASE --follow-up FILE: records a follow-up (JSON of ix.v1.FollowUp: progress
// per goal, outcome, ended interventions, a new assessment). The new assessment becomes a
// categorisation event (occasion follow_up) under the profile's governing policy.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "case_file.hpp"

namespace ix::cli {
namespace {

struct FollowUpOptions {
  std::string case_file, follow_up_file, recorded_at;
};

int FollowUpCommand(const Context& ctx, const FollowUpOptions& o) {
  int rc = kExitOk;
  auto c = LoadCase(ctx, o.case_file, &rc);
  if (!c) return rc;
  v1::FollowUpRequest request;
  auto text = ReadFile(o.follow_up_file);
  if (!text.ok()) return ctx.Fail(kExitBadInput, text.status().message());
  if (Status s = ParseJson(*text, o.follow_up_file, request.mutable_follow_up()); !s.ok()) {
    return ctx.Fail(kExitBadInput, s.message());
  }
  *request.mutable_household() = c->household();
  *request.mutable_plan() = c->plan();
  request.set_profile_id(c->profile_id());
  request.set_caseworker(c->caseworker());
  request.set_unit(c->unit());
  request.set_recorded_at(o.recorded_at);
  auto plugin = LoadCategorisation(ctx, &rc);
  if (plugin.table == nullptr) return rc;
  auto response = plugin.session->Call<v1::FollowUpResponse>(plugin.table->follow_up, request);
  if (!response.ok()) return ctx.FailCall(o.follow_up_file, response.status());
  *c->mutable_plan() = response->plan();
  *c->add_follow_ups() = request.follow_up();
  *c->add_assessments() = response->record();
  for (const auto& e : response->events()) *c->add_events() = e;
  if (ctx.global.json) {
    ctx.out << ToJson(*response) << "\n";
  } else {
    const v1::FollowUp& f = request.follow_up();
    ctx.out << "Follow-up " << f.follow_up_id() << " of " << f.person_ref() << " on " << f.date() << ":\n";
    for (const auto& g : f.goals()) {
      ctx.out << "  goal " << g.goal_id() << ": " << v1::GoalProgress_Name(g.progress()) << (g.comment().empty() ? "" : " — " + g.comment()) << "\n";
    }
    if (f.outcome() != v1::KAS_OUTCOME_UNSPECIFIED) ctx.out << "  outcome: " << v1::KasOutcome_Name(f.outcome()) << "\n";
    for (const auto& line : response->lines()) ctx.out << "  - " << ctx.InLanguage(line) << "\n";
    ctx.out << "  " << response->events_size() << " event(s) recorded\n";
  }
  return SaveCase(ctx, o.case_file, *c);
}

}  // namespace

void RegisterFollowUp(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("follow-up", "Record a follow-up (part 4); its new assessment becomes a categorisation event");
  auto o = std::make_shared<FollowUpOptions>();
  cmd->add_option("CASE", o->case_file, "Case file (canonical JSON of ix.v1.Case)")->required();
  cmd->add_option("--follow-up", o->follow_up_file, "The follow-up (canonical JSON of ix.v1.FollowUp)")->required();
  cmd->add_option("--recorded-at", o->recorded_at, "RFC 3339 recording time for the events (default: now)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return FollowUpCommand(ctx, *o); }; });
}

}  // namespace ix::cli
