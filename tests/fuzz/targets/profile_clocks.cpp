// A municipality profile file (instrument-x/definitions/profiles/*.json) as ix-defc reads it
// (protobuf's JSON parser, unknown fields refused), its clocks read as the plugin reads them
// (ClockTextsOf) and compiled (core::clocks::CompileClocks); a list that compiles is then run
// over a household with every fact set, on a few dates, so any accepted clock is evaluated.
// Findings: a crash, a refusal without a path, or an accepted clock due before it started.
#include "../scratch.hpp"

#include "codec/clock_text.hpp"

#include <ix/core/clocks/clocks.hpp>
#include <ix/core/personnummer.hpp>

#include "ix/v1/categorisation.pb.h"

#include <google/protobuf/util/json_util.h>

#include <string>

namespace {

ix::core::Date D(const char* iso) { return *ix::core::ParseIsoDate(iso); }

ix::core::clocks::CaseClockInput EveryFact() {
  using namespace ix::core;
  clocks::CaseClockInput in;
  in.household_ref = "h1";
  in.application_complete_on = D("2024-12-20");
  in.decided_on = D("2025-01-02");
  in.first_visit_on = D("2024-01-31");
  in.action_plan_on = D("2024-04-30");
  in.form_sent_on = D("2024-01-02");
  in.form_returned_on = D("2024-01-20");
  in.intervention_meeting_on = D("2024-02-21");
  in.assistance = {{D("2024-01-01"), D("2024-03-31")}, {D("2024-04-01"), std::nullopt}};
  Category am2;
  am2.am_level = AmLevel::kAm2;
  am2.r_kinds = {RKind::kR2Mental};
  clocks::PersonClockInput adult{"p1", am2, D("2024-02-01"), D("2024-09-01"), {}};
  adult.interventions = {{D("2024-02-05"), D("2024-09-30")}, {D("2024-03-01"), std::nullopt}};
  in.adults = {adult, {"p2", std::nullopt, std::nullopt, std::nullopt, {}}};
  return in;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ix::v1::CategorisationData file;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (!google::protobuf::util::JsonStringToMessage(std::string(ix::fuzz::Bytes(data, size)), &file, options).ok()) {
    return 0;
  }
  static const ix::core::clocks::CaseClockInput kCase = EveryFact();
  for (int i = 0; i < file.profiles_size(); ++i) {
    const std::string path = "profiles[" + std::to_string(i) + "].process_clocks";
    const auto compiled = ix::core::clocks::CompileClocks(ix::plugin::ClockTextsOf(file.profiles(i)), path);
    for (const ix::core::Problem& p : compiled.problems) {
      if (p.path.rfind(path, 0) != 0 || p.message.en.empty()) ix::fuzz::Die("a refusal without its field: " + p.path);
    }
    if (!compiled.problems.empty()) continue;
    (void)ix::core::clocks::InDepthOfferOf(compiled.clocks);
    for (const char* as_of : {"2024-01-01", "2024-07-15", "2099-12-31"}) {
      for (const auto& item : ix::core::clocks::DueItems(kCase, compiled.clocks, D(as_of))) {
        if (item.due_on < item.started_on || item.clock.empty()) ix::fuzz::Die("a clock due before it started: " + item.clock);
      }
    }
  }
  return 0;
}
