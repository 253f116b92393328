#include "host/scale/scale_runner.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

#include "host/model/scale_worker_message.h"
#include "host/python/python_interpreter.h"
#include "host/runner/environment.h"
#include "host/runner/steady_state_watch.h"
#include "host/runner/subprocess.h"
#include "host/runner/worker_client.h"
#include "host/scale/scale_modes.h"
#include "host/text/format.h"
#include "host/value_compare.h"
#include "host/workload.h"

namespace polyhost {
namespace {

// What one scale worker process gave: its message, or how it failed.
struct ScaleWorkerResult {
  RunStatus status = RunStatus::Ok;
  std::string message;
  std::optional<ScaleWorkerMessage> contents;
};

// The worker's own options for the warm-up POLICY: the embedded lanes watch their own series; a
// reference script is told only "auto" and asks the host (lane_watches) after each call.
std::vector<std::string> warmup_args(const WarmupPolicy& policy, bool reference) {
  if (!policy.automatic) return {"--warmup", std::to_string(policy.fixed_iterations)};
  if (reference) return {"--warmup", "auto"};
  return {"--warmup", "auto", "--steady-window", std::to_string(policy.window), "--max-warmup",
          std::to_string(policy.max_iterations), "--max-warmup-time", text::format_plain_number(policy.max_seconds),
          "--min-steady-time", text::format_plain_number(policy.min_steady_seconds)};
}

// The host's side of a reference script's auto warm-up: one SteadyStateWatch per lane, answering
// its lanes' "@iteration K NS" lines (K: the lane, 1-based).
class LaneWatches {
 public:
  LaneWatches(int lanes, const WarmupPolicy& policy, int known_point)
      : watches_(static_cast<std::size_t>(lanes), SteadyStateWatch(policy, known_point)) {}

  std::string answer(const std::string& line) {
    static const std::string kIteration = "@iteration ";
    if (line.rfind(kIteration, 0) != 0) return "";
    char* end = nullptr;
    const long lane = std::strtol(line.c_str() + kIteration.size(), &end, 10);
    // A line for no lane of ours cannot be watched: that lane measures now rather than wait forever.
    if (lane < 1 || static_cast<std::size_t>(lane) > watches_.size()) return "measure\n";
    return watches_[static_cast<std::size_t>(lane - 1)].warmed_up_after(std::strtod(end, nullptr)) ? "measure\n"
                                                                                                     : "more\n";
  }
  // Where each lane's steady state started, into MESSAGE's threads.
  void record(ScaleWorkerMessage& message) const {
    for (std::size_t k = 0; k < message.threads.size() && k < watches_.size(); ++k) {
      message.threads[k].steady_from = watches_[k].steady_from();
    }
  }

