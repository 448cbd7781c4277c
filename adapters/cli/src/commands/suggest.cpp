// ixctl suggest CASE [--response FILE --answered-on DATE] [--as-of DATE]
// Adds a response to the case (when given) and shows, per adult, the suggested category with
// its explanation and the suggested försörjningshinder. Suggestions are never effective.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "case_file.hpp"

namespace ix::cli {
namespace {

struct SuggestOptions {
  std::string case_file, response_file, answered_on, as_of;
};

int Suggest(const Context& ctx, const SuggestOptions& o) {
  int rc = kExitOk;
  auto c = LoadCase(ctx, o.case_file, &rc);
  if (!c) return rc;
  if (!o.response_file.empty()) {
    if (o.answered_on.empty()) return ctx.Fail(kExitUsage, "--response needs --answered-on YYYY-MM-DD");
    auto text = ReadFile(o.response_file);
    if (!text.ok()) return ctx.Fail(kExitBadInput, text.status().message());
    v1::DatedResponse* added = c->add_responses();
    added->set_answered_on(o.answered_on);
    if (Status s = ParseJson(*text, o.response_file, added->mutable_response()); !s.ok()) {
      return ctx.Fail(kExitBadInput, s.message());
    }
  }
  const std::string as_of = !o.as_of.empty() ? o.as_of : o.answered_on;
  const v1::DatedResponse* latest = LatestResponse(*c, as_of);
  if (latest == nullptr) return ctx.Fail(kExitBadInput, o.case_file + ": no response answered on or before " + (as_of.empty() ? "now" : as_of));
  auto plugin = LoadCategorisation(ctx, &rc);
  if (plugin.table == nullptr) return rc;
  v1::SuggestRequest request;
  *request.mutable_response() = latest->response();
  request.set_as_of_date(as_of.empty() ? latest->answered_on() : as_of);
  *request.mutable_assistance() = c->assistance();
  request.set_profile_id(c->profile_id());
  auto response = plugin.session->Call<v1::SuggestResponse>(plugin.table->suggest, request);
  if (!response.ok()) return ctx.FailCall(o.case_file, response.status());
  if (!o.response_file.empty()) {
    if (int saved = SaveCase(ctx, o.case_file, *c); saved != kExitOk) return saved;
  }
  if (ctx.global.json) {
    ctx.out << ToJson(*response) << "\n";
    return kExitOk;
  }
  ctx.out << "Suggestion as of " << request.as_of_date() << " (profile " << response->profile_id() << ", "
          << response->months_on_assistance() << " consecutive month(s) on assistance)\n";
  for (const v1::Suggestion& s : response->suggestions()) {
    ctx.out << "\n" << s.person_ref() << ": " << CategoryText(s.category())
            << (s.offer_in_depth_assessment() ? "  [offer DUR/ASI]" : "") << "\n";
    for (const auto& line : s.explanation().lines()) ctx.out << "  - " << ctx.InLanguage(line) << "\n";
  }
  ctx.out << "\nFörsörjningshinder (suggested; the caseworker's choice governs):\n";
  for (const auto& f : response->forsorjningshinder()) {
    ctx.out << "  " << f.person_ref() << ": " << (f.code().empty() ? "-" : f.code()) << "  "
            << ctx.InLanguage(f.label()) << "  (" << ctx.InLanguage(f.reason()) << ")\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterSuggest(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("suggest", "Suggest each adult's needs category (with explanation) and försörjningshinder from the case's latest response");
  auto o = std::make_shared<SuggestOptions>();
  cmd->add_option("CASE", o->case_file, "Case file (canonical JSON of ix.v1.Case)")->required();
  cmd->add_option("--response", o->response_file, "Add this response (JSON of ix.v1.InstrumentResponse) to the case first");
  cmd->add_option("--answered-on", o->answered_on, "Date the added response was answered (YYYY-MM-DD)");
  cmd->add_option("--as-of", o->as_of, "Use the latest response on or before this date");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Suggest(ctx, *o); }; });
}

}  // namespace ix::cli
