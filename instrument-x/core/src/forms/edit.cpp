#include <ix/core/forms/edit.hpp>

#include <ix/core/forms/answer_text.hpp>
#include <ix/core/forms/logic.hpp>
#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace ix::core::forms {
namespace {

PartStatus& StatusFor(Response& response, int part) {
  for (PartStatus& s : response.part_status) {
    if (s.part == part) return s;
  }
  PartStatus s;
  s.part = part;
  response.part_status.push_back(s);
  std::sort(response.part_status.begin(), response.part_status.end(),
            [](const PartStatus& a, const PartStatus& b) { return a.part < b.part; });
  for (PartStatus& found : response.part_status) {
    if (found.part == part) return found;
  }
  return response.part_status.back();  // unreachable
}

const char* PartStateName(PartState state) {
  switch (state) {
    case PartState::kNotStarted: return "not started";
    case PartState::kInProgress: return "in progress";
    case PartState::kCompleted: return "completed";
    case PartState::kAmended: return "amended";
  }
  return "unknown";
}

const char* PartStateNameSv(PartState state) {
  switch (state) {
    case PartState::kNotStarted: return "inte påbörjad";
    case PartState::kInProgress: return "pågår";
    case PartState::kCompleted: return "klar";
    case PartState::kAmended: return "ändrad efter att ha varit klar";
  }
  return "okänd";
}

bool Done(PartState state) { return state == PartState::kCompleted || state == PartState::kAmended; }

Problem Rejection(std::string path, std::string code, const AnswerEdit* edit, int part, LocalizedText message) {
  Problem p;
  p.severity = Severity::kError;
  p.code = std::move(code);
  p.path = std::move(path);
  if (edit != nullptr) {
    p.item_id = edit->item_id;
    p.person_ref = edit->person_ref;
  }
  p.part = part;
  p.message = std::move(message);
  return p;
}

}  // namespace

PartState StateOf(const Response& response, int part) {
  for (const PartStatus& s : response.part_status) {
    if (s.part == part) return s.state;
  }
  return PartState::kNotStarted;
}

std::vector<Problem> BlockingProblems(const std::vector<Problem>& problems, int part) {
  std::vector<Problem> out;
  for (const Problem& p : problems) {
    if (BlocksPart(p, part) && p.code != "completed_part_has_errors") out.push_back(p);
  }
  return out;
}

