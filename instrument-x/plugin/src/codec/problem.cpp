// problem.proto: texts, severities, problems.
#include "codec/codec.hpp"
#include "codec/enum_table.hpp"

namespace ix::plugin {
namespace {

const codec::EnumTable<core::Severity, v1::Severity> kSeverity{
    core::Severity::kError, v1::SEVERITY_UNSPECIFIED,
    {{core::Severity::kError, v1::SEVERITY_ERROR}, {core::Severity::kWarning, v1::SEVERITY_WARNING}}};

}  // namespace

core::LocalizedText FromProto(const v1::LocalizedText& in) { return {in.sv(), in.en()}; }

void ToProto(const core::LocalizedText& in, v1::LocalizedText* out) {
  out->set_sv(in.sv);
  out->set_en(in.en);
}

core::Severity FromProto(v1::Severity in) { return kSeverity.FromWire(in); }

void ToProto(const core::Problem& in, v1::Problem* out) {
  out->set_severity(kSeverity.ToWire(in.severity));
  out->set_code(in.code);
  out->set_path(in.path);
  out->set_item_id(in.item_id);
  out->set_person_ref(in.person_ref);
  out->set_part(in.part);
  ToProto(in.message, out->mutable_message());
}

}  // namespace ix::plugin
