// Shared by every ABI function of the plugin: the negotiated session, the embedded
// definitions, and the request/response plumbing (lite runtime). Each group of functions
// (core table, each extension) lives in its own .cpp and includes this.
#ifndef IX_PLUGIN_SESSION_HPP
#define IX_PLUGIN_SESSION_HPP

#include <ix/plugin.h>
#include <ix/plugin_impl.hpp>

#include <ix/core/definition.hpp>
#include <ix/core/model.hpp>
#include <ix/core/plan/plan.hpp>
#include <ix/core/validate.hpp>

#include "failure.hpp"
#include "ix/v1/definition.pb.h"
#include "ix/v1/household.pb.h"
#include "ix/v1/response.pb.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/message_lite.h>

#include <string>
#include <vector>

namespace ix::plugin {

// The definitions embedded at build time, parsed and checked once per process.
struct EmbeddedDefinitions {
  v1::DefinitionSet set;
  core::DefinitionCatalog catalog;
  std::string error;  // non-empty: the plugin cannot serve
};
const EmbeddedDefinitions& Embedded();

// One negotiated session. The table is the first member: the context and the table live and
// die together.
struct Session {
  ix_plugin table{};
  const ix_host_services* host = nullptr;
  // How failed calls write their error buffer (ErrorFormatOf at negotiation).
  ix_error_format error_format = IX_ERROR_FORMAT_TEXT;
  std::vector<std::string> instrument_names;
  std::vector<const char*> instrument_pointers;

  // Logs through the host's callback. Never pass personal data (personnummer, answers).
  void Log(ix_log_level level, const std::string& message) const;
};

inline const Session& AsSession(void* context) { return *static_cast<const Session*>(context); }

// The plugin's clock (the core has none; ix/base/clock.hpp does the arithmetic): today's date in
// UTC, for requests that leave "as of" empty. Changes and events that leave "recorded at" empty
// take base::NowRfc3339().
core::Date TodayUtc();
// What validation takes as today: the request's as_of_date (a real date, else INVALID_ARGUMENT
// naming it), or today when it is empty.
core::ValidationContext ValidationAsOf(const std::string& as_of_date);

// Parses a request; an empty request is the default message.
template <typename Message>
bool ParseRequest(const uint8_t* request, size_t size, Message* message) {
  if (size > static_cast<size_t>(INT32_MAX)) return false;
  if (size == 0) return true;
  return request != nullptr && message->ParseFromArray(request, static_cast<int>(size));
}

// A request message on a per-call arena. Parsing a household with its change trail allocates
// hundreds of strings and repeated elements one by one; on the arena they are carved from a
// few blocks and released together when the call returns.
// The response is built on the same arena (Response()): it lives until the call returns, after
// it has been serialized into the caller's buffer.
template <typename Message>
struct ArenaRequest {
  google::protobuf::Arena arena;
  Message& message = *google::protobuf::Arena::CreateMessage<Message>(&arena);

  template <typename Reply>
  Reply& Response() {
    return *google::protobuf::Arena::CreateMessage<Reply>(&arena);
  }
};

CallResult Serialized(const google::protobuf::MessageLite& message);

// Writes a failure in the session's error format: the 1.0 text, or a serialized
// ix.v1.CallError (its message is that same text). The one place that decides.
std::string EncodeFailure(const Session* session, const CallFailure& failure);
// The failure as a serialized ix.v1.CallError (codec/plugin.cpp).
std::string SerializedCallError(const CallFailure& failure);

// The shape of every ABI function: decode the request, run `body` (one domain call and the
// encoding of its answer), serialize. `body` takes the ArenaRequest and returns the response
// message, built on the request's arena. Failures are thrown as CallFailure; they, and any
// other exception, come back in the session's error format. Never throws.
template <typename Request, typename Body>
ix_status Serve(void* context, const char* what, const uint8_t* request, size_t size, ix_buffer* out,
                Body&& body) noexcept {
  const Session* session = static_cast<const Session*>(context);
  auto encode = [session](ix_status status, std::string message) {
    return EncodeFailure(session, CallFailure(status, std::move(message)));
  };
  return Guarded(
      what, out,
      [&]() -> CallResult {
        try {
          ArenaRequest<Request> call;
          if (!ParseRequest(request, size, &call.message)) throw Malformed(call.message.GetTypeName(), size);
          return Serialized(body(call));
        } catch (const CallFailure& failure) {
          return CallResult::Error(failure.status(), EncodeFailure(session, failure));
        }
      },
      encode);
}

// A response or household from a request, measured against the core's limits before any work:
// over a limit is INVALID_ARGUMENT naming the field under `field` ("response.answers"), the
// limit and the value.
core::Response CheckedResponse(const v1::InstrumentResponse& in, const std::string& field);
core::Household CheckedHousehold(const v1::Household& in, const std::string& field);
// A definition received in a request: prepared once (limits, structure, patterns compiled).
// Over a limit is INVALID_ARGUMENT with every limit problem under `field`; the structural
// problems are returned for the caller to report.
std::vector<core::Problem> PrepareReceived(core::Definition& definition, const std::string& field);
// `problems` with `prefix` + "." before each path.
std::vector<core::Problem> Under(std::vector<core::Problem> problems, const std::string& prefix);

// The definition a request is pinned to. Throws NOT_FOUND listing the known versions; an
// empty id or version is INVALID_ARGUMENT naming `field`.
const core::Definition& FindPinned(const core::InstrumentRef& pin, const std::string& field);

// --- the embedded categorisation data, for the print path (categorisation_extension.cpp) -----
// Items the profile `profile_id` (empty: the default) does not ask: the AM ratings when it
// switches the AM module off. NOT_FOUND naming `field` for an unknown profile.
std::vector<std::string> ItemsSwitchedOff(const std::string& profile_id, const std::string& field);
const core::InterventionCatalogue& EmbeddedCatalogue();

// --- extensions: one entry per extension id, each implemented in its own file ---------------
// Returns the extension's function table, or nullptr.
const void* FindExtension(const char* extension_id);

}  // namespace ix::plugin

#endif  // IX_PLUGIN_SESSION_HPP
