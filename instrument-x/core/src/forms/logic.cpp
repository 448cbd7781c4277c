#include <ix/core/forms/logic.hpp>

#include <ix/core/pattern.hpp>
#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

namespace ix::core::forms {
namespace {

// A backstop for definitions that were never checked (CheckDefinition refuses cycles): the
// constructor settles states in dependency order, so a checked definition never recurses more
// than a step or two; on a cycle the evaluation stops this deep, and the item counts as disabled.
constexpr int kMaxDepth = 64;

// A decimal "[-+]digits[.,digits]" as (negative, integer digits, fraction digits) without
// leading/trailing zeros, so two decimals compare exactly without binary floating point.
struct DecimalParts {
  bool negative = false;
  std::string whole;
  std::string fraction;
};

std::optional<DecimalParts> SplitDecimal(std::string_view text) {
  DecimalParts d;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) d.negative = text[i++] == '-';
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      (point ? d.fraction : d.whole).push_back(c);
    } else if ((c == '.' || c == ',') && !point) {
      point = true;
    } else {
      return std::nullopt;
    }
  }
  if (d.whole.empty() || (point && d.fraction.empty())) return std::nullopt;
  d.whole.erase(0, std::min(d.whole.find_first_not_of('0'), d.whole.size()));
  while (!d.fraction.empty() && d.fraction.back() == '0') d.fraction.pop_back();
  if (d.whole.empty() && d.fraction.empty()) d.negative = false;  // -0 == 0
  return d;
}

int CompareDecimal(const DecimalParts& a, const DecimalParts& b) {
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int magnitude = 0;
  if (a.whole.size() != b.whole.size()) {
    magnitude = a.whole.size() < b.whole.size() ? -1 : 1;
  } else if (int c = a.whole.compare(b.whole); c != 0) {
    magnitude = c < 0 ? -1 : 1;
  } else {
    const size_t n = std::max(a.fraction.size(), b.fraction.size());
    const std::string fa = a.fraction + std::string(n - a.fraction.size(), '0');
    const std::string fb = b.fraction + std::string(n - b.fraction.size(), '0');
    const int c2 = fa.compare(fb);
    magnitude = c2 < 0 ? -1 : (c2 > 0 ? 1 : 0);
  }
  return a.negative ? -magnitude : magnitude;
}

template <typename T>
int Three(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

std::optional<int64_t> AsInteger(const AnswerValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* r = std::get_if<Rating>(&v)) return r->value;
  return std::nullopt;
}

}  // namespace

bool HasValue(const AnswerValue& value) { return !std::holds_alternative<std::monostate>(value); }

std::optional<int> CompareValues(const AnswerValue& a, const AnswerValue& b) {
  if (auto ia = AsInteger(a), ib = AsInteger(b); ia && ib) return Three(*ia, *ib);
  if (a.index() != b.index()) return std::nullopt;
  if (const auto* x = std::get_if<bool>(&a)) return Three(*x, std::get<bool>(b));
  if (const auto* x = std::get_if<Code>(&a)) return x->code == std::get<Code>(b).code ? 0 : Three(x->code, std::get<Code>(b).code);
  if (const auto* x = std::get_if<Money>(&a)) return Three(x->ore, std::get<Money>(b).ore);
  if (const auto* x = std::get_if<Text>(&a)) return Three(x->text, std::get<Text>(b).text);
  if (const auto* x = std::get_if<Personnummer>(&a)) return Three(x->text, std::get<Personnummer>(b).text);
  if (const auto* x = std::get_if<Codes>(&a)) {
    std::set<std::string> sa(x->codes.begin(), x->codes.end());
    const auto& cb = std::get<Codes>(b).codes;
    std::set<std::string> sb(cb.begin(), cb.end());
    if (sa == sb) return 0;
    return std::nullopt;  // sets are not ordered: only (in)equality
  }
  if (const auto* x = std::get_if<DateText>(&a)) {
    auto da = ParseIsoDate(x->text), db = ParseIsoDate(std::get<DateText>(b).text);
    if (!da || !db) return std::nullopt;
    return Three(*da, *db);
  }
  if (const auto* x = std::get_if<Decimal>(&a)) {
    auto da = SplitDecimal(x->text), db = SplitDecimal(std::get<Decimal>(b).text);
    if (!da || !db) return std::nullopt;
    return CompareDecimal(*da, *db);
  }
  return std::nullopt;
}

