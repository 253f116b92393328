// What `polyhost scale` measures: how throughput grows with threads, per workload and mode (V8
// isolates, CPython threads, sub-interpreters, processes, and the reference runtimes), as one typed
// document. Its one JSON writer and one checked reader (schema polyhost.scale/1) are below; the
// statistics are derived from the per-process samples, by writer and reader alike.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "host/model/environment.h"
#include "host/model/json_node.h"
#include "host/model/results.h"
#include "host/stats/statistics.h"

namespace polyhost {

inline constexpr const char* kScaleSchema = "polyhost.scale/1";

// One thread's part of one worker process (for the processes modes: one of the processes that ran
// at once): its verdict and its iteration times.
struct ScaleThread {
  RunStatus status = RunStatus::Ok;
  std::string message;  // why, when not ok
  std::vector<double> warmup_ns, samples_ns;
  // With --warmup auto: the 0-based index into warmup_ns where the detector found this thread's
  // steady state; none when a cap ended its warm-up first (or, with a fixed warm-up, always).
  std::optional<std::size_t> steady_from;
};

// One fresh worker process of a run: T threads that ran the same run(n) calls at the same time.
struct ScaleProcess {
  int iterations = 0;  // measured run(n) calls per thread (the same for every thread)
  double wall_ns = 0;  // from the first thread's first measured call to the last thread's last return
  std::vector<ScaleThread> threads;

  // threads * iterations / wall: iterations per second over all threads; 0 without a wall time.
  double throughput_per_s() const;
};

// What a run's interval is: a 95% confidence interval, or only the range of its few processes.
enum class ScaleInterval { Ci95, Range };

// One workload in one mode at one thread count, over its worker processes.
struct ScaleRun {
  std::string workload;
  std::string mode;      // "v8-isolates", "cpython-threads", ...
  std::string language;  // "js" / "py"
  int threads = 1;
  RunStatus status = RunStatus::Ok;
  std::string message;  // why, when not ok ("thread 2 of 2: file:line:col: Error: ...")
  std::string size_name;
  std::int64_t size = 0;
  bool has_verify = false;
  bool verified = false;  // verify() accepted every thread's result in every process
  std::vector<ScaleProcess> processes;

  // Derived from the processes by derive_scale_statistics, for ok runs only:
  std::optional<double> throughput_per_s;  // the median over processes
  // What the intervals below are: 95% CIs when this run and its T=1 run each have at least
  // stats::kFewestForMedianCi processes; else the processes' ranges, since the order statistics
  // of fewer cover the median less often than 95% (3 processes: 75%).
  ScaleInterval interval = ScaleInterval::Ci95;
  // Ci95: the distribution-free 95% CI of that median; Range: the lowest to the highest process.
  stats::Interval throughput_interval{0, 0};
  // throughput / the same mode's T=1 throughput (ratio of medians); exactly 1 at T=1; nothing when
  // the T=1 run is not ok. Its `ci95` is, by `interval`: the bootstrap 95% CI over the processes
  // of both, or the range of one process's throughput over another's (lowest over the highest T=1
  // process to highest over the lowest).
  std::optional<stats::RatioEstimate> speedup;
  std::optional<stats::RatioEstimate> efficiency;  // speedup / T, with the interval divided likewise
  // "no steady state" when, with --warmup auto, a thread that measured had reached a warm-up cap
  // without settling; "short measured part" when in some process the threads' measured calls together
  // filled less than half of the measured part's wall time (the lanes' start skew dominates).
  // Derived, as the statistics are.
  std::vector<RunWarning> warnings;

  // Threads (over all processes) that made measured calls, and those of them that never settled.
  int measured_threads() const;
  int unsteady_threads() const;
};

// A mode as it ran here: which engine, and how its threads can run at once.
struct ScaleModeInfo {
  std::string name;
  std::string language;
  std::string engine;       // "V8 10.2.154.26-node.37", "CPython 3.11.7", "" when it did not run
  std::string what;         // what runs for T threads
  std::string parallelism;  // what lets (or keeps) the threads run at once
  std::vector<std::string> flags;  // the engine's flags, where the mode sets some
};

struct ScaleSettings {
  std::string size_name;  // "quick" or "default"
  int processes = 0;      // fresh worker processes per (workload, mode, thread count)
  WarmupPolicy warmup;    // per thread, after setup: until steady (auto) or a fixed number of calls
  int min_iterations = 0;  // measured calls per thread, at least
  double min_time_s = 0;   // ...and enough of them for the measured part to last about this long
  double timeout_s = 0;
  std::vector<int> thread_counts;
  std::vector<std::string> modes;
  double wall_seconds = 0;
  // The CPUs the run could use (its CPU affinity and cgroup quota), which the default thread counts
  // and the notes go by; environment.cpu_count is the machine's. 0: not recorded (older files).
  int usable_cpus = 0;
};

struct ScaleReport {
  Environment environment;
  ScaleSettings settings;
  std::vector<ScaleModeInfo> modes;
  std::vector<std::string> notes;  // what the reader must know to read the numbers (the GIL, cores)
  std::vector<ScaleRun> runs;

  const ScaleRun* find(const std::string& workload, const std::string& mode, int threads) const;
  std::vector<std::string> workload_names() const;  // in order of first appearance
};

// What each thread does, for the plan and the Markdown: "per thread 1 warm-up call, then exactly 2
// measured calls" (--min-time 0), "..., then at least 5 measured calls (enough for ~0.5 s)".
std::string scale_calls_text(const ScaleSettings& settings);

// Fills every run's throughput, speedup, efficiency and warnings from its processes (see ScaleRun).
void derive_scale_statistics(ScaleReport& report);

void write_scale_json(const ScaleReport& report, std::ostream& out);
// Throws FileFormatError naming FILE and the JSON path of what is wrong, including statistics that
// the file's own samples do not give.
ScaleReport read_scale_json(const Json& document, const std::string& file);

}  // namespace polyhost
