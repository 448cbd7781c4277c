// FHIR SDC (Structured Data Capture) logic of a definition as FHIRPath: what R4 core's
// enableWhen/required cannot say (enable-when across the household and its adults, conditional
// required, constraints, calculations) as `variable`, `enableWhenExpression`,
// `calculatedExpression` and `targetConstraint` extensions. Every expression is generated from
// the definition's own condition, constraint and calculation data (the data the plugin's
// validation evaluates), never written per item.
//
// Scopes (the layout of fhir.hpp):
// - the Questionnaire root holds the household items' variables; %resource is the response;
// - the repeating "adult" group holds the adult items' variables, evaluated once per adult
//   with %context = that adult's group (a renderer keeps one group per adult, answered or not).
// Variables hold primitive values only (strings, numbers, booleans), so an engine may keep them
// as plain values:
//   en<Item>  the item is enabled (asked)       v<Item>  the value the logic sees: the answer
//   (choice: its code; money: kronor; date: 'YYYY-MM-DD') or the calculated value, empty when
//   the item is disabled or unanswered.
// A household item conditioned on an adult item holds when it holds for any adult: such
// expressions walk the adult groups from %resource with the adult's logic written inline.
#ifndef IX_ADAPTERS_FHIR_SDC_HPP
#define IX_ADAPTERS_FHIR_SDC_HPP

#include <ix/adapters/fhir/fhir.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ix::adapters::fhir::sdc {

inline constexpr std::string_view kVariable = "http://hl7.org/fhir/StructureDefinition/variable";
inline constexpr std::string_view kEnableWhenExpression =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";
inline constexpr std::string_view kCalculatedExpression =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";
inline constexpr std::string_view kTargetConstraint = "http://hl7.org/fhir/StructureDefinition/targetConstraint";
// The SDC profile that defines the behaviour extensions above.
inline constexpr std::string_view kBehaveProfile =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-behave";

struct Variable {
  std::string name;
  std::string expression;
};

struct TargetConstraint {
  std::string key;         // an id: "<item>-<what>"
  std::string severity;    // "error" or "warning"
  std::string expression;  // true when the rule holds
  std::string human;       // the rule in words (the definition's message when it has one)
};

// What cannot be said in FHIRPath, per definition path (items[<id>].enable_when, …).
struct Gap {
  std::string path;
  std::string why;
};

class Logic {
 public:
  Logic(const v1::Definition& definition, const Options& options);

  const std::vector<Variable>& root_variables() const { return root_variables_; }
  const std::vector<Variable>& adult_variables() const { return adult_variables_; }
  // Conditional "required" (required_when that is not the item's enable-when): on the root for
  // household items, on the adult group for adult items (an unanswered item has no response
  // item to carry a constraint).
  const std::vector<TargetConstraint>& root_constraints() const { return root_constraints_; }
  const std::vector<TargetConstraint>& adult_constraints() const { return adult_constraints_; }

  // "%en<Item>" for an item with an expressible enable-when; nullopt otherwise.
  std::optional<std::string> Enabled(const v1::Item& item) const;
  std::optional<std::string> Calculated(const v1::Item& item) const;
  std::vector<TargetConstraint> Constraints(const v1::Item& item) const;
  // Whether required_when must be carried as a constraint (differs from enable_when).
  const std::vector<Gap>& gaps() const { return gaps_; }

 private:
  std::vector<Variable> root_variables_;
  std::vector<Variable> adult_variables_;
  std::vector<TargetConstraint> root_constraints_;
  std::vector<TargetConstraint> adult_constraints_;
  std::map<std::string, std::string> enabled_;     // item id -> expression
  std::map<std::string, std::string> calculated_;  // item id -> expression
  std::map<std::string, std::vector<TargetConstraint>> constraints_;
  std::vector<Gap> gaps_;
};

}  // namespace ix::adapters::fhir::sdc

#endif  // IX_ADAPTERS_FHIR_SDC_HPP
