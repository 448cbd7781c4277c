#include "consent.hpp"

#include <ix/adapters/protected_identity.hpp>
#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <set>

namespace ix::adapters::exchange {
namespace internal {

bool Covers(const v1::ConsentRecord& consent, v1::ConsentScope scope) {
  return std::find(consent.scopes().begin(), consent.scopes().end(), scope) != consent.scopes().end();
}

namespace {

template <typename Repeated, typename Predicate>
int EraseIf(Repeated* list, Predicate predicate) {
  const int before = list->size();
  list->erase(std::remove_if(list->begin(), list->end(), predicate), list->end());
  return before - list->size();
}

}  // namespace

void LimitToConsent(const v1::ConsentRecord& consent, v1::Case* c, Report& report) {
  // Decided over every snapshot the case holds before anything is removed from it.
  const ProtectedIdentity rule = ProtectedIdentity::OfCase(*c);
  if (!Covers(consent, v1::CONSENT_SCOPE_RESPONSES) && c->responses_size() > 0) {
    c->clear_responses();
    report.NotInTarget("responses", "not covered by the consent");
  }
  if (!Covers(consent, v1::CONSENT_SCOPE_ASSESSMENTS)) {
    if (c->assessments_size() > 0) {
      c->clear_assessments();
      report.NotInTarget("assessments", "not covered by the consent");
    }
    if (EraseIf(c->mutable_events(), [](const v1::Event& e) { return e.has_categorisation(); }) > 0) {
      report.NotInTarget("events (categorisation)", "not covered by the consent");
    }
    if (c->in_depth_offers_size() > 0) {
      c->clear_in_depth_offers();
      report.NotInTarget("in_depth_offers", "not covered by the consent");
    }
  }
  if (!Covers(consent, v1::CONSENT_SCOPE_PLAN)) {
    if (c->has_plan()) {
      c->clear_plan();
      report.NotInTarget("plan", "not covered by the consent");
    }
    if (c->follow_ups_size() > 0) {
      c->clear_follow_ups();
      report.NotInTarget("follow_ups", "not covered by the consent");
    }
    if (EraseIf(c->mutable_events(), [](const v1::Event& e) { return e.has_intervention(); }) > 0) {
      report.NotInTarget("events (intervention)", "not covered by the consent");
    }
  }
  if (!Covers(consent, v1::CONSENT_SCOPE_FORSORJNINGSHINDER) && c->forsorjningshinder_size() > 0) {
    c->clear_forsorjningshinder();
    report.NotInTarget("forsorjningshinder", "not covered by the consent");
  }
  // Payments stay with the sender: the receiver starts its own assistance periods.
  if (c->assistance_size() > 0) {
    c->clear_assistance();
    report.NotInTarget("assistance", "assistance periods are the sender's own records");
  }
  if (EraseIf(c->mutable_events(), [](const v1::Event& e) { return e.has_assistance_period(); }) > 0) {
    report.NotInTarget("events (assistance_period)", "assistance periods are the sender's own records");
  }
  // Every snapshot says what the rule decided, so the receiver keeps the protection even where
  // the sender's older snapshot lacked it.
  const auto mark = [&rule](v1::Household* household) {
    for (auto& person : *household->mutable_persons()) {
      if (rule.IsProtected(person)) person.set_protected_identity(true);
    }
  };
  mark(c->mutable_household());
  for (auto& dated : *c->mutable_responses()) {
    auto* response = dated.mutable_response();
    mark(response->mutable_household());
    if (EraseIf(response->mutable_answers(),
                [&](const v1::Answer& a) { return rule.Withholds(response->household(), a); }) > 0) {
      report.Withheld("responses[*].answers (contact items)",
                      "contact data of a person with protected identity never leaves the system");
    }
    if (EraseIf(response->mutable_changes(),
                [&](const v1::Change& ch) { return rule.Withholds(response->household(), ch); }) > 0) {
      report.Withheld("responses[*].changes (contact items)",
                      "contact data of a person with protected identity never leaves the system");
    }
  }
}

Status CheckWithinConsent(const v1::ConsentRecord& consent, const v1::Case& c) {
  auto outside = [](std::string_view what, std::string_view scope) {
    return InvalidField("consent.scopes", "the package holds " + std::string(what) +
                                              ", which needs the consent scope " + std::string(scope));
  };
  if (c.responses_size() > 0 && !Covers(consent, v1::CONSENT_SCOPE_RESPONSES)) {
    return outside("responses", "RESPONSES");
  }
  const bool categorisation_events =
      std::any_of(c.events().begin(), c.events().end(), [](const v1::Event& e) { return e.has_categorisation(); });
  if ((c.assessments_size() > 0 || categorisation_events || c.in_depth_offers_size() > 0) &&
      !Covers(consent, v1::CONSENT_SCOPE_ASSESSMENTS)) {
    return outside("assessments", "ASSESSMENTS");
  }
  const bool intervention_events =
      std::any_of(c.events().begin(), c.events().end(), [](const v1::Event& e) { return e.has_intervention(); });
  if ((c.has_plan() || c.follow_ups_size() > 0 || intervention_events) && !Covers(consent, v1::CONSENT_SCOPE_PLAN)) {
    return outside("the plan", "PLAN");
  }
  if (c.forsorjningshinder_size() > 0 && !Covers(consent, v1::CONSENT_SCOPE_FORSORJNINGSHINDER)) {
    return outside("försörjningshinder", "FORSORJNINGSHINDER");
  }
  return Status::Ok();
}

Status CheckNoProtectedContactData(const v1::Case& c) {
  const ProtectedIdentity rule = ProtectedIdentity::OfCase(c);
  for (int r = 0; r < c.responses_size(); ++r) {
    const auto& response = c.responses(r).response();
    for (const auto& answer : response.answers()) {
      if (rule.Withholds(response.household(), answer)) {
        return InvalidField("household_case.responses[" + std::to_string(r) + "]",
                            "contact data ('" + answer.item_id() + "') of a person with protected identity; refused");
      }
    }
    for (const auto& change : response.changes()) {
      if (rule.Withholds(response.household(), change)) {
        return InvalidField("household_case.responses[" + std::to_string(r) + "].changes",
                            "contact data ('" + change.item_id() + "') of a person with protected identity; refused");
      }
    }
  }
  return Status::Ok();
}

}  // namespace internal

std::string_view ScopeName(v1::ConsentScope scope) {
  switch (scope) {
    case v1::CONSENT_SCOPE_RESPONSES: return "responses";
    case v1::CONSENT_SCOPE_ASSESSMENTS: return "assessments";
    case v1::CONSENT_SCOPE_PLAN: return "plan";
    case v1::CONSENT_SCOPE_FORSORJNINGSHINDER: return "forsorjningshinder";
    default: return "unspecified";
  }
}

Status CheckConsent(const v1::ConsentRecord& consent, const v1::Household& household) {
  auto bad = [](std::string_view field, std::string_view message) {
    return InvalidField("consent." + std::string(field), std::string(message));
  };
  if (consent.consent_id().empty()) return bad("consent_id", "missing");
  if (consent.scopes_size() == 0) return bad("scopes", "empty: the client agreed to share nothing");
  for (int scope : consent.scopes()) {
    if (scope == v1::CONSENT_SCOPE_UNSPECIFIED || !v1::ConsentScope_IsValid(scope)) {
      return bad("scopes", "holds an unknown scope");
    }
  }
  if (consent.recipient_municipality_code().size() != 4 ||
      !std::all_of(consent.recipient_municipality_code().begin(), consent.recipient_municipality_code().end(),
                   [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return bad("recipient_municipality_code", "expected a four-digit kommunkod");
  }
  if (consent.purpose() == v1::EXCHANGE_PURPOSE_UNSPECIFIED) return bad("purpose", "missing (referral or moving)");
  const auto given = core::ParseIsoDate(consent.given_on());
  if (!given) return bad("given_on", "expected YYYY-MM-DD");
  const auto expires = core::ParseIsoDate(consent.expires_on());
  if (!expires) return bad("expires_on", "expected YYYY-MM-DD");
  if (consent.expires_on() < consent.given_on()) return bad("expires_on", "before given_on");
  if (consent.recorded_by().empty()) return bad("recorded_by", "missing (the caseworker who recorded it)");
  std::set<std::string> given_by(consent.given_by().begin(), consent.given_by().end());
  for (const auto& ref : given_by) {
    const bool known = std::any_of(household.persons().begin(), household.persons().end(),
                                   [&](const v1::Person& p) { return p.person_ref() == ref; });
    if (!known) return bad("given_by", "names '" + ref + "', who is not in the household");
  }
  for (const auto& person : household.persons()) {
    if (person.role() == v1::HOUSEHOLD_ROLE_CHILD) continue;
    if (!given_by.contains(person.person_ref())) {
      return bad("given_by", "adult '" + person.person_ref() + "' has not consented");
    }
  }
  return Status::Ok();
}

}  // namespace ix::adapters::exchange
