#include "host/cli/overhead_command.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "host/cli/problem_line.h"
#include "host/cli/validators.h"
#include "host/export/exporters.h"
#include "host/export/output_files.h"
#include "host/overhead/catalogue.h"
#include "host/overhead/overhead_runner.h"
#include "host/runner/subprocess.h"

namespace polyhost {

int overhead_command(const OverheadCommandOptions& options) {
  OverheadMatrix matrix;
  const std::vector<OutputFile> outputs = {
      {"--json", options.json, [&](std::ostream& out) { write_overhead_json(matrix, out); }},
      {"--markdown", options.markdown, [&](std::ostream& out) { write_overhead_markdown(matrix, out); }}};
  if (const std::string problem = unwritable_output(outputs); !problem.empty()) {
    print_problem("polyhost overhead", problem);
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout must not lose what was measured
  const bool interactive = ::isatty(STDERR_FILENO);
  std::printf("Measuring %zu cases through %zu bindings in fresh worker processes%s\n", overhead_cases().size(),
              overhead_bindings(options.peers).size(), options.quick ? " (quick)" : "");
  std::fflush(stdout);
  InterruptOnSignals interrupt;  // Ctrl-C, until the files are written: the cells measured so far are kept
  matrix = run_overhead({options.quick, options.peers, options.command_line}, [&](const std::string& what) {
    if (interactive) std::fprintf(stderr, "\r\033[K%s", what.c_str());
  });
  if (interactive) std::fprintf(stderr, "\r\033[K");
  // Files first: a closed stdout must not lose them. Still possible after the check above (the disk
  // filled up, the directory went away): exit 2 as compare and report do when they cannot write.
  const bool written = write_outputs(outputs, "polyhost overhead");
  write_overhead_table(matrix, std::cout);
  const bool printed = printed_to_stdout("polyhost overhead", "the table");
  if (interrupt_requested()) {
    std::fprintf(stderr, "polyhost overhead: interrupted; the cells not measured say so\n");
    return interrupt_exit_status();
  }
  if (!written) return 2;
  if (!printed) return 1;
  for (const auto& c : matrix.cells) {
    if (c.status == CellStatus::Error) return 1;
  }
  return 0;
}

Command add_overhead_command(CLI::App& app) {
  auto options = std::make_shared<OverheadCommandOptions>();
  auto* cmd = app.add_subcommand("overhead", "Measure the cost of one call into C++ through each binding technology");
  cmd->add_flag("--quick", options->quick, "2 processes and shorter loops (about 20 s; their intervals are not 95% CIs)");
  cmd->add_flag("--peers", options->peers,
                "Also node-calls-python and pythonia (npm, installed on first use by scripts/setup-peers) on the "
                "JavaScript-calls-Python cases");
  cmd->add_option("--json", options->json, "Write the matrix as JSON (schema polyhost.overhead/1)")->check(validators::not_empty());
  cmd->add_option("--markdown", options->markdown, "Write the matrix as Markdown")->check(validators::not_empty());
  cmd->footer(
      "Cases: noop, add_i32, add_f64, str_len, str_repeat, sum_f64 (plain array and typed array), make_point,\n"
      "call_back (10 callbacks). Bindings: V8 callbacks and fast API calls from JavaScript; Node-API,\n"
      "node-addon-api and raw V8 addons in the system's node; the CPython C-API, Cython, pybind11, ctypes and\n"
      "cffi from Python; cffi under pypy3; pure JavaScript (embedded V8 and node) and pure Python (CPython and\n"
      "PyPy); a direct C++ call (the floor).\n"
      "ns per call = (loop of n calls - the same loop without the call) / n, in fresh processes.");
  return {cmd, [options](const Invocation& invocation) {
            options->command_line = invocation.command_line;
            return overhead_command(*options);
          }};
}

}  // namespace polyhost
