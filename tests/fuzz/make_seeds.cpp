// Writes the binary seed inputs of the fuzz targets from the documented examples: serialized
// ABI requests (abi/), licensee definitions (definition/), signed exchange packages and their
// content (exchange/), events for the store import (store_import_*/) and typed canonical JSON
// (cli_json/). The text seeds (vendor documents, configuration files) are copies of files in
// the tree. Usage: ix_fuzz_make_seeds tests/fuzz/corpus
#include "fuzz_support.hpp"

#include <ix/adapters/exchange/exchange.hpp>
#include <ix/cli/json_io.hpp>

#include <google/protobuf/util/delimited_message_util.h>
#include <google/protobuf/util/json_util.h>

#include "ix/v1/forms.pb.h"
#include "ix/v1/plugin.pb.h"

#include <cstdio>
#include <fstream>

namespace {

namespace v1 = ix::v1;
using ix::fuzz::Example;
std::filesystem::path out_dir;

void Write(const std::string& target, const std::string& name, const std::string& bytes) {
  std::filesystem::create_directories(out_dir / target);
  std::ofstream out(out_dir / target / name, std::ios::binary | std::ios::trunc);
  out << bytes;
  std::printf("%s/%s: %zu bytes\n", target.c_str(), name.c_str(), bytes.size());
}

void Abi(int function, const std::string& name, const google::protobuf::MessageLite& request) {
  Write("abi", name, std::string(1, static_cast<char>(function)) + request.SerializeAsString());
}

std::string Line(const google::protobuf::Message& message) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json);  // one line: NDJSON
  return json;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  out_dir = argv[1];
  const auto household = Example<v1::InstrumentResponse>("household.json");
  const auto invalid = Example<v1::InstrumentResponse>("household-invalid.json");
  const auto fresh = Example<v1::InstrumentResponse>("household-new.json");
  const auto case_full = Example<v1::Case>("case-after-two-years.json");
  const auto case_new = Example<v1::Case>("case-household.json");
  const auto response_2024 = Example<v1::InstrumentResponse>("case-response-2024-03-04.json");
  const auto plan = Example<v1::Plan>("case-plan.json");
  const auto follow_up = Example<v1::FollowUp>("case-follow-up-2024-09-02-p1.json");
  const auto& definitions = ix::fuzz::Definitions();

  // --- abi: first byte = the function (targets/abi.cpp), then the request --------------------
  v1::DescribeRequest describe;
  Abi(0, "describe-empty", describe);
  describe.set_include_definitions(true);
  Abi(0, "describe-definitions", describe);
  v1::ValidateRequest validate;
  *validate.mutable_response() = household;
  validate.set_as_of_date("2025-06-01");
  Abi(1, "validate-household", validate);
  *validate.mutable_response() = invalid;
  Abi(1, "validate-invalid", validate);
  v1::ApplyAnswersRequest apply;
  *apply.mutable_response() = fresh;
  for (const auto& answer : household.answers()) {
    auto* edit = apply.add_edits();
    edit->set_item_id(answer.item_id());
    edit->set_person_ref(answer.person_ref());
    *edit->mutable_value() = answer.value();
    if (apply.edits_size() == 6) break;
  }
  apply.set_as_of_date("2025-06-01");
  Abi(2, "apply-answers", apply);
  v1::SetPartStatusRequest part;
  *part.mutable_response() = household;
  part.set_part(1);
  part.set_state(v1::PART_STATE_COMPLETED);
  part.set_as_of_date("2025-06-01");
  Abi(3, "set-part-status", part);
  v1::MigrateRequest migrate;
  *migrate.mutable_response() = household;
  migrate.set_to_version("2025.1");
  migrate.set_as_of_date("2025-06-01");
  Abi(4, "migrate", migrate);
  v1::RenderFormRequest render;
  render.mutable_definition()->set_instrument_id("instrument-x");
  render.mutable_definition()->set_version("2025.1");
  render.set_language("sv");
  render.set_municipality("Södertälje kommun");
  Abi(5, "render-form", render);
  v1::DescribeDefinitionRequest describe_definition;
  *describe_definition.mutable_definition() = household.instrument();
  Abi(6, "describe-definition", describe_definition);
  v1::LoadDefinitionRequest load;
  load.set_definition(definitions.back().SerializeAsString());
  Abi(7, "load-definition", load);
  v1::ValidateWithDefinitionRequest with;
  *with.mutable_response() = household;
  with.set_as_of_date("2025-06-01");
  for (const auto& definition : definitions) {
    if (definition.version() == household.instrument().version()) *with.mutable_source()->mutable_definition() = definition;
  }
  Abi(8, "validate-with-definition", with);
  Abi(9, "categorisation-describe", v1::CategorisationDescribeRequest());
  v1::SuggestRequest suggest;
  *suggest.mutable_response() = response_2024;
  suggest.set_as_of_date("2024-03-04");
  *suggest.mutable_assistance() = case_new.assistance();
  Abi(10, "suggest", suggest);
  v1::AssessRequest assess;
  *assess.mutable_household() = case_full.household();
  *assess.mutable_record() = case_full.assessments(0);
  assess.set_caseworker("cw-17");
  assess.set_recorded_at("2024-03-04T10:00:00Z");
  Abi(11, "assess", assess);
  v1::HistoryRequest history;
  *history.mutable_household() = case_full.household();
  *history.mutable_events() = case_full.events();
  history.set_at_date("2025-06-01");
  Abi(12, "history", history);
  v1::DueRequest due;
  *due.add_cases() = case_full;
  *due.add_cases() = case_new;
  due.set_as_of_date("2025-01-15");
  Abi(13, "due", due);
  v1::PlanRequest plan_request;
  *plan_request.mutable_household() = case_new.household();
  *plan_request.mutable_plan() = plan;
  plan_request.set_recorded_at("2024-03-20T10:00:00Z");
  Abi(14, "plan", plan_request);
  v1::FollowUpRequest follow;
  *follow.mutable_household() = case_new.household();
  *follow.mutable_plan() = plan;
  *follow.mutable_follow_up() = follow_up;
  follow.set_recorded_at("2024-09-02T10:00:00Z");
  Abi(15, "follow-up", follow);

  // --- definition: serialized licensee definitions -------------------------------------------
  for (const auto& definition : definitions) Write("definition", definition.id() + "-" + definition.version(), definition.SerializeAsString());
  for (const char* file : {IX_FUZZ_SOURCE_DIR "/tests/fixtures/instrument-x-test.json",
                           IX_FUZZ_SOURCE_DIR "/tests/adapters/golden/fhir/definition.json"}) {
    v1::Definition definition;
    if (ix::cli::ParseJson(ix::fuzz::ReadFileOrDie(file), file, &definition).ok()) {
      Write("definition", std::filesystem::path(file).stem().string(), definition.SerializeAsString());
    }
  }

  // --- exchange: 0 + a signed package, 1 + the content the target signs ---------------------
  ix::adapters::exchange::ExportRequest request;
  request.household_case = case_full;
  request.consent.set_consent_id("consent-2026-001");
  for (auto scope : {v1::CONSENT_SCOPE_RESPONSES, v1::CONSENT_SCOPE_ASSESSMENTS, v1::CONSENT_SCOPE_PLAN,
                     v1::CONSENT_SCOPE_FORSORJNINGSHINDER}) {
    request.consent.add_scopes(scope);
  }
  request.consent.set_recipient_municipality_code(ix::fuzz::kExchangeReceiverMunicipality);
  request.consent.set_purpose(v1::EXCHANGE_PURPOSE_MOVING);
  request.consent.set_given_on("2026-02-20");
  request.consent.set_expires_on("2026-05-31");
  request.consent.set_recorded_by("cw-17");
  for (const auto& person : case_full.household().persons()) request.consent.add_given_by(person.person_ref());
  request.package_id = "ixpkg-0181-2026-0001";
  request.created_at = "2026-03-02T09:00:00Z";
  request.sender_municipality_code = ix::fuzz::kExchangeSenderMunicipality;
  request.sender_unit = "ekonomiskt-bistand-syd";
  request.sender_system = "ix-fuzz-seeds";
  auto exported = ix::adapters::exchange::Export(request, ix::fuzz::ExchangeSender().secret_key_hex);
  if (!exported.ok()) {
    std::fprintf(stderr, "exchange export: %s\n", exported.status().message().c_str());
    return 1;
  }
  Write("exchange", "package", std::string(1, '\0') + exported->package.SerializeAsString());
  Write("exchange", "content", std::string(1, '\1') + exported->package.content());

  // --- store import: the example case's events ----------------------------------------------
  std::string ndjson, delimited;
  for (const auto& event : case_full.events()) {
    ndjson += Line(event) + "\n";
    google::protobuf::io::StringOutputStream stream(&delimited);
    google::protobuf::util::SerializeDelimitedToZeroCopyStream(event, &stream);
  }
  Write("store_import_ndjson", "case-events.ndjson", ndjson);
  Write("store_import_binary", "case-events.bin", delimited);

  // --- cli_json: first byte = the document type (targets/cli_json.cpp) ----------------------
  Write("cli_json", "0-response", std::string(1, '\0') + ix::cli::ToJson(household));
  Write("cli_json", "1-case", std::string(1, '\1') + ix::cli::ToJson(case_full));
  Write("cli_json", "2-plan", std::string(1, '\2') + ix::cli::ToJson(plan));
  Write("cli_json", "3-follow-up", std::string(1, '\3') + ix::cli::ToJson(follow_up));
  Write("cli_json", "4-definition", std::string(1, '\4') + ix::fuzz::ReadFileOrDie(IX_FUZZ_SOURCE_DIR "/tests/fixtures/instrument-x-test.json"));
  Write("cli_json", "5-event", std::string(1, '\5') + ix::cli::ToJson(case_full.events(0)));
  Write("cli_json", "6-consent", std::string(1, '\6') + ix::cli::ToJson(request.consent));
  Write("cli_json", "7-assessment", std::string(1, '\7') + ix::cli::ToJson(case_full.assessments(0)));
  return 0;
}
