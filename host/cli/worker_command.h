// The internal subcommands that run inside worker processes: `worker` (started by run and list)
// and `overhead-worker` (started by overhead). They are not listed in --help.
#pragma once

#include "host/cli/command.h"

namespace polyhost {

Command add_worker_command(CLI::App& app);
Command add_overhead_worker_command(CLI::App& app);

}  // namespace polyhost
