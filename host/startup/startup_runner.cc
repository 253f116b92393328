#include "host/startup/startup_runner.h"

#include <chrono>
#include <map>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "host/model/startup_worker_message.h"
#include "host/runner/configs.h"
#include "host/runner/environment.h"
#include "host/runner/subprocess.h"
#include "host/runner/worker_client.h"
#include "host/startup/programs.h"
#include "host/startup/startup_worker.h"
#include "host/text/format.h"
#include "host/workload.h"

namespace polyhost {
namespace {

constexpr double kEngineWorkerSeconds = 60;  // a worker timing an engine's start (16 instances included)
constexpr double kProgramSeconds = 60;       // one whole program

struct PhaseInfo {
  const char* engine;
  const char* step;
  const char* description;
};

const std::vector<PhaseInfo>& phases_of(const std::string& measure) {
  static const std::vector<PhaseInfo> v8 = {
      {"V8", "platform", "V8Platform: the flags, the default platform and its worker threads, V8::Initialize"},
      {"V8", "isolate", "v8::Isolate::New, deserialized from V8's snapshot"},
      {"V8", "context", "v8::Context::New"},
      {"V8", "empty_script", "v8::Script::Compile and Run of an empty source"}};
  static const std::vector<PhaseInfo> python = {
      {"CPython", "initialize", "Py_InitializeFromConfig with polyhost's PyConfig (the Python configuration: site is imported and the .pth files run)"},
      {"CPython", "first_import", "import json, a standard module that site has not imported"},
      {"CPython", "empty_script", "Py_CompileString and PyEval_EvalCode of an empty source"}};
  return measure == "v8" ? v8 : python;
}

struct InstanceInfo {
  const char* measure;
  const char* engine;
  const char* step;
  const char* description;
};
constexpr InstanceInfo kInstanceKinds[] = {
    {"v8", "V8", "isolate_and_context", "isolate + context (v8::Isolate::New and v8::Context::New; all kept alive)"},
    {"python", "CPython", "subinterpreter",
     "sub-interpreter (Py_NewInterpreter; all kept alive; each imports site and runs the .pth files again)"}};

std::string interrupted_message(std::size_t done, int planned) {
  return "interrupted (" + interrupt_cause() + ") after " + std::to_string(done) + " of " + std::to_string(planned) + " processes";
}

// What the processes of one kind of worker sent, and how the kind went.
struct Collected {
  std::vector<StartupWorkerMessage> messages;  // the good ones
  StartupOutcome outcome;
  // The sizes the file declares, from the first worker that loaded it (one that failed afterwards
  // included): a workload whose other file disagrees is invalid even when this side failed.
  std::optional<std::map<std::string, std::int64_t>> declared_sizes;
  bool stopped() const { return outcome.status != StartupStatus::Ok; }
};

// A worker's failure as a row's status: the workload's timeout and out-of-memory keep their names
// (as in `run`), anything else is an error.
StartupStatus failure_status(const std::string& failure) {
  if (failure == status_name(RunStatus::Timeout)) return StartupStatus::Timeout;
  if (failure == status_name(RunStatus::OutOfMemory)) return StartupStatus::OutOfMemory;
  return StartupStatus::Error;
}

// Runs one startup worker and adds its message to INTO; a failure becomes INTO's outcome (and no
// more processes of that kind are started: the next would fail the same way).
void run_startup_worker(const std::vector<std::string>& argv, double timeout_seconds, Collected& into,
                        const std::function<void(const StartupWorkerMessage&)>& check) {
  const WorkerOutcome outcome = run_worker_process(
      argv, timeout_seconds, "its time limit of " + std::to_string(static_cast<int>(timeout_seconds)) + " s");
  if (outcome.status == RunStatus::Interrupted) {
    into.outcome = {StartupStatus::Interrupted, outcome.message};
    return;
  }
  if (outcome.status != RunStatus::Ok) {
    const std::string tail = outcome.stderr_lines(8);
    into.outcome = {failure_status(status_name(outcome.status)), outcome.message + (tail.empty() ? "" : ": " + tail)};
    return;
  }
  try {
    StartupWorkerMessage message = read_startup_worker_message(outcome.text);
    if (!into.declared_sizes && !message.sizes.empty()) into.declared_sizes = message.sizes;
    if (!message.ok) {
      into.outcome = {failure_status(message.failure), message.message};
      return;
    }
    check(message);
    into.messages.push_back(std::move(message));
  } catch (const std::exception& e) {
    into.outcome = {StartupStatus::Error, e.what()};
  }
}

// The steps must be the ones asked for, in order: otherwise the figures would mix different things.
void check_steps(const std::vector<StartupStep>& steps, const std::vector<std::string>& expected, const char* what) {
  const std::string got = text::comma_listed(steps, [](const StartupStep& s) { return s.name; });
  const std::string want = text::comma_listed(expected);
  if (got != want) throw std::runtime_error(std::string("the worker sent ") + what + " [" + got + "], expected [" + want + "]");
}

std::vector<double> mean_by_process(const std::vector<std::vector<double>>& by_process) {
  std::vector<double> out;
  for (const auto& values : by_process) {
    if (!values.empty()) out.push_back(std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size()));
  }
  return out;
}

// The phase and further-instance rows of one engine.
void add_engine_rows(StartupReport& report, const InstanceInfo& kind, const Collected& c, int instances) {
  const StartupOutcome& outcome = c.outcome;
  const auto& phases = phases_of(kind.measure);
  for (std::size_t i = 0; i < phases.size(); ++i) {
    StartupPhase row;
    static_cast<StartupOutcome&>(row) = outcome;
    row.engine = phases[i].engine;
    row.phase = phases[i].step;
    row.description = phases[i].description;
    std::vector<double> ns, rss;
    for (const auto& m : c.messages) {
      ns.push_back(m.steps[i].ns);
      rss.push_back(static_cast<double>(m.steps[i].rss_after_bytes));
    }
    row.time_ns = StartupFigure::of(ns);
    row.rss_after_bytes = StartupFigure::of(rss);
    report.phases.push_back(std::move(row));
  }
  StartupInstances group;
  static_cast<StartupOutcome&>(group) = outcome;
  group.engine = kind.engine;
  group.description = kind.description;
  group.count = instances;
  std::vector<std::vector<double>> time_by_process, added_by_process;
  for (int k = 2; k <= instances; ++k) {
    StartupInstanceStep step;
    step.index = k;
    std::vector<double> ns, added, after;
    for (const auto& m : c.messages) {
      const StartupStep& s = m.instances[static_cast<std::size_t>(k - 2)];
      const std::uint64_t before = k == 2 ? m.steps.back().rss_after_bytes : m.instances[static_cast<std::size_t>(k - 3)].rss_after_bytes;
      ns.push_back(s.ns);
      after.push_back(static_cast<double>(s.rss_after_bytes));
      added.push_back(static_cast<double>(s.rss_after_bytes) - static_cast<double>(before));
    }
    step.time_ns = StartupFigure::of(ns);
    step.rss_added_bytes = StartupFigure::of(added);
    step.rss_after_bytes = StartupFigure::of(after);
    group.steps.push_back(std::move(step));
  }
  for (const auto& m : c.messages) {
    std::vector<double> ns, added;
    std::uint64_t before = m.steps.back().rss_after_bytes;
    for (const auto& s : m.instances) {
      ns.push_back(s.ns);
      added.push_back(static_cast<double>(s.rss_after_bytes) - static_cast<double>(before));
      before = s.rss_after_bytes;
    }
    time_by_process.push_back(ns);
    added_by_process.push_back(added);
  }
  group.mean_time_ns = StartupFigure::of(mean_by_process(time_by_process));
  group.mean_rss_added_bytes = StartupFigure::of(mean_by_process(added_by_process));
  report.instances.push_back(std::move(group));
}

// One (workload, configuration) for the time to first result.
struct FirstResultJob {
  std::string workload, config, file;
  Collected collected;
};

void add_first_result_row(StartupReport& report, const FirstResultJob& job) {
  StartupFirstResult row;
  static_cast<StartupOutcome&>(row) = job.collected.outcome;
  row.workload = job.workload;
  row.config = job.config;
  // An invalid workload's figures are not figures of the workload: none are shown, none are charted.
  if (row.status == StartupStatus::Invalid) {
    report.first_results.push_back(std::move(row));
    return;
  }
  std::vector<double> start, engine, load, setup, run, total, rss, peak;
  for (const auto& m : job.collected.messages) {
    row.engine = m.engine;
    row.size = m.size;
    row.has_setup = m.has_setup;
    start.push_back(m.steps[0].ns);
    engine.push_back(m.steps[1].ns);
    load.push_back(m.steps[2].ns);
    setup.push_back(m.steps[3].ns);
    run.push_back(m.steps[4].ns);
    total.push_back(m.steps[0].ns + m.steps[1].ns + m.steps[2].ns + m.steps[3].ns + m.steps[4].ns);
    rss.push_back(static_cast<double>(m.steps[4].rss_after_bytes));
    peak.push_back(static_cast<double>(m.peak_rss_bytes));
  }
  row.start_ns = StartupFigure::of(start);
  row.engine_ns = StartupFigure::of(engine);
  row.load_ns = StartupFigure::of(load);
  row.setup_ns = StartupFigure::of(setup);
  row.run_ns = StartupFigure::of(run);
  row.total_ns = StartupFigure::of(total);
  row.rss_after_bytes = StartupFigure::of(rss);
  row.peak_rss_bytes = StartupFigure::of(peak);
  report.first_results.push_back(std::move(row));
}

// A workload whose files declare different sizes is invalid in every configuration, as in `run`:
// its first results would be side by side at different n. A row an interrupt stopped stays so.
void mark_sizes_disagreements(std::vector<FirstResultJob>& jobs) {
  std::map<std::string, std::vector<DeclaredSizes>> declared;  // per workload
  for (const auto& job : jobs) {
    if (!job.collected.declared_sizes) continue;
    declared[job.workload].push_back({language_name(find_config(job.config)->language), *job.collected.declared_sizes});
  }
  for (auto& job : jobs) {
    if (job.collected.outcome.status == StartupStatus::Interrupted) continue;
    if (auto message = sizes_disagreement(declared[job.workload])) job.collected.outcome = {StartupStatus::Invalid, *message};
  }
}

// A whole program's samples so far.
struct ProgramJob {
  ProgramToTime program;
  std::vector<double> time_ns, peak_bytes;
  StartupOutcome outcome;
};

void time_program(const std::string& helper, ProgramJob& job) {
  try {
    const SpawnMeasurement m = time_program_once(helper, job.program.argv, kProgramSeconds);
    if (!max_rss_is_the_childs(m)) {
      throw std::runtime_error("its peak resident memory (" + std::to_string(m.max_rss_kib) +
                               " KiB) cannot be told apart from the helper's own (" +
                               std::to_string(m.spawner_max_rss_kib) + " KiB, and up to " +
                               std::to_string(kSpawnerGrowthKib) + " KiB more while spawning)");
    }
    job.time_ns.push_back(static_cast<double>(m.wall_ns));
    job.peak_bytes.push_back(static_cast<double>(m.max_rss_kib) * 1024);
  } catch (const std::exception& e) {
    if (interrupt_requested()) {
      job.outcome = {StartupStatus::Interrupted, ""};
    } else {
      job.outcome = {StartupStatus::Error, job.program.name + " failed: " + e.what()};
    }
  }
}

}  // namespace

