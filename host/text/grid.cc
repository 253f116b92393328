#include "host/text/grid.h"

#include <algorithm>

#include "host/text/layout.h"

namespace polyhost::text {
namespace {

constexpr const char* kGap = "  ";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kReset = "\x1b[0m";

std::string paint(const std::string& text, const char* style, bool color) { return color ? style + text + kReset : text; }

std::vector<std::string> escaped(const std::vector<std::string>& cells) {
  std::vector<std::string> out;
  out.reserve(cells.size());
  for (const auto& cell : cells) out.push_back(escape_controls(cell));
  return out;
}

}  // namespace

std::string paint_red(const std::string& text, bool color) { return paint(text, kRed, color); }

void write_grid(const Grid& given, std::ostream& out, bool color) {
  Grid grid = given;
  grid.header = escaped(grid.header);
  for (auto& cells : grid.rows) cells = escaped(cells);
  std::vector<std::size_t> widths(grid.header.size());
  for (std::size_t i = 0; i < grid.header.size(); ++i) {
    widths[i] = display_width(grid.header[i]);
    for (const auto& cells : grid.rows) widths[i] = std::max(widths[i], display_width(cells[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) text += kGap;
      const bool right = grid.align[i] == Align::Right;
      const bool last = i + 1 == cells.size();
      text += right ? pad_left(cells[i], widths[i]) : last ? cells[i] : pad_right(cells[i], widths[i]);
    }
    return text;
  };
  out << paint(line(grid.header), kBold, color) << '\n';
  std::string rule;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (i) rule += kGap;
    for (std::size_t k = 0; k < widths[i]; ++k) rule += "\u2500";
  }
  out << rule << '\n';
  for (std::size_t r = 0; r < grid.rows.size(); ++r) {
    const bool red = r < grid.failed.size() && grid.failed[r];
    out << (red ? paint(line(grid.rows[r]), kRed, color) : line(grid.rows[r])) << '\n';
  }
}

}  // namespace polyhost::text
