// compare on the terminal: the setup warnings, one row per compared run, the geometric mean, what
// was not compared, and the gate's verdict.
#include "host/export/exporters.h"
#include "host/text/format.h"
#include "host/text/grid.h"
#include "host/text/layout.h"

namespace polyhost {

void write_compare_table(const CompareReport& report, std::ostream& out) {
  out << "base: " << text::escape_controls(report.base_path) << "\nnew:  " << text::escape_controls(report.new_path) << "\n\n";
  if (!report.environment_changes.empty()) {
    out << "WARNING: the two runs were not made on the same setup, so a change may not be the code's:\n";
    for (const auto& line : report.environment_changes) out << "  " << text::escape_controls(line) << '\n';
    out << '\n';
  }
  if (const std::string warning = report.untestable_warning(); !warning.empty()) {
    out << "WARNING: " << warning << "\n\n";
  }
  using text::Align;
  text::Grid grid;
  grid.header = {"workload", "config", "base median", "new median", "change [95% CI]", "p (Mann-Whitney)", "verdict"};
  grid.align = {Align::Left, Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Left};
  for (const auto& r : report.rows) {
    grid.add_row({r.workload, r.config, text::format_duration_ns(r.base_median), text::format_duration_ns(r.new_median),
                  compare_change_text(r), compare_p_text(r.test.p_value),
                  compare_verdict_text(r, report.threshold_percent) + (r.note.empty() ? "" : "; " + r.note)});
  }
  text::write_grid(grid, out, false);
  if (report.rows.empty()) out << "(no rows could be compared)\n";
  if (report.geometric_mean_ratio > 0) {
    out << "\ngeometric mean of the changes: " << text::format_change(report.geometric_mean_ratio) << " ["
        << text::format_change(report.geometric_mean_ci.low) << ", " << text::format_change(report.geometric_mean_ci.high)
        << "] over " << text::counted(static_cast<std::int64_t>(report.rows.size()), "row", "rows") << " (95% CI from the rows' measurement noise)\n";
  }
  if (!report.not_compared.empty()) {
    out << "\nnot compared:\n";
    for (const auto& line : report.not_compared) out << "  " << text::escape_controls(line) << '\n';
  }
  out << '\n' << report.gate_line() << '\n';
}

}  // namespace polyhost
