#include "host/cli/list_command.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "host/cli/problem_line.h"
#include "host/cli/validators.h"
#include "host/model/worker_message.h"
#include "host/runner/configs.h"
#include "host/runner/subprocess.h"
#include "host/runner/worker_client.h"
#include "host/text/format.h"
#include "host/text/layout.h"
#include "host/workload.h"

namespace polyhost {

namespace {

// What `polyhost worker --inspect` found in one file of a workload.
struct Inspection {
  std::string problem;  // empty when the file keeps the contract
  std::optional<std::map<std::string, std::int64_t>> sizes;
  bool interrupted = false;
  bool not_checked = false;  // its worker could not be started: nothing is known of the file
};

std::string summary_line(const std::string& text) { return text.substr(0, text.find('\n')); }

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
                                 std::to_string(kMessageFd), std::string("--timeout"), std::to_string(timeout_seconds),
                                 std::string("--max-heap"), std::string("2048")}) {
    argv.push_back(arg);
  }
  const WorkerOutcome outcome =
      run_worker_process(argv, timeout_seconds, "list's --timeout of " + text::format_plain_number(timeout_seconds) + " s");
  Inspection out;
  const std::string hint = last_line(outcome.stderr_tail).empty() ? "" : " (" + last_line(outcome.stderr_tail) + ")";
  switch (outcome.status) {
    case RunStatus::Ok: break;
    case RunStatus::Interrupted:
      out.interrupted = true;
      out.problem = name + ": interrupted while loading";
      return out;
    case RunStatus::Timeout:
      out.problem = "TIMEOUT while loading " + name + ": " + outcome.message;
      return out;
    case RunStatus::Error:
      if (!outcome.started) {
        out.not_checked = true;
        out.problem = name + ": " + outcome.message;
      } else {  // the workload ended the process itself
        out.problem = "ERROR while loading " + name + ": " + outcome.message + hint;
      }
      return out;
    default:
      out.problem = "CRASH while loading " + name + ": " + outcome.message + hint;
      return out;
  }
  WorkerMessage message;
  try {
    message = read_worker_message(outcome.text);
  } catch (const FileFormatError& e) {
    out.problem = "CRASH while loading " + name + ": the worker's report is malformed (" + e.what() + ")" + hint;
    return out;
  }
  std::string text = shorten(summary_line(message.message), workload);
  // The worker ends a workload's error with the step it came from; here every step is the load,
  // which the problem's "while loading" says already.
  const std::string loading = " (while loading)";
  if (text.size() > loading.size() && text.compare(text.size() - loading.size(), loading.size(), loading) == 0) {
    text.erase(text.size() - loading.size());
  }
  if (text.rfind(name, 0) != 0) text = name + ": " + text;
  switch (message.status) {
    case RunStatus::Ok:
      if (message.sizes.count("quick") && message.sizes.count("default")) {
        out.sizes = message.sizes;
      } else {
        out.problem = name + ": the worker's report has no sizes";
      }
      break;
    case RunStatus::Invalid: out.problem = text; break;
    case RunStatus::Timeout:
      out.problem = "TIMEOUT while loading " + name + ": still running after " + text::format_plain_number(timeout_seconds) +
                    " s (list --timeout)";
      break;
    case RunStatus::OutOfMemory: out.problem = "OUT-OF-MEMORY while loading " + text; break;
    default: out.problem = "ERROR while loading " + text;  // error, stack-overflow: the headline names the file and the line
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
    print_problem("polyhost list", e.what());
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
    commands[language] = *worker_command(plain_config_for(language), self, 0, reason);
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

  // Ctrl-C (or SIGTERM, SIGHUP): stop the workers, print what was found, exit 128 + the signal.
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
  for (size_t j = 0; j < jobs; ++j) {
    // A thread that cannot start (a process limit) leaves the work to those that did, or to this one.
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;
    }
  }
  if (threads.empty()) work();

  // Rows are printed in order, each as soon as both of its files are done.
  int problems = 0;
  bool interrupted = false;
  std::size_t width = 18;
  // Names and messages as the tables show them: control characters escaped (a folder named with a newline).
  for (const auto& w : workloads) width = std::max(width, text::display_width(text::escape_controls(w.name)));
  std::printf("%s %8s %9s  %s\n", text::pad_right("workload", width).c_str(), "quick", "default", "files");
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
    auto either = [&](bool Inspection::*field) {
      return (results[i][0] && (*results[i][0]).*field) || (results[i][1] && (*results[i][1]).*field);
    };
    const char* flag = either(&Inspection::interrupted)   ? "  INTERRUPTED: "
                       : either(&Inspection::not_checked) ? "  NOT CHECKED: "
                                                          : "  INVALID: ";
    std::printf("%s %8s %9s  %s%s\n", text::pad_right(text::escape_controls(w.name), width).c_str(),
                shown ? std::to_string(shown->at("quick")).c_str() : "-", shown ? std::to_string(shown->at("default")).c_str() : "-",
                text::escape_controls(files).c_str(), problem.empty() ? "" : text::escape_controls(flag + problem).c_str());
    std::fflush(stdout);
    if (!problem.empty()) ++problems;
  }
  for (auto& thread : threads) thread.join();
  if (interrupted || interrupt_requested()) {
    std::fprintf(stderr, "polyhost list: interrupted; the files not loaded are marked so\n");
    return interrupt_exit_status();
  }
  return problems ? 1 : 0;
}

Command add_list_command(CLI::App& app) {
  auto options = std::make_shared<ListCommandOptions>();
  auto* cmd = app.add_subcommand("list", "List the workloads found, with their sizes; flag broken contracts");
  cmd->add_option("workloads", options->targets, "Workload names or folders (default: the whole suite)");
  cmd->add_option("--timeout", options->timeout_seconds,
                  "Seconds loading one file may take before it is reported as a timeout (default 10)")
      ->check(validators::seconds(0, false));
  cmd->add_option("--jobs", options->jobs, "Worker processes at once (default: two per core)")->check(validators::not_empty());
  cmd->footer(
      "Each file is loaded in a fresh worker process (as `run` does, without calling anything), so a workload\n"
      "that hangs or crashes while loading is reported as such and the others are still listed; a file whose\n"
      "worker could not be started (the system's reason given) is NOT CHECKED.\n"
      "Exit status: 0 when every workload keeps the contract, 1 when any does not or was not checked, 2 for a\n"
      "usage error,\n"
      "130 when interrupted (Ctrl-C; 143 for SIGTERM, 129 for SIGHUP).");
  return {cmd, [options](const Invocation&) { return list_command(*options); }};
}

}  // namespace polyhost
