// The in-depth assessment offer (DUR/ASI): one rule, read by the suggestion rules (the flag on a
// suggestion) and by the process clocks (the due item) alike, so the two can never disagree.
// Its parameters are a municipality profile's DUR/ASI clock (instrument-x/definitions/profiles/,
// the clock stopped by `in_depth_offered`; clocks::InDepthOfferOf).
//
// Source (docs/rules.md): clients who have received assistance for more than 6 months in a row
// get access to DUR/ASI, with no condition on the category. The category condition is a
// profile option, off by default.
#ifndef IX_CORE_CATEGORISATION_IN_DEPTH_OFFER_HPP
#define IX_CORE_CATEGORISATION_IN_DEPTH_OFFER_HPP

#include <ix/core/categorisation/category.hpp>

namespace ix::core {

struct InDepthOfferRule {
  // Offered once assistance has lasted *more than* this many whole months without a break:
  // from the day on which this many whole months of the run are complete (see
  // clocks::OnAssistance: whole_months ≥ more_than_months).
  int more_than_months = 6;
  // true: only for adults in AM3 or with an RH kind (a choice some municipalities make).
  bool only_am3_or_rh = false;
  // false: the profile has no DUR/ASI clock or switched it off — no offer is flagged.
  bool on = true;

  // Whether the category qualifies (always, unless only_am3_or_rh).
  bool Eligible(const Category& category) const {
    return !only_am3_or_rh || category.am_level == AmLevel::kAm3 || !category.r_kinds.empty();
  }
  // Whether `whole_months` completed months of unbroken assistance (the day asked about being on
  // assistance too) are more than `more_than_months`.
  bool LongEnough(int whole_months) const { return on && whole_months >= more_than_months; }
};

}  // namespace ix::core

#endif  // IX_CORE_CATEGORISATION_IN_DEPTH_OFFER_HPP
