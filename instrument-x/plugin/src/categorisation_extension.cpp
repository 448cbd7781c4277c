// The "ix.categorisation/1" extension (plugin-api/include/ix/ext/categorisation.h): needs
// categorisation, assessments, history, process clocks, plan and follow-up. Each function
// parses its request (lite runtime), converts to core data (categorisation_convert.cpp), calls
// the pure core and serializes the answer. The embedded data (rule sets, profiles,
// catalogues) is parsed and checked once per process.
#include <ix/ext/categorisation.h>

#include <ix/core/calendar/calendar.hpp>
#include <ix/core/categorisation/history.hpp>
#include <ix/core/personnummer.hpp>

#include "categorisation_convert.hpp"
#include "convert.hpp"
#include "session.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

// Embedded at build time by ix-defc --message ix.v1.CategorisationData.
extern const unsigned char ix_embedded_categorisation[];
extern const std::size_t ix_embedded_categorisation_size;

namespace ix::plugin {
namespace {

struct CategorisationData {
  v1::CategorisationData proto;
  std::map<std::string, core::RuleSet> rule_sets;  // "id@version"
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
      for (const v1::RuleSet& r : d.proto.rule_sets()) {
        core::RuleSet rules = FromProto(r);
        const auto problems = core::CheckRuleSet(rules);
        if (!problems.empty()) {
          d.error = "embedded rule set " + r.id() + "@" + r.version() + ": " + problems.front();
          return d;
        }
        d.rule_sets.emplace(r.id() + "@" + r.version(), std::move(rules));
      }
      if (d.proto.forsorjningshinder_tables_size() != 1 || d.proto.intervention_catalogues_size() != 1) {
        d.error = "embedded categorisation data needs exactly one försörjningshinder table and one intervention catalogue";
        return d;
      }
      d.forsorjningshinder = FromProto(d.proto.forsorjningshinder_tables(0));
      if (const auto p = core::CheckForsorjningshinderTable(d.forsorjningshinder); !p.empty()) {
        d.error = "embedded försörjningshinder table: " + p.front();
        return d;
      }
      d.catalogue = FromProto(d.proto.intervention_catalogues(0));
      for (const v1::MunicipalityProfile& p : d.proto.profiles()) {
        if (!d.rule_sets.contains(p.rule_set_id() + "@" + p.rule_set_version())) {
          d.error = "embedded profile " + p.id() + " names rule set " + p.rule_set_id() + "@" + p.rule_set_version() +
                    ", which is not embedded";
          return d;
        }
      }
    } catch (const FieldException& e) {
      d.error = std::string("embedded categorisation data: ") + e.what();
    }
    return d;
  }();
  return data;
}

// Finds a profile by id (empty: the default one) or throws NOT_FOUND listing the known ids.
struct NotFound : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const v1::MunicipalityProfile& Profile(const std::string& id, const std::string& field) {
  const auto& profiles = Data().proto.profiles();
  for (const v1::MunicipalityProfile& p : profiles) {
    if (id.empty() ? p.is_default() : p.id() == id) return p;
  }
  std::string known;
  for (const auto& p : profiles) known += (known.empty() ? "" : ", ") + p.id();
  throw NotFound(field + ": profile '" + id + "' is not embedded (known: " + known + ")");
}

const core::RuleSet& RulesOf(const v1::MunicipalityProfile& profile) {
  return Data().rule_sets.at(profile.rule_set_id() + "@" + profile.rule_set_version());
}

// Runs a body that may throw FieldException / NotFound and maps them to ABI statuses.
template <typename Body>
CallResult Checked(Body&& body) {
  const CategorisationData& data = Data();
  if (!data.error.empty()) return CallResult::Error(IX_ERR_INTERNAL, data.error);
  try {
    return body();
  } catch (const FieldException& e) {
    return CallResult::Error(IX_ERR_INVALID_ARGUMENT, e.what());
  } catch (const NotFound& e) {
    return CallResult::Error(IX_ERR_NOT_FOUND, e.what());
  }
}

