#include "host/cli/exec_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "host/bridge/bridge.h"
#include "host/cli/problem_line.h"
#include "host/cli/validators.h"
#include "host/python/python_engine.h"
#include "host/runner/deadline.h"
#include "host/runner/memory_limit.h"
#include "host/runner/watchdog.h"
#include "host/text/layout.h"
#include "host/v8/v8_engine.h"
#include "host/v8/v8_platform.h"

namespace polyhost {
namespace {

std::optional<Language> language_of(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".js" || ext == ".mjs" || ext == ".cjs") return Language::JavaScript;
  if (ext == ".py") return Language::Python;
  return std::nullopt;
}

// Engines are started on first use and live until the command ends; the process-wide runtimes
// are declared first so that they are torn down last.
class Engines {
 public:
  // PYTHON_MEMORY_CAP: cap the address space when Python starts (never with V8 in the process,
  // which reserves far more address space than it uses).
  Engines(std::vector<std::string> v8_flags, std::size_t max_heap_mb, bool python_memory_cap)
      : v8_flags_(std::move(v8_flags)), max_heap_mb_(max_heap_mb), python_memory_cap_(python_memory_cap) {}
  Engine& get(Language language) {
    if (language == Language::JavaScript) {
      if (!js_) {
        if (py_ && python_memory_cap_) {  // V8 started by Python through the bridge: no cap any more
          lift_address_space_limit();
          py_->set_memory_capped(false);
        }
        v8_platform_.emplace(v8_flags_);
        js_ = std::make_unique<V8Engine>(*v8_platform_, max_heap_mb_);
        bridge_.attach(*js_);
      }
      return *js_;
    }
    if (!py_) {
      interpreter_.emplace();
      py_ = std::make_unique<PythonEngine>(*interpreter_);
      if (python_memory_cap_ && max_heap_mb_ > 0 && !js_) {
        limit_address_space(max_heap_mb_);
        py_->set_memory_capped(true);
      }
      bridge_.attach(*py_);
    }
    return *py_;
  }
  // After a script: a Promise it left rejected in JavaScript, unhandled, is its error, whichever
  // language it was written in (a JavaScript script's own entry point checks already).
  void check_rejections_after(Language script) {
    if (script == Language::Python && js_) js_->report_unhandled_rejections();
  }

