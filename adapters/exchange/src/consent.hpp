// What a consent covers, applied to a case (export) and checked against a case (import).
#ifndef IX_ADAPTERS_EXCHANGE_CONSENT_HPP
#define IX_ADAPTERS_EXCHANGE_CONSENT_HPP

#include <ix/adapters/exchange/exchange.hpp>
#include <ix/adapters/report.hpp>

namespace ix::adapters::exchange::internal {

bool Covers(const v1::ConsentRecord& consent, v1::ConsentScope scope);

// Removes from `c` what the consent does not cover and the contact data of protected persons;
// notes each removal in the report.
void LimitToConsent(const v1::ConsentRecord& consent, v1::Case* c, Report& report);

// The first thing in `c` outside the consent ("<field>: …"), or OK.
Status CheckWithinConsent(const v1::ConsentRecord& consent, const v1::Case& c);
// Contact data of a protected person anywhere in the case's responses (answers, change trail).
Status CheckNoProtectedContactData(const v1::Case& c);

}  // namespace ix::adapters::exchange::internal

#endif  // IX_ADAPTERS_EXCHANGE_CONSENT_HPP
