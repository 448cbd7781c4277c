// Event records as the statistics engine sees them: plain data, one person at a time.
//
// The event store (adapters/store) keeps events keyed by a pseudonym, never the personnummer;
// it hands the engine one PersonHistory per person, in any person order. Everything the five
// reports need is here: sex, birth year and month, the categorisation history, the assistance
// periods and the interventions. Dates are day numbers (days since 1970-01-01) so comparing
// and subtracting them is integer arithmetic.
#ifndef IX_STATISTICS_RECORDS_HPP
#define IX_STATISTICS_RECORDS_HPP

#include <ix/core/categorisation/category.hpp>
#include <ix/core/clocks/clocks.hpp>
#include <ix/core/model.hpp>
#include <ix/core/plan/plan.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::statistics {

// The domain types a person's history is made of.
using core::Date;
using core::Sex;

// Days since 1970-01-01 (proleptic Gregorian). kNoDay marks "not set" (an open period).
using Day = int32_t;
inline constexpr Day kNoDay = INT32_MAX;

Day DayFromDate(const Date& date);
Date DateFromDay(Day day);
// Strict "YYYY-MM-DD"; nullopt when malformed or not a real day.
std::optional<Day> ParseDay(std::string_view text);
std::string FormatDay(Day day);
// Whole months from `from` to `to`, counted like an age (core::calendar::WholeMonths; 0 when
// `to` is earlier than one month after `from`).
int CompletedMonths(Day from, Day to);

// The domain's own enums (categorisation and plan cores), under the names the reports use.
using AmLevel = core::AmLevel;                    // kNone, kAm1 … kAm3
using Orientation = core::InterventionOrientation;  // work-oriented, rehabilitative, studies
using KasOutcome = core::KasOutcome;              // SKR's KAS outcomes, plus other

// RH kinds as a bit mask: bit 0 = R1 physical, bit 1 = R2 mental, bit 2 = R3 substance use.
inline constexpr uint8_t kR1 = 1, kR2 = 2, kR3 = 4;

// The effective category a report counts a person in. AM and RH can hold at once, so
// "AM + RH" is split by R kind; a person with several R kinds is "AM + RH, several kinds".
// Vidare utredning (further investigation) takes precedence: the picture is not yet clear.
enum class ReportCategory : uint8_t {
  kAm1,
  kAm2,
  kAm3,
  kRhOnly,           // RH without an AM level (no work capacity today)
  kAmRhR1,
  kAmRhR2,
  kAmRhR3,
  kAmRhSeveral,      // AM + two or three R kinds
  kFurtherInvestigation,
  kNotCategorised,   // on assistance, no categorisation yet
};
inline constexpr int kReportCategoryCount = 10;

ReportCategory Classify(AmLevel am, uint8_t r_mask, bool further_investigation);
// True when the category includes RH (rehabilitation) / an AM level.
bool IncludesRh(ReportCategory c);
bool IncludesAm(ReportCategory c);

// Women, men, and everyone else (recorded as other or not recorded) — never guessed.
enum class SexGroup : uint8_t { kWomen, kMen, kOther };
inline constexpr int kSexGroupCount = 3;
SexGroup GroupOf(Sex sex);

enum class ExitReason : uint8_t { kUnspecified, kWork, kStudies, kOtherBenefit, kMoved, kOther };
inline constexpr int kExitReasonCount = 6;

inline constexpr int kKasOutcomeCount = 7;  // KasOutcome values, kUnspecified = not recorded

// A categorisation's indicator facts as the event store keeps them (-1: not recorded, the
// events from before they existed). views: who assessed and whether the views differ.
enum ViewBits : int8_t { kCaseworkerAssessed = 1, kClientAssessed = 2, kViewsDiffer = 4 };
inline constexpr int kAmRatingCount = 6;  // core::kAmRatingCount

struct CategorisationRecord {
  Day day = 0;  // effective from
  AmLevel am = AmLevel::kNone;
  uint8_t r_mask = 0;
  bool further_investigation = false;
  int8_t parts = -1;     // bit p − 1: part p of the form completed
  int8_t views = -1;     // ViewBits
  int32_t ratings = -1;  // the six AM ratings as decimal digits, education first; 0: not rated
  ReportCategory Category() const { return Classify(am, r_mask, further_investigation); }
  // Rating i (0 education … 5 job seeking; core::AmRatingVariables order); 0: not rated or not recorded.
  int Rating(int i) const;
};

// A period of assistance, [start, end). end == kNoDay: still open.
struct PeriodRecord {
  Day start = 0;
  Day end = kNoDay;
  ExitReason exit = ExitReason::kUnspecified;
  bool OpenOn(Day d) const { return start <= d && d < end; }
};

struct InterventionRecord {
  Day start = 0;
  Day end = kNoDay;  // last day (inclusive); kNoDay: not ended
  Orientation orientation = Orientation::kUnspecified;
  KasOutcome outcome = KasOutcome::kUnspecified;
  // The intervention catalogue's kind code ("work_training") and the responsible actor
  // ("municipality", "arbetsformedlingen", "forsakringskassan", "region"); empty when the
  // event did not say. KAS counts only the interventions in its scope (ReportOptions).
  std::string kind;
  std::string actor;
};

// A step of the case's chain (events.proto Milestone): first visit → complete application →
// decision → plan; the first intervention is an InterventionRecord's start.
enum class Milestone : uint8_t { kUnspecified, kFirstVisit, kCompleteApplication, kDecision, kPlan };
struct MilestoneRecord {
  Day day = 0;
  Milestone milestone = Milestone::kUnspecified;
};

// Who is responsible at a date: the unit and caseworker named by the person's latest event.
struct Assignment {
  Day day = 0;
  std::string unit;
  std::string caseworker;
};

// Everything known about one person. Vectors are sorted by day (start for periods and
// interventions); the store merges repeated events about the same period (same start) or
// intervention (same id) so the latest recorded state wins.
struct PersonHistory {
  Sex sex = Sex::kUnspecified;
  int birth_year = 0;   // 0: not recorded
  int birth_month = 0;  // 1–12, 0: not recorded
  std::vector<CategorisationRecord> categorisations;
  std::vector<PeriodRecord> periods;
  std::vector<InterventionRecord> interventions;
  std::vector<Assignment> assignments;
  std::vector<MilestoneRecord> milestones;  // by day

  void Clear();
  // Latest categorisation effective on `d`, or nullptr.
  const CategorisationRecord* CategorisationOn(Day d) const;
  // The period open on `d`, or nullptr.
  const PeriodRecord* PeriodOn(Day d) const;
  // The effective category on `d` (kNotCategorised when none).
  ReportCategory CategoryOn(Day d) const;
  // Time on assistance on `d` in whole months: the domain's one definition
  // (core::clocks::OnAssistance, docs/rules.md), over every period of the person, so a run of
  // periods that follow one another day by day counts as one and a day without assistance
  // starts the count again. 0 when not on assistance on `d`.
  int MonthsOnAssistance(Day d) const;
  // The periods as the domain's clocks take them (both ends inclusive); empty periods left out.
  std::vector<core::clocks::AssistancePeriod> AssistancePeriods() const;
  // Latest assignment on or before `d` (an empty one when none).
  const Assignment* AssignmentOn(Day d) const;
  // Age in whole years on `d`; -1 when the birth year is not recorded. An unknown birth month
  // counts as July (mid-year).
  int AgeOn(Day d) const;
};

}  // namespace ix::statistics

#endif  // IX_STATISTICS_RECORDS_HPP
