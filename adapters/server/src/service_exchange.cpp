// InstrumentService.ExportExchange / ImportExchange: exchange packages (docs/exchange.md)
// through the server. The server holds the signing key and the trusted senders
// (ServerConfig::exchange), so a case system never handles key material; the caller's
// municipality is the sender on export and the recipient on import.
#include <ix/adapters/exchange/exchange.hpp>
#include <ix/base/clock.hpp>

#include "call.hpp"
#include "service.hpp"
#ifdef IX_SERVER_WITH_STORE
#include <ix/store/event_store.hpp>

#include "event_recorder.hpp"
#endif

#include <mutex>
#include <optional>

namespace ix::server {
namespace {

namespace exchange = adapters::exchange;

bool LooksLikeDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

// An export or import refusal from adapters/exchange as a gRPC status. The library says what
// kind of refusal it is by its code and reason (a package not for this municipality or not
// from a trusted sender is PERMISSION_DENIED, a consent that does not hold on the day
// FAILED_PRECONDITION, a reused package id ALREADY_EXISTS, anything else in the bytes
// INVALID_ARGUMENT) and names the field as a problem; a failure that names no field is the
// exchange failing (INTERNAL).
// `detail` is appended to the audit detail (the policy inputs an import used).
grpc::Status Refused(Call& call, const Status& status, const std::string& detail = "") {
  const std::string field = FirstPath(status);
  if (field.empty()) {
    call.set_detail("failure" + detail);
    return Plain(call.request_id(), grpc::StatusCode::INTERNAL, "IX_EXCHANGE_FAILURE",
                 "exchange: " + status.message());
  }
  call.set_detail(field + detail);
  return FromStatus(call.request_id(), status, "IX_INVALID_FIELD");
}

// A package id as the audit log shows it: its pseudonym under the audit key (a sender may build
// ids from a personnummer). Whoever holds the key and an id can find its records.
std::string PackageInAudit(const AuditLog& audit, const std::string& municipality, const std::string& id) {
  return audit.Pseudonym(municipality, "package/" + id).substr(0, 32);
}

// The caller's unit from the caller map; without one, the server's configured exchange unit.
std::string CallerUnit(const Call& call, const ExchangeConfig& config) {
  return !call.caller()->unit.empty() ? call.caller()->unit : config.unit();
}

#ifdef IX_SERVER_WITH_STORE
// The import ledger in the municipality's PostgreSQL store, inside the transaction the store
// has open: keyed references of package ids (the store's pseudonym of kind "package"), never
// the ids.
class StoreLedger final : public exchange::Ledger {
 public:
  explicit StoreLedger(store::EventStore& store) : store_(store) {}
  Result<std::optional<std::string>> Find(const std::string& package_id) override {
    auto reference = store_.Reference("package", package_id);
    if (!reference.ok()) return reference.status();
    return store_.FindImport(*reference);
  }
  Status Record(const std::string& package_id, const std::string& content_sha256) override {
    auto reference = store_.Reference("package", package_id);
    if (!reference.ok()) return reference.status();
    return store_.RecordImport(*reference, content_sha256);
  }

