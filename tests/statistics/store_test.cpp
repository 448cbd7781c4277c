// The event store: pseudonyms, idempotent import, precise errors, schema migration from an
// older version, and crash safety with a real child process killed in the middle of an import.
#include <ix/base/crypto.hpp>
#include <ix/core/personnummer.hpp>
#include <ix/statistics/publication.hpp>
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
#include <array>
#include <chrono>
#include <cstdio>
#include <random>
#include <tuple>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include "../store/event_builders.hpp"

namespace ix::test {
namespace {
namespace fs = std::filesystem;
namespace stats = ix::statistics;

const std::string kSecret = "test-municipality-secret-0192-xyz";
constexpr const char* kPnrDigits = "198112189876";
// ristretto255 pseudonym of kPnr under kSecret, key id 1, as this derivation first produced it
// (see WalModeAndNoPersonnummerStored).
// The SQLite connection under a store these tests opened from a file path.
sqlite3* Handle(const store::EventStore& db) { return dynamic_cast<const store::SqliteEventStore&>(db).handle(); }

constexpr const char* kPinnedPseudonym =
    "k1:e23ceb8d97101d9d4ff61ea93ec547f099f3e0d358d1cd3b43d08025c7774544";

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ix-store-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ / "events.sqlite";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<store::EventStore> Open(std::string secret = kSecret) {
    auto s = store::EventStore::Open(path_, std::move(secret));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }

  fs::path dir_, path_;
};

v1::Event Categorisation(const std::string& id, const char* day, v1::AmLevel am) {
  v1::Event e;
  auto* c = e.mutable_categorisation();
  auto* h = c->mutable_header();
  h->set_event_id(id);
  h->set_municipality_code("0192");
  h->set_effective_date(day);
  h->mutable_subject()->set_personnummer(kPnr);
  c->mutable_category()->set_am_level(am);
  return e;
}

std::string FileBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(StoreTest, WalModeAndNoPersonnummerStored) {
  auto db = Open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Add(Period("e1", "2023-01-01")).ok());
  ASSERT_TRUE(db->Add(Categorisation("e2", "2023-01-05", v1::AM_LEVEL_AM2)).ok());
  EXPECT_EQ(db->schema_version(), store::kSchemaVersion);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(Handle(*db), "PRAGMA journal_mode", -1, &q, nullptr);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "wal");
  sqlite3_finalize(q);
  EXPECT_EQ(db->CountPersons(), 1);  // both events name the same person
  const std::string pseudonym = *db->Pseudonym(kPnr);
  EXPECT_EQ(pseudonym.size(), 3u + 64u);
  EXPECT_EQ(pseudonym.rfind("k1:", 0), 0u) << "a pseudonym carries its key id";
  EXPECT_EQ(*db->Pseudonym("198112189876"), pseudonym);  // normalised before pseudonymising
  // Pinned: a store keeps its pseudonyms for years; any change to how they are derived would
  // split every person in an existing store in two.
  EXPECT_EQ(pseudonym, kPinnedPseudonym);
  db.reset();
  for (const fs::path& f : {path_, fs::path(path_.string() + "-wal")}) {
    if (!fs::exists(f)) continue;
    const std::string bytes = FileBytes(f);
    EXPECT_EQ(bytes.find(kPnrDigits), std::string::npos) << f;
    EXPECT_EQ(bytes.find("811218-9876"), std::string::npos) << f;
  }
}

TEST_F(StoreTest, ImportingTwiceDoesNotDoubleCount) {
  auto db = Open();
  ASSERT_TRUE(db);
  const std::vector<v1::Event> events = {Period("p1", "2023-01-01"),
                                         Categorisation("c1", "2023-01-05", v1::AM_LEVEL_AM3),
                                         Period("p1-end", "2023-01-01", "2023-06-30", v1::EXIT_REASON_WORK)};
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE(db->Begin().ok());
    for (const auto& e : events) {
      auto outcome = db->Add(e);
      ASSERT_TRUE(outcome.ok()) << outcome.status().message();
      EXPECT_EQ(*outcome, round == 0 ? store::AddOutcome::kInserted : store::AddOutcome::kDuplicate);
    }
    ASSERT_TRUE(db->Commit().ok());
  }
  EXPECT_EQ(db->CountEvents(), 3);
  // The open-period event and the end event about the same period merge into one period.
  int persons = 0;
  ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory& h) {
                  ++persons;
                  ASSERT_EQ(h.periods.size(), 1u);
                  EXPECT_EQ(stats::FormatDay(h.periods[0].end - 1), "2023-06-30");
                  EXPECT_EQ(h.periods[0].exit, stats::ExitReason::kWork);
                  EXPECT_EQ(h.sex, core::Sex::kFemale);
                  EXPECT_EQ(h.birth_year, 1981);
                  ASSERT_EQ(h.categorisations.size(), 1u);
                }).ok());
  EXPECT_EQ(persons, 1);
}

