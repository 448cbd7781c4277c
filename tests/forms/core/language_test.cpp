// Languages: BCP 47 tags (table of well-formed and refused tags), the fallback rule (table:
// exact tag -> shorter tags -> sv), right-to-left detection, text checks of a definition
// (hostile: 10 000 languages, a 1 MB text), and what the printed pages do with languages,
// hidden module items and the client's plan.
#include <ix/core/definition.hpp>
#include <ix/core/forms/render_html.hpp>
#include <ix/core/language.hpp>
#include <ix/core/personnummer.hpp>
#include <ix/core/plan/render_plan.hpp>

#include <gtest/gtest.h>

namespace ix::core {
namespace {

struct TagCase {
  const char* input;
  const char* canonical;  // nullptr: refused
};

TEST(LanguageTag, WellFormedTagsAreAcceptedInCanonicalCase) {
  const TagCase cases[] = {
      {"sv", "sv"},
      {"SV", "sv"},
      {"en-GB", "en-GB"},
      {"en-gb", "en-GB"},
      {"ar", "ar"},
      {"fi", "fi"},
      {"sv-x-easy", "sv-x-easy"},
      {"sv-X-Easy", "sv-x-easy"},
      {"zh-hant-tw", "zh-Hant-TW"},
      {"sr-Latn", "sr-Latn"},
      {"es-419", "es-419"},
      {"de-CH-1901", "de-CH-1901"},
      {"sl-rozaj-biske", "sl-rozaj-biske"},
      {"zh-yue-HK", "zh-yue-HK"},
      {"de-CH-x-phonebk", "de-CH-x-phonebk"},
      {"en-a-bbb-x-a-ccc", "en-a-bbb-x-a-ccc"},
      {"ckb", "ckb"},
      // Refused: malformed, empty subtags, wrong order, private use or grandfathered only.
      {"", nullptr},
      {"s", nullptr},
      {"sv-", nullptr},
      {"-sv", nullptr},
      {"sv--x", nullptr},
      {"sv_SE", nullptr},
      {"123", nullptr},
      {"sv-x", nullptr},
      {"sv-a", nullptr},
      {"en-a-b", nullptr},           // an extension subtag is 2–8 characters
      {"en-GB-Latn", nullptr},       // script after region
      {"sv-toolongsubtag", nullptr}, // more than 8 characters
      {"x-easy", nullptr},
      {"i-klingon", nullptr},
      {"sv SE", nullptr},
      {"sv\xC3\xA5", nullptr},
  };
  for (const TagCase& c : cases) {
    std::string why;
    const auto tag = ParseLanguageTag(c.input, &why);
    if (c.canonical == nullptr) {
      EXPECT_FALSE(tag.has_value()) << "'" << c.input << "' accepted as " << (tag ? tag->tag : "");
      EXPECT_FALSE(why.empty()) << c.input;
    } else {
      ASSERT_TRUE(tag.has_value()) << "'" << c.input << "' refused: " << why;
      EXPECT_EQ(tag->tag, c.canonical) << c.input;
    }
  }
  std::string many = "sv";
  while (many.size() <= kMaxLanguageTagBytes) many += "-abcdefgh";
  std::string why;
  EXPECT_FALSE(ParseLanguageTag(many, &why));
  EXPECT_NE(why.find("at most 64"), std::string::npos) << why;
}

TEST(LanguageTag, SubtagsAreSeparated) {
  const auto tag = ParseLanguageTag("zh-Hant-TW");
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->language, "zh");
  EXPECT_EQ(tag->script, "Hant");
  EXPECT_EQ(tag->region, "TW");
}

LanguageTag Tag(const char* text) {
  auto tag = ParseLanguageTag(text);
  if (!tag) throw std::runtime_error(std::string("test tag does not parse: ") + text);
  return *tag;
}

TEST(LanguageFallback, ChainIsExactThenShorterThenSwedish) {
  const std::pair<const char*, std::vector<std::string>> cases[] = {
      {"sv", {"sv"}},
      {"en", {"en", "sv"}},
      {"ar", {"ar", "sv"}},
      {"sv-x-easy", {"sv-x-easy", "sv"}},
      {"fi-FI", {"fi-FI", "fi", "sv"}},
      {"zh-Hant-TW", {"zh-Hant-TW", "zh-Hant", "zh", "sv"}},
      {"en-a-bbb-x-a-ccc", {"en-a-bbb-x-a-ccc", "en-a-bbb", "en", "sv"}},  // singletons go with their subtag
      {"de-CH-x-phonebk", {"de-CH-x-phonebk", "de-CH", "de", "sv"}},
  };
  for (const auto& [tag, chain] : cases) EXPECT_EQ(FallbackChain(Tag(tag)), chain) << tag;
}

TEST(LanguageFallback, TableOfLookups) {
  LocalizedText text{"svenska", "English", {{"ar", "عربي"}, {"fi", "suomi"}, {"sv-x-easy", "lätt"}, {"FI-fi", "Suomi (Suomi)"}}};
  LocalizedText sv_only{"bara svenska", "", {}};
  LocalizedText empty_ar{"svenska", "English", {{"ar", ""}}};
  struct Case {
    const LocalizedText* text;
    const char* requested;
    const char* expected;
    const char* used;
  };
  const Case cases[] = {
      {&text, "sv", "svenska", "sv"},
      {&text, "en", "English", "en"},
      {&text, "en-GB", "English", "en"},          // language subtag
      {&text, "ar", "عربي", "ar"},               // exact
      {&text, "ar-SE", "عربي", "ar"},            // language subtag
      {&text, "fi", "suomi", "fi"},
      {&text, "fi-FI", "Suomi (Suomi)", "fi-FI"},  // exact match is case-insensitive
      {&text, "sv-x-easy", "lätt", "sv-x-easy"},
      {&text, "sv-FI", "svenska", "sv"},
      {&text, "de", "svenska", "sv"},             // unknown: Swedish, not English
      {&sv_only, "en", "bara svenska", "sv"},     // an empty text counts as missing
      {&sv_only, "sv-x-easy", "bara svenska", "sv"},
      {&empty_ar, "ar", "svenska", "sv"},
  };
  for (const Case& c : cases) {
    std::string used;
    EXPECT_EQ(TextIn(*c.text, Tag(c.requested), &used), c.expected) << c.requested;
    EXPECT_EQ(used, c.used) << c.requested;
  }
}

TEST(LanguageDirection, RightToLeftByScriptElseLanguage) {
  EXPECT_TRUE(IsRightToLeft(Tag("ar")));
  EXPECT_TRUE(IsRightToLeft(Tag("ar-SE")));
  EXPECT_TRUE(IsRightToLeft(Tag("fa")));
  EXPECT_TRUE(IsRightToLeft(Tag("he")));
  EXPECT_TRUE(IsRightToLeft(Tag("ku-Arab")));
  EXPECT_FALSE(IsRightToLeft(Tag("ar-Latn")));
  EXPECT_FALSE(IsRightToLeft(Tag("sv")));
  EXPECT_FALSE(IsRightToLeft(Tag("fi")));
  EXPECT_FALSE(IsRightToLeft(Tag("sv-x-easy")));
}

Definition WithTexts() {
  Definition d;
  d.id = "ix-lang";
  d.version = "1";
  d.languages = {"sv", "en", "ar"};
  d.title = {"Titel", "Title", {{"ar", "عنوان"}}};
  Item item;
  item.id = "q";
  item.type = ItemType::kBoolean;
  item.scope = ItemScope::kAdult;
  item.label = {"Fråga", "Question", {{"ar", "سؤال"}}};
  d.parts.push_back({1, {"Del", "Part"}, {{"s", {"Avsnitt", "Section"}, {item}}}});
  return d;
}

bool HasProblem(const std::vector<Problem>& problems, const std::string& path, const std::string& words) {
  for (const Problem& p : problems) {
    if (p.path == path && p.message.en.find(words) != std::string::npos) return true;
  }
  return false;
}

std::string Paths(const std::vector<Problem>& problems) {
  std::string out;
  for (const Problem& p : problems) out += p.path + ": " + p.message.en + "\n";
  return out;
}

TEST(DefinitionTexts, AWellFormedMultilingualDefinitionIsUsable) {
  EXPECT_TRUE(CheckDefinition(WithTexts()).empty()) << Paths(CheckDefinition(WithTexts()));
  Definition old = WithTexts();  // written before languages: no list, no translations
  old.languages.clear();
  old.title.translations.clear();
  old.parts[0].sections[0].items[0].label.translations.clear();
  EXPECT_TRUE(CheckDefinition(old).empty()) << Paths(CheckDefinition(old));
}

TEST(DefinitionTexts, LanguageProblemsAreNamed) {
  Definition d = WithTexts();
  d.languages = {"sv", "ar", "en_GB"};
  d.title.translations.push_back({"fi", "Otsikko"});
  d.title.translations.push_back({"ar", "ثاني"});
  d.title.translations.push_back({"en", "again"});
  d.language_notes.push_back({"sv", true, "x"});
  const auto problems = CheckDefinition(d);
  EXPECT_TRUE(HasProblem(problems, "languages[2]", "not a well-formed BCP 47 language tag")) << Paths(problems);
  EXPECT_TRUE(HasProblem(problems, "languages", "'en' is required")) << Paths(problems);
  EXPECT_TRUE(HasProblem(problems, "title.translations[1].language", "'fi' is not one of the definition's languages")) << Paths(problems);
  EXPECT_TRUE(HasProblem(problems, "title.translations[2].language", "a second text in 'ar'")) << Paths(problems);
  EXPECT_TRUE(HasProblem(problems, "title.translations[3].language", "sv and en are the fields")) << Paths(problems);
  EXPECT_TRUE(HasProblem(problems, "language_notes[0].language", "other than sv and en")) << Paths(problems);
}

TEST(DefinitionTexts, TenThousandLanguagesAreRefusedWithTheLimitNamed) {
  Definition d = WithTexts();
  for (int i = 0; i < 10000; ++i) d.languages.push_back("sv-x-l" + std::to_string(i));
  auto problems = CheckDefinition(d);
  ASSERT_FALSE(problems.empty());
  EXPECT_TRUE(HasProblem(problems, "languages", "10003 languages, at most 32")) << Paths(problems);
  EXPECT_EQ(problems.front().code, kLimitExceeded);

  Definition t = WithTexts();
  for (int i = 0; i < 10000; ++i) t.title.translations.push_back({"sv-x-l" + std::to_string(i), "x"});
  problems = CheckDefinition(t);
  EXPECT_TRUE(HasProblem(problems, "title.translations", "10001 translations, at most 32")) << Paths(problems);
}

TEST(DefinitionTexts, AOneMegabyteTextIsRefusedWithTheLimitNamed) {
  Definition d = WithTexts();
  d.parts[0].sections[0].items[0].label.translations[0].text = std::string(1 << 20, 'a');
  d.notice.sv = std::string(20001, 'b');
  const auto problems = CheckDefinition(d);
  EXPECT_TRUE(HasProblem(problems, "parts[1].sections[s].items[q].label.translations[0].text", "1048576 bytes, at most 20000"))
      << Paths(problems);
  EXPECT_TRUE(HasProblem(problems, "notice.sv", "20001 bytes, at most 20000")) << Paths(problems);
  for (const Problem& p : problems) EXPECT_EQ(p.code, kLimitExceeded) << p.path;
}

TEST(PrintedForm, ArabicPageIsRightToLeftWithFallbackMarked) {
  forms::RenderOptions o;
  o.language = "ar";
  const std::string html = forms::RenderFormHtml(WithTexts(), o);
  EXPECT_NE(html.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos);
  EXPECT_NE(html.find("سؤال"), std::string::npos);
  // The part title has no Arabic text: Swedish, marked as Swedish and left to right.
  EXPECT_NE(html.find("<span lang=\"sv\" dir=\"ltr\">Del</span>"), std::string::npos) << html.substr(0, 3000);
  EXPECT_NE(html.find("class=\"notice translation-notice\""), std::string::npos);
  o.language = "sv";
  const std::string sv = forms::RenderFormHtml(WithTexts(), o);
  EXPECT_NE(sv.find("<html lang=\"sv\" dir=\"ltr\">"), std::string::npos);
  EXPECT_EQ(sv.find("class=\"notice translation-notice\""), std::string::npos);  // the Swedish text is the original
  EXPECT_EQ(sv.find("<span lang="), std::string::npos);
}

TEST(PrintedForm, HiddenItemsAndTheirEmptySectionsAreNotPrinted) {
  Definition d = WithTexts();
  Item other = d.parts[0].sections[0].items[0];
  other.id = "other";
  other.label = {"Annan fråga", "Other question"};
  d.parts[0].sections.push_back({"am", {"AM-skattningar", "AM ratings"}, {d.parts[0].sections[0].items[0]}});
  d.parts[0].sections[0].items[0] = other;
  d.parts[0].sections[1].items[0].id = "am.education";
  forms::RenderOptions o;
  const std::string shown = forms::RenderFormHtml(d, o);
  EXPECT_NE(shown.find("item-am-education"), std::string::npos);
  EXPECT_NE(shown.find("AM-skattningar"), std::string::npos);
  o.hidden_items = {"am.education"};
  const std::string hidden = forms::RenderFormHtml(d, o);
  EXPECT_EQ(hidden.find("item-am-education"), std::string::npos);
  EXPECT_EQ(hidden.find("AM-skattningar"), std::string::npos);
  EXPECT_NE(hidden.find("Annan fråga"), std::string::npos);
}

InterventionCatalogue Catalogue() {
  InterventionCatalogue c;
  c.id = "cat";
  c.version = "1";
  c.actors = {{"municipality", {"Kommunen", "The municipality", {{"ar", "البلدية"}}}}};
  c.kinds = {{"job_search", {"Jobbsök", "Job search", {{"ar", "البحث عن عمل"}}}, InterventionOrientation::kWork, "municipality",
              {"Du söker jobb med stöd.", "You look for work with support.", {{"ar", "تبحث عن عمل بدعم."}}}, {"AM1", "AM2"}},
             {"sfi", {"SFI", "SFI"}, InterventionOrientation::kStudies, "municipality", {"Du lär dig svenska.", "You learn Swedish."}, {"AM2"}}};
  c.languages = {"ar"};
  c.language_notes = {{"ar", true, "ترجمة تمثيلية"}};
  return c;
}

Plan ClientPlan() {
  Plan plan;
  plan.plan_id = "plan-1";
  plan.established_on = ParseIsoDate("2026-03-02");
  plan.goals = {{"g1", "p1", "Jag vill jobba som kock", {{"s1", "Lära mig svenska"}}}, {"g2", "p2", "Partnerns mål", {}}};
  plan.interventions = {{"i1", "p1", "job_search", "g1", "municipality", ParseIsoDate("2026-03-09"), ParseIsoDate("2026-06-30"), {}},
                        {"i2", "p1", "sfi", "g1", "", ParseIsoDate("2026-04-01"), std::nullopt, {}},
                        {"i3", "p2", "sfi", "g2", "", ParseIsoDate("2026-04-01"), std::nullopt, {}}};
  plan.next_follow_up_on = ParseIsoDate("2026-06-15");
  return plan;
}

TEST(ClientPlan, GoalsFirstThenEachInterventionsPurposeProviderAndDates) {
  ClientPageOptions o;
  o.person_ref = "p1";
  const std::string html = RenderClientPlanHtml(ClientPlan(), Catalogue(), o);
  const size_t goal = html.find("Jag vill jobba som kock");
  const size_t steps = html.find("id=\"steps\"");
  ASSERT_NE(goal, std::string::npos);
  ASSERT_NE(steps, std::string::npos);
  EXPECT_LT(goal, steps);  // the client's own goals come first
  EXPECT_NE(html.find("Lära mig svenska"), std::string::npos);
  EXPECT_NE(html.find("Du söker jobb med stöd."), std::string::npos);   // purpose
  EXPECT_NE(html.find("Kommunen"), std::string::npos);                  // provider
  EXPECT_NE(html.find("9 mars 2026 – 30 juni 2026"), std::string::npos);  // dates, in words
  EXPECT_NE(html.find("1 april 2026 – tills vidare"), std::string::npos);
  EXPECT_NE(html.find("15 juni 2026"), std::string::npos);              // next follow-up
  EXPECT_EQ(html.find("Partnerns mål"), std::string::npos);            // another person's plan
  EXPECT_NE(html.find("<label class=\"label\" for=\"questions\">"), std::string::npos);
}

TEST(ClientPlan, InArabicRightToLeftAndMarkedRepresentative) {
  ClientPageOptions o;
  o.language = "ar";
  const std::string html = RenderClientPlanHtml(ClientPlan(), Catalogue(), o);
  EXPECT_NE(html.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos);
  EXPECT_NE(html.find("خطتي"), std::string::npos);
  EXPECT_NE(html.find("تبحث عن عمل بدعم."), std::string::npos);
  EXPECT_NE(html.find("ترجمة تمثيلية"), std::string::npos);  // the catalogue's note
  EXPECT_NE(html.find("9 مارس 2026"), std::string::npos);
  // SFI has no Arabic description: the Swedish one, marked as Swedish.
  EXPECT_NE(html.find("<span lang=\"sv\" dir=\"ltr\">Du lär dig svenska.</span>"), std::string::npos);
  // The client's goals stay in the client's words, direction from their own text.
  EXPECT_NE(html.find("<p dir=\"auto\">Jag vill jobba som kock</p>"), std::string::npos);
}

TEST(ClientCatalogue, EachInterventionWithDescriptionNeedsAndProvider) {
  ClientPageOptions o;
  o.language = "sv-x-easy";
  const std::string html = RenderInterventionCatalogueHtml(Catalogue(), o);
  EXPECT_NE(html.find("<html lang=\"sv-x-easy\" dir=\"ltr\">"), std::string::npos);
  EXPECT_NE(html.find("Du kan börja söka jobb nu."), std::string::npos);  // serves AM1, in easy Swedish
  EXPECT_NE(html.find("Du söker jobb med stöd."), std::string::npos);
  EXPECT_NE(html.find("class=\"notice translation-notice\""), std::string::npos);
  EXPECT_LT(html.find("id=\"kind-job_search\""), html.find("id=\"kind-sfi\""));  // work before studies
}

TEST(ClientCatalogue, CheckNamesBadNeedsActorsAndLanguages) {
  InterventionCatalogue c = Catalogue();
  EXPECT_TRUE(CheckInterventionCatalogue(c).empty()) << Paths(CheckInterventionCatalogue(c));
  c.kinds[0].serves.push_back("AM4");
  c.kinds[1].default_actor = "nobody";
  c.kinds[1].description.translations.push_back({"fi", "Opit ruotsia."});
  const auto problems = CheckInterventionCatalogue(c);
  EXPECT_TRUE(HasProblem(problems, "kinds[0].serves[2]", "'AM4' is not a need")) << Paths(problems);
  EXPECT_TRUE(HasProblem(problems, "kinds[1].default_actor", "'nobody' is not an actor")) << Paths(problems);
  EXPECT_TRUE(HasProblem(problems, "kinds[1].description.translations[0].language", "'fi' is not one of")) << Paths(problems);
}

}  // namespace
}  // namespace ix::core
