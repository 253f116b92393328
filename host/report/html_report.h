// `polyhost report`: one self-contained HTML file (inline CSS and SVG, no scripts, no fetches)
// from one or more results files and, optionally, an overhead file.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "host/results/results_file.h"

namespace polyhost {

struct ReportInputs {
  std::vector<LoadedResults> results;
  std::optional<nlohmann::json> overhead;  // a polyhost.overhead/1 document
  std::string overhead_path;
};

std::string render_html_report(const ReportInputs& inputs);

}  // namespace polyhost
