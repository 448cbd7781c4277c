#include <ix/core/validate.hpp>

#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <utility>

namespace ix::core {
namespace {

constexpr int32_t kDefaultMaxTextLength = 10000;

// Collects problems with consistent paths and bilingual messages.
class ProblemSink {
 public:
  void Add(Severity severity, std::string code, std::string path, std::string item_id,
           std::string person_ref, int part, LocalizedText message) {
    Problem p;
    p.severity = severity;
    p.code = std::move(code);
    p.path = std::move(path);
    p.item_id = std::move(item_id);
    p.person_ref = std::move(person_ref);
    p.part = part;
    p.message = std::move(message);
    problems_.push_back(std::move(p));
  }
  std::vector<Problem> Take() { return std::move(problems_); }

 private:
  std::vector<Problem> problems_;
};

// Names the kind of value an item expects / a value holds, for "wrong type" messages.
const char* TypeName(ItemType type) {
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

const char* ValueName(const AnswerValue& value) {
  static constexpr const char* kNames[] = {"none",    "boolean", "code", "codes",
                                           "integer", "decimal", "money", "date",
                                           "text",    "personnummer", "rating"};
  return kNames[value.index()];
}

bool Matches(ItemType type, const AnswerValue& value) {
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

// Counts code points; returns -1 for invalid UTF-8 (overlongs, surrogates, truncation).
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

bool IsDecimal(std::string_view text) {
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

std::string AnswerPath(const Answer& a) {
  return "answers[" + (a.person_ref.empty() ? std::string("household") : a.person_ref) + "/" +
         a.item_id + "]";
}

bool IsAdult(const Person& p) { return p.role != HouseholdRole::kChild; }

class Validator {
 public:
  Validator(const Definition& definition, const Response& response, const ValidationContext& ctx)
      : definition_(definition), response_(response), ctx_(ctx), items_(IndexItems(definition)) {}

  std::vector<Problem> Run() {
    CheckPin();
    CheckHousehold();
    CheckAnswers();
    CheckRequired();
    return sink_.Take();
  }

 private:
  void CheckPin() {
    const InstrumentRef& pin = response_.instrument;
    if (pin.instrument_id != definition_.id || pin.version != definition_.version) {
      sink_.Add(Severity::kError, "instrument_mismatch", "instrument", "", "", 0,
                {"Svaret är knutet till " + pin.instrument_id + "@" + pin.version +
                     " men validerades mot " + definition_.id + "@" + definition_.version + ".",
                 "The response is pinned to " + pin.instrument_id + "@" + pin.version +
                     " but was validated against " + definition_.id + "@" +
                     definition_.version + "."});
    }
  }

  void CheckHousehold() {
    const Household& h = response_.household;
    if (h.persons.empty()) {
      sink_.Add(Severity::kError, "no_persons", "household.persons", "", "", 0,
                {"Hushållet saknar personer.", "The household has no persons."});
    }
    bool has_head = false;
    for (size_t i = 0; i < h.persons.size(); ++i) {
      const Person& p = h.persons[i];
      const std::string base = "household.persons[" + std::to_string(i) + "]";
      if (p.person_ref.empty()) {
        sink_.Add(Severity::kError, "missing_person_ref", base + ".person_ref", "", "", 0,
                  {"Personen saknar referens (person_ref).", "The person has no person_ref."});
        continue;
      }
      if (!persons_.emplace(p.person_ref, &p).second) {
        sink_.Add(Severity::kError, "duplicate_person_ref", base + ".person_ref", "", p.person_ref,
                  0, {"Personreferensen '" + p.person_ref + "' förekommer flera gånger.",
                      "The person_ref '" + p.person_ref + "' occurs more than once."});
      }
      has_head = has_head || p.role == HouseholdRole::kRegisterledare;
      if (p.role == HouseholdRole::kUnspecified) {
        sink_.Add(Severity::kError, "missing_role", base + ".role", "", p.person_ref, 0,
                  {"Personens roll i hushållet saknas.", "The person's role in the household is missing."});
      }
      if (p.sex == Sex::kUnspecified && IsAdult(p)) {
        sink_.Add(Severity::kWarning, "sex_not_recorded", base + ".sex", "", p.person_ref, 0,
                  {"Kön är inte registrerat; personen räknas inte i statistik per kön.",
                   "Sex is not recorded; the person is left out of statistics by sex."});
      }
      CheckIdentity(p, base);
    }
    if (!h.persons.empty() && !has_head) {
      sink_.Add(Severity::kError, "no_registerledare", "household.persons", "", "", 0,
                {"Hushållet saknar registerledare.", "The household has no registerledare (head of household)."});
    }
  }

  void CheckIdentity(const Person& p, const std::string& base) {
    std::optional<Date> birth;
    if (!p.birth_date.empty()) {
      birth = ParseIsoDate(p.birth_date);
      if (!birth) {
        sink_.Add(Severity::kError, "invalid_date", base + ".birth_date", "", p.person_ref, 0,
                  {"Födelsedatum ska vara ett verkligt datum ÅÅÅÅ-MM-DD.",
                   "birth_date must be a real date YYYY-MM-DD."});
      } else if (*birth > ctx_.today) {
        sink_.Add(Severity::kError, "date_in_future", base + ".birth_date", "", p.person_ref, 0,
                  {"Födelsedatum ligger i framtiden.", "birth_date is in the future."});
      }
    }
    if (p.personnummer.empty()) {
      sink_.Add(Severity::kError, "missing_personnummer", base + ".personnummer", "",
                p.person_ref, 0, {"Personnummer saknas.", "The personnummer is missing."});
      return;
    }
    const IdentityNumber id = ParseIdentityNumber(p.personnummer);
    if (!id.ok()) {
      sink_.Add(Severity::kError, "invalid_personnummer", base + ".personnummer", "",
                p.person_ref, 0, DescribeIdentityNumberError(id.error));
      return;
    }
    if (id.birth_date > ctx_.today) {
      sink_.Add(Severity::kError, "date_in_future", base + ".personnummer", "", p.person_ref, 0,
                {"Personnumrets datum ligger i framtiden.", "The personnummer's date is in the future."});
    }
    if (birth && *birth != id.birth_date) {
      sink_.Add(Severity::kWarning, "birth_date_mismatch", base + ".birth_date", "", p.person_ref, 0,
                {"Födelsedatum stämmer inte med personnumret.",
                 "birth_date does not match the personnummer."});
    }
    const bool adult_by_age = AgeOn(id.birth_date, ctx_.today) >= 18;
    if (p.role == HouseholdRole::kChild && adult_by_age) {
      sink_.Add(Severity::kWarning, "child_is_adult", base + ".role", "", p.person_ref, 0,
                {"Personen är registrerad som barn men är 18 år eller äldre.",
                 "The person is recorded as a child but is 18 or older."});
    }
  }

  void CheckAnswers() {
    std::set<std::pair<std::string, std::string>> seen;
    for (const Answer& a : response_.answers) {
      const std::string path = AnswerPath(a);
      auto it = items_.find(a.item_id);
      if (it == items_.end()) {
        sink_.Add(Severity::kError, "unknown_item", path + ".item_id", a.item_id, a.person_ref, 0,
                  {"Frågan '" + a.item_id + "' finns inte i " + definition_.id + "@" + definition_.version + ".",
                   "Item '" + a.item_id + "' does not exist in " + definition_.id + "@" + definition_.version + "."});
        continue;
      }
      const Item& item = *it->second.item;
      const int part = it->second.part;
      if (!seen.emplace(a.item_id, a.person_ref).second) {
        sink_.Add(Severity::kError, "duplicate_answer", path, a.item_id, a.person_ref, part,
                  {"Frågan är besvarad mer än en gång.", "The item is answered more than once."});
        continue;
      }
      if (!CheckAddressee(item, a, path, part)) continue;
      CheckValue(item, a, path, part);
    }
  }

  // Household items carry no person; adult items name an adult of this household.
  bool CheckAddressee(const Item& item, const Answer& a, const std::string& path, int part) {
    if (item.scope == ItemScope::kHousehold && !a.person_ref.empty()) {
      sink_.Add(Severity::kError, "household_item_with_person", path + ".person_ref", a.item_id,
                a.person_ref, part,
                {"Frågan gäller hela hushållet och ska inte ha någon person.",
                 "The item is household-level and must not name a person."});
      return false;
    }
    if (item.scope == ItemScope::kAdult) {
      if (a.person_ref.empty()) {
        sink_.Add(Severity::kError, "missing_person_ref", path + ".person_ref", a.item_id, "", part,
                  {"Frågan ställs till varje vuxen; ange vilken person svaret gäller.",
                   "The item is asked of every adult; name the person the answer is about."});
        return false;
      }
      auto p = persons_.find(a.person_ref);
      if (p == persons_.end()) {
        sink_.Add(Severity::kError, "unknown_person", path + ".person_ref", a.item_id, a.person_ref,
                  part, {"Personen '" + a.person_ref + "' finns inte i hushållet.",
                         "Person '" + a.person_ref + "' is not in the household."});
        return false;
      }
      if (!IsAdult(*p->second)) {
        sink_.Add(Severity::kError, "item_not_for_child", path + ".person_ref", a.item_id,
                  a.person_ref, part,
                  {"Frågan ställs bara till vuxna.", "The item is asked of adults only."});
        return false;
      }
    }
    return true;
  }

  void CheckValue(const Item& item, const Answer& a, const std::string& path, int part) {
    auto problem = [&](std::string code, std::string sv, std::string en) {
      sink_.Add(Severity::kError, std::move(code), path + ".value", a.item_id, a.person_ref, part,
                {std::move(sv), std::move(en)});
    };
    if (std::holds_alternative<std::monostate>(a.value)) {
      problem("missing_value", "Svaret saknar värde.", "The answer has no value.");
      return;
    }
    if (!Matches(item.type, a.value)) {
      problem("wrong_type",
              std::string("Fel typ av svar: frågan väntar ") + TypeName(item.type) + ", fick " + ValueName(a.value) + ".",
              std::string("Wrong answer type: the item expects ") + TypeName(item.type) + ", got " + ValueName(a.value) + ".");
      return;
    }
    auto known_code = [&](const std::string& code) {
      return std::any_of(item.options.begin(), item.options.end(),
                         [&](const ChoiceOption& o) { return o.code == code; });
    };
    auto range = [&](int64_t v) {
      if ((item.min && v < *item.min) || (item.max && v > *item.max)) {
        const std::string bounds = "[" + (item.min ? std::to_string(*item.min) : "") + ", " +
                                   (item.max ? std::to_string(*item.max) : "") + "]";
        problem("out_of_range", "Värdet " + std::to_string(v) + " ligger utanför " + bounds + ".",
                "The value " + std::to_string(v) + " is outside " + bounds + ".");
      }
    };
    if (const auto* c = std::get_if<Code>(&a.value)) {
      if (!known_code(c->code)) {
        problem("unknown_code", "Okänd svarskod '" + c->code + "'.", "Unknown answer code '" + c->code + "'.");
      }
    } else if (const auto* cs = std::get_if<Codes>(&a.value)) {
      std::set<std::string> distinct;
      for (const std::string& code : cs->codes) {
        if (!known_code(code)) {
          problem("unknown_code", "Okänd svarskod '" + code + "'.", "Unknown answer code '" + code + "'.");
        } else if (!distinct.insert(code).second) {
          problem("duplicate_code", "Svarskoden '" + code + "' anges två gånger.", "The answer code '" + code + "' is given twice.");
        }
      }
    } else if (const auto* i = std::get_if<int64_t>(&a.value)) {
      range(*i);
    } else if (const auto* r = std::get_if<Rating>(&a.value)) {
      range(r->value);
    } else if (const auto* m = std::get_if<Money>(&a.value)) {
      if (m->ore < 0) problem("negative_amount", "Beloppet får inte vara negativt.", "The amount must not be negative.");
    } else if (const auto* d = std::get_if<Decimal>(&a.value)) {
      if (!IsDecimal(d->text)) problem("invalid_decimal", "Ogiltigt decimaltal.", "Not a decimal number.");
    } else if (const auto* date = std::get_if<DateText>(&a.value)) {
      auto parsed = ParseIsoDate(date->text);
      if (!parsed) {
        problem("invalid_date", "Datum ska vara ett verkligt datum ÅÅÅÅ-MM-DD.", "The date must be a real date YYYY-MM-DD.");
      }
    } else if (const auto* t = std::get_if<Text>(&a.value)) {
      const int64_t length = Utf8Length(t->text);
      const int32_t limit = item.max_length > 0 ? item.max_length : kDefaultMaxTextLength;
      if (length < 0) {
        problem("invalid_utf8", "Texten är inte giltig UTF-8.", "The text is not valid UTF-8.");
      } else if (length > limit) {
        problem("text_too_long", "Texten har " + std::to_string(length) + " tecken, högst " + std::to_string(limit) + " är tillåtna.",
                "The text has " + std::to_string(length) + " characters, at most " + std::to_string(limit) + " are allowed.");
      }
    } else if (const auto* pnr = std::get_if<Personnummer>(&a.value)) {
      const IdentityNumber id = ParseIdentityNumber(pnr->text);
      if (!id.ok()) {
        LocalizedText why = DescribeIdentityNumberError(id.error);
        problem("invalid_personnummer", why.sv, why.en);
      }
    }
  }

  void CheckRequired() {
    std::set<std::pair<std::string, std::string>> answered;
    for (const Answer& a : response_.answers) answered.emplace(a.item_id, a.person_ref);
    for (const Part& part : definition_.parts) {
      for (const Section& section : part.sections) {
        for (const Item& item : section.items) {
          if (!item.required) continue;
          auto missing = [&](const std::string& person_ref) {
            const std::string who = person_ref.empty() ? "household" : person_ref;
            sink_.Add(Severity::kError, "required", "answers[" + who + "/" + item.id + "]",
                      item.id, person_ref, part.number,
                      {"Obligatorisk fråga saknar svar: " + item.label.sv,
                       "Required item has no answer: " + item.label.en});
          };
          if (item.scope == ItemScope::kHousehold) {
            if (!answered.count({item.id, ""})) missing("");
          } else {
            for (const Person& p : response_.household.persons) {
              if (IsAdult(p) && !p.person_ref.empty() && !answered.count({item.id, p.person_ref})) {
                missing(p.person_ref);
              }
            }
          }
        }
      }
    }
  }

  const Definition& definition_;
  const Response& response_;
  const ValidationContext& ctx_;
  std::map<std::string, ItemLocation, std::less<>> items_;
  std::map<std::string, const Person*> persons_;
  ProblemSink sink_;
};

}  // namespace

std::vector<Problem> Validate(const Definition& definition, const Response& response,
                              const ValidationContext& context) {
  return Validator(definition, response, context).Run();
}

bool HasErrors(const std::vector<Problem>& problems) {
  return std::any_of(problems.begin(), problems.end(),
                     [](const Problem& p) { return p.severity == Severity::kError; });
}

}  // namespace ix::core