TEST_F(StoreTest, BadEventsNameTheFieldAndNeverEchoThePersonnummer) {
  auto db = Open();
  ASSERT_TRUE(db);
  auto expect_error = [&](const v1::Event& e, const std::string& field) {
    auto r = db->Add(e);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.status().message().rfind(field, 0), 0u) << r.status().message();
    EXPECT_EQ(r.status().message().find("9876"), std::string::npos) << r.status().message();
  };
  expect_error(v1::Event(), "event");
  expect_error(Period("x1", "2023-02-30"), "assistance_period.start_date");
  expect_error(Period("x2", "2023-03-01", "2023-02-01"), "assistance_period.end_date");
  v1::Event bad_pnr = Period("x3", "2023-01-01");
  bad_pnr.mutable_assistance_period()->mutable_header()->mutable_subject()->set_personnummer("19811218-9875");
  expect_error(bad_pnr, "assistance_period.header.subject.personnummer");
  v1::Event no_kommun = Period("x4", "2023-01-01");
  no_kommun.mutable_assistance_period()->mutable_header()->set_municipality_code("192");
  expect_error(no_kommun, "assistance_period.header.municipality_code");
  v1::Event reason_open = Period("x5", "2023-01-01", "", v1::EXIT_REASON_MOVED);
  expect_error(reason_open, "assistance_period.exit_reason");
  v1::Event bad_r = Categorisation("x6", "2023-01-01", v1::AM_LEVEL_AM1);
  bad_r.mutable_categorisation()->mutable_category()->add_r_kinds(static_cast<v1::RKind>(7));
  expect_error(bad_r, "categorisation.category.r_kinds[0]");
  expect_error(Categorisation("x7", "", v1::AM_LEVEL_AM1), "categorisation.header.effective_date");
  // Kind and actor are codes the KAS report groups by: bounded and plain.
  auto intervention = [](const std::string& id, const std::string& kind, const std::string& actor) {
    v1::Event e;
    auto* i = e.mutable_intervention();
    i->mutable_header()->set_event_id(id);
    i->mutable_header()->set_municipality_code("0192");
    i->mutable_header()->mutable_subject()->set_personnummer(kPnr);
    i->set_intervention_id("iv-" + id);
    i->set_start_date("2023-01-01");
    i->set_kind(kind);
    i->set_responsible_actor(actor);
    return e;
  };
  expect_error(intervention("x8", std::string(65, 'a'), "municipality"), "intervention.kind: 65 bytes, more than the limit 64");
  expect_error(intervention("x9", "work_training", "Region Stockholm"), "intervention.responsible_actor: a code of a-z");
  EXPECT_EQ(db->CountEvents(), 0);
  EXPECT_TRUE(db->Add(intervention("x10", std::string(64, 'a'), "municipality")).ok());
}

TEST_F(StoreTest, SecretIsCheckedAndRequiredForPersonnummer) {
  { auto db = Open(); ASSERT_TRUE(db); }
  auto other = store::EventStore::Open(path_, "another-secret-of-enough-length");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("does not match"), std::string::npos);
  auto short_secret = store::EventStore::Open(path_, "short");
  ASSERT_FALSE(short_secret.ok());
  EXPECT_NE(short_secret.status().message().find("at least 16"), std::string::npos);
  auto reader = Open("");  // reports need no secret …
  ASSERT_TRUE(reader);
  auto r = reader->Add(Period("e1", "2023-01-01"));  // … but pseudonymising does
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("opened without the municipality key"), std::string::npos)
      << r.status().message();
}

// Schema version 1 as released (a frozen copy of migration 1), with one person.
constexpr const char* kSchema1 = R"sql(
CREATE TABLE persons(id INTEGER PRIMARY KEY, pseudonym TEXT NOT NULL UNIQUE,
  sex INTEGER NOT NULL DEFAULT 0, birth_year INTEGER NOT NULL DEFAULT 0,
  birth_month INTEGER NOT NULL DEFAULT 0);
CREATE TABLE events(id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE,
  person INTEGER NOT NULL REFERENCES persons(id), municipality TEXT NOT NULL, kind INTEGER NOT NULL,
  day INTEGER NOT NULL, start_day INTEGER, end_day INTEGER, am INTEGER, r_mask INTEGER,
  further INTEGER, view INTEGER, occasion TEXT, exit_reason INTEGER, intervention_id TEXT,
  intervention_kind TEXT, orientation INTEGER, outcome INTEGER, actor TEXT, unit TEXT,
  caseworker TEXT, recorded_at TEXT);
CREATE INDEX events_by_person ON events(municipality, person);
INSERT INTO persons VALUES(1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 2, 1970, 5);
)sql";