StartupReport run_startup(const StartupOptions& options, const std::function<void(const std::string&)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  StartupReport report;
  report.environment = collect_environment(options.command_line);
  if (const std::string busy = busy_machine_note(report.environment); !busy.empty()) progress("note: " + busy);
  StartupSettings& s = report.settings;
  s.quick = options.quick;
  s.processes = options.processes > 0 ? options.processes : options.quick ? kQuickProcesses : kDefaultProcesses;
  s.first_result_processes = options.first_result_processes > 0 ? options.first_result_processes
                             : options.quick                     ? kQuickProcesses
                                                                 : kDefaultFirstResultProcesses;
  s.instances = options.instances;
  s.size_name = options.quick ? "quick" : "default";
  s.configs = options.configs.empty() ? default_config_names() : options.configs;
  s.max_heap_mb = options.max_heap_mb;

  // Everything that can be refused is refused before the first process starts.
  std::vector<FirstResultJob> first_jobs;
  for (const auto& workload : find_workloads(options.targets)) {
    for (const auto& name : s.configs) {
      const Config* config = find_config(name);
      if (!config || config->is_reference()) throw std::invalid_argument("'" + name + "' is not an embedded configuration");
      first_jobs.push_back({workload.name, name, workload.file_for(config->language).string(), {}});
      // Refused before any process, as run and scale do: not a worker's error from deep in an import.
      if (std::string missing = workload.missing_file(config->language); !missing.empty()) {
        first_jobs.back().collected.outcome = {StartupStatus::Error, missing};
      }
    }
  }
  const std::string self = self_executable();
  const std::string helper = spawn_helper();
  char scratch_pattern[] = "/tmp/polyhost-startup-XXXXXX";
  if (!::mkdtemp(scratch_pattern)) throw std::runtime_error("cannot create a temporary folder for the empty scripts");
  const std::filesystem::path scratch = scratch_pattern;
  struct RemoveScratch {
    std::filesystem::path dir;
    ~RemoveScratch() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } remove_scratch{scratch};
  std::vector<ProgramJob> programs;
  for (auto& p : programs_to_time(scratch)) {
    ProgramJob job{std::move(p), {}, {}, {}};
    if (!job.program.skip_reason.empty()) job.outcome = {StartupStatus::Skipped, job.program.skip_reason};
    programs.push_back(std::move(job));
  }

  Collected engines[2];
  const int rounds = std::max(s.processes, s.first_result_processes);
  auto say = [&](int round, const std::string& what) {
    if (progress) progress("round " + std::to_string(round + 1) + "/" + std::to_string(rounds) + " | " + what);
  };
  for (int round = 0; round < rounds && !interrupt_requested(); ++round) {
    if (round < s.processes) {
      for (std::size_t e = 0; e < 2; ++e) {
        const InstanceInfo& kind = kInstanceKinds[e];
        if (engines[e].stopped() || interrupt_requested()) continue;
        say(round, std::string(kind.engine) + " in-process start");
        std::vector<std::string> expected;
        for (const auto& p : phases_of(kind.measure)) expected.push_back(p.step);
        run_startup_worker({self, "startup-worker", "--measure", kind.measure, "--instances", std::to_string(s.instances)},
                           kEngineWorkerSeconds, engines[e], [&](const StartupWorkerMessage& m) {
                             check_steps(m.steps, expected, "steps");
                             check_steps(m.instances, std::vector<std::string>(static_cast<std::size_t>(s.instances - 1), kind.step),
                                         "instances");
                           });
      }
      for (std::size_t i = 0; i < programs.size() && !interrupt_requested(); ++i) {
        ProgramJob& job = programs[(i + static_cast<std::size_t>(round)) % programs.size()];  // rotated each round
        if (job.outcome.status != StartupStatus::Ok) continue;
        say(round, job.program.name);
        time_program(helper, job);
      }
    }
    if (round < s.first_result_processes) {
      for (auto& job : first_jobs) {
        if (job.collected.stopped() || interrupt_requested()) continue;
        say(round, job.workload + " [" + job.config + "] first result");
        run_startup_worker({self, "startup-worker", "--measure", "first-result", "--file", job.file, "--config", job.config,
                            "--size", s.size_name, "--timeout", std::to_string(options.timeout_seconds),
                            "--max-heap", std::to_string(options.max_heap_mb)},
                           options.timeout_seconds, job.collected, [](const StartupWorkerMessage& m) {
                             check_steps(m.steps, {"start", "engine", "load", "setup", "run"}, "steps");
                           });
      }
    }
  }

  mark_sizes_disagreements(first_jobs);
  // What an interrupt left unfinished says so, with how far it got.
  const bool interrupted = interrupt_requested();
  auto finish = [&](StartupOutcome& o, std::size_t done, int planned) {
    const bool unfinished = o.status == StartupStatus::Ok && done < static_cast<std::size_t>(planned);
    if (o.status == StartupStatus::Interrupted || (interrupted && unfinished)) {
      o = {StartupStatus::Interrupted, interrupted_message(done, planned)};
    }
  };
  for (std::size_t e = 0; e < 2; ++e) {
    finish(engines[e].outcome, engines[e].messages.size(), s.processes);
    add_engine_rows(report, kInstanceKinds[e], engines[e], s.instances);
  }
  std::vector<ProgramToTime> timed;
  for (auto& job : programs) {
    finish(job.outcome, job.time_ns.size(), s.processes);
    timed.push_back(job.program);
    StartupProcess row;
    static_cast<StartupOutcome&>(row) = job.outcome;
    row.name = job.program.name;
    row.description = job.program.description;
    row.argv = job.program.argv;
    row.time_ns = StartupFigure::of(job.time_ns);
    row.peak_rss_bytes = StartupFigure::of(job.peak_bytes);
    report.processes.push_back(std::move(row));
  }
  for (auto& d : differences_to_show(timed)) {
    estimate_difference(report, d);
    report.differences.push_back(std::move(d));
  }
  for (auto& job : first_jobs) {
    finish(job.collected.outcome, job.collected.messages.size(), s.first_result_processes);
    add_first_result_row(report, job);
  }
  s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace polyhost