FormLogic::FormLogic(const Definition& definition, const Response& response, Date today)
    : definition_(definition), response_(response), today_(today), items_(IndexItems(definition)) {
  for (const Answer& a : response.answers) answers_.emplace(Key{a.item_id, a.person_ref}, &a);
  std::set<std::string_view> seen;
  for (const Person& p : response.household.persons) {
    if (p.role != HouseholdRole::kChild && !p.person_ref.empty()) {
      adults_.push_back(&p);
      if (seen.insert(p.person_ref).second) adult_subjects_.push_back(p.person_ref);
    }
  }
  // Every state settled dependencies first: later questions are lookups, and no evaluation
  // follows a chain of items on the C++ stack (a 60 000-item chain costs what 60 000 items do).
  for (const Item* item : OrderByDependencies(items_).order) {
    for (const std::string& subject : SubjectsOf(*item)) {
      Enabled(*item, subject);
      if (item->is_calculated()) Calculate(*item, subject);
    }
  }
}

std::vector<std::string> FormLogic::SubjectsOf(const Item& item) const {
  if (item.scope == ItemScope::kHousehold) return {""};
  return adult_subjects_;
}

const Answer* FormLogic::Stored(const std::string& item_id, const std::string& subject) const {
  auto it = answers_.find(Key{item_id, subject});
  return it == answers_.end() ? nullptr : it->second;
}

const Person* FormLogic::FindPerson(const std::string& person_ref) const {
  for (const Person& p : response_.household.persons) {
    if (p.person_ref == person_ref) return &p;
  }
  return nullptr;
}

std::optional<Date> FormLogic::BirthDate(const std::string& person_ref) const {
  const Person* p = FindPerson(person_ref);
  if (p == nullptr) return std::nullopt;
  const IdentityNumber id = ParseIdentityNumber(p->personnummer);
  if (id.ok()) return id.birth_date;
  return ParseIsoDate(p->birth_date);
}

bool FormLogic::Enabled(const Item& item, const std::string& subject) {
  if (item.enable_when.empty()) return true;
  const Key key{item.id, subject};
  if (auto it = enabled_memo_.find(key); it != enabled_memo_.end()) {
    return it->second == 1;  // 0 (in progress: a cycle) counts as disabled
  }
  if (depth_ >= kMaxDepth) return false;
  enabled_memo_[key] = 0;
  ++depth_;
  const bool enabled = Holds(item.enable_when, subject);
  --depth_;
  enabled_memo_[key] = enabled ? 1 : 2;
  return enabled;
}

bool FormLogic::Required(const Item& item, const std::string& subject) {
  if (!Enabled(item, subject)) return false;
  if (item.required) return true;
  return !item.required_when.empty() && Holds(item.required_when, subject);
}

bool FormLogic::Holds(const ConditionGroup& group, const std::string& subject) {
  if (group.conditions.empty()) return true;
  for (const Condition& c : group.conditions) {
    const bool holds = EvaluateCondition(c, subject);
    if (group.any && holds) return true;
    if (!group.any && !holds) return false;
  }
  return !group.any;
}

AnswerValue FormLogic::Effective(const std::string& item_id, const std::string& subject) {
  auto it = items_.find(item_id);
  if (it == items_.end()) return std::monostate{};
  const Item& item = *it->second.item;
  const std::string who = item.scope == ItemScope::kHousehold ? std::string() : subject;
  if (item.scope == ItemScope::kAdult && who.empty()) return std::monostate{};
  if (!Enabled(item, who)) return std::monostate{};
  if (item.is_calculated()) return Calculate(item, who);
  const Answer* a = Stored(item_id, who);
  return a == nullptr ? AnswerValue{} : a->value;
}

