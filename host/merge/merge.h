// `polyhost merge A.json B.json ... -o all.json`: the results of one plan measured in parts (the
// shards of `run --shard K/N` on a cluster's scheduler, or runs of different workloads) as one
// results file, which report and compare read like any other. It refuses what would not be one
// measurement: damaged files, overlapping (workload, configuration) rows, rows a shard's plan does
// not hold or a file lacks, rows of configurations a file's settings do not list, different settings or
// sizes, results from different machines or builds (unless allowed: then every run keeps its
// machine, and no ratio between runs of different machines is computed), and a missing shard.
// Statistics, ratios, tier ratios and geometric means are recomputed from the merged runs.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "host/model/results.h"

namespace polyhost {

struct MergeInput {
  std::string file;
  Results results;
};

struct MergeOptions {
  bool allow_mixed_machines = false;
  std::string command_line;  // recorded as the merged file's command
};

// Why the inputs cannot be merged: every problem found, each naming its files and rows.
class MergeError : public std::runtime_error {
 public:
  explicit MergeError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Throws MergeError. The merged environment is the inputs' common one (with the earliest start time
// and OPTIONS.command_line); with machines allowed to differ, a field they disagree on lists every
// value ("A | B") and Results::machines holds each machine. The settings are the inputs' (wall
// time: their sum); each configuration's empty-call cost is the median of the inputs'.
Results merge_results(const std::vector<MergeInput>& inputs, const MergeOptions& options);

// What merge prints once MERGED (merge_results of INPUTS) is written, one line each: what it holds
// ("merged 3 files (shards 1, 2, 3 of 3): 19 workloads x 2 configurations, 38 runs"), its runs that
// are not ok by verdict and file ("3 runs not ok: 3 interrupted (in s2.json)"), and each file that
// records no engine for a configuration (no worker of it reported there), with its runs of it.
std::vector<std::string> merge_summary(const std::vector<MergeInput>& inputs, const Results& merged);

// A merged run failed as `run` counts failures: a verdict other than ok or skipped (merge exits 1).
bool has_failed_runs(const Results& merged);

}  // namespace polyhost
