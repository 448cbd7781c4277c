// The form's logic over one response: which items are enabled (asked), which are required,
// and the values of calculated items. Pure: "today" is passed in.
//
// Semantics (docs/forms.md):
// - An adult item is evaluated per adult; a household item once (subject "").
// - A condition names another item. For an adult subject it reads that item's answer of the
//   same person (or the household answer, for a household item). For the household subject
//   an adult item's condition holds when it holds for any adult.
// - An answer to an item that is itself disabled counts as not answered, so answers that
//   depend on a flipped condition disappear from the logic in a chain (but not from the
//   response: validation reports them).
// - Calculated items take their computed value; typed answers to them are ignored.
//
// Cost: the constructor settles every item's state for every subject in dependency order
// (OrderByDependencies), so each later question is a lookup and the evaluation never recurses
// along a chain of items: O((items + conditions) × adults × log items) per response.
#ifndef IX_CORE_FORMS_LOGIC_HPP
#define IX_CORE_FORMS_LOGIC_HPP

#include <ix/core/definition.hpp>
#include <ix/core/model.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ix::core::forms {

// -1, 0, 1 when the two values are of comparable kinds (bool, code, integer/rating, money,
// date, decimal, text); nullopt otherwise (e.g. a date against a code).
std::optional<int> CompareValues(const AnswerValue& a, const AnswerValue& b);

bool HasValue(const AnswerValue& value);

class FormLogic {
 public:
  // Keeps references to both: they must outlive the FormLogic.
  FormLogic(const Definition& definition, const Response& response, Date today);
  FormLogic(Definition&&, const Response&, Date) = delete;
  FormLogic(const Definition&, Response&&, Date) = delete;

  const Definition& definition() const { return definition_; }
  const ItemIndex& items() const { return items_; }

  // The adults of the household (role other than child), with a person_ref.
  const std::vector<const Person*>& adults() const { return adults_; }
  // "" for household items, else every adult's person_ref.
  std::vector<std::string> SubjectsOf(const Item& item) const;

  bool Enabled(const Item& item, const std::string& subject);
  bool Required(const Item& item, const std::string& subject);
  bool Holds(const ConditionGroup& group, const std::string& subject);

  // The value the logic sees for (item, subject): the computed value of a calculated item, the
  // stored answer of an enabled item, or nothing (monostate).
  AnswerValue Effective(const std::string& item_id, const std::string& subject);
  // The computed value of a calculated item (monostate when it cannot be computed).
  AnswerValue Calculate(const Item& item, const std::string& subject);
  // True when a SUM overflowed int64 (reported by validation, never wrapped).
  bool Overflowed(const Item& item, const std::string& subject);

  const Answer* Stored(const std::string& item_id, const std::string& subject) const;
  const Person* FindPerson(const std::string& person_ref) const;
  std::optional<Date> BirthDate(const std::string& person_ref) const;
  Date today() const { return today_; }

 private:
  bool EvaluateCondition(const Condition& c, const std::string& subject);
  bool EvaluateFor(const Condition& c, const AnswerValue& value, const std::string& subject);

  using Key = std::pair<std::string, std::string>;
  const Definition& definition_;
  const Response& response_;
  Date today_;
  ItemIndex items_;
  std::map<Key, const Answer*> answers_;  // the first answer per (item, person)
  std::vector<const Person*> adults_;
  std::vector<std::string> adult_subjects_;  // adults' person_refs, each once
  std::map<Key, int> enabled_memo_;  // 0 in progress, 1 enabled, 2 disabled
  std::map<Key, AnswerValue> calc_memo_;
  std::map<Key, bool> overflow_;
  int depth_ = 0;
};

// Sets and clears a response's answers by (item, person) — the first answer per key — through
// an index built once: O(log answers) per change instead of a scan, and cleared answers are
// removed in one pass by Finish() (keeping the others' order). Holds `response` by reference.
class AnswerWriter {
 public:
  explicit AnswerWriter(Response& response);
  const Answer* Find(const std::string& item_id, const std::string& person_ref) const;
  // The answer for (item, person), appended when there is none.
  Answer& Set(const std::string& item_id, const std::string& person_ref);
  void Clear(const std::string& item_id, const std::string& person_ref);
  // Removes the cleared answers. Call once, after the last change.
  void Finish();

 private:
  Response& response_;
  std::map<std::pair<std::string, std::string>, size_t> first_;
  std::vector<bool> removed_;
};

// Fills in every calculated value as stored answers (flag `calculated`), removing stale ones.
// Returns the changes made as (item, person, old, new) for the change trail.
struct CalculatedChange {
  std::string item_id;
  std::string person_ref;
  AnswerValue old_value;
  AnswerValue new_value;
};
std::vector<CalculatedChange> StoreCalculatedValues(const Definition& definition,
                                                    Response& response, Date today,
                                                    const std::string& at);

// The items of a definition in dependency order: each item after the items its state depends on
// (those its enable_when and required_when conditions name, item_id and other_item_id, and its
// calculation's sources). Found by an iterative depth-first walk (an explicit stack, never
// recursion): O(items + references), whatever the length of a chain.
struct DependencyOrder {
  std::vector<const Item*> order;  // every indexed item once
  // The first cycle found, as item ids a, b, …, a (the order then breaks it at the closing
  // reference); empty when the logic has none.
  std::vector<std::string> cycle;
  int64_t longest_chain = 0;       // references along the longest chain of dependencies
  const Item* deepest = nullptr;   // the item at the end of that chain
};
DependencyOrder OrderByDependencies(const ItemIndex& items);

// Problems of a definition's logic: conditions naming unknown items, operators without
// operands, patterns that do not compile within the limits (kLimitExceeded when over a pattern
// limit), a cycle in enable_when/required_when/calculations, a dependency chain longer than
// limits.logic_depth (kLimitExceeded). Paths name the item. Used by CheckDefinition.
std::vector<Problem> LogicProblems(const Definition& definition, const ItemIndex& items, const Limits& limits);

}  // namespace ix::core::forms

#endif  // IX_CORE_FORMS_LOGIC_HPP
