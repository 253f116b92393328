#include "host/cli/report_command.h"

#include <cstdio>

#include "host/export/exporters.h"
#include "host/read_file.h"
#include "host/report/html_report.h"

namespace polyhost {

int report_command(const std::vector<std::string>& inputs, const std::string& output) {
  ReportInputs report;
  for (const auto& path : inputs) {
    try {
      // An overhead file is recognised by its schema; everything else must be a results file.
      std::optional<std::string> text = read_file(path);
      nlohmann::json doc = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
      if (doc.is_object() && doc.value("schema", "") == "polyhost.overhead/1") {
        if (report.overhead) throw ResultsFileError(path + ": only one overhead file per report");
        report.overhead = std::move(doc);
        report.overhead_path = path;
      } else {
        report.results.push_back(load_results(path));
      }
    } catch (const ResultsFileError& e) {
      std::fprintf(stderr, "polyhost report: %s\n", e.what());
      return 2;
    }
  }
  try {
    write_file_atomically(output, render_html_report(report));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "polyhost report: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr, "wrote %s\n", output.c_str());
  return 0;
}

}  // namespace polyhost
