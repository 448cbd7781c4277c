// Conversion between the categorisation messages (proto/ix/v1/categorisation.proto, lite
// runtime) and the core's plain data (ix/core/categorisation, clocks, plan,
// forsorjningshinder). Dates cross as "YYYY-MM-DD" text; a bad date is an error naming the
// field, never a silent default.
#ifndef IX_PLUGIN_CATEGORISATION_CONVERT_HPP
#define IX_PLUGIN_CATEGORISATION_CONVERT_HPP

#include <ix/core/categorisation/assessment.hpp>
#include <ix/core/categorisation/category.hpp>
#include <ix/core/categorisation/rules.hpp>
#include <ix/core/clocks/clocks.hpp>
#include <ix/core/forsorjningshinder/forsorjningshinder.hpp>
#include <ix/core/plan/plan.hpp>

#include "ix/v1/categorisation.pb.h"

#include <optional>
#include <stdexcept>
#include <string>

namespace ix::plugin {

// Thrown by the converters for a bad field; the extension turns it into
// IX_ERR_INVALID_ARGUMENT with "<field>: <what>".
struct FieldException : std::runtime_error {
  FieldException(std::string field_name, const std::string& what)
      : std::runtime_error(field_name + ": " + what), field(std::move(field_name)) {}
  std::string field;
};

// "" → nullopt; otherwise a real date within 1970–2100, else FieldException.
std::optional<core::Date> OptionalDate(const std::string& text, const std::string& field);
core::Date RequiredDate(const std::string& text, const std::string& field);
std::string DateText(const std::optional<core::Date>& date);

// --- data -----------------------------------------------------------------------------------
core::RuleSet FromProto(const v1::RuleSet& in);
core::ForsorjningshinderTable FromProto(const v1::ForsorjningshinderTable& in);
core::InterventionCatalogue FromProto(const v1::InterventionCatalogue& in);
core::clocks::ClockParameters FromProto(const v1::ClockParameters& in);
core::GoverningPolicy FromProto(v1::GoverningPolicy in);

// --- categories and assessments -------------------------------------------------------------
core::Category FromProto(const v1::Category& in, const std::string& field);
void ToProto(const core::Category& in, v1::Category* out);
core::Assessment FromProto(const v1::Assessment& in, const std::string& field);
void ToProto(const core::Suggestion& in, v1::Suggestion* out);
void ToProto(const core::Governed& in, v1::GoverningResult* out);
v1::AmLevel ToProto(core::AmLevel in);
v1::RKind ToProto(core::RKind in);
v1::AssessmentView ToProto(core::AssessmentView in);
core::AssessmentView FromProto(v1::AssessmentView in);

// --- clocks, plan ---------------------------------------------------------------------------
std::vector<core::clocks::AssistancePeriod> FromProto(
    const google::protobuf::RepeatedPtrField<v1::AssistancePeriod>& in, const std::string& field);
void ToProto(const core::clocks::DueItem& in, v1::DueItem* out);
core::Plan FromProto(const v1::Plan& in, const std::string& field);
void ToProto(const core::Plan& in, v1::Plan* out);
core::FollowUp FromProto(const v1::FollowUp& in, const std::string& field);
v1::KasOutcome ToProto(core::KasOutcome in);
v1::InterventionOrientation ToProto(core::InterventionOrientation in);

}  // namespace ix::plugin

#endif  // IX_PLUGIN_CATEGORISATION_CONVERT_HPP