bool FormLogic::EvaluateCondition(const Condition& c, const std::string& subject) {
  auto it = items_.find(c.item_id);
  if (it == items_.end()) return false;
  const Item& target = *it->second.item;
  // A household subject asking about an adult item: true when true for any adult.
  if (subject.empty() && target.scope == ItemScope::kAdult) {
    return std::any_of(adults_.begin(), adults_.end(), [&](const Person* p) {
      return EvaluateFor(c, Effective(c.item_id, p->person_ref), p->person_ref);
    });
  }
  return EvaluateFor(c, Effective(c.item_id, subject), subject);
}

bool FormLogic::EvaluateFor(const Condition& c, const AnswerValue& value,
                            const std::string& subject) {
  const bool answered = HasValue(value);
  switch (c.op) {
    case ConditionOperator::kAnswered: return answered;
    case ConditionOperator::kNotAnswered: return !answered;
    case ConditionOperator::kIn:
      if (const auto* code = std::get_if<Code>(&value)) {
        return std::find(c.codes.begin(), c.codes.end(), code->code) != c.codes.end();
      }
      return false;
    case ConditionOperator::kContainsAny:
      if (const auto* codes = std::get_if<Codes>(&value)) {
        return std::any_of(codes->codes.begin(), codes->codes.end(), [&](const std::string& x) {
          return std::find(c.codes.begin(), c.codes.end(), x) != c.codes.end();
        });
      }
      if (const auto* code = std::get_if<Code>(&value)) {
        return std::find(c.codes.begin(), c.codes.end(), code->code) != c.codes.end();
      }
      return false;
    default: break;
  }
  if (!answered) return false;
  const AnswerValue other = c.other_item_id.empty() ? c.value : Effective(c.other_item_id, subject);
  if (!HasValue(other)) return false;
  const std::optional<int> cmp = CompareValues(value, other);
  if (!cmp) return c.op == ConditionOperator::kNotEquals && value.index() != other.index();
  switch (c.op) {
    case ConditionOperator::kEquals: return *cmp == 0;
    case ConditionOperator::kNotEquals: return *cmp != 0;
    case ConditionOperator::kGreater: return *cmp > 0;
    case ConditionOperator::kGreaterOrEqual: return *cmp >= 0;
    case ConditionOperator::kLess: return *cmp < 0;
    case ConditionOperator::kLessOrEqual: return *cmp <= 0;
    default: return false;
  }
}

AnswerValue FormLogic::Calculate(const Item& item, const std::string& subject) {
  const Key key{item.id, subject};
  if (auto it = calc_memo_.find(key); it != calc_memo_.end()) return it->second;
  if (depth_ >= kMaxDepth) return std::monostate{};
  calc_memo_[key] = std::monostate{};  // a cycle reads "nothing"
  ++depth_;
  AnswerValue result;
  switch (item.calculated.kind) {
    case CalculationKind::kSum: {
      int64_t total = 0;
      bool any = false, overflow = false;
      auto add = [&](const AnswerValue& v) {
        std::optional<int64_t> amount;
        if (const auto* m = std::get_if<Money>(&v)) amount = m->ore;
        else if (const auto* i = std::get_if<int64_t>(&v)) amount = *i;
        if (!amount) return;
        any = true;
        if (__builtin_add_overflow(total, *amount, &total)) overflow = true;
      };
      for (const std::string& source_id : item.calculated.item_ids) {
        auto it = items_.find(source_id);
        if (it == items_.end()) continue;
        const Item& source = *it->second.item;
        if (source.scope == ItemScope::kAdult && subject.empty()) {
          for (const std::string& who : SubjectsOf(source)) add(Effective(source_id, who));
        } else {
          add(Effective(source_id, subject));
        }
      }
      if (overflow) {
        overflow_[key] = true;
      } else if (any) {
        if (item.type == ItemType::kMoney) result = Money{total};
        else result = total;
      }
      break;
    }
    case CalculationKind::kAge: {
      if (auto birth = BirthDate(subject); birth && !(*birth > today_)) {
        result = static_cast<int64_t>(AgeOn(*birth, today_));
      }
      break;
    }
    case CalculationKind::kCountChildren:
    case CalculationKind::kCountAdults: {
      const bool children = item.calculated.kind == CalculationKind::kCountChildren;
      result = static_cast<int64_t>(std::count_if(
          response_.household.persons.begin(), response_.household.persons.end(),
          [&](const Person& p) { return (p.role == HouseholdRole::kChild) == children; }));
      break;
    }
    case CalculationKind::kNone: break;
  }
  --depth_;
  calc_memo_[key] = result;
  return result;
}

