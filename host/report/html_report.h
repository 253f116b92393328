// `polyhost report`: one self-contained HTML file (inline CSS and SVG, no scripts, no fetches)
// from results files, at most one overhead file, and scale files. It reads the model only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/model/overhead.h"
#include "host/model/results.h"
#include "host/model/scale.h"

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
  struct ScaleFile {
    std::string path;
    ScaleReport report;
  };
  std::vector<ResultsFile> results;
  std::optional<OverheadFile> overhead;
  std::vector<ScaleFile> scale;
};

std::string render_html_report(const ReportInputs& inputs);

}  // namespace polyhost
