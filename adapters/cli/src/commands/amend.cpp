// ixctl amend FILE --person REF --set ITEM=VALUE --reason TEXT: changes answers in a completed
// part. The part becomes "amended after completion", must stay free of errors, and the trail
// records the reason.
#include <ix/cli/cli.hpp>

#include "../command.hpp"
#include "forms_common.hpp"

namespace ix::cli {

void RegisterAmend(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("amend", "Change answers in a completed part, with a reason (an amendment)");
  auto options = std::make_shared<forms::AnswerOptions>();
  forms::AddAnswerOptions(cmd, *options);
  cmd->add_option("--reason", options->reason, "Why the completed part is changed (kept in the change trail)")->required();
  cmd->callback([&ctx, options] {
    ctx.action = [&ctx, options] { return forms::RunAnswers(ctx, *options, true); };
  });
}

}  // namespace ix::cli
