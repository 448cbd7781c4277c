// Network extracts and the network report under attack. Several municipalities' events are
// generated, each municipality protects and exports its extract, the network combines them;
// then an attacker written independently of the suppression code (its own elimination and
// interval propagation, not disclosure.cpp's) takes everything published — every extract, and
// network reports over every subset of the municipalities — and tries to pin each hidden cell
// to one value. Plus hand-computed combinations, and every refusal of a bad extract.
#include <ix/base/crypto.hpp>
#include <ix/statistics/publication.hpp>
#include <ix/statistics/synthetic.hpp>
#include <ix/store/event_store.hpp>
#include <ix/store/keys.hpp>
#include <ix/store/network.hpp>
#include <ix/store/synthetic_events.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include <unistd.h>
#include "interval_attacker.hpp"
#include "test_util.hpp"

namespace ix::test {
namespace {
namespace stats = ix::statistics;
namespace fs = std::filesystem;
using stats::CellStatus;

// --- Municipalities -------------------------------------------------------------------------

struct Municipality {
  std::string code;
  int64_t persons;
  uint64_t seed;
};

// A municipality's movements and KAS for `year`, protected under the network definition.
Published PublishYear(const Municipality& m, int year) {
  const stats::Reports r = GeneratedYear(m.persons, m.seed, 2021, 3, year);
  Published out{m.code, {}};
  for (stats::ReportKind kind : {stats::ReportKind::kMovements, stats::ReportKind::kKas}) {
    out.publications.push_back(stats::Publish(kind, r));
    stats::Protect(out.publications.back(), false, store::kNetworkThreshold);
  }
  return out;
}

struct Keys {
  std::map<std::string, base::crypto::SigningKeyPair> of;
  std::vector<store::TrustedKey> trusted;
  void Add(const std::string& code) {
    of[code] = base::crypto::GenerateSigningKeyPair();
    trusted.push_back({of[code].public_key_hex, code});
  }
};

v1::SignedStatisticsExtract Sign(const Published& p, int year, const Keys& keys) {
  store::ExtractInput input;
  input.municipality_code = p.municipality;
  input.rule_set_version = "2026.1";
  input.definition_version = "2026.1";
  input.created_at = "2027-01-15T09:00:00Z";
  const std::string y = std::to_string(year);
  auto signed_extract = store::SignExtract(store::ExtractOf(p.publications, input, y + "-01-01", y + "-12-31"),
                                           keys.of.at(p.municipality).secret_key_hex);
  EXPECT_TRUE(signed_extract.ok()) << signed_extract.status().message();
  return *signed_extract;
}

v1::NetworkReport Network(const std::vector<v1::SignedStatisticsExtract>& extracts, const Keys& keys,
                          v1::ReportKind kind) {
  auto report = store::BuildNetworkReport(extracts, keys.trusted, kind, stats::Language::kEn);
  EXPECT_TRUE(report.ok()) << report.status().message();
  return report.ok() ? *report : v1::NetworkReport{};
}

const std::vector<Municipality> kNetwork = {
    {"0181", 900, 11}, {"0182", 260, 12}, {"0186", 140, 13}, {"0192", 420, 14}};

// The whole attack: four municipalities of different sizes, extracts of two years, network
// reports of both kinds over every subset of two or more municipalities (differencing
// municipalities: the network total of a subset minus another subset), both years together
// (differencing periods). No hidden cell may be pinned to one value — by differencing
// (elimination) or by interval propagation with the published bounds — neither from the
// extracts alone nor with every network report.
TEST(NetworkDisclosure, NothingHiddenIsRecoverableFromExtractsAndNetworkReports) {
  Keys keys;
  for (const auto& m : kNetwork) keys.Add(m.code);
  Attacker extracts_only(store::kNetworkThreshold), everything(store::kNetworkThreshold);
  int reports = 0;
  for (int year : {2022, 2023}) {
    std::vector<v1::SignedStatisticsExtract> extracts;
    for (const auto& m : kNetwork) {
      Published published = PublishYear(m, year);
      extracts.push_back(Sign(published, year, keys));
      published.municipality += "/" + std::to_string(year);  // the two years are different unknowns
      extracts_only.AddMunicipality(published);
      everything.AddMunicipality(published);
    }
    for (unsigned subset = 1; subset < (1u << kNetwork.size()); ++subset) {
      if (__builtin_popcount(subset) < 2) continue;
      std::vector<v1::SignedStatisticsExtract> chosen;
      for (size_t i = 0; i < kNetwork.size(); ++i) {
        if (subset & (1u << i)) chosen.push_back(extracts[i]);
      }
      for (v1::ReportKind kind : {v1::REPORT_KIND_MOVEMENTS, v1::REPORT_KIND_KAS}) {
        v1::NetworkReport report = Network(chosen, keys, kind);
        for (auto& t : *report.mutable_tables()) {
          for (auto& code : *t.mutable_municipality_codes()) code += "/" + std::to_string(year);
        }
        everything.AddNetworkReport(report);
        ++reports;
      }
    }
  }
  EXPECT_EQ(reports, 2 * 11 * 2);
  ASSERT_GT(everything.unknowns(), 100u) << "the small municipalities must have hidden cells to attack";
  ASSERT_GT(everything.network_equations(), 1000) << "the network reports must publish totals";
  const auto baseline = extracts_only.Attack();
  const auto pinned = everything.Attack();
  size_t nonzero = 0, shown = 0;
  for (const auto& pin : baseline) {
    nonzero += pin.value > 0;
    if (++shown <= 20) {
      ADD_FAILURE() << pin.cell << " is pinned to " << pin.value << " from the extracts alone"
                    << (pin.linear ? " (by elimination)" : " (by interval propagation)");
    }
  }
  for (const auto& pin : pinned) {
    if (baseline.count(pin) == 0 && ++shown <= 40) {
      ADD_FAILURE() << pin.cell << " is pinned to " << pin.value << " with the network reports"
                    << (pin.linear ? " (by differencing)" : " (by interval propagation)");
    }
  }
  EXPECT_TRUE(baseline.empty());
  EXPECT_TRUE(pinned.empty());
  std::printf("hidden cells %zu; pinned from the extracts alone: %zu, %zu of them not zero (with every network "
              "report: %zu)\n", everything.unknowns(), baseline.size(), nonzero, pinned.size());
}

// The same attacker against a network that pools: totals of every cell from the true counts
// (what a central database would publish). It must pin more than from the extracts alone, and
// by differencing — else the test above proves nothing.
TEST(NetworkDisclosure, TheAttackerBreaksANetworkThatPoolsTrueCounts) {
  Attacker extracts_only(store::kNetworkThreshold), attacker(store::kNetworkThreshold);
  std::vector<Published> published;
  for (const auto& m : kNetwork) {
    published.push_back(PublishYear(m, 2023));
    attacker.AddMunicipality(published.back());
    extracts_only.AddMunicipality(published.back());
  }
  v1::NetworkReport pooled;
  const stats::Publication& first = published.front().publications.front();  // movements
  for (size_t t = 0; t < first.tables.size(); ++t) {
    v1::NetworkTable* table = pooled.add_tables();
    table->set_id(first.tables[t].id);
    for (const auto& m : published) table->add_municipality_codes(m.municipality);
    const stats::CountTable& shape = first.tables[t];
    for (int r = 0; r < shape.ExtRows(); ++r) {
      auto* row = table->mutable_network()->add_rows();
      row->set_label(r < shape.Rows() ? shape.row_labels[static_cast<size_t>(r)].en : "Total");
      row->set_total(r >= shape.Rows());
      for (int c = 0; c < shape.ExtColumns(); ++c) {
        int64_t sum = 0;
        for (const auto& m : published) sum += m.publications.front().tables[t].At(r, c);
        row->add_cells()->set_count(sum);
      }
    }
  }
  attacker.AddNetworkReport(pooled);
  const auto baseline = extracts_only.Attack();
  const auto pinned = attacker.Attack();
  int linear = 0;
  for (const auto& pin : pinned) linear += pin.linear;
  EXPECT_GT(pinned.size(), baseline.size());
  EXPECT_GT(linear, 0) << "pooled totals minus the other municipalities give hidden cells back";
}

// --- Hand-computed combinations -------------------------------------------------------------

stats::Publication OneTable(const std::string& id, const std::vector<std::string>& rows,
                            const std::vector<std::vector<int64_t>>& inner) {
  stats::Publication p;
  p.kind = stats::ReportKind::kMovements;
  stats::CountTable t;
  t.id = id;
  for (const auto& r : rows) t.row_labels.push_back({r, r});
  t.column_labels = {{"a", "a"}, {"b", "b"}, {"c", "c"}};
  t.Allocate();
  for (size_t r = 0; r < inner.size(); ++r) {
    for (size_t c = 0; c < inner[r].size(); ++c) t.At(static_cast<int>(r), static_cast<int>(c)) = inner[r][c];
  }
  t.ComputeTotals();
  p.tables.push_back(std::move(t));
  stats::Protect(p, false, 5);
  return p;
}

std::string Display(const v1::StatisticsTable& t, int row, int column) { return t.rows(row).cells(column).display(); }

TEST(NetworkReport, HandComputedTotalsOnlyWhereEveryMunicipalityPublished) {
  // 0181: the 2 is primary; suppression hides a partner in its row and column.
  // 0182: everything at least 5, nothing hidden; it has a row "z" that 0181 does not list.
  Keys keys;
  keys.Add("0181");
  keys.Add("0182");
  Published a{"0181", {OneTable("movements.women", {"x", "y"}, {{2, 7, 9}, {6, 8, 10}})}};
  Published b{"0182", {OneTable("movements.women", {"x", "y", "z"}, {{5, 6, 7}, {8, 9, 10}, {11, 12, 13}})}};
  const auto& ta = a.publications[0].tables[0];
  ASSERT_EQ(ta.StatusAt(0, 0), CellStatus::kPrimary);
  const auto report = Network({Sign(a, 2023, keys), Sign(b, 2023, keys)}, keys, v1::REPORT_KIND_MOVEMENTS);
  ASSERT_EQ(report.tables_size(), 1);
  const v1::NetworkTable& t = report.tables(0);
  ASSERT_EQ(t.municipality_codes_size(), 2);
  EXPECT_EQ(t.municipality_codes(0), "0181");
  const v1::StatisticsTable& n = t.network();
  ASSERT_EQ(n.rows_size(), 4);  // x, y, z, total
  EXPECT_EQ(n.rows(2).label(), "z");
  // Row z: 0181 has nobody there (a zero), so the network shows 0182's counts.
  EXPECT_EQ(Display(t.municipalities(0), 2, 0), "0");
  EXPECT_EQ(Display(n, 2, 0), "11");
  EXPECT_EQ(Display(n, 2, 3), "36");
  // Every cell: hidden in 0181 -> withheld in the network, else the sum of both.
  const int64_t b_cells[4][4] = {{5, 6, 7, 18}, {8, 9, 10, 27}, {11, 12, 13, 36}, {24, 27, 30, 81}};
  const int a_row[4] = {0, 1, -1, 2};
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) {
      const v1::StatisticsCell& cell = n.rows(r).cells(c);
      const bool a_shown = a_row[r] < 0 || ta.StatusAt(a_row[r], c) == CellStatus::kShown;
      if (!a_shown) {
        EXPECT_FALSE(cell.has_count()) << r << "," << c;
        EXPECT_EQ(cell.display(), "..");
        EXPECT_EQ(cell.status(), v1::CELL_STATUS_SUPPRESSED_SECONDARY);
      } else {
        const int64_t from_a = a_row[r] < 0 ? 0 : ta.At(a_row[r], c);
        ASSERT_TRUE(cell.has_count()) << r << "," << c;
        EXPECT_EQ(cell.count(), from_a + b_cells[r][c]) << r << "," << c;
      }
    }
  }
  // The primary cell: "<5" in 0181's table, ".." in the network, 0182's 5 shown.
  EXPECT_EQ(Display(t.municipalities(0), 0, 0), "<5");
  EXPECT_EQ(Display(t.municipalities(1), 0, 0), "5");
  EXPECT_EQ(Display(n, 0, 0), "..");
  // What pooling would have printed there (7) minus 0182's 5 is 0181's hidden 2: never shown.
  const std::string csv = store::RenderNetworkCsv(report);
  EXPECT_NE(csv.find("movements,movements.women,x,a,0181,<5,\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("movements,movements.women,x,a,network,..,\r\n"), std::string::npos);
  EXPECT_NE(csv.find("movements,movements.women,z,c,network,13,13\r\n"), std::string::npos);
}

TEST(NetworkReport, HtmlHasTheWomenAndMenChartAndEveryTable) {
  Keys keys;
  std::vector<v1::SignedStatisticsExtract> extracts;
  for (const auto& m : {kNetwork[0], kNetwork[3]}) {
    keys.Add(m.code);
    extracts.push_back(Sign(PublishYear(m, 2023), 2023, keys));
  }
  const auto report = Network(extracts, keys, v1::REPORT_KIND_MOVEMENTS);
  const std::string html = store::RenderNetworkHtml(report);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("class=\"women\""), std::string::npos);
  EXPECT_NE(html.find("class=\"men\""), std::string::npos);
  EXPECT_NE(html.find("<h2>movements.women_and_men</h2>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // The network's women = the sum of both municipalities' (both publish their totals).
  const v1::NetworkTable* women = nullptr;
  for (const auto& t : report.tables()) {
    if (t.id() == "movements.women") women = &t;
  }
  ASSERT_NE(women, nullptr);
  const auto total = [](const v1::StatisticsTable& t) { return t.rows(t.rows_size() - 1).cells(t.rows(0).cells_size() - 1); };
  ASSERT_TRUE(total(women->municipalities(0)).has_count()) << "both publish their women's total";
  ASSERT_TRUE(total(women->municipalities(1)).has_count());
  ASSERT_TRUE(total(women->network()).has_count());
  EXPECT_EQ(total(women->network()).count(),
            total(women->municipalities(0)).count() + total(women->municipalities(1)).count());
}

// --- Refusals -------------------------------------------------------------------------------

class NetworkRefusal : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_.Add("0181");
    keys_.Add("0182");
    a_ = Sign(PublishYear(kNetwork[0], 2023), 2023, keys_);
    b_ = Sign(PublishYear({"0182", 260, 12}, 2023), 2023, keys_);
  }
  Status Combine(const std::vector<v1::SignedStatisticsExtract>& extracts,
                 v1::ReportKind kind = v1::REPORT_KIND_KAS) {
    auto r = store::BuildNetworkReport(extracts, keys_.trusted, kind, stats::Language::kEn);
    return r.ok() ? Status::Ok() : r.status();
  }
  static std::string Path(const Status& s) { return s.problems().empty() ? "" : s.problems().front().path; }
  v1::StatisticsExtract Content(const v1::SignedStatisticsExtract& s) {
    v1::StatisticsExtract e;
    EXPECT_TRUE(e.ParseFromString(s.extract()));
    return e;
  }
  v1::SignedStatisticsExtract Resign(const v1::StatisticsExtract& e, const std::string& code) {
    auto s = store::SignExtract(e, keys_.of.at(code).secret_key_hex);
    EXPECT_TRUE(s.ok());
    return *s;
  }
  Keys keys_;
  v1::SignedStatisticsExtract a_, b_;
};

TEST_F(NetworkRefusal, BothTogetherAreAccepted) { EXPECT_TRUE(Combine({a_, b_}).ok()); }

TEST_F(NetworkRefusal, ATamperedExtractIsRefusedNamingTheMunicipality) {
  v1::StatisticsExtract e = Content(b_);
  // Change the extract after signing: the bytes change, the signature no longer verifies.
  e.set_created_at("2027-01-16T09:00:00Z");
  v1::SignedStatisticsExtract tampered = b_;
  tampered.set_extract(e.SerializeAsString());
  const Status s = Combine({a_, tampered});
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Path(s), "extracts[1].signature_hex");
  EXPECT_NE(s.message().find("municipality 0182"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("does not verify"), std::string::npos) << s.message();
  // One flipped byte of the signature itself.
  v1::SignedStatisticsExtract flipped = a_;
  flipped.mutable_signature_hex()->at(0) = flipped.signature_hex()[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(Path(Combine({flipped, b_})), "extracts[0].signature_hex");
}

TEST_F(NetworkRefusal, UnsignedUntrustedAndForeignKeysAreRefused) {
  v1::SignedStatisticsExtract unsigned_extract = b_;
  unsigned_extract.clear_signature_hex();
  Status s = Combine({a_, unsigned_extract});
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("municipality 0182 is unsigned"), std::string::npos) << s.message();

  // Signed by 0181's key but claiming to be 0182.
  s = Combine({a_, Resign(Content(b_), "0181")});
  EXPECT_EQ(Path(s), "extracts[1].signer_public_key_hex");
  EXPECT_NE(s.message().find("key of municipality 0181"), std::string::npos) << s.message();

  // Signed by a key nobody trusts.
  const auto stranger = base::crypto::GenerateSigningKeyPair();
  auto foreign = store::SignExtract(Content(b_), stranger.secret_key_hex);
  ASSERT_TRUE(foreign.ok());
  s = Combine({a_, *foreign});
  EXPECT_EQ(Path(s), "extracts[1].signer_public_key_hex");
  EXPECT_NE(s.message().find("not among the trusted keys"), std::string::npos) << s.message();
}

TEST_F(NetworkRefusal, AnotherPeriodOrKindIsRefusedPrecisely) {
  v1::StatisticsExtract other_year = Content(b_);
  other_year.set_from_date("2022-01-01");
  other_year.set_to_date("2022-12-31");
  Status s = Combine({a_, Resign(other_year, "0182")});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Path(s), "extracts[1].extract.from_date");
  EXPECT_NE(s.message().find("(municipality 0182) has from_date '2022-01-01', the first extract (0181) '2023-01-01'"),
            std::string::npos)
      << s.message();

