// `polyhost list`: the workloads found, with their sizes, and any that break the contract.
#pragma once

#include "host/cli/command.h"

#include <string>
#include <vector>

namespace polyhost {

struct ListCommandOptions {
  std::vector<std::string> targets;  // as for run
  double timeout_seconds = 10;       // per file: loading it longer than this is reported as a timeout
  int jobs = 0;                      // worker processes at once; 0: two per core
};
// Loads each file of each workload in a fresh worker process (`polyhost worker --inspect`), so a
// workload that hangs or crashes while loading is reported as such and workloads do not share a
// Python module namespace. Exit status: 0 when every workload keeps the contract, 1 when any does
// not, 2 for a usage error, 128 + the signal when interrupted (130 for Ctrl-C).
int list_command(const ListCommandOptions& options);

// Registers `list` on APP.
Command add_list_command(CLI::App& app);

}  // namespace polyhost
