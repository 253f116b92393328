// Every human-readable output format, one writer each (one file each, beside this header). The
// JSON files are written by their model type's one writer (host/model/). Each reads the model only.
#pragma once

#include <ostream>

#include "host/compare/compare.h"
#include "host/model/overhead.h"
#include "host/model/results.h"
#include "host/model/startup.h"
#include "host/model/scale.h"

namespace polyhost {

void write_results_table(const Results& results, std::ostream& out, bool color);  // results_table.cc
void write_results_markdown(const Results& results, std::ostream& out);            // results_markdown.cc
void write_results_csv(const Results& results, std::ostream& out);                 // results_csv.cc
void write_overhead_table(const OverheadMatrix& matrix, std::ostream& out);        // overhead_table.cc
void write_overhead_markdown(const OverheadMatrix& matrix, std::ostream& out);     // overhead_markdown.cc
void write_compare_table(const CompareReport& report, std::ostream& out);          // compare_table.cc
void write_compare_markdown(const CompareReport& report, std::ostream& out);       // compare_markdown.cc
void write_startup_table(const StartupReport& report, std::ostream& out, bool color);  // startup_table.cc
void write_startup_markdown(const StartupReport& report, std::ostream& out);            // startup_markdown.cc
void write_scale_table(const ScaleReport& report, std::ostream& out, bool color);  // scale_table.cc
void write_scale_markdown(const ScaleReport& report, std::ostream& out);           // scale_markdown.cc

}  // namespace polyhost
