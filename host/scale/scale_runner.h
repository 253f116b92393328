// The orchestrating side of `polyhost scale`: for every (workload, mode, thread count) it starts
// fresh scale worker processes, one at a time, interleaving modes and thread counts so that slow
// drift of the machine hits them all alike; then it checks the results against each other and
// derives throughput, speedup and efficiency (host/model/scale.h).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "host/model/scale.h"
#include "host/workload.h"

namespace polyhost {

struct ScaleOptions {
  std::vector<Workload> workloads;
  std::vector<std::string> modes;  // names from scale_modes.h
  std::vector<int> thread_counts;  // 1 among them
  int usable_cpus = 1;             // what this process may run on (usable_cpus.h), for the notes
  bool quick = false;
  int processes = 3;
  WarmupPolicy warmup;  // per thread
  int min_iterations = 5;
  double min_time_s = 0.5;
  double timeout_seconds = 120;    // per worker process, every thread included
  std::size_t max_heap_mb = 2048;  // per thread: V8's heap limit, or a cap on a Python process's memory
  std::vector<std::string> command_line;
};

struct ScaleProgress {
  std::function<void(const std::string& line)> plan;                       // once, before anything runs
  std::function<void(int done, int total, const std::string& what)> step;  // before each worker
};

// Stops early when interrupt_requested() (subprocess.h): the runs not finished are `interrupted`.
ScaleReport run_scale(const ScaleOptions& options, const ScaleProgress& progress);

// The thread counts `polyhost scale` uses by default: 1 to CORES, and one more (oversubscribed).
// CORES: those this process may use, not the machine's.
std::vector<int> default_thread_counts(int cores);

}  // namespace polyhost
