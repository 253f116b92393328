#include "host/cli/list_command.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "host/export/format_units.h"
#include "host/runner/configs.h"
#include "host/runner/orchestrator.h"
#include "host/runner/subprocess.h"
#include "host/workload.h"

namespace polyhost {

namespace {

// What `polyhost worker --inspect` found in one file of a workload.
struct Inspection {
  std::string problem;  // empty when the file keeps the contract
  std::optional<std::map<std::string, std::int64_t>> sizes;
  bool interrupted = false;
};

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of("\r\n");
  if (end == std::string::npos) return "";
  size_t begin = text.rfind('\n', end);
  return text.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 - (begin == std::string::npos ? 0 : begin + 1));
}

// The workload's folder left out of TEXT: the table already says which workload it is.
std::string shorten(std::string text, const Workload& workload) {
  const std::string prefix = workload.dir.string() + "/";
  for (size_t pos; (pos = text.find(prefix)) != std::string::npos;) text.erase(pos, prefix.size());
  return text;
}

// Loads one file in a fresh worker (the same one `run` uses, asked only to load and check), so a
// file that hangs, crashes or pollutes its interpreter while loading harms nothing else.
Inspection inspect_in_worker(const std::vector<std::string>& command, const Workload& workload, Language language,
                             double timeout_seconds) {
  const std::string file = workload.file_for(language).string();
  const std::string name = workload.file_for(language).filename().string();
  std::vector<std::string> argv = command;
  for (const std::string& arg : {std::string("--file"), file, std::string("--inspect"), std::string("--result-fd"),
                                 std::string("3"), std::string("--timeout"), std::to_string(timeout_seconds),
                                 std::string("--max-heap"), std::string("2048")}) {
    argv.push_back(arg);
  }
  // The worker stops its own script at the timeout; this is the deadline for one that cannot.
  constexpr double kGraceSeconds = 3;
  ChildOutcome child = run_child(argv, timeout_seconds + kGraceSeconds);
  Inspection out;
  const std::string hint = last_line(child.stderr_tail).empty() ? "" : " (" + last_line(child.stderr_tail) + ")";
  if (child.interrupted) {
    out.interrupted = true;
    out.problem = name + ": interrupted while loading";
    return out;
  }
  if (child.timed_out) {
    out.problem = "TIMEOUT while loading " + name + ": still running " + report_text::format_plain_number(timeout_seconds + kGraceSeconds) +
                  " s after it started; the worker was killed";
    return out;
  }
  if (child.signal != 0) {
    out.problem = "CRASH while loading " + name + ": the worker died by " + describe_signal(child.signal) + hint;
    return out;
  }
  nlohmann::json report;
  try {
    report = nlohmann::json::parse(child.report);
  } catch (const nlohmann::json::exception&) {
    out.problem = "CRASH while loading " + name + ": the worker exited with status " + std::to_string(child.exit_status) +
                  " without a report" + hint;
    return out;
  }
  const std::string status = report.value("status", "error");
  std::string message = shorten(first_line(report.value("message", "")), workload);
  if (message.rfind(name, 0) != 0) message = name + ": " + message;
  if (status == "ok") {
    try {
      out.sizes = report.at("sizes").get<std::map<std::string, std::int64_t>>();
    } catch (const nlohmann::json::exception&) {
    }
    if (!out.sizes || !out.sizes->count("quick") || !out.sizes->count("default")) {
      out.sizes.reset();
      out.problem = name + ": the worker's report has no sizes";
    }
  } else if (status == "invalid") {
    out.problem = message;
  } else if (status == "timeout") {
    out.problem = "TIMEOUT while loading " + name + ": still running after " + report_text::format_plain_number(timeout_seconds) +
                  " s (list --timeout)";
  } else if (status == "out-of-memory") {
    out.problem = "OUT-OF-MEMORY while loading " + message;
  } else {  // error, stack-overflow: the headline names the file and the line
    out.problem = "ERROR while loading " + message;
  }
  return out;
}

std::string describe_size_difference(const std::map<std::string, std::int64_t>& js,
                                     const std::map<std::string, std::int64_t>& py) {
  std::string out;
  for (const char* key : {"quick", "default"}) {
    auto a = js.find(key), b = py.find(key);
    if (a == js.end() || b == py.end() || a->second == b->second) continue;
    out += std::string(out.empty() ? "" : ", ") + key + " " + std::to_string(a->second) + " vs " + std::to_string(b->second);
  }
  return "sizes differ between the .js and .py files" + (out.empty() ? "" : " (" + out + ")");
}

}  // namespace

