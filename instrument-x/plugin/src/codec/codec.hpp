// The codec: the canonical ix.v1 messages (lite runtime) to and from the core's plain data,
// one .cpp per proto file (problem, household, response, definition, forms, category, events,
// categorisation). The only place in the plugin that knows both sides; it converts and checks
// the shape of fields (a date is a date, an enum value is known), never decides. A bad field
// is thrown as InvalidField naming it.
#ifndef IX_PLUGIN_CODEC_CODEC_HPP
#define IX_PLUGIN_CODEC_CODEC_HPP

#include <ix/core/casework/casework.hpp>
#include <ix/core/categorisation/rules.hpp>
#include <ix/core/clocks/clocks.hpp>
#include <ix/core/definition.hpp>
#include <ix/core/forms/edit.hpp>
#include <ix/core/forms/migrate.hpp>
#include <ix/core/forsorjningshinder/forsorjningshinder.hpp>
#include <ix/core/model.hpp>
#include <ix/core/plan/plan.hpp>

#include "failure.hpp"
#include "ix/v1/categorisation.pb.h"
#include "ix/v1/definition.pb.h"
#include "ix/v1/events.pb.h"
#include "ix/v1/forms.pb.h"
#include "ix/v1/household.pb.h"
#include "ix/v1/problem.pb.h"
#include "ix/v1/response.pb.h"

#include <optional>
#include <string>
#include <vector>

namespace ix::plugin {

// --- problem.proto ----------------------------------------------------------------------------
core::LocalizedText FromProto(const v1::LocalizedText& in);
void ToProto(const core::LocalizedText& in, v1::LocalizedText* out);
std::vector<core::LanguageNote> FromProto(const google::protobuf::RepeatedPtrField<v1::LanguageNote>& in);
core::Severity FromProto(v1::Severity in);
void ToProto(const core::Problem& in, v1::Problem* out);

// --- household.proto --------------------------------------------------------------------------
core::Sex FromProto(v1::Sex in);
v1::Sex ToProto(core::Sex in);
core::Household FromProto(const v1::Household& in);
void ToProto(const core::Household& in, v1::Household* out);

// --- response.proto: the whole response round-trips (answers with who/when, part status,
// change trail) ----------------------------------------------------------------------------------
core::InstrumentRef FromProto(const v1::InstrumentRef& in);
void ToProto(const core::InstrumentRef& in, v1::InstrumentRef* out);
core::AnswerValue FromProto(const v1::AnswerValue& in);
void ToProto(const core::AnswerValue& in, v1::AnswerValue* out);
core::Respondent FromProto(v1::Respondent in);
core::Interpreter FromProto(const v1::Interpreter& in);
core::PartState FromProto(v1::PartState in);
void ToProto(const core::PartStatus& in, v1::PartStatus* out);
void ToProto(const core::Answer& in, v1::Answer* out);
core::Response FromProto(const v1::InstrumentResponse& in);
void ToProto(const core::Response& in, v1::InstrumentResponse* out);

// --- definition.proto -------------------------------------------------------------------------
core::Definition FromProto(const v1::Definition& in);

// --- forms.proto ------------------------------------------------------------------------------
core::Recorder FromProto(const v1::Recorder& in);
core::forms::AnswerEdit FromProto(const v1::AnswerEdit& in, const std::string& field);
void ToProto(const core::forms::MigrationReport& in, v1::MigrationReport* out);

// --- category.proto ---------------------------------------------------------------------------
core::Category FromProto(const v1::Category& in, const std::string& field);
void ToProto(const core::Category& in, v1::Category* out);
core::RKind FromProto(v1::RKind in, const std::string& field);
v1::RKind ToProto(core::RKind in);
core::WorkCapacity FromProto(v1::WorkCapacity in);
v1::WorkCapacity ToProto(core::WorkCapacity in);
v1::AssessmentView ToProto(core::AssessmentView in);
core::AssessmentView FromProto(v1::AssessmentView in);

// --- events.proto -----------------------------------------------------------------------------
void ToProto(const core::CategorisationEvent& in, v1::CategorisationEvent* out);
void ToProto(const core::InterventionEvent& in, v1::InterventionEvent* out);
// The categorisation events among `events` (the others are not read), paths under `field`.
std::vector<core::CategorisationEvent> CategorisationEventsFromProto(
    const google::protobuf::RepeatedPtrField<v1::Event>& events, const std::string& field);

// --- categorisation.proto ---------------------------------------------------------------------
// Dates cross as "YYYY-MM-DD" text; a bad date is an error naming the field, never a silent
// default. "" → nullopt; otherwise a real date within 1970–2100.
std::optional<core::Date> OptionalDate(const std::string& text, const std::string& field);
core::Date RequiredDate(const std::string& text, const std::string& field);
std::string DateText(const std::optional<core::Date>& date);

core::RuleSet FromProto(const v1::RuleSet& in);
core::ForsorjningshinderTable FromProto(const v1::ForsorjningshinderTable& in);
core::InterventionCatalogue FromProto(const v1::InterventionCatalogue& in);
// The profile with its clocks compiled; Rejected naming "<field>.process_clocks[<i>].<what>" when one
// is refused.
core::MunicipalityProfile FromProto(const v1::MunicipalityProfile& in, const std::string& field);

core::Assessment FromProto(const v1::Assessment& in, const std::string& field);
void ToProto(const core::Assessment& in, v1::Assessment* out);
// The indicators' facts of an assessment (each absent message: not recorded); Rejected naming
// "<field>.form_parts.completed[i]" or "<field>.am_ratings.<variable>" and the limit.
core::AssessmentFacts FactsFromProto(const v1::FormParts* parts, const v1::AmRatings* ratings, const std::string& field);
void ToProto(const core::AssessmentFacts& in, v1::FormParts* parts, v1::AmRatings* ratings);
core::AssessmentOccasion FromProto(const v1::AssessmentRecord& in, const std::string& field);
void ToProto(const core::AssessmentOccasion& in, v1::AssessmentRecord* out);
void ToProto(const core::Suggestion& in, v1::Suggestion* out);
void ToProto(const core::ForsorjningshinderSuggestion& in, v1::ForsorjningshinderSuggestion* out);
void ToProto(const core::Governed& in, v1::GoverningResult* out);

std::vector<core::clocks::AssistancePeriod> FromProto(
    const google::protobuf::RepeatedPtrField<v1::AssistancePeriod>& in, const std::string& field);
void ToProto(const core::clocks::DueItem& in, v1::DueItem* out);
v1::KasOutcome ToProto(core::KasOutcome in);
v1::InterventionOrientation ToProto(core::InterventionOrientation in);
// The case file; its profile is looked up by the caller.
core::CaseFile FromProto(const v1::Case& in, const std::string& field);

core::Plan FromProto(const v1::Plan& in, const std::string& field);
// Writes back what the core fills in (actors, end dates, outcomes); goals keep their proto form.
void ToProto(const core::Plan& in, v1::Plan* out);
core::FollowUp FromProto(const v1::FollowUp& in, const std::string& field);
void ToProto(const core::PersonHistory& in, v1::PersonHistory* out);

}  // namespace ix::plugin

#endif  // IX_PLUGIN_CODEC_CODEC_HPP
