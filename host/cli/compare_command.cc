#include "host/cli/compare_command.h"

#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

#include "host/cli/problem_line.h"
#include "host/cli/validators.h"
#include "host/compare/compare.h"
#include "host/export/exporters.h"
#include "host/export/output_files.h"

namespace polyhost {

int compare_command(const CompareCommandOptions& options) {
  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout is an error to report, not the end of the process
  CompareReport report;
  const std::vector<OutputFile> outputs = {
      {"--markdown", options.markdown, [&](std::ostream& out) { write_compare_markdown(report, out); }}};
  if (const std::string problem = unwritable_output(outputs, {options.base_path, options.new_path}); !problem.empty()) {
    print_problem("polyhost compare", problem);
    return 2;
  }
  try {
    report = compare_results(read_results_file(options.base_path), options.base_path, read_results_file(options.new_path),
                             options.new_path, options.threshold_percent);
  } catch (const FileFormatError& e) {
    print_problem("polyhost compare", e.what());
    return 2;
  }
  // The file first: a closed stdout (`| head`) costs only the table.
  if (!write_outputs(outputs, "polyhost compare")) return 2;
  write_compare_table(report, std::cout);
  // The exit status is the gate's, which a CI job reads; a lost table is said on stderr.
  printed_to_stdout("polyhost compare", "the comparison");
  return report.gate_fails() ? 1 : 0;
}

Command add_compare_command(CLI::App& app) {
  auto options = std::make_shared<CompareCommandOptions>();
  auto* cmd = app.add_subcommand("compare", "Compare two results files: did anything get faster or slower?");
  cmd->add_option("base", options->base_path, "The earlier results (polyhost run --json)")->required();
  cmd->add_option("new", options->new_path, "The later results")->required();
  cmd->add_option("--threshold", options->threshold_percent,
                  "Exit with status 1 when a significant slowdown, as printed (one decimal), exceeds this many percent (default 5)")->check(validators::percentage());
  cmd->add_option("--markdown", options->markdown, "Also write the comparison as Markdown")->check(validators::not_empty());
  cmd->footer(
      "Rows are matched by (workload, configuration). The change is new median / base median - 1, with a 95%\n"
      "bootstrap CI that resamples worker processes, then iterations within them (2000 resamples), so the\n"
      "variance between processes counts. A change is significant when a two-sided Mann-Whitney U test\n"
      "(normal approximation, tie-corrected) gives p < 0.05 and the CI excludes no change. Rows only in one\n"
      "file, not ok in either, or with different sizes are listed, not compared; changed engine versions are\n"
      "flagged, other machines or settings are a warning. A row with too few samples for the test to reach\n"
      "p < 0.05 at all (3 and 3, or 1 on a side) is marked so, with a warning: the gate cannot judge it.\n"
      "Exit status: 0; 1 when a significant slowdown exceeds --threshold, a row with too few samples to test\n"
      "is slower than --threshold as measured, a row that was ok in BASE cannot be compared in NEW (missing,\n"
      "not ok, damaged, another size), or nothing was compared; 2 for a usage error.");
  return {cmd, [options](const Invocation&) { return compare_command(*options); }};
}

}  // namespace polyhost
