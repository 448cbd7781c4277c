// Delimited text with RFC 4180 quoting: the flat records' file format.
#ifndef IX_ADAPTERS_FIELDCODES_RECORDS_HPP
#define IX_ADAPTERS_FIELDCODES_RECORDS_HPP

#include <ix/base/status.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ix::adapters::fieldcodes::internal {

struct Row {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> cells;
};

// Errors name `source`, the line and what is wrong (never a cell's content).
Result<std::vector<Row>> ParseRows(std::string_view text, std::string_view source, char delimiter);
std::string FormatRow(const std::vector<std::string>& cells, char delimiter);

}  // namespace ix::adapters::fieldcodes::internal

#endif  // IX_ADAPTERS_FIELDCODES_RECORDS_HPP
