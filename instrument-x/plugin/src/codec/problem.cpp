// problem.proto: texts, severities, problems.
#include "codec/codec.hpp"
#include "codec/enum_table.hpp"

namespace ix::plugin {
namespace {

const codec::EnumTable<core::Severity, v1::Severity> kSeverity{
    core::Severity::kError, v1::SEVERITY_UNSPECIFIED,
    {{core::Severity::kError, v1::SEVERITY_ERROR}, {core::Severity::kWarning, v1::SEVERITY_WARNING}}};

}  // namespace

core::LocalizedText FromProto(const v1::LocalizedText& in) {
  core::LocalizedText out{in.sv(), in.en()};
  for (const v1::Translation& t : in.translations()) out.translations.push_back({t.language(), t.text()});
  return out;
}

void ToProto(const core::LocalizedText& in, v1::LocalizedText* out) {
  out->set_sv(in.sv);
  out->set_en(in.en);
  for (const core::Translation& t : in.translations) {
    v1::Translation* x = out->add_translations();
    x->set_language(t.language);
    x->set_text(t.text);
  }
}

std::vector<core::LanguageNote> FromProto(const google::protobuf::RepeatedPtrField<v1::LanguageNote>& in) {
  std::vector<core::LanguageNote> out;
  for (const v1::LanguageNote& n : in) out.push_back({n.language(), n.representative_translation(), n.notice()});
  return out;
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
