// What both event store backends share, so that each rule lives once: the row an event becomes
// (validated, its references pseudonymised), and the way stored rows are read back and merged
// into one PersonHistory per person. A backend only moves these rows in and out with its SQL.
// A new column or event kind: add it to Row, to ValidateEvent, to kHistoryColumns (an optional
// column also to its group in HistoryColumns) and HistoryStream::Read (under its kind), then to
// each backend's schema and insert statement.
#ifndef IX_STORE_SRC_EVENT_ROWS_HPP
#define IX_STORE_SRC_EVENT_ROWS_HPP

#include <ix/store/event_store.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::store {

class Pseudonymiser;

namespace rows {
enum Kind : int { kCategorisation = 1, kPeriod = 2, kIntervention = 3, kMilestone = 4 };
enum ViewBits : int { kViewCaseworker = 1, kViewClient = 2, kViewsDiffer = 4 };
}  // namespace rows

// The columns of events, in the insert statements' parameter order (1-based there).
struct EventStore::Row {
  std::string event_id;  // pseudonym of the event id
  std::string municipality;
  int kind = 0;
  int day = 0;  // effective date (days since 1970-01-01)
  std::optional<int> start_day, end_day;
  std::optional<int> am, r_mask, further, view;
  std::optional<std::string> occasion;
  std::optional<int> exit_reason;
  std::optional<std::string> intervention_id, intervention_kind;
  std::optional<int> orientation, outcome;
  std::optional<std::string> actor, unit, caseworker;
  std::string recorded_at;
  std::optional<int> milestone;  // events.proto Milestone (schema version 4)
  // Categorisation events' indicator facts (SQLite schema version 5, PostgreSQL 3); NULL: not
  // recorded. parts: bit p − 1 for each completed part p; views: kViewCaseworker |
  // kViewClient for who assessed, kViewsDiffer when both did and differ in AM level or R kinds;
  // ratings: the six AM ratings as decimal digits, education first (0: not rated).
  std::optional<int> parts, views, ratings;
  // Not stored here: resolved into a PersonRow by the store (its key, its cache).
  const v1::Subject* subject = nullptr;
  std::string subject_field;
};

struct EventStore::PersonRow {
  std::string pseudonym;
  int sex = 0, birth_year = 0, birth_month = 0;
};

