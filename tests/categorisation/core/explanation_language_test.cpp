// The run-time explanation sentences in every language they are written in (fi, ar, sv-x-easy
// beside sv and en), read with the one fallback rule: a table per language, a reader whose
// language has no sentences, and a sentence whose parts lack the reader's language.
#include "rules_fixture.hpp"

#include <ix/core/categorisation/assessment.hpp>
#include <ix/core/categorisation/explanation_texts.hpp>
#include <ix/core/language.hpp>
#include <ix/core/limits.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ix::core {
namespace {

using testing::DefaultRules;
using testing::OneAdult;

LanguageTag Tag(const char* text) {
  const auto tag = ParseLanguageTag(text);
  EXPECT_TRUE(tag.has_value()) << text;
  return tag.value_or(LanguageTag{"sv", "sv", "", ""});
}

std::string For(const LocalizedText& text, const char* reader, std::string* used = nullptr) {
  return TextIn(text, Tag(reader), used);
}

// AM3 by sum and far ratings, R2, reduced capacity, 7 months on assistance.
const std::vector<LocalizedText>& Lines(const RuleSet& rules) {
  static std::vector<LocalizedText> lines;
  lines = Suggest(rules, ProfileRules{}, OneAdult({{2, 3, 3, 2, 1, 3}, "reduced", false, true, false}), 7)
              .suggestions.at(0)
              .explanation.lines;
  return lines;
}

TEST(ExplanationLanguage, EveryLanguageWithAFallback) {
  struct Case {
    const char* reader;
    const char* language;  // ExplanationLanguageFor
    const char* am_line;
    const char* trigger_line;  // its label is the rule set's, in sv and en only
    const char* governed;      // the governing fallback's sentence
  };
  const Case cases[] = {
      {"sv", "sv", "AM3: S = 14 ≥ 14 och 3 skattningar 3 (minst 3).",
       "R2: \"Psykisk\" (health.mental_limits_work) besvarades ja.",
       "Gällande (reserv enligt regeluppsättningen): AM2 – klientens självskattning, eftersom handläggarens bedömning "
       "saknas och profilen säger att handläggarens bedömning gäller."},
      {"en", "en", "AM3: S = 14 ≥ 14 and 3 ratings of 3 (at least 3).",
       "R2: \"Mental health limits work\" (health.mental_limits_work) was answered yes.",
       "Effective (the rule set's fallback): AM2 — the client's self-assessment, because the caseworker's assessment "
       "is missing and by the profile the caseworker's assessment governs."},
      {"fi", "fi", "AM3: S = 14 ≥ 14 ja 3 arviota 3 (vähintään 3).",
       "R2: \"Psykisk\" (health.mental_limits_work) besvarades ja.",  // the label has no Finnish: the whole line falls back
       "Voimassa (sääntökokoelman varavaihtoehto): AM2 — asiakkaan oma arvio, koska käsittelijän arvio puuttuu ja "
       "profiilin mukaan käsittelijän arvio ratkaisee."},
      {"fi-FI", "fi", "AM3: S = 14 ≥ 14 ja 3 arviota 3 (vähintään 3).",
       "R2: \"Psykisk\" (health.mental_limits_work) besvarades ja.",
       "Voimassa (sääntökokoelman varavaihtoehto): AM2 — asiakkaan oma arvio, koska käsittelijän arvio puuttuu ja "
       "profiilin mukaan käsittelijän arvio ratkaisee."},
      {"ar", "ar", "AM3: S = 14 ≥ 14 و3 تقييمات بقيمة 3 (على الأقل 3).",
       "R2: \"Psykisk\" (health.mental_limits_work) besvarades ja.",
       "الساري (البديل وفق مجموعة القواعد): AM2 — التقييم الذاتي للعميل، لأن تقييم موظف الحالة غير موجود ووفق الملف "
       "تقييم موظف الحالة هو المعتمد."},
      {"ar-SE", "ar", "AM3: S = 14 ≥ 14 و3 تقييمات بقيمة 3 (على الأقل 3).",
       "R2: \"Psykisk\" (health.mental_limits_work) besvarades ja.",
       "الساري (البديل وفق مجموعة القواعد): AM2 — التقييم الذاتي للعميل، لأن تقييم موظف الحالة غير موجود ووفق الملف "
       "تقييم موظف الحالة هو المعتمد."},
      {"sv-x-easy", "sv-x-easy", "AM3: summan S = 14 är minst 14, och 3 bedömningar är 3.",
       "R2: svaret var ja på \"Psykisk\" (health.mental_limits_work).",  // easy-read Swedish reads the Swedish label
       "Det här gäller tills vidare: AM2. Det är klientens egen bedömning, eftersom handläggarens bedömning saknas. "
       "Kommunens regel: handläggarens bedömning gäller."},
      {"de", "sv", "AM3: S = 14 ≥ 14 och 3 skattningar 3 (minst 3).",  // no German: Swedish, not English
       "R2: \"Psykisk\" (health.mental_limits_work) besvarades ja.",
       "Gällande (reserv enligt regeluppsättningen): AM2 – klientens självskattning, eftersom handläggarens bedömning "
       "saknas och profilen säger att handläggarens bedömning gäller."},
  };
  const std::vector<LocalizedText>& lines = Lines(DefaultRules());
  ASSERT_GE(lines.size(), 5u);
  Category am2;
  am2.am_level = AmLevel::kAm2;
  const Governed governed = Govern(std::nullopt, Assessment{AssessmentView::kClient, am2, "", "client", {}},
                                   GoverningPolicy::kCaseworker, GoverningFallback::kOtherView, std::nullopt);
  ASSERT_EQ(governed.lines.size(), 1u);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reader);
    EXPECT_EQ(ExplanationLanguageFor(Tag(c.reader)), c.language);
    EXPECT_EQ(For(lines[1], c.reader), c.am_line);
    EXPECT_EQ(For(lines[3], c.reader), c.trigger_line);
    EXPECT_EQ(For(governed.lines[0], c.reader), c.governed);
  }
}

