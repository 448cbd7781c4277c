// ixctl answer FILE [--person REF] --set ITEM=VALUE… [--clear ITEM…] [--by …] [--interpreter …]:
// records answers through the plugin ("ix.forms/1" apply_answers), which appends them to the
// response's change trail; the file is rewritten atomically.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "forms_common.hpp"

#include <set>

namespace ix::cli {
namespace forms {

void AddAnswerOptions(CLI::App* cmd, AnswerOptions& o) {
  cmd->add_option("FILE", o.file, "Response file (canonical JSON of ix.v1.InstrumentResponse); rewritten in place")->required();
  cmd->add_option("--person", o.person, "The adult the answers are about (person_ref, e.g. p1); omit for household items");
  cmd->add_option("--set", o.sets, "ITEM=VALUE, repeatable: yes/no, a code, codes separated by ',', 12500.50 (kronor), YYYY-MM-DD, text");
  cmd->add_option("--item", o.item, "One item id (with --value)");
  cmd->add_option("--value", o.value, "The value for --item");
  cmd->add_option("--clear", o.clears, "ITEM, repeatable: remove the answer (recorded in the trail)");
  cmd->add_option("--as-of", o.as_of, "Validate the result as of this date YYYY-MM-DD (default: today)");
  AddRecorderOptions(cmd, o.recorder, true);
}

int RunAnswers(const Context& ctx, const AnswerOptions& o, bool amend) {
  v1::ApplyAnswersRequest request;
  if (Status read = ReadResponse(o.file, request.mutable_response()); !read.ok()) {
    return ctx.Fail(kExitBadInput, read.message());
  }
  std::set<std::string> edited;
  auto add_text = [&](const std::string& item, const std::string& value) {
    v1::AnswerEdit* edit = request.add_edits();
    edit->set_item_id(item);
    edit->set_person_ref(o.person);
    edit->set_text(value);
    edited.insert(item);
  };
  for (const std::string& set : o.sets) {
    const auto eq = set.find('=');
    if (eq == std::string::npos || eq == 0) {
      return ctx.Fail(kExitUsage, "--set " + set + ": expected ITEM=VALUE");
    }
    add_text(set.substr(0, eq), set.substr(eq + 1));
  }
  if (!o.item.empty()) add_text(o.item, o.value);
  for (const std::string& item : o.clears) {
    v1::AnswerEdit* edit = request.add_edits();
    edit->set_item_id(item);
    edit->set_person_ref(o.person);
    edit->set_clear(true);
    edited.insert(item);
  }
  if (request.edits().empty()) return ctx.Fail(kExitUsage, "nothing to record: give --set ITEM=VALUE, --item/--value or --clear ITEM");
  *request.mutable_recorder() = ToRecorder(o.recorder);
  request.set_amend(amend);
  request.set_reason(o.reason);
  request.set_as_of_date(o.as_of);

  auto session = ctx.LoadPlugin();
  if (!session.ok()) return ctx.Fail(kExitPlugin, session.status().message());
  auto forms = FormsTable(*session);
  if (!forms.ok()) return ctx.Fail(kExitPlugin, forms.status().message());
  auto response = session->Call<v1::ApplyAnswersResponse>((*forms)->apply_answers, request);
  if (!response.ok()) return ctx.FailCall(o.file, response.status());
  if (Status written = WriteJsonAtomically(o.file, response->response()); !written.ok()) {
    return ctx.Fail(kExitBadInput, written.message());
  }
  if (ctx.global.json) {
    ctx.out << ToJson(*response) << "\n";
    return kExitOk;
  }
  const auto& r = response->response();
  const int before = request.response().changes_size();
  ctx.out << o.file << ": " << (o.person.empty() ? "household" : o.person) << ": "
          << r.changes_size() - before << " change(s) recorded" << (amend ? " as amendment" : "") << " ("
          << r.instrument().instrument_id() << "@" << r.instrument().version() << ")\n";
  for (int i = before; i < r.changes_size(); ++i) {
    const auto& c = r.changes(i);
    ctx.out << "  " << (c.person_ref().empty() ? "household" : c.person_ref()) << "/" << c.item_id() << ": "
            << ValueText(c.old_value()) << " -> " << ValueText(c.new_value())
            << (c.kind() == v1::CHANGE_KIND_CALCULATED ? "  (calculated)" : "") << "\n";
  }
  for (const auto& s : r.part_status()) {
    int errors = 0;
    for (const auto& p : response->problems()) {
      if (p.severity() == v1::SEVERITY_ERROR && (p.part() == s.part() || (s.part() == 1 && p.part() == 0))) ++errors;
    }
    ctx.out << "  part " << s.part() << ": " << PartStateText(ctx, s.state()) << ", " << errors << " error(s) left\n";
  }
  for (const auto& p : response->problems()) {
    const bool about_edit = edited.count(p.item_id()) > 0 && p.person_ref() == o.person;
    if (about_edit || p.code() == "disabled_item_answered") PrintProblem(ctx, p);
  }
  return kExitOk;
}

}  // namespace forms

void RegisterAnswer(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("answer", "Record answers of one adult (or the household) in a response file; "
                                           "appends them to the change trail");
  auto options = std::make_shared<forms::AnswerOptions>();
  forms::AddAnswerOptions(cmd, *options);
  cmd->callback([&ctx, options] {
    ctx.action = [&ctx, options] { return forms::RunAnswers(ctx, *options, false); };
  });
}

}  // namespace ix::cli
