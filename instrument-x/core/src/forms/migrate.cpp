#include <ix/core/forms/migrate.hpp>

#include <ix/core/forms/answer_text.hpp>
#include <ix/core/forms/logic.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace ix::core::forms {
namespace {

// The key a value map uses for an old value: "true"/"false", a code, a number.
std::optional<std::string> ValueKey(const AnswerValue& value) {
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* c = std::get_if<Code>(&value)) return c->code;
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (const auto* r = std::get_if<Rating>(&value)) return std::to_string(r->value);
  return std::nullopt;
}

const AnswerValue* Lookup(const std::vector<ValueMapping>& map, const std::string& key) {
  for (const ValueMapping& m : map) {
    if (m.from == key) return &m.to;
  }
  return nullptr;
}

bool HasOption(const Item& item, const std::string& code) {
  return std::any_of(item.options.begin(), item.options.end(),
                     [&](const ChoiceOption& o) { return o.code == code; });
}

// Maps a value through a target's value map. Codes without a mapping are kept when the target
// still offers them. nullopt: cannot be carried; `why` names the code.
std::optional<AnswerValue> MapValue(const AnswerValue& old, const MigrationTarget& target,
                                    const Item& to_item, std::string* unmapped) {
  if (const auto* codes = std::get_if<Codes>(&old)) {
    Codes mapped;
    for (const std::string& code : codes->codes) {
      if (const AnswerValue* to = Lookup(target.value_map, code)) {
        const auto* c = std::get_if<Code>(to);
        if (c == nullptr) return std::nullopt;
        mapped.codes.push_back(c->code);
      } else if (HasOption(to_item, code)) {
        mapped.codes.push_back(code);
      } else {
        *unmapped = code;
        return std::nullopt;
      }
    }
    return AnswerValue{mapped};
  }
  if (target.value_map.empty()) {
    if (const auto* c = std::get_if<Code>(&old); c != nullptr && !HasOption(to_item, c->code)) {
      *unmapped = c->code;
      return std::nullopt;
    }
    return old;
  }
  const auto key = ValueKey(old);
  if (key) {
    if (const AnswerValue* to = Lookup(target.value_map, *key)) return *to;
    if (const auto* c = std::get_if<Code>(&old); c != nullptr && HasOption(to_item, c->code)) return old;
    *unmapped = *key;
  }
  return std::nullopt;
}

}  // namespace

const char* MigrationOutcomeName(MigrationOutcome outcome) {
  switch (outcome) {
    case MigrationOutcome::kCarried: return "carried";
    case MigrationOutcome::kTransformed: return "transformed";
    case MigrationOutcome::kNotCarried: return "not carried";
  }
  return "unknown";
}

