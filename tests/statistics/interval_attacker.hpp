// An attacker on published statistics, written independently of the suppression code
// (instrument-x/statistics/src/disclosure.cpp): its own elimination and interval propagation.
// Shared by the single-report attacks (disclosure_test.cpp) and the network attack
// (network_test.cpp).
#ifndef IX_TESTS_STATISTICS_INTERVAL_ATTACKER_HPP
#define IX_TESTS_STATISTICS_INTERVAL_ATTACKER_HPP

#include <ix/statistics/publication.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "ix/v1/network.pb.h"

namespace ix::test {
namespace stats = ix::statistics;
using stats::CellStatus;

// What is published about one municipality: its protected publications (the attacker reads
// only the shown counts and the structure — tables, totals, links — that the report defines).
struct Published {
  std::string municipality;
  std::vector<stats::Publication> publications;
};

// Hidden cells as unknowns x >= 0 (primary ones in 1..threshold−1), every published relation
// as an equation over them, then (1) Gauss–Jordan elimination (dense per connected component,
// partial pivoting): a row with one unknown left pins it; (2) interval propagation over the
// original and the eliminated equations until nothing narrows: an unknown whose integer
// interval is one value is pinned.
class Attacker {
 public:
  explicit Attacker(int threshold) : threshold_(threshold) {}

  // Returns the unknown of a cell, or its value when shown.
  struct Term {
    int var = -1;
    int64_t value = 0;
  };

  void AddMunicipality(const Published& m) {
    for (size_t p = 0; p < m.publications.size(); ++p) {
      const stats::Publication& pub = m.publications[p];
      std::vector<std::vector<std::string>> row_keys(pub.tables.size());
      for (size_t t = 0; t < pub.tables.size(); ++t) {
        const stats::CountTable& table = pub.tables[t];
        if (table.measure) continue;  // values computed from counts (days), in no equation
        std::vector<std::string> labels;
        for (const auto& label : table.row_labels) labels.push_back(label.en);
        row_keys[t] = RowKeys(labels, table.column_totals);
        for (int r = 0; r < table.ExtRows(); ++r) {
          for (int c = 0; c < table.ExtColumns(); ++c) {
            const Key key{m.municipality, table.id, row_keys[t][static_cast<size_t>(r)], c};
            if (table.StatusAt(r, c) == CellStatus::kShown) {
              terms_[key] = {-1, table.At(r, c)};
            } else {
              const int v = static_cast<int>(lo_.size());
              const bool primary = table.StatusAt(r, c) == CellStatus::kPrimary;
              lo_.push_back(primary ? 1 : 0);
              hi_.push_back(primary ? threshold_ - 1 : kInf);
              truth_.push_back(table.At(r, c));  // only to check the attacker is sound
              names_.push_back(m.municipality + " " + table.id + " row " + std::to_string(r) + " column " + std::to_string(c));
              terms_[key] = {v, 0};
            }
          }
        }
      }
      auto term = [&](int t, int r, int c) {
        const stats::CountTable& table = pub.tables[static_cast<size_t>(t)];
        return terms_.at({m.municipality, table.id, row_keys[static_cast<size_t>(t)][static_cast<size_t>(r)], c});
      };
      // Each table's lines add up to their totals.
      for (int t = 0; t < static_cast<int>(pub.tables.size()); ++t) {
        const stats::CountTable& table = pub.tables[static_cast<size_t>(t)];
        if (table.measure) continue;
        if (table.row_totals) {
          for (int r = 0; r < table.ExtRows(); ++r) {
            std::vector<std::pair<Term, double>> eq;
            for (int c = 0; c < table.Columns(); ++c) eq.push_back({term(t, r, c), 1});
            eq.push_back({term(t, r, table.Columns()), -1});
            AddEquation(eq, 0);
          }
        }
        if (table.column_totals) {
          for (int c = 0; c < table.ExtColumns(); ++c) {
            std::vector<std::pair<Term, double>> eq;
            for (int r = 0; r < table.Rows(); ++r) eq.push_back({term(t, r, c), 1});
            eq.push_back({term(t, table.Rows(), c), -1});
            AddEquation(eq, 0);
          }
        }
      }
      // The links the report publishes between its tables.
      for (const stats::SumLink& link : pub.links) {
        std::vector<std::pair<Term, double>> eq;
        for (const stats::CellRef& part : link.parts) eq.push_back({term(part.table, part.row, part.column), 1});
        eq.push_back({term(link.total.table, link.total.row, link.total.column), -1});
        AddEquation(eq, 0);
      }
    }
  }

