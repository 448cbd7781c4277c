// The cases of the FHIRPath agreement test (validators/fhirpath_agreement.js): seeded responses
// from the property generators (households of adults and children, mostly invalid), and as many
// again from the README's valid sample household with a few answers changed by the same
// generators or removed (valid ones, and ones invalid only in their logic), each
// written as a QuestionnaireResponse, and for each what the plugin says about it — the problems
// `ixctl validate` reports (run in process: ix::cli::Run is ixctl) and the calculated values the
// plugin stores ("ix.forms/1" apply_answers with no edit). The plugin sees the response read
// back from the QuestionnaireResponse, i.e. exactly what the FHIR document carries.
//
// Usage: ix_fhirpath_cases OUT_DIR [COUNT] [SEED]. Writes OUT_DIR/questionnaires.json (one
// Questionnaire per shipped definition, with its items' scopes) and OUT_DIR/cases.ndjson.
#include "../property/generators.hpp"

#include <ix/adapters/fhir/fhir.hpp>
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>
#include <ix/extension.hpp>
#include <ix/host/loader.hpp>

#include "ix/v1/forms.pb.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using ix::adapters::Json;
namespace fs = std::filesystem;

std::string TodayUtc() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{days};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

Json ItemsOf(const ix::v1::Definition& definition) {
  Json items = Json::array();
  for (const ix::v1::Item* item : ix::property::ItemsOf(definition)) {
    items.push_back(Json{{"id", item->id()},
                         {"scope", item->scope() == ix::v1::ITEM_SCOPE_HOUSEHOLD ? "household" : "adult"},
                         {"calculated", item->has_calculated()},
                         {"money", item->type() == ix::v1::ITEM_TYPE_MONEY},
                         {"age", item->calculated().kind() == ix::v1::CALCULATION_KIND_AGE}});
  }
  return items;
}

template <typename T>
T Sample(const rc::Gen<T>& gen, rc::Random& random, int size = rc::kNominalSize) {
  return gen(random.split(), size).value();
}

// The sample household with up to three answers changed to a generated value of their item
// (mostly of its type) or removed.
ix::v1::InstrumentResponse Varied(const ix::v1::InstrumentResponse& sample, const ix::v1::Definition& definition,
                                  rc::Random random) {
  ix::v1::InstrumentResponse response = sample;
  const int edits = Sample(rc::gen::inRange(0, 4), random);
  for (int e = 0; e < edits && response.answers_size() > 0; ++e) {
    const int at = Sample(rc::gen::inRange(0, response.answers_size()), random);
    ix::v1::Answer* answer = response.mutable_answers(at);
    const ix::v1::Item* item = nullptr;
    for (const ix::v1::Item* candidate : ix::property::ItemsOf(definition)) {
      if (candidate->id() == answer->item_id()) item = candidate;
    }
    if (item == nullptr || Sample(rc::gen::inRange(0, 4), random) == 0) {
      response.mutable_answers()->erase(response.mutable_answers()->begin() + at);
      continue;
    }
    *answer->mutable_value() = Sample(ix::property::GenValue(*item), random);
  }
  return response;
}

