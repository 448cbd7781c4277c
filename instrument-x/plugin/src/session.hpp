// Shared by every ABI function of the plugin: the negotiated session, the embedded
// definitions, and the request/response plumbing (lite runtime). Each group of functions
// (core table, each extension) lives in its own .cpp and includes this.
#ifndef IX_PLUGIN_SESSION_HPP
#define IX_PLUGIN_SESSION_HPP

#include <ix/plugin.h>
#include <ix/plugin_impl.hpp>

#include <ix/core/definition.hpp>
#include <ix/core/model.hpp>

#include "ix/v1/definition.pb.h"

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
  std::vector<std::string> instrument_names;
  std::vector<const char*> instrument_pointers;

  // Logs through the host's callback. Never pass personal data (personnummer, answers).
  void Log(ix_log_level level, const std::string& message) const;
};

inline const Session& AsSession(void* context) { return *static_cast<const Session*>(context); }

// Today's date in UTC, for requests that leave "as of" empty.
core::Date TodayUtc();

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

// "request is not a valid <type> (<n> bytes)".
CallResult Malformed(const char* type, size_t size);
// IX_ERR_INVALID_ARGUMENT naming the field: "<field>: <what>".
CallResult InvalidField(const std::string& field, const std::string& what);
CallResult Serialized(const google::protobuf::MessageLite& message);

// Finds the definition a request is pinned to, or the error to return (NOT_FOUND lists the
// known versions; an empty id or version is INVALID_ARGUMENT naming `field`).
const core::Definition* FindPinned(const core::InstrumentRef& pin, const std::string& field,
                                   CallResult* error);

// --- extensions: one entry per extension id, each implemented in its own file ---------------
// Returns the extension's function table, or nullptr.
const void* FindExtension(const char* extension_id);

}  // namespace ix::plugin

#endif  // IX_PLUGIN_SESSION_HPP
