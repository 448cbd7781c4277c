#include "forms_common.hpp"

#include <ix/base/file.hpp>
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>
#include <ix/extension.hpp>

#include <cstdlib>

namespace ix::cli::forms {

void AddRecorderOptions(CLI::App* cmd, RecorderOptions& options, bool with_respondent) {
  const char* user = std::getenv("USER");
  options.actor = user != nullptr ? user : "";
  cmd->add_option("--actor", options.actor, "Who records the change: a user id, never a name (default: $USER)")
      ->capture_default_str();
  cmd->add_option("--at", options.at, "When, RFC 3339 UTC, e.g. 2025-03-03T09:15:00Z (default: now)");
  if (with_respondent) {
    cmd->add_option("--by", options.by, "Who answered: client, together (client with caseworker) or caseworker")
        ->check(CLI::IsMember({"client", "together", "caseworker"}));
    cmd->add_option("--interpreter", options.interpreter, "An interpreter took part, in this language (e.g. ar, so, ti)");
  }
}

v1::Recorder ToRecorder(const RecorderOptions& options) {
  v1::Recorder recorder;
  recorder.set_actor(options.actor);
  recorder.set_at(options.at);
  if (options.by == "client") recorder.set_answered_by(v1::RESPONDENT_CLIENT);
  else if (options.by == "together") recorder.set_answered_by(v1::RESPONDENT_TOGETHER);
  else if (options.by == "caseworker") recorder.set_answered_by(v1::RESPONDENT_CASEWORKER);
  if (!options.interpreter.empty()) {
    recorder.mutable_interpreter()->set_present(true);
    recorder.mutable_interpreter()->set_language(options.interpreter);
  }
  return recorder;
}

Result<const ix_forms_v1*> FormsTable(const PluginSession& session) {
  return RequireExtension<ix_forms_v1>(session);
}

Status ReadResponse(const std::string& path, v1::InstrumentResponse* response) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseJson(*text, path, response);
}

Status WriteJsonAtomically(const std::string& path, const google::protobuf::Message& message) {
  // Responses are personal data: a new file is the owner's only; a replaced one keeps its bits.
  return base::WriteFileAtomically(path, ToJson(message) + "\n", {.mode = base::kOwnerOnly});
}

void PrintProblem(const Context& ctx, const v1::Problem& p) {
  ctx.out << "  " << (p.severity() == v1::SEVERITY_ERROR ? "error  " : "warning") << "  " << p.path() << "  ["
          << p.code() << "]  " << ctx.InLanguage(p.message()) << "\n";
}

std::string CountProblems(const google::protobuf::RepeatedPtrField<v1::Problem>& problems) {
  int errors = 0;
  for (const auto& p : problems) errors += p.severity() == v1::SEVERITY_ERROR ? 1 : 0;
  return std::to_string(errors) + " error(s), " + std::to_string(problems.size() - errors) + " warning(s)";
}

std::string ValueText(const v1::AnswerValue& v) {
  switch (v.value_case()) {
    case v1::AnswerValue::kBoolean: return v.boolean() ? "yes" : "no";
    case v1::AnswerValue::kCode: return v.code();
    case v1::AnswerValue::kCodes: {
      std::string out;
      for (const auto& c : v.codes().codes()) out += (out.empty() ? "" : ",") + c;
      return "[" + out + "]";
    }
    case v1::AnswerValue::kInteger: return std::to_string(v.integer());
    case v1::AnswerValue::kDecimal: return v.decimal();
    case v1::AnswerValue::kMoney: {
      const int64_t ore = v.money().ore();
      const uint64_t magnitude = ore < 0 ? 0 - static_cast<uint64_t>(ore) : static_cast<uint64_t>(ore);
      const unsigned cents = static_cast<unsigned>(magnitude % 100);
      return std::string(ore < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." + (cents < 10 ? "0" : "") +
             std::to_string(cents) + " kr";
    }
    case v1::AnswerValue::kDate: return v.date();
    case v1::AnswerValue::kText: return "\"" + (v.text().size() > 60 ? v.text().substr(0, 57) + "..." : v.text()) + "\"";
    case v1::AnswerValue::kPersonnummer: return "(personnummer)";  // never printed
    case v1::AnswerValue::kRating: return std::to_string(v.rating());
    case v1::AnswerValue::VALUE_NOT_SET: break;
  }
  return "(none)";
}

std::string PartStateText(const Context& ctx, v1::PartState state) {
  const bool sv = ctx.global.lang == "sv";
  switch (state) {
    case v1::PART_STATE_IN_PROGRESS: return sv ? "pågår" : "in progress";
    case v1::PART_STATE_COMPLETED: return sv ? "klar" : "completed";
    case v1::PART_STATE_AMENDED: return sv ? "ändrad efter att ha varit klar" : "amended after completion";
    default: return sv ? "inte påbörjad" : "not started";
  }
}

}  // namespace ix::cli::forms
