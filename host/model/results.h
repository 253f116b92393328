// What `polyhost run` measures, as one typed document: per (workload, configuration) runs with their
// samples and statistics, the comparisons with the baseline, the tier ratios, the settings and the
// environment. Its one JSON writer and one checked reader (schema polyhost.results/1) are below;
// run, compare and report all go through them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "host/model/environment.h"
#include "host/model/json_node.h"
#include "host/stats/statistics.h"
#include "host/stats/warmup.h"
#include "host/value.h"

namespace polyhost {

// The verdict of one run. Only `ok` runs are ranked.
enum class RunStatus { Ok, Error, Mismatch, Invalid, Timeout, OutOfMemory, StackOverflow, Crash, Skipped, Interrupted };
const char* status_name(RunStatus status);                     // "ok", "error", "mismatch", ...
std::optional<RunStatus> parse_status(const std::string& name);  // the reverse; nothing for another word
RunStatus read_status(const JsonNode& node);                       // a status in a file, checked

// One workload under one configuration, over all its worker processes.
struct Run {
  std::string workload;
  std::string language;  // "js" / "py"
  std::string config;    // "v8-jit", "cpython", ...
  RunStatus status = RunStatus::Ok;
  std::string message;    // why, when status is not ok (file:line:column: Type: message, ...)
  std::string size_name;  // "quick" / "default"
  std::int64_t size = 0;
  int processes = 0;                            // worker processes that contributed samples
  std::vector<std::vector<double>> samples_ns;  // measured iteration times, one list per process
  std::vector<std::vector<double>> warmup_ns;   // warm-up iteration times, one list per process
  std::optional<stats::Summary> summary;        // of all_samples_ns(), when there are samples
  std::vector<std::string> warnings;            // "unstable: ...", "too short: ..."
  std::optional<Value> result;                  // what run(n) returned (first measured iteration)
  std::string result_note;                      // why the result is not stored (too large to keep)
  bool verified = false;                        // verify() accepted every measured result
  bool has_verify = false;                      // the workload defines verify()
  // Warm-up classification of each process's in-process series (warm-up + measured iterations),
  // and of the run as a whole.
  std::vector<warmup::Analysis> warmup_by_process;
  std::optional<warmup::Summary> warmup;
  // Set by the reader when this run's samples cannot be used (a sample that is not a positive
  // number, per-process samples that disagree with samples_ns, statistics the samples do not give,
  // a duplicate row), naming the file and the field. Such a run is listed, never compared or plotted.
  std::string problem;
  // The machine this run was measured on, as an index into Results::machines: set only in a file
  // merged from several machines (merge --allow-mixed-machines); otherwise Results::environment.
  std::optional<std::size_t> machine;

  std::vector<double> all_samples_ns() const;  // samples_ns flattened, in process order
  // Ok, and its results accepted: by the workload's verify() when it has one, otherwise by the
  // runner's cross-check between configurations (which marks disagreement as a mismatch).
  bool checked() const { return status == RunStatus::Ok && (verified || !has_verify); }
};

// median(config) / median(baseline) for one workload, with a bootstrap 95% CI.
struct Comparison {
  std::string workload;
  std::string baseline;
  std::string config;
  stats::RatioEstimate ratio;
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

// How one configuration ran: its engine, its process-wide flags, and the host's own cost per sample.
struct ConfigSetup {
  std::string name;
  std::string engine;  // "V8 10.2.154.26-node.37"
  std::vector<std::string> flags;
  std::optional<double> empty_call_ns;  // an empty run() through this configuration, ns per call
};

// Which shards of a plan a file holds (run --shard K/N: one; merge: those it put together), so a
// merge can tell which are missing.
struct ShardRecord {
  int count = 0;                                // N, the shards of the plan
  std::vector<int> included;                    // 1-based, ascending
  std::vector<std::vector<std::string>> plan;   // plan[k - 1]: the workloads of shard k
  std::string balanced_by;                      // how the split estimated each workload's time
};

struct Settings {
  std::string size_name;  // "quick" or "default"
  int processes = 0, warmup_iterations = 0, iterations = 0;
  std::vector<std::string> configs;  // in the order asked; configs[0] is the baseline
  double wall_seconds = 0;
  std::optional<ShardRecord> shard;  // when the file holds part of a sharded plan
};

// One machine (and build) of a file merged from several (merge --allow-mixed-machines): what its
// source files recorded as their environment. Runs name theirs with Run::machine.
struct Machine {
  Environment environment;
  std::vector<ConfigSetup> config_setups;
  std::vector<std::string> files;  // the merged files measured on it
};

struct Results {
  Environment environment;
  std::vector<ConfigSetup> config_setups;
  Settings settings;
  std::vector<Run> runs;
  std::vector<Comparison> comparisons;
  // Geometric mean over workloads of each configuration's ratio to the baseline (ok rows only).
  std::map<std::string, double> geometric_mean_ratio;
  std::vector<TierRatio> tier_ratios;
  // Empty unless the runs come from more than one machine (see Machine): then ratios are computed
  // only between runs of one machine.
  std::vector<Machine> machines;

  const ConfigSetup* setup_of(const std::string& config) const;  // nullptr when not recorded
  ConfigSetup& setup_for(const std::string& config);              // added when not there yet
};

// Results over this many bytes of JSON are not copied into the file (see results_json.cc).
inline constexpr std::size_t kMaxStoredResultBytes = 64 * 1024;

void write_results_json(const Results& results, std::ostream& out);
// Throws FileFormatError naming FILE and what is wrong (not JSON, another schema, a field of the
// wrong type with its path). Problems confined to one run's samples go to Run::problem.
Results read_results_json(const Json& document, const std::string& file);
Results read_results_file(const std::string& file);

}  // namespace polyhost