core::Date AsOf(const std::string& text, const std::string& field) {
  const std::optional<core::Date> date = OptionalDate(text, field);
  return date ? *date : TodayUtc();
}

std::string NowRfc3339() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

// The identity key events carry: the normalised personnummer (raw text when it does not parse).
std::string IdentityKey(const std::string& personnummer) {
  const core::IdentityNumber id = core::ParseIdentityNumber(personnummer);
  return id.ok() ? id.normalized : personnummer;
}

const v1::Person& Adult(const v1::Household& household, const std::string& person_ref, const std::string& field) {
  for (const v1::Person& p : household.persons()) {
    if (p.person_ref() == person_ref) {
      if (p.role() == v1::HOUSEHOLD_ROLE_CHILD) throw FieldException(field, "'" + person_ref + "' is a child; only adults are categorised");
      return p;
    }
  }
  throw FieldException(field, "'" + person_ref + "' is not a person of the household");
}

std::vector<std::string> AdultRefs(const v1::Household& household) {
  std::vector<std::string> refs;
  for (const v1::Person& p : household.persons()) {
    if (p.role() != v1::HOUSEHOLD_ROLE_CHILD) refs.push_back(p.person_ref());
  }
  return refs;
}

void FillHeader(v1::EventHeader* h, const v1::Household& household, const v1::Person& person, std::string event_id,
                const std::string& effective_date, const std::string& caseworker, const std::string& unit,
                const std::string& recorded_at) {
  h->set_event_id(std::move(event_id));
  h->set_municipality_code(household.municipality_code());
  v1::Subject* s = h->mutable_subject();
  s->set_personnummer(person.personnummer());
  s->set_sex(person.sex());
  std::optional<core::Date> birth = core::ParseIsoDate(person.birth_date());
  if (!birth) {
    const core::IdentityNumber id = core::ParseIdentityNumber(person.personnummer());
    if (id.ok()) birth = id.birth_date;
  }
  if (birth) {
    s->set_birth_year(birth->year);
    s->set_birth_month(birth->month);
  }
  h->set_effective_date(effective_date);
  h->set_recorded_at(recorded_at.empty() ? NowRfc3339() : recorded_at);
  h->set_unit(unit);
  h->set_caseworker(caseworker);
}

// Governs one occasion and builds its categorisation event.
v1::GoverningResult GovernOccasion(const v1::Household& household, const v1::AssessmentRecord& record,
                                   const v1::MunicipalityProfile& profile, const std::string& field,
                                   const std::string& caseworker, const std::string& unit,
                                   const std::string& recorded_at, v1::Event* event) {
  const v1::Person& person = Adult(household, record.person_ref(), field + ".person_ref");
  if (record.occasion_id().empty()) throw FieldException(field + ".occasion_id", "missing");
  if (record.occasion().empty()) throw FieldException(field + ".occasion", "missing (first_visit, follow_up or recategorisation)");
  RequiredDate(record.effective_date(), field + ".effective_date");
  std::optional<core::Assessment> cw, cl;
  if (record.has_caseworker()) cw = FromProto(record.caseworker(), field + ".caseworker");
  if (record.has_client()) cl = FromProto(record.client(), field + ".client");
  std::optional<core::Category> suggestion;
  if (record.has_suggestion()) suggestion = FromProto(record.suggestion().category(), field + ".suggestion.category");
  const core::Governed governed = core::Govern(cw, cl, FromProto(profile.governing()), suggestion);
  v1::GoverningResult result;
  ToProto(governed, &result);
  if (governed.effective && event != nullptr) {
    v1::CategorisationEvent* c = event->mutable_categorisation();
    FillHeader(c->mutable_header(), household, person,
               household.household_ref() + "/" + record.person_ref() + "/categorisation/" + record.occasion_id(),
               record.effective_date(), caseworker, unit, recorded_at);
    ToProto(*governed.effective, c->mutable_category());
    c->set_governing_view(ToProto(governed.governing_view));
    c->set_occasion(record.occasion());
  }
  return result;
}

