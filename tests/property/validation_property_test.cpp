// Laws of validation and migration, checked through the plugin's ABI (the built plugin, loaded
// by the host library) on responses generated from the shipped definitions:
//   - validation never fails: any response pinned to a shipped definition gets IX_OK and a
//     ValidateResponse, never an error status, a crash or an exception across the ABI;
//   - every problem's path points at something that exists: an answer of the response, the
//     place of a required answer (a real item, a real person), a person, a part status;
//   - migrating to every other version, then validating the result, never crashes and never
//     answers IX_ERR_INTERNAL.
#include "generators.hpp"

#include <ix/ext/forms.h>
#include <ix/extension.hpp>
#include <ix/host/loader.hpp>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ix/v1/forms.pb.h"
#include "ix/v1/plugin.pb.h"

#include <algorithm>
#include <string>

namespace ix::property {
namespace {

const PluginSession& Plugin() {
  static const PluginSession session = [] {
    auto loaded = host::LoadPlugin(IX_TEST_PLUGIN);
    if (!loaded.ok()) throw std::runtime_error(loaded.status().message());
    return std::move(*loaded);
  }();
  return session;
}

const ix_forms_v1& Forms() {
  static const ix_forms_v1* forms = [] {
    auto table = RequireExtension<ix_forms_v1>(Plugin());
    if (!table.ok()) throw std::runtime_error(table.status().message());
    return *table;
  }();
  return *forms;
}

bool HasPerson(const v1::InstrumentResponse& response, const std::string& ref) {
  const auto& persons = response.household().persons();
  return std::any_of(persons.begin(), persons.end(), [&](const v1::Person& p) { return p.person_ref() == ref; });
}

bool HasItem(const v1::Definition& definition, const std::string& item_id) {
  const auto items = ItemsOf(definition);
  return std::any_of(items.begin(), items.end(), [&](const v1::Item* item) { return item->id() == item_id; });
}

bool InRange(const std::string& index, int size) {
  if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos || index.size() > 6) return false;
  return std::stoi(index) < size;
}

// Why `problem`'s path does not point at an existing answer or field, or "" when it does.
std::string CheckPath(const v1::Problem& problem, const v1::InstrumentResponse& response,
                      const v1::Definition& definition) {
  const std::string& path = problem.path();
  auto bracket = [&](const std::string& prefix) -> std::string {
    const size_t close = path.find(']', prefix.size());
    return close == std::string::npos ? std::string("\x01") : path.substr(prefix.size(), close - prefix.size());
  };
  if (path == "instrument" || path == "household.persons") return "";
  if (path.rfind("answers[", 0) == 0) {
    const std::string inside = bracket("answers[");
    const size_t slash = inside.find('/');
    if (slash == std::string::npos) return "no person/item in the answer path";
    const std::string person = inside.substr(0, slash);
    const std::string item = inside.substr(slash + 1);
    const std::string person_ref = person == "household" ? "" : person;
    const auto& answers = response.answers();
    const bool answered = std::any_of(answers.begin(), answers.end(), [&](const v1::Answer& a) {
      return a.item_id() == item && a.person_ref() == person_ref;
    });
    if (answered) return "";
    if (problem.code() == "required" && HasItem(definition, item) && (person_ref.empty() || HasPerson(response, person_ref))) {
      return "";  // where the missing answer belongs
    }
    return "no such answer in the response";
  }
  if (path.rfind("household.persons[", 0) == 0) {
    return InRange(bracket("household.persons["), response.household().persons_size()) ? "" : "no such person";
  }
  if (path.rfind("part_status[", 0) == 0) {
    return InRange(bracket("part_status["), response.part_status_size()) ? "" : "no such part status";
  }
  return "a path of unknown form";
}

const v1::Definition& AnyDefinition() {
  const auto& definitions = ShippedDefinitions();
  return definitions[*rc::gen::inRange<size_t>(0, definitions.size())];
}

RC_GTEST_PROP(ValidationLaws, NeverFailsAndEveryProblemPointsAtAnAnswerOrField, ()) {
  const v1::Definition& definition = AnyDefinition();
  v1::ValidateRequest request;
  *request.mutable_response() = *GenResponse(definition);
  request.set_as_of_date("2025-06-01");
  auto result = Plugin().Call<v1::ValidateResponse>(Plugin().table().validate, request);
  RC_ASSERT(result.ok());
  for (const auto& problem : result->problems()) {
    const std::string why = CheckPath(problem, request.response(), definition);
    if (!why.empty()) RC_FAIL(problem.code() + " at '" + problem.path() + "': " + why);
  }
  // A response the validator calls valid has no error among its problems, and the reverse.
  const bool has_error = std::any_of(result->problems().begin(), result->problems().end(),
                                     [](const v1::Problem& p) { return p.severity() == v1::SEVERITY_ERROR; });
  RC_ASSERT(result->valid() == !has_error);
}

RC_GTEST_PROP(ValidationLaws, MigratingThenValidatingNeverCrashes, ()) {
  const v1::Definition& from = AnyDefinition();
  const v1::Definition& to = AnyDefinition();
  v1::MigrateRequest migrate;
  *migrate.mutable_response() = *GenResponse(from);
  migrate.set_to_version(to.version());
  migrate.set_as_of_date("2025-06-01");
  auto migrated = Plugin().Call<v1::MigrateResponse>(Forms().migrate, migrate);
  if (!migrated.ok()) {
    // A refusal is fine (no migration between these versions, an unreadable answer); an
    // internal failure is not.
    RC_ASSERT(migrated.status().code() != StatusCode::kInternal);
    return;
  }
  RC_ASSERT(migrated->response().instrument().version() == to.version());
  v1::ValidateRequest validate;
  *validate.mutable_response() = migrated->response();
  validate.set_as_of_date("2025-06-01");
  auto result = Plugin().Call<v1::ValidateResponse>(Plugin().table().validate, validate);
  RC_ASSERT(result.ok());
  for (const auto& problem : result->problems()) {
    const std::string why = CheckPath(problem, validate.response(), to);
    if (!why.empty()) RC_FAIL(problem.code() + " at '" + problem.path() + "' after migration: " + why);
  }
}

// The checker itself: a problem naming an answer the response does not hold is caught.
TEST(ValidationLaws, PathCheckRejectsAPathToNothing) {
  const v1::Definition& definition = ShippedDefinitions().front();
  v1::InstrumentResponse response;
  v1::Problem problem;
  problem.set_code("wrong_type");
  problem.set_path("answers[p1/" + ItemsOf(definition).front()->id() + "].value");
  EXPECT_EQ(CheckPath(problem, response, definition), "no such answer in the response");
  problem.set_code("required");
  EXPECT_EQ(CheckPath(problem, response, definition), "no such answer in the response");  // no person p1
  response.mutable_household()->add_persons()->set_person_ref("p1");
  EXPECT_EQ(CheckPath(problem, response, definition), "");
  problem.set_path("household.persons[1].personnummer");
  EXPECT_EQ(CheckPath(problem, response, definition), "no such person");
}

}  // namespace
}  // namespace ix::property
