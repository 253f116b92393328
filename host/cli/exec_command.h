// `polyhost exec FILE... [-- ARGS...]`: runs .js files in V8 and .py files in CPython, in order,
// in one process, the way `node FILE` and `python3 FILE` would.
#pragma once

#include "host/cli/command.h"

#include <cstddef>
#include <string>
#include <vector>

namespace polyhost {

struct ExecOptions {
  std::vector<std::string> files;
  std::vector<std::string> args;      // what every program sees after its own name
  std::vector<std::string> v8_flags;  // process-wide, set before V8 starts
  double timeout_seconds = 0;         // per script; 0: no limit
  std::size_t max_heap_mb = 2048;
};

// Returns the process exit status: 0, 1 for an uncaught error or running out of memory, 2 for a
// usage error, 124 when a script ran past --timeout, or the status a script passed to
// process.exit / sys.exit.
int exec_command(const ExecOptions& options);

// Registers `exec` on APP.
Command add_exec_command(CLI::App& app);

}  // namespace polyhost
