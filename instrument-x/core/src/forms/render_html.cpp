#include <ix/core/forms/render_html.hpp>

#include <ix/core/forms/answer_text.hpp>
#include <ix/core/forms/print_page.hpp>
#include <ix/core/language.hpp>

#include <algorithm>
#include <set>

namespace ix::core::forms {
namespace {

// Words of the printed form, per language.
struct Words {
  const char* lang;
  const char* version;
  const char* required;
  const char* required_note;
  const char* adult;
  const char* household;
  const char* household_persons;
  const char* person;
  const char* personnummer;
  const char* role;
  const char* yes;
  const char* no;
  const char* calculated;
  const char* asked_if;
  const char* required_if;
  const char* and_;
  const char* or_;
  const char* answered;
  const char* not_answered;
  const char* one_of;
  const char* any_of;
  const char* date_hint;
  const char* kronor;
  const char* page_intro;
  const char* part;
  const char* answered_by;
  const char* by_client;
  const char* by_together;
  const char* by_caseworker;
  const char* interpreter;
  const char* date_signature;
  const char* representative;  // printed when the page's language is a representative translation
  const char* fallback_note;   // texts missing in the page's language are shown in another one
};

constexpr Words kSv = {"sv", "Version", "obligatorisk", "Frågor markerade med * är obligatoriska.",
                       "Vuxen", "Hushållet", "Personer i hushållet", "Person", "Personnummer",
                       "Roll (registerledare, medsökande, barn)", "Ja", "Nej",
                       "Räknas ut av handläggaren", "Besvaras om", "Obligatorisk om", "och", "eller",
                       "är besvarad", "är obesvarad", "är något av", "innehåller något av",
                       "ÅÅÅÅ-MM-DD", "kr",
                       "Fyll i en kolumn för varje vuxen i hushållet. Frågor om hushållet besvaras en gång.",
                       "Del", "Vem besvarade frågorna?", "Klienten själv", "Klienten tillsammans med handläggaren",
                       "Handläggaren", "Tolk deltog, språk", "Datum och underskrift",
                       "Representativ översättning, inte det licensierade instrumentet.",
                       "Texter som saknas på det här språket visas på svenska."};
constexpr Words kEn = {"en", "Version", "required", "Items marked * are required.",
                       "Adult", "Household", "Persons in the household", "Person", "Personnummer",
                       "Role (head of household, co-applicant, child)", "Yes", "No",
                       "Calculated by the caseworker", "Answer if", "Required if", "and", "or",
                       "is answered", "is not answered", "is one of", "contains any of",
                       "YYYY-MM-DD", "SEK",
                       "Fill in one column for every adult in the household. Household items are answered once.",
                       "Part", "Who answered the questions?", "The client alone", "The client together with the caseworker",
                       "The caseworker", "An interpreter took part, language", "Date and signature",
                       "A representative translation, not the licensed instrument.",
                       "Texts missing in this language are shown in Swedish."};
constexpr Words kFi = {"fi", "Versio", "pakollinen", "Tähdellä * merkityt kysymykset ovat pakollisia.",
                       "Aikuinen", "Kotitalous", "Kotitalouden henkilöt", "Henkilö", "Henkilötunnus",
                       "Rooli (hakija, kanssahakija, lapsi)", "Kyllä", "Ei",
                       "Käsittelijä laskee", "Vastaa, jos", "Pakollinen, jos", "ja", "tai",
                       "on vastattu", "on vastaamatta", "on jokin seuraavista", "sisältää jonkin seuraavista",
                       "VVVV-KK-PP", "kr",
                       "Täytä yksi sarake jokaisesta kotitalouden aikuisesta. Kotitaloutta koskeviin kysymyksiin vastataan kerran.",
                       "Osa", "Kuka vastasi kysymyksiin?", "Asiakas itse", "Asiakas yhdessä käsittelijän kanssa",
                       "Käsittelijä", "Tulkki oli mukana, kieli", "Päivämäärä ja allekirjoitus",
                       "Edustava käännös, ei lisensoitu instrumentti.",
                       "Tällä kielellä puuttuvat tekstit näytetään ruotsiksi."};
constexpr Words kAr = {"ar", "الإصدار", "إلزامي", "الأسئلة المعلَّمة بـ * إلزامية.",
                       "شخص بالغ", "الأسرة", "أفراد الأسرة", "الشخص", "الرقم الشخصي",
                       "الدور (مقدِّم الطلب، مقدِّم طلب مشارك، طفل)", "نعم", "لا",
                       "يحسبه الموظف المسؤول", "أجب إذا", "إلزامي إذا", "و", "أو",
                       "تمت الإجابة عنه", "لم تتم الإجابة عنه", "هو أحد", "يتضمن أحد",
                       "YYYY-MM-DD", "كرونة",
                       "املأ عمودًا لكل شخص بالغ في الأسرة. يُجاب عن أسئلة الأسرة مرة واحدة.",
                       "الجزء", "من أجاب عن الأسئلة؟", "العميل وحده", "العميل مع الموظف المسؤول",
                       "الموظف المسؤول", "حضر مترجم، اللغة", "التاريخ والتوقيع",
                       "ترجمة تمثيلية، وليست الأداة المرخَّصة.",
                       "النصوص غير المتوفرة بهذه اللغة تظهر بالسويدية."};
// Lättläst (easy-read Swedish): short words, one thing per sentence.
constexpr Words kSvEasy = {"sv-x-easy", "Version", "måste fyllas i", "Du måste svara på frågor med en *.",
                       "Vuxen", "Alla i hemmet", "Vilka bor i hemmet?", "Person", "Personnummer",
                       "Vem är personen? (den som söker, den som söker med, barn)", "Ja", "Nej",
                       "Din handläggare räknar ut det", "Svara om", "Du måste svara om", "och", "eller",
                       "har ett svar", "har inget svar", "är något av", "har något av",
                       "ÅÅÅÅ-MM-DD", "kr",
                       "Varje vuxen i hemmet har en egen kolumn. Frågor om hela hemmet svarar du på en gång.",
                       "Del", "Vem svarade på frågorna?", "Jag själv", "Jag och min handläggare",
                       "Min handläggare", "Det fanns en tolk. Vilket språk?", "Datum och namn",
                       "En översättning som visar hur det kan se ut. Det är inte det riktiga instrumentet.",
                       "Text som saknas på lättläst svenska står på vanlig svenska."};
constexpr const Words* kWordTables[] = {&kSv, &kEn, &kFi, &kAr, &kSvEasy};

// The table for `tag` by the same fallback rule as texts (ending in Swedish).
const Words& WordsFor(const LanguageTag& tag) {
  for (const std::string& t : FallbackChain(tag)) {
    for (const Words* w : kWordTables) {
      if (t == w->lang) return *w;
    }
  }
  return kSv;
}

// The form's own style, after BasePrintStyle().
constexpr const char* kStyle = R"css(
.item { border: 1px solid var(--line); border-radius: 4px; padding: 0.6rem 0.8rem; margin: 0.8rem 0;
        break-inside: avoid; page-break-inside: avoid; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
legend, .label { font-weight: bold; padding: 0; }
.label { display: inline; }
.help, .logic { color: var(--muted); font-size: 1rem; margin: 0.2rem 0 0.4rem; }
.logic { font-style: italic; }
.columns { display: grid; grid-template-columns: repeat(var(--columns), 1fr); gap: 0.8rem; }
.column { border-inline-start: 3px solid #ccc; padding-inline-start: 0.6rem; }
.column-title { font-size: 1rem; color: var(--muted); display: block; }
.choice { display: block; margin: 0.15rem 0; }
input[type=radio], input[type=checkbox] { width: 1.1rem; height: 1.1rem; vertical-align: middle; margin-inline-end: 0.4rem; }
.required-mark { color: #a00000; }
/* Read by screen readers, not shown; clipped in place rather than moved off to the left, which
   would widen a right-to-left page by the distance moved. */
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.unit { margin-inline-start: 0.3rem; }
.signature { margin-top: 2.5rem; border-top: 2px solid var(--accent); padding-top: 1rem; }
.persons td, .persons th { border: 1px solid var(--line); padding: 0.4rem; text-align: start; }
.persons { border-collapse: collapse; width: 100%; }
.persons td { height: 2.2rem; }
@media print {
  h2 { break-before: page; page-break-before: always; }
  h2.first { break-before: auto; page-break-before: auto; }
  .item { border-color: #000; }
}
)css";

std::string Id(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    out.push_back(ok ? c : '-');
  }
  return out;
}

class Renderer {
 public:
  Renderer(const Definition& d, const RenderOptions& o)
      : d_(d), o_(o), page_(PageLanguage::For(o.language)), w_(WordsFor(page_.page)), items_(IndexItems(d)) {
    columns_ = std::clamp(o.adult_columns, 1, 4);
    for (const std::string& id : o.hidden_items) hidden_.insert(id);
  }

  std::string Run() {
    out_ += "<!DOCTYPE html>\n" + page_.HtmlOpen() + "\n<head>\n<meta charset=\"utf-8\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ += "<title>" + E(In(d_.title)) + (o_.municipality.empty() ? "" : " – " + E(o_.municipality)) + "</title>\n";
    out_ += "<style>" + std::string(BasePrintStyle()) + kStyle + "</style>\n</head>\n<body>\n<header>\n";
    if (!o_.municipality.empty()) out_ += "<p class=\"municipality\">" + E(o_.municipality) + "</p>\n";
    out_ += "<h1>" + T(d_.title) + "</h1>\n";
    out_ += "<p>" + std::string(w_.version) + " " + E(d_.id) + " " + E(d_.version) + "</p>\n";
    if (!In(d_.notice).empty()) out_ += "<p class=\"notice\">" + T(d_.notice) + "</p>\n";
    out_ += page_.TranslationNotices(d_.language_notes, w_.representative, w_.fallback_note);
    out_ += "<p class=\"intro\">" + std::string(w_.page_intro) + " " + w_.required_note + "</p>\n</header>\n<main>\n";
    Persons();
    bool first = true;
    for (const Part& part : d_.parts) {
      const std::string part_id = "part-" + std::to_string(part.number);
      out_ += "<section aria-labelledby=\"" + part_id + "\">\n<h2 id=\"" + part_id + "\"" + (first ? " class=\"first\"" : "") + ">" +
              w_.part + " " + std::to_string(part.number) + ". " + T(part.title) + "</h2>\n";
      first = false;
      for (const Section& section : part.sections) {
        // A section whose every item belongs to a module the profile switches off is not printed.
        if (std::all_of(section.items.begin(), section.items.end(), [&](const Item& i) { return hidden_.contains(i.id); }) &&
            !section.items.empty()) {
          continue;
        }
        const std::string section_id = "section-" + Id(section.id);
        out_ += "<section aria-labelledby=\"" + section_id + "\">\n<h3 id=\"" + section_id + "\">" + T(section.title) + "</h3>\n";
        for (const Item& item : section.items) {
          if (!hidden_.contains(item.id)) RenderItem(item);
        }
        out_ += "</section>\n";
      }
      out_ += "</section>\n";
    }
    Signature();
    out_ += "</main>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  static std::string E(std::string_view text) { return EscapeHtml(text); }
  // The text in the page's language by the fallback rule: raw, and as HTML marked with its own
  // language when it fell back to another one (so screen readers pronounce it right).
  const std::string& In(const LocalizedText& text) const { return TextIn(text, page_.requested); }
  std::string T(const LocalizedText& text) const { return page_.Marked(text); }

  void Persons() {
    out_ += "<section aria-labelledby=\"persons\">\n<h2 id=\"persons\" class=\"first\">" + std::string(w_.household_persons) + "</h2>\n";
    out_ += "<table class=\"persons\">\n<thead><tr><th scope=\"col\">" + std::string(w_.person) + "</th><th scope=\"col\">" +
            w_.personnummer + "</th><th scope=\"col\">" + w_.role + "</th></tr></thead>\n<tbody>\n";
    for (int i = 1; i <= 6; ++i) {
      const std::string n = std::to_string(i);
      out_ += "<tr><th scope=\"row\">" + n + "</th><td><label class=\"column-title\" for=\"person-" + n + "-pnr\">" + w_.personnummer + " " + n +
              "</label><input type=\"text\" id=\"person-" + n + "-pnr\" name=\"person-" + n + "-pnr\"></td><td><label class=\"column-title\" for=\"person-" +
              n + "-role\">" + w_.role + "</label><input type=\"text\" id=\"person-" + n + "-role\" name=\"person-" + n + "-role\"></td></tr>\n";
    }
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  void Signature() {
    out_ += "<section class=\"signature\" aria-labelledby=\"signature\">\n<h2 id=\"signature\" class=\"first\">" + std::string(w_.answered_by) + "</h2>\n";
    out_ += "<fieldset><legend>" + std::string(w_.answered_by) + "</legend>\n";
    for (const char* who : {w_.by_client, w_.by_together, w_.by_caseworker}) {
      const std::string id = "answered-by-" + std::to_string(counter_++);
      out_ += "<label class=\"choice\" for=\"" + id + "\"><input type=\"radio\" name=\"answered-by\" id=\"" + id + "\">" + who + "</label>\n";
    }
    out_ += "</fieldset>\n";
    out_ += "<p><label class=\"label\" for=\"interpreter\">" + std::string(w_.interpreter) + "</label><input type=\"text\" id=\"interpreter\" name=\"interpreter\"></p>\n";
    out_ += "<p><label class=\"label\" for=\"signature-date\">" + std::string(w_.date_signature) + "</label><input type=\"text\" id=\"signature-date\" name=\"signature-date\"></p>\n";
    out_ += "</section>\n";
  }

  std::string ItemLabel(const std::string& id) const {
    auto it = items_.find(id);
    return it == items_.end() ? id : In(it->second.item->label);
  }

  std::string ValueText(const AnswerValue& value, const std::string& item_id) const {
    auto it = items_.find(item_id);
    const Item* item = it == items_.end() ? nullptr : it->second.item;
    // Labels only, in the page's language: an option's label, yes/no in the page's words.
    if (const auto* c = std::get_if<Code>(&value); c != nullptr && item != nullptr) {
      for (const ChoiceOption& o : item->options) {
        if (o.code == c->code) return In(o.label);
      }
    }
    if (const bool* b = std::get_if<bool>(&value); b != nullptr) return *b ? w_.yes : w_.no;
    return FormatAnswerValue(value, item, std::string_view(w_.lang) == "en" ? "en" : "sv");
  }

  std::string CodeLabels(const std::vector<std::string>& codes, const std::string& item_id) const {
    std::string out;
    for (const std::string& code : codes) {
      out += (out.empty() ? "" : ", ") + std::string("'") + ValueText(Code{code}, item_id) + "'";
    }
    return out;
  }

  std::string Describe(const ConditionGroup& group) const {
    std::string out;
    for (const Condition& c : group.conditions) {
      if (!out.empty()) out += std::string(" ") + (group.any ? w_.or_ : w_.and_) + " ";
      out += "'" + ItemLabel(c.item_id) + "' ";
      const std::string other = c.other_item_id.empty() ? "'" + ValueText(c.value, c.item_id) + "'" : "'" + ItemLabel(c.other_item_id) + "'";
      switch (c.op) {
        case ConditionOperator::kAnswered: out += w_.answered; break;
        case ConditionOperator::kNotAnswered: out += w_.not_answered; break;
        case ConditionOperator::kEquals: out += "= " + other; break;
        case ConditionOperator::kNotEquals: out += "≠ " + other; break;
        case ConditionOperator::kGreater: out += "> " + other; break;
        case ConditionOperator::kGreaterOrEqual: out += "≥ " + other; break;
        case ConditionOperator::kLess: out += "< " + other; break;
        case ConditionOperator::kLessOrEqual: out += "≤ " + other; break;
        case ConditionOperator::kIn: out += std::string(w_.one_of) + " " + CodeLabels(c.codes, c.item_id); break;
        case ConditionOperator::kContainsAny: out += std::string(w_.any_of) + " " + CodeLabels(c.codes, c.item_id); break;
        case ConditionOperator::kUnspecified: break;
      }
    }
    return out;
  }

  void RenderItem(const Item& item) {
    const std::string base = "item-" + Id(item.id);
    const std::string help_id = base + "-help";
    const bool has_help = !In(item.help).empty();
    out_ += "<div class=\"item\">\n";
    std::string label = T(item.label);
    if (item.required && !item.is_calculated()) {
      label += " <span class=\"required-mark\" aria-hidden=\"true\">*</span><span class=\"sr-only\">(" +
               std::string(w_.required) + ")</span>";
    }
    const bool grouped = item.type == ItemType::kBoolean || item.type == ItemType::kSingleChoice ||
                         item.type == ItemType::kMultipleChoice || item.type == ItemType::kRating ||
                         item.scope == ItemScope::kAdult;
    std::string notes;
    if (has_help) notes += "<p class=\"help\" id=\"" + help_id + "\">" + T(item.help) + "</p>\n";
    if (!item.enable_when.empty()) notes += "<p class=\"logic\">" + std::string(w_.asked_if) + " " + E(Describe(item.enable_when)) + ".</p>\n";
    if (!item.required_when.empty()) notes += "<p class=\"logic\">" + std::string(w_.required_if) + " " + E(Describe(item.required_when)) + ".</p>\n";
    if (item.is_calculated()) {
      out_ += "<p class=\"label\">" + label + "</p>\n<p class=\"logic\">" + w_.calculated + ".</p>\n" + notes + "</div>\n";
      return;
    }
    const std::string described = has_help ? " aria-describedby=\"" + help_id + "\"" : "";
    if (grouped) {
      out_ += "<fieldset" + described + ">\n<legend>" + label + "</legend>\n" + notes;
    } else {
      out_ += "<label class=\"label\" for=\"" + base + "\">" + label + "</label>\n" + notes;
    }
    if (item.scope == ItemScope::kAdult) {
      out_ += "<div class=\"columns\" style=\"--columns: " + std::to_string(columns_) + "\">\n";
      for (int adult = 1; adult <= columns_; ++adult) {
        const std::string id = base + "-adult" + std::to_string(adult);
        const std::string column_title = std::string(w_.adult) + " " + std::to_string(adult);
        out_ += "<div class=\"column\">\n";
        if (item.type == ItemType::kBoolean || item.type == ItemType::kSingleChoice ||
            item.type == ItemType::kMultipleChoice || item.type == ItemType::kRating) {
          out_ += "<fieldset><legend class=\"column-title\">" + column_title + "</legend>\n";
          Inputs(item, id, column_title);
          out_ += "</fieldset>\n";
        } else {
          out_ += "<label class=\"column-title\" for=\"" + id + "\">" + column_title + "</label>\n";
          Inputs(item, id, column_title);
        }
        out_ += "</div>\n";
      }
      out_ += "</div>\n";
    } else {
      Inputs(item, base, "");
    }
    if (grouped) out_ += "</fieldset>\n";
    out_ += "</div>\n";
  }

  void Choice(const char* type, const std::string& name, const std::string& id, const std::string& text) {
    out_ += "<label class=\"choice\" for=\"" + id + "\"><input type=\"" + type + "\" name=\"" + name + "\" id=\"" + id + "\">" + text + "</label>\n";
  }

  void Inputs(const Item& item, const std::string& id, const std::string& /*column*/) {
    switch (item.type) {
      case ItemType::kBoolean:
        Choice("radio", id, id + "-yes", w_.yes);
        Choice("radio", id, id + "-no", w_.no);
        return;
      case ItemType::kSingleChoice:
      case ItemType::kMultipleChoice:
        for (const ChoiceOption& o : item.options) {
          Choice(item.type == ItemType::kSingleChoice ? "radio" : "checkbox", id, id + "-" + Id(o.code), T(o.label));
        }
        return;
      case ItemType::kRating: {
        const int64_t low = item.min.value_or(1), high = std::min<int64_t>(item.max.value_or(3), low + 10);
        for (int64_t v = low; v <= high; ++v) Choice("radio", id, id + "-" + std::to_string(v), std::to_string(v));
        return;
      }
      case ItemType::kText:
        out_ += "<textarea id=\"" + id + "\" name=\"" + id + "\" rows=\"3\"></textarea>\n";
        return;
      case ItemType::kMoney:
        out_ += "<input type=\"text\" inputmode=\"decimal\" id=\"" + id + "\" name=\"" + id + "\"><span class=\"unit\">" + w_.kronor + "</span>\n";
        return;
      case ItemType::kDate:
        out_ += "<input type=\"text\" id=\"" + id + "\" name=\"" + id + "\" placeholder=\"" + w_.date_hint + "\">\n";
        return;
      case ItemType::kInteger:
      case ItemType::kDecimal:
        out_ += "<input type=\"text\" inputmode=\"numeric\" id=\"" + id + "\" name=\"" + id + "\">\n";
        return;
      case ItemType::kPersonnummer:
      case ItemType::kUnspecified:
        out_ += "<input type=\"text\" id=\"" + id + "\" name=\"" + id + "\">\n";
        return;
    }
  }

  const Definition& d_;
  const RenderOptions& o_;
  PageLanguage page_;
  const Words& w_;
  std::set<std::string, std::less<>> hidden_;
  std::map<std::string, ItemLocation, std::less<>> items_;
  int columns_ = 2;
  int counter_ = 0;
  std::string out_;
};

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
          if (c < 0x20 && c != '\n' && c != '\t') out += "\xEF\xBF\xBD";
          else out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > text.size() || Utf8Length(text.substr(i, n)) != 1) {
      out += "\xEF\xBF\xBD";  // U+FFFD for every invalid byte
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string RenderFormHtml(const Definition& definition, const RenderOptions& options) {
  return Renderer(definition, options).Run();
}

}  // namespace ix::core::forms
