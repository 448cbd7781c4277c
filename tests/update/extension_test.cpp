// "Does the plugin have this extension function?" (ix/extension.hpp), against real plugins:
// the bundled one offers both extension tables; the throwing fixture offers none.
#include <ix/extension.hpp>
#include <ix/host/loader.hpp>

#include <gtest/gtest.h>

#include <string>

namespace ix {
namespace {

PluginSession Load(const std::string& path) {
  auto session = host::LoadPlugin(path);
  EXPECT_TRUE(session.ok()) << session.status().message();
  return std::move(session).value();
}

TEST(RequireExtension, FindsTheBundledPluginsTablesAndFunctions) {
  const PluginSession plugin = Load(IX_TEST_PLUGIN);
  auto forms = RequireExtension<ix_forms_v1>(plugin);
  ASSERT_TRUE(forms.ok()) << forms.status().message();
  EXPECT_GE((*forms)->struct_size, sizeof(ix_forms_v1));
  auto categorisation = RequireExtension<ix_categorisation_v1>(plugin);
  ASSERT_TRUE(categorisation.ok()) << categorisation.status().message();
  auto describe = RequireExtensionFunction<&ix_categorisation_v1::describe>(plugin);
  ASSERT_TRUE(describe.ok()) << describe.status().message();
  EXPECT_EQ(*describe, (*categorisation)->describe);
}

TEST(RequireExtension, ATableShorterThanTheHostNeedsIsRefusedNamingIt) {
  const PluginSession plugin = Load(IX_TEST_PLUGIN);
  // As a host built against a later, longer table would ask.
  auto longer = RequireExtension<ix_forms_v1>(plugin, sizeof(ix_forms_v1) + sizeof(ix_call_fn));
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.status().code(), StatusCode::kUnimplemented);
  EXPECT_NE(longer.status().message().find(IX_FORMS_EXTENSION_ID " table ("), std::string::npos)
      << longer.status().message();
  EXPECT_NE(longer.status().message().find("is older than this host needs"), std::string::npos)
      << longer.status().message();
}

TEST(RequireExtension, AnExtensionThePluginDoesNotOfferIsRefusedNamingIt) {
  const PluginSession plugin = Load(std::string(IX_TEST_FIXTURE_DIR) + "/libthrowing_plugin.so");
  auto table = RequireExtension<ix_categorisation_v1>(plugin);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(table.status().message(),
            plugin.origin() + ": the plugin does not offer " IX_CATEGORISATION_EXTENSION_ID);
  auto fn = RequireExtensionFunction<&ix_forms_v1::apply_answers>(plugin);
  EXPECT_FALSE(fn.ok());
}

}  // namespace
}  // namespace ix
