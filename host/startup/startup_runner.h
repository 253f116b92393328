// `polyhost startup`: how long each engine takes to start and how much memory the process holds
// then, always in fresh processes, repeated and interleaved (one round measures everything once,
// so slow drift of the machine hits every figure alike).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "host/model/startup.h"

namespace polyhost {

struct StartupOptions {
  bool quick = false;
  int processes = 0;               // per in-process and whole-program figure; 0: the default
  int first_result_processes = 0;  // per workload and configuration; 0: the default
  int instances = 16;              // N for the further instances
  std::vector<std::string> configs;  // embedded configurations for the time to first result
  std::vector<std::string> targets;  // workloads (names or folders); none: the suite
  double timeout_seconds = 120;      // per worker process or program
  std::size_t max_heap_mb = 2048;    // per first-result worker: V8's heap limit, or a cap on a Python worker's memory
  std::vector<std::string> command_line;
};

// Defaults: 20 processes per figure and 10 per first result; --quick: 6 of each, the fewest whose
// order statistics give a 95% CI of the median, and the workloads' quick sizes.
inline constexpr int kDefaultProcesses = 20, kDefaultFirstResultProcesses = 10, kQuickProcesses = 6;

// Throws WorkloadError for a target that is not a workload.
StartupReport run_startup(const StartupOptions& options, const std::function<void(const std::string&)>& progress);

}  // namespace polyhost
