// category.proto: AM levels, RH kinds, work capacity, whose view.
#include "codec/codec.hpp"
#include "codec/enum_table.hpp"

namespace ix::plugin {
namespace {

// No AM level travels as UNSPECIFIED; any other unknown value is refused (Find).
const codec::EnumTable<core::AmLevel, v1::AmLevel> kAmLevel{core::AmLevel::kNone, v1::AM_LEVEL_UNSPECIFIED,
                                                            {{core::AmLevel::kNone, v1::AM_LEVEL_UNSPECIFIED},
                                                             {core::AmLevel::kAm1, v1::AM_LEVEL_AM1},
                                                             {core::AmLevel::kAm2, v1::AM_LEVEL_AM2},
                                                             {core::AmLevel::kAm3, v1::AM_LEVEL_AM3}}};

const codec::EnumTable<core::RKind, v1::RKind> kRKind{core::RKind::kR1Physical, v1::R_KIND_UNSPECIFIED,
                                                      {{core::RKind::kR1Physical, v1::R_KIND_R1_PHYSICAL},
                                                       {core::RKind::kR2Mental, v1::R_KIND_R2_MENTAL},
                                                       {core::RKind::kR3Substance, v1::R_KIND_R3_SUBSTANCE}}};

const codec::EnumTable<core::WorkCapacity, v1::WorkCapacity> kWorkCapacity{
    core::WorkCapacity::kUnspecified, v1::WORK_CAPACITY_UNSPECIFIED,
    {{core::WorkCapacity::kFull, v1::WORK_CAPACITY_FULL},
     {core::WorkCapacity::kReduced, v1::WORK_CAPACITY_REDUCED},
     {core::WorkCapacity::kNone, v1::WORK_CAPACITY_NONE},
     {core::WorkCapacity::kUnclear, v1::WORK_CAPACITY_UNCLEAR}}};

const codec::EnumTable<core::AssessmentView, v1::AssessmentView> kView{
    core::AssessmentView::kUnspecified, v1::ASSESSMENT_VIEW_UNSPECIFIED,
    {{core::AssessmentView::kSuggestion, v1::ASSESSMENT_VIEW_SUGGESTION},
     {core::AssessmentView::kCaseworker, v1::ASSESSMENT_VIEW_CASEWORKER},
     {core::AssessmentView::kClient, v1::ASSESSMENT_VIEW_CLIENT}}};

}  // namespace

core::RKind FromProto(v1::RKind in, const std::string& field) {
  if (const auto kind = kRKind.Find(in)) return *kind;
  throw InvalidField(field, "expected R_KIND_R1_PHYSICAL, R_KIND_R2_MENTAL or R_KIND_R3_SUBSTANCE", "unknown_value");
}

v1::RKind ToProto(core::RKind in) { return kRKind.ToWire(in); }

core::WorkCapacity FromProto(v1::WorkCapacity in) { return kWorkCapacity.FromWire(in); }

v1::WorkCapacity ToProto(core::WorkCapacity in) { return kWorkCapacity.ToWire(in); }

v1::AssessmentView ToProto(core::AssessmentView in) { return kView.ToWire(in); }

core::AssessmentView FromProto(v1::AssessmentView in) { return kView.FromWire(in); }

core::Category FromProto(const v1::Category& in, const std::string& field) {
  core::Category out;
  const auto level = kAmLevel.Find(in.am_level());
  if (!level) throw InvalidField(field + ".am_level", "unknown value " + std::to_string(in.am_level()), "unknown_value");
  out.am_level = *level;
  for (int i = 0; i < in.r_kinds_size(); ++i) {
    out.r_kinds.push_back(FromProto(in.r_kinds(i), field + ".r_kinds[" + std::to_string(i) + "]"));
  }
  out.further_investigation = in.further_investigation();
  out.work_capacity = FromProto(in.work_capacity());
  core::Normalize(out);
  return out;
}

void ToProto(const core::Category& in, v1::Category* out) {
  out->set_am_level(kAmLevel.ToWire(in.am_level));
  out->clear_r_kinds();
  for (core::RKind r : in.r_kinds) out->add_r_kinds(ToProto(r));
  out->set_further_investigation(in.further_investigation);
  out->set_work_capacity(ToProto(in.work_capacity));
}

}  // namespace ix::plugin
