// The "ix.forms/1" extension (plugin-api/include/ix/ext/forms.h): each function parses its
// request (lite runtime), resolves the pinned definition, calls the forms core and serializes
// the answer. Stateless: the response travels in every request.
#include <ix/ext/forms.h>

#include <ix/core/forms/edit.hpp>
#include <ix/core/forms/migrate.hpp>
#include <ix/core/forms/render_html.hpp>
#include <ix/core/personnummer.hpp>
#include <ix/core/validate.hpp>

#include "convert.hpp"
#include "ix/v1/forms.pb.h"
#include "ix/v1/plugin.pb.h"
#include "session.hpp"

#include <ctime>
#include <optional>

namespace ix::plugin {
namespace {

std::string NowUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// The definition a request works on: a licensee definition from the request (checked, and
// matching the pin exactly) or the embedded one the pin names.
class Resolved {
 public:
  const core::Definition* Find(const core::InstrumentRef& pin, const v1::DefinitionSource& source,
                               const std::string& field, CallResult* error) {
    if (!source.has_definition()) return FindPinned(pin, field, error);
    licensee_ = FromProto(source.definition());
    const auto problems = core::CheckDefinition(*licensee_);
    if (!problems.empty()) {
      *error = InvalidField("source.definition." + problems.front().path, problems.front().message.en);
      return nullptr;
    }
    if (!(licensee_->ref() == pin)) {
      *error = InvalidField(field, pin.instrument_id + "@" + pin.version + " does not match the licensee definition " +
                                       licensee_->id + "@" + licensee_->version + " (a response is never re-bound)");
      return nullptr;
    }
    return &*licensee_;
  }

 private:
  std::optional<core::Definition> licensee_;
};

bool AsOf(const std::string& text, core::ValidationContext* ctx, CallResult* error) {
  ctx->today = TodayUtc();
  if (text.empty()) return true;
  auto date = core::ParseIsoDate(text);
  if (!date) {
    *error = InvalidField("as_of_date", "expected a real date YYYY-MM-DD");
    return false;
  }
  ctx->today = *date;
  return true;
}

bool RecorderFrom(const v1::Recorder& in, core::Recorder* out, CallResult* error) {
  *out = FromProto(in);
  if (out->at.empty()) out->at = NowUtc();
  if (out->actor.empty()) {
    *error = InvalidField("recorder.actor", "missing: say who records the change (a user id)");
    return false;
  }
  return true;
}

// What every request that changes a response needs: the response, its definition, the date to
// validate as of and who records the change.
struct ChangeRequest {
  Resolved resolved;
  const core::Definition* definition = nullptr;
  core::ValidationContext ctx;
  core::Recorder recorder;

