// Events for the store tests, built by hand: one test person (a valid test personnummer) in
// municipality 0192.
#ifndef IX_TESTS_STORE_EVENT_BUILDERS_HPP
#define IX_TESTS_STORE_EVENT_BUILDERS_HPP

#include "ix/v1/events.pb.h"

#include <string>

namespace ix::test {

inline constexpr const char* kPnr = "19811218-9876";  // valid checksum, test number

// An assistance period of the test person; `end` empty: still open. Recorded on its last day.
inline v1::Event Period(const std::string& id, const char* start, const char* end = "",
                        v1::ExitReason reason = v1::EXIT_REASON_UNSPECIFIED, v1::Sex sex = v1::SEX_FEMALE) {
  v1::Event e;
  auto* p = e.mutable_assistance_period();
  auto* h = p->mutable_header();
  h->set_event_id(id);
  h->set_municipality_code("0192");
  h->set_recorded_at(std::string(end[0] ? end : start) + "T09:00:00Z");
  h->set_caseworker("cw-1");
  auto* s = h->mutable_subject();
  s->set_personnummer(kPnr);
  s->set_sex(sex);
  s->set_birth_year(1981);
  s->set_birth_month(12);
  p->set_start_date(start);
  p->set_end_date(end);
  p->set_exit_reason(reason);
  return e;
}

}  // namespace ix::test

#endif  // IX_TESTS_STORE_EVENT_BUILDERS_HPP
