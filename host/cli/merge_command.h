// `polyhost merge A.json B.json ... -o all.json [--allow-mixed-machines]`.
#pragma once

#include "host/cli/command.h"

#include <string>
#include <vector>

namespace polyhost {

struct MergeCommandOptions {
  std::vector<std::string> inputs;
  std::string output;
  bool allow_mixed_machines = false;
  std::vector<std::string> command_line;
};

// 0: merged and written; 1: merged and written, but a merged run failed (a verdict other than ok or
// skipped, as `run` counts failures), or the summary could not be printed; 2: an input cannot be
// read, the inputs cannot be merged (each reason on stderr), or the output cannot be written.
int merge_command(const MergeCommandOptions& options);

// Registers `merge` on APP.
Command add_merge_command(CLI::App& app);

}  // namespace polyhost
