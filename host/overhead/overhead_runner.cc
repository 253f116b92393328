#include "host/overhead/overhead_runner.h"

#include <chrono>
#include <cmath>

#include "host/build_info.h"
#include "host/model/worker_message.h"
#include "host/overhead/catalogue.h"
#include "host/overhead/overhead_runtimes.h"
#include "host/runner/configs.h"
#include "host/runner/environment.h"
#include "host/runner/subprocess.h"
#include "host/runner/worker_client.h"
#include "host/stats/statistics.h"
#include "host/stats/warmup.h"

namespace polyhost {
namespace {

constexpr double kWorkerTimeoutSeconds = 300;

OverheadCell& cell_for(OverheadMatrix& matrix, const BindingInfo& b, const std::string& case_name) {
  for (auto& c : matrix.cells) {
    if (c.binding == b.binding && c.case_name == case_name) return c;
  }
  OverheadCell c;
  c.language = b.language;
  c.binding = b.binding;
  c.case_name = case_name;
  matrix.cells.push_back(std::move(c));
  return matrix.cells.back();
}

void fail_all(OverheadMatrix& matrix, const BindingInfo& b, CellStatus status, const std::string& reason) {
  for (const auto& c : overhead_cases()) {
    OverheadCell& cell = cell_for(matrix, b, c);
    cell.status = status;
    cell.reason = reason;
  }
}


// One worker process measuring binding B; its samples are added to the matrix. False when the
// binding failed or is unavailable, so no more processes are worth starting.
bool measure_in_worker(OverheadMatrix& matrix, OverheadBinding& column, const BindingInfo& b, const std::string& self,
                       std::uint64_t& fast_calls) {
  const OverheadSettings& s = matrix.settings;
  std::string unavailable;
  const auto command = overhead_worker_command(b, self, s.loop_target_ns, s.repeats, unavailable);
  if (!command) {  // its runtime is not installed, or this build left the extension out
    fail_all(matrix, b, CellStatus::Unsupported, unavailable);
    return false;
  }
  const WorkerOutcome outcome = run_worker_process(
      *command, kWorkerTimeoutSeconds, "its time limit of " + std::to_string(static_cast<int>(kWorkerTimeoutSeconds)) + " s");
  if (outcome.status == RunStatus::Interrupted) return false;  // the processes before it keep their loops
  OverheadWorkerMessage m;
  try {
    if (outcome.status != RunStatus::Ok) {
      const std::string tail = outcome.stderr_lines(8);
      throw FileFormatError(outcome.message + (tail.empty() ? "" : ": " + tail));
    }
    m = read_overhead_worker_message(outcome.text);
  } catch (const FileFormatError& e) {
    fail_all(matrix, b, CellStatus::Error, e.what());
    return false;
  }
  if (!m.ok) {
    fail_all(matrix, b, CellStatus::Error, m.message);
    return false;
  }
  column.engine = m.engine;
  if (m.flags) column.flags = m.flags;
  fast_calls += m.fast_calls;
  if (!m.measured.unavailable.empty()) {  // the binding cannot be loaded here (cffi not installed, say)
    fail_all(matrix, b, CellStatus::Unsupported, m.measured.unavailable);
    return false;
  }
  for (const auto& [name, reason] : m.unsupported) {
    OverheadCell& cell = cell_for(matrix, b, name);
    cell.status = CellStatus::Unsupported;
    cell.reason = reason;
  }
  for (const auto& [name, message] : m.measured.errors) {
    OverheadCell& cell = cell_for(matrix, b, name);
    cell.status = CellStatus::Error;
    cell.reason = "wrong result: " + message;
  }
  for (const auto& [name, ns] : m.measured.cases) add_process_loops(cell_for(matrix, b, name), ns);
  return true;
}

// Installs the peers (npm packages, a native build for node-calls-python); the reason they cannot
// be measured, or "".
std::string set_up_peers(const std::string& self) {
  std::string no_node;
  if (const Config* node = find_config("node"); !node || !worker_command(*node, self, 0, no_node)) return no_node;
  constexpr double kSetupSeconds = 900;  // npm install and a node-gyp build on a slow machine
  const WorkerOutcome setup = run_worker_process({std::string(build_info::source_dir) + "/scripts/setup-peers"}, kSetupSeconds,
                                                 "its time limit of 900 s");
  // A plain script, not a worker: it writes no report, so its exit status is all there is (a
  // timeout, an interrupt or a signal leave no exit status).
  if (setup.exit_status == 0) return "";
  if (setup.exit_status < 0) return "scripts/setup-peers: " + setup.message;
  std::string why = setup.stderr_lines(1);
  const std::string prefix = "setup-peers: ";
  if (why.rfind(prefix, 0) == 0) why = why.substr(prefix.size());
  return why.empty() ? "scripts/setup-peers failed (status " + std::to_string(setup.exit_status) + ")" : why;
}

}  // namespace

void add_process_loops(OverheadCell& cell, const std::vector<double>& loops) {
  std::size_t from = 0;
  const double level = loops.empty() ? 0 : std::fabs(stats::median(loops));
  if (level >= kSmallestPureNs) {
    const warmup::Analysis a = warmup::classify(loops);
    if (a.steady_iteration) {
      from = *a.steady_iteration - 1;
    } else {
      ++cell.unsteady_processes;
    }
  }
  cell.samples_ns.insert(cell.samples_ns.end(), loops.begin() + static_cast<long>(from), loops.end());
  cell.process_sample_counts.push_back(loops.size() - from);
}

OverheadMatrix run_overhead(const OverheadOptions& options, const std::function<void(const std::string&)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  OverheadMatrix matrix;
  matrix.environment = collect_environment(options.command_line);
  if (const std::string busy = busy_machine_note(matrix.environment); !busy.empty()) progress("note: " + busy);
  OverheadSettings& s = matrix.settings;
  s.quick = options.quick;
  // Enough loops per process for the classifier to find where they are steady: 10 at least once
  // outliers are set aside, so 12 leave room for two. Enough processes for a 95% CI of the median
  // across them, except with --quick (its interval says it is not one).
  s.processes = options.quick ? 2 : static_cast<int>(stats::kFewestForMedianCi);
  s.repeats = 12;
  s.loop_target_ns = options.quick ? 2e6 : 10e6;  // length of one calibrated loop
  const std::string self = self_executable();

  const std::string peers_unavailable = options.peers ? set_up_peers(self) : "";
  for (const auto& b : overhead_bindings(options.peers)) {
    const bool peer = b.runtime == OverheadRuntime::Peer;
    matrix.bindings.push_back({b.language, b.binding, b.family, b.description, "", std::nullopt, peer});
    OverheadBinding& column = matrix.bindings.back();
    for (const auto& c : overhead_cases()) cell_for(matrix, b, c);  // every cell exists, in order
    if (interrupt_requested()) {  // before the peers' reason: an interrupted set-up says it was interrupted
      fail_all(matrix, b, CellStatus::Interrupted, "not measured: the run was interrupted (" + interrupt_cause() + ")");
      continue;
    }
    if (peer && !peers_unavailable.empty()) {
      fail_all(matrix, b, CellStatus::Unsupported, "skipped: " + peers_unavailable);
      continue;
    }
    std::uint64_t fast_calls = 0;
    for (int p = 0; p < s.processes && !interrupt_requested(); ++p) {
      if (progress) progress(b.binding + " | process " + std::to_string(p + 1) + "/" + std::to_string(s.processes));
      if (!measure_in_worker(matrix, column, b, self, fast_calls)) break;
    }
    if (interrupt_requested()) {
      for (const auto& c : overhead_cases()) {
        OverheadCell& cell = cell_for(matrix, b, c);
        if (cell.status == CellStatus::Ok && cell.samples_ns.empty()) {
          cell.status = CellStatus::Interrupted;
          cell.reason = "not measured: the run was interrupted (" + interrupt_cause() + ")";
        }
      }
    }
    if (b.natives == V8Natives::FastApi) {
      matrix.notes.emplace_back(b.binding, "fast calls taken: " + std::to_string(fast_calls) +
                                               (fast_calls == 0 ? " (V8 never used the fast path: these are slow-callback figures)" : ""));
    }
  }
  compute_overhead_statistics(matrix);
  s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return matrix;
}

void compute_overhead_statistics(OverheadMatrix& matrix) {
  for (auto& c : matrix.cells) {
    c.summary.reset();
    if (c.status == CellStatus::Ok && !c.samples_ns.empty()) {
      c.summary = stats::summarize_grouped(c.samples_by_process());
    } else if (c.status == CellStatus::Ok) {
      c.status = CellStatus::Error;
      c.reason = "no measurement";
    }
  }
  for (auto& c : matrix.cells) {
    c.relative_to_pure = matrix.relative_to_pure(c);
    c.relative_to_cpp = matrix.relative_to_cpp(c);
  }
}

}  // namespace polyhost
