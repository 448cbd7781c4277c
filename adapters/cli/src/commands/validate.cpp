// ixctl validate FILE [--as-of DATE]: a response against the definition version it is pinned to.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>

#include "../command.hpp"
#include "ix/v1/plugin.pb.h"

#include <algorithm>

namespace ix::cli {
namespace {

struct ValidateOptions {
  std::string file;
  std::string as_of;
};

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
  auto response = session->Call<v1::ValidateResponse>(session->table().validate, request);
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
  cmd->callback([&ctx, options] {
    ctx.action = [&ctx, options] { return Validate(ctx, *options); };
  });
}

}  // namespace ix::cli