  v1::StatisticsExtract movements_only = Content(b_);
  movements_only.mutable_reports()->RemoveLast();  // drops KAS
  s = Combine({a_, Resign(movements_only, "0182")});
  EXPECT_EQ(Path(s), "extracts[1].extract.reports");
  EXPECT_NE(s.message().find("municipality 0182) holds no kas report (it holds movements)"), std::string::npos)
      << s.message();

  // A period that is not a calendar year (a differencing attack on two overlapping periods
  // needs one) is not an extract at all.
  v1::StatisticsExtract shifted = Content(b_);
  shifted.set_from_date("2023-02-01");
  s = Combine({a_, Resign(shifted, "0182")});
  EXPECT_EQ(Path(s), "extracts[1].extract.from_date");
  EXPECT_NE(s.message().find("is not the first of January"), std::string::npos) << s.message();

  v1::StatisticsExtract versions = Content(b_);
  versions.set_rule_set_version("2025.1");
  EXPECT_EQ(Path(Combine({a_, Resign(versions, "0182")})), "extracts[1].extract.rule_set_version");

  EXPECT_EQ(Path(Combine({a_, a_})), "extracts[1].extract.municipality_code");
  EXPECT_EQ(Path(Combine({a_, b_}, v1::REPORT_KIND_SNAPSHOT)), "kind");
}

