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

}  // namespace polyhost
