// One RPC in progress: who is calling (from the client certificate), whether the caller's role
// admits the RPC, whether the household is in the caller's municipality, whether the call is
// still wanted (deadline, cancellation) — and, whatever happens, one audit record at the end.
#ifndef IX_SERVER_CALL_HPP
#define IX_SERVER_CALL_HPP

#include <ix/server/callers.hpp>
#include <ix/server/errors.hpp>
#include <ix/server/logging.hpp>

#include "backend.hpp"
#include "ix/v1/categorisation.pb.h"
#include "ix/v1/events.pb.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace ix::server {

class Call {
 public:
  Call(Backend& backend, grpc::CallbackServerContext* context, std::string_view rpc);
  // For a synchronous service (the vendor adapters): finish with Audit(), not Finish().
  Call(Backend& backend, grpc::ServerContextBase* context, std::string_view rpc);

  // Identifies the caller and checks its role admits this RPC by the admission table
  // (admission.hpp, the one list of who may call what). Non-OK: finish with it.
  grpc::Status Authorise();

  // The household must belong to the caller's municipality. `field` is where the request
  // carries the municipality code (for the BadRequest when it is empty).
  grpc::Status CheckHousehold(std::string_view municipality_code, std::string_view household_ref,
                              std::string_view field);

  // Only the municipality (requests about several households, events): no pseudonym recorded.
  grpc::Status CheckMunicipality(std::string_view municipality_code, std::string_view field);

  // Every event a caller passes in must be about its own municipality too ("<prefix>[i].<kind>
  // .header.municipality_code" in errors). Empty events are left to the plugin to report.
  grpc::Status CheckEvents(const google::protobuf::RepeatedPtrField<v1::Event>& events,
                           const std::string& prefix);

  // A whole case: its household (pseudonym recorded), each response's household that names a
  // municipality, and every event header. `prefix` is where the case is ("household_case").
  grpc::Status CheckCase(const v1::Case& c, const std::string& prefix);

  // Calls `fn` (selected from the serving plugin) with `request`, fills `response`. Stops
  // before crossing into the plugin when the call was cancelled or its deadline passed.
  template <typename Response, typename Request, typename SelectFn>
  grpc::Status Invoke(SelectFn select, const Request& request, Response* response) {
    std::shared_ptr<const PluginSession> plugin;
    if (grpc::Status st = AcquirePlugin(&plugin); !st.ok()) return st;
    if (grpc::Status st = StillWanted(); !st.ok()) return st;
    std::string bytes;
    if (!request.SerializeToString(&bytes)) {
      return Plain(request_id_, grpc::StatusCode::INTERNAL, "IX_PLUGIN_FAILURE",
                   "the request could not be serialized for the plugin");
    }
    auto result = CallPlugin(plugin, select, bytes);
    if (!result.ok()) {
      detail_ = FirstPath(result.status());
      return FromPlugin(request_id_, result.status());
    }
    if (!response->ParseFromString(*result)) {
      return Plain(request_id_, grpc::StatusCode::INTERNAL, "IX_PLUGIN_FAILURE",
                   "the plugin answered " + std::to_string(result->size()) +
                       " bytes that are not a valid " + Response::descriptor()->full_name());
    }
    return grpc::Status::OK;
  }

  // The same with bytes: `request` goes to the plugin as received and the plugin's answer goes
  // back to the client as it is — no parse and re-serialization of the response.
  // `after(bytes)` sees the plugin's response before it goes back (e.g. to record its events);
  // a non-OK status from it is the call's outcome.
  template <typename SelectFn, typename AfterFn>
  grpc::Status InvokeRaw(SelectFn select, const std::string& request, grpc::ByteBuffer* response,
                         AfterFn after) {
    std::shared_ptr<const PluginSession> plugin;
    if (grpc::Status st = AcquirePlugin(&plugin); !st.ok()) return st;
    if (grpc::Status st = StillWanted(); !st.ok()) return st;
    auto result = CallPlugin(plugin, select, request);
    if (!result.ok()) {
      detail_ = FirstPath(result.status());
      return FromPlugin(request_id_, result.status());
    }
    if (grpc::Status st = after(*result); !st.ok()) return st;
    grpc::Slice slice(*result);
    *response = grpc::ByteBuffer(&slice, 1);
    return grpc::Status::OK;
  }

  // Crosses into the plugin (in process, or in a worker with this call's name and deadline). A
  // call that crashed a worker of a version on probation is answered by the previous version.
  template <typename SelectFn>
  Result<std::string> CallPlugin(const std::shared_ptr<const PluginSession>& plugin, SelectFn select,
                                 std::string_view request) {
    isolation::CallScope scope(rpc_, context_->deadline());
    backend_.plugin_calls.fetch_add(1, std::memory_order_relaxed);
    std::string retried;
    auto result = backend_.WithRetryAfterCrash(
        plugin, [&](const PluginSession& session) { return session.CallRaw(select(session), request); },
        &retried);
    if (!retried.empty()) detail_ = std::move(retried);
    return result;
  }

  // An event store error: a field the request (or the events it produced) got wrong is
  // INVALID_ARGUMENT naming it; anything else is the store failing (INTERNAL).
  grpc::Status StoreFailed(const Status& status);

  grpc::Status AcquirePlugin(std::shared_ptr<const PluginSession>* plugin);
  // Runs the test seam, then: CANCELLED / DEADLINE_EXCEEDED when the client no longer waits.
  grpc::Status StillWanted();

  // Writes the audit record and the operational log line, and finishes the RPC.
  grpc::ServerUnaryReactor* Finish(const grpc::Status& status);
  // Writes the audit record and the operational log line; returns `status` (synchronous
  // services return it as the RPC's outcome).
  grpc::Status Audit(const grpc::Status& status);

  const Caller* caller() const { return caller_; }
  const std::string& request_id() const { return request_id_; }
  void set_detail(std::string detail) { detail_ = std::move(detail); }

 private:
  Backend& backend_;
  grpc::ServerContextBase* context_;
  grpc::CallbackServerContext* callback_ = nullptr;  // null for synchronous services
  std::string rpc_;
  std::string request_id_;
  std::string identity_;  // for the audit log: the mapped identity or "unknown:<CN>"
  const Caller* caller_ = nullptr;
  std::string household_;  // pseudonym
  std::string detail_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::system_clock::time_point deadline_;  // the client's, capped by limits.max_deadline_ms
  CurrentRpc crash_slot_;          // names this call in the crash line
  CallLimits::Ticket ticket_;      // its places in the concurrency limits, until it ends
};

}  // namespace ix::server

#endif  // IX_SERVER_CALL_HPP
