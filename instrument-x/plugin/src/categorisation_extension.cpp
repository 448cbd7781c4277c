// The "ix.categorisation/1" extension (plugin-api/include/ix/ext/categorisation.h): needs
// categorisation, assessments, history, process clocks, plan and follow-up. Every function has
// the one shape (Serve): decode the request (codec/), make one call into the core
// (ix/core/casework), encode the answer. The embedded data (rule sets, profiles, tables,
// catalogues) is decoded and checked once per process.
#include <ix/ext/categorisation.h>

#include <ix/core/casework/casework.hpp>
#include <ix/core/categorisation/explanation_texts.hpp>
#include <ix/core/language.hpp>
#include <ix/core/personnummer.hpp>
#include <ix/core/plan/render_plan.hpp>

#include "codec/codec.hpp"
#include "session.hpp"

#include <ix/base/clock.hpp>

#include <map>

// Embedded at build time by ix-defc --message ix.v1.CategorisationData.
extern const unsigned char ix_embedded_categorisation[];
extern const std::size_t ix_embedded_categorisation_size;

namespace ix::plugin {
namespace {

struct CategorisationData {
  v1::CategorisationData proto;
  std::map<std::string, core::RuleSet, std::less<>> rule_sets;  // "id@version"
  std::vector<core::MunicipalityProfile> profiles;
  core::ForsorjningshinderTable forsorjningshinder;
  core::InterventionCatalogue catalogue;
  std::string error;  // non-empty: the data is unusable
};

const CategorisationData& Data() {
  static const CategorisationData data = [] {
    CategorisationData d;
    if (!d.proto.ParseFromArray(ix_embedded_categorisation, static_cast<int>(ix_embedded_categorisation_size))) {
      d.error = "embedded categorisation data does not parse as ix.v1.CategorisationData";
      return d;
    }
    try {
      std::vector<std::string> keys;
      for (const v1::RuleSet& r : d.proto.rule_sets()) {
        core::RuleSet rules = FromProto(r);
        const auto problems = core::CheckRuleSet(rules);
        if (!problems.empty()) {
          d.error = "embedded rule set " + r.id() + "@" + r.version() + ": " + core::ProblemsText({problems.front()});
          return d;
        }
        keys.push_back(r.id() + "@" + r.version());
        d.rule_sets.emplace(keys.back(), std::move(rules));
      }
      if (d.proto.forsorjningshinder_tables_size() != 1 || d.proto.intervention_catalogues_size() != 1) {
        d.error = "embedded categorisation data needs exactly one försörjningshinder table and one intervention catalogue";
        return d;
      }
      d.forsorjningshinder = FromProto(d.proto.forsorjningshinder_tables(0));
      if (const auto p = core::CheckForsorjningshinderTable(d.forsorjningshinder); !p.empty()) {
        d.error = "embedded försörjningshinder table: " + core::ProblemsText({p.front()});
        return d;
      }
      d.catalogue = FromProto(d.proto.intervention_catalogues(0));
      if (const auto p = core::CheckInterventionCatalogue(d.catalogue); !p.empty()) {
        d.error = "embedded intervention catalogue: " + core::ProblemsText({p.front()});
        return d;
      }
      for (int i = 0; i < d.proto.profiles_size(); ++i) {
        d.profiles.push_back(FromProto(d.proto.profiles(i), "profiles[" + std::to_string(i) + "]"));
      }
      if (const auto p = core::CheckProfiles(d.profiles, keys); !p.empty()) {
        d.error = "embedded " + p.front().message.en;
        return d;
      }
    } catch (const CallFailure& e) {
      d.error = std::string("embedded categorisation data: ") + e.what();
    }
    return d;
  }();
  return data;
}

// The embedded data; INTERNAL when it is unusable (every function needs it).
const CategorisationData& UsableData() {
  const CategorisationData& data = Data();
  if (!data.error.empty()) throw CallFailure(IX_ERR_INTERNAL, data.error);
  return data;
}

// The profile a request names (empty: the default one), or NOT_FOUND listing the known ids.
const core::MunicipalityProfile& Profile(const std::string& id, const std::string& field) {
  const CategorisationData& data = UsableData();
  if (const core::MunicipalityProfile* p = core::FindProfile(data.profiles, id)) return *p;
  throw NotFoundField(field, "profile '" + id + "' is not embedded (known: " + core::ProfileIds(data.profiles) + ")");
}

const core::RuleSet& RulesOf(const core::MunicipalityProfile& profile) {
  return UsableData().rule_sets.at(profile.RuleSetKey());
}

}  // namespace

std::vector<std::string> ItemsSwitchedOff(const std::string& profile_id, const std::string& field) {
  const core::MunicipalityProfile& profile = Profile(profile_id, field);
  std::vector<std::string> off;
  if (!profile.am_module) {
    for (const core::AmVariable& v : RulesOf(profile).am_variables) off.push_back(v.item_id);
  }
  return off;
}

const core::InterventionCatalogue& EmbeddedCatalogue() { return UsableData().catalogue; }

namespace {

core::Date AsOf(const std::string& text, const std::string& field) {
  const std::optional<core::Date> date = OptionalDate(text, field);
  return date ? *date : TodayUtc();
}

// Who records; "recorded at" is the request's, else now (the core never reads a clock).
core::Recording RecordingOf(const std::string& caseworker, const std::string& unit, const std::string& recorded_at) {
  return {caseworker, unit, recorded_at.empty() ? base::NowRfc3339() : recorded_at};
}

// The reader of a request's `language` (nullopt: none given). A malformed tag is refused
// naming the field and the tag.
std::optional<core::LanguageTag> ExplanationReader(const std::string& language) {
  if (language.empty()) return std::nullopt;
  std::string why;
  auto tag = core::ParseLanguageTag(language, &why);
  if (!tag) throw InvalidField("language", "'" + language + "' is not a well-formed BCP 47 language tag: " + why);
  return tag;
}

// Explanation sentences as the reader gets them: sv and en always; with a reader, also the
// translation its fallback chain reaches (none asked for: sv and en only, as before).
void ForReader(std::vector<core::LocalizedText>& lines, const std::optional<core::LanguageTag>& reader) {
  for (core::LocalizedText& line : lines) line = reader ? core::ForReader(line, *reader) : core::LocalizedText{line.sv, line.en, {}};
}

// --- the functions --------------------------------------------------------------------------

ix_status Describe(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::CategorisationDescribeRequest>(
      context, "categorisation.describe", request, size, out, [&](auto& call) -> auto& {
        auto& resp = call.template Response<v1::CategorisationDescribeResponse>();
        *resp.mutable_data() = UsableData().proto;
        return resp;
      });
}

ix_status Suggest(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::SuggestRequest>(context, "categorisation.suggest", request, size, out, [&](auto& call) -> auto& {
    const v1::SuggestRequest& req = call.message;
    if (!req.has_response()) throw InvalidField("response", "missing (nothing to categorise)", "missing");
    FindPinned(FromProto(req.response().instrument()), "response.instrument");
    const core::MunicipalityProfile& profile = Profile(req.profile_id(), "profile_id");
    const core::Date as_of = AsOf(req.as_of_date(), "as_of_date");
    const auto assistance = FromProto(req.assistance(), "assistance");

    const auto reader = ExplanationReader(req.language());
    core::CaseSuggestion result = core::SuggestForCase(RulesOf(profile), profile.SuggestionRules(), UsableData().forsorjningshinder,
                                                             CheckedResponse(req.response(), "response"), assistance, as_of);
    if (!result.problems.empty()) throw Rejected(result.problems);

    auto& resp = call.template Response<v1::SuggestResponse>();
    for (core::Suggestion& s : result.suggestions) {
      ForReader(s.explanation.lines, reader);
      ToProto(s, resp.add_suggestions());
    }
    if (reader) resp.set_language(core::ExplanationLanguageFor(*reader));
    for (const auto& f : result.forsorjningshinder) ToProto(f, resp.add_forsorjningshinder());
    resp.set_months_on_assistance(result.months_on_assistance);
    resp.set_profile_id(profile.id);
    AsSession(context).Log(IX_LOG_DEBUG, "categorisation.suggest: " + std::to_string(result.suggestions.size()) +
                                             " adult(s), rule set " + profile.RuleSetKey());
    return resp;
  });
}

ix_status Assess(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::AssessRequest>(context, "categorisation.assess", request, size, out, [&](auto& call) -> auto& {
    const v1::AssessRequest& req = call.message;
    if (!req.has_record()) throw InvalidField("record", "missing", "missing");
    const core::MunicipalityProfile& profile = Profile(req.profile_id(), "profile_id");

    const auto reader = ExplanationReader(req.language());
    core::GovernedOccasion governed =
        core::GovernOccasion(CheckedHousehold(req.household(), "household"), FromProto(req.record(), "record"), profile.governing,
                             RulesOf(profile).choices.governing_missing,
                             RecordingOf(req.caseworker(), req.unit(), req.recorded_at()), "record");
    if (!governed.problems.empty()) throw Rejected(governed.problems);

    auto& resp = call.template Response<v1::AssessResponse>();
    ForReader(governed.governed.lines, reader);
    ToProto(governed.governed, resp.mutable_result());
    if (reader) resp.set_language(core::ExplanationLanguageFor(*reader));
    if (governed.event) ToProto(*governed.event, resp.mutable_event()->mutable_categorisation());
    return resp;
  });
}

ix_status History(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::HistoryRequest>(context, "categorisation.history", request, size, out, [&](auto& call) -> auto& {
    const v1::HistoryRequest& req = call.message;
    UsableData();
    const core::Date at = AsOf(req.at_date(), "at_date");

    const core::HistoryOutcome history = core::BuildHistories(
        CheckedHousehold(req.household(), "household"), CategorisationEventsFromProto(req.events(), "events"), req.person_ref(), at);
    if (!history.problems.empty()) throw Rejected(history.problems);

    auto& resp = call.template Response<v1::HistoryResponse>();
    resp.set_at_date(core::FormatIsoDate(at));
    for (const core::PersonHistory& h : history.persons) ToProto(h, resp.add_persons());
    return resp;
  });
}

ix_status Due(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::DueRequest>(context, "categorisation.due", request, size, out, [&](auto& call) -> auto& {
    const v1::DueRequest& req = call.message;
    UsableData();
    const core::Date as_of = AsOf(req.as_of_date(), "as_of_date");
    std::vector<core::ProfiledCase> cases;
    for (int i = 0; i < req.cases_size(); ++i) {
      const std::string path = "cases[" + std::to_string(i) + "]";
      core::CaseFile file = FromProto(req.cases(i), path);
      cases.push_back({std::move(file), Profile(req.cases(i).profile_id(), path + ".profile_id")});
    }

    const auto items = core::CaseloadOf(cases, as_of, req.caseworker(), req.include_done());

    auto& resp = call.template Response<v1::DueResponse>();
    resp.set_as_of_date(core::FormatIsoDate(as_of));
    for (const auto& item : items) ToProto(item, resp.add_items());
    return resp;
  });
}

ix_status PlanFn(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::PlanRequest>(context, "categorisation.plan", request, size, out, [&](auto& call) -> auto& {
    const v1::PlanRequest& req = call.message;
    Profile(req.profile_id(), "profile_id");

    const core::PlanOutcome plan =
        core::EstablishPlan(CheckedHousehold(req.household(), "household"), FromProto(req.plan(), "plan"), UsableData().catalogue,
                            RecordingOf(req.caseworker(), req.unit(), req.recorded_at()));
    if (!plan.problems.empty()) throw Rejected(plan.problems);

    auto& resp = call.template Response<v1::PlanResponse>();
    *resp.mutable_plan() = req.plan();
    ToProto(plan.plan, resp.mutable_plan());
    for (const core::InterventionEvent& e : plan.events) ToProto(e, resp.add_events()->mutable_intervention());
    ToProto(plan.summary, resp.add_lines());
    return resp;
  });
}

ix_status FollowUpFn(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::FollowUpRequest>(context, "categorisation.follow_up", request, size, out, [&](auto& call) -> auto& {
    const v1::FollowUpRequest& req = call.message;
    const core::MunicipalityProfile& profile = Profile(req.profile_id(), "profile_id");

    const core::FollowUpOutcome done = core::RecordFollowUp(
        CheckedHousehold(req.household(), "household"), FromProto(req.plan(), "plan"), FromProto(req.follow_up(), "follow_up"),
        profile.governing, RulesOf(profile).choices.governing_missing, UsableData().catalogue, RecordingOf(req.caseworker(), req.unit(), req.recorded_at()));
    if (!done.problems.empty()) throw Rejected(done.problems);

    auto& resp = call.template Response<v1::FollowUpResponse>();
    *resp.mutable_plan() = req.plan();
    ToProto(done.plan, resp.mutable_plan());
    ToProto(done.record, resp.mutable_record());
    ToProto(done.governed.governed, resp.mutable_result());
    if (done.governed.event) ToProto(*done.governed.event, resp.add_events()->mutable_categorisation());
    for (const core::InterventionEvent& e : done.ended) ToProto(e, resp.add_events()->mutable_intervention());
    for (const core::LocalizedText& line : done.lines) ToProto(line, resp.add_lines());
    return resp;
  });
}

}  // namespace

const void* CategorisationExtension() {
  static const ix_categorisation_v1 table = {
      sizeof(ix_categorisation_v1), &Describe, &Suggest, &Assess, &History, &Due, &PlanFn, &FollowUpFn,
  };
  return &table;
}

}  // namespace ix::plugin
