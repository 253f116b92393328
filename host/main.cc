// polyhost's command line.
#include <CLI/CLI.hpp>
#include <cmath>

#include <cstdio>
#include <string>
#include <vector>

#include "host/build_info.h"
#include "host/cli/exec_command.h"
#include "host/cli/list_command.h"
#include "host/cli/compare_command.h"
#include "host/cli/overhead_command.h"
#include "host/cli/report_command.h"
#include "host/cli/run_command.h"
#include "host/overhead/overhead.h"
#include "host/runner/worker.h"
#include "host/python/python_interpreter.h"
#include "host/v8/v8_platform.h"

namespace {

constexpr double kMaxSeconds = 1e6;  // 11.6 days: longer deadlines overflow the clocks
constexpr int kMinHeapMb = 16;       // below this V8 cannot even start its heap
constexpr int kMaxHeapMb = 1 << 20;  // 1 TB

std::string version_text() {
  return std::string("polyhost ") + polyhost::build_info::version + "\nV8 " + polyhost::V8Platform::version() +
         " (libnode, headers " + polyhost::build_info::v8_headers_version + ")\nPython " +
         polyhost::PythonInterpreter::version() + " (CPython, embedded; standalone " +
         polyhost::build_info::python_executable + ")";
}

// Option checks CLI11 lacks: NaN and infinity pass its Range, and an empty path is silently no file.
CLI::Validator seconds(double low, bool low_allowed) {
  return CLI::Validator(
      [low, low_allowed](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value) || value < low ||
            (!low_allowed && value == low) || value > kMaxSeconds) {
          return "expected a number of seconds " + std::string(low_allowed ? ">= " : "> ") + CLI::detail::to_string(low) +
                 " and at most " + CLI::detail::to_string(kMaxSeconds) + ", got '" + text + "'";
        }
        return "";
      },
      "SECONDS");
}

CLI::Validator megabytes() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value) || !(value >= kMinHeapMb && value <= kMaxHeapMb) ||
            value != std::floor(value)) {
          return "expected a whole number of MB from " + std::to_string(kMinHeapMb) + " to " +
                 std::to_string(kMaxHeapMb) + ", got '" + text + "'";
        }
        return "";
      },
      "MB");
}

const CLI::Validator kNotEmpty(
    [](std::string& text) -> std::string { return text.empty() ? "must not be empty" : ""; }, "");

}  // namespace

