// The measuring side of `polyhost scale`, inside a fresh worker process (`polyhost scale-worker`):
// one workload file in one embedded mode with T lanes, coordinated as lane_link.h describes.
#pragma once

#include <cstddef>
#include <string>

#include "host/model/results.h"

namespace polyhost {

struct ScaleWorkerRequest {
  std::string mode;       // an embedded mode of scale_modes.h
  std::string file;       // the workload's .js or .py file
  std::string size_name = "default";  // or "quick"
  int threads = 1;
  WarmupPolicy warmup;  // per lane; with auto, each lane watches its own series
  int min_iterations = 1;
  double min_time_s = 0;
  double timeout_seconds = 0;  // for everything the worker does, every lane included (0: none)
  std::size_t max_heap_mb = 0;  // per lane: V8's heap limit; for Python a cap on memory (per process)
};

// How long after its timeout a lane may take to report before the worker gives up on it; shorter
// than kWorkerGraceSeconds, so the worker still reports before `polyhost scale` kills it.
inline constexpr double kLaneGraceSeconds = 2;

// Runs the lanes and writes the combined message (host/model/scale_worker_message.h) to RESULT_FD,
// then ends the process. Returns only when the message cannot be written.
int scale_worker_main(const ScaleWorkerRequest& request, int result_fd);

}  // namespace polyhost
