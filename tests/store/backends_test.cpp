// The event store suite that both backends must pass: SQLite (a file) and PostgreSQL (a real
// server, started for this test by with_postgresql.sh through pg_virtualenv; libpq finds it by
// the PG* environment that script sets). Without a server the PostgreSQL cases are skipped
// when run by hand, and fail under CI=true: a CI that silently tested SQLite only would pass
// while the shared store was never exercised.
#include <ix/store/event_store.hpp>
#include <ix/store/keys.hpp>
#include <ix/store/reports.hpp>
#include <ix/store/sqlite_event_store.hpp>
#include <ix/store/synthetic_events.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>
#include "../shell.hpp"
#include "event_builders.hpp"

namespace ix::test {
namespace {
namespace fs = std::filesystem;
namespace stats = ix::statistics;

const std::string kSecret = "test-municipality-secret-0192-xyz";
const std::string kOtherSecret = "another-municipality-secret-0180";
constexpr const char* kPnrDigits = "198112189876";

bool PostgresqlAvailable() { return std::getenv("PGHOST") != nullptr && std::getenv("PGPORT") != nullptr; }
bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::string Slug(std::string s) {
  for (char& c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) c = '_';
  }
  return s;
}

// A store location of the backend under test, for a store named `name`: a file in a fresh
// folder, or a store in the test's database (libpq takes host, port, user and password from
// the environment, so the location carries none of them).
class Backends : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    test_ = Slug(std::string(info->name())) + "_" + std::to_string(::getpid());
    dir_ = fs::temp_directory_path() / ("ix-backends-" + test_);
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "keys");
    if (GetParam() == "postgresql" && !PostgresqlAvailable()) {
      if (InCi()) FAIL() << "CI=true and no PostgreSQL server (run through with_postgresql.sh)";
      GTEST_SKIP() << "no PostgreSQL server in the environment (PGHOST/PGPORT); run through with_postgresql.sh";
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Location(const std::string& name) const {
    if (GetParam() == "sqlite") return (dir_ / (name + ".sqlite")).string();
    // Store names are unique per test run, so runs and tests never see each other's rows.
    return "postgresql://#" + name + "_" + std::to_string(std::hash<std::string>()(test_) % 1000000007);
  }
  std::unique_ptr<store::EventStore> Open(const std::string& name = "0192", std::string secret = kSecret) {
    auto s = store::EventStore::Open(Location(name), std::move(secret));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }

  std::string test_;
  fs::path dir_;
};

std::vector<v1::Event> Synthetic(int persons, uint64_t seed, const std::string& municipality = "0192") {
  stats::SyntheticParams params;
  params.persons = persons;
  params.years = 3;
  params.seed = seed;
  params.first_day = stats::DayFromDate({2021, 1, 1});
  std::vector<v1::Event> all, one;
  stats::GenerateSynthetic(params, [&](const stats::SyntheticPerson& p) {
    store::ToEvents(p, municipality, params.seed, one);
    all.insert(all.end(), one.begin(), one.end());
  });
  return all;
}

// Imports in batches of 500 through AddAll; returns how many were new.
int64_t Import(store::EventStore& db, const std::vector<v1::Event>& events) {
  int64_t inserted = 0;
  for (size_t i = 0; i < events.size(); i += 500) {
    EXPECT_TRUE(db.Begin().ok());
    auto r = db.AddAll(events.data() + i, std::min<size_t>(500, events.size() - i));
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) continue;
    for (const auto& one : *r) {
      EXPECT_TRUE(one.ok()) << one.status().message();
      if (one.ok() && *one == store::AddOutcome::kInserted) ++inserted;
    }
    EXPECT_TRUE(db.Commit().ok());
  }
  return inserted;
}

// The five reports, internal (unsuppressed: every cell counts), in request order.
std::vector<v1::StatisticsReport> Reports(const store::EventStore& db, const std::string& municipality = "0192") {
  std::vector<v1::StatisticsReport> all;
  for (v1::ReportKind kind : {v1::REPORT_KIND_SNAPSHOT, v1::REPORT_KIND_MOVEMENTS, v1::REPORT_KIND_KAS,
                              v1::REPORT_KIND_EQUALITY, v1::REPORT_KIND_CASELOAD}) {
    v1::ReportRequest r;
    r.set_kind(kind);
    r.set_municipality_code(municipality);
    r.set_from_date("2022-01-01");
    r.set_to_date("2023-06-30");
    r.set_at_date("2023-06-30");
    r.set_internal(true);
    auto report = store::BuildReport(db, r);
    EXPECT_TRUE(report.ok()) << report.status().message();
    if (report.ok()) all.push_back(*report);
  }
  return all;
}

