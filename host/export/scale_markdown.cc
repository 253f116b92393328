// The scaling results as a Markdown document.
#include "host/export/environment_facts.h"
#include "host/export/exporters.h"
#include "host/export/scale_view.h"
#include "host/text/format.h"
#include "host/text/layout.h"
#include "host/text/markdown.h"

namespace polyhost {
namespace {

using text::markdown::code;
using text::markdown::escape;

// Throughput with its CI, and the speedup and efficiency with theirs, for one cell.
std::string full_cell(const ScaleRun* run) {
  if (!run) return text::kNoValue;
  if (run->status != RunStatus::Ok) return text::markdown::bold(text::to_upper(status_name(run->status)));
  if (!run->throughput_per_s) return text::kNoValue;
  std::string cell = format_throughput(*run);
  if (run->threads > 1 && run->speedup) {
    cell += "<br>" + format_speedup(*run) + ", " + format_efficiency(run->efficiency->ratio) + format_efficiency_interval(*run);
  }
  return cell;
}

}  // namespace

void write_scale_markdown(const ScaleReport& report, std::ostream& out) {
  const ScaleSettings& s = report.settings;
  const auto& counts = s.thread_counts;
  const auto modes = scale_modes_in_order(report);
  out << "# polyhost scale: throughput against threads\n\n";
  write_environment_markdown(report.environment, out);
  out << "- **Settings:** " << (s.size_name.empty() ? "?" : s.size_name) << " sizes, "
      << text::counted(s.processes, "fresh process", "fresh processes") << " per cell; " << scale_calls_text(s) << "\n\n";
  for (const auto& note : report.notes) out << "> " << escape(note) << "\n>\n";
  out << "> Weak scaling: every thread makes the same `run(n)` calls. Each cell: throughput (calls per second over "
         "all threads) [interval]; for T > 1 also the speedup over T=1 of the same mode [interval] and the efficiency "
         "(speedup / T). Intervals: "
      << escape(scale_interval_legend(report)) << ".\n";
  for (const auto& workload : report.workload_names()) {
    out << "\n## " << escape(workload) << "\n\n";
    std::vector<std::string> header{"mode"};
    std::vector<text::Align> align{text::Align::Left};
    for (int t : counts) {
      header.push_back("T=" + std::to_string(t));
      align.push_back(text::Align::Right);
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& mode : modes) {
      std::vector<std::string> row{code(mode)};
      for (int t : counts) row.push_back(full_cell(report.find(workload, mode, t)));
      rows.push_back(std::move(row));
    }
    text::markdown::write_table(out, header, align, rows);
  }
  if (report.workload_names().size() > 1 && counts.size() > 1) {
    out << "\n## Speedup over T=1, geometric mean over the workloads\n\n";
    std::vector<std::string> header{"mode"};
    std::vector<text::Align> align{text::Align::Left};
    for (std::size_t i = 1; i < counts.size(); ++i) {
      header.push_back("T=" + std::to_string(counts[i]));
      align.push_back(text::Align::Right);
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : scale_summary(report)) {
      std::vector<std::string> cells{code(row.mode)};
      for (std::size_t i = 1; i < counts.size(); ++i) {
        cells.push_back(row.speedup[i] ? "\u00d7" + text::format_ratio(*row.speedup[i]) + " (" +
                                             std::to_string(row.workloads[i]) + ")"
                                       : text::kNoValue);
      }
      rows.push_back(std::move(cells));
    }
    text::markdown::write_table(out, header, align, rows);
  }
  const auto problems = scale_problem_lines(report);
  if (!problems.empty()) out << "\n## Not ok\n\n";
  for (const auto& line : problems) out << "- " << escape(line) << '\n';
  const auto skipped = scale_skipped_lines(report);
  if (!skipped.empty()) out << "\n## Skipped\n\nModes whose program is not installed here (not a failure).\n\n";
  for (const auto& line : skipped) out << "- " << escape(line) << '\n';
  const auto fewer = scale_fewer_processes_lines(report);
  if (!fewer.empty()) out << "\n## Fewer processes\n\n" << escape(kScaleFewerProcessesNote) << ".\n\n";
  for (const auto& line : fewer) out << "- " << escape(line) << '\n';
  const auto unsteady = scale_unsteady_lines(report);
  if (!unsteady.empty()) {
    out << "\n## No steady state\n\nThreads that reached a warm-up cap without settling: their measured calls mix "
           "states.\n\n";
  }
  for (const auto& line : unsteady) out << "- " << escape(line) << '\n';
  const auto short_measured = scale_short_measured_lines(report);
  if (!short_measured.empty()) out << "\n## Short measured part\n\n" << escape(kScaleShortMeasuredNote) << ".\n\n";
  for (const auto& line : short_measured) out << "- " << escape(line) << '\n';
  out << "\n## Modes\n\n";
  for (const auto& m : report.modes) {
    out << "- " << code(m.name) << " (" << m.language << (m.engine.empty() ? "" : ", " + escape(m.engine))
        << (m.flags.empty() ? "" : ", flags " + code(text::join_words(m.flags))) << "): " << escape(m.what) << "; "
        << escape(m.parallelism) << '\n';
  }
}

}  // namespace polyhost
