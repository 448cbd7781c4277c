// The SQLite store's events.facts (schema version 6): an event's small integer columns — kind,
// category, exit reason, orientation, outcome, milestone and the indicator facts — packed into
// one integer, beside the columns themselves. Why: a report reads every event of a person in
// person order, from an index that holds every column it reads (events_by_kind), and
// SQLite's cost per row grows with each column it decodes: one packed column where there were
// eleven, with that index, brought equality's reading to about 60 % of its CPU time
// (docs/benchmarks.md, "Store schema 6"). The plain columns
// stay the record (PostgreSQL, exports and tools read them); facts is derived from them by the
// one SQL expression below, at insert and in the migration, and read back by Unpack.
#ifndef IX_STORE_SRC_PACKED_FACTS_HPP
#define IX_STORE_SRC_PACKED_FACTS_HPP

#include <ix/core/categorisation/assessment.hpp>

#include "ix/v1/category.pb.h"
#include "ix/v1/events.pb.h"

#include <cstdint>
#include <string>

namespace ix::store::facts {

// One packed column: its place in rows::kHistoryColumns (which the reader asks by), its name in
// events, its lowest bit and width. A nullable column has a presence bit at `shift` and its
// value above it, so NULL and 0 stay apart (the indicator facts: NULL is "not recorded").
struct Field {
  int position;
  const char* column;
  int shift;
  int bits;
  bool nullable;
};

inline constexpr Field kFields[] = {
    {2, "kind", 0, 3, false},         {6, "am", 3, 2, false},           {7, "r_mask", 5, 3, false},
    {8, "further", 8, 1, false},      {9, "exit_reason", 9, 3, false},  {10, "orientation", 12, 2, false},
    {11, "outcome", 14, 3, false},    {21, "milestone", 17, 3, false},  {22, "parts", 20, 4, true},
    {23, "views", 25, 3, true},       {24, "ratings", 29, 20, true},
};

// Every value the store accepts fits its field: the enums by their largest value, the
// categorisation facts by the form's limits (parts as a mask of four bits, six ratings of one
// decimal digit each, who assessed in three bits). A value that does not fit makes the whole
// expression NULL, which events.facts (NOT NULL) refuses — loudly, never a wrong report.
static_assert(v1::AmLevel_MAX < (1 << 2) && v1::RKind_MAX <= 3 && v1::ExitReason_MAX < (1 << 3) &&
              v1::InterventionOrientation_MAX < (1 << 2) && v1::KasOutcome_MAX < (1 << 3) &&
              v1::Milestone_MAX < (1 << 3));
static_assert(core::kFormPartCount <= 4 && core::kAmRatingCount == 6 && core::kMaxAmRating <= 9 &&
              999999 < (1 << 20));

// The SQL expression of the packed value, over `operand(field)` for each field's value (a column
// name in the migration, the insert's parameter at insert): NULL when a value does not fit.
template <class Operand>
std::string Sql(const Operand& operand) {
  std::string fits, value;
  for (const Field& f : kFields) {
    const std::string x = operand(f);
    const std::string max = std::to_string((int64_t{1} << f.bits) - 1);
    const std::string shift = std::to_string(f.shift);
    if (!fits.empty()) fits += " AND ", value += " | ";
    if (f.nullable) {
      fits += "(" + x + " IS NULL OR " + x + " BETWEEN 0 AND " + max + ")";
      value += "(CASE WHEN " + x + " IS NULL THEN 0 ELSE ((" + x + " << 1) | 1) << " + shift + " END)";
    } else {
      fits += "ifnull(" + x + ", 0) BETWEEN 0 AND " + max;
      value += "(ifnull(" + x + ", 0) << " + shift + ")";
    }
  }
  return "CASE WHEN " + fits + " THEN " + value + " END";
}

// A field's value (0 for NULL) and whether it is NULL.
inline int64_t Unpack(int64_t packed, const Field& f) {
  const int64_t above = packed >> (f.shift + (f.nullable ? 1 : 0));
  return above & ((int64_t{1} << f.bits) - 1);
}
inline bool IsNull(int64_t packed, const Field& f) { return f.nullable && ((packed >> f.shift) & 1) == 0; }

// The event kind's bits in SQL over the column (kind is the lowest field), for filters.
inline constexpr const char* kKindSql = "(e.facts & 7)";
static_assert(kFields[0].shift == 0 && kFields[0].bits == 3);

}  // namespace ix::store::facts

#endif  // IX_STORE_SRC_PACKED_FACTS_HPP
