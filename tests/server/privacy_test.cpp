// Keys apart from the data, tried as an attacker would: record assessments through the real
// server, copy its state folder, and try to reverse every pseudonym in the copy by enumerating
// the personnummer of each stored birth month under every key the copy holds. Nothing
// may come back; given the key folder as well, the same attack must succeed (so this test
// would have failed when the keys lay beside the data). Also: the copy holds no reference in
// clear, the server refuses keys others can read or that lie inside a state folder, and a
// personnummer-shaped reference is refused by validation.
#include "server_test_support.hpp"

#include <ix/base/crypto.hpp>
#include <ix/core/personnummer.hpp>
#include <ix/store/pseudonym.hpp>

#include "ix/v1/categorisation.pb.h"

#include <sqlite3.h>

#include <cstdio>
#include <set>

namespace ix::server::testing {
namespace {

struct Key {
  std::string where;
  std::string bytes;
};

// Every file that could be a key: one line of 64 hex digits (as keys are kept), or anything
// named like a secret.
std::vector<Key> KeysIn(const fs::path& root) {
  std::vector<Key> keys;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.file_size() > 4096) continue;
    std::string text = Slurp(entry.path());
    const std::string ext = entry.path().extension().string();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    std::string bytes;
    if (base::crypto::FromHex(text, 32, &bytes)) {
      keys.push_back({entry.path().string(), bytes});
    } else if (ext == ".secret" || ext == ".key") {
      keys.push_back({entry.path().string(), text});
    }
  }
  return keys;
}

struct StoredPerson {
  std::string pseudonym;
  int birth_year = 0, birth_month = 0;
};

std::vector<StoredPerson> PersonsIn(const fs::path& sqlite_file) {
  std::vector<StoredPerson> persons;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(sqlite_file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT pseudonym, birth_year, birth_month FROM persons", -1, &q, nullptr),
            SQLITE_OK);
  while (q != nullptr && sqlite3_step(q) == SQLITE_ROW) {
    persons.push_back({reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), sqlite3_column_int(q, 1),
                       sqlite3_column_int(q, 2)});
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return persons;
}

// Every personnummer of a birth month, normalised. The ninth digit's parity would halve this for
// a known sex, but the sex is stored as recorded, which need not follow the number.
std::vector<std::string> Candidates(int year, int month) {
  std::vector<std::string> out;
  for (int day = 1; day <= 31; ++day) {
    if (!core::IsValidDate({year, month, day})) continue;
    for (int serial = 0; serial < 1000; ++serial) {
      char digits[16];
      std::snprintf(digits, sizeof digits, "%04d%02d%02d%03d", year, month, day, serial);
      const std::string nine = std::string(digits).substr(2);
      out.push_back(digits + std::to_string(core::LuhnCheckDigit(nine)));
    }
  }
  return out;
}

struct Recovered {
  std::set<std::string> personnummer;  // from the store
  std::set<std::string> households;    // from the audit log
};

// The attack. `state` is the copy; `keys` every key the attacker holds.
Recovered Attack(const fs::path& state, const std::vector<Key>& keys,
                 const std::vector<std::string>& known_household_refs) {
  Recovered found;
  for (const auto& entry : fs::recursive_directory_iterator(state)) {
    if (entry.path().extension() != ".sqlite") continue;
    for (const StoredPerson& person : PersonsIn(entry.path())) {
      const int id = store::Pseudonymiser::KeyIdOf(person.pseudonym);
      for (const Key& key : keys) {
        auto p = store::Pseudonymiser::Make(
            id == 0 ? store::PseudonymScheme::kLegacyHmac : store::PseudonymScheme::kRistretto255, id == 0 ? 1 : id,
            key.bytes);
        if (!p.ok()) continue;
        for (const std::string& candidate : Candidates(person.birth_year, person.birth_month)) {
          if (p->Person(candidate) == person.pseudonym) found.personnummer.insert(candidate);
        }
      }
    }
  }
  // Household pseudonyms in the audit log: HMAC(audit key, "<kommun>/<household_ref>").
  auto field = [](const std::string& line, const std::string& name) {
    const std::string start = "\"" + name + "\":\"";
    const size_t at = line.find(start);
    if (at == std::string::npos) return std::string();
    const size_t from = at + start.size();
    return line.substr(from, line.find('"', from) - from);
  };
  for (const auto& entry : fs::recursive_directory_iterator(state)) {
    if (entry.path().filename() != "audit.log") continue;
    std::istringstream lines(Slurp(entry.path()));
    std::string line;
    while (std::getline(lines, line)) {
      const std::string municipality = field(line, "municipality"), pseudonym = field(line, "household");
      if (pseudonym.size() != 64) continue;
      for (const Key& key : keys) {
        for (const std::string& ref : known_household_refs) {
          if (base::crypto::HmacSha256Hex(key.bytes, municipality + "/" + ref) == pseudonym) {
            found.households.insert(ref);
          }
        }
      }
    }
  }
  return found;
}

