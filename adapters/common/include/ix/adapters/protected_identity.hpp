// The protected-identity rule every adapter and the exchange apply: for a person with
// skyddade personuppgifter (Person.protected_identity, Lifecare's ProtectedRegistration or
// AddressProtection), no address or contact data leaves the adapter, in any direction.
#ifndef IX_ADAPTERS_PROTECTED_IDENTITY_HPP
#define IX_ADAPTERS_PROTECTED_IDENTITY_HPP

#include "ix/v1/household.pb.h"
#include "ix/v1/response.pb.h"

#include <string_view>

namespace ix::adapters {

// Items whose answers are address or contact data (phone, e-mail, address). The canonical
// Person carries none; in a response these are the only places such data can be.
bool IsContactItem(std::string_view item_id);

// The person with this reference has protected identity (false when there is no such person).
bool IsProtected(const v1::Household& household, std::string_view person_ref);

// True when the answer is contact data about a person with protected identity.
bool IsWithheldAnswer(const v1::Household& household, const v1::Answer& answer);

}  // namespace ix::adapters

#endif  // IX_ADAPTERS_PROTECTED_IDENTITY_HPP