// A store written by schema version 1 (frozen copy of the released migration 1) with data in
// it: opening it migrates to the current version and keeps every event.
TEST_F(StoreTest, MigratesFromSchemaVersion1) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  const std::string v1_schema = "PRAGMA journal_mode=WAL;\n" + std::string(kSchema1) + R"sql(
INSERT INTO events(event_id, person, municipality, kind, day, start_day) VALUES('old-1', 1, '0192', 2, 19358, 19358);
INSERT INTO events(event_id, person, municipality, kind, day, am, r_mask, further) VALUES('old-2', 1, '0192', 1, 19360, 1, 0, 0);
PRAGMA user_version = 1;
)sql";
  ASSERT_EQ(sqlite3_exec(raw, v1_schema.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
  sqlite3_close(raw);

  auto db = Open();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->schema_version(), store::kSchemaVersion);
  EXPECT_EQ(db->CountEvents(), 2);
  // A store with data from before versioned keys keeps its HMAC pseudonyms (key k1), so the
  // persons in it still match: HMAC-SHA-256(secret, "ix-person-v1:" + normalised
  // personnummer), pinned as computed outside libsodium. Its clear event ids are gone.
  EXPECT_EQ(db->key_id(), 1);
  EXPECT_EQ(*db->Pseudonym(kPnr), "7874fb06af6d832738ea230c5eb039214af3b60dae897fcd52fd6275694772bf");
  {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(Handle(*db), "SELECT count(*) FROM events WHERE event_id IN ('old-1', 'old-2') "
                                     "OR substr(event_id, 1, 3) != 'h1:'", -1, &q, nullptr);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(q, 0), 0) << "event ids of the old store are still in clear";
    sqlite3_finalize(q);
  }
  // The new column and table exist and work; old events are read as before.
  ASSERT_TRUE(db->Add(Period("new-1", "2023-01-01")).ok());
  int persons = 0;
  ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory& h) {
                  if (++persons == 1) {
                    EXPECT_EQ(h.sex, core::Sex::kMale);
                    ASSERT_EQ(h.categorisations.size(), 1u);
                    EXPECT_EQ(h.categorisations[0].am, stats::AmLevel::kAm1);
                    EXPECT_EQ(h.categorisations[0].parts, -1);  // schema 5's facts: not recorded
                    EXPECT_EQ(h.categorisations[0].views, -1);
                    EXPECT_EQ(h.categorisations[0].ratings, -1);
                    EXPECT_EQ(stats::FormatDay(h.periods.at(0).start), "2023-01-01");
                  }
                }).ok());
  EXPECT_EQ(persons, 2);
  db.reset();
  // Reopening does not migrate again; a newer schema is refused with a clear message.
  raw = nullptr;
  sqlite3_open(path_.c_str(), &raw);
  sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  auto newer = store::EventStore::Open(path_, kSecret);
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.status().message().find("newer"), std::string::npos);
}

// Importing, idempotence, reports against the generator's truth and a killed import are in
// the suite both backends pass (tests/store/backends_test.cpp); here what is SQLite's own.