// Each adult's categorisation records, from the events that name their personnummer.
std::map<std::string, std::vector<core::CategorisationRecord>> RecordsByPerson(
    const v1::Household& household, const google::protobuf::RepeatedPtrField<v1::Event>& events,
    const std::string& field) {
  std::map<std::string, std::string> ref_by_key;
  for (const v1::Person& p : household.persons()) ref_by_key[IdentityKey(p.personnummer())] = p.person_ref();
  std::map<std::string, std::vector<core::CategorisationRecord>> out;
  for (int i = 0; i < events.size(); ++i) {
    if (!events[i].has_categorisation()) continue;
    const v1::CategorisationEvent& c = events[i].categorisation();
    const std::string path = field + "[" + std::to_string(i) + "].categorisation";
    auto ref = ref_by_key.find(IdentityKey(c.header().subject().personnummer()));
    if (ref == ref_by_key.end()) continue;  // another household's member
    out[ref->second].push_back({RequiredDate(c.header().effective_date(), path + ".header.effective_date"),
                                FromProto(c.category(), path + ".category"), FromProto(c.governing_view()), c.occasion(),
                                c.header().event_id()});
  }
  return out;
}

// --- the functions --------------------------------------------------------------------------

ix_status Describe(void* /*context*/, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("categorisation.describe", out, [&]() -> CallResult {
    v1::CategorisationDescribeRequest req;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.CategorisationDescribeRequest", size);
    return Checked([&] {
      v1::CategorisationDescribeResponse resp;
      *resp.mutable_data() = Data().proto;
      return Serialized(resp);
    });
  });
}

ix_status Suggest(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("categorisation.suggest", out, [&]() -> CallResult {
    ArenaRequest<v1::SuggestRequest> parsed;
    v1::SuggestRequest& req = parsed.message;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.SuggestRequest", size);
    return Checked([&]() -> CallResult {
      if (!req.has_response()) return InvalidField("response", "missing (nothing to categorise)");
      CallResult error;
      if (FindPinned(FromProto(req.response().instrument()), "response.instrument", &error) == nullptr) return error;
      const v1::MunicipalityProfile& profile = Profile(req.profile_id(), "profile_id");
      const core::Date as_of = AsOf(req.as_of_date(), "as_of_date");
      const int months = core::clocks::ConsecutiveAssistanceMonths(FromProto(req.assistance(), "assistance"), as_of);
      const core::Response response = FromProto(req.response());
      const core::SuggestResult result = core::Suggest(RulesOf(profile), response, months);
      if (!result.problems.empty()) {
        std::string message;
        for (const core::Problem& p : result.problems) message += (message.empty() ? "" : "; ") + p.message.en;
        return CallResult::Error(IX_ERR_INVALID_ARGUMENT, "response." + message);
      }
      v1::SuggestResponse& resp = parsed.template Response<v1::SuggestResponse>();
      for (const core::Suggestion& s : result.suggestions) ToProto(s, resp.add_suggestions());
      for (const core::ForsorjningshinderSuggestion& f :
           core::SuggestForsorjningshinder(Data().forsorjningshinder, response, as_of)) {
        v1::ForsorjningshinderSuggestion* o = resp.add_forsorjningshinder();
        o->set_person_ref(f.person_ref);
        o->set_code(f.code);
        o->mutable_label()->set_sv(f.label.sv);
        o->mutable_label()->set_en(f.label.en);
        o->set_rule_index(f.rule_index);
        o->mutable_reason()->set_sv(f.reason.sv);
        o->mutable_reason()->set_en(f.reason.en);
      }
      resp.set_months_on_assistance(months);
      resp.set_profile_id(profile.id());
      AsSession(context).Log(IX_LOG_DEBUG, "categorisation.suggest: " + std::to_string(result.suggestions.size()) +
                                               " adult(s), rule set " + profile.rule_set_id() + "@" +
                                               profile.rule_set_version());
      return Serialized(resp);
    });
  });
}

