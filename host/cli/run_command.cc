#include "host/cli/run_command.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "host/cli/problem_line.h"
#include "host/cli/progress_bar.h"
#include "host/cli/comma_list.h"
#include "host/cli/validators.h"
#include "host/export/exporters.h"
#include "host/export/output_files.h"
#include "host/runner/configs.h"
#include "host/runner/extra_processes.h"
#include "host/runner/orchestrator.h"
#include "host/runner/shards.h"
#include "host/runner/subprocess.h"
#include "host/text/format.h"
#include "host/text/layout.h"
#include "host/workload.h"

namespace polyhost {
namespace {

struct RunDefaults {
  int processes, max_processes, iterations;
  double min_measure_seconds;
};
// Chosen with the warm-up defaults (warmup_options.h): the 19-workload suite takes about 3 minutes
// 45 s (default) and 25 s (--quick) on 2 cores, of which the extra processes (runner/extra_processes.h)
// take 10-15% and the minimum measured time about 5%.
constexpr RunDefaults kRunDefault{3, 9, 10, 0.3};
constexpr RunDefaults kRunQuick{2, 4, 5, 0.05};

std::vector<std::string> split_configs(const std::string& text) {
  if (text.empty()) return default_config_names();
  std::vector<std::string> out;
  if (text == "all") {
    for (const auto& c : all_configs()) out.push_back(c.name);
    return out;
  }
  return comma_items(text);
}

std::string known_configs() {
  return text::comma_listed(all_configs(), [](const auto& c) { return c.name; });
}

// --configs's help: every configuration with what it runs.
std::string configs_help() {
  std::string text = "Comma-separated configurations, or 'all' (default: ";
  const auto defaults = default_config_names();
  for (std::size_t i = 0; i < defaults.size(); ++i) text += (i ? "," : "") + defaults[i];
  text += "). Known:";
  for (const auto& c : all_configs()) text += "\n  " + c.name + ": " + c.description;
  return text;
}

// The usage problem with OPTIONS' configurations, or "".
std::string config_problem(const std::vector<std::string>& configs) {
  if (configs.empty()) return "--configs names no configuration";
  for (std::size_t i = 0; i < configs.size(); ++i) {
    if (std::find(configs.begin(), configs.begin() + static_cast<long>(i), configs[i]) != configs.begin() + static_cast<long>(i)) {
      return "configuration '" + configs[i] + "' is named twice in --configs";
    }
    if (!find_config(configs[i])) return "unknown configuration '" + configs[i] + "' (known: " + known_configs() + ", or all)";
  }
  return "";
}

std::vector<WatchedEngine> watched_engines(const std::vector<std::string>& configs) {
  std::vector<WatchedEngine> out;
  for (const auto& name : configs) out.push_back({name, find_config(name)->known_warmup_point});
  return out;
}

}  // namespace

int run_command(const RunCommandOptions& options) {
  RunOptions run;
  run.configs = split_configs(options.configs);
  if (const std::string problem = config_problem(run.configs); !problem.empty()) {
    print_problem("polyhost run", problem);
    return 2;
  }
  try {
    run.workloads = find_workloads(options.targets);
  } catch (const WorkloadError& e) {
    print_problem("polyhost run", e.what());
    return 2;
  }
  if (run.workloads.empty()) {
    std::fprintf(stderr, "polyhost run: no workloads found\n");
    return 2;
  }
  std::optional<ShardSelection> shard;
  try {
    shard = select_shard({options.shard, options.shard_count, options.shard_durations, default_suite_dir()}, run.workloads,
                         run.configs, process_environment());
  } catch (const ShardError& e) {
    print_problem("polyhost run", e.what());
    return 2;
  }
  if (shard) {
    for (const auto& run_left_out : shard->not_used) {
      print_problem("polyhost run", "--shard-durations: not using the damaged run " + run_left_out);
    }
  }
  std::vector<std::string> inputs = workload_files(run.workloads);  // every shard's: no output may replace them
  if (shard) run.workloads = shard->workloads;
  const RunDefaults& d = options.quick ? kRunQuick : kRunDefault;
  run.quick = options.quick;
  run.processes = options.processes.value_or(d.processes);
  // --processes N alone asks for N processes, as pyperf's does; the extra ones come by default or
  // with --max-processes.
  run.max_processes = options.max_processes.value_or(options.processes ? run.processes : d.max_processes);
  run.iterations = options.iterations.value_or(d.iterations);
  // --iterations N alone asks for N measured calls, as --processes N alone asks for N processes.
  run.min_measure_seconds = options.min_measure_seconds.value_or(options.iterations ? 0.0 : d.min_measure_seconds);
  run.timeout_seconds = options.timeout_seconds;
  run.max_heap_mb = options.max_heap_mb;
  run.command_line = options.command_line;
  for (const auto& [option, value] : {std::pair<const char*, int>{"--processes", run.processes}, {"--iterations", run.iterations}}) {
    if (value < 1) {
      std::fprintf(stderr, "polyhost run: %s %d: at least 1 is needed\n", option, value);
      return 2;
    }
  }
  for (const auto& [option, value] : {std::pair<const char*, int>{"--processes", run.processes}, {"--max-processes", run.max_processes}}) {
    if (value > validators::kMaxProcesses) {
      print_problem("polyhost run", std::string(option) + " " + std::to_string(value) + " is above " +
                                        std::to_string(validators::kMaxProcesses));
      return 2;
    }
  }
  if (run.max_processes < run.processes) {
    print_problem("polyhost run", "--max-processes " + std::to_string(run.max_processes) + " is below --processes " +
                                      std::to_string(run.processes) + " (every run gets --processes; --max-processes " +
                                      std::to_string(run.processes) + " turns the extra processes off)");
    return 2;
  }
  std::string warmup_problem;
  if (auto policy = warmup_policy(options.warmup, options.quick, watched_engines(run.configs), warmup_problem)) {
    run.warmup = *policy;
  } else {
    print_problem("polyhost run", warmup_problem);
    return 2;
  }
  Results results;
  const std::vector<OutputFile> outputs = {
      {"--json", options.json, [&](std::ostream& out) { write_results_json(results, out); }},
      {"--csv", options.csv, [&](std::ostream& out) { write_results_csv(results, out); }},
      {"--markdown", options.markdown, [&](std::ostream& out) { write_results_markdown(results, out); }}};
  inputs.push_back(shard ? shard->durations_file : options.shard_durations);
  if (const std::string problem = unwritable_output(outputs, inputs); !problem.empty()) {
    print_problem("polyhost run", problem);
    return 2;
  }

  // A closed stdout (`| head`, `| true`) must not end the run by SIGPIPE with nothing written.
  ::signal(SIGPIPE, SIG_IGN);
  RunProgress progress;
  progress.plan = [](const std::string& line) {  // a shard's plan names its workloads
    std::printf("%s\n", text::escape_controls(line).c_str());
    std::fflush(stdout);
  };
  if (shard) progress.plan(shard->summary);
  // Ctrl-C (or SIGTERM, SIGHUP): stop the worker that is running, keep what was measured, write it,
  // exit 128 + the signal. Until the files are written a signal only asks to stop; after that it
  // ends the program as usual.
  std::optional<InterruptOnSignals> interrupt(std::in_place);
  {
    ProgressBar bar(run.warmup.automatic);
    progress.step = [&bar](int done, int total, const std::string& what) { bar.step(done, total, what); };
    results = run_suite(run, progress);
  }
  if (shard) results.settings.shard = shard->record;

  // The files first, and a closed stdout (`| head`) is an error to report, not a SIGPIPE that
  // would end the program with everything measured still unwritten.
  const bool written = write_outputs(outputs, "polyhost run");
  interrupt.reset();
  // A run that had some of its processes when the interrupt came is ok, with fewer processes.
  const bool interrupted = interrupt_requested();
  write_results_table(results, std::cout, ::isatty(STDOUT_FILENO));
  if (!printed_to_stdout("polyhost run", "the results table") && !interrupted) return 1;
  if (!written) return interrupted ? interrupt_exit_status() : 1;
  if (interrupted) {
    const auto count = [&results](auto&& predicate) { return std::count_if(results.runs.begin(), results.runs.end(), predicate); };
    const auto none = count([](const Run& r) { return r.status == RunStatus::Interrupted; });
    const auto some = count([](const Run& r) {
      return std::any_of(r.warnings.begin(), r.warnings.end(), [](const RunWarning& w) { return w.kind == "fewer processes"; });
    });
    std::fprintf(stderr, "polyhost run: interrupted: %ld %s with no process finished marked interrupted, %ld on fewer "
                         "processes than planned\n", static_cast<long>(none), none == 1 ? "run" : "runs", static_cast<long>(some));
    return interrupt_exit_status();
  }
  // A skipped configuration (its program is not installed) is reported, but is no failure.
  for (const auto& r : results.runs) {
    if (r.status != RunStatus::Ok && r.status != RunStatus::Skipped) return 1;
  }
  return 0;
}

Command add_run_command(CLI::App& app) {
  using namespace validators;
  auto options = std::make_shared<RunCommandOptions>();
  auto* cmd = app.add_subcommand("run", "Measure workloads in JavaScript and Python, verify them, compare them");
  cmd->add_option("workloads", options->targets, "Workload names, workload folders or suite folders (default: the whole suite)");
  cmd->add_option("--configs", options->configs, configs_help())->check(not_empty());
  cmd->add_flag("--quick", options->quick, "Use the workloads' quick sizes and fewer repetitions");
  cmd->add_option("--processes", options->processes,
                  "Fresh worker processes per workload and configuration (default " + std::to_string(kRunDefault.processes) +
                      "; quick " + std::to_string(kRunQuick.processes) + "); given without --max-processes, exactly that many")
      ->check(validators::not_empty());
  cmd->add_option("--max-processes", options->max_processes,
                  "A run whose processes disagree (the 95% CI of the mean of their medians is wider than +-" +
                      text::format_plain_number(kProcessPrecision * 100) + "%) gets more, in extra rounds of one "
                      "process per such run, up to this many (default " + std::to_string(kRunDefault.max_processes) + "; quick " +
                      std::to_string(kRunQuick.max_processes) + "; at least --processes: equal to it, or --processes "
                      "given alone, means no extra ones). An extra process starts only while the extra time so far plus "
                      "its run's slowest process fits in " + text::format_plain_number(kExtraProcessTimeShare * 100) +
                      "% of the planned processes' time, or " + text::format_plain_number(kExtraProcessFloorSeconds) + " s")
      ->check(validators::not_empty());
  add_warmup_options(cmd, options->warmup, "process");
  cmd->add_option("--iterations", options->iterations,
                  "Measured iterations per process (default " + std::to_string(kRunDefault.iterations) + "; quick " +
                      std::to_string(kRunQuick.iterations) + "; given without --min-measure-time, exactly that many)")->check(validators::not_empty());
  cmd->add_option("--min-measure-time", options->min_measure_seconds,
                  "Seconds the measured iterations of a run's first process must last: short ones go on past "
                  "--iterations until then (up to " + std::to_string(kMaxMeasuredPerIteration) + " times --iterations), "
                  "and the run's other processes make as many, so that they span "
                  "what comes round every so many calls, such as a collection of V8's old generation, in proportion "
                  "(default " + text::format_plain_number(kRunDefault.min_measure_seconds) + "; quick " +
                      text::format_plain_number(kRunQuick.min_measure_seconds) + "; 0, or --iterations given alone: exactly --iterations)")
      ->check(seconds(0, true));
  cmd->add_option("--timeout", options->timeout_seconds,
                  "Seconds a worker process may take; then its script is stopped (V8: TerminateExecution, "
                  "Python: an interrupt) and, if it does not stop, the worker is killed (default 120)")
      ->check(seconds(0.01, true));
  cmd->add_option("--max-heap", options->max_heap_mb,
                  "MB per worker: V8's heap limit, or a cap on a Python worker's memory; reaching it is "
                  "out-of-memory, not a crash (default 2048)")
      ->check(megabytes());
  cmd->add_option("--shard", options->shard,
                  "Run only shard K of N of the plan (K/N, 1-based, N at most 10000), or 'auto': K and N from a Kubernetes Indexed "
                  "Job (JOB_COMPLETION_INDEX, with --shard-count) or a Slurm job array (SLURM_ARRAY_TASK_ID/COUNT). "
                  "Whole workloads, balanced by expected time; put the shards back together with polyhost merge")
      ->check(not_empty());
  cmd->add_option("--shard-count", options->shard_count, "N for --shard auto in a Kubernetes Indexed Job (its completions)");
  cmd->add_option("--shard-durations", options->shard_durations,
                  "Balance the shards by the durations in this earlier results file (default: the suite's "
                  "workloads/durations.json when every workload is the suite's, else every workload alike)")
      ->check(not_empty());
  cmd->add_option("--json", options->json, "Write results as JSON (schema polyhost.results/1)")->check(not_empty());
  cmd->add_option("--csv", options->csv, "Write one CSV row per run")->check(not_empty());
  cmd->add_option("--markdown", options->markdown, "Write the results table as Markdown")->check(not_empty());
  cmd->footer(
      "Each (workload, configuration) runs in fresh worker processes, in rounds, then more processes for the\n"
      "runs whose processes disagree (--max-processes); each result, warm-up calls'\n"
      "included, is compared with the first, which the workload's verify() checks once, after the last call,\n"
      "and which must equal the other language's result. Ratios are medians over the\n"
      "baseline's median (v8-jit when it runs) with a 95% bootstrap CI over processes and their iterations;\n"
      "medians carry a 95% CI, bootstrapped the same way (from one process, the order statistics'\n"
      "distribution-free interval). Each process's series is classified for warm-up\n"
      "(flat / warmup / slowdown / no steady state, after Barrett et al.).\n"
      "Verdicts: ok, error, mismatch, invalid, timeout, out-of-memory, stack-overflow, crash, skipped, interrupted.\n"
      "Exit status: 0 when every run is ok or skipped, 1 when any is not, 2 for a usage error,\n"
      "130 when interrupted (Ctrl-C; 143 for SIGTERM, 129 for SIGHUP): what was measured is still written.");
  return {cmd, [options](const Invocation& invocation) {
            options->command_line = invocation.command_line;
            return run_command(*options);
          }};
}

}  // namespace polyhost
