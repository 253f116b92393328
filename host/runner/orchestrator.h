// The orchestrating side of `polyhost run`: plans (workload x configuration x process), starts one
// fresh worker process for each, gathers their samples, checks results across languages and
// computes statistics. Exporters then read the RunReport.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "host/runner/report.h"
#include "host/workload.h"

namespace polyhost {

struct RunOptions {
  std::vector<Workload> workloads;
  std::vector<std::string> configs;  // names from configs.h; the baseline is v8-jit if present, else the first
  bool quick = false;
  int processes = 3;
  int warmup = 3;
  int iterations = 10;
  double timeout_seconds = 120;  // per worker process
  std::size_t max_heap_mb = 2048;  // per worker: V8's heap limit, or a cap on a Python worker's memory
  std::vector<std::string> command_line;
};

struct RunProgress {
  std::function<void(const std::string& line)> plan;  // once, before anything runs
  std::function<void(int done, int total, const std::string& what)> step;  // before each worker
};

// Stops early when interrupt_requested() (subprocess.h): the runs not finished are `interrupted`.
RunReport run_suite(const RunOptions& options, const RunProgress& progress);

// Fills summaries, warnings, comparisons and geometric means from the runs' samples and statuses.
void compute_statistics(RunReport& report);

}  // namespace polyhost