 private:
  store::EventStore& store_;
};

// One assistance period per adult from `from`: the receiver's own, since the sender's payments
// never travel. Ids are stable, so importing again adds nothing.
void AddAssistancePeriods(v1::Case* c, const std::string& from, const std::string& recorded_at) {
  const v1::Household& household = c->household();
  for (const v1::Person& person : household.persons()) {
    if (person.role() == v1::HOUSEHOLD_ROLE_CHILD) continue;
    auto* period = c->add_events()->mutable_assistance_period();
    v1::EventHeader* header = period->mutable_header();
    header->set_event_id(household.municipality_code() + "/" + household.household_ref() + "/" +
                         person.person_ref() + "/assistance/" + from);
    header->set_municipality_code(household.municipality_code());
    v1::Subject* subject = header->mutable_subject();
    subject->set_personnummer(person.personnummer());
    subject->set_sex(person.sex());
    if (LooksLikeDate(person.birth_date())) {
      subject->set_birth_year(std::stoi(person.birth_date().substr(0, 4)));
      subject->set_birth_month(std::stoi(person.birth_date().substr(5, 2)));
    }
    header->set_effective_date(from);
    header->set_recorded_at(recorded_at);
    header->set_unit(c->unit());
    header->set_caseworker(c->caseworker());
    period->set_start_date(from);
  }
}
#endif

}  // namespace

grpc::ServerUnaryReactor* InstrumentService::ExportExchange(grpc::CallbackServerContext* context,
                                                            const v1::ExportExchangeRequest* request,
                                                            v1::ExportExchangeResponse* response) {
  Call call(backend_, context, "ExportExchange");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  if (auto st = call.CheckCase(request->household_case(), "household_case"); !st.ok()) {
    return call.Finish(st);
  }
  const ExchangeConfig& config = backend_.config.exchange();
  if (config.signing_key_file().empty()) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION,
                             "IX_NO_SIGNING_KEY",
                             "this server has no exchange signing key (exchange.signing_key_file "
                             "in its configuration): it cannot sign packages"));
  }
  auto key = ReadSigningKey(config);
  if (!key.ok()) {  // checked at start-up; the file changed since
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION,
                             "IX_NO_SIGNING_KEY", key.status().message()));
  }
  if (auto st = call.StillWanted(); !st.ok()) return call.Finish(st);
  exchange::ExportRequest out;
  out.household_case = request->household_case();
  out.consent = request->consent();
  out.package_id = request->package_id();
  out.created_at = request->created_at().empty() ? base::Rfc3339Utc(backend_.clock()) : request->created_at();
  out.sender_municipality_code = call.caller()->municipality_code;
  // A caller with a unit in the caller map sends as that unit, whatever the request says.
  out.sender_unit = !call.caller()->unit.empty()     ? call.caller()->unit
                    : !request->sender_unit().empty() ? request->sender_unit()
                    : !config.unit().empty()          ? config.unit()
                                                      : request->household_case().unit();
  out.sender_system = config.system();
  std::vector<exchange::Recipient> recipients;
  for (const RecipientConfig& recipient : config.recipients()) {
    recipients.push_back({recipient.public_key_hex(), recipient.municipality_code()});
  }
  auto exported = exchange::Export(out, *key, recipients);
  if (!exported.ok()) return call.Finish(Refused(call, exported.status()));
  response->set_package(exported->package.SerializeAsString());
  response->set_package_id(exported->package_id);
  *response->mutable_report() = std::move(exported->report);
  call.set_detail("package=" + PackageInAudit(*backend_.audit, out.sender_municipality_code, exported->package_id) +
                  " to=" + request->consent().recipient_municipality_code());
  return call.Finish(grpc::Status::OK);
}

grpc::ServerUnaryReactor* InstrumentService::ImportExchange(grpc::CallbackServerContext* context,
                                                            const v1::ImportExchangeRequest* request,
                                                            v1::ImportExchangeResponse* response) {
  Call call(backend_, context, "ImportExchange");
  if (auto st = call.Authorise(); !st.ok()) return call.Finish(st);
  if (!backend_.recorder) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION, "IX_NO_STORE",
                             "this server runs without an event store (store_dir or store_postgresql): "
                             "the import ledger and the received events are kept there"));
  }
  const ExchangeConfig& config = backend_.config.exchange();
  auto decryption_key = ReadEncryptionKey(config);
  if (!decryption_key.ok()) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION,
                             "IX_NO_DECRYPTION_KEY",
                             "this server has no exchange decryption key (exchange.encryption_key_file "
                             "in its configuration): it cannot open packages: " +
                                 decryption_key.status().message()));
  }
  if (config.trusted_senders().empty()) {
    return call.Finish(Plain(call.request_id(), grpc::StatusCode::FAILED_PRECONDITION,
                             "IX_NO_TRUSTED_SENDERS",
                             "this server trusts no sender (exchange.trusted_senders in its "
                             "configuration): it accepts no package"));
  }
  if (!request->assistance_from().empty() && !LooksLikeDate(request->assistance_from())) {
    call.set_detail("assistance_from");
    return call.Finish(InvalidField(call.request_id(), "assistance_from", "expected YYYY-MM-DD"));
  }
  const std::string& municipality = call.caller()->municipality_code;
  exchange::ImportPolicy policy;
  for (const TrustedSender& sender : config.trusted_senders()) {
    policy.trusted.push_back({sender.public_key_hex(), sender.municipality_code()});
  }
  // The policy inputs are the server's own: the recipient unit from the caller map (else the
  // configured exchange unit), the day from the server's clock. The request's `today` and
  // `recipient_unit` are ignored, so back-dating a package or naming another unit gains
  // nothing; the audit detail records the values used.
  policy.decryption_secret_key_hex = *decryption_key;
  policy.recipient_municipality_code = municipality;
  policy.recipient_unit = CallerUnit(call, config);
  const std::string now = base::Rfc3339Utc(backend_.clock());
  policy.today = now.substr(0, 10);
  const std::string policy_detail = " today=" + policy.today + " unit=" +
                                    (policy.recipient_unit.empty() ? "-" : policy.recipient_unit);
  if (auto st = call.StillWanted(); !st.ok()) return call.Finish(st);
