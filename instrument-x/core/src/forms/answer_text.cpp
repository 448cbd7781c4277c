#include <ix/core/forms/answer_text.hpp>

#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <charconv>

namespace ix::core::forms {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Kronor with at most two decimals, spaces (also U+00A0) as thousands separators -> öre.
std::optional<int64_t> ParseKronor(std::string_view text) {
  std::string digits;
  bool negative = false;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::string whole, fraction;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      (point ? fraction : whole).push_back(c);
    } else if ((c == '.' || c == ',') && !point) {
      point = true;
    } else if (c == ' ' && !point) {
      continue;
    } else if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xA0 && !point) {
      ++i;  // no-break space
    } else {
      return std::nullopt;
    }
  }
  if (whole.empty() || fraction.size() > 2 || (point && fraction.empty())) return std::nullopt;
  while (fraction.size() < 2) fraction.push_back('0');
  auto kronor = ParseInteger(whole);
  auto ore = ParseInteger(fraction);
  if (!kronor || !ore) return std::nullopt;
  int64_t total = 0;
  if (__builtin_mul_overflow(*kronor, int64_t{100}, &total) ||
      __builtin_add_overflow(total, *ore, &total)) {
    return std::nullopt;
  }
  return negative ? -total : total;
}

std::string CodeLabel(const Item* item, const std::string& code, std::string_view language) {
  if (item != nullptr) {
    for (const ChoiceOption& o : item->options) {
      if (o.code == code) {
        const std::string& label = language == "sv" ? o.label.sv : o.label.en;
        return label.empty() ? code : label + " (" + code + ")";
      }
    }
  }
  return code;
}

std::string GroupThousands(int64_t whole) {
  std::string digits = std::to_string(whole);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(' ');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

const char* ItemTypeName(ItemType type) {
  switch (type) {
    case ItemType::kBoolean: return "boolean";
    case ItemType::kSingleChoice: return "code";
    case ItemType::kMultipleChoice: return "codes";
    case ItemType::kInteger: return "integer";
    case ItemType::kDecimal: return "decimal";
    case ItemType::kMoney: return "money";
    case ItemType::kDate: return "date";
    case ItemType::kText: return "text";
    case ItemType::kPersonnummer: return "personnummer";
    case ItemType::kRating: return "rating";
    case ItemType::kUnspecified: break;
  }
  return "unspecified";
}

const char* ValueKindName(const AnswerValue& value) {
  static constexpr const char* kNames[] = {"none",    "boolean", "code",  "codes",
                                           "integer", "decimal", "money", "date",
                                           "text",    "personnummer", "rating"};
  return kNames[value.index()];
}

bool ValueMatchesType(ItemType type, const AnswerValue& value) {
  switch (type) {
    case ItemType::kBoolean: return std::holds_alternative<bool>(value);
    case ItemType::kSingleChoice: return std::holds_alternative<Code>(value);
    case ItemType::kMultipleChoice: return std::holds_alternative<Codes>(value);
    case ItemType::kInteger: return std::holds_alternative<int64_t>(value);
    case ItemType::kDecimal: return std::holds_alternative<Decimal>(value);
    case ItemType::kMoney: return std::holds_alternative<Money>(value);
    case ItemType::kDate: return std::holds_alternative<DateText>(value);
    case ItemType::kText: return std::holds_alternative<Text>(value);
    case ItemType::kPersonnummer: return std::holds_alternative<Personnummer>(value);
    case ItemType::kRating: return std::holds_alternative<Rating>(value);
    case ItemType::kUnspecified: return false;
  }
  return false;
}

int64_t Utf8Length(std::string_view s) {
  int64_t count = 0;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) { n = 1; cp = c; }
    else if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
    else return -1;
    if (i + n > s.size()) return -1;
    for (size_t k = 1; k < n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1;
    }
    i += n;
    ++count;
  }
  return count;
}

bool IsDecimalText(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  size_t digits = 0, fraction = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      (point ? fraction : digits)++;
    } else if ((text[i] == '.' || text[i] == ',') && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digits > 0 && (!point || fraction > 0);
}

