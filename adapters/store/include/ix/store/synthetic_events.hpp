// Synthetic persons (ix/statistics/synthetic.hpp) as canonical ix.v1.Event messages, the
// way a case-management system would send them: personnummer in the subject, one event when a
// period or intervention starts and another when it ends.
#ifndef IX_STORE_SYNTHETIC_EVENTS_HPP
#define IX_STORE_SYNTHETIC_EVENTS_HPP

#include <ix/statistics/synthetic.hpp>

#include "ix/v1/events.pb.h"

#include <string>
#include <vector>

namespace ix::store {

// Event ids are "syn-<seed>-<person index>-<n>", so regenerating with the same seed and
// importing again is idempotent.
void ToEvents(const statistics::SyntheticPerson& person, const std::string& municipality,
              uint64_t seed, std::vector<v1::Event>& out);

}  // namespace ix::store

#endif  // IX_STORE_SYNTHETIC_EVENTS_HPP
