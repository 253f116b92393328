// `polyhost run`.
#pragma once

#include "host/cli/command.h"
#include "host/cli/warmup_options.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace polyhost {

struct RunCommandOptions {
  std::vector<std::string> targets;  // workload names or folders; empty: the whole suite
  std::string configs;               // comma-separated, or "all"; empty: v8-jit,cpython
  bool quick = false;
  std::optional<int> processes, max_processes, iterations;  // defaults depend on --quick
  std::optional<double> min_measure_seconds;
  WarmupOptions warmup;
  double timeout_seconds = 120;
  std::size_t max_heap_mb = 2048;
  std::string json, csv, markdown;   // output files; empty: not written
  std::string shard;                 // "K/N", "auto" or empty (the whole plan); see runner/shards.h
  std::optional<int> shard_count;    // N for --shard auto under a Kubernetes Indexed Job
  std::string shard_durations;       // a previous results file to balance the shards by
  std::vector<std::string> command_line;
};

// Exit status: 0 when every run is ok or skipped, 1 when any is not, 2 for a usage error, 128 + the
// signal when interrupted by Ctrl-C (130), SIGTERM or SIGHUP (after writing what was measured).
int run_command(const RunCommandOptions& options);

// Registers `run` on APP.
Command add_run_command(CLI::App& app);

}  // namespace polyhost