int Run(const fs::path& out_dir, int count, uint64_t seed) {
  fs::create_directories(out_dir);
  const auto& definitions = ix::property::ShippedDefinitions();
  ix::adapters::fhir::Options options;
  options.language = "en";

  Json questionnaires = Json::array();
  for (const auto& definition : definitions) {
    auto q = ix::adapters::fhir::QuestionnaireFromDefinition(definition, options);
    questionnaires.push_back(Json{{"definition", definition.id() + "@" + definition.version()},
                                  {"questionnaire", q.resource},
                                  {"items", ItemsOf(definition)}});
  }
  std::ofstream(out_dir / "questionnaires.json") << questionnaires.dump(1) << "\n";

  auto session = ix::host::LoadPlugin(IX_TEST_PLUGIN, {});
  if (!session.ok()) {
    std::cerr << "plugin: " << session.status().message() << "\n";
    return 2;
  }
  auto forms = ix::RequireExtension<ix_forms_v1>(*session);
  if (!forms.ok()) {
    std::cerr << "plugin: " << forms.status().message() << "\n";
    return 2;
  }
  const std::string today = TodayUtc();
  ix::v1::InstrumentResponse sample;
  {
    std::ifstream in(fs::path(IX_TEST_EXAMPLES_DIR) / "household.json");
    std::ostringstream text;
    text << in.rdbuf();
    if (ix::Status s = ix::cli::ParseJson(text.str(), "household.json", &sample); !s.ok()) {
      std::cerr << s.message() << "\n";
      return 2;
    }
  }
  const ix::v1::Definition* sample_definition = nullptr;
  for (const auto& d : definitions) {
    if (d.id() == sample.instrument().instrument_id() && d.version() == sample.instrument().version()) {
      sample_definition = &d;
    }
  }
  if (sample_definition == nullptr) {
    std::cerr << "household.json: its definition is not shipped\n";
    return 2;
  }
  const fs::path scratch = out_dir / "response.json";
  std::ofstream cases(out_dir / "cases.ndjson");
  int refused_calculation = 0;
  for (int i = 0; i < count; ++i) {
    const bool from_sample = i % 2 == 1;
    const auto& definition =
        from_sample ? *sample_definition : definitions[static_cast<size_t>(i / 2) % definitions.size()];
    const rc::Random random(rc::Random::Key{seed, static_cast<uint64_t>(i), 0x5dc, 0});
    ix::v1::InstrumentResponse response = from_sample
                                              ? Varied(sample, definition, random)
                                              : ix::property::GenResponse(definition)(random, i % 100).value();
    // What the writer refuses (answers to unknown items or persons, repeated references) is
    // removed until the rest is written: the case is what remains.
    auto written = ix::adapters::fhir::ResponseToFhir(response, definition, options);
    while (!written.ok()) {
      const auto& problems = written.status().problems();
      if (problems.size() != 1 || !ix::property::RemoveNamedEntry(&response, problems[0].path)) {
        std::cerr << "case " << i << ": refusal names nothing to remove: " << written.status().message() << "\n";
        return 1;
      }
      written = ix::adapters::fhir::ResponseToFhir(response, definition, options);
    }
    auto read = ix::adapters::fhir::ResponseFromFhir(written->resource, definitions, options);
    if (!read.ok()) {
      std::cerr << "case " << i << ": the QuestionnaireResponse does not read back: " << read.status().message() << "\n";
      return 1;
    }
    const ix::v1::InstrumentResponse& carried = read->response;

    std::ofstream(scratch, std::ios::trunc) << ix::cli::ToJson(carried) << "\n";
    std::ostringstream out, err;
    const int code = ix::cli::Run({"--plugin", IX_TEST_PLUGIN, "--json", "validate", scratch.string(), "--as-of", today},
                                  out, err);
    if (code != 0 && code != 1) {
      std::cerr << "case " << i << ": ixctl validate exited " << code << ": " << err.str() << "\n";
      return 1;
    }
    const Json validated = Json::parse(out.str());
    Json problems = Json::array();
    for (const auto& p : validated.value("problems", Json::array())) {
      problems.push_back(Json::array({p.value("code", ""), p.value("item_id", p.value("itemId", "")),
                                      p.value("person_ref", p.value("personRef", "")),
                                      p.value("severity", "")}));
    }

    ix::v1::ApplyAnswersRequest apply;
    *apply.mutable_response() = carried;
    apply.mutable_recorder()->set_actor("fhirpath-agreement");
    apply.mutable_recorder()->set_at(today + "T12:00:00Z");
    apply.set_as_of_date(today);
    auto applied = session->Call<ix::v1::ApplyAnswersResponse>((*forms)->apply_answers, apply);
    Json calculated = nullptr;
    if (applied.ok()) {
      calculated = Json::array();
      for (const auto& answer : applied->response().answers()) {
        if (!answer.calculated()) continue;
        Json value = Json::parse(ix::cli::ToJson(answer.value()));
        calculated.push_back(Json::array({answer.item_id(), answer.person_ref(), value}));
      }
    } else {
      ++refused_calculation;
    }
    Json line = Json::object();
    line["case"] = i;
    line["definition"] = definition.id() + "@" + definition.version();
    line["qr"] = written->resource;
    line["problems"] = std::move(problems);
    line["calculated"] = std::move(calculated);
    cases << line.dump() << "\n";
  }
  fs::remove(scratch);
  std::cerr << "ix_fhirpath_cases: " << count << " cases (seed " << seed << ", as of " << today << "), "
            << refused_calculation << " without calculated values (apply_answers refused)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: ix_fhirpath_cases OUT_DIR [COUNT] [SEED]\n";
    return 2;
  }
  const int count = argc > 2 ? std::atoi(argv[2]) : 1000;
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 16;
  return Run(argv[1], count, seed);
}
