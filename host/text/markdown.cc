#include "host/text/markdown.h"

#include <algorithm>
#include <string_view>

namespace polyhost::text::markdown {
namespace {

// CELL made safe inside a table row.
std::string table_cell(const std::string& cell) {
  std::string out;
  std::size_t backslashes = 0;
  for (char c : cell) {
    if (c == '\n' || c == '\r') c = ' ';
    if (c == '|' && backslashes % 2 == 0) out += '\\';
    backslashes = c == '\\' ? backslashes + 1 : 0;
    out += c;
  }
  return out;
}

void write_row(std::ostream& out, const std::vector<std::string>& cells) {
  out << '|';
  for (const auto& cell : cells) out << ' ' << table_cell(cell) << " |";
  out << '\n';
}

}  // namespace

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_[]<>|#~").find(c) != std::string_view::npos) out += '\\';  // ~: GFM's strikethrough
    out += c;
  }
  return out;
}

std::string code(const std::string& text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

std::string bold(const std::string& text) { return "**" + text + "**"; }

void write_table(std::ostream& out, const std::vector<std::string>& header, const std::vector<Align>& align,
                 const std::vector<std::vector<std::string>>& rows) {
  write_row(out, header);
  std::vector<std::string> rule;
  for (Align a : align) rule.push_back(a == Align::Right ? "---:" : ":---");
  write_row(out, rule);
  for (const auto& row : rows) write_row(out, row);
}

}  // namespace polyhost::text::markdown