bool FormLogic::Overflowed(const Item& item, const std::string& subject) {
  Calculate(item, subject);
  auto it = overflow_.find(Key{item.id, subject});
  return it != overflow_.end() && it->second;
}

AnswerWriter::AnswerWriter(Response& response) : response_(response), removed_(response.answers.size(), false) {
  for (size_t i = 0; i < response.answers.size(); ++i) {
    first_.emplace(std::make_pair(response.answers[i].item_id, response.answers[i].person_ref), i);
  }
}

const Answer* AnswerWriter::Find(const std::string& item_id, const std::string& person_ref) const {
  auto found = first_.find({item_id, person_ref});
  return found == first_.end() ? nullptr : &response_.answers[found->second];
}

Answer& AnswerWriter::Set(const std::string& item_id, const std::string& person_ref) {
  auto [found, added] = first_.try_emplace({item_id, person_ref}, response_.answers.size());
  if (added) {
    Answer a;
    a.item_id = item_id;
    a.person_ref = person_ref;
    response_.answers.push_back(std::move(a));
    removed_.push_back(false);
  }
  return response_.answers[found->second];
}

void AnswerWriter::Clear(const std::string& item_id, const std::string& person_ref) {
  auto found = first_.find({item_id, person_ref});
  if (found == first_.end()) return;
  removed_[found->second] = true;
  first_.erase(found);
}

void AnswerWriter::Finish() {
  size_t kept = 0;
  for (size_t i = 0; i < response_.answers.size(); ++i) {
    if (removed_[i]) continue;
    if (kept != i) response_.answers[kept] = std::move(response_.answers[i]);
    ++kept;
  }
  response_.answers.resize(kept);
  removed_.assign(kept, false);
  first_.clear();
  for (size_t i = 0; i < kept; ++i) {
    first_.emplace(std::make_pair(response_.answers[i].item_id, response_.answers[i].person_ref), i);
  }
}

std::vector<CalculatedChange> StoreCalculatedValues(const Definition& definition,
                                                    Response& response, Date today,
                                                    const std::string& at) {
  // Compute everything against a snapshot first, then write.
  std::vector<CalculatedChange> changes;
  {
    const Response snapshot = response;
    FormLogic logic(definition, snapshot, today);
    for (const Part& part : definition.parts) {
      for (const Section& section : part.sections) {
        for (const Item& item : section.items) {
          if (!item.is_calculated()) continue;
          for (const std::string& subject : logic.SubjectsOf(item)) {
            AnswerValue computed =
                logic.Enabled(item, subject) ? logic.Calculate(item, subject) : AnswerValue{};
            const Answer* stored = logic.Stored(item.id, subject);
            AnswerValue old = stored ? stored->value : AnswerValue{};
            if (old == computed) continue;
            changes.push_back({item.id, subject, std::move(old), std::move(computed)});
          }
        }
      }
    }
  }
  AnswerWriter writer(response);
  for (const CalculatedChange& c : changes) {
    if (!HasValue(c.new_value)) {
      writer.Clear(c.item_id, c.person_ref);
      continue;
    }
    Answer& a = writer.Set(c.item_id, c.person_ref);
    a.value = c.new_value;
    a.calculated = true;
    a.answered_at = at;
  }
  writer.Finish();
  return changes;
}

