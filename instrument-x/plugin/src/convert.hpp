// Conversion between the canonical ix.v1 messages (lite runtime) and the core's plain data.
// The only place in the plugin that knows both.
#ifndef IX_PLUGIN_CONVERT_HPP
#define IX_PLUGIN_CONVERT_HPP

#include <ix/core/definition.hpp>
#include <ix/core/model.hpp>

#include "ix/v1/definition.pb.h"
#include "ix/v1/problem.pb.h"
#include "ix/v1/response.pb.h"

namespace ix::plugin {

core::Definition FromProto(const v1::Definition& in);
core::Response FromProto(const v1::InstrumentResponse& in);
core::InstrumentRef FromProto(const v1::InstrumentRef& in);

void ToProto(const core::Problem& in, v1::Problem* out);
void ToProto(const core::InstrumentRef& in, v1::InstrumentRef* out);
void ToProto(const core::LocalizedText& in, v1::LocalizedText* out);

}  // namespace ix::plugin

#endif  // IX_PLUGIN_CONVERT_HPP