// Compares two sets of reports cell by cell, naming the first differing cell of each table.
int64_t ExpectSameCells(const std::vector<v1::StatisticsReport>& a, const std::vector<v1::StatisticsReport>& b) {
  EXPECT_EQ(a.size(), b.size());
  int64_t cells = 0, nonzero = 0;
  for (size_t r = 0; r < std::min(a.size(), b.size()); ++r) {
    EXPECT_EQ(a[r].tables_size(), b[r].tables_size()) << a[r].title();
    for (int t = 0; t < std::min(a[r].tables_size(), b[r].tables_size()); ++t) {
      const auto& ta = a[r].tables(t);
      const auto& tb = b[r].tables(t);
      EXPECT_EQ(ta.rows_size(), tb.rows_size()) << ta.id();
      for (int i = 0; i < std::min(ta.rows_size(), tb.rows_size()); ++i) {
        EXPECT_EQ(ta.rows(i).cells_size(), tb.rows(i).cells_size()) << ta.id() << " row " << i;
        for (int j = 0; j < std::min(ta.rows(i).cells_size(), tb.rows(i).cells_size()); ++j) {
          const auto& ca = ta.rows(i).cells(j);
          const auto& cb = tb.rows(i).cells(j);
          ++cells;
          if (ca.count() != 0) ++nonzero;
          EXPECT_EQ(ca.SerializeAsString(), cb.SerializeAsString())
              << ta.id() << " row '" << ta.rows(i).label() << "' column " << j << ": " << ca.display()
              << " against " << cb.display();
        }
      }
    }
    EXPECT_EQ(a[r].flags_size(), b[r].flags_size());
    for (int f = 0; f < std::min(a[r].flags_size(), b[r].flags_size()); ++f) {
      EXPECT_EQ(a[r].flags(f).SerializeAsString(), b[r].flags(f).SerializeAsString()) << a[r].flags(f).measure();
    }
  }
  EXPECT_GT(nonzero, 10) << "reports of nothing would compare equal trivially";
  return cells;
}

TEST_P(Backends, ImportingTwiceDoesNotDoubleCount) {
  auto db = Open();
  ASSERT_TRUE(db);
  const std::vector<v1::Event> events = Synthetic(200, 3);
  EXPECT_EQ(Import(*db, events), static_cast<int64_t>(events.size()));
  EXPECT_EQ(Import(*db, events), 0);
  EXPECT_EQ(db->CountEvents(), static_cast<int64_t>(events.size()));
  EXPECT_EQ(db->CountPersons(), 200);
  // One by one through Add, the same events are duplicates too.
  ASSERT_TRUE(db->Begin().ok());
  for (size_t i = 0; i < 50; ++i) {
    auto r = db->Add(events[i]);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(*r, store::AddOutcome::kDuplicate);
  }
  ASSERT_TRUE(db->Commit().ok());
}

// Within one batch: a repeated event id counts once (the first), and a person's attribute
// unknown in its first event (sex 0) is taken from a later one — as Add does row by row.
TEST_P(Backends, ABatchBehavesAsItsEventsOneByOne) {
  auto batched = Open("batched");
  auto single = Open("single");
  ASSERT_TRUE(batched && single);
  const std::vector<v1::Event> events = {
      Period("p1", "2023-01-01", "", v1::EXIT_REASON_UNSPECIFIED, v1::SEX_UNSPECIFIED),
      Period("p1", "2023-01-01"),  // the same id again
      Period("p1-end", "2023-01-01", "2023-03-31", v1::EXIT_REASON_WORK, v1::SEX_FEMALE)};
  ASSERT_TRUE(batched->Begin().ok());
  auto outcomes = batched->AddAll(events.data(), events.size());
  ASSERT_TRUE(outcomes.ok()) << outcomes.status().message();
  ASSERT_TRUE(batched->Commit().ok());
  const std::vector<store::AddOutcome> expected = {store::AddOutcome::kInserted, store::AddOutcome::kDuplicate,
                                                   store::AddOutcome::kInserted};
  std::vector<store::AddOutcome> got;
  for (const auto& one : *outcomes) got.push_back(one.ok() ? *one : store::AddOutcome::kDuplicate);
  EXPECT_EQ(got, expected);
  for (const auto& e : events) ASSERT_TRUE(single->Add(e).ok());
  auto history = [](const store::EventStore& db) {
    std::vector<std::string> seen;
    EXPECT_TRUE(db.ForEachPerson("0192", [&](const stats::PersonHistory& h) {
                    seen.push_back(std::to_string(static_cast<int>(h.sex)) + "/" + std::to_string(h.birth_year) +
                                   "/" + std::to_string(h.periods.size()) + "/" +
                                   std::to_string(h.periods.empty() ? -1 : h.periods[0].end));
                  }).ok());
    return seen;
  };
  const auto a = history(*batched);
  EXPECT_EQ(a, history(*single));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].substr(0, 2), std::to_string(static_cast<int>(core::Sex::kFemale)) + "/");
  EXPECT_EQ(batched->CountEvents(), 2);
}

