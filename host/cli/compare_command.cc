#include "host/cli/compare_command.h"

#include <cstdio>
#include <iostream>
#include <sstream>

#include "host/export/exporters.h"
#include "host/results/compare.h"

namespace polyhost {

int compare_command(const CompareCommandOptions& options) {
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
  return report.regressions().empty() ? 0 : 1;
}

}  // namespace polyhost
