// "ix.forms/1" through the real plugin (dlopen via the host library), the real ixctl and a
// real headless chromium.
#include <ix/ext/forms.h>
#include <ix/host/loader.hpp>

#include "ix/v1/forms.pb.h"
#include "ix/v1/plugin.pb.h"
#include "../shell.hpp"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <re2/re2.h>
#include <set>
#include <sys/wait.h>
#include <tuple>
#include "../../missing_stack.hpp"

namespace ix {
namespace {

using forms_test::ReadText;
using forms_test::Shell;

const std::string kExamples = IX_TEST_EXAMPLES_DIR;
const std::string kGolden = IX_TEST_FORMS_GOLDEN_DIR;
const std::string kOutput = IX_TEST_FORMS_OUTPUT_DIR;

// Canonical JSON as ixctl reads and writes it (a local copy: this test needs no CLI library).
namespace cli {
std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}
Status ParseJson(const std::string& json, const std::string& source, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  const auto status = google::protobuf::util::JsonStringToMessage(json, message, options);
  if (!status.ok()) return Status(StatusCode::kInvalidArgument, source + ": " + std::string(status.message()));
  return Status::Ok();
}
}  // namespace cli

struct Loaded {
  PluginSession session;
  const ix_forms_v1* forms;
};

Loaded Load() {
  auto session = host::LoadPlugin(IX_TEST_PLUGIN, host::LoadOptions{});
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  const auto* forms = session->GetExtension<ix_forms_v1>(IX_FORMS_EXTENSION_ID);
  EXPECT_NE(forms, nullptr);
  return {std::move(*session), forms};
}

v1::InstrumentResponse Example(const std::string& name) {
  v1::InstrumentResponse r;
  EXPECT_TRUE(cli::ParseJson(ReadText(kExamples + "/" + name), name, &r).ok()) << name;
  return r;
}

TEST(FormsAbi, MigrationReportOfTheSampleHousehold) {
  Loaded p = Load();
  v1::MigrateRequest request;
  *request.mutable_response() = Example("household.json");
  request.set_to_version("2025.1");
  request.mutable_recorder()->set_actor("hand01");
  request.mutable_recorder()->set_at("2025-01-15T09:00:00Z");
  request.set_as_of_date("2025-01-15");
  auto migrated = p.session.Call<v1::MigrateResponse>(p.forms->migrate, request);
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  const auto& report = migrated->report();
  // One entry per old answer; the five that are not simply carried, worked out from the rules.
  ASSERT_EQ(report.answers_size(), request.response().answers_size());
  std::map<std::string, const v1::MigratedAnswer*> by_key;
  std::map<v1::MigrationOutcome, int> counts;
  for (const auto& a : report.answers()) {
    by_key[a.person_ref() + "/" + a.item_id()] = &a;
    counts[a.outcome()]++;
  }
  EXPECT_EQ(counts[v1::MIGRATION_OUTCOME_NOT_CARRIED], 3);
  EXPECT_EQ(counts[v1::MIGRATION_OUTCOME_TRANSFORMED], 2);
  EXPECT_EQ(counts[v1::MIGRATION_OUTCOME_CARRIED], request.response().answers_size() - 5);
  const auto* rooms = by_key.at("/housing.rooms");
  EXPECT_EQ(rooms->outcome(), v1::MIGRATION_OUTCOME_NOT_CARRIED);
  EXPECT_EQ(rooms->reason().en(), "The number of rooms is no longer asked (taken from the rental contract).");
  const auto* yes = by_key.at("p1/family.network_support");  // yes: family or friends?
  EXPECT_EQ(yes->outcome(), v1::MIGRATION_OUTCOME_NOT_CARRIED);
  EXPECT_EQ(yes->new_answers_size(), 0);
  const auto* no = by_key.at("p2/family.network_support");  // no: neither
  EXPECT_EQ(no->outcome(), v1::MIGRATION_OUTCOME_TRANSFORMED);
  ASSERT_EQ(no->new_answers_size(), 2);
  EXPECT_EQ(no->new_answers(0).item_id(), "family.support_family");
  EXPECT_FALSE(no->new_answers(0).value().boolean());
  EXPECT_EQ(no->new_answers(1).item_id(), "family.support_friends");
  EXPECT_EQ(by_key.at("p1/education.highest")->outcome(), v1::MIGRATION_OUTCOME_NOT_CARRIED);
  const auto* secondary = by_key.at("p2/education.highest");
  EXPECT_EQ(secondary->outcome(), v1::MIGRATION_OUTCOME_TRANSFORMED);
  EXPECT_EQ(secondary->new_answers(0).value().code(), "upper_secondary");
  EXPECT_EQ(by_key.at("p1/am.education")->outcome(), v1::MIGRATION_OUTCOME_CARRIED);
  EXPECT_EQ(std::vector<std::string>(report.new_item_ids().begin(), report.new_item_ids().end()),
            (std::vector<std::string>{"family.support_family", "family.support_friends", "personal.digital_id"}));
  // The migrated response is pinned to 2025.1, remembers 2024.1, and its new errors are the
  // new required item (both adults), the answer that lost its condition and p1's education.
  EXPECT_EQ(migrated->response().instrument().version(), "2025.1");
  EXPECT_EQ(migrated->response().migrated_from().version(), "2024.1");
  std::vector<std::string> problems;
  for (const auto& pr : report.problems()) problems.push_back(pr.code() + "@" + pr.path());
  EXPECT_EQ(problems, (std::vector<std::string>{"disabled_item_answered@answers[p1/education.foreign]",
                                                "required@answers[p1/personal.digital_id]",
                                                "required@answers[p2/personal.digital_id]",
                                                "required@answers[p1/education.highest]"}));
  // Parts 1 and 2 have errors under 2025.1: back to in progress; 3 and 4 stay completed.
  std::vector<int> states;
  for (const auto& s : report.part_status()) states.push_back(s.state());
  EXPECT_EQ(states, (std::vector<int>{v1::PART_STATE_IN_PROGRESS, v1::PART_STATE_IN_PROGRESS,
                                      v1::PART_STATE_COMPLETED, v1::PART_STATE_COMPLETED}));
  // The old response still validates against its own version.
  v1::ValidateRequest old;
  *old.mutable_response() = request.response();
  old.set_as_of_date("2025-01-15");
  auto valid = p.session.Call<v1::ValidateResponse>(p.session.table().validate, old);
  ASSERT_TRUE(valid.ok());
  EXPECT_TRUE(valid->valid());
  EXPECT_EQ(valid->validated_against().version(), "2024.1");
  // And the golden report of this migration.
  const std::string json = cli::ToJson(report) + "\n";
  std::ofstream(kOutput + "/migration-report-2024.1-2025.1.json") << json;
  EXPECT_EQ(json, ReadText(kGolden + "/migration-report-2024.1-2025.1.json"))
      << "regenerate: cp " << kOutput << "/migration-report-2024.1-2025.1.json " << kGolden;
}

TEST(FormsAbi, MigrationErrorsNameTheField) {
  Loaded p = Load();
  v1::MigrateRequest request;
  *request.mutable_response() = Example("household.json");
  request.mutable_recorder()->set_actor("hand01");
  request.set_to_version("2099.1");
  auto missing = p.session.Call<v1::MigrateResponse>(p.forms->migrate, request);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("to_version: instrument-x@2099.1 is not carried"), std::string::npos)
      << missing.status().message();
  request.set_to_version("2024.1");  // no migration from 2024.1 to itself
  auto self = p.session.Call<v1::MigrateResponse>(p.forms->migrate, request);
  EXPECT_EQ(self.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(self.status().message(), "to_version: instrument-x@2024.1 holds no migration from 2024.1.");
}

TEST(FormsAbi, GoldenDefinitionsPerVersion) {
  Loaded p = Load();
  for (const char* version : {"2024.1", "2025.1", "2026.1"}) {
    v1::DescribeDefinitionRequest request;
    request.mutable_definition()->set_instrument_id("instrument-x");
    request.mutable_definition()->set_version(version);
    auto d = p.session.Call<v1::DescribeDefinitionResponse>(p.forms->describe_definition, request);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    // One line per item: part, section, id, type, scope, required, logic — what a reviewer
    // diffs between versions.
    std::string summary;
    for (const auto& part : d->definition().parts()) {
      for (const auto& section : part.sections()) {
        for (const auto& item : section.items()) {
          summary += std::to_string(part.number()) + " " + section.id() + " " + item.id() + " " +
                     v1::ItemType_Name(item.type()) + " " + v1::ItemScope_Name(item.scope()) +
                     (item.required() ? " required" : "") + (item.has_enable_when() ? " enable_when" : "") +
                     (item.has_required_when() ? " required_when" : "") +
                     (item.constraints_size() > 0 ? " constraints=" + std::to_string(item.constraints_size()) : "") +
                     (item.has_calculated() ? " " + v1::CalculationKind_Name(item.calculated().kind()) : "");
          for (const auto& o : item.options()) summary += (&o == &item.options(0) ? " [" : ",") + o.code();
          summary += item.options_size() > 0 ? "]\n" : "\n";
        }
      }
    }
    const std::string name = std::string("instrument-x-") + version + ".txt";
    std::ofstream(kOutput + "/" + name) << summary;
    EXPECT_EQ(summary, ReadText(kGolden + "/" + name)) << "regenerate: cp " << kOutput << "/" << name << " " << kGolden;
  }
}

// 2026.1: the six AM ratings are an optional module (a profile switches them on), and part 3 is
// named as the sources name it: an individual action or change plan (KNUT 3 report p37
// "handlings/förändringsplan", p42 "förändrings- eller handlingsplan"), not "genomförandeplan".
TEST(FormsAbi, Version2026AmRatingsOptionalAndPart3AsTheSourcesNameIt) {
  Loaded p = Load();
  for (const char* version : {"2025.1", "2026.1"}) {
    SCOPED_TRACE(version);
    v1::DescribeDefinitionRequest request;
    request.mutable_definition()->set_instrument_id("instrument-x");
    request.mutable_definition()->set_version(version);
    auto d = p.session.Call<v1::DescribeDefinitionResponse>(p.forms->describe_definition, request);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    const bool v2026 = std::string(version) == "2026.1";
    int am_items = 0;
    for (const auto& part : d->definition().parts()) {
      if (part.number() == 3) {
        EXPECT_EQ(part.title().sv(), v2026 ? "Handlings-/förändringsplan" : "Genomförandeplan");
        EXPECT_EQ(part.title().en(), v2026 ? "Action or change plan" : "Individual plan");
      }
      for (const auto& section : part.sections()) {
        for (const auto& item : section.items()) {
          if (item.id().rfind("am.", 0) != 0) continue;
          ++am_items;
          EXPECT_EQ(item.required(), !v2026) << item.id();
        }
      }
    }
    EXPECT_EQ(am_items, 6);
  }
}

TEST(FormsAbi, LicenseeDefinitionIsCheckedAndUsedOnlyForItsOwnPin) {
  Loaded p = Load();
  v1::Definition licensee;
  licensee.set_id("instrument-x");
  licensee.set_version("2025.1-licensed");
  auto* item = licensee.add_parts()->add_sections()->add_items();
  licensee.mutable_parts(0)->set_number(1);
  item->set_id("occupation.current");
  item->set_type(v1::ITEM_TYPE_SINGLE_CHOICE);
  item->set_scope(v1::ITEM_SCOPE_ADULT);  // no options: unusable
  v1::LoadDefinitionRequest load;
  load.set_definition(licensee.SerializeAsString());
  auto checked = p.session.Call<v1::LoadDefinitionResponse>(p.forms->load_definition, load);
  ASSERT_TRUE(checked.ok());
  EXPECT_FALSE(checked->usable());
  ASSERT_EQ(checked->problems_size(), 1);
  EXPECT_EQ(checked->problems(0).message().en(), "Definition error: choice item without options");
  item->add_options()->set_code("unemployed");
  item->set_required(true);
  load.set_definition(licensee.SerializeAsString());
  checked = p.session.Call<v1::LoadDefinitionResponse>(p.forms->load_definition, load);
  ASSERT_TRUE(checked.ok());
  EXPECT_TRUE(checked->usable());
  EXPECT_EQ(checked->item_count(), 1);
  load.set_definition("not a definition");
  EXPECT_EQ(p.session.Call<v1::LoadDefinitionResponse>(p.forms->load_definition, load).status().code(),
            StatusCode::kInvalidArgument);

  v1::ValidateWithDefinitionRequest validate;
  *validate.mutable_response() = Example("household-new.json");
  *validate.mutable_source()->mutable_definition() = licensee;
  auto mismatch = p.session.Call<v1::ValidateResponse>(p.forms->validate, validate);
  EXPECT_EQ(mismatch.status().code(), StatusCode::kInvalidArgument);  // pinned to 2024.1: never re-bound
  validate.mutable_response()->mutable_instrument()->set_version("2025.1-licensed");
  auto result = p.session.Call<v1::ValidateResponse>(p.forms->validate, validate);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->problems_size(), 2);  // occupation.current for p1 and p2
  EXPECT_EQ(result->validated_against().version(), "2025.1-licensed");
}

