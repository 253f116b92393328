// `polyhost report`: one self-contained HTML file (inline CSS and SVG, no scripts, no fetches)
// from one or more results files and, optionally, an overhead file. It reads the model only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/model/overhead.h"
#include "host/model/results.h"

namespace polyhost {

struct ReportInputs {
  struct ResultsFile {
    std::string path;
    Results results;
  };
  struct OverheadFile {
    std::string path;
    OverheadMatrix matrix;
  };
  std::vector<ResultsFile> results;
  std::optional<OverheadFile> overhead;
};

std::string render_html_report(const ReportInputs& inputs);

}  // namespace polyhost
