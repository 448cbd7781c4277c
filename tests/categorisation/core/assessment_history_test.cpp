// Governing policy, discrepancy, and the history of one person: category at any date, the
// direction of each move, recategorisation at follow-ups.
#include <ix/core/categorisation/assessment.hpp>
#include <ix/core/categorisation/history.hpp>
#include <ix/core/personnummer.hpp>

#include <gtest/gtest.h>

namespace ix::core {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }

Category Cat(AmLevel am, std::vector<RKind> r = {}, bool fi = false) {
  Category c;
  c.am_level = am;
  c.r_kinds = std::move(r);
  c.further_investigation = fi;
  return c;
}

Assessment A(AssessmentView view, Category c) {
  Assessment a;
  a.view = view;
  a.category = std::move(c);
  return a;
}

struct GovernCase {
  const char* name;
  std::optional<Category> caseworker;
  std::optional<Category> client;
  GoverningPolicy policy;
  GoverningFallback fallback;
  std::optional<AmLevel> effective_am;  // nullopt: no effective category
  AssessmentView view;
  std::vector<std::string> discrepancy;
};

TEST(GoverningPolicy, Cases) {
  const Category am2 = Cat(AmLevel::kAm2);
  const Category am3 = Cat(AmLevel::kAm3);
  const Category am2_r2 = Cat(AmLevel::kAm2, {RKind::kR2Mental});
  constexpr auto other = GoverningFallback::kOtherView;  // the documented default
  constexpr auto none = GoverningFallback::kNone;
  const GovernCase cases[] = {
      {"caseworker_governs", am3, am2, GoverningPolicy::kCaseworker, other, AmLevel::kAm3, AssessmentView::kCaseworker, {"am_level"}},
      {"client_governs", am3, am2, GoverningPolicy::kClient, other, AmLevel::kAm2, AssessmentView::kClient, {"am_level"}},
      {"caseworker_missing_client_used", std::nullopt, am2, GoverningPolicy::kCaseworker, other, AmLevel::kAm2, AssessmentView::kClient, {}},
      {"client_missing_caseworker_used", am3, std::nullopt, GoverningPolicy::kClient, other, AmLevel::kAm3, AssessmentView::kCaseworker, {}},
      {"neither_none", std::nullopt, std::nullopt, GoverningPolicy::kCaseworker, other, std::nullopt, AssessmentView::kUnspecified, {}},
      {"agree_no_flag", am2, am2, GoverningPolicy::kClient, other, AmLevel::kAm2, AssessmentView::kClient, {}},
      {"r_differs", am2, am2_r2, GoverningPolicy::kCaseworker, other, AmLevel::kAm2, AssessmentView::kCaseworker, {"r_kinds"}},
      {"both_differ", am3, am2_r2, GoverningPolicy::kCaseworker, other, AmLevel::kAm3, AssessmentView::kCaseworker, {"am_level", "r_kinds"}},
      {"caseworker_missing_no_fallback", std::nullopt, am2, GoverningPolicy::kCaseworker, none, std::nullopt, AssessmentView::kUnspecified, {}},
      {"client_missing_no_fallback", am3, std::nullopt, GoverningPolicy::kClient, none, std::nullopt, AssessmentView::kUnspecified, {}},
      {"governing_present_fallback_unused", am3, am2, GoverningPolicy::kCaseworker, none, AmLevel::kAm3, AssessmentView::kCaseworker, {"am_level"}},
      {"fi_only_no_flag", Cat(AmLevel::kAm2, {}, true), am2, GoverningPolicy::kCaseworker, other, AmLevel::kAm2, AssessmentView::kCaseworker, {}},
  };
  for (const GovernCase& c : cases) {
    SCOPED_TRACE(c.name);
    std::optional<Assessment> cw, cl;
    if (c.caseworker) cw = A(AssessmentView::kCaseworker, *c.caseworker);
    if (c.client) cl = A(AssessmentView::kClient, *c.client);
    const Governed g = Govern(cw, cl, c.policy, c.fallback, Cat(AmLevel::kAm1));
    // The fallback decided whenever the governing person had not assessed and the other had.
    const bool governing_present = c.policy == GoverningPolicy::kClient ? c.client.has_value() : c.caseworker.has_value();
    EXPECT_EQ(g.fallback_used, !governing_present && (c.caseworker || c.client));
    EXPECT_EQ(g.effective.has_value(), c.effective_am.has_value());
    if (g.effective && c.effective_am) {
      EXPECT_EQ(g.effective->am_level, *c.effective_am);
    }
    EXPECT_EQ(g.governing_view, c.view);
    EXPECT_EQ(g.discrepancy_fields, c.discrepancy);
    EXPECT_EQ(g.discrepancy, !c.discrepancy.empty());
    EXPECT_FALSE(g.lines.empty());
  }
}

TEST(GoverningPolicy, SuggestionAloneIsNeverEffective) {
  const Governed g = Govern(std::nullopt, std::nullopt, GoverningPolicy::kCaseworker, GoverningFallback::kOtherView,
                            Cat(AmLevel::kAm1));
  EXPECT_FALSE(g.effective.has_value());
  EXPECT_EQ(g.lines[0].en, "No effective category: no person has assessed yet (the suggestion is never effective on its own).");
}

