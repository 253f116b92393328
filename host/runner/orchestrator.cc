#include "host/runner/orchestrator.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "host/export/format_units.h"
#include "host/runner/configs.h"
#include "host/runner/environment.h"
#include "host/runner/subprocess.h"
#include "host/value_compare.h"
#include "host/value_json.h"

namespace polyhost {
namespace {

RunStatus parse_status(const std::string& name) {
  for (RunStatus s : {RunStatus::Ok, RunStatus::Error, RunStatus::Mismatch, RunStatus::Invalid, RunStatus::Timeout,
                      RunStatus::OutOfMemory, RunStatus::StackOverflow, RunStatus::Crash, RunStatus::Skipped,
                      RunStatus::Interrupted}) {
    if (name == status_name(s)) return s;
  }
  return RunStatus::Error;
}

std::string last_lines(const std::string& text, int count) {
  size_t pos = text.size();
  while (pos > 0 && (text[pos - 1] == '\n')) --pos;
  size_t end = pos;
  for (int i = 0; i < count && pos > 0; ++i) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) {
      pos = 0;
      break;
    }
  }
  std::string out = text.substr(pos, end - pos);
  return out.empty() || out[0] != '\n' ? out : out.substr(1);
}

// One worker process's contribution.
struct WorkerOutcome {
  RunStatus status = RunStatus::Ok;
  std::string message;
  nlohmann::json report;
};

WorkerOutcome run_worker_process(const std::vector<std::string>& command, const std::string& file,
                                 const RunOptions& options, bool calibrate) {
  std::vector<std::string> argv = command;
  for (const std::string& arg : {std::string("--file"), file, std::string("--size"),
                                 std::string(options.quick ? "quick" : "default"), std::string("--warmup"),
                                 std::to_string(options.warmup), std::string("--iterations"),
                                 std::to_string(options.iterations), std::string("--result-fd"), std::string("3"),
                                 std::string("--timeout"), std::to_string(options.timeout_seconds),
                                 std::string("--max-heap"), std::to_string(options.max_heap_mb)}) {
    argv.push_back(arg);
  }
  if (calibrate) argv.push_back("--calibrate");
  // The worker stops its own script at the timeout; this is the deadline for one that cannot.
  constexpr double kGraceSeconds = 5;
  ChildOutcome child = run_child(argv, options.timeout_seconds + kGraceSeconds);
  WorkerOutcome out;
  std::string stderr_hint = child.stderr_tail.empty() ? "" : "\n" + last_lines(child.stderr_tail, 8);
  if (child.interrupted) {
    out.status = RunStatus::Interrupted;
    out.message = "interrupted (Ctrl-C) while running";
    return out;
  }
  if (child.timed_out) {
    out.status = RunStatus::Timeout;
    out.message = "the worker was still running " + std::to_string(static_cast<int>(kGraceSeconds)) +
                  " s after its --timeout of " + report_text::format_plain_number(options.timeout_seconds) +
                  " s and was killed";
    return out;
  }
  // node (a reference runtime) aborts when its heap is full rather than stopping the script.
  if (child.signal != 0 && (child.stderr_tail.find("JavaScript heap out of memory") != std::string::npos ||
                            child.stderr_tail.find("Reached heap limit") != std::string::npos)) {
    out.status = RunStatus::OutOfMemory;
    out.message = "the runtime aborted: JavaScript heap out of memory (--max-heap " + std::to_string(options.max_heap_mb) +
                  " MB)";
    return out;
  }
  if (child.signal != 0) {
    out.status = RunStatus::Crash;
    out.message = "the worker died by " + describe_signal(child.signal) + stderr_hint;
    return out;
  }
  try {
    out.report = nlohmann::json::parse(child.report);
  } catch (const nlohmann::json::exception&) {
    out.status = RunStatus::Crash;
    out.message = "the worker exited with status " + std::to_string(child.exit_status) + " without a report" + stderr_hint;
    return out;
  }
  out.status = parse_status(out.report.value("status", "error"));
  out.message = out.report.value("message", "");
  return out;
}

