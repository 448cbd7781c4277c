// ixctl migrate FILE --to VERSION [-o OUT]: maps a response to a newer definition version by
// the explicit migration that version holds, and prints what happened to every answer
// (carried / transformed / not carried and why). The old file is left as it is: old
// responses keep validating against their own version.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "forms_common.hpp"

#include <filesystem>

namespace ix::cli {
namespace {

struct MigrateOptions {
  std::string file;
  std::string to;
  std::string output;
  std::string report;
  std::string as_of;
  forms::RecorderOptions recorder;
};

const char* OutcomeText(v1::MigrationOutcome outcome) {
  switch (outcome) {
    case v1::MIGRATION_OUTCOME_CARRIED: return "carried    ";
    case v1::MIGRATION_OUTCOME_TRANSFORMED: return "transformed";
    case v1::MIGRATION_OUTCOME_NOT_CARRIED: return "NOT carried";
    default: return "?          ";
  }
}

int Migrate(const Context& ctx, const MigrateOptions& o) {
  v1::MigrateRequest request;
  if (Status read = forms::ReadResponse(o.file, request.mutable_response()); !read.ok()) {
    return ctx.Fail(kExitBadInput, read.message());
  }
  request.set_to_version(o.to);
  request.set_as_of_date(o.as_of);
  *request.mutable_recorder() = forms::ToRecorder(o.recorder);
  auto session = ctx.LoadPlugin();
  if (!session.ok()) return ctx.Fail(kExitPlugin, session.status().message());
  auto table = forms::FormsTable(*session);
  if (!table.ok()) return ctx.Fail(kExitPlugin, table.status().message());
  auto response = session->Call<v1::MigrateResponse>((*table)->migrate, request);
  if (!response.ok()) return ctx.FailCall(o.file, response.status());

  std::string output = o.output;
  if (output.empty()) {
    const std::filesystem::path in(o.file);
    output = (in.parent_path() / (in.stem().string() + "-" + o.to + ".json")).string();
  }
  if (Status written = forms::WriteJsonAtomically(output, response->response()); !written.ok()) {
    return ctx.Fail(kExitBadInput, written.message());
  }
  if (!o.report.empty()) {
    if (Status written = forms::WriteJsonAtomically(o.report, response->report()); !written.ok()) {
      return ctx.Fail(kExitBadInput, written.message());
    }
  }
  const auto& report = response->report();
  if (ctx.global.json) {
    ctx.out << ToJson(*response) << "\n";
    return kExitOk;
  }
  int counts[4] = {0, 0, 0, 0};
  for (const auto& a : report.answers()) counts[a.outcome() & 3]++;
  ctx.out << o.file << " -> " << output << ": " << report.from().instrument_id() << "@" << report.from().version()
          << " -> " << report.to().version() << ": " << report.answers_size() << " answer(s): "
          << counts[v1::MIGRATION_OUTCOME_CARRIED] << " carried, " << counts[v1::MIGRATION_OUTCOME_TRANSFORMED]
          << " transformed, " << counts[v1::MIGRATION_OUTCOME_NOT_CARRIED] << " not carried\n";
  for (const auto& a : report.answers()) {
    ctx.out << "  " << OutcomeText(a.outcome()) << "  " << (a.person_ref().empty() ? "household" : a.person_ref()) << "/"
            << a.item_id() << " = " << forms::ValueText(a.old_value());
    for (const auto& n : a.new_answers()) {
      if (n.item_id() != a.item_id() || !(forms::ValueText(n.value()) == forms::ValueText(a.old_value()))) {
        ctx.out << "  -> " << n.item_id() << " = " << forms::ValueText(n.value());
      }
    }
    if (a.outcome() != v1::MIGRATION_OUTCOME_CARRIED && !ctx.InLanguage(a.reason()).empty()) {
      ctx.out << "  (" << ctx.InLanguage(a.reason()) << ")";
    }
    ctx.out << "\n";
  }
  if (report.new_item_ids_size() > 0) {
    ctx.out << "  new in " << report.to().version() << ":";
    for (const auto& id : report.new_item_ids()) ctx.out << " " << id;
    ctx.out << "\n";
  }
  for (const auto& s : report.part_status()) {
    ctx.out << "  part " << s.part() << ": " << forms::PartStateText(ctx, s.state()) << "\n";
  }
  ctx.out << "  validation against " << report.to().version() << ": " << forms::CountProblems(report.problems()) << "\n";
  for (const auto& p : report.problems()) forms::PrintProblem(ctx, p);
  return kExitOk;
}

}  // namespace

void RegisterMigrate(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("migrate", "Migrate a response to another definition version, with a report per answer");
  auto o = std::make_shared<MigrateOptions>();
  cmd->add_option("FILE", o->file, "Response file (left unchanged)")->required();
  cmd->add_option("--to", o->to, "Target version, e.g. 2025.1")->required();
  cmd->add_option("-o,--output", o->output, "Where to write the migrated response (default: FILE-VERSION.json beside FILE)");
  cmd->add_option("--report", o->report, "Also write the migration report as canonical JSON to this file");
  cmd->add_option("--as-of", o->as_of, "Validate as of this date YYYY-MM-DD (default: today)");
  forms::AddRecorderOptions(cmd, o->recorder, false);
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Migrate(ctx, *o); }; });
}

}  // namespace ix::cli
