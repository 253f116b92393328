// `polyhost overhead`: what one call from JavaScript or Python into the same C++ function costs
// through each binding technology, in nanoseconds, with the pure-language call and a direct C++
// call (the floor) in the same matrix. Each binding is measured in fresh worker processes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "host/model/overhead.h"

namespace polyhost {

struct OverheadOptions {
  bool quick = false;
  bool peers = false;  // also other projects' JavaScript-to-Python bridges (scripts/setup-peers installs them)
  std::vector<std::string> command_line;
};

OverheadMatrix run_overhead(const OverheadOptions& options, const std::function<void(const std::string&)>& progress);

// Summaries and the ratios to the pure-language call and to the C++ floor, from the samples.
void compute_overhead_statistics(OverheadMatrix& matrix);

// Adds one process's loops of one cell, in order: the loops of its steady state go into the cell's
// samples (as that process's group). A process whose loops never settle, or are too few to tell
// once outliers are set aside, adds all of them and is counted as unsteady, so the cell says so. A
// cost too small to measure (a call the JIT inlined away) is noise around zero with no level to
// settle on: all its loops count.
void add_process_loops(OverheadCell& cell, const std::vector<double>& loops);

}  // namespace polyhost
