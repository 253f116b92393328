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

// What one worker process held, in bytes, read between timed calls (never inside one). Each figure
// is missing where the runtime cannot give it (HEAP_MEASURE or the message says why).
struct MemoryReading {
  std::optional<double> peak_rss;             // the process's peak resident memory (VmHWM) at its end
  std::optional<double> rss_after_setup;      // resident after load and setup(n)
  std::optional<double> heap_after_setup;     // the engine's own view after setup: see heap_measure
  std::optional<double> heap_total_after_setup;  // V8: the heap's reserved size
  std::optional<double> heap_peak;            // the engine's view, the most seen after any iteration
  std::string heap_measure;  // what "heap" is here: "V8 used heap + external", "pymalloc + malloc", or why none
};
Json memory_to_json(const MemoryReading& memory);
MemoryReading memory_from_json(const JsonNode& node);

// Something a person should know before trusting a run's figures.
struct RunWarning {
  std::string kind;      // "unstable", "too short", "no steady state", "too short to tell", "changepoint in measured", ...
  std::string text;      // the whole sentence, with this run's own figures
  std::string figure;    // the figure that says how bad, in a few characters: "31%", "0.45 ms", "2 of 3"
  double severity = 0;   // how bad, to show the worst of a kind first (larger is worse)
};
Json warning_to_json(const RunWarning& warning);
RunWarning warning_from_json(const JsonNode& node);  // also the older form, a sentence "kind: ..."

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
  // Per process: the 0-based iteration of its series (warm-up then measured) where its steady state
  // starts; none when it reached none. With --warmup auto, what the detector decided as the process
  // ran; with a fixed warm-up, what the classifier finds in the series afterwards.
  std::vector<std::optional<std::size_t>> steady_from;
  // The steady state: all measured samples, with the CI of the median across processes. Derived once
  // from samples_ns by derive_summary (the reader, to check a file's "stats", or compute_statistics)
  // and read by everything after; code that changes samples_ns afterwards must reset it.
  std::optional<stats::Summary> summary;
  std::vector<RunWarning> warnings;
  std::vector<MemoryReading> memory;            // per process that gave samples, in the same order
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
  // The idle worker of this configuration measured in the same `polyhost run` as this run: set by
  // merge on every run it merges (an empty reading when that run measured none), since the merged
  // file's configurations keep only one input's. Otherwise see Results::idle_memory_of.
  std::optional<MemoryReading> idle_memory;

  std::vector<double> all_samples_ns() const;  // samples_ns flattened, in process order
  // Sets summary from samples_ns (stats::summarize_grouped at its fixed seed) unless it is set
  // already; leaves it empty when there is no sample. The bootstrap of its CI is the costly part of
  // reading a large file, so it is done once.
  void derive_summary();
  std::vector<double> series_ns(std::size_t process) const;  // its warm-up, then its measured iterations
  // Cold: each process's first iteration (parsing, compiling, first execution).
  std::vector<double> cold_ns() const;
  // Warm-up: the median over the processes that reached a steady state of the iterations, and of the
  // seconds, before it; none when no process reached one.
  std::optional<double> warmup_iterations() const;
  std::optional<double> warmup_seconds() const;
  int unsteady_processes() const;  // processes that reached no steady state (too_short_to_tell's included)
  // The processes (0-based) with no steady state whose series the classifier found too short to
  // tell whether they reached one (warmup::Kind::TooShort): more iterations would tell.
  std::vector<std::size_t> too_short_to_tell() const;
  // A memory figure (MemoryReading::*FIELD) of each process that has it, and their median.
  std::vector<double> memory_values(std::optional<double> MemoryReading::*field) const;
  std::optional<double> median_memory(std::optional<double> MemoryReading::*field) const;
  // Ok, and its results accepted: by the workload's verify() when it has one, otherwise by the
  // runner's cross-check between configurations (which marks disagreement as a mismatch).
  bool checked() const { return status == RunStatus::Ok && (verified || !has_verify); }
};

