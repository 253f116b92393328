// The orchestrating side of `polyhost run`: plans (workload x configuration x process), starts one
// fresh worker process for each, in rounds (a round runs one process of every workload and
// configuration; then extra rounds for the runs whose processes disagree), and gathers their messages into Results; runner/analysis.h then checks and
// summarizes them. Exporters read the Results.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "host/model/results.h"
#include "host/workload.h"

namespace polyhost {

struct RunOptions {
  std::vector<Workload> workloads;
  std::vector<std::string> configs;  // names from configs.h
  bool quick = false;
  int processes = 3;
  // Runs whose processes disagree get more, up to this many (runner/extra_processes.h); at most
  // `processes`: none.
  int max_processes = 3;
  WarmupPolicy warmup;  // until steady (auto) or a fixed count
  int iterations = 10;
  double min_measure_seconds = 0;  // measured calls go on until they last this long (Settings)
  double timeout_seconds = 120;  // per worker process
  std::size_t max_heap_mb = 2048;  // per worker: V8's heap limit, or a cap on a Python worker's memory
  std::vector<std::string> command_line;
};

struct RunProgress {
  std::function<void(const std::string& line)> plan;  // once, before anything runs
  std::function<void(int done, int total, const std::string& what)> step;  // before each worker
};

// Stops early when interrupt_requested() (subprocess.h): runs with no process finished are
// `interrupted`; the others keep what their finished processes measured.
Results run_suite(const RunOptions& options, const RunProgress& progress);

}  // namespace polyhost
