// Building a TranslationReport: what a translation could not carry, by path, never by value.
#ifndef IX_ADAPTERS_REPORT_HPP
#define IX_ADAPTERS_REPORT_HPP

#include "ix/v1/adapters.pb.h"

#include <string>
#include <string_view>

namespace ix::adapters {

class Report {
 public:
  Report(std::string_view adapter, std::string_view direction);

  // Adds a note, or raises the count of an existing note with the same path and reason
  // (so "answers[*].answered_at" stands once for every answer that had one).
  void Add(v1::CarryReason reason, std::string_view path, std::string_view detail);
  void NotInTarget(std::string_view path, std::string_view detail) {
    Add(v1::CARRY_REASON_NOT_IN_TARGET_MODEL, path, detail);
  }
  void Withheld(std::string_view path, std::string_view detail) {
    Add(v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY, path, detail);
  }
  void Derived(std::string_view path, std::string_view detail) {
    Add(v1::CARRY_REASON_DERIVED, path, detail);
  }
  void TextOnly(std::string_view path, std::string_view detail) {
    Add(v1::CARRY_REASON_TEXT_ONLY, path, detail);
  }
  void NotExpressible(std::string_view path, std::string_view detail) {
    Add(v1::CARRY_REASON_NOT_EXPRESSIBLE, path, detail);
  }

  const v1::TranslationReport& proto() const { return report_; }
  v1::TranslationReport Take() { return std::move(report_); }

 private:
  v1::TranslationReport report_;
};

// True when the report has a note with this reason whose path starts with `path_prefix`.
bool HasNote(const v1::TranslationReport& report, v1::CarryReason reason,
             std::string_view path_prefix);

// "withheld_protected_identity" etc., for text output.
std::string_view ReasonName(v1::CarryReason reason);

}  // namespace ix::adapters

#endif  // IX_ADAPTERS_REPORT_HPP
