// `polyhost overhead`.
#pragma once

#include "host/cli/command.h"

#include <string>
#include <vector>

namespace polyhost {

struct OverheadCommandOptions {
  bool quick = false;
  bool peers = false;  // --peers: also node-calls-python and pythonia
  std::string json, markdown;
  std::vector<std::string> command_line;
};

// Exit status: 0; 1 when a binding failed a case; 2 when --json or --markdown cannot be written
// (checked before measuring).
int overhead_command(const OverheadCommandOptions& options);

// Registers `overhead` on APP.
Command add_overhead_command(CLI::App& app);

}  // namespace polyhost
