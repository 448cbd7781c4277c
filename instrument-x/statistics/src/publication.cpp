#include <ix/statistics/publication.hpp>

#include <ix/statistics/texts.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>

namespace ix::statistics {

const char* ReportKindName(ReportKind kind) {
  switch (kind) {
    case ReportKind::kSnapshot: return "snapshot";
    case ReportKind::kMovements: return "movements";
    case ReportKind::kKas: return "kas";
    case ReportKind::kEquality: return "equality";
    case ReportKind::kCaseload: return "caseload";
    case ReportKind::kTrend: return "trend";
    case ReportKind::kOutcomes: return "outcomes";
    case ReportKind::kLeadTimes: return "lead_times";
    case ReportKind::kIndicators: return "indicators";
  }
  return "?";
}

std::optional<ReportKind> ParseReportKind(std::string_view name) {
  for (ReportKind k : kAllReportKinds) {
    if (name == ReportKindName(k)) return k;
  }
  return std::nullopt;
}

LocalizedText CategoryLabel(int category) {
  static const LocalizedText kLabels[kReportCategoryCount] = {
      {"AM1", "AM1"},
      {"AM2", "AM2"},
      {"AM3", "AM3"},
      {"Endast RH", "RH only"},
      {"AM + RH R1 (fysisk)", "AM + RH R1 (physical)"},
      {"AM + RH R2 (psykisk)", "AM + RH R2 (mental)"},
      {"AM + RH R3 (missbruk)", "AM + RH R3 (substance use)"},
      {"AM + RH flera R", "AM + RH several R kinds"},
      {"Vidare utredning", "Further investigation"},
      {"Ej kategoriserad", "Not categorised"},
  };
  return category >= 0 && category < kReportCategoryCount ? kLabels[category] : LocalizedText{"?", "?"};
}

LocalizedText SexLabel(int sex) {
  static const LocalizedText kLabels[kSexGroupCount] = {
      {"Kvinnor", "Women"}, {"Män", "Men"}, {"Övriga/ej angivet", "Other/not recorded"}};
  return sex >= 0 && sex < kSexGroupCount ? kLabels[sex] : LocalizedText{"?", "?"};
}

LocalizedText ExitLabel(ExitReason reason) {
  switch (reason) {
    case ExitReason::kWork: return {"Avslut: arbete", "Exit: work"};
    case ExitReason::kStudies: return {"Avslut: studier", "Exit: studies"};
    case ExitReason::kOtherBenefit: return {"Avslut: annan ersättning", "Exit: other benefit"};
    case ExitReason::kMoved: return {"Avslut: flyttat", "Exit: moved"};
    case ExitReason::kOther: return {"Avslut: annat", "Exit: other"};
    case ExitReason::kUnspecified: break;
  }
  return {"Avslut: orsak ej angiven", "Exit: reason not recorded"};
}

LocalizedText KasLabel(int outcome) {
  static const LocalizedText kLabels[kKasOutcomeCount] = {
      {"Ej angivet", "Not recorded"},
      {"Arbete utan stöd", "Unsubsidised work"},
      {"Subventionerat arbete", "Subsidised work"},
      {"Studier", "Studies"},
      {"Avslutat uppdrag", "Completed assignment"},
      {"Åter till remittent", "Returned to referrer"},
      {"Annat", "Other"},
  };
  return outcome >= 0 && outcome < kKasOutcomeCount ? kLabels[outcome] : LocalizedText{"?", "?"};
}

LocalizedText LeadStepLabel(int step) {
  static const LocalizedText kLabels[kLeadStepCount] = {
      {"Nybesök → komplett ansökan", "First visit → complete application"},
      {"Komplett ansökan → beslut", "Complete application → decision"},
      {"Beslut → plan", "Decision → plan"},
      {"Plan → första insats", "Plan → first intervention"},
      {"Nybesök → första insats", "First visit → first intervention"},
      {"Glapp mellan insatser", "Gap between interventions"},
  };
  return step >= 0 && step < kLeadStepCount ? kLabels[step] : LocalizedText{"?", "?"};
}

const char* LeadStepCode(int step) {
  static const char* kCodes[kLeadStepCount] = {"visit_to_application", "application_to_decision", "decision_to_plan",
                                               "plan_to_intervention", "visit_to_intervention", "intervention_gap"};
  return step >= 0 && step < kLeadStepCount ? kCodes[step] : "?";
}

LocalizedText IndicatorLabel(int indicator) {
  static const LocalizedText kLabels[kIndicatorCount] = {
      {"Nybesök bedömda med Instrument X", "First visits assessed with Instrument X"},
      {"Beslut i tid efter komplett ansökan", "Decisions in time after a complete application"},
      {"Plan i tid efter nybesök", "Plans in time after the first visit"},
      {"Ny kategori kort efter första bedömningen", "Recategorised soon after the first assessment"},
      {"Del 1–2 ifyllda vid första bedömningen", "Parts 1–2 completed at the first assessment"},
  };
  return indicator >= 0 && indicator < kIndicatorCount ? kLabels[indicator] : LocalizedText{"?", "?"};
}

std::vector<KasExportRow> KasExportRows(const KasReport& kas) {
  std::vector<KasExportRow> rows;
  kas.ForEach([&](const std::string& kind, int category, int, int, int, int, int64_t) {
    rows.push_back({kind, category});
  });
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

namespace {

std::vector<LocalizedText> CategoryLabels() {
  std::vector<LocalizedText> labels;
  for (int c = 0; c < kReportCategoryCount; ++c) labels.push_back(CategoryLabel(c));
  return labels;
}

std::vector<LocalizedText> SexLabels() {
  return {SexLabel(0), SexLabel(1), SexLabel(2)};
}

CountTable MakeTable(std::string id, LocalizedText title, std::vector<LocalizedText> rows,
                     std::vector<LocalizedText> columns, bool row_totals = true,
                     bool column_totals = true) {
  CountTable t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.row_labels = std::move(rows);
  t.column_labels = std::move(columns);
  t.row_totals = row_totals;
  t.column_totals = column_totals;
  t.Allocate();
  return t;
}

// Per-sex tables for women and men, their sum ("women and men", linked cell by cell so a
// hidden cell cannot be recovered by subtraction), and a separate table for persons whose sex
// is other or not recorded. That group is small: linking it to the others would force hiding
// most of the women's and men's cells, so it is published on its own and not added in.
void AddSexSplit(Publication& p, const std::string& id, const LocalizedText& title,
                 const std::vector<LocalizedText>& rows, const std::vector<LocalizedText>& columns,
                 PercentOf percent, const std::function<int64_t(int sex, int row, int column)>& count) {
  const int first = static_cast<int>(p.tables.size());
  static const char* kSexIds[kSexGroupCount] = {"women", "men", "other"};
  auto table = [&](const std::string& suffix, const LocalizedText& who, const std::vector<int>& sexes) {
    CountTable t = MakeTable(id + "." + suffix, Concat(title, " — ", who), rows, columns);
    t.percent = percent;
    for (int r = 0; r < t.Rows(); ++r) {
      for (int c = 0; c < t.Columns(); ++c) {
        for (int s : sexes) t.At(r, c) += count(s, r, c);
      }
    }
    t.ComputeTotals();
    p.tables.push_back(std::move(t));
  };
  table(kSexIds[0], SexLabel(0), {0});
  table(kSexIds[1], SexLabel(1), {1});
  table("women_and_men", {"Kvinnor och män", "Women and men"}, {0, 1});
  const CountTable& both = p.tables.back();
  for (int r = 0; r < both.ExtRows(); ++r) {
    for (int c = 0; c < both.ExtColumns(); ++c) {
      p.links.push_back({{{first, r, c}, {first + 1, r, c}}, {first + 2, r, c}});
    }
  }
  table(kSexIds[2], SexLabel(2), {2});
}

// Title and period of a period report.
void PeriodHeader(Publication& p, LocalizedText title, const Reports& r) {
  p.title = std::move(title);
  p.parameters.emplace_back("from", FormatDay(r.options.from));
  p.parameters.emplace_back("to", FormatDay(r.options.to));
}

void PublishSnapshot(Publication& p, const Reports& r) {
  const SnapshotReport& s = r.snapshot;
  p.title = {"Ögonblicksbild: personer per kategori", "Snapshot: persons per category"};
  p.parameters.emplace_back("at", FormatDay(r.options.at));
  CountTable bysex = MakeTable("snapshot.category_by_sex", {"Kategori × kön", "Category × sex"},
                               CategoryLabels(), {SexLabel(0), SexLabel(1)});
  bysex.percent = PercentOf::kColumnTotal;
  CountTable other = MakeTable("snapshot.other", Concat({"Kategori", "Category"}, " — ", SexLabel(2)),
                               CategoryLabels(), {SexLabel(2)}, /*row_totals=*/false);
  for (int c = 0; c < kReportCategoryCount; ++c) {
    for (int x = 0; x < kSexGroupCount; ++x) {
      int64_t n = 0;
      for (int a = 0; a < s.ages; ++a) {
        for (int d = 0; d < s.durations; ++d) n += s.At(c, x, a, d);
      }
      if (x < 2) bysex.At(c, x) = n;
      else other.At(c, 0) = n;
    }
  }
  bysex.ComputeTotals();
  other.ComputeTotals();
  p.tables.push_back(std::move(bysex));
  p.tables.push_back(std::move(other));
  // Per sex: category × age band and category × time on assistance. Their row totals and
  // grand totals are cells of the category × sex table, and published as such.
  struct Dim {
    const char* id;
    LocalizedText title;
    const Bands* bands;
    bool age;
  };
  const Dim dims[] = {
      {"age", {"Kategori × åldersgrupp", "Category × age band"}, &r.options.age, true},
      {"duration", {"Kategori × tid med bistånd (månader)", "Category × time on assistance (months)"},
       &r.options.duration, false}};
  static const char* kSexIds[2] = {"women", "men"};
  for (const Dim& dim : dims) {
    std::vector<LocalizedText> columns;
    for (int i = 0; i < dim.bands->Count(); ++i) columns.push_back(dim.bands->Label(i));
    for (int x = 0; x < 2; ++x) {  // women and men (the other group is too small for detail)
      CountTable t = MakeTable(std::string("snapshot.category_by_") + dim.id + "." + kSexIds[x],
                               Concat(dim.title, " — ", SexLabel(x)), CategoryLabels(), columns);
      for (int c = 0; c < kReportCategoryCount; ++c) {
        for (int a = 0; a < s.ages; ++a) {
          for (int d = 0; d < s.durations; ++d) t.At(c, dim.age ? a : d) += s.At(c, x, a, d);
        }
      }
      t.ComputeTotals();
      const int index = static_cast<int>(p.tables.size());
      for (int c = 0; c <= kReportCategoryCount; ++c) {
        p.links.push_back({{{index, c, t.Columns()}}, {0, c, x}});
      }
      p.tables.push_back(std::move(t));
    }
  }
  p.notes.push_back({"Personer med pågående bistånd på datumet; kategori = senaste gällande "
                     "kategorisering; tid med bistånd = hela månader i följd utan uppehåll (som i handläggningen).",
                     "Persons with an open assistance period on the date; category = latest "
                     "effective categorisation; time on assistance = whole months in a row without a "
                     "break (as in casework)."});
}

void PublishMovements(Publication& p, const Reports& r) {
  p.title = {"Förflyttningar mellan kategorier", "Movements between categories"};
  p.parameters.emplace_back("from", FormatDay(r.options.from));
  p.parameters.emplace_back("to", FormatDay(r.options.to));
  std::vector<LocalizedText> rows = CategoryLabels();
  rows.push_back({"Nya", "New entrants"});
  std::vector<LocalizedText> columns = CategoryLabels();
  for (int e = 0; e < kExitReasonCount; ++e) columns.push_back(ExitLabel(static_cast<ExitReason>(e)));
  AddSexSplit(p, "movements", {"Från kategori (rad) till kategori eller avslut (kolumn)",
                               "From category (row) to category or exit (column)"},
              rows, columns, PercentOf::kRowTotal, [&](int s, int row, int column) {
                return r.movements.counts[static_cast<size_t>(s)][static_cast<size_t>(row)]
                                         [static_cast<size_t>(column)];
              });
  p.notes.push_back({"Rader: kategori vid periodens start eller ny; kolumner: kategori vid "
                     "periodens slut eller avslut efter orsak. Procent = andel av radsumman.",
                     "Rows: category at the start of the period or new entrant; columns: "
                     "category at the end or exit by reason. Percent = share of the row total."});
}

void PublishTrend(Publication& p, const Reports& r) {
  p.title = {"Personer med bistånd per månad", "Persons on assistance per month"};
  p.parameters.emplace_back("from", FormatDay(r.options.from));
  p.parameters.emplace_back("to", FormatDay(r.options.to));
  std::vector<LocalizedText> rows;
  for (Day d : r.trend.month_ends) {
    const std::string month = FormatDay(d).substr(0, 7);
    rows.push_back({month, month});
  }
  CountTable t = MakeTable("trend.by_sex", {"Månadens sista dag × kön", "Last day of month × sex"},
                           rows, SexLabels(), /*row_totals=*/true, /*column_totals=*/false);
  for (size_t m = 0; m < r.trend.counts.size(); ++m) {
    for (int s = 0; s < kSexGroupCount; ++s) {
      t.At(static_cast<int>(m), s) = r.trend.counts[m][static_cast<size_t>(s)];
    }
  }
  t.ComputeTotals();
  p.tables.push_back(std::move(t));
}

// A per-sex grid [sex][row][column] as the count function of AddSexSplit.
template <typename Grid>
std::function<int64_t(int, int, int)> FromGrid(const Grid& g) {
  return [&g](int sex, int row, int column) {
    return static_cast<int64_t>(g[static_cast<size_t>(sex)][static_cast<size_t>(row)][static_cast<size_t>(column)]);
  };
}

LocalizedText KindLabel(const std::string& kind) {
  if (kind == kKasOtherKinds) return {"(övriga insatstyper)", "(other kinds)"};
  return kind.empty() ? LocalizedText{"(insatstyp ej angiven)", "(kind not recorded)"} : LocalizedText{kind, kind};
}

// The total rows of two sex-split families (women, men, women and men, other) are the same
// counts: a published equality per cell.
void LinkTotalRows(Publication& p, int first, int other_first) {
  for (int j = 0; j < kSexGroupCount + 1; ++j) {
    const CountTable& a = p.tables[static_cast<size_t>(first + j)];
    const CountTable& b = p.tables[static_cast<size_t>(other_first + j)];
    for (int c = 0; c < a.ExtColumns(); ++c) {
      p.links.push_back({{{first + j, a.Rows(), c}}, {other_first + j, b.Rows(), c}});
    }
  }
}

void PublishKas(Publication& p, const Reports& r) {
  const KasReport& kas = r.kas;
  p.title = {"KAS: utfall av avslutade insatser efter behov vid start", "KAS: outcomes of ended interventions by need at start"};
  p.parameters.emplace_back("from", FormatDay(r.options.from));
  p.parameters.emplace_back("to", FormatDay(r.options.to));
  auto joined = [](const std::vector<std::string>& list) {
    std::string out;
    for (const std::string& item : list) out += (out.empty() ? "" : ",") + item;
    return out.empty() ? std::string("*") : out;
  };
  p.parameters.emplace_back("kas_actors", joined(r.options.kas_actors));
  p.parameters.emplace_back("kas_kinds", joined(r.options.kas_kinds));
  std::vector<LocalizedText> columns;
  for (int o = 0; o < kKasOutcomeCount; ++o) columns.push_back(KasLabel(o));
  const std::vector<KasExportRow> pairs = KasExportRows(kas);
  std::vector<std::string> kinds;
  for (const auto& [kind, counts] : kas.by_kind) kinds.push_back(kind);
  auto kind_index = [&](const std::string& kind) {
    return static_cast<int>(std::lower_bound(kinds.begin(), kinds.end(), kind) - kinds.begin());
  };
  // [sex][row][outcome] for each family, filled in one walk over the counts.
  using Grid = std::vector<std::vector<std::array<int64_t, kKasOutcomeCount>>>;
  auto grid = [](size_t rows) { return Grid(kSexGroupCount, std::vector<std::array<int64_t, kKasOutcomeCount>>(rows)); };
  // The category rows are the categories that occur: the kind / category table lists only the
  // pairs that occur, so a category row missing there would be a zero anyone can derive (the
  // totals of both add up to the same), and hiding it would protect nothing.
  std::vector<int> categories;
  for (const KasExportRow& row : pairs) categories.push_back(row.category);
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  auto category_index = [&](int category) {
    return static_cast<int>(std::lower_bound(categories.begin(), categories.end(), category) - categories.begin());
  };
  std::vector<LocalizedText> category_rows;
  for (int category : categories) category_rows.push_back(CategoryLabel(category));
  Grid by_category = grid(categories.size()), by_kind = grid(kinds.size()), by_pair = grid(pairs.size()),
       by_age = grid(static_cast<size_t>(kas.ages)), by_time = grid(static_cast<size_t>(kas.times));
  kas.ForEach([&](const std::string& kind, int category, int sex, int age, int time, int outcome, int64_t n) {
    const auto s = static_cast<size_t>(sex), o = static_cast<size_t>(outcome);
    by_category[s][static_cast<size_t>(category_index(category))][o] += n;
    by_kind[s][static_cast<size_t>(kind_index(kind))][o] += n;
    const auto pair = std::lower_bound(pairs.begin(), pairs.end(), KasExportRow{kind, category});
    by_pair[s][static_cast<size_t>(pair - pairs.begin())][o] += n;
    by_age[s][static_cast<size_t>(age)][o] += n;
    by_time[s][static_cast<size_t>(time)][o] += n;
  });
  std::vector<LocalizedText> kind_rows, pair_rows, age_rows, time_rows;
  for (const std::string& kind : kinds) kind_rows.push_back(KindLabel(kind));
  for (const KasExportRow& row : pairs) pair_rows.push_back(Concat(KindLabel(row.kind), " / ", CategoryLabel(row.category)));
  for (int a = 0; a < kas.ages; ++a) age_rows.push_back(r.options.age.Label(a));
  for (int t = 0; t < kas.times; ++t) time_rows.push_back(r.options.kas_time.Label(t));

  const int category_first = static_cast<int>(p.tables.size());
  AddSexSplit(p, "kas", {"Kategori vid insatsens start × utfall", "Category at the intervention's start × outcome"},
              category_rows, columns, PercentOf::kRowTotal, FromGrid(by_category));
  const int kind_first = static_cast<int>(p.tables.size());
  AddSexSplit(p, "kas.kind", {"Insatstyp × utfall", "Intervention kind × outcome"}, kind_rows, columns,
              PercentOf::kRowTotal, FromGrid(by_kind));
  LinkTotalRows(p, category_first, kind_first);
  const int pair_first = static_cast<int>(p.tables.size());
  AddSexSplit(p, "kas.kind_category", {"Insatstyp / kategori vid start × utfall", "Intervention kind / category at start × outcome"},
              pair_rows, columns, PercentOf::kRowTotal, FromGrid(by_pair));
  // Each kind's rows add up to its row of the kind table, each category's rows to its row of the
  // category table: published sums, so suppression must hold across them.
  for (int j = 0; j < kSexGroupCount + 1; ++j) {
    const CountTable& t = p.tables[static_cast<size_t>(pair_first + j)];
    for (int c = 0; c < t.ExtColumns(); ++c) {
      std::vector<std::vector<CellRef>> of_kind(kinds.size()), of_category(categories.size());
      for (size_t i = 0; i < pairs.size(); ++i) {
        const CellRef cell{pair_first + j, static_cast<int>(i), c};
        of_kind[static_cast<size_t>(kind_index(pairs[i].kind))].push_back(cell);
        of_category[static_cast<size_t>(category_index(pairs[i].category))].push_back(cell);
      }
      for (size_t k = 0; k < kinds.size(); ++k) p.links.push_back({of_kind[k], {kind_first + j, static_cast<int>(k), c}});
      for (size_t k = 0; k < categories.size(); ++k) {
        p.links.push_back({of_category[k], {category_first + j, static_cast<int>(k), c}});
      }
    }
  }
  const int age_first = static_cast<int>(p.tables.size());
  AddSexSplit(p, "kas.age", {"Ålder vid insatsens start × utfall", "Age at the intervention's start × outcome"},
              age_rows, columns, PercentOf::kRowTotal, FromGrid(by_age));
  LinkTotalRows(p, category_first, age_first);
  const int time_first = static_cast<int>(p.tables.size());
  AddSexSplit(p, "kas.time", {"Tid i insatsen (månader) × utfall", "Time in the intervention (months) × outcome"},
              time_rows, columns, PercentOf::kRowTotal, FromGrid(by_time));
  LinkTotalRows(p, category_first, time_first);

  p.notes.push_back({"Varje avslutad insats i urvalet räknas en gång (ett deltagande), i den kategori som gällde "
                     "den dag insatsen startade (behovet vid start, inte kategorin en uppföljning satte när den "
                     "avslutades). Urval: ansvarig aktör och insatstyp enligt parametrarna (* = alla). "
                     "Tid i insatsen = hela månader från start till slut.",
                     "Each ended intervention in scope counts once (a participation), in the category that "
                     "held on the day it started (the need at entry, not the category a follow-up set when it "
                     "ended). Scope: responsible actor and intervention kind as in the parameters (* = all). "
                     "Time in the intervention = whole months from start to end."});
  if (kas.out_of_scope > 0) {
    p.notes.push_back({"Insatser utanför urvalet som avslutades under perioden räknas inte.",
                       "Interventions outside the scope that ended in the period are not counted."});
  }
}

void PublishOutcomes(Publication& p, const Reports& r) {
  const OutcomesReport& out = r.outcomes;
  PeriodHeader(p, {"Utfall per insats och behov", "Outcomes by intervention and need"}, r);
  p.parameters.emplace_back("self_support_months", std::to_string(r.options.self_support_months));
  std::vector<LocalizedText> rows;
  for (const auto& [key, counts] : out.cells) rows.push_back(Concat(KindLabel(key.first), " / ", CategoryLabel(key.second)));
  // [sex][row][column] per family, from one walk over the cells.
  using Grid = std::vector<std::vector<std::vector<int64_t>>>;
  auto grid = [&](size_t columns) {
    return Grid(kSexGroupCount, std::vector<std::vector<int64_t>>(out.cells.size(), std::vector<int64_t>(columns)));
  };
  Grid self = grid(kSelfSupportColumns), kas = grid(kKasOutcomeCount), time = grid(static_cast<size_t>(out.times));
  size_t row = 0;
  for (const auto& [key, counts] : out.cells) {
    for (int s = 0; s < kSexGroupCount; ++s) {
      for (int y = 0; y < kSelfSupportColumns; ++y) {
        for (int t = 0; t < out.times; ++t) {
          for (int o = 0; o < kKasOutcomeCount; ++o) {
            const int64_t n = counts[out.Index(s, y, t, o)];
            const auto x = static_cast<size_t>(s);
            self[x][row][static_cast<size_t>(y)] += n;
            kas[x][row][static_cast<size_t>(o)] += n;
            time[x][row][static_cast<size_t>(t)] += n;
          }
        }
      }
    }
    ++row;
  }
  const std::string months = std::to_string(r.options.self_support_months);
  const int self_first = static_cast<int>(p.tables.size());
  AddSexSplit(p, "outcomes.self_support",
              core::FillText(Translated({"Insatstyp / kategori vid start: lämnat biståndet för egen försörjning inom {months} månader",
                                         "Intervention kind / category at start: left assistance for self-support within {months} months"}),
                             {{"months", core::Verbatim(months)}}),
              rows,
              {{"Egen försörjning (arbete, studier)", "Self-support (work, studies)"},
               {"Inte egen försörjning", "No self-support"}},
              PercentOf::kRowTotal, FromGrid(self));
  const int kas_first = static_cast<int>(p.tables.size());
  std::vector<LocalizedText> outcome_columns;
  for (int o = 0; o < kKasOutcomeCount; ++o) outcome_columns.push_back(KasLabel(o));
  AddSexSplit(p, "outcomes.kas", {"Insatstyp / kategori vid start × KAS-utfall", "Intervention kind / category at start × KAS outcome"},
              rows, outcome_columns, PercentOf::kRowTotal, FromGrid(kas));
  const int time_first = static_cast<int>(p.tables.size());
  std::vector<LocalizedText> time_columns;
  for (int t = 0; t < out.times; ++t) time_columns.push_back(r.options.kas_time.Label(t));
  AddSexSplit(p, "outcomes.time",
              {"Insatstyp / kategori vid start × tid i insatsen (månader)",
               "Intervention kind / category at start × time in the intervention (months)"},
              rows, time_columns, PercentOf::kRowTotal, FromGrid(time));
  // The three families count the same participants: their total columns are equal, row by row.
  for (int j = 0; j < kSexGroupCount + 1; ++j) {
    const CountTable& base = p.tables[static_cast<size_t>(self_first + j)];
    for (int first : {kas_first, time_first}) {
      const CountTable& t = p.tables[static_cast<size_t>(first + j)];
      for (int rr = 0; rr < t.ExtRows(); ++rr) {
        p.links.push_back({{{first + j, rr, t.Columns()}}, {self_first + j, rr, base.Columns()}});
      }
    }
  }
  // Outcome against the targets per need group: the AM1–AM3 rows of the KAS outcomes summed, so
  // linked to them for disclosure control.
  const int target_first = static_cast<int>(p.tables.size());
  std::vector<LocalizedText> target_rows;
  std::string targets_text;
  for (int level = 0; level < 3; ++level) {
    const LocalizedText am = CategoryLabel(level);
    const int target = r.options.outcome_targets[static_cast<size_t>(level)];
    const std::string t = target < 0 ? "" : std::to_string(target);
    target_rows.push_back(target < 0 ? Concat(am, " ", {"(inget mål)", "(no target)"})
                                     : Concat(am, " ", core::FillText(Translated({"(mål {target} %)", "(target {target} %)"}),
                                                                      {{"target", core::Verbatim(t)}})));
    targets_text += (level > 0 ? "," : "") + std::string(level == 0 ? "am1:" : level == 1 ? "am2:" : "am3:") +
                    (target < 0 ? "-" : t);
  }
  p.parameters.emplace_back("outcome_targets", targets_text);
  AddSexSplit(p, "outcomes.targets",
              {"Behov vid start (mål): till arbete eller studier, andel av deltagarna",
               "Need at start (target): to work or studies, share of the participants"},
              target_rows, {{"Arbete eller studier", "Work or studies"}, {"Annat utfall", "Other outcome"}},
              PercentOf::kRowTotal, FromGrid(out.targets));
  for (int j = 0; j < kSexGroupCount + 1; ++j) {
    const CountTable& kas_table = p.tables[static_cast<size_t>(kas_first + j)];
    const CountTable& target_table = p.tables[static_cast<size_t>(target_first + j)];
    for (int level = 0; level < 3; ++level) {
      std::vector<CellRef> reached, other, all;
      int rr = 0;
      for (const auto& [key, counts] : out.cells) {
        if (key.second == level) {
          for (int o = 0; o < kKasOutcomeCount; ++o) (WorkOrStudies(o) ? reached : other).push_back({kas_first + j, rr, o});
          all.push_back({kas_first + j, rr, kas_table.Columns()});
        }
        ++rr;
      }
      p.links.push_back({reached, {target_first + j, level, 0}});
      p.links.push_back({other, {target_first + j, level, 1}});
      p.links.push_back({all, {target_first + j, level, target_table.Columns()}});
    }
  }
  p.notes.push_back({"Mål per behovsgrupp (profilens data; standardprofilen har källornas exempel: 80 % av AM1, 60 % av "
                     "AM2 och 40 % av AM3 till arbete eller studier): andelen deltagare vars insats avslutades med "
                     "arbete utan eller med stöd eller studier, i kategorin vid insatsens start.",
                     "Targets per need group (profile data; the default profile holds the sources' example: 80 % of "
                     "AM1, 60 % of AM2 and 40 % of AM3 to work or studies): the share of participants whose "
                     "intervention ended in unsubsidised or subsidised work or studies, in the category at its start."});
  p.notes.push_back(core::FillText(
      Translated({"Alla insatser (alla aktörer) som avslutades under perioden, i kategorin som gällde när insatsen "
                  "startade. Egen försörjning: en biståndsperiod avslutades med orsak arbete eller studier mellan "
                  "insatsens start och {months} månader efter dess slut (så långt händelserna räcker).",
                  "Every intervention (any actor) that ended in the period, in the category that held when it "
                  "started. Self-support: an assistance period ended with reason work or studies between the "
                  "intervention's start and {months} months after its end (as far as the events reach)."}),
      {{"months", core::Verbatim(months)}}));
}

void PublishLeadTimes(Publication& p, const Reports& r) {
  const LeadTimesReport& lt = r.lead_times;
  PeriodHeader(p, {"Ledtider: nybesök, ansökan, beslut, plan, insats", "Lead times: first visit, application, decision, plan, intervention"}, r);
  p.parameters.emplace_back("passive_days", std::to_string(r.options.passive_days));
  const Bands& bands = r.options.lead_time;
  // One histogram of days for a step, the categories (all when category < 0) and sexes given.
  auto histogram = [&](int step, int category, const std::vector<int>& sexes) {
    std::vector<uint64_t> h(kMaxLeadDays + 1, 0);
    for (int c = 0; c < kReportCategoryCount; ++c) {
      if (category >= 0 && c != category) continue;
      for (int s : sexes) {
        const size_t at = LeadTimesReport::Offset(step, c, s);
        for (size_t d = 0; d <= kMaxLeadDays; ++d) h[d] += lt.days[at + d];
      }
    }
    return h;
  };
  // The quantile tables come first (what a reader looks for); each cell names the count it is
  // computed from: the step's table for the same sexes, the category's row (or the total row
  // for all categories), the total column. Count tables follow, four per step (AddSexSplit).
  static const char* kSexIds[3] = {"women", "men", "women_and_men"};
  static const LocalizedText kSexTitles[3] = {SexLabel(0), SexLabel(1), {"Kvinnor och män", "Women and men"}};
  const std::vector<std::vector<int>> kSexSets = {{0}, {1}, {0, 1}};
  constexpr int kMeasureTables = 6;  // median and 90th percentile × women, men, women and men
  const int counts_first = static_cast<int>(p.tables.size()) + kMeasureTables;
  std::vector<LocalizedText> rows = CategoryLabels();
  rows.push_back({"Alla kategorier", "All categories"});
  std::vector<LocalizedText> step_columns;
  for (int step = 0; step < kLeadStepCount; ++step) step_columns.push_back(LeadStepLabel(step));
  struct Quantile {
    const char* id;
    LocalizedText title;
    int numerator, denominator, min_basis;
  };
  // A 90th percentile of fewer than 10 values (position floor((n - 1) * 0.9)) is the second-largest
  // value, or the only one: one of the top persons' own value, so it needs at least 10.
  const Quantile quantiles[] = {{"median", {"Median (dagar)", "Median (days)"}, 1, 2, 0},
                                {"p90", {"90:e percentil (dagar)", "90th percentile (days)"}, 9, 10, 10}};
  for (const Quantile& q : quantiles) {
    for (int x = 0; x < 3; ++x) {
      CountTable t = MakeTable(std::string("lead_times.") + q.id + "." + kSexIds[x],
                               Concat(Concat(q.title, ", ", {"per kategori vid nybesöket", "by category at the first visit"}),
                                      " — ", kSexTitles[x]),
                               rows, step_columns, /*row_totals=*/false, /*column_totals=*/false);
      t.measure = true;
      t.basis.resize(t.cells.size());
      t.min_basis.assign(t.cells.size(), q.min_basis);
      for (int row = 0; row < t.Rows(); ++row) {
        const int category = row < kReportCategoryCount ? row : -1;
        for (int step = 0; step < kLeadStepCount; ++step) {
          t.At(row, step) = QuantileDays(histogram(step, category, kSexSets[static_cast<size_t>(x)]), q.numerator,
                                         q.denominator);
          // AddSexSplit's order: women, men, women and men, other; inner rows = categories.
          t.basis[t.Index(row, step)] = {counts_first + step * (kSexGroupCount + 1) + x,
                                         category < 0 ? kReportCategoryCount : category, bands.Count()};
        }
      }
      p.tables.push_back(std::move(t));
    }
  }
  std::vector<LocalizedText> band_columns;
  for (int b = 0; b < bands.Count(); ++b) band_columns.push_back(Concat(bands.Label(b), " ", {"dagar", "days"}));
  for (int step = 0; step < kLeadStepCount; ++step) {
    // [sex][category][band], from the histograms.
    std::vector<std::vector<std::vector<int64_t>>> grid(
        kSexGroupCount, std::vector<std::vector<int64_t>>(kReportCategoryCount, std::vector<int64_t>(static_cast<size_t>(bands.Count()))));
    for (int s = 0; s < kSexGroupCount; ++s) {
      for (int c = 0; c < kReportCategoryCount; ++c) {
        const size_t at = LeadTimesReport::Offset(step, c, s);
        for (int d = 0; d <= kMaxLeadDays; ++d) {
          grid[static_cast<size_t>(s)][static_cast<size_t>(c)][static_cast<size_t>(bands.Index(d))] +=
              lt.days[at + static_cast<size_t>(d)];
        }
      }
    }
    AddSexSplit(p, std::string("lead_times.") + LeadStepCode(step),
                Concat(LeadStepLabel(step), ": ",
                       step == static_cast<int>(LeadStep::kInterventionGap)
                           ? LocalizedText{"dagar, per kategori när nästa insats startade", "days, by category when the next intervention started"}
                           : LocalizedText{"dagar, per kategori vid nybesöket", "days, by category at the first visit"}),
                CategoryLabels(), band_columns, PercentOf::kRowTotal, FromGrid(grid));
  }
  const std::string n = std::to_string(r.options.passive_days);
  const auto days = [&n](const LocalizedText& pattern) {
    return core::FillText(Translated(pattern), {{"days", core::Verbatim(n)}});
  };
  AddSexSplit(p, "lead_times.passive",
              core::FillText(Translated({"Vuxna i AM2/AM3 med bistånd den {date}: aktiv insats eller dagar utan",
                                         "Adults in AM2/AM3 on assistance on {date}: active intervention or days without"}),
                             {{"date", core::Verbatim(FormatDay(r.options.to))}}),
              {CategoryLabel(static_cast<int>(ReportCategory::kAm2)), CategoryLabel(static_cast<int>(ReportCategory::kAm3))},
              {{"Aktiv insats", "Active intervention"},
               days({"Utan insats högst {days} dagar", "No intervention, at most {days} days"}),
               days({"Utan insats mer än {days} dagar", "No intervention for more than {days} days"})},
              PercentOf::kRowTotal, FromGrid(lt.passive));
  p.notes.push_back({"Ledtid = dagar från ett steg till nästa i kedjan nybesök → komplett ansökan → beslut → plan → första "
                     "insats (varje steg det första på eller efter det förra, före nästa nybesök), räknad när det senare "
                     "steget inföll under perioden, i kategorin som gällde på nybesöksdagen. Glapp = dagar utan insats "
                     "mellan två insatser inom samma biståndsperiod. Median och 90:e percentil visas bara när antalet "
                     "bakom dem visas och är minst tröskeln (90:e percentilen: minst 10).",
                     "Lead time = days from one step to the next in the chain first visit → complete application → "
                     "decision → plan → first intervention (each step the first on or after the previous one, before the "
                     "next first visit), counted when the later step fell in the period, in the category on the day of "
                     "the first visit. Gap = days without an intervention between two interventions in the same "
                     "assistance period. Medians and 90th percentiles are shown only when the count behind them is shown "
                     "and at least the threshold (90th percentile: at least 10)."});
}

void PublishIndicators(Publication& p, const Reports& r) {
  const IndicatorsReport& ind = r.indicators;
  PeriodHeader(p, {"Indikatorer", "Indicators"}, r);
  p.parameters.emplace_back("assessed_within_days", std::to_string(r.options.assessed_within_days));
  p.parameters.emplace_back("recategorisation_months", std::to_string(r.options.recategorisation_months));
  std::vector<LocalizedText> rows;
  for (int i = 0; i < kIndicatorCount; ++i) rows.push_back(IndicatorLabel(i));
  AddSexSplit(p, "indicators", {"Indikator: uppfyllt eller inte (andel av raden)", "Indicator: met or not (share of the row)"},
              rows, {{"Uppfyllt", "Met"}, {"Inte uppfyllt", "Not met"}}, PercentOf::kRowTotal, FromGrid(ind.counts));
  AddSexSplit(p, "indicators.am_steps",
              {"Steg på AM-skalan mellan två bedömningar, efter AM-nivå vid den första",
               "Steps on the AM scale between two assessments, by AM level at the first"},
              {{"AM1", "AM1"},
               {"AM2", "AM2"}, {"AM3", "AM3"}},
              {{"Närmare arbete", "Closer to work"}, {"Oförändrad", "Unchanged"}, {"Längre från arbete", "Further from work"}},
              PercentOf::kRowTotal, FromGrid(ind.am_steps));
  AddSexSplit(p, "indicators.recorded",
              {"Bedömningar under perioden vars händelse anger uppgiften", "Assessments in the period whose event records the fact"},
              {{"Ifyllda delar (första bedömningen)", "Parts completed (first assessment)"},
               {"Handläggarens och klientens bedömning", "Caseworker's and client's assessments"},
               {"De sex AM-skattningarna", "The six AM ratings"}},
              {{"Angiven", "Recorded"}, {"Inte angiven", "Not recorded"}}, PercentOf::kRowTotal, FromGrid(ind.recorded));
  std::vector<LocalizedText> units;
  std::vector<const std::array<std::array<int64_t, 4>, kSexGroupCount>*> unit_counts;
  for (const auto& [unit, counts] : ind.views_by_unit) {
    units.push_back(unit.empty() ? LocalizedText{"(ingen enhet)", "(no unit)"} : LocalizedText{unit, unit});
    unit_counts.push_back(&counts);
  }
  // [sex][unit][column] from the per-unit counts, columns `first` and `first + 1`.
  auto by_unit = [&unit_counts](int first) {
    return [&unit_counts, first](int sex, int row, int column) {
      return (*unit_counts[static_cast<size_t>(row)])[static_cast<size_t>(sex)][static_cast<size_t>(first + column)];
    };
  };
  AddSexSplit(p, "indicators.self_assessment",
              {"Bedömningar med klientens självskattning, per enhet", "Assessments with the client's self-assessment, by unit"},
              units, {{"Med självskattning", "With self-assessment"}, {"Utan självskattning", "Without self-assessment"}},
              PercentOf::kRowTotal, by_unit(0));
  AddSexSplit(p, "indicators.disagreement",
              {"Handläggare och klient bedömde båda: samma eller olika kategori, per enhet",
               "Caseworker and client both assessed: same or different category, by unit"},
              units, {{"Samma", "Agree"}, {"Olika", "Differ"}}, PercentOf::kRowTotal, by_unit(2));
  AddSexSplit(p, "indicators.ratings",
              {"Förändring i varje AM-skattning mellan två bedömningar", "Change in each AM rating between two assessments"},
              {{"Utbildning", "Education"},
               {"Svenska", "Swedish"},
               {"Arbetslivserfarenhet", "Work experience"},
               {"Hälsa", "Health"},
               {"Motivation", "Motivation"},
               {"Arbetssökande", "Job seeking"}},
              {{"Närmare arbete", "Closer to work"}, {"Oförändrad", "Unchanged"}, {"Längre från arbete", "Further from work"}},
              PercentOf::kRowTotal, FromGrid(ind.rating_steps));
  p.notes.push_back({"Uppfyllt/inte uppfyllt räknas när fristen (eller nybesöket) inföll under perioden. Besluts- och "
                     "planfristerna är profilens processklockor. Ifyllda delar, båda bedömningarna och AM-skattningarna "
                     "finns bara i nyare händelser: en bedömning vars händelse saknar uppgiften räknas som inte angiven "
                     "och ingår inte i andelen. Olika kategori = olika AM-nivå eller olika R-typer. Enhet = den "
                     "ansvariga enheten på bedömningsdagen.",
                     "Met / not met is counted when the deadline (or the first visit) fell in the period. The decision "
                     "and plan deadlines are the profile's process clocks. Parts completed, both assessments and the AM "
                     "ratings are in newer events only: an assessment whose event lacks the fact counts as not "
                     "recorded and is left out of the share. Different category = a different AM level or different "
                     "R kinds. Unit = the unit responsible on the day of the assessment."});
}

void PublishEquality(Publication& p, const Reports& r) {
  const EqualityReport& e = r.equality;
  p.title = {"Jämställdhetsmonitor", "Equality monitor"};
  p.parameters.emplace_back("from", FormatDay(r.options.from));
  p.parameters.emplace_back("to", FormatDay(r.options.to));
  char threshold[32];
  std::snprintf(threshold, sizeof threshold, "%.1f", r.options.equality_threshold_pp);
  p.parameters.emplace_back("threshold_pp", threshold);
  const std::vector<LocalizedText> columns = {
      {"Kvinnor: personer med insats", "Women: persons with an intervention"},
      {"Kvinnor: arbetsinriktad", "Women: work-oriented"},
      {"Kvinnor: rehabiliterande", "Women: rehabilitative"},
      {"Män: personer med insats", "Men: persons with an intervention"},
      {"Män: arbetsinriktad", "Men: work-oriented"},
      {"Män: rehabiliterande", "Men: rehabilitative"}};
  CountTable t = MakeTable("equality.interventions",
                           {"Insatser som startade under perioden, per kategori",
                            "Interventions started in the period, per category"},
                           CategoryLabels(), columns, false, false);
  for (int c = 0; c < kReportCategoryCount; ++c) {
    for (int s = 0; s < 2; ++s) {
      const EqualityCounts& n = e.interventions[static_cast<size_t>(c)][static_cast<size_t>(s)];
      t.At(c, 3 * s) = n.persons;
      t.At(c, 3 * s + 1) = n.work;
      t.At(c, 3 * s + 2) = n.rehabilitative;
    }
  }
  p.tables.push_back(std::move(t));
  CountTable amrh = MakeTable("equality.am_rh",
                              {"Kategoriserade personer med bistånd vid periodens slut",
                               "Categorised persons on assistance at the end of the period"},
                              {SexLabel(0), SexLabel(1)},
                              {{"Kategoriserade", "Categorised"}, {"Med RH", "With RH"}}, false, false);
  for (int s = 0; s < 2; ++s) {
    amrh.At(s, 0) = e.categorised[static_cast<size_t>(s)];
    amrh.At(s, 1) = e.with_rh[static_cast<size_t>(s)];
  }
  p.tables.push_back(std::move(amrh));
  for (const EqualityFlag& f : e.flags) {
    PublishedFlag pf{f, {}, {}, {}, {}};
    if (f.category < 0) {
      pf.women_count = {1, 0, 1};
      pf.women_base = {1, 0, 0};
      pf.men_count = {1, 1, 1};
      pf.men_base = {1, 1, 0};
    } else {
      const int k = f.measure == "work_oriented_share" ? 1 : 2;
      pf.women_count = {0, f.category, k};
      pf.women_base = {0, f.category, 0};
      pf.men_count = {0, f.category, 3 + k};
      pf.men_base = {0, f.category, 3};
    }
    p.flags.push_back(pf);
  }
  p.notes.push_back({"Flaggor: skillnad mellan kvinnors och mäns andel större än tröskeln, "
                     "inom samma kategori (insatser) eller bland alla kategoriserade (RH).",
                     "Flags: difference between women's and men's share above the threshold, "
                     "within the same category (interventions) or among all categorised (RH)."});
}

void PublishCaseload(Publication& p, const Reports& r) {
  p.title = {"Ärendebelastning per handläggare", "Caseload per caseworker"};
  p.parameters.emplace_back("at", FormatDay(r.options.at));
  std::vector<LocalizedText> rows;
  for (const auto& [caseworker, counts] : r.caseload.open) {
    rows.push_back(caseworker.empty() ? LocalizedText{"(ej tilldelad)", "(not assigned)"}
                                      : LocalizedText{caseworker, caseworker});
  }
  CountTable t = MakeTable("caseload.open_by_category",
                           {"Öppna ärenden per handläggare och kategori",
                            "Open cases per caseworker and category"},
                           rows, CategoryLabels());
  int row = 0;
  for (const auto& [caseworker, counts] : r.caseload.open) {
    for (int c = 0; c < kReportCategoryCount; ++c) t.At(row, c) = counts[static_cast<size_t>(c)];
    ++row;
  }
  t.ComputeTotals();
  p.tables.push_back(std::move(t));

  // The columns are the profile's clocks the events drive, with the profile's labels.
  std::vector<LocalizedText> columns;
  for (const auto& label : r.caseload.clock_labels) {
    columns.push_back(Concat(label, ": ", {"försenad", "overdue"}));
    columns.push_back(Concat(label, ": ", {"snart", "due soon"}));
  }
  std::vector<LocalizedText> due_rows;
  for (const auto& [caseworker, counts] : r.caseload.due) {
    due_rows.push_back(caseworker.empty() ? LocalizedText{"(ej tilldelad)", "(not assigned)"}
                                          : LocalizedText{caseworker, caseworker});
  }
  CountTable due = MakeTable("caseload.due", {"Vad som förfaller (processklockor)",
                                              "What is due (process clocks)"},
                             due_rows, columns, /*row_totals=*/false, /*column_totals=*/true);
  row = 0;
  for (const auto& [caseworker, counts] : r.caseload.due) {
    for (size_t k = 0; k < counts.overdue.size(); ++k) {
      due.At(row, static_cast<int>(2 * k)) = counts.overdue[k];
      due.At(row, static_cast<int>(2 * k + 1)) = counts.due_soon[k];
    }
    ++row;
  }
  due.ComputeTotals();
  p.tables.push_back(std::move(due));
  p.parameters.emplace_back("due_soon_days", std::to_string(r.options.due_soon_days));
  p.notes.push_back({"Försenad: förfallodagen har passerat utan att steget är gjort; snart: "
                     "förfaller inom angivet antal dagar. Beslutsklockan kräver ansökningsdatum "
                     "som händelserna inte innehåller; erbjudande om DUR/ASI registreras ännu inte "
                     "som händelse.",
                     "Overdue: the due date has passed and the step is not done; due soon: due "
                     "within the given number of days. The decision clock needs application "
                     "dates that events do not carry; a DUR/ASI offer is not an event yet."});
}

}  // namespace

Publication Publish(ReportKind kind, const Reports& reports) {
  Publication p;
  p.kind = kind;
  switch (kind) {
    case ReportKind::kSnapshot: PublishSnapshot(p, reports); break;
    case ReportKind::kMovements: PublishMovements(p, reports); break;
    case ReportKind::kTrend: PublishTrend(p, reports); break;
    case ReportKind::kKas: PublishKas(p, reports); break;
    case ReportKind::kOutcomes: PublishOutcomes(p, reports); break;
    case ReportKind::kLeadTimes: PublishLeadTimes(p, reports); break;
    case ReportKind::kIndicators: PublishIndicators(p, reports); break;
    case ReportKind::kEquality: PublishEquality(p, reports); break;
    case ReportKind::kCaseload: PublishCaseload(p, reports); break;
  }
  if (!reports.options.unit.empty()) p.parameters.emplace_back("unit", reports.options.unit);
  if (!reports.options.caseworker.empty()) {
    p.parameters.emplace_back("caseworker", reports.options.caseworker);
  }
  ShowAll(p.tables);
  return p;
}

void Protect(Publication& p, bool internal, int threshold) {
  p.threshold = threshold;
  p.disclosure_control = !internal;
  if (internal) {
    ShowAll(p.tables);
  } else {
    Suppress(p.tables, p.links, threshold);
  }
}

std::string CellText(const Publication& p, const CountTable& t, int row, int column) {
  switch (t.StatusAt(row, column)) {
    case CellStatus::kPrimary: return "<" + std::to_string(p.threshold);
    case CellStatus::kSecondary: return "..";
    case CellStatus::kShown: break;
  }
  return std::to_string(t.At(row, column));
}

std::optional<int64_t> CellDenominator(const CountTable& t, int row, int column) {
  int r = row, c = column;
  if (t.percent == PercentOf::kRowTotal && t.row_totals) {
    c = t.Columns();
  } else if (t.percent == PercentOf::kColumnTotal && t.column_totals) {
    r = t.Rows();
  } else {
    return std::nullopt;
  }
  if (t.StatusAt(r, c) != CellStatus::kShown) return std::nullopt;
  return t.At(r, c);
}

std::optional<double> CellPercent(const CountTable& t, int row, int column) {
  if (t.StatusAt(row, column) != CellStatus::kShown) return std::nullopt;
  const auto d = CellDenominator(t, row, column);
  if (!d || *d == 0) return std::nullopt;
  return 100.0 * static_cast<double>(t.At(row, column)) / static_cast<double>(*d);
}

}  // namespace ix::statistics