 private:
  std::vector<std::string> v8_flags_;
  std::size_t max_heap_mb_;
  bool python_memory_cap_;
  std::optional<V8Platform> v8_platform_;
  std::optional<PythonInterpreter> interpreter_;
  std::unique_ptr<V8Engine> js_;
  std::unique_ptr<PythonEngine> py_;
  // Last, so it goes first, while both engines still exist. Each engine starts on first use from
  // the other language (python.import in JavaScript, `from polyhost import js` in Python).
  Bridge bridge_{[this] { get(Language::JavaScript); }, [this] { get(Language::Python); }};
};

// Under --timeout, the end of the process is bounded too: CPython joins the script's non-daemon
// threads when it is finalized, and a thread that loops or sleeps would keep polyhost waiting for
// ever. Armed when the scripts are done, before the engines are torn down; past the deadline it
// says why and ends the process with the status the scripts ended with (124 when that was 0).
void bound_the_end(std::optional<Deadline>& deadline, double timeout_seconds, int status) {
  if (timeout_seconds <= 0) return;
  constexpr double kGraceSeconds = 5;
  const double wait = timeout_seconds + kGraceSeconds;
  deadline.emplace(wait, [wait, timeout_seconds, status] {
    char message[160];
    std::snprintf(message, sizeof message,
                  "polyhost: the script's threads were still running %g s after it ended (--timeout %g s); exiting", wait,
                  timeout_seconds);
    exit_without_waiting(status != 0 ? status : 124, message);
  });
}

// Why FILE cannot be run, or "" (checked for every file before any runs, so a typo in the last one
// wastes no work).
std::string unrunnable_reason(const std::string& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return errno == ENOENT ? "no such file" : std::strerror(errno);
  if (S_ISDIR(info.st_mode)) return "is a directory, not a script";
  if (!S_ISREG(info.st_mode)) return "is not a regular file (a device, pipe or socket)";
  if (::access(file.c_str(), R_OK) != 0) return std::string("cannot be read: ") + std::strerror(errno);
  if (!language_of(file)) {
    return "unknown extension '" + std::filesystem::path(file).extension().string() + "' (expected .js, .mjs, .cjs or .py)";
  }
  return "";
}

// TEXT and a newline on stderr, written whole: a script's message may hold a NUL (Python's
// "a\x00b" crossed into JavaScript), where printf's %s would stop.
void print_line_to_stderr(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fputc('\n', stderr);
}

// Called from a catch block for FILE's script: says on stderr how the exception in flight ended it,
// and returns exec's status for that; rethrows what is not a script's end.
int report_script_end(const std::string& file) {
  try {
    throw;
  } catch (const EngineStop& e) {
    print_line_to_stderr(text::escape_controls(file + ": stopped: " + e.message));
    return e.reason == EngineStop::Reason::Timeout ? 124 : 1;
  } catch (const ScriptError& e) {
    const std::string headline = ScriptError::headline(e.info());
    print_line_to_stderr(with_address_space_cap_note(headline, ErrorFrom::Script));
    // A stack with no frames only repeats the line above.
    const std::string& stack = e.info().stack;
    if (!stack.empty() && stack != headline && stack != e.info().type + ": " + e.info().message) print_line_to_stderr(stack);
    // Ctrl-C is a KeyboardInterrupt, in Python and, once Python runs, in JavaScript (the bridge's
    // SigintWatcher); end with 128 + SIGINT, as a shell shows python3 ended by it.
    return e.info().type == "KeyboardInterrupt" ? 130 : 1;
  } catch (const ConversionError& e) {
    print_line_to_stderr(text::escape_controls(file + ": " + e.what()));
    return 1;
  } catch (const ExitRequest& exit) {
    if (exit.message) print_line_to_stderr(*exit.message);  // as Python prints sys.exit("...")
    return exit.status;
  }
}

// In a child that a script's os.fork() made after V8 started, the script's end is the child's:
// V8 and the watchdog's thread stay with the parent, so V8 is not torn down here (the parent does
// that), but Python ends as a forked python3 child does (its non-daemon threads joined, atexit
// handlers run, files flushed and closed: Py_FinalizeEx, which leaves V8's handles alone here).
void end_forked_child(int status) {
  if (!v8_lost_by_fork()) return;
  std::fflush(stdout);
  if (Py_IsInitialized() && Py_FinalizeEx() < 0 && status == 0) status = 120;  // as python3 exits then
  std::fflush(stdout);
  std::fflush(stderr);
  ::_exit(status);
}

int run_scripts(Engines& engines, const ExecOptions& options, bool any_js) {
  if (any_js) {
    try {
      engines.get(Language::JavaScript);  // now, so a bad --v8-flag stops us before any script runs
    } catch (const BadV8Flag& e) {
      print_problem("polyhost exec", std::string("--v8-flag: ") + e.what());
      return 2;
    }
  }
  for (const auto& file : options.files) {
    std::optional<Watchdog> watchdog;  // alive through the messages below: its hard exit bounds them too
    try {
      Engine& engine = engines.get(*language_of(file));
      watchdog.emplace(engine, options.timeout_seconds, /*hard_exit_status=*/124);
      engine.run_program(file, options.args);
      end_forked_child(0);
      engines.check_rejections_after(*language_of(file));
      if (watchdog->finish()) {  // the deadline passed as the script returned: still a timeout
        std::fflush(stdout);
        std::fprintf(stderr, "%s: stopped: it ran past its --timeout of %g s\n", text::escape_controls(file).c_str(),
                     options.timeout_seconds);
        return 124;
      }
    } catch (...) {
      if (v8_lost_by_fork()) {
        std::fflush(stdout);
        int status = 1;
        try {
          status = report_script_end(file);
        } catch (...) {  // not a script's end (it would unwind into the parent's engines): status 1
        }
        end_forked_child(status);
      }
      if (watchdog) watchdog->finish();  // no stop request left pending; the hard exit stays
      std::fflush(stdout);
      return report_script_end(file);
    }
  }
  return 0;  // stdout is flushed once the end is bounded (exec_command)
}

}  // namespace

int exec_command(const ExecOptions& options) {
  for (const auto& file : options.files) {
    if (const std::string why = unrunnable_reason(file); !why.empty()) {
      print_problem("polyhost exec", file + ": " + why);
      return 2;
    }
  }
  bool any_js = false;
  for (const auto& file : options.files) any_js = any_js || language_of(file) == Language::JavaScript;
  std::optional<Deadline> end_deadline;
  int status = 0;
  {
    Engines engines(options.v8_flags, options.max_heap_mb, !any_js);
    try {
      status = run_scripts(engines, options, any_js);
    } catch (...) {
      bound_the_end(end_deadline, options.timeout_seconds, 1);  // the engines are torn down while this unwinds
      throw;
    }
    bound_the_end(end_deadline, options.timeout_seconds, status);
    std::fflush(stdout);
  }  // the engines are torn down here: CPython joins the script's threads
  return status;
}

Command add_exec_command(CLI::App& app) {
  auto options = std::make_shared<ExecOptions>();
  auto* cmd = app.add_subcommand("exec", "Run .js files in V8 and .py files in CPython, in order, in one process");
  cmd->add_option("files", options->files, "Scripts to run (.js, .mjs, .cjs, .py)")->required();
  cmd->add_option("--v8-flag", options->v8_flags, "A V8 flag such as --jitless (repeatable, one flag each)")
      ->check(validators::not_empty());
  cmd->add_option("--timeout", options->timeout_seconds, "Seconds each script may run before it is stopped (default: 0, no limit)")
      ->check(validators::seconds(0, true));
  cmd->add_option("--max-heap", options->max_heap_mb, "MB: V8's heap limit, or a cap on memory while Python scripts run (default 2048)")
      ->check(validators::megabytes());
  cmd->footer("Arguments after -- are passed to every script (process.argv / sys.argv).\n"
              "Exit status: 0 ok, 1 uncaught error or out of memory, 2 usage error, 124 timeout,\n"
              "130 Ctrl-C (KeyboardInterrupt), or the script's own exit status (process.exit / sys.exit).");
  return {cmd, [options](const Invocation& invocation) {
            options->args = invocation.script_args;
            return exec_command(*options);
          }};
}

}  // namespace polyhost