ix_status Assess(void* /*context*/, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("categorisation.assess", out, [&]() -> CallResult {
    ArenaRequest<v1::AssessRequest> parsed;
    v1::AssessRequest& req = parsed.message;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.AssessRequest", size);
    return Checked([&]() -> CallResult {
      if (!req.has_record()) return InvalidField("record", "missing");
      const v1::MunicipalityProfile& profile = Profile(req.profile_id(), "profile_id");
      v1::AssessResponse& resp = parsed.template Response<v1::AssessResponse>();
      *resp.mutable_result() = GovernOccasion(req.household(), req.record(), profile, "record", req.caseworker(),
                                              req.unit(), req.recorded_at(), resp.mutable_event());
      if (!resp.result().has_effective()) resp.clear_event();
      return Serialized(resp);
    });
  });
}

ix_status History(void* /*context*/, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("categorisation.history", out, [&]() -> CallResult {
    ArenaRequest<v1::HistoryRequest> parsed;
    v1::HistoryRequest& req = parsed.message;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.HistoryRequest", size);
    return Checked([&]() -> CallResult {
      const core::Date at = AsOf(req.at_date(), "at_date");
      if (!req.person_ref().empty()) Adult(req.household(), req.person_ref(), "person_ref");
      auto records = RecordsByPerson(req.household(), req.events(), "events");
      v1::HistoryResponse& resp = parsed.template Response<v1::HistoryResponse>();
      resp.set_at_date(core::FormatIsoDate(at));
      for (const std::string& ref : AdultRefs(req.household())) {
        if (!req.person_ref().empty() && ref != req.person_ref()) continue;
        v1::PersonHistory* h = resp.add_persons();
        h->set_person_ref(ref);
        const auto& mine = records[ref];
        int follow_ups = 0;
        for (const core::HistoryEntry& e : core::BuildHistory(mine)) {
          v1::HistoryEntry* o = h->add_entries();
          o->set_effective_date(core::FormatIsoDate(e.record.effective_date));
          ToProto(e.record.category, o->mutable_category());
          o->set_governing_view(ToProto(e.record.governing_view));
          o->set_occasion(e.record.occasion);
          o->set_event_id(e.record.event_id);
          switch (e.direction) {
            case core::MoveDirection::kFirst: o->set_direction(v1::MOVE_DIRECTION_FIRST); break;
            case core::MoveDirection::kProgress: o->set_direction(v1::MOVE_DIRECTION_PROGRESS); break;
            case core::MoveDirection::kSetback: o->set_direction(v1::MOVE_DIRECTION_SETBACK); break;
            case core::MoveDirection::kSameLevel: o->set_direction(v1::MOVE_DIRECTION_SAME_LEVEL); break;
          }
          for (core::RKind r : e.r_added) o->add_r_added(ToProto(r));
          for (core::RKind r : e.r_removed) o->add_r_removed(ToProto(r));
          o->mutable_line()->set_sv(e.line.sv);
          o->mutable_line()->set_en(e.line.en);
          if (e.record.occasion == "follow_up") ++follow_ups;
        }
        h->set_follow_up_recategorisations(follow_ups);
        if (const auto at_date = core::CategoryAt(mine, at)) {
          ToProto(at_date->category, h->mutable_category_at_date());
        }
      }
      return Serialized(resp);
    });
  });
}

