// events.proto: the categorisation and intervention events casework records.
#include "codec/codec.hpp"

#include <ix/core/personnummer.hpp>

namespace ix::plugin {
namespace {

void ToProto(const core::EventHeader& in, v1::EventHeader* out) {
  out->set_event_id(in.event_id);
  out->set_municipality_code(in.municipality_code);
  v1::Subject* s = out->mutable_subject();
  s->set_personnummer(in.subject.personnummer);
  s->set_sex(ix::plugin::ToProto(in.subject.sex));
  if (in.subject.birth_year != 0) {
    s->set_birth_year(in.subject.birth_year);
    s->set_birth_month(in.subject.birth_month);
  }
  out->set_effective_date(core::FormatIsoDate(in.effective_date));
  out->set_recorded_at(in.recorded_at);
  out->set_unit(in.unit);
  out->set_caseworker(in.caseworker);
}

}  // namespace

core::AssessmentFacts FactsFromProto(const v1::FormParts* parts, const v1::AmRatings* ratings, const std::string& field) {
  core::AssessmentFacts out;
  if (parts != nullptr) out.parts_completed = std::vector<int>(parts->completed().begin(), parts->completed().end());
  if (ratings != nullptr) {
    out.am_ratings = core::AmRatings{ratings->education(), ratings->swedish(),    ratings->work_experience(),
                                     ratings->health(),    ratings->motivation(), ratings->job_seeking()};
  }
  if (auto problem = core::CheckAssessmentFacts(out, field)) throw Rejected({std::move(*problem)});
  return out;
}

void ToProto(const core::AssessmentFacts& in, v1::FormParts* parts, v1::AmRatings* ratings) {
  if (in.parts_completed && parts != nullptr) {
    for (const int part : *in.parts_completed) parts->add_completed(part);
  }
  if (in.am_ratings && ratings != nullptr) {
    const core::AmRatings& r = *in.am_ratings;
    ratings->set_education(r[0]);
    ratings->set_swedish(r[1]);
    ratings->set_work_experience(r[2]);
    ratings->set_health(r[3]);
    ratings->set_motivation(r[4]);
    ratings->set_job_seeking(r[5]);
  }
}

void ToProto(const core::CategorisationEvent& in, v1::CategorisationEvent* out) {
  ToProto(in.header, out->mutable_header());
  ToProto(in.category, out->mutable_category());
  out->set_governing_view(ToProto(in.governing_view));
  out->set_occasion(in.occasion);
  ToProto(in.facts, in.facts.parts_completed ? out->mutable_form_parts() : nullptr,
          in.facts.am_ratings ? out->mutable_am_ratings() : nullptr);
  if (in.views_recorded) {
    v1::AssessmentViews* views = out->mutable_views();
    if (in.caseworker_view) ToProto(*in.caseworker_view, views->mutable_caseworker());
    if (in.client_view) ToProto(*in.client_view, views->mutable_client());
  }
}

void ToProto(const core::InterventionEvent& in, v1::InterventionEvent* out) {
  ToProto(in.header, out->mutable_header());
  out->set_intervention_id(in.intervention_id);
  out->set_kind(in.kind);
  out->set_orientation(ToProto(in.orientation));
  out->set_responsible_actor(in.responsible_actor);
  out->set_start_date(DateText(in.start_date));
  out->set_end_date(DateText(in.end_date));
  out->set_outcome(ToProto(in.outcome));
}

std::vector<core::CategorisationEvent> CategorisationEventsFromProto(
    const google::protobuf::RepeatedPtrField<v1::Event>& events, const std::string& field) {
  std::vector<core::CategorisationEvent> out;
  for (int i = 0; i < events.size(); ++i) {
    if (!events[i].has_categorisation()) continue;
    const v1::CategorisationEvent& c = events[i].categorisation();
    const std::string path = field + "[" + std::to_string(i) + "].categorisation";
    core::CategorisationEvent& e = out.emplace_back();
    // What history and the clocks read: whose it is, from when, what, why.
    e.header.event_id = c.header().event_id();
    e.header.subject.personnummer = c.header().subject().personnummer();
    e.header.effective_date = RequiredDate(c.header().effective_date(), path + ".header.effective_date");
    e.category = FromProto(c.category(), path + ".category");
    e.governing_view = FromProto(c.governing_view());
    e.occasion = c.occasion();
    e.facts = FactsFromProto(c.has_form_parts() ? &c.form_parts() : nullptr,
                             c.has_am_ratings() ? &c.am_ratings() : nullptr, path);
    e.views_recorded = c.has_views();
    if (c.views().has_caseworker()) e.caseworker_view = FromProto(c.views().caseworker(), path + ".views.caseworker");
    if (c.views().has_client()) e.client_view = FromProto(c.views().client(), path + ".views.client");
  }
  return out;
}

}  // namespace ix::plugin
