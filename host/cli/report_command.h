// `polyhost report RESULTS.json [MORE.json ...] -o report.html`.
#pragma once

#include "host/cli/command.h"

#include <string>
#include <vector>

namespace polyhost {

// Each input may be a results file (polyhost run --json) or an overhead file (polyhost overhead
// --json). Returns 0, or 2 when an input cannot be read or the output cannot be written.
int report_command(const std::vector<std::string>& inputs, const std::string& output);

// Registers `report` on APP.
Command add_report_command(CLI::App& app);

}  // namespace polyhost
