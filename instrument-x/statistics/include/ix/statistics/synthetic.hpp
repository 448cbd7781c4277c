// A seeded synthetic data generator: N persons (adults in households) over Y years, with
// assistance periods, categorisations, follow-ups and interventions drawn from documented
// distributions (docs/statistics.md, "Synthetic data"). The same seed always gives the same
// persons and events, on every platform (own integer-based sampling, no <random> distributions).
//
// Pure: it calls `visit` once per person; the caller turns the records into canonical events
// (adapters/store/synthetic_events.hpp) or feeds them to the report engine directly.
#ifndef IX_STATISTICS_SYNTHETIC_HPP
#define IX_STATISTICS_SYNTHETIC_HPP

#include <ix/statistics/records.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ix::statistics {

struct SyntheticParams {
  int64_t persons = 1000;
  int years = 3;
  uint64_t seed = 1;
  Day first_day = 0;  // first day of the window; the window is `years` × 365 days
  int units = 4;
  int caseworkers_per_unit = 6;
};

struct SyntheticEvent {
  enum class Kind : uint8_t {
    kCategorisation,
    kPeriodStart,
    kPeriodEnd,
    kInterventionStart,
    kInterventionEnd,
    kMilestone,
  };
  Kind kind = Kind::kCategorisation;
  Day day = 0;                  // effective date
  Day start = 0;                // period / intervention start
  Day end = kNoDay;             // period / intervention end (inclusive), for the *End kinds
  AmLevel am = AmLevel::kNone;  // categorisation
  uint8_t r_mask = 0;
  bool further_investigation = false;
  bool first_visit = false;
  ExitReason exit = ExitReason::kUnspecified;
  Orientation orientation = Orientation::kUnspecified;
  KasOutcome outcome = KasOutcome::kUnspecified;
  int intervention = 0;         // number of the intervention within the person
  int unit = 0;                 // 1-based
  int caseworker = 0;           // 1-based, global
  Milestone milestone = Milestone::kUnspecified;  // kMilestone
  // A categorisation's indicator facts, as CategorisationRecord (-1: not recorded; one person in
  // ten is generated as from before the events carried them).
  int8_t parts = -1;
  int8_t views = -1;
  int32_t ratings = -1;
};

struct SyntheticPerson {
  int64_t index = 0;
  int64_t household = 0;
  std::string personnummer;     // synthetic, valid checksum, unique within one generated set
  Sex sex = Sex::kUnspecified;
  int birth_year = 0;
  int birth_month = 0;
  std::vector<SyntheticEvent> events;  // in day order
};

void GenerateSynthetic(const SyntheticParams& params,
                       const std::function<void(const SyntheticPerson&)>& visit);

// The catalogue kind and responsible actor of a synthetic intervention, drawn from the
// intervention's orientation and a hash of (person, intervention number) so that adding them
// did not change any other draw of a seed (docs/statistics.md, "Synthetic data").
struct SyntheticKind {
  const char* kind;
  const char* actor;
};
SyntheticKind SyntheticInterventionKind(const SyntheticPerson& person, const SyntheticEvent& event);

// The history the store would build from a synthetic person's events (for tests and for the
// engine-only benchmark run).
PersonHistory HistoryOf(const SyntheticPerson& person);

}  // namespace ix::statistics

#endif  // IX_STATISTICS_SYNTHETIC_HPP
