// `polyhost run --shard K/N`: which part of the plan this process runs. The plan's workloads are
// split into N disjoint shards, whole workloads only (every configuration of a workload stays in
// one shard, so each ratio comes from one machine), balanced by expected time, deterministically:
// every shard computes the same split on its own, from the same workloads and durations.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/model/results.h"
#include "host/workload.h"

namespace polyhost {

// A usage error in --shard, --shard-count, --shard-durations or the scheduler's variables.
class ShardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Shard INDEX (1-based) of COUNT.
struct ShardSpec {
  int index = 0;
  int count = 0;
};

// The most shards a plan is split into: each shard's file records every shard's workloads, so a
// count far above any plan's workloads only writes lists of nothing (1/2000000 wrote 24 MB).
inline constexpr int kMaxShards = 10000;

// "K/N" with 1 <= K <= N <= kMaxShards. Throws ShardError naming what is wrong.
ShardSpec parse_shard(const std::string& text);

// --shard auto: K and N from the scheduler's variables (GETENV gives a variable's value, or nothing
// when it is not set): JOB_COMPLETION_INDEX (0-based; a Kubernetes Indexed Job) with SHARD_COUNT
// (--shard-count, the Job's completions: Kubernetes does not tell a pod), or SLURM_ARRAY_TASK_ID
// with SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_MAX (Slurm sets all four
// in a job array: the ids must be one contiguous range). A missing, malformed or inconsistent
// variable, or more than kMaxShards shards, throws ShardError saying which and why.
using GetEnv = std::function<std::optional<std::string>(const char* name)>;
ShardSpec shard_from_environment(const GetEnv& getenv, std::optional<int> shard_count);
GetEnv process_environment();  // std::getenv

// What each workload of the plan is expected to cost, in units that only need to be comparable
// with each other, and how that was estimated (recorded in the results as ShardRecord::balanced_by).
struct ShardCosts {
  std::vector<double> cost;  // one per workload, in the plan's order
  std::string balanced_by;
  std::vector<std::string> estimated;  // workloads the durations did not cover (given the mean)
  // The file's damaged runs, left out (as merge, compare and report leave them out): one line each,
  // "nbody [cpython]: FILE: runs[3]...: why", and what the plan takes instead.
  std::vector<std::string> not_used;
};

// The default cost model: every workload is expected to take the same time. The suite's sizes are
// tuned so that one iteration takes about the same time in every workload (workloads/README.md),
// and a size N means different work in each workload (8 trees, 1000000 sieve numbers), so the
// sizes themselves cannot rank workloads; the configurations, processes and iterations are the same
// for every workload of a run.
ShardCosts equal_costs(const std::vector<std::string>& workloads);

// Costs from a previous results file (as pytest-split uses recorded durations): a workload's cost
// is the sum over CONFIGS of its run's recorded time, that is its warm-up and measured iterations
// plus, per worker process, the run's time outside iterations (the file's wall time less all its
// iterations, shared equally by its worker processes). A (workload, configuration) the file has no
// samples for gets that configuration's mean over the file's workloads (or the mean of all runs).
// Throws ShardError when the file has no samples at all.
ShardCosts costs_from_results(const std::vector<std::string>& workloads, const std::vector<std::string>& configs,
                              const Results& previous, const std::string& file);

// The split: COSTS into COUNT shards, each a list of indices into COSTS in ascending order, by
// longest-processing-time-first (the costliest workload goes to the shard with the least expected
// time so far; ties go to the earlier workload and the lower shard). Deterministic; a shard may be
// empty when COUNT exceeds the workloads.
std::vector<std::vector<std::size_t>> split_into_shards(const std::vector<double>& costs, int count);

// max / min - 1 over the shards' expected times (sums of COSTS): 0 when perfectly balanced.
double shard_imbalance(const std::vector<std::vector<std::size_t>>& shards, const std::vector<double>& costs);

// The record a shard's results carry: the whole plan, so merge can name a missing shard.
ShardRecord shard_record(const ShardSpec& spec, const std::vector<std::string>& workloads,
                         const std::vector<std::vector<std::size_t>>& shards, const std::string& balanced_by);

// The suite's recorded durations, in the suite's folder: a results file of the whole suite
// (`polyhost run --json workloads/durations.json`), used when --shard-durations is not given and
// every workload of the plan is from the suite.
inline constexpr const char* kSuiteDurationsFile = "durations.json";

// What run's options ask for: --shard ("" when not sharding, "K/N" or "auto"), --shard-count and
// --shard-durations, and the suite's folder (where kSuiteDurationsFile may be).
struct ShardRequest {
  std::string shard;
  std::optional<int> shard_count;
  std::string durations_file;
  std::filesystem::path suite_dir;
};

struct ShardSelection {
  std::vector<Workload> workloads;  // this shard's, in the plan's order
  ShardRecord record;
  std::string summary;  // "Shard 2 of 3: 6 of 19 workloads, 33% of the expected time (...): a, b, ..."
  std::string durations_file;  // the results file the costs came from, or "" (every workload alike)
  std::vector<std::string> not_used;  // ShardCosts::not_used: for stderr
};

// Applies REQUEST to the whole PLAN (run with CONFIGS): nothing when not sharding. The costs come
// from --shard-durations, else from the suite's durations when every workload of the plan is the
// suite's and the file is there, else every workload alike. Throws ShardError for a usage error
// (also a durations file that cannot be read).
std::optional<ShardSelection> select_shard(const ShardRequest& request, const std::vector<Workload>& plan,
                                           const std::vector<std::string>& configs, const GetEnv& getenv);

}  // namespace polyhost