core::clocks::CaseClockInput ClockInput(const v1::Case& c, const std::string& field, const core::Date& as_of) {
  core::clocks::CaseClockInput in;
  in.household_ref = c.household().household_ref();
  in.caseworker = c.caseworker();
  in.application_complete_on = OptionalDate(c.application_complete_on(), field + ".application_complete_on");
  in.decided_on = OptionalDate(c.decided_on(), field + ".decided_on");
  in.first_visit_on = OptionalDate(c.first_visit_on(), field + ".first_visit_on");
  in.action_plan_on = OptionalDate(c.plan().established_on(), field + ".plan.established_on");
  in.assistance = FromProto(c.assistance(), field + ".assistance");
  in.parameters = FromProto(Profile(c.profile_id(), field + ".profile_id").clocks());
  auto records = RecordsByPerson(c.household(), c.events(), field + ".events");
  for (const std::string& ref : AdultRefs(c.household())) {
    core::clocks::PersonClockInput p;
    p.person_ref = ref;
    if (const auto now = core::CategoryAt(records[ref], as_of)) {
      p.category = now->category;
      p.categorised_on = now->effective_date;
    }
    for (int i = 0; i < c.in_depth_offers_size(); ++i) {
      const v1::InDepthOffer& o = c.in_depth_offers(i);
      if (o.person_ref() != ref) continue;
      const auto on = OptionalDate(o.offered_on(), field + ".in_depth_offers[" + std::to_string(i) + "].offered_on");
      if (on && !(as_of < *on) && (!p.in_depth_offered_on || *p.in_depth_offered_on < *on)) p.in_depth_offered_on = on;
    }
    in.adults.push_back(std::move(p));
  }
  return in;
}

ix_status Due(void* /*context*/, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("categorisation.due", out, [&]() -> CallResult {
    ArenaRequest<v1::DueRequest> parsed;
    v1::DueRequest& req = parsed.message;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.DueRequest", size);
    return Checked([&]() -> CallResult {
      const core::Date as_of = AsOf(req.as_of_date(), "as_of_date");
      std::vector<core::clocks::CaseClockInput> cases;
      for (int i = 0; i < req.cases_size(); ++i) {
        cases.push_back(ClockInput(req.cases(i), "cases[" + std::to_string(i) + "]", as_of));
      }
      const auto items = core::clocks::Caseload(cases, core::clocks::ClockParameters{}, as_of, req.caseworker(),
                                                req.include_done());
      v1::DueResponse& resp = parsed.template Response<v1::DueResponse>();
      resp.set_as_of_date(core::FormatIsoDate(as_of));
      for (const auto& item : items) ToProto(item, resp.add_items());
      return Serialized(resp);
    });
  });
}

void AddInterventionEvent(const v1::Household& household, const v1::PlannedIntervention& p,
                          const core::InterventionCatalogue& catalogue, const std::string& suffix,
                          const std::string& caseworker, const std::string& unit, const std::string& recorded_at,
                          google::protobuf::RepeatedPtrField<v1::Event>* events) {
  const v1::Person& person = Adult(household, p.person_ref(), "plan.interventions.person_ref");
  v1::InterventionEvent* e = events->Add()->mutable_intervention();
  FillHeader(e->mutable_header(), household, person,
             household.household_ref() + "/" + p.person_ref() + "/intervention/" + p.intervention_id() + suffix,
             p.end_date().empty() || suffix.empty() ? p.start_date() : p.end_date(), caseworker, unit, recorded_at);
  e->set_intervention_id(p.intervention_id());
  e->set_kind(p.kind());
  if (const core::InterventionKind* k = catalogue.FindKind(p.kind())) e->set_orientation(ToProto(k->orientation));
  e->set_responsible_actor(p.responsible_actor());
  e->set_start_date(p.start_date());
  e->set_end_date(p.end_date());
  e->set_outcome(p.outcome());
}

CallResult FieldErrors(const std::vector<core::FieldError>& errors) {
  std::string message;
  for (const core::FieldError& e : errors) message += (message.empty() ? "" : "; ") + e.field + ": " + e.message.en;
  return CallResult::Error(IX_ERR_INVALID_ARGUMENT, message);
}

