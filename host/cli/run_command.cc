#include "host/cli/run_command.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "host/export/exporters.h"
#include "host/runner/configs.h"
#include "host/runner/orchestrator.h"
#include "host/runner/subprocess.h"
#include "host/workload.h"

namespace polyhost {
namespace {

struct Defaults {
  int processes, warmup, iterations;
};
// Chosen so the 19-workload suite takes at most ~3 minutes (default) and ~30 s (--quick) on 2 cores.
constexpr Defaults kDefault{3, 3, 10};
constexpr Defaults kQuick{2, 2, 5};

std::vector<std::string> split_configs(const std::string& text) {
  if (text.empty()) return default_config_names();
  std::vector<std::string> out;
  if (text == "all") {
    for (const auto& c : all_configs()) out.push_back(c.name);
    return out;
  }
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

struct OutputFile {
  const char* flag;
  const std::string& path;
  void (*writer)(const RunReport&, std::ostream&);
};

std::vector<OutputFile> output_files(const RunCommandOptions& options) {
  return {{"--json", options.json, write_json}, {"--csv", options.csv, write_csv},
          {"--markdown", options.markdown, write_markdown}};
}

// Writes every requested file it can; one that fails does not keep the others from being written.
// Returns whether all were written.
bool write_outputs(const RunReport& report, const RunCommandOptions& options) {
  bool all = true;
  for (const auto& file : output_files(options)) {
    if (file.path.empty()) continue;
    try {
      std::ostringstream text;
      file.writer(report, text);
      write_file_atomically(file.path, text.str());
      std::fprintf(stderr, "wrote %s\n", file.path.c_str());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "polyhost run: %s\n", e.what());
      all = false;
    }
  }
  return all;
}

}  // namespace

int run_command(const RunCommandOptions& options) {
  RunOptions run;
  run.configs = split_configs(options.configs);
  if (run.configs.empty()) {
    std::fprintf(stderr, "polyhost run: --configs names no configuration\n");
    return 2;
  }
  for (size_t i = 0; i < run.configs.size(); ++i) {
    if (std::find(run.configs.begin(), run.configs.begin() + static_cast<long>(i), run.configs[i]) !=
        run.configs.begin() + static_cast<long>(i)) {
      std::fprintf(stderr, "polyhost run: configuration '%s' is named twice in --configs\n", run.configs[i].c_str());
      return 2;
    }
  }
  for (const auto& name : run.configs) {
    if (!find_config(name)) {
      std::string known;
      for (const auto& c : all_configs()) known += (known.empty() ? "" : ", ") + c.name;
      std::fprintf(stderr, "polyhost run: unknown configuration '%s' (known: %s, or all)\n", name.c_str(), known.c_str());
      return 2;
    }
  }
  try {
    run.workloads = find_workloads(options.targets);
  } catch (const WorkloadError& e) {
    std::fprintf(stderr, "polyhost run: %s\n", e.what());
    return 2;
  }
  if (run.workloads.empty()) {
    std::fprintf(stderr, "polyhost run: no workloads found\n");
    return 2;
  }
  const Defaults& d = options.quick ? kQuick : kDefault;
  run.quick = options.quick;
  run.processes = options.processes.value_or(d.processes);
  run.warmup = options.warmup.value_or(d.warmup);
  run.iterations = options.iterations.value_or(d.iterations);
  run.timeout_seconds = options.timeout_seconds;
  run.max_heap_mb = options.max_heap_mb;
  run.command_line = options.command_line;
  if (run.processes < 1 || run.iterations < 1 || run.warmup < 0) {
    std::fprintf(stderr, "polyhost run: --processes and --iterations must be at least 1, --warmup at least 0\n");
    return 2;
  }
  if (!(run.timeout_seconds > 0)) {
    std::fprintf(stderr, "polyhost run: --timeout must be a positive number of seconds\n");
    return 2;
  }
  for (const auto& file : output_files(options)) {
    if (file.path.empty()) continue;
    if (const std::string reason = unwritable_reason(file.path); !reason.empty()) {
      std::fprintf(stderr, "polyhost run: cannot write %s %s: %s\n", file.flag, file.path.c_str(), reason.c_str());
      return 2;
    }
  }

  // A closed stdout (`| head`, `| true`) must not end the run by SIGPIPE with nothing written.
  ::signal(SIGPIPE, SIG_IGN);
  const bool interactive = ::isatty(STDERR_FILENO);
  RunProgress progress;
  progress.plan = [](const std::string& line) { std::printf("%s\n", line.c_str()); std::fflush(stdout); };
  if (interactive) {
    progress.step = [](int done, int total, const std::string& what) {
      std::fprintf(stderr, "\r\033[K[%d/%d] %s", done + 1, total, what.c_str());
      std::fflush(stderr);
    };
  }
  // Ctrl-C: stop the worker that is running, keep what was measured, write it, exit 130.
  RunReport report;
  {
    InterruptOnSignals interrupt;
    report = run_suite(run, progress);
  }  // measuring is over: from here Ctrl-C ends the program as usual
  if (interactive) std::fprintf(stderr, "\r\033[K");

  // The files first, and a closed stdout (`| head`) is an error to report, not a SIGPIPE that
  // would end the program with everything measured still unwritten.
  const bool interrupted = std::any_of(report.runs.begin(), report.runs.end(),
                                      [](const RunResult& r) { return r.status == RunStatus::Interrupted; });
  const bool written = write_outputs(report, options);
  write_table(report, std::cout, ::isatty(STDOUT_FILENO));
  std::cout.flush();
  if (!std::cout) {
    std::fprintf(stderr, "polyhost run: could not print the results table (standard output: %s)\n", std::strerror(errno));
    if (!interrupted) return 1;
  }
  if (!written) return interrupted ? 130 : 1;
  if (interrupted) {
    std::fprintf(stderr, "polyhost run: interrupted; the runs not finished are marked interrupted\n");
    return 130;
  }
  // A skipped configuration (its program is not installed) is reported, but is no failure.
  for (const auto& r : report.runs) {
    if (r.status != RunStatus::Ok && r.status != RunStatus::Skipped) return 1;
  }
  return 0;
}

}  // namespace polyhost
