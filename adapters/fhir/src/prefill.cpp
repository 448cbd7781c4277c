// PrefillFromPrevious (fhir.hpp): the previous assessment's answers that still fit, as a new
// response and its QuestionnaireResponse; what does not carry is reported with why.
#include <ix/adapters/definitions.hpp>
#include <ix/adapters/fhir/fhir.hpp>
#include <ix/adapters/report.hpp>

#include "layout.hpp"

#include <map>
#include <set>

namespace ix::adapters::fhir {
namespace {

std::string AnswerPath(const v1::Answer& answer) {
  return "answers[" + (answer.person_ref().empty() ? std::string("household") : answer.person_ref()) + "/" +
         answer.item_id() + "]";
}

}  // namespace

Result<Prefilled> PrefillFromPrevious(const v1::InstrumentResponse& previous, const v1::Definition& target,
                                      const std::string& response_ref, const Options& options) {
  if (previous.instrument().instrument_id() != target.id()) {
    return ix::InvalidField("previous.instrument.instrument_id",
                            "the previous assessment is of '" + previous.instrument().instrument_id() +
                                "', not of '" + target.id() + "'");
  }
  Prefilled out;
  Report report("fhir-r4", "prefill");
  v1::InstrumentResponse& next = out.response;
  next.set_response_ref(response_ref);
  next.mutable_instrument()->set_instrument_id(target.id());
  next.mutable_instrument()->set_version(target.version());
  *next.mutable_household() = previous.household();
  const std::string pinned = target.id() + "@" + target.version();

  std::map<std::string, const v1::Person*> persons;
  for (const auto& person : previous.household().persons()) persons.emplace(person.person_ref(), &person);
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& answer : previous.answers()) {
    const std::string path = AnswerPath(answer);
    const v1::Item* item = FindItem(target, answer.item_id());
    if (item == nullptr) {
      report.NotInTarget(path, "the item is not in " + pinned);
      continue;
    }
    if (item->has_calculated()) {
      report.Derived(path, "calculated: computed again from the new assessment's answers");
      continue;
    }
    const bool household_item = item->scope() == v1::ITEM_SCOPE_HOUSEHOLD;
    if (household_item != answer.person_ref().empty()) {
      report.NotInTarget(path, household_item ? "a household item answered for a person"
                                              : "an adult item answered without a person");
      continue;
    }
    if (!household_item) {
      auto person = persons.find(answer.person_ref());
      if (person == persons.end() || person->second->role() == v1::HOUSEHOLD_ROLE_CHILD) {
        report.NotInTarget(path, "the person is not an adult of the household");
        continue;
      }
    }
    if (!seen.emplace(answer.item_id(), answer.person_ref()).second) {
      report.NotInTarget(path, "a second answer to the same item and person; the first is carried");
      continue;
    }
    // The value must still fit the item (type, options, dates, bounds FHIR carries): the
    // writer's own check, whose message names the field and never the value.
    if (auto fits = layout::ToFhirAnswers(answer.value(), *item, options, path + ".value"); !fits.ok()) {
      report.NotInTarget(path, "the value no longer fits the item in " + pinned + " (" +
                                   std::string(fits.status().message()) + ")");
      continue;
    }
    v1::Answer* carried = next.add_answers();
    carried->set_item_id(answer.item_id());
    carried->set_person_ref(answer.person_ref());
    *carried->mutable_value() = answer.value();
    out.carried.push_back(path);
  }
  if (previous.part_status_size() > 0) {
    report.NotInTarget("part_status", "the new assessment starts with every part not started");
  }
  if (previous.changes_size() > 0) {
    report.NotInTarget("changes", "the change trail stays with the previous assessment");
  }
  if (!out.carried.empty()) {
    report.NotInTarget("answers[*].answered_at",
                       "who answered and when stays with the previous assessment; a carried answer is "
                       "confirmed or changed in the new one");
  }
  auto written = ResponseToFhir(next, target, options);
  if (!written.ok()) return written.status();
  out.resource = std::move(written->resource);
  for (const auto& note : written->report.notes()) report.Add(note.reason(), note.path(), note.detail());
  out.report = report.Take();
  return out;
}

}  // namespace ix::adapters::fhir