// With the rule set's labels translated, the sentences that name them are translated too.
TEST(ExplanationLanguage, TranslatedLabelsComposeIntoTheSentence) {
  RuleSet rules = DefaultRules();
  const char* ar[] = {"التعليم", "السويدية", "الخبرة العملية", "الصحة", "الدافعية", "البحث عن عمل"};
  for (size_t i = 0; i < rules.am_variables.size(); ++i) rules.am_variables[i].label.translations = {{"ar", ar[i]}};
  rules.r_triggers[1].label.translations = {{"ar", "الصحة النفسية تحد من العمل"}};
  const std::vector<LocalizedText>& lines = Lines(rules);
  EXPECT_EQ(For(lines[0], "ar"),
            "التقييمات (1 = قريب من سوق العمل، 3 = بعيد): التعليم 2, السويدية 3, الخبرة العملية 3, الصحة 2, الدافعية 1, "
            "البحث عن عمل 3؛ S = 14، 3 تقييمات بقيمة 3.");
  EXPECT_EQ(For(lines[3], "ar"), "R2: أُجيب بنعم عن \"الصحة النفسية تحد من العمل\" (health.mental_limits_work).");
  // One label without Arabic: that line falls back whole, the others stay Arabic.
  rules.am_variables[0].label.translations.clear();
  std::string used;
  EXPECT_EQ(For(Lines(rules)[0], "ar", &used).rfind("Skattningar (1 = nära arbetsmarknaden", 0), 0u);
  EXPECT_EQ(used, "sv");
  EXPECT_EQ(For(Lines(rules)[3], "ar", &used).rfind("R2: أُجيب بنعم", 0), 0u);
  EXPECT_EQ(used, "ar");
  // Swedish and English read as they always did.
  EXPECT_EQ(Lines(rules)[1].en, "AM3: S = 14 ≥ 14 and 3 ratings of 3 (at least 3).");
}

