// response.proto: an instrument response with its answers, part status and change trail.
#include "codec/codec.hpp"
#include "codec/enum_table.hpp"

namespace ix::plugin {
namespace {

// The codec's public overloads, alongside the local ones below.
using ix::plugin::FromProto;
using ix::plugin::ToProto;

const codec::EnumTable<core::Respondent, v1::Respondent> kRespondent{
    core::Respondent::kUnspecified, v1::RESPONDENT_UNSPECIFIED,
    {{core::Respondent::kClient, v1::RESPONDENT_CLIENT},
     {core::Respondent::kTogether, v1::RESPONDENT_TOGETHER},
     {core::Respondent::kCaseworker, v1::RESPONDENT_CASEWORKER}}};

// An unset state reads as "not started".
const codec::EnumTable<core::PartState, v1::PartState> kPartState{
    core::PartState::kNotStarted, v1::PART_STATE_UNSPECIFIED,
    {{core::PartState::kNotStarted, v1::PART_STATE_NOT_STARTED},
     {core::PartState::kInProgress, v1::PART_STATE_IN_PROGRESS},
     {core::PartState::kCompleted, v1::PART_STATE_COMPLETED},
     {core::PartState::kAmended, v1::PART_STATE_AMENDED}}};

const codec::EnumTable<core::ChangeKind, v1::ChangeKind> kChangeKind{
    core::ChangeKind::kUnspecified, v1::CHANGE_KIND_UNSPECIFIED,
    {{core::ChangeKind::kAnswerSet, v1::CHANGE_KIND_ANSWER_SET},
     {core::ChangeKind::kAnswerCleared, v1::CHANGE_KIND_ANSWER_CLEARED},
     {core::ChangeKind::kPartCompleted, v1::CHANGE_KIND_PART_COMPLETED},
     {core::ChangeKind::kPartReopened, v1::CHANGE_KIND_PART_REOPENED},
     {core::ChangeKind::kAmended, v1::CHANGE_KIND_AMENDED},
     {core::ChangeKind::kMigrated, v1::CHANGE_KIND_MIGRATED},
     {core::ChangeKind::kCalculated, v1::CHANGE_KIND_CALCULATED}}};

void ToProto(const core::Interpreter& in, v1::Interpreter* out) {
  out->set_present(in.present);
  out->set_language(in.language);
}

bool HasInterpreter(const core::Interpreter& in) { return in.present || !in.language.empty(); }

void ToProto(const core::Change& in, v1::Change* out) {
  out->set_at(in.at);
  out->set_actor(in.actor);
  out->set_kind(kChangeKind.ToWire(in.kind));
  out->set_item_id(in.item_id);
  out->set_person_ref(in.person_ref);
  if (!std::holds_alternative<std::monostate>(in.old_value)) ToProto(in.old_value, out->mutable_old_value());
  if (!std::holds_alternative<std::monostate>(in.new_value)) ToProto(in.new_value, out->mutable_new_value());
  out->set_answered_by(kRespondent.ToWire(in.answered_by));
  if (HasInterpreter(in.interpreter)) ToProto(in.interpreter, out->mutable_interpreter());
  out->set_part(in.part);
  out->set_reason(in.reason);
}

core::Change FromProto(const v1::Change& in) {
  core::Change out;
  out.at = in.at();
  out.actor = in.actor();
  out.kind = kChangeKind.FromWire(in.kind());
  out.item_id = in.item_id();
  out.person_ref = in.person_ref();
  if (in.has_old_value()) out.old_value = FromProto(in.old_value());
  if (in.has_new_value()) out.new_value = FromProto(in.new_value());
  out.answered_by = FromProto(in.answered_by());
  out.interpreter = FromProto(in.interpreter());
  out.part = in.part();
  out.reason = in.reason();
  return out;
}

}  // namespace

core::InstrumentRef FromProto(const v1::InstrumentRef& in) { return {in.instrument_id(), in.version()}; }

void ToProto(const core::InstrumentRef& in, v1::InstrumentRef* out) {
  out->set_instrument_id(in.instrument_id);
  out->set_version(in.version);
}

core::AnswerValue FromProto(const v1::AnswerValue& in) {
  switch (in.value_case()) {
    case v1::AnswerValue::kBoolean: return in.boolean();
    case v1::AnswerValue::kCode: return core::Code{in.code()};
    case v1::AnswerValue::kCodes: return core::Codes{{in.codes().codes().begin(), in.codes().codes().end()}};
    case v1::AnswerValue::kInteger: return in.integer();
    case v1::AnswerValue::kDecimal: return core::Decimal{in.decimal()};
    case v1::AnswerValue::kMoney: return core::Money{in.money().ore()};
    case v1::AnswerValue::kDate: return core::DateText{in.date()};
    case v1::AnswerValue::kText: return core::Text{in.text()};
    case v1::AnswerValue::kPersonnummer: return core::Personnummer{in.personnummer()};
    case v1::AnswerValue::kRating: return core::Rating{in.rating()};
    case v1::AnswerValue::VALUE_NOT_SET: break;
  }
  return std::monostate{};
}

void ToProto(const core::AnswerValue& in, v1::AnswerValue* out) {
  out->Clear();
  if (const auto* b = std::get_if<bool>(&in)) out->set_boolean(*b);
  else if (const auto* c = std::get_if<core::Code>(&in)) out->set_code(c->code);
  else if (const auto* cs = std::get_if<core::Codes>(&in)) {
    for (const std::string& code : cs->codes) out->mutable_codes()->add_codes(code);
    out->mutable_codes();  // an empty selection is still a (multiple-choice) value
  } else if (const auto* i = std::get_if<int64_t>(&in)) out->set_integer(*i);
  else if (const auto* d = std::get_if<core::Decimal>(&in)) out->set_decimal(d->text);
  else if (const auto* m = std::get_if<core::Money>(&in)) out->mutable_money()->set_ore(m->ore);
  else if (const auto* dt = std::get_if<core::DateText>(&in)) out->set_date(dt->text);
  else if (const auto* t = std::get_if<core::Text>(&in)) out->set_text(t->text);
  else if (const auto* p = std::get_if<core::Personnummer>(&in)) out->set_personnummer(p->text);
  else if (const auto* r = std::get_if<core::Rating>(&in)) out->set_rating(r->value);
}

core::Respondent FromProto(v1::Respondent in) { return kRespondent.FromWire(in); }

core::Interpreter FromProto(const v1::Interpreter& in) { return {in.present(), in.language()}; }

core::PartState FromProto(v1::PartState in) { return kPartState.FromWire(in); }

void ToProto(const core::PartStatus& in, v1::PartStatus* out) {
  out->set_part(in.part);
  out->set_state(kPartState.ToWire(in.state));
  out->set_started_at(in.started_at);
  out->set_completed_at(in.completed_at);
  out->set_amended_at(in.amended_at);
  out->set_completed_by(in.completed_by);
}

void ToProto(const core::Answer& in, v1::Answer* out) {
  out->set_item_id(in.item_id);
  out->set_person_ref(in.person_ref);
  ToProto(in.value, out->mutable_value());
  out->set_answered_by(kRespondent.ToWire(in.answered_by));
  if (HasInterpreter(in.interpreter)) ToProto(in.interpreter, out->mutable_interpreter());
  out->set_answered_at(in.answered_at);
  out->set_calculated(in.calculated);
}

core::Response FromProto(const v1::InstrumentResponse& in) {
  core::Response out;
  out.response_ref = in.response_ref();
  out.instrument = FromProto(in.instrument());
  out.household = FromProto(in.household());
  for (const v1::Answer& a : in.answers()) {
    out.answers.push_back({a.item_id(), a.person_ref(), FromProto(a.value()), FromProto(a.answered_by()),
                           FromProto(a.interpreter()), a.answered_at(), a.calculated()});
  }
  for (const v1::PartStatus& s : in.part_status()) {
    out.part_status.push_back(
        {s.part(), FromProto(s.state()), s.started_at(), s.completed_at(), s.amended_at(), s.completed_by()});
  }
  for (const v1::Change& c : in.changes()) out.changes.push_back(FromProto(c));
  out.created_at = in.created_at();
  out.updated_at = in.updated_at();
  if (in.has_migrated_from()) out.migrated_from = FromProto(in.migrated_from());
  return out;
}

void ToProto(const core::Response& in, v1::InstrumentResponse* out) {
  out->Clear();
  out->set_response_ref(in.response_ref);
  ToProto(in.instrument, out->mutable_instrument());
  ToProto(in.household, out->mutable_household());
  for (const core::Answer& a : in.answers) ToProto(a, out->add_answers());
  for (const core::PartStatus& s : in.part_status) ToProto(s, out->add_part_status());
  for (const core::Change& c : in.changes) ToProto(c, out->add_changes());
  out->set_created_at(in.created_at);
  out->set_updated_at(in.updated_at);
  if (!in.migrated_from.instrument_id.empty() || !in.migrated_from.version.empty()) {
    ToProto(in.migrated_from, out->mutable_migrated_from());
  }
}

}  // namespace ix::plugin
