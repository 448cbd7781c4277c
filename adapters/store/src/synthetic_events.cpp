#include <ix/store/synthetic_events.hpp>

namespace ix::store {
namespace stats = ix::statistics;

namespace {

// The generated indicator facts as the event carries them (nothing when not recorded). A
// differing client view moves the AM level one step (or sets one when there was none).
void SetFacts(const stats::SyntheticEvent& e, v1::CategorisationEvent& c) {
  if (e.parts >= 0) {
    auto* parts = c.mutable_form_parts();
    for (int p = 0; p < 4; ++p) {
      if (e.parts & (1 << p)) parts->add_completed(p + 1);
    }
  }
  if (e.views >= 0) {
    auto* views = c.mutable_views();
    if (e.views & stats::kCaseworkerAssessed) *views->mutable_caseworker() = c.category();
    if (e.views & stats::kClientAssessed) {
      v1::Category* client = views->mutable_client();
      *client = c.category();
      if (e.views & stats::kViewsDiffer) {
        const int am = c.category().am_level();
        client->set_am_level(static_cast<v1::AmLevel>(am == v1::AM_LEVEL_AM3 ? v1::AM_LEVEL_AM2 : am + 1));
      }
    }
  }
  if (e.ratings >= 0) {
    stats::CategorisationRecord r;
    r.ratings = e.ratings;
    auto* a = c.mutable_am_ratings();
    a->set_education(r.Rating(0));
    a->set_swedish(r.Rating(1));
    a->set_work_experience(r.Rating(2));
    a->set_health(r.Rating(3));
    a->set_motivation(r.Rating(4));
    a->set_job_seeking(r.Rating(5));
  }
}

}  // namespace

void ToEvents(const stats::SyntheticPerson& person, const std::string& municipality, uint64_t seed,
              std::vector<v1::Event>& out) {
  out.clear();
  const std::string prefix = "syn-" + std::to_string(seed) + "-" + std::to_string(person.index) + "-";
  int n = 0;
  for (const stats::SyntheticEvent& e : person.events) {
    v1::Event& event = out.emplace_back();
    v1::EventHeader* h = nullptr;
    using Kind = stats::SyntheticEvent::Kind;
    switch (e.kind) {
      case Kind::kCategorisation: {
        auto* c = event.mutable_categorisation();
        h = c->mutable_header();
        c->mutable_category()->set_am_level(static_cast<v1::AmLevel>(e.am));
        for (int k = 0; k < 3; ++k) {
          if (e.r_mask & (1 << k)) c->mutable_category()->add_r_kinds(static_cast<v1::RKind>(k + 1));
        }
        c->mutable_category()->set_further_investigation(e.further_investigation);
        c->set_governing_view(v1::ASSESSMENT_VIEW_CASEWORKER);
        c->set_occasion(e.first_visit ? "first_visit" : "follow_up");
        SetFacts(e, *c);
        break;
      }
      case Kind::kPeriodStart:
      case Kind::kPeriodEnd: {
        auto* p = event.mutable_assistance_period();
        h = p->mutable_header();
        p->set_start_date(stats::FormatDay(e.start));
        if (e.kind == Kind::kPeriodEnd) {
          p->set_end_date(stats::FormatDay(e.end));
          p->set_exit_reason(static_cast<v1::ExitReason>(e.exit));
        }
        break;
      }
      case Kind::kInterventionStart:
      case Kind::kInterventionEnd: {
        auto* i = event.mutable_intervention();
        h = i->mutable_header();
        i->set_intervention_id("iv-" + std::to_string(e.intervention));
        const stats::SyntheticKind kind = stats::SyntheticInterventionKind(person, e);
        i->set_kind(kind.kind);
        i->set_orientation(static_cast<v1::InterventionOrientation>(e.orientation));
        i->set_responsible_actor(kind.actor);
        i->set_start_date(stats::FormatDay(e.start));
        if (e.kind == Kind::kInterventionEnd) {
          i->set_end_date(stats::FormatDay(e.end));
          i->set_outcome(static_cast<v1::KasOutcome>(e.outcome));
        }
        break;
      }
      case Kind::kMilestone: {
        auto* m = event.mutable_milestone();
        h = m->mutable_header();
        m->set_milestone(static_cast<v1::Milestone>(e.milestone));
        break;
      }
    }
    h->set_event_id(prefix + std::to_string(n++));
    h->set_municipality_code(municipality);
    h->set_effective_date(stats::FormatDay(e.day));
    h->set_recorded_at(stats::FormatDay(e.day) + "T12:00:00Z");
    h->set_unit("unit-" + std::to_string(e.unit));
    h->set_caseworker("cw-" + std::to_string(e.caseworker));
    v1::Subject* s = h->mutable_subject();
    s->set_personnummer(person.personnummer);
    s->set_sex(static_cast<v1::Sex>(person.sex));
    s->set_birth_year(person.birth_year);
    s->set_birth_month(person.birth_month);
  }
}

}  // namespace ix::store