namespace rows {

// Checks one event and makes its row (references pseudonymised under `p`). Errors name the
// field and never echo a personnummer. The subject is checked by CheckSubject.
Result<EventStore::Row> ValidateEvent(const v1::Event& event, const Pseudonymiser& p);
// Checks the subject's attributes (the pseudonym is the store's business).
Status CheckSubject(const v1::Subject& subject, const std::string& field);
bool IsHex64(std::string_view s);

// The columns ForEachPerson selects, in HistoryStream::Read's order; `e` is events, `p` persons.
inline constexpr const char* kHistoryColumns[] = {
    "e.person", "e.id", "e.kind", "e.day", "e.start_day", "e.end_day", "e.am", "e.r_mask", "e.further",
    "e.exit_reason", "e.orientation", "e.outcome", "e.intervention_id", "e.unit", "e.caseworker",
    "e.recorded_at", "p.sex", "p.birth_year", "p.birth_month", "e.intervention_kind", "e.actor", "e.milestone",
    "e.parts", "e.views", "e.ratings"};

// Which of the optional columns the records in `needed` read, one bit per group (unit and
// caseworker; intervention kind and actor; milestone; the indicator facts): a small number that
// names the column list, for a backend's prepared statements.
int HistoryColumnSet(const statistics::RecordsNeeded& needed);
// Whether the column at `position` of kHistoryColumns is read under `column_set` (the optional
// ones only when their group is in it).
bool HistoryColumnRead(int position, int column_set);
// The select list of a column set: a column no needed record reads is selected as NULL, in its
// place, so the database neither decodes nor sends it and the reader copies no text for it
// (reading the interventions' kind and actor, and every event's unit and caseworker, was a
// good part of a KAS or equality pass).
std::string HistoryColumns(int column_set);

// The event kinds that make the records in `needed`, bit 1 << Kind each (ForEachPerson's filter).
inline int KindMask(const statistics::RecordsNeeded& needed) {
  if (needed.assignments) return (1 << kCategorisation) | (1 << kPeriod) | (1 << kIntervention) | (1 << kMilestone);
  return (needed.categorisations ? 1 << kCategorisation : 0) | (needed.periods ? 1 << kPeriod : 0) |
         (needed.interventions ? 1 << kIntervention : 0) | (needed.milestones ? 1 << kMilestone : 0);
}

// [lowest, highest] in up to `parts` slices of equal spans; the first and last open-ended, so
// that together they hold every person, even one added since.
std::vector<EventStore::PersonSlice> SplitPersons(int64_t lowest, int64_t highest, int parts);

// One stored row, reused across persons (strings keep their capacity).
struct RawEvent {
  int64_t rowid = 0;
  int kind = 0;
  statistics::Day day = 0, start = 0, end = statistics::kNoDay;
  int am = 0, r_mask = 0, further = 0, exit = 0, orientation = 0, outcome = 0, milestone = 0;
  int parts = -1, views = -1, ratings = -1;  // -1: NULL (not recorded)
  std::string intervention_id, unit, caseworker, recorded_at, intervention_kind, actor;
};

// Collects one person's rows (the query orders by person) and hands each finished person to
// `visit` as one merged history.
class HistoryStream {
 public:
  // `through`: RecordsNeeded::through.
  HistoryStream(const std::function<void(const statistics::PersonHistory&)>& visit, statistics::Day through)
      : visit_(visit), through_(through) {}
  // Reads one row; `Cursor` gives Int(i) (0 for NULL), IsNull(i) and Text(i) ("" for NULL)
  // for the columns of kHistoryColumns.
  template <class Cursor>
  void Read(const Cursor& c) {
    // Categorisations that take effect, and periods that start, after `through` change nothing
    // the reader looks at: dropped before the person is begun, so that a person with nothing
    // else is not visited. Here rather than in each backend's SQL: there it was a quarter of
    // the filter the database evaluates on every row, here it is two comparisons.
    const int kind = static_cast<int>(c.Int(2));
    const int64_t day = c.Int(3);
    if ((kind == kCategorisation && day > through_) || (kind == kPeriod && c.Int(4) > through_)) return;
    const int64_t person = c.Int(0);
    if (person != current_) {
      Flush();
      current_ = person;
      history_.Clear();
      history_.sex = static_cast<core::Sex>(c.Int(16));
      history_.birth_year = static_cast<int>(c.Int(17));
      history_.birth_month = static_cast<int>(c.Int(18));
    }
    if (used_ == pool_.size()) pool_.emplace_back();
    RawEvent& e = pool_[used_++];
    e.rowid = c.Int(1);
    e.kind = kind;
    e.day = static_cast<statistics::Day>(day);
    e.unit = c.Text(13);
    e.caseworker = c.Text(14);
    e.recorded_at = c.Text(15);
    // Only the columns of the row's kind (the others are NULL in it, and BuildHistory reads
    // only these for the kind): a column read is a library call each, most of a pass's own time.
    switch (e.kind) {
      case kCategorisation:
        e.am = static_cast<int>(c.Int(6));
        e.r_mask = static_cast<int>(c.Int(7));
        e.further = static_cast<int>(c.Int(8));
        e.parts = c.IsNull(22) ? -1 : static_cast<int>(c.Int(22));
        e.views = c.IsNull(23) ? -1 : static_cast<int>(c.Int(23));
        e.ratings = c.IsNull(24) ? -1 : static_cast<int>(c.Int(24));
        break;
      case kPeriod:
        e.start = static_cast<statistics::Day>(c.Int(4));
        e.end = c.IsNull(5) ? statistics::kNoDay : static_cast<statistics::Day>(c.Int(5));
        e.exit = static_cast<int>(c.Int(9));
        break;
      case kIntervention:
        e.start = static_cast<statistics::Day>(c.Int(4));
        e.end = c.IsNull(5) ? statistics::kNoDay : static_cast<statistics::Day>(c.Int(5));
        e.orientation = static_cast<int>(c.Int(10));
        e.outcome = static_cast<int>(c.Int(11));
        e.intervention_id = c.Text(12);
        e.intervention_kind = c.Text(19);
        e.actor = c.Text(20);
        break;
      case kMilestone:
        e.milestone = static_cast<int>(c.Int(21));
        break;
      default: break;
    }
  }
  // The last person.
  void Finish() { Flush(); }

 private:
  void Flush();
  const std::function<void(const statistics::PersonHistory&)>& visit_;
  const statistics::Day through_;
  std::vector<RawEvent> pool_;
  std::vector<RawEvent*> rows_;
  size_t used_ = 0;
  int64_t current_ = -1;
  statistics::PersonHistory history_;
};

}  // namespace rows
}  // namespace ix::store

#endif  // IX_STORE_SRC_EVENT_ROWS_HPP