TEST_P(Backends, BadEventsNameTheFieldAndNeverEchoThePersonnummer) {
  auto db = Open();
  ASSERT_TRUE(db);
  v1::Event bad_date = Period("x1", "2023-02-30");
  v1::Event bad_pnr = Period("x2", "2023-01-01");
  bad_pnr.mutable_assistance_period()->mutable_header()->mutable_subject()->set_personnummer("19811218-9875");
  v1::Event bad_kommun = Period("x3", "2023-01-01");
  bad_kommun.mutable_assistance_period()->mutable_header()->set_municipality_code("192");
  v1::Event bad_milestone;
  *bad_milestone.mutable_milestone()->mutable_header() = Period("x4", "2023-01-01").assistance_period().header();
  bad_milestone.mutable_milestone()->mutable_header()->set_effective_date("2023-01-01");
  v1::Event no_milestone_date = bad_milestone;
  bad_milestone.mutable_milestone()->set_milestone(static_cast<v1::Milestone>(9));
  no_milestone_date.mutable_milestone()->set_milestone(v1::MILESTONE_PLAN);
  no_milestone_date.mutable_milestone()->mutable_header()->clear_effective_date();
  const std::pair<const v1::Event*, const char*> cases[] = {
      {&bad_milestone, "milestone.milestone"},
      {&no_milestone_date, "milestone.header.effective_date"},
      {&bad_date, "assistance_period.start_date"},
      {&bad_pnr, "assistance_period.header.subject.personnummer"},
      {&bad_kommun, "assistance_period.header.municipality_code"}};
  for (const auto& [event, field] : cases) {
    auto r = db->Add(*event);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.status().message().rfind(field, 0), 0u) << r.status().message();
    EXPECT_EQ(r.status().message().find("9875"), std::string::npos);
  }
  // In a batch, the bad event gets the same error and is not stored; the good ones are.
  const std::vector<v1::Event> batch = {Period("ok-1", "2023-01-01"), bad_date, bad_pnr, Period("ok-2", "2023-02-01")};
  ASSERT_TRUE(db->Begin().ok());
  auto r = db->AddAll(batch.data(), batch.size());
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(db->Commit().ok());
  ASSERT_EQ(r->size(), 4u);
  EXPECT_TRUE((*r)[0].ok() && *(*r)[0] == store::AddOutcome::kInserted);
  ASSERT_FALSE((*r)[1].ok());
  EXPECT_EQ((*r)[1].status().message().rfind("assistance_period.start_date", 0), 0u) << (*r)[1].status().message();
  ASSERT_FALSE((*r)[2].ok());
  EXPECT_EQ((*r)[2].status().message().find("9875"), std::string::npos);
  EXPECT_TRUE((*r)[3].ok() && *(*r)[3] == store::AddOutcome::kInserted);
  EXPECT_EQ(db->CountEvents(), 2);
}

// A categorisation of the test person on `day`, with the indicator facts when `facts`.
v1::Event Categorisation(const std::string& id, const char* day, v1::AmLevel am, bool facts) {
  v1::Event e;
  auto* c = e.mutable_categorisation();
  *c->mutable_header() = Period(id, day).assistance_period().header();
  c->mutable_header()->set_effective_date(day);
  c->mutable_header()->set_unit("u1");
  c->mutable_category()->set_am_level(am);
  c->set_governing_view(v1::ASSESSMENT_VIEW_CASEWORKER);
  c->set_occasion("follow_up");
  if (facts) {
    c->mutable_form_parts()->add_completed(2);
    c->mutable_form_parts()->add_completed(1);
    c->mutable_views()->mutable_caseworker()->set_am_level(am);
    c->mutable_views()->mutable_client()->set_am_level(v1::AM_LEVEL_AM1);
    c->mutable_views()->mutable_client()->add_r_kinds(v1::R_KIND_R2_MENTAL);
    auto* r = c->mutable_am_ratings();
    r->set_education(3);
    r->set_swedish(2);
    r->set_work_experience(1);
    r->set_motivation(2);
    r->set_job_seeking(2);  // health not rated
  }
  return e;
}