// Versioned keys, with the key folder: a rotation moves every pseudonym to the next key id in
// one transaction, the same persons still match afterwards (re-importing counts nothing new),
// reports are equal before and after, and the old key can then be retired.
// Every value the store packs into one column (events.facts) reads back as written, at the
// largest value each field holds and as "not recorded"; and each person keeps its own sex and
// birth when the persons are read beside the events (not joined), also when a person between
// two others has no event the reader needs.
TEST_F(StoreTest, EveryPackedFactReadsBackAsWrittenWithItsOwnPerson) {
  auto db = Open();
  ASSERT_TRUE(db);
  auto header = [](v1::EventHeader* h, const std::string& id, const char* pnr, v1::Sex sex, int year, int month) {
    h->set_event_id(id);
    h->set_municipality_code("0192");
    h->set_recorded_at("2023-07-01T09:00:00Z");
    auto* s = h->mutable_subject();
    s->set_personnummer(pnr);
    s->set_sex(sex);
    s->set_birth_year(year);
    s->set_birth_month(month);
  };
  const char* kFirst = "19811218-9876";  // three valid test numbers, in this order in the store
  const char* kSecond = "19901103-1235";
  const char* kThird = "19750615-4561";
  std::vector<v1::Event> events(7);
  {  // the first person: every field at its largest value
    auto* c = events[0].mutable_categorisation();
    header(c->mutable_header(), "c-full", kFirst, v1::SEX_FEMALE, 1981, 12);
    c->mutable_header()->set_effective_date("2023-01-10");
    c->mutable_category()->set_am_level(v1::AM_LEVEL_AM3);
    for (v1::RKind r : {v1::R_KIND_R1_PHYSICAL, v1::R_KIND_R2_MENTAL, v1::R_KIND_R3_SUBSTANCE}) c->mutable_category()->add_r_kinds(r);
    c->mutable_category()->set_further_investigation(true);
    for (int part = 1; part <= 4; ++part) c->mutable_form_parts()->add_completed(part);
    c->mutable_views()->mutable_caseworker()->set_am_level(v1::AM_LEVEL_AM3);
    c->mutable_views()->mutable_client()->set_am_level(v1::AM_LEVEL_AM2);
    auto* r = c->mutable_am_ratings();
    for (auto set : {&v1::AmRatings::set_education, &v1::AmRatings::set_swedish, &v1::AmRatings::set_work_experience,
                     &v1::AmRatings::set_health, &v1::AmRatings::set_motivation, &v1::AmRatings::set_job_seeking}) {
      (r->*set)(9);
    }
    auto* bare = events[1].mutable_categorisation();  // no facts recorded, no category level
    header(bare->mutable_header(), "c-bare", kFirst, v1::SEX_FEMALE, 1981, 12);
    bare->mutable_header()->set_effective_date("2023-02-01");
    bare->mutable_category();
    auto* p = events[2].mutable_assistance_period();
    header(p->mutable_header(), "p", kFirst, v1::SEX_FEMALE, 1981, 12);
    p->set_start_date("2023-01-01");
    p->set_end_date("2023-06-30");
    p->set_exit_reason(v1::EXIT_REASON_OTHER);
    auto* i = events[3].mutable_intervention();
    header(i->mutable_header(), "i", kFirst, v1::SEX_FEMALE, 1981, 12);
    i->set_intervention_id("iv-1");
    i->set_start_date("2023-02-01");
    i->set_end_date("2023-05-31");
    i->set_orientation(v1::INTERVENTION_ORIENTATION_STUDIES);
    i->set_outcome(v1::KAS_OUTCOME_OTHER);
    i->set_kind("work_training");
    i->set_responsible_actor("municipality");
    auto* m = events[4].mutable_milestone();
    header(m->mutable_header(), "m", kFirst, v1::SEX_FEMALE, 1981, 12);
    m->mutable_header()->set_effective_date("2023-01-20");
    m->set_milestone(v1::MILESTONE_PLAN);
  }
  auto* visit = events[5].mutable_milestone();  // the second person: a first visit only
  header(visit->mutable_header(), "m2", kSecond, v1::SEX_MALE, 1990, 11);
  visit->mutable_header()->set_effective_date("2023-03-01");
  visit->set_milestone(v1::MILESTONE_FIRST_VISIT);
  auto* third = events[6].mutable_categorisation();
  header(third->mutable_header(), "c3", kThird, v1::SEX_OTHER, 1975, 6);
  third->mutable_header()->set_effective_date("2023-04-01");
  third->mutable_category()->set_am_level(v1::AM_LEVEL_AM1);
  for (const v1::Event& e : events) ASSERT_TRUE(db->Add(e).ok()) << e.DebugString();

  std::vector<stats::PersonHistory> seen;
  ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory& h) { seen.push_back(h); }).ok());
  ASSERT_EQ(seen.size(), 3u);
  const stats::PersonHistory& first = seen[0];
  EXPECT_EQ(first.sex, core::Sex::kFemale);
  EXPECT_EQ(first.birth_year, 1981);
  EXPECT_EQ(first.birth_month, 12);
  ASSERT_EQ(first.categorisations.size(), 2u);
  const stats::CategorisationRecord& full = first.categorisations[0];
  EXPECT_EQ(full.am, stats::AmLevel::kAm3);
  EXPECT_EQ(full.r_mask, 7);
  EXPECT_TRUE(full.further_investigation);
  EXPECT_EQ(full.parts, 15);
  EXPECT_EQ(full.views, 7);  // both assessed, and they differ
  EXPECT_EQ(full.ratings, 999999);
  const stats::CategorisationRecord& bare = first.categorisations[1];
  EXPECT_EQ(bare.am, stats::AmLevel::kNone);
  EXPECT_EQ(bare.r_mask, 0);
  EXPECT_FALSE(bare.further_investigation);
  EXPECT_EQ(bare.parts, -1);
  EXPECT_EQ(bare.views, -1);
  EXPECT_EQ(bare.ratings, -1);
  ASSERT_EQ(first.periods.size(), 1u);
  EXPECT_EQ(stats::FormatDay(first.periods[0].start), "2023-01-01");
  EXPECT_EQ(stats::FormatDay(first.periods[0].end), "2023-07-01");  // the day after the last
  EXPECT_EQ(first.periods[0].exit, stats::ExitReason::kOther);
  ASSERT_EQ(first.interventions.size(), 1u);
  EXPECT_EQ(stats::FormatDay(first.interventions[0].end), "2023-05-31");
  EXPECT_EQ(first.interventions[0].orientation, stats::Orientation::kStudies);
  EXPECT_EQ(first.interventions[0].outcome, stats::KasOutcome::kOther);
  EXPECT_EQ(first.interventions[0].kind, "work_training");
  EXPECT_EQ(first.interventions[0].actor, "municipality");
  ASSERT_EQ(first.milestones.size(), 1u);
  EXPECT_EQ(first.milestones[0].milestone, stats::Milestone::kPlan);
  EXPECT_EQ(seen[1].sex, core::Sex::kMale);
  EXPECT_EQ(seen[1].birth_year, 1990);
  ASSERT_EQ(seen[1].milestones.size(), 1u);
  EXPECT_EQ(seen[1].milestones[0].milestone, stats::Milestone::kFirstVisit);

  // Categorisations only: the second person has none and is not visited; the third keeps its own
  // sex and birth, not the skipped one's.
  stats::RecordsNeeded needed;
  needed.periods = needed.interventions = needed.milestones = needed.assignments = false;
  seen.clear();
  ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory& h) { seen.push_back(h); }, needed).ok());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].sex, core::Sex::kFemale);
  EXPECT_EQ(seen[1].sex, core::Sex::kOther);
  EXPECT_EQ(seen[1].birth_year, 1975);
  EXPECT_EQ(seen[1].birth_month, 6);
  ASSERT_EQ(seen[1].categorisations.size(), 1u);
  EXPECT_EQ(seen[1].categorisations[0].am, stats::AmLevel::kAm1);
}

