// ixctl assess CASE --person REF --date DATE [--caseworker "AM2 R1"] [--client "AM2"] …
// Records the caseworker's assessment and/or the client's self-assessment for one occasion.
// The profile's governing policy decides which is effective (never the suggestion alone);
// a difference is flagged for dialogue; the effective category becomes a categorisation event.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "case_file.hpp"

namespace ix::cli {
namespace {

struct AssessOptions {
  std::string case_file, person, date, occasion = "first_visit", caseworker, client, caseworker_id, reasoning,
      client_reasoning, forsorjningshinder, recorded_at;
};

int Assess(const Context& ctx, const AssessOptions& o) {
  int rc = kExitOk;
  auto c = LoadCase(ctx, o.case_file, &rc);
  if (!c) return rc;
  if (o.caseworker.empty() && o.client.empty() && o.forsorjningshinder.empty()) {
    return ctx.Fail(kExitUsage, "give --caseworker, --client and/or --forsorjningshinder");
  }
  auto plugin = LoadCategorisation(ctx, &rc);
  if (plugin.table == nullptr) return rc;

  v1::AssessmentRecord record;
  record.set_occasion_id(o.date + "/" + o.person);
  record.set_person_ref(o.person);
  record.set_occasion(o.occasion);
  record.set_effective_date(o.date);
  // The suggestion beside the assessments, from the latest response on that date.
  std::string fh_suggested;
  if (const v1::DatedResponse* latest = LatestResponse(*c, o.date)) {
    v1::SuggestRequest sreq;
    *sreq.mutable_response() = latest->response();
    sreq.set_as_of_date(o.date);
    *sreq.mutable_assistance() = c->assistance();
    sreq.set_profile_id(c->profile_id());
    auto s = plugin.session->Call<v1::SuggestResponse>(plugin.table->suggest, sreq);
    if (!s.ok()) return ctx.FailCall(o.case_file, s.status());
    for (const auto& one : s->suggestions()) {
      if (one.person_ref() == o.person) *record.mutable_suggestion() = one;
    }
    for (const auto& f : s->forsorjningshinder()) {
      if (f.person_ref() == o.person) fh_suggested = f.code();
    }
  }
  auto view = [&](const std::string& text, v1::AssessmentView v, const std::string& by, const std::string& why,
                  v1::Assessment* out) -> bool {
    std::string error;
    auto category = ParseCategory(text, &error);
    if (!category) {
      ctx.Fail(kExitUsage, (v == v1::ASSESSMENT_VIEW_CLIENT ? "--client: " : "--caseworker: ") + error);
      return false;
    }
    out->set_view(v);
    *out->mutable_category() = *category;
    out->set_assessed_by(by);
    out->set_assessed_on(o.date);
    out->set_reasoning(why);
    return true;
  };
  if (!o.caseworker.empty() &&
      !view(o.caseworker, v1::ASSESSMENT_VIEW_CASEWORKER, o.caseworker_id.empty() ? c->caseworker() : o.caseworker_id,
            o.reasoning, record.mutable_caseworker())) {
    return kExitUsage;
  }
  if (!o.client.empty() && !view(o.client, v1::ASSESSMENT_VIEW_CLIENT, "client", o.client_reasoning, record.mutable_client())) {
    return kExitUsage;
  }
  if (!o.caseworker.empty() || !o.client.empty()) {
    v1::AssessRequest request;
    *request.mutable_household() = c->household();
    *request.mutable_record() = record;
    request.set_profile_id(c->profile_id());
    request.set_caseworker(c->caseworker());
    request.set_unit(c->unit());
    request.set_recorded_at(o.recorded_at);
    auto response = plugin.session->Call<v1::AssessResponse>(plugin.table->assess, request);
    if (!response.ok()) return ctx.FailCall(o.case_file, response.status());
    *c->add_assessments() = record;
    if (response->has_event()) *c->add_events() = response->event();
    if (ctx.global.json) {
      ctx.out << ToJson(*response) << "\n";
    } else {
      ctx.out << o.person << " on " << o.date << " (" << o.occasion << "):\n";
      if (record.has_suggestion()) ctx.out << "  suggestion: " << CategoryText(record.suggestion().category()) << "\n";
      if (record.has_caseworker()) ctx.out << "  caseworker: " << CategoryText(record.caseworker().category()) << "\n";
      if (record.has_client()) ctx.out << "  client:     " << CategoryText(record.client().category()) << "\n";
      for (const auto& line : response->result().lines()) ctx.out << "  - " << ctx.InLanguage(line) << "\n";
      if (response->result().discrepancy()) ctx.out << "  ! caseworker and client differ: discuss the difference\n";
    }
  }
  if (!o.forsorjningshinder.empty()) {
    v1::ForsorjningshinderRecord* f = c->add_forsorjningshinder();
    f->set_person_ref(o.person);
    f->set_date(o.date);
    f->set_suggested_code(fh_suggested);
    f->set_chosen_code(o.forsorjningshinder);
    f->set_chosen_by(o.caseworker_id.empty() ? c->caseworker() : o.caseworker_id);
    if (!ctx.global.json) {
      ctx.out << "  försörjningshinder: " << o.forsorjningshinder << " (caseworker's choice; suggested: "
              << (fh_suggested.empty() ? "-" : fh_suggested) << ")\n";
    }
  }
  return SaveCase(ctx, o.case_file, *c);
}

}  // namespace

void RegisterAssess(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("assess", "Record the caseworker's assessment and/or the client's self-assessment of one adult; the profile decides which governs");
  auto o = std::make_shared<AssessOptions>();
  cmd->add_option("CASE", o->case_file, "Case file (canonical JSON of ix.v1.Case)")->required();
  cmd->add_option("--person", o->person, "The adult (person_ref)")->required();
  cmd->add_option("--date", o->date, "Effective date YYYY-MM-DD")->required();
  cmd->add_option("--occasion", o->occasion, "first_visit, follow_up or recategorisation")->capture_default_str();
  cmd->add_option("--caseworker", o->caseworker, "Caseworker's assessment, e.g. \"AM3 R2\" (AM1|AM2|AM3|none, R1-R3, FI)");
  cmd->add_option("--client", o->client, "Client's self-assessment, same form");
  cmd->add_option("--by", o->caseworker_id, "Caseworker id (default: the case's caseworker)");
  cmd->add_option("--reasoning", o->reasoning, "Caseworker's reasoning (kept in the case, never logged)");
  cmd->add_option("--client-reasoning", o->client_reasoning, "Client's reasoning");
  cmd->add_option("--forsorjningshinder", o->forsorjningshinder, "Register this försörjningshinder code (the caseworker's choice governs)");
  cmd->add_option("--recorded-at", o->recorded_at, "RFC 3339 recording time for the event (default: now)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Assess(ctx, *o); }; });
}

}  // namespace ix::cli