TEST_P(Backends, IndicatorFactsComeBackAndOldEventsReadAsNotRecorded) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Add(Categorisation("c-old", "2023-01-10", v1::AM_LEVEL_AM3, false)).ok());
  auto added = db->Add(Categorisation("c-new", "2023-03-10", v1::AM_LEVEL_AM2, true));
  ASSERT_TRUE(added.ok()) << added.status().message();
  v1::Event same = Categorisation("c-same", "2023-04-10", v1::AM_LEVEL_AM2, true);
  *same.mutable_categorisation()->mutable_views()->mutable_client() = same.categorisation().category();
  same.mutable_categorisation()->mutable_views()->clear_caseworker();
  ASSERT_TRUE(db->Add(same).ok());
  int persons = 0;
  ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory& h) {
                  ++persons;
                  ASSERT_EQ(h.categorisations.size(), 3u);
                  const stats::CategorisationRecord& old = h.categorisations[0];
                  EXPECT_EQ(old.parts, -1);
                  EXPECT_EQ(old.views, -1);
                  EXPECT_EQ(old.ratings, -1);
                  const stats::CategorisationRecord& fresh = h.categorisations[1];
                  EXPECT_EQ(fresh.parts, 0b0011);
                  // Both assessed, and the client's AM1 + R2 differs from the caseworker's AM2.
                  EXPECT_EQ(fresh.views, stats::kCaseworkerAssessed | stats::kClientAssessed | stats::kViewsDiffer);
                  EXPECT_EQ(fresh.ratings, 321022);
                  EXPECT_EQ(fresh.Rating(0), 3);
                  EXPECT_EQ(fresh.Rating(3), 0);
                  EXPECT_EQ(fresh.Rating(5), 2);
                  EXPECT_EQ(h.categorisations[2].views, stats::kClientAssessed);  // the client only
                }).ok());
  EXPECT_EQ(persons, 1);

  v1::Event bad_rating = Categorisation("c-bad-1", "2023-05-10", v1::AM_LEVEL_AM2, true);
  bad_rating.mutable_categorisation()->mutable_am_ratings()->set_health(12);
  v1::Event negative = Categorisation("c-bad-2", "2023-05-10", v1::AM_LEVEL_AM2, true);
  negative.mutable_categorisation()->mutable_am_ratings()->set_education(-1);
  v1::Event bad_part = Categorisation("c-bad-3", "2023-05-10", v1::AM_LEVEL_AM2, true);
  bad_part.mutable_categorisation()->mutable_form_parts()->add_completed(5);
  v1::Event twice = Categorisation("c-bad-4", "2023-05-10", v1::AM_LEVEL_AM2, true);
  twice.mutable_categorisation()->mutable_form_parts()->add_completed(2);
  v1::Event bad_view = Categorisation("c-bad-5", "2023-05-10", v1::AM_LEVEL_AM2, true);
  bad_view.mutable_categorisation()->mutable_views()->mutable_client()->add_r_kinds(static_cast<v1::RKind>(9));
  const std::pair<const v1::Event*, const char*> cases[] = {
      {&bad_rating, "categorisation.am_ratings.health: rating 12 is outside 0 to 9 (0: not rated)"},
      {&negative, "categorisation.am_ratings.education: rating -1 is outside 0 to 9 (0: not rated)"},
      {&bad_part, "categorisation.form_parts.completed[2]: part 5 does not exist (1 to 4)"},
      {&twice, "categorisation.form_parts.completed[2]: part 2 is given twice"},
      {&bad_view, "categorisation.views.client.r_kinds[1]: unknown or unspecified value 9"}};
  for (const auto& [event, message] : cases) {
    auto r = db->Add(*event);
    ASSERT_FALSE(r.ok()) << message;
    EXPECT_EQ(r.status().message(), message);
  }
  EXPECT_EQ(db->CountEvents(), 3);
}

TEST_P(Backends, TheKeyIsCheckedAndNeededToWrite) {
  {
    auto db = Open();
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->Add(Period("e1", "2023-01-01")).ok());
    EXPECT_EQ(db->key_id(), 1);
    EXPECT_EQ(db->Pseudonym(kPnr)->rfind("k1:", 0), 0u);
  }
  auto other = store::EventStore::Open(Location("0192"), kOtherSecret);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("does not match"), std::string::npos) << other.status().message();
  auto reader = store::EventStore::Open(Location("0192"), "");
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ((*reader)->CountEvents(), 1);
  auto refused = (*reader)->Add(Period("e2", "2023-01-01"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("without the municipality key"), std::string::npos);
  auto key_id = store::EventStore::KeyIdOf(Location("0192"));
  ASSERT_TRUE(key_id.ok()) << key_id.status().message();
  EXPECT_EQ(*key_id, 1);
  auto fresh = store::EventStore::KeyIdOf(Location("never-opened"));
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_EQ(*fresh, 0);
}

// Stores are apart: the same event id and person in two stores are two rows under two keys,
// and neither store's counts or reports see the other's.
TEST_P(Backends, TwoStoresInOneDatabaseAreApart) {
  auto a = Open("0192", kSecret);
  auto b = Open("0180", kOtherSecret);
  ASSERT_TRUE(a && b);
  const std::vector<v1::Event> events = Synthetic(100, 4);
  EXPECT_EQ(Import(*a, events), static_cast<int64_t>(events.size()));
  EXPECT_EQ(b->CountEvents(), 0);
  EXPECT_EQ(Import(*b, {events.begin(), events.begin() + 10}), 10);  // same ids: new in b
  EXPECT_EQ(a->CountEvents(), static_cast<int64_t>(events.size()));
  EXPECT_EQ(b->CountEvents(), 10);
  EXPECT_NE(*a->Pseudonym(kPnr), *b->Pseudonym(kPnr));
  int64_t persons_in_b = 0;
  ASSERT_TRUE(b->ForEachPerson("0192", [&](const stats::PersonHistory&) { ++persons_in_b; }).ok());
  EXPECT_LE(persons_in_b, 10);
}

