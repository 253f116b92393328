// What `polyhost startup` measures: how long each engine takes to start, and how much memory the
// process holds then, always in fresh processes: the steps inside one process, further instances
// in one process, whole programs as a user starts them, and the time to a workload's first
// result. Its one JSON writer and one checked reader (schema polyhost.startup/1) are below.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "host/model/environment.h"
#include "host/model/json_node.h"
#include "host/stats/difference.h"
#include "host/stats/statistics.h"

namespace polyhost {

inline constexpr const char* kStartupSchema = "polyhost.startup/1";

// One quantity measured once in each of several fresh processes.
struct StartupFigure {
  std::vector<double> samples;            // one per process, in the order measured
  std::optional<stats::Summary> summary;  // median with its interval (ci95_median); none without samples

  // SAMPLES with their summary.
  static StartupFigure of(std::vector<double> samples);
  // Whether the interval is a 95% CI of the median: from stats::kFewestForMedianCi samples up. From
  // fewer (a run interrupted, or one that ended short of its processes) it is the samples' range,
  // and is labelled so: "[range a–b]", and in JSON "ci95": null with "range".
  bool has_ci95() const { return samples.size() >= stats::kFewestForMedianCi; }
  // The interval shown with the median: the 95% CI, or without one the samples' range. Needs a summary.
  stats::Interval interval() const { return has_ci95() ? summary->ci95_median : stats::Interval{summary->min, summary->max}; }
};

// Timeout and OutOfMemory: a first-result worker's workload reached --timeout or --max-heap (as in `run`);
// Invalid: a workload whose files break the contract between them (their sizes differ).
enum class StartupStatus { Ok, Error, Skipped, Interrupted, Timeout, OutOfMemory, Invalid };
// "ok", "error", "skipped", "interrupted", "timeout", "out-of-memory", "invalid"
const char* startup_status_name(StartupStatus status);

// What every row shares: whether it was measured, and why not.
struct StartupOutcome {
  StartupStatus status = StartupStatus::Ok;
  std::string message;  // why, when not ok
};

// One step of an engine's start inside a fresh process; rows come in the order the steps run.
struct StartupPhase : StartupOutcome {
  std::string engine;       // "V8", "CPython"
  std::string phase;        // "platform", "isolate", "context", "empty_script", "initialize", "first_import"
  std::string description;  // "V8 platform initialization (...)"
  StartupFigure time_ns, rss_after_bytes;
};

// The k-th instance of an engine alive in one process.
struct StartupInstanceStep {
  int index = 0;  // k, from 2 (the first instance is the phases')
  StartupFigure time_ns, rss_added_bytes, rss_after_bytes;
};

// The 2nd..Nth instances of one engine in one process.
struct StartupInstances : StartupOutcome {
  std::string engine;       // "V8", "CPython"
  std::string description;  // "isolate + context", "sub-interpreter (Py_NewInterpreter)"
  int count = 0;            // N: the instances alive at the end, the first included
  std::vector<StartupInstanceStep> steps;              // k = 2..N
  StartupFigure mean_time_ns, mean_rss_added_bytes;  // per process, the mean over k = 2..N
};

// A whole program started as a user starts it (no shell), timed from spawn to exit.
struct StartupProcess : StartupOutcome {
  std::string name;         // "node -e 0"
  std::string description;  // what exactly ran: "/usr/bin/node (an executable)"
  std::vector<std::string> argv;
  StartupFigure time_ns, peak_rss_bytes;
};

// A cost shown apart: one program's median time minus another's (a launcher script, site).
struct StartupDifference {
  std::string name;                 // "pyenv shim"
  std::string description;          // what the difference is the cost of
  std::string minuend, subtrahend;  // names of processes rows
  std::optional<stats::DifferenceEstimate> estimate;  // in ns; none when a side has no samples
  // Whether estimate's interval is a 95% CI: both sides have stats::kFewestForMedianCi samples.
  // Otherwise it is a bootstrap interval that is not one (JSON: "ci95_ns": null, "interval_ns").
  bool has_ci95 = false;
};

// How long a workload takes to its first result in a fresh worker process, step by step.
struct StartupFirstResult : StartupOutcome {
  std::string workload, config;
  std::string engine;  // "V8 10.2...", "CPython 3.11.7"
  std::int64_t size = 0;
  bool has_setup = false;
  // Starting the runtime (V8's platform, or the CPython interpreter), polyhost's engine on it (an
  // isolate and context with prelude.js, or prelude.py), loading the file, setup(n), the first
  // run(n), and their sum.
  StartupFigure start_ns, engine_ns, load_ns, setup_ns, run_ns, total_ns;
  StartupFigure rss_after_bytes, peak_rss_bytes;  // when the first result is there
};

struct StartupSettings {
  bool quick = false;
  int processes = 0;               // fresh processes per in-process and per whole-process figure
  int first_result_processes = 0;  // per workload and configuration
  int instances = 0;               // N
  std::string size_name;           // of the workloads, for the time to first result
  std::vector<std::string> configs;
  double wall_seconds = 0;
  std::size_t max_heap_mb = 0;  // the first-result workers' memory cap (0: none, or not recorded)
};

struct StartupReport {
  Environment environment;
  StartupSettings settings;
  std::vector<StartupPhase> phases;
  std::vector<StartupInstances> instances;
  std::vector<StartupProcess> processes;
  std::vector<StartupDifference> differences;
  std::vector<StartupFirstResult> first_results;

  const StartupProcess* find_process(const std::string& name) const;
  // One line per row that is not ok or skipped: "fib [cpython]: error: why".
  std::vector<std::string> problems() const;
  // One line per skipped row: "pypy3 -c pass: pypy3 is not on PATH".
  std::vector<std::string> skipped() const;
};

// The difference's estimate from the two processes' time samples (none when a side has none), and
// whether its interval is a 95% CI: DIFFERENCE's estimate and has_ci95.
void estimate_difference(const StartupReport& report, StartupDifference& difference);

// Whether any figure of REPORT with samples, or any difference, has an interval that is not a 95% CI.
bool has_figures_without_ci95(const StartupReport& report);
bool has_differences_without_ci95(const StartupReport& report);

void write_startup_json(const StartupReport& report, std::ostream& out);
// Throws FileFormatError naming FILE and the JSON path of what is wrong, including a figure whose
// median or CI is not what its samples give.
StartupReport read_startup_json(const Json& document, const std::string& file);

}  // namespace polyhost
