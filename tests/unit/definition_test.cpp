#include <ix/core/definition.hpp>
#include <ix/core/validate.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>

namespace ix::core {
namespace {

Definition Valid() {
  Definition d;
  d.id = "x";
  d.version = "1";
  Item rating;
  rating.id = "r";
  rating.type = ItemType::kRating;
  rating.scope = ItemScope::kAdult;
  rating.min = 1;
  rating.max = 3;
  d.parts.push_back({1, {}, {{"s", {}, {rating}}}});
  return d;
}

TEST(CheckDefinition, ValidDefinitionPasses) { EXPECT_TRUE(CheckDefinition(Valid()).empty()); }

TEST(CheckDefinition, StructuralErrorsAreNamed) {
  Definition d = Valid();
  d.parts[0].sections[0].items.push_back(d.parts[0].sections[0].items[0]);  // repeated id
  Item choice;
  choice.id = "c";
  choice.type = ItemType::kSingleChoice;
  choice.scope = ItemScope::kHousehold;  // no options
  d.parts[0].sections[0].items.push_back(choice);
  Item bad_rating = d.parts[0].sections[0].items[0];
  bad_rating.id = "r2";
  bad_rating.min = 5;  // > max
  d.parts[0].sections[0].items.push_back(bad_rating);
  d.parts.push_back({7, {}, {}});
  const auto problems = CheckDefinition(d);
  std::string all;
  for (const auto& p : problems) all += p.path + ": " + p.message.en + "\n";
  EXPECT_NE(all.find("item id 'r' repeated"), std::string::npos) << all;
  EXPECT_NE(all.find("choice item without options"), std::string::npos) << all;
  EXPECT_NE(all.find("min is greater than max"), std::string::npos) << all;
  EXPECT_NE(all.find("part number must be 1-4"), std::string::npos) << all;
}

TEST(DefinitionCatalog, FindsExactVersionOnly) {
  Definition a = Valid();
  Definition b = Valid();
  b.version = "2";
  DefinitionCatalog catalog({a, b});
  ASSERT_NE(catalog.Find({"x", "2"}), nullptr);
  EXPECT_EQ(catalog.Find({"x", "2"})->version, "2");
  EXPECT_EQ(catalog.Find({"x", "3"}), nullptr);
  EXPECT_EQ(catalog.Find({"y", "1"}), nullptr);
  EXPECT_EQ(catalog.VersionsOf("x"), (std::vector<std::string>{"1", "2"}));
}


// --- Hostile definitions: limits, patterns, chains, items × migrations ------------------------

Item Boolean(std::string id) {
  Item i;
  i.id = std::move(id);
  i.type = ItemType::kBoolean;
  i.scope = ItemScope::kHousehold;
  return i;
}

// `n` household items, each enabled when the one before is answered true: a chain n-1 deep.
Definition Chain(int n) {
  Definition d;
  d.id = "x";
  d.version = "1";
  std::vector<Item> items;
  items.reserve(n);
  for (int i = 0; i < n; ++i) {
    Item item = Boolean("i" + std::to_string(i));
    if (i > 0) item.enable_when.conditions = {{"i" + std::to_string(i - 1), ConditionOperator::kEquals, true, {}, {}}};
    items.push_back(std::move(item));
  }
  d.parts.push_back({1, {}, {{"s", {}, std::move(items)}}});
  return d;
}

// `items` items and `migrations` migrations, each with one rule renaming an item.
Definition ItemsAndMigrations(int items, int migrations) {
  Definition d = Chain(1);
  auto& list = d.parts[0].sections[0].items;
  for (int i = 1; i < items; ++i) list.push_back(Boolean("i" + std::to_string(i)));
  for (int m = 0; m < migrations; ++m) {
    MigrationRule rule;
    rule.from_item = "old" + std::to_string(m);
    rule.action = MigrationAction::kRename;
    rule.targets = {{"i" + std::to_string(m % items), {}}};
    d.migrations.push_back({"v" + std::to_string(m), {rule}});
  }
  return d;
}

int64_t MillisecondsOf(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

std::string Only(const std::vector<Problem>& problems) {
  if (problems.size() != 1) {
    std::string all = std::to_string(problems.size()) + " problems:";
    for (size_t i = 0; i < problems.size() && i < 5; ++i) all += " " + problems[i].path + ": " + problems[i].message.en + ";";
    return all;
  }
  return problems[0].code + "@" + problems[0].path + ": " + problems[0].message.en;
}

Definition WithPattern(std::string pattern) {
  Definition d = Valid();
  Item text;
  text.id = "t";
  text.type = ItemType::kText;
  text.scope = ItemScope::kHousehold;
  Constraint c;
  c.kind = ConstraintKind::kPattern;
  c.pattern = std::move(pattern);
  text.constraints = {c};
  d.parts[0].sections[0].items.push_back(text);
  return d;
}

TEST(HostileDefinitions, HugePatternsAreRefusedWithoutCompilingThem) {
  std::string nested;
  for (int i = 0; i < 20000; ++i) nested += "(";
  nested += "a";
  for (int i = 0; i < 20000; ++i) nested += ")";
  std::vector<Problem> problems;
  EXPECT_LT(MillisecondsOf([&] { problems = CheckDefinition(WithPattern(nested)); }), 100);
  EXPECT_EQ(Only(problems),
            "limit_exceeded@parts[1].sections[s].items[t].constraints[0].pattern: 40001 bytes of pattern, at most 1000");
  EXPECT_LT(MillisecondsOf([&] { problems = CheckDefinition(WithPattern(std::string(99000, 'a'))); }), 100);
  EXPECT_EQ(Only(problems),
            "limit_exceeded@parts[1].sections[s].items[t].constraints[0].pattern: 99000 bytes of pattern, at most 1000");
  // Nesting within the length limit is fine for RE2 (no recursion on the C++ stack).
  EXPECT_TRUE(CheckDefinition(WithPattern(std::string(400, '(') + "a" + std::string(400, ')'))).empty());
}

TEST(HostileDefinitions, PatternsOutsideTheDialectAreDefinitionErrorsNamingTheField) {
  const auto problems = CheckDefinition(WithPattern("(a)\\1"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, "invalid_definition");
  EXPECT_EQ(problems[0].path, "parts[1].sections[s].items[t].constraints[0].pattern");
  EXPECT_NE(problems[0].message.en.find("invalid pattern (RE2 syntax)"), std::string::npos) << problems[0].message.en;
  EXPECT_EQ(Only(CheckDefinition(WithPattern("(?:abcdef){900}"))),
            "limit_exceeded@parts[1].sections[s].items[t].constraints[0].pattern: 5404 program size (RE2) of "
            "pattern, at most 5000");
}

TEST(HostileDefinitions, SixtyThousandChainedItemsAreRefusedByTheItemLimit) {
  std::vector<Problem> problems;
  EXPECT_LT(MillisecondsOf([&] { problems = CheckDefinition(Chain(60000)); }), 1000);
  EXPECT_EQ(Only(problems), "limit_exceeded@parts: 60000 items, at most 2000");
}

TEST(HostileDefinitions, AChainDeeperThanTheLogicLimitIsRefusedNamingItsLastItem) {
  EXPECT_TRUE(CheckDefinition(Chain(65)).empty());  // 64 levels
  EXPECT_EQ(Only(CheckDefinition(Chain(66))),
            "limit_exceeded@parts[1].sections[s].items[i65]: 65 levels of logic (items whose enable_when, "
            "required_when or calculation depend on one another in a chain), at most 64");
}

TEST(HostileDefinitions, SixtyThousandChainedItemsAreWalkedWithoutRecursion) {
  // With the limits raised (an operator's choice) the walk and the validation stay iterative:
  // the recursive walk this replaces overflowed the stack.
  Limits raised;
  raised.items = 100000;
  raised.logic_depth = 100000;
  const Definition d = Chain(60000);
  std::vector<Problem> problems;
  EXPECT_LT(MillisecondsOf([&] { problems = CheckDefinition(d, raised); }), 5000);
  EXPECT_TRUE(problems.empty()) << Only(problems);
  // Every item answered true: all are enabled, however deep (no depth cut-off).
  Response r;
  r.instrument = {"x", "1"};
  r.household.persons = {{"p1", "19850312-1231", Sex::kFemale, "", HouseholdRole::kRegisterledare, false}};
  for (int i = 0; i < 20000; ++i) r.answers.push_back({"i" + std::to_string(i), "", true});
  EXPECT_LT(MillisecondsOf([&] { problems = Validate(d, r, {{2025, 6, 1}}, raised); }), 5000);
  EXPECT_TRUE(problems.empty()) << Only(problems);
  // One false in the middle disables everything after it.
  r.answers[9999].value = false;
  problems = Validate(d, r, {{2025, 6, 1}}, raised);
  ASSERT_EQ(problems.size(), 10000u);  // i10000 … i19999
  EXPECT_EQ(problems[0].code, "disabled_item_answered");
  EXPECT_EQ(problems[0].path, "answers[household/i10000]");
}

TEST(HostileDefinitions, ACycleThroughSixtyThousandItemsIsAPreciseError) {
  Limits raised;
  raised.items = 100000;
  raised.logic_depth = 100000;
  Definition d = Chain(60000);
  d.parts[0].sections[0].items[0].enable_when.conditions = {{"i59999", ConditionOperator::kAnswered, {}, {}, {}}};
  std::vector<Problem> problems;
  EXPECT_LT(MillisecondsOf([&] { problems = CheckDefinition(d, raised); }), 5000);
  ASSERT_EQ(problems.size(), 1u) << Only(problems);
  EXPECT_EQ(problems[0].path, "parts[1].sections[s].items[i0]");
  EXPECT_NE(problems[0].message.en.find("cycle in the logic through items 'i0' -> 'i59999' -> 'i59998'"),
            std::string::npos) << problems[0].message.en;
  EXPECT_NE(problems[0].message.en.find("(60000 items)"), std::string::npos) << problems[0].message.en;
  // Validation of the unchecked cyclic definition terminates too.
  Response r;
  r.instrument = {"x", "1"};
  r.answers = {{"i0", "", true}};
  EXPECT_NO_THROW(Validate(d, r, {{2025, 6, 1}}, raised));
}

TEST(HostileDefinitions, ItemsTimesMigrationsIsLinear) {
  // 8 000 × 8 000 took 8 CPU-seconds when every migration re-indexed the items.
  Limits raised;
  raised.items = 100000;
  raised.migrations = 100000;
  raised.migration_rules = 100000;
  const Definition d = ItemsAndMigrations(8000, 8000);
  std::vector<Problem> problems;
  EXPECT_LT(MillisecondsOf([&] { problems = CheckDefinition(d, raised); }), 1000);
  EXPECT_TRUE(problems.empty()) << Only(problems);
  // With the default limits both sizes are refused at once, naming the first limit.
  EXPECT_EQ(Only(CheckDefinition(d)), "limit_exceeded@parts: 8000 items, at most 2000");
  const Definition big = ItemsAndMigrations(50000, 50000);
  EXPECT_LT(MillisecondsOf([&] { problems = CheckDefinition(big); }), 100);
  EXPECT_EQ(Only(problems), "limit_exceeded@parts: 50000 items, at most 2000");
  EXPECT_LT(MillisecondsOf([&] { problems = CheckDefinition(big, raised); }), 5000);
  EXPECT_TRUE(problems.empty()) << Only(problems);
}

TEST(DefinitionLimits, EachIsRefusedNamingFieldLimitAndValue) {
  {
    Definition d = ItemsAndMigrations(10, 101);
    EXPECT_EQ(Only(CheckDefinition(d)), "limit_exceeded@migrations: 101 migrations, at most 100");
  }
  {
    Definition d = ItemsAndMigrations(10, 2);
    d.migrations[0].rules.resize(10001, d.migrations[0].rules[0]);
    EXPECT_EQ(Only(CheckDefinition(d)), "limit_exceeded@migrations: 10002 migration rules, at most 10000");
    d.migrations[0].rules.resize(1);
    d.migrations[1].rules[0].targets.resize(501, d.migrations[1].rules[0].targets[0]);
    EXPECT_EQ(Only(CheckDefinition(d)), "limit_exceeded@migrations[1].rules[0].targets: 501 targets, at most 500");
  }
  {
    Definition d = Valid();
    Item choice;
    choice.id = "c";
    choice.type = ItemType::kSingleChoice;
    choice.scope = ItemScope::kHousehold;
    for (int i = 0; i < 501; ++i) choice.options.push_back({"o" + std::to_string(i), {}});
    d.parts[0].sections[0].items.push_back(choice);
    EXPECT_EQ(Only(CheckDefinition(d)), "limit_exceeded@parts[1].sections[s].items[c].options: 501 options, at most 500");
  }
  {
    Definition d = Chain(2);
    d.parts[0].sections[0].items[1].enable_when.conditions.resize(101, d.parts[0].sections[0].items[1].enable_when.conditions[0]);
    EXPECT_EQ(Only(CheckDefinition(d)),
              "limit_exceeded@parts[1].sections[s].items[i1].enable_when.conditions: 101 conditions, at most 100");
  }
  {
    Definition d = Valid();
    d.parts[0].sections[0].items[0].max_length = 100001;
    EXPECT_EQ(Only(CheckDefinition(d)),
              "limit_exceeded@parts[1].sections[s].items[r].max_length: 100001 characters, at most 100000");
  }
  {
    Definition d = ItemsAndMigrations(2001, 0);
    EXPECT_EQ(Only(CheckDefinition(d)), "limit_exceeded@parts: 2001 items, at most 2000");
    EXPECT_TRUE(CheckDefinition(ItemsAndMigrations(2000, 100)).empty());  // at the limits: usable
  }
}

}  // namespace
}  // namespace ix::core
