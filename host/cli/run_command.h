// `polyhost run` and `polyhost list`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace polyhost {

struct RunCommandOptions {
  std::vector<std::string> targets;  // workload names or folders; empty: the whole suite
  std::string configs;               // comma-separated, or "all"; empty: v8-jit,cpython
  bool quick = false;
  std::optional<int> processes, warmup, iterations;  // defaults depend on --quick
  double timeout_seconds = 120;
  std::size_t max_heap_mb = 2048;
  std::string json, csv, markdown;   // output files; empty: not written
  std::vector<std::string> command_line;
};

// Exit status: 0 when every run is ok or skipped, 1 when any is not, 2 for a usage error, 130 when
// interrupted by Ctrl-C (after writing what was measured).
int run_command(const RunCommandOptions& options);

struct ListCommandOptions {
  std::vector<std::string> targets;  // as for run
  double timeout_seconds = 10;       // per file: loading it longer than this is reported as a timeout
  int jobs = 0;                      // worker processes at once; 0: two per core
};
// Loads each file of each workload in a fresh worker process (`polyhost worker --inspect`), so a
// workload that hangs or crashes while loading is reported as such and workloads do not share a
// Python module namespace. Exit status: 0 when every workload keeps the contract, 1 when any does
// not, 2 for a usage error, 130 when interrupted.
int list_command(const ListCommandOptions& options);

}  // namespace polyhost
