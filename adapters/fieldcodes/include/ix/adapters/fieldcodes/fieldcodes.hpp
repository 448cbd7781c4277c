// Field-code profiles. Many case systems import and export form data as flat records
// (field code, person reference, value). A profile (profiles/*.json) says, as data, which
// vendor field carries which canonical item, how values are written (J/N or 1/0, dates, money
// in kronor or öre, option codes) and how persons are referred to; one canonical item may be
// split over several vendor fields. Supporting a new vendor is a new profile file.
//
// Records are delimited text with a header line (RFC 4180 quoting). Import errors name the
// line and column and never quote the value. Translation is linear in the records and the
// profile: field codes, items and persons are looked up in indexes built once per call.
#ifndef IX_ADAPTERS_FIELDCODES_FIELDCODES_HPP
#define IX_ADAPTERS_FIELDCODES_FIELDCODES_HPP

#include <ix/adapters/protected_identity.hpp>
#include <ix/base/status.hpp>

#include "ix/v1/adapters.pb.h"
#include "ix/v1/definition.pb.h"
#include "ix/v1/response.pb.h"

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace ix::adapters::fieldcodes {

enum class PersonKey { kPersonnummer, kPersonRef };
enum class MoneyEncoding { kOre, kKronorComma };
enum class DateEncoding { kIso, kCompact };  // YYYY-MM-DD, YYYYMMDD

// One vendor field: its code and, for choice items, canonical code -> vendor value.
struct VendorField {
  std::string code;
  std::map<std::string, std::string> values;  // empty: the canonical code is written as is
};

// A canonical item and the vendor field(s) that carry it (two or more: a split item).
struct FieldMapping {
  v1::Item item;  // as in the definition
  std::vector<VendorField> fields;
};

struct Profile {
  std::string id;
  std::string version;
  v1::InstrumentRef instrument;  // the definition version the profile was checked against
  char delimiter = ';';
  std::vector<std::string> header;  // three column names: field, person, value
  PersonKey person = PersonKey::kPersonnummer;
  std::string household_person;     // what the person column holds for household items
  std::string boolean_true;
  std::string boolean_false;
  DateEncoding date = DateEncoding::kIso;
  MoneyEncoding money = MoneyEncoding::kOre;
  char decimal_separator = '.';
  std::string codes_separator;
  std::vector<FieldMapping> mappings;

  std::string Name() const { return id + " " + version; }
};

// Reads a profile and checks it against `definition` (which must be the profile's instrument
// version): every item exists, choice items map every option to a distinct value, split
// fields tell every option apart, field codes are unique. Errors name the profile field. The
// JSON is parsed once within the base toolkit's limits (docs/limits.md): a profile with more
// keys in one object, more entries, deeper nesting or more bytes is refused by path and limit.
Result<Profile> LoadProfile(std::string_view json, std::string_view source, const v1::Definition& definition);
// The same, against the definition the profile names among `definitions` (NOT_FOUND when it
// names none of them); still one parse.
Result<Profile> LoadProfile(std::string_view json, std::string_view source,
                            std::span<const v1::Definition> definitions);

// Flat-record files: at most this many lines, each at most this many bytes (one household's
// records are a few hundred short lines; a text answer is at most 10 000 characters).
inline constexpr std::size_t kMaxRecordLines = 100'000;
inline constexpr std::size_t kMaxRecordLineBytes = 64u << 10;

struct Exported {
  std::string text;  // the records, header first
  v1::TranslationReport report;
};

// Errors: the response is pinned to another instrument version, a value does not fit.
// `protection`: the other snapshots of the case the response belongs to
// (ProtectedIdentity::OfCase), so a person protected in any of them has no contact data here.
Result<Exported> ExportResponse(const v1::InstrumentResponse& response, const Profile& profile,
                                const ProtectedIdentity& protection = {});

struct Imported {
  v1::InstrumentResponse response;
  v1::TranslationReport report;
};

// The flat records of one household. `household` is the receiving case's (persons are looked
// up by the profile's person key). Unknown field codes, values and persons are errors.
Result<Imported> ImportRecords(std::string_view text, std::string_view source, const v1::Household& household,
                               const Profile& profile);

}  // namespace ix::adapters::fieldcodes

#endif  // IX_ADAPTERS_FIELDCODES_FIELDCODES_HPP
