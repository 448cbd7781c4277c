// ixctl due CASE... [--as-of DATE] [--caseworker ID] [--all]: the process clocks of one
// household or a caseload — what is due, when, and what is overdue.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "case_file.hpp"

namespace ix::cli {
namespace {

struct DueOptions {
  std::vector<std::string> case_files;
  std::string as_of, caseworker;
  bool all = false;
};

const char* StatusText(v1::DueStatus s) {
  switch (s) {
    case v1::DUE_STATUS_UPCOMING: return "upcoming";
    case v1::DUE_STATUS_DUE_TODAY: return "DUE TODAY";
    case v1::DUE_STATUS_OVERDUE: return "OVERDUE";
    case v1::DUE_STATUS_DONE: return "done";
    default: return "?";
  }
}

int Due(const Context& ctx, const DueOptions& o) {
  int rc = kExitOk;
  v1::DueRequest request;
  for (const std::string& file : o.case_files) {
    auto c = LoadCase(ctx, file, &rc);
    if (!c) return rc;
    *request.add_cases() = *c;
  }
  request.set_as_of_date(o.as_of);
  request.set_caseworker(o.caseworker);
  request.set_include_done(o.all);
  auto plugin = LoadCategorisation(ctx, &rc);
  if (plugin.table == nullptr) return rc;
  auto response = plugin.session->Call<v1::DueResponse>(plugin.table->due, request);
  if (!response.ok()) return ctx.FailCall("due", response.status());
  if (ctx.global.json) {
    ctx.out << ToJson(*response) << "\n";
    return kExitOk;
  }
  ctx.out << "As of " << response->as_of_date() << ": " << response->items_size() << " item(s)\n";
  for (const v1::DueItem& i : response->items()) {
    ctx.out << "  " << i.due_on() << "  " << StatusText(i.status());
    if (i.status() == v1::DUE_STATUS_OVERDUE) ctx.out << " by " << i.days_overdue() << " day(s)";
    if (i.status() == v1::DUE_STATUS_DONE) ctx.out << " on " << i.done_on() << (i.done_late() ? " (late)" : "");
    ctx.out << "  " << i.clock() << "  " << i.household_ref() << (i.person_ref().empty() ? "" : "/" + i.person_ref())
            << "  [" << i.caseworker() << "]\n      " << ctx.InLanguage(i.explanation()) << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterDue(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("due", "Process clocks (decision, action plan, AM1 review, DUR/ASI offer) of one case or a caseload");
  auto o = std::make_shared<DueOptions>();
  cmd->add_option("CASE", o->case_files, "Case files (canonical JSON of ix.v1.Case)")->required();
  cmd->add_option("--as-of", o->as_of, "As of this date (default: today)");
  cmd->add_option("--caseworker", o->caseworker, "Only this caseworker's cases");
  cmd->add_flag("--all", o->all, "Include clocks that are done");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Due(ctx, *o); }; });
}

}  // namespace ix::cli
