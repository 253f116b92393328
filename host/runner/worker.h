// The measuring side of `polyhost run`, inside a fresh worker process (the same binary, started
// by the orchestrator as `polyhost worker ...`): one workload file, one configuration.
#pragma once

#include <cstddef>
#include <string>

#include "host/model/worker_message.h"

namespace polyhost {

struct WorkerRequest {
  std::string file;       // the workload's .js or .py file
  std::string config;     // a name from configs.h
  std::string size_name;  // "quick" or "default"
  int warmup = 1;          // fixed warm-up iterations, when not auto_warmup
  bool auto_warmup = false;  // warm up until the host (which watches the series) says "measure"
  int iterations = 5;
  // Measured calls go on past `iterations` until they have lasted this long, up to max_measured.
  double min_measure_seconds = 0;
  int max_measured = 0;
  int message_fd = -1;     // auto_warmup: where each warm-up iteration is reported ('@iteration NS')
  int control_fd = -1;     // auto_warmup: where the host's answer ("more" / "measure") is read
  bool calibrate = false;  // measure an empty run() instead of FILE: the host's own cost per sample
  bool inspect = false;    // only load FILE and check it against the contract (for `polyhost list`)
  double timeout_seconds = 0;  // stop the script after this long (0: never)
  std::size_t max_heap_mb = 0;  // V8's heap limit, or for Python a limit on the worker's memory (0: none)
};

// Loads the file, checks the contract, calls setup(n) untimed, W warm-up and N measured run(n)
// calls, verifying each measured result. Never throws for problems of the workload: they become
// the message's status and text. With request.inspect it stops after the contract check (nothing
// of the workload is called).
WorkerMessage run_worker(const WorkerRequest& request);

// Runs the worker and writes its message to RESULT_FD. Returns the process exit status.
int worker_main(const WorkerRequest& request, int result_fd);

}  // namespace polyhost
