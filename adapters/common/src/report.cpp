#include <ix/adapters/report.hpp>

namespace ix::adapters {

Report::Report(std::string_view adapter, std::string_view direction) {
  report_.set_adapter(std::string(adapter));
  report_.set_direction(std::string(direction));
}

void Report::Add(v1::CarryReason reason, std::string_view path, std::string_view detail) {
  for (auto& note : *report_.mutable_notes()) {
    if (note.reason() == reason && note.path() == path) {
      note.set_count(note.count() + 1);
      return;
    }
  }
  auto* note = report_.add_notes();
  note->set_reason(reason);
  note->set_path(std::string(path));
  note->set_detail(std::string(detail));
  note->set_count(1);
}

bool HasNote(const v1::TranslationReport& report, v1::CarryReason reason,
             std::string_view path_prefix) {
  for (const auto& note : report.notes()) {
    if (note.reason() == reason && std::string_view(note.path()).starts_with(path_prefix)) {
      return true;
    }
  }
  return false;
}

std::string_view ReasonName(v1::CarryReason reason) {
  switch (reason) {
    case v1::CARRY_REASON_NOT_IN_TARGET_MODEL: return "not_in_target_model";
    case v1::CARRY_REASON_WITHHELD_PROTECTED_IDENTITY: return "withheld_protected_identity";
    case v1::CARRY_REASON_DERIVED: return "derived";
    case v1::CARRY_REASON_TEXT_ONLY: return "text_only";
    case v1::CARRY_REASON_NOT_EXPRESSIBLE: return "not_expressible";
    default: return "unspecified";
  }
}

}  // namespace ix::adapters
