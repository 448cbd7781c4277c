// Categorisation history: every categorisation is an event with an effective date. The
// category of a person at any date, the direction of each move (towards AM1 is progress) and
// the recategorisations made at follow-ups are queryable.
#ifndef IX_CORE_CATEGORISATION_HISTORY_HPP
#define IX_CORE_CATEGORISATION_HISTORY_HPP

#include <ix/core/categorisation/category.hpp>
#include <ix/core/model.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ix::core {

struct CategorisationRecord {
  Date effective_date;
  Category category;
  AssessmentView governing_view = AssessmentView::kUnspecified;
  std::string occasion;  // "first_visit", "follow_up", "recategorisation"
  std::string event_id;
};

enum class MoveDirection { kFirst, kProgress, kSetback, kSameLevel };
std::string_view MoveDirectionCode(MoveDirection direction);

// Distance from the labour market: AM1 = 1, AM2 = 2, AM3 = 3, no AM level = 4 (without work
// capacity today counts as furthest away).
int AmRank(AmLevel level);
MoveDirection Direction(const Category& from, const Category& to);

struct HistoryEntry {
  CategorisationRecord record;
  MoveDirection direction = MoveDirection::kFirst;
  std::vector<RKind> r_added;
  std::vector<RKind> r_removed;
  LocalizedText line;
};

// One person's records in effective-date order (records with the same date keep their input
// order: the later recorded one wins), each with its move from the previous one.
std::vector<HistoryEntry> BuildHistory(std::vector<CategorisationRecord> records);

// The category in force on `date`: the last record with effective_date ≤ date.
std::optional<CategorisationRecord> CategoryAt(const std::vector<CategorisationRecord>& records,
                                               const Date& date);

}  // namespace ix::core

#endif  // IX_CORE_CATEGORISATION_HISTORY_HPP
