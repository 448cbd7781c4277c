#include <ix/core/language.hpp>

#include <algorithm>
#include <array>
#include <functional>

namespace ix::core {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool AllOf(std::string_view s, bool (*f)(char)) { return !s.empty() && std::all_of(s.begin(), s.end(), f); }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string LowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool Fail(std::string* why, std::string message) {
  if (why != nullptr) *why = std::move(message);
  return false;
}

// The subtag kinds in the order RFC 5646 allows them.
enum class Stage { kExtlang, kScript, kRegion, kVariant, kExtension };

}  // namespace

std::optional<LanguageTag> ParseLanguageTag(std::string_view text, std::string* why) {
  if (text.empty()) {
    Fail(why, "empty");
    return std::nullopt;
  }
  if (text.size() > kMaxLanguageTagBytes) {
    Fail(why, std::to_string(text.size()) + " bytes, at most " + std::to_string(kMaxLanguageTagBytes));
    return std::nullopt;
  }
  // Split on '-'; an empty subtag (leading, trailing or doubled '-') is malformed.
  std::vector<std::string_view> subtags;
  size_t start = 0;
  while (true) {
    const size_t dash = text.find('-', start);
    const std::string_view sub = text.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    if (sub.empty() || sub.size() > 8 || !AllOf(sub, IsAlnum)) {
      Fail(why, "subtag " + std::to_string(subtags.size() + 1) + " is not 1–8 letters or digits");
      return std::nullopt;
    }
    subtags.push_back(sub);
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  LanguageTag out;
  const std::string_view primary = subtags[0];
  if (!AllOf(primary, IsAlpha) || primary.size() == 1) {
    Fail(why, primary.size() == 1 ? "private-use or grandfathered tags have no language to fall back to"
                                  : "the language subtag is not letters");
    return std::nullopt;
  }
  out.language = LowerCase(primary);
  std::string tag = out.language;
  Stage stage = primary.size() <= 3 ? Stage::kExtlang : Stage::kScript;
  int extlangs = 0;
  size_t i = 1;
  for (; i < subtags.size(); ++i) {
    const std::string_view s = subtags[i];
    const std::string pos = "subtag " + std::to_string(i + 1);
    if (s.size() == 1) break;  // a singleton starts an extension or the private-use part
    if (stage == Stage::kExtlang && s.size() == 3 && AllOf(s, IsAlpha) && extlangs < 3) {
      ++extlangs;
      tag += "-" + LowerCase(s);
      continue;
    }
    if (stage <= Stage::kScript && s.size() == 4 && AllOf(s, IsAlpha)) {
      out.script = std::string(1, Upper(s[0])) + LowerCase(s.substr(1));
      tag += "-" + out.script;
      stage = Stage::kRegion;
      continue;
    }
    if (stage <= Stage::kRegion && ((s.size() == 2 && AllOf(s, IsAlpha)) || (s.size() == 3 && AllOf(s, IsDigit)))) {
      out.region = s.size() == 2 ? std::string{Upper(s[0]), Upper(s[1])} : std::string(s);
      tag += "-" + out.region;
      stage = Stage::kVariant;
      continue;
    }
    if ((s.size() >= 5) || (s.size() == 4 && IsDigit(s[0]))) {
      tag += "-" + LowerCase(s);
      stage = Stage::kVariant;
      continue;
    }
    Fail(why, pos + " is not an extlang, script, region or variant in that order");
    return std::nullopt;
  }
  // Extensions (singleton other than x, then subtags of 2–8) and the private-use part (x, then
  // subtags of 1–8, to the end).
  while (i < subtags.size()) {
    const std::string_view s = subtags[i];
    const std::string pos = "subtag " + std::to_string(i + 1);
    if (s.size() != 1) {
      Fail(why, pos + " is out of order");
      return std::nullopt;
    }
    const char singleton = Lower(s[0]);
    tag += "-";
    tag.push_back(singleton);
    ++i;
    size_t taken = 0;
    if (singleton == 'x') {
      for (; i < subtags.size(); ++i, ++taken) tag += "-" + LowerCase(subtags[i]);
    } else {
      for (; i < subtags.size() && subtags[i].size() >= 2; ++i, ++taken) tag += "-" + LowerCase(subtags[i]);
    }
    if (taken == 0) {
      Fail(why, pos + " (a singleton) is not followed by a subtag");
      return std::nullopt;
    }
  }
  out.tag = std::move(tag);
  return out;
}

std::vector<std::string> FallbackChain(const LanguageTag& requested) {
  std::vector<std::string> chain;
  std::string tag = requested.tag;
  while (!tag.empty()) {
    chain.push_back(tag);
    size_t dash = tag.rfind('-');
    if (dash == std::string::npos) break;
    tag.resize(dash);
    // A singleton left at the end ("sv-x") is no tag: drop it too (RFC 4647 3.4), repeatedly,
    // so "en-a-bbb-x-a" goes on to "en-a-bbb".
    while ((dash = tag.rfind('-')) != std::string::npos && tag.size() - dash == 2) tag.resize(dash);
  }
  if (std::find(chain.begin(), chain.end(), "sv") == chain.end()) chain.push_back("sv");
  return chain;
}

std::string FirstAvailable(const LanguageTag& requested, const std::vector<std::string>& languages) {
  for (const std::string& tag : FallbackChain(requested)) {
    if (std::find(languages.begin(), languages.end(), tag) != languages.end()) return tag;
  }
  return "sv";
}

const std::string& TextIn(const LocalizedText& text, const LanguageTag& requested, std::string* used) {
  for (const std::string& tag : FallbackChain(requested)) {
    const std::string* found = nullptr;
    if (tag == "sv") found = &text.sv;
    else if (tag == "en") found = &text.en;
    else {
      for (const Translation& t : text.translations) {
        // Stored tags are checked, but not necessarily in canonical case.
        if (t.language.size() == tag.size() && LowerCase(t.language) == LowerCase(tag)) {
          found = &t.text;
          break;
        }
      }
    }
    if (found != nullptr && !found->empty()) {
      if (used != nullptr) *used = tag;
      return *found;
    }
  }
  if (used != nullptr) *used = "sv";
  return text.sv;
}

LocalizedText Verbatim(std::string text) { return {text, text}; }

namespace {

bool SameInEveryLanguage(const LocalizedText& text) { return text.sv == text.en && text.translations.empty(); }

// Whether `text` has its own text for a reader of `tag`, short of the final fallback to Swedish.
bool Covers(const LocalizedText& text, const LanguageTag& tag) {
  if (SameInEveryLanguage(text) || tag.language == "sv") return true;
  std::string used;
  TextIn(text, tag, &used);
  return used != "sv";
}

std::string Substitute(const std::string& pattern, const std::vector<TextArgument>& arguments,
                       const std::function<const std::string&(const LocalizedText&)>& in) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size();) {
    bool replaced = false;
    if (pattern[i] == '{') {
      for (const TextArgument& a : arguments) {
        if (pattern.compare(i + 1, a.name.size(), a.name) == 0 && i + 1 + a.name.size() < pattern.size() &&
            pattern[i + 1 + a.name.size()] == '}') {
          out += in(a.text);
          i += a.name.size() + 2;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += pattern[i++];
  }
  return out;
}

}  // namespace

LocalizedText FillText(const LocalizedText& pattern, const std::vector<TextArgument>& arguments) {
  LocalizedText out;
  out.sv = Substitute(pattern.sv, arguments, [](const LocalizedText& t) -> const std::string& { return t.sv; });
  out.en = Substitute(pattern.en, arguments, [](const LocalizedText& t) -> const std::string& { return t.en; });
  std::vector<std::string> candidates;
  auto collect = [&](const LocalizedText& text) {
    for (const Translation& t : text.translations) {
      const auto tag = ParseLanguageTag(t.language);
      if (tag && std::find(candidates.begin(), candidates.end(), tag->tag) == candidates.end()) candidates.push_back(tag->tag);
    }
  };
  collect(pattern);
  for (const TextArgument& a : arguments) collect(a.text);
  for (const std::string& candidate : candidates) {
    const LanguageTag tag = *ParseLanguageTag(candidate);
    bool covered = Covers(pattern, tag);
    for (const TextArgument& a : arguments) covered = covered && Covers(a.text, tag);
    if (!covered) continue;
    out.translations.push_back(
        {candidate, Substitute(TextIn(pattern, tag), arguments,
                               [&tag](const LocalizedText& t) -> const std::string& { return TextIn(t, tag); })});
  }
  return out;
}

bool IsRightToLeft(const LanguageTag& tag) {
  static constexpr std::array<std::string_view, 9> kRtlScripts = {"Arab", "Hebr", "Thaa", "Syrc", "Nkoo",
                                                                  "Adlm", "Rohg", "Mand", "Samr"};
  static constexpr std::array<std::string_view, 10> kRtlLanguages = {"ar", "fa", "he", "ur", "ps",
                                                                     "yi", "dv", "ckb", "sd", "ug"};
  if (!tag.script.empty()) return std::find(kRtlScripts.begin(), kRtlScripts.end(), tag.script) != kRtlScripts.end();
  return std::find(kRtlLanguages.begin(), kRtlLanguages.end(), tag.language) != kRtlLanguages.end();
}

namespace {

Problem TextProblem(std::string path, const std::string& en, const std::string& sv) {
  return FieldProblem(std::move(path), "invalid_definition", {"Fel i definitionen: " + sv, "Definition error: " + en});
}

}  // namespace

void CheckLanguageListLimits(const std::vector<std::string>& languages, const std::string& path, const Limits& limits,
                             std::vector<Problem>& out) {
  if (static_cast<int64_t>(languages.size()) > limits.languages) {
    out.push_back(LimitProblem(path, static_cast<int64_t>(languages.size()), limits.languages, "languages", "språk"));
  }
}

void CheckTextLimits(const LocalizedText& text, const std::string& path, const Limits& limits,
                     std::vector<Problem>& out) {
  const auto size = [](const std::string& s) { return static_cast<int64_t>(s.size()); };
  if (size(text.sv) > limits.text_bytes) out.push_back(LimitProblem(path + ".sv", size(text.sv), limits.text_bytes, "bytes", "byte"));
  if (size(text.en) > limits.text_bytes) out.push_back(LimitProblem(path + ".en", size(text.en), limits.text_bytes, "bytes", "byte"));
  if (static_cast<int64_t>(text.translations.size()) > limits.languages) {
    out.push_back(LimitProblem(path + ".translations", static_cast<int64_t>(text.translations.size()), limits.languages,
                               "translations", "översättningar"));
    return;
  }
  for (size_t i = 0; i < text.translations.size(); ++i) {
    const Translation& t = text.translations[i];
    const std::string at = path + ".translations[" + std::to_string(i) + "]";
    if (size(t.language) > static_cast<int64_t>(kMaxLanguageTagBytes)) {
      out.push_back(LimitProblem(at + ".language", size(t.language), static_cast<int64_t>(kMaxLanguageTagBytes), "bytes",
                                 "byte"));
    }
    if (size(t.text) > limits.text_bytes) out.push_back(LimitProblem(at + ".text", size(t.text), limits.text_bytes, "bytes", "byte"));
  }
}

void CheckLanguageList(const std::vector<std::string>& languages, const std::vector<LanguageNote>& notes,
                       bool needs_sv_en, const std::string& path, std::vector<Problem>& out) {
  std::vector<std::string> seen;
  for (size_t i = 0; i < languages.size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    std::string why;
    const auto tag = ParseLanguageTag(languages[i], &why);
    if (!tag) {
      out.push_back(TextProblem(at, "not a well-formed BCP 47 language tag: " + why,
                                "inte en välformad språkkod enligt BCP 47: " + why));
      continue;
    }
    if (std::find(seen.begin(), seen.end(), tag->tag) != seen.end()) {
      out.push_back(TextProblem(at, "language '" + tag->tag + "' listed twice", "språket '" + tag->tag + "' finns två gånger"));
    }
    seen.push_back(tag->tag);
  }
  if (needs_sv_en) {
    for (const char* required : {"sv", "en"}) {
      if (std::find(seen.begin(), seen.end(), required) == seen.end()) {
        out.push_back(TextProblem(path, std::string("'") + required + "' is required", std::string("'") + required + "' krävs"));
      }
    }
  }
  const std::string notes_path = path.substr(0, path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1) + "language_notes";
  for (size_t i = 0; i < notes.size(); ++i) {
    const auto tag = ParseLanguageTag(notes[i].language);
    const std::string at = notes_path + "[" + std::to_string(i) + "].language";
    if (!tag || tag->tag == "sv" || tag->tag == "en" || std::find(seen.begin(), seen.end(), tag->tag) == seen.end()) {
      out.push_back(TextProblem(at, "a note names a language of `languages` other than sv and en",
                                "en anteckning ska gälla ett av språken i `languages` utom sv och en"));
    }
  }
}

void CheckText(const LocalizedText& text, const std::vector<std::string>& languages, const std::string& path,
               std::vector<Problem>& out) {
  std::vector<std::string> seen;
  for (size_t i = 0; i < text.translations.size(); ++i) {
    const std::string at = path + ".translations[" + std::to_string(i) + "].language";
    std::string why;
    const auto tag = ParseLanguageTag(text.translations[i].language, &why);
    if (!tag) {
      out.push_back(TextProblem(at, "not a well-formed BCP 47 language tag: " + why,
                                "inte en välformad språkkod enligt BCP 47: " + why));
      continue;
    }
    if (tag->tag == "sv" || tag->tag == "en") {
      out.push_back(TextProblem(at, "sv and en are the fields of the same name, not translations",
                                "sv och en är fälten med samma namn, inte översättningar"));
    } else if (std::find(languages.begin(), languages.end(), tag->tag) == languages.end()) {
      out.push_back(TextProblem(at, "language '" + tag->tag + "' is not one of the definition's languages",
                                "språket '" + tag->tag + "' finns inte bland definitionens språk"));
    } else if (std::find(seen.begin(), seen.end(), tag->tag) != seen.end()) {
      out.push_back(TextProblem(at, "a second text in '" + tag->tag + "'", "en andra text på '" + tag->tag + "'"));
    }
    seen.push_back(tag->tag);
  }
}

}  // namespace ix::core
