#include "host/cli/compare_command.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "host/export/exporters.h"
#include "host/results/compare.h"

namespace polyhost {

int compare_command(const CompareCommandOptions& options) {
  if (!std::isfinite(options.threshold_percent) || options.threshold_percent < 0) {
    std::fprintf(stderr, "polyhost compare: --threshold %g: expected a finite percentage >= 0\n", options.threshold_percent);
    return 2;
  }
  CompareReport report;
  try {
    report = compare_results(load_results(options.base_path), load_results(options.new_path), options.threshold_percent);
  } catch (const ResultsFileError& e) {
    std::fprintf(stderr, "polyhost compare: %s\n", e.what());
    return 2;
  }
  write_compare_table(report, std::cout);
  std::cout.flush();
  if (!options.markdown.empty()) {
    try {
      std::ostringstream text;
      write_compare_markdown(report, text);
      write_file_atomically(options.markdown, text.str());
      std::fprintf(stderr, "wrote %s\n", options.markdown.c_str());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "polyhost compare: %s\n", e.what());
      return 2;
    }
  }
  return report.gate_fails() ? 1 : 0;
}

}  // namespace polyhost
