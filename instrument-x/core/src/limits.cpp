#include <ix/core/limits.hpp>

#include <ix/core/definition.hpp>
#include <ix/core/language.hpp>

#include <algorithm>

namespace ix::core {

const Limits& DefaultLimits() {
  static const Limits defaults{};
  return defaults;
}

bool IsLimitProblem(const Problem& problem) { return problem.code == kLimitExceeded; }

std::vector<Problem> LimitProblems(const std::vector<Problem>& problems) {
  std::vector<Problem> out;
  std::copy_if(problems.begin(), problems.end(), std::back_inserter(out), IsLimitProblem);
  return out;
}

Problem LimitProblem(std::string path, int64_t value, int64_t limit, const std::string& what_en,
                     const std::string& what_sv) {
  const std::string v = std::to_string(value);
  const std::string l = std::to_string(limit);
  return FieldProblem(std::move(path), kLimitExceeded,
                      {v + " " + what_sv + ", högst " + l + " är tillåtna",
                       v + " " + what_en + ", at most " + l});
}

int64_t CharacterCount(std::string_view text) {
  return static_cast<int64_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

namespace {

int64_t Count(size_t n) { return static_cast<int64_t>(n); }

void CheckGroup(const ConditionGroup& group, const std::string& path, const Limits& limits,
                std::vector<Problem>& out) {
  if (Count(group.conditions.size()) > limits.conditions_per_group) {
    out.push_back(LimitProblem(path + ".conditions", Count(group.conditions.size()), limits.conditions_per_group,
                               "conditions", "villkor"));
    return;
  }
  for (size_t i = 0; i < group.conditions.size(); ++i) {
    const size_t codes = group.conditions[i].codes.size();
    if (Count(codes) > limits.choices_per_item) {
      out.push_back(LimitProblem(path + ".conditions[" + std::to_string(i) + "].codes", Count(codes),
                                 limits.choices_per_item, "codes", "koder"));
    }
  }
}

}  // namespace

std::vector<Problem> CheckDefinitionLimits(const Definition& definition, const Limits& limits) {
  std::vector<Problem> out;
  // Counted first, and alone: nothing per item is looked at in a definition with too many.
  int64_t items = 0;
  for (const Part& part : definition.parts) {
    for (const Section& section : part.sections) items += Count(section.items.size());
  }
  if (items > limits.items) {
    out.push_back(LimitProblem("parts", items, limits.items, "items", "frågor"));
    return out;
  }
  // Languages and texts: counted before any tag is parsed or text read.
  CheckLanguageListLimits(definition.languages, "languages", limits, out);
  if (Count(definition.language_notes.size()) > limits.languages) {
    out.push_back(LimitProblem("language_notes", Count(definition.language_notes.size()), limits.languages, "languages", "språk"));
  }
  for (size_t i = 0; i < definition.language_notes.size() && Count(i) < limits.languages; ++i) {
    const std::string& notice = definition.language_notes[i].notice;
    if (Count(notice.size()) > limits.text_bytes) {
      out.push_back(LimitProblem("language_notes[" + std::to_string(i) + "].notice", Count(notice.size()),
                                 limits.text_bytes, "bytes", "byte"));
    }
  }
  ForEachText(definition, [&](const std::string& path, const LocalizedText& text) {
    CheckTextLimits(text, path, limits, out);
  });
  for (const Part& part : definition.parts) {
    for (const Section& section : part.sections) {
      for (const Item& item : section.items) {
        const std::string path = ItemPath(part.number, section.id, item.id);
        if (Count(item.options.size()) > limits.choices_per_item) {
          out.push_back(LimitProblem(path + ".options", Count(item.options.size()), limits.choices_per_item,
                                     "options", "svarsalternativ"));
        }
        if (item.max_length > limits.answer_characters) {
          out.push_back(LimitProblem(path + ".max_length", item.max_length, limits.answer_characters,
                                     "characters", "tecken"));
        }
        CheckGroup(item.enable_when, path + ".enable_when", limits, out);
        CheckGroup(item.required_when, path + ".required_when", limits, out);
        if (Count(item.calculated.item_ids.size()) > limits.items) {
          out.push_back(LimitProblem(path + ".calculated.item_ids", Count(item.calculated.item_ids.size()),
                                     limits.items, "items", "frågor"));
        }
        if (Count(item.constraints.size()) > limits.conditions_per_group) {
          out.push_back(LimitProblem(path + ".constraints", Count(item.constraints.size()),
                                     limits.conditions_per_group, "constraints", "villkor"));
          continue;
        }
        for (size_t i = 0; i < item.constraints.size(); ++i) {
          const Constraint& c = item.constraints[i];
          const std::string cpath = path + ".constraints[" + std::to_string(i) + "]";
          if (Count(c.pattern.size()) > limits.pattern_bytes) {
            out.push_back(LimitProblem(cpath + ".pattern", Count(c.pattern.size()), limits.pattern_bytes,
                                       "bytes of pattern", "byte mönster"));
          }
          if (Count(c.codes.size()) > limits.choices_per_item) {
            out.push_back(LimitProblem(cpath + ".codes", Count(c.codes.size()), limits.choices_per_item,
                                       "codes", "koder"));
          }
          CheckGroup(c.applies_when, cpath + ".applies_when", limits, out);
        }
      }
    }
  }
  if (Count(definition.migrations.size()) > limits.migrations) {
    out.push_back(LimitProblem("migrations", Count(definition.migrations.size()), limits.migrations,
                               "migrations", "migreringar"));
    return out;
  }
  int64_t rules = 0;
  for (const Migration& m : definition.migrations) rules += Count(m.rules.size());
  if (rules > limits.migration_rules) {
    out.push_back(LimitProblem("migrations", rules, limits.migration_rules, "migration rules",
                               "migreringsregler"));
    return out;
  }
  for (size_t i = 0; i < definition.migrations.size(); ++i) {
    const Migration& m = definition.migrations[i];
    for (size_t r = 0; r < m.rules.size(); ++r) {
      const MigrationRule& rule = m.rules[r];
      const std::string rpath = "migrations[" + std::to_string(i) + "].rules[" + std::to_string(r) + "]";
      if (Count(rule.targets.size()) > limits.targets_per_rule) {
        out.push_back(LimitProblem(rpath + ".targets", Count(rule.targets.size()), limits.targets_per_rule,
                                   "targets", "mål"));
        continue;
      }
      for (size_t t = 0; t < rule.targets.size(); ++t) {
        const size_t mappings = rule.targets[t].value_map.size();
        if (Count(mappings) > limits.choices_per_item) {
          out.push_back(LimitProblem(rpath + ".targets[" + std::to_string(t) + "].value_map", Count(mappings),
                                     limits.choices_per_item, "value mappings", "värdeöversättningar"));
        }
      }
    }
  }
  return out;
}

namespace {

// The characters of an answer's value; codes count one each besides their characters'
// worth of text (so a million empty codes is not free).
int64_t ValueCharacters(const AnswerValue& value) {
  if (const auto* t = std::get_if<Text>(&value)) return CharacterCount(t->text);
  if (const auto* d = std::get_if<Decimal>(&value)) return CharacterCount(d->text);
  if (const auto* d = std::get_if<DateText>(&value)) return CharacterCount(d->text);
  if (const auto* p = std::get_if<Personnummer>(&value)) return CharacterCount(p->text);
  if (const auto* c = std::get_if<Code>(&value)) return CharacterCount(c->code);
  if (const auto* cs = std::get_if<Codes>(&value)) {
    int64_t total = 0;
    for (const std::string& code : cs->codes) total += CharacterCount(code);
    return total;
  }
  return 0;
}

void CheckValue(const AnswerValue& value, const std::string& path, const Limits& limits,
                std::vector<Problem>& out) {
  if (const auto* cs = std::get_if<Codes>(&value); cs != nullptr && Count(cs->codes.size()) > limits.choices_per_item) {
    out.push_back(LimitProblem(path, Count(cs->codes.size()), limits.choices_per_item, "codes", "koder"));
    return;
  }
  const int64_t characters = ValueCharacters(value);
  if (characters > limits.answer_characters) {
    out.push_back(LimitProblem(path, characters, limits.answer_characters, "characters", "tecken"));
  }
}

}  // namespace

std::vector<Problem> CheckValueLimits(const AnswerValue& value, const std::string& path, const Limits& limits) {
  std::vector<Problem> out;
  CheckValue(value, path, limits, out);
  return out;
}

std::vector<Problem> CheckHouseholdLimits(const Household& household, const Limits& limits) {
  std::vector<Problem> out;
  if (Count(household.persons.size()) > limits.persons) {
    out.push_back(LimitProblem("household.persons", Count(household.persons.size()), limits.persons, "persons",
                               "personer"));
  }
  return out;
}

std::vector<Problem> CheckResponseLimits(const Response& response, const Limits& limits) {
  std::vector<Problem> out = CheckHouseholdLimits(response.household, limits);
  if (Count(response.answers.size()) > limits.answers) {
    out.push_back(LimitProblem("answers", Count(response.answers.size()), limits.answers, "answers", "svar"));
  }
  if (Count(response.changes.size()) > limits.changes) {
    out.push_back(LimitProblem("changes", Count(response.changes.size()), limits.changes,
                               "change-trail entries", "ändringar"));
  }
  if (!out.empty()) return out;  // nothing per answer is looked at in an oversized response
  for (const Answer& a : response.answers) {
    CheckValue(a.value, AnswerPath(a.person_ref, a.item_id) + ".value", limits, out);
  }
  for (size_t i = 0; i < response.changes.size(); ++i) {
    const Change& c = response.changes[i];
    const std::string path = "changes[" + std::to_string(i) + "]";
    CheckValue(c.old_value, path + ".old_value", limits, out);
    CheckValue(c.new_value, path + ".new_value", limits, out);
  }
  return out;
}

}  // namespace ix::core
