#include "host/cli/startup_command.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>

#include "host/cli/comma_list.h"
#include "host/cli/problem_line.h"
#include "host/cli/validators.h"
#include "host/stats/statistics.h"
#include "host/export/exporters.h"
#include "host/export/output_files.h"
#include "host/runner/configs.h"
#include "host/runner/subprocess.h"
#include "host/startup/startup_runner.h"
#include "host/startup/startup_worker.h"
#include "host/text/format.h"
#include "host/text/layout.h"
#include "host/workload.h"

namespace polyhost {
namespace {

constexpr int kMaxInstances = 64;

struct StartupCommandOptions {
  StartupOptions run;
  std::string configs;
  std::string json, markdown;
};

// The embedded configurations, the ones whose time to first result can be measured: "v8-jit, ...".
std::string embedded_config_names() {
  std::vector<std::string> names;
  for (const auto& config : all_configs()) {
    if (!config.is_reference()) names.push_back(config.name);
  }
  return text::comma_listed(names);
}

// The embedded configurations named in TEXT (comma-separated, or 'all': every embedded one), or a usage problem.
std::string parse_configs(const std::string& text, std::vector<std::string>& out) {
  if (text.empty()) return "";
  if (text == "all") {
    for (const auto& config : all_configs()) {
      if (!config.is_reference()) out.push_back(config.name);
    }
    return "";
  }
  for (const std::string& item : comma_items(text)) {
    const Config* config = find_config(item);
    if (!config) return "unknown configuration '" + item + "' (known: " + embedded_config_names() + ")";
    if (config->is_reference()) {
      return "'" + item + "' runs a separate program; the time to first result is measured for the embedded "
             "configurations (" + embedded_config_names() + ")";
    }
    if (std::find(out.begin(), out.end(), item) != out.end()) return "configuration '" + item + "' is named twice in --configs";
    out.push_back(item);
  }
  return "";
}

int startup_command(StartupCommandOptions& options) {
  if (const std::string problem = parse_configs(options.configs, options.run.configs); !problem.empty()) {
    print_problem("polyhost startup", problem);
    return 2;
  }
  std::vector<std::string> inputs;
  try {
    const std::vector<Workload> workloads = find_workloads(options.run.targets);
    if (workloads.empty()) {
      std::fprintf(stderr, "polyhost startup: no workloads found\n");
      return 2;
    }
    inputs = workload_files(workloads);
  } catch (const WorkloadError& e) {
    print_problem("polyhost startup", e.what());
    return 2;
  }
  StartupReport report;
  const std::vector<OutputFile> outputs = {
      {"--json", options.json, [&](std::ostream& out) { write_startup_json(report, out); }},
      {"--markdown", options.markdown, [&](std::ostream& out) { write_startup_markdown(report, out); }}};
  if (const std::string problem = unwritable_output(outputs, inputs); !problem.empty()) {
    print_problem("polyhost startup", problem);
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout must not lose what was measured
  const bool interactive = ::isatty(STDERR_FILENO);
  std::printf("Timing start-up in fresh processes%s; the machine should be otherwise idle\n", options.run.quick ? " (quick)" : "");
  std::fflush(stdout);
  try {
    InterruptOnSignals interrupt;
    report = run_startup(options.run, [&](const std::string& what) {
      if (interactive) std::fprintf(stderr, "\r\033[K%s", text::escape_controls(what).c_str());
    });
  } catch (const std::exception& e) {
    if (interactive) std::fprintf(stderr, "\r\033[K");
    print_problem("polyhost startup", e.what());
    return 2;
  }
  if (interactive) std::fprintf(stderr, "\r\033[K");
  const bool written = write_outputs(outputs, "polyhost startup");
  write_startup_table(report, std::cout, ::isatty(STDOUT_FILENO));
  const bool interrupted = interrupt_requested();
  if (!printed_to_stdout("polyhost startup", "the table") && !interrupted) return 1;
  if (interrupted) {
    std::fprintf(stderr, "polyhost startup: interrupted; the figures not finished are marked interrupted\n");
    return interrupt_exit_status();
  }
  if (!written) return 1;
  return report.problems().empty() ? 0 : 1;
}

}  // namespace

Command add_startup_command(CLI::App& app) {
  using namespace validators;
  auto options = std::make_shared<StartupCommandOptions>();
  auto* cmd = app.add_subcommand("startup", "Measure how fast each engine starts and how much memory it takes, in fresh processes");
  cmd->add_option("workloads", options->run.targets,
                  "Workloads for the time to first result: names, workload folders or suite folders (default: the suite)");
  cmd->add_flag("--quick", options->run.quick,
                "6 processes per figure (the fewest that give a 95% CI) and the workloads' quick sizes");
  cmd->add_option("--processes", options->run.processes,
                  "Fresh processes per in-process step and per program (default " + std::to_string(kDefaultProcesses) +
                      "; quick " + std::to_string(kQuickProcesses) + "; at least 6, for a 95% CI)")
      ->check(CLI::Range(static_cast<int>(stats::kFewestForMedianCi), kMaxProcesses))->check(not_empty());
  cmd->add_option("--first-result-processes", options->run.first_result_processes,
                  "Fresh processes per workload and configuration for the time to first result (default " +
                      std::to_string(kDefaultFirstResultProcesses) + "; quick " + std::to_string(kQuickProcesses) +
                      "; at least 6)")
      ->check(CLI::Range(static_cast<int>(stats::kFewestForMedianCi), kMaxProcesses))->check(not_empty());
  cmd->add_option("--instances", options->run.instances,
                  "Instances of each engine alive in one process at the end, the first included (default 16)")
      ->check(CLI::Range(2, kMaxInstances))->check(not_empty());
  cmd->add_option("--configs", options->configs,
                  "Embedded configurations for the time to first result, comma-separated, or 'all' (every embedded one; "
                  "default v8-jit,cpython)")
      ->check(not_empty());
  cmd->add_option("--timeout", options->run.timeout_seconds, "Seconds one workload's worker may take; reaching it fails that workload with timeout (default 120)")
      ->check(seconds(0.01, true));
  cmd->add_option("--max-heap", options->run.max_heap_mb,
                  "MB per first-result worker: V8's heap limit, or a cap on a Python worker's memory; reaching it "
                  "fails that workload with out-of-memory (default 2048)")
      ->check(megabytes());
  cmd->add_option("--json", options->json, "Write the figures as JSON (schema polyhost.startup/1)")->check(not_empty());
  cmd->add_option("--markdown", options->markdown, "Write the figures as Markdown")->check(not_empty());
  cmd->footer(
      "Every figure is a median over fresh processes with a distribution-free 95% CI (a figure left with fewer\n"
      "than 6 processes by Ctrl-C shows their range instead, labelled [range ...]):\n"
      "  in one process: V8 platform, isolate, context, an empty script; CPython's initialization (polyhost's\n"
      "    PyConfig path), the first import of a standard module, an empty script; each with the resident memory after it;\n"
      "  further instances: the 2nd..Nth isolate + context and sub-interpreter in one process, time and memory;\n"
      "  whole programs as a user starts them (node -e 0, python3 -c pass, pypy3 -c pass, polyhost exec ...),\n"
      "    spawn to exit and peak resident memory, with the python3 launcher and site shown apart;\n"
      "  time to first result: each workload's engine start, load, setup and first run, per configuration.\n"
      "Timing start-up needs an otherwise idle machine: other work shows up in every figure.");
  return {cmd, [options](const Invocation& invocation) {
            options->run.command_line = invocation.command_line;
            return startup_command(*options);
          }};
}

Command add_startup_worker_command(CLI::App& app) {
  auto request = std::make_shared<StartupWorkerRequest>();
  auto fd = std::make_shared<int>(kMessageFd);
  auto* cmd = app.add_subcommand("startup-worker", "");
  cmd->group("");
  cmd->add_option("--measure", request->measure)->required();
  cmd->add_option("--instances", request->instances);
  cmd->add_option("--file", request->file);
  cmd->add_option("--config", request->config);
  cmd->add_option("--size", request->size_name);
  cmd->add_option("--timeout", request->timeout_seconds);
  cmd->add_option("--max-heap", request->max_heap_mb);
  cmd->add_option("--result-fd", *fd);
  return {cmd, [request, fd](const Invocation&) { return startup_worker_main(*request, keep_from_the_script(*fd)); }};
}

}  // namespace polyhost
