// What is recorded about the machine and the build with every result (as pyperf's metadata).
#pragma once

#include <string>
#include <vector>

#include "host/runner/report.h"

namespace polyhost {

// Fills everything but the per-configuration fields and the empty-call costs.
Environment collect_environment(const std::vector<std::string>& command_line);

}  // namespace polyhost
