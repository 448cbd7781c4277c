#include <ix/statistics/publication.hpp>

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

LocalizedText Concat(const LocalizedText& a, const char* sep, const LocalizedText& b) {
  return {a.sv + sep + b.sv, a.en + sep + b.en};
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

void PublishKas(Publication& p, const Reports& r) {
  p.title = {"KAS-utfall för avslutade insatser", "KAS outcomes of ended interventions"};
  p.parameters.emplace_back("from", FormatDay(r.options.from));
  p.parameters.emplace_back("to", FormatDay(r.options.to));
  std::vector<LocalizedText> columns;
  for (int o = 0; o < kKasOutcomeCount; ++o) columns.push_back(KasLabel(o));
  AddSexSplit(p, "kas", {"Kategori × utfall", "Category × outcome"}, CategoryLabels(), columns,
              PercentOf::kRowTotal, [&](int s, int row, int column) {
                return r.kas.counts[static_cast<size_t>(row)][static_cast<size_t>(s)]
                                   [static_cast<size_t>(column)];
              });
  p.notes.push_back({"En person räknas en gång: utfallet av personens sista insats som avslutades "
                     "under perioden, i kategorin som gällde den dagen.",
                     "Each person counts once: the outcome of their last intervention that ended "
                     "in the period, in the category that held on that day."});
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