DependencyOrder OrderByDependencies(const ItemIndex& items) {
  DependencyOrder out;
  // Nodes are numbered in index order; references become adjacency lists once.
  std::vector<const Item*> node;
  node.reserve(items.size());
  std::map<std::string_view, size_t, std::less<>> number;
  for (const auto& [id, location] : items) {
    number.emplace(id, node.size());
    node.push_back(location.item);
  }
  const size_t n = node.size();
  std::vector<std::vector<size_t>> deps(n);
  for (size_t i = 0; i < n; ++i) {
    auto add = [&](const std::string& ref) {
      if (ref.empty()) return;
      if (auto it = number.find(ref); it != number.end()) deps[i].push_back(it->second);
    };
    for (const ConditionGroup* group : {&node[i]->enable_when, &node[i]->required_when}) {
      for (const Condition& c : group->conditions) {
        add(c.item_id);
        add(c.other_item_id);
      }
    }
    for (const std::string& source : node[i]->calculated.item_ids) add(source);
  }
  // Depth-first with an explicit stack: 0 unvisited, 1 on the stack, 2 done. A node is emitted
  // when all it depends on is done, so `order` lists dependencies first; a reference to a node
  // still on the stack closes a cycle.
  enum : uint8_t { kNew, kOnStack, kDone };
  std::vector<uint8_t> colour(n, kNew);
  std::vector<int64_t> depth(n, 0);
  struct Frame {
    size_t node;
    size_t next;
  };
  std::vector<Frame> stack;
  out.order.reserve(n);
  for (size_t root = 0; root < n; ++root) {
    if (colour[root] != kNew) continue;
    colour[root] = kOnStack;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      const size_t at = stack.back().node;
      if (stack.back().next < deps[at].size()) {
        const size_t next = deps[at][stack.back().next++];
        if (colour[next] == kNew) {
          colour[next] = kOnStack;
          stack.push_back({next, 0});
        } else if (colour[next] == kOnStack && out.cycle.empty()) {
          // Once per definition: the stack from `next` up to here is the cycle.
          size_t from = stack.size() - 1;
          while (stack[from].node != next) --from;
          for (size_t k = from; k < stack.size(); ++k) out.cycle.push_back(node[stack[k].node]->id);
          out.cycle.push_back(node[next]->id);
        }
        continue;
      }
      int64_t d = 0;
      for (size_t dep : deps[at]) {
        if (colour[dep] == kDone) d = std::max(d, depth[dep] + 1);
      }
      depth[at] = d;
      colour[at] = kDone;
      out.order.push_back(node[at]);
      if (out.deepest == nullptr || d > out.longest_chain) {
        out.longest_chain = d;
        out.deepest = node[at];
      }
      stack.pop_back();
    }
  }
  return out;
}