// The store reads each kind of event as its own run of the index, in person order, and merges
// the runs by person. Every person is visited once, with every event of the kinds asked for,
// whatever kinds the persons beside it have; a person with none of them is not visited; and
// read in slices (as on two connections) the visits are the same as read whole. The persons
// are inserted in shuffled order, so the store's person order is not the test's.
TEST_F(StoreTest, EachPersonIsVisitedOnceWithEveryKindItHasWhateverTheOthersHave) {
  auto db = Open();
  ASSERT_TRUE(db);
  constexpr int kPersons = 48;  // person p has kind k (0 … 3) when bit k of p % 16 is set
  std::vector<v1::Event> events;
  for (int p = 0; p < kPersons; ++p) {
    char digits[32];  // "1950MMDDNNN": born in 1950 + p, so the birth year names the person
    std::snprintf(digits, sizeof digits, "%04d0101%03d", 1950 + p, p);
    const std::string pnr = std::string(digits, 8) + "-" + std::string(digits + 8) +
                            std::to_string(core::LuhnCheckDigit(std::string(digits + 2)));
    auto header = [&](v1::EventHeader* h, const std::string& id, const char* day) {
      h->set_event_id(id + "-" + std::to_string(p));
      h->set_municipality_code("0192");
      h->set_recorded_at("2023-07-01T09:00:00Z");
      if (day != nullptr) h->set_effective_date(day);
      h->mutable_subject()->set_personnummer(pnr);
      h->mutable_subject()->set_birth_year(1950 + p);
    };
    const int kinds = p % 16;
    if (kinds & 1) {  // two categorisations
      for (const char* day : {"2023-01-10", "2023-03-10"}) {
        v1::Event e;
        header(e.mutable_categorisation()->mutable_header(), std::string("c") + day, day);
        e.mutable_categorisation()->mutable_category()->set_am_level(v1::AM_LEVEL_AM2);
        events.push_back(e);
      }
    }
    if (kinds & 2) {  // one period
      v1::Event e;
      header(e.mutable_assistance_period()->mutable_header(), "p", nullptr);
      e.mutable_assistance_period()->set_start_date("2023-01-01");
      events.push_back(e);
    }
    if (kinds & 4) {  // two interventions, the first in two events (started, then ended)
      for (const auto& [id, event, end] : {std::tuple{"iv-a", "a1", ""}, std::tuple{"iv-a", "a2", "2023-05-31"},
                                           std::tuple{"iv-b", "b1", ""}}) {
        v1::Event e;
        header(e.mutable_intervention()->mutable_header(), event, nullptr);
        e.mutable_intervention()->set_intervention_id(std::string(id) + "-" + std::to_string(p));
        e.mutable_intervention()->set_start_date("2023-02-01");
        e.mutable_intervention()->set_end_date(end);
        events.push_back(e);
      }
    }
    if (kinds & 8) {  // one milestone
      v1::Event e;
      header(e.mutable_milestone()->mutable_header(), "m", "2023-01-05");
      e.mutable_milestone()->set_milestone(v1::MILESTONE_FIRST_VISIT);
      events.push_back(e);
    }
  }
  std::shuffle(events.begin(), events.end(), std::mt19937(7));
  for (const v1::Event& e : events) ASSERT_TRUE(db->Add(e).ok()) << e.DebugString();

  // What one visit saw: the person (birth year − 1950) and how many records of each kind.
  using Visit = std::array<int, 5>;
  auto read = [&](const stats::RecordsNeeded& needed, const store::EventStore::PersonSlice& slice) {
    std::vector<Visit> visits;
    const Status s = db->ForEachPerson("0192", [&](const stats::PersonHistory& h) {
      visits.push_back({h.birth_year - 1950, static_cast<int>(h.categorisations.size()),
                        static_cast<int>(h.periods.size()), static_cast<int>(h.interventions.size()),
                        static_cast<int>(h.milestones.size())});
    }, needed, slice);
    EXPECT_TRUE(s.ok()) << s.message();
    return visits;
  };
  stats::RecordsNeeded every;
  stats::RecordsNeeded no_milestones;  // what equality reads
  no_milestones.milestones = no_milestones.assignments = false;
  for (const stats::RecordsNeeded& needed : {every, no_milestones}) {
    const int asked = needed.milestones ? 15 : 7;
    const std::vector<Visit> whole = read(needed, {});
    std::vector<Visit> expected;
    for (int p = 0; p < kPersons; ++p) {
      const int kinds = p % 16 & asked;
      if (kinds == 0) continue;  // nothing of what was asked: not visited
      expected.push_back({p, kinds & 1 ? 2 : 0, kinds & 2 ? 1 : 0, kinds & 4 ? 2 : 0, kinds & 8 ? 1 : 0});
    }
    std::vector<Visit> sorted = whole;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, expected) << "milestones asked: " << needed.milestones;

    auto slices = db->PersonSlices("0192", 3);
    ASSERT_TRUE(slices.ok()) << slices.status().message();
    ASSERT_EQ(slices->size(), 3u);
    std::vector<Visit> sliced;
    for (const auto& slice : *slices) {
      for (const Visit& v : read(needed, slice)) sliced.push_back(v);
    }
    EXPECT_EQ(sliced, whole) << "milestones asked: " << needed.milestones;
  }
}

// A stored value that does not fit its packed field (written by hand: the store refuses it at
// import) stops the migration with the column named, instead of a report that counts it wrong.
TEST_F(StoreTest, AStoredValueTooLargeToPackStopsTheMigration) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  const std::string v1_schema = std::string(kSchema1) + R"sql(
INSERT INTO events(event_id, person, municipality, kind, day, am, r_mask, further) VALUES('old-1', 1, '0192', 1, 19360, 9, 0, 0);
PRAGMA user_version = 1;
)sql";
  ASSERT_EQ(sqlite3_exec(raw, v1_schema.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
  sqlite3_close(raw);
  auto refused = store::EventStore::Open(path_, kSecret);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("migration to schema version 6 failed"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("events.facts"), std::string::npos) << refused.status().message();
  // Nothing of the failed migration stays: the store is still at the version before it.
  raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &q, nullptr);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(q, 0), 5);
  sqlite3_finalize(q);
  sqlite3_close(raw);
}

class KeyedStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    keys_ = dir_ / "keys";
    fs::create_directories(keys_);
    path_ = dir_ / "0192.sqlite";
  }
  std::unique_ptr<store::EventStore> OpenKeyed() {
    auto s = store::OpenWithKeyDir(path_, keys_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::vector<v1::Event> Synthetic(int persons) {
    stats::SyntheticParams params;
    params.persons = persons;
    params.years = 2;
    params.seed = 21;
    params.first_day = stats::DayFromDate({2022, 1, 1});
    std::vector<v1::Event> all, one;
    stats::GenerateSynthetic(params, [&](const stats::SyntheticPerson& p) {
      store::ToEvents(p, "0192", params.seed, one);
      all.insert(all.end(), one.begin(), one.end());
    });
    return all;
  }
  static int64_t Import(store::EventStore& db, const std::vector<v1::Event>& events) {
    int64_t inserted = 0;
    EXPECT_TRUE(db.Begin().ok());
    for (const auto& e : events) {
      auto r = db.Add(e);
      EXPECT_TRUE(r.ok()) << r.status().message();
      if (r.ok() && *r == store::AddOutcome::kInserted) ++inserted;
    }
    EXPECT_TRUE(db.Commit().ok());
    return inserted;
  }
  // One report of the synthetic period, as these tests ask for it.
  static v1::ReportRequest Request(v1::ReportKind kind) {
    v1::ReportRequest r;
    r.set_kind(kind);
    r.set_municipality_code("0192");
    r.set_from_date("2022-03-01");
    r.set_to_date("2023-06-30");
    r.set_at_date("2023-06-30");
    return r;
  }
  static std::string Reports(const store::EventStore& db) {
    std::string all;
    for (v1::ReportKind kind : {v1::REPORT_KIND_SNAPSHOT, v1::REPORT_KIND_MOVEMENTS, v1::REPORT_KIND_KAS,
                                v1::REPORT_KIND_EQUALITY, v1::REPORT_KIND_CASELOAD}) {
      v1::ReportRequest r = Request(kind);
      r.set_internal(true);  // unsuppressed: every cell must be equal
      auto report = store::BuildReport(db, r);
      EXPECT_TRUE(report.ok()) << report.status().message();
      if (report.ok()) all += report->SerializeAsString();
    }
    return all;
  }
  static std::vector<std::string> Column(const store::EventStore& db, const char* sql) {
    std::vector<std::string> values;
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(Handle(db), sql, -1, &q, nullptr);
    while (sqlite3_step(q) == SQLITE_ROW) {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
      if (t != nullptr) values.emplace_back(t);
    }
    sqlite3_finalize(q);
    return values;
  }
  fs::path keys_;
};

// A report reads on two connections (snapshot, movements, KAS, equality, trend); the second is
// opened from the store's path when the report runs. When another store file has been put at
// that path since (a restore while the store was open), the second connection must not read
// the other file's persons: the report is that of the store this connection holds.
TEST_F(KeyedStoreTest, AReportIsNotReadHalfFromAStoreFileThatReplacedTheOpenOne) {
  const fs::path live = dir_ / "live", old = dir_ / "old", restored = dir_ / "restored";
  fs::create_directories(live);
  fs::create_directories(restored);
  auto db = store::EventStore::Open((live / "0192.sqlite").string(), kSecret);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_GT(Import(**db, Synthetic(300)), 0);
  const std::string before = Reports(**db);
  {
    // Fewer persons, the same first ones: a store that reads like this one for a few slices.
    auto other = store::EventStore::Open((restored / "0192.sqlite").string(), kSecret);
    ASSERT_TRUE(other.ok()) << other.status().message();
    std::vector<v1::Event> few = Synthetic(300);
    few.resize(few.size() / 10);
    ASSERT_GT(Import(**other, few), 0);
  }
  // The folders are swapped whole, so each store keeps its own write-ahead log.
  fs::rename(live, old);
  fs::rename(restored, live);
  EXPECT_EQ(Reports(**db), before) << "a report read persons from the file now at the store's path";
}

// A report reads only the records its definition needs (NeededRecords), on two connections
// when it is a sum over persons (every report: RunReports merges the two engines). Each report
// must come out exactly as one pass over everything the store holds gives it: a narrowing that
// dropped a record some report reads, or a merge that lost a count, shows here as a cell.
TEST_F(KeyedStoreTest, EveryReportReadNarrowedOnTwoConnectionsEqualsOnePassOverEverything) {
  auto db = OpenKeyed();
  ASSERT_TRUE(db);
  ASSERT_GT(Import(*db, Synthetic(600)), 0);
  for (v1::ReportKind kind : {v1::REPORT_KIND_SNAPSHOT, v1::REPORT_KIND_MOVEMENTS, v1::REPORT_KIND_KAS,
                              v1::REPORT_KIND_EQUALITY, v1::REPORT_KIND_CASELOAD, v1::REPORT_KIND_TREND,
                              v1::REPORT_KIND_OUTCOMES, v1::REPORT_KIND_LEAD_TIMES, v1::REPORT_KIND_INDICATORS}) {
    auto options = store::OptionsFrom(Request(kind));
    ASSERT_TRUE(options.ok()) << options.status().message();
    options->reports = store::ReportBit(kind);  // this report alone, as BuildReport asks for it
    ASSERT_TRUE(stats::ReportEngine::Mergeable(*options)) << kind;
    auto narrowed = store::RunReports(*db, "0192", *options, nullptr);
    ASSERT_TRUE(narrowed.ok()) << narrowed.status().message();
    stats::ReportEngine whole(*options);
    ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory& h) { whole.Add(h); }, stats::RecordsNeeded{}).ok());
    const stats::Reports one = whole.Finish();
    const stats::Publication a = stats::Publish(store::KindFrom(kind), *narrowed);
    const stats::Publication b = stats::Publish(store::KindFrom(kind), one);
    ASSERT_EQ(a.tables.size(), b.tables.size()) << kind;
    int64_t counted = 0;
    for (size_t t = 0; t < a.tables.size(); ++t) {
      EXPECT_EQ(a.tables[t].id, b.tables[t].id);
      EXPECT_EQ(a.tables[t].cells, b.tables[t].cells) << a.tables[t].id;
      for (const int64_t n : b.tables[t].cells) counted += n > 0 ? 1 : 0;
    }
    EXPECT_GT(counted, 0) << kind << ": the comparison is not of empty reports";
  }
}

