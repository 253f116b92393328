// polyhost's command line.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "host/build_info.h"
#include "host/cli/exec_command.h"
#include "host/python/python_interpreter.h"
#include "host/v8/v8_platform.h"

namespace {

std::string version_text() {
  return std::string("polyhost ") + polyhost::build_info::version + "\nV8 " + polyhost::V8Platform::version() +
         " (libnode, headers " + polyhost::build_info::v8_headers_version + ")\nPython " +
         polyhost::PythonInterpreter::version() + " (CPython, embedded; standalone " +
         polyhost::build_info::python_executable + ")";
}

}  // namespace

int main(int argc, char** argv) {
  // Everything after a lone "--" belongs to the scripts, not to polyhost.
  std::vector<std::string> script_args;
  int own_argc = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      own_argc = i;
      script_args.assign(argv + i + 1, argv + argc);
      break;
    }
  }

  CLI::App app{"polyhost: JavaScript (V8) and Python (CPython) side by side in one process"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  polyhost::ExecOptions exec;
  auto* exec_cmd = app.add_subcommand("exec", "Run .js files in V8 and .py files in CPython, in order, in one process");
  exec_cmd->add_option("files", exec.files, "Scripts to run (.js, .mjs, .cjs, .py)")->required();
  exec_cmd->add_option("--v8-flag", exec.v8_flags, "A V8 flag such as --jitless (repeatable)");
  exec_cmd->footer("Arguments after -- are passed to every script (process.argv / sys.argv).\n"
                   "Exit status: 0 ok, 1 uncaught error, 2 usage error, or the script's own exit status.");

  try {
    app.parse(own_argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  exec.args = script_args;
  try {
    if (*exec_cmd) return polyhost::exec_command(exec);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "polyhost: %s\n", e.what());
    return 2;
  }
  return 0;
}