TEST_F(NetworkRefusal, ContentThatWasNeverProtectedIsRefused) {
  v1::StatisticsExtract e = Content(b_);
  // A shown 3: below the threshold, so not under disclosure control.
  auto* cell = e.mutable_reports(0)->mutable_tables(0)->mutable_cells(0);
  cell->set_status(v1::CELL_STATUS_SHOWN);
  cell->set_count(3);
  Status s = Combine({a_, Resign(e, "0182")});
  EXPECT_EQ(Path(s), "extracts[1].extract.reports[0].tables[0].cells[0].count");
  EXPECT_NE(s.message().find("shows 3, below the threshold 5"), std::string::npos) << s.message();
  // A hidden cell that carries its count.
  e = Content(b_);
  for (auto& c : *e.mutable_reports(0)->mutable_tables(0)->mutable_cells()) {
    if (c.status() != v1::CELL_STATUS_SHOWN) {
      c.set_count(2);
      break;
    }
  }
  s = Combine({a_, Resign(e, "0182")});
  EXPECT_NE(s.message().find("a hidden count never leaves the municipality"), std::string::npos) << s.message();
  // Shown cells that do not add up to their shown total: a table with nothing to hide, one
  // cell raised after publication.
  const Published whole{"0181", {OneTable("movements.women", {"x", "y"}, {{5, 6, 7}, {8, 9, 10}})}};
  e = Content(Sign(whole, 2023, keys_));
  e.mutable_reports(0)->mutable_tables(0)->mutable_cells(0)->set_count(6);
  s = Combine({Resign(e, "0181")}, v1::REPORT_KIND_MOVEMENTS);
  EXPECT_EQ(Path(s), "extracts[0].extract.reports[0].tables[0].cells[3]");
  EXPECT_NE(s.message().find("the row total shows 18, its shown cells add up to 19"), std::string::npos) << s.message();
}