EditResult ApplyEdits(const Definition& definition, const Response& response,
                      const std::vector<AnswerEdit>& edits, const Recorder& recorder,
                      const EditOptions& options, const ValidationContext& context) {
  EditResult result;
  result.response = response;
  const auto items = IndexItems(definition);
  std::map<std::string, const Person*> persons;
  for (const Person& p : response.household.persons) persons.emplace(p.person_ref, &p);

  if (options.amend && options.reason.empty()) {
    result.rejected.push_back(Rejection("reason", "amend_without_reason", nullptr, 0,
                                        {"En ändring av en klar del kräver en motivering.",
                                         "Amending a completed part needs a reason."}));
  }
  if (recorder.actor.empty()) {
    result.rejected.push_back(Rejection("recorder.actor", "missing_actor", nullptr, 0,
                                        {"Ange vem som registrerar ändringen (användar-id).",
                                         "Say who records the change (a user id)."}));
  }

  struct Planned {
    const Item* item;
    int part;
    std::string person_ref;
    AnswerValue value;  // monostate: clear
  };
  std::vector<Planned> planned;
  std::set<std::pair<std::string, std::string>> touched;
  std::set<int> parts_touched;
  for (size_t i = 0; i < edits.size(); ++i) {
    const AnswerEdit& e = edits[i];
    const std::string base = "edits[" + std::to_string(i) + "]";
    auto it = items.find(e.item_id);
    if (it == items.end()) {
      result.rejected.push_back(Rejection(base + ".item_id", "unknown_item", &e, 0,
                                          {"Frågan '" + e.item_id + "' finns inte i " + definition.id + "@" + definition.version + ".",
                                           "Item '" + e.item_id + "' does not exist in " + definition.id + "@" + definition.version + "."}));
      continue;
    }
    const Item& item = *it->second.item;
    const int part = it->second.part;
    if (item.is_calculated()) {
      result.rejected.push_back(Rejection(base + ".item_id", "calculated_item", &e, part,
                                          {"Värdet beräknas och kan inte anges: " + item.label.sv,
                                           "The value is calculated and cannot be entered: " + item.label.en}));
      continue;
    }
    if (item.scope == ItemScope::kHousehold && !e.person_ref.empty()) {
      result.rejected.push_back(Rejection(base + ".person_ref", "household_item_with_person", &e, part,
                                          {"Frågan gäller hela hushållet; ange ingen person.",
                                           "The item is household-level; name no person."}));
      continue;
    }
    if (item.scope == ItemScope::kAdult) {
      auto p = persons.find(e.person_ref);
      if (e.person_ref.empty() || p == persons.end()) {
        result.rejected.push_back(Rejection(base + ".person_ref", e.person_ref.empty() ? "missing_person_ref" : "unknown_person", &e, part,
                                            {"Frågan ställs till varje vuxen; ange en vuxen i hushållet.",
                                             "The item is asked of every adult; name an adult of the household."}));
        continue;
      }
      if (p->second->role == HouseholdRole::kChild) {
        result.rejected.push_back(Rejection(base + ".person_ref", "item_not_for_child", &e, part,
                                            {"Frågan ställs bara till vuxna.", "The item is asked of adults only."}));
        continue;
      }
    }
    if (!touched.emplace(e.item_id, e.person_ref).second) {
      result.rejected.push_back(Rejection(base, "duplicate_edit", &e, part,
                                          {"Samma svar ändras två gånger i samma begäran.",
                                           "The same answer is edited twice in one request."}));
      continue;
    }
    AnswerValue value;
    switch (e.kind) {
      case AnswerEdit::Kind::kClear: break;
      case AnswerEdit::Kind::kText: {
        ParsedAnswer parsed = ParseAnswerText(item, e.text);
        if (!parsed.ok()) {
          result.rejected.push_back(Rejection(base + ".text", "unparsable_value", &e, part, parsed.error));
          continue;
        }
        value = std::move(parsed.value);
        break;
      }
      case AnswerEdit::Kind::kValue:
        if (!ValueMatchesType(item.type, e.value)) {
          result.rejected.push_back(Rejection(base + ".value", "wrong_type", &e, part,
                                              {std::string("Fel typ av svar: frågan väntar ") + ItemTypeName(item.type) + ", fick " + ValueKindName(e.value) + ".",
                                               std::string("Wrong answer type: the item expects ") + ItemTypeName(item.type) + ", got " + ValueKindName(e.value) + "."}));
          continue;
        }
        value = e.value;
        break;
    }
    const PartState state = StateOf(response, part);
    if (Done(state) && !options.amend) {
      result.rejected.push_back(Rejection(base, "part_completed", &e, part,
                                          {"Del " + std::to_string(part) + " är klar; ändra den som en rättelse (amend) med motivering.",
                                           "Part " + std::to_string(part) + " is completed; change it as an amendment with a reason."}));
      continue;
    }
    if (!Done(state) && options.amend) {
      result.rejected.push_back(Rejection(base, "part_not_completed", &e, part,
                                          {"Del " + std::to_string(part) + " är " + PartStateNameSv(state) + "; bara klara delar ändras som rättelse.",
                                           "Part " + std::to_string(part) + " is " + PartStateName(state) + "; only completed parts are amended."}));
      continue;
    }
    planned.push_back({&item, part, e.person_ref, std::move(value)});
    parts_touched.insert(part);
  }
  if (!result.rejected.empty()) {
    result.response = response;
    return result;
  }

  Response& out = result.response;
  if (out.created_at.empty()) out.created_at = recorder.at;
  forms::AnswerWriter writer(out);  // an index, not a scan of the answers per edit
  for (const Planned& p : planned) {
    const Answer* stored = writer.Find(p.item->id, p.person_ref);
    const AnswerValue old = stored == nullptr ? AnswerValue{} : stored->value;
    if (old == p.value && (stored != nullptr || !HasValue(p.value))) continue;  // no change
    Change change;
    change.at = recorder.at;
    change.actor = recorder.actor;
    change.item_id = p.item->id;
    change.person_ref = p.person_ref;
    change.old_value = old;
    change.new_value = p.value;
    change.answered_by = recorder.answered_by;
    change.interpreter = recorder.interpreter;
    change.part = p.part;
    if (options.amend) {
      change.kind = ChangeKind::kAmended;
      change.reason = options.reason;
    } else {
      change.kind = HasValue(p.value) ? ChangeKind::kAnswerSet : ChangeKind::kAnswerCleared;
    }
    out.changes.push_back(std::move(change));
    if (!HasValue(p.value)) {
      writer.Clear(p.item->id, p.person_ref);
      continue;
    }
    Answer& a = writer.Set(p.item->id, p.person_ref);
    a.value = p.value;
    a.answered_by = recorder.answered_by;
    a.interpreter = recorder.interpreter;
    a.answered_at = recorder.at;
  }
  writer.Finish();
  // Calculated values follow their sources, with their own trail entries.
  const auto items_index = IndexItems(definition);
  // Ages as of the day the change is recorded (when `at` names one), else the validation date.
  const Date calculation_day = ParseIsoDate(std::string_view(recorder.at).substr(0, 10)).value_or(context.today);
  for (CalculatedChange& c : StoreCalculatedValues(definition, out, calculation_day, recorder.at)) {
    Change change;
    change.at = recorder.at;
    change.actor = recorder.actor;
    change.kind = ChangeKind::kCalculated;
    change.item_id = c.item_id;
    change.person_ref = c.person_ref;
    change.old_value = std::move(c.old_value);
    change.new_value = std::move(c.new_value);
    auto where = items_index.find(c.item_id);
    change.part = where == items_index.end() ? 0 : where->second.part;
    out.changes.push_back(std::move(change));
  }
  for (int part : parts_touched) {
    PartStatus& status = StatusFor(out, part);
    if (status.state == PartState::kNotStarted) {
      status.state = PartState::kInProgress;
      status.started_at = recorder.at;
    } else if (options.amend) {
      status.state = PartState::kAmended;
      status.amended_at = recorder.at;
    }
  }
  out.updated_at = recorder.at;

  if (options.amend) {
    // An amended part stays free of errors: refuse the amendment otherwise.
    const std::vector<Problem> problems = Validate(definition, out, context);
    for (int part : parts_touched) {
      for (Problem& p : BlockingProblems(problems, part)) result.rejected.push_back(std::move(p));
    }
    if (!result.rejected.empty()) {
      result.response = response;
      return result;
    }
  }
  result.ok = true;
  return result;
}