std::vector<Problem> LogicProblems(const Definition& /*definition*/, const ItemIndex& items,
                                   const Limits& limits) {
  std::vector<Problem> problems;
  auto add = [&](const ItemLocation& at, std::string path, const std::string& en) {
    Problem p;
    p.code = "invalid_definition";
    p.path = std::move(path);
    p.item_id = at.item->id;
    p.part = at.part;
    p.message = {"Fel i definitionen: " + en, "Definition error: " + en};
    problems.push_back(std::move(p));
  };
  for (const auto& entry : items) {
    // A plain reference, not a structured binding: the lambdas below capture it.
    const auto& location = entry.second;
    const Item& item = *location.item;
    const std::string path = ItemPath(location);
    auto check_ref = [&](const std::string& ref, const std::string& where) {
      if (!ref.empty() && !items.count(ref)) {
        add(location, path + "." + where, "item '" + item.id + "' " + where + " names unknown item '" + ref + "'");
      }
    };
    auto check_group = [&](const ConditionGroup& group, const std::string& where) {
      for (const Condition& c : group.conditions) {
        check_ref(c.item_id, where);
        check_ref(c.other_item_id, where);
        if (c.op == ConditionOperator::kUnspecified) {
          add(location, path + "." + where, "item '" + item.id + "' " + where + " has a condition without operator");
        }
        const bool needs_value = c.op >= ConditionOperator::kEquals && c.op <= ConditionOperator::kLessOrEqual;
        if (needs_value && c.other_item_id.empty() && !HasValue(c.value)) {
          add(location, path + "." + where, "item '" + item.id + "' " + where + " compares with no value");
        }
        if ((c.op == ConditionOperator::kIn || c.op == ConditionOperator::kContainsAny) && c.codes.empty()) {
          add(location, path + "." + where, "item '" + item.id + "' " + where + " lists no codes");
        }
      }
    };
    check_group(item.enable_when, "enable_when");
    check_group(item.required_when, "required_when");
    for (const std::string& source : item.calculated.item_ids) check_ref(source, "calculated");
    for (size_t i = 0; i < item.constraints.size(); ++i) {
      const Constraint& c = item.constraints[i];
      const std::string where = "constraints[" + std::to_string(i) + "]";
      check_group(c.applies_when, where + ".applies_when");
      if (c.kind == ConstraintKind::kUnspecified) {
        add(location, path + "." + where, "item '" + item.id + "' has a constraint without kind");
      }
      if (c.kind == ConstraintKind::kCompareItem) {
        if (c.other_item_id.empty() || c.op == ConditionOperator::kUnspecified) {
          add(location, path + "." + where, "item '" + item.id + "' compare constraint needs other_item_id and operator");
        } else if (!items.count(c.other_item_id)) {
          add(location, path + "." + where, "item '" + item.id + "' constraint names unknown item '" + c.other_item_id + "'");
        }
      }
      if (c.kind == ConstraintKind::kPattern && c.compiled == nullptr) {
        Pattern::Refusal refusal;
        if (Pattern::Compile(c.pattern, limits, &refusal) == nullptr) {
          if (refusal.limit) {
            Problem p = FieldProblem(path + "." + where + ".pattern", kLimitExceeded, refusal.message);
            p.item_id = item.id;
            p.part = location.part;
            problems.push_back(std::move(p));
          } else {
            add(location, path + "." + where + ".pattern", "item '" + item.id + "' has an " + refusal.message.en);
          }
        }
      }
      if (c.kind == ConstraintKind::kAgeBetween && !c.min && !c.max) {
        add(location, path + "." + where, "item '" + item.id + "' age constraint needs min or max");
      }
    }
    if (item.is_calculated()) {
      if (item.calculated.kind == CalculationKind::kSum && item.calculated.item_ids.empty()) {
        add(location, path + ".calculated", "item '" + item.id + "' sums no items");
      }
      if (item.calculated.kind == CalculationKind::kSum && item.type != ItemType::kMoney &&
          item.type != ItemType::kInteger) {
        add(location, path + ".calculated", "item '" + item.id + "' is a sum but neither money nor integer");
      }
      if (item.calculated.kind != CalculationKind::kSum && item.type != ItemType::kInteger) {
        add(location, path + ".calculated", "item '" + item.id + "' is a count or an age but not integer");
      }
    }
  }
  const DependencyOrder order = OrderByDependencies(items);
  if (!order.cycle.empty()) {
    // At most 20 ids in the message: a cycle through 60 000 items is named, not listed.
    std::string through;
    for (size_t i = 0; i < order.cycle.size() && i < 20; ++i) through += (i ? " -> '" : "'") + order.cycle[i] + "'";
    if (order.cycle.size() > 20) through += " -> … (" + std::to_string(order.cycle.size() - 1) + " items)";
    const ItemLocation& at = items.find(order.cycle.front())->second;
    add(at, ItemPath(at), "cycle in the logic through items " + through);
  } else if (order.longest_chain > limits.logic_depth) {
    const ItemLocation& at = items.find(order.deepest->id)->second;
    Problem p = LimitProblem(ItemPath(at), order.longest_chain, limits.logic_depth,
                             "levels of logic (items whose enable_when, required_when or calculation depend on one another in a chain)",
                             "nivåer av logik (frågor vars villkor eller beräkningar beror på varandra i en kedja)");
    p.item_id = at.item->id;
    p.part = at.part;
    problems.push_back(std::move(p));
  }
  return problems;
}

}  // namespace ix::core::forms