 private:
  std::vector<SteadyStateWatch> watches_;
};

// Whether MODE's lanes are threads of the worker process itself, so that a lane can end it.
bool lanes_share_the_worker(const ScaleMode& mode) {
  if (mode.kind == LaneKind::Processes) return false;
  return mode.kind != LaneKind::Reference ||
         std::find(mode.reference_args.begin(), mode.reference_args.end(), "processes") == mode.reference_args.end();
}

// Whether a reference runtime's stderr shows its own fatal error in polyhost's worker script (node
// that cannot parse scale_worker.js): that runtime failed, not a lane's exit. An error line that
// does not name the worker script, or that names the workload's FILE too, may be the workload's
// own output before it ended the process.
bool runtime_reported_its_own_error(const std::string& stderr_tail, const std::string& file) {
  static const std::regex fatal(R"((^|\n)(Traceback \(most recent call last\)|[A-Za-z_.]*(Error|Exception)\b( \[\w+\])?:))");
  const bool in_worker_script = stderr_tail.find("scale_worker.") != std::string::npos;
  const bool names_workload = stderr_tail.find(std::filesystem::path(file).filename().string()) != std::string::npos;
  return in_worker_script && !names_workload && std::regex_search(stderr_tail, fatal);
}

// A worker whose lanes share its process, gone without a report by an exit (not a signal) that is
// not its own failure (to write the report, or of the reference runtime itself): one of its lanes
// ended it (os._exit, or exit() from native code). Which one cannot be known; the file and the
// number of threads can. As in `run`, status 0 without a report is an error, any other a crash.
std::optional<ScaleWorkerResult> ended_by_a_lane(const WorkerOutcome& outcome, const ScaleMode& mode, const std::string& file,
                                                 int threads) {
  const bool exited_without_report = (outcome.status == RunStatus::Crash || outcome.status == RunStatus::Error) &&
                                     outcome.started && outcome.text.empty() && outcome.exit_status >= 0;
  if (!exited_without_report || !lanes_share_the_worker(mode) ||
      outcome.stderr_tail.find("writing the message") != std::string::npos ||
      (mode.kind == LaneKind::Reference && runtime_reported_its_own_error(outcome.stderr_tail, file))) {
    return std::nullopt;
  }
  ScaleWorkerResult out;
  out.status = outcome.exit_status == 0 ? RunStatus::Error : RunStatus::Crash;
  out.message = file + ": the workload ended the process (os._exit, or exit() from native code) with status " +
                std::to_string(outcome.exit_status) +
                (threads == 1 ? " in its thread"
                              : " in one of its " + std::to_string(threads) + " threads (which one is not known: the worker could not report)");
  if (outcome.exit_status == 0) out.message += ", or replaced the descriptor the worker reports on";
  return out;
}

ScaleWorkerResult run_scale_worker_process(const std::vector<std::string>& command, const std::string& file,
                                           int threads, const ScaleMode& mode, const ScaleOptions& options) {
  const bool reference = mode.kind == LaneKind::Reference;
  std::vector<std::string> argv = command;
  const std::vector<std::string> own = {"--file", file, "--size", options.quick ? "quick" : "default",
                                        "--threads", std::to_string(threads),
                                        "--iterations", std::to_string(options.min_iterations),
                                        "--min-time", text::format_plain_number(options.min_time_s),
                                        "--timeout", text::format_plain_number(options.timeout_seconds),
                                        "--max-heap", std::to_string(options.max_heap_mb),
                                        "--result-fd", std::to_string(kMessageFd)};
  argv.insert(argv.end(), own.begin(), own.end());
  const std::vector<std::string> warmup = warmup_args(options.warmup, reference);
  argv.insert(argv.end(), warmup.begin(), warmup.end());
  LaneWatches watches(threads, options.warmup, known_warmup_point(mode));
  const bool watched = reference && options.warmup.automatic;
  const WorkerOutcome outcome = run_worker_process(
      argv, options.timeout_seconds, "its --timeout of " + text::format_plain_number(options.timeout_seconds) + " s",
      options.max_heap_mb,
      watched ? ProtocolHandler([&watches](const std::string& line) { return watches.answer(line); })
              : ProtocolHandler());
  ScaleWorkerResult out;
  const std::string hint = outcome.stderr_lines(8).empty() ? "" : "\n" + outcome.stderr_lines(8);
  if (auto by_a_lane = ended_by_a_lane(outcome, mode, file, threads)) {
    by_a_lane->message += hint;
    return *by_a_lane;
  }
  if (outcome.status != RunStatus::Ok) {
    out.status = outcome.status;
    out.message = outcome.message + (outcome.status == RunStatus::Crash ? hint : "");
    return out;
  }
  try {
    out.contents = read_scale_worker_message(outcome.text);
  } catch (const FileFormatError& e) {
    out.status = RunStatus::Crash;
    out.message = "the worker exited with status " + std::to_string(outcome.exit_status) + " and a malformed report (" +
                  e.what() + ")" + hint;
    return out;
  }
  if (watched) watches.record(*out.contents);
  out.status = out.contents->status;
  out.message = out.contents->message;
  return out;
}

// An interrupt (Ctrl-C, SIGTERM, SIGHUP) came before RUN's processes were all done: with none done
// it is `interrupted`; with some, it stays ok and its figures rest on those (derive_scale_statistics
// warns that it has fewer processes), as in `run`.
void stop_interrupted(ScaleRun& run, const std::string& message) {
  if (!run.processes.empty()) return;
  run.status = RunStatus::Interrupted;
  run.message = message;
}

// Adds one process's message to RUN; a result that differs from an earlier process's is a mismatch.
void add_scale_process(ScaleRun& run, ScaleWorkerResult& worker, int process, std::optional<Value>& result, ScaleModeInfo& mode) {
  if (worker.contents) {
    ScaleWorkerMessage& m = *worker.contents;
    if (m.size) run.size = *m.size;
    run.has_verify = run.has_verify || m.has_verify;
    if (mode.engine.empty()) mode.engine = m.engine;
    run.processes.push_back(ScaleProcess{m.iterations, m.wall_ns, std::move(m.threads)});
    if (worker.status == RunStatus::Ok) {
      if (!result) {
        result = m.result;
        run.verified = m.verified;
      } else if (auto diff = m.result ? find_difference(*result, *m.result) : std::nullopt) {
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
    run.status = worker.status;
    run.message = worker.message;
    run.verified = false;
  }
}

void mark_mismatch(ScaleRun& run, const std::string& message) {
  if (run.status != RunStatus::Ok) return;
  run.status = RunStatus::Mismatch;
  run.message = message;
  run.verified = false;
}

// The sizes each of WORKLOAD's runs that loaded its file found there (SIZES, per run index).
std::vector<DeclaredSizes> declared_sizes(const ScaleReport& report, const std::string& workload,
                                          const std::map<std::size_t, std::map<std::string, std::int64_t>>& sizes) {
  std::vector<DeclaredSizes> out;
  for (const auto& [index, declared] : sizes) {
    const ScaleRun& run = report.runs[index];
    if (run.workload == workload) out.push_back({run.language, declared});
  }
  return out;
}

// The run whose result MODE is judged by on WORKLOAD: its single-threaded run, or, when that one
// failed, its first ok run, so that a mode whose T=1 failed is still compared with the others.
const ScaleRun* mode_reference(const ScaleReport& report, const std::string& workload, const std::string& mode,
                               const std::function<const Value*(const ScaleRun*)>& result_of) {
  if (const ScaleRun* single = report.find(workload, mode, 1); result_of(single)) return single;
  for (const auto& run : report.runs) {
    if (run.workload == workload && run.mode == mode && result_of(&run)) return &run;
  }
  return nullptr;
}

// "v8-isolates (js)", or "v8-isolates (js, T=2)" when RUN is not the single-threaded one.
std::string reference_name(const ScaleRun& run) {
  return run.mode + " (" + run.language + (run.threads == 1 ? "" : ", T=" + std::to_string(run.threads)) + ")";
}

// The first two modes of WORKLOAD (in --modes order) whose reference results differ, as
// "v8-isolates (js) and cpython-threads (py) disagree at result: 1 vs 2", or nothing when all that
// have one agree. Every pair is compared: results within the float tolerance of a third need not be
// within it of each other, and the verdict must not depend on the order of --modes.
std::optional<std::string> modes_disagreement(const ScaleReport& report, const std::string& workload,
                                              const std::function<const Value*(const ScaleRun*)>& result_of) {
  std::vector<const ScaleRun*> references;
  for (const auto& mode : report.settings.modes) {
    if (const ScaleRun* reference = mode_reference(report, workload, mode, result_of)) references.push_back(reference);
  }
  for (std::size_t i = 0; i < references.size(); ++i) {
    for (std::size_t j = i + 1; j < references.size(); ++j) {
      if (auto diff = find_difference(*result_of(references[i]), *result_of(references[j]))) {
        return reference_name(*references[i]) + " and " + reference_name(*references[j]) + " disagree at " + *diff;
      }
    }
  }
  return std::nullopt;
}

// Every ok run's result against its mode's reference (the single-threaded run's, see
// mode_reference), and the modes' references with each other: the same program must give the same
// answer everywhere. As in `run`, a disagreement between modes makes every ok run of the workload a
// mismatch, whatever the order of --modes: neither side can be told right. Files that declare
// different sizes make every run of the workload invalid but those an interrupt or a missing
// program left unmeasured (`interrupted`, `skipped`).
void cross_check(ScaleReport& report, const std::map<std::size_t, std::optional<Value>>& results,
                 const std::map<std::size_t, std::map<std::string, std::int64_t>>& sizes) {
  auto result_of = [&](const ScaleRun* run) -> const Value* {
    if (!run || run->status != RunStatus::Ok) return nullptr;
    const auto it = results.find(static_cast<std::size_t>(run - report.runs.data()));
    return it != results.end() && it->second ? &*it->second : nullptr;
  };
  for (const auto& workload : report.workload_names()) {
    if (auto message = sizes_disagreement(declared_sizes(report, workload, sizes))) {
      for (auto& run : report.runs) {
        if (run.workload != workload || run.status == RunStatus::Skipped || run.status == RunStatus::Interrupted) continue;
        run.status = RunStatus::Invalid;
        run.message = *message;
        run.verified = false;
      }
      continue;
    }
    if (auto across_modes = modes_disagreement(report, workload, result_of)) {
      for (auto& run : report.runs) {
        if (run.workload == workload) mark_mismatch(run, *across_modes);
      }
      continue;
    }
    for (auto& run : report.runs) {
      if (run.workload != workload) continue;
      const ScaleRun* reference = mode_reference(report, workload, run.mode, result_of);
      const Value* mine = result_of(&run);
      if (!reference || reference == &run || !mine) continue;
      if (auto diff = find_difference(*mine, *result_of(reference))) {
        mark_mismatch(run, reference->threads == 1
                               ? "its result differs from the single-threaded run's: " + *diff
                               : "its result differs from the " + std::to_string(reference->threads) + "-thread run's: " + *diff);
      }
    }
  }
}

std::vector<std::string> notes_for(const ScaleReport& report) {
  std::vector<std::string> notes;
  const Environment& env = report.environment;
  const int cpus = report.settings.usable_cpus;
  notes.push_back("This machine has " + std::to_string(env.cpu_count) + " cores (" + env.cpu_model + ")" +
                  (cpus < env.cpu_count ? "; this run could use " + std::to_string(cpus) +
                                              " of them (its CPU affinity or cgroup CPU quota)"
                                        : std::string()) +
                  ": at most " + text::counted(cpus, "thread runs", "threads run") + " at the same time, so only thread counts up to " +
                  std::to_string(cpus) +
                  " can show parallelism; above that, the threads take turns (oversubscription), and for CPU-bound "
                  "work the speedup can only stay flat or fall (work that waits, sleeping or blocked, leaves its core to "
                  "the others and can gain further).");
  const auto& modes = report.settings.modes;
  auto has = [&](const char* mode) { return std::find(modes.begin(), modes.end(), mode) != modes.end(); };
  if (has("v8-isolates") || has("node-workers")) {
    notes.push_back("V8 runs with " + text::join_words(find_scale_mode("v8-isolates")->v8_flags) +
                    " in both V8 modes: TurboFan then optimizes on the thread that runs the code. With its default "
                    "background compilation, each isolate settles at one of two speeds depending on when its "
                    "optimized code arrived (richards here: 1.24 or 1.52 ms a call), a draw per isolate that moves a "
                    "speedup by up to 25% whatever the threads do.");
  }
  if (has("cpython-threads") || has("cpython-subinterpreters") || has("python3-threads")) {
    notes.push_back("CPython " + PythonInterpreter::version() +
                    ": all threads of an interpreter share one global interpreter lock (GIL), so only one of them runs "
                    "Python bytecode at a time; in 3.11 sub-interpreters (Py_NewInterpreter) share that same GIL too. "
                    "Python 3.12 gives each sub-interpreter its own GIL (PEP 684, Py_NewInterpreterFromConfig with "
                    "an own GIL), which would let cpython-subinterpreters scale like processes, and 3.13's "
                    "free-threaded build (PEP 703) would let threads scale.");
  }
  if (has("cpython-subinterpreters") && PythonInterpreter::version().rfind("3.11.", 0) == 0) {
    notes.push_back("In CPython 3.11, asyncio cannot run in two sub-interpreters at once: its C accelerator _asyncio is "
                    "one module shared by every interpreter, and caches the running event loop in process-wide "
                    "variables keyed by a thread-state id that each interpreter counts from 1, so the second loop sees "
                    "the first (\"Cannot run the event loop while another loop is running\"). 3.12 keeps that state per "
                    "interpreter.");
  }
  return notes;
}

}  // namespace

std::vector<int> default_thread_counts(int cores) {
  std::vector<int> out;
  for (int t = 1; t <= std::max(cores, 1); ++t) out.push_back(t);
  out.push_back(std::max(cores, 1) + 1);
  return out;
}

ScaleReport run_scale(const ScaleOptions& options, const ScaleProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  const std::string self = self_executable();
  ScaleReport report;
  report.environment = collect_environment(options.command_line);
  ScaleSettings& settings = report.settings;
  settings.size_name = options.quick ? "quick" : "default";
  settings.processes = options.processes;
  settings.warmup = options.warmup;
  settings.min_iterations = options.min_iterations;
  settings.min_time_s = options.min_time_s;
  settings.timeout_s = options.timeout_seconds;
  settings.thread_counts = options.thread_counts;
  settings.modes = options.modes;
  settings.usable_cpus = options.usable_cpus;

  std::map<std::string, std::vector<std::string>> commands;  // per mode that can run
  std::map<std::string, std::string> skipped;                 // per mode that cannot: why
  for (const auto& name : options.modes) {
    const ScaleMode* mode = find_scale_mode(name);
    report.modes.push_back({name, language_name(mode->language), "", mode->what, mode->parallelism, mode->v8_flags});
    std::string reason;
    if (auto command = scale_worker_command(*mode, self, options.max_heap_mb, reason)) {
      commands[name] = *command;
    } else {
      skipped[name] = reason;
    }
  }
  for (const auto& workload : options.workloads) {
    for (const auto& name : options.modes) {
      const ScaleMode* mode = find_scale_mode(name);
      for (int threads : options.thread_counts) {
        ScaleRun run;
        run.workload = workload.name;
        run.mode = name;
        run.language = language_name(mode->language);
        run.threads = threads;
        run.size_name = settings.size_name;
        if (skipped.count(name)) {
          run.status = RunStatus::Skipped;
          run.message = skipped[name];
        } else if (std::string missing = workload.missing_file(mode->language); !missing.empty()) {
          run.status = RunStatus::Invalid;
          run.message = missing;
        }
        report.runs.push_back(std::move(run));
      }
    }
  }

  const Environment& env = report.environment;
  if (progress.plan) {
    const int cpus = settings.usable_cpus;
    progress.plan("CPU: " + env.cpu_model + ", " + std::to_string(env.cpu_count) + " cores" +
                  (cpus < env.cpu_count ? ", " + std::to_string(cpus) + " of them usable by this run (CPU affinity or cgroup quota)"
                                        : std::string()) +
                  ": at most " + text::counted(cpus, "thread", "threads") + " can run at once; higher thread counts are oversubscribed");
    if (const std::string busy = busy_machine_note(env); !busy.empty()) progress.plan("note: " + busy);
  }
  // The worker processes the plan starts (a skipped mode or a workload without the language's file
  // starts none), also the progress bar's steps.
  std::vector<bool> planned;  // per run
  for (const ScaleRun& run : report.runs) planned.push_back(run.status == RunStatus::Ok);
  const int total = static_cast<int>(std::count(planned.begin(), planned.end(), true)) * options.processes;
  std::ostringstream plan;
  const auto count = [](std::size_t n, const char* one, const char* many) {
    return text::counted(static_cast<std::int64_t>(n), one, many);
  };
  plan << "Plan: " << count(options.workloads.size(), "workload", "workloads") << " x "
       << count(options.modes.size(), "mode", "modes") << " x threads {";
  for (std::size_t i = 0; i < options.thread_counts.size(); ++i) plan << (i ? "," : "") << options.thread_counts[i];
  plan << "} x " << count(static_cast<std::size_t>(options.processes), "process", "processes") << "; "
       << scale_calls_text(settings) << ", " << settings.size_name
       << " sizes: " << count(static_cast<std::size_t>(total), "worker process", "worker processes");
  if (progress.plan) progress.plan(plan.str());

  std::map<std::size_t, std::optional<Value>> results;  // per run: its first process's result
  std::map<std::size_t, std::map<std::string, std::int64_t>> sizes;  // per run that loaded its file: the sizes there
  int done = 0;
  for (int p = 0; p < options.processes; ++p) {
    for (std::size_t i = 0; i < report.runs.size(); ++i) {
      if (!planned[i]) continue;
      ScaleRun& run = report.runs[i];
      if (progress.step) {
        progress.step(done++, total, run.workload + " | " + run.mode + " | " + std::to_string(run.threads) +
                                         " thread" + (run.threads == 1 ? "" : "s") + " | process " +
                                         std::to_string(p + 1) + "/" + std::to_string(options.processes));
      }
      if (run.status != RunStatus::Ok) continue;  // a failure is final for this run
      if (interrupt_requested()) {
        stop_interrupted(run, "not finished: the run was interrupted (" + interrupt_cause() + ")");
        continue;
      }
      const ScaleMode* mode = find_scale_mode(run.mode);
      const Workload& workload = *std::find_if(options.workloads.begin(), options.workloads.end(),
                                               [&](const Workload& w) { return w.name == run.workload; });
      ScaleWorkerResult worker = run_scale_worker_process(
          commands[run.mode], workload.file_for(mode->language).string(), run.threads, *mode, options);
      ScaleModeInfo& info = *std::find_if(report.modes.begin(), report.modes.end(),
                                          [&](const ScaleModeInfo& m) { return m.name == run.mode; });
      if (worker.contents && !worker.contents->sizes.empty()) sizes.emplace(i, worker.contents->sizes);
      add_scale_process(run, worker, p, results[i], info);
    }
  }
  cross_check(report, results, sizes);
  derive_scale_statistics(report);
  report.notes = notes_for(report);
  settings.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace polyhost