TEST_P(Backends, ReportsFromTheStoreMatchTheGeneratorsTruth) {
  stats::SyntheticParams params;
  params.persons = 800;
  params.years = 3;
  params.seed = 11;
  params.first_day = stats::DayFromDate({2021, 1, 1});
  stats::ReportOptions o;
  o.from = stats::DayFromDate({2022, 1, 1});
  o.to = o.at = stats::DayFromDate({2023, 6, 30});
  stats::ReportEngine direct(o);
  std::vector<v1::Event> events, one;
  stats::GenerateSynthetic(params, [&](const stats::SyntheticPerson& p) {
    direct.Add(stats::HistoryOf(p));
    store::ToEvents(p, "0192", params.seed, one);
    events.insert(events.end(), one.begin(), one.end());
  });
  auto db = Open();
  ASSERT_TRUE(db);
  Import(*db, events);
  const stats::Reports truth = direct.Finish();
  auto from_store = store::RunReports(*db, "0192", o);
  ASSERT_TRUE(from_store.ok()) << from_store.status().message();
  EXPECT_EQ(from_store->persons_seen, 800);
  EXPECT_EQ(from_store->snapshot.counts, truth.snapshot.counts);
  EXPECT_EQ(from_store->movements.counts, truth.movements.counts);
  EXPECT_EQ(from_store->kas.by_kind, truth.kas.by_kind);
  EXPECT_FALSE(truth.kas.by_kind.empty());
  EXPECT_EQ(from_store->caseload.open, truth.caseload.open);
  EXPECT_EQ(from_store->trend.counts, truth.trend.counts);
  // Milestones (schema version 4 / PostgreSQL 2) come back as they went in.
  EXPECT_EQ(from_store->lead_times.days, truth.lead_times.days);
  EXPECT_EQ(from_store->lead_times.passive, truth.lead_times.passive);
  int64_t lead_times = 0;
  for (uint32_t n : truth.lead_times.days) lead_times += n;
  EXPECT_GT(lead_times, 500);
  // The categorisations' indicator facts (schema version 5 / PostgreSQL 3), and the generated
  // persons from before the events carried them, read back as not recorded.
  EXPECT_EQ(from_store->indicators.counts, truth.indicators.counts);
  EXPECT_EQ(from_store->indicators.recorded, truth.indicators.recorded);
  EXPECT_EQ(from_store->indicators.views_by_unit, truth.indicators.views_by_unit);
  EXPECT_EQ(from_store->indicators.rating_steps, truth.indicators.rating_steps);
  const auto& recorded = truth.indicators.recorded[0];
  // One generated person in ten has no facts: about nine recorded to one not.
  for (const auto& fact : recorded) EXPECT_GT(fact[0], 5 * fact[1]) << "most events record the facts";
  EXPECT_GT(recorded[static_cast<size_t>(stats::RecordedFact::kViews)][1], 0) << "and some do not";
  EXPECT_GT(truth.indicators.views_by_unit.size(), 1u);
  auto elsewhere = store::RunReports(*db, "0180", o);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(elsewhere->persons_seen, 0);
}

