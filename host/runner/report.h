// What a `polyhost run` produces: per (workload, configuration) runs with their samples and
// statistics, JS-vs-others comparisons, and the environment. Every exporter reads only this.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/runner/statistics.h"
#include "host/runner/warmup.h"
#include "host/value.h"

namespace polyhost {

// The verdict of one run. Only `ok` runs are ranked.
enum class RunStatus { Ok, Error, Mismatch, Invalid, Timeout, OutOfMemory, StackOverflow, Crash, Skipped, Interrupted };
const char* status_name(RunStatus status);  // "ok", "error", "mismatch", ...

struct RunResult {
  std::string workload;
  std::string language;  // "js" / "py"
  std::string config;    // "v8-jit", "cpython", ...
  RunStatus status = RunStatus::Ok;
  std::string message;   // why, when status is not ok (file:line:column: Type: message, ...)
  std::string size_name;  // "quick" / "default"
  std::int64_t size = 0;
  int processes = 0;                               // worker processes that contributed samples
  std::vector<std::vector<double>> samples_ns;     // measured iteration times, one list per process
  std::vector<std::vector<double>> warmup_ns;      // warm-up iteration times, one list per process
  std::vector<double> all_samples_ns() const;      // samples_ns flattened, in process order
  std::optional<stats::Summary> summary;           // of all_samples_ns(), when there are samples
  std::vector<std::string> warnings;               // "unstable: ...", "too short: ..."
  std::optional<Value> result;                     // what run(n) returned (first measured iteration)
  bool verified = false;                           // verify() accepted every measured result
  bool has_verify = false;                         // the workload defines verify()
  // Warm-up classification of each process's in-process series (warm-up + measured iterations),
  // and of the run as a whole.
  std::vector<warmup::Analysis> warmup_by_process;
  std::optional<warmup::Summary> warmup;
};

// One question the tiers answer, as the geometric mean over workloads of per-workload ratios of
// medians (numerator / denominator), with a 95% bootstrap CI over the workloads.
struct TierRatio {
  std::string question;  // "JIT vs V8's own interpreter"
  std::string numerator, denominator;
  double geometric_mean = 0;
  stats::Interval ci95{0, 0};
  int workloads = 0;
};

struct Comparison {
  std::string workload;
  std::string baseline;  // configuration every other is divided by ("v8-jit")
  std::string config;
  stats::RatioEstimate ratio;  // median(config) / median(baseline), with a bootstrap 95% CI
};

struct Environment {
  std::string polyhost_version;
  std::string git_commit;  // of the source tree polyhost was built from ("unknown" if not a checkout)
  std::string v8_version;
  std::string python_version;
  std::string python_executable;  // the standalone interpreter of the embedded build
  std::map<std::string, std::vector<std::string>> config_flags;  // per configuration, e.g. V8 flags
  std::map<std::string, std::string> config_engines;              // per configuration, engine + version
  std::string cpu_model;
  int cpu_count = 0;
  std::string os;
  std::string command_line;
  std::string start_time;  // ISO 8601, UTC
  // The host's own cost: calling an empty run() through each configuration, in ns per call.
  std::map<std::string, double> empty_call_ns;
};

struct RunReport {
  Environment environment;
  std::string size_name;  // "quick" or "default"
  int processes = 0, warmup = 0, iterations = 0;
  std::vector<std::string> configs;  // in the order asked; configs[0] is the baseline
  std::vector<RunResult> runs;
  std::vector<Comparison> comparisons;
  // Geometric mean over workloads of each configuration's ratio to the baseline (ok rows only).
  std::map<std::string, double> geometric_mean_ratio;
  std::vector<TierRatio> tier_ratios;  // for the configuration pairs present (see orchestrator.cc)
  double wall_seconds = 0;
};

}  // namespace polyhost
