// Conversion between the canonical ix.v1 messages (lite runtime) and the core's plain data.
// The only place in the plugin that knows both.
#ifndef IX_PLUGIN_CONVERT_HPP
#define IX_PLUGIN_CONVERT_HPP

#include <ix/core/definition.hpp>
#include <ix/core/model.hpp>

#include <ix/core/forms/edit.hpp>

#include "ix/v1/definition.pb.h"
#include "ix/v1/forms.pb.h"
#include "ix/v1/problem.pb.h"
#include "ix/v1/response.pb.h"

namespace ix::plugin {

core::Definition FromProto(const v1::Definition& in);
core::Response FromProto(const v1::InstrumentResponse& in);
core::InstrumentRef FromProto(const v1::InstrumentRef& in);
core::AnswerValue FromProto(const v1::AnswerValue& in);

void ToProto(const core::Problem& in, v1::Problem* out);
void ToProto(const core::InstrumentRef& in, v1::InstrumentRef* out);
void ToProto(const core::LocalizedText& in, v1::LocalizedText* out);

// Forms: the whole response round-trips (answers with who/when, part status, change trail).
core::Recorder FromProto(const v1::Recorder& in);
core::PartState PartStateFromProto(v1::PartState in);
v1::PartState ToProto(core::PartState in);
void ToProto(const core::PartStatus& in, v1::PartStatus* out);
void ToProto(const core::AnswerValue& in, v1::AnswerValue* out);
void ToProto(const core::Answer& in, v1::Answer* out);
void ToProto(const core::Response& in, v1::InstrumentResponse* out);

}  // namespace ix::plugin

#endif  // IX_PLUGIN_CONVERT_HPP
