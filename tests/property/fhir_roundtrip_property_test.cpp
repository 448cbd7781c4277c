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
  const v1::InstrumentResponse response = *GenResponse(definition);
  adapters::fhir::Options options;
  options.language = *rc::gen::elementOf(std::vector<std::string>{"sv", "en"});
  auto written = adapters::fhir::ResponseToFhir(response, definition, options);
  if (!written.ok()) {
    RC_ASSERT(!written.status().message().empty());
    return;
  }
  auto read = adapters::fhir::ResponseFromFhir(written->resource, definitions, options);
  RC_ASSERT(read.ok());
  RC_ASSERT(read->response.instrument().version() == definition.version());
  if (AnswersOf(read->response) != AnswersOf(response)) {
    RC_ASSERT(written->report.notes_size() + read->report.notes_size() > 0);
  }
}

}  // namespace
}  // namespace ix::property
