#include <ix/core/forms/print_page.hpp>

#include <ix/core/forms/render_html.hpp>

#include <algorithm>

namespace ix::core::forms {

PageLanguage PageLanguage::For(std::string_view language) {
  PageLanguage out;
  out.requested = ParseLanguageTag(language).value_or(*ParseLanguageTag("sv"));
  out.page = *ParseLanguageTag("sv");
  for (const std::string& tag : FallbackChain(out.requested)) {
    if (std::find(kPrintLanguages.begin(), kPrintLanguages.end(), tag) != kPrintLanguages.end()) {
      out.page = *ParseLanguageTag(tag);
      break;
    }
  }
  out.rtl = IsRightToLeft(out.page);
  return out;
}

std::string PageLanguage::HtmlOpen() const {
  return "<html lang=\"" + page.tag + "\" dir=\"" + (rtl ? "rtl" : "ltr") + "\">";
}

std::string PageLanguage::Marked(const LocalizedText& text) const {
  std::string used;
  const std::string& found = TextIn(text, requested, &used);
  // Found in the page's language or along its chain above the page ("fi" for "fi-FI"): as is.
  const std::vector<std::string> chain = FallbackChain(requested);
  const auto page_at = std::find(chain.begin(), chain.end(), page.tag);
  const auto used_at = std::find(chain.begin(), chain.end(), used);
  if (used_at <= page_at || found.empty()) return EscapeHtml(found);
  const auto tag = ParseLanguageTag(used);
  const bool rtl_text = tag && IsRightToLeft(*tag);
  return "<span lang=\"" + used + "\" dir=\"" + (rtl_text ? "rtl" : "ltr") + "\">" + EscapeHtml(found) + "</span>";
}

std::string PageLanguage::TranslationNotices(const std::vector<LanguageNote>& notes, std::string_view representative,
                                             std::string_view fallback) const {
  if (page.tag == "sv" || page.tag == "en") return "";
  std::string notice(representative);
  for (const LanguageNote& n : notes) {
    const auto tag = ParseLanguageTag(n.language);
    if (tag && tag->tag == page.tag && n.representative_translation && !n.notice.empty()) notice = n.notice;
  }
  return "<p class=\"notice translation-notice\" role=\"note\">" + EscapeHtml(notice) + " " + EscapeHtml(fallback) + "</p>\n";
}

std::string_view BasePrintStyle() {
  return R"css(
:root { --ink: #111; --muted: #3d3d3d; --line: #555; --accent: #003b73; }
* { box-sizing: border-box; }
html { font-size: 18px; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink);
       background: #fff; line-height: 1.5; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1.5rem; }
.municipality { font-size: 1.3rem; font-weight: bold; color: var(--accent); margin: 0; }
h1 { font-size: 1.8rem; margin: 0.3rem 0; }
h2 { font-size: 1.5rem; color: var(--accent); border-bottom: 2px solid var(--accent); margin-top: 2.5rem; }
h3 { font-size: 1.25rem; margin: 1.8rem 0 0.6rem; }
.notice, .intro { color: var(--muted); }
.translation-notice { border-inline-start: 4px solid var(--accent); padding-inline-start: 0.6rem; }
input[type=text], textarea { font: inherit; width: 100%; border: 0; border-bottom: 2px solid var(--line);
                             padding: 0.2rem; background: transparent; }
textarea { border: 2px solid var(--line); min-height: 5rem; }
.label { font-weight: bold; padding: 0; display: block; }
@media print {
  html { font-size: 12pt; }
  body { max-width: none; padding: 0; }
}
@page { size: A4; margin: 18mm 16mm; }
)css";
}

}  // namespace ix::core::forms
