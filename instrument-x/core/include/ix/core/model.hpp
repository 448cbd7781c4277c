// The domain model as plain C++ data: no protobuf, no I/O. The plugin's codec converts the
// canonical ix.v1 messages to and from these types; the core never sees bytes.
#ifndef IX_CORE_MODEL_HPP
#define IX_CORE_MODEL_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ix::core {

// A text in one more language than the two every text carries.
struct Translation {
  std::string language;  // a well-formed BCP 47 tag (ix/core/language.hpp)
  std::string text;
  friend bool operator==(const Translation&, const Translation&) = default;
};

// A text in the two languages every definition carries, and optionally in others. Read it in
// a language with TextIn (ix/core/language.hpp), which applies the fallback rule.
struct LocalizedText {
  std::string sv;
  std::string en;
  std::vector<Translation> translations{};
  friend bool operator==(const LocalizedText&, const LocalizedText&) = default;
};

// What a set of texts says about one of its languages beyond sv and en.
struct LanguageNote {
  std::string language;
  bool representative_translation = false;  // written for this project, not the licensed text
  std::string notice;                       // that statement, in the language itself
  friend bool operator==(const LanguageNote&, const LanguageNote&) = default;
};

enum class Sex { kUnspecified, kFemale, kMale, kOther };

enum class HouseholdRole { kUnspecified, kRegisterledare, kMedsokande, kOtherAdult, kChild };

// A calendar date without time zone. Whether it names a real day is the parser's concern
// (ParseIsoDate in personnummer.hpp only produces real days).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};

struct Person {
  std::string person_ref;
  std::string personnummer;
  Sex sex = Sex::kUnspecified;
  std::string birth_date;  // ISO 8601 text as received; checked by validation
  HouseholdRole role = HouseholdRole::kUnspecified;
  bool protected_identity = false;
};

struct Household {
  std::string household_ref;
  std::string municipality_code;
  std::vector<Person> persons;
};

struct InstrumentRef {
  std::string instrument_id;
  std::string version;
  friend bool operator==(const InstrumentRef&, const InstrumentRef&) = default;
};

// Answer value kinds, in the order of ix.v1.AnswerValue's oneof.
struct Money {
  int64_t ore = 0;
  friend bool operator==(const Money&, const Money&) = default;
};
struct Codes {
  std::vector<std::string> codes;
  friend bool operator==(const Codes&, const Codes&) = default;
};
struct Decimal {
  std::string text;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};
struct DateText {
  std::string text;
  friend bool operator==(const DateText&, const DateText&) = default;
};
struct Personnummer {
  std::string text;
  friend bool operator==(const Personnummer&, const Personnummer&) = default;
};
struct Rating {
  int32_t value = 0;
  friend bool operator==(const Rating&, const Rating&) = default;
};
struct Code {
  std::string code;
  friend bool operator==(const Code&, const Code&) = default;
};
struct Text {
  std::string text;
  friend bool operator==(const Text&, const Text&) = default;
};

// std::monostate: no value set (an answer without a value is reported, not ignored).
using AnswerValue = std::variant<std::monostate, bool, Code, Codes, int64_t, Decimal, Money,
                                 DateText, Text, Personnummer, Rating>;

enum class Respondent { kUnspecified, kClient, kTogether, kCaseworker };

struct Interpreter {
  bool present = false;
  std::string language;
  friend bool operator==(const Interpreter&, const Interpreter&) = default;
};

struct Answer {
  std::string item_id;
  std::string person_ref;  // empty: household-level
  AnswerValue value;
  Respondent answered_by = Respondent::kUnspecified;
  Interpreter interpreter{};
  std::string answered_at{};  // RFC 3339 UTC
  bool calculated = false;  // derived from other answers by the forms logic
};

// Per part: not started -> in progress -> completed -> amended after completion.
enum class PartState { kNotStarted, kInProgress, kCompleted, kAmended };

struct PartStatus {
  int part = 0;
  PartState state = PartState::kNotStarted;
  std::string started_at;
  std::string completed_at;
  std::string amended_at;
  std::string completed_by;
};

enum class ChangeKind {
  kUnspecified,
  kAnswerSet,
  kAnswerCleared,
  kPartCompleted,
  kPartReopened,
  kAmended,
  kMigrated,
  kCalculated,
};

// One entry of the append-only change trail. monostate values: "no answer".
struct Change {
  std::string at;
  std::string actor;
  ChangeKind kind = ChangeKind::kUnspecified;
  std::string item_id;
  std::string person_ref;
  AnswerValue old_value;
  AnswerValue new_value;
  Respondent answered_by = Respondent::kUnspecified;
  Interpreter interpreter;
  int part = 0;
  std::string reason;
};

struct Response {
  std::string response_ref;
  InstrumentRef instrument;
  Household household;
  std::vector<Answer> answers;
  std::vector<PartStatus> part_status{};
  std::vector<Change> changes{};  // append-only
  std::string created_at{};
  std::string updated_at{};
  InstrumentRef migrated_from{};  // empty unless migrated
};

enum class Severity { kError, kWarning };

// The one problem type of every check (validation, the suggestion rules, rule-set and plan
// checks, request fields): it travels unchanged to the wire, so a client learns which field or
// answer is wrong from `path`, never by parsing the text.
struct Problem {
  Severity severity = Severity::kError;
  std::string code;  // machine-readable: "required", "wrong_type", …
  // The field ("plan.goals[0].text", "as_of_date") or the answer, in the one answer dialect
  // (AnswerPath): "answers[p1/am.health]".
  std::string path;
  std::string item_id;
  std::string person_ref;
  int part = 0;
  LocalizedText message;  // what is wrong, without the path
};

// The path of an answer: "answers[<person_ref>/<item_id>]", "household" standing for an empty
// person_ref. Every check that names an answer uses it, so one answer has one path.
std::string AnswerPath(std::string_view person_ref, std::string_view item_id);

// An error about one field (not an answer): `path` names it.
Problem FieldProblem(std::string path, std::string code, LocalizedText message);

// The problems as one line of text, "<path>: <en>; <path>: <en>" (a problem without a path is
// its text alone): the form a host that asked for text receives.
std::string ProblemsText(const std::vector<Problem>& problems);

}  // namespace ix::core

#endif  // IX_CORE_MODEL_HPP