MigrationResult Migrate(const Definition& from, const Definition& to, const Response& response,
                        const Recorder& recorder, const ValidationContext& context) {
  MigrationResult result;
  const std::string from_name = from.id + "@" + from.version;
  const std::string to_name = to.id + "@" + to.version;
  if (!(response.instrument == from.ref())) {
    result.error = {"Svaret är knutet till " + response.instrument.instrument_id + "@" + response.instrument.version + ", inte " + from_name + ".",
                    "The response is pinned to " + response.instrument.instrument_id + "@" + response.instrument.version + ", not " + from_name + "."};
    return result;
  }
  if (from.id != to.id) {
    result.error = {"Kan inte migrera mellan olika instrument (" + from.id + ", " + to.id + ").",
                    "Cannot migrate between different instruments (" + from.id + ", " + to.id + ")."};
    return result;
  }
  const auto migration = std::find_if(to.migrations.begin(), to.migrations.end(),
                                      [&](const Migration& m) { return m.from_version == from.version; });
  if (migration == to.migrations.end()) {
    result.error = {to_name + " har ingen migrering från " + from.version + ".",
                    to_name + " holds no migration from " + from.version + "."};
    return result;
  }
  std::map<std::string, const MigrationRule*> rules;
  for (const MigrationRule& rule : migration->rules) rules.emplace(rule.from_item, &rule);
  const auto old_items = IndexItems(from);
  const auto new_items = IndexItems(to);

  Response& out = result.response;
  out = response;
  out.instrument = to.ref();
  if (out.migrated_from.instrument_id.empty()) out.migrated_from = from.ref();
  out.answers.clear();
  MigrationReport& report = result.report;
  report.from = from.ref();
  report.to = to.ref();

  // (item, person) of every answer already carried: a lookup, not a scan of `out.answers` per
  // answer (which made a migration quadratic in the number of answers).
  std::set<std::pair<std::string, std::string>> carried;
  auto new_answer = [&](const Answer& old, const std::string& item_id, AnswerValue value) {
    Answer a = old;
    a.item_id = item_id;
    a.value = std::move(value);
    a.calculated = false;
    return a;
  };
  for (const Answer& old : response.answers) {
    MigratedAnswer entry;
    entry.item_id = old.item_id;
    entry.person_ref = old.person_ref;
    entry.old_value = old.value;
    auto old_it = old_items.find(old.item_id);
    auto same = new_items.find(old.item_id);
    auto rule_it = rules.find(old.item_id);
    const bool old_calculated = old.calculated || (old_it != old_items.end() && old_it->second.item->is_calculated());
    if (old_calculated && rule_it == rules.end() && same != new_items.end() && same->second.item->is_calculated()) {
      // Recomputed below from the migrated sources.
      entry.outcome = MigrationOutcome::kCarried;
      entry.reason = {"Beräknat värde; räknas om i " + to.version + ".", "Calculated value; recomputed in " + to.version + "."};
    } else if (rule_it != rules.end()) {
      const MigrationRule& rule = *rule_it->second;
      const LocalizedText reason = rule.reason.en.empty() && rule.reason.sv.empty()
                                       ? LocalizedText{"Enligt migreringsregeln.", "By the migration rule."}
                                       : rule.reason;
      if (rule.action == MigrationAction::kRemove) {
        entry.outcome = MigrationOutcome::kNotCarried;
        entry.reason = reason;
      } else {
        std::vector<std::string> unmapped_codes;
        for (const MigrationTarget& target : rule.targets) {
          auto target_item = new_items.find(target.item_id);
          if (target_item == new_items.end()) continue;  // CheckDefinition rejects this
          std::string unmapped;
          auto value = MapValue(old.value, target, *target_item->second.item, &unmapped);
          if (value && ValueMatchesType(target_item->second.item->type, *value)) {
            entry.new_answers.push_back(new_answer(old, target.item_id, std::move(*value)));
          } else if (!unmapped.empty()) {
            unmapped_codes.push_back(unmapped);
          }
        }
        if (entry.new_answers.empty()) {
          entry.outcome = MigrationOutcome::kNotCarried;
          entry.reason = reason;
          if (!unmapped_codes.empty()) {
            entry.reason.sv = "Värdet '" + unmapped_codes.front() + "' har ingen motsvarighet. " + reason.sv;
            entry.reason.en = "The value '" + unmapped_codes.front() + "' has no counterpart. " + reason.en;
          }
        } else {
          const bool unchanged = entry.new_answers.size() == 1 && entry.new_answers[0].item_id == old.item_id &&
                                 entry.new_answers[0].value == old.value;
          entry.outcome = unchanged ? MigrationOutcome::kCarried : MigrationOutcome::kTransformed;
          if (!unchanged) {
            std::string targets_text;
            for (const Answer& a : entry.new_answers) targets_text += (targets_text.empty() ? "" : ", ") + a.item_id;
            const char* how = rule.action == MigrationAction::kSplit ? "split" : (rule.action == MigrationAction::kRename ? "renamed" : "recoded");
            const char* how_sv = rule.action == MigrationAction::kSplit ? "delad" : (rule.action == MigrationAction::kRename ? "bytt namn" : "omkodad");
            entry.reason = {std::string("Frågan är ") + how_sv + " (" + targets_text + ").",
                            std::string("The item was ") + how + " (" + targets_text + ")."};
          }
        }
      }
    } else if (same == new_items.end()) {
      entry.outcome = MigrationOutcome::kNotCarried;
      entry.reason = {"Frågan finns inte i " + to.version + " och ingen migreringsregel nämner den.",
                      "The item does not exist in " + to.version + " and no migration rule names it."};
    } else if (old_it != old_items.end() && (old_it->second.item->type != same->second.item->type ||
                                             old_it->second.item->scope != same->second.item->scope)) {
      entry.outcome = MigrationOutcome::kNotCarried;
      entry.reason = {"Frågans typ eller omfattning har ändrats i " + to.version + ".",
                      "The item's type or scope changed in " + to.version + "."};
    } else {
      std::string unmapped;
      auto value = MapValue(old.value, MigrationTarget{old.item_id, {}}, *same->second.item, &unmapped);
      if (value) {
        entry.outcome = MigrationOutcome::kCarried;
        entry.new_answers.push_back(new_answer(old, old.item_id, std::move(*value)));
      } else {
        entry.outcome = MigrationOutcome::kNotCarried;
        entry.reason = {"Svarskoden '" + unmapped + "' finns inte i " + to.version + ".",
                        "The answer code '" + unmapped + "' does not exist in " + to.version + "."};
      }
    }
    // Two old answers must not land on the same new answer: the first one wins, visibly.
    for (auto it = entry.new_answers.begin(); it != entry.new_answers.end();) {
      const bool taken = carried.count({it->item_id, it->person_ref}) > 0;
      if (taken) {
        entry.reason = {"Ett annat svar har redan förts över till " + it->item_id + ".",
                        "Another answer was already carried to " + it->item_id + "."};
        it = entry.new_answers.erase(it);
        if (entry.new_answers.empty()) entry.outcome = MigrationOutcome::kNotCarried;
      } else {
        ++it;
      }
    }
    for (const Answer& a : entry.new_answers) {
      carried.emplace(a.item_id, a.person_ref);
      out.answers.push_back(a);
    }
    if (!(old_calculated && entry.outcome == MigrationOutcome::kCarried && entry.new_answers.empty())) {
      Change change;
      change.at = recorder.at;
      change.actor = recorder.actor;
      change.kind = ChangeKind::kMigrated;
      change.item_id = old.item_id;
      change.person_ref = old.person_ref;
      change.old_value = old.value;
      if (entry.new_answers.size() == 1) change.new_value = entry.new_answers[0].value;
      change.part = old_it != old_items.end() ? old_it->second.part : 0;
      std::string targets_text;
      for (const Answer& a : entry.new_answers) targets_text += (targets_text.empty() ? "" : ", ") + a.item_id;
      change.reason = std::string(MigrationOutcomeName(entry.outcome)) + " " + from.version + " -> " + to.version +
                      (targets_text.empty() ? "" : " as " + targets_text) + (entry.reason.en.empty() ? "" : ": " + entry.reason.en);
      out.changes.push_back(std::move(change));
    }
    report.answers.push_back(std::move(entry));
  }
  // Calculated values from the migrated sources; report what they became.
  StoreCalculatedValues(to, out, context.today, recorder.at);
  std::map<std::pair<std::string_view, std::string_view>, const Answer*> stored;  // the first per key
  for (const Answer& a : out.answers) stored.emplace(std::make_pair(std::string_view(a.item_id), std::string_view(a.person_ref)), &a);
  for (MigratedAnswer& entry : report.answers) {
    if (entry.outcome != MigrationOutcome::kCarried || !entry.new_answers.empty()) continue;
    auto found = stored.find({entry.item_id, entry.person_ref});
    const Answer* now = found == stored.end() ? nullptr : found->second;
    if (now == nullptr) {
      entry.outcome = MigrationOutcome::kNotCarried;
      entry.reason = {"Beräknat värde som inte kan räknas ut i " + to.version + ".",
                      "Calculated value that cannot be computed in " + to.version + "."};
    } else {
      entry.new_answers.push_back(*now);
      if (!(now->value == entry.old_value)) {
        entry.outcome = MigrationOutcome::kTransformed;
        entry.reason = {"Beräknat värde, omräknat i " + to.version + ".", "Calculated value, recomputed in " + to.version + "."};
      }
    }
  }
  for (const auto& [id, location] : new_items) {
    if (!old_items.count(id)) report.new_item_ids.push_back(id);
  }
  // Completed parts stay completed only without errors under the new version.
  const std::vector<Problem> problems = Validate(to, out, context);
  for (PartStatus& status : out.part_status) {
    if (status.state != PartState::kCompleted && status.state != PartState::kAmended) continue;
    const auto blocking = BlockingProblems(problems, status.part);
    if (blocking.empty()) continue;
    status.state = PartState::kInProgress;
    Change change;
    change.at = recorder.at;
    change.actor = recorder.actor;
    change.kind = ChangeKind::kPartReopened;
    change.part = status.part;
    change.reason = "migration to " + to.version + ": " + std::to_string(blocking.size()) + " error(s) under the new version";
    out.changes.push_back(std::move(change));
  }
  out.updated_at = recorder.at;
  report.problems = Validate(to, out, context);
  report.part_status = out.part_status;
  result.ok = true;
  return result;
}

}  // namespace ix::core::forms
