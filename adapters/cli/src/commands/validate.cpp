// ixctl validate FILE [--as-of DATE]: a response against the definition version it is pinned to.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "forms_common.hpp"
#include "ix/v1/plugin.pb.h"

#include <algorithm>

namespace ix::cli {
namespace {

struct ValidateOptions {
  std::string file;
  std::string as_of;
  std::string definition_file;  // a licensee definition (JSON of ix.v1.Definition)
};

// With a licensee definition the forms extension validates ("ix.forms/1" validate).
Result<v1::ValidateResponse> ValidateWithLicensee(const PluginSession& session, const v1::ValidateRequest& request,
                                                  const std::string& definition_file) {
  auto text = ReadFile(definition_file);
  if (!text.ok()) return text.status();
  v1::ValidateWithDefinitionRequest with;
  if (Status parsed = ParseJson(*text, definition_file, with.mutable_source()->mutable_definition()); !parsed.ok()) {
    return parsed;
  }
  *with.mutable_response() = request.response();
  with.set_as_of_date(request.as_of_date());
  auto forms = forms::FormsTable(session);
  if (!forms.ok()) return forms.status();
  return session.Call<v1::ValidateResponse>((*forms)->validate, with);
}

int Validate(const Context& ctx, const ValidateOptions& o) {
  auto text = ReadFile(o.file);
  if (!text.ok()) return ctx.Fail(kExitBadInput, text.status().message());
  v1::ValidateRequest request;
  if (Status parsed = ParseJson(*text, o.file, request.mutable_response()); !parsed.ok()) {
    return ctx.Fail(kExitBadInput, parsed.message());
  }
  request.set_as_of_date(o.as_of);
  auto session = ctx.LoadPlugin();
  if (!session.ok()) return ctx.Fail(kExitPlugin, session.status().message());
  auto response = o.definition_file.empty()
                      ? session->Call<v1::ValidateResponse>(session->table().validate, request)
                      : ValidateWithLicensee(*session, request, o.definition_file);
  if (!response.ok()) {
    return ctx.Fail(response.status().code() == StatusCode::kInternal ? kExitPlugin : kExitBadInput,
                    o.file + ": " + response.status().message());
  }
  std::ostream& out = ctx.out;
  if (ctx.global.json) {
    out << ToJson(*response) << "\n";
  } else {
    const auto& problems = response->problems();
    const auto errors = std::count_if(problems.begin(), problems.end(), [](const auto& p) {
      return p.severity() == v1::SEVERITY_ERROR;
    });
    const auto& pin = response->validated_against();
    out << o.file << ": " << pin.instrument_id() << "@" << pin.version() << ": "
        << (response->valid() ? "valid" : "NOT valid") << " (" << errors << " error(s), "
        << problems.size() - errors << " warning(s))\n";
    for (const auto& p : problems) {
      out << "  " << (p.severity() == v1::SEVERITY_ERROR ? "error  " : "warning") << "  "
          << p.path() << "  [" << p.code() << "]  " << ctx.InLanguage(p.message()) << "\n";
    }
  }
  return response->valid() ? kExitOk : kExitProblems;
}

}  // namespace

void RegisterValidate(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "validate", "Validate a household's response (canonical JSON of ix.v1.InstrumentResponse) "
                  "against the definition version it is pinned to");
  auto options = std::make_shared<ValidateOptions>();
  cmd->add_option("FILE", options->file, "Response file (canonical JSON)")->required();
  cmd->add_option("--as-of", options->as_of, "Validate as of this date YYYY-MM-DD (default: today)");
  cmd->add_option("--definition-file", options->definition_file,
                  "Validate against a licensee's definition (JSON of ix.v1.Definition) instead of the embedded ones; "
                  "it must match the response's pinned id and version");
  cmd->callback([&ctx, options] {
    ctx.action = [&ctx, options] { return Validate(ctx, *options); };
  });
}

}  // namespace ix::cli
