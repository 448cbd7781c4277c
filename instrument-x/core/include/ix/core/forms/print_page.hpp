// What every printed page shares (the form, the client's plan, the intervention catalogue): the
// page's language and direction, texts marked with their own language when they fell back, the
// notice for representative translations, and the base style (18 px text, contrast, print).
#ifndef IX_CORE_FORMS_PRINT_PAGE_HPP
#define IX_CORE_FORMS_PRINT_PAGE_HPP

#include <ix/core/language.hpp>
#include <ix/core/model.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace ix::core::forms {

// The languages printed pages have their own words in. A requested language falls back along
// its chain to the first of these (and finally Swedish).
inline constexpr std::array<std::string_view, 5> kPrintLanguages = {"sv", "en", "fi", "ar", "sv-x-easy"};

struct PageLanguage {
  LanguageTag requested;  // what the reader asked for (texts are looked up with it)
  LanguageTag page;       // one of kPrintLanguages: the page's own words, lang and dir
  bool rtl = false;

  // `language` must be well-formed (callers check it and name the field); otherwise Swedish.
  static PageLanguage For(std::string_view language);

  // "<html lang="ar" dir="rtl">"
  std::string HtmlOpen() const;
  // The text by the fallback rule, escaped; wrapped in <span lang=… dir=…> when it is in
  // another language than the page.
  std::string Marked(const LocalizedText& text) const;
  // Under the title, on pages not in sv or en: that the texts are a representative translation
  // (the data's note for the page's language, else `representative`), and `fallback`.
  std::string TranslationNotices(const std::vector<LanguageNote>& notes, std::string_view representative,
                                 std::string_view fallback) const;
};

// The style every printed page starts with: 18 px body text (12 pt printed), colours with a
// contrast of at least 4.5:1 on white, logical margins so right-to-left pages mirror, A4 print.
std::string_view BasePrintStyle();

}  // namespace ix::core::forms

#endif  // IX_CORE_FORMS_PRINT_PAGE_HPP