TEST_F(NetworkRefusal, ParsingIsBounded) {
  std::string huge(store::ExtractLimits::kMaxSignedBytes + 1, 'x');
  auto parsed = store::ParseSignedExtract(huge);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "extract: 4194305 bytes, more than the limit of 4194304");
  EXPECT_FALSE(store::ParseSignedExtract("\xff\xff\xff").ok());
  v1::SignedStatisticsExtract v2 = a_;
  v2.set_format_version(2);
  parsed = store::ParseSignedExtract(v2.SerializeAsString());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "format_version: version 2 is not supported (this reader reads version 1)");
  ASSERT_TRUE(store::ParseSignedExtract(a_.SerializeAsString()).ok());

  v1::StatisticsExtract e = Content(a_);
  auto* table = e.mutable_reports(0)->mutable_tables(0);
  for (int i = 0; i <= store::ExtractLimits::kMaxRows; ++i) table->add_row_keys("r" + std::to_string(i));
  const Status s = store::CheckExtract(e);
  EXPECT_EQ(s.problems().front().path, "extract.reports[0].tables[0].row_keys");
  EXPECT_NE(s.message().find("more than the limit of 1024"), std::string::npos) << s.message();
}

// --- From the event store -------------------------------------------------------------------

TEST(NetworkExtract, ExportedFromAStoreCarriesNoPseudonymAndVerifies) {
  const fs::path dir = fs::temp_directory_path() / ("ix-network-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "keys");
  {
    auto db = store::OpenWithKeyDir(dir / "0192.sqlite", dir / "keys");
    ASSERT_TRUE(db.ok()) << db.status().message();
    stats::SyntheticParams params;
    params.persons = 300;
    params.years = 3;
    params.seed = 5;
    params.first_day = stats::DayFromDate({2021, 1, 1});
    std::vector<v1::Event> events;
    ASSERT_TRUE((*db)->Begin().ok());
    stats::GenerateSynthetic(params, [&](const stats::SyntheticPerson& p) {
      store::ToEvents(p, "0192", params.seed, events);
      for (const auto& e : events) ASSERT_TRUE((*db)->Add(e).ok());
    });
    ASSERT_TRUE((*db)->Commit().ok());
    const auto key = base::crypto::GenerateSigningKeyPair();
    store::ExtractInput input;
    input.municipality_code = "0192";
    input.year = 2023;
    input.rule_set_version = "2026.1";
    input.definition_version = "2026.1";
    input.created_at = "2024-01-10T08:00:00Z";
    auto extract = store::ExportExtract(**db, input, key.secret_key_hex);
    ASSERT_TRUE(extract.ok()) << extract.status().message();
    const std::string bytes = extract->SerializeAsString();
    EXPECT_EQ(bytes.find("k1:"), std::string::npos) << "no pseudonym in an extract";
    EXPECT_EQ(bytes.find("cw-"), std::string::npos) << "no caseworker in an extract";
    auto verified = store::VerifyExtract(*extract, {{key.public_key_hex, "0192"}});
    ASSERT_TRUE(verified.ok()) << verified.status().message();
    EXPECT_EQ(verified->from_date(), "2023-01-01");
    EXPECT_EQ(verified->to_date(), "2023-12-31");
    ASSERT_EQ(verified->reports_size(), 2);
    EXPECT_EQ(verified->reports(0).kind(), v1::REPORT_KIND_MOVEMENTS);
    EXPECT_EQ(verified->reports(1).kind(), v1::REPORT_KIND_KAS);
    // The same store and year give the same cells: there is no second version to difference.
    auto again = store::ExportExtract(**db, input, key.secret_key_hex);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->extract(), extract->extract());

    input.year = 1999;
    EXPECT_EQ(store::ExportExtract(**db, input, key.secret_key_hex).status().message(),
              "year: 1999 is outside 2000..2100 (an extract covers one calendar year)");
    input.year = 2023;
    input.kinds = {stats::ReportKind::kSnapshot};
    EXPECT_EQ(store::ExportExtract(**db, input, key.secret_key_hex).status().message(),
              "kinds[0]: snapshot is not in the network definition ix-network/1 (movements, kas)");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ix::test
