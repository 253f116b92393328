// `polyhost scale`, and the internal `scale-worker` that runs inside its worker processes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "host/cli/command.h"
#include "host/cli/warmup_options.h"

namespace polyhost {

struct ScaleCommandOptions {
  std::vector<std::string> targets;  // workload names or folders; empty: the whole suite
  std::string threads;               // "1,2,4"; empty: 1..cores and one oversubscribed
  std::string modes;                 // comma-separated, or "all"; empty: all
  bool quick = false;
  std::optional<int> processes, iterations;  // defaults depend on --quick
  WarmupOptions warmup;
  std::optional<double> min_time_s;
  double timeout_seconds = 120;
  std::size_t max_heap_mb = 2048;
  std::string json, markdown;  // output files; empty: not written
  std::vector<std::string> command_line;
};

// Exit status: 0 when every run is ok or skipped, 1 when any is not, 2 for a usage error, 128 + the
// signal when interrupted by Ctrl-C (130), SIGTERM or SIGHUP (after writing what was measured).
int scale_command(const ScaleCommandOptions& options);

Command add_scale_command(CLI::App& app);
Command add_scale_worker_command(CLI::App& app);

}  // namespace polyhost