  // Every shown network total: the sum of the municipalities' cells (a row a municipality does
  // not list is zero there).
  void AddNetworkReport(const v1::NetworkReport& report) {
    for (const v1::NetworkTable& t : report.tables()) {
      const v1::StatisticsTable& network = t.network();
      std::vector<std::string> labels;
      bool total_row = false;
      for (const auto& row : network.rows()) {
        if (row.total()) total_row = true;
        else labels.push_back(row.label());
      }
      const std::vector<std::string> keys = RowKeys(labels, total_row);
      for (int r = 0; r < network.rows_size(); ++r) {
        const std::string row = keys[static_cast<size_t>(r)];
        for (int c = 0; c < network.rows(r).cells_size(); ++c) {
          const v1::StatisticsCell& cell = network.rows(r).cells(c);
          if (!cell.has_count()) continue;
          ++network_equations_;
          std::vector<std::pair<Term, double>> eq;
          for (const std::string& m : t.municipality_codes()) {
            const auto it = terms_.find({m, t.id(), row, c});
            if (it != terms_.end()) eq.push_back({it->second, 1});
          }
          AddEquation(eq, static_cast<double>(cell.count()));
        }
      }
    }
  }

  // An unknown pinned to one value: by elimination alone (a derived equation in it alone), or
  // only once the intervals were propagated.
  struct Pin {
    std::string cell;
    int64_t value = 0;
    bool linear = false;
    friend bool operator<(const Pin& a, const Pin& b) { return a.cell < b.cell; }
  };
  std::set<Pin> Attack() {
    Eliminate();
    Propagate();
    std::set<Pin> pinned;
    for (size_t v = 0; v < lo_.size(); ++v) {
      EXPECT_LE(lo_[v], static_cast<double>(truth_[v]) + 1e-6) << names_[v] << ": the attacker is unsound";
      EXPECT_GE(hi_[v], static_cast<double>(truth_[v]) - 1e-6) << names_[v] << ": the attacker is unsound";
      if (pinned_[v] || hi_[v] - lo_[v] < 0.5) pinned.insert({names_[v], truth_[v], pinned_[v]});
    }
    return pinned;
  }

  size_t unknowns() const { return lo_.size(); }
  int network_equations() const { return network_equations_; }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  using Key = std::tuple<std::string, std::string, std::string, int>;  // municipality, table, row, column
  struct Equation {
    std::vector<std::pair<int, double>> terms;
    double rhs = 0;
  };

  // A key per row: its label (numbered from the second time it occurs in a table), then the
  // total row.
  static std::vector<std::string> RowKeys(const std::vector<std::string>& labels, bool total_row) {
    std::vector<std::string> keys;
    std::map<std::string, int> seen;
    for (const std::string& label : labels) {
      const int n = seen[label]++;
      keys.push_back(n == 0 ? label : label + "#" + std::to_string(n));
    }
    if (total_row) keys.push_back("#total");
    return keys;
  }

  void AddEquation(const std::vector<std::pair<Term, double>>& eq, double rhs) {
    Equation e;
    e.rhs = rhs;
    std::map<int, double> coef;
    for (const auto& [term, a] : eq) {
      if (term.var < 0) e.rhs -= a * static_cast<double>(term.value);
      else coef[term.var] += a;
    }
    for (const auto& [v, a] : coef) {
      if (a != 0) e.terms.emplace_back(v, a);
    }
    if (!e.terms.empty()) equations_.push_back(std::move(e));
  }