std::vector<double> samples_of(const nlohmann::json& report, const char* key) {
  std::vector<double> out;
  if (report.contains(key)) {
    for (const auto& v : report[key]) out.push_back(v.get<double>());
  }
  return out;
}

std::string baseline_of(const std::vector<std::string>& configs) {
  for (const auto& c : configs) {
    if (c == "v8-jit") return c;
  }
  return configs.front();
}

// Marks every ok run of a workload as a mismatch when their results or sizes disagree.
void cross_check(std::vector<RunResult*>& runs, const std::map<std::string, nlohmann::json>& sizes) {
  // Sizes must agree between the two files of a workload.
  const nlohmann::json* first_sizes = nullptr;
  const RunResult* first_run = nullptr;
  for (RunResult* run : runs) {
    auto found = sizes.find(run->config);
    if (found == sizes.end()) continue;
    if (!first_sizes) {
      first_sizes = &found->second;
      first_run = run;
    } else if (found->second != *first_sizes) {
      std::string message = "sizes differ between the files: " + first_run->language + " " + first_sizes->dump() +
                            " vs " + run->language + " " + found->second.dump();
      for (RunResult* r : runs) {
        r->status = RunStatus::Invalid;
        r->message = message;
      }
      return;
    }
  }
  const RunResult* reference = nullptr;
  for (RunResult* run : runs) {
    if (run->status != RunStatus::Ok || !run->result) continue;
    if (!reference) {
      reference = run;
      continue;
    }
    if (auto diff = find_difference(*reference->result, *run->result)) {
      std::string message = reference->config + " (" + reference->language + ") and " + run->config + " (" +
                            run->language + ") disagree at " + *diff;
      for (RunResult* r : runs) {
        if (r->status == RunStatus::Ok) {
          r->status = RunStatus::Mismatch;
          r->message = message;
        }
      }
      return;
    }
  }
}

// The questions the tiers answer: numerator / denominator, when both configurations ran.
struct TierQuestion {
  const char* numerator;
  const char* denominator;
  const char* question;
};
constexpr TierQuestion kTierQuestions[] = {
    {"v8-ignition", "v8-jit", "JIT vs V8's own interpreter (how much of V8's speed is its JIT)"},
    {"pypy3-nojit", "pypy3", "PyPy's JIT vs its own interpreter (how much of PyPy's speed is its JIT)"},
    {"v8-sparkplug", "v8-jit", "V8's baseline compiler alone vs its optimizing JIT"},
    {"cpython", "v8-ignition", "interpreter vs interpreter (CPython's bytecode vs V8's Ignition)"},
    {"cpython", "v8-jit", "CPython vs V8 with its JIT"},
    {"cpython", "pypy3", "PyPy's speed-up over CPython (the \"4.5x\" claim)"},
    {"pypy3-nojit", "cpython", "PyPy's interpreter vs CPython's (both without a JIT)"},
    {"cpython", "python3", "embedded vs standalone CPython, same build (polyhost's own overhead; ~1.00 expected)"},
    {"node", "v8-jit", "Node.js (its own, newer V8) vs polyhost's embedded V8 10.2"},
};

void compute_tier_ratios(RunReport& report) {
  report.tier_ratios.clear();
  auto run_of = [&](const std::string& workload, const std::string& config) -> const RunResult* {
    for (const auto& r : report.runs) {
      if (r.workload == workload && r.config == config && r.status == RunStatus::Ok && r.summary) return &r;
    }
    return nullptr;
  };
  for (const auto& q : kTierQuestions) {
    std::vector<double> ratios;
    for (const auto& r : report.runs) {
      if (r.config != q.denominator) continue;
      const RunResult* num = run_of(r.workload, q.numerator);
      const RunResult* den = run_of(r.workload, q.denominator);
      if (num && den) ratios.push_back(num->summary->median / den->summary->median);
    }
    if (ratios.empty()) continue;
    report.tier_ratios.push_back({q.question, q.numerator, q.denominator, stats::geometric_mean(ratios),
                                  stats::geometric_mean_ci(ratios), static_cast<int>(ratios.size())});
  }
}

