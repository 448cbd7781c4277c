// Lead times, gaps between interventions and passive AM2/AM3 adults: hand-computed cases, and
// the disclosure rules of the medians and 90th percentiles.
#include "test_util.hpp"

#include <ix/statistics/publication.hpp>
#include <ix/statistics/render.hpp>
#include <ix/statistics/reports.hpp>
#include <ix/store/reports.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace ix::test {
namespace {

using stats::AmLevel;
using stats::CellStatus;
using stats::LeadStep;
using stats::Milestone;
using stats::Orientation;
using stats::ReportCategory;

stats::ReportOptions Year2023() {
  stats::ReportOptions o;
  o.from = D("2023-01-01");
  o.to = o.at = D("2023-12-31");
  return o;
}

stats::Reports Compute(const std::vector<P>& persons, stats::ReportOptions o = Year2023()) {
  stats::ReportEngine engine(std::move(o));
  for (const P& p : persons) engine.Add(p.h);
  return engine.Finish();
}

// The days counted for a step, category and sex, in day order (one entry per lead time).
std::vector<int> Values(const stats::Reports& r, LeadStep step, ReportCategory category, stats::SexGroup sex) {
  std::vector<int> out;
  const size_t at = stats::LeadTimesReport::Offset(static_cast<int>(step), static_cast<int>(category), static_cast<int>(sex));
  for (int d = 0; d <= stats::kMaxLeadDays; ++d) {
    for (uint32_t n = 0; n < r.lead_times.days[at + static_cast<size_t>(d)]; ++n) out.push_back(d);
  }
  return out;
}

int64_t Total(const stats::Reports& r) {
  int64_t n = 0;
  for (uint32_t c : r.lead_times.days) n += c;
  return n;
}

const stats::CountTable& Table(const stats::Publication& p, const std::string& id) {
  for (const stats::CountTable& t : p.tables) {
    if (t.id == id) return t;
  }
  ADD_FAILURE() << "no table " << id;
  static const stats::CountTable kNone;
  return kNone;
}

// The case, worked by hand (2023, passive limit 90 days):
// A, a woman in AM2: first visit 01-10, complete application 01-20 (10 days), decision 01-27
//   (7), plan 03-01 (33), first intervention 03-15 (14 after the plan, 64 after the visit),
//   ends 06-30; the next starts 08-01 (gap: the 31 days of July), ends 09-30. On 12-31 no
//   intervention since 10-01: 92 days, passive.
// B, a man in AM3: first visit 2022-12-20, application 2023-01-05 (16), decision 01-19 (14),
//   no plan; an intervention from 02-01 (43 days after the visit), still open on 12-31: active.
// C, a woman in AM3: first visit 02-01, application 02-03 (2), no decision before her next
//   first visit 05-01, whose chain has application 05-02 (1) and decision 05-10 (8). No
//   intervention: passive for the whole year (365 days).
// D, a man never categorised: first visit and application in 2022 (outside the period), first
//   intervention 2023-01-10 (70 days after the visit); a second intervention in a later
//   assistance period (no gap counted across periods) and a third overlapping it (gap 0).
std::vector<P> Case() {
  P a(kW);
  a.Period("2023-01-01").Cat("2023-01-10", AmLevel::kAm2)
      .Milestone("2023-01-10", Milestone::kFirstVisit).Milestone("2023-01-20", Milestone::kCompleteApplication)
      .Milestone("2023-01-27", Milestone::kDecision).Milestone("2023-03-01", Milestone::kPlan)
      .Intervention("2023-03-15", "2023-06-30", Orientation::kWork)
      .Intervention("2023-08-01", "2023-09-30", Orientation::kWork);
  P b(kM);
  b.Period("2022-06-01").Cat("2022-06-01", AmLevel::kAm3)
      .Milestone("2022-12-20", Milestone::kFirstVisit).Milestone("2023-01-05", Milestone::kCompleteApplication)
      .Milestone("2023-01-19", Milestone::kDecision).Intervention("2023-02-01", nullptr, Orientation::kWork);
  P c(kW);
  c.Period("2023-01-01").Cat("2023-02-01", AmLevel::kAm3)
      .Milestone("2023-02-01", Milestone::kFirstVisit).Milestone("2023-02-03", Milestone::kCompleteApplication)
      .Milestone("2023-05-01", Milestone::kFirstVisit).Milestone("2023-05-02", Milestone::kCompleteApplication)
      .Milestone("2023-05-10", Milestone::kDecision);
  P d(kM);
  d.Period("2022-11-01", "2023-03-31", stats::ExitReason::kOther).Period("2023-06-01")
      .Milestone("2022-11-01", Milestone::kFirstVisit).Milestone("2022-11-05", Milestone::kCompleteApplication)
      .Intervention("2023-01-10", "2023-03-31", Orientation::kWork)
      .Intervention("2023-06-15", "2023-07-15", Orientation::kWork)
      .Intervention("2023-07-10", "2023-08-31", Orientation::kWork);
  return {a, b, c, d};
}

constexpr auto kWomen = stats::SexGroup::kWomen;
constexpr auto kMen = stats::SexGroup::kMen;

TEST(LeadTimes, HandComputedChainGapsAndPassiveAdults) {
  const stats::Reports r = Compute(Case());
  using V = std::vector<int>;
  EXPECT_EQ(Values(r, LeadStep::kVisitToApplication, ReportCategory::kAm2, kWomen), V{10});
  EXPECT_EQ(Values(r, LeadStep::kVisitToApplication, ReportCategory::kAm3, kWomen), (V{1, 2}));
  EXPECT_EQ(Values(r, LeadStep::kVisitToApplication, ReportCategory::kAm3, kMen), V{16});
  EXPECT_EQ(Values(r, LeadStep::kApplicationToDecision, ReportCategory::kAm2, kWomen), V{7});
  EXPECT_EQ(Values(r, LeadStep::kApplicationToDecision, ReportCategory::kAm3, kWomen), V{8});
  EXPECT_EQ(Values(r, LeadStep::kApplicationToDecision, ReportCategory::kAm3, kMen), V{14});
  EXPECT_EQ(Values(r, LeadStep::kDecisionToPlan, ReportCategory::kAm2, kWomen), V{33});
  EXPECT_EQ(Values(r, LeadStep::kPlanToIntervention, ReportCategory::kAm2, kWomen), V{14});
  EXPECT_EQ(Values(r, LeadStep::kVisitToIntervention, ReportCategory::kAm2, kWomen), V{64});
  EXPECT_EQ(Values(r, LeadStep::kVisitToIntervention, ReportCategory::kAm3, kMen), V{43});
  EXPECT_EQ(Values(r, LeadStep::kVisitToIntervention, ReportCategory::kNotCategorised, kMen), V{70});
  EXPECT_EQ(Values(r, LeadStep::kInterventionGap, ReportCategory::kAm2, kWomen), V{31});
  EXPECT_EQ(Values(r, LeadStep::kInterventionGap, ReportCategory::kNotCategorised, kMen), V{0});
  EXPECT_EQ(Total(r), 14);  // nothing else: D's 2022 application and cross-period gap are out
  // Passive on 12-31: [sex][AM2, AM3][active, ≤ 90 days, > 90 days].
  const auto& passive = r.lead_times.passive;
  EXPECT_EQ(passive[0][0], (std::array<int64_t, 3>{0, 0, 1}));  // A
  EXPECT_EQ(passive[0][1], (std::array<int64_t, 3>{0, 0, 1}));  // C
  EXPECT_EQ(passive[1][1], (std::array<int64_t, 3>{1, 0, 0}));  // B
  EXPECT_EQ(passive[1][0], (std::array<int64_t, 3>{0, 0, 0}));
  // With a limit of 92 days A (exactly 92) is no longer beyond it; C (365) still is.
  stats::ReportOptions o = Year2023();
  o.passive_days = 92;
  const stats::Reports limit = Compute(Case(), o);
  EXPECT_EQ(limit.lead_times.passive[0][0], (std::array<int64_t, 3>{0, 1, 0}));
  EXPECT_EQ(limit.lead_times.passive[0][1], (std::array<int64_t, 3>{0, 0, 1}));
}

TEST(LeadTimes, QuantilesArePositionsOfTheSortedValues) {
  // floor((n − 1) · q): n = 4 → median at 1, 90th percentile at 2.
  std::vector<uint64_t> h(stats::kMaxLeadDays + 1, 0);
  for (int d : {1, 2, 10, 16}) h[static_cast<size_t>(d)] += 1;
  EXPECT_EQ(stats::QuantileDays(h, 1, 2), 2);
  EXPECT_EQ(stats::QuantileDays(h, 9, 10), 10);
  h.assign(h.size(), 0);
  EXPECT_EQ(stats::QuantileDays(h, 1, 2), -1);
  h[5] = 15;  // n = 15: median at 7, 90th at floor(14 · 0.9) = 12 — all 5
  h[6] = 5;   // n = 20: median at floor(19/2) = 9 → 5; 90th at floor(17.1) = 17 → 6
  EXPECT_EQ(stats::QuantileDays(h, 1, 2), 5);
  EXPECT_EQ(stats::QuantileDays(h, 9, 10), 6);
}

TEST(LeadTimes, PublishedTablesInternal) {
  stats::Publication p = stats::Publish(stats::ReportKind::kLeadTimes, Compute(Case()));
  stats::Protect(p, /*internal=*/true, 5);
  const int am2 = static_cast<int>(ReportCategory::kAm2), am3 = static_cast<int>(ReportCategory::kAm3);
  const int all = stats::kReportCategoryCount;
  const stats::CountTable& women = Table(p, "lead_times.visit_to_application.women");
  EXPECT_EQ(women.At(am3, 0), 2);  // 1 and 2 days: band 0–7
  EXPECT_EQ(women.At(am2, 1), 1);  // 10 days: band 8–14
  EXPECT_EQ(Table(p, "lead_times.visit_to_application.men").At(am3, 2), 1);  // 16 days: 15–30
  EXPECT_EQ(Table(p, "lead_times.visit_to_application.women_and_men").At(women.Rows(), women.Columns()), 4);
  const stats::CountTable& median = Table(p, "lead_times.median.women_and_men");
  ASSERT_TRUE(median.measure);
  EXPECT_EQ(median.At(all, 0), 2);  // {1, 2, 10, 16}
  EXPECT_EQ(Table(p, "lead_times.p90.women_and_men").At(all, 0), 10);
  EXPECT_EQ(Table(p, "lead_times.median.women").At(am3, 0), 1);  // {1, 2}
  EXPECT_EQ(Table(p, "lead_times.median.women").StatusAt(am3, 0), CellStatus::kShown);
  // No lead time, no median (not a 0).
  EXPECT_EQ(Table(p, "lead_times.median.men").StatusAt(am2, 0), CellStatus::kSecondary);
  EXPECT_EQ(stats::CellText(p, Table(p, "lead_times.median.men"), am2, 0), "..");
  const stats::CountTable& passive = Table(p, "lead_times.passive.women");
  EXPECT_EQ(passive.At(0, 2), 1);
  EXPECT_EQ(passive.At(1, 2), 1);
  EXPECT_EQ(passive.At(2, 3), 2);  // total row, total column
}

// Twelve women in AM1 with 0–5 and 8–13 days from first visit to application (two bands of 6).
std::vector<P> Twelve(int n) {
  std::vector<P> persons;
  const char* days[] = {"2023-03-01", "2023-03-02", "2023-03-03", "2023-03-04", "2023-03-05", "2023-03-06",
                        "2023-03-09", "2023-03-10", "2023-03-11", "2023-03-12", "2023-03-13", "2023-03-14"};
  for (int i = 0; i < n; ++i) {
    P w(kW);
    w.Period("2023-03-01").Cat("2023-03-01", AmLevel::kAm1).Milestone("2023-03-01", Milestone::kFirstVisit)
        .Milestone(days[i], Milestone::kCompleteApplication);
    persons.push_back(w);
  }
  return persons;
}

TEST(LeadTimes, QuantilesFollowTheirCountsThroughDisclosureControl) {
  const int am1 = static_cast<int>(ReportCategory::kAm1), all = stats::kReportCategoryCount;
  {
    // 12 values 0–5, 8–13: median at 5 → 5 days, 90th percentile at floor(9.9) = 9 → 11 days.
    stats::Publication p = stats::Publish(stats::ReportKind::kLeadTimes, Compute(Twelve(12)));
    stats::Protect(p, false, 5);
    EXPECT_TRUE(stats::RecoverableCells(p.tables, p.links, 5).empty());
    const stats::CountTable& median = Table(p, "lead_times.median.women");
    const stats::CountTable& p90 = Table(p, "lead_times.p90.women");
    EXPECT_EQ(median.StatusAt(am1, 0), CellStatus::kShown);
    EXPECT_EQ(median.At(am1, 0), 5);
    EXPECT_EQ(median.At(all, 0), 5);
    EXPECT_EQ(p90.StatusAt(am1, 0), CellStatus::kShown);
    EXPECT_EQ(p90.At(am1, 0), 11);
    EXPECT_EQ(Table(p, "lead_times.median.women_and_men").StatusAt(all, 0), CellStatus::kShown);
    EXPECT_EQ(Table(p, "lead_times.median.men").StatusAt(all, 0), CellStatus::kSecondary);  // no men
  }
  {
    // 8 values 0–5, 8, 9 (bands of 6 and 2): the 2 is below the threshold, so the row's other
    // band is hidden too, but the row total 8 stays shown: the median (at 3 → 3 days) is
    // published; the 90th percentile of 8 values would be the largest, one person's own.
    stats::Publication p = stats::Publish(stats::ReportKind::kLeadTimes, Compute(Twelve(8)));
    stats::Protect(p, false, 5);
    const stats::CountTable& counts = Table(p, "lead_times.visit_to_application.women");
    EXPECT_EQ(counts.StatusAt(am1, 1), CellStatus::kPrimary);
    ASSERT_EQ(counts.StatusAt(am1, counts.Columns()), CellStatus::kShown);
    EXPECT_EQ(Table(p, "lead_times.median.women").StatusAt(am1, 0), CellStatus::kShown);
    EXPECT_EQ(Table(p, "lead_times.median.women").At(am1, 0), 3);
    EXPECT_EQ(Table(p, "lead_times.p90.women").StatusAt(am1, 0), CellStatus::kSecondary);
  }
  {
    // 4 values: the count itself is below the threshold, so is its median.
    stats::Publication p = stats::Publish(stats::ReportKind::kLeadTimes, Compute(Twelve(4)));
    stats::Protect(p, false, 5);
    EXPECT_EQ(Table(p, "lead_times.median.women").StatusAt(am1, 0), CellStatus::kSecondary);
    EXPECT_EQ(stats::CellText(p, Table(p, "lead_times.median.women"), am1, 0), "..");
  }
}

TEST(LeadTimes, HtmlHasTheChartAndCsvTheMedians) {
  stats::Publication p = stats::Publish(stats::ReportKind::kLeadTimes, Compute(Twelve(12)));
  stats::Protect(p, false, 5);
  const std::string html = stats::RenderHtml({p}, stats::Language::kEn, "Lead times");
  EXPECT_NE(html.find("<section id=\"lead_times\">"), std::string::npos);
  EXPECT_NE(html.find("Median days from first visit to first intervention"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  const std::string csv = stats::RenderCsv({p}, stats::Language::kEn);
  EXPECT_NE(csv.find("lead_times.median.women"), std::string::npos);
}

// Every new request number is refused by name, limit and value.
TEST(LeadTimes, RequestFieldsAreCheckedByName) {
  auto request = [] {
    v1::ReportRequest r;
    r.set_kind(v1::REPORT_KIND_LEAD_TIMES);
    r.set_municipality_code("0192");
    r.set_from_date("2023-01-01");
    r.set_to_date("2023-12-31");
    return r;
  };
  auto ok = store::OptionsFrom(request());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->passive_days, 90);
  EXPECT_EQ(ok->recategorisation_months, 6);
  EXPECT_EQ(ok->assessed_within_days, 30);
  v1::ReportRequest r = request();
  r.set_passive_days(4000);
  EXPECT_EQ(store::OptionsFrom(r).status().message(), "passive_days: 4000 is not from 1 to 3650 (or 0 for the default 90)");
  r = request();
  r.set_recategorisation_months(-1);
  EXPECT_EQ(store::OptionsFrom(r).status().message().rfind("recategorisation_months: -1 is not from 1 to 120", 0), 0u);
  r = request();
  r.add_outcome_target_percent(80);
  r.add_outcome_target_percent(60);
  EXPECT_EQ(store::OptionsFrom(r).status().message(), "outcome_target_percent: 2 values; give three (AM1, AM2, AM3) or none");
  r.add_outcome_target_percent(101);
  EXPECT_EQ(store::OptionsFrom(r).status().message(), "outcome_target_percent[2]: 101 is not from 0 to 100");
  r = request();
  r.set_kind(static_cast<v1::ReportKind>(10));
  EXPECT_FALSE(store::OptionsFrom(r).ok());
  r.set_kind(v1::REPORT_KIND_INDICATORS);
  r.set_passive_days(30);
  r.set_assessed_within_days(45);
  auto set = store::OptionsFrom(r);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->passive_days, 30);
  EXPECT_EQ(set->assessed_within_days, 45);
}

}  // namespace
}  // namespace ix::test