PartStatusResult SetPartState(const Definition& definition, const Response& response, int part,
                              PartState target, const Recorder& recorder,
                              const std::string& reason, const ValidationContext& context) {
  PartStatusResult result;
  result.response = response;
  auto refuse = [&](std::string path, std::string code, LocalizedText message) {
    result.blocking.push_back(Rejection(std::move(path), std::move(code), nullptr, part, std::move(message)));
    return result;
  };
  const bool exists = std::any_of(definition.parts.begin(), definition.parts.end(),
                                  [&](const Part& p) { return p.number == part; });
  if (!exists) {
    return refuse("part", "unknown_part", {"Del " + std::to_string(part) + " finns inte i definitionen.",
                                           "Part " + std::to_string(part) + " does not exist in the definition."});
  }
  if (recorder.actor.empty()) {
    return refuse("recorder.actor", "missing_actor", {"Ange vem som registrerar ändringen (användar-id).",
                                                      "Say who records the change (a user id)."});
  }
  const PartState state = StateOf(response, part);
  Change change;
  change.at = recorder.at;
  change.actor = recorder.actor;
  change.part = part;
  change.reason = reason;
  if (target == PartState::kCompleted) {
    if (Done(state)) {
      result.accepted = true;  // already completed: nothing to record
      return result;
    }
    result.blocking = BlockingProblems(Validate(definition, response, context), part);
    if (!result.blocking.empty()) return result;
    PartStatus& status = StatusFor(result.response, part);
    if (status.started_at.empty()) status.started_at = recorder.at;
    status.state = PartState::kCompleted;
    status.completed_at = recorder.at;
    status.completed_by = recorder.actor;
    change.kind = ChangeKind::kPartCompleted;
  } else if (target == PartState::kInProgress) {
    if (!Done(state)) {
      return refuse("state", "part_not_completed", {std::string("Delen är ") + PartStateNameSv(state) + "; bara en klar del kan öppnas igen.",
                                                    std::string("The part is ") + PartStateName(state) + "; only a completed part can be reopened."});
    }
    if (reason.empty()) {
      return refuse("reason", "reopen_without_reason", {"Att öppna en klar del igen kräver en motivering.",
                                                        "Reopening a completed part needs a reason."});
    }
    StatusFor(result.response, part).state = PartState::kInProgress;
    change.kind = ChangeKind::kPartReopened;
  } else {
    return refuse("state", "unsupported_state", {"En del kan bara markeras som klar eller öppnas igen.",
                                                 "A part can only be marked completed or reopened."});
  }
  result.response.changes.push_back(std::move(change));
  result.response.updated_at = recorder.at;
  result.accepted = true;
  return result;
}

}  // namespace ix::core::forms