// Two runs of one workload did different work: both are ok (their ratio is computed) and their
// sizes differ. One rule for the runs of one file (its reader) and of the files merged (merge). A run
// that is not ok is never compared: run itself writes invalid runs whose two files gave two sizes.
bool ran_at_different_sizes(const Run& a, const Run& b);

// A timed iteration lasts from a picosecond to the longest --timeout (see results_json.cc). Every
// reader of iteration times checks them against these bounds.
inline constexpr double kMinSampleNs = 1e-3;
inline constexpr double kMaxSampleNs = 1e15;
// Why VALUE is not an iteration time ("expected a number of nanoseconds from 0.001 ..."), or "".
std::string sample_ns_problem(const Json& value);
// A run's own idle memory (Run::idle_memory) in its JSON object, as "idle_memory" when it has one.
void add_run_idle_memory(Json& run_json, const Run& run);
std::optional<MemoryReading> read_run_idle_memory(const JsonNode& run_node);

// median(config) / median(baseline) for one workload, with a bootstrap 95% CI: in steady state
// (the headline), and cold (first iterations).
struct Comparison {
  std::string workload;
  std::string baseline;
  std::string config;
  stats::RatioEstimate ratio;
  std::optional<stats::RatioEstimate> cold_ratio;
  std::optional<stats::RatioEstimate> memory_ratio;  // peak resident memory, over processes
};

// After how many iterations a JIT's cumulative time (cold and warm-up iterations included) drops
// below an interpreter's of the same language for good, for one workload.
struct BreakEven {
  std::string workload;
  std::string jit, interpreter;           // configurations
  std::optional<double> iterations;       // none: never (the JIT is not measurably faster once warm)
  bool extrapolated = false;              // past the measured iterations, at both steady speeds
  bool slower_once_warm = false;          // never, because the JIT is measurably slower once warm
};

// The fewest workloads whose ratios give a tier ratio a 95% bootstrap CI: the project's threshold
// for an interval from few units (processes, samples). Resampling 2 or 3 workloads gives back
// their lowest and highest ratio, and 4 or 5 cover the mean little better.
inline constexpr int kFewestWorkloadsForTierCi = static_cast<int>(stats::kFewestForMedianCi);

// One question the tiers answer, as the geometric mean over workloads of per-workload ratios of
// medians (numerator / denominator), with its interval: from kFewestWorkloadsForTierCi workloads
// a 95% bootstrap CI over the workloads; from fewer the range of their ratios, labelled so ("[range
// a–b]"; in JSON "ci95": null beside "range").
struct TierRatio {
  std::string question;  // "JIT vs V8's own interpreter"
  std::string numerator, denominator;
  double geometric_mean = 0;
  stats::Interval interval{0, 0};  // the 95% CI, or without one the range
  int workloads = 0;
  bool has_ci95() const { return workloads >= kFewestWorkloadsForTierCi; }
};

// How one configuration ran: its engine, its process-wide flags, and the host's own cost per sample.
struct ConfigSetup {
  std::string name;
  std::string engine;  // "V8 10.2.154.26-node.37"
  std::vector<std::string> flags;
  std::optional<double> empty_call_ns;  // an empty run() through this configuration, ns per call
  // A worker of this configuration running an empty run(): rss_after_setup is the engine alone (an
  // empty workload loaded, before any call), what a workload's peak is compared with.
  std::optional<MemoryReading> idle_memory;
  int known_warmup_point = 0;           // calls of run() before which a flat series proves nothing
};

// How a worker process warms up: until the detector finds a steady state (auto), or a fixed count.
// The bounds of --warmup N and --steady-window (host/cli/warmup_options.cc), which a file's settings
// are read within too. Fewer steady iterations cannot show a drift (Mann-Kendall needs 5 to reach
// p < 0.05).
inline constexpr int kMaxFixedWarmup = 1000000;
inline constexpr int kMinSteadyWindow = 5;

