// Languages of texts: BCP 47 language tags (RFC 5646), the fallback rule that picks a text for a
// reader, and the writing direction. Every text carries Swedish and English; any other language
// is optional per text, so a reader asking for one gets the nearest text that exists.
#ifndef IX_CORE_LANGUAGE_HPP
#define IX_CORE_LANGUAGE_HPP

#include <ix/core/limits.hpp>
#include <ix/core/model.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::core {

// Longest tag accepted. RFC 5646 (section 4.4.1) asks implementations to handle at least 35
// characters for the tags that matter to matching; private-use subtags make "sv-x-easy" style
// tags a little longer, so 64 leaves room without letting a tag become a payload.
inline constexpr size_t kMaxLanguageTagBytes = 64;

struct LanguageTag {
  std::string tag;       // canonical case: "sv-x-easy", "ar", "zh-Hant-TW", "sr-Latn"
  std::string language;  // the primary language subtag, lower case: "sv", "ar"
  std::string script;    // title case when present: "Latn", "Arab"
  std::string region;    // upper case (or 3 digits) when present
};

// Parses a well-formed tag: language (2–3 letters, with up to 3 extlang subtags, or 4–8
// letters), then optional script, region, variants, extensions and a private-use part; the
// subtags of each kind in that order. Private-use-only tags ("x-…") and grandfathered tags
// are refused: a text needs a language to fall back to. Case is normalised (RFC 5646 2.1.1).
// nullopt when not well-formed or longer than kMaxLanguageTagBytes; `why`, when given, says
// what is wrong (no caller data beyond the subtag position).
std::optional<LanguageTag> ParseLanguageTag(std::string_view text, std::string* why = nullptr);

// The tags tried for `requested`, in order: the tag itself, then the tag with its last subtag
// removed, repeatedly (a singleton left at the end goes with it: "sv-x-easy" -> "sv"), as in
// RFC 4647 "Lookup", and finally "sv". No duplicates.
std::vector<std::string> FallbackChain(const LanguageTag& requested);

// The language a set of texts written in `languages` (canonical tags) serves a reader of
// `requested` in: the first of them along FallbackChain (Swedish when none is).
std::string FirstAvailable(const LanguageTag& requested, const std::vector<std::string>& languages);

// A text of `text` for a reader of `requested` (a canonical tag): the first non-empty text along
// FallbackChain. "sv" and "en" are the fields of the same name. `used`, when given, gets the
// tag of the text returned.
const std::string& TextIn(const LocalizedText& text, const LanguageTag& requested, std::string* used = nullptr);

// --- texts composed at run time ----------------------------------------------------------

// A text that reads the same in every language: a number, a code, an id, a date.
LocalizedText Verbatim(std::string text);

struct TextArgument {
  std::string_view name;  // the placeholder "{name}"
  LocalizedText text;
};

// `pattern` with every "{name}" replaced by the argument of that name, language by language
// (an argument's text in a language is chosen by the fallback rule; what is substituted is not
// scanned again). The result carries sv, en and a translation in each language that the pattern
// or an argument carries and that every one of them covers — has a text along that language's
// fallback chain before the final Swedish, or reads the same in every language (sv == en, no
// translations) — so a composed sentence never mixes two languages: where a part is missing
// the whole sentence falls back.
LocalizedText FillText(const LocalizedText& pattern, const std::vector<TextArgument>& arguments);

// True for languages written right to left: by the script subtag when there is one (Arab,
// Hebr, Thaa, Syrc, Nkoo, Adlm, Rohg, Mand, Samr), else by the primary language (ar, fa, he,
// ur, ps, yi, dv, ckb, sd, ug, ku-Arab is covered by its script).
bool IsRightToLeft(const LanguageTag& tag);

// --- checks of texts in data (definitions, catalogues) ------------------------------------

// Limits first, before anything else is looked at: at most limits.languages tags in `languages`
// ("<path>: 10000 languages, at most 32").
void CheckLanguageListLimits(const std::vector<std::string>& languages, const std::string& path, const Limits& limits,
                             std::vector<Problem>& out);
// At most limits.languages translations, and every text at most limits.text_bytes bytes
// ("<path>.translations[ar]: 1048576 bytes, at most 20000").
void CheckTextLimits(const LocalizedText& text, const std::string& path, const Limits& limits,
                     std::vector<Problem>& out);

// Structure (code "invalid_definition"): every tag well-formed and listed once, "sv" and "en"
// among them when `needs_sv_en`; each note names a listed language other than sv and en.
void CheckLanguageList(const std::vector<std::string>& languages, const std::vector<LanguageNote>& notes,
                       bool needs_sv_en, const std::string& path, std::vector<Problem>& out);
// Every translation's tag well-formed, one of `languages` (canonical tags), not sv or en, once.
void CheckText(const LocalizedText& text, const std::vector<std::string>& languages, const std::string& path,
               std::vector<Problem>& out);

}  // namespace ix::core

#endif  // IX_CORE_LANGUAGE_HPP
