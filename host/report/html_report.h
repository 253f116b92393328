// `polyhost report`: one self-contained HTML file (inline CSS and SVG, no scripts, no fetches)
// from one or more results files at most one overhead file, at most one startup file, and scale files.
// It reads the model only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/model/overhead.h"
#include "host/model/results.h"
#include "host/model/startup.h"
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
  struct StartupFile {
    std::string path;
    StartupReport report;
  };
  struct ScaleFile {
    std::string path;
    ScaleReport report;
  };
  std::vector<ResultsFile> results;
  std::optional<OverheadFile> overhead;
  std::optional<StartupFile> startup;
  std::vector<ScaleFile> scale;
};

std::string render_html_report(const ReportInputs& inputs);

}  // namespace polyhost
