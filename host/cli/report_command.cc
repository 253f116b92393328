#include "host/cli/report_command.h"

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "host/cli/problem_line.h"
#include "host/cli/validators.h"
#include "host/export/output_files.h"
#include "host/model/json_node.h"
#include "host/report/html_report.h"
#include "host/runner/analysis.h"

namespace polyhost {

int report_command(const std::vector<std::string>& inputs, const std::string& output) {
  ReportInputs report;
  std::string html;
  const std::vector<OutputFile> outputs = {{"-o", output, [&](std::ostream& out) { out << html; }}};
  for (const std::string& problem : {repeated_input(inputs), unwritable_output(outputs, inputs)}) {
    if (problem.empty()) continue;
    print_problem("polyhost report", problem);
    return 2;
  }
  try {
    for (const auto& path : inputs) {
      // Overhead, startup and scale files are recognised by their schema; everything else must be a results file.
      const Json document = read_json_file(path);
      if (document.is_object() && document.contains("schema") && document["schema"] == kScaleSchema) {
        report.scale.push_back({path, read_scale_json(document, path)});
      } else if (document.is_object() && document.contains("schema") && document["schema"] == kOverheadSchema) {
        if (report.overhead) throw FileFormatError(path + ": only one overhead file per report");
        report.overhead = ReportInputs::OverheadFile{path, read_overhead_json(document, path)};
      } else if (document.is_object() && document.contains("schema") && document["schema"] == kStartupSchema) {
        if (report.startup) throw FileFormatError(path + ": only one startup file per report");
        report.startup = ReportInputs::StartupFile{path, read_startup_json(document, path)};
      } else {
        report.results.push_back({path, read_results_json(document, path)});
        // compare can leave a damaged run out of one row; a report would silently drop its chart.
        for (const auto& run : report.results.back().results.runs) {
          if (!run.problem.empty()) throw FileFormatError(run.problem);
        }
        // The stored ratios, geometric means, tier ratios and break-evens may not follow from the
        // runs (a file edited, or with runs deleted): derive them as run and merge do.
        compute_statistics(report.results.back().results);
      }
    }
    html = render_html_report(report);
  } catch (const FileFormatError& e) {
    print_problem("polyhost report", e.what());
    return 2;
  }
  return write_outputs(outputs, "polyhost report") ? 0 : 2;
}

Command add_report_command(CLI::App& app) {
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto output = std::make_shared<std::string>("report.html");
  auto* cmd = app.add_subcommand("report", "Write one self-contained HTML report (charts, tables, verdicts)");
  cmd->add_option("files", *inputs, "Results files (polyhost run --json), at most one overhead file, one startup file, and scale files (polyhost scale --json)")->required();
  cmd->add_option("-o,--output", *output, "The HTML file to write (default report.html)")->check(validators::not_empty());
  cmd->footer("The page needs no network: CSS and SVG charts are inline and there are no scripts.");
  return {cmd, [inputs, output](const Invocation&) { return report_command(*inputs, *output); }};
}

}  // namespace polyhost