int list_command(const ListCommandOptions& options) {
  std::vector<Workload> workloads;
  try {
    workloads = find_workloads(options.targets);
  } catch (const WorkloadError& e) {
    std::fprintf(stderr, "polyhost list: %s\n", e.what());
    return 2;
  }
  if (!(options.timeout_seconds > 0) || options.timeout_seconds > 1e6) {  // beyond 1e6 s the deadline overflows
    std::fprintf(stderr, "polyhost list: --timeout must be a positive number of seconds, at most 1e6\n");
    return 2;
  }
  if (options.jobs < 0) {
    std::fprintf(stderr, "polyhost list: --jobs must be at least 1 (0: two per core)\n");
    return 2;
  }
  const std::string self = self_executable();
  std::map<Language, std::vector<std::string>> commands;  // only read (with at()) once the threads start
  for (Language language : {Language::JavaScript, Language::Python}) {
    std::string reason;  // the embedded configurations are always there
    commands[language] = *worker_command(*find_config(language == Language::JavaScript ? "v8-jit" : "cpython"), self, 0,
                                         reason);
  }

  // One task per existing file; results[workload][language].
  struct Task {
    size_t workload;
    int language;
  };
  std::vector<Task> tasks;
  std::vector<std::array<std::optional<Inspection>, 2>> results(workloads.size());
  std::vector<int> pending(workloads.size(), 0);
  for (size_t i = 0; i < workloads.size(); ++i) {
    for (int l = 0; l < 2; ++l) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(workloads[i].file_for(l == 0 ? Language::JavaScript : Language::Python), ec)) {
        tasks.push_back({i, l});
        ++pending[i];
      }
    }
  }

  // Ctrl-C: stop the workers, print what was found, exit 130.
  InterruptOnSignals interrupt;

  std::mutex mutex;
  std::condition_variable changed;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (;;) {
      size_t t = next++;
      if (t >= tasks.size()) return;
      const Task& task = tasks[t];
      const Language language = task.language == 0 ? Language::JavaScript : Language::Python;
      Inspection inspection;
      if (interrupt_requested()) {
        inspection.interrupted = true;
        inspection.problem = workloads[task.workload].file_for(language).filename().string() + ": not loaded (interrupted)";
      } else {
        try {
          inspection = inspect_in_worker(commands.at(language), workloads[task.workload], language, options.timeout_seconds);
        } catch (const std::exception& e) {
          inspection.problem = workloads[task.workload].file_for(language).filename().string() + ": " + e.what();
        }
      }
      std::lock_guard<std::mutex> lock(mutex);
      results[task.workload][task.language] = std::move(inspection);
      --pending[task.workload];
      changed.notify_all();
    }
  };
  // Two workers per core by default: a worker spends part of its short life starting up and
  // being reaped rather than computing, and on 2 cores 4 at once list the suite fastest.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t jobs = std::min(tasks.size(), static_cast<size_t>(options.jobs > 0 ? options.jobs : 2 * cores));
  std::vector<std::thread> threads;
  for (size_t j = 0; j < jobs; ++j) threads.emplace_back(work);

  // Rows are printed in order, each as soon as both of its files are done.
  int problems = 0;
  bool interrupted = false;
  int width = 18;
  for (const auto& w : workloads) width = std::max(width, static_cast<int>(w.name.size()));
  std::printf("%-*s %8s %9s  %s\n", width, "workload", "quick", "default", "files");
  std::fflush(stdout);
  for (size_t i = 0; i < workloads.size(); ++i) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return pending[i] == 0; });
    }
    const Workload& w = workloads[i];
    std::string files;
    std::vector<std::string> found;
    std::optional<std::map<std::string, std::int64_t>> sizes[2];
    for (int l = 0; l < 2; ++l) {
      const auto& file = w.file_for(l == 0 ? Language::JavaScript : Language::Python);
      if (!results[i][l]) {
        found.push_back("missing " + file.filename().string());
        continue;
      }
      files += (files.empty() ? "" : " ") + file.filename().string();
      const Inspection& r = *results[i][l];
      interrupted = interrupted || r.interrupted;  // the exit status says so; the row too
      if (!r.problem.empty()) found.push_back(r.problem);
      sizes[l] = r.sizes;
    }
    if (sizes[0] && sizes[1] && *sizes[0] != *sizes[1]) found.push_back(describe_size_difference(*sizes[0], *sizes[1]));
    const auto& shown = sizes[0] ? sizes[0] : sizes[1];
    std::string problem;
    for (const auto& p : found) problem += (problem.empty() ? "" : "; ") + p;
    const bool row_interrupted = (results[i][0] && results[i][0]->interrupted) || (results[i][1] && results[i][1]->interrupted);
    const char* flag = row_interrupted ? "  INTERRUPTED: " : "  INVALID: ";
    std::printf("%-*s %8s %9s  %s%s\n", width, w.name.c_str(), shown ? std::to_string(shown->at("quick")).c_str() : "-",
                shown ? std::to_string(shown->at("default")).c_str() : "-", files.c_str(),
                problem.empty() ? "" : (flag + problem).c_str());
    std::fflush(stdout);
    if (!problem.empty()) ++problems;
  }
  for (auto& thread : threads) thread.join();
  if (interrupted || interrupt_requested()) {
    std::fprintf(stderr, "polyhost list: interrupted; the files not loaded are marked so\n");
    return 130;
  }
  return problems ? 1 : 0;
}

}  // namespace polyhost