ParsedAnswer ParseAnswerText(const Item& item, std::string_view raw) {
  ParsedAnswer out;
  const std::string_view text = item.type == ItemType::kText ? raw : Trim(raw);
  auto fail = [&](std::string sv, std::string en) {
    out.value = std::monostate{};
    out.error = {std::move(sv), std::move(en)};
    return out;
  };
  if (Utf8Length(raw) < 0) return fail("Värdet är inte giltig UTF-8.", "The value is not valid UTF-8.");
  switch (item.type) {
    case ItemType::kBoolean: {
      const std::string v = Lower(text);
      if (v == "yes" || v == "ja" || v == "true" || v == "1") out.value = true;
      else if (v == "no" || v == "nej" || v == "false" || v == "0") out.value = false;
      else return fail("Svara ja eller nej.", "Answer yes or no.");
      return out;
    }
    case ItemType::kSingleChoice:
    case ItemType::kMultipleChoice: {
      std::vector<std::string> codes;
      if (item.type == ItemType::kSingleChoice) {
        codes.emplace_back(text);
      } else {
        size_t start = 0;
        while (start <= text.size()) {
          const size_t comma = text.find(',', start);
          const std::string_view part =
              Trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
          if (!part.empty()) codes.emplace_back(part);
          if (comma == std::string_view::npos) break;
          start = comma + 1;
        }
      }
      std::string known;
      for (const ChoiceOption& o : item.options) known += (known.empty() ? "" : ", ") + o.code;
      for (const std::string& code : codes) {
        const bool exists = std::any_of(item.options.begin(), item.options.end(),
                                        [&](const ChoiceOption& o) { return o.code == code; });
        if (!exists) {
          return fail("Okänd svarskod '" + code + "'; möjliga: " + known + ".",
                      "Unknown answer code '" + code + "'; possible: " + known + ".");
        }
      }
      if (codes.empty()) return fail("Ange minst en svarskod: " + known + ".", "Give at least one answer code: " + known + ".");
      if (item.type == ItemType::kSingleChoice) out.value = Code{codes.front()};
      else out.value = Codes{codes};
      return out;
    }
    case ItemType::kInteger:
    case ItemType::kRating: {
      auto v = ParseInteger(text);
      if (!v) return fail("Ange ett heltal.", "Give a whole number.");
      if (item.type == ItemType::kRating) {
        if (*v < INT32_MIN || *v > INT32_MAX) return fail("Skattningen är utanför skalan.", "The rating is off the scale.");
        out.value = Rating{static_cast<int32_t>(*v)};
      } else {
        out.value = *v;
      }
      return out;
    }
    case ItemType::kDecimal:
      if (!IsDecimalText(text)) return fail("Ange ett decimaltal, t.ex. 12,5.", "Give a decimal number, e.g. 12.5.");
      out.value = Decimal{std::string(text)};
      return out;
    case ItemType::kMoney: {
      std::string_view amount = text;
      for (std::string_view suffix : {"kr", "SEK", "sek"}) {
        if (amount.size() >= suffix.size() && amount.substr(amount.size() - suffix.size()) == suffix) {
          amount = Trim(amount.substr(0, amount.size() - suffix.size()));
        }
      }
      auto ore = ParseKronor(amount);
      if (!ore) return fail("Ange ett belopp i kronor med högst två decimaler, t.ex. 12 500,50.",
                            "Give an amount in kronor with at most two decimals, e.g. 12500.50.");
      out.value = Money{*ore};
      return out;
    }
    case ItemType::kDate:
      if (!ParseIsoDate(text)) return fail("Ange ett verkligt datum ÅÅÅÅ-MM-DD.", "Give a real date YYYY-MM-DD.");
      out.value = DateText{std::string(text)};
      return out;
    case ItemType::kText:
      out.value = Text{std::string(text)};
      return out;
    case ItemType::kPersonnummer:
      out.value = Personnummer{std::string(text)};
      return out;
    case ItemType::kUnspecified: break;
  }
  return fail("Frågan saknar typ.", "The item has no type.");
}

std::string FormatAnswerValue(const AnswerValue& value, const Item* item, std::string_view language) {
  const bool sv = language == "sv";
  if (std::holds_alternative<std::monostate>(value)) return sv ? "(inget svar)" : "(no answer)";
  if (const auto* b = std::get_if<bool>(&value)) return *b ? (sv ? "ja" : "yes") : (sv ? "nej" : "no");
  if (const auto* c = std::get_if<Code>(&value)) return CodeLabel(item, c->code, language);
  if (const auto* cs = std::get_if<Codes>(&value)) {
    std::string out;
    for (const std::string& code : cs->codes) out += (out.empty() ? "" : ", ") + CodeLabel(item, code, language);
    return out.empty() ? (sv ? "(inga val)" : "(none chosen)") : out;
  }
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<Decimal>(&value)) return d->text;
  if (const auto* m = std::get_if<Money>(&value)) {
    const bool negative = m->ore < 0;
    // Magnitude without overflow for INT64_MIN.
    const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(m->ore) : static_cast<uint64_t>(m->ore);
    std::string whole = GroupThousands(static_cast<int64_t>(magnitude / 100));
    const unsigned ore = static_cast<unsigned>(magnitude % 100);
    std::string fraction = (ore < 10 ? "0" : "") + std::to_string(ore);
    return std::string(negative ? "-" : "") + whole + (sv ? "," : ".") + fraction + " kr";
  }
  if (const auto* d = std::get_if<DateText>(&value)) return d->text;
  if (const auto* t = std::get_if<Text>(&value)) return t->text;
  if (std::holds_alternative<Personnummer>(value)) return sv ? "(personnummer)" : "(personnummer)";
  if (const auto* r = std::get_if<Rating>(&value)) return std::to_string(r->value);
  return "";
}

}  // namespace ix::core::forms
