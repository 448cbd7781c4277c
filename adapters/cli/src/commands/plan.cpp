// ixctl plan CASE --plan FILE: checks the plan (JSON of ix.v1.Plan) against the intervention
// catalogue, stores it in the case with one intervention event per intervention.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "case_file.hpp"

namespace ix::cli {
namespace {

struct PlanOptions {
  std::string case_file, plan_file, recorded_at;
};

int PlanCommand(const Context& ctx, const PlanOptions& o) {
  int rc = kExitOk;
  auto c = LoadCase(ctx, o.case_file, &rc);
  if (!c) return rc;
  v1::PlanRequest request;
  auto text = ReadFile(o.plan_file);
  if (!text.ok()) return ctx.Fail(kExitBadInput, text.status().message());
  if (Status s = ParseJson(*text, o.plan_file, request.mutable_plan()); !s.ok()) return ctx.Fail(kExitBadInput, s.message());
  *request.mutable_household() = c->household();
  request.set_profile_id(c->profile_id());
  request.set_caseworker(c->caseworker());
  request.set_unit(c->unit());
  request.set_recorded_at(o.recorded_at);
  auto plugin = LoadCategorisation(ctx, &rc);
  if (plugin.table == nullptr) return rc;
  auto response = plugin.session->Call<v1::PlanResponse>(plugin.table->plan, request);
  if (!response.ok()) return ctx.FailCall(o.plan_file, response.status());
  *c->mutable_plan() = response->plan();
  for (const auto& e : response->events()) *c->add_events() = e;
  if (ctx.global.json) {
    ctx.out << ToJson(*response) << "\n";
  } else {
    for (const auto& line : response->lines()) ctx.out << ctx.InLanguage(line) << "\n";
    for (const auto& g : response->plan().goals()) ctx.out << "  goal " << g.goal_id() << " (" << g.person_ref() << "): \"" << g.text() << "\"\n";
    for (const auto& i : response->plan().interventions()) {
      ctx.out << "  " << i.intervention_id() << " " << i.person_ref() << " " << i.kind() << " by " << i.responsible_actor()
              << " from " << i.start_date() << (i.end_date().empty() ? "" : " to " + i.end_date()) << "\n";
    }
  }
  return SaveCase(ctx, o.case_file, *c);
}

}  // namespace

void RegisterPlan(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("plan", "Set the household's plan (part 3) after checking it against the intervention catalogue");
  auto o = std::make_shared<PlanOptions>();
  cmd->add_option("CASE", o->case_file, "Case file (canonical JSON of ix.v1.Case)")->required();
  cmd->add_option("--plan", o->plan_file, "The plan (canonical JSON of ix.v1.Plan)")->required();
  cmd->add_option("--recorded-at", o->recorded_at, "RFC 3339 recording time for the events (default: now)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return PlanCommand(ctx, *o); }; });
}

}  // namespace ix::cli