TEST_F(KeyedStoreTest, RotateReKeysEveryPseudonymAndReportsStayEqual) {
  const std::vector<v1::Event> events = Synthetic(300);
  std::string before;
  int64_t persons = 0;
  {
    auto db = OpenKeyed();
    ASSERT_TRUE(db);
    EXPECT_EQ(db->key_id(), 1);
    EXPECT_TRUE(fs::exists(keys_ / "0192.k1.key")) << "a new store's key is created in the key folder";
    EXPECT_FALSE(fs::exists(dir_ / "0192.secret"));
    ASSERT_GT(Import(*db, events), 0);
    persons = db->CountPersons();
    before = Reports(*db);
  }
  auto rotated = store::RotateKey(path_, keys_);
  ASSERT_TRUE(rotated.ok()) << rotated.status().message();
  EXPECT_EQ(rotated->from, 1);
  EXPECT_EQ(rotated->to, 2);
  EXPECT_FALSE(rotated->resumed);
  EXPECT_EQ(rotated->moved.persons, persons);
  EXPECT_GE(rotated->moved.references, static_cast<int64_t>(events.size()));
  EXPECT_TRUE(fs::exists(keys_ / "0192.k1.key")) << "the old key stays until it is retired";
  EXPECT_EQ(fs::status(keys_ / "0192.k2.key").permissions() & fs::perms::mask, fs::perms(0600));

  auto db = OpenKeyed();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->key_id(), 2);
  for (const char* sql : {"SELECT pseudonym FROM persons", "SELECT event_id FROM events",
                          "SELECT intervention_id FROM events WHERE intervention_id IS NOT NULL"}) {
    for (const std::string& v : Column(*db, sql)) ASSERT_EQ(v.rfind("k2:", 0), 0u) << sql << ": " << v;
  }
  EXPECT_EQ(*db->CountUnder(1), 0);
  EXPECT_EQ(Reports(*db), before) << "a report differs after re-keying";
  EXPECT_EQ(Import(*db, events), 0) << "the same events must still be recognised (and persons matched)";
  EXPECT_EQ(db->CountPersons(), persons);
  db.reset();

  // The old key goes; the store still opens and its persons still match without it.
  auto retired = store::RetireKeys(path_, keys_);
  ASSERT_TRUE(retired.ok()) << retired.status().message();
  EXPECT_EQ(*retired, std::vector<fs::path>{keys_ / "0192.k1.key"});
  EXPECT_FALSE(fs::exists(keys_ / "0192.k1.key"));
  db = OpenKeyed();
  ASSERT_TRUE(db);
  EXPECT_EQ(Import(*db, events), 0);
  EXPECT_EQ(Reports(*db), before);
}

// Killed after the new key file was made but before the transaction committed: the store is
// still wholly under k1, and running rotate again finishes the same rotation (no k3).
TEST_F(KeyedStoreTest, AnInterruptedRotationIsFinishedByRunningItAgain) {
  {
    auto db = OpenKeyed();
    ASSERT_TRUE(db);
    ASSERT_GT(Import(*db, Synthetic(20)), 0);
  }
  auto made = base::crypto::LoadOrCreateSecretKey(keys_ / "0192.k2.key", 32, "pseudonym key k2");
  ASSERT_TRUE(made.ok());
  {
    auto db = OpenKeyed();
    ASSERT_TRUE(db);
    EXPECT_EQ(db->key_id(), 1) << "a key file alone does not move the store";
  }
  auto rotated = store::RotateKey(path_, keys_);
  ASSERT_TRUE(rotated.ok()) << rotated.status().message();
  EXPECT_TRUE(rotated->resumed);
  EXPECT_EQ(rotated->to, 2);
  EXPECT_FALSE(fs::exists(keys_ / "0192.k3.key"));
  auto db = OpenKeyed();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->key_id(), 2);
  EXPECT_EQ(*db->CountUnder(1), 0);
}

