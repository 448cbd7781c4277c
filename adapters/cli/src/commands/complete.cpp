// ixctl complete FILE --part N: marks a part completed through the plugin — only when it has
// no errors (exit 1 and the blocking errors otherwise). --reopen --reason TEXT reopens it.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "forms_common.hpp"

namespace ix::cli {
namespace {

struct CompleteOptions {
  std::string file;
  int part = 0;
  bool reopen = false;
  std::string reason;
  std::string as_of;
  forms::RecorderOptions recorder;
};

int Complete(const Context& ctx, const CompleteOptions& o) {
  v1::SetPartStatusRequest request;
  if (Status read = forms::ReadResponse(o.file, request.mutable_response()); !read.ok()) {
    return ctx.Fail(kExitBadInput, read.message());
  }
  request.set_part(o.part);
  request.set_state(o.reopen ? v1::PART_STATE_IN_PROGRESS : v1::PART_STATE_COMPLETED);
  request.set_reason(o.reason);
  request.set_as_of_date(o.as_of);
  *request.mutable_recorder() = forms::ToRecorder(o.recorder);
  auto session = ctx.LoadPlugin();
  if (!session.ok()) return ctx.Fail(kExitPlugin, session.status().message());
  auto table = forms::FormsTable(*session);
  if (!table.ok()) return ctx.Fail(kExitPlugin, table.status().message());
  auto response = session->Call<v1::SetPartStatusResponse>((*table)->set_part_status, request);
  if (!response.ok()) return ctx.FailCall(o.file, response.status());
  if (response->accepted()) {
    if (Status written = forms::WriteJsonAtomically(o.file, response->response()); !written.ok()) {
      return ctx.Fail(kExitBadInput, written.message());
    }
  }
  if (ctx.global.json) {
    ctx.out << ToJson(*response) << "\n";
  } else if (response->accepted()) {
    v1::PartState state = v1::PART_STATE_UNSPECIFIED;
    for (const auto& s : response->response().part_status()) {
      if (s.part() == o.part) state = s.state();
    }
    ctx.out << o.file << ": part " << o.part << " " << forms::PartStateText(ctx, state) << "\n";
  } else {
    ctx.out << o.file << ": part " << o.part << " NOT completed: " << forms::CountProblems(response->blocking())
            << " must be fixed first\n";
    for (const auto& p : response->blocking()) forms::PrintProblem(ctx, p);
  }
  return response->accepted() ? kExitOk : kExitProblems;
}

}  // namespace

void RegisterComplete(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("complete", "Mark a part of a response completed (only without errors), or reopen it");
  auto o = std::make_shared<CompleteOptions>();
  cmd->add_option("FILE", o->file, "Response file; rewritten in place when the status changes")->required();
  cmd->add_option("--part", o->part, "Part 1-4")->required()->check(CLI::Range(1, 4));
  cmd->add_flag("--reopen", o->reopen, "Reopen a completed part (needs --reason)");
  cmd->add_option("--reason", o->reason, "Why a completed part is reopened");
  cmd->add_option("--as-of", o->as_of, "Validate as of this date YYYY-MM-DD (default: today)");
  forms::AddRecorderOptions(cmd, o->recorder, false);
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Complete(ctx, *o); }; });
}

}  // namespace ix::cli