void compute_warmup(RunResult& run) {
  run.warmup_by_process.clear();
  run.warmup.reset();
  for (size_t p = 0; p < run.samples_ns.size(); ++p) {
    std::vector<double> series = p < run.warmup_ns.size() ? run.warmup_ns[p] : std::vector<double>{};
    series.insert(series.end(), run.samples_ns[p].begin(), run.samples_ns[p].end());
    run.warmup_by_process.push_back(warmup::classify(series));
  }
  if (!run.warmup_by_process.empty()) run.warmup = warmup::summarize(run.warmup_by_process);
}

}  // namespace

void compute_statistics(RunReport& report) {
  report.comparisons.clear();
  report.geometric_mean_ratio.clear();
  for (auto& run : report.runs) {
    run.warnings.clear();
    run.summary.reset();
    compute_warmup(run);
    std::vector<double> samples = run.all_samples_ns();
    if (samples.empty()) continue;
    run.summary = stats::summarize(samples);
    if (run.status != RunStatus::Ok) continue;
    auto flags = stats::check_stability(*run.summary);
    if (flags.unstable) {
      std::ostringstream text;
      text << "unstable: the standard deviation is " << std::lround(100 * run.summary->stdev / run.summary->mean)
           << "% of the mean (pyperf warns above 10%); more processes or iterations, or a quieter machine, would help";
      run.warnings.push_back(text.str());
    }
    if (flags.too_short) {
      std::ostringstream text;
      text.precision(3);
      text << "too short: the median iteration takes " << run.summary->median / 1e6
           << " ms, under 1 ms, so timer and host overhead weigh in; use a larger size";
      run.warnings.push_back(text.str());
    }
  }
  if (report.configs.empty()) return;
  const std::string baseline = baseline_of(report.configs);
  std::map<std::string, std::vector<double>> ratios;
  for (const auto& base : report.runs) {
    if (base.config != baseline || base.status != RunStatus::Ok || !base.summary) continue;
    for (const auto& run : report.runs) {
      if (run.workload != base.workload || run.config == baseline || run.status != RunStatus::Ok || !run.summary) continue;
      // Processes are the independent units: the CI resamples them, then their iterations.
      Comparison c{run.workload, baseline, run.config, stats::ratio_of_medians_grouped(run.samples_ns, base.samples_ns)};
      ratios[run.config].push_back(c.ratio.ratio);
      report.comparisons.push_back(std::move(c));
    }
  }
  for (const auto& [config, values] : ratios) report.geometric_mean_ratio[config] = stats::geometric_mean(values);
  compute_tier_ratios(report);
}

