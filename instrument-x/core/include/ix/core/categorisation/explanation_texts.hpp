// The sentences the rules compose at run time — why a category was suggested, which fallback
// decided — in every language they are written in: sv and en, and representative Finnish,
// Arabic and easy-read Swedish translations. Each sentence is a pattern with {name}
// placeholders filled by FillText (ix/core/language.hpp), so a sentence whose parts are not all
// in a reader's language falls back whole, by the same rule as every other text.
#ifndef IX_CORE_CATEGORISATION_EXPLANATION_TEXTS_HPP
#define IX_CORE_CATEGORISATION_EXPLANATION_TEXTS_HPP

#include <ix/core/language.hpp>
#include <ix/core/model.hpp>

#include <string>
#include <vector>

namespace ix::core {

enum class Sentence {
  // Suggestion (ExplainSuggestion).
  kRatings,          // {far} {list} {sum}
  kRatingMissing,    // "missing", in a rating list
  kRatingsSum,       // {s} {n} {far}
  kAm1,              // {s} {am1} {far}
  kAm2,              // {am1} {am3} {min_far} {far} {s} {n}
  kAm3Sum,           // {s} {am3}
  kAm3FarRatings,    // {n} {far} {min_far}
  kAm3SumAndFarRatings,  // {s} {am3} {n} {far} {min_far}
  kNoAmMissingRatings,   // {list}
  kNoAmNoWorkCapacity,
  kNoAmWorkCapacityUnclear,
  kNoAmWorkCapacityUnanswered,
  kNoAmModule,
  kWorkCapacity,     // {code} {item}
  kTriggerYes,       // {kind} {label} {item}
  kNoRh,
  kFurtherMissingRatings,
  kFurtherWorkCapacityUnclear,
  kFurtherWorkCapacityMissing,
  kFurtherReducedWithoutCause,  // {code}
  kOfferInDepth,            // {months} {more_than}
  kOfferInDepthRestricted,  // {months} {more_than}
  kRuleSet,                 // {id} {version}
  // Governing (Govern).
  kPolicyClient,
  kPolicyCaseworker,
  kViewClient,
  kViewCaseworker,
  kEffective,          // {category} {policy}
  kEffectiveFallback,  // {category} {second} {first} {policy}
  kNoEffectiveNoFallback,  // {first} {second}
  kNoEffectiveNoAssessment,
  kDifference,         // {caseworker} {client}
  kSuggestionWas,      // {category}
};

// The pattern of a sentence, in sv, en and every translation.
const LocalizedText& SentenceText(Sentence sentence);
// Every sentence (tests check them as a definition's texts are checked).
std::vector<LocalizedText> AllSentences();

// The languages the sentences are written in (sv, en, fi, ar, sv-x-easy) and what each
// translation is (representative, written for this project).
const std::vector<std::string>& ExplanationLanguages();
const std::vector<LanguageNote>& ExplanationLanguageNotes();
// The first of ExplanationLanguages along the reader's fallback chain.
std::string ExplanationLanguageFor(const LanguageTag& reader);

// `text` for one reader: sv and en (always), and the one translation the reader's fallback
// chain reaches before Swedish, if any — so any reader applying the fallback rule to it gets
// the same text.
LocalizedText ForReader(const LocalizedText& text, const LanguageTag& reader);

}  // namespace ix::core

#endif  // IX_CORE_CATEGORISATION_EXPLANATION_TEXTS_HPP
