#include <ix/core/forsorjningshinder/forsorjningshinder.hpp>

#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <map>

namespace ix::core {
namespace {

std::optional<int> AgeOf(const Person& person, const Date& as_of) {
  std::optional<Date> birth = ParseIsoDate(person.birth_date);
  if (!birth) {
    const IdentityNumber id = ParseIdentityNumber(person.personnummer);
    if (id.ok()) birth = id.birth_date;
  }
  if (!birth) return std::nullopt;
  return AgeOn(*birth, as_of);
}

bool Holds(const AnswerCondition& c, const AnswerValue* value) {
  if (c.unanswered) return value == nullptr;
  if (value == nullptr) return false;
  if (!c.any_of_codes.empty()) {
    const Code* code = std::get_if<Code>(value);
    if (code == nullptr) return false;
    if (std::find(c.any_of_codes.begin(), c.any_of_codes.end(), code->code) == c.any_of_codes.end()) return false;
  }
  if (c.boolean) {
    const bool* b = std::get_if<bool>(value);
    if (b == nullptr || *b != *c.boolean) return false;
  }
  return true;
}

std::string Describe(const AnswerCondition& c) {
  std::string text = c.item_id;
  if (c.unanswered) return text + " unanswered";
  if (!c.any_of_codes.empty()) {
    text += " = ";
    for (size_t i = 0; i < c.any_of_codes.size(); ++i) text += (i ? "|" : "") + c.any_of_codes[i];
  }
  if (c.boolean) text += *c.boolean ? " = yes" : " = no";
  return text;
}

}  // namespace

std::vector<Problem> CheckForsorjningshinderTable(const ForsorjningshinderTable& table) {
  std::vector<Problem> problems;
  // Tables are written by the project, not by caseworkers: English is their language.
  auto add = [&](std::string path, const std::string& en) {
    problems.push_back(FieldProblem(std::move(path), "invalid_table", {en, en}));
  };
  if (table.id.empty()) add("id", "empty");
  if (table.version.empty()) add("version", "empty");
  for (size_t i = 0; i < table.rules.size(); ++i) {
    const ForsorjningshinderRule& r = table.rules[i];
    const std::string path = "rules[" + std::to_string(i) + "]";
    if (FindForsorjningshinderCategory(table, r.code) == nullptr) {
      add(path + ".code", "'" + r.code + "' is not a category of the table");
    }
    for (size_t j = 0; j < r.all.size(); ++j) {
      if (r.all[j].item_id.empty()) add(path + ".all[" + std::to_string(j) + "].item_id", "empty");
    }
  }
  if (!table.fallback_code.empty() && FindForsorjningshinderCategory(table, table.fallback_code) == nullptr) {
    add("fallback_code", "'" + table.fallback_code + "' is not a category of the table");
  }
  return problems;
}

const ForsorjningshinderCategory* FindForsorjningshinderCategory(const ForsorjningshinderTable& table,
                                                                 const std::string& code) {
  for (const ForsorjningshinderCategory& c : table.categories) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

std::vector<ForsorjningshinderSuggestion> SuggestForsorjningshinder(const ForsorjningshinderTable& table,
                                                                    const Response& response, const Date& as_of) {
  std::map<std::pair<std::string, std::string>, const AnswerValue*> answers;  // (person, item)
  for (const Answer& a : response.answers) answers.emplace(std::make_pair(a.person_ref, a.item_id), &a.value);

  std::vector<ForsorjningshinderSuggestion> out;
  for (const Person& person : response.household.persons) {
    if (person.role == HouseholdRole::kChild) continue;
    ForsorjningshinderSuggestion s;
    s.person_ref = person.person_ref;
    const std::optional<int> age = AgeOf(person, as_of);
    for (size_t i = 0; i < table.rules.size() && s.code.empty(); ++i) {
      const ForsorjningshinderRule& rule = table.rules[i];
      if ((rule.min_age || rule.max_age) && !age) continue;
      if (rule.min_age && *age < *rule.min_age) continue;
      if (rule.max_age && *age > *rule.max_age) continue;
      const bool all = std::all_of(rule.all.begin(), rule.all.end(), [&](const AnswerCondition& c) {
        auto it = answers.find({person.person_ref, c.item_id});
        return Holds(c, it == answers.end() ? nullptr : it->second);
      });
      if (!all) continue;
      s.code = rule.code;
      s.rule_index = static_cast<int>(i);
      std::string why;
      for (const AnswerCondition& c : rule.all) why += (why.empty() ? "" : ", ") + Describe(c);
      if (rule.min_age || rule.max_age) {
        why += (why.empty() ? "" : ", ") + std::string("age ") + std::to_string(*age);
      }
      s.reason = {"Regel " + std::to_string(i) + ": " + why, "Rule " + std::to_string(i) + ": " + why};
    }
    if (s.code.empty() && !table.fallback_code.empty()) {
      s.code = table.fallback_code;
      s.reason = {"Ingen regel träffade; standardvärde", "No rule matched; fallback"};
    } else if (s.code.empty()) {
      s.reason = {"Ingen regel träffade: handläggaren väljer försörjningshinder",
                  "No rule matched: the caseworker chooses the försörjningshinder"};
    }
    if (const ForsorjningshinderCategory* c = FindForsorjningshinderCategory(table, s.code)) s.label = c->label;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ix::core
