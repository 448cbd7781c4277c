// The vendor adapters' gRPC services (adapters/grpc: FhirAdapter, LifecareAdapter,
// FieldCodesAdapter) served by ix-server, behind the same checks as the canonical RPCs: a
// known caller from the client certificate, a role the RPC admits, every municipality the
// request (or, for FHIR documents, the translation) names must be the caller's, and one audit
// record per call with the household pseudonymised.
//
// Roles (the admission table in admission.cpp, read by every handler): translations *out of*
// the canonical model (FHIR Questionnaire and FromCanonical, Lifecare FromCanonical, field-code
// Export) only show data the caller already holds, so case_system and read_only may call them.
// Translations *into* the canonical model (FHIR ToCanonical, Lifecare ToCanonical, field-code
// Import) are how a case system brings a household's data in to record it — a write path — so
// they are case_system only. Reporting callers see aggregates only and never reach an adapter.
#ifndef IX_SERVER_ADAPTER_GATE_HPP
#define IX_SERVER_ADAPTER_GATE_HPP

#include <ix/adapters/grpc/services.hpp>

#include "backend.hpp"

namespace ix::server {

// The gate AdapterServices runs around every adapter RPC; `backend` must outlive it.
adapters::grpc::Gate AdapterGate(Backend& backend);

}  // namespace ix::server

#endif  // IX_SERVER_ADAPTER_GATE_HPP
