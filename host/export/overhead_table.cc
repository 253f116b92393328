// The overhead matrix on the terminal: ns per call with an error bar, then the relative cost.
#include <functional>

#include "host/export/exporters.h"
#include "host/export/overhead_peers.h"
#include "host/export/overhead_view.h"
#include "host/text/grid.h"
#include "host/text/layout.h"

namespace polyhost {
namespace {

void write_matrix(const std::vector<std::string>& bindings, const std::vector<std::vector<std::string>>& rows,
                  std::ostream& out) {
  text::Grid grid;
  grid.header = {"case"};
  grid.align = {text::Align::Left};
  for (const auto& b : bindings) {
    grid.header.push_back(b);
    grid.align.push_back(text::Align::Right);
  }
  for (const auto& row : rows) grid.add_row(row);
  text::write_grid(grid, out, false);
}

}  // namespace

void write_overhead_table(const OverheadMatrix& matrix, std::ostream& out) {
  out << "ns per call: median \u00b1 the wider side of its " << overhead_interval_name(matrix) << "; "
      << matrix.settings.processes << " processes x " << matrix.settings.repeats
      << " calibrated loops; the intervals themselves in --json / --markdown\n";
  // One grid per calling language (the floor in each): all the columns in one grid would be too wide.
  const auto grids = [&](const std::vector<std::string>& names, const std::function<std::string(const OverheadCell*)>& cell) {
    bool first = true;
    for (const auto& group : bindings_by_family(matrix, names)) {
      if (!first) out << '\n';
      first = false;
      write_matrix(group, matrix_rows(matrix, group, cell), out);
    }
  };
  grids(all_binding_names(matrix), [](const OverheadCell* c) { return overhead_cell_text(c, CiStyle::ErrorBar); });

  out << "\nrelative cost: x the same call in the pure language / x the direct C++ call\n";
  grids(native_binding_names(matrix), [&](const OverheadCell* c) { return relative_cell_text(matrix, c); });
  const auto legend = relative_legend(matrix);
  std::size_t marker_width = 0;
  for (const auto& [marker, meaning] : legend) marker_width = std::max(marker_width, text::display_width(marker));
  for (const auto& [marker, meaning] : legend) out << "  " << text::pad_right(marker, marker_width) << "  " << meaning << '\n';
  for (const auto* line : kPureBaselineNote) out << "  " << line << '\n';

  const auto unsteady = unsteady_lines(matrix);
  if (!unsteady.empty()) out << "\nnot a steady state (" << kUnsteadyMark << "): in these processes the loops never settled:\n";
  for (const auto& line : unsteady) out << "  " << text::escape_controls(line) << '\n';

  const auto noisy = noisy_lines(matrix);
  if (!noisy.empty()) out << "\nnoisy (" << kNoisyMark << "): " << kNoisyMeaning << ":\n";
  for (const auto& line : noisy) out << "  " << text::escape_controls(line) << '\n';

  const auto not_measured = not_measured_lines(matrix);
  if (!not_measured.empty()) out << "\nnot measured:\n";
  for (const auto& line : not_measured) out << "  " << text::escape_controls(line) << '\n';
  for (const auto& [binding, note] : matrix.notes) out << "\nnote: " << text::escape_controls(binding + ": " + note) << '\n';
  if (has_peers(matrix)) write_peer_table(matrix, out);
  const auto ran_in = ran_in_lines(matrix);
  if (!ran_in.empty()) out << "\nran in:\n";
  for (const auto& line : ran_in) out << "  " << text::escape_controls(line) << '\n';
}

}  // namespace polyhost
