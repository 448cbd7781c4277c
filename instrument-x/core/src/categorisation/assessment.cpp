#include <ix/core/categorisation/assessment.hpp>

#include <ix/core/categorisation/explanation_texts.hpp>
#include <ix/core/language.hpp>

namespace ix::core {

const std::array<std::string_view, kAmRatingCount>& AmRatingVariables() {
  static const std::array<std::string_view, kAmRatingCount> kVariables = {
      "education", "swedish", "work_experience", "health", "motivation", "job_seeking"};
  return kVariables;
}

int AmRatingIndex(std::string_view variable) {
  const auto& all = AmRatingVariables();
  for (int i = 0; i < kAmRatingCount; ++i) {
    if (all[static_cast<size_t>(i)] == variable) return i;
  }
  return -1;
}

std::optional<Problem> CheckAssessmentFacts(const AssessmentFacts& facts, const std::string& path) {
  if (facts.parts_completed) {
    const std::vector<int>& parts = *facts.parts_completed;
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string field = path + ".form_parts.completed[" + std::to_string(i) + "]";
      const std::string n = std::to_string(parts[i]);
      if (parts[i] < 1 || parts[i] > kFormPartCount) {
        return FieldProblem(field, "out_of_range",
                            {"del " + n + " finns inte (1 till " + std::to_string(kFormPartCount) + ")",
                             "part " + n + " does not exist (1 to " + std::to_string(kFormPartCount) + ")"});
      }
      for (size_t j = 0; j < i; ++j) {
        if (parts[j] == parts[i]) {
          return FieldProblem(field, "repeated", {"del " + n + " finns redan", "part " + n + " is given twice"});
        }
      }
    }
  }
  if (facts.am_ratings) {
    for (int i = 0; i < kAmRatingCount; ++i) {
      const int value = (*facts.am_ratings)[static_cast<size_t>(i)];
      if (value < 0 || value > kMaxAmRating) {
        const std::string v = std::to_string(value), limit = std::to_string(kMaxAmRating);
        return FieldProblem(path + ".am_ratings." + std::string(AmRatingVariables()[static_cast<size_t>(i)]),
                            "out_of_range",
                            {"skattningen " + v + " ligger utanför 0 till " + limit + " (0: inte skattad)",
                             "rating " + v + " is outside 0 to " + limit + " (0: not rated)"});
      }
    }
  }
  return std::nullopt;
}

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