// A store another process re-keys while it is open here refuses the next write under the old
// key (a server then reopens it); its old key is still refused once the store moved on.
TEST_F(KeyedStoreTest, AStoreReKeyedElsewhereRefusesWritesUnderTheOldKey) {
  auto db = OpenKeyed();
  ASSERT_TRUE(db);
  ASSERT_GT(Import(*db, Synthetic(5)), 0);
  ASSERT_TRUE(store::RotateKey(path_, keys_).ok());
  const Status began = db->Begin();
  ASSERT_FALSE(began.ok());
  EXPECT_EQ(began.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(began.reason(), store::kReasonRekeyed);
  EXPECT_NE(began.message().find("re-keyed to k2"), std::string::npos) << began.message();
  auto old = base::crypto::LoadOrCreateSecretKey(keys_ / "0192.k1.key", 32, "k1");
  ASSERT_TRUE(old.ok());
  auto stale = store::EventStore::Open(path_, *old, 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_NE(stale.status().message().find("under key k2, the key given is k1"), std::string::npos)
      << stale.status().message();
  // Retiring is refused while any value still carries an old id.
  auto reopened = OpenKeyed();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->key_id(), 2);
}

// References a vendor may build from personnummer never reach the store's bytes.
TEST_F(KeyedStoreTest, TheStoreHoldsNoReferenceInClear) {
  const std::string pnr_ref = "hh-198112189876/p1";
  v1::Event period = Period(pnr_ref + "/assistance/2023-01-01", "2023-01-01");
  v1::Event intervention;
  auto* iv = intervention.mutable_intervention();
  *iv->mutable_header() = period.assistance_period().header();
  iv->mutable_header()->set_event_id(pnr_ref + "/intervention/insats-19811218-9876");
  iv->set_intervention_id("insats-19811218-9876");
  iv->set_start_date("2023-02-01");
  {
    auto db = OpenKeyed();
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->Add(period).ok());
    auto added = db->Add(intervention);
    ASSERT_TRUE(added.ok()) << added.status().message();
    EXPECT_EQ(db->CountEvents(), 2);
    int interventions = 0;
    ASSERT_TRUE(db->ForEachPerson("0192", [&](const stats::PersonHistory& h) {
                    interventions += static_cast<int>(h.interventions.size());
                  }).ok());
    EXPECT_EQ(interventions, 1);
  }
  std::string bytes;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.is_regular_file()) bytes += FileBytes(entry.path());
  }
  ASSERT_FALSE(bytes.empty());
  for (const std::string& clear : {pnr_ref, std::string("insats-19811218-9876"), std::string(kPnrDigits),
                                   std::string("811218-9876"), std::string("hh-1981")}) {
    EXPECT_EQ(bytes.find(clear), std::string::npos) << clear;
  }
}

TEST_F(KeyedStoreTest, AStoreFromBeforeVersionedKeysCannotBeRotated) {
  {
    auto db = Open();  // a secret, as a schema-2 store had; then made legacy below
    ASSERT_TRUE(db);
  }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "UPDATE store_meta SET value = 'hmac-v1' WHERE key = 'scheme'", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  auto db = store::EventStore::Open(path_, kSecret);
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto moved = (*db)->Rekey(std::string(32, 'z'), 2);
  ASSERT_FALSE(moved.ok());
  EXPECT_NE(moved.status().message().find("cannot be re-keyed"), std::string::npos) << moved.status().message();
}

TEST(ReportRequest, ErrorsNameTheField) {
  v1::ReportRequest r;
  r.set_kind(v1::REPORT_KIND_MOVEMENTS);
  r.set_municipality_code("0192");
  r.set_from_date("2023-01-01");
  r.set_to_date("2022-12-31");
  auto o = store::OptionsFrom(r);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().message(), "to_date: before from_date");
  r.set_to_date("2023-13-01");
  EXPECT_EQ(store::OptionsFrom(r).status().message().rfind("to_date: '2023-13-01'", 0), 0u);
  r.set_to_date("2023-12-31");
  r.add_duration_band_lower_months(3);
  EXPECT_EQ(store::OptionsFrom(r).status().message(), "duration_band_lower_months: must start at 0 months");
  r.clear_duration_band_lower_months();
  r.add_kas_kinds("sfi");
  r.add_kas_kinds("");
  EXPECT_EQ(store::OptionsFrom(r).status().message(), "kas_kinds[1]: 0 bytes, must be 1 to 64");
  r.clear_kas_kinds();
  r.add_kas_actors("*");
  auto all = store::OptionsFrom(r);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->kas_actors.empty());  // every actor
  r.add_kas_actors("region");
  EXPECT_EQ(store::OptionsFrom(r).status().message().rfind("kas_actors[0]: a code of a-z", 0), 0u);
  r.clear_kas_actors();
  EXPECT_EQ(store::OptionsFrom(r)->kas_actors, std::vector<std::string>{"municipality"});  // the default scope
  r.add_kas_time_band_lower_months(1);
  EXPECT_EQ(store::OptionsFrom(r).status().message(), "kas_time_band_lower_months: must start at 0 months");
}

}  // namespace
}  // namespace ix::test
