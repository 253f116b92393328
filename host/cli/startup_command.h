// `polyhost startup`, and `startup-worker`, the internal subcommand its worker processes run.
#pragma once

#include "host/cli/command.h"

namespace polyhost {

// Exit status: 0 when every figure was measured (or its program is not installed); 1 when one was
// not; 2 for a usage error or an output that cannot be written (checked before measuring); 128 +
// the signal when interrupted, 130 for Ctrl-C (what was measured is still written).
Command add_startup_command(CLI::App& app);
Command add_startup_worker_command(CLI::App& app);

}  // namespace polyhost