struct WarmupPolicy {
  bool automatic = true;
  int fixed_iterations = 0;       // when not automatic
  int window = 10;                // auto: steady iterations needed, also after a known warm-up point
  int max_iterations = 200;       // auto: caps per process; reaching one without a steady state
  double max_seconds = 20;        //   is reported as "no steady state"
  // auto: the steady iterations must also last this long. V8 changes phase on a clock as much as
  // on a count (garbage collection cycles, code it compiles in the background): deltablue's calls
  // of 2.5 ms look steady for 10 iterations and then slow down from the 25th to the 35th.
  double min_steady_seconds = 0.2;
};

// Which shards of a plan a file holds (run --shard K/N: one; merge: those it put together), so a
// merge can tell which are missing.
struct ShardRecord {
  int count = 0;                                // N, the shards of the plan
  std::vector<int> included;                    // 1-based, ascending
  std::vector<std::vector<std::string>> plan;   // plan[k - 1]: the workloads of shard k
  std::string balanced_by;                      // how the split estimated each workload's time
};

// "3 warm-up" or "warm-up until steady: 10 steady iterations lasting 0.2 s, at most 200 iterations or 20 s".
std::string warmup_policy_text(const WarmupPolicy& policy);
// The policy in a file's settings, as polyhost.results/1 and polyhost.scale/1 both write it:
// "warmup" ("auto" or a count) and, for auto, "warmup_policy" {window, max_iterations, max_seconds,
// min_steady_seconds} (files from before the time floor have none: read as 0).
void add_warmup_settings(Json& settings, const WarmupPolicy& policy);
WarmupPolicy read_warmup_settings(const JsonNode& settings);  // throws FileFormatError

struct Settings {
  std::string size_name;  // "quick" or "default"
  int processes = 0, iterations = 0;
  // A run whose processes disagree got more, up to this many (runner/extra_processes.h); equal to
  // processes when none could (files written before the rule: read as processes).
  int max_processes = 0;
  int most_processes() const { return max_processes > processes ? max_processes : processes; }
  // The measured calls of a process go on past `iterations` until they have lasted this long (up to
  // kMaxMeasuredPerIteration times `iterations`); 0 in files written before the rule.
  double min_measure_seconds = 0;
  WarmupPolicy warmup;
  std::vector<std::string> configs;  // in the order asked; configs[0] is the baseline
  double wall_seconds = 0;
  std::optional<ShardRecord> shard;  // when the file holds part of a sharded plan
};

struct Results;

// Each process's measured calls, and the most there can be: a short call is repeated until the
// calls last Settings::min_measure_seconds, up to this many times the planned count.
inline constexpr int kMaxMeasuredPerIteration = 50;

// "10 measured iterations", or "10 measured iterations or more: as many as last 0.3 s in a run's
// first process, and as many in its others".
std::string measured_text(const Settings& settings);

// "3 processes", or "3 processes (up to 9 where they disagree)".
std::string processes_text(const Settings& settings);

// The runs that got more processes than settings.processes because theirs disagreed, each with its
// count ("richards [v8-jit] 9, deltablue [v8-jit] 5"), or "".
std::string runs_with_extra_processes(const Results& results);

// How two files' measurements were made differently ("processes 3 vs 1; warm-up ... vs ...;
// iterations 10 vs 2"), or "": what `merge` refuses and `compare` warns of.
std::string measurement_difference(const Settings& a, const Settings& b);

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
  // Geometric mean over workloads of each configuration's ratio to the baseline (ok rows only):
  // of the steady medians, and of the peak resident memory.
  std::map<std::string, double> geometric_mean_ratio;
  std::map<std::string, double> geometric_mean_memory_ratio;
  std::vector<TierRatio> tier_ratios;
  std::vector<BreakEven> break_evens;
  // Empty unless the runs come from more than one machine (see Machine): then ratios are computed
  // only between runs of one machine.
  std::vector<Machine> machines;

  const ConfigSetup* setup_of(const std::string& config) const;  // nullptr when not recorded
  // The idle worker measured with RUN, what its peak is compared with: its own, else its machine's
  // configuration's, else this file's; nullptr when none was recorded.
  const MemoryReading* idle_memory_of(const Run& run) const;
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
