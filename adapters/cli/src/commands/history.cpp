// ixctl history CASE [--at DATE] [--person REF]: each adult's categorisations in order, with
// the direction of every move (towards AM1 is progress) and the category on a date.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "case_file.hpp"

namespace ix::cli {
namespace {

struct HistoryOptions {
  std::string case_file, at, person;
};

int History(const Context& ctx, const HistoryOptions& o) {
  int rc = kExitOk;
  auto c = LoadCase(ctx, o.case_file, &rc);
  if (!c) return rc;
  auto plugin = LoadCategorisation(ctx, &rc);
  if (plugin.table == nullptr) return rc;
  v1::HistoryRequest request;
  *request.mutable_household() = c->household();
  *request.mutable_events() = c->events();
  request.set_at_date(o.at);
  request.set_person_ref(o.person);
  auto response = plugin.session->Call<v1::HistoryResponse>(plugin.table->history, request);
  if (!response.ok()) return ctx.FailCall(o.case_file, response.status());
  if (ctx.global.json) {
    ctx.out << ToJson(*response) << "\n";
    return kExitOk;
  }
  for (const v1::PersonHistory& h : response->persons()) {
    ctx.out << h.person_ref() << ": " << h.entries_size() << " categorisation(s), "
            << h.follow_up_recategorisations() << " at follow-ups\n";
    for (const auto& e : h.entries()) ctx.out << "  " << ctx.InLanguage(e.line()) << "\n";
    ctx.out << "  on " << response->at_date() << ": "
            << (h.has_category_at_date() ? CategoryText(h.category_at_date()) : std::string("not categorised")) << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterHistory(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("history", "Each adult's categorisation history: moves and their direction, the category on a date");
  auto o = std::make_shared<HistoryOptions>();
  cmd->add_option("CASE", o->case_file, "Case file (canonical JSON of ix.v1.Case)")->required();
  cmd->add_option("--at", o->at, "Show the category in force on this date (default: today)");
  cmd->add_option("--person", o->person, "Only this adult (person_ref)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return History(ctx, *o); }; });
}

}  // namespace ix::cli
