// `polyhost report`: one self-contained HTML file (inline CSS and SVG, no scripts, no fetches)
// from one or more results files and, optionally, an overhead file and a startup file. It reads the model only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/model/overhead.h"
#include "host/model/results.h"
#include "host/model/startup.h"

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
  std::vector<ResultsFile> results;
  std::optional<OverheadFile> overhead;
  std::optional<StartupFile> startup;
};

std::string render_html_report(const ReportInputs& inputs);

}  // namespace polyhost
