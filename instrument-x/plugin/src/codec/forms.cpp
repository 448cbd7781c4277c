// forms.proto: who records a change, answer edits, migration reports.
#include "codec/codec.hpp"
#include "codec/enum_table.hpp"

namespace ix::plugin {
namespace {

const codec::EnumTable<core::forms::MigrationOutcome, v1::MigrationOutcome> kMigrationOutcome{
    core::forms::MigrationOutcome::kNotCarried, v1::MIGRATION_OUTCOME_UNSPECIFIED,
    {{core::forms::MigrationOutcome::kCarried, v1::MIGRATION_OUTCOME_CARRIED},
     {core::forms::MigrationOutcome::kTransformed, v1::MIGRATION_OUTCOME_TRANSFORMED},
     {core::forms::MigrationOutcome::kNotCarried, v1::MIGRATION_OUTCOME_NOT_CARRIED}}};

}  // namespace

core::Recorder FromProto(const v1::Recorder& in) {
  return {in.actor(), in.at(), FromProto(in.answered_by()), FromProto(in.interpreter())};
}

core::forms::AnswerEdit FromProto(const v1::AnswerEdit& in, const std::string& field) {
  core::forms::AnswerEdit edit;
  edit.item_id = in.item_id();
  edit.person_ref = in.person_ref();
  switch (in.change_case()) {
    case v1::AnswerEdit::kValue:
      edit.kind = core::forms::AnswerEdit::Kind::kValue;
      edit.value = FromProto(in.value());
      break;
    case v1::AnswerEdit::kText:
      edit.kind = core::forms::AnswerEdit::Kind::kText;
      edit.text = in.text();
      break;
    case v1::AnswerEdit::kClear:
      edit.kind = core::forms::AnswerEdit::Kind::kClear;
      break;
    case v1::AnswerEdit::CHANGE_NOT_SET:
      throw InvalidField(field, "set one of value, text or clear", "missing");
  }
  return edit;
}

void ToProto(const core::forms::MigrationReport& in, v1::MigrationReport* out) {
  ToProto(in.from, out->mutable_from());
  ToProto(in.to, out->mutable_to());
  for (const core::forms::MigratedAnswer& a : in.answers) {
    v1::MigratedAnswer* m = out->add_answers();
    m->set_item_id(a.item_id);
    m->set_person_ref(a.person_ref);
    ToProto(a.old_value, m->mutable_old_value());
    m->set_outcome(kMigrationOutcome.ToWire(a.outcome));
    for (const core::Answer& n : a.new_answers) ToProto(n, m->add_new_answers());
    ToProto(a.reason, m->mutable_reason());
  }
  for (const std::string& id : in.new_item_ids) out->add_new_item_ids(id);
  for (const core::Problem& p : in.problems) ToProto(p, out->add_problems());
  for (const core::PartStatus& s : in.part_status) ToProto(s, out->add_part_status());
}

}  // namespace ix::plugin