#ifdef IX_SERVER_WITH_STORE
  grpc::Status store_status;
  int recorded = 0;
  const auto received_case = [&](const exchange::Imported& imported) {
    v1::Case c = exchange::ReceivedCase(imported.content, policy);
    if (!request->assistance_from().empty()) AddAssistancePeriods(&c, request->assistance_from(), now);
    return c;
  };
  // Adds a verified package's events to `store` (inside its open transaction).
  const auto add_to = [&](store::EventStore& store, const exchange::Imported& verified) -> Status {
    auto added = EventRecorder::AddEvents(store, received_case(verified).events());
    if (!added.ok()) {
      store_status = call.StoreFailed(added.status());
      return added.status();
    }
    recorded = *added;
    return Status::Ok();
  };
  std::optional<Result<exchange::Imported>> imported;
  if (!backend_.config.store_postgresql().empty()) {
    // Shared by replicas: the ledger is in the database, and the received events and the
    // ledger's record commit in one transaction. Its write lock on the municipality's store
    // orders two replicas importing one package at the same moment: the second finds the
    // first's record (a replay). A replica killed before the commit leaves neither behind.
    // The package is verified (decrypted, signature checked) before the lock is taken.
    auto verified = exchange::Verify(request->package(), policy);
    if (!verified.ok()) {
      imported = verified.status();
    } else {
      const Status st = backend_.recorder->Transact(municipality, [&](store::EventStore& store) {
        StoreLedger ledger(store);
        imported = exchange::ImportVerified(std::move(*verified), ledger,
                                            [&](const exchange::Imported& v) { return add_to(store, v); });
        return imported->ok() ? Status::Ok() : imported->status();
      });
      if (!st.ok() && (!imported || imported->ok())) store_status = call.StoreFailed(st);  // Begin or Commit
    }
  } else {
    // One import at a time: the ledger file is read, then appended to.
    static std::mutex ledger_mutex;
    std::lock_guard lock(ledger_mutex);
    // The ledger keeps the store's keyed reference of each package id, never the id (a sender
    // may build ids from a personnummer): the same id gives the same reference, so a replay is
    // still recognised, and a copy of the ledger without the key folder reveals no id.
    exchange::FileLedger ledger(
        std::filesystem::path(backend_.config.store_dir()) / (municipality + ".exchange-ledger"),
        [&](const std::string& package_id) -> Result<std::string> {
          std::string reference;
          const Status st = backend_.recorder->WithStore(municipality, [&](const store::EventStore& store) {
            auto made = store.Reference("package", package_id);
            if (!made.ok()) return made.status();
            reference = std::move(*made);
            return Status::Ok();
          });
          if (!st.ok()) return st;
          return reference;
        });
    imported = exchange::Import(request->package(), policy, ledger, [&](const exchange::Imported& verified) {
      // Its own transaction; recorded in the file after it commits (the events' ids make a
      // second apply after a crash store nothing twice).
      const Status st =
          backend_.recorder->Transact(municipality, [&](store::EventStore& store) { return add_to(store, verified); });
      if (!st.ok() && store_status.ok()) store_status = call.StoreFailed(st);  // Begin or Commit
      return st;
    });
  }
  if (!store_status.ok()) return call.Finish(store_status);
  if (!imported->ok()) return call.Finish(Refused(call, imported->status(), policy_detail));
  *response->mutable_household_case() = received_case(**imported);
  *response->mutable_result() = (*imported)->result;
  response->set_events_recorded(recorded);
  const v1::Household& household = response->household_case().household();
  (void)call.CheckHousehold(household.municipality_code(), household.household_ref(),
                            "household_case.household.municipality_code");  // the audit pseudonym
  call.set_detail("package=" + PackageInAudit(*backend_.audit, municipality, (*imported)->result.package_id()) + " from=" +
                  (*imported)->result.sender_municipality_code() + policy_detail +
                  ((*imported)->result.already_imported() ? " already_imported"
                                                       : " recorded=" + std::to_string(recorded)));
#else  // unreachable: without the store there is no recorder (checked above)
  (void)response;
  (void)policy;
#endif
  return call.Finish(grpc::Status::OK);
}

}  // namespace ix::server