ix_status PlanFn(void* /*context*/, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("categorisation.plan", out, [&]() -> CallResult {
    ArenaRequest<v1::PlanRequest> parsed;
    v1::PlanRequest& req = parsed.message;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.PlanRequest", size);
    return Checked([&]() -> CallResult {
      Profile(req.profile_id(), "profile_id");
      core::Plan plan = FromProto(req.plan(), "plan");
      const auto errors = core::CheckPlan(plan, Data().catalogue, AdultRefs(req.household()));
      if (!errors.empty()) return FieldErrors(errors);
      v1::PlanResponse& resp = parsed.template Response<v1::PlanResponse>();
      *resp.mutable_plan() = req.plan();
      ToProto(plan, resp.mutable_plan());
      for (const v1::PlannedIntervention& p : resp.plan().interventions()) {
        AddInterventionEvent(req.household(), p, Data().catalogue, "", req.caseworker(), req.unit(), req.recorded_at(),
                             resp.mutable_events());
      }
      resp.add_lines()->set_en("Plan " + plan.plan_id + ": " + std::to_string(plan.goals.size()) + " goal(s), " +
                               std::to_string(plan.interventions.size()) + " intervention(s) from catalogue " +
                               Data().catalogue.id + "@" + Data().catalogue.version + ".");
      resp.mutable_lines(0)->set_sv("Plan " + plan.plan_id + ": " + std::to_string(plan.goals.size()) + " mål, " +
                                    std::to_string(plan.interventions.size()) + " insats(er) ur katalogen " +
                                    Data().catalogue.id + "@" + Data().catalogue.version + ".");
      return Serialized(resp);
    });
  });
}

ix_status FollowUpFn(void* /*context*/, const uint8_t* request, size_t size, ix_buffer* out) {
  return Guarded("categorisation.follow_up", out, [&]() -> CallResult {
    ArenaRequest<v1::FollowUpRequest> parsed;
    v1::FollowUpRequest& req = parsed.message;
    if (!ParseRequest(request, size, &req)) return Malformed("ix.v1.FollowUpRequest", size);
    return Checked([&]() -> CallResult {
      const v1::MunicipalityProfile& profile = Profile(req.profile_id(), "profile_id");
      const v1::FollowUp& f = req.follow_up();
      Adult(req.household(), f.person_ref(), "follow_up.person_ref");
      core::Plan plan = FromProto(req.plan(), "plan");
      const auto errors = core::ApplyFollowUp(FromProto(f, "follow_up"), plan);
      if (!errors.empty()) return FieldErrors(errors);
      if (!f.has_caseworker() && !f.has_client()) {
        return InvalidField("follow_up", "a follow-up needs a new assessment (caseworker and/or client)");
      }
      v1::FollowUpResponse& resp = parsed.template Response<v1::FollowUpResponse>();
      *resp.mutable_plan() = req.plan();
      ToProto(plan, resp.mutable_plan());
      v1::AssessmentRecord* record = resp.mutable_record();
      record->set_occasion_id(f.follow_up_id());
      record->set_person_ref(f.person_ref());
      record->set_occasion("follow_up");
      record->set_effective_date(f.date());
      if (f.has_caseworker()) *record->mutable_caseworker() = f.caseworker();
      if (f.has_client()) *record->mutable_client() = f.client();
      record->mutable_caseworker()->set_view(v1::ASSESSMENT_VIEW_CASEWORKER);
      if (!f.has_caseworker()) record->clear_caseworker();
      if (f.has_client()) record->mutable_client()->set_view(v1::ASSESSMENT_VIEW_CLIENT);
      v1::Event event;
      *resp.mutable_result() = GovernOccasion(req.household(), *record, profile, "follow_up", req.caseworker(),
                                              req.unit(), req.recorded_at(), &event);
      if (resp.result().has_effective()) *resp.add_events() = event;
      for (const std::string& id : f.ended_intervention_ids()) {
        for (const v1::PlannedIntervention& p : resp.plan().interventions()) {
          if (p.intervention_id() == id) {
            AddInterventionEvent(req.household(), p, Data().catalogue, "/ended", req.caseworker(), req.unit(),
                                 req.recorded_at(), resp.mutable_events());
          }
        }
      }
      for (const auto& line : resp.result().lines()) *resp.add_lines() = line;
      return Serialized(resp);
    });
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