// A request for one report computes only it and reads only the events it needs: each report so
// made equals the same report of the pass that computes all of them, with and without a unit
// filter (which needs every event's unit), so no report lost an event kind it reads.
TEST_P(Backends, EachReportAloneEqualsItInTheAllReportsPass) {
  auto db = Open();
  ASSERT_TRUE(db);
  Import(*db, Synthetic(600, 21));
  for (const std::string unit : {"", "unit-1"}) {
    v1::ReportRequest r;
    r.set_municipality_code("0192");
    r.set_from_date("2022-01-01");
    r.set_to_date("2023-06-30");
    r.set_at_date("2023-06-30");
    r.set_internal(true);
    r.set_unit(unit);
    r.set_kind(v1::REPORT_KIND_SNAPSHOT);
    auto options = store::OptionsFrom(r);
    ASSERT_TRUE(options.ok());
    auto all = store::RunReports(*db, "0192", *options);
    ASSERT_TRUE(all.ok()) << all.status().message();
    int64_t cells = 0;
    for (int k = v1::REPORT_KIND_SNAPSHOT; k <= v1::REPORT_KIND_INDICATORS; ++k) {
      r.set_kind(static_cast<v1::ReportKind>(k));
      auto alone = store::BuildReport(*db, r);
      ASSERT_TRUE(alone.ok()) << alone.status().message();
      stats::Publication p = stats::Publish(store::KindFrom(r.kind()), *all);
      stats::Protect(p, true, 5);
      const v1::StatisticsReport from_all = store::ToProto(p, store::ReportLanguage(r), "0192");
      EXPECT_EQ(alone->SerializeAsString(), from_all.SerializeAsString()) << "report " << k << " unit '" << unit << "'";
      for (const auto& t : from_all.tables()) {
        for (const auto& row : t.rows()) cells += std::count_if(row.cells().begin(), row.cells().end(),
                                                                [](const auto& c) { return c.count() != 0; });
      }
    }
    EXPECT_GT(cells, unit.empty() ? 500 : 50) << "reports of nothing would compare equal trivially";
  }
  // The filter itself: interventions only, and a person with none is not visited.
  stats::RecordsNeeded interventions{false, false, true, false, false};
  int64_t visited = 0, everyone = 0;
  ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory& h) {
                  ++visited;
                  EXPECT_FALSE(h.interventions.empty());
                  EXPECT_TRUE(h.categorisations.empty() && h.periods.empty() && h.milestones.empty());
                }, interventions).ok());
  ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory&) { ++everyone; }).ok());
  EXPECT_GT(visited, 50);
  EXPECT_LT(visited, everyone);

  // The sliced read those reports use (several connections): the slices hold every person once,
  // each whole, and a second connection reads the same store.
  auto slices = db->PersonSlices("0192", 3);
  ASSERT_TRUE(slices.ok()) << slices.status().message();
  ASSERT_EQ(slices->size(), 3u);
  auto reader = db->OpenReader();
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  int64_t in_slices = 0, events_in_slices = 0, events = 0;
  ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory& h) {
                  events += static_cast<int64_t>(h.categorisations.size() + h.periods.size() + h.interventions.size());
                }).ok());
  for (size_t i = 0; i < slices->size(); ++i) {
    if (i > 0) {
      EXPECT_EQ((*slices)[i].first, (*slices)[i - 1].last + 1) << "adjacent, in order";
    }
    int64_t here = 0;
    ASSERT_TRUE((*reader)->ForEachPerson("0192", [&](const stats::PersonHistory& h) {
                      ++here;
                      events_in_slices += static_cast<int64_t>(h.categorisations.size() + h.periods.size() +
                                                               h.interventions.size());
                    }, {}, (*slices)[i]).ok());
    EXPECT_GT(here, everyone / 6) << "slice " << i << " of about a third";
    in_slices += here;
  }
  EXPECT_EQ(in_slices, everyone);
  EXPECT_EQ(events_in_slices, events) << "every event read";
  auto none = db->PersonSlices("0180", 3);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(Backends, RotatingTheKeyMovesEveryPseudonymAndReportsStayEqual) {
  const std::string location = Location("0192");
  const fs::path keys = dir_ / "keys";
  const std::vector<v1::Event> events = Synthetic(150, 21);
  std::vector<v1::StatisticsReport> before;
  {
    auto db = store::OpenWithKeyDir(location, keys);
    ASSERT_TRUE(db.ok()) << db.status().message();
    EXPECT_EQ(Import(**db, events), static_cast<int64_t>(events.size()));
    before = Reports(**db);
  }
  auto rotated = store::RotateKey(location, keys);
  ASSERT_TRUE(rotated.ok()) << rotated.status().message();
  EXPECT_EQ(rotated->from, 1);
  EXPECT_EQ(rotated->to, 2);
  EXPECT_EQ(rotated->moved.persons, 150);
  auto db = store::OpenWithKeyDir(location, keys);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ((*db)->key_id(), 2);
  EXPECT_EQ(*(*db)->CountUnder(1), 0);
  EXPECT_EQ(Import(**db, events), 0) << "after re-keying the same persons and events still match";
  ExpectSameCells(before, Reports(**db));
  auto retired = store::RetireKeys(location, keys);
  ASSERT_TRUE(retired.ok()) << retired.status().message();
  EXPECT_EQ(retired->size(), 1u);
}

// Two writers import the same events into one store at the same moment, each with its own
// connection (as two replicas would): every event is stored once, and across both writers each
// event was reported new exactly once.
TEST_P(Backends, TwoConcurrentImportsOfTheSameEventsApplyEachOnce) {
  { auto db = Open(); ASSERT_TRUE(db); }  // created and keyed before the race
  const std::vector<v1::Event> events = Synthetic(400, 8);
  std::atomic<int> ready{0};
  int64_t inserted[2] = {0, 0};
  auto writer = [&](int w) {
    auto s = store::EventStore::Open(Location("0192"), kSecret);
    ASSERT_TRUE(s.ok()) << s.status().message();
    ++ready;
    while (ready.load() < 2) std::this_thread::yield();
    inserted[w] = Import(**s, events);
  };
  std::thread t0(writer, 0), t1(writer, 1);
  t0.join();
  t1.join();
  EXPECT_EQ(inserted[0] + inserted[1], static_cast<int64_t>(events.size()));
  auto db = Open();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->CountEvents(), static_cast<int64_t>(events.size()));
  EXPECT_EQ(db->CountPersons(), 400);
}

