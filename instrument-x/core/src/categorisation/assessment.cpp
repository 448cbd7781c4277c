#include <ix/core/categorisation/assessment.hpp>

namespace ix::core {

Governed Govern(const std::optional<Assessment>& caseworker, const std::optional<Assessment>& client,
                GoverningPolicy policy, GoverningFallback fallback, const std::optional<Category>& suggestion) {
  Governed g;
  const bool client_first = policy == GoverningPolicy::kClient;
  const std::optional<Assessment>& first = client_first ? client : caseworker;
  const std::optional<Assessment>& second = client_first ? caseworker : client;
  const LocalizedText policy_text =
      client_first ? LocalizedText{"klientens självskattning gäller", "the client's self-assessment governs"}
                   : LocalizedText{"handläggarens bedömning gäller", "the caseworker's assessment governs"};
  const AssessmentView first_view = client_first ? AssessmentView::kClient : AssessmentView::kCaseworker;
  const AssessmentView second_view = client_first ? AssessmentView::kCaseworker : AssessmentView::kClient;
  auto who = [](AssessmentView v) -> LocalizedText {
    return v == AssessmentView::kClient ? LocalizedText{"klientens självskattning", "the client's self-assessment"}
                                        : LocalizedText{"handläggarens bedömning", "the caseworker's assessment"};
  };

  if (first) {
    g.effective = first->category;
    g.governing_view = first_view;
    g.lines.push_back({"Gällande: " + DescribeCategory(*g.effective) + " – enligt profilen " + policy_text.sv + ".",
                       "Effective: " + DescribeCategory(*g.effective) + " — by the profile, " + policy_text.en + "."});
  } else if (second && fallback == GoverningFallback::kOtherView) {
    g.effective = second->category;
    g.governing_view = second_view;
    g.fallback_used = true;
    g.lines.push_back({"Gällande (reserv enligt regeluppsättningen): " + DescribeCategory(*g.effective) + " – " +
                           who(second_view).sv + ", eftersom " + who(first_view).sv + " saknas och profilen säger att " +
                           policy_text.sv + ".",
                       "Effective (the rule set's fallback): " + DescribeCategory(*g.effective) + " — " +
                           who(second_view).en + ", because " + who(first_view).en + " is missing and by the profile " +
                           policy_text.en + "."});
  } else if (second) {
    g.fallback_used = true;
    g.lines.push_back({"Ingen gällande kategori: " + who(first_view).sv + " saknas och regeluppsättningen har ingen reserv; " +
                           who(second_view).sv + " är antecknad men gäller inte.",
                       "No effective category: " + who(first_view).en + " is missing and the rule set has no fallback; " +
                           who(second_view).en + " is recorded but not effective."});
  } else {
    g.lines.push_back({"Ingen gällande kategori: ingen person har gjort en bedömning (förslaget gäller aldrig ensamt).",
                       "No effective category: no person has assessed yet (the suggestion is never effective on its own)."});
  }

  if (caseworker && client) {
    Category a = caseworker->category;
    Category b = client->category;
    Normalize(a);
    Normalize(b);
    if (a.am_level != b.am_level) g.discrepancy_fields.push_back("am_level");
    if (a.r_kinds != b.r_kinds) g.discrepancy_fields.push_back("r_kinds");
    g.discrepancy = !g.discrepancy_fields.empty();
    if (g.discrepancy) {
      g.lines.push_back({"Skillnad att samtala om: handläggaren " + DescribeCategory(a) + ", klienten " + DescribeCategory(b) + ".",
                         "Difference to discuss: caseworker " + DescribeCategory(a) + ", client " + DescribeCategory(b) + "."});
    }
  }
  if (suggestion && g.effective) {
    Category s = *suggestion;
    Normalize(s);
    if (s.am_level != g.effective->am_level || s.r_kinds != g.effective->r_kinds) {
      g.lines.push_back({"Förslaget var " + DescribeCategory(s) + "; personernas bedömning avgör.",
                         "The suggestion was " + DescribeCategory(s) + "; the people's assessment decides."});
    }
  }
  return g;
}

}  // namespace ix::core
