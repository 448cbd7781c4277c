#include "case_file.hpp"

#include <ix/base/file.hpp>
#include <ix/cli/cli.hpp>
#include <ix/extension.hpp>
#include <ix/cli/json_io.hpp>

#include <sstream>

namespace ix::cli {

std::optional<v1::Case> LoadCase(const Context& ctx, const std::string& path, int* exit_code) {
  auto text = ReadFile(path);
  if (!text.ok()) {
    *exit_code = ctx.Fail(kExitBadInput, text.status().message());
    return std::nullopt;
  }
  v1::Case c;
  if (Status parsed = ParseJson(*text, path, &c); !parsed.ok()) {
    *exit_code = ctx.Fail(kExitBadInput, parsed.message());
    return std::nullopt;
  }
  return c;
}

int SaveCase(const Context& ctx, const std::string& path, const v1::Case& c) {
  if (Status s = base::WriteFileAtomically(path, ToJson(c) + "\n", {.mode = base::kOwnerOnly}); !s.ok()) {
    return ctx.Fail(kExitBadInput, s.message());
  }
  return kExitOk;
}

CategorisationPlugin LoadCategorisation(const Context& ctx, int* exit_code) {
  CategorisationPlugin p;
  auto session = ctx.LoadPlugin();
  if (!session.ok()) {
    *exit_code = ctx.Fail(kExitPlugin, session.status().message());
    return p;
  }
  p.session.emplace(std::move(session).value());
  auto table = RequireExtension<ix_categorisation_v1>(*p.session);
  if (!table.ok()) {
    *exit_code = ctx.Fail(kExitPlugin, table.status().message());
    return p;
  }
  p.table = *table;
  return p;
}

std::optional<v1::Category> ParseCategory(const std::string& text, std::string* error) {
  v1::Category c;
  std::istringstream in(text);
  std::string token;
  bool any = false;
  while (in >> token) {
    any = true;
    for (char& ch : token) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (token == "AM1") c.set_am_level(v1::AM_LEVEL_AM1);
    else if (token == "AM2") c.set_am_level(v1::AM_LEVEL_AM2);
    else if (token == "AM3") c.set_am_level(v1::AM_LEVEL_AM3);
    else if (token == "NONE") c.set_am_level(v1::AM_LEVEL_UNSPECIFIED);
    else if (token == "R1") c.add_r_kinds(v1::R_KIND_R1_PHYSICAL);
    else if (token == "R2") c.add_r_kinds(v1::R_KIND_R2_MENTAL);
    else if (token == "R3") c.add_r_kinds(v1::R_KIND_R3_SUBSTANCE);
    else if (token == "FI") c.set_further_investigation(true);
    else {
      *error = "'" + token + "' is not AM1, AM2, AM3, none, R1, R2, R3 or FI";
      return std::nullopt;
    }
  }
  if (!any) {
    *error = "empty; write e.g. \"AM2 R1\"";
    return std::nullopt;
  }
  return c;
}

std::string CategoryText(const v1::Category& c) {
  std::string text;
  switch (c.am_level()) {
    case v1::AM_LEVEL_AM1: text = "AM1"; break;
    case v1::AM_LEVEL_AM2: text = "AM2"; break;
    case v1::AM_LEVEL_AM3: text = "AM3"; break;
    default: text = "no AM level"; break;
  }
  for (int r : c.r_kinds()) text += r == v1::R_KIND_R1_PHYSICAL ? " R1" : r == v1::R_KIND_R2_MENTAL ? " R2" : " R3";
  if (c.further_investigation()) text += " (vidare utredning)";
  return text;
}

const v1::DatedResponse* LatestResponse(const v1::Case& c, const std::string& date) {
  const v1::DatedResponse* best = nullptr;
  for (const v1::DatedResponse& r : c.responses()) {
    if (!date.empty() && r.answered_on() > date) continue;
    if (best == nullptr || best->answered_on() <= r.answered_on()) best = &r;
  }
  return best;
}

}  // namespace ix::cli