// Kill a real importing process with SIGKILL: every committed batch is there, no half batch,
// and importing everything again completes without double counting.
TEST_P(Backends, KilledDuringImportLosesNoCommittedEventAndAppliesNothingTwice) {
  const std::vector<v1::Event> all = Synthetic(2500, 5);
  ASSERT_GT(all.size(), 15000u);
  constexpr size_t kBatch = 500;
  { auto db = Open(); ASSERT_TRUE(db); }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Its own connection, opened after the fork.
    auto s = store::EventStore::Open(Location("0192"), kSecret);
    if (!s.ok()) ::_exit(2);
    for (size_t i = 0; i < all.size(); i += kBatch) {
      if (!(*s)->Begin().ok()) ::_exit(3);
      auto added = (*s)->AddAll(all.data() + i, std::min(kBatch, all.size() - i));
      if (!added.ok()) ::_exit(4);
      if (!(*s)->Commit().ok()) ::_exit(5);
    }
    ::_exit(0);
  }
  int64_t seen = 0;
  for (int i = 0; i < 1000 && seen < static_cast<int64_t>(3 * kBatch); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto reader = store::EventStore::Open(Location("0192"), "");
    if (reader.ok()) seen = (*reader)->CountEvents();
  }
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "the child finished before it was killed; make the import longer";
  auto db = Open();
  ASSERT_TRUE(db);
  if (GetParam() == "sqlite") {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(dynamic_cast<store::SqliteEventStore&>(*db).handle(), "PRAGMA integrity_check", -1, &q, nullptr);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "ok");
    sqlite3_finalize(q);
  }
  const int64_t survived = db->CountEvents();
  EXPECT_GE(survived, seen);
  EXPECT_EQ(survived % static_cast<int64_t>(kBatch), 0);
  EXPECT_LT(survived, static_cast<int64_t>(all.size()));
  EXPECT_EQ(Import(*db, all), static_cast<int64_t>(all.size()) - survived);
  EXPECT_EQ(db->CountEvents(), static_cast<int64_t>(all.size()));
}

INSTANTIATE_TEST_SUITE_P(Store, Backends, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

// The same events in a SQLite store and a PostgreSQL store give the same reports, cell by cell.
TEST(BackendsAgree, ReportsFromPostgresqlEqualReportsFromSqliteCellByCell) {
  if (!PostgresqlAvailable()) {
    if (InCi()) FAIL() << "CI=true and no PostgreSQL server (run through with_postgresql.sh)";
    GTEST_SKIP() << "no PostgreSQL server in the environment";
  }
  const fs::path dir = fs::temp_directory_path() / ("ix-backends-agree-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto lite = store::EventStore::Open((dir / "0192.sqlite").string(), kSecret);
  auto pg = store::EventStore::Open("postgresql://#agree_" + std::to_string(::getpid()), kSecret);
  ASSERT_TRUE(lite.ok() && pg.ok()) << (lite.ok() ? pg.status().message() : lite.status().message());
  const std::vector<v1::Event> events = Synthetic(700, 17);
  Import(**lite, events);
  Import(**pg, events);
  const int64_t cells = ExpectSameCells(Reports(**lite), Reports(**pg));
  EXPECT_GT(cells, 100);
  fs::remove_all(dir);
}

// What lands in the database: no personnummer and no clear event id (pg_dump of the store's
// tables, as a backup would hold them).
TEST(BackendsAgree, APostgresqlStoreHoldsNoPersonnummerAndNoClearReference) {
  if (!PostgresqlAvailable()) {
    if (InCi()) FAIL() << "CI=true and no PostgreSQL server (run through with_postgresql.sh)";
    GTEST_SKIP() << "no PostgreSQL server in the environment";
  }
  auto pg = store::EventStore::Open("postgresql://#nopnr_" + std::to_string(::getpid()), kSecret);
  ASSERT_TRUE(pg.ok()) << pg.status().message();
  v1::Event e = Period("case-" + std::string(kPnrDigits) + "-visible", "2023-01-01");
  ASSERT_TRUE((*pg)->Add(e).ok());
  FILE* dump = ::popen("pg_dump --data-only --table=ix_events --table=ix_persons --table=ix_store_meta", "r");
  ASSERT_NE(dump, nullptr);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, dump)) > 0) text.append(buffer, n);
  ASSERT_EQ(::pclose(dump), 0);
  ASSERT_NE(text.find("ix_events"), std::string::npos) << "pg_dump gave no data";
  EXPECT_NE(text.find(*(*pg)->Pseudonym(kPnr)), std::string::npos);
  EXPECT_EQ(text.find(kPnrDigits), std::string::npos);
  EXPECT_EQ(text.find("811218-9876"), std::string::npos);
  EXPECT_EQ(text.find("visible"), std::string::npos);
}

std::string Slurp(const fs::path& p) {
  std::string text;
  FILE* f = std::fopen(p.c_str(), "rb");
  if (f == nullptr) return text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  std::fclose(f);
  return text;
}

