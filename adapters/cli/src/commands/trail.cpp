// ixctl trail FILE: the part status and the append-only change trail of a response.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "forms_common.hpp"

namespace ix::cli {
namespace {

const char* KindText(v1::ChangeKind kind) {
  switch (kind) {
    case v1::CHANGE_KIND_ANSWER_SET: return "set";
    case v1::CHANGE_KIND_ANSWER_CLEARED: return "cleared";
    case v1::CHANGE_KIND_PART_COMPLETED: return "completed";
    case v1::CHANGE_KIND_PART_REOPENED: return "reopened";
    case v1::CHANGE_KIND_AMENDED: return "amended";
    case v1::CHANGE_KIND_MIGRATED: return "migrated";
    case v1::CHANGE_KIND_CALCULATED: return "calculated";
    default: return "?";
  }
}

const char* RespondentText(v1::Respondent r) {
  switch (r) {
    case v1::RESPONDENT_CLIENT: return " by client";
    case v1::RESPONDENT_TOGETHER: return " by client+caseworker";
    case v1::RESPONDENT_CASEWORKER: return " by caseworker";
    default: return "";
  }
}

int Trail(const Context& ctx, const std::string& file) {
  v1::InstrumentResponse response;
  if (Status read = forms::ReadResponse(file, &response); !read.ok()) return ctx.Fail(kExitBadInput, read.message());
  if (ctx.global.json) {
    v1::InstrumentResponse only;
    *only.mutable_part_status() = response.part_status();
    *only.mutable_changes() = response.changes();
    ctx.out << ToJson(only) << "\n";
    return kExitOk;
  }
  ctx.out << file << ": " << response.instrument().instrument_id() << "@" << response.instrument().version();
  if (response.has_migrated_from()) ctx.out << " (migrated from " << response.migrated_from().version() << ")";
  ctx.out << ", " << response.answers_size() << " answer(s), " << response.changes_size() << " change(s)\n";
  for (const auto& s : response.part_status()) {
    ctx.out << "  part " << s.part() << ": " << forms::PartStateText(ctx, s.state());
    if (!s.completed_at().empty()) ctx.out << " (completed " << s.completed_at() << " by " << s.completed_by() << ")";
    if (!s.amended_at().empty()) ctx.out << " (amended " << s.amended_at() << ")";
    ctx.out << "\n";
  }
  for (const auto& c : response.changes()) {
    ctx.out << "  " << c.at() << "  " << c.actor() << "  " << KindText(c.kind());
    if (!c.item_id().empty()) {
      ctx.out << "  " << (c.person_ref().empty() ? "household" : c.person_ref()) << "/" << c.item_id() << ": "
              << forms::ValueText(c.old_value()) << " -> " << forms::ValueText(c.new_value());
    } else {
      ctx.out << "  part " << c.part();
    }
    ctx.out << RespondentText(c.answered_by());
    if (c.interpreter().present()) ctx.out << ", interpreter " << c.interpreter().language();
    if (!c.reason().empty()) ctx.out << "  (" << c.reason() << ")";
    ctx.out << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterTrail(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("trail", "Show a response's part status and change trail");
  auto file = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, "Response file")->required();
  cmd->callback([&ctx, file] { ctx.action = [&ctx, file] { return Trail(ctx, *file); }; });
}

}  // namespace ix::cli
