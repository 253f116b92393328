#include "host/cli/scale_command.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "host/cli/comma_list.h"
#include "host/cli/problem_line.h"
#include "host/cli/validators.h"
#include "host/export/exporters.h"
#include "host/export/output_files.h"
#include "host/runner/subprocess.h"
#include "host/runner/usable_cpus.h"
#include "host/scale/scale_modes.h"
#include "host/scale/scale_runner.h"
#include "host/scale/scale_worker.h"
#include "host/text/format.h"
#include "host/text/layout.h"
#include "host/workload.h"

namespace polyhost {
namespace {

// The warm-up defaults are run's (warmup_options.h).
struct ScaleDefaults {
  int processes, iterations;
  double min_time_s;
};
constexpr ScaleDefaults kScaleDefault{3, 5, 0.5};
constexpr ScaleDefaults kScaleQuick{2, 2, 0.1};
constexpr int kMaxThreads = 256;
// Every measured call's time and result are kept per thread until the measured part ends: 2e9 of
// them was std::bad_alloc in every lane. A million is far past what a measurement needs.
constexpr int kMaxIterations = 1000000;

std::string known_modes() {
  return text::comma_listed(all_scale_modes(), [](const auto& m) { return m.name; });
}

std::string modes_help() {
  std::string text = "Comma-separated modes, or 'all' (default: all). Known:";
  for (const auto& m : all_scale_modes()) text += "\n  " + m.name + ": " + m.what;
  return text;
}

// The modes asked for, or a usage problem.
std::vector<std::string> parse_modes(const std::string& text, std::string& problem) {
  std::vector<std::string> out;
  if (text.empty() || text == "all") {
    for (const auto& m : all_scale_modes()) out.push_back(m.name);
    return out;
  }
  for (const auto& name : comma_items(text)) {
    if (!find_scale_mode(name)) {
      problem = "unknown mode '" + name + "' (known: " + known_modes() + ", or all)";
      return {};
    }
    if (std::find(out.begin(), out.end(), name) != out.end()) {
      problem = "mode '" + name + "' is named twice in --modes";
      return {};
    }
    out.push_back(name);
  }
  if (out.empty()) problem = "--modes names no mode";
  return out;
}

// The thread counts asked for, in increasing order with 1 among them (speedups are over T=1), or a
// usage problem.
std::vector<int> parse_threads(const std::string& text, int usable_cpus, std::string& problem) {
  if (text.empty()) return default_thread_counts(usable_cpus);
  std::vector<int> out;
  for (const auto& item : comma_items(text)) {
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(item.c_str(), &end, 10);
    const bool digits = !item.empty() && item.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || errno != 0 || *end != '\0' || value < 1 || value > kMaxThreads) {
      problem = "--threads: expected whole numbers from 1 to " + std::to_string(kMaxThreads) + ", got '" + item + "'";
      return {};
    }
    if (std::find(out.begin(), out.end(), static_cast<int>(value)) != out.end()) {
      problem = "--threads names " + item + " twice";
      return {};
    }
    out.push_back(static_cast<int>(value));
  }
  if (out.empty()) {
    problem = "--threads names no thread count";
    return {};
  }
  if (std::find(out.begin(), out.end(), 1) == out.end()) out.push_back(1);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<WatchedEngine> watched_engines(const std::vector<std::string>& modes) {
  std::vector<WatchedEngine> out;
  for (const auto& name : modes) out.push_back({name, known_warmup_point(*find_scale_mode(name))});
  return out;
}

}  // namespace

int scale_command(const ScaleCommandOptions& options) {
  ScaleOptions scale;
  std::string problem;
  scale.modes = parse_modes(options.modes, problem);
  scale.usable_cpus = usable_cpu_count();
  if (problem.empty()) scale.thread_counts = parse_threads(options.threads, scale.usable_cpus, problem);
  if (!problem.empty()) {
    print_problem("polyhost scale", problem);
    return 2;
  }
  try {
    scale.workloads = find_workloads(options.targets);
  } catch (const WorkloadError& e) {
    print_problem("polyhost scale", e.what());
    return 2;
  }
  if (scale.workloads.empty()) {
    std::fprintf(stderr, "polyhost scale: no workloads found\n");
    return 2;
  }
  const ScaleDefaults& d = options.quick ? kScaleQuick : kScaleDefault;
  scale.quick = options.quick;
  scale.processes = options.processes.value_or(d.processes);
  scale.min_iterations = options.iterations.value_or(d.iterations);
  scale.min_time_s = options.min_time_s.value_or(d.min_time_s);
  scale.timeout_seconds = options.timeout_seconds;
  scale.max_heap_mb = options.max_heap_mb;
  scale.command_line = options.command_line;
  if (scale.min_iterations < 1) {  // --processes has its range checked by CLI11
    std::fprintf(stderr, "polyhost scale: --iterations %d: at least 1 measured call per thread is needed\n",
                 scale.min_iterations);
    return 2;
  }
  if (scale.min_iterations > kMaxIterations) {
    std::fprintf(stderr,
                 "polyhost scale: --iterations %d: at most %d (every measured call's time and result are kept until "
                 "the measured part ends)\n",
                 scale.min_iterations, kMaxIterations);
    return 2;
  }
  if (auto policy = warmup_policy(options.warmup, options.quick, watched_engines(scale.modes), problem)) {
    scale.warmup = *policy;
  } else {
    print_problem("polyhost scale", problem);
    return 2;
  }
  // --min-time sizes the measured part by the warm calls' time; with no warm-up call there is none.
  if (!scale.warmup.automatic && scale.warmup.fixed_iterations == 0) {
    if (options.min_time_s && *options.min_time_s > 0) {
      std::fprintf(stderr,
                   "polyhost scale: --min-time %s needs warm-up calls, whose time sizes the measured part; with "
                   "--warmup 0 give --min-time 0 (exactly --iterations measured calls) or --warmup 1 or more\n",
                   text::format_plain_number(*options.min_time_s).c_str());
      return 2;
    }
    scale.min_time_s = 0;
  }
  ScaleReport report;
  const std::vector<OutputFile> outputs = {
      {"--json", options.json, [&](std::ostream& out) { write_scale_json(report, out); }},
      {"--markdown", options.markdown, [&](std::ostream& out) { write_scale_markdown(report, out); }}};
  if (const std::string unwritable = unwritable_output(outputs, workload_files(scale.workloads)); !unwritable.empty()) {
    print_problem("polyhost scale", unwritable);
    return 2;
  }

  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout must not end the run with nothing written
  const bool interactive = ::isatty(STDERR_FILENO);
  ScaleProgress progress;
  progress.plan = [](const std::string& line) {  // the CPU's name is read from /proc/cpuinfo
    std::printf("%s\n", text::escape_controls(line).c_str());
    std::fflush(stdout);
  };
  if (interactive) {
    progress.step = [](int done, int total, const std::string& what) {
      std::fprintf(stderr, "\r\033[K[%d/%d] %s", done + 1, total, text::escape_controls(what).c_str());
      std::fflush(stderr);
    };
  }
  // Until the files are written a signal only asks to stop; after that it ends the program as usual.
  std::optional<InterruptOnSignals> interrupt(std::in_place);
  report = run_scale(scale, progress);
  if (interactive) std::fprintf(stderr, "\r\033[K");

  const bool written = write_outputs(outputs, "polyhost scale");
  interrupt.reset();
  const bool interrupted = interrupt_requested() || std::any_of(report.runs.begin(), report.runs.end(), [](const ScaleRun& r) {
                             return r.status == RunStatus::Interrupted;
                           });
  write_scale_table(report, std::cout, ::isatty(STDOUT_FILENO));
  if (!printed_to_stdout("polyhost scale", "the table") && !interrupted) return 1;
  if (!written) return interrupted ? interrupt_exit_status() : 1;
  if (interrupted) {
    // A run that had some of its processes when the interrupt came is ok, with fewer processes.
    const auto count = [&report](auto&& predicate) { return std::count_if(report.runs.begin(), report.runs.end(), predicate); };
    const auto none = count([](const ScaleRun& r) { return r.status == RunStatus::Interrupted; });
    const auto some = count([](const ScaleRun& r) {
      return std::any_of(r.warnings.begin(), r.warnings.end(), [](const RunWarning& w) { return w.kind == "fewer processes"; });
    });
    std::fprintf(stderr, "polyhost scale: interrupted: %ld %s with no process finished marked interrupted, %ld on fewer "
                         "processes than planned\n", static_cast<long>(none), none == 1 ? "run" : "runs", static_cast<long>(some));
    return interrupt_exit_status();
  }
  for (const auto& r : report.runs) {
    if (r.status != RunStatus::Ok && r.status != RunStatus::Skipped) return 1;
  }
  return 0;
}

Command add_scale_command(CLI::App& app) {
  using namespace validators;
  auto options = std::make_shared<ScaleCommandOptions>();
  auto* cmd = app.add_subcommand("scale", "Measure how throughput grows with threads: V8 isolates against the GIL, "
                                          "sub-interpreters and processes");
  cmd->add_option("workloads", options->targets, "Workload names, workload folders or suite folders (default: the whole suite)");
  cmd->add_option("--threads", options->threads,
                  "Comma-separated thread counts (default: 1 to the number of CPUs this process may use, by its CPU "
                  "affinity and cgroup quota, and one more); 1 is always run, "
                  "since speedups are over it")
      ->check(not_empty());
  cmd->add_option("--modes", options->modes, modes_help())->check(not_empty());
  cmd->add_flag("--quick", options->quick, "Use the workloads' quick sizes and fewer, shorter repetitions");
  cmd->add_option("--processes", options->processes,
                  "Fresh worker processes per workload, mode and thread count (default " +
                      std::to_string(kScaleDefault.processes) + "; quick " + std::to_string(kScaleQuick.processes) + ")")
      ->check(CLI::Range(1, validators::kMaxProcesses))->check(not_empty());
  add_warmup_options(cmd, options->warmup, "thread");
  cmd->add_option("--iterations", options->iterations,
                  "Measured calls per thread, at least (default " + std::to_string(kScaleDefault.iterations) + "; quick " +
                      std::to_string(kScaleQuick.iterations) + ")")
      ->check(not_empty());
  cmd->add_option("--min-time", options->min_time_s,
                  "Seconds the measured calls should last, judged by the median of the last five warm-up calls: more calls are made when "
                  "they are short (default 0.5; quick 0.1; with --warmup 0, which leaves nothing to judge by: 0; 0: exactly "
                  "--iterations)")
      ->check(seconds(0, true));
  cmd->add_option("--timeout", options->timeout_seconds,
                  "Seconds a worker process may take, every thread included; then each thread's script is stopped "
                  "(V8: TerminateExecution of its isolate, Python: an interrupt raised in its thread) and a worker "
                  "that does not stop is killed (default 120)")
      ->check(seconds(0.01, true));
  cmd->add_option("--max-heap", options->max_heap_mb,
                  "MB per thread: V8's heap limit per isolate, or a cap on a Python process's memory (default 2048)")
      ->check(megabytes());
  cmd->add_option("--json", options->json, "Write the results as JSON (schema polyhost.scale/1)")->check(not_empty());
  cmd->add_option("--markdown", options->markdown, "Write the tables as Markdown")->check(not_empty());
  cmd->footer(
      "Weak scaling: each of T threads calls setup(n), warms up (by default until its own series of calls is\n"
      "steady, or a cap is reached: with no steady stretch by then the run says 'no steady state'), then\n"
      "all make the same measured run(n) calls at once. Throughput = T x calls / wall time; speedup =\n"
      "throughput / the same mode's at T=1 (95% bootstrap CI over 6 or more fresh processes, else their\n"
      "range, labelled so); efficiency = speedup / T.\n"
      "Every thread's result is verified and compared with the other threads' and the single-threaded run's.\n"
      "A workload can tell its threads apart:\n"
      "globalThis.polyhostLane = {thread, threads} in JavaScript, the thread name polyhost-thread-K in Python.\n"
      "Exit status: 0 when every run is ok or skipped, 1 when any is not, 2 for a usage error, 130 when interrupted (143 for SIGTERM, 129 for SIGHUP).");
  return {cmd, [options](const Invocation& invocation) {
            options->command_line = invocation.command_line;
            return scale_command(*options);
          }};
}

Command add_scale_worker_command(CLI::App& app) {
  auto request = std::make_shared<ScaleWorkerRequest>();
  auto warmup = std::make_shared<WarmupOptions>();
  auto fd = std::make_shared<int>(kMessageFd);
  auto* cmd = app.add_subcommand("scale-worker", "");
  cmd->group("");
  cmd->add_option("--mode", request->mode)->required();
  cmd->add_option("--file", request->file)->required();
  cmd->add_option("--size", request->size_name);
  cmd->add_option("--threads", request->threads);
  add_warmup_options(cmd, *warmup, "lane");
  cmd->add_option("--iterations", request->min_iterations);
  cmd->add_option("--min-time", request->min_time_s);
  cmd->add_option("--timeout", request->timeout_seconds);
  cmd->add_option("--max-heap", request->max_heap_mb);
  cmd->add_option("--result-fd", *fd);
  return {cmd, [request, warmup, fd](const Invocation&) {
            std::string problem;
            // The host has checked the caps against the lanes' engine before starting this worker.
            auto policy = warmup_policy(*warmup, request->size_name == "quick", {}, problem);
            if (!policy) {
              print_problem("polyhost scale-worker", problem);
              return 2;
            }
            request->warmup = *policy;
            return scale_worker_main(*request, keep_from_the_script(*fd));
          }};
}

}  // namespace polyhost
