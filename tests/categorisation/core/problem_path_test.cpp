// One answer, one path: validation and the suggestion rules name a bad answer the same way
// (the answer "answers[p1/am.health]", ".value" when its value is wrong), so a client can point
// at it without knowing which check found it.
#include <ix/core/categorisation/rules.hpp>
#include <ix/core/validate.hpp>

#include "rules_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ix::core {
namespace {

using testing::DefaultRules;
using testing::OneAdult;
using testing::Part2;

// Part 2 as the definition has it: the six AM ratings on 1-3.
Definition Part2Definition() {
  Definition d;
  d.id = "instrument-x";
  d.version = "2024.1";
  Section section{"am", {}, {}};
  for (const AmVariable& v : DefaultRules().am_variables) {
    Item item;
    item.id = v.item_id;
    item.type = ItemType::kRating;
    item.scope = ItemScope::kAdult;
    item.label = v.label;
    item.min = 1;
    item.max = 3;
    section.items.push_back(item);
  }
  d.parts.push_back({2, {}, {section}});
  return d;
}

const Problem* Find(const std::vector<Problem>& problems, const std::string& code) {
  auto it = std::find_if(problems.begin(), problems.end(), [&](const Problem& p) { return p.code == code; });
  return it == problems.end() ? nullptr : &*it;
}

TEST(ProblemPath, AnswerPathNamesPersonAndItem) {
  EXPECT_EQ(AnswerPath("p1", "am.health"), "answers[p1/am.health]");
  EXPECT_EQ(AnswerPath("", "housing.type"), "answers[household/housing.type]");
}

TEST(ProblemPath, ValidationAndRulesNameTheSameAnswerTheSameWay) {
  Response r = OneAdult({{1, 1, 1, 4, 1, 1}, "full", false, false, false});  // am.health = 4

  const SuggestResult suggested = Suggest(DefaultRules(), ProfileRules{}, r, 0);
  const Problem* rule = Find(suggested.problems, "out_of_range");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->path, "answers[p1/am.health].value");
  EXPECT_EQ(rule->item_id, "am.health");
  EXPECT_EQ(rule->person_ref, "p1");
  EXPECT_EQ(rule->severity, Severity::kError);

  const std::vector<Problem> validated = Validate(Part2Definition(), r, ValidationContext{{2025, 6, 1}});
  const Problem* validation = Find(validated, "out_of_range");
  ASSERT_NE(validation, nullptr);
  EXPECT_EQ(validation->path, rule->path);
  EXPECT_EQ(validation->item_id, rule->item_id);
  EXPECT_EQ(validation->person_ref, rule->person_ref);
}

TEST(ProblemPath, ProblemsTextIsPathThenWhat) {
  Problem answer;
  answer.path = AnswerPath("p1", "am.health");
  answer.message = {"skattningen 4 ligger utanför 1-3", "rating 4 is outside 1-3"};
  Problem bare;
  bare.message = {"", "request is not valid"};
  EXPECT_EQ(ProblemsText({answer, FieldProblem("as_of_date", "invalid_date", {"", "not a date"}), bare}),
            "answers[p1/am.health]: rating 4 is outside 1-3; as_of_date: not a date; request is not valid");
  EXPECT_EQ(ProblemsText({}), "");
}

}  // namespace
}  // namespace ix::core
