#include <ix/core/validate.hpp>

#include <ix/core/forms/answer_text.hpp>
#include <ix/core/forms/logic.hpp>
#include <ix/core/pattern.hpp>
#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <set>
#include <string_view>
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
  const std::vector<Problem>& Peek() const { return problems_; }

 private:
  std::vector<Problem> problems_;
};

using forms::IsDecimalText;
using forms::Utf8Length;
using forms::ValueMatchesType;

const char* TypeName(ItemType type) { return forms::ItemTypeName(type); }
const char* ValueName(const AnswerValue& value) { return forms::ValueKindName(value); }

std::string AnswerPath(const Answer& a) { return core::AnswerPath(a.person_ref, a.item_id); }

bool IsAdult(const Person& p) { return p.role != HouseholdRole::kChild; }

class Validator {
 public:
  Validator(const Definition& definition, const Response& response, const ValidationContext& ctx,
            const Limits& limits)
      : definition_(definition),
        response_(response),
        ctx_(ctx),
        limits_(limits),
        logic_(definition, response, ctx.today),
        items_(logic_.items()) {}

  std::vector<Problem> Run() {
    CheckPin();
    CheckHousehold();
    CheckAnswers();
    CheckRequired();
    CheckPartStatus(sink_.Peek());
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
    // A reference travels into event ids, logs and exchange packages: it must not be a
    // personnummer (the message never echoes it).
    const LocalizedText kRefIsPnr = {
        "Referensen innehåller ett personnummer; använd en referens utan personuppgifter.",
        "The reference contains a personnummer; use a reference that carries no personal data."};
    if (ContainsIdentityNumber(h.household_ref)) {
      sink_.Add(Severity::kError, "reference_is_personnummer", "household.household_ref", "", "", 0, kRefIsPnr);
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
      if (ContainsIdentityNumber(p.person_ref)) {
        sink_.Add(Severity::kError, "reference_is_personnummer", base + ".person_ref", "", "", 0, kRefIsPnr);
        persons_.emplace(p.person_ref, &p);
        continue;  // its other problems would carry the reference
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
      if (CheckValue(item, a, path, part)) CheckLogic(item, a, path, part);
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

  // Returns false when the value is missing or of the wrong kind (nothing more to check).
  bool CheckValue(const Item& item, const Answer& a, const std::string& path, int part) {
    auto problem = [&](std::string code, std::string sv, std::string en) {
      sink_.Add(Severity::kError, std::move(code), path + ".value", a.item_id, a.person_ref, part,
                {std::move(sv), std::move(en)});
    };
    if (std::holds_alternative<std::monostate>(a.value)) {
      problem("missing_value", "Svaret saknar värde.", "The answer has no value.");
      return false;
    }
    if (!ValueMatchesType(item.type, a.value)) {
      problem("wrong_type",
              std::string("Fel typ av svar: frågan väntar ") + TypeName(item.type) + ", fick " + ValueName(a.value) + ".",
              std::string("Wrong answer type: the item expects ") + TypeName(item.type) + ", got " + ValueName(a.value) + ".");
      return false;
    }
    auto known_code = [&](const std::string& code) { return CodesOf(item).count(code) > 0; };
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
      if (m->ore < 0) {
        problem("negative_amount", "Beloppet får inte vara negativt.", "The amount must not be negative.");
      } else if ((item.min && m->ore < *item.min) || (item.max && m->ore > *item.max)) {
        problem("out_of_range", "Beloppet ligger utanför det tillåtna intervallet.", "The amount is outside the allowed range.");
      }
    } else if (const auto* d = std::get_if<Decimal>(&a.value)) {
      if (!IsDecimalText(d->text)) problem("invalid_decimal", "Ogiltigt decimaltal.", "Not a decimal number.");
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
    return true;
  }

  // Required items (always, or while `required_when` holds), only while enabled; for every
  // adult for adult items. A calculated item is "answered" when it can be computed.
  void CheckRequired() {
    std::set<std::pair<std::string, std::string>> answered;
    // A valueless or mistyped answer counts as given here: it is reported on its own.
    for (const Answer& a : response_.answers) answered.emplace(a.item_id, a.person_ref);
    for (const Part& part : definition_.parts) {
      for (const Section& section : part.sections) {
        for (const Item& item : section.items) {
          if (!item.required && item.required_when.empty()) continue;
          for (const std::string& subject : logic_.SubjectsOf(item)) {
            if (!logic_.Required(item, subject)) continue;
            const bool has = item.is_calculated()
                                 ? forms::HasValue(logic_.Calculate(item, subject))
                                 : answered.count({item.id, subject}) > 0;
            if (has) continue;
            if (item.is_calculated()) {
              sink_.Add(Severity::kError, "required", core::AnswerPath(subject, item.id),
                        item.id, subject, part.number,
                        {"Obligatoriskt beräknat värde kan inte beräknas (inget av delvärdena är besvarat): " + item.label.sv,
                         "Required calculated value cannot be computed (none of its parts is answered): " + item.label.en});
              continue;
            }
            sink_.Add(Severity::kError, "required", core::AnswerPath(subject, item.id),
                      item.id, subject, part.number,
                      {"Obligatorisk fråga saknar svar: " + item.label.sv,
                       "Required item has no answer: " + item.label.en});
          }
        }
      }
    }
  }

  // For a well-formed answer: is the item asked at all, do its constraints hold, and does a
  // stored calculated value match its sources.
  void CheckLogic(const Item& item, const Answer& a, const std::string& path, int part) {
    if (!logic_.Enabled(item, a.person_ref)) {
      sink_.Add(Severity::kError, "disabled_item_answered", path, a.item_id, a.person_ref, part,
                {"Frågan ställs inte längre (villkoret för den är inte uppfyllt) men har ett svar; "
                 "ta bort eller ändra svaret: " + item.label.sv,
                 "The item is not asked (its condition does not hold) but has an answer; clear "
                 "or change the answer: " + item.label.en});
      return;
    }
    if (item.is_calculated()) {
      CheckCalculated(item, a, path, part);
      return;
    }
    for (const Constraint& c : item.constraints) CheckConstraint(item, c, a, path, part);
  }

  void CheckCalculated(const Item& item, const Answer& a, const std::string& path, int part) {
    if (logic_.Overflowed(item, a.person_ref)) {
      sink_.Add(Severity::kError, "calculation_overflow", path, a.item_id, a.person_ref, part,
                {"Summan blir för stor för att räknas ut.", "The sum is too large to compute."});
      return;
    }
    // A stored age is the age when it was recorded; it follows the calendar, not the answers.
    if (item.calculated.kind == CalculationKind::kAge) return;
    const AnswerValue computed = logic_.Calculate(item, a.person_ref);
    if (computed == a.value) return;
    const std::string expected = forms::FormatAnswerValue(computed, &item, "en");
    const std::string expected_sv = forms::FormatAnswerValue(computed, &item, "sv");
    sink_.Add(Severity::kError, "calculated_mismatch", path + ".value",
              a.item_id, a.person_ref, part,
              {"Det sparade beräknade värdet stämmer inte; beräknat värde: " + expected_sv + ".",
               "The stored calculated value is out of date; computed value: " + expected + "."});
  }

  void CheckConstraint(const Item& item, const Constraint& c, const Answer& a,
                       const std::string& path, int part) {
    if (!c.applies_when.empty() && !logic_.Holds(c.applies_when, a.person_ref)) return;
    auto report = [&](LocalizedText fallback) {
      LocalizedText message = c.message.en.empty() && c.message.sv.empty() ? std::move(fallback) : c.message;
      sink_.Add(c.severity, "constraint", path + ".value", a.item_id, a.person_ref, part, std::move(message));
    };
    switch (c.kind) {
      case ConstraintKind::kPattern: {
        const auto* t = std::get_if<Text>(&a.value);
        if (t == nullptr) return;
        // Invalid or over-long text is reported as such (invalid_utf8, text_too_long), not matched.
        const int64_t length = Utf8Length(t->text);
        const int32_t limit = item.max_length > 0 ? item.max_length : kDefaultMaxTextLength;
        if (length < 0 || length > limit) return;
        // RE2: linear in the answer's length. A pattern that does not compile (the definition
        // was not checked) matches nothing, as before.
        const Pattern* pattern = PatternOf(c);
        if (pattern == nullptr || !pattern->FullMatch(t->text)) {
          report({"Svaret har fel format.", "The answer has the wrong format."});
        }
        return;
      }
      case ConstraintKind::kNotInFuture: {
        const auto* d = std::get_if<DateText>(&a.value);
        auto date = d ? ParseIsoDate(d->text) : std::nullopt;
        if (date && *date > ctx_.today) {
          report({"Datumet ligger i framtiden (" + FormatIsoDate(ctx_.today) + " är idag).",
                  "The date is in the future (today is " + FormatIsoDate(ctx_.today) + ")."});
        }
        return;
      }
      case ConstraintKind::kNotBeforeBirth: {
        const auto* d = std::get_if<DateText>(&a.value);
        auto date = d ? ParseIsoDate(d->text) : std::nullopt;
        auto birth = logic_.BirthDate(a.person_ref);
        if (date && birth && *date < *birth) {
          report({"Datumet ligger före personens födelse.", "The date is before the person was born."});
        }
        return;
      }
      case ConstraintKind::kAgeBetween: {
        auto birth = logic_.BirthDate(a.person_ref);
        if (!birth) return;  // the personnummer problem is reported on the person
        const int age = AgeOn(*birth, ctx_.today);
        if ((c.min && age < *c.min) || (c.max && age > *c.max)) {
          const std::string range = (c.min ? std::to_string(*c.min) : "") + "–" + (c.max ? std::to_string(*c.max) : "");
          report({"Svaret gäller personer " + range + " år; personen är " + std::to_string(age) + " år enligt personnumret.",
                  "The answer applies to people aged " + range + "; the person is " + std::to_string(age) + " by the personnummer."});
        }
        return;
      }
      case ConstraintKind::kCompareItem: {
        const AnswerValue other = logic_.Effective(c.other_item_id, a.person_ref);
        if (!forms::HasValue(other)) return;
        const std::optional<int> cmp = forms::CompareValues(a.value, other);
        if (!cmp) return;
        bool ok = true;
        switch (c.op) {
          case ConditionOperator::kEquals: ok = *cmp == 0; break;
          case ConditionOperator::kNotEquals: ok = *cmp != 0; break;
          case ConditionOperator::kGreater: ok = *cmp > 0; break;
          case ConditionOperator::kGreaterOrEqual: ok = *cmp >= 0; break;
          case ConditionOperator::kLess: ok = *cmp < 0; break;
          case ConditionOperator::kLessOrEqual: ok = *cmp <= 0; break;
          default: break;
        }
        if (!ok) {
          auto where = items_.find(c.other_item_id);
          const LocalizedText other_label = where != items_.end() ? where->second.item->label : LocalizedText{c.other_item_id, c.other_item_id};
          report({"Svaret stämmer inte med '" + other_label.sv + "'.",
                  "The answer does not agree with '" + other_label.en + "'."});
        }
        return;
      }
      case ConstraintKind::kExclusiveCodes: {
        const auto* cs = std::get_if<Codes>(&a.value);
        if (cs == nullptr || cs->codes.size() < 2) return;
        for (const std::string& exclusive : c.codes) {
          if (std::find(cs->codes.begin(), cs->codes.end(), exclusive) != cs->codes.end()) {
            report({"Svaret '" + exclusive + "' kan inte kombineras med andra svar.",
                    "The answer '" + exclusive + "' cannot be combined with other answers."});
            return;
          }
        }
        return;
      }
      case ConstraintKind::kUnspecified: return;
    }
  }

  // A part marked completed must stay free of errors; every part appears at most once.
  void CheckPartStatus(const std::vector<Problem>& so_far) {
    std::set<int> seen;
    std::set<int> parts;
    for (const Part& part : definition_.parts) parts.insert(part.number);
    // Errors per part counted once (not once per status entry): O(problems + statuses).
    std::map<int, int64_t> errors_in;
    int64_t household_errors = 0;
    for (const Problem& p : so_far) {
      if (p.severity != Severity::kError) continue;
      if (p.part == 0) ++household_errors;
      else ++errors_in[p.part];
    }
    for (size_t i = 0; i < response_.part_status.size(); ++i) {
      const PartStatus& status = response_.part_status[i];
      const std::string path = "part_status[" + std::to_string(i) + "]";
      if (!parts.count(status.part)) {
        sink_.Add(Severity::kError, "unknown_part", path + ".part", "", "", status.part,
                  {"Delen " + std::to_string(status.part) + " finns inte i definitionen.",
                   "Part " + std::to_string(status.part) + " does not exist in the definition."});
        if (status.part == 0) ++household_errors;  // counts against part 1, as BlocksPart says
        continue;
      }
      if (!seen.insert(status.part).second) {
        sink_.Add(Severity::kError, "duplicate_part_status", path, "", "", status.part,
                  {"Delen har status mer än en gång.", "The part has more than one status."});
        continue;
      }
      if (status.state != PartState::kCompleted && status.state != PartState::kAmended) continue;
      // BlocksPart: the part's own errors, and for part 1 those of the household too.
      const int64_t errors =
          errors_in[status.part] + (status.part == 0 || status.part == 1 ? household_errors : 0);
      if (errors > 0) {
        sink_.Add(Severity::kError, "completed_part_has_errors", path, "", "", status.part,
                  {"Delen är markerad som klar men har " + std::to_string(errors) + " fel.",
                   "The part is marked completed but has " + std::to_string(errors) + " error(s)."});
      }
    }
  }

  // The item's option codes, indexed on first use: O(log options) per code, not O(options).
  const std::set<std::string_view>& CodesOf(const Item& item) {
    auto [it, added] = codes_.try_emplace(&item);
    if (added) {
      for (const ChoiceOption& o : item.options) it->second.insert(o.code);
    }
    return it->second;
  }

  // The compiled pattern of a constraint: the one PrepareDefinition kept, else compiled here
  // once per validation (never per answer). nullptr when it does not compile.
  const Pattern* PatternOf(const Constraint& c) {
    if (c.compiled != nullptr) return c.compiled.get();
    auto [it, added] = patterns_.try_emplace(&c);
    if (added) it->second = Pattern::Compile(c.pattern, limits_, nullptr);
    return it->second.get();
  }

  const Definition& definition_;
  const Response& response_;
  const ValidationContext& ctx_;
  const Limits& limits_;
  forms::FormLogic logic_;
  const ItemIndex& items_;
  std::map<std::string, const Person*> persons_;
  std::map<const Item*, std::set<std::string_view>> codes_;
  std::map<const Constraint*, std::shared_ptr<const Pattern>> patterns_;
  ProblemSink sink_;
};

}  // namespace

std::vector<Problem> Validate(const Definition& definition, const Response& response,
                              const ValidationContext& context) {
  return Validate(definition, response, context, DefaultLimits());
}

std::vector<Problem> Validate(const Definition& definition, const Response& response,
                              const ValidationContext& context, const Limits& limits) {
  // Measured before any work: an oversized response gets its limit problems and nothing else.
  if (std::vector<Problem> refused = CheckResponseLimits(response, limits); !refused.empty()) return refused;
  return Validator(definition, response, context, limits).Run();
}

bool BlocksPart(const Problem& problem, int part) {
  if (problem.severity != Severity::kError) return false;
  return problem.part == part || (part == 1 && problem.part == 0);
}

bool HasErrors(const std::vector<Problem>& problems) {
  return std::any_of(problems.begin(), problems.end(),
                     [](const Problem& p) { return p.severity == Severity::kError; });
}

}  // namespace ix::core
