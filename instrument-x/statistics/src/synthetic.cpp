#include <ix/statistics/synthetic.hpp>

#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

namespace ix::statistics {
namespace {

// SplitMix64-seeded xoshiro256**: small, fast, and the same numbers everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }
  int Between(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  // Index drawn from weights (percentages or any positive numbers).
  template <size_t N>
  int Pick(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return static_cast<int>(N - 1);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
};

struct Cat {
  AmLevel am = AmLevel::kNone;
  uint8_t r = 0;
  bool fi = false;
  bool none = false;  // not categorised
};

// First-visit categories: AM1, AM2, AM3, RH only, AM+R1, AM+R2, AM+R3, AM+several, FI, none.
constexpr std::array<double, 10> kFirstCategory = {14, 24, 22, 8, 5, 10, 4, 3, 6, 4};

Cat DrawFirstCategory(Rng& rng) {
  Cat c;
  switch (rng.Pick(kFirstCategory)) {
    case 0: c.am = AmLevel::kAm1; break;
    case 1: c.am = AmLevel::kAm2; break;
    case 2: c.am = AmLevel::kAm3; break;
    case 3: c.r = static_cast<uint8_t>(1 << rng.Between(0, 2)); break;
    case 4: c.am = AmLevel::kAm3; c.r = kR1; break;
    case 5: c.am = static_cast<AmLevel>(rng.Between(2, 3)); c.r = kR2; break;
    case 6: c.am = AmLevel::kAm3; c.r = kR3; break;
    case 7: c.am = AmLevel::kAm3; c.r = kR2 | (rng.Chance(0.5) ? kR1 : kR3); break;
    case 8: c.fi = true; break;
    default: c.none = true; break;
  }
  return c;
}

// A follow-up: most stay, many move one AM step closer to work, some move away; RH kinds
// resolve; further investigation ends in a category.
Cat FollowUp(Rng& rng, Cat c) {
  if (c.none || c.fi) {
    Cat next = DrawFirstCategory(rng);
    next.none = false;
    if (next.fi && rng.Chance(0.7)) next = Cat{AmLevel::kAm3, 0, false, false};
    if (next.none) next = Cat{AmLevel::kAm2, 0, false, false};
    return next;
  }
  if (c.r != 0 && rng.Chance(0.12)) {
    c.r = 0;
    if (c.am == AmLevel::kNone) c.am = AmLevel::kAm3;
    return c;
  }
  const double u = rng.Uniform();
  if (u < 0.25 && c.am > AmLevel::kAm1) {
    c.am = static_cast<AmLevel>(static_cast<int>(c.am) - 1);
  } else if (u < 0.33 && c.am != AmLevel::kNone && c.am < AmLevel::kAm3) {
    c.am = static_cast<AmLevel>(static_cast<int>(c.am) + 1);
  } else if (u < 0.36 && c.r == 0) {
    c.r = static_cast<uint8_t>(1 << rng.Between(0, 2));
  }
  return c;
}

// Monthly probability that the household leaves assistance, by the head's category.
double ExitHazard(const Cat& c) {
  if (c.none) return 0.15;
  if (c.fi) return 0.06;
  if (c.r != 0) return c.am == AmLevel::kNone ? 0.03 : 0.05;
  switch (c.am) {
    case AmLevel::kAm1: return 0.20;
    case AmLevel::kAm2: return 0.11;
    case AmLevel::kAm3: return 0.06;
    case AmLevel::kNone: break;
  }
  return 0.08;
}

Orientation DrawOrientation(Rng& rng, const Cat& c, Sex sex) {
  if (c.r != 0 || c.fi) {
    // Planted bias for the equality monitor to find: in RH categories women are given
    // rehabilitative interventions more often than men with the same needs.
    const double rehab = sex == Sex::kFemale ? 0.72 : 0.55;
    const double u = rng.Uniform();
    return u < rehab ? Orientation::kRehabilitative : (u < rehab + 0.05 ? Orientation::kStudies : Orientation::kWork);
  }
  const double u = rng.Uniform();
  return u < 0.78 ? Orientation::kWork : (u < 0.94 ? Orientation::kStudies : Orientation::kRehabilitative);
}

// KAS outcome by AM level: closer to the labour market, more work.
KasOutcome DrawOutcome(Rng& rng, const Cat& c) {
  // unsubsidised work, subsidised work, studies, completed assignment, returned, other
  std::array<double, 6> w = {12, 10, 10, 35, 23, 10};
  if (c.am == AmLevel::kAm1 && c.r == 0) w = {38, 14, 10, 24, 8, 6};
  if (c.am == AmLevel::kAm2 && c.r == 0) w = {24, 16, 12, 30, 12, 6};
  return static_cast<KasOutcome>(rng.Pick(w) + 1);
}

ExitReason DrawExit(Rng& rng, KasOutcome recent) {
  if ((recent == KasOutcome::kUnsubsidisedWork || recent == KasOutcome::kSubsidisedWork) && rng.Chance(0.75)) {
    return ExitReason::kWork;
  }
  if (recent == KasOutcome::kStudies && rng.Chance(0.7)) return ExitReason::kStudies;
  // work, studies, other benefit, moved, other, not recorded
  constexpr std::array<double, 6> w = {28, 10, 22, 12, 25, 3};
  static constexpr ExitReason kReasons[] = {ExitReason::kWork, ExitReason::kStudies,
                                            ExitReason::kOtherBenefit, ExitReason::kMoved,
                                            ExitReason::kOther, ExitReason::kUnspecified};
  return kReasons[rng.Pick(w)];
}

struct AdultState {
  SyntheticPerson person;
  Cat cat;
  Day next_followup = kNoDay;
  bool has_intervention = false;
  Day intervention_start = 0, intervention_end = 0;
  Orientation orientation = Orientation::kUnspecified;
  int interventions = 0;
  KasOutcome recent = KasOutcome::kUnspecified;
  Day recent_day = 0;
};

// splitmix64: draws keyed by a person and an event, independent of the generator's stream (so
// adding them changed no other draw of a seed).
uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The lead-time milestones of each assistance period: first visit on the period's first
// categorisation; complete application 0–3 days later (40 %), 4–14 (40 %) or 15–45 (20 %);
// decision 1–14 days after that (75 %) or 15–40 (25 %); plan 7–60 days after the decision
// (60 %) or 61–150 (40 %). When an intervention starts in the period after the first visit, the
// plan comes 0–10 days before it and the earlier steps are pulled in so the chain stays in order.
void AddMilestones(SyntheticPerson& person, Day horizon) {
  std::vector<SyntheticEvent> added;
  for (const SyntheticEvent& start : person.events) {
    if (start.kind != SyntheticEvent::Kind::kPeriodStart) continue;
    Day end = horizon - 1;
    for (const SyntheticEvent& e : person.events) {
      if (e.kind == SyntheticEvent::Kind::kPeriodEnd && e.start == start.start) end = std::min(end, e.end);
    }
    Day visit = kNoDay, intervention = kNoDay;
    for (const SyntheticEvent& e : person.events) {
      if (e.kind == SyntheticEvent::Kind::kCategorisation && e.day >= start.start && e.day <= end) {
        visit = std::min(visit, e.day);
      }
    }
    if (visit == kNoDay) continue;
    for (const SyntheticEvent& e : person.events) {
      if (e.kind == SyntheticEvent::Kind::kInterventionStart && e.start >= visit && e.start <= end) {
        intervention = std::min(intervention, e.start);
      }
    }
    const uint64_t h = Mix(static_cast<uint64_t>(person.index) * 1000003ULL + static_cast<uint64_t>(start.start) + 0x9E3779B97F4A7C15ULL);
    auto part = [h](int shift, int n) { return static_cast<int>((h >> shift) % static_cast<uint64_t>(n)); };
    const int a_band = part(0, 10), d_band = part(8, 4), p_band = part(16, 10);
    Day application = visit + (a_band < 4 ? part(24, 4) : a_band < 8 ? 4 + part(24, 11) : 15 + part(24, 31));
    Day decision = application + (d_band < 3 ? 1 + part(32, 14) : 15 + part(32, 26));
    Day plan = decision + (p_band < 6 ? 7 + part(40, 54) : 61 + part(40, 90));
    if (intervention != kNoDay) {
      plan = std::max(visit, intervention - part(48, 11));
      decision = std::min(decision, plan);
      application = std::min(application, decision);
    }
    const std::pair<Milestone, Day> chain[] = {{Milestone::kFirstVisit, visit},
                                               {Milestone::kCompleteApplication, application},
                                               {Milestone::kDecision, decision},
                                               {Milestone::kPlan, plan}};
    for (const auto& [milestone, day] : chain) {
      if (day > end || day >= horizon) break;
      SyntheticEvent e = start;
      e.kind = SyntheticEvent::Kind::kMilestone;
      e.day = day;
      e.milestone = milestone;
      added.push_back(e);
    }
  }
  person.events.insert(person.events.end(), added.begin(), added.end());
}

// Age at the first period: 18–24, 25–29, 30–39, 40–49, 50–64, 65–75.
constexpr std::array<double, 6> kAgeGroup = {22, 14, 24, 18, 19, 3};
constexpr std::array<int, 7> kAgeBounds = {18, 25, 30, 40, 50, 65, 76};

// The indicator facts of one categorisation, from their own generator (so that the rest of the
// generated data does not change with them): parts 1–2 mostly completed at the first visit
// (1–4 at a follow-up), a client self-assessment at about six in ten, differing from the
// caseworker's at about one in four of those, and six AM ratings around the AM level.
void DrawFacts(Rng& rng, bool first_visit, SyntheticEvent& e) {
  const double u = rng.Uniform();
  if (first_visit) e.parts = static_cast<int8_t>(u < 0.82 ? 0b0011 : u < 0.94 ? 0b0001 : 0);
  else e.parts = static_cast<int8_t>(u < 0.9 ? 0b1111 : 0b1011);
  int views = kCaseworkerAssessed;
  if (rng.Chance(0.6)) views |= kClientAssessed | (rng.Chance(0.25) ? int{kViewsDiffer} : 0);
  e.views = static_cast<int8_t>(views);
  const int level = e.am == AmLevel::kNone ? rng.Between(1, 3) : static_cast<int>(e.am);
  int32_t packed = 0;
  for (int k = 0; k < kAmRatingCount; ++k) {
    const double v = rng.Uniform();
    const int rating = v < 0.05 ? 0 : v < 0.6 ? level : std::clamp(level + (v < 0.8 ? -1 : 1), 1, 3);
    packed = packed * 10 + rating;
  }
  e.ratings = packed;
}

}  // namespace

void GenerateSynthetic(const SyntheticParams& params,
                       const std::function<void(const SyntheticPerson&)>& visit) {
  Rng rng(params.seed);
  Rng facts_rng(params.seed ^ 0x5eed0f1ac75ULL);
  const Day window = std::max(1, params.years) * 365;
  const Day horizon = params.first_day + window;
  const int caseworkers = std::max(1, params.units) * std::max(1, params.caseworkers_per_unit);
  std::map<int, int> serials;  // (birth year * 2 + sex parity) -> next number, for unique numbers
  int64_t index = 0, household = 0;
  while (index < params.persons) {
    ++household;
    const int adults = (rng.Chance(0.62) || index + 1 == params.persons) ? 1 : 2;
    const Day first = params.first_day + static_cast<Day>(rng.Next() % static_cast<uint64_t>(window));
    std::vector<AdultState> hh(static_cast<size_t>(adults));
    for (int a = 0; a < adults; ++a) {
      SyntheticPerson& p = hh[static_cast<size_t>(a)].person;
      p.index = index++;
      p.household = household;
      if (adults == 2) {
        p.sex = a == 0 ? (rng.Chance(0.5) ? Sex::kFemale : Sex::kMale) : Sex::kUnspecified;
        if (a == 1) p.sex = hh[0].person.sex == Sex::kFemale ? Sex::kMale : Sex::kFemale;
      } else {
        const double u = rng.Uniform();
        p.sex = u < 0.47 ? Sex::kFemale : (u < 0.98 ? Sex::kMale : (u < 0.99 ? Sex::kOther : Sex::kUnspecified));
      }
      const int g = rng.Pick(kAgeGroup);
      const int age = rng.Between(kAgeBounds[static_cast<size_t>(g)], kAgeBounds[static_cast<size_t>(g) + 1] - 1);
      p.birth_year = DateFromDay(first).year - age;
      const bool male = p.sex == Sex::kMale || (p.sex != Sex::kFemale && rng.Chance(0.5));
      const int k = serials[p.birth_year * 2 + (male ? 1 : 0)]++;
      const Date birth = DateFromDay(DayFromDate(Date{p.birth_year, 1, 1}) + k % 365);
      p.birth_month = birth.month;
      const int serial = ((k / 365) % 500) * 2 + (male ? 1 : 0);
      char digits[16];
      std::snprintf(digits, sizeof digits, "%02d%02d%02d%03d", birth.year % 100, birth.month, birth.day, serial);
      p.personnummer = std::to_string(birth.year) + std::string(digits + 2) +
                       std::to_string(core::LuhnCheckDigit(digits));
    }
    Day start = first;
    int caseworker = rng.Between(1, caseworkers);
    while (start < horizon) {
      const int unit = (caseworker - 1) / std::max(1, params.caseworkers_per_unit) + 1;
      auto event = [&](SyntheticEvent::Kind kind, Day day) {
        SyntheticEvent e;
        e.kind = kind;
        e.day = day;
        e.unit = unit;
        e.caseworker = caseworker;
        return e;
      };
      for (AdultState& s : hh) {
        SyntheticEvent e = event(SyntheticEvent::Kind::kPeriodStart, start);
        e.start = start;
        s.person.events.push_back(e);
        const bool first_period = s.person.events.size() == 1;
        const Day visit_day = start + rng.Between(0, 20);
        if (first_period) s.cat = DrawFirstCategory(rng);
        s.next_followup = visit_day;
        if (first_period && s.cat.none) s.next_followup = visit_day + rng.Between(90, 180);
      }
      Day end = kNoDay;
      for (Day d = start; d < horizon; d += 30) {
        for (AdultState& s : hh) {
          if (s.has_intervention && s.intervention_end <= d + 29 && s.intervention_end < horizon) {
            SyntheticEvent e = event(SyntheticEvent::Kind::kInterventionEnd, s.intervention_end);
            e.start = s.intervention_start;
            e.end = s.intervention_end;
            e.orientation = s.orientation;
            e.outcome = DrawOutcome(rng, s.cat);
            e.intervention = s.interventions;
            s.recent = e.outcome;
            s.recent_day = e.end;
            s.person.events.push_back(e);
            s.has_intervention = false;
          }
          if (s.next_followup <= d + 29 && s.next_followup < horizon) {
            const Day day = std::max(s.next_followup, d);
            const bool first_visit = std::none_of(s.person.events.begin(), s.person.events.end(), [](const auto& x) {
              return x.kind == SyntheticEvent::Kind::kCategorisation;
            });
            if (!first_visit) s.cat = FollowUp(rng, s.cat);
            if (!s.cat.none) {
              SyntheticEvent e = event(SyntheticEvent::Kind::kCategorisation, day);
              e.am = s.cat.am;
              e.r_mask = s.cat.r;
              e.further_investigation = s.cat.fi;
              e.first_visit = first_visit;
              if (s.person.index % 10 != 9) DrawFacts(facts_rng, first_visit, e);
              s.person.events.push_back(e);
            }
            if (!s.has_intervention && !s.cat.none && rng.Chance(0.6)) {
              s.has_intervention = true;
              s.interventions += 1;
              s.intervention_start = day + rng.Between(0, 14);
              s.intervention_end = s.intervention_start + rng.Between(30, 270);
              s.orientation = DrawOrientation(rng, s.cat, s.person.sex);
              SyntheticEvent iv = event(SyntheticEvent::Kind::kInterventionStart, s.intervention_start);
              iv.start = s.intervention_start;
              iv.orientation = s.orientation;
              iv.intervention = s.interventions;
              if (iv.start < horizon) s.person.events.push_back(iv);
              else s.has_intervention = false;
            }
            s.next_followup = day + rng.Between(90, 180);
          }
        }
        if (rng.Chance(ExitHazard(hh[0].cat))) {
          end = std::min<Day>(d + rng.Between(0, 29), horizon - 1);
          break;
        }
      }
      if (end == kNoDay) break;  // still open at the end of the window
      const ExitReason reason = DrawExit(rng, hh[0].recent_day + 60 >= end ? hh[0].recent : KasOutcome::kUnspecified);
      for (AdultState& s : hh) {
        if (s.has_intervention && s.intervention_start <= end) {
          // Interventions stop when assistance does; the outcome follows the exit.
          SyntheticEvent e = event(SyntheticEvent::Kind::kInterventionEnd, end);
          e.start = s.intervention_start;
          e.end = end;
          e.orientation = s.orientation;
          e.outcome = reason == ExitReason::kWork      ? KasOutcome::kUnsubsidisedWork
                      : reason == ExitReason::kStudies ? KasOutcome::kStudies
                                                       : KasOutcome::kOther;
          e.intervention = s.interventions;
          s.person.events.push_back(e);
        }
        s.has_intervention = false;
        SyntheticEvent e = event(SyntheticEvent::Kind::kPeriodEnd, end);
        e.start = start;
        e.end = end;
        e.exit = reason;
        s.person.events.push_back(e);
      }
      if (!rng.Chance(0.3)) break;  // most do not come back within the window
      start = end + rng.Between(60, 540);
      if (rng.Chance(0.5)) caseworker = rng.Between(1, caseworkers);
    }
    for (AdultState& s : hh) {
      AddMilestones(s.person, horizon);
      std::stable_sort(s.person.events.begin(), s.person.events.end(),
                       [](const SyntheticEvent& a, const SyntheticEvent& b) { return a.day < b.day; });
      visit(s.person);
    }
  }
}

SyntheticKind SyntheticInterventionKind(const SyntheticPerson& person, const SyntheticEvent& event) {
  // splitmix64 of the key: independent of the generator's stream.
  const int u = static_cast<int>(
      Mix(static_cast<uint64_t>(person.index) * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(event.intervention) + 1) % 100);
  struct Share {
    int below;  // cumulative percent
    SyntheticKind kind;
  };
  static const Share kWork[] = {{30, {"job_search", "arbetsformedlingen"}},
                                {55, {"work_placement", "municipality"}},
                                {80, {"work_training", "municipality"}},
                                {90, {"subsidised_employment", "arbetsformedlingen"}},
                                {100, {"af_programme", "arbetsformedlingen"}}};
  static const Share kStudies[] = {{60, {"studies", "municipality"}}, {100, {"sfi", "municipality"}}};
  static const Share kRehab[] = {{20, {"cbt_consultant", "municipality"}},
                                 {50, {"rehab_consultant", "municipality"}},
                                 {70, {"psychiatry_contact", "region"}},
                                 {80, {"primary_care_contact", "region"}},
                                 {90, {"substance_treatment", "municipality"}},
                                 {100, {"fk_rehabilitation", "forsakringskassan"}}};
  auto pick = [u](const auto& shares) {
    for (const Share& s : shares) {
      if (u < s.below) return s.kind;
    }
    return shares[0].kind;
  };
  switch (event.orientation) {
    case Orientation::kStudies: return pick(kStudies);
    case Orientation::kRehabilitative: return pick(kRehab);
    default: return pick(kWork);
  }
}

PersonHistory HistoryOf(const SyntheticPerson& person) {
  PersonHistory h;
  h.sex = person.sex;
  h.birth_year = person.birth_year;
  h.birth_month = person.birth_month;
  for (const SyntheticEvent& e : person.events) {
    h.assignments.push_back({e.day, "unit-" + std::to_string(e.unit), "cw-" + std::to_string(e.caseworker)});
    switch (e.kind) {
      case SyntheticEvent::Kind::kCategorisation:
        h.categorisations.push_back({e.day, e.am, e.r_mask, e.further_investigation, e.parts, e.views, e.ratings});
        break;
      case SyntheticEvent::Kind::kPeriodStart:
        h.periods.push_back({e.start, kNoDay, ExitReason::kUnspecified});
        break;
      case SyntheticEvent::Kind::kPeriodEnd:
        for (PeriodRecord& p : h.periods) {
          if (p.start == e.start) p.end = e.end + 1, p.exit = e.exit;
        }
        break;
      case SyntheticEvent::Kind::kInterventionStart: {
        const SyntheticKind k = SyntheticInterventionKind(person, e);
        h.interventions.push_back({e.start, kNoDay, e.orientation, KasOutcome::kUnspecified, k.kind, k.actor});
        break;
      }
      case SyntheticEvent::Kind::kMilestone:
        h.milestones.push_back({e.day, e.milestone});
        break;
      case SyntheticEvent::Kind::kInterventionEnd:
        for (InterventionRecord& i : h.interventions) {
          if (i.start == e.start && i.orientation == e.orientation && i.end == kNoDay) {
            i.end = e.end;
            i.outcome = e.outcome;
            break;
          }
        }
        break;
    }
  }
  return h;
}

}  // namespace ix::statistics
