// The printable form: a definition rendered as one self-contained, accessible HTML page
// (semantic headings, every input with its label, large text, print styles, no scripts and
// no external resources) that municipalities post to applicants.
#ifndef IX_CORE_FORMS_RENDER_HTML_HPP
#define IX_CORE_FORMS_RENDER_HTML_HPP

#include <ix/core/definition.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ix::core::forms {

struct RenderOptions {
  // A BCP 47 tag; texts missing in it fall back (ix/core/language.hpp). The page's own words
  // exist in sv, en, fi, ar and sv-x-easy; right-to-left languages get dir="rtl".
  std::string language = "sv";
  std::string municipality;     // shown in the header; empty: a neutral header
  int adult_columns = 2;        // adult items get one answer field per adult (1–4)
  // Items not printed: those of a module the municipality's profile switches off (the AM
  // ratings). A section left empty is not printed either.
  std::vector<std::string> hidden_items{};
};

std::string RenderFormHtml(const Definition& definition, const RenderOptions& options);

// Escapes text for HTML element content and attribute values; invalid UTF-8 becomes U+FFFD.
std::string EscapeHtml(std::string_view text);

}  // namespace ix::core::forms

#endif  // IX_CORE_FORMS_RENDER_HTML_HPP