// ixctl as real processes: the same generated file imported into a SQLite store and a
// PostgreSQL store (with a key folder, as ix-server keeps keys) gives byte-identical reports,
// all five, unsuppressed; a key rotation on the PostgreSQL store changes no report.
TEST(BackendsAgree, IxctlReportsFromPostgresqlEqualReportsFromSqlite) {
  if (!PostgresqlAvailable()) {
    if (InCi()) FAIL() << "CI=true and no PostgreSQL server (run through with_postgresql.sh)";
    GTEST_SKIP() << "no PostgreSQL server in the environment";
  }
  const fs::path dir = fs::temp_directory_path() / ("ix-backends-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "keys");
  const std::string ixctl = IX_TEST_IXCTL;
  const std::string events = (dir / "events.ndjson").string();
  const Proc gen = Sh(ixctl + " generate --persons 1500 --years 3 --seed 9 --start 2021-01-01 -o " + events);
  ASSERT_EQ(gen.code, 0) << gen.out;
  const std::string sqlite = " --store " + (dir / "0192.sqlite").string();
  const std::string pg = " --store 'postgresql://#0192_cli_" + std::to_string(::getpid()) + "'";
  const std::string keys = " --key-dir " + (dir / "keys").string();
  for (const std::string& store : {sqlite, pg}) {
    const Proc imp = Sh(ixctl + " --json import " + events + store + keys);
    ASSERT_EQ(imp.code, 0) << imp.out;
    EXPECT_NE(imp.out.find("\"rejected\": 0"), std::string::npos) << imp.out;
  }
  const std::string report = ixctl + " report all --internal --format json --municipality 0192 --from "
                                     "2021-06-01 --to 2023-06-30 --at 2023-06-30";
  ASSERT_EQ(Sh(report + sqlite + " -o " + (dir / "sqlite.json").string()).code, 0);
  const Proc from_pg = Sh(report + pg + " -o " + (dir / "pg.json").string());
  ASSERT_EQ(from_pg.code, 0) << from_pg.out;
  const std::string a = Slurp(dir / "sqlite.json"), b = Slurp(dir / "pg.json");
  EXPECT_GT(a.size(), 2000u);
  EXPECT_NE(a.find("\"count\""), std::string::npos);
  EXPECT_EQ(a, b) << "the reports differ between the backends";

  const Proc rotate = Sh(ixctl + " --json keys rotate" + pg + keys);
  ASSERT_EQ(rotate.code, 0) << rotate.out;
  EXPECT_NE(rotate.out.find("\"to_key_id\": 2"), std::string::npos) << rotate.out;
  ASSERT_EQ(Sh(report + pg + " -o " + (dir / "pg2.json").string()).code, 0);
  EXPECT_EQ(Slurp(dir / "pg2.json"), a);
  const Proc again = Sh(ixctl + " --json import " + events + pg + keys);
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("\"inserted\": 0"), std::string::npos) << again.out;

  // From the environment instead of the command line.
  const Proc from_env = Sh("IX_STORE='postgresql://#0192_cli_" + std::to_string(::getpid()) + "' " + report +
                           " -o " + (dir / "pg3.json").string());
  ASSERT_EQ(from_env.code, 0) << from_env.out;
  EXPECT_EQ(Slurp(dir / "pg3.json"), a);

  // A password on the command line is refused, and not repeated.
  const Proc with_password = Sh(report + " --store 'postgresql://ix:hunter2secret@localhost/ix#0192'");
  EXPECT_NE(with_password.code, 0);
  EXPECT_NE(with_password.out.find("PGPASSFILE"), std::string::npos) << with_password.out;
  EXPECT_EQ(with_password.out.find("hunter2secret"), std::string::npos) << with_password.out;
  fs::remove_all(dir);
}

TEST(StoreLocation, APasswordInTheLocationIsRefusedAndNeverShown) {
  for (const char* location : {"postgresql://ix:hunter2secret@db.example/ix#0180",
                               "postgresql://db.example/ix?password=hunter2secret#0180"}) {
    auto parsed = store::ParseStoreLocation(location);
    ASSERT_FALSE(parsed.ok()) << location;
    EXPECT_NE(parsed.status().message().find("PGPASSFILE"), std::string::npos);
    EXPECT_EQ(parsed.status().message().find("hunter2secret"), std::string::npos) << parsed.status().message();
    EXPECT_EQ(store::DescribeStoreLocation(location).find("hunter2secret"), std::string::npos);
  }
  EXPECT_EQ(store::DescribeStoreLocation("postgresql://ix:pw@db.example:5432/ix?sslmode=require#0180"),
            "postgresql://db.example:5432/ix#0180");
  auto unnamed = store::ParseStoreLocation("postgresql://db.example/ix");
  ASSERT_FALSE(unnamed.ok());
  EXPECT_NE(unnamed.status().message().find("#<name>"), std::string::npos);
  auto bad_name = store::ParseStoreLocation("postgresql://db.example/ix#a'b");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.status().message().find("store name"), std::string::npos);
  auto ok = store::ParseStoreLocation("postgres://ix@db.example/ix?sslmode=verify-full#0180");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->name, "0180");
  EXPECT_EQ(ok->target, "postgres://ix@db.example/ix?sslmode=verify-full");
  auto file = store::ParseStoreLocation("/var/lib/ix/0180.sqlite");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->backend, store::StoreLocation::Backend::kSqlite);
  EXPECT_EQ(file->name, "0180");
}

}  // namespace
}  // namespace ix::test
