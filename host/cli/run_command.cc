#include "host/cli/run_command.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "host/export/exporters.h"
#include "host/python/python_engine.h"
#include "host/runner/configs.h"
#include "host/runner/orchestrator.h"
#include "host/runner/subprocess.h"
#include "host/v8/v8_engine.h"
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
  struct sigaction on_interrupt {};
  on_interrupt.sa_handler = [](int) { request_interrupt(); };
  sigemptyset(&on_interrupt.sa_mask);
  ::sigaction(SIGINT, &on_interrupt, nullptr);
  ::sigaction(SIGTERM, &on_interrupt, nullptr);
  RunReport report = run_suite(run, progress);
  // Measuring is over: from here Ctrl-C ends the program as usual.
  on_interrupt.sa_handler = SIG_DFL;
  ::sigaction(SIGINT, &on_interrupt, nullptr);
  ::sigaction(SIGTERM, &on_interrupt, nullptr);
  if (interactive) std::fprintf(stderr, "\r\033[K");

  write_table(report, std::cout, ::isatty(STDOUT_FILENO));
  std::cout.flush();
  const bool interrupted = std::any_of(report.runs.begin(), report.runs.end(),
                                      [](const RunResult& r) { return r.status == RunStatus::Interrupted; });
  if (!write_outputs(report, options)) return interrupted ? 130 : 1;
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

int list_command(const std::vector<std::string>& targets) {
  std::vector<Workload> workloads;
  try {
    workloads = find_workloads(targets);
  } catch (const WorkloadError& e) {
    std::fprintf(stderr, "polyhost list: %s\n", e.what());
    return 2;
  }
  // Load each file in this process to read its sizes: one engine per language, as exec does.
  V8Platform platform;
  PythonInterpreter interpreter;
  int problems = 0;
  std::printf("%-18s %8s %9s  %s\n", "workload", "quick", "default", "files");
  for (const auto& w : workloads) {
    std::string sizes_text, files, problem;
    std::optional<WorkloadShape> shapes[2];
    int index = 0;
    for (Language language : {Language::JavaScript, Language::Python}) {
      const auto& file = w.file_for(language);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(file, ec)) {
        problem = "missing " + file.filename().string();
        ++index;
        continue;
      }
      files += (files.empty() ? "" : " ") + file.filename().string();
      try {
        std::unique_ptr<Engine> engine;
        if (language == Language::JavaScript) engine = std::make_unique<V8Engine>(platform);
        else engine = std::make_unique<PythonEngine>(interpreter);
        engine->load_module(file);
        shapes[index] = inspect_loaded_workload(*engine);
      } catch (const std::exception& e) {
        problem = file.filename().string() + ": " + e.what();
      } catch (const ExitRequest& e) {
        problem = file.filename().string() + ": exited with status " + std::to_string(e.status);
      }
      ++index;
    }
    if (problem.empty() && shapes[0] && shapes[1] && shapes[0]->sizes != shapes[1]->sizes) {
      problem = "sizes differ between the .js and .py files";
    }
    const auto& shape = shapes[0] ? shapes[0] : shapes[1];
    std::printf("%-18s %8s %9s  %s%s\n", w.name.c_str(),
                shape ? std::to_string(shape->sizes.at("quick")).c_str() : "-",
                shape ? std::to_string(shape->sizes.at("default")).c_str() : "-", files.c_str(),
                problem.empty() ? "" : ("  INVALID: " + problem).c_str());
    if (!problem.empty()) ++problems;
  }
  std::fflush(stdout);
  return problems ? 1 : 0;
}

}  // namespace polyhost