TEST(GoverningPolicy, ReadableLines) {
  const Governed g = Govern(A(AssessmentView::kCaseworker, Cat(AmLevel::kAm3)),
                            A(AssessmentView::kClient, Cat(AmLevel::kAm2, {RKind::kR2Mental})),
                            GoverningPolicy::kClient, GoverningFallback::kOtherView, Cat(AmLevel::kAm3));
  ASSERT_EQ(g.lines.size(), 3u);
  EXPECT_EQ(g.lines[0].en, "Effective: AM2 + RH R2 — by the profile, the client's self-assessment governs.");
  EXPECT_EQ(g.lines[1].en, "Difference to discuss: caseworker AM3, client AM2 + RH R2.");
  EXPECT_EQ(g.lines[2].en, "The suggestion was AM3; the people's assessment decides.");
}

// The explanation says when the fallback decided, and which one.
TEST(GoverningPolicy, TheFallbackSaysSo) {
  const Governed other = Govern(std::nullopt, A(AssessmentView::kClient, Cat(AmLevel::kAm2)), GoverningPolicy::kCaseworker,
                                GoverningFallback::kOtherView, std::nullopt);
  ASSERT_EQ(other.lines.size(), 1u);
  EXPECT_EQ(other.lines[0].en,
            "Effective (the rule set's fallback): AM2 — the client's self-assessment, because the caseworker's assessment "
            "is missing and by the profile the caseworker's assessment governs.");
  EXPECT_NE(other.lines[0].sv.find("reserv enligt regeluppsättningen"), std::string::npos);
  const Governed none = Govern(std::nullopt, A(AssessmentView::kClient, Cat(AmLevel::kAm2)), GoverningPolicy::kCaseworker,
                               GoverningFallback::kNone, std::nullopt);
  EXPECT_FALSE(none.effective.has_value());
  ASSERT_EQ(none.lines.size(), 1u);
  EXPECT_EQ(none.lines[0].en,
            "No effective category: the caseworker's assessment is missing and the rule set has no fallback; the client's "
            "self-assessment is recorded but not effective.");
}

// A household member over two years: AM3 → AM3+R2 (RH period) → AM2 → AM1.
std::vector<CategorisationRecord> TwoYears() {
  return {
      {D("2024-03-04"), Cat(AmLevel::kAm3), AssessmentView::kCaseworker, "first_visit", "e1"},
      {D("2024-09-02"), Cat(AmLevel::kAm3, {RKind::kR2Mental}), AssessmentView::kCaseworker, "follow_up", "e2"},
      {D("2025-03-03"), Cat(AmLevel::kAm2, {RKind::kR2Mental}), AssessmentView::kCaseworker, "follow_up", "e3"},
      {D("2025-09-01"), Cat(AmLevel::kAm2), AssessmentView::kCaseworker, "follow_up", "e4"},
      {D("2026-02-02"), Cat(AmLevel::kAm1), AssessmentView::kCaseworker, "follow_up", "e5"},
  };
}

TEST(History, MovesAndDirections) {
  auto records = TwoYears();
  std::swap(records[0], records[3]);  // input order does not matter, effective dates do
  const auto h = BuildHistory(records);
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[0].direction, MoveDirection::kFirst);
  EXPECT_EQ(h[1].direction, MoveDirection::kSameLevel);
  EXPECT_EQ(h[1].r_added, std::vector<RKind>{RKind::kR2Mental});
  EXPECT_EQ(h[2].direction, MoveDirection::kProgress);
  EXPECT_EQ(h[3].direction, MoveDirection::kSameLevel);
  EXPECT_EQ(h[3].r_removed, std::vector<RKind>{RKind::kR2Mental});
  EXPECT_EQ(h[4].direction, MoveDirection::kProgress);
  EXPECT_EQ(h[2].line.en, "2025-03-03 (follow_up): AM3 + RH R2 → AM2 + RH R2 (progress towards AM1).");
  EXPECT_EQ(h[3].line.en, "2025-09-01 (follow_up): AM2 + RH R2 → AM2 (same AM level; RH -R2).");
  EXPECT_EQ(Direction(Cat(AmLevel::kAm1), Cat(AmLevel::kAm3)), MoveDirection::kSetback);
  EXPECT_EQ(Direction(Cat(AmLevel::kNone), Cat(AmLevel::kAm3)), MoveDirection::kProgress);
  EXPECT_EQ(Direction(Cat(AmLevel::kAm2), Cat(AmLevel::kNone)), MoveDirection::kSetback);
}

TEST(History, CategoryAtAnyDate) {
  const auto records = TwoYears();
  EXPECT_FALSE(CategoryAt(records, D("2024-03-03")).has_value());
  EXPECT_EQ(CategoryAt(records, D("2024-03-04"))->event_id, "e1");
  EXPECT_EQ(CategoryAt(records, D("2024-12-31"))->event_id, "e2");
  EXPECT_EQ(CategoryAt(records, D("2025-03-02"))->category.r_kinds, std::vector<RKind>{RKind::kR2Mental});
  EXPECT_EQ(CategoryAt(records, D("2025-06-30"))->category.am_level, AmLevel::kAm2);
  EXPECT_EQ(CategoryAt(records, D("2030-01-01"))->category.am_level, AmLevel::kAm1);
  // A same-day recategorisation: the later recorded one holds.
  auto corrected = records;
  corrected.push_back({D("2026-02-02"), Cat(AmLevel::kAm2), AssessmentView::kCaseworker, "recategorisation", "e6"});
  EXPECT_EQ(CategoryAt(corrected, D("2026-02-02"))->event_id, "e6");
  int follow_ups = 0;
  for (const auto& e : BuildHistory(records)) follow_ups += e.record.occasion == "follow_up" ? 1 : 0;
  EXPECT_EQ(follow_ups, 4);
}

}  // namespace
}  // namespace ix::core
