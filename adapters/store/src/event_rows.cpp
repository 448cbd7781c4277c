#include "event_rows.hpp"

#include <ix/core/categorisation/assessment.hpp>
#include <ix/store/pseudonym.hpp>

#include <algorithm>
#include <iterator>
#include <limits>

namespace ix::store::rows {
namespace stats = ix::statistics;

namespace {

Status Invalid(const std::string& field, const std::string& message) { return InvalidField(field, message); }

// An intervention's kind and responsible actor are catalogue codes ("work_training").
constexpr size_t kMaxCodeBytes = 64;

// A required or optional YYYY-MM-DD field.
Result<std::optional<stats::Day>> DateField(const std::string& text, const std::string& field,
                                            bool required) {
  if (text.empty()) {
    if (required) return Invalid(field, "missing (YYYY-MM-DD)");
    return std::optional<stats::Day>{};
  }
  const auto day = stats::ParseDay(text);
  if (!day) return Invalid(field, "'" + text + "' is not a real date YYYY-MM-DD");
  return std::optional<stats::Day>{*day};
}

// AM level and R kinds of a view, for comparing two (the discrepancy Govern flags).
std::pair<int, int> ViewKey(const v1::Category& c) {
  int mask = 0;
  for (const int r : c.r_kinds()) mask |= 1 << (r - 1);
  return {c.am_level(), mask};
}

// The indicator facts of a categorisation event (each NULL when not recorded), checked as the
// plugin checks them; the views' categories as the category.
Status CategorisationFacts(const v1::CategorisationEvent& c, const std::string& field, EventStore::Row& row) {
  core::AssessmentFacts facts;
  if (c.has_form_parts()) facts.parts_completed = std::vector<int>(c.form_parts().completed().begin(), c.form_parts().completed().end());
  if (c.has_am_ratings()) {
    const v1::AmRatings& r = c.am_ratings();
    facts.am_ratings = core::AmRatings{r.education(), r.swedish(), r.work_experience(), r.health(), r.motivation(), r.job_seeking()};
  }
  if (auto problem = core::CheckAssessmentFacts(facts, field)) return Invalid(problem->path, problem->message.en);
  if (facts.parts_completed) {
    int mask = 0;
    for (const int part : *facts.parts_completed) mask |= 1 << (part - 1);
    row.parts = mask;
  }
  if (facts.am_ratings) {
    int packed = 0;
    for (const int rating : *facts.am_ratings) packed = packed * 10 + rating;
    row.ratings = packed;
  }
  if (c.has_views()) {
    const v1::AssessmentViews& v = c.views();
    for (const auto& [name, view] : {std::pair<const char*, const v1::Category*>{".views.caseworker", &v.caseworker()},
                                     {".views.client", &v.client()}}) {
      if (view->am_level() < 0 || view->am_level() > v1::AM_LEVEL_AM3) {
        return Invalid(field + name + ".am_level", "unknown value " + std::to_string(view->am_level()));
      }
      for (int i = 0; i < view->r_kinds_size(); ++i) {
        if (view->r_kinds(i) < v1::R_KIND_R1_PHYSICAL || view->r_kinds(i) > v1::R_KIND_R3_SUBSTANCE) {
          return Invalid(field + name + ".r_kinds[" + std::to_string(i) + "]",
                         "unknown or unspecified value " + std::to_string(view->r_kinds(i)));
        }
      }
    }
    int bits = (v.has_caseworker() ? int{kViewCaseworker} : 0) | (v.has_client() ? int{kViewClient} : 0);
    if (v.has_caseworker() && v.has_client() && ViewKey(v.caseworker()) != ViewKey(v.client())) bits |= kViewsDiffer;
    row.views = bits;
  }
  return Status::Ok();
}

// Later recorded first-class ordering: recorded_at (RFC 3339, UTC), then insertion order.
bool RecordedBefore(const RawEvent& a, const RawEvent& b) {
  const int c = a.recorded_at.compare(b.recorded_at);
  return c != 0 ? c < 0 : a.rowid < b.rowid;
}

void BuildHistory(std::vector<RawEvent*>& rows, stats::PersonHistory& h) {
  std::sort(rows.begin(), rows.end(), [](const RawEvent* a, const RawEvent* b) {
    if (a->kind != b->kind) return a->kind < b->kind;
    if (a->kind == kIntervention && a->intervention_id != b->intervention_id) {
      return a->intervention_id < b->intervention_id;
    }
    if (a->kind == kPeriod && a->start != b->start) return a->start < b->start;
    if ((a->kind == kCategorisation || a->kind == kMilestone) && a->day != b->day) return a->day < b->day;
    return RecordedBefore(*a, *b);
  });
  for (size_t i = 0; i < rows.size(); ++i) {
    const RawEvent& e = *rows[i];
    const bool last_of_group = i + 1 == rows.size() || rows[i + 1]->kind != e.kind ||
                               (e.kind == kPeriod && rows[i + 1]->start != e.start) ||
                               (e.kind == kIntervention && rows[i + 1]->intervention_id != e.intervention_id);
    if (!e.unit.empty() || !e.caseworker.empty()) h.assignments.push_back({e.day, e.unit, e.caseworker});
    switch (e.kind) {
      case kCategorisation:
        h.categorisations.push_back({e.day, static_cast<stats::AmLevel>(e.am), static_cast<uint8_t>(e.r_mask),
                                     e.further != 0, static_cast<int8_t>(e.parts), static_cast<int8_t>(e.views),
                                     e.ratings});
        break;
      case kPeriod:
        if (last_of_group) {
          h.periods.push_back({e.start, e.end == stats::kNoDay ? stats::kNoDay : e.end + 1,
                               static_cast<stats::ExitReason>(e.exit)});
        }
        break;
      case kIntervention:
        if (last_of_group) {
          h.interventions.push_back({e.start, e.end, static_cast<stats::Orientation>(e.orientation),
                                     static_cast<stats::KasOutcome>(e.outcome), e.intervention_kind, e.actor});
        }
        break;
      case kMilestone:
        h.milestones.push_back({e.day, static_cast<stats::Milestone>(e.milestone)});
        break;
      default: break;
    }
  }
  std::sort(h.interventions.begin(), h.interventions.end(),
            [](const auto& a, const auto& b) { return a.start < b.start; });
  std::stable_sort(h.assignments.begin(), h.assignments.end(),
                   [](const auto& a, const auto& b) { return a.day < b.day; });
}

}  // namespace

int HistoryColumnSet(const stats::RecordsNeeded& needed) {
  // Assignments make every kind read (KindMask), milestones among them: their milestone column
  // too, so that no milestone record is built without it. Codes and facts only when asked.
  return (needed.assignments ? 1 : 0) | (needed.intervention_codes ? 2 : 0) |
         (needed.milestones || needed.assignments ? 4 : 0) | (needed.categorisation_facts ? 8 : 0);
}

bool HistoryColumnRead(int position, int column_set) {
  // The column positions of each group above.
  static constexpr std::pair<int, int> kOptional[] = {{13, 1}, {14, 1}, {19, 2}, {20, 2}, {21, 4},
                                                      {22, 8}, {23, 8}, {24, 8}};
  for (const auto& [column, group] : kOptional) {
    if (column == position) return (column_set & group) != 0;
  }
  return true;
}

std::string HistoryColumns(int column_set) {
  std::string list;
  for (int i = 0; i < static_cast<int>(std::size(kHistoryColumns)); ++i) {
    list += (i == 0 ? "" : ", ");
    list += HistoryColumnRead(i, column_set) ? kHistoryColumns[i] : "NULL";
  }
  return list;
}

std::vector<EventStore::PersonSlice> SplitPersons(int64_t lowest, int64_t highest, int parts) {
  std::vector<EventStore::PersonSlice> slices;
  if (highest < lowest || parts < 1) return slices;
  const int64_t span = (highest - lowest) / parts + 1;
  for (int64_t first = lowest; first <= highest; first += span) {
    slices.push_back({first, first + span - 1});
    if (highest - first < span) break;  // no overflow past the highest
  }
  slices.front().first = std::numeric_limits<int64_t>::min();
  slices.back().last = std::numeric_limits<int64_t>::max();
  return slices;
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void HistoryStream::Flush() {
  if (current_ < 0) return;
  rows_.clear();
  for (size_t i = 0; i < used_; ++i) rows_.push_back(&pool_[i]);
  BuildHistory(rows_, history_);
  visit_(history_);
  used_ = 0;
}

Result<EventStore::Row> ValidateEvent(const v1::Event& event, const Pseudonymiser& p) {
  const v1::EventHeader* header = nullptr;
  std::string field;
  EventStore::Row row;
  switch (event.kind_case()) {
    case v1::Event::kCategorisation: header = &event.categorisation().header(); field = "categorisation"; row.kind = kCategorisation; break;
    case v1::Event::kAssistancePeriod: header = &event.assistance_period().header(); field = "assistance_period"; row.kind = kPeriod; break;
    case v1::Event::kIntervention: header = &event.intervention().header(); field = "intervention"; row.kind = kIntervention; break;
    case v1::Event::kMilestone: header = &event.milestone().header(); field = "milestone"; row.kind = kMilestone; break;
    case v1::Event::KIND_NOT_SET:
      return Invalid("event", "none of categorisation, assistance_period, intervention, milestone is set");
  }
  const std::string h = field + ".header";
  if (header->event_id().empty()) return Invalid(h + ".event_id", "missing");
  if (header->event_id().size() > 200) return Invalid(h + ".event_id", "longer than 200 characters");
  const std::string& kommun = header->municipality_code();
  if (kommun.size() != 4 || !std::all_of(kommun.begin(), kommun.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Invalid(h + ".municipality_code", "'" + kommun + "' is not a four-digit kommunkod");
  }
  auto effective = DateField(header->effective_date(), h + ".effective_date",
                             row.kind == kCategorisation || row.kind == kMilestone);
  if (!effective.ok()) return effective.status();
  if (!header->has_subject()) return Invalid(h + ".subject", "missing");

  std::optional<stats::Day> start, end;
  if (row.kind == kCategorisation) {
    const v1::Category& c = event.categorisation().category();
    if (!event.categorisation().has_category()) return Invalid(field + ".category", "missing");
    if (c.am_level() < 0 || c.am_level() > v1::AM_LEVEL_AM3) {
      return Invalid(field + ".category.am_level", "unknown value " + std::to_string(c.am_level()));
    }
    int mask = 0;
    for (int i = 0; i < c.r_kinds_size(); ++i) {
      const int r = c.r_kinds(i);
      if (r < v1::R_KIND_R1_PHYSICAL || r > v1::R_KIND_R3_SUBSTANCE) {
        return Invalid(field + ".category.r_kinds[" + std::to_string(i) + "]",
                       "unknown or unspecified value " + std::to_string(r));
      }
      mask |= 1 << (r - 1);
    }
    row.am = c.am_level();
    row.r_mask = mask;
    row.further = c.further_investigation() ? 1 : 0;
    row.view = event.categorisation().governing_view();
    row.occasion = event.categorisation().occasion();
    if (Status s = CategorisationFacts(event.categorisation(), field, row); !s.ok()) return s;
  } else if (row.kind == kPeriod) {
    const v1::AssistancePeriodEvent& period = event.assistance_period();
    auto a = DateField(period.start_date(), field + ".start_date", true);
    if (!a.ok()) return a.status();
    auto b = DateField(period.end_date(), field + ".end_date", false);
    if (!b.ok()) return b.status();
    start = *a;
    end = *b;
    if (end && *end < *start) return Invalid(field + ".end_date", "before start_date " + period.start_date());
    if (period.exit_reason() < 0 || period.exit_reason() > v1::EXIT_REASON_OTHER) {
      return Invalid(field + ".exit_reason", "unknown value " + std::to_string(period.exit_reason()));
    }
    if (!end && period.exit_reason() != v1::EXIT_REASON_UNSPECIFIED) {
      return Invalid(field + ".exit_reason", "given for an open period (no end_date)");
    }
    row.exit_reason = period.exit_reason();
  } else if (row.kind == kMilestone) {
    const int m = event.milestone().milestone();
    if (m < v1::MILESTONE_FIRST_VISIT || m > v1::MILESTONE_PLAN) {
      return Invalid(field + ".milestone", "unknown or unspecified value " + std::to_string(m) + " (1 to 4)");
    }
    row.milestone = m;
  } else {
    const v1::InterventionEvent& iv = event.intervention();
    if (iv.intervention_id().empty()) return Invalid(field + ".intervention_id", "missing");
    auto a = DateField(iv.start_date(), field + ".start_date", true);
    if (!a.ok()) return a.status();
    auto b = DateField(iv.end_date(), field + ".end_date", false);
    if (!b.ok()) return b.status();
    start = *a;
    end = *b;
    if (end && *end < *start) return Invalid(field + ".end_date", "before start_date " + iv.start_date());
    if (iv.orientation() < 0 || iv.orientation() > v1::INTERVENTION_ORIENTATION_STUDIES) {
      return Invalid(field + ".orientation", "unknown value " + std::to_string(iv.orientation()));
    }
    if (iv.outcome() < 0 || iv.outcome() > v1::KAS_OUTCOME_OTHER) {
      return Invalid(field + ".outcome", "unknown value " + std::to_string(iv.outcome()));
    }
    if (!end && iv.outcome() != v1::KAS_OUTCOME_UNSPECIFIED) {
      return Invalid(field + ".outcome", "given for an intervention that has not ended (no end_date)");
    }
    // Kind and actor are catalogue codes the reports group by: bounded and plain, so a hostile
    // event cannot make report rows of arbitrary text or size.
    for (const auto& [name, code] : {std::pair<const char*, const std::string*>{".kind", &iv.kind()},
                                     {".responsible_actor", &iv.responsible_actor()}}) {
      if (code->size() > kMaxCodeBytes) {
        return Invalid(field + name, std::to_string(code->size()) + " bytes, more than the limit " +
                                         std::to_string(kMaxCodeBytes));
      }
      for (const char ch : *code) {
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.')) {
          return Invalid(field + name, "a code of a-z, 0-9, '_', '-' or '.' (got byte " +
                                           std::to_string(static_cast<unsigned char>(ch)) + ")");
        }
      }
    }
    row.intervention_id = p.Reference("intervention", iv.intervention_id());
    row.intervention_kind = iv.kind();
    row.orientation = iv.orientation();
    row.outcome = iv.outcome();
    row.actor = iv.responsible_actor();
  }
  row.day = effective->value_or(start.value_or(0));
  row.start_day = start;
  row.end_day = end;
  // Event ids are built from case references ("<household>/<person>/…"), which a vendor may
  // make of personnummer: only their pseudonym is kept (still unique, so imports stay idempotent).
  row.event_id = p.Reference("event", header->event_id());
  row.municipality = kommun;
  if (!header->unit().empty()) row.unit = header->unit();
  if (!header->caseworker().empty()) row.caseworker = header->caseworker();
  row.recorded_at = header->recorded_at();
  row.subject = &header->subject();
  row.subject_field = h + ".subject";
  return row;
}

Status CheckSubject(const v1::Subject& subject, const std::string& field) {
  if (subject.sex() < v1::SEX_UNSPECIFIED || subject.sex() > v1::SEX_OTHER) {
    return Invalid(field + ".sex", "unknown value " + std::to_string(subject.sex()));
  }
  if (subject.birth_year() != 0 && (subject.birth_year() < 1880 || subject.birth_year() > 2200)) {
    return Invalid(field + ".birth_year", std::to_string(subject.birth_year()) + " is not plausible");
  }
  if (subject.birth_month() < 0 || subject.birth_month() > 12) {
    return Invalid(field + ".birth_month", std::to_string(subject.birth_month()) + " is not 1–12");
  }
  return Status::Ok();
}

}  // namespace ix::store::rows
