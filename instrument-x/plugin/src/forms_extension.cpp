// The "ix.forms/1" extension (plugin-api/include/ix/ext/forms.h): each function parses its
// request (lite runtime), resolves the pinned definition, calls the forms core and serializes
// the answer (Serve). Stateless: the response travels in every request.
#include <ix/ext/forms.h>

#include <ix/core/forms/edit.hpp>
#include <ix/core/forms/migrate.hpp>
#include <ix/core/forms/render_html.hpp>
#include <ix/core/language.hpp>
#include <ix/core/plan/render_plan.hpp>
#include <ix/core/personnummer.hpp>
#include <ix/core/validate.hpp>

#include "codec/codec.hpp"
#include "ix/v1/forms.pb.h"
#include "ix/v1/plugin.pb.h"
#include "session.hpp"

#include <ix/base/clock.hpp>

#include <optional>

namespace ix::plugin {
namespace {

// The definition a request works on: a licensee definition from the request (checked, and
// matching the pin exactly) or the embedded one the pin names.
class Resolved {
 public:
  const core::Definition& Find(const core::InstrumentRef& pin, const v1::DefinitionSource& source,
                               const std::string& field) {
    if (!source.has_definition()) return FindPinned(pin, field);
    licensee_ = FromProto(source.definition());
    std::vector<core::Problem> problems = PrepareReceived(*licensee_, "source.definition");
    if (!problems.empty()) throw Rejected(Under({std::move(problems.front())}, "source.definition"));
    if (!(licensee_->ref() == pin)) {
      throw InvalidField(field, pin.instrument_id + "@" + pin.version + " does not match the licensee definition " +
                                    licensee_->id + "@" + licensee_->version + " (a response is never re-bound)",
                         "pin_mismatch");
    }
    return *licensee_;
  }

 private:
  std::optional<core::Definition> licensee_;
};

core::Recorder RecorderFrom(const v1::Recorder& in) {
  core::Recorder out = FromProto(in);
  if (out.at.empty()) out.at = base::NowRfc3339();
  if (out.actor.empty()) throw InvalidField("recorder.actor", "missing: say who records the change (a user id)", "missing");
  return out;
}

// What every request that changes a response needs: the response, its definition, the date to
// validate as of and who records the change.
struct ChangeRequest {
  Resolved resolved;
  const core::Definition* definition = nullptr;
  core::ValidationContext ctx;
  core::Recorder recorder;
  core::Response response;

