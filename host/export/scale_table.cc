// The scaling results on the terminal: one mode x threads grid over every workload, what is not
// ok, the geometric means over workloads, and the notes (cores, the GIL).
#include "host/export/exporters.h"
#include "host/export/scale_view.h"
#include "host/text/format.h"
#include "host/text/grid.h"
#include "host/text/layout.h"

namespace polyhost {

void write_scale_table(const ScaleReport& report, std::ostream& out, bool color) {
  const auto& counts = report.settings.thread_counts;
  const auto modes = scale_modes_in_order(report);
  out << "\nT=1: throughput (run(n) calls per second); T>1: speedup over T=1 of the same mode [interval] and "
         "efficiency (speedup / T)\nintervals: "
      << scale_interval_legend(report) << "\n";
  text::Grid grid;
  grid.header = {"workload", "mode"};
  grid.align = {text::Align::Left, text::Align::Left};
  for (int t : counts) {
    grid.header.push_back("T=" + std::to_string(t));
    grid.align.push_back(text::Align::Right);
  }
  for (const auto& workload : report.workload_names()) {
    bool first = true;
    for (const auto& mode : modes) {
      std::vector<std::string> cells{first ? workload : "", mode};
      bool failed = false;
      for (int t : counts) {
        const ScaleRun* run = report.find(workload, mode, t);
        cells.push_back(scale_cell(run));
        failed = failed || (run && run->status != RunStatus::Ok && run->status != RunStatus::Skipped);
      }
      grid.add_row(std::move(cells), failed);
      first = false;
    }
  }
  text::write_grid(grid, out, color);

  const auto problems = scale_problem_lines(report);
  if (!problems.empty()) out << "\nnot ok:\n";
  for (const auto& line : problems) out << "  " << text::paint_red(text::escape_controls(line), color) << '\n';

  const auto skipped = scale_skipped_lines(report);
  if (!skipped.empty()) out << "\nskipped (not installed here; not a failure):\n";
  for (const auto& line : skipped) out << "  " << text::escape_controls(line) << '\n';

  const auto fewer = scale_fewer_processes_lines(report);
  if (!fewer.empty()) out << '\n' << kScaleFewerProcessesNote << ":\n";
  for (const auto& line : fewer) out << "  " << text::escape_controls(line) << '\n';

  const auto unsteady = scale_unsteady_lines(report);
  if (!unsteady.empty()) out << '\n' << kScaleUnsteadyNote << ":\n";
  for (const auto& line : unsteady) out << "  " << text::escape_controls(line) << '\n';

  const auto short_measured = scale_short_measured_lines(report);
  if (!short_measured.empty()) out << '\n' << text::paint_red(kScaleShortMeasuredNote, color) << ":\n";
  for (const auto& line : short_measured) out << "  " << text::escape_controls(line) << '\n';

  if (report.workload_names().size() > 1 && counts.size() > 1) {
    out << "\nspeedup over T=1, geometric mean over the workloads where the run is ok:\n";
    text::Grid summary;
    summary.header = {"mode"};
    summary.align = {text::Align::Left};
    for (std::size_t i = 1; i < counts.size(); ++i) {
      summary.header.push_back("T=" + std::to_string(counts[i]));
      summary.align.push_back(text::Align::Right);
    }
    for (const auto& row : scale_summary(report)) {
      std::vector<std::string> cells{row.mode};
      for (std::size_t i = 1; i < counts.size(); ++i) {
        cells.push_back(row.speedup[i] ? "\u00d7" + text::format_ratio(*row.speedup[i]) + " (" +
                                             std::to_string(row.workloads[i]) + ")"
                                       : text::kNoValue);
      }
      summary.add_row(std::move(cells));
    }
    text::write_grid(summary, out, false);
  }
  out << '\n';
  for (const auto& note : report.notes) out << "note: " << text::escape_controls(note) << '\n';
}

}  // namespace polyhost