  void Eliminate() {
    const size_t n = lo_.size();
    pinned_.assign(n, false);
    // Connected components of unknowns (union–find over the equations).
    std::vector<size_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    std::function<size_t(size_t)> find = [&](size_t x) { return parent[x] == x ? x : parent[x] = find(parent[x]); };
    for (const Equation& e : equations_) {
      for (const auto& [v, a] : e.terms) parent[find(static_cast<size_t>(v))] = find(static_cast<size_t>(e.terms.front().first));
    }
    std::map<size_t, std::vector<size_t>> eqs_of;
    for (size_t i = 0; i < equations_.size(); ++i) eqs_of[find(static_cast<size_t>(equations_[i].terms.front().first))].push_back(i);
    for (const auto& [root, eqs] : eqs_of) {
      std::vector<int> vars;
      std::map<int, size_t> column;
      for (size_t i : eqs) {
        for (const auto& [v, a] : equations_[i].terms) {
          if (column.emplace(v, vars.size()).second) vars.push_back(v);
        }
      }
      const size_t cols = vars.size();
      std::vector<std::vector<double>> m;
      for (size_t i : eqs) {
        std::vector<double> row(cols + 1, 0.0);
        for (const auto& [v, a] : equations_[i].terms) row[column[v]] = a;
        row[cols] = equations_[i].rhs;
        m.push_back(std::move(row));
      }
      size_t rank = 0;
      for (size_t c = 0; c < cols && rank < m.size(); ++c) {
        size_t best = rank;
        for (size_t r = rank; r < m.size(); ++r) {
          if (std::fabs(m[r][c]) > std::fabs(m[best][c])) best = r;
        }
        if (std::fabs(m[best][c]) < 1e-9) continue;
        std::swap(m[rank], m[best]);
        const double p = m[rank][c];
        for (double& x : m[rank]) x /= p;
        for (size_t r = 0; r < m.size(); ++r) {
          if (r == rank || std::fabs(m[r][c]) < 1e-12) continue;
          const double f = m[r][c];
          for (size_t k = c; k <= cols; ++k) m[r][k] -= f * m[rank][k];
        }
        ++rank;
      }
      for (size_t r = 0; r < rank; ++r) {
        Equation derived;
        derived.rhs = m[r][cols];
        for (size_t k = 0; k < cols; ++k) {
          if (std::fabs(m[r][k]) > 1e-9) derived.terms.emplace_back(vars[k], m[r][k]);
        }
        if (derived.terms.size() == 1) pinned_[static_cast<size_t>(derived.terms.front().first)] = true;
        if (!derived.terms.empty()) derived_.push_back(std::move(derived));
      }
    }
  }

  void Propagate() {
    std::vector<const Equation*> all;
    for (const Equation& e : equations_) all.push_back(&e);
    for (const Equation& e : derived_) all.push_back(&e);
    for (int pass = 0; pass < 60; ++pass) {
      bool changed = false;
      for (const Equation* e : all) {
        // sum a_i x_i = rhs: each x_j within (rhs − the others' extreme sums) / a_j. Infinite
        // bounds are counted apart, so one unbounded unknown does not hide the others' sums.
        double min_finite = 0, max_finite = 0;
        int min_infinite = 0, max_infinite = 0;
        auto extremes = [&](int v, double a) {
          const size_t j = static_cast<size_t>(v);
          return std::pair{a > 0 ? a * lo_[j] : a * hi_[j], a > 0 ? a * hi_[j] : a * lo_[j]};
        };
        for (const auto& [v, a] : e->terms) {
          const auto [low, high] = extremes(v, a);
          if (std::isinf(low)) ++min_infinite; else min_finite += low;
          if (std::isinf(high)) ++max_infinite; else max_finite += high;
        }
        for (const auto& [v, a] : e->terms) {
          const size_t j = static_cast<size_t>(v);
          const auto [own_min, own_max] = extremes(v, a);
          const bool min_inf = std::isinf(own_min), max_inf = std::isinf(own_max);
          const double others_min = min_infinite - (min_inf ? 1 : 0) > 0 ? -kInf : min_finite - (min_inf ? 0 : own_min);
          const double others_max = max_infinite - (max_inf ? 1 : 0) > 0 ? kInf : max_finite - (max_inf ? 0 : own_max);
          double lo = (e->rhs - others_max) / a, hi = (e->rhs - others_min) / a;
          if (a < 0) std::swap(lo, hi);
          lo = std::ceil(lo - 1e-6);
          hi = std::floor(hi + 1e-6);
          if (lo > lo_[j]) lo_[j] = lo, changed = true;
          if (hi < hi_[j]) hi_[j] = hi, changed = true;
        }
      }
      if (!changed) break;
    }
  }

  int threshold_;
  std::map<Key, Term> terms_;
  std::vector<double> lo_, hi_;
  std::vector<int64_t> truth_;
  std::vector<std::string> names_;
  std::vector<bool> pinned_;
  std::vector<Equation> equations_, derived_;
  int network_equations_ = 0;
};

}  // namespace ix::test

#endif  // IX_TESTS_STATISTICS_INTERVAL_ATTACKER_HPP
