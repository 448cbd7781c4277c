#include <ix/core/categorisation/rules.hpp>

#include <ix/core/categorisation/explanation_texts.hpp>
#include <ix/core/language.hpp>
#include <ix/core/limits.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace ix::core {
namespace {

struct AdultAnswers {
  std::map<std::string, std::pair<size_t, const AnswerValue*>, std::less<>> by_item;  // index, value
};

// A problem with an answer the rules read, named exactly as validation names the same problem:
// the answer's path, with ".value" when the value is what is wrong.
Problem AnswerProblem(const Answer& a, std::string code, std::string en, std::string sv) {
  Problem p;
  p.path = AnswerPath(a.person_ref, a.item_id) + (code == "duplicate" ? "" : ".value");
  p.code = std::move(code);
  p.item_id = a.item_id;
  p.person_ref = a.person_ref;
  p.part = 2;
  p.message = {std::move(sv), std::move(en)};
  return p;
}

Problem RuleSetProblem(std::string path, std::string en) {
  // Rule sets are written by the project, not by caseworkers: English is their language.
  LocalizedText message{en, en};
  return FieldProblem(std::move(path), "invalid_rule_set", std::move(message));
}

constexpr FurtherInvestigationReason kAllReasons[] = {
    FurtherInvestigationReason::kMissingRatings, FurtherInvestigationReason::kWorkCapacityUnclear,
    FurtherInvestigationReason::kWorkCapacityMissing, FurtherInvestigationReason::kReducedWithoutCause};

constexpr size_t kMaxNoticeCharacters = 2000;

const std::vector<AmVariable> kNoVariables;  // a profile without the AM module reads none

size_t Utf8Characters(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

LocalizedText Say(Sentence sentence, const std::vector<TextArgument>& arguments = {}) {
  return FillText(SentenceText(sentence), arguments);
}

LocalizedText Number(int n) { return Verbatim(std::to_string(n)); }

LocalizedText RatingsLine(const Explanation& e, const RuleSet& rules) {
  const LocalizedText far = Number(rules.rating_far);
  LocalizedText list = Verbatim("");
  for (size_t i = 0; i < e.ratings.size(); ++i) {
    const LocalizedText rating = FillText(
        Verbatim("{label} {value}"),
        {{"label", rules.am_variables[i].label},
         {"value", e.ratings[i].value ? Number(*e.ratings[i].value) : SentenceText(Sentence::kRatingMissing)}});
    list = i == 0 ? rating : FillText(Verbatim("{list}, {rating}"), {{"list", list}, {"rating", rating}});
  }
  const LocalizedText sum =
      e.sum ? Say(Sentence::kRatingsSum, {{"s", Number(*e.sum)}, {"n", Number(e.far_ratings)}, {"far", far}}) : Verbatim(".");
  return Say(Sentence::kRatings, {{"far", far}, {"list", list}, {"sum", sum}});
}

LocalizedText AmLine(const Explanation& e, const RuleSet& rules) {
  const std::vector<TextArgument> values = {
      {"s", Verbatim(e.sum ? std::to_string(*e.sum) : "")}, {"n", Number(e.far_ratings)},
      {"far", Number(rules.rating_far)},                    {"am1", Number(rules.am1_max_sum)},
      {"am3", Number(rules.am3_min_sum)},                   {"min_far", Number(rules.am3_min_far_ratings)}};
  switch (e.am_rule) {
    case AmRule::kAm1: return Say(Sentence::kAm1, values);
    case AmRule::kAm2: return Say(Sentence::kAm2, values);
    case AmRule::kAm3Sum: return Say(Sentence::kAm3Sum, values);
    case AmRule::kAm3FarRatings: return Say(Sentence::kAm3FarRatings, values);
    case AmRule::kAm3SumAndFarRatings: return Say(Sentence::kAm3SumAndFarRatings, values);
    case AmRule::kMissingRatings: {
      std::string list;
      for (const std::string& id : e.missing_ratings) list += (list.empty() ? "" : ", ") + id;
      return Say(Sentence::kNoAmMissingRatings, {{"list", Verbatim(list)}});
    }
    case AmRule::kNoWorkCapacity: return Say(Sentence::kNoAmNoWorkCapacity);
    case AmRule::kWorkCapacityUnclear: return Say(Sentence::kNoAmWorkCapacityUnclear);
    case AmRule::kWorkCapacityUnanswered: return Say(Sentence::kNoAmWorkCapacityUnanswered);
    case AmRule::kNoAmModule: return Say(Sentence::kNoAmModule);
  }
  return {};
}

}  // namespace

std::string_view AmRuleCode(AmRule rule) {
  switch (rule) {
    case AmRule::kAm1: return "am1";
    case AmRule::kAm2: return "am2";
    case AmRule::kAm3Sum: return "am3_sum";
    case AmRule::kAm3FarRatings: return "am3_far_ratings";
    case AmRule::kAm3SumAndFarRatings: return "am3_sum_and_far_ratings";
    case AmRule::kMissingRatings: return "missing_ratings";
    case AmRule::kNoWorkCapacity: return "no_work_capacity";
    case AmRule::kWorkCapacityUnclear: return "work_capacity_unclear";
    case AmRule::kWorkCapacityUnanswered: return "work_capacity_unanswered";
    case AmRule::kNoAmModule: return "no_am_module";
  }
  return "";
}

std::string_view FurtherInvestigationReasonCode(FurtherInvestigationReason reason) {
  switch (reason) {
    case FurtherInvestigationReason::kMissingRatings: return "missing_ratings";
    case FurtherInvestigationReason::kWorkCapacityUnclear: return "work_capacity_unclear";
    case FurtherInvestigationReason::kWorkCapacityMissing: return "work_capacity_missing";
    case FurtherInvestigationReason::kReducedWithoutCause: return "reduced_capacity_without_cause";
  }
  return "";
}

std::string FurtherInvestigationReasonCodes() {
  std::string codes;
  for (FurtherInvestigationReason r : kAllReasons) codes += (codes.empty() ? "" : ", ") + std::string(FurtherInvestigationReasonCode(r));
  return codes;
}

std::vector<Problem> CheckRuleSet(const RuleSet& rules) {
  std::vector<Problem> problems;
  if (rules.id.empty()) problems.push_back(RuleSetProblem("id", "empty"));
  if (rules.version.empty()) problems.push_back(RuleSetProblem("version", "empty"));
  if (rules.am_variables.empty()) problems.push_back(RuleSetProblem("am_variables", "none"));
  std::set<std::string> items;
  for (size_t i = 0; i < rules.am_variables.size(); ++i) {
    const AmVariable& v = rules.am_variables[i];
    const std::string path = "am_variables[" + std::to_string(i) + "]";
    if (v.variable.empty()) problems.push_back(RuleSetProblem(path + ".variable", "empty"));
    if (v.item_id.empty()) problems.push_back(RuleSetProblem(path + ".item_id", "empty"));
    if (!items.insert(v.item_id).second) problems.push_back(RuleSetProblem(path + ".item_id", "'" + v.item_id + "' repeated"));
  }
  if (rules.rating_min < 0 || rules.rating_far <= rules.rating_min) {
    problems.push_back(RuleSetProblem("thresholds.rating_far", "must be greater than rating_min"));
  }
  const int n = static_cast<int>(rules.am_variables.size());
  if (rules.am1_max_sum >= rules.am3_min_sum) {
    problems.push_back(RuleSetProblem("thresholds.am1_max_sum", "must be less than am3_min_sum"));
  }
  if (rules.am3_min_far_ratings < 1 || rules.am3_min_far_ratings > n) {
    problems.push_back(RuleSetProblem("thresholds.am3_min_far_ratings", "must be 1.." + std::to_string(n)));
  }
  if (rules.work_capacity_item.empty()) problems.push_back(RuleSetProblem("work_capacity_item", "empty"));
  for (size_t i = 0; i < rules.work_capacity_codes.size(); ++i) {
    if (rules.work_capacity_codes[i].value == WorkCapacity::kUnspecified) {
      problems.push_back(RuleSetProblem("work_capacity_codes[" + std::to_string(i) + "].value", "unspecified"));
    }
  }
  for (size_t i = 0; i < rules.r_triggers.size(); ++i) {
    if (rules.r_triggers[i].item_id.empty()) {
      problems.push_back(RuleSetProblem("r_triggers[" + std::to_string(i) + "].item_id", "empty"));
    }
  }
  for (const auto& [field, text] : {std::pair{"notice.sv", &rules.notice.sv}, std::pair{"notice.en", &rules.notice.en}}) {
    if (text->empty()) {
      problems.push_back(RuleSetProblem(field, "empty (a rule set says it is representative, in sv and en)"));
    } else if (const size_t characters = Utf8Characters(*text); characters > kMaxNoticeCharacters) {
      problems.push_back(
          RuleSetProblem(field, std::to_string(characters) + " characters, at most " + std::to_string(kMaxNoticeCharacters)));
    }
  }
  // Texts: the languages and limits of a definition's texts.
  const auto each_text = [&](const auto& visit) {
    visit("notice", rules.notice);
    for (size_t i = 0; i < rules.am_variables.size(); ++i) visit("am_variables[" + std::to_string(i) + "].label", rules.am_variables[i].label);
    for (size_t i = 0; i < rules.r_triggers.size(); ++i) visit("r_triggers[" + std::to_string(i) + "].label", rules.r_triggers[i].label);
  };
  const size_t before_limits = problems.size();
  CheckLanguageListLimits(rules.languages, "languages", DefaultLimits(), problems);
  each_text([&](const std::string& path, const LocalizedText& text) { CheckTextLimits(text, path, DefaultLimits(), problems); });
  if (problems.size() == before_limits) {
    std::vector<std::string> languages = {"sv", "en"};
    for (const std::string& l : rules.languages) {
      if (const auto tag = ParseLanguageTag(l)) languages.push_back(tag->tag);
    }
    CheckLanguageList(rules.languages, rules.language_notes, false, "languages", problems);
    each_text([&](const std::string& path, const LocalizedText& text) { CheckText(text, languages, path, problems); });
  }
  const RuleChoices& c = rules.choices;
  for (const auto& [field, policy] : {std::pair{"choices.work_capacity_none", c.work_capacity_none},
                                      std::pair{"choices.work_capacity_unclear", c.work_capacity_unclear},
                                      std::pair{"choices.work_capacity_unanswered", c.work_capacity_unanswered}}) {
    if (policy == AmLevelPolicy::kUnstated) problems.push_back(RuleSetProblem(field, "not stated (SUGGEST or WITHHOLD)"));
  }
  if (c.governing_missing == GoverningFallback::kUnstated) {
    problems.push_back(RuleSetProblem("choices.governing_missing", "not stated (OTHER_VIEW or NONE)"));
  }
  std::set<std::string, std::less<>> reasons;
  for (size_t i = 0; i < c.further_investigation_when.size(); ++i) {
    const std::string& code = c.further_investigation_when[i];
    const std::string path = "choices.further_investigation_when[" + std::to_string(i) + "]";
    const bool known = std::any_of(std::begin(kAllReasons), std::end(kAllReasons),
                                   [&](FurtherInvestigationReason r) { return FurtherInvestigationReasonCode(r) == code; });
    if (!known) {
      problems.push_back(RuleSetProblem(path, "'" + code + "' is not a reason code (known: " + FurtherInvestigationReasonCodes() + ")"));
    } else if (!reasons.insert(code).second) {
      problems.push_back(RuleSetProblem(path, "'" + code + "' repeated"));
    }
  }
  return problems;
}

std::vector<LocalizedText> ExplainSuggestion(const RuleSet& rules, const Suggestion& s) {
  const Explanation& e = s.explanation;
  std::vector<LocalizedText> lines;
  if (e.am_rule != AmRule::kNoAmModule) lines.push_back(RatingsLine(e, rules));
  lines.push_back(AmLine(e, rules));
  const LocalizedText wc = Verbatim(e.work_capacity_code.empty() ? "—" : e.work_capacity_code);
  lines.push_back(Say(Sentence::kWorkCapacity, {{"code", wc}, {"item", Verbatim(rules.work_capacity_item)}}));
  for (const FiredTrigger& f : e.r_triggers) {
    const RTrigger& t = *std::find_if(rules.r_triggers.begin(), rules.r_triggers.end(),
                                      [&](const RTrigger& r) { return r.item_id == f.item_id; });
    lines.push_back(Say(Sentence::kTriggerYes,
                        {{"kind", Verbatim(std::string(RKindCode(f.kind)))}, {"label", t.label}, {"item", Verbatim(f.item_id)}}));
  }
  if (e.r_triggers.empty()) lines.push_back(Say(Sentence::kNoRh));
  for (const FurtherInvestigationReason reason : e.further_investigation_reasons) {
    switch (reason) {
      case FurtherInvestigationReason::kMissingRatings: lines.push_back(Say(Sentence::kFurtherMissingRatings)); break;
      case FurtherInvestigationReason::kWorkCapacityUnclear: lines.push_back(Say(Sentence::kFurtherWorkCapacityUnclear)); break;
      case FurtherInvestigationReason::kWorkCapacityMissing: lines.push_back(Say(Sentence::kFurtherWorkCapacityMissing)); break;
      case FurtherInvestigationReason::kReducedWithoutCause:
        lines.push_back(Say(Sentence::kFurtherReducedWithoutCause, {{"code", wc}}));
        break;
    }
  }
  if (s.offer_in_depth_assessment) {
    lines.push_back(Say(e.in_depth_offer.only_am3_or_rh ? Sentence::kOfferInDepthRestricted : Sentence::kOfferInDepth,
                        {{"months", Number(e.months_on_assistance)}, {"more_than", Number(e.in_depth_offer.more_than_months)}}));
  }
  lines.push_back(Say(Sentence::kRuleSet, {{"id", Verbatim(rules.id)}, {"version", Verbatim(rules.version)}}));
  return lines;
}

SuggestResult Suggest(const RuleSet& rules, const ProfileRules& profile, const Response& response,
                      int months_on_assistance) {
  const InDepthOfferRule& in_depth_offer = profile.in_depth_offer;
  SuggestResult result;
  // The item ids the rules read; every other answer is ignored here (validation covers it).
  std::set<std::string, std::less<>> read;
  if (profile.am_module) {
    for (const AmVariable& v : rules.am_variables) read.insert(v.item_id);
  }
  read.insert(rules.work_capacity_item);
  for (const RTrigger& t : rules.r_triggers) read.insert(t.item_id);

  std::map<std::string, AdultAnswers, std::less<>> answers;
  for (size_t i = 0; i < response.answers.size(); ++i) {
    const Answer& a = response.answers[i];
    if (!read.contains(a.item_id)) continue;
    auto [it, inserted] = answers[a.person_ref].by_item.emplace(a.item_id, std::make_pair(i, &a.value));
    if (!inserted) {
      result.problems.push_back(AnswerProblem(
          a, "duplicate",
          "answered twice for person '" + a.person_ref + "' (positions " + std::to_string(it->second.first) +
              " and " + std::to_string(i) + " of answers)",
          "besvarad två gånger för person '" + a.person_ref + "' (plats " + std::to_string(it->second.first) +
              " och " + std::to_string(i) + " i answers)"));
    }
  }

  for (const Person& person : response.household.persons) {
    if (person.role == HouseholdRole::kChild) continue;
    const AdultAnswers& mine = answers[person.person_ref];
    auto find = [&](const std::string& item_id) -> std::pair<size_t, const AnswerValue*> {
      auto it = mine.by_item.find(item_id);
      return it == mine.by_item.end() ? std::make_pair(size_t{0}, nullptr) : it->second;
    };
    auto problem = [&](size_t index, std::string code, const std::string& en, const std::string& sv) {
      result.problems.push_back(AnswerProblem(response.answers[index], std::move(code), en, sv));
    };

    Suggestion s;
    s.person_ref = person.person_ref;
    Explanation& e = s.explanation;
    e.rule_set_id = rules.id;
    e.rule_set_version = rules.version;
    e.months_on_assistance = months_on_assistance;
    e.in_depth_offer = in_depth_offer;

    // Work capacity today.
    WorkCapacity capacity = WorkCapacity::kUnspecified;
    if (auto [index, value] = find(rules.work_capacity_item); value != nullptr) {
      const Code* code = std::get_if<Code>(value);
      if (code == nullptr) {
        problem(index, "wrong_type", "expected a single-choice code", "förväntade ett svarsalternativ");
      } else {
        e.work_capacity_code = code->code;
        auto known = std::find_if(rules.work_capacity_codes.begin(), rules.work_capacity_codes.end(),
                                  [&](const WorkCapacityOption& c) { return c.code == code->code; });
        if (known == rules.work_capacity_codes.end()) {
          problem(index, "unknown_option", "'" + code->code + "' is not a work-capacity code of rule set " + rules.id,
                  "'" + code->code + "' är inget arbetsförmågealternativ i regeluppsättningen " + rules.id);
        } else {
          capacity = known->value;
        }
      }
    }
    s.category.work_capacity = capacity;

    // The six AM ratings, when the profile uses them.
    int sum = 0;
    for (const AmVariable& v : profile.am_module ? rules.am_variables : kNoVariables) {
      RatingUsed used{v.variable, v.item_id, std::nullopt};
      if (auto [index, value] = find(v.item_id); value != nullptr) {
        const Rating* rating = std::get_if<Rating>(value);
        if (rating == nullptr) {
          problem(index, "wrong_type", "expected a rating", "förväntade en skattning");
        } else if (rating->value < rules.rating_min || rating->value > rules.rating_far) {
          problem(index, "out_of_range",
                  "rating " + std::to_string(rating->value) + " is outside " + std::to_string(rules.rating_min) + "-" +
                      std::to_string(rules.rating_far),
                  "skattningen " + std::to_string(rating->value) + " ligger utanför " +
                      std::to_string(rules.rating_min) + "-" + std::to_string(rules.rating_far));
        } else {
          used.value = rating->value;
          sum += rating->value;
          if (rating->value == rules.rating_far) ++e.far_ratings;
        }
      }
      if (!used.value) e.missing_ratings.push_back(v.item_id);
      e.ratings.push_back(std::move(used));
    }
    if (profile.am_module && e.missing_ratings.empty()) e.sum = sum;

    // Why vidare utredning, in the order a caseworker reads them; the rule set's choices say
    // which of them flag it.
    std::vector<FurtherInvestigationReason> reasons;
    const RuleChoices& choices = rules.choices;
    if (!profile.am_module) {
      e.am_rule = AmRule::kNoAmModule;
    } else if (capacity == WorkCapacity::kNone && choices.work_capacity_none == AmLevelPolicy::kWithhold) {
      e.am_rule = AmRule::kNoWorkCapacity;
    } else if (!e.missing_ratings.empty()) {
      e.am_rule = AmRule::kMissingRatings;
      reasons.push_back(FurtherInvestigationReason::kMissingRatings);
    } else if (capacity == WorkCapacity::kUnclear && choices.work_capacity_unclear == AmLevelPolicy::kWithhold) {
      e.am_rule = AmRule::kWorkCapacityUnclear;
    } else if (capacity == WorkCapacity::kUnspecified && choices.work_capacity_unanswered == AmLevelPolicy::kWithhold) {
      e.am_rule = AmRule::kWorkCapacityUnanswered;
    } else {
      const bool by_sum = sum >= rules.am3_min_sum;
      const bool by_far = e.far_ratings >= rules.am3_min_far_ratings;
      if (by_sum || by_far) {
        s.category.am_level = AmLevel::kAm3;
        e.am_rule = by_sum && by_far ? AmRule::kAm3SumAndFarRatings
                                     : (by_sum ? AmRule::kAm3Sum : AmRule::kAm3FarRatings);
      } else if (sum <= rules.am1_max_sum && e.far_ratings == 0) {
        s.category.am_level = AmLevel::kAm1;
        e.am_rule = AmRule::kAm1;
      } else {
        s.category.am_level = AmLevel::kAm2;
        e.am_rule = AmRule::kAm2;
      }
    }

    // RH kinds: each trigger answered yes.
    for (const RTrigger& t : rules.r_triggers) {
      auto [index, value] = find(t.item_id);
      if (value == nullptr) continue;
      const bool* yes = std::get_if<bool>(value);
      if (yes == nullptr) {
        problem(index, "wrong_type", "expected yes/no", "förväntade ja/nej");
      } else if (*yes) {
        s.category.r_kinds.push_back(t.kind);
        e.r_triggers.push_back({t.kind, t.item_id});
      }
    }
    Normalize(s.category);

    if (capacity == WorkCapacity::kUnclear) reasons.push_back(FurtherInvestigationReason::kWorkCapacityUnclear);
    if (capacity == WorkCapacity::kUnspecified) reasons.push_back(FurtherInvestigationReason::kWorkCapacityMissing);
    if ((capacity == WorkCapacity::kNone || capacity == WorkCapacity::kReduced) && s.category.r_kinds.empty()) {
      reasons.push_back(FurtherInvestigationReason::kReducedWithoutCause);
    }
    for (FurtherInvestigationReason r : reasons) {
      const auto& when = choices.further_investigation_when;
      if (std::find(when.begin(), when.end(), FurtherInvestigationReasonCode(r)) != when.end()) {
        e.further_investigation_reasons.push_back(r);
      }
    }
    s.category.further_investigation = !e.further_investigation_reasons.empty();
    s.offer_in_depth_assessment = in_depth_offer.LongEnough(months_on_assistance) && in_depth_offer.Eligible(s.category);

    s.explanation.lines = ExplainSuggestion(rules, s);
    result.suggestions.push_back(std::move(s));
  }
  return result;
}

}  // namespace ix::core
