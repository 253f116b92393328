#include "host/runner/orchestrator.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <sstream>

#include "host/model/worker_message.h"
#include "host/runner/analysis.h"
#include "host/runner/configs.h"
#include "host/runner/environment.h"
#include "host/runner/extra_processes.h"
#include "host/runner/steady_state_watch.h"
#include "host/runner/worker_client.h"
#include "host/stats/warmup.h"
#include "host/text/format.h"
#include "host/value_compare.h"

namespace polyhost {
namespace {

// "10 to 200 iterations (cpython from 18)": the fewest warm-up iterations a process makes under
// --warmup auto before the time cap (the classifier's minimum and the window; for an engine with a
// known warm-up point, that point plus the window), for the configurations that make the fewest and
// then for the others, and the cap.
std::string warmup_range_text(const WarmupPolicy& policy, const std::vector<std::string>& configs) {
  const int least = std::max(policy.window, static_cast<int>(warmup::kMinimumIterations));
  std::map<std::string, int> fewest;
  for (const auto& name : configs) {
    const Config* config = find_config(name);
    fewest[name] = config && config->known_warmup_point > 0 ? std::max(least, config->known_warmup_point + policy.window) : least;
  }
  int lowest = least;
  if (!fewest.empty()) {
    lowest = std::min_element(fewest.begin(), fewest.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->second;
  }
  std::vector<std::string> later;
  for (const auto& name : configs) {
    if (fewest[name] > lowest) later.push_back(name + " from " + std::to_string(fewest[name]));
  }
  std::string text = (lowest < policy.max_iterations ? std::to_string(lowest) + " to " : std::string()) +
                     std::to_string(policy.max_iterations) + " iterations";
  if (!later.empty()) text += " (" + text::comma_listed(later) + ")";
  return text;
}

// What one worker process gave: its message, or how it failed; with auto warm-up, where its steady
// state started.
struct WorkerResult {
  RunStatus status = RunStatus::Ok;
  std::string message;
  std::optional<WorkerMessage> contents;
  std::optional<std::size_t> steady_from;
};

// How many measured calls a worker makes: ITERATIONS, and more until they last MIN_SECONDS.
struct MeasuredCalls {
  int iterations;
  double min_seconds;
};

// KNOWN_POINT: the configuration's known warm-up point (auto warm-up); CALIBRATE: an empty run().
WorkerResult run_workload_worker(const std::vector<std::string>& command, const std::string& file, const RunOptions& options,
                                 const MeasuredCalls& calls, int known_point, bool calibrate) {
  const bool automatic = options.warmup.automatic && !calibrate;
  const long long max_measured = std::min<long long>(static_cast<long long>(calls.iterations) * kMaxMeasuredPerIteration,
                                                     std::numeric_limits<int>::max());
  std::vector<std::string> argv = command;
  for (const std::string& arg : {std::string("--file"), file, std::string("--size"),
                                 std::string(options.quick ? "quick" : "default"), std::string("--warmup"),
                                 automatic ? std::string("auto") : std::to_string(options.warmup.fixed_iterations),
                                 std::string("--iterations"), std::to_string(calls.iterations),
                                 std::string("--min-measure-time"), text::format_plain_number(calibrate ? 0.0 : calls.min_seconds),
                                 std::string("--max-measured"), std::to_string(max_measured),
                                 std::string("--result-fd"),
                                 std::to_string(kMessageFd), std::string("--timeout"),
                                 std::to_string(options.timeout_seconds), std::string("--max-heap"),
                                 std::to_string(options.max_heap_mb)}) {
    argv.push_back(arg);
  }
  if (calibrate) argv.push_back("--calibrate");
  SteadyStateWatch watch(options.warmup, known_point);
  const WorkerOutcome outcome = run_worker_process(
      argv, options.timeout_seconds, "its --timeout of " + text::format_plain_number(options.timeout_seconds) + " s",
      options.max_heap_mb, automatic ? ProtocolHandler([&watch](const std::string& line) { return watch.answer(line); })
                                     : ProtocolHandler());
  WorkerResult out;
  out.steady_from = watch.steady_from();
  const std::string hint = outcome.stderr_lines(8).empty() ? "" : "\n" + outcome.stderr_lines(8);
  if (outcome.status != RunStatus::Ok) {
    // The worker could not say which workload it ran, as its report does: FILE is named here.
    const bool workload_ended_it = outcome.started && outcome.status != RunStatus::Interrupted && !file.empty();
    out.status = outcome.status;
    out.message = (workload_ended_it ? file + ": " : "") + outcome.message +
                  (outcome.status == RunStatus::Crash || outcome.status == RunStatus::Error ? hint : "");
    return out;
  }
  try {
    out.contents = read_worker_message(outcome.text);
  } catch (const FileFormatError& e) {
    out.status = RunStatus::Crash;
    out.message = "the worker exited with status " + std::to_string(outcome.exit_status) +
                  " and a malformed report (" + e.what() + ")" + hint;
    return out;
  }
  out.status = out.contents->status;
  out.message = out.contents->message;
  return out;
}

// The host's own cost per sample: an empty run() through each configuration.
void calibrate(Results& results, const std::map<std::string, std::vector<std::string>>& commands, const RunOptions& options,
               const RunProgress& progress, int& done, int total) {
  for (const auto& name : results.settings.configs) {
    auto command = commands.find(name);
    if (command == commands.end()) continue;
    if (progress.step) progress.step(done++, total, "calibrating " + name);
    const WorkerResult worker = run_workload_worker(command->second, "", options, {options.iterations, 0}, 0, /*calibrate=*/true);
    if (worker.status != RunStatus::Ok || !worker.contents) continue;
    ConfigSetup& setup = results.setup_for(name);
    if (!worker.contents->samples_ns.empty()) setup.empty_call_ns = stats::median(worker.contents->samples_ns);
    setup.engine = worker.contents->engine;
    setup.idle_memory = worker.contents->memory;
    if (!worker.contents->flags.empty()) setup.flags = worker.contents->flags;
  }
}

// An interrupt (Ctrl-C, SIGTERM, SIGHUP) came before RUN's processes were all done: with none done
// it is `interrupted`; with some, it stays ok and its figures rest on those (analysis warns that it
// has fewer processes).
void stop_interrupted(Run& run, const std::string& message) {
  if (run.processes > 0) return;
  run.status = RunStatus::Interrupted;
  run.message = message;
}

// Adds one process's message to RUN; a result that differs from an earlier process's is a mismatch.
// PROCESS is 0-based; WHICH names it in a failure's message ("process 2 of 3").
void add_worker_process(Run& run, WorkerResult& worker, int process, const std::string& which, bool automatic,
                        std::map<std::string, std::map<std::string, std::int64_t>>& sizes) {
  if (worker.contents) {
    const WorkerMessage& m = *worker.contents;
    if (m.size) run.size = *m.size;
    if (!m.sizes.empty() && !sizes.count(run.config)) sizes[run.config] = m.sizes;
    run.has_verify = m.has_verify;
    if (!m.samples_ns.empty()) {
      run.samples_ns.push_back(m.samples_ns);
      run.warmup_ns.push_back(m.warmup_ns);
      run.memory.push_back(m.memory);
      if (automatic) run.steady_from.push_back(worker.steady_from);
      run.processes++;
    }
    if (m.result && worker.status == RunStatus::Ok) {
      if (!run.result) {
        run.result = m.result;
        run.verified = m.verified;
      } else if (auto diff = find_difference(*run.result, *m.result)) {
        worker.status = RunStatus::Mismatch;
        worker.message = "processes 1 and " + std::to_string(process + 1) + " returned different results: " + *diff;
      } else {
        run.verified = run.verified && m.verified;
      }
    }
  }
  if (worker.status == RunStatus::Interrupted) {
    stop_interrupted(run, worker.message);
  } else if (worker.status != RunStatus::Ok) {
    // A failure is final: the run's later processes are not started. One after a process that
    // finished says which it was (a crash or timeout that comes only sometimes).
    run.status = worker.status;
    run.message = worker.message;
    if (process > 0 && run.message.rfind("processes 1 and ", 0) != 0) {
      run.message = which + ": " + run.message;
    }
  }
}

}  // namespace

Results run_suite(const RunOptions& options, const RunProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  const std::string self = self_executable();
  Results results;
  results.environment = collect_environment(options.command_line);
  Settings& settings = results.settings;
  settings.size_name = options.quick ? "quick" : "default";
  settings.processes = options.processes;
  settings.max_processes = std::max(options.processes, options.max_processes);
  settings.warmup = options.warmup;
  settings.iterations = options.iterations;
  settings.min_measure_seconds = options.min_measure_seconds;
  // The baseline goes first: exporters divide by configs[0].
  settings.configs = options.configs;
  const std::string baseline = baseline_of(settings.configs);
  settings.configs.erase(std::find(settings.configs.begin(), settings.configs.end(), baseline));
  settings.configs.insert(settings.configs.begin(), baseline);
  std::map<std::string, std::vector<std::string>> commands;  // per available configuration
  std::map<std::string, std::string> skipped;                 // per unavailable one: why
  for (const auto& name : settings.configs) {
    const Config* config = find_config(name);
    results.setup_for(name).flags = config->flags();
    results.setup_for(name).known_warmup_point = config->known_warmup_point;
    std::string reason;
    if (auto command = worker_command(*config, self, options.max_heap_mb, reason)) {
      commands[name] = *command;
    } else {
      skipped[name] = reason;
    }
  }

  std::vector<std::map<std::string, std::map<std::string, std::int64_t>>> sizes(options.workloads.size());
  for (const auto& workload : options.workloads) {
    for (const auto& name : settings.configs) {
      const Config* config = find_config(name);
      Run run;
      run.workload = workload.name;
      run.language = language_name(config->language);
      run.config = name;
      run.size_name = settings.size_name;
      if (skipped.count(name)) {
        run.status = RunStatus::Skipped;
        run.message = skipped[name];
      } else if (std::string missing = workload.missing_file(config->language); !missing.empty()) {
        run.status = RunStatus::Invalid;
        run.message = missing;
      }
      results.runs.push_back(std::move(run));
    }
  }
  // The worker processes the plan starts: the calibrations and the rounds of the runs that can run
  // (a skipped configuration or a workload without the language's file starts none). Also the
  // progress bar's steps, so a failure's later processes still count as done steps.
  std::vector<bool> planned;  // per run
  for (const Run& run : results.runs) planned.push_back(run.status == RunStatus::Ok);
  const int total = static_cast<int>(std::count(planned.begin(), planned.end(), true)) * options.processes +
                    static_cast<int>(commands.size());
  std::vector<std::string> running_configs;  // the plan's warm-up range leaves the skipped ones out
  for (const auto& name : options.configs) {
    if (!skipped.count(name)) running_configs.push_back(name);
  }
  std::ostringstream plan;
  plan << "Plan: " << text::counted(static_cast<std::int64_t>(options.workloads.size()), "workload", "workloads") << " x "
       << text::counted(static_cast<std::int64_t>(options.configs.size()), "configuration", "configurations") << " x "
       << processes_text(settings) << " x (";
  if (options.warmup.automatic) {
    plan << "warm-up until steady (" << options.warmup.window << " iterations and "
         << text::format_plain_number(options.warmup.min_steady_seconds) << " s), "
         << warmup_range_text(options.warmup, running_configs) << " or "
         << text::format_plain_number(options.warmup.max_seconds) << " s";
  } else {
    plan << options.warmup.fixed_iterations << " warm-up";
  }
  plan << " + " << measured_text(settings) << "), " << settings.size_name << " sizes: "
       << text::counted(total, "worker process", "worker processes") << " ("
       << text::counted(static_cast<std::int64_t>(commands.size()), "calibration", "calibrations") << " of the empty call included)";
  if (settings.most_processes() > settings.processes) plan << ", then more where a run's processes disagree";
  if (progress.plan) progress.plan(plan.str());
  if (const std::string busy = busy_machine_note(results.environment); progress.plan && !busy.empty()) {
    progress.plan("note: " + busy);
  }
  int done = 0;
  calibrate(results, commands, options, progress, done, total);

  // Rounds: each round runs one process of every workload and configuration, so a disturbance of
  // the machine that lasts a while reaches one process of a run, not all of them (it still moves
  // the pooled median, less).
  const std::size_t per_workload = settings.configs.size();
  std::vector<double> slowest_worker(results.runs.size(), 0.0);  // per run, seconds of its slowest process
  // Per run, the measured calls of its first process, which its later processes make too: with
  // --min-measure-time a faster process would make more calls and weigh more in the pooled median.
  std::vector<int> measured_calls(results.runs.size(), 0);
  // One process of run INDEX (workload W); false when the run is done (a failure, an interrupt).
  // SHOWN_TOTAL: the progress bar's number of steps; WHICH: the process's name in a failure.
  const auto run_one_process = [&](std::size_t w, std::size_t index, int p, int shown_total, const std::string& step,
                                   const std::string& which) {
    Run& run = results.runs[index];
    const Workload& workload = options.workloads[w];
    const Config* config = find_config(run.config);
    if (progress.step) progress.step(done++, shown_total, workload.name + " | " + run.config + " | " + step);
    if (run.status != RunStatus::Ok) return false;  // a failure is final for this run
    if (interrupt_requested()) {
      stop_interrupted(run, "not finished: the run was interrupted (" + interrupt_cause() + ")");
      return false;
    }
    const auto began = std::chrono::steady_clock::now();
    const MeasuredCalls calls = measured_calls[index] > 0 ? MeasuredCalls{measured_calls[index], 0}
                                                          : MeasuredCalls{options.iterations, options.min_measure_seconds};
    WorkerResult worker = run_workload_worker(commands[run.config], workload.file_for(config->language).string(), options,
                                              calls, config->known_warmup_point, /*calibrate=*/false);
    if (measured_calls[index] == 0 && worker.contents && !worker.contents->samples_ns.empty()) {
      measured_calls[index] = static_cast<int>(worker.contents->samples_ns.size());
    }
    slowest_worker[index] =
        std::max(slowest_worker[index], std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
    add_worker_process(run, worker, p, which, options.warmup.automatic, sizes[w]);
    return true;
  };
  const auto planned_began = std::chrono::steady_clock::now();
  for (int p = 0; p < options.processes; ++p) {
    for (std::size_t w = 0; w < options.workloads.size(); ++w) {
      for (std::size_t i = 0; i < per_workload; ++i) {
        if (!planned[w * per_workload + i]) continue;
        const std::string which = "process " + std::to_string(p + 1) + " of " + std::to_string(options.processes);
        run_one_process(w, w * per_workload + i, p, total, "process " + std::to_string(p + 1) + "/" + std::to_string(options.processes),
                        which);
      }
    }
  }
  // Each workload's runs checked against each other (sizes, results): once the planned rounds have
  // given them, so that no extra process goes to a run they rule out, and again at the end.
  const auto cross_check_workloads = [&] {
    for (std::size_t w = 0; w < options.workloads.size(); ++w) {
      std::vector<Run*> runs;
      for (std::size_t i = 0; i < per_workload; ++i) runs.push_back(&results.runs[w * per_workload + i]);
      cross_check(runs, sizes[w]);
    }
  };
  cross_check_workloads();
  // Extra rounds: one more process for each run whose processes disagree (extra_processes.h), the
  // best value first, as long as the run's slowest process so far still fits in the time budget;
  // until no run needs one.
  const double budget = extra_process_budget(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - planned_began).count());
  double spent = 0;
  for (bool ran = true; ran && !interrupt_requested();) {
    ran = false;
    const std::vector<std::size_t> round = extra_process_order(results.runs, slowest_worker, settings.max_processes);
    for (std::size_t position = 0; position < round.size() && !interrupt_requested(); ++position) {
      const std::size_t index = round[position];
      if (spent + slowest_worker[index] > budget) continue;  // a cheaper run may still fit
      const int p = results.runs[index].processes;
      const auto began = std::chrono::steady_clock::now();
      const std::string which =
          "extra process " + std::to_string(p + 1) + " (" + std::to_string(options.processes) + " planned)";
      // The bar's total: every process the round's runs may still get (more than the budget allows,
      // but never a full bar while some may come, and never shrinking as they come).
      int may_come = 0;
      for (std::size_t j : round) may_come += settings.max_processes - results.runs[j].processes;
      ran = run_one_process(index / per_workload, index, p, done + may_come,
                            "extra process " + std::to_string(p + 1) + " (up to " + std::to_string(settings.max_processes) + ")",
                            which) || ran;
      spent += std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    }
  }
  cross_check_workloads();
  for (std::size_t w = 0; w < options.workloads.size(); ++w) {
    // A worker that crashed before its message did not say its size; another file of the workload did.
    for (std::size_t i = 0; i < per_workload; ++i) {
      Run* run = &results.runs[w * per_workload + i];
      if (run->size != 0) continue;
      for (const auto& [config, known] : sizes[w]) {
        if (auto it = known.find(run->size_name); it != known.end()) run->size = it->second;
      }
    }
  }
  compute_statistics(results);
  settings.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return results;
}

}  // namespace polyhost