// A rule set's translated labels are checked as a definition's texts: listed languages,
// well-formed tags, limits; each problem names the field.
TEST(ExplanationLanguage, RuleSetTextsAreChecked) {
  RuleSet rules = DefaultRules();
  rules.languages = {"ar", "fi"};
  rules.language_notes = {{"ar", true, "ترجمة تمثيلية"}};
  rules.am_variables[0].label.translations = {{"ar", "التعليم"}};
  EXPECT_TRUE(CheckRuleSet(rules).empty());
  rules.am_variables[0].label.translations.push_back({"de", "Bildung"});
  rules.r_triggers[2].label.translations = {{"ar", std::string(20001, 'x')}};
  rules.languages.push_back("x-easy");
  std::set<std::string> paths;
  for (const Problem& p : CheckRuleSet(rules)) paths.insert(p.path);
  EXPECT_EQ(paths, (std::set<std::string>{"r_triggers[2].label.translations[0].text"}));  // limits first
  rules.r_triggers[2].label.translations.clear();
  paths.clear();
  for (const Problem& p : CheckRuleSet(rules)) paths.insert(p.path);
  EXPECT_EQ(paths, (std::set<std::string>{"languages[2]", "am_variables[0].label.translations[1].language"}));
}

// What a caller receives for one reader: sv and en, and the one translation its chain reaches.
TEST(ExplanationLanguage, ForReaderKeepsTheReadersTranslationOnly) {
  const LocalizedText& text = SentenceText(Sentence::kNoRh);
  const LocalizedText ar = ForReader(text, Tag("ar-SE"));
  EXPECT_EQ(ar.sv, text.sv);
  EXPECT_EQ(ar.en, text.en);
  ASSERT_EQ(ar.translations.size(), 1u);
  EXPECT_EQ(ar.translations[0].language, "ar");
  EXPECT_EQ(TextIn(ar, Tag("ar-SE")), "لم تُحدَّد حاجة RH.");
  EXPECT_TRUE(ForReader(text, Tag("de")).translations.empty());
  EXPECT_TRUE(ForReader(text, Tag("en-GB")).translations.empty());
  EXPECT_EQ(ForReader(text, Tag("sv-x-easy")).translations.at(0).text, "Inget behov av RH.");
}

// The sentences are checked as a definition's texts are: languages, tags, limits; every
// language has every sentence, with the same placeholders.
TEST(ExplanationLanguage, TheSentencesAreCheckedLikeADefinition) {
  std::vector<Problem> problems;
  CheckLanguageList(ExplanationLanguages(), ExplanationLanguageNotes(), true, "explanations.languages", problems);
  const std::vector<LocalizedText> sentences = AllSentences();
  ASSERT_GT(sentences.size(), 30u);
  auto placeholders = [](const std::string& text) {
    std::set<std::string> out;
    for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
      out.insert(text.substr(open, text.find('}', open) - open + 1));
    }
    return out;
  };
  for (size_t i = 0; i < sentences.size(); ++i) {
    const std::string path = "explanations[" + std::to_string(i) + "]";
    CheckTextLimits(sentences[i], path, DefaultLimits(), problems);
    CheckText(sentences[i], ExplanationLanguages(), path, problems);
    for (const std::string& language : ExplanationLanguages()) {
      std::string used;
      const std::string& text = TextIn(sentences[i], Tag(language.c_str()), &used);
      EXPECT_EQ(used, language) << sentences[i].en;
      // An easy-read sentence may leave a number out; no text may name a value the sentence lacks.
      for (const std::string& name : placeholders(text)) {
        EXPECT_TRUE(placeholders(sentences[i].en).contains(name)) << language << ": " << text;
      }
    }
  }
  for (const Problem& p : problems) ADD_FAILURE() << p.path << ": " << p.message.en;
  for (const LanguageNote& note : ExplanationLanguageNotes()) EXPECT_TRUE(note.representative_translation) << note.language;
}

}  // namespace
}  // namespace ix::core