void CopyTree(const fs::path& from, const fs::path& to) {
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
}

std::string Digits(const std::string& text) {
  std::string d;
  for (char c : text) {
    if (c >= '0' && c <= '9') d += c;
  }
  return d;
}

TEST(Privacy, ACopyOfTheStateRevealsNoIdentityAndNoReference) {
  const fs::path state = TempDir("state");
  const fs::path keys = TempDir("keys");
  fs::permissions(keys, fs::perms::owner_all);  // a key folder others may enter is refused
  const v1::Case c = ExampleCase("case-after-two-years.json");
  std::vector<std::string> event_ids;
  {
    TestServer s(true, [&](ServerConfig& config) {
      config.set_store_dir((state / "store").string());
      config.set_audit_log((state / "audit.log").string());
      config.set_key_dir(keys.string());
    });
    v1::AssessRequest assess;
    *assess.mutable_household() = c.household();
    *assess.mutable_record() = c.assessments(0);
    assess.set_recorded_at("2024-03-04T10:00:00Z");
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::AssessResponse assessed;
    const grpc::Status st = Stub(s, "sodertalje")->Assess(&ctx, assess, &assessed);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_TRUE(assessed.has_event());
    event_ids.push_back(assessed.event().categorisation().header().event_id());

    v1::PlanRequest plan;
    *plan.mutable_household() = c.household();
    *plan.mutable_plan() = c.plan();
    plan.set_recorded_at("2024-04-15T09:00:00Z");
    grpc::ClientContext plan_ctx;
    Deadline(&plan_ctx);
    v1::PlanResponse planned;
    const grpc::Status plan_st = Stub(s, "sodertalje")->Plan(&plan_ctx, plan, &planned);
    ASSERT_TRUE(plan_st.ok()) << plan_st.error_message();
    ASSERT_GT(planned.events_size(), 0);
    for (const auto& e : planned.events()) {
      event_ids.push_back(e.intervention().header().event_id());
      event_ids.push_back(e.intervention().intervention_id());
    }
  }  // the server stops: what it wrote is on disk
  const fs::path copy = TempDir("stolen-copy") / "state";
  CopyTree(state, copy);

  std::vector<std::string> refs = {c.household().household_ref(), "hh-example-1", "hh-golden"};
  std::set<std::string> household_pnr;
  for (const auto& person : c.household().persons()) {
    household_pnr.insert(core::ParseIdentityNumber(person.personnummer()).normalized);
    refs.push_back(person.personnummer());
  }

  // The copy alone: no key in it, nothing recovered.
  const std::vector<Key> in_copy = KeysIn(copy);
  for (const Key& key : in_copy) ADD_FAILURE() << "a key in the copy of the state: " << key.where;
  const Recovered alone = Attack(copy, in_copy, refs);
  EXPECT_TRUE(alone.personnummer.empty()) << *alone.personnummer.begin();
  EXPECT_TRUE(alone.households.empty()) << *alone.households.begin();

  // The same attack given the key folder: it works, so the test above can fail.
  const Recovered with_keys = Attack(copy, KeysIn(keys), refs);
  ASSERT_FALSE(with_keys.personnummer.empty()) << "the attack itself is broken";
  for (const std::string& pnr : with_keys.personnummer) EXPECT_TRUE(household_pnr.count(pnr)) << pnr;
  EXPECT_EQ(with_keys.households, std::set<std::string>{c.household().household_ref()});

  // No reference and no personnummer in clear anywhere in the copy's bytes.
  for (const auto& entry : fs::recursive_directory_iterator(copy)) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = Slurp(entry.path());
    for (const auto& person : c.household().persons()) {
      EXPECT_EQ(bytes.find(person.personnummer()), std::string::npos) << entry.path();
      EXPECT_EQ(bytes.find(Digits(person.personnummer())), std::string::npos) << entry.path();
    }
    EXPECT_EQ(bytes.find(c.household().household_ref()), std::string::npos) << entry.path();
    for (const std::string& id : event_ids) {
      ASSERT_FALSE(id.empty());
      if (id.size() < 6) continue;  // "i1" occurs by chance in any binary; the store test covers short ids
      EXPECT_EQ(bytes.find(id), std::string::npos) << id << " in " << entry.path();
    }
  }
}

// Starts a server on `tweak`ed defaults and returns why it did not start ("" if it did).
std::string StartRefusal(const std::function<void(ServerConfig&, const fs::path&)>& tweak) {
  const fs::path dir = TempDir("refusal");
  ServerOptions options;
  options.config = TestServer::DefaultConfig(dir);
  options.config.set_key_dir((dir.string() + "-keys"));
  tweak(options.config, dir);
  CapturedLog log;
  options.log = log.logger;
  auto started = Server::Start(std::move(options));
  if (started.ok()) return "";
  EXPECT_EQ(started.status().code(), StatusCode::kFailedPrecondition) << started.status().message();
  return started.status().message();
}