  template <typename Request>
  bool Prepare(const Request& req, CallResult* error) {
    if (!req.has_response()) {
      *error = InvalidField("response", "missing");
      return false;
    }
    definition = resolved.Find(FromProto(req.response().instrument()), req.source(), "response.instrument", error);
    return definition != nullptr && AsOf(req.as_of_date(), &ctx, error) && RecorderFrom(req.recorder(), &recorder, error);
  }
};

// "edits[0].text: Answer yes or no.; edits[2].item_id: …"
CallResult Rejected(const std::vector<core::Problem>& problems) {
  std::string message;
  for (const core::Problem& p : problems) {
    message += (message.empty() ? "" : "; ") + p.path + ": " + p.message.en;
  }
  return CallResult::Error(IX_ERR_INVALID_ARGUMENT, message);
}

ix_status ApplyAnswers(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("forms.apply_answers", out, [&]() -> CallResult {
    v1::ApplyAnswersRequest req;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.ApplyAnswersRequest", size);
    ChangeRequest change;
    CallResult error;
    if (!change.Prepare(req, &error)) return error;
    const core::Definition* definition = change.definition;
    const core::ValidationContext& ctx = change.ctx;
    const core::Recorder& recorder = change.recorder;
    std::vector<core::forms::AnswerEdit> edits;
    for (const v1::AnswerEdit& e : req.edits()) {
      core::forms::AnswerEdit& edit = edits.emplace_back();
      edit.item_id = e.item_id();
      edit.person_ref = e.person_ref();
      switch (e.change_case()) {
        case v1::AnswerEdit::kValue:
          edit.kind = core::forms::AnswerEdit::Kind::kValue;
          edit.value = FromProto(e.value());
          break;
        case v1::AnswerEdit::kText:
          edit.kind = core::forms::AnswerEdit::Kind::kText;
          edit.text = e.text();
          break;
        case v1::AnswerEdit::kClear:
          edit.kind = core::forms::AnswerEdit::Kind::kClear;
          break;
        case v1::AnswerEdit::CHANGE_NOT_SET:
          return InvalidField("edits[" + std::to_string(edits.size() - 1) + "]", "set one of value, text or clear");
      }
    }
    core::forms::EditOptions options{req.amend(), req.reason()};
    const core::forms::EditResult result =
        core::forms::ApplyEdits(*definition, FromProto(req.response()), edits, recorder, options, ctx);
    if (!result.ok) return Rejected(result.rejected);
    v1::ApplyAnswersResponse resp;
    ToProto(result.response, resp.mutable_response());
    for (const core::Problem& p : core::Validate(*definition, result.response, ctx)) {
      ToProto(p, resp.add_problems());
      if (p.code == "disabled_item_answered") ToProto(p, resp.add_disabled_answers());
    }
    AsSession(context).Log(IX_LOG_DEBUG, "forms.apply_answers: " + std::to_string(edits.size()) + " edit(s)");
    return Serialized(resp);
  });
}

ix_status SetPartStatus(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("forms.set_part_status", out, [&]() -> CallResult {
    v1::SetPartStatusRequest req;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.SetPartStatusRequest", size);
    ChangeRequest change;
    CallResult error;
    if (!change.Prepare(req, &error)) return error;
    const core::Definition* definition = change.definition;
    const core::ValidationContext& ctx = change.ctx;
    const core::Recorder& recorder = change.recorder;
    if (req.state() != v1::PART_STATE_COMPLETED && req.state() != v1::PART_STATE_IN_PROGRESS) {
      return InvalidField("state", "PART_STATE_COMPLETED or PART_STATE_IN_PROGRESS (reopen)");
    }
    const auto result = core::forms::SetPartState(*definition, FromProto(req.response()), req.part(),
                                                  PartStateFromProto(req.state()), recorder, req.reason(), ctx);
    for (const core::Problem& p : result.blocking) {
      if (p.code == "unknown_part" || p.code == "reopen_without_reason" || p.code == "part_not_completed" ||
          p.code == "unsupported_state") {
        return InvalidField(p.path, p.message.en);
      }
    }
    v1::SetPartStatusResponse resp;
    resp.set_accepted(result.accepted);
    ToProto(result.response, resp.mutable_response());
    for (const core::Problem& p : result.blocking) ToProto(p, resp.add_blocking());
    AsSession(context).Log(IX_LOG_DEBUG, "forms.set_part_status: part " + std::to_string(req.part()) +
                                             (result.accepted ? " accepted" : " refused"));
    return Serialized(resp);
  });
}

v1::MigrationOutcome OutcomeToProto(core::forms::MigrationOutcome in) {
  switch (in) {
    case core::forms::MigrationOutcome::kCarried: return v1::MIGRATION_OUTCOME_CARRIED;
    case core::forms::MigrationOutcome::kTransformed: return v1::MIGRATION_OUTCOME_TRANSFORMED;
    case core::forms::MigrationOutcome::kNotCarried: return v1::MIGRATION_OUTCOME_NOT_CARRIED;
  }
  return v1::MIGRATION_OUTCOME_UNSPECIFIED;
}

ix_status Migrate(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("forms.migrate", out, [&]() -> CallResult {
    v1::MigrateRequest req;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.MigrateRequest", size);
    if (!req.has_response()) return InvalidField("response", "missing");
    if (req.to_version().empty()) return InvalidField("to_version", "missing");
    CallResult error;
    const core::InstrumentRef from_ref = FromProto(req.response().instrument());
    const core::Definition* from = FindPinned(from_ref, "response.instrument", &error);
    if (from == nullptr) return error;
    Resolved resolved;
    const core::Definition* to = resolved.Find({from_ref.instrument_id, req.to_version()}, req.source(), "to_version", &error);
    if (to == nullptr) return error;
    core::ValidationContext ctx;
    core::Recorder recorder;
    if (!AsOf(req.as_of_date(), &ctx, &error) || !RecorderFrom(req.recorder(), &recorder, &error)) return error;
    const auto result = core::forms::Migrate(*from, *to, FromProto(req.response()), recorder, ctx);
    if (!result.ok) return CallResult::Error(IX_ERR_NOT_FOUND, "to_version: " + result.error.en);
    v1::MigrateResponse resp;
    ToProto(result.response, resp.mutable_response());
    v1::MigrationReport* report = resp.mutable_report();
    ToProto(result.report.from, report->mutable_from());
    ToProto(result.report.to, report->mutable_to());
    for (const auto& a : result.report.answers) {
      v1::MigratedAnswer* m = report->add_answers();
      m->set_item_id(a.item_id);
      m->set_person_ref(a.person_ref);
      ToProto(a.old_value, m->mutable_old_value());
      m->set_outcome(OutcomeToProto(a.outcome));
      for (const core::Answer& n : a.new_answers) ToProto(n, m->add_new_answers());
      ToProto(a.reason, m->mutable_reason());
    }
    for (const std::string& id : result.report.new_item_ids) report->add_new_item_ids(id);
    for (const core::Problem& p : result.report.problems) ToProto(p, report->add_problems());
    for (const core::PartStatus& s : result.report.part_status) ToProto(s, report->add_part_status());
    AsSession(context).Log(IX_LOG_DEBUG, "forms.migrate " + from->version + " -> " + to->version + ": " +
                                             std::to_string(result.report.answers.size()) + " answer(s)");
    return Serialized(resp);
  });
}

ix_status RenderForm(void* /*context*/, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("forms.render_form", out, [&]() -> CallResult {
    v1::RenderFormRequest req;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.RenderFormRequest", size);
    if (req.language() != "sv" && req.language() != "en") {
      return InvalidField("language", "\"sv\" or \"en\"");
    }
    if (req.municipality().size() > 200) return InvalidField("municipality", "longer than 200 bytes");
    CallResult error;
    Resolved resolved;
    const core::Definition* definition = resolved.Find(FromProto(req.definition()), req.source(), "definition", &error);
    if (definition == nullptr) return error;
    core::forms::RenderOptions options;
    options.language = req.language();
    options.municipality = req.municipality();
    v1::RenderFormResponse resp;
    resp.set_html(core::forms::RenderFormHtml(*definition, options));
    return Serialized(resp);
  });
}

ix_status DescribeDefinition(void* /*context*/, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("forms.describe_definition", out, [&]() -> CallResult {
    v1::DescribeDefinitionRequest req;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.DescribeDefinitionRequest", size);
    CallResult error;
    if (FindPinned(FromProto(req.definition()), "definition", &error) == nullptr) return error;
    for (const v1::Definition& d : Embedded().set.definitions()) {
      if (d.id() == req.definition().instrument_id() && d.version() == req.definition().version()) {
        v1::DescribeDefinitionResponse resp;
        *resp.mutable_definition() = d;
        return Serialized(resp);
      }
    }
    return CallResult::Error(IX_ERR_INTERNAL, "definition indexed but not embedded");
  });
}

ix_status LoadDefinition(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("forms.load_definition", out, [&]() -> CallResult {
    v1::LoadDefinitionRequest req;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.LoadDefinitionRequest", size);
    if (req.definition().empty()) return InvalidField("definition", "empty: expected a serialized ix.v1.Definition");
    v1::Definition proto;
    if (req.definition().size() > static_cast<size_t>(INT32_MAX) ||
        !proto.ParseFromArray(req.definition().data(), static_cast<int>(req.definition().size()))) {
      return InvalidField("definition", "not a serialized ix.v1.Definition (" + std::to_string(req.definition().size()) + " bytes)");
    }
    const core::Definition definition = FromProto(proto);
    const auto problems = core::CheckDefinition(definition);
    v1::LoadDefinitionResponse resp;
    resp.set_usable(problems.empty());
    ToProto(definition.ref(), resp.mutable_ref());
    for (const core::Problem& p : problems) ToProto(p, resp.add_problems());
    resp.set_item_count(static_cast<int32_t>(core::IndexItems(definition).size()));
    AsSession(context).Log(IX_LOG_INFO, "forms.load_definition " + definition.id + "@" + definition.version + ": " +
                                            (problems.empty() ? "usable" : std::to_string(problems.size()) + " problem(s)"));
    return Serialized(resp);
  });
}

ix_status ValidateWithDefinition(void* /*context*/, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("forms.validate", out, [&]() -> CallResult {
    v1::ValidateWithDefinitionRequest req;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.ValidateWithDefinitionRequest", size);
    if (!req.has_response()) return InvalidField("response", "missing (nothing to validate)");
    CallResult error;
    Resolved resolved;
    const core::Definition* definition =
        resolved.Find(FromProto(req.response().instrument()), req.source(), "response.instrument", &error);
    if (definition == nullptr) return error;
    core::ValidationContext ctx;
    if (!AsOf(req.as_of_date(), &ctx, &error)) return error;
    const auto problems = core::Validate(*definition, FromProto(req.response()), ctx);
    v1::ValidateResponse resp;
    resp.set_valid(!core::HasErrors(problems));
    ToProto(definition->ref(), resp.mutable_validated_against());
    for (const core::Problem& p : problems) ToProto(p, resp.add_problems());
    return Serialized(resp);
  });
}

}  // namespace

const void* FormsExtension() {
  static const ix_forms_v1 table = {
      sizeof(ix_forms_v1), &ApplyAnswers,       &SetPartStatus,  &Migrate, &RenderForm,
      &DescribeDefinition, &LoadDefinition,     &ValidateWithDefinition,
  };
  return &table;
}

}  // namespace ix::plugin
