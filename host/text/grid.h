// One terminal grid for every table polyhost prints: a bold header, a rule of box-drawing lines,
// columns two spaces apart, each left- or right-aligned, and rows that may be painted red.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace polyhost::text {

enum class Align { Left, Right };

struct Grid {
  std::vector<std::string> header;
  std::vector<Align> align;  // per column
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> failed;  // per row, optional: painted red when COLOR is set

  void add_row(std::vector<std::string> cells, bool row_failed = false) {
    rows.push_back(std::move(cells));
    failed.push_back(row_failed);
  }
};

// A last, left-aligned column gets no trailing spaces. COLOR: the header bold, failed rows red.
// Control characters in cells (a workload named with a newline or an ESC) are shown escaped
// (escape_controls), so no cell can break a row or paint the table.
void write_grid(const Grid& grid, std::ostream& out, bool color);

// TEXT in the terminal's red (when COLOR is set).
std::string paint_red(const std::string& text, bool color);

}  // namespace polyhost::text