TEST(Privacy, TheServerRefusesAKeyOthersCanRead) {
  const std::string why = StartRefusal([](ServerConfig& c, const fs::path&) {
    fs::create_directories(c.key_dir());
    fs::permissions(c.key_dir(), fs::perms(0750));
    std::ofstream(fs::path(c.key_dir()) / "0181.k1.key") << std::string(64, 'c') << "\n";
    fs::permissions(fs::path(c.key_dir()) / "0181.k1.key", fs::perms(0644));
  });
  EXPECT_NE(why.find("key_dir: "), std::string::npos) << why;
  EXPECT_NE(why.find("0181.k1.key: key has mode 0644, which lets every user of the machine read it"),
            std::string::npos)
      << why;
}

TEST(Privacy, TheServerRefusesAKeyFolderOthersCanEnter) {
  const std::string why = StartRefusal([](ServerConfig& c, const fs::path&) {
    fs::create_directories(c.key_dir());
    fs::permissions(c.key_dir(), fs::perms(0755));
  });
  EXPECT_EQ(why.rfind("key_dir: '", 0), 0u) << why;
  EXPECT_NE(why.find("has mode 0755: others may list or enter it"), std::string::npos) << why;
}

TEST(Privacy, TheServerRefusesKeysInsideAStateFolder) {
  const std::string in_store = StartRefusal([](ServerConfig& c, const fs::path& dir) {
    c.set_store_dir((dir / "store").string());
    c.set_key_dir((dir / "store" / "keys").string());
  });
  EXPECT_NE(in_store.find("key_dir: '"), std::string::npos) << in_store;
  EXPECT_NE(in_store.find("lies inside the state folder store_dir"), std::string::npos) << in_store;

  const std::string beside_audit = StartRefusal([](ServerConfig& c, const fs::path& dir) {
    c.set_key_dir((dir / "keys").string());  // the audit log is dir/audit.log
  });
  EXPECT_NE(beside_audit.find("lies inside the state folder audit_log"), std::string::npos) << beside_audit;

  const std::string audit_key = StartRefusal([](ServerConfig& c, const fs::path& dir) {
    c.set_audit_key_file((dir / "audit.log.key").string());
  });
  EXPECT_NE(audit_key.find("audit_key_file: '"), std::string::npos) << audit_key;
  EXPECT_NE(audit_key.find("lies inside the state folder audit_log"), std::string::npos) << audit_key;
}

// What an earlier release left beside the data stops the server, with where to move it.
TEST(Privacy, TheServerRefusesAKeyLeftInTheStoreFolder) {
  const std::string why = StartRefusal([](ServerConfig& c, const fs::path& dir) {
    c.set_store_dir((dir / "store").string());
    fs::create_directories(dir / "store");
    std::ofstream(dir / "store" / "0181.secret") << std::string(64, 'd') << "\n";
  });
  EXPECT_NE(why.find("store_dir: '"), std::string::npos) << why;
  EXPECT_NE(why.find("0181.secret' is a pseudonym key inside the state folder; move it to '"), std::string::npos)
      << why;
  EXPECT_NE(why.find("0181.k1.key'"), std::string::npos) << why;
}

// A reference that is a personnummer is refused by validation, and the answer never echoes it.
TEST(Privacy, APersonnummerShapedReferenceIsRefused) {
  TestServer s;
  v1::ValidateRequest request;
  *request.mutable_response() = Example("household.json");
  request.set_as_of_date("2025-01-15");
  const std::string pnr = request.response().household().persons(0).personnummer();
  request.mutable_response()->mutable_household()->set_household_ref("hh-" + Digits(pnr));
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::ValidateResponse response;
  const grpc::Status st = Stub(s, "sodertalje")->Validate(&ctx, request, &response);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(response.valid());
  bool found = false;
  for (const auto& p : response.problems()) {
    if (p.code() == "reference_is_personnummer" && p.path() == "household.household_ref") found = true;
    EXPECT_EQ(p.message().en().find(Digits(pnr)), std::string::npos);
  }
  EXPECT_TRUE(found) << response.DebugString();

  // A person_ref in the ten-digit form, and a reference that only looks numeric, is fine.
  v1::ValidateRequest person = request;
  person.mutable_response()->mutable_household()->set_household_ref("hh-2024-0117");
  const std::string ten = Digits(pnr).substr(2, 6) + "-" + Digits(pnr).substr(8);
  person.mutable_response()->mutable_household()->mutable_persons(1)->set_person_ref(ten);
  grpc::ClientContext ctx2;
  Deadline(&ctx2);
  v1::ValidateResponse refused;
  ASSERT_TRUE(Stub(s, "sodertalje")->Validate(&ctx2, person, &refused).ok());
  std::vector<std::string> codes;
  for (const auto& p : refused.problems()) {
    if (p.code() == "reference_is_personnummer") codes.push_back(p.path());
  }
  EXPECT_EQ(codes, std::vector<std::string>{"household.persons[1].person_ref"});
}

}  // namespace
}  // namespace ix::server::testing
