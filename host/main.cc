// polyhost's command line: each subcommand registers its own options (host/cli/*_command.h); this
// file only puts them together and runs the one that was asked for.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "host/build_info.h"
#include "host/cli/compare_command.h"
#include "host/cli/exec_command.h"
#include "host/cli/list_command.h"
#include "host/cli/merge_command.h"
#include "host/cli/overhead_command.h"
#include "host/cli/problem_line.h"
#include "host/cli/validators.h"
#include "host/cli/report_command.h"
#include "host/cli/run_command.h"
#include "host/cli/startup_command.h"
#include "host/cli/scale_command.h"
#include "host/cli/worker_command.h"
#include "host/python/python_interpreter.h"
#include "host/text/layout.h"
#include "host/v8/v8_platform.h"

namespace {

std::string version_text() {
  return std::string("polyhost ") + polyhost::build_info::version + "\nV8 " + polyhost::V8Platform::version() +
         " (libnode, headers " + polyhost::build_info::v8_headers_version + ")\nPython " +
         polyhost::PythonInterpreter::version() + " (CPython, embedded; standalone " +
         polyhost::build_info::python_executable + ")";
}

// CLI11's answer to a bad command line, whose message may echo what was typed ("--iterations =
// x<ESC>[31m"): shown escaped, with CLI11's usual hint.
std::string parse_failure_message(const CLI::App* app, const CLI::Error& e) {
  std::string message = polyhost::text::escape_controls(e.what()) + "\n";
  if (app->get_help_ptr() != nullptr) message += "Run with " + app->get_help_ptr()->get_name() + " for more information.\n";
  return message;
}

}  // namespace

int main(int argc, char** argv) {
  polyhost::Invocation invocation;
  invocation.command_line.assign(argv, argv + argc);
  // Everything after a lone "--" belongs to the scripts, not to polyhost.
  int own_argc = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      own_argc = i;
      invocation.script_args.assign(argv + i + 1, argv + argc);
      break;
    }
  }

  CLI::App app{"polyhost: JavaScript (V8) and Python (CPython) side by side in one process"};
  app.set_version_flag("--version", version_text());
  app.failure_message(parse_failure_message);  // before the subcommands, which copy it
  app.require_subcommand(1);
  const std::vector<polyhost::Command> commands = {
      polyhost::add_exec_command(app),     polyhost::add_run_command(app),      polyhost::add_list_command(app),
      polyhost::add_compare_command(app),  polyhost::add_report_command(app),   polyhost::add_overhead_command(app),
      polyhost::add_worker_command(app),   polyhost::add_overhead_worker_command(app),
      polyhost::add_merge_command(app),
      polyhost::add_startup_command(app),  polyhost::add_startup_worker_command(app),
      polyhost::add_scale_command(app),    polyhost::add_scale_worker_command(app)};
  for (const auto& command : commands) {
    for (CLI::Option* option : command.app->get_options()) {
      // A named option takes one value each time it is given. CLI11 lets a repeatable (vector)
      // option go on taking the words after it, which are the scripts or workloads:
      // `exec --v8-flag=--expose-gc a.js b.py` ran only b.py.
      if (!option->get_positional()) option->allow_extra_args(false);
      const std::string type = option->get_type_name();  // "INT", or "INT:INT in [6 - 100000]" with a range
      if (type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0) {
        option->transform(polyhost::validators::decimal_integer());
      }
    }
  }
  // CLI11 answers an unknown command or a leading unknown option with "A subcommand is required".
  if (own_argc > 1) {
    const std::string first = argv[1];
    const bool known = std::any_of(commands.begin(), commands.end(),
                                   [&](const polyhost::Command& c) { return c.app->get_name() == first; });
    if (!known && first != "--help" && first != "-h" && first != "--version") {
      std::string names;
      for (const auto& c : commands) {
        if (!c.app->get_group().empty()) names += (names.empty() ? "" : ", ") + c.app->get_name();
      }
      std::fprintf(stderr, "polyhost: %s '%s'; give a command first (%s), or --help\n",
                   first.rfind('-', 0) == 0 ? "unknown option" : "unknown command",
                   polyhost::text::escape_controls(first).c_str(), names.c_str());
      return 2;
    }
  }
  try {
    app.parse(own_argc, argv);
  } catch (const CLI::RequiredError& e) {
    // CLI11 checks what is required before what is unknown: `exec --version` would say "files is
    // required". An unknown option is the better answer.
    for (const auto& command : commands) {
      if (!command.app->parsed()) continue;
      for (const std::string& extra : command.app->remaining()) {
        if (extra.rfind('-', 0) != 0) continue;
        const std::string name = command.app->get_name();
        std::fprintf(stderr, "polyhost %s: unknown option '%s'%s; see polyhost %s --help\n", name.c_str(),
                     polyhost::text::escape_controls(extra).c_str(), name == "exec" ? " (a script named so is given as ./NAME)" : "",
                     name.c_str());
        return 2;
      }
    }
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  try {
    for (const auto& command : commands) {
      if (command.app->parsed()) return command.run(invocation);
    }
  } catch (const std::exception& e) {
    polyhost::print_problem("polyhost", e.what());
    return 2;
  }
  return 0;
}
