// The start-up figures on the terminal: one grid per kind of measurement, then what failed.
#include "host/export/exporters.h"
#include "host/export/startup_view.h"
#include "host/text/grid.h"
#include "host/text/layout.h"

namespace polyhost {
namespace {

void write_startup_rows(const StartupTable& table, std::ostream& out, bool color) {
  if (table.rows.empty()) return;
  text::Grid grid;
  grid.header = table.header;
  grid.align = table.align;
  for (std::size_t i = 0; i < table.rows.size(); ++i) grid.add_row(table.rows[i], table.failed[i]);
  out << '\n' << table.title << '\n';
  text::write_grid(grid, out, color);
}

}  // namespace

void write_startup_table(const StartupReport& report, std::ostream& out, bool color) {
  out << "Start-up: " << startup_settings_line(report) << '\n';
  write_startup_rows(startup_phases_table(report), out, color);
  write_startup_rows(startup_instances_table(report), out, color);
  write_startup_rows(startup_processes_table(report), out, color);
  write_startup_rows(startup_differences_table(report), out, color);
  write_startup_rows(startup_first_results_table(report, false), out, color);
  const auto problems = report.problems();
  if (!problems.empty()) out << '\n' << text::paint_red(std::to_string(problems.size()) + " not ok:", color) << '\n';
  for (const auto& p : problems) out << "  " << text::escape_controls(p) << '\n';
  for (const auto& s : report.skipped()) out << "\nskipped: " << text::escape_controls(s) << '\n';
}

}  // namespace polyhost
