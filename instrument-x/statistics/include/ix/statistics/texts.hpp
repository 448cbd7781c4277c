// The languages of reports: which languages report texts are written in, the text table that
// holds their translations, and the reader's language. The texts themselves are the domain's
// LocalizedText (sv and en always, other languages as BCP 47 translations) and are read with the
// domain's one fallback rule (ix/core/language.hpp, docs/forms.md "Languages"), so a report text
// falls back exactly as a definition's text does.
//
// Reports build their texts in Swedish and English where they are computed (publication.cpp);
// the translations live here, in one table looked up by the Swedish and English text. A text the
// table does not hold (a new report's, a code, a caseworker id) is read as it is: in sv or en, or
// by the fallback rule in Swedish.
#ifndef IX_STATISTICS_TEXTS_HPP
#define IX_STATISTICS_TEXTS_HPP

#include <ix/core/language.hpp>
#include <ix/core/model.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::statistics {

using core::LocalizedText;

// The languages report texts are written in: sv, en and the translations of the table.
const std::vector<std::string>& ReportLanguages();
// What each translated language is (a representative translation written for this project),
// in that language.
const std::vector<core::LanguageNote>& ReportLanguageNotes();
// Every text of the table, with its translations (the tests check them as a definition's texts
// are checked, with the same limits).
const std::vector<LocalizedText>& ReportTextTable();

// `text` with the translations the table holds for it (matched by its sv and en). A text that
// already carries translations, or that the table does not hold, is returned as it is.
LocalizedText Translated(const LocalizedText& text);

// A text made of two parts (a table title and the group it is for, a kind and a category), in
// every language both parts have (core::FillText).
LocalizedText Concat(const LocalizedText& a, std::string_view separator, const LocalizedText& b);

// The reader of a report: the language asked for and the report language the pages are in.
struct Language {
  core::LanguageTag requested;  // canonical case
  std::string used;             // the first of ReportLanguages() along requested's fallback chain
  bool RightToLeft() const;  // the report language is written right to left
  static const Language kSv;
  static const Language kEn;
  friend bool operator==(const Language& a, const Language& b) { return a.requested.tag == b.requested.tag; }
};

// The reader of `tag`; nullopt when `tag` is not a well-formed BCP 47 tag (`why` says what is
// wrong). Any well-formed tag is accepted: one without report texts falls back (`used`).
std::optional<Language> ParseLanguage(std::string_view tag, std::string* why = nullptr);

// The text of `text` for the reader (Translated, then the fallback rule); `used`, when given,
// gets the language of the text returned.
std::string InLanguage(const LocalizedText& text, const Language& lang, std::string* used = nullptr);

// Texts every renderer shares.
LocalizedText TotalLabel();                              // the total row and column
LocalizedText ReportHeading(const std::string& municipality);  // "Statistics, municipality 0192"
// Said when the reader's language has no report texts: which language the report is in.
LocalizedText LanguageFallbackNote(const Language& lang);
// The notices a report in `lang` opens its notes with, in that language: that the texts are a
// representative translation, that the requested language had none (LanguageFallbackNote).
std::vector<std::string> LanguageNotices(const Language& lang);

}  // namespace ix::statistics

#endif  // IX_STATISTICS_TEXTS_HPP