TEST(FormsAbi, RandomAndHostileRequestsNeverCrash) {
  Loaded p = Load();
  const std::array<ix_call_fn, 7> fns = {p.forms->apply_answers, p.forms->set_part_status, p.forms->migrate,
                                         p.forms->render_form,   p.forms->describe_definition,
                                         p.forms->load_definition, p.forms->validate};
  std::mt19937_64 rng(31337);
  for (int round = 0; round < 400; ++round) {
    std::string bytes(rng() % 200, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    for (ix_call_fn fn : fns) {
      auto r = p.session.CallRaw(fn, bytes);
      if (!r.ok()) {
        EXPECT_FALSE(r.status().message().empty());
        EXPECT_NE(r.status().code(), StatusCode::kInternal) << r.status().message();
      }
    }
  }
  // Well-formed but hostile edits: wrong kinds, unknown ids, huge text, clear of nothing.
  v1::ApplyAnswersRequest request;
  *request.mutable_response() = Example("household-new.json");
  request.mutable_recorder()->set_actor("hand01");
  auto* e = request.add_edits();
  e->set_item_id("am.education");
  e->set_person_ref("p1");
  e->mutable_value()->set_text("two");
  e = request.add_edits();
  e->set_item_id(std::string(100000, 'x'));
  e->set_person_ref("p1");
  e->set_text("1");
  e = request.add_edits();
  e->set_item_id("summary.own_goals");
  e->set_person_ref("p1");
  e->set_text(std::string(20'000, 'a'));  // over the item's length: reported by validation, not refused
  auto refused = p.session.Call<v1::ApplyAnswersResponse>(p.forms->apply_answers, request);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("edits[0].value: Wrong answer type: the item expects rating, got text."),
            std::string::npos) << refused.status().message().substr(0, 300);
  EXPECT_NE(refused.status().message().find("edits[1].item_id: Item '"), std::string::npos);
  request.mutable_edits()->DeleteSubrange(0, 2);
  auto drafted = p.session.Call<v1::ApplyAnswersResponse>(p.forms->apply_answers, request);
  ASSERT_TRUE(drafted.ok()) << drafted.status().ToString();
  bool too_long = false;
  for (const auto& pr : drafted->problems()) too_long = too_long || pr.code() == "text_too_long";
  EXPECT_TRUE(too_long);
  // Over the limit of characters per answer: refused before any work, naming the edit.
  request.mutable_edits(0)->set_text(std::string(3'000'000, 'a'));
  auto huge = p.session.Call<v1::ApplyAnswersResponse>(p.forms->apply_answers, request);
  EXPECT_EQ(huge.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(huge.status().message(), "edits[0].text: 3000000 characters, at most 100000");
  // Deep nesting in JSON input: refused with a message naming the depth, no crash.
  v1::InstrumentResponse deep;
  std::string nested = "{\"household\": ";
  for (int i = 0; i < 100000; ++i) nested += "{\"persons\": [";
  for (int i = 0; i < 100000; ++i) nested += "]}";
  nested += "}";
  const Status parsed = cli::ParseJson(nested, "deep.json", &deep);
  EXPECT_FALSE(parsed.ok());
  EXPECT_NE(parsed.message().find("too deep"), std::string::npos) << parsed.message();
}

// The whole CLI session of the issue (docs/examples/forms-session.sh) against its transcript.
TEST(FormsCli, SessionTranscriptMatchesGolden) {
  const std::string work = kOutput + "/session";
  std::filesystem::remove_all(work);
  const auto [code, output] = Shell(std::string(IX_TEST_EXAMPLES_DIR) + "/forms-session.sh " + IX_TEST_IXCTL + " " + work);
  ASSERT_EQ(code, 0) << output;
  std::ofstream(kOutput + "/forms-session.txt") << output;
  EXPECT_EQ(output, ReadText(kGolden + "/forms-session.txt"))
      << "regenerate: cp " << kOutput << "/forms-session.txt " << kGolden;
  // The sample household is exactly the state after part 4 was completed.
  v1::InstrumentResponse completed, sample = Example("household.json");
  ASSERT_TRUE(cli::ParseJson(ReadText(work + "/hh-completed.json"), "hh-completed.json", &completed).ok());
  completed.set_response_ref(sample.response_ref());
  EXPECT_EQ(cli::ToJson(completed), cli::ToJson(sample));
}

// A licensee's definition from a file: used only for responses pinned to exactly it.
TEST(FormsCli, ValidateWithALicenseeDefinitionFile) {
  const std::string pin = "\"version\": \"2024.1\"", licensed = "\"version\": \"2024.1-lic\"";
  std::string definition = ReadText(std::string(IX_TEST_DEFINITIONS_DIR) + "/instrument-x-2024.1.json");
  definition.replace(definition.find(pin), pin.size(), licensed);
  const std::string definition_file = kOutput + "/licensee-2024.1-lic.json";
  std::ofstream(definition_file) << definition;
  std::string response = ReadText(kExamples + "/household.json");
  const std::string response_file = kOutput + "/household-lic.json";
  std::ofstream(response_file) << response.replace(response.find(pin), pin.size(), licensed);
  const std::string ixctl = IX_TEST_IXCTL;
  auto [code, out] = Shell(ixctl + " validate " + response_file + " --as-of 2025-01-15 --definition-file " + definition_file);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("instrument-x@2024.1-lic: valid (0 error(s), 0 warning(s))"), std::string::npos) << out;
  std::tie(code, out) = Shell(ixctl + " validate " + kExamples + "/household.json --definition-file " + definition_file);
  EXPECT_EQ(code, 3) << out;
  EXPECT_NE(out.find("does not match the licensee definition instrument-x@2024.1-lic (a response is never re-bound)"),
            std::string::npos) << out;
}

// PNG width and height from the IHDR chunk.
std::pair<uint32_t, uint32_t> PngSize(const std::string& png) {
  if (png.size() < 24 || png.compare(1, 3, "PNG") != 0) return {0, 0};
  auto be32 = [&](size_t at) {
    return (uint32_t{static_cast<unsigned char>(png[at])} << 24) | (uint32_t{static_cast<unsigned char>(png[at + 1])} << 16) |
           (uint32_t{static_cast<unsigned char>(png[at + 2])} << 8) | uint32_t{static_cast<unsigned char>(png[at + 3])};
  };
  return {be32(16), be32(20)};
}

TEST(FormsPrint, AccessibleSelfContainedHtmlAndChromiumScreenshot) {
  Loaded p = Load();
  for (const char* lang : {"sv", "en"}) {
    v1::RenderFormRequest request;
    request.mutable_definition()->set_instrument_id("instrument-x");
    request.mutable_definition()->set_version("2025.1");
    request.set_language(lang);
    request.set_municipality(std::string(lang) == "sv" ? "Södertälje kommun" : "Nynäshamn municipality");
    auto rendered = p.session.Call<v1::RenderFormResponse>(p.forms->render_form, request);
    ASSERT_TRUE(rendered.ok()) << rendered.status().ToString();
    const std::string& html = rendered->html();
    EXPECT_NE(html.find(std::string("<html lang=\"") + lang + "\" dir=\"ltr\">"), std::string::npos);
    EXPECT_NE(html.find(request.municipality()), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("http"), std::string::npos);  // nothing external
    EXPECT_EQ(html.find("<h1>"), html.rfind("<h1>"));  // exactly one h1
    // Every input and textarea has a <label for=…> naming its id.
    std::set<std::string> ids, labelled;
    auto collect = [&html](const RE2& pattern, std::set<std::string>& into) {
      re2::StringPiece rest(html);
      std::string id;
      while (RE2::FindAndConsume(&rest, pattern, &id)) into.insert(id);
    };
    collect(RE2("<(?:input|textarea)[^>]* id=\"([^\"]+)\""), ids);
    collect(RE2("<label[^>]* for=\"([^\"]+)\""), labelled);
    EXPECT_GT(ids.size(), 300u);
    for (const std::string& id : ids) EXPECT_TRUE(labelled.count(id)) << "no label for " << id;
    EXPECT_NE(html.find("font-size: 18px"), std::string::npos);
    EXPECT_NE(html.find("@media print"), std::string::npos);
    const std::string file = kOutput + "/form-2025.1-" + lang + ".html";
    std::ofstream(file, std::ios::binary) << html;

    if (!std::filesystem::exists("/usr/bin/chromium")) IX_MISSING_STACK("chromium is not installed");
    const std::string png = kOutput + "/form-2025.1-" + lang + ".png";
    std::filesystem::remove(png);
    const std::string profile = kOutput + "/chromium-profile-" + lang;
    std::filesystem::remove_all(profile);
    const auto [code, output] = Shell(
        "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" + profile +
        " --screenshot=" + png + " --window-size=1200,1600 file://" + file);
    ASSERT_EQ(code, 0) << output;
    const std::string image = ReadText(png);
    EXPECT_EQ(PngSize(image), (std::pair<uint32_t, uint32_t>{1200, 1600}));
    EXPECT_GT(image.size(), 30000u);  // a page of text, not a blank screen
  }
}

}  // namespace
}  // namespace ix