  template <typename Request>
  explicit ChangeRequest(const Request& req) {
    if (!req.has_response()) throw InvalidField("response", "missing", "missing");
    response = CheckedResponse(req.response(), "response");
    definition = &resolved.Find(FromProto(req.response().instrument()), req.source(), "response.instrument");
    ctx = ValidationAsOf(req.as_of_date());
    recorder = RecorderFrom(req.recorder());
  }
};

ix_status ApplyAnswers(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::ApplyAnswersRequest>(context, "forms.apply_answers", request, size, out, [&](auto& call) -> auto& {
    const v1::ApplyAnswersRequest& req = call.message;
    const ChangeRequest change(req);
    if (const int64_t most = core::DefaultLimits().answers; req.edits_size() > most) {
      throw Rejected({core::LimitProblem("edits", req.edits_size(), most, "edits", "ändringar")});
    }
    std::vector<core::forms::AnswerEdit> edits;
    std::vector<core::Problem> refused;  // edits over the characters-per-answer limit
    for (int i = 0; i < req.edits_size(); ++i) {
      const std::string field = "edits[" + std::to_string(i) + "]";
      const core::forms::AnswerEdit& edit = edits.emplace_back(FromProto(req.edits(i), field));
      const int64_t most = core::DefaultLimits().answer_characters;
      if (const int64_t n = core::CharacterCount(edit.text); n > most) {
        refused.push_back(core::LimitProblem(field + ".text", n, most, "characters", "tecken"));
      }
      for (core::Problem& p : core::CheckValueLimits(edit.value, field + ".value")) refused.push_back(std::move(p));
    }
    if (!refused.empty()) throw Rejected(std::move(refused));
    core::forms::EditOptions options{req.amend(), req.reason()};
    const core::forms::EditResult result = core::forms::ApplyEdits(*change.definition, change.response, edits,
                                                                   change.recorder, options, change.ctx);
    if (!result.ok) throw Rejected(result.rejected);
    auto& resp = call.template Response<v1::ApplyAnswersResponse>();
    ToProto(result.response, resp.mutable_response());
    for (const core::Problem& p : core::Validate(*change.definition, result.response, change.ctx)) {
      ToProto(p, resp.add_problems());
      if (p.code == "disabled_item_answered") ToProto(p, resp.add_disabled_answers());
    }
    AsSession(context).Log(IX_LOG_DEBUG, "forms.apply_answers: " + std::to_string(edits.size()) + " edit(s)");
    return resp;
  });
}

// Refusals of the request itself (not of the part's content) are errors, not a "not accepted".
bool IsRequestError(const core::Problem& p) {
  return p.code == "unknown_part" || p.code == "reopen_without_reason" || p.code == "part_not_completed" ||
         p.code == "unsupported_state";
}

ix_status SetPartStatus(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::SetPartStatusRequest>(context, "forms.set_part_status", request, size, out, [&](auto& call) -> auto& {
    const v1::SetPartStatusRequest& req = call.message;
    const ChangeRequest change(req);
    if (req.state() != v1::PART_STATE_COMPLETED && req.state() != v1::PART_STATE_IN_PROGRESS) {
      throw InvalidField("state", "PART_STATE_COMPLETED or PART_STATE_IN_PROGRESS (reopen)", "unsupported_state");
    }
    const auto result = core::forms::SetPartState(*change.definition, change.response, req.part(),
                                                  FromProto(req.state()), change.recorder, req.reason(),
                                                  change.ctx);
    for (const core::Problem& p : result.blocking) {
      if (IsRequestError(p)) throw Rejected({p});
    }
    auto& resp = call.template Response<v1::SetPartStatusResponse>();
    resp.set_accepted(result.accepted);
    ToProto(result.response, resp.mutable_response());
    for (const core::Problem& p : result.blocking) ToProto(p, resp.add_blocking());
    AsSession(context).Log(IX_LOG_DEBUG, "forms.set_part_status: part " + std::to_string(req.part()) +
                                             (result.accepted ? " accepted" : " refused"));
    return resp;
  });
}

ix_status Migrate(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::MigrateRequest>(context, "forms.migrate", request, size, out, [&](auto& call) -> auto& {
    const v1::MigrateRequest& req = call.message;
    if (!req.has_response()) throw InvalidField("response", "missing", "missing");
    if (req.to_version().empty()) throw InvalidField("to_version", "missing", "missing");
    const core::InstrumentRef from_ref = FromProto(req.response().instrument());
    const core::Definition& from = FindPinned(from_ref, "response.instrument");
    Resolved resolved;
    const core::Definition& to = resolved.Find({from_ref.instrument_id, req.to_version()}, req.source(), "to_version");
    const core::ValidationContext ctx = ValidationAsOf(req.as_of_date());
    const core::Recorder recorder = RecorderFrom(req.recorder());
    const auto result = core::forms::Migrate(from, to, CheckedResponse(req.response(), "response"), recorder, ctx);
    if (!result.ok) throw NotFoundField("to_version", result.error.en);
    auto& resp = call.template Response<v1::MigrateResponse>();
    ToProto(result.response, resp.mutable_response());
    ToProto(result.report, resp.mutable_report());
    AsSession(context).Log(IX_LOG_DEBUG, "forms.migrate " + from.version + " -> " + to.version + ": " +
                                             std::to_string(result.report.answers.size()) + " answer(s)");
    return resp;
  });
}

ix_status RenderForm(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::RenderFormRequest>(context, "forms.render_form", request, size, out, [&](auto& call) -> auto& {
    const v1::RenderFormRequest& req = call.message;
    std::string why;
    const auto language = core::ParseLanguageTag(req.language(), &why);
    if (!language) throw InvalidField("language", "not a well-formed BCP 47 language tag (e.g. sv, en, ar, fi, sv-x-easy): " + why);
    if (req.municipality().size() > 200) throw InvalidField("municipality", "longer than 200 bytes", "too_long");
    auto& resp = call.template Response<v1::RenderFormResponse>();
    if (req.document() == v1::PRINT_DOCUMENT_CLIENT_PLAN || req.document() == v1::PRINT_DOCUMENT_INTERVENTION_CATALOGUE) {
      const core::InterventionCatalogue& catalogue = EmbeddedCatalogue();
      core::ClientPageOptions options{language->tag, req.municipality(), req.person_ref()};
      if (req.document() == v1::PRINT_DOCUMENT_INTERVENTION_CATALOGUE) {
        resp.set_html(core::RenderInterventionCatalogueHtml(catalogue, options));
        return resp;
      }
      core::Plan plan = FromProto(req.plan(), "plan");
      // The household is not part of a print request: persons are the plan's own.
      std::vector<std::string> persons;
      for (const core::Goal& g : plan.goals) persons.push_back(g.person_ref);
      for (const core::PlannedIntervention& i : plan.interventions) persons.push_back(i.person_ref);
      if (auto problems = core::CheckPlan(plan, catalogue, persons); !problems.empty()) throw Rejected(std::move(problems));
      resp.set_html(core::RenderClientPlanHtml(plan, catalogue, options));
      return resp;
    }
    Resolved resolved;
    const core::Definition& definition = resolved.Find(FromProto(req.definition()), req.source(), "definition");
    core::forms::RenderOptions options;
    options.language = language->tag;
    options.municipality = req.municipality();
    options.hidden_items = ItemsSwitchedOff(req.profile_id(), "profile_id");
    resp.set_html(core::forms::RenderFormHtml(definition, options));
    return resp;
  });
}

ix_status DescribeDefinition(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::DescribeDefinitionRequest>(
      context, "forms.describe_definition", request, size, out, [&](auto& call) -> auto& {
        const v1::DescribeDefinitionRequest& req = call.message;
        FindPinned(FromProto(req.definition()), "definition");
        for (const v1::Definition& d : Embedded().set.definitions()) {
          if (d.id() == req.definition().instrument_id() && d.version() == req.definition().version()) {
            auto& resp = call.template Response<v1::DescribeDefinitionResponse>();
            *resp.mutable_definition() = d;
            return resp;
          }
        }
        throw CallFailure(IX_ERR_INTERNAL, "definition indexed but not embedded");
      });
}

ix_status LoadDefinition(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::LoadDefinitionRequest>(context, "forms.load_definition", request, size, out, [&](auto& call) -> auto& {
    const v1::LoadDefinitionRequest& req = call.message;
    if (req.definition().empty()) throw InvalidField("definition", "empty: expected a serialized ix.v1.Definition", "missing");
    // Over a limit (items, migrations, pattern length …) is INVALID_ARGUMENT naming it; the
    // structural problems of a definition within the limits come back as data.
    v1::Definition proto;
    if (req.definition().size() > static_cast<size_t>(INT32_MAX) ||
        !proto.ParseFromArray(req.definition().data(), static_cast<int>(req.definition().size()))) {
      throw InvalidField("definition",
                         "not a serialized ix.v1.Definition (" + std::to_string(req.definition().size()) + " bytes)",
                         "malformed");
    }
    core::Definition definition = FromProto(proto);
    const auto problems = PrepareReceived(definition, "definition");
    auto& resp = call.template Response<v1::LoadDefinitionResponse>();
    resp.set_usable(problems.empty());
    ToProto(definition.ref(), resp.mutable_ref());
    for (const core::Problem& p : problems) ToProto(p, resp.add_problems());
    resp.set_item_count(static_cast<int32_t>(core::IndexItems(definition).size()));
    AsSession(context).Log(IX_LOG_INFO, "forms.load_definition " + definition.id + "@" + definition.version + ": " +
                                            (problems.empty() ? "usable" : std::to_string(problems.size()) + " problem(s)"));
    return resp;
  });
}

ix_status ValidateWithDefinition(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::ValidateWithDefinitionRequest>(context, "forms.validate", request, size, out, [&](auto& call) -> auto& {
    const v1::ValidateWithDefinitionRequest& req = call.message;
    if (!req.has_response()) throw InvalidField("response", "missing (nothing to validate)", "missing");
    Resolved resolved;
    const core::Definition& definition =
        resolved.Find(FromProto(req.response().instrument()), req.source(), "response.instrument");
    const core::ValidationContext ctx = ValidationAsOf(req.as_of_date());
    const auto problems = core::Validate(definition, CheckedResponse(req.response(), "response"), ctx);
    auto& resp = call.template Response<v1::ValidateResponse>();
    resp.set_valid(!core::HasErrors(problems));
    ToProto(definition.ref(), resp.mutable_validated_against());
    for (const core::Problem& p : problems) ToProto(p, resp.add_problems());
    return resp;
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
