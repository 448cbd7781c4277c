// The Instrument X plugin: a codec between the C ABI and the domain core.
//
// Exports exactly one dynamic symbol, ix_plugin_entry_v1 (exports.map). Every ABI function
// has one shape (Serve): parse the request with the protobuf lite runtime, convert to the
// core's plain data, call the core, serialize the answer. No exception crosses the boundary.
#include <ix/core/personnummer.hpp>
#include <ix/core/validate.hpp>

#include "codec/codec.hpp"
#include "ix/v1/plugin.pb.h"
#include "session.hpp"

#include <cstdio>
#include <memory>
#include <string>

namespace ix::plugin {
namespace {

constexpr uint16_t kMinMinor = 0;
constexpr uint16_t kMaxMinor = IX_ABI_MINOR;

ix_status Describe(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::DescribeRequest>(context, "describe", request, size, out, [&](auto& call) -> auto& {
    const Session& session = AsSession(context);
    auto& resp = call.template Response<v1::DescribeResponse>();
    resp.set_plugin_name(session.table.plugin_name);
    resp.set_plugin_version(session.table.plugin_version);
    const EmbeddedDefinitions& embedded = Embedded();
    for (const core::Definition& d : embedded.catalog.definitions()) {
      v1::InstrumentSummary* summary = resp.add_instruments();
      ToProto(d.ref(), summary->mutable_ref());
      ToProto(d.title, summary->mutable_title());
      summary->set_item_count(static_cast<int32_t>(core::IndexItems(d).size()));
    }
    if (call.message.include_definitions()) *resp.mutable_definitions() = embedded.set.definitions();
    return resp;
  });
}

ix_status Validate(void* context, const uint8_t* request, size_t size, ix_buffer* out) {
  return Serve<v1::ValidateRequest>(context, "validate", request, size, out, [&](auto& call) -> auto& {
    const v1::ValidateRequest& req = call.message;
    if (!req.has_response()) throw InvalidField("response", "missing (nothing to validate)", "missing");
    const core::Definition& definition = FindPinned(FromProto(req.response().instrument()), "response.instrument");
    const core::ValidationContext ctx = ValidationAsOf(req.as_of_date());
    const std::vector<core::Problem> problems = core::Validate(definition, CheckedResponse(req.response(), "response"), ctx);
    auto& resp = call.template Response<v1::ValidateResponse>();
    resp.set_valid(!core::HasErrors(problems));
    ToProto(definition.ref(), resp.mutable_validated_against());
    for (const core::Problem& p : problems) ToProto(p, resp.add_problems());
    // Counts only: answers and identities never reach the log.
    AsSession(context).Log(IX_LOG_DEBUG, "validate against " + definition.id + "@" + definition.version + ": " +
                                             std::to_string(problems.size()) + " problem(s)");
    return resp;
  });
}

void FreeBufferFn(void* /*context*/, ix_buffer* buffer) { FreeBuffer(buffer); }

const void* GetExtension(void* /*context*/, const char* extension_id) {
  return FindExtension(extension_id);
}

void Release(void* context) { delete static_cast<Session*>(context); }

}  // namespace
}  // namespace ix::plugin

extern "C" IX_PLUGIN_EXPORT ix_status ix_plugin_entry_v1(const ix_abi_offer* offer,
                                                         const ix_plugin** out_plugin,
                                                         char* error, size_t error_size) noexcept {
  using namespace ix::plugin;
  auto refuse = [&](ix_status status, const std::string& message) {
    if (error != nullptr && error_size > 0) std::snprintf(error, error_size, "%s", message.c_str());
    return status;
  };
  if (out_plugin == nullptr) return refuse(IX_ERR_NULL_ARGUMENT, "out_plugin is NULL");
  *out_plugin = nullptr;
  uint16_t minor = 0;
  const ix_status negotiated =
      Negotiate(offer, IX_ABI_MAJOR, kMinMinor, kMaxMinor, &minor, error, error_size);
  if (negotiated != IX_OK) return negotiated;
  try {
    const EmbeddedDefinitions& embedded = Embedded();
    if (!embedded.error.empty()) return refuse(IX_ERR_INTERNAL, embedded.error);

    auto session = std::make_unique<Session>();
    session->host = offer->host;
    session->error_format = ErrorFormatOf(offer, minor);
    for (const auto& d : embedded.catalog.definitions()) {
      session->instrument_names.push_back(d.id + "@" + d.version);
    }
    for (const auto& name : session->instrument_names) {
      session->instrument_pointers.push_back(name.c_str());
    }
    ix_plugin& t = session->table;
    t.struct_size = sizeof(ix_plugin);
    t.abi_major = IX_ABI_MAJOR;
    t.abi_minor = minor;
    t.plugin_name = IX_PLUGIN_NAME;
    t.plugin_version = IX_PLUGIN_VERSION;
    t.instruments = session->instrument_pointers.data();
    t.instrument_count = session->instrument_pointers.size();
    t.context = session.get();
    t.describe = &Describe;
    t.validate = &Validate;
    t.free_buffer = &FreeBufferFn;
    t.get_extension = &GetExtension;
    t.release = &Release;
    session->Log(IX_LOG_INFO, std::string("instrument-x plugin ") + IX_PLUGIN_VERSION +
                                  " negotiated ABI 1." + std::to_string(minor));
    *out_plugin = &session.release()->table;
    return IX_OK;
  } catch (const std::exception& e) {
    return refuse(IX_ERR_INTERNAL, std::string("plugin initialisation failed: ") + e.what());
  } catch (...) {
    return refuse(IX_ERR_INTERNAL, "plugin initialisation failed");
  }
}