int main(int argc, char** argv) {
  // Everything after a lone "--" belongs to the scripts, not to polyhost.
  std::vector<std::string> script_args;
  int own_argc = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      own_argc = i;
      script_args.assign(argv + i + 1, argv + argc);
      break;
    }
  }

  CLI::App app{"polyhost: JavaScript (V8) and Python (CPython) side by side in one process"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  polyhost::ExecOptions exec;
  auto* exec_cmd = app.add_subcommand("exec", "Run .js files in V8 and .py files in CPython, in order, in one process");
  exec_cmd->add_option("files", exec.files, "Scripts to run (.js, .mjs, .cjs, .py)")->required();
  exec_cmd->add_option("--v8-flag", exec.v8_flags, "A V8 flag such as --jitless (repeatable)")->check(kNotEmpty);
  exec_cmd->add_option("--timeout", exec.timeout_seconds, "Seconds each script may run before it is stopped (default: 0, no limit)")
      ->check(seconds(0, true));
  exec_cmd->add_option("--max-heap", exec.max_heap_mb, "MB: V8's heap limit, or a cap on memory while Python scripts run (default 2048)")
      ->check(megabytes());
  exec_cmd->footer("Arguments after -- are passed to every script (process.argv / sys.argv).\n"
                   "Exit status: 0 ok, 1 uncaught error or out of memory, 2 usage error, 124 timeout,\n"
                   "or the script's own exit status (process.exit / sys.exit).");

  polyhost::RunCommandOptions run;
  auto* run_cmd = app.add_subcommand("run", "Measure workloads in JavaScript and Python, verify them, compare them");
  run_cmd->add_option("workloads", run.targets, "Workload names, workload folders or suite folders (default: the whole suite)");
  run_cmd->add_option("--configs", run.configs,
                      "Comma-separated configurations, or 'all' (default: v8-jit,cpython). Known: v8-jit, "
                      "v8-sparkplug (--no-opt), v8-ignition (--jitless), cpython (embedded), node, python3 (the "
                      "embedded build, standalone), pypy3")
      ->check(kNotEmpty);
  run_cmd->add_flag("--quick", run.quick, "Use the workloads' quick sizes and fewer repetitions");
  run_cmd->add_option("--processes", run.processes, "Fresh worker processes per workload and configuration (default 3; quick 2)");
  run_cmd->add_option("--warmup", run.warmup, "Unmeasured iterations per process (default 3; quick 2)");
  run_cmd->add_option("--iterations", run.iterations, "Measured iterations per process (default 10; quick 5)");
  run_cmd->add_option("--timeout", run.timeout_seconds,
                      "Seconds a worker process may take; then its script is stopped (V8: TerminateExecution, "
                      "Python: an interrupt) and, if it does not stop, the worker is killed (default 120)")
      ->check(seconds(0.01, true));
  run_cmd->add_option("--max-heap", run.max_heap_mb,
                      "MB per worker: V8's heap limit, or a cap on a Python worker's memory; reaching it is "
                      "out-of-memory, not a crash (default 2048)")
      ->check(megabytes());
  run_cmd->add_option("--json", run.json, "Write results as JSON (schema polyhost.results/1)")->check(kNotEmpty);
  run_cmd->add_option("--csv", run.csv, "Write one CSV row per run")->check(kNotEmpty);
  run_cmd->add_option("--markdown", run.markdown, "Write the results table as Markdown")->check(kNotEmpty);
  run_cmd->footer(
      "Each (workload, configuration) runs in fresh worker processes; every measured result is checked\n"
      "with the workload's verify() and against the other language's result. Ratios are medians over the\n"
      "v8-jit median with a 95% bootstrap CI over processes and their iterations; medians carry a\n"
      "distribution-free 95% CI. Each process's\n"
      "series is classified for warm-up (flat / warmup / slowdown / no steady state, after Barrett et al.).\n"
      "Verdicts: ok, error, mismatch, invalid, timeout, out-of-memory, stack-overflow, crash, skipped, interrupted.\n"
      "Exit status: 0 when every run is ok or skipped, 1 when any is not, 2 for a usage error,\n"
      "130 when interrupted (Ctrl-C): what was measured is still written.");

  polyhost::ListCommandOptions list;
  auto* list_cmd = app.add_subcommand("list", "List the workloads found, with their sizes; flag broken contracts");
  list_cmd->add_option("workloads", list.targets, "Workload names or folders (default: the whole suite)");
  list_cmd->add_option("--timeout", list.timeout_seconds,
                       "Seconds loading one file may take before it is reported as a timeout (default 10)");
  list_cmd->add_option("--jobs", list.jobs, "Worker processes at once (default: two per core)");
  list_cmd->footer(
      "Each file is loaded in a fresh worker process (as `run` does, without calling anything), so a workload\n"
      "that hangs or crashes while loading is reported as such and the others are still listed.\n"
      "Exit status: 0 when every workload keeps the contract, 1 when any does not, 2 for a usage error,\n"
      "130 when interrupted (Ctrl-C).");

  polyhost::CompareCommandOptions compare;
  auto* compare_cmd = app.add_subcommand("compare", "Compare two results files: did anything get faster or slower?");
  compare_cmd->add_option("base", compare.base_path, "The earlier results (polyhost run --json)")->required();
  compare_cmd->add_option("new", compare.new_path, "The later results")->required();
  compare_cmd->add_option("--threshold", compare.threshold_percent,
                          "Exit with status 1 when a significant slowdown exceeds this many percent (default 5)");
  compare_cmd->add_option("--markdown", compare.markdown, "Also write the comparison as Markdown");
  compare_cmd->footer(
      "Rows are matched by (workload, configuration). The change is new median / base median - 1, with a 95%\n"
      "bootstrap CI that resamples worker processes, then iterations within them (2000 resamples), so the\n"
      "variance between processes counts. A change is significant when a two-sided Mann-Whitney U test\n"
      "(normal approximation, tie-corrected) gives p < 0.05 and the CI excludes no change. Rows only in one\n"
      "file, not ok in either, or with different sizes are listed, not compared; changed engine versions are\n"
      "flagged. Exit status: 0; 1 when a significant slowdown exceeds --threshold or a row that was ok in\n"
      "BASE is missing or not ok in NEW; 2 for a usage error.");

  std::vector<std::string> report_inputs;
  std::string report_output = "report.html";
  auto* report_cmd = app.add_subcommand("report", "Write one self-contained HTML report (charts, tables, verdicts)");
  report_cmd->add_option("files", report_inputs, "Results files (polyhost run --json) and at most one overhead file")
      ->required();
  report_cmd->add_option("-o,--output", report_output, "The HTML file to write (default report.html)");
  report_cmd->footer("The page needs no network: CSS and SVG charts are inline and there are no scripts.");

  int result_fd = 3;
  polyhost::OverheadCommandOptions overhead;
  auto* overhead_cmd = app.add_subcommand("overhead", "Measure the cost of one call into C++ through each binding technology");
  overhead_cmd->add_flag("--quick", overhead.quick, "Fewer processes and shorter loops (about 7 s)");
  overhead_cmd->add_flag("--peers", overhead.peers,
                         "Also node-calls-python and pythonia (npm, installed on first use by scripts/setup-peers) on the "
                         "JavaScript-calls-Python cases");
  overhead_cmd->add_option("--json", overhead.json, "Write the matrix as JSON (schema polyhost.overhead/1)");
  overhead_cmd->add_option("--markdown", overhead.markdown, "Write the matrix as Markdown");
  overhead_cmd->footer(
      "Cases: noop, add_i32, add_f64, str_len, str_repeat, sum_f64 (plain array and typed array), make_point,\n"
      "call_back (10 callbacks). Bindings: V8 callbacks and fast API calls from JavaScript; the CPython C-API,\n"
      "pybind11, ctypes and cffi from Python; pure JavaScript and pure Python; a direct C++ call (the floor).\n"
      "ns per call = (loop of n calls - the same loop without the call) / n, in fresh processes.");

  std::string overhead_binding;
  double overhead_target_ns = 2e6;
  int overhead_repeats = 5;
  auto* overhead_worker_cmd = app.add_subcommand("overhead-worker", "");  // internal: started by `overhead`
  overhead_worker_cmd->group("");
  overhead_worker_cmd->add_option("--binding", overhead_binding)->required();
  overhead_worker_cmd->add_option("--target-ns", overhead_target_ns);
  overhead_worker_cmd->add_option("--repeats", overhead_repeats);
  overhead_worker_cmd->add_option("--result-fd", result_fd);

  polyhost::WorkerRequest worker;
  auto* worker_cmd = app.add_subcommand("worker", "");  // internal: started by `run`
  worker_cmd->group("");
  worker_cmd->add_option("--file", worker.file);
  worker_cmd->add_option("--config", worker.config)->required();
  worker_cmd->add_option("--size", worker.size_name);
  worker_cmd->add_option("--warmup", worker.warmup);
  worker_cmd->add_option("--iterations", worker.iterations);
  worker_cmd->add_option("--result-fd", result_fd);
  worker_cmd->add_flag("--calibrate", worker.calibrate);
  worker_cmd->add_flag("--inspect", worker.inspect);  // only load and check the file (for `list`)
  worker_cmd->add_option("--timeout", worker.timeout_seconds);
  worker_cmd->add_option("--max-heap", worker.max_heap_mb);

  try {
    app.parse(own_argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  exec.args = script_args;
  try {
    if (*exec_cmd) return polyhost::exec_command(exec);
    if (*run_cmd) {
      run.command_line.assign(argv, argv + argc);
      return polyhost::run_command(run);
    }
    if (*list_cmd) return polyhost::list_command(list);
    if (*worker_cmd) return polyhost::worker_main(worker, result_fd);
    if (*compare_cmd) return polyhost::compare_command(compare);
    if (*report_cmd) return polyhost::report_command(report_inputs, report_output);
    if (*overhead_cmd) {
      overhead.command_line.assign(argv, argv + argc);
      return polyhost::overhead_command(overhead);
    }
    if (*overhead_worker_cmd) {
      return polyhost::overhead_worker_main(overhead_binding, overhead_target_ns, overhead_repeats, result_fd);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "polyhost: %s\n", e.what());
    return 2;
  }
  return 0;
}
