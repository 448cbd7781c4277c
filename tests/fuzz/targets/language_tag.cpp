// BCP 47 language tags as they arrive in a render request's `language` and in a licensee
// definition's `languages` and translations: ParseLanguageTag must refuse or return a canonical
// tag that parses to itself, within the length limit; the fallback chain of any accepted tag
// ends in Swedish and only holds tags that parse; a text lookup in it never fails. The input's
// first line is the tag, the rest a translation's tag for the lookup.
#include "../scratch.hpp"

#include <ix/core/language.hpp>

#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void Finding(const char* what) {
  std::fprintf(stderr, "language_tag: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = ix::fuzz::Bytes(data, size);
  const size_t newline = input.find('\n');
  const std::string_view first = input.substr(0, newline);
  const std::string_view second = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  std::string why;
  const auto tag = ix::core::ParseLanguageTag(first, &why);
  if (!tag) {
    if (why.empty()) Finding("refused without saying why");
    return 0;
  }
  if (tag->tag.size() > ix::core::kMaxLanguageTagBytes) Finding("accepted a tag over the length limit");
  if (tag->tag.size() != first.size()) Finding("the canonical tag has another length than the input");
  const auto again = ix::core::ParseLanguageTag(tag->tag);
  if (!again || again->tag != tag->tag || again->language != tag->language) Finding("the canonical tag does not parse to itself");
  const std::vector<std::string> chain = ix::core::FallbackChain(*tag);
  if (chain.empty() || chain.front() != tag->tag || chain.back() != "sv") Finding("the chain does not run from the tag to sv");
  for (const std::string& t : chain) {
    if (!ix::core::ParseLanguageTag(t)) Finding("the chain holds a tag that does not parse");
  }
  ix::core::LocalizedText text{"sv-text", "en-text"};
  text.translations.push_back({std::string(second), "other"});
  std::string used;
  const std::string& found = ix::core::TextIn(text, *tag, &used);
  if (found.empty()) Finding("no text found although sv is set");
  (void)ix::core::IsRightToLeft(*tag);
  return 0;
}
