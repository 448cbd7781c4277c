#include <ix/core/categorisation/assessment.hpp>

#include <ix/core/categorisation/explanation_texts.hpp>
#include <ix/core/language.hpp>

namespace ix::core {

Governed Govern(const std::optional<Assessment>& caseworker, const std::optional<Assessment>& client,
                GoverningPolicy policy, GoverningFallback fallback, const std::optional<Category>& suggestion) {
  Governed g;
  const bool client_first = policy == GoverningPolicy::kClient;
  const std::optional<Assessment>& first = client_first ? client : caseworker;
  const std::optional<Assessment>& second = client_first ? caseworker : client;
  const LocalizedText policy_text = SentenceText(client_first ? Sentence::kPolicyClient : Sentence::kPolicyCaseworker);
  const AssessmentView first_view = client_first ? AssessmentView::kClient : AssessmentView::kCaseworker;
  const AssessmentView second_view = client_first ? AssessmentView::kCaseworker : AssessmentView::kClient;
  auto who = [](AssessmentView v) -> const LocalizedText& {
    return SentenceText(v == AssessmentView::kClient ? Sentence::kViewClient : Sentence::kViewCaseworker);
  };
  auto category = [](const Category& c) { return Verbatim(DescribeCategory(c)); };

  if (first) {
    g.effective = first->category;
    g.governing_view = first_view;
    g.lines.push_back(FillText(SentenceText(Sentence::kEffective), {{"category", category(*g.effective)}, {"policy", policy_text}}));
  } else if (second && fallback == GoverningFallback::kOtherView) {
    g.effective = second->category;
    g.governing_view = second_view;
    g.fallback_used = true;
    g.lines.push_back(FillText(SentenceText(Sentence::kEffectiveFallback), {{"category", category(*g.effective)},
                                                                           {"second", who(second_view)},
                                                                           {"first", who(first_view)},
                                                                           {"policy", policy_text}}));
  } else if (second) {
    g.fallback_used = true;
    g.lines.push_back(
        FillText(SentenceText(Sentence::kNoEffectiveNoFallback), {{"first", who(first_view)}, {"second", who(second_view)}}));
  } else {
    g.lines.push_back(SentenceText(Sentence::kNoEffectiveNoAssessment));
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
      g.lines.push_back(FillText(SentenceText(Sentence::kDifference),
                                 {{"caseworker", category(a)}, {"client", category(b)}}));
    }
  }
  if (suggestion && g.effective) {
    Category s = *suggestion;
    Normalize(s);
    if (s.am_level != g.effective->am_level || s.r_kinds != g.effective->r_kinds) {
      g.lines.push_back(FillText(SentenceText(Sentence::kSuggestionWas), {{"category", category(s)}}));
    }
  }
  return g;
}

}  // namespace ix::core
