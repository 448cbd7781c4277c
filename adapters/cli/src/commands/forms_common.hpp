// Shared by the forms commands (answer, amend, complete, migrate, render-form, trail): the
// "ix.forms/1" table, who records a change, reading a response file and rewriting it
// atomically, and printing problems.
#ifndef IX_CLI_COMMANDS_FORMS_COMMON_HPP
#define IX_CLI_COMMANDS_FORMS_COMMON_HPP

#include <ix/ext/forms.h>
#include <ix/plugin.hpp>

#include "../command.hpp"
#include "ix/v1/forms.pb.h"
#include "ix/v1/problem.pb.h"
#include "ix/v1/response.pb.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace ix::cli::forms {

// --actor, --at, --by, --interpreter
struct RecorderOptions {
  std::string actor;
  std::string at;
  std::string by;
  std::string interpreter;
};
void AddRecorderOptions(CLI::App* cmd, RecorderOptions& options, bool with_respondent);
v1::Recorder ToRecorder(const RecorderOptions& options);

// The forms extension of a loaded plugin, or an error naming the plugin.
Result<const ix_forms_v1*> FormsTable(const PluginSession& session);

// Reads a response file (canonical JSON of ix.v1.InstrumentResponse).
Status ReadResponse(const std::string& path, v1::InstrumentResponse* response);
// Writes canonical JSON to a temporary file beside `path`, flushes it to disk and renames it
// over `path`, so a reader never sees half a file and a crash leaves the old one.
Status WriteJsonAtomically(const std::string& path, const google::protobuf::Message& message);

// "  error    answers[p1/am.education].value  [out_of_range]  message"
void PrintProblem(const Context& ctx, const v1::Problem& problem);
// "N error(s), M warning(s)"
std::string CountProblems(const google::protobuf::RepeatedPtrField<v1::Problem>& problems);
// A value for people (codes as they are, money in kronor).
std::string ValueText(const v1::AnswerValue& value);
// "not started" / "inte påbörjad" …
std::string PartStateText(const Context& ctx, v1::PartState state);

// answer / amend: set or clear answers of one person (or the household) in a response file.
struct AnswerOptions {
  std::string file;
  std::string person;
  std::vector<std::string> sets;    // ITEM=VALUE
  std::string item;                 // with value: one answer
  std::string value;
  std::vector<std::string> clears;  // ITEM
  std::string reason;               // amend
  std::string as_of;
  RecorderOptions recorder;
};
void AddAnswerOptions(CLI::App* cmd, AnswerOptions& options);
int RunAnswers(const Context& ctx, const AnswerOptions& options, bool amend);


}  // namespace ix::cli::forms

#endif  // IX_CLI_COMMANDS_FORMS_COMMON_HPP
