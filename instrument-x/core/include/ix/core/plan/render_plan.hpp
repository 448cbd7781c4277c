// Printed pages for the client: the plan (part 3) in plain language and in the client's
// language — the client's own goals first, then each intervention's purpose, provider and dates
// — and the intervention catalogue (what each intervention is, which needs it serves, who
// provides it). Self-contained accessible HTML like the printable form (forms/print_page.hpp).
#ifndef IX_CORE_PLAN_RENDER_PLAN_HPP
#define IX_CORE_PLAN_RENDER_PLAN_HPP

#include <ix/core/plan/plan.hpp>

#include <string>

namespace ix::core {

struct ClientPageOptions {
  std::string language = "sv";  // a well-formed BCP 47 tag (the caller checks it)
  std::string municipality;     // printed in the header; empty: none
  std::string person_ref;       // the plan: whose goals and interventions; empty: everyone's
};

// The plan as the client reads it. Goals are printed as written (the client's own words, never
// translated); intervention names, purposes and providers come from the catalogue in the
// client's language by the fallback rule.
std::string RenderClientPlanHtml(const Plan& plan, const InterventionCatalogue& catalogue,
                                 const ClientPageOptions& options);

// The catalogue as the client reads it: per orientation (work, studies, rehabilitative) each
// intervention with its description, the needs it serves and its provider.
std::string RenderInterventionCatalogueHtml(const InterventionCatalogue& catalogue, const ClientPageOptions& options);

// The need codes an intervention may serve ("AM1" … "further_investigation").
bool IsNeedCode(const std::string& code);

// Checks a catalogue's texts and codes: languages (well-formed, within the limits), every
// translation in one of them, `serves` need codes, default actors that exist. Empty: usable.
std::vector<Problem> CheckInterventionCatalogue(const InterventionCatalogue& catalogue);

}  // namespace ix::core

#endif  // IX_CORE_PLAN_RENDER_PLAN_HPP
