// Languages and the client's pages through the real plugin ("ix.forms/1" render_form): any
// well-formed BCP 47 tag, refusals naming the field, the profile deciding whether the AM
// ratings are printed, the shipped translations marked representative, and hostile licensee
// definitions (10 000 languages, a 1 MB text) refused with the limit named.
#include <ix/ext/forms.h>
#include <ix/host/loader.hpp>

#include "ix/v1/definition.pb.h"
#include "ix/v1/forms.pb.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>

namespace ix {
namespace {

struct Plugin {
  PluginSession session;
  const ix_forms_v1* forms;
};

Plugin Load() {
  auto session = host::LoadPlugin(IX_TEST_PLUGIN, host::LoadOptions{});
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  const auto* forms = session->GetExtension<ix_forms_v1>(IX_FORMS_EXTENSION_ID);
  EXPECT_NE(forms, nullptr);
  return {std::move(*session), forms};
}

v1::RenderFormRequest Form(const std::string& language) {
  v1::RenderFormRequest request;
  request.mutable_definition()->set_instrument_id("instrument-x");
  request.mutable_definition()->set_version("2026.1");
  request.set_language(language);
  return request;
}

v1::Definition Shipped() {
  std::ifstream in(std::string(IX_TEST_DEFINITIONS_DIR) + "/instrument-x-2026.1.json", std::ios::binary);
  const std::string json{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  v1::Definition d;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &d).ok());
  return d;
}

TEST(PrintLanguages, ShippedPartOneInArabicFinnishAndEasySwedishMarkedRepresentative) {
  Plugin p = Load();
  const struct {
    const char* tag;
    const char* html_open;
    const char* part_one_label;  // personal.needs_interpreter in that language
    const char* notice;          // the definition's language note
  } cases[] = {
      {"ar", "<html lang=\"ar\" dir=\"rtl\">", "يحتاج إلى مترجم", "ترجمة تمثيلية كُتبت لهذا المشروع"},
      {"fi", "<html lang=\"fi\" dir=\"ltr\">", "Tarvitsee tulkin", "Edustava käännös, joka on kirjoitettu tätä projektia varten"},
      {"sv-x-easy", "<html lang=\"sv-x-easy\" dir=\"ltr\">", "Behöver du tolk?", "En lättläst version som vi har skrivit"},
      {"ar-SE", "<html lang=\"ar\" dir=\"rtl\">", "يحتاج إلى مترجم", "ترجمة تمثيلية"},  // falls back to ar
  };
  for (const auto& c : cases) {
    auto rendered = p.session.Call<v1::RenderFormResponse>(p.forms->render_form, Form(c.tag));
    ASSERT_TRUE(rendered.ok()) << c.tag << ": " << rendered.status().ToString();
    const std::string& html = rendered->html();
    EXPECT_NE(html.find(c.html_open), std::string::npos) << c.tag;
    EXPECT_NE(html.find(c.part_one_label), std::string::npos) << c.tag;
    EXPECT_NE(html.find(c.notice), std::string::npos) << c.tag;
    EXPECT_NE(html.find("class=\"notice translation-notice\""), std::string::npos) << c.tag;
    // Part 2 is not translated: its texts are Swedish, marked as such.
    EXPECT_NE(html.find("<span lang=\"sv\" dir=\"ltr\">"), std::string::npos) << c.tag;
  }
  // An unknown language: the Swedish form, nothing claimed about a translation.
  auto de = p.session.Call<v1::RenderFormResponse>(p.forms->render_form, Form("de-AT"));
  ASSERT_TRUE(de.ok());
  EXPECT_NE(de->html().find("<html lang=\"sv\" dir=\"ltr\">"), std::string::npos);
  EXPECT_EQ(de->html().find("class=\"notice translation-notice\""), std::string::npos);
}

TEST(PrintLanguages, MalformedLanguageIsRefusedNamingTheField) {
  Plugin p = Load();
  for (const char* bad : {"", "sv_SE", "x-easy", "sv--x", "abcdefghijklmnopqrstuvwxyz-abcdefghijklmnopqrstuvwxyz-abcdefghijkl"}) {
    auto rendered = p.session.Call<v1::RenderFormResponse>(p.forms->render_form, Form(bad));
    ASSERT_FALSE(rendered.ok()) << "'" << bad << "' accepted";
    EXPECT_EQ(rendered.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(rendered.status().ToString().find("language"), std::string::npos) << rendered.status().ToString();
    EXPECT_NE(rendered.status().ToString().find("BCP 47"), std::string::npos) << rendered.status().ToString();
  }
}

TEST(PrintLanguages, AmRatingsArePrintedOnlyWhenTheProfileSwitchesTheModuleOn) {
  Plugin p = Load();
  v1::RenderFormRequest request = Form("sv");
  auto with = p.session.Call<v1::RenderFormResponse>(p.forms->render_form, request);  // default profile: on
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  request.set_profile_id("client-governs");  // switches the AM module off
  auto without = p.session.Call<v1::RenderFormResponse>(p.forms->render_form, request);
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  for (const char* id : {"am-education", "am-swedish", "am-work_experience", "am-health", "am-motivation", "am-job_seeking"}) {
    EXPECT_NE(with->html().find(std::string("item-") + id), std::string::npos) << id;
    EXPECT_EQ(without->html().find(std::string("item-") + id), std::string::npos) << id;
  }
  EXPECT_NE(without->html().find("item-work_capacity-today"), std::string::npos);  // the rest of part 2 stays
  request.set_profile_id("no-such-profile");
  auto unknown = p.session.Call<v1::RenderFormResponse>(p.forms->render_form, request);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().ToString().find("profile_id"), std::string::npos) << unknown.status().ToString();
}

TEST(PrintLanguages, HostileLicenseeDefinitionsAreRefusedWithTheLimitNamed) {
  Plugin p = Load();
  v1::Definition many = Shipped();
  for (int i = 0; i < 10000; ++i) many.add_languages("sv-x-l" + std::to_string(i));
  v1::RenderFormRequest request = Form("sv");
  *request.mutable_source()->mutable_definition() = many;
  auto refused = p.session.Call<v1::RenderFormResponse>(p.forms->render_form, request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().ToString().find("source.definition.languages"), std::string::npos) << refused.status().ToString();
  EXPECT_NE(refused.status().ToString().find("10005 languages, at most 32"), std::string::npos) << refused.status().ToString();

  v1::Definition big = Shipped();
  v1::Translation* t = big.mutable_title()->add_translations();
  t->set_language("sv-x-big");
  t->set_text(std::string(1 << 20, 'a'));
  big.add_languages("sv-x-big");
  *request.mutable_source()->mutable_definition() = big;
  refused = p.session.Call<v1::RenderFormResponse>(p.forms->render_form, request);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().ToString().find("source.definition.title.translations[3].text"), std::string::npos)
      << refused.status().ToString();
  EXPECT_NE(refused.status().ToString().find("1048576 bytes, at most 20000"), std::string::npos) << refused.status().ToString();