RunReport run_suite(const RunOptions& options, const RunProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  const std::string self = self_executable();
  RunReport report;
  report.environment = collect_environment(options.command_line);
  report.size_name = options.quick ? "quick" : "default";
  report.processes = options.processes;
  report.warmup = options.warmup;
  report.iterations = options.iterations;
  // The baseline goes first: exporters divide by configs[0].
  report.configs = options.configs;
  const std::string baseline = baseline_of(report.configs);
  report.configs.erase(std::find(report.configs.begin(), report.configs.end(), baseline));
  report.configs.insert(report.configs.begin(), baseline);
  std::map<std::string, std::vector<std::string>> commands;  // per available configuration
  std::map<std::string, std::string> skipped;                 // per unavailable one: why
  for (const auto& name : report.configs) {
    const Config* config = find_config(name);
    report.environment.config_flags[name] = config->flags();
    std::string reason;
    if (auto command = worker_command(*config, self, options.max_heap_mb, reason)) {
      commands[name] = *command;
    } else {
      skipped[name] = reason;
    }
  }

  const int total = static_cast<int>(options.workloads.size() * options.configs.size()) * options.processes +
                    static_cast<int>(options.configs.size());
  std::ostringstream plan;
  plan << "Plan: " << options.workloads.size() << " workloads x " << options.configs.size() << " configurations x "
       << options.processes << " processes x (" << options.warmup << " warm-up + " << options.iterations
       << " measured iterations), " << report.size_name << " sizes: " << total << " worker processes";
  if (progress.plan) progress.plan(plan.str());
  int done = 0;

  // The host's own cost per sample: an empty run() through each configuration.
  for (const auto& name : report.configs) {
    if (progress.step) progress.step(done++, total, "calibrating " + name);
    if (!commands.count(name)) continue;
    WorkerOutcome outcome = run_worker_process(commands[name], "", options, /*calibrate=*/true);
    if (outcome.status == RunStatus::Ok) {
      auto samples = samples_of(outcome.report, "samples_ns");
      if (!samples.empty()) report.environment.empty_call_ns[name] = stats::median(samples);
      report.environment.config_engines[name] = outcome.report.value("engine", "");
      if (outcome.report.contains("flags") && outcome.report["flags"].is_array() && !outcome.report["flags"].empty()) {
        report.environment.config_flags[name] = outcome.report["flags"].get<std::vector<std::string>>();
      }
    }
  }

  for (const auto& workload : options.workloads) {
    std::vector<size_t> indices;
    std::map<std::string, nlohmann::json> sizes;
    for (const auto& name : report.configs) {
      const Config* config = find_config(name);
      RunResult run;
      run.workload = workload.name;
      run.language = language_name(config->language);
      run.config = name;
      run.size_name = report.size_name;
      std::error_code ec;
      if (skipped.count(name)) {
        run.status = RunStatus::Skipped;
        run.message = skipped[name];
      } else if (!std::filesystem::is_regular_file(workload.file_for(config->language), ec)) {
        run.status = RunStatus::Invalid;
        run.message = "missing " + workload.file_for(config->language).string() + " (a workload needs both files)";
      }
      indices.push_back(report.runs.size());
      report.runs.push_back(std::move(run));
    }
    for (int p = 0; p < options.processes; ++p) {
      for (size_t i = 0; i < report.configs.size(); ++i) {
        RunResult& run = report.runs[indices[i]];
        const Config* config = find_config(run.config);
        if (progress.step) {
          progress.step(done++, total, workload.name + " | " + run.config + " | process " + std::to_string(p + 1) + "/" +
                                           std::to_string(options.processes));
        }
        if (run.status != RunStatus::Ok) continue;  // a failure is final for this run
        if (interrupt_requested()) {
          run.status = RunStatus::Interrupted;
          run.message = "not finished: the run was interrupted (Ctrl-C)";
          continue;
        }
        WorkerOutcome outcome = run_worker_process(commands[run.config], workload.file_for(config->language).string(),
                                                   options, /*calibrate=*/false);
        const auto& r = outcome.report;
        if (r.is_object()) {
          if (r.contains("size")) run.size = r["size"].get<std::int64_t>();
          if (r.contains("sizes") && !sizes.count(run.config)) sizes[run.config] = r["sizes"];
          run.has_verify = r.value("has_verify", false);
          auto samples = samples_of(r, "samples_ns");
          if (!samples.empty()) {
            run.samples_ns.push_back(samples);
            run.warmup_ns.push_back(samples_of(r, "warmup_ns"));
            run.processes++;
          }
          if (r.contains("result") && outcome.status == RunStatus::Ok) {
            Value result = value_from_json(r["result"]);
            if (!run.result) {
              run.result = result;
              run.verified = r.value("verified", false);
            } else if (auto diff = find_difference(*run.result, result)) {
              outcome.status = RunStatus::Mismatch;
              outcome.message = "processes 1 and " + std::to_string(p + 1) + " returned different results: " + *diff;
            } else {
              run.verified = run.verified && r.value("verified", false);
            }
          }
        }
        if (outcome.status != RunStatus::Ok) {
          run.status = outcome.status;
          run.message = outcome.message;
        }
      }
    }
    std::vector<RunResult*> runs;
    for (size_t i : indices) runs.push_back(&report.runs[i]);
    cross_check(runs, sizes);
  }
  compute_statistics(report);
  report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace polyhost
