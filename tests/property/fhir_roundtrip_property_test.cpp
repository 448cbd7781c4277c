// A FHIR round trip is lossless or its losses are reported: a generated response written as a
// QuestionnaireResponse and read back holds the same answers (same item, person and value),
// and where it does not, one of the two translation reports carries a note. What the writer
// writes, its reader reads: every generated household, with references missing or repeated
// and dates that are not dates. A response the writer cannot write so is refused up front
// with an error naming the one person or answer at fault, never written half, never a crash.
#include "generators.hpp"

#include <ix/adapters/fhir/fhir.hpp>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <optional>
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
  adapters::fhir::Options options;
  options.language = *rc::gen::elementOf(std::vector<std::string>{"sv", "en"});
  // A refusal names the one person or answer that makes the response unwritable (an existing
  // one, the message starting with its path). Removed, the writer gets further: named entries
  // are removed until the rest is written, so the round trip below is checked on what remains
  // of every generated response, not only on the few the generator makes valid.
  int refusals = 0;
  auto written = adapters::fhir::ResponseToFhir(response, definition, options);
  while (!written.ok()) {
    RC_ASSERT(written.status().problems().size() == 1u);
    const std::string path = written.status().problems()[0].path;
    RC_ASSERT(written.status().message().starts_with(path + ": "));
    if (!RemoveNamedEntry(&response, path)) {
      RC_FAIL("the refusal names nothing the response has: " + written.status().message());
    }
    ++refusals;
    written = adapters::fhir::ResponseToFhir(response, definition, options);
  }
  // The share written as generated is printed, so a generator whose responses are all refused
  // shows.
  RC_TAG(refusals == 0 ? "written as generated" : "written after removing what was refused");
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
