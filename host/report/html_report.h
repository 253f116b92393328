// `polyhost report`: one self-contained HTML file (inline CSS and SVG, no scripts, no fetches)
// from one or more results files and, optionally, an overhead file.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/results/results_file.h"

namespace polyhost {

// One cell of the overhead matrix (case x binding), checked when the overhead file was read.
struct OverheadCell {
  std::string language, binding, case_name;
  std::string status;  // "ok", "unsupported" or "error"
  double ns_per_call = 0, ci_low_ns = 0, ci_high_ns = 0;  // when ok
  std::string reason;                                      // when not ok
};

// A polyhost.overhead/1 document, checked.
struct OverheadFile {
  std::string path;
  std::vector<OverheadCell> entries;
  std::vector<std::pair<std::string, std::string>> notes;       // (binding, note)
  std::vector<std::pair<std::string, std::string>> environment;  // (what, value), e.g. ("CPU", "...")
};

struct ReportInputs {
  std::vector<LoadedResults> results;
  std::optional<OverheadFile> overhead;
};

// Throws checked_json::ReportInputError "FILE: JSON.PATH: what is wrong" for a malformed value in
// a results document.
std::string render_html_report(const ReportInputs& inputs);

}  // namespace polyhost
