// The one protected-identity rule every export applies (exchange packages, Lifecare, FHIR,
// field codes): for a person with skyddade personuppgifter (protected identity:
// Person.protected_identity, Lifecare's ProtectedRegistration or AddressProtection), no address
// or contact data leaves the system.
//
// A case holds several snapshots of its household: the case's own and one in every response
// (a response keeps the household as it was when it was answered). Protection is decided over
// all of them, never over the one snapshot being exported: a person protected today but not in
// an older response is protected in that older response too. A person the exported snapshot
// does not know (an answer naming a reference that is not in it) is treated as protected,
// since nothing says they are not.
#ifndef IX_ADAPTERS_PROTECTED_IDENTITY_HPP
#define IX_ADAPTERS_PROTECTED_IDENTITY_HPP

#include <ix/base/status.hpp>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/household.pb.h"
#include "ix/v1/response.pb.h"

#include <set>
#include <string>
#include <string_view>

namespace ix::adapters {

// Items whose answers are address or contact data (phone, e-mail, address). The canonical
// Person carries none; in a response these are the only places such data can be.
bool IsContactItem(std::string_view item_id);

// Taking data in (field codes, FHIR): true when the answer is contact data about a person
// protected in `household`, or not in it. The same rule over that one snapshot.
bool IsWithheldAnswer(const v1::Household& household, const v1::Answer& answer);

class ProtectedIdentity {
 public:
  ProtectedIdentity() = default;
  // Every snapshot the case holds: its household and each response's household.
  static ProtectedIdentity OfCase(const v1::Case& household_case);
  // One snapshot (a response exported or taken in on its own), plus any added later.
  static ProtectedIdentity Of(const v1::Household& snapshot);
  // The rule for exporting `response` on its own (FHIR, field codes): every snapshot of
  // `household_case`, the case the response belongs to (null: the caller sent none, so the
  // response's own household is the only snapshot known). The case must be the response's
  // household: one of another household would decide over the wrong snapshots, so it is
  // refused, naming `case_field` + ".household.household_ref".
  static Result<ProtectedIdentity> ForExport(const v1::InstrumentResponse& response,
                                             const v1::Case* household_case, std::string_view case_field);

  // One more snapshot to decide over (e.g. a response's own household, added to the snapshots
  // of the case it belongs to).
  void Add(const v1::Household& snapshot);
  void Add(const ProtectedIdentity& other);

  // The person is protected in their own snapshot or in any snapshot known (by reference or
  // by personnummer).
  bool IsProtected(const v1::Person& person) const;

  // The rule: contact data about `person_ref` may not be written into an export of the
  // snapshot `exported` — the person is protected in any snapshot known (by reference or by
  // personnummer), or is not a person of `exported`.
  bool Withholds(const v1::Household& exported, std::string_view person_ref) const;
  // The same for an answer or a change-trail entry: true when it is contact data withheld.
  bool Withholds(const v1::Household& exported, const v1::Answer& answer) const;
  bool Withholds(const v1::Household& exported, const v1::Change& change) const;

 private:
  std::set<std::string, std::less<>> refs_;
  std::set<std::string, std::less<>> personnummer_;  // digits only, so formats compare equal
};

}  // namespace ix::adapters

#endif  // IX_ADAPTERS_PROTECTED_IDENTITY_HPP