  // The same through load_definition.
  v1::LoadDefinitionRequest load;
  load.set_definition(many.SerializeAsString());
  auto loaded = p.session.Call<v1::LoadDefinitionResponse>(p.forms->load_definition, load);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().ToString().find("at most 32"), std::string::npos) << loaded.status().ToString();
}

TEST(PrintLanguages, OldDefinitionsWithoutLanguagesStillLoad) {
  Plugin p = Load();
  v1::Definition old = Shipped();
  old.clear_languages();
  old.clear_language_notes();
  // Strip every translation: a definition as written before languages beyond sv and en.
  v1::Definition stripped;
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(old, &json).ok());
  for (size_t at; (at = json.find("\"translations\":[")) != std::string::npos;) {
    const size_t end = json.find(']', at);
    json.erase(at, end - at + 1);
    if (json[at] == ',') json.erase(at, 1);
    else if (json[at - 1] == ',') json.erase(at - 1, 1);
  }
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &stripped).ok()) << json.substr(0, 400);
  v1::LoadDefinitionRequest load;
  load.set_definition(stripped.SerializeAsString());
  auto loaded = p.session.Call<v1::LoadDefinitionResponse>(p.forms->load_definition, load);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(loaded->usable());
  for (const auto& problem : loaded->problems()) ADD_FAILURE() << problem.path() << ": " << problem.message().en();
}

}  // namespace
}  // namespace ix
