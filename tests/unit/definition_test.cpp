#include <ix/core/definition.hpp>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ix::core
