// The languages of reports: the reader's tag, the fallback rule (the domain's, as for the
// definitions), the text table checked as a definition's texts are, every fixed report text
// translated, and the renderers' output in Arabic, Finnish and a tag without report texts.
#include <ix/base/crypto.hpp>
#include <ix/core/language.hpp>
#include <ix/core/limits.hpp>
#include <ix/statistics/publication.hpp>
#include <ix/statistics/render.hpp>
#include <ix/statistics/synthetic.hpp>
#include <ix/statistics/texts.hpp>
#include <ix/store/network.hpp>
#include <ix/store/reports.hpp>

#include "ix/v1/network.pb.h"
#include "ix/v1/statistics.pb.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <set>
#include <string>
#include <vector>
#include "test_util.hpp"

namespace ix::test {
namespace {
namespace stats = ix::statistics;

stats::Language Reader(const std::string& tag) {
  const auto lang = stats::ParseLanguage(tag);
  EXPECT_TRUE(lang.has_value()) << tag;
  return lang.value_or(stats::Language::kEn);
}

const int kFurtherInvestigation = 8;  // CategoryLabel index

// Runs `ixctl ARGS`: its exit status and what it wrote to stdout and stderr.
std::pair<int, std::string> Ixctl(const std::string& args) {
  FILE* pipe = ::popen((std::string(IX_TEST_IXCTL) + " " + args + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string out;
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(ReportLanguage, FallbackTable) {
  struct Case {
    const char* requested;
    const char* canonical;
    const char* used;
    const char* category;  // CategoryLabel(further investigation) as the reader gets it
    const char* new_text;  // a text with only sv and en (a report added later)
  };
  const Case cases[] = {
      {"ar", "ar", "ar", "مزيد من التحقيق", "Ledtider"},
      {"ar-SE", "ar-SE", "ar", "مزيد من التحقيق", "Ledtider"},
      {"AR-se", "ar-SE", "ar", "مزيد من التحقيق", "Ledtider"},
      {"ar-Arab", "ar-Arab", "ar", "مزيد من التحقيق", "Ledtider"},
      {"fi", "fi", "fi", "Lisäselvitys", "Ledtider"},
      {"fi-FI", "fi-FI", "fi", "Lisäselvitys", "Ledtider"},
      {"sv", "sv", "sv", "Vidare utredning", "Ledtider"},
      {"sv-x-easy", "sv-x-easy", "sv", "Vidare utredning", "Ledtider"},  // easy-read is not a report language
      {"sv-FI", "sv-FI", "sv", "Vidare utredning", "Ledtider"},
      {"en", "en", "en", "Further investigation", "Lead times"},
      {"en-GB", "en-GB", "en", "Further investigation", "Lead times"},
      {"de", "de", "sv", "Vidare utredning", "Ledtider"},  // not English: Swedish is the last resort
      {"zh-Hant-TW", "zh-Hant-TW", "sv", "Vidare utredning", "Ledtider"},
      {"so", "so", "sv", "Vidare utredning", "Ledtider"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.requested);
    const auto lang = stats::ParseLanguage(c.requested);
    ASSERT_TRUE(lang.has_value());
    EXPECT_EQ(lang->requested.tag, c.canonical);
    EXPECT_EQ(lang->used, c.used);
    EXPECT_EQ(stats::InLanguage(stats::CategoryLabel(kFurtherInvestigation), *lang), c.category);
    std::string used;
    EXPECT_EQ(stats::InLanguage({"Ledtider", "Lead times"}, *lang, &used), c.new_text);
    EXPECT_EQ(used, std::string(c.new_text) == "Lead times" ? "en" : "sv");
  }
  EXPECT_TRUE(Reader("ar").RightToLeft());
  EXPECT_TRUE(Reader("ar-SE").RightToLeft());
  EXPECT_FALSE(Reader("fi").RightToLeft());
  EXPECT_FALSE(Reader("fa").RightToLeft());  // no Persian report texts: the Swedish page is left to right
}

TEST(ReportLanguage, MalformedTagsAreRefusedSayingWhy) {
  for (const char* tag : {"", "x-easy", "en_GB", "sv--x", "i-klingon", "sv-x", "1sv", "a",
                          "sv-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    std::string why;
    EXPECT_FALSE(stats::ParseLanguage(tag, &why).has_value()) << tag;
    EXPECT_FALSE(why.empty()) << tag;
  }
}

// The report texts are checked like a definition's: the same language list rule (sv and en
// required, tags well-formed and once, notes for listed languages), the same text limits.
TEST(ReportLanguage, TheTextTableIsCheckedLikeADefinition) {
  std::vector<core::Problem> problems;
  core::CheckLanguageListLimits(stats::ReportLanguages(), "report.languages", core::DefaultLimits(), problems);
  core::CheckLanguageList(stats::ReportLanguages(), stats::ReportLanguageNotes(), true, "report.languages", problems);
  const auto& table = stats::ReportTextTable();
  ASSERT_GT(table.size(), 80u);
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < table.size(); ++i) {
    const std::string path = "report.texts[" + std::to_string(i) + "]";
    core::CheckTextLimits(table[i], path, core::DefaultLimits(), problems);
    core::CheckText(table[i], stats::ReportLanguages(), path, problems);
    EXPECT_TRUE(seen.insert({table[i].sv, table[i].en}).second) << "twice: " << table[i].en;
    // Every report language has the text, with the same placeholders.
    for (const std::string& language : stats::ReportLanguages()) {
      std::string used;
      const std::string text = core::TextIn(table[i], *core::ParseLanguageTag(language), &used);
      EXPECT_EQ(used, language) << table[i].en;
      for (const char* placeholder : {"{months}", "{below}", "{threshold}", "{municipality}", "{requested}", "{used}",
                                        "{target}", "{date}", "{days}"}) {
        EXPECT_EQ(text.find(placeholder) == std::string::npos, table[i].en.find(placeholder) == std::string::npos)
            << language << ": " << table[i].en;
      }
    }
  }
  for (const core::Problem& p : problems) ADD_FAILURE() << p.path << ": " << p.message.en;
  for (const core::LanguageNote& note : stats::ReportLanguageNotes()) {
    EXPECT_TRUE(note.representative_translation) << note.language;
    EXPECT_FALSE(note.notice.empty()) << note.language;
  }
}

// The Report RPC's `language` and `ixctl report --lang`: a malformed tag is refused naming the
// field and the tag; a well-formed one without report texts is served in the fallback language,
// and the report says which.
TEST(ReportLanguage, RequestLanguageIsCheckedAndTheReportSaysWhichWasUsed) {
  v1::ReportRequest request;
  request.set_kind(v1::REPORT_KIND_SNAPSHOT);
  request.set_municipality_code("0192");
  request.set_at_date("2023-12-31");
  for (const char* tag : {"en_GB", "x-easy", "sv--x"}) {
    request.set_language(tag);
    const auto options = store::OptionsFrom(request);
    ASSERT_FALSE(options.ok()) << tag;
    EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(options.status().message().rfind("language: '" + std::string(tag) + "' is not a well-formed BCP 47 language tag", 0), 0u)
        << options.status().message();
  }
  request.set_language(std::string(1 << 20, 'a'));  // a megabyte: refused, shown bounded
  const auto long_tag = store::OptionsFrom(request);
  ASSERT_FALSE(long_tag.ok());
  EXPECT_EQ(long_tag.status().message().rfind("language: 'aaaa", 0), 0u);
  EXPECT_LT(long_tag.status().message().size(), 300u);
  for (const auto& [tag, used] : {std::pair{"ar-SE", "ar"}, std::pair{"de", "sv"}, std::pair{"", "en"}, std::pair{"FI", "fi"}}) {
    request.set_language(tag);
    EXPECT_TRUE(store::OptionsFrom(request).ok()) << tag;
    EXPECT_EQ(store::ReportLanguage(request).used, used) << tag;
  }
  stats::Reports none;
  const stats::Publication p = stats::Publish(stats::ReportKind::kSnapshot, none);
  request.set_language("de");
  const v1::StatisticsReport de = store::ToProto(p, store::ReportLanguage(request), "0192");
  EXPECT_EQ(de.language(), "sv");
  EXPECT_EQ(de.title(), "Ögonblicksbild: personer per kategori");
  ASSERT_GT(de.notes_size(), 0);
  EXPECT_EQ(de.notes(0), "Rapportens texter finns inte på språket de; rapporten visas på sv.");
  request.set_language("ar");
  const v1::StatisticsReport ar = store::ToProto(p, store::ReportLanguage(request), "0192");
  EXPECT_EQ(ar.language(), "ar");
  EXPECT_EQ(ar.title(), "لقطة: الأشخاص حسب الفئة");
  EXPECT_EQ(ar.tables(0).id(), "snapshot.category_by_sex");  // ids stay codes
  EXPECT_EQ(ar.tables(0).column_labels(2), "المجموع");
  ASSERT_GT(ar.notes_size(), 0);
  EXPECT_NE(ar.notes(0).find("ترجمة تمثيلية"), std::string::npos);

  const auto [status, out] =
      Ixctl("report snapshot --lang en_GB --municipality 0192 --at 2023-12-31 --store /nonexistent/store.sqlite");
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("--lang: 'en_GB' is not a well-formed BCP 47 language tag"), std::string::npos) << out;
  // A long bad tag is echoed cut to 40 bytes, as the RPC does, not whole.
  const auto [long_status, long_out] = Ixctl("report snapshot --lang " + std::string(300, 'x') +
                                             " --municipality 0192 --at 2023-12-31 --store /nonexistent/store.sqlite");
  EXPECT_EQ(long_status, 2) << long_out;
  EXPECT_NE(long_out.find("--lang: '" + std::string(40, 'x') + "…' is not a well-formed BCP 47 language tag: 300 bytes"),
            std::string::npos)
      << long_out;
  EXPECT_EQ(long_out.find(std::string(41, 'x')), std::string::npos) << long_out;
}

stats::Reports Generated() { return GeneratedYear(300, 18, 2022, 2, 2023); }

// Every text of every report reaches an Arabic and a Finnish reader in their language, except
// what reads the same in every language (codes, numbers, ids) and the profile's clock names.
TEST(ReportLanguage, EveryFixedReportTextIsTranslated) {
  const stats::Reports r = Generated();
  for (const char* tag : {"ar", "fi"}) {
    const stats::Language lang = Reader(tag);
    for (stats::ReportKind kind : stats::kAllReportKinds) {
      const stats::Publication p = stats::Publish(kind, r);
      auto expect = [&](const core::LocalizedText& text, const std::string& where) {
        if (text.sv == text.en && text.translations.empty()) return;  // a code, a band, an id
        std::string used;
        stats::InLanguage(text, lang, &used);
        EXPECT_EQ(used, tag) << stats::ReportKindName(kind) << " " << where << ": " << text.en;
      };
      expect(p.title, "title");
      for (const auto& note : p.notes) expect(note, "note");
      for (const stats::CountTable& t : p.tables) {
        expect(t.title, t.id + " title");
        for (const auto& label : t.row_labels) expect(label, t.id + " row");
        if (t.id == "caseload.due") continue;  // columns name the profile's clocks (profile data)
        for (const auto& label : t.column_labels) expect(label, t.id + " column");
      }
    }
  }
}

// The network report in the reader's language (the RPC's `language`, `ixctl statistics network
// --lang`): title, notes, total label and page in that language or its fallback, which the
// report names; table ids and row and column keys stay codes; a malformed tag is refused naming
// `language`, shown bounded.
TEST(ReportLanguage, NetworkReportInTheReadersLanguage) {
  const stats::Reports r = GeneratedYear(300, 18, 2021, 3, 2023);
  std::vector<stats::Publication> publications;
  for (stats::ReportKind kind : {stats::ReportKind::kMovements, stats::ReportKind::kKas}) {
    publications.push_back(stats::Publish(kind, r));
    stats::Protect(publications.back(), false, store::kNetworkThreshold);
  }
  const auto key = base::crypto::GenerateSigningKeyPair();
  store::ExtractInput input;
  input.municipality_code = "0192";
  input.rule_set_version = "2026.1";
  input.definition_version = "2026.1";
  input.created_at = "2024-01-15T09:00:00Z";
  const auto extract = store::SignExtract(store::ExtractOf(publications, input, "2023-01-01", "2023-12-31"),
                                          key.secret_key_hex);
  ASSERT_TRUE(extract.ok()) << extract.status().message();
  const std::vector<store::TrustedKey> trusted = {{key.public_key_hex, "0192"}};
  struct Case {
    const char* tag;
    const char* used;
    const char* title;
    const char* total;
    const char* municipality_heading;  // the tables' column heading in the page
    bool rtl;
  };
  const Case cases[] = {
      {"", "en", "Network report: KAS by municipality", "Total", "Municipality", false},
      {"sv", "sv", "Nätverksrapport: KAS per kommun", "Totalt", "Kommun", false},
      {"fi-FI", "fi", "Verkostoraportti: KAS kunnittain", "Yhteensä", "Kunta", false},
      {"ar-SE", "ar", "تقرير الشبكة: KAS حسب البلدية", "المجموع", "البلدية", true},
      {"de", "sv", "Nätverksrapport: KAS per kommun", "Totalt", "Kommun", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.tag);
    const auto lang = store::ReaderLanguage(c.tag);
    ASSERT_TRUE(lang.ok()) << lang.status().message();
    const auto report = store::BuildNetworkReport({*extract}, trusted, v1::REPORT_KIND_KAS, *lang);
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_EQ(report->language(), c.used);
    EXPECT_EQ(report->title(), c.title);
    ASSERT_GT(report->tables_size(), 0);
    EXPECT_EQ(report->tables(0).id().rfind("kas.", 0), 0u) << "ids stay codes";
    const v1::StatisticsTable& network = report->tables(0).network();
    ASSERT_GT(network.column_labels_size(), 0);
    EXPECT_EQ(network.column_labels(network.column_labels_size() - 1), c.total);
    EXPECT_EQ(network.rows(network.rows_size() - 1).label(), c.total);
    const std::string notes = [&] {
      std::string all;
      for (const std::string& n : report->notes()) all += n + "\n";
      return all;
    }();
    EXPECT_EQ(notes.find("ترجمة تمثيلية") != std::string::npos, std::string(c.used) == "ar") << notes;
    EXPECT_EQ(notes.find("Rapportens texter finns inte på språket de; rapporten visas på sv.") != std::string::npos,
              std::string(c.tag) == "de") << notes;
    const std::string html = store::RenderNetworkHtml(*report);
    EXPECT_EQ(html.find("<html lang=\"" + std::string(c.used) + "\" dir=\"" + (c.rtl ? "rtl" : "ltr") + "\">"), 16u)
        << html.substr(0, 120);
    EXPECT_NE(html.find("<th class=\"l\">" + std::string(c.municipality_heading) + "</th>"), std::string::npos);
    EXPECT_NE(html.find("<h1>" + std::string(c.title) + "</h1>"), std::string::npos);
    if (std::string(c.used) == "ar") {
      for (const char* english : {"Network", "Women", "Municipality", "threshold", "rule set", "Total"}) {
        EXPECT_EQ(html.find(english), std::string::npos) << english;
      }
      EXPECT_NE(html.find(">النساء</text>"), std::string::npos) << "the chart's legend";
    }
  }
  for (const std::string& tag : {std::string("en_GB"), std::string("sv--x"), std::string(100000, 'a')}) {
    const auto refused = store::ReaderLanguage(tag);
    ASSERT_FALSE(refused.ok()) << tag.substr(0, 20);
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
    ASSERT_FALSE(refused.status().problems().empty());
    EXPECT_EQ(refused.status().problems().front().path, "language");
    EXPECT_EQ(refused.status().message().rfind("language: '" + tag.substr(0, 5), 0), 0u) << refused.status().message();
    EXPECT_LT(refused.status().message().size(), 300u) << "the tag is shown bounded";
  }
  const auto [status, out] =
      Ixctl("statistics network /nonexistent/0192.ixstat --trust /nonexistent/k.pub=0192 --lang en_GB");
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("--lang: 'en_GB' is not a well-formed BCP 47 language tag"), std::string::npos) << out;
}

// Composed texts never mix languages: a part without the reader's language makes the whole text
// fall back.
TEST(ReportLanguage, ComposedTextsFallBackWhole) {
  const stats::Language ar = Reader("ar");
  EXPECT_EQ(stats::InLanguage(stats::Concat(stats::CategoryLabel(kFurtherInvestigation), " — ", stats::SexLabel(0)), ar),
            "مزيد من التحقيق — النساء");
  EXPECT_EQ(stats::InLanguage(stats::Concat({"AM1", "AM1"}, " / ", stats::SexLabel(1)), ar), "AM1 / الرجال");
  EXPECT_EQ(stats::InLanguage(stats::Concat({"Beslut", "Decision"}, ": ", {"försenad", "overdue"}), ar),
            "Beslut: försenad");
  EXPECT_EQ(stats::InLanguage(stats::ReportHeading("0192"), Reader("fi")), "Tilastot, kunta 0192");
}

TEST(ReportLanguage, RenderedInArabicFinnishAndAFallback) {
  const stats::Reports r = Generated();
  std::vector<stats::Publication> publications;
  for (stats::ReportKind kind : stats::kAllReportKinds) {
    publications.push_back(stats::Publish(kind, r));
    stats::Protect(publications.back(), false, 5);
  }
  const std::string ar = stats::RenderHtml(publications, Reader("ar"), "x");
  EXPECT_EQ(ar.find("<html lang=\"ar\" dir=\"rtl\">"), 16u) << ar.substr(0, 200);
  EXPECT_NE(ar.find("ترجمة تمثيلية"), std::string::npos);  // marked representative
  EXPECT_NE(ar.find("<caption>الفئة × الجنس</caption>"), std::string::npos);
  EXPECT_NE(ar.find("<title>المشاركون حسب الفئة عند البدء</title>"), std::string::npos);  // SVG text
  EXPECT_NE(ar.find("<title>الوسيط بالأيام من الزيارة الأولى إلى أول تدخل</title>"), std::string::npos);
  EXPECT_NE(ar.find("<title>المؤشرات المستوفاة (العدد)</title>"), std::string::npos);
  EXPECT_NE(ar.find("<h2>المهل الزمنية"), std::string::npos) << "the lead-time heading";
  EXPECT_EQ(ar.find("Ledtid"), std::string::npos);
  EXPECT_EQ(ar.find("Indikator"), std::string::npos);
  EXPECT_NE(ar.find("ضبط الإفصاح: الخلايا التي تضم من 1 إلى 4 أشخاص تُعرض بالشكل &lt;5"), std::string::npos);
  EXPECT_EQ(ar.find("Röjandekontroll"), std::string::npos);
  EXPECT_EQ(ar.find("Disclosure control"), std::string::npos);
  // A profile clock without an Arabic name falls back to Swedish, marked as such.
  EXPECT_NE(ar.find("<span lang=\"sv\" dir=\"ltr\">"), std::string::npos);

  const std::string de = stats::RenderHtml(publications, Reader("de-AT"), "x");
  EXPECT_EQ(de.find("<html lang=\"sv\" dir=\"ltr\">"), 16u);
  EXPECT_NE(de.find("Rapportens texter finns inte på språket de-AT; rapporten visas på sv."), std::string::npos);
  EXPECT_EQ(de.find("<span lang="), std::string::npos);  // everything is in the page's language

  const std::string fi = stats::RenderCsv(publications, Reader("fi"));
  EXPECT_EQ(fi.rfind("report,table,row,column,value,count,percent,denominator\r\n", 0), 0u);  // keys
  EXPECT_NE(fi.find("snapshot,snapshot.category_by_sex,Lisäselvitys,Naiset,"), std::string::npos);
  EXPECT_NE(fi.find(",Yhteensä,"), std::string::npos);
  const std::string sv = stats::RenderCsv(publications, Reader("sv-x-easy"));
  EXPECT_EQ(sv.rfind("rapport,tabell,rad,kolumn,värde,antal,procent,nämnare\r\n", 0), 0u);
  EXPECT_NE(sv.find("snapshot,snapshot.category_by_sex,Vidare utredning,Kvinnor,"), std::string::npos);
}

}  // namespace
}  // namespace ix::test
