#include "records.hpp"

#include <ix/adapters/fieldcodes/fieldcodes.hpp>
#include <ix/adapters/vendor_json.hpp>

#include <algorithm>

namespace ix::adapters::fieldcodes::internal {

Result<std::vector<Row>> ParseRows(std::string_view text, std::string_view source, char delimiter) {
  const std::string where(source);
  if (text.size() > kMaxVendorDocumentBytes) {
    return Status(StatusCode::kInvalidArgument, where + ": " + std::to_string(text.size()) +
                                                    " bytes, more than the limit of " +
                                                    std::to_string(kMaxVendorDocumentBytes));
  }
  if (!IsValidUtf8(text)) return Status(StatusCode::kInvalidArgument, where + ": not UTF-8 text");
  // Lines and line lengths are checked before any row is built (one linear pass).
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) +
                            (text.empty() || text.back() == '\n' ? 0 : 1);
  if (lines > kMaxRecordLines) {
    return InvalidField(where, std::to_string(lines) + " lines, at most " + std::to_string(kMaxRecordLines));
  }
  for (std::size_t start = 0, number = 1; start < text.size(); ++number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end - start > kMaxRecordLineBytes) {
      return InvalidField(where + ":" + std::to_string(number), std::to_string(end - start) + " bytes, at most " +
                                                                    std::to_string(kMaxRecordLineBytes) + " per line");
    }
    start = end + 1;
  }
  std::vector<Row> rows;
  Row row;
  std::string cell;
  int line = 1;
  row.line = 1;
  bool quoted = false;
  bool was_quoted = false;
  auto end_cell = [&] {
    row.cells.push_back(std::move(cell));
    cell.clear();
    was_quoted = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      if (!cell.empty() || was_quoted) {
        return Status(StatusCode::kInvalidArgument,
                      where + ":" + std::to_string(line) + ": a quote inside an unquoted cell");
      }
      quoted = true;
      was_quoted = true;
    } else if (c == delimiter) {
      end_cell();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      end_cell();
      if (!(row.cells.size() == 1 && row.cells[0].empty())) rows.push_back(std::move(row));
      row = Row{};
      row.line = ++line;
    } else {
      if (was_quoted) {
        return Status(StatusCode::kInvalidArgument,
                      where + ":" + std::to_string(line) + ": text after a closing quote");
      }
      cell += c;
    }
  }
  if (quoted) return Status(StatusCode::kInvalidArgument, where + ":" + std::to_string(row.line) + ": unclosed quote");
  if (!cell.empty() || !row.cells.empty() || was_quoted) {
    end_cell();
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string FormatRow(const std::vector<std::string>& cells, char delimiter) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += delimiter;
    const std::string& cell = cells[i];
    if (cell.find_first_of(std::string("\"\r\n") + delimiter) == std::string::npos) {
      out += cell;
      continue;
    }
    out += '"';
    for (char c : cell) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += '\n';
  return out;
}

}  // namespace ix::adapters::fieldcodes::internal
